"""Awkward inputs never crash the pipeline: each is read, repaired or skipped with a note.

The awkward corpus is generated in a temporary folder by
tests/fixtures/bad_inputs/make_bad_corpus.py (the 50 MB file too); hostile text samples are
committed in tests/fixtures/hostile/.
"""
from __future__ import annotations

import io
import os
import subprocess
import sys
import tracemalloc
from datetime import date
from pathlib import Path

import pytest

from conftest import bad_corpus_module
from newsbrief.build import manifest
from newsbrief.ingest import corpus as ingest_corpus
from newsbrief.ingest.corpus import (ArticleRejected, discover, load_articles, read_article,
                                     read_article_text)
from newsbrief.notes import DataNote, NoteLog, format_note, print_notes, to_frame

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "data" / "articles"
HOSTILE = ROOT / "tests" / "fixtures" / "hostile"


bad = bad_corpus_module()


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    root = tmp_path_factory.mktemp("bad") / "articles"
    names = bad.make_bad_corpus(root, big=True)
    return root, names


@pytest.fixture(scope="module")
def loaded(corpus):
    root, names = corpus
    df, notes = load_articles(root, bad.COMPANY, as_of=date(2025, 2, 1))
    return df.set_index("path"), notes, names


def _row(loaded, case):
    df, _notes, names = loaded
    return df.loc[names[case]]


def _notes_for(loaded, case):
    _df, notes, names = loaded
    return [n for n in notes if n.file == names[case]]


# ------------------------------------------------------------------ discovery


def test_discovery_ignores_hidden_backups_checkpoints(corpus):
    root, names = corpus
    found = [p.relative_to(root).as_posix() for p in discover(root)]
    assert sorted(found) == sorted(names.values())
    assert found == sorted(found)
    for ignored in bad.IGNORED:
        assert ignored not in found


def test_file_names_with_spaces_and_non_ascii(loaded):
    for case in ("spaces", "non_ascii", "upper_ext"):
        row = _row(loaded, case)
        assert row["included"], case
        assert ingest_corpus._SAFE_ID.match(row["article_id"])
    assert _row(loaded, "non_ascii")["file"] == "016_été_北京.txt"


# ------------------------------------------------------------------ rejected files


@pytest.mark.parametrize("case, reason", [
    ("empty", "empty file"),
    ("whitespace", "whitespace-only"),
    ("binary", "binary file"),
    ("controls", "binary file"),
    ("big", "too large"),
])
def test_unusable_files_skipped_with_reason_and_note(loaded, case, reason):
    row = _row(loaded, case)
    assert not row["included"] and reason in row["skip_reason"]
    assert row["text"] == "" and row["n_chars"] == 0 and len(row["sha256"]) == 64
    notes = _notes_for(loaded, case)
    assert notes and reason in notes[0].problem


def test_read_article_text_raises_with_reason(corpus):
    root, names = corpus
    for case in ("empty", "whitespace", "binary", "big"):
        with pytest.raises(ArticleRejected) as info:
            read_article_text(root / names[case])
        assert info.value.reason


def test_big_file_refused_without_reading_it(corpus):
    root, names = corpus
    big = root / names["big"]
    assert big.stat().st_size == 50 * 1024 * 1024
    import newsbrief.knowledge  # noqa: F401 - imports done before measuring
    tracemalloc.start()
    try:
        with pytest.raises(ArticleRejected, match="too large"):
            read_article(big)
        _, peak_read = tracemalloc.get_traced_memory()
        tracemalloc.reset_peak()
        ingest_corpus.sha256_file(big)  # what load_articles does for a skipped file
        _, peak_hash = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak_read < 1 * 1024 * 1024, peak_read
    assert peak_hash < 4 * 1024 * 1024, peak_hash


