"""Editions: each build's record kept by AS_OF, and what changed since the latest earlier one."""
import csv
import json
import re
from datetime import date

import pandas as pd
import pytest
from pypdf import PdfReader

from conftest import ROOT, run_make
from newsbrief.briefing import editions as E

NEW_ARTICLE = "000_7beb9e1193c8c2f4"   # the seed article dated 2025-01-28; the others are 2025-01-27 or undated


def _record(**tables):
    """A record with the given tables (lists of dicts); the others empty."""
    return {name: pd.DataFrame(tables.get(name, []), columns=cols).astype(str)
            for name, cols in E.RECORD_COLUMNS.items()}


def _art(key, aid, source="Article 1", published=""):
    return {"article_key": key, "article_id": aid, "source": source, "title": "", "published": published}


BEFORE = _record(
    articles=[_art("k1", "a"), _art("k2", "b")],
    judgments=[{"rank": 1, "text": "Kept", "label": "single source", "claim": "figure|price", "spans": "k1:0:10"},
               {"rank": 2, "text": "Dropped", "label": "single source", "claim": "figure|users", "spans": "k2:5:9"},
               {"rank": 3, "text": "Relabelled", "label": "single source", "claim": "statement|X", "spans": "k1:20:30"},
               {"rank": 4, "text": "Same quote, other claim", "label": "disputed", "claim": "figure|chips",
                "spans": "k1:40:50"}],
    claims=[{"claim_id": "c1", "label": "single_source", "summary": "old", "article_keys": "k1"}],
    figures=[{"measure": "price", "subject": "Co", "event": "", "values": "$1", "article_keys": "k1"},
             {"measure": "users", "subject": "Co", "event": "", "values": "5 million", "article_keys": "k1"}],
    disagreements=[{"measure": "price", "subject": "Co", "when": "", "what": "price: $1 vs $2", "article_keys": "k1;k2"}],
    events=[{"event_id": "e1", "date": "2024-01-01", "date_end": "2024-12-31", "precision": "year",
             "what": "old event", "article_keys": "k1"}],
)
NOW = _record(
    articles=[_art("k1", "a2"), _art("k3", "c", "Reuters", "2025-01-28")],   # k2 left out, k3 new
    judgments=[{"rank": 1, "text": "Kept, reworded", "label": "single source", "claim": "figure|price",
                "spans": "k1:0:10;k3:1:4"},
               {"rank": 2, "text": "Relabelled", "label": "2 sources", "claim": "statement|Y", "spans": "k1:20:30"},
               {"rank": 3, "text": "Brand new", "label": "single source", "claim": "figure|users", "spans": "k3:50:60"},
               {"rank": 4, "text": "An allegation", "label": "allegation", "claim": "statement|Z",
                "spans": "k1:40:50"}],
    claims=[{"claim_id": "x1", "label": "multi_source", "summary": "old, more support", "article_keys": "k1;k3"},
            {"claim_id": "x2", "label": "single_source", "summary": "new", "article_keys": "k3"}],
    figures=[{"measure": "price", "subject": "Co", "event": "", "values": "$1;$3", "article_keys": "k1;k3"},
             {"measure": "users", "subject": "Co", "event": "", "values": "5 million", "article_keys": "k1;k3"}],
    disagreements=[{"measure": "users", "subject": "Co", "when": "", "what": "users: 5 vs 9 million", "article_keys": "k1;k3"}],
    events=[{"event_id": "e9", "date": "2024-01-01", "date_end": "2024-12-31", "precision": "year",
             "what": "old event", "article_keys": "k1;k3"},
            {"event_id": "e10", "date": "2025-01-27", "date_end": "2025-01-27", "precision": "day",
             "what": "new event", "article_keys": "k3"}],
)


