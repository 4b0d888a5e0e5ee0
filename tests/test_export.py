"""Exporter units: citations numbered in order, quotes verbatim, hostile text inert in HTML and PDF."""
import time
from datetime import date

import pytest
from pypdf import PdfReader

from newsbrief.export import publish
from newsbrief.briefing import render as r

TEXT = "DeepSeek said it spent $5.58 million. Critics doubt it <script>alert(1)</script>."
SOURCES = {"a1": {"text": TEXT, "label": "Outlet, 2025-01-28"}}
HOSTILE = ('<img src=x onerror=alert(1)> [link](javascript:alert(1)) #set page(width: 1cm) '
           '$x^2$ *bold* _it_ @ref <lbl> \\ "q" // comment /* c */ = heading ' + "W" * 5000)


def _blocks(extra_text: str = "Plain"):
    front = [r.TitleBlock("Co: briefing", "Dek", ["As of 2025-01-28"]),
             r.Heading("Key judgments"),
             r.Bullets([["First ", r.Cite("a1", 0, 38)], ["Second ", r.Cite("a1", 39, len(TEXT))]])]
    body = [r.Heading("Company"), r.Para([extra_text, r.Cite("a1", 39, len(TEXT)), r.Cite("a1", 0, 38)])]
    blocks = [publish.Block(b.html(), b.typst(), b.kind, "10_front") for b in front]
    blocks += [publish.Block(b.html(), b.typst(), b.kind, "20_company") for b in body]
    return blocks


def _quotes(blocks):
    keys = [k for b in blocks for k in publish._CITE_HTML.findall(b.html)]
    return publish.resolve_quotes(keys, SOURCES)


def test_citations_are_numbered_by_first_appearance_and_quotes_are_verbatim():
    quotes = _quotes(_blocks())
    assert [q.number for q in quotes.values()] == [1, 2]
    assert [q.text for q in quotes.values()] == [TEXT[0:38], TEXT[39:]]


def test_html_markers_link_to_quotes_and_back():
    blocks = _blocks()
    page = publish.render_html(blocks, _quotes(blocks), "Title", "10_front")
    assert 'href="#q-1"' in page and 'id="q-2"' in page
    assert 'href="#cite-2-2"' in page, "second use of quote 2 gets its own back link"
    assert "<script>alert" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert '<nav class="toc"' in page and page.index('<nav class="toc"') < page.index('id="company"')


def test_unknown_or_out_of_range_citation_fails_loudly():
    with pytest.raises(publish.ExportError):
        publish.resolve_quotes(["a1:0:9999"], SOURCES)
    with pytest.raises(publish.ExportError):
        publish.resolve_quotes(["nope:0:1"], SOURCES)


def test_hostile_text_is_inert_in_html():
    blocks = _blocks(HOSTILE)
    page = publish.render_html(blocks, _quotes(blocks), "Title", "10_front")
    assert "<img src=x" not in page and "&lt;img src=x onerror=alert(1)&gt;" in page
    assert 'href="javascript' not in page


def test_hostile_text_compiles_to_pdf_as_text(tmp_path):
    blocks = _blocks(HOSTILE)
    source = publish.render_typst(blocks, _quotes(blocks), "Title", "Co", date(2025, 1, 28), "10_front")
    pdf = publish.compile_pdf(source, 1738022400, tmp_path)
    path = tmp_path / "out.pdf"
    path.write_bytes(pdf)
    reader = PdfReader(path)
    text = "".join(page.extract_text() for page in reader.pages)
    assert "#set page(width: 1cm)" in text and "onerror=alert(1)" in text
    assert "Page 1 of" in text
    assert reader.outline, "headings become PDF bookmarks"


def test_pdf_is_byte_identical_across_compiles(tmp_path):
    blocks = _blocks()
    source = publish.render_typst(blocks, _quotes(blocks), "Title", "Co", date(2025, 1, 28), "10_front")
    assert publish.compile_pdf(source, 1738022400, tmp_path / "a") == publish.compile_pdf(source, 1738022400, tmp_path / "b")


def test_undated_briefing_pdf_says_not_known_and_has_no_epoch(tmp_path):
    blocks = _blocks() * 3  # long enough for a second page, which carries the running head
    source = publish.render_typst(blocks, _quotes(blocks), "Title", "Co", None, "10_front")
    assert "date: none" in source and "1970" not in source
    first = publish.compile_pdf(source, None, tmp_path / "a")
    time.sleep(1.1)  # a clock-derived date would differ now
    assert publish.compile_pdf(source, None, tmp_path / "b") == first
    path = tmp_path / "out.pdf"
    path.write_bytes(first)
    reader = PdfReader(path)
    text = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
    assert "Date of briefing: not known" in text and "1970" not in text
    assert "/CreationDate" not in first.decode("latin-1")


def test_typst_text_escapes_everything_markup_could_read():
    assert r.typst_text('a"b\\c') == '#"a\\"b\\\\c";'
    long = r.typst_text("x" * 100)
    assert "\u200b" in long, "long tokens get break opportunities"


def test_adjacent_markers_are_sorted_and_separated_and_text_between_is_kept():
    from newsbrief.export import publish

    def marker(n, k=1):
        return f'<sup class="cite" id="cite-{n}-{k}"><a href="#q-{n}" title="A">{n}</a></sup>'

    html = f"x{marker(14)}{marker(3)} words {marker(2)}{marker(1)}{marker(9)}."
    out = publish._sorted_runs(html, publish._NUMBERED_HTML)
    assert out == f"x{marker(3)}{marker(14)} words {marker(1)}{marker(2)}{marker(9)}."
    typ = "a#nbref(12);#nbref(2); b #nbref(5);"
    assert publish._sorted_runs(typ, publish._NUMBERED_TYPST) == "a#nbref(2);#nbref(12); b #nbref(5);"