def test_load_articles_with_big_file_bounded_memory(corpus):
    root, names = corpus
    sub = root.parent / "only_big"
    sub.mkdir(exist_ok=True)
    target = sub / "big.txt"
    if not target.exists():
        os.link(root / names["big"], target)
    (sub / "small.txt").write_text("DeepSeek small article.\n", encoding="utf-8")
    load_articles(sub, "DeepSeek")  # warm caches (knowledge file, regexes)
    tracemalloc.start()
    try:
        df, notes = load_articles(sub, "DeepSeek")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 10 * 1024 * 1024, peak
    assert df.set_index("file").loc["big.txt", "included"] == False  # noqa: E712


# ------------------------------------------------------------------ decoding


def test_cp1252_and_latin1_decoded_with_note(corpus, loaded):
    root, names = corpus
    cp = _row(loaded, "cp1252")
    assert cp["included"] and "\u2019" in cp["text"] and "\u201cR1\u201d" in cp["text"]
    assert "café" in cp["text"] and "–" in cp["text"]
    assert any("cp1252" in n.problem for n in _notes_for(loaded, "cp1252"))
    lat = _row(loaded, "latin1")
    assert lat["included"] and "fondé à Hangzhou" in lat["text"] and "«résultats»" in lat["text"]
    assert any("latin-1" in n.problem for n in _notes_for(loaded, "latin1"))
    assert lat["text"] == (root / names["latin1"]).read_bytes().decode("latin-1")


def test_bom_dropped_and_crlf_kept(corpus, loaded):
    root, names = corpus
    bom = _row(loaded, "bom")
    assert not bom["text"].startswith("\ufeff") and bom["published"] == "2025-01-28"
    crlf = _row(loaded, "crlf")
    assert "\r\n" in crlf["text"]
    assert crlf["text"] == (root / names["crlf"]).read_bytes().decode("utf-8")
    assert crlf["published_status"] == "stated"


# ------------------------------------------------------------------ counting


def test_duplicate_counted_once(loaded):
    first, second = _row(loaded, "dup_first"), _row(loaded, "dup_second")
    assert first["included"] and not second["included"]
    assert second["duplicate_of"] == first["article_id"]
    assert _notes_for(loaded, "dup_second")


def test_article_without_company_left_out(loaded):
    row = _row(loaded, "other_company")
    assert not row["included"] and "does not mention DeepSeek" in row["skip_reason"]
    assert _notes_for(loaded, "other_company")


def test_article_after_as_of_left_out(loaded):
    row = _row(loaded, "late")
    assert not row["included"] and "after AS_OF" in row["skip_reason"]


# ------------------------------------------------------------------ html / markdown


def test_saved_web_page_main_text(loaded):
    row = _row(loaded, "html")
    assert row["included"]
    assert "trained on a cluster of older chips" in row["text"]
    for marker in bad.HTML_MARKERS_DROPPED:
        assert marker not in row["text"], marker
    assert (row["title"], row["title_status"]) == ("DeepSeek unveils new reasoning model",
                                                   "stated")
    assert (row["outlet"], row["outlet_status"]) == ("Example News", "stated")
    assert (row["published"], row["published_status"]) == ("2025-01-27", "stated")
    assert row["url"] == "https://news.example.com/tech/deepseek-model"


def test_markdown_read_as_text(corpus, loaded):
    root, names = corpus
    row = _row(loaded, "markdown")
    assert row["text"] == (root / names["markdown"]).read_text(encoding="utf-8")
    assert "**weights**" in row["text"]
    assert (row["title"], row["title_status"]) == ("DeepSeek opens its model weights", "stated")


def test_html_without_main_text_rejected(tmp_path):
    page = tmp_path / "x.html"
    page.write_text("<html><head><script>var a=1;</script></head><body><script>x()</script><style>p{}</style></body>"
                    "</html>", encoding="utf-8")
    with pytest.raises(ArticleRejected, match="no extractable main text"):
        read_article_text(page)


# ------------------------------------------------------------------ metadata problems


def _problems(notes):
    return " | ".join(f"{n.file}: {n.problem}" for n in notes)