def test_changes_are_matched_by_content_not_by_ids_or_rows():
    changes = E.compare(BEFORE, NOW)
    assert [a["article_key"] for a in changes.new_articles] == ["k3"]
    assert [a["article_key"] for a in changes.dropped_articles] == ["k2"], "renamed a -> a2 is not new"
    assert [j["text"] for j in changes.new_judgments] == ["Brand new", "An allegation"]
    assert [j["text"] for j in changes.dropped_judgments] == ["Dropped", "Same quote, other claim"], \
        "a judgment on the same quote about another claim is another judgment"
    assert [(b["label"], n["label"]) for b, n in changes.relabelled_judgments] == [("single source", "2 sources")]
    assert [c["claim_id"] for c in changes.new_claims] == ["x2"], "a claim with an old source is not new"
    assert [(b["values"], n["values"]) for b, n in changes.changed_figures] == [("$1", "$1;$3")]
    assert [d["what"] for d in changes.new_disagreements] == ["users: 5 vs 9 million"]
    assert [d["what"] for d in changes.settled_disagreements] == ["price: $1 vs $2"]
    assert [e["event_id"] for e in changes.new_events] == ["e10"]


def test_the_same_record_has_no_changes():
    assert not E.compare(NOW, NOW)
    assert E.compare(BEFORE, NOW)


def _edition(editions_dir, day, company="DeepSeek", complete=True):
    folder = editions_dir / day
    E.write_record(folder, NOW, company, date.fromisoformat(day))
    if not complete:
        (folder / E.RECORD_FILE).unlink()
    return folder


def test_the_latest_complete_edition_before_as_of_of_the_same_company_is_used(tmp_path):
    eds = tmp_path / "editions"
    _edition(eds, "2025-01-20")
    _edition(eds, "2025-01-25")
    _edition(eds, "2025-01-26", company="Other Co")
    _edition(eds, "2025-01-27", complete=False)       # interrupted while being written
    _edition(eds, "2025-01-28")                       # this build's own date: not earlier
    (eds / "notes").mkdir()
    chosen = E.previous_edition(eds, "DeepSeek", date(2025, 1, 28))
    assert chosen == (date(2025, 1, 25), eds / "2025-01-25")
    assert E.previous_edition(eds, "  DeepSeek ", date(2025, 1, 28)) == chosen, "names as the parameter check leaves them"
    assert E.previous_edition(eds, "DeepSeek", date(2025, 1, 20)) is None
    assert E.previous_edition(eds, "DeepSeek", None) is None, "an undated briefing compares with nothing"


def test_fingerprint_names_the_edition_and_changes_with_its_files(tmp_path):
    eds = tmp_path / "editions"
    assert E.fingerprint(eds, "DeepSeek", date(2025, 1, 28)) == "no earlier edition\n"
    folder = _edition(eds, "2025-01-27")
    first = E.fingerprint(eds, "DeepSeek", date(2025, 1, 28))
    assert first.startswith("edition 2025-01-27\n") and "judgments.csv" in first
    (folder / "claims.csv").write_text("claim_id\n", encoding="utf-8")
    assert E.fingerprint(eds, "DeepSeek", date(2025, 1, 28)) != first


def test_record_files_are_deterministic_and_read_back_equal(tmp_path):
    E.write_record(tmp_path / "a", NOW, "DeepSeek", date(2025, 1, 28))
    E.write_record(tmp_path / "b", NOW, "DeepSeek", date(2025, 1, 28))
    for name in [*E.RECORD_COLUMNS, E.RECORD_FILE]:
        ext = "" if name == E.RECORD_FILE else ".csv"
        assert (tmp_path / "a" / f"{name}{ext}").read_bytes() == (tmp_path / "b" / f"{name}{ext}").read_bytes()
    back = E.read_record(tmp_path / "a")
    assert not E.compare(back, NOW)
    assert json.loads((tmp_path / "a" / E.RECORD_FILE).read_text())["as_of"] == "2025-01-28"


# ---------------------------------------------------------------- two editions of the seeds

def _since_text(page: str) -> str:
    start = page.find('id="since-last-edition"')
    assert start > 0, "no 'Since the edition' block"
    end = page.index('<h2 id="front"', start)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page[start:end]))


