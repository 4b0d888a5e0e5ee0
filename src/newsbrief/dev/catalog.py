"""Render the catalog of evidence tables (newsbrief.schemas) into docs/ARCHITECTURE.md.

    python -m newsbrief.dev.catalog            rewrite the catalog part of the page
    python -m newsbrief.dev.catalog --check    exit 1 (one line) if the page is not current

The page keeps everything outside the markers `<!-- catalog:start -->` / `<!-- catalog:end -->`.
`tables_read(source)` finds the tables a section module reads; the tests compare it with each
table's declared `read_by`.
"""
from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

from newsbrief import paths
from newsbrief.schemas import CATALOG, SCHEMAS

DOC = paths.PROJECT_ROOT / "docs" / "ARCHITECTURE.md"
START, END = "<!-- catalog:start -->", "<!-- catalog:end -->"
SECTIONS_DIR = Path(__file__).resolve().parents[1] / "briefing" / "sections"

# How section code reaches a table: any call with (run, "<table>") (S.table and the shared
# helpers), run.table("<table>"), and the helpers for the articles table.
_TABLE_CALL = re.compile(r"""(?:\(run, |\brun\.table\()["'](\w+)["']""")
_ARTICLES_CALL = re.compile(r"\b(?:all_articles|articles)\(run\)|\brun\.articles\b")


def tables_read(source: str) -> set[str]:
    """Names of the evidence tables a section module's source reads."""
    names = set(_TABLE_CALL.findall(source)) & set(SCHEMAS)
    if _ARTICLES_CALL.search(source):
        names.add("articles")
    return names


def section_reads() -> dict[str, set[str]]:
    """section module name -> tables it reads (from the code)."""
    return {path.stem: tables_read(path.read_text(encoding="utf-8"))
            for path in sorted(SECTIONS_DIR.glob("*.py"))}


def _code(names) -> str:
    return ", ".join(f"`{n}`" for n in names) or "—"


def render() -> str:
    """The catalog as Markdown (deterministic: tables in CATALOG order)."""
    lines = [START, "",
             "Generated from `newsbrief/schemas.py` by `python -m newsbrief.dev.catalog`; do not edit "
             "by hand (a test fails when it is stale).", "",
             "| table | one row is | produced by | knowledge (`data/knowledge/`) | review decisions "
             "(`newsbrief.review`) | read by (`newsbrief.briefing.sections.`) |",
             "|---|---|---|---|---|---|"]
    for name, info in CATALOG.items():
        producers = "<br>".join(f"`{p.removeprefix('newsbrief.')}`" for p in info.produced_by)
        knowledge = _code(f"{k}.yml" for k in info.knowledge)
        readers = _code("shared helpers" if r == "__init__" else r for r in info.read_by)
        reviewed = _code(info.reviewed)
        lines.append(f"| **{name}** | {info.what} | {producers} | {knowledge} | {reviewed} | {readers} |")
    lines += ["", "Columns (type; `*` = never null; allowed values after `:`):", ""]
    for name in CATALOG:
        schema = SCHEMAS[name]
        cols = []
        for col, dtype in schema.columns.items():
            mark = "*" if col in schema.non_null else ""
            enum = schema.enums.get(col)
            allowed = f": {' / '.join(sorted(enum))}" if enum else ""
            cols.append(f"`{col}`{mark} ({dtype}{allowed})")
        lines.append(f"- **{name}**: " + ", ".join(cols))
    lines += ["", END]
    return "\n".join(lines)


def updated_page(page: str) -> str:
    if START not in page or END not in page:
        raise ValueError(f"{DOC}: catalog markers {START} / {END} missing; add them where the "
                         "catalog belongs")
    head, rest = page.split(START, 1)
    _, tail = rest.split(END, 1)
    return head + render() + tail


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only check that the page is current")
    args = parser.parse_args(argv)
    page = DOC.read_text(encoding="utf-8")
    try:
        new = updated_page(page)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if args.check:
        if new != page:
            print(f"error: {DOC.name}: table catalog is stale; run `python -m newsbrief.dev.catalog`",
                  file=sys.stderr)
            return 1
        return 0
    if new != page:
        DOC.write_text(new, encoding="utf-8")
        print(f"{DOC.name}: catalog rewritten")
    return 0


if __name__ == "__main__":
    sys.exit(main())
