"""Corpus manifest for make: rewritten only when the corpus really changed.

    python -m newsbrief.build.manifest ARTICLES_DIR OUT_FILE

OUT_FILE lists every discovered article file plus the metadata file, one per line:
`<sha256>  <size>  <relative path>` (sorted by relative path; "\\" and newlines in names are
escaped); a symbolic link leading out of the folder, which is not read, is listed as
`outside-link  -  <relative path>`. The file is written (atomically) only if its content changed, so make sees a new
mtime only on a real change. Hashes are cached in `<OUT_FILE>.cache.json` keyed by relative
path and checked against (size, mtime_ns), so a no-op run stats the files but hashes nothing.

Standard library only (plus newsbrief.ingest.corpus's file walk, which imports the standard library only).
"""
from __future__ import annotations

import json
import os
import sys
from pathlib import Path

from newsbrief import paths
from newsbrief.atomic import write_if_changed
from newsbrief.ingest.corpus import iter_article_relpaths, sha256_file

HEADER = "# newsbrief corpus manifest: sha256  size  path (relative to the articles folder)\n"
CACHE_VERSION = 1


def cache_path_for(out_file: str | os.PathLike) -> Path:
    out = Path(out_file)
    return out.with_name(out.name + ".cache.json")


def _escape(rel: str) -> str:
    return rel.replace("\\", "\\\\").replace("\n", "\\n").replace("\r", "\\r")


def _load_cache(path: Path) -> dict:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict) or data.get("version") != CACHE_VERSION:
        return {}
    files = data.get("files")
    return files if isinstance(files, dict) else {}


def corpus_relpaths(articles_dir: str | os.PathLike, refused: list[str] | None = None
                    ) -> list[str]:
    """Relative paths of the discovered article files plus the metadata files, sorted; links
    leading out of the folder go to `refused` (see ingest.iter_article_relpaths)."""
    root = os.fspath(articles_dir)
    rels = list(iter_article_relpaths(root, refused))
    rels += [n for n in paths.METADATA_FILES if os.path.isfile(os.path.join(root, n))]
    return sorted(rels)


def build_manifest(articles_dir: str | os.PathLike, cache: dict | None = None
                   ) -> tuple[str, dict, int]:
    """(manifest text, new cache, number of files hashed this time)."""
    root = os.fspath(articles_dir)
    cache = cache or {}
    new_cache: dict[str, dict] = {}
    lines = [HEADER]
    hashed = 0
    refused: list[str] = []
    for rel in corpus_relpaths(root, refused):
        full = os.path.join(root, rel)
        st = os.stat(full)
        entry = cache.get(rel)
        if (isinstance(entry, dict) and entry.get("size") == st.st_size
                and entry.get("mtime_ns") == st.st_mtime_ns and entry.get("sha256")):
            digest = entry["sha256"]
        else:
            digest = sha256_file(full)
            hashed += 1
        new_cache[rel] = {"size": st.st_size, "mtime_ns": st.st_mtime_ns, "sha256": digest}
        lines.append(f"{digest}  {st.st_size}  {_escape(rel)}\n")
    lines += [f"outside-link  -  {_escape(rel)}\n" for rel in sorted(refused)]
    return "".join(lines), new_cache, hashed


def update(articles_dir: str | os.PathLike, out_file: str | os.PathLike) -> bool:
    """Write OUT_FILE if the manifest changed; refresh the cache if needed. True if written."""
    out = Path(out_file)
    cache_file = cache_path_for(out)
    old_cache = _load_cache(cache_file)
    text, new_cache, hashed = build_manifest(articles_dir, old_cache)
    changed = write_if_changed(out, text)
    if hashed or new_cache != old_cache:
        payload = json.dumps({"version": CACHE_VERSION, "files": new_cache}, sort_keys=True,
                             indent=0)
        write_if_changed(cache_file, payload + "\n")
    return changed


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 2 or args[0].startswith("-"):
        print("usage: python -m newsbrief.build.manifest ARTICLES_DIR OUT_FILE", file=sys.stderr)
        return 2
    articles, out = args
    if not Path(articles).is_dir():
        print(f"error: ARTICLES={articles}: folder not found; pass an existing folder of "
              "articles (see the README's table of inputs), e.g. make ARTICLES=data/articles",
              file=sys.stderr)
        return 2
    try:
        update(articles, out)
    except OSError as exc:
        print(f"error: manifest: {exc.filename or ''}: {exc.strerror or exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