def test_metadata_problems_are_notes_not_crashes(tmp_path):
    root = tmp_path / "articles"
    bad.make_bad_corpus(root)
    bad.write_metadata(root, bad.BAD_METADATA_CSV)
    df, notes = load_articles(root, "DeepSeek")
    by = df.set_index("path")
    text = _problems(notes)
    assert "unknown column(s) colour" in text
    assert "not found among the articles (missing_file.txt)" in text
    assert "outside the articles folder (../outside.txt)" in text
    assert "outside the articles folder (/etc/passwd)" in text
    assert "'31/01/2025' is not a date" in text
    assert "javascript:alert(1)" in text and by.loc["007_latin1.txt", "url"] == ""
    assert "outlet_status 'maybe'" in text and by.loc["009_crlf.txt", "outlet"] == ""
    assert "repeats 001_good.txt" in text
    good = by.loc["001_good.txt"]
    assert (good["outlet"], good["outlet_status"]) == ("Example Wire", "stated")
    assert (good["published"], good["published_status"]) == ("2025-01-27", "stated")
    assert by.loc["006_cp1252.txt", "published_status"] == "unknown"


@pytest.mark.parametrize("name, content, expected", [
    ("metadata.csv", bad.MALFORMED_CSV, "malformed CSV"),
    ("metadata.yml", bad.MALFORMED_YAML, "malformed YAML"),
    ("metadata.yml", "just a string\n", "neither a list"),
    ("metadata.csv", "outlet,title\nX,Y\n", "no 'file' column"),
])
def test_malformed_metadata_file_noted(tmp_path, name, content, expected):
    (tmp_path / "a.txt").write_text("DeepSeek news.\n", encoding="utf-8")
    bad.write_metadata(tmp_path, content, name)
    df, notes = load_articles(tmp_path, "DeepSeek")
    assert len(df) == 1 and df["included"].all()
    assert expected in _problems(notes)


def test_metadata_not_utf8_noted(tmp_path):
    (tmp_path / "a.txt").write_text("DeepSeek news.\n", encoding="utf-8")
    (tmp_path / "metadata.csv").write_bytes(b"file,title\na.txt,caf\xe9\xff\xfe\n")
    _df, notes = load_articles(tmp_path, "DeepSeek")
    assert "not UTF-8" in _problems(notes)


def test_explicit_missing_metadata_path_noted(tmp_path):
    (tmp_path / "a.txt").write_text("DeepSeek news.\n", encoding="utf-8")
    _df, notes = load_articles(tmp_path, "DeepSeek", metadata_path=tmp_path / "nope.csv")
    assert "metadata file not found" in _problems(notes)


# ------------------------------------------------------------------ notes


def test_notes_render_one_line_each(loaded):
    _df, notes, _names = loaded
    out = io.StringIO()
    n = print_notes(notes, out)
    lines = out.getvalue().splitlines()
    assert n == len(lines) == len(notes)
    assert all(line.startswith("note: ") and " -> " in line for line in lines)
    frame = to_frame(notes)
    assert list(frame.columns) == ["file", "problem", "action", "severity"]
    weird = DataNote("a\nb.txt", "line\nbreak\x00", "kept", "info")
    assert format_note(weird) == "note: a b.txt: line break -> kept"
    log = NoteLog()
    log.add("x.txt", "p", "a")
    assert len(log) == 1 and log.for_file("x.txt")[0].severity == "warning"
    with pytest.raises(ValueError):
        DataNote("x", "p", "a", "fatal")


# ------------------------------------------------------------------ hostile texts


def test_hostile_fixtures_are_all_included():
    files = discover(HOSTILE)
    assert len(files) == 6  # README.md is ignored
    df, notes = load_articles(HOSTILE, "DeepSeek")
    assert df["included"].all(), df[["file", "skip_reason"]]
    text = "\n".join(df["text"])
    for needle in ["<script>alert(1)</script>", "<img src=x onerror=alert(1)>",
                   "javascript:alert(1)", "#set page", "$ x^2 $", "\\", "@label", "[brackets]"]:
        assert needle in text, needle
    assert max(len(w) for w in text.split()) == 5000
    for _, row in df.iterrows():
        assert row["text"] == (HOSTILE / row["path"]).read_text(encoding="utf-8")


