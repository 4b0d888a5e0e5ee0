"""Every path the pipeline uses, in one place.

Data flows one way: raw articles (never written) -> interim -> processed -> reports.
Intermediate files live in a build directory per (company, articles folder), so runs
for different corpora never mix and nothing is ever written into the articles folder.
"""
from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]
DATA_DIR = PROJECT_ROOT / "data"
DEFAULT_ARTICLES_DIR = DATA_DIR / "articles"
KNOWLEDGE_DIR = Path(os.environ.get("NEWSBRIEF_KNOWLEDGE", DATA_DIR / "knowledge"))
EVAL_DIR = DATA_DIR / "eval"
BUILD_ROOT = Path(os.environ.get("NEWSBRIEF_BUILD", PROJECT_ROOT / "build"))
DEFAULT_REPORTS_DIR = PROJECT_ROOT / "reports"
TEMPLATES_DIR = Path(__file__).resolve().parent / "export" / "templates"

# Metadata file names looked for beside the articles (first found wins).
METADATA_FILES = ("metadata.csv", "metadata.yml", "metadata.yaml")


def slugify(text: str, fallback: str = "") -> str:
    """The one slug rule (build folders, article and entity ids, HTML anchors): runs of anything
    but a-z0-9 after lower-casing become "-": 'Mistral AI' -> 'mistral-ai'; `fallback` if empty.
    The Makefile's SLUG repeats it in sed, for the build folder name."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or fallback


def build_dir_for(company: str, articles_dir: str | os.PathLike) -> Path:
    """Build directory for one (company, corpus) pair: build/<company>-<hash of corpus path>."""
    corpus = str(Path(articles_dir).resolve())
    digest = hashlib.sha256(corpus.encode("utf-8")).hexdigest()[:10]
    return BUILD_ROOT / f"{slugify(company, 'company')}-{digest}"


def shown_path(path: str | os.PathLike) -> str:
    """A folder as the briefing may print it: relative to the project when inside it, else only
    its name (an absolute path would put the machine's layout into the outputs)."""
    resolved = Path(path).resolve()
    try:
        return resolved.relative_to(PROJECT_ROOT).as_posix() or "."
    except ValueError:
        return f"{resolved.name} (a folder outside the project)"


@dataclass(frozen=True)
class RunPaths:
    """All paths of one run, derived from the build directory and the reports directory."""

    build: Path
    reports: Path

    @property
    def interim(self) -> Path:
        return self.build / "interim"

    @property
    def processed(self) -> Path:
        return self.build / "processed"

    @property
    def executed(self) -> Path:
        """Executed notebooks: the build log."""
        return self.build / "executed"

    @property
    def edition(self) -> Path:
        """This build's edition record (published by the export under `editions`)."""
        return self.build / "edition"

    @property
    def previous_edition(self) -> Path:
        """Fingerprint of the earlier edition the front page compared with (make's prerequisite)."""
        return self.build / "previous-edition.txt"

    @property
    def editions(self) -> Path:
        """Edition records published beside the briefing, one folder per AS_OF."""
        return self.reports / "editions"

    @property
    def evidence(self) -> Path:
        """CSV evidence tables published beside the briefing."""
        return self.reports / "evidence"

    @property
    def review(self) -> Path:
        """The build's copy of the analyst's decision file (make refreshes it when it changes)."""
        return self.build / "review.yml"

    def table(self, name: str, stage: str = "processed") -> Path:
        return (self.interim if stage == "interim" else self.processed) / f"{name}.parquet"


def run_paths(company: str, articles_dir: str | os.PathLike, reports_dir: str | os.PathLike,
              build_dir: str | os.PathLike | None = None) -> RunPaths:
    """Paths for a run; `build_dir` overrides the derived build directory (Make passes it)."""
    build = Path(build_dir) if build_dir else build_dir_for(company, articles_dir)
    return RunPaths(build=build.resolve(), reports=Path(reports_dir).resolve())
