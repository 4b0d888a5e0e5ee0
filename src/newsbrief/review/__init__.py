"""The review stage: the analyst's decisions, applied between the evidence and the briefing.

From a notebook, after ``run = open_run(...)``, one line records a decision::

    from newsbrief import review
    review.set_aside("dis-1a2b3c4d", "two different funding rounds, not a dispute")
    review.relabel("clm-0f3e2a11", "an outside estimate", label="estimate")
    review.note("costs", "Training-cost figures cover the final run only.")

Each call checks the id against the run's evidence (a ValueError names an unknown id), writes
the decision file atomically in a stable order (`decisions.render`: the comment lines at the top
of the file are kept, comments between decisions are not) and refreshes the build's copy, so the
next ``make`` rebuilds the briefing with it. `reviewed(run)` gives the tables after the decisions
(what the briefing reads) and what was applied, set aside and not matched.
"""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from newsbrief.evidence import run as run_mod
from newsbrief.review import decisions as decisions_mod
from newsbrief.review.decisions import Decision, DecisionError

if TYPE_CHECKING:     # apply needs pandas; make checks the decision file without it
    from newsbrief.review.apply import Reviewed

__all__ = ["set_aside", "confirm", "relabel", "pin", "drop", "merge_names", "correct_article",
           "note", "reviewed", "decision_file", "build_report", "Decision", "DecisionError"]

_REVIEWED: dict[tuple, Reviewed] = {}


def _run(run):
    run = run or run_mod.last_opened()
    if run is None:
        raise ValueError("no run: call open_run(...) first (the notebook's second cell), or pass run=")
    return run


def decision_file(run=None) -> Path:
    """The analyst's decision file for `run`: the one make was given (REVIEW=...), recorded
    beside the build's copy, else data/review/<company slug>.yml."""
    run = _run(run)
    recorded = decisions_mod.source_path_file(run.run_paths.review)
    if recorded.exists():
        return Path(recorded.read_text(encoding="utf-8").strip())
    return decisions_mod.default_path(run.company)


def _snapshot_state(run) -> tuple:
    path = run.run_paths.review
    if not path.exists():
        return (str(path), None)
    stat = path.stat()
    return (str(path), stat.st_mtime_ns, stat.st_size)


def reviewed(run, sections=()) -> Reviewed:
    """The run's tables after the decisions in the build's copy of the decision file (no copy:
    the decision file itself), cached per run and decision file state. `sections`: the section
    keys a note may name."""
    from newsbrief.review.apply import TABLES, apply_decisions

    source = run.run_paths.review if run.run_paths.review.exists() else decision_file(run)
    key = (id(run), str(source), _snapshot_state(run), tuple(sections))
    if key not in _REVIEWED:
        found = decisions_mod.load(source).decisions
        tables = {name: _table(run, name) for name in TABLES} if found else {}
        if len(_REVIEWED) > 16:     # a long interactive session: keep memory bounded
            _REVIEWED.clear()
        _REVIEWED[key] = apply_decisions(tables, found, sections)
    return _REVIEWED[key]


def build_report(company: str, articles: str, reports: str, build: str, sections=()) -> list[str]:
    """Lines for the build output: how many decisions were applied, and each one not matched
    by name (the data notes of the briefing list them too). Empty without decisions."""
    run = run_mod.open_run(company, articles, "", reports, build)
    done = reviewed(run, sections)
    if not done.n_decisions:
        return []
    lines = [f"review: {len(done.applied)} decisions applied, {len(done.unmatched)} not matched"]
    lines += [f"  warning: decision `{d.name}`" + (f" (line {d.line})" if d.line else "")
              + f" not applied: {why}" for d, why in done.unmatched]
    return lines


def _table(run, name: str):
    try:
        return run.table(name)
    except (FileNotFoundError, KeyError, OSError):
        return None


def _record(decision: Decision, run=None) -> Path:
    """Add `decision` (replacing one of the same kind and target) and write the file and the
    build's copy."""
    run = _run(run)
    if decision.kind == "merge_names":
        _check_value(run, "entities", "name", decision.target, "entity named")
    elif decision.kind == "correct_article":
        _check_value(run, "articles", "article_id", decision.target, "article with article_id")
    elif decision.kind != "note":
        _check_id(run, decision.target)
    path = decision_file(run)
    current = decisions_mod.load(path)
    kept = [d for d in current.decisions
            if (d.kind, d.target) != (decision.kind, decision.target) or d.kind == "note"]
    current.decisions = kept + [decision]
    current.path = path
    text = decisions_mod.render(current)
    decisions_mod.parse(text, path)    # the same checks as `make`: a bad value fails here
    decisions_mod.save(current)
    decisions_mod.snapshot(path, run.run_paths.review)
    return path


def _check_id(run, item_id: str) -> None:
    from newsbrief.review.apply import item_kind

    kind = item_kind(item_id)
    frame = _table(run, kind[0]) if kind else None
    if frame is None or item_id not in set(frame[kind[1]].astype(str)):
        raise ValueError(f"{item_id!r}: no claim, figure, disagreement, statement or sentence "
                         "with this id in the run's evidence; copy the id from the evidence table")


def _check_value(run, table: str, column: str, value: str, what: str) -> None:
    frame = _table(run, table)
    if frame is None or value not in set(frame[column].astype(str)):
        raise ValueError(f"{value!r}: no {what} {value!r} in the run's evidence ({table}.csv)")


def _decision(kind: str, target: str, reason: str, **fields) -> Decision:
    given = tuple(sorted((k, v) for k, v in fields.items() if v is not None))
    return Decision(kind, str(target), str(reason or "").strip(), given)


def set_aside(item_id: str, reason: str, run=None) -> Path:
    """Keep a claim, figure, disagreement or statement (doubt) out of the briefing."""
    return _record(_decision("set_aside", item_id, reason), run)


def confirm(item_id: str, reason: str, run=None) -> Path:
    """Record that the analyst checked an item and it stands (listed in sources and method)."""
    return _record(_decision("confirm", item_id, reason), run)


def relabel(item_id: str, reason: str, *, label: str | None = None, stance: str | None = None,
            is_doubt: bool | None = None, measure: str | None = None, subject: str | None = None,
            run=None) -> Path:
    """Change a claim's label, a statement's stance / is_doubt, or a figure's measure / subject."""
    doubt = None if is_doubt is None else str(bool(is_doubt)).lower()
    return _record(_decision("relabel", item_id, reason, label=label, stance=stance,
                             is_doubt=doubt, measure=measure, subject=subject), run)


def pin(item_id: str, reason: str, run=None) -> Path:
    """Put a claim or sentence first among the key judgments."""
    return _record(_decision("pin", item_id, reason), run)


def drop(item_id: str, reason: str, run=None) -> Path:
    """Keep a claim or sentence off the key judgments."""
    return _record(_decision("drop", item_id, reason), run)


def merge_names(name: str, into: str, reason: str, run=None) -> Path:
    """Two names of one entity: `name` is shown as `into` everywhere."""
    return _record(_decision("merge_names", name, reason, into=into), run)


def correct_article(article_id: str, reason: str, *, outlet: str | None = None,
                    title: str | None = None, published: str | None = None, run=None) -> Path:
    """Correct an article's outlet, title or publication date (YYYY-MM-DD)."""
    return _record(_decision("correct_article", article_id, reason, outlet=outlet, title=title,
                             published=published), run)


def note(section: str, text: str, run=None) -> Path:
    """Add an analyst note to a section (its key: front, company, models, costs, ...)."""
    return _record(_decision("note", section, "", text=text), run)