@pytest.fixture(scope="module")
def two_editions(tmp_path_factory):
    """The seeds as of 2025-01-27 (four articles: the fifth is dated 2025-01-28), then all five,
    into one reports folder; returns (reports, the first edition's briefing and record files)."""
    tmp = tmp_path_factory.mktemp("editions")
    reports = tmp / "reports"
    args = [f"ARTICLES={ROOT / 'data' / 'articles'}", f"REPORTS={reports}", f"BUILD_ROOT={tmp / 'build'}"]
    run_make("AS_OF=2025-01-27", *args)
    first = {"briefing.html": (reports / "briefing.html").read_text(encoding="utf-8")}
    first |= {p.name: p.read_bytes() for p in (reports / "editions" / "2025-01-27").iterdir()}
    run_make(*args)
    return reports, args, first


@pytest.mark.build
def test_the_first_edition_has_no_what_changed_block(two_editions):
    _, _, first = two_editions
    assert "since-last-edition" not in first["briefing.html"] and "Since the edition" not in first["briefing.html"]
    assert json.loads(first[E.RECORD_FILE]) == {"as_of": "2025-01-27", "company": "DeepSeek", "tables": {
        name: len(list(csv.reader(first[f"{name}.csv"].decode().splitlines()))) - 1 for name in E.RECORD_COLUMNS}}


@pytest.mark.build
def test_the_second_edition_opens_with_the_new_article_and_its_new_claims(two_editions):
    reports, _, _ = two_editions
    page = (reports / "briefing.html").read_text(encoding="utf-8")
    since = _since_text(page)
    assert page.index('id="since-last-edition"') < page.index('id="front"'), "the front page opens with it"
    assert "Since the edition of 27 Jan 2025" in since and "editions/2025-01-27" in since
    assert "New articles (1" in since and "28 Jan 2025" in since
    claims = pd.read_csv(reports / "evidence" / "claims.csv", dtype=str, keep_default_na=False)
    only_new = claims[claims["article_ids"] == NEW_ARTICLE]
    assert len(only_new) > 3 and f"New claims ({len(only_new)}; the first 3 listed)" in since
    first_new = E.read_record(reports / "editions" / "2025-01-28")["claims"]
    assert set(first_new[first_new["claim_id"].isin(only_new["claim_id"])]["claim_id"]) == set(only_new["claim_id"])
    pdf = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(reports / "briefing.pdf").pages[:2])
    assert "Since the edition of 27 Jan 2025" in pdf and f"New claims ({len(only_new)}" in pdf


@pytest.mark.build
def test_make_reruns_the_sections_when_the_earlier_edition_changes_and_only_then(two_editions):
    reports, args, _ = two_editions
    assert "ran " not in run_make(*args).stdout, "the edition just written is not an input of its own build"
    claims = reports / "editions" / "2025-01-27" / "claims.csv"
    lines = claims.read_text(encoding="utf-8").splitlines(keepends=True)
    claims.write_text("".join(lines[:-1]), encoding="utf-8")       # one claim fewer in the earlier edition
    ran = set(re.findall(r"ran (\w+)\.ipynb", run_make(*args).stdout))
    assert "10_front" in ran and "01_evidence" not in ran
    assert "New claims (" in _since_text((reports / "briefing.html").read_text(encoding="utf-8"))


@pytest.mark.build
def test_a_past_edition_rebuilds_to_the_same_record_and_briefing(two_editions):
    reports, args, first = two_editions
    run_make("AS_OF=2025-01-27", *args)
    for name, data in first.items():
        if name != "briefing.html":
            assert (reports / "editions" / "2025-01-27" / name).read_bytes() == data, name
    assert (reports / "briefing.html").read_text(encoding="utf-8") == first["briefing.html"]
    assert (reports / "editions" / "2025-01-28" / E.RECORD_FILE).exists(), "later editions are kept"
