"""One briefing from a folder holding a PDF, a Word file, a news-API JSON Lines dump, a feed, a
Factiva-style export, broken files and a link to a private file outside the folder, built by
`make` from a project folder, an articles folder and a reports folder whose paths hold spaces,
quotes and non-ASCII letters: every article counted once, quoted exactly and named in the
sources; every unusable input named in the data notes; nothing outside ARTICLES read."""
from __future__ import annotations

import html
import os
import re
import subprocess

import pandas as pd
import pytest

from conftest import formats_corpus_module, project_copy
from newsbrief.ingest import containers
from newsbrief.ingest import corpus as ingest

pytestmark = pytest.mark.build

QUOTING_TABLES = ("sentences", "figures", "dates", "statements", "mentions", "claims",
                  "claim_sources", "events", "disagreements")


def _make(cwd, *args):
    env = {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MAKELEVEL")}
    env.pop(ingest.ALLOW_OUTSIDE_LINKS_ENV, None)
    return subprocess.run(["make", *args], cwd=cwd, capture_output=True, text=True, env=env,
                          timeout=900)


@pytest.fixture(scope="module")
def build(tmp_path_factory):
    base = tmp_path_factory.mktemp("paths")
    project = project_copy(base / "proj ' é" / "newsbrief")  # a space, a quote, an accent
    articles = base / "articles ' ü"
    expected = formats_corpus_module().make_formats_corpus(articles)
    secret = base / "private notes.txt"
    secret.write_text("Kestrel AI PRIVATE_MARKER: the founders' salaries.\n", encoding="utf-8")
    os.symlink(secret, articles / "linked_private.txt")
    reports = base / "it's a dir" / "out"
    args = ("COMPANY=Kestrel AI", f"ARTICLES={articles}", f"REPORTS={reports}")
    result = _make(project, *args)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return project, articles, reports, expected, result, args


def _table(reports, name):
    return pd.read_csv(reports / "evidence" / f"{name}.csv", dtype=str, keep_default_na=False)


def test_every_article_counted_once_and_named_in_the_sources(build):
    _, articles, reports, expected, _, _ = build
    arts = _table(reports, "articles")
    included = arts[arts["included"] == "True"]
    assert set(zip(included["path"], included["record"])) == expected.included
    assert included["article_id"].is_unique
    page = html.unescape((reports / "briefing.html").read_text(encoding="utf-8"))
    sources = page[page.index("Articles behind this briefing"):page.index("Data notes")]
    for path, record in expected.included:
        assert f"({path}, {record})" in sources if record else f"({path})" in sources


def test_every_quote_is_exact_in_its_own_decoded_text(build):
    _, articles, reports, expected, _, _ = build
    arts = _table(reports, "articles").set_index("article_id")
    texts = {}
    for aid, row in arts[arts["included"] == "True"].iterrows():
        texts[aid] = containers.read_item_text(articles / row["path"], row["record"])
    checked = 0
    for name in QUOTING_TABLES:
        table = _table(reports, name)
        for row in table.itertuples():
            text = texts[row.article_id]
            assert text[int(row.start):int(row.end)] == row.quote, (name, row.article_id)
            checked += 1
    assert checked > 50
    sentences = _table(reports, "sentences")
    for (path, record), quote in expected.quotes.items():
        aid = arts[(arts["path"] == path) & (arts["record"] == record)].index[0]
        assert any(quote in q for q in sentences.loc[sentences["article_id"] == aid, "quote"]), \
            (path, record)


def test_every_unusable_input_is_named_in_the_data_notes(build):
    _, _, reports, expected, result, _ = build
    page = html.unescape((reports / "briefing.html").read_text(encoding="utf-8"))
    notes = re.sub(r"<[^>]+>", " ", page[page.index("Data notes"):page.index("Colophon")])
    notes = " ".join(notes.split())
    for (path, record), word in expected.unusable.items():
        where = f"{path}, {record}" if record else path
        assert where in notes and word.lower() in notes.lower(), where
        assert path in result.stdout
    for path, _ in expected.not_english:
        assert f"{path}: left out (not in English" in notes
    assert "europe_tech.rss, item 2: only a summary is given" in notes
    assert "linked_private.txt: left out (symbolic link to a file outside" in notes


def test_nothing_outside_the_articles_folder_is_read(build):
    _, _, reports, _, _, _ = build
    for csv in (reports / "evidence").glob("*.csv"):
        assert "PRIVATE_MARKER" not in csv.read_text(encoding="utf-8"), csv.name
    assert "PRIVATE_MARKER" not in (reports / "briefing.html").read_text(encoding="utf-8")


def test_awkward_paths_rebuild_only_what_is_missing(build):
    project, _, reports, _, _, args = build
    again = _make(project, *args)
    assert again.returncode == 0 and "notebooks:" not in again.stdout
    assert "export:" not in again.stdout
    (reports / "briefing.pdf").unlink()
    again = _make(project, *args)
    assert again.returncode == 0 and "export:" in again.stdout and "notebooks:" not in again.stdout
    assert (reports / "briefing.pdf").is_file()
