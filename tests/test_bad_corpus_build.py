"""A folder of every awkward input plus the seeds builds a briefing: problems are listed by name
in the data notes and the build output, and the good articles' evidence is unchanged."""
import html

import pandas as pd

from conftest import SEEDS, bad_corpus_module, run_make


def test_bad_inputs_are_noted_and_good_articles_unchanged(tmp_path, seed_briefing):
    corpus = tmp_path / "articles"
    names = bad_corpus_module().make_bad_corpus(corpus, big=True)
    for seed in SEEDS.iterdir():    # the articles and their metadata file
        (corpus / seed.name).write_bytes(seed.read_bytes())
    reports = tmp_path / "reports"
    result = run_make("COMPANY=DeepSeek", f"ARTICLES={corpus}", f"REPORTS={reports}",
                      f"BUILD_ROOT={tmp_path / 'build'}")
    notes = pd.read_csv(reports / "evidence" / "notes.csv", dtype=str, keep_default_na=False)
    page = html.unescape((reports / "briefing.html").read_text(encoding="utf-8"))
    data_notes = page[page.index("Data notes"):]
    articles = pd.read_csv(reports / "evidence" / "articles.csv", dtype=str, keep_default_na=False)
    skipped = articles[articles["included"] != "True"]
    assert len(skipped) >= 5
    for rel in skipped["path"]:
        assert rel in set(notes["file"]), f"{rel} skipped without a note"
        assert rel in data_notes, f"{rel} not named in the briefing's data notes"
        assert rel in result.stdout, f"{rel} not named in the build output"
    # warnings about files that were kept (re-decoded text) are listed too
    kept = notes[~notes["file"].isin(set(skipped["path"])) & (notes["severity"] != "info")]
    assert len(kept) >= 2
    for r in kept.head(20).to_dict("records"):
        assert f"{r['file'] or 'The corpus'}: {r['problem']}" in data_notes, r
    # The seed articles' evidence is the same as in a seed-only build.
    for table in ("figures", "statements", "dates"):
        alone = pd.read_csv(seed_briefing / "evidence" / f"{table}.csv", dtype=str, keep_default_na=False)
        mixed = pd.read_csv(reports / "evidence" / f"{table}.csv", dtype=str, keep_default_na=False)
        mixed = mixed[mixed["article_id"].isin(set(alone["article_id"]))]
        cols = ["article_id", "start", "end", "quote"]
        assert alone[cols].sort_values(cols).values.tolist() == mixed[cols].sort_values(cols).values.tolist(), table
    assert names  # the generator wrote its cases
