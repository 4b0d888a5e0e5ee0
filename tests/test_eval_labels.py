"""Every hand-labelled corpus (seeds, dev, held out): labels that point at real text.

A label whose mention or quote is not verbatim in its article is a typo that would silently
lower (or raise) a score, so these checks run over every corpus under data/eval/.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from newsbrief.dev import scorecard
from newsbrief.ingest import corpus as ingest_corpus

CORPORA = scorecard.discover_corpora()
IDS = [f"{c.group}/{c.name}" for c in CORPORA]
VERBATIM = {"figures": "mention", "not_figures": "mention", "statements": "quote",
            "dates": "mention", "unresolvable_dates": "mention"}


def _texts(folder: Path) -> dict[str, str]:
    return {p.stem: ingest_corpus.read_article_text(p) for p in ingest_corpus.discover(folder)}


def test_the_eval_data_has_every_group():
    assert {c.group for c in CORPORA} == set(scorecard.GROUPS)


@pytest.mark.parametrize("corpus", CORPORA, ids=IDS)
def test_labelled_articles_are_the_corpus_files(corpus):
    texts = _texts(corpus.folder)
    assert set(corpus.labels.get("articles") or {}) == set(texts), corpus.folder
    assert corpus.company, f"{corpus.folder}: labels need `company`"


@pytest.mark.parametrize("corpus", CORPORA, ids=IDS)
def test_mentions_and_quotes_are_verbatim(corpus):
    texts = _texts(corpus.folder)
    bad = [(table, row.get("article_id"), row.get(key))
           for table, key in VERBATIM.items() for row in corpus.labels.get(table) or []
           if row.get(key) not in texts.get(str(row.get("article_id")), "")]
    assert not bad, f"{corpus.folder}: not verbatim in the article: {bad[:5]}"


@pytest.mark.parametrize("corpus", CORPORA, ids=IDS)
def test_label_references_and_ranges(corpus):
    ids = set(corpus.labels.get("articles") or {})
    for row in corpus.labels.get("figures") or []:
        assert row["low"] <= row["value"] <= row["high"], row
    for row in corpus.labels.get("disagreements") or []:
        sides = row["sides"]
        assert sides.get("A") and sides.get("B"), row
        assert set(sides["A"]) | set(sides["B"]) <= ids, row
    for row in corpus.labels.get("not_disagreements") or []:
        assert set(row["article_ids"]) <= ids, row
    for row in corpus.labels.get("key_facts") or []:
        assert row["article_ids"] and set(row["article_ids"]) <= ids, row
    for row in corpus.labels.get("statements") or []:
        if "is_doubt" in row:
            assert isinstance(row["is_doubt"], bool), row
