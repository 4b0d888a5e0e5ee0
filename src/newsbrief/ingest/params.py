"""Validate run parameters before any work is done.

    python -m newsbrief.ingest.params --company DeepSeek --articles data/articles --as-of "" \\
        --reports reports

exits 0 silently when all are good; otherwise prints one `error: <line>` per bad parameter to
stderr and exits 2 (no traceback). Each line names the parameter, the bad value and the fix.

Runs on every `make`, so it imports only the standard library and `newsbrief.ingest.corpus.discover`
(whose module imports the standard library only).
"""
from __future__ import annotations

import argparse
import os
import sys
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from newsbrief.ingest.corpus import has_article_files

EXIT_BAD_PARAMETER = 2


class ParameterError(ValueError):
    """One or more bad parameters; `problems` holds one line per bad parameter."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(self.problems))


@dataclass(frozen=True)
class Params:
    company: str
    articles: Path
    as_of: date | None  # None: the newest article date (resolved after reading the articles)
    reports: Path


def _show(value: object) -> str:
    """The value as typed, on one line; quoted when empty or containing spaces/controls."""
    s = str(value)
    if s == "" or any(c.isspace() or not c.isprintable() for c in s):
        return repr(s)
    return s


def _check_company(company: str | None) -> tuple[str, str]:
    value = "" if company is None else str(company)
    name = " ".join(value.split())
    if not name:
        return "", (f"COMPANY={_show(value)}: empty; pass the company the briefing is about, "
                    "e.g. make COMPANY=DeepSeek")
    if any(not c.isprintable() for c in value.strip()):
        return "", (f"COMPANY={_show(value)}: contains control characters; pass a plain name, "
                    "e.g. make COMPANY=DeepSeek")
    if len(name) > 100:
        return "", (f"COMPANY={_show(value[:40])}...: longer than 100 characters; pass the "
                    "company's name, e.g. make COMPANY=DeepSeek")
    return name, ""


_ARTICLES_FIX = ("pass an existing folder of articles (.txt, .md, .html, .pdf, .docx, .rtf, "
                 ".jsonl, .json, .csv, .rss, .atom, .xml; see the README), "
                 "e.g. make ARTICLES=data/articles")


def _check_articles(articles: str | os.PathLike | None) -> tuple[Path | None, str]:
    raw = "" if articles is None else str(articles)
    if not raw.strip():
        return None, f"ARTICLES={_show(raw)}: empty; {_ARTICLES_FIX}"
    path = Path(raw).expanduser()
    if not path.exists():
        return None, f"ARTICLES={_show(raw)}: folder not found; {_ARTICLES_FIX}"
    if not path.is_dir():
        return None, f"ARTICLES={_show(raw)}: not a folder (it is a file); {_ARTICLES_FIX}"
    if not os.access(path, os.R_OK | os.X_OK):
        return None, f"ARTICLES={_show(raw)}: folder not readable (permission denied); " \
                     "fix its permissions or " + _ARTICLES_FIX
    try:
        found = has_article_files(path)  # same rule as ingest.discover, stops at the first
    except OSError as exc:
        return None, f"ARTICLES={_show(raw)}: cannot list the folder ({exc.strerror or exc}); " \
                     + _ARTICLES_FIX
    if not found:
        return None, (f"ARTICLES={_show(raw)}: no article files in this folder "
                      f"or below; {_ARTICLES_FIX}")
    return path, ""


def _check_as_of(as_of: str | date | None) -> tuple[date | None, str]:
    if as_of is None or isinstance(as_of, date):
        return as_of, ""
    value = str(as_of).strip()
    if not value:
        return None, ""
    fix = "pass a date as YYYY-MM-DD, e.g. make AS_OF=2025-01-31, or AS_OF= for the newest " \
          "article date"
    if len(value) != 10 or value[4] != "-" or value[7] != "-":
        return None, f"AS_OF={_show(as_of)}: not in YYYY-MM-DD form; {fix}"
    try:
        return date.fromisoformat(value), ""
    except ValueError as exc:
        return None, f"AS_OF={_show(as_of)}: not a valid date ({exc}); {fix}"


_REPORTS_FIX = "pass a folder you can write to, e.g. make REPORTS=reports"


def _check_reports(reports: str | os.PathLike | None,
                   articles: Path | None) -> tuple[Path | None, str]:
    raw = "" if reports is None else str(reports)
    if not raw.strip():
        return None, f"REPORTS={_show(raw)}: empty; {_REPORTS_FIX}"
    path = Path(raw).expanduser()
    if articles is not None:
        try:
            inside = path.resolve().is_relative_to(articles.resolve())
        except OSError:
            inside = False
        if inside:
            return None, (f"REPORTS={_show(raw)}: inside the articles folder (the articles are "
                          f"never written to); {_REPORTS_FIX}")
    if path.exists() and not path.is_dir():
        return None, f"REPORTS={_show(raw)}: exists and is not a folder; {_REPORTS_FIX}"
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        return None, (f"REPORTS={_show(raw)}: cannot create the folder "
                      f"({exc.strerror or type(exc).__name__}); {_REPORTS_FIX}")
    probe = path / f".newsbrief-write-test-{os.getpid()}"
    try:
        fd = os.open(probe, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        os.close(fd)
        os.unlink(probe)
    except FileExistsError:
        pass  # a stale probe from a killed run with the same pid: the folder is writable
    except OSError as exc:
        return None, (f"REPORTS={_show(raw)}: folder not writable "
                      f"({exc.strerror or type(exc).__name__}); {_REPORTS_FIX}")
    return path, ""


def validate(company, articles, as_of, reports) -> Params:
    """Check every parameter; return Params or raise ParameterError (one line per bad one).

    COMPANY: non-empty after strip (inner whitespace collapsed). ARTICLES: an existing,
    readable folder holding at least one article file (see ingest.discover). AS_OF: "" / None
    (newest article date) or YYYY-MM-DD. REPORTS: created if missing and must be writable
    (checked with a temporary file); must not lie inside ARTICLES.
    """
    problems = []
    name, err = _check_company(company)
    problems += [err] if err else []
    articles_path, err = _check_articles(articles)
    problems += [err] if err else []
    as_of_date, err = _check_as_of(as_of)
    problems += [err] if err else []
    reports_path, err = _check_reports(reports, articles_path)
    problems += [err] if err else []
    if problems:
        raise ParameterError(problems)
    return Params(company=name, articles=articles_path, as_of=as_of_date, reports=reports_path)


class _OneLineParser(argparse.ArgumentParser):
    def error(self, message: str):  # one line, exit 2 (argparse prints usage + error)
        print(f"error: {' '.join(message.split())}; usage: python -m newsbrief.ingest.params "
              "--company=NAME --articles=DIR --as-of=YYYY-MM-DD --reports=DIR", file=sys.stderr)
        raise SystemExit(EXIT_BAD_PARAMETER)


def main(argv: list[str] | None = None) -> int:
    parser = _OneLineParser(prog="python -m newsbrief.ingest.params",
                            description="Validate briefing parameters.")
    parser.add_argument("--company", default="")
    parser.add_argument("--articles", default="")
    parser.add_argument("--as-of", dest="as_of", default="")
    parser.add_argument("--reports", default="")
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse already printed its one-line usage error
        return EXIT_BAD_PARAMETER if exc.code else 0
    try:
        validate(args.company, args.articles, args.as_of, args.reports)
    except ParameterError as exc:
        for line in exc.problems:
            print(f"error: {line}", file=sys.stderr)
        return EXIT_BAD_PARAMETER
    except Exception as exc:  # noqa: BLE001 - one line, never a traceback, on any surprise
        msg = " ".join(str(exc).split())
        print(f"error: could not check the parameters ({type(exc).__name__}: {msg})",
              file=sys.stderr)
        return EXIT_BAD_PARAMETER
    return 0


if __name__ == "__main__":
    sys.exit(main())
