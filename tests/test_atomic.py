"""newsbrief.atomic: whole-file replacement, no temp files left, old file kept on failure."""
from __future__ import annotations

import os
import stat
from pathlib import Path

import pandas as pd
import pytest

from newsbrief import atomic


def _leftovers(folder):
    return [p.name for p in folder.iterdir() if p.name.endswith(".tmp") or ".tmp" in p.name]


def test_write_bytes_and_text_roundtrip(tmp_path):
    target = tmp_path / "deep" / "er" / "f.bin"
    atomic.write_bytes(target, b"\x00\x01abc")
    assert target.read_bytes() == b"\x00\x01abc"
    text = "line one\r\nline two\nété “quotes”\n"
    atomic.write_text(tmp_path / "t.txt", text)
    assert (tmp_path / "t.txt").read_bytes() == text.encode("utf-8")  # no newline translation
    assert _leftovers(tmp_path) == [] and _leftovers(target.parent) == []


def test_new_file_mode_follows_umask_and_existing_mode_kept(tmp_path):
    target = tmp_path / "f.txt"
    atomic.write_text(target, "a")
    mask = os.umask(0)
    os.umask(mask)
    assert stat.S_IMODE(target.stat().st_mode) == 0o666 & ~mask
    target.chmod(0o640)
    atomic.write_text(target, "b")
    assert stat.S_IMODE(target.stat().st_mode) == 0o640 and target.read_text() == "b"


def test_failure_keeps_old_file(tmp_path, monkeypatch):
    target = tmp_path / "f.txt"
    atomic.write_text(target, "old")

    def boom(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(atomic.os, "replace", boom)
    with pytest.raises(OSError, match="disk full"):
        atomic.write_text(target, "new")
    assert target.read_text() == "old"
    assert _leftovers(tmp_path) == []


def test_serialisation_error_keeps_old_file(tmp_path):
    target = tmp_path / "t.parquet"
    good = pd.DataFrame({"a": [1, 2]})
    atomic.write_parquet(good, target)
    bad = pd.DataFrame({"a": [object(), 1]})  # pyarrow cannot serialise this
    with pytest.raises(Exception):
        atomic.write_parquet(bad, target)
    pd.testing.assert_frame_equal(pd.read_parquet(target), good)
    assert _leftovers(tmp_path) == []


def test_csv_and_parquet_roundtrip_deterministic(tmp_path):
    df = pd.DataFrame({"article_id": ["a", "b"], "quote": ['he said "hi", then\nleft', "é"],
                       "n": [1, 2], "ok": [True, False]})
    atomic.write_csv(df, tmp_path / "t.csv")
    raw = (tmp_path / "t.csv").read_bytes()
    assert b"\r\n" not in raw and raw.startswith(b"article_id,quote,n,ok\n")
    back = pd.read_csv(tmp_path / "t.csv", keep_default_na=False)
    pd.testing.assert_frame_equal(back, df)
    atomic.write_csv(tmp_path / "t2.csv", df)  # path-first works too
    assert (tmp_path / "t2.csv").read_bytes() == raw
    atomic.write_parquet(df, tmp_path / "t.parquet")
    atomic.write_parquet(tmp_path / "t3.parquet", df)
    assert (tmp_path / "t3.parquet").read_bytes() == (tmp_path / "t.parquet").read_bytes()
    with pytest.raises(TypeError):
        atomic.write_csv(tmp_path / "x.csv", tmp_path / "y.csv")
    pd.testing.assert_frame_equal(pd.read_parquet(tmp_path / "t.parquet"), df)


def test_write_if_changed_keeps_mtime(tmp_path):
    target = tmp_path / "m.txt"
    assert atomic.write_if_changed(target, "a\n") is True
    os.utime(target, ns=(1_000_000_000, 1_000_000_000))
    assert atomic.write_if_changed(target, "a\n") is False
    assert target.stat().st_mtime_ns == 1_000_000_000
    assert atomic.write_if_changed(target, b"b\n") is True
    assert target.read_text() == "b\n"


def test_atomic_path_for_external_tools(tmp_path):
    target = tmp_path / "out" / "briefing.pdf"
    with atomic.atomic_path(target, suffix=".pdf") as tmp:
        assert tmp.parent == target.parent and tmp.name.endswith(".pdf")
        tmp.write_bytes(b"%PDF-1.7")
    assert target.read_bytes() == b"%PDF-1.7"
    with pytest.raises(RuntimeError):
        with atomic.atomic_path(target) as tmp:
            tmp.write_bytes(b"half")
            raise RuntimeError("tool crashed")
    assert target.read_bytes() == b"%PDF-1.7"
    with pytest.raises(FileNotFoundError):
        with atomic.atomic_path(target) as tmp:
            tmp.unlink()  # the tool wrote nothing
    assert target.read_bytes() == b"%PDF-1.7"
    assert _leftovers(target.parent) == []


def test_stale_temporaries_are_removed_and_nothing_else(tmp_path):
    """A killed writer leaves ".name.XXXXXXXX.tmp"; the next build removes it, keeps other files."""
    import tempfile

    nested = tmp_path / "processed" / "evidence"
    nested.mkdir(parents=True)
    fd, stale = tempfile.mkstemp(dir=nested, prefix=".series.csv.", suffix=".tmp")
    os.close(fd)
    fd, stale_pdf = tempfile.mkstemp(dir=tmp_path, prefix=".briefing.pdf.", suffix=".tmp.pdf")
    os.close(fd)
    keep = [nested / "series.csv", tmp_path / ".hidden.tmp", tmp_path / "notes.tmp.txt"]
    for path in keep:
        path.write_text("x")
    assert atomic.remove_stale_temporaries(tmp_path, recursive=False) == [Path(stale_pdf)]
    assert atomic.remove_stale_temporaries(tmp_path) == [Path(stale)]
    assert all(p.exists() for p in keep)


def test_write_many_replaces_in_order_and_flushes_each_folder_once(tmp_path, monkeypatch):
    (tmp_path / "b.csv").write_text("old")
    renamed, synced, real_replace = [], [], os.replace

    def replace(src, dst):
        renamed.append(Path(dst).name)
        real_replace(src, dst)

    monkeypatch.setattr(atomic.os, "replace", replace)
    monkeypatch.setattr(atomic, "_fsync_dir", synced.append)
    files = {tmp_path / "b.csv": b"b", tmp_path / "sub" / "c.csv": b"c", tmp_path / "done.json": b"{}"}
    assert atomic.write_many(files) == list(files)
    assert renamed == ["b.csv", "c.csv", "done.json"]      # the marker file last, as given
    assert synced == [tmp_path, tmp_path / "sub"]
    assert [p.read_bytes() for p in files] == [b"b", b"c", b"{}"]
    assert _leftovers(tmp_path) == [] and _leftovers(tmp_path / "sub") == []


def test_write_many_failure_leaves_no_temporaries(tmp_path, monkeypatch):
    for name in ("a.txt", "b.txt"):
        (tmp_path / name).write_text("old")
    real_replace = os.replace

    def replace(src, dst):
        if Path(dst).name == "b.txt":
            raise OSError("disk full")
        real_replace(src, dst)

    monkeypatch.setattr(atomic.os, "replace", replace)
    with pytest.raises(OSError, match="disk full"):
        atomic.write_many({tmp_path / "a.txt": b"new", tmp_path / "b.txt": b"new"})
    assert (tmp_path / "a.txt").read_text() == "new" and (tmp_path / "b.txt").read_text() == "old"
    assert _leftovers(tmp_path) == []
