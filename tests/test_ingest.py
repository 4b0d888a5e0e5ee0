"""newsbrief.ingest.corpus on the seed corpus and on small hand-made folders."""
from __future__ import annotations

import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from newsbrief.ingest import corpus
from newsbrief.ingest.corpus import (ArticleRejected, article_columns, company_pattern, discover,
                                     load_articles, make_article_ids, read_article_text,
                                     read_metadata)
from newsbrief.ingest.infer_meta import guess_title

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "data" / "articles"
SEED_IDS = ["000_7beb9e1193c8c2f4", "001_7838c9a9bb2bc682", "002_66c7d7ed63cf9e67",
            "003_f13f08bdc50d386a", "004_a42a2dac6675b702"]


@pytest.fixture(scope="module")
def seeds():
    return load_articles(SEEDS, "DeepSeek")


def test_discover_seeds_sorted_and_metadata_excluded():
    found = discover(SEEDS)
    assert [p.stem for p in found] == SEED_IDS
    assert all(p.suffix == ".txt" for p in found)


def test_seed_table_contract(seeds):
    df, _notes = seeds
    assert list(df.columns) == list(article_columns())
    assert df["article_id"].tolist() == SEED_IDS
    assert df["included"].all()
    assert (df["n_chars"] == df["text"].str.len()).all()
    for fld in corpus.META_FIELDS:
        assert set(df[f"{fld}_status"]) <= set(corpus.STATUSES)
        # never a value without a status saying where it came from, never "unknown" with a value
        unknown = df[f"{fld}_status"] == "unknown"
        assert (df.loc[unknown, fld] == "").all()
        assert (df.loc[~unknown, fld] != "").all()


def test_seed_text_is_decoded_file(seeds):
    df, _ = seeds
    for _, row in df.iterrows():
        raw = (SEEDS / row["path"]).read_bytes()
        assert row["text"] == raw.decode("utf-8") == read_article_text(SEEDS / row["path"])


def test_seed_metadata_honest(seeds):
    df, notes = seeds
    by_id = df.set_index("article_id")
    first = by_id.loc["000_7beb9e1193c8c2f4"]
    assert (first["published"], first["published_status"]) == ("2025-01-28", "stated")
    assert (first["title"], first["title_status"]) == ("", "unknown")
    assert (by_id["outlet_status"] == "unknown").all()  # no seed states its outlet
    assert (by_id["url_status"] == "unknown").all()
    fifth = by_id.loc["004_a42a2dac6675b702"]
    assert fifth["published_status"] == "inferred" and "January 27" in fifth["note"]
    assert fifth["title"] in fifth["text"]
    assert by_id.loc["001_7838c9a9bb2bc682", "title"] == by_id.loc[
        "001_7838c9a9bb2bc682", "text"].splitlines()[0]
    assert not [n for n in notes if n.severity != "info"]


def test_title_from_text():
    assert guess_title("DeepSeek: The AI Revolution!\n\nBody text here.") == (
        "DeepSeek: The AI Revolution!", "inferred")
    assert guess_title("Premium\n\nHow DeepSeek won\n\nBody.") == ("", "unknown")
    assert guess_title("A long first sentence that ends with a period.\nMore.") == ("", "unknown")
    assert guess_title(" date 2025-01-28 BEIJING: Chinese startup\n\nx") == ("", "unknown")
    assert guess_title("# DeepSeek opens up\n\nBody", "markdown") == ("DeepSeek opens up", "stated")


def test_article_ids_safe_unique_stable():
    rels = ["000_abc.txt", "a/dup.txt", "b/dup.md", "name with spaces.txt", "été.txt",
            "ok-name.v2.html"]
    ids = make_article_ids(rels)
    assert ids == make_article_ids(list(rels))
    assert ids["000_abc.txt"] == "000_abc"
    assert ids["ok-name.v2.html"] == "ok-name.v2"
    assert ids["a/dup.txt"] != ids["b/dup.md"] and ids["a/dup.txt"].startswith("dup-")
    assert ids["name with spaces.txt"].startswith("name-with-spaces-")
    assert ids["été.txt"].startswith("ete-")
    assert len(set(ids.values())) == len(rels)
    assert all(corpus._SAFE_ID.match(i) for i in ids.values())


def test_company_pattern_variants():
    rx = company_pattern("DeepSeek")
    for text in ["DeepSeek's model", "deepseek-v3", "#DeepSeek fears", "Deep Seek", "DEEPSEEK"]:
        assert rx.search(text), text
    assert not rx.search("DeepSeeker is different")
    rx2 = company_pattern("Mistral AI", aliases=["Mistral"])
    assert rx2.search("MistralAI") and rx2.search("Mistral said")
    meta = company_pattern("Meta")
    assert not meta.search("metadata") and meta.search("Meta's model")


