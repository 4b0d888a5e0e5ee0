"""Precision and recall of the evidence tables against hand labels (data/eval/seed_labels.yml).

Usage::

    python -m newsbrief.dev.evaluate --articles data/articles [--labels data/eval/seed_labels.yml]
                                 [--source auto|extractors|evidence] [--company DeepSeek]
                                 [--show-errors]

Prints one line per labelled table: ``table, labelled, found, matched, precision, recall``.

Where the rows come from (``--source``):

* ``evidence``: ``newsbrief.evidence.layer.build_evidence`` on ``newsbrief.ingest.corpus.load_articles``
  (the real pipeline);
* ``extractors``: this package's text-level extractors run directly
  (``clean.find_furniture`` -> ``sentences.split_sentences`` -> ``figures.extract_figures`` /
  ``dates.extract_dates``), with the publication date read from the text and file name as
  ingest reads it (``infer_meta.publication_date``);
* ``auto`` (default): ``evidence`` if it imports and runs, else ``extractors``.

Article ids are file names without extension (rows from the pipeline are mapped back to the
file name through the articles table when it has a ``file`` column).

Matching rules (one-to-one: each found row matches at most one label and vice versa, in text
order):

* **figures**: same ``article_id`` and ``unit``, and ``value``, ``low``, ``high`` equal within a
  relative tolerance of 1e-6. (Kind, qualifier and measure are reported separately with
  ``--show-errors`` as attribute agreement among matched rows; they do not affect the score.)
* **dates**: same ``article_id``, ``date`` and ``precision``. The date labels assume the
  publication dates under ``articles:`` in the labels file (the stated ones); when a run has a
  publication date for an article that the labels treat as undated (metadata file, inferred
  date), the ``unresolvable_dates`` entries with an ``if_anchored`` period become labels too.
* **entities**: same case-folded ``name`` (corpus level, no article_id).
* **statements**: same ``article_id`` and case-folded ``speaker``, and the labelled ``quote``
  (or ``content``) text occurs in the found row's quote, or vice versa.
* **disagreements**: same ``measure`` (and ``subject`` when the label has one); one found item
  per ``disagreement_id`` (its first row), not one per quoted row.

A table whose label list is empty, or that the source does not produce (the extractors make
only figures and dates), is not scored.
precision = matched / found, recall = matched / labelled (1.0 when the denominator is 0).
"""
from __future__ import annotations

import argparse
import math
import sys
from pathlib import Path
from typing import Callable, Iterable

import yaml

from newsbrief import paths

TABLES = ("figures", "dates", "entities", "statements", "disagreements")
DEFAULT_LABELS = paths.EVAL_DIR / "seed_labels.yml"
ARTICLE_SUFFIXES = (".txt", ".md")


# --------------------------------------------------------------------------------------------
# Labels
# --------------------------------------------------------------------------------------------

def load_labels(path: str | Path = DEFAULT_LABELS) -> dict:
    """The labels file as a dict; dates are normalised to ISO strings."""
    with open(path, encoding="utf-8") as handle:
        data = yaml.safe_load(handle) or {}
    for row in data.get("dates") or []:
        for key in ("date", "date_end"):
            if key in row and row[key] is not None:
                row[key] = str(row[key])
    for row in data.get("unresolvable_dates") or []:
        for key in ("date", "date_end"):
            if row.get("if_anchored") and row["if_anchored"].get(key) is not None:
                row["if_anchored"][key] = str(row["if_anchored"][key])
    for info in (data.get("articles") or {}).values():
        if info and info.get("published") is not None:
            info["published"] = str(info["published"])
    return data


# --------------------------------------------------------------------------------------------
# Matching
# --------------------------------------------------------------------------------------------

def _close(a, b, rel: float = 1e-6) -> bool:
    try:
        a, b = float(a), float(b)
    except (TypeError, ValueError):
        return False
    if math.isnan(a) or math.isnan(b):
        return False
    return math.isclose(a, b, rel_tol=rel, abs_tol=1e-9)


def _fold(x) -> str:
    return " ".join(str(x or "").split()).casefold()


def _match_figure(label: dict, row: dict) -> bool:
    return (str(label["article_id"]) == str(row.get("article_id"))
            and str(label["unit"]) == str(row.get("unit"))
            and all(_close(label[k], row.get(k)) for k in ("value", "low", "high")))


def _match_date(label: dict, row: dict) -> bool:
    return (str(label["article_id"]) == str(row.get("article_id"))
            and str(label["date"]) == str(row.get("date"))
            and str(label["precision"]) == str(row.get("precision")))


def _match_entity(label: dict, row: dict) -> bool:
    return _fold(label.get("name")) == _fold(row.get("name"))


def _match_statement(label: dict, row: dict) -> bool:
    if str(label.get("article_id")) != str(row.get("article_id")):
        return False
    if label.get("speaker") and _fold(label["speaker"]) != _fold(row.get("speaker")):
        return False
    want = _fold(label.get("quote") or label.get("content"))
    got = _fold(row.get("quote"))
    return bool(want) and (want in got or got in want)


