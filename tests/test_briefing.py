"""End to end: `make` on a corpus builds a publication-like HTML and PDF, reproducibly."""
import re
import subprocess

import pytest
from pypdf import PdfReader

from conftest import OTHER_COMPANY_NAME, ROOT, pdftoppm_path, run_make

pytestmark = pytest.mark.build

SECTION_TITLES = ["Key judgments", "Key figures", "Company", "Models", "Costs", "Skepticism",
                  "Policy", "Where sources disagree", "Timeline", "Sources and method"]


def _html(reports):
    return (reports / "briefing.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("corpus", ["seed_briefing", "other_company_briefing"])
def test_html_is_a_self_contained_publication(corpus, request):
    page = _html(request.getfixturevalue(corpus))
    headings = " ".join(re.findall(r"<h[1-3][^>]*>(.*?)</h[1-3]>", page))
    for title in SECTION_TITLES:
        assert title.lower() in headings.lower(), f"missing section {title!r}"
    assert '<nav class="toc"' in page
    assert "<script" not in page.lower(), "no scripts at all in the briefing"
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", page, re.I), "no remote references"
    assert not re.search(r"url\(\s*['\"]?https?:", page, re.I)
    for notebook_marker in ("jp-InputArea", "In&nbsp;[", "input_area", "class=\"prompt"):
        assert notebook_marker not in page, "no code cells or prompts"
    assert re.search(r'<sup class="cite" id="cite-1-1"><a href="#q-1"', page)


def test_other_company_briefing_says_nothing_about_the_seeds(other_company_briefing):
    page = _html(other_company_briefing)
    assert OTHER_COMPANY_NAME in page
    for word in ("DeepSeek", "Liang", "High-Flyer", "Hangzhou"):
        assert word not in page


@pytest.mark.parametrize("corpus", ["seed_briefing", "other_company_briefing"])
def test_pdf_has_title_bookmarks_page_numbers_and_text(corpus, request):
    reader = PdfReader(request.getfixturevalue(corpus) / "briefing.pdf")
    assert len(reader.pages) >= 4
    first = reader.pages[0].extract_text()
    assert "Key judgments" in first and "Key figures" in first, "key judgments and figures on page 1"
    text = "\n".join(p.extract_text() for p in reader.pages)
    assert f"Page 1 of {len(reader.pages)}" in text
    titles = [item.title for item in reader.outline if not isinstance(item, list)]
    assert any("company" in t.lower() for t in titles) and any("sources" in t.lower() for t in titles)
    assert any("quoted passages" in t.lower() for t in titles), "numbered notes are bookmarked"


def test_evidence_csvs_are_published_with_exact_quotes(seed_briefing):
    import pandas as pd

    from newsbrief.ingest.corpus import read_article_text

    evidence = seed_briefing / "evidence"
    articles = pd.read_csv(evidence / "articles.csv", dtype=str, keep_default_na=False)
    texts = {row.article_id: read_article_text(ROOT / "data" / "articles" / row.path)
             for row in articles.itertuples() if row.included == "True"}
    quoted = 0
    for csv in sorted(evidence.glob("*.csv")):
        frame = pd.read_csv(csv, dtype=str, keep_default_na=False)
        if not {"article_id", "start", "end", "quote"} <= set(frame.columns):
            continue
        for row in frame.itertuples():
            assert texts[row.article_id][int(row.start):int(row.end)] == row.quote, (csv.name, row)
            quoted += 1
    assert quoted > 100


@pytest.mark.skipif(not pdftoppm_path(), reason="pdftoppm (Debian poppler-utils) not installed")
def test_pdf_pages_render(seed_briefing, tmp_path):
    subprocess.run(["pdftoppm", "-r", "30", "-png", str(seed_briefing / "briefing.pdf"), str(tmp_path / "p")],
                   check=True)
    assert len(list(tmp_path.glob("p-*.png"))) >= 4


def test_second_make_does_nothing_and_rebuild_is_byte_identical(seed_briefing, tmp_path):
    args = [f"ARTICLES={ROOT / 'data' / 'articles'}", f"REPORTS={seed_briefing}",
            f"BUILD_ROOT={seed_briefing.parent / 'build'}"]
    again = run_make(*args)
    assert "notebooks:" not in again.stdout and "export:" not in again.stdout and "ran " not in again.stdout
    other = tmp_path / "reports"
    run_make(f"ARTICLES={ROOT / 'data' / 'articles'}", f"REPORTS={other}", f"BUILD_ROOT={tmp_path / 'build'}")
    for name in ["briefing.html", "briefing.pdf"] + [f"evidence/{p.name}" for p in (seed_briefing / "evidence").glob("*.csv")]:
        assert (seed_briefing / name).read_bytes() == (other / name).read_bytes(), name