def test_exact_duplicate_and_company_and_as_of(tmp_path):
    art = tmp_path / "a"
    art.mkdir()
    (art / "01.txt").write_text(" date 2025-01-10 X: DeepSeek news.\n", encoding="utf-8")
    (art / "02.txt").write_text("  DATE 2025-01-10 x:   deepseek NEWS.\r\n", encoding="utf-8")
    (art / "03.txt").write_text("Nothing about the company.\n", encoding="utf-8")
    (art / "04.txt").write_text(" date 2025-02-10 X: DeepSeek later.\n", encoding="utf-8")
    (art / "05.txt").write_text("DeepSeek undated.\n", encoding="utf-8")
    df, notes = load_articles(art, "DeepSeek", as_of=date(2025, 1, 31))
    by = df.set_index("article_id")
    assert by.loc["02", "duplicate_of"] == "01" and not by.loc["02", "included"]
    assert not by.loc["03", "included"] and "does not mention" in by.loc["03", "skip_reason"]
    assert not by.loc["04", "included"] and "after AS_OF" in by.loc["04", "skip_reason"]
    assert by.loc["05", "included"] and by.loc["01", "included"]
    files = {n.file for n in notes}
    assert {"02.txt", "03.txt", "04.txt", "05.txt"} <= files
    assert corpus.newest_date(df) == date(2025, 1, 10)
    df2, _ = load_articles(art, "DeepSeek", as_of=None)
    assert df2.set_index("article_id").loc["04", "included"]


def test_metadata_overrides_text(tmp_path):
    (tmp_path / "a.txt").write_text(" date 2025-01-10 X: DeepSeek news.\n", encoding="utf-8")
    (tmp_path / "metadata.yml").write_text(
        "a.txt:\n  published: 2025-01-09\n  published_status: inferred\n"
        "  title: Given title\n  outlet: Wire\n  outlet_status: unknown\n  note: checked by hand\n",
        encoding="utf-8")
    df, notes = load_articles(tmp_path, "DeepSeek")
    row = df.iloc[0]
    assert (row["published"], row["published_status"]) == ("2025-01-09", "inferred")
    assert (row["title"], row["title_status"]) == ("Given title", "stated")
    assert (row["outlet"], row["outlet_status"]) == ("", "unknown")
    assert row["note"].startswith("checked by hand")
    assert any("marked unknown" in n.problem for n in notes)


def test_metadata_yaml_list_form(tmp_path):
    (tmp_path / "a.txt").write_text("DeepSeek news.\n", encoding="utf-8")
    meta = tmp_path / "metadata.yml"
    meta.write_text("- file: a.txt\n  url: https://example.com/a\n", encoding="utf-8")
    fields, notes, name = read_metadata(tmp_path, ["a.txt"])
    assert fields == {"a.txt": {"url": "https://example.com/a", "url_status": "stated"}}
    assert notes == [] and name == "metadata.yml"


def test_outlet_inferred_only_from_real_clues(tmp_path):
    (tmp_path / "r.txt").write_text("BEIJING, Jan 28 (Reuters) - DeepSeek said ...\n",
                                    encoding="utf-8")
    (tmp_path / "c.txt").write_text("DeepSeek logo. (Image: Reuters)\n\nStory continues below "
                                    "this ad\n", encoding="utf-8")
    df, notes = load_articles(tmp_path, "DeepSeek")
    by = df.set_index("article_id")
    assert (by.loc["r", "outlet"], by.loc["r", "outlet_status"]) == ("Reuters", "stated")
    assert (by.loc["c", "outlet"], by.loc["c", "outlet_status"]) == ("", "unknown")
    assert "dateline credit" in by.loc["r", "note"]


def test_read_article_text_rejects_with_reason(tmp_path):
    empty = tmp_path / "e.txt"
    empty.write_bytes(b"")
    with pytest.raises(ArticleRejected, match="empty"):
        read_article_text(empty)


def test_discover_and_ingest_import_no_heavy_modules():
    code = ("import sys, newsbrief.ingest.corpus, newsbrief.ingest.params, newsbrief.build.manifest, newsbrief.notes, "
            "newsbrief.atomic; "
            "heavy = [m for m in ('pandas', 'numpy', 'yaml', 'trafilatura', 'lxml') "
            "if m in sys.modules]; print(heavy)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_an_article_naming_the_company_by_its_short_name_is_kept():
    rx = company_pattern("Brantle Retail")
    assert rx.search("Brantle said like-for-like sales rose 3%.")
    assert not company_pattern("Singapore Airlines").search("Singapore raised its fares.")
