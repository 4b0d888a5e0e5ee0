"""The run a notebook works in: parameters resolved once, evidence tables loaded on demand.

Every notebook's parameters cell holds literal defaults (COMPANY, ARTICLES, AS_OF, REPORTS,
BUILD); the next cell calls `open_run(...)`, which validates them and returns a `Run`.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from pathlib import Path

from newsbrief import paths

RUN_FILE = "run.json"
# Tables already read in this process (the notebooks share one kernel), by path, mtime and size.
_READ: dict[tuple, object] = {}


def article_numbers(article_ids) -> dict[str, int]:
    """article_id -> 1-based number in sorted id order: how the briefing names an article whose
    outlet is unknown ('Article 3'), in the text, the sources table and the quoted passages."""
    return {aid: i for i, aid in enumerate(sorted({str(a) for a in article_ids}), 1)}


def resolve_path(value: str | Path, default: Path) -> Path:
    """A parameter path: empty -> default; relative -> relative to the project root."""
    if not str(value).strip():
        return default
    path = Path(value).expanduser()
    return path if path.is_absolute() else (paths.PROJECT_ROOT / path)


@dataclass
class Run:
    """One briefing run: parameters, paths and (lazily) the evidence tables."""

    company: str
    articles_dir: Path
    reports: Path
    run_paths: paths.RunPaths
    as_of_param: str = ""
    _tables: dict = field(default_factory=dict, repr=False)

    @cached_property
    def info(self) -> dict:
        """What the evidence notebook recorded about the run (as-of date, counts, notes)."""
        path = self.run_paths.processed / RUN_FILE
        if not path.exists():
            raise FileNotFoundError(f"{path}: evidence not built yet; run notebooks/01_evidence.ipynb "
                                    "first (or `make`)")
        return json.loads(path.read_text(encoding="utf-8"))

    @property
    def as_of(self) -> date | None:
        value = self.info.get("as_of") or ""
        return date.fromisoformat(value) if value else None

    def table(self, name: str):
        """An evidence table (pandas DataFrame) from the processed stage, cached."""
        import pandas as pd

        if name not in self._tables:
            stage = "interim" if name == "articles" else "processed"
            path = self.run_paths.table(name, stage)
            stat = path.stat()
            key = (str(path), stat.st_mtime_ns, stat.st_size)
            if key not in _READ:
                _READ[key] = pd.read_parquet(path)
            # pandas copy-on-write: a shallow copy shares the data, yet an edit stays local
            self._tables[name] = _READ[key].copy(deep=False)
        return self._tables[name]

    @property
    def articles(self):
        """Articles that made it into the briefing (included, not duplicates)."""
        frame = self.table("articles")
        return frame[frame["included"]].reset_index(drop=True)


def open_run(company: str, articles: str, as_of: str, reports: str, build: str = "") -> Run:
    """Validate notebook parameters and return the Run they describe."""
    from newsbrief.ingest.params import validate

    articles_dir = resolve_path(articles, paths.DEFAULT_ARTICLES_DIR)
    reports_dir = resolve_path(reports, paths.DEFAULT_REPORTS_DIR)
    params = validate(company=company, articles=str(articles_dir), as_of=as_of, reports=str(reports_dir))
    build_dir = resolve_path(build, paths.build_dir_for(params.company, articles_dir)) if build else None
    run_paths = paths.run_paths(params.company, articles_dir, reports_dir, build_dir)
    run = Run(company=params.company, articles_dir=articles_dir, reports=reports_dir,
              run_paths=run_paths, as_of_param=as_of)
    _OPENED[:] = [run]
    return run


_OPENED: list[Run] = []   # the run a notebook opened last (what `newsbrief.review` records against)


def last_opened() -> Run | None:
    """The run the last `open_run` call returned in this process, if any."""
    return _OPENED[0] if _OPENED else None