def _match_disagreement(label: dict, row: dict) -> bool:
    if _fold(label.get("measure")) != _fold(row.get("measure")):
        return False
    return not label.get("subject") or _fold(label["subject"]) == _fold(row.get("subject"))


MATCHERS: dict[str, Callable[[dict, dict], bool]] = {
    "figures": _match_figure,
    "dates": _match_date,
    "entities": _match_entity,
    "statements": _match_statement,
    "disagreements": _match_disagreement,
}


def match(table: str, labels: list[dict], found: list[dict]) -> tuple[list[tuple[dict, dict]], list[dict], list[dict]]:
    """One-to-one greedy matching: (pairs, unmatched labels, unmatched found rows)."""
    matcher = MATCHERS[table]
    free = list(range(len(found)))
    pairs, missed = [], []
    for label in labels:
        hit = next((i for i in free if matcher(label, found[i])), None)
        if hit is None:
            missed.append(label)
        else:
            free.remove(hit)
            pairs.append((label, found[hit]))
    extra = [found[i] for i in free]
    return pairs, missed, extra


def score(table: str, labels: list[dict], found: list[dict]) -> dict:
    """{table, labelled, found, matched, precision, recall} for one table."""
    pairs, _missed, _extra = match(table, labels, found)
    n_lab, n_found, n_match = len(labels), len(found), len(pairs)
    return {
        "table": table,
        "labelled": n_lab,
        "found": n_found,
        "matched": n_match,
        "precision": n_match / n_found if n_found else 1.0,
        "recall": n_match / n_lab if n_lab else 1.0,
    }


# --------------------------------------------------------------------------------------------
# Producing rows
# --------------------------------------------------------------------------------------------

def _read_text(path: Path) -> str:
    try:
        from newsbrief.ingest.corpus import read_article_text
        return read_article_text(path)
    except ImportError:
        raw = path.read_bytes()
        for enc in ("utf-8-sig", "cp1252", "latin-1"):
            try:
                return raw.decode(enc)
            except UnicodeDecodeError:
                continue
        return raw.decode("latin-1")


def run_extractors(articles_dir: str | Path, article_ids: Iterable[str] | None = None) -> dict[str, list[dict]]:
    """Run clean -> sentences -> figures/dates on every .txt/.md file (sorted by name).

    The publication date is the one ingest reads from the text and file name (None without
    one). Returns
    {"sentences": [...], "figures": [...], "dates": [...]}.
    """
    import datetime as dt

    from newsbrief.extract import clean, dates, figures, sentences
    from newsbrief.ingest import infer_meta

    wanted = set(article_ids) if article_ids is not None else None
    out: dict[str, list[dict]] = {"articles": [], "sentences": [], "figures": [], "dates": []}
    for path in sorted(Path(articles_dir).iterdir()):
        if path.suffix.lower() not in ARTICLE_SUFFIXES or path.name.startswith("."):
            continue
        if path.name.lower() == "readme.md":
            continue
        article_id = path.stem
        if wanted is not None and article_id not in wanted:
            continue
        text = _read_text(path)
        found = infer_meta.publication_date(text, path.name).value
        published = dt.date.fromisoformat(found) if found else None
        out["articles"].append({"article_id": article_id, "published": found})
        rows = sentences.split_sentences(article_id, text, clean.find_furniture(text))
        out["sentences"].extend(rows)
        out["figures"].extend(figures.extract_figures(rows))
        out["dates"].extend(dates.extract_dates(rows, published))
    return out


def run_evidence(articles_dir: str | Path, company: str) -> dict[str, list[dict]]:
    """Run the real pipeline (ingest + layer.build_evidence); raises if it is not available."""
    from newsbrief.evidence import layer
    from newsbrief.ingest import corpus

    loaded = corpus.load_articles(articles_dir, company)
    articles_df = loaded[0] if isinstance(loaded, tuple) else loaded
    tables = layer.build_evidence(articles_df, company)
    id_to_file = {}
    if "file" in articles_df.columns:
        for aid, file in zip(articles_df["article_id"], articles_df["file"]):
            id_to_file[str(aid)] = Path(str(file)).stem
    out: dict[str, list[dict]] = {
        "articles": [{"article_id": id_to_file.get(str(a), str(a)), "published": str(p or "")}
                     for a, p in zip(articles_df["article_id"], articles_df.get("published", [""] * len(articles_df)))]}
    for name, frame in tables.items():
        if name == "articles":
            continue
        records = frame.to_dict("records") if hasattr(frame, "to_dict") else list(frame)
        for rec in records:
            if "article_id" in rec:
                rec["article_id"] = id_to_file.get(str(rec["article_id"]), rec["article_id"])
        out[name] = records
    return out


