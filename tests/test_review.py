"""Review decisions: the file's checks (one-line errors), how each kind applies to the tables,
the notebook API (atomic, stable order, ids checked), and a seed build that applies decisions."""
from __future__ import annotations

import re
import shutil
from pathlib import Path

import pandas as pd
import pytest

from conftest import ROOT, project_copy, run_make
from newsbrief import review
from newsbrief.evidence import run as run_mod
from newsbrief.review import apply, decisions
from newsbrief.review.check import main as check_main


def _parse(text: str):
    return decisions.parse(text, Path("data/review/acme.yml")).decisions


def test_a_good_file_loads_every_kind():
    got = _parse("""# header
decisions:
  - set_aside: dis-1a2b3c4d
    reason: not the same round
  - relabel: stm-aaaa1111-40
    is_doubt: false
    reason: praise, not a doubt
  - merge_names: High Flyer
    into: High-Flyer
    reason: one fund
  - correct_article: a1
    published: 2025-01-27
    reason: dateline
  - note: costs
    text: Final run only.
""")
    assert [d.kind for d in got] == ["set_aside", "relabel", "merge_names", "correct_article", "note"]
    assert got[1].get("is_doubt") is False and got[2].get("into") == "High-Flyer"
    assert got[0].line == 3 and got[0].name == "set_aside dis-1a2b3c4d"


@pytest.mark.parametrize("text, expected", [
    ("decisions:\n  - set_aside: dis-1\n    reason: a: b\n", r"acme\.yml:3: not valid YAML \(mapping values"),
    ("decisions:\n  - hide: dis-1\n    reason: x\n", r"acme\.yml:2: unknown decision kind 'hide'; use one of: set_aside"),
    ("decisions:\n  - set_aside: dis-1\n", r"acme\.yml:2: set_aside dis-1 has no reason; add `reason: <why>`"),
    ("decisions:\n  - set_aside: dis-1\n    colour: red\n    reason: x\n", r"acme\.yml:3: set_aside has no field 'colour'"),
    ("decisions:\n  - relabel: fig-a-1\n    label: estimate\n    reason: x\n", r"acme\.yml:2: relabel fig-a-1: a figure has no 'label'; use: measure, subject"),
    ("decisions:\n  - relabel: clm-1\n    label: very_true\n    reason: x\n", r"label 'very_true' is not known; use one of: allegation"),
    ("decisions:\n  - correct_article: a1\n    published: last May\n    reason: x\n", r"acme\.yml:2: correct_article: published 'last May' is not a date"),
    ("claims: []\n", r"acme\.yml:1: the file must hold one key, `decisions:`"),
])
def test_a_malformed_file_gets_one_line_naming_file_line_and_fix(text, expected):
    with pytest.raises(decisions.DecisionError) as err:
        _parse(text)
    message = str(err.value)
    assert "\n" not in message and re.search(expected, message), message


