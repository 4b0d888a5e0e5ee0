"""The evidence under a section, for the analyst working in its notebook.

A section notebook shows the section, then `show_evidence(evidence(run, module))`: the tables
the section module reads (from the catalog's `read_by`, the module and the section modules it
imports), each a pandas DataFrame with its id column first. Displayed DataFrames carry no
briefing metadata, so nothing here reaches the exported briefing (newsbrief.export.publish
takes only the blocks `render.show` displays and `briefing`-tagged markdown cells).
"""
from __future__ import annotations

import types

import pandas as pd

from newsbrief.briefing import sections as S
from newsbrief.schemas import CATALOG

SECTIONS_PACKAGE = S.__name__
# Rows shown per table (pandas shows the first and last ones and the row count).
SHOWN_ROWS = 10


def section_modules(module: types.ModuleType) -> set[str]:
    """Short names of the section modules `module` builds from: itself and the section modules
    it imports (the front page ranks with `importance`). The helpers every section shares
    (the package itself) are left out, or every section would list every table."""
    names = {module.__name__.rsplit(".", 1)[-1]}
    names |= {value.__name__.rsplit(".", 1)[-1] for value in vars(module).values()
              if isinstance(value, types.ModuleType)
              and value.__name__.startswith(SECTIONS_PACKAGE + ".")}
    return names


def tables_read(module: types.ModuleType) -> list[str]:
    """Evidence tables a section reads, in catalog order; `articles` always (it names the
    sources every row cites)."""
    modules = section_modules(module)
    return [name for name, info in CATALOG.items() if name == "articles" or modules & set(info.read_by)]


def evidence(run, module: types.ModuleType) -> dict[str, pd.DataFrame]:
    """The tables `module` reads, by name (ids first, as in the catalog; the articles' decoded
    text left out). A table the run does not have is an empty frame with its columns."""
    frames = {}
    for name in tables_read(module):
        frame = S.all_articles(run) if name == "articles" else S.table(run, name)
        frames[name] = frame.drop(columns=["text"], errors="ignore")
    return frames


def show_evidence(frames: dict[str, pd.DataFrame], rows: int = SHOWN_ROWS) -> None:
    """Display each table under its name and row count (the first and last rows only)."""
    from IPython.display import Markdown, display

    with pd.option_context("display.max_rows", rows, "display.min_rows", rows,
                           "display.max_columns", 40, "display.max_colwidth", 80):
        for name, frame in frames.items():
            display(Markdown(f"**{name}**: {len(frame)} rows"))
            display(frame)