def produce(articles_dir: str | Path, source: str = "auto", company: str = "") -> tuple[dict[str, list[dict]], str]:
    """(tables, source actually used)."""
    if source in ("auto", "evidence"):
        try:
            return run_evidence(articles_dir, company), "evidence"
        except Exception as exc:  # noqa: BLE001 - any failure falls back in auto mode
            if source == "evidence":
                raise
            print(f"note: layer.build_evidence not usable ({type(exc).__name__}: {exc}); "
                  "using the extractors directly", file=sys.stderr)
    return run_extractors(articles_dir), "extractors"


def effective_labels(table: str, labels: dict, tables: dict[str, list[dict]]) -> list[dict]:
    """The labels of one table; for dates, plus the `unresolvable_dates` entries with an
    `if_anchored` period for articles the run did have a publication date for."""
    lab = list(labels.get(table) or [])
    if table != "dates":
        return lab
    anchored = {str(r.get("article_id")) for r in tables.get("articles") or []
                if str(r.get("published") or "").strip() not in ("", "None", "nan", "NaT")}
    for row in labels.get("unresolvable_dates") or []:
        if row.get("if_anchored") and str(row["article_id"]) in anchored:
            lab.append({"article_id": row["article_id"], "mention": row["mention"],
                        **row["if_anchored"]})
    return lab


def one_per_disagreement(rows: list[dict]) -> list[dict]:
    """One item per disagreement_id (its first row), not one per quoted row: a disagreement has
    two sides and several quotes, but it is one finding (as in evaluate_semantic)."""
    out, seen = [], set()
    for r in rows:
        did = r.get("disagreement_id")
        if did is not None and did != "":
            if did in seen:
                continue
            seen.add(did)
        out.append(r)
    return out


def evaluate(tables: dict[str, list[dict]], labels: dict) -> list[dict]:
    """Score every table that has labels; rows limited to the labelled articles."""
    labelled_ids = {str(a) for a in (labels.get("articles") or {})}
    results = []
    for table in TABLES:
        lab = effective_labels(table, labels, tables)
        if not lab or table not in tables:
            continue  # nothing labelled, or this source does not produce the table
        found = tables.get(table) or []
        if labelled_ids and table in ("figures", "dates", "statements"):
            found = [r for r in found if str(r.get("article_id")) in labelled_ids]
        if table == "disagreements":
            found = one_per_disagreement(found)
        results.append(score(table, lab, found))
    return results


def format_table(results: list[dict]) -> str:
    head = f"{'table':<14}{'labelled':>9}{'found':>7}{'matched':>9}{'precision':>11}{'recall':>8}"
    lines = [head]
    for r in results:
        lines.append(f"{r['table']:<14}{r['labelled']:>9}{r['found']:>7}{r['matched']:>9}"
                     f"{r['precision']:>11.3f}{r['recall']:>8.3f}")
    return "\n".join(lines)


def _errors(table: str, labels: list[dict], found: list[dict]) -> str:
    pairs, missed, extra = match(table, labels, found)
    lines = [f"--- {table}: {len(missed)} missed, {len(extra)} extra"]
    for lab in missed:
        lines.append(f"  MISSED {lab.get('article_id', '')} {lab.get('mention', lab.get('name', ''))!r}")
    for row in extra:
        lines.append(f"  EXTRA  {row.get('article_id', '')} {row.get('mention', row.get('name', ''))!r} "
                     f"{ {k: row.get(k) for k in ('value', 'unit', 'date', 'precision') if k in row} }")
    if table == "figures" and pairs:
        for attr in ("kind", "qualifier", "measure"):
            ok = sum(str(a.get(attr, "")) == str(b.get(attr, "")) for a, b in pairs)
            lines.append(f"  {attr} agrees on {ok}/{len(pairs)} matched rows")
            for a, b in pairs:
                if str(a.get(attr, "")) != str(b.get(attr, "")):
                    lines.append(f"    {a['article_id']} {a.get('mention')!r}: label {a.get(attr)!r}, found {b.get(attr)!r}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m newsbrief.dev.evaluate", description=__doc__.split("\n")[0])
    parser.add_argument("--articles", default=str(paths.DEFAULT_ARTICLES_DIR))
    parser.add_argument("--labels", default=str(DEFAULT_LABELS))
    parser.add_argument("--source", choices=("auto", "extractors", "evidence"), default="auto")
    parser.add_argument("--company", default=None, help="company name (default: labels' `company`)")
    parser.add_argument("--show-errors", action="store_true")
    args = parser.parse_args(argv)
    labels = load_labels(args.labels)
    company = args.company or labels.get("company") or ""
    tables, used = produce(args.articles, args.source, company)
    results = evaluate(tables, labels)
    print(f"source: {used}; labels: {args.labels}")
    print(format_table(results))
    if args.show_errors:
        labelled_ids = {str(a) for a in (labels.get("articles") or {})}
        for table in TABLES:
            lab = effective_labels(table, labels, tables)
            found = [r for r in tables.get(table) or []
                     if table not in ("figures", "dates", "statements") or str(r.get("article_id")) in labelled_ids]
            if table == "disagreements":
                found = one_per_disagreement(found)
            if lab:
                print(_errors(table, lab, found))
            else:
                print(f"--- {table}: no labels yet ({len(found)} rows found)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