# ------------------------------------------------------------------ parameters (CLI)


@pytest.mark.parametrize("flag, value", [
    ("--company", ""),
    ("--company", " \t "),
    ("--articles", "/definitely/not/here"),
    ("--articles", str(SEEDS / "000_7beb9e1193c8c2f4.txt")),
    ("--articles", "EMPTY_DIR"),
    ("--as-of", "2025-02-30"),
    ("--as-of", "tomorrow"),
    ("--reports", "/proc/no/such"),
    ("--reports", str(SEEDS / "000_7beb9e1193c8c2f4.txt")),
])
def test_every_bad_parameter_exit_2_one_line(tmp_path, flag, value):
    good = {"--company": "DeepSeek", "--articles": str(SEEDS), "--as-of": "",
            "--reports": str(tmp_path / "reports")}
    if value == "EMPTY_DIR":  # a folder with no article files
        value = str(tmp_path / "empty")
        (tmp_path / "empty").mkdir()
        (tmp_path / "empty" / "photo.jpg").write_bytes(b"\xff\xd8")
    good[flag] = value
    argv = [f"{k}={v}" for k, v in good.items()]
    res = subprocess.run([sys.executable, "-m", "newsbrief.ingest.params", *argv],
                         capture_output=True, text=True, timeout=60, cwd=ROOT)
    assert res.returncode == 2
    assert "Traceback" not in res.stderr
    lines = res.stderr.strip().splitlines()
    param = flag.strip("-").upper().replace("-", "_")
    assert len(lines) == 1 and lines[0].startswith(f"error: {param}="), res.stderr


# ------------------------------------------------------------------ manifest


def test_manifest_changes_only_on_real_change(tmp_path):
    root = tmp_path / "articles"
    bad.make_bad_corpus(root)
    (root / "metadata.csv").write_text("file,title\n001_good.txt,T\n", encoding="utf-8")
    out = tmp_path / "build" / "manifest.txt"
    assert manifest.update(root, out) is True
    text = out.read_text(encoding="utf-8")
    assert "metadata.csv" in text and "016_été_北京.txt" in text and ".hidden.txt" not in text
    assert "sub folder/015 name with spaces.txt" in text
    os.utime(out, ns=(1, 1))
    assert manifest.update(root, out) is False
    assert out.stat().st_mtime_ns == 1
    # touching a file (same content) re-hashes it but the manifest stays the same
    os.utime(root / "001_good.txt")
    assert manifest.update(root, out) is False and out.stat().st_mtime_ns == 1
    (root / "001_good.txt").write_text("DeepSeek changed.\n", encoding="utf-8")
    assert manifest.update(root, out) is True
    (root / "new.md").write_text("DeepSeek new.\n", encoding="utf-8")
    assert manifest.update(root, out) is True and "new.md" in out.read_text(encoding="utf-8")


def test_manifest_noop_does_not_rehash(tmp_path, monkeypatch):
    root = tmp_path / "articles"
    bad.make_bad_corpus(root)
    out = tmp_path / "manifest.txt"
    manifest.update(root, out)
    calls = []
    monkeypatch.setattr(manifest, "sha256_file", lambda p: calls.append(p) or "x")
    assert manifest.update(root, out) is False
    assert calls == []


def test_manifest_cli(tmp_path):
    out = tmp_path / "m.txt"
    cmd = [sys.executable, "-m", "newsbrief.build.manifest", str(SEEDS), str(out)]
    res = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert res.returncode == 0, res.stderr
    assert len(out.read_text().splitlines()) == 1 + 5 + 1  # header, seeds, metadata.csv
    mtime = out.stat().st_mtime_ns
    subprocess.run(cmd, check=True, cwd=ROOT, timeout=60)  # nothing changed: file not rewritten
    assert out.stat().st_mtime_ns == mtime
    res = subprocess.run([sys.executable, "-m", "newsbrief.build.manifest", "/nope", str(out)],
                         capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert res.returncode == 2 and "Traceback" not in res.stderr