def test_check_cli_stops_with_one_line_and_copies_only_on_change(tmp_path, capsys):
    source, copy = tmp_path / "acme.yml", tmp_path / "build" / "review.yml"
    source.write_text("decisions:\n  - pin: clm-1\n", encoding="utf-8")
    assert check_main([str(source), str(copy)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "acme.yml:2: pin clm-1 has no reason" in err and not copy.exists()
    assert check_main([str(tmp_path / "none.yml"), str(copy)]) == 0
    assert copy.read_text(encoding="utf-8") == decisions.NO_DECISIONS
    before = copy.stat().st_mtime_ns
    assert check_main([str(tmp_path / "none.yml"), str(copy)]) == 0
    assert copy.stat().st_mtime_ns == before          # unchanged: make does not rerun
    articles = tmp_path / "articles"
    articles.mkdir()
    inside = articles / "review.yml"
    inside.write_text("decisions: []\n", encoding="utf-8")
    assert check_main([str(inside), str(copy), str(articles)]) == 1
    assert "inside ARTICLES" in capsys.readouterr().err


def _tables() -> dict[str, pd.DataFrame]:
    q = {"article_id": "a", "start": 0, "end": 10, "quote": "Acme said."}
    return {
        "figures": pd.DataFrame([{"figure_id": "fig-k-1", "mention": "$5 million", "measure": "training_cost",
                                  "subject": "Acme", "resolved": True, **q, "mention_start": 2, "mention_end": 5},
                                 {"figure_id": "fig-k-7", "mention": "$9 million", "measure": "training_cost",
                                  "subject": "Acme", "resolved": True, **q, "mention_start": 6, "mention_end": 9}]),
        "claims": pd.DataFrame([{"claim_id": "clm-1", "kind": "figure", "summary": "cost", "label": "single_source",
                                 "speaker": "", "n_sources": 2, "n_independent": 2, "article_ids": "a;b", **q},
                                {"claim_id": "clm-2", "kind": "figure", "summary": "cost 9", "label": "single_source",
                                 "speaker": "", "n_sources": 1, "n_independent": 1, "article_ids": "a", **q}]),
        "claim_sources": pd.DataFrame([{"claim_id": "clm-1", **q, "independent": True, "item_id": "fig-k-1"},
                                       {"claim_id": "clm-1", **{**q, "article_id": "b"}, "independent": True,
                                        "item_id": "fig-b-1"},
                                       {"claim_id": "clm-2", **q, "independent": True, "item_id": "fig-k-7"}]),
        "disagreements": pd.DataFrame([{"disagreement_id": "dis-1", "side": "A", "what": "cost: 5 vs 9",
                                        "measure": "training_cost", "subject": "Acme", "figure_id": "fig-k-1", **q},
                                       {"disagreement_id": "dis-1", "side": "B", "what": "cost: 5 vs 9",
                                        "measure": "training_cost", "subject": "Acme", "figure_id": "fig-k-7", **q}]),
        "entities": pd.DataFrame([{"entity_id": "e1", "name": "High Flyer", "aliases": "", "n_mentions": 1},
                                  {"entity_id": "e2", "name": "High-Flyer", "aliases": "", "n_mentions": 2}]),
        "statements": pd.DataFrame([{"statement_id": "stm-k-3", "speaker": "High Flyer", "stance": "reported_fact",
                                     "is_doubt": True, **q}]),
        "articles": pd.DataFrame([{"article_id": "a", "outlet": "", "outlet_status": "unknown", "included": True}]),
        "notes": pd.DataFrame(columns=["file", "problem", "action", "severity"]),
    }


def _decide(text: str, tables=None, sections=("costs",)):
    return apply.apply_decisions(tables or _tables(), _parse("decisions:\n" + text), sections)


def test_setting_aside_a_figure_takes_it_out_of_claims_and_disagreements():
    done = _decide("  - set_aside: fig-k-7\n    reason: a typo\n")
    t = done.tables
    assert list(t["figures"]["figure_id"]) == ["fig-k-1"]
    assert list(t["claims"]["claim_id"]) == ["clm-1"]          # clm-2 had no other source
    assert t["disagreements"].empty                             # one side left: no dispute
    assert [(s.kind, s.item_id, s.what, s.reason) for s in done.set_aside] == \
        [("figure", "fig-k-7", "$9 million", "a typo")]


def test_a_claim_keeps_its_other_sources_and_is_recounted():
    done = _decide("  - set_aside: fig-k-1\n    reason: wrong\n")
    claim = done.tables["claims"].set_index("claim_id").loc["clm-1"]
    assert claim["n_sources"] == 1 and claim["article_ids"] == "b"


def test_relabel_merge_correct_note_pin_and_unmatched():
    done = _decide("""  - relabel: stm-k-3
    is_doubt: false
    reason: praise
  - relabel: fig-k-1
    measure: other
    reason: not a cost
  - merge_names: High Flyer
    into: High-Flyer
    reason: one fund
  - correct_article: a
    outlet: Reuters
    reason: byline
  - note: costs
    text: Final run only.
  - note: nowhere
    text: lost
  - pin: clm-2
    reason: key
  - drop: dis-1
    reason: not a judgment
  - confirm: clm-404
    reason: gone
""")
    t = done.tables
    assert not t["statements"]["is_doubt"].iloc[0] and t["statements"]["speaker"].iloc[0] == "High-Flyer"
    assert not t["figures"].set_index("figure_id").at["fig-k-1", "resolved"]
    assert list(t["entities"]["name"]) == ["High-Flyer"] and t["entities"]["aliases"].iloc[0] == "High Flyer"
    assert t["entities"]["n_mentions"].iloc[0] == 3
    art = t["articles"].iloc[0]
    assert (art["outlet"], art["outlet_status"]) == ("Reuters", apply.CORRECTED)
    assert done.notes == {"costs": ["Final run only."]} and done.pinned == ["clm-2"]
    assert [d.name for d, _why in done.unmatched] == ["note nowhere", "drop dis-1", "confirm clm-404"]
    notes = t["notes"]
    assert len(notes) == 3 and set(notes["severity"]) == {"warning"}
    assert "confirm clm-404" in notes["problem"].iloc[2] and "(line 22)" in notes["problem"].iloc[2]


def test_the_same_decisions_give_the_same_tables():
    text = "  - set_aside: fig-k-7\n    reason: a typo\n  - note: costs\n    text: x\n"
    a, b = _decide(text), _decide(text)
    for name in a.tables:
        pd.testing.assert_frame_equal(a.tables[name], b.tables[name])


@pytest.fixture
def stub_run(tmp_path, monkeypatch):
    """A run whose evidence is the small tables above, written as parquet in a build folder."""
    (tmp_path / "articles").mkdir()
    (tmp_path / "articles" / "a.txt").write_text("Acme said.", encoding="utf-8")
    run = run_mod.open_run("Acme", str(tmp_path / "articles"), "", str(tmp_path / "reports"),
                           str(tmp_path / "build"))
    for name, frame in _tables().items():
        path = run.run_paths.table(name, "interim" if name == "articles" else "processed")
        path.parent.mkdir(parents=True, exist_ok=True)
        frame.to_parquet(path)
    monkeypatch.setattr(decisions, "default_path", lambda company: tmp_path / "review" / "acme.yml")
    return run


def test_the_api_writes_a_stable_file_keeps_the_header_and_checks_ids(stub_run, tmp_path):
    path = tmp_path / "review" / "acme.yml"
    path.parent.mkdir()
    path.write_text("# Acme review, kept by the analyst\ndecisions:\n", encoding="utf-8")
    review.note("costs", "Final run only.")
    review.set_aside("fig-k-7", "a typo")
    review.relabel("stm-k-3", "praise", is_doubt=False)
    review.set_aside("fig-k-7", "a typo in the figure")      # replaces the first one
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# Acme review, kept by the analyst\ndecisions:\n- set_aside: fig-k-7\n")
    assert text.count("fig-k-7") == 1 and "a typo in the figure" in text
    assert [d.kind for d in decisions.load(path).decisions] == ["set_aside", "relabel", "note"]
    assert stub_run.run_paths.review.read_text(encoding="utf-8") == text     # the build's copy
    with pytest.raises(ValueError, match="'fig-k-9'"):
        review.set_aside("fig-k-9", "no such figure")
    with pytest.raises(ValueError, match="'Nobody'"):
        review.merge_names("Nobody", "Acme", "no such entity")
    with pytest.raises(ValueError, match="'zz'"):
        review.correct_article("zz", "no such article", outlet="Reuters")
    assert path.read_text(encoding="utf-8") == text
    done = review.reviewed(stub_run)
    assert [s.item_id for s in done.set_aside] == ["fig-k-7"] and not done.unmatched


DECISIONS = """# Seed review (test)
decisions:
  - set_aside: {dis}
    reason: "a general remark, not a doubt"
  - set_aside: {fig}
    reason: "the fund's chips, not the company's"
  - relabel: {claim}
    label: estimate
    reason: "an outside estimate"
  - pin: {pin}
    reason: "downloads matter"
  - note: costs
    text: "Costs <b>cover</b> the final run only."
  - correct_article: {article}
    outlet: Reuters
    reason: "the byline says so"
  - set_aside: dis-00000000
    reason: "an id that is not there"
"""


@pytest.mark.build
def test_a_seed_build_applies_the_decisions_and_shows_them(tmp_path):
    project = project_copy(tmp_path / "project")
    first = run_make(cwd=project)
    evidence = project / "reports" / "evidence"
    # the seeds disagree on nothing ("20 to 50" and "20 to 40 times" overlap): the set-aside
    # item is a doubt (this test set aside the seed's price-gap dispute before ranges agreed)
    stm = pd.read_csv(evidence / "statements.csv")
    doubt = stm[stm["is_doubt"] & stm["quote"].str.contains("publicly expressed scepticism")].iloc[0]
    figs = pd.read_csv(evidence / "figures.csv")
    claims = pd.read_csv(evidence / "claims.csv")
    fig = figs[figs["measure"] == "chip_count"]["figure_id"].iloc[0]
    claim = claims[claims["label"] == "single_source"]["claim_id"].iloc[0]
    pin = claims[claims["kind"] == "figure"]["claim_id"].iloc[-1]
    values = {"dis": doubt["statement_id"], "fig": fig, "claim": claim, "pin": pin,
              "article": sorted(pd.read_csv(evidence / "articles.csv")["article_id"])[1]}
    review_file = project / "data" / "review" / "deepseek.yml"
    review_file.parent.mkdir(parents=True)
    review_file.write_text(DECISIONS.format(**values), encoding="utf-8")
    built = run_make(cwd=project)
    assert "ran 01_evidence" not in built.stdout and "ran 90_sources" in built.stdout
    assert "review: 6 decisions applied, 1 not matched" in built.stdout
    assert "decision `set_aside dis-00000000` (line 17) not applied" in built.stdout
    page = (project / "reports" / "briefing.html").read_text(encoding="utf-8")
    assert page.count('class="analyst-note"') == 1
    assert "Costs &lt;b&gt;cover&lt;/b&gt; the final run only." in page
    assert "pinned by analyst" in page and "Reuters (corrected by analyst)" in page
    review_part = page[page.index('id="sources-review"'):page.index('id="sources-data-notes"')]
    assert values["dis"] in review_part and values["fig"] in review_part
    assert "a general remark, not a doubt" in review_part
    assert "Analyst&#39;s decisions: 6 applied, 1 not matched" in page     # the colophon
    assert "set_aside dis-00000000" in page                      # the data notes name it
    # same inputs + decisions -> same bytes; unchanged decisions -> nothing reruns
    html, pdf = page, (project / "reports" / "briefing.pdf").read_bytes()
    again = run_make(cwd=project)
    assert "ran" not in again.stdout
    shutil.rmtree(project / "build")
    run_make(cwd=project)
    assert (project / "reports" / "briefing.html").read_text(encoding="utf-8") == html
    assert (project / "reports" / "briefing.pdf").read_bytes() == pdf
    # a malformed file: one line, nothing built
    review_file.write_text("decisions:\n  - set_aside: x\n", encoding="utf-8")
    bad = run_make(cwd=project, check=False)
    assert bad.returncode != 0 and "ran " not in bad.stdout
    errors = [line for line in bad.stderr.splitlines() if line.startswith("error:")]
    assert errors == ["error: data/review/deepseek.yml:2: set_aside x has no reason; "
                      "add `reason: <why>` to the decision"], bad.stderr
    assert first.returncode == 0
