"""Atomic file writes: a reader sees the old file or the new one, never half a file.

Each write goes to a temporary file in the *same directory* (so `os.replace` is a rename on one
file system), is flushed and fsync'ed, then renamed over the target; the directory is fsync'ed
too (best effort). A failed write leaves the old file untouched and removes the temporary file.
`write_many` writes a set of files so, paying the disk's flushes once for the set.
Parent directories are created. New files get the usual permissions (0o666 minus the umask);
a replaced file keeps its mode.

Stdlib only at import time; pandas is needed only by `write_csv`/`write_parquet` callers.
"""
from __future__ import annotations

import contextlib
import io
import os
import re
import tempfile
from pathlib import Path
from typing import Iterator, Mapping

__all__ = ["write_bytes", "write_text", "write_many", "write_csv", "write_parquet", "csv_text",
           "parquet_bytes", "write_if_changed", "atomic_path", "remove_stale_temporaries"]

# The temporary files these writers make: "." + target name + "." + mkstemp's 8 random
# characters + ".tmp" (+ the target's suffix for `atomic_path`).
_TEMPORARY = re.compile(r"\A\..+\.[A-Za-z0-9_]{8}\.tmp(?:\.\w{1,10})?\Z")


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _target_mode(path: Path) -> int:
    try:
        return path.stat().st_mode & 0o7777
    except FileNotFoundError:
        return 0o666 & ~_umask()


def _fsync_dir(directory: Path) -> None:
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


@contextlib.contextmanager
def atomic_path(path: str | os.PathLike, suffix: str = "") -> Iterator[Path]:
    """Yield a temporary path beside `path`; on normal exit it replaces `path` atomically.

    For tools that insist on writing a file themselves (papermill, typst ...)::

        with atomic_path("reports/briefing.pdf") as tmp:
            typst.compile(src, output=str(tmp))

    The temporary name keeps `suffix` (e.g. ".pdf") so tools that look at the extension work.
    If the block raises, or leaves no file at the temporary path, the target is untouched.
    """
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.",
                                    suffix=f".tmp{suffix}")
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        yield tmp
        if not tmp.exists():
            raise FileNotFoundError(f"{tmp}: nothing was written; {target} left unchanged")
        with open(tmp, "rb+") as handle:
            os.fsync(handle.fileno())
        os.chmod(tmp, _target_mode(target))
        os.replace(tmp, target)
        _fsync_dir(target.parent)
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()


def _fsync_path(path: str) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_all(paths: list[str]) -> None:
    """fsync each file, side by side: the file system commits concurrent flushes together (ext4
    here: 45 files in 0.01-0.03 s, against 0.1-0.3 s one after another)."""
    if len(paths) <= 1:
        for path in paths:
            _fsync_path(path)
        return
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(min(16, len(paths))) as pool:
        list(pool.map(_fsync_path, paths))


def write_many(files: Mapping[str | os.PathLike, bytes]) -> list[Path]:
    """Write each `path: data` atomically, as `write_bytes` does; returns the paths.

    Every temporary file is written and fsync'ed before the first rename, the targets are
    replaced in the given order (a file that marks a set complete can come last), then each
    directory is fsync'ed once. Written one by one, each file's rename and directory fsync cost
    a journal commit of its own (7 ms a file on this machine's ext4: 0.7 s of the ~100 files of
    a cold seed build). On a failure no temporary file is left; files replaced before it stay
    replaced, the others keep their old content.
    """
    pending: list[tuple[Path, str]] = []
    try:
        for path, data in files.items():
            target = Path(path)
            target.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp_name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
            pending.append((target, tmp_name))
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
        _fsync_all([tmp_name for _, tmp_name in pending])
        for target, tmp_name in pending:
            os.chmod(tmp_name, _target_mode(target))
            os.replace(tmp_name, target)
    except BaseException:
        for _, tmp_name in pending:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp_name)
        raise
    for directory in dict.fromkeys(target.parent for target, _ in pending):
        _fsync_dir(directory)
    return [target for target, _ in pending]


def write_bytes(path: str | os.PathLike, data: bytes) -> Path:
    """Write `data` to `path` atomically; returns the path."""
    return write_many({path: data})[0]


def write_text(path: str | os.PathLike, text: str, encoding: str = "utf-8") -> Path:
    """Write `text` atomically, byte for byte (no newline translation: "\\n" stays "\\n")."""
    return write_bytes(path, text.encode(encoding))


def write_if_changed(path: str | os.PathLike, data: bytes | str, encoding: str = "utf-8") -> bool:
    """Write atomically only if the content differs (keeps the mtime for make); True if written."""
    payload = data.encode(encoding) if isinstance(data, str) else data
    target = Path(path)
    try:
        if target.stat().st_size == len(payload) and target.read_bytes() == payload:
            return False
    except FileNotFoundError:
        pass
    write_bytes(target, payload)
    return True


def _frame_and_path(a, b):
    """(df, path) from either argument order: df-first (like df.to_csv(path)) or path-first."""
    if hasattr(a, "to_csv") and not hasattr(b, "to_csv"):
        return a, b
    if hasattr(b, "to_csv") and not hasattr(a, "to_csv"):
        return b, a
    raise TypeError("pass a DataFrame and a path")


def csv_text(df, index: bool = False, **kwargs) -> str:
    """`df.to_csv` as `write_csv` writes it: "\\n" line ends, no index by default."""
    kwargs.setdefault("lineterminator", "\n")
    return df.to_csv(index=index, **kwargs)


def parquet_bytes(df, index: bool = False, **kwargs) -> bytes:
    """`df.to_parquet` (pyarrow) as `write_parquet` writes it: no index by default."""
    buffer = io.BytesIO()
    df.to_parquet(buffer, index=index, **kwargs)
    return buffer.getvalue()


def write_csv(df, path, index: bool = False, **kwargs) -> Path:
    """`df.to_csv` atomically: UTF-8, "\\n" line ends, no index by default (deterministic).

    Called as write_csv(df, path); write_csv(path, df) is accepted too.
    """
    df, path = _frame_and_path(df, path)
    return write_text(path, csv_text(df, index=index, **kwargs))


def write_parquet(df, path, index: bool = False, **kwargs) -> Path:
    """`df.to_parquet` (pyarrow) atomically; no index by default.

    Called as write_parquet(df, path); write_parquet(path, df) is accepted too.
    """
    df, path = _frame_and_path(df, path)
    return write_bytes(path, parquet_bytes(df, index=index, **kwargs))


def remove_stale_temporaries(directory: str | os.PathLike, recursive: bool = True) -> list[Path]:
    """Delete the temporary files an interrupted earlier write left in `directory` (and, when
    `recursive`, its subfolders: only for folders the pipeline owns, never a user's folder tree).

    A write cleans up after itself on errors and Ctrl-C, but a process killed outright (or a
    signal between creating the temporary file and entering the clean-up) leaves one behind.
    The build runner calls this before a build, when no writer is running in that folder.
    """
    removed = []
    folder = Path(directory)
    for path in sorted(folder.rglob(".*.tmp*") if recursive else folder.glob(".*.tmp*")):
        if path.is_file() and _TEMPORARY.match(path.name):
            with contextlib.suppress(FileNotFoundError):
                path.unlink()
                removed.append(path)
    return removed

