"""Evidence ids come from content: adding an article leaves the ids of everything it does not
touch alone, and renaming or reordering the files changes no id."""
from __future__ import annotations

import shutil

import pytest

from conftest import ROOT
from newsbrief import ids
from newsbrief.evidence import layer
from newsbrief.ingest import corpus

SEEDS = sorted((ROOT / "data" / "articles").glob("*.txt"))
ID_COLUMNS = {"sentences": "sentence_id", "figures": "figure_id", "dates": "date_id",
              "statements": "statement_id", "claims": "claim_id", "events": "event_id",
              "disagreements": "disagreement_id", "series": "series_id"}


def test_item_ids_read_kind_key_offset():
    key = ids.text_key("Acme raised $5 million.")
    assert ids.item_id("snt", key, 0) == f"snt-{key}-0"
    assert ids.child_id(f"snt-{key}-0", "fig", 12) == f"fig-{key}-12"
    assert len(key) == 8 and int(key, 16) >= 0


def test_article_keys_resolve_collisions_deterministically(monkeypatch):
    texts = {"b": "same text", "a": "same text", "c": "other text"}
    keys = ids.article_keys(texts)
    assert keys["a"] == ids.text_key("same text") and keys["b"] == keys["a"] + "a"
    assert keys["c"] == ids.text_key("other text")
    # two different texts whose short keys collide get longer keys, both of them
    monkeypatch.setattr(ids, "SHORT", 1)
    first = {"x": "alpha", "y": "beta"}
    while ids.text_key(first["x"]) != ids.text_key(first["y"]):
        first["y"] += "!"
    got = ids.article_keys(first)
    assert len(got["x"]) == len(got["y"]) == 2 and got["x"] != got["y"]


def test_group_ids_ignore_member_order_and_separate_collisions(monkeypatch):
    one, two = ids.group_ids("clm", [["fig-a-1", "fig-b-2"], ["fig-b-2", "fig-a-1", "fig-a-1"]])
    assert one.startswith("clm-") and len(one) == 12 and two == one + ".2"
    monkeypatch.setattr(ids, "SHORT", 1)
    lists = [["m0"], ["m1"]]
    while ids.group_ids("x", [lists[0]])[0] != ids.group_ids("x", [lists[1]])[0]:
        lists[1] = [lists[1][0] + "'"]
    a, b = ids.group_ids("x", lists)
    assert a != b and len(a) == len(b) == len("x-") + 2


def _ids(articles_dir) -> dict[str, dict[str, frozenset]]:
    """table -> id -> the articles it draws on (by content key, not file name)."""
    arts, _notes = corpus.load_articles(articles_dir, "DeepSeek")
    tables = layer.build_evidence(arts, "DeepSeek")
    inc = arts[arts["included"]]
    key_of = ids.article_keys(dict(zip(inc["article_id"], inc["text"])))
    out = {}
    for name, col in ID_COLUMNS.items():
        df = tables[name]
        many = "article_ids" in df.columns
        by_id: dict[str, set] = {}
        for r in df.to_dict("records"):
            aids = corpus_ids(r["article_ids"]) if many else [r["article_id"]]
            by_id.setdefault(r[col], set()).update(key_of[a] for a in aids)
        out[name] = {k: frozenset(v) for k, v in by_id.items()}
    return out


def corpus_ids(joined: str) -> list[str]:
    return [a for a in str(joined).split(";") if a]


@pytest.fixture(scope="module")
def three_builds(tmp_path_factory):
    """Four seed articles; the same plus the fifth; all five under other, reordered names."""
    root = tmp_path_factory.mktemp("stable")
    four, five, renamed = root / "four", root / "five", root / "renamed"
    for d in (four, five, renamed):
        d.mkdir()
    for i, path in enumerate(SEEDS):
        if i < 4:
            shutil.copy(path, four / path.name)
        shutil.copy(path, five / path.name)
        shutil.copy(path, renamed / f"{len(SEEDS) - i:02d}_renamed.txt")
    return _ids(four), _ids(five), _ids(renamed), ids.text_key(SEEDS[4].read_text(encoding="utf-8"))


def test_renaming_and_reordering_files_changes_no_id(three_builds):
    _four, five, renamed, _new = three_builds
    for name in ID_COLUMNS:
        assert renamed[name] == five[name], name


def test_adding_an_article_keeps_the_ids_of_what_it_does_not_touch(three_builds):
    four, five, _renamed, new_key = three_builds
    for name in ID_COLUMNS:
        untouched = {i: keys for i, keys in five[name].items() if new_key not in keys}
        kept = {i: four[name].get(i) for i in untouched}
        assert kept == untouched, name
    # the per-article items of the four old articles do not depend on the fifth
    for name in ("sentences", "figures", "dates"):
        assert set(four[name]) <= set(five[name]), name
    assert len(five["claims"]) > 10 and five["events"]
