"""Strip outputs and volatile metadata from source notebooks (nbdev-style clean commits).

python -m newsbrief.dev.nbclean notebooks/*.ipynb          # clean in place
python -m newsbrief.dev.nbclean --check notebooks/*.ipynb  # exit 1 naming any dirty notebook
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

KEEP_NOTEBOOK_METADATA = ("kernelspec", "language_info")
KEEP_CELL_METADATA = ("tags",)
KEEP_LANGUAGE_INFO = ("name",)


def clean_notebook(data: dict) -> dict:
    """Return a copy of notebook JSON with outputs, counts and volatile metadata removed."""
    meta = {k: v for k, v in data.get("metadata", {}).items() if k in KEEP_NOTEBOOK_METADATA}
    if "language_info" in meta:
        meta["language_info"] = {k: v for k, v in meta["language_info"].items() if k in KEEP_LANGUAGE_INFO}
    cells = []
    for cell in data.get("cells", []):
        cell = dict(cell)
        cell["metadata"] = {k: v for k, v in cell.get("metadata", {}).items() if k in KEEP_CELL_METADATA}
        if cell.get("cell_type") == "code":
            cell["outputs"] = []
            cell["execution_count"] = None
        cells.append(cell)
    return {**data, "metadata": meta, "cells": cells}


def dumps(data: dict) -> str:
    """Serialise the way Jupyter does (indent 1, keys sorted, trailing newline)."""
    return json.dumps(data, indent=1, sort_keys=True, ensure_ascii=False) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="report dirty notebooks, change nothing")
    parser.add_argument("notebooks", nargs="+", type=Path)
    args = parser.parse_args(argv)
    dirty = []
    for path in args.notebooks:
        text = path.read_text(encoding="utf-8")
        cleaned = dumps(clean_notebook(json.loads(text)))
        if cleaned != text:
            dirty.append(path)
            if not args.check:
                path.write_text(cleaned, encoding="utf-8")
    if args.check and dirty:
        names = ", ".join(str(p) for p in dirty)
        print(f"error: notebooks with outputs or volatile metadata: {names}; "
              "run `make clean-notebooks`", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
