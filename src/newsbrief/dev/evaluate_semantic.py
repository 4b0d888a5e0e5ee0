"""Scores for the semantic tables that need more than newsbrief.dev.evaluate's row matching.

* entities: name match (as evaluate.py) plus kind / role / organisation agreement on matches;
* statements: article + speaker + quote match (as evaluate.py) plus stance / evidence /
  audience agreement on matches;
* disagreements: one item per disagreement_id (not per quoted row): a label matches when the
  measure agrees and each labelled side's articles are on one side of the found disagreement.

Usage: python -m newsbrief.dev.evaluate_semantic [--articles data/articles] [--company DeepSeek]
"""
from __future__ import annotations

import argparse
import sys
from collections import defaultdict

from newsbrief.dev import evaluate


def _fold(x) -> str:
    return " ".join(str(x or "").split()).casefold()


def group_disagreements(rows: list[dict]) -> list[dict]:
    """Collapse disagreement rows into {measure, subject, sides: {A: set, B: set}, values}."""
    out: dict[str, dict] = {}
    for r in rows:
        d = out.setdefault(r["disagreement_id"], {"disagreement_id": r["disagreement_id"],
                                                  "measure": r["measure"], "subject": r.get("subject", ""),
                                                  "sides": defaultdict(set), "values": defaultdict(set)})
        d["sides"][r["side"]].add(str(r["article_id"]))
        d["values"][r["side"]].add(str(r.get("value_text", "")))
    return list(out.values())


def sides_match(label: dict, found: dict) -> bool:
    """Each labelled side's articles are on one side of the found (grouped) disagreement."""
    want = label.get("sides") or {}
    if not want:
        return True
    la, lb = set(want.get("A", [])), set(want.get("B", []))
    fa, fb = found["sides"].get("A", set()), found["sides"].get("B", set())
    return (la <= fa and lb <= fb) or (la <= fb and lb <= fa)


def _match_disagreement(label: dict, found: dict) -> bool:
    return _fold(label.get("measure")) == _fold(found["measure"]) and sides_match(label, found)


def _greedy(labels, found, matcher):
    free = list(range(len(found)))
    pairs = []
    for lab in labels:
        hit = next((i for i in free if matcher(lab, found[i])), None)
        if hit is not None:
            free.remove(hit)
            pairs.append((lab, found[hit]))
    return pairs


def _pr(n_lab, n_found, n_match) -> tuple[float, float]:
    return (n_match / n_found if n_found else 1.0, n_match / n_lab if n_lab else 1.0)


def score_semantic(tables: dict[str, list[dict]], labels: dict) -> list[dict]:
    results = []
    # entities
    lab = labels.get("entities") or []
    found = tables.get("entities") or []
    pairs = _greedy(lab, found, evaluate.MATCHERS["entities"])
    p, r = _pr(len(lab), len(found), len(pairs))
    kind_ok = sum(_fold(l.get("kind")) == _fold(f.get("kind")) for l, f in pairs)
    roles = [(l, f) for l, f in pairs if l.get("role")]
    role_ok = sum(_fold(l["role"]) in _fold(f.get("role")) for l, f in roles)
    orgs = [(l, f) for l, f in pairs if l.get("organisation")]
    org_ok = sum(_fold(l["organisation"]) in _fold(f.get("organisation")) for l, f in orgs)
    results.append({"table": "entities", "labelled": len(lab), "found": len(found),
                    "matched": len(pairs), "precision": p, "recall": r,
                    "attributes": f"kind {kind_ok}/{len(pairs)}, role {role_ok}/{len(roles)}, "
                                  f"organisation {org_ok}/{len(orgs)}"})
    # statements
    ids = {str(a) for a in (labels.get("articles") or {})}
    lab = labels.get("statements") or []
    found = [s for s in tables.get("statements") or [] if not ids or str(s.get("article_id")) in ids]
    pairs = _greedy(lab, found, evaluate.MATCHERS["statements"])
    p, r = _pr(len(lab), len(found), len(pairs))
    st_ok = sum(l.get("stance") == f.get("stance") for l, f in pairs)
    ev_ok = sum(l.get("evidence", "unknown") == f.get("evidence") for l, f in pairs)
    aud = [(l, f) for l, f in pairs if l.get("audience")]
    aud_ok = sum(_fold(l["audience"]) == _fold(f.get("audience")) for l, f in aud)
    results.append({"table": "statements", "labelled": len(lab), "found": len(found),
                    "matched": len(pairs), "precision": p, "recall": r,
                    "attributes": f"stance {st_ok}/{len(pairs)}, evidence {ev_ok}/{len(pairs)}, "
                                  f"audience {aud_ok}/{len(aud)}"})
    # disagreements (one item per disagreement_id)
    lab = labels.get("disagreements") or []
    found = group_disagreements(tables.get("disagreements") or [])
    pairs = _greedy(lab, found, _match_disagreement)
    p, r = _pr(len(lab), len(found), len(pairs))
    results.append({"table": "disagreements", "labelled": len(lab), "found": len(found),
                    "matched": len(pairs), "precision": p, "recall": r, "attributes": ""})
    return results


def errors(tables: dict[str, list[dict]], labels: dict) -> str:
    lines = []
    ids = {str(a) for a in (labels.get("articles") or {})}
    found = [s for s in tables.get("statements") or [] if not ids or str(s.get("article_id")) in ids]
    lab = labels.get("statements") or []
    pairs = _greedy(lab, found, evaluate.MATCHERS["statements"])
    used = {id(f) for _, f in pairs}
    got = {id(l) for l, _ in pairs}
    for l in lab:
        if id(l) not in got:
            lines.append(f"  MISSED statement {l['article_id'][:3]} {l['speaker']!r}: {l.get('quote')!r}")
    for f in found:
        if id(f) not in used:
            lines.append(f"  EXTRA  statement {f['article_id'][:3]} {f['speaker']!r} ({f['stance']}): {f['quote'][:90]!r}")
    for l, f in pairs:
        if l.get("stance") != f.get("stance") or l.get("evidence", "unknown") != f.get("evidence"):
            lines.append(f"  WRONG  statement {l['article_id'][:3]} {l['speaker']!r}: "
                         f"stance {f.get('stance')} (label {l.get('stance')}), evidence {f.get('evidence')}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", default=str(evaluate.paths.DEFAULT_ARTICLES_DIR))
    ap.add_argument("--labels", default=str(evaluate.DEFAULT_LABELS))
    ap.add_argument("--company", default="")
    ap.add_argument("--show-errors", action="store_true")
    args = ap.parse_args(argv)
    labels = evaluate.load_labels(args.labels)
    company = args.company or labels.get("company") or ""
    tables = evaluate.run_evidence(args.articles, company)
    res = score_semantic(tables, labels)
    print(f"{'table':<14}{'labelled':>9}{'found':>7}{'matched':>9}{'precision':>11}{'recall':>8}  attributes")
    for r in res:
        print(f"{r['table']:<14}{r['labelled']:>9}{r['found']:>7}{r['matched']:>9}"
              f"{r['precision']:>11.3f}{r['recall']:>8.3f}  {r['attributes']}")
    if args.show_errors:
        print(errors(tables, labels))
    return 0


if __name__ == "__main__":
    sys.exit(main())
