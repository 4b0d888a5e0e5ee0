"""Briefing sections built from evidence tables: structure, citations, numbers, size, no
corpus-specific code. Synthetic tables (tests/section_tables.py) always; the real
evidence tables from the seeds and the Kestrel fixtures when newsbrief.evidence.layer exists."""
from __future__ import annotations

import html
import math
import re
import sys
from pathlib import Path

import pandas as pd
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
from section_tables import KESTREL, ROOT, StubRun, real_run, synthetic_run  # noqa: E402

from newsbrief.briefing import render  # noqa: E402
from newsbrief.briefing import sections as S  # noqa: E402

SPAN_TABLES = ["sentences", "figures", "dates", "events", "entities", "statements", "claims",
               "claim_sources", "disagreements"]
_NUM = re.compile(r"(?<![\w.])(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)(?:\s*(thousand|million|billion|"
                  r"trillion))?(?![\w])")
_SCALE = {None: 1, "thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}


@pytest.fixture(scope="module")
def synth():
    return synthetic_run()


@pytest.fixture(scope="module")
def synth_blocks(synth):
    return {key: S.builder(key)(synth) for key, *_ in S.SECTIONS}


def _runs():
    out = [("synthetic", synthetic_run)]
    out.append(("kestrel", lambda: real_run(KESTREL, "Kestrel AI")))
    out.append(("seeds", lambda: real_run(ROOT / "data" / "articles", "DeepSeek")))
    return out


@pytest.fixture(scope="module", params=[n for n, _ in _runs()])
def any_run(request):
    run = dict(_runs())[request.param]()
    if run is None:
        pytest.skip("newsbrief.evidence.layer.build_evidence not available yet")
    return run


# ---------------------------------------------------------------- helpers

def walk_inlines(block):
    """Yield (unit, inlines) for every citable unit of a block: paragraph, bullet, table row,
    figure source."""
    if isinstance(block, render.Para):
        yield "para", render._as_list(block.content)
    elif isinstance(block, render.Bullets):
        for item in block.items:
            yield "bullet", render._as_list(item)
    elif isinstance(block, render.Table):
        for row in block.rows:
            yield "row", [p for cell in row for p in render._as_list(cell)]
    elif isinstance(block, render.Figure):
        yield "figure", render._as_list(block.source)
    elif isinstance(block, render.Note):
        yield "note", render._as_list(block.content)


def all_cites(blocks):
    for b in blocks:
        for _, parts in walk_inlines(b):
            for p in parts:
                if isinstance(p, render.Cite):
                    yield p


def spans(run) -> set:
    out = set()
    for name in SPAN_TABLES:
        t = S.table(run, name)
        if len(t):
            out |= set(zip(t["article_id"].astype(str), t["start"].astype(int),
                           t["end"].astype(int)))
    return out


def numbers_in(text: str) -> list[float]:
    vals = []
    for m in _NUM.finditer(text):
        v = float(m.group(1).replace(",", "")) * _SCALE[m.group(2) and m.group(2).lower()]
        vals.append(v)
    return vals


def allowed_numbers(run, blocks) -> set:
    allowed: set = set()
    for name in SPAN_TABLES + ["mentions", "articles"]:
        t = S.table(run, name) if name != "articles" else S.all_articles(run)
        if not len(t):
            continue
        for col in t.columns:
            if col in ("text",):
                continue
            if t[col].dtype.kind in "fiu":
                for v in t[col].dropna():
                    allowed |= {float(v), abs(float(v))}
            elif t[col].dtype.kind in "OSUT" or isinstance(t[col].dtype, pd.StringDtype):
                for v in t[col].dropna().astype(str).unique():
                    allowed |= set(numbers_in(v))
                    for d in re.findall(r"\d{4}-\d{2}-\d{2}", v):
                        y, mo, da = d.split("-")
                        allowed |= {float(y), float(mo), float(da)}
    # counts computed from the tables (rows, articles, distinct values)
    biggest = max([len(S.table(run, n)) for n in SPAN_TABLES] + [len(S.all_articles(run))])
    allowed |= {float(i) for i in range(biggest + 1)}
    if run.as_of:
        allowed |= {float(run.as_of.year), float(run.as_of.day)}
    return allowed


def _close(v: float, allowed: set) -> bool:
    return any(math.isclose(v, a, rel_tol=1e-6, abs_tol=1e-9) for a in allowed)


# ---------------------------------------------------------------- structure

def test_every_section_starts_with_its_heading(synth_blocks):
    for key, blocks in synth_blocks.items():
        first = blocks[1] if key == "front" else blocks[0]
        if key == "front":
            assert isinstance(blocks[0], render.TitleBlock)
        assert isinstance(first, render.Heading) and first.level == 2
        assert first.anchor == key
        for b in blocks:  # both renderings work
            assert b.html() and isinstance(b.typst(), str)


def test_front_page_has_title_judgments_and_key_figures(synth, synth_blocks):
    blocks = synth_blocks["front"]
    title = blocks[0]
    assert title.title == synth.company
    assert any("4 articles" in f for f in title.facts)
    judg = [b for b in blocks if isinstance(b, render.Bullets) and b.css == "judgments"][0]
    assert 3 <= len(judg.items) <= 6
    for item in judg.items:
        parts = render._as_list(item)
        assert any(isinstance(p, render.Cite) for p in parts)
        assert any(isinstance(p, render.Label) for p in parts)
        words = render.inline_plain([p for p in parts if isinstance(p, str)]).split()
        assert 5 <= len(words) <= 30
    keyfigs = [b for b in blocks if isinstance(b, render.Table) and b.css == "keyfigs"]
    assert keyfigs and 1 <= len(keyfigs[0].rows) <= 6


def test_labels_follow_claims(synth_blocks):
    text = "\n".join(b.plain() for b in synth_blocks["front"])
    assert "alleges, without evidence, that" in text
    assert "(allegation, no evidence)" in text
    assert "(3 sources)" in text


def test_disagreements_quote_both_sides_and_settle(synth_blocks):
    blocks = synth_blocks["disagreements"]
    text = "\n".join(b.plain() for b in blocks)
    assert "Side A" in text and "Side B" in text and "What would settle it" in text
    bullets = [b for b in blocks if isinstance(b, render.Bullets)][0]
    assert all(any(isinstance(p, render.Cite) for p in render._as_list(i)) for i in bullets.items)


def test_timeline_shows_precision_honestly(synth_blocks):
    text = "\n".join(b.plain() for b in synth_blocks["timeline"])
    assert "2022 |" in text and "Mar 2025 |" in text
    assert "1 Jan 2022" not in text and "1 Mar 2025" not in text
    assert any(isinstance(b, render.Figure) for b in synth_blocks["timeline"])


def test_cost_section_has_range_chart(synth_blocks):
    figs = [b for b in synth_blocks["costs"] if isinstance(b, render.Figure)]
    assert figs and "alt" and figs[0].alt.startswith("Price comparison")


def test_thin_evidence_gives_notes_not_padding():
    run = synthetic_run()
    empty = {k: v.iloc[0:0] for k, v in run.tables.items() if k != "articles"}
    bare = StubRun(run.company, {"articles": run.tables["articles"], **empty}, run.as_of)
    for key, *_ in S.SECTIONS:
        blocks = S.builder(key)(bare)
        assert any(isinstance(b, (render.Note, render.Table, render.Bullets)) for b in blocks), key
    # missing tables are tolerated too
    missing = StubRun(run.company, {"articles": run.tables["articles"]}, run.as_of)
    assert S.build_all(missing)


# ---------------------------------------------------------------- on every run (synthetic and real)

def test_every_cite_points_at_an_evidence_row(any_run):
    blocks = S.build_all(any_run)
    known = spans(any_run)
    cites = list(all_cites(blocks))
    assert cites
    texts = dict(zip(S.all_articles(any_run)["article_id"].astype(str),
                     S.all_articles(any_run)["text"]))
    for c in cites:
        assert (c.article_id, c.start, c.end) in known, c
        assert 0 <= c.start < c.end <= len(texts[c.article_id])


def test_every_statement_is_cited(any_run):
    """Each bullet, table row and figure outside the method section carries a citation."""
    for key, *_ in S.SECTIONS:
        if key == "sources":
            continue
        for b in S.builder(key)(any_run):
            for unit, parts in walk_inlines(b):
                if unit in ("note",) or (unit == "para" and getattr(b, "css", "") == "muted"):
                    continue
                if unit == "para" and not any(isinstance(p, render.Cite) for p in parts):
                    # intro paragraphs state counts only
                    assert not re.search(r"\d", render.inline_plain(parts).replace(
                        any_run.company, "")) or key in ("costs", "skepticism", "disagreements",
                                                         "timeline"), (key, parts)
                    continue
                assert any(isinstance(p, render.Cite) for p in parts), (key, unit, parts)


def test_every_number_comes_from_the_tables(any_run):
    blocks = [b for key, *_ in S.SECTIONS if key != "sources" for b in S.builder(key)(any_run)]
    allowed = allowed_numbers(any_run, blocks)
    bad = []
    for b in blocks:
        text = b.plain() if not isinstance(b, render.Figure) else b.caption
        for v in numbers_in(text):
            if not _close(v, allowed):
                bad.append((v, text[:120]))
    assert not bad, bad[:10]


def test_html_is_small_and_typst_renders(any_run):
    blocks = S.build_all(any_run)
    html = "".join(b.html() for b in blocks)
    assert len(html.encode()) < 10_000_000
    assert all(isinstance(b.typst(), str) for b in blocks)


# ---------------------------------------------------------------- scale and hygiene

def _scaled_run(copies: int) -> StubRun:
    run = synthetic_run()
    out = {}
    for name, t in run.tables.items():
        frames = []
        for i in range(copies):
            c = t.copy()
            suffix = f"_{i:04d}"
            for col in ("article_id", "sentence_id", "figure_id", "date_id", "event_id",
                        "statement_id", "claim_id", "disagreement_id", "entity_id"):
                if col in c and not (name == "entities" and col == "entity_id"):
                    c[col] = c[col].astype(str) + suffix
            if "article_ids" in c:
                c["article_ids"] = c["article_ids"].map(
                    lambda s, x=suffix: ";".join(a + x for a in s.split(";")))
            if name == "mentions":
                c["article_id"] = c["article_id"].astype(str)
            frames.append(c)
        out[name] = pd.concat(frames, ignore_index=True)
    if "entities" in out:
        out["entities"] = run.tables["entities"]
    return StubRun(run.company, out, run.as_of)


@pytest.mark.scale
def test_briefing_stays_bounded_on_1000_articles():
    run = _scaled_run(250)  # 1,000 articles
    assert len(run.articles) == 1000
    blocks = S.build_all(run)
    html = "".join(b.html() for b in blocks)
    assert len(html.encode()) < 10_000_000
    for b in blocks:
        if isinstance(b, render.Table):
            assert len(b.rows) <= 60
        if isinstance(b, render.Bullets):
            assert len(b.items) <= 40


CORPUS_WORDS = ["DeepSeek", "Liang", "Wenfeng", "High-Flyer", "Hangzhou", "H800", "H100",
                "Nvidia", "OpenAI", "ChatGPT", "Alexandr", "Scale AI", "Bernstein", "Kestrel",
                "Durand", "Okafor", "Lefebvre", "CNIL", "5.58", "50,000"]


def test_no_corpus_content_in_code():
    files = list((ROOT / "src" / "newsbrief" / "briefing").rglob("*.py"))
    files += [ROOT / "data" / "knowledge" / "briefing.yml"]
    for f in files:
        text = f.read_text(encoding="utf-8")
        for w in CORPUS_WORDS:
            assert w.lower() not in text.lower(), f"{w!r} in {f.name}"


def _run_with_evidence(tmp_path):
    """A stand-in run whose build folder holds one evidence table, and that table's path."""
    from types import SimpleNamespace

    from newsbrief.paths import RunPaths

    run_paths = RunPaths(build=tmp_path, reports=tmp_path)
    run_paths.processed.mkdir()
    table = run_paths.processed / "claims.parquet"
    table.write_bytes(b"v1")
    return SimpleNamespace(company="Acme", articles_dir=tmp_path, reports=tmp_path, as_of_param="",
                           run_paths=run_paths), table


def test_section_blocks_are_reused_until_parameters_or_evidence_change(tmp_path):
    from newsbrief.briefing import sections as S

    calls = []

    @S.reused
    def build(run):
        calls.append(run.company)
        return ["block"]

    run, table = _run_with_evidence(tmp_path)
    run_paths = run.run_paths
    assert build(run) == build(run) == ["block"] and len(calls) == 1
    build(run).append("edited by a caller")
    assert build(run) == ["block"], "callers get their own list"
    table.write_bytes(b"version 2")          # evidence rebuilt
    build(run)
    run.company = "Other"                    # another parameter
    build(run)
    run_paths.review.write_text("decisions: []\n", encoding="utf-8")    # the analyst decided
    build(run)
    assert calls == ["Acme", "Acme", "Other", "Other"]


def test_cited_articles_are_read_from_the_record_another_kernel_left(tmp_path, monkeypatch):
    from newsbrief.briefing import render, sections as S

    calls = []

    @S.reused
    def build(run):
        calls.append(run.company)
        return [render.Para(["A fact.", render.Cite("art-1", 0, 7)])]

    monkeypatch.setattr(S, "builder", lambda key: build)
    run, table = _run_with_evidence(tmp_path)
    build(run)
    S._BUILT.clear()                          # the sources notebook runs in another kernel
    assert S.cited_ids(run, "front") == {"art-1"} and calls == ["Acme"]
    table.write_bytes(b"version 2")          # evidence rebuilt: the record is not for it
    assert S.cited_ids(run, "front") == {"art-1"} and calls == ["Acme", "Acme"]
    S._BUILT.clear()
    assert S.cited_ids(run, "front") == {"art-1"} and calls == ["Acme", "Acme"]


def test_people_line_includes_people_tied_to_several_organisations():
    from newsbrief.briefing.sections import company

    run = synthetic_run()
    ents = run.tables["entities"]
    person = ents[ents["kind"] == "person"].iloc[0].to_dict()
    founder = dict(person, entity_id="person:two-orgs", name="Ada Twofold",
                   role="founder; chief executive", organisation=f"Some Fund; {run.company}")
    run.tables["entities"] = pd.concat([ents, pd.DataFrame([founder])], ignore_index=True)
    text = "".join(x for b in company.people_line(run) for x in b.content if isinstance(x, str))
    assert "Ada Twofold (founder, chief executive)" in text


def test_data_notes_of_kept_files_reach_the_briefing(tmp_path):
    """Notes the evidence stage raises about files it keeps (a repaired encoding, a metadata date
    that is no date) are listed in the briefing's data notes; a left-out file is listed once."""
    from newsbrief.briefing.sections import sources
    from newsbrief.ingest import corpus
    from newsbrief.notes import to_frame

    for src in sorted(KESTREL.glob("*.txt")):
        (tmp_path / src.name).write_bytes(src.read_bytes())
    (tmp_path / "kestrel_005_cp1252.txt").write_bytes(
        "Kestrel AI’s café partners — a note.\n\nKestrel AI said its model costs €2.".encode("cp1252"))
    (tmp_path / "kestrel_006_empty.txt").write_bytes(b"")
    (tmp_path / "metadata.csv").write_text("file,published\nkestrel_001_funding.txt,last spring\n",
                                           encoding="utf-8")
    arts, notes = corpus.load_articles(tmp_path, "Kestrel AI")
    run = StubRun("Kestrel AI", {"articles": arts, "notes": to_frame(notes)})
    page = html.unescape("".join(b.html() for b in sources.data_notes(run)))
    kept = [n for n in notes if n.file in {"kestrel_005_cp1252.txt", "kestrel_001_funding.txt"}]
    assert {n.file for n in kept} == {"kestrel_005_cp1252.txt", "kestrel_001_funding.txt"}
    for note in kept:
        assert f"{note.file}: {note.problem}" in page, note
    assert page.count("kestrel_006_empty.txt") == 1


def test_a_figure_is_labelled_disputed_only_when_it_is_a_side():
    # one sentence gives a round's size (disputed by another outlet) and the valuation it set
    # (which every outlet agrees on); the claims linker marks both claims of that event disputed
    claims = pd.DataFrame([
        {"claim_id": "c-val", "label": "disputed", "n_independent": 3, "speaker": "", "article_id": "a", "start": 0},
        {"claim_id": "c-eq", "label": "disputed", "n_independent": 1, "speaker": "", "article_id": "a", "start": 0}])
    sources = pd.DataFrame([{"claim_id": "c-val", "item_id": "f-val", "article_id": "a", "start": 0},
                            {"claim_id": "c-eq", "item_id": "f-eq", "article_id": "a", "start": 0}])
    sides = pd.DataFrame([{"disagreement_id": "d1", "figure_id": "f-eq", "article_id": "a", "start": 0},
                          {"disagreement_id": "d1", "figure_id": "f-eq-b", "article_id": "b", "start": 40}])
    run = StubRun("Acme AI", {"claims": claims, "claim_sources": sources, "disagreements": sides})
    badge = lambda ids: S.label_for_figures(run, pd.DataFrame({"figure_id": ids, "article_id": "a", "start": 0}), 3).text
    assert badge(["f-val"]) == "3 sources"
    assert badge(["f-eq"]) == badge(["f-other", "f-eq"]) == "disputed"
    # a sentence with no side of any disagreement is not disputed either
    lone = StubRun("Acme AI", {"claims": claims.iloc[:1], "claim_sources": sources.iloc[:0],
                               "disagreements": sides.iloc[1:]})
    assert S.label_for_sentence(lone, "a", 0, 1).text == "3 sources"
    assert S.label_for_sentence(run, "a", 0, 1).text == "disputed"


def test_history_names_a_deal_not_yet_done_and_leaves_it_out_of_the_chart():
    from newsbrief.briefing.sections import costs

    arts = pd.DataFrame({"article_id": ["a", "b", "c"], "included": True, "outlet": "X",
                         "published": ["2024-01-10", "2024-06-10", "2024-09-10"]})
    point = {"series_id": "s1", "history": "funding_equity", "measure": "funding_equity",
             "subject": "Acme AI", "when_source": "published", "event": "", "unit": "money",
             "currency": "USD", "converted_low": math.nan, "converted_high": math.nan,
             "converted_currency": "", "value_text": "x", "start": 0, "end": 1, "quote": "x"}
    ser = pd.DataFrame([{**point, "article_id": a, "when": d, "when_end": d, "value": v, "low": v,
                         "high": v, "figure_id": f}
                        for a, d, v, f in (("a", "2024-01-10", 1e8, "f1"), ("b", "2024-06-10", 3e8, "f2"),
                                           ("c", "2024-09-10", 9e8, "f3"))])
    figs = pd.DataFrame({"figure_id": ["f1", "f2", "f3"], "status": ["completed", "", "in_talks"]})
    run = StubRun("Acme AI", {"articles": arts, "series": ser, "figures": figs})
    blocks = costs.history(run, ["funding_equity"])
    table = next(b for b in blocks if isinstance(b, render.Table))
    assert [row[1] for row in table.rows] == ["Equity raised", "Equity raised", "Equity raised (in talks)"]
    chart = next(b for b in blocks if isinstance(b, render.Figure))
    assert "$300 million" in chart.alt and "$900 million" not in chart.alt


def test_records_equal_to_dict_for_the_table_dtypes():
    frame = pd.DataFrame({"text": pd.Series(["Acme", None], dtype="str"), "n": [1, 2],
                          "value": [1.5, float("nan")], "ok": [True, False]})
    fast, slow = S.records(frame.iloc[::-1]), frame.iloc[::-1].to_dict("records")
    assert [list(r) for r in fast] == [list(r) for r in slow]
    for got, want in zip(fast, slow):
        for key in want:
            assert type(got[key]) is type(want[key])
            assert got[key] == want[key] or (math.isnan(got[key]) and math.isnan(want[key]))
    assert S.records(frame.iloc[0:0]) == []
