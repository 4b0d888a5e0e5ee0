"""Disagreements: incompatible values of the same quantity across articles, side by side."""
from __future__ import annotations

import re
from collections import Counter, defaultdict
from functools import lru_cache

import pandas as pd

from newsbrief import knowledge
from newsbrief.link import vectors
from newsbrief.link.claims import FigureRef
from newsbrief.schemas import SCHEMAS

DISAGREEMENT_COLUMNS = list(SCHEMAS["disagreements"].columns)


class _RowAccess:
    """Read-only `.at[row, col]` and `.loc[row][col]` for a DataFrame with a RangeIndex, on
    Python lists (pandas scalar access costs microseconds per call)."""

    def __init__(self, df: pd.DataFrame):
        self._cols = {c: df[c].tolist() for c in df.columns}
        self.at = self
        self.loc = _RowLoc(self._cols)

    def __getitem__(self, key):
        row, col = key
        return self._cols[col][row]

    def __len__(self) -> int:
        return len(next(iter(self._cols.values()), []))


class _RowLoc:
    def __init__(self, cols: dict):
        self._cols = cols

    def __getitem__(self, row):
        return {c: values[row] for c, values in self._cols.items()}


_CHIP_RE = None


def chip_name(text: str) -> str:
    """Chip family named in a figure's item/mention ("Nvidia A100 chips" -> "A100"), or ""."""
    global _CHIP_RE
    if _CHIP_RE is None:
        pats = (knowledge.load("entities").get("patterns") or {}).get("chip") or []
        _CHIP_RE = [re.compile(p["regex"]) for p in pats]
    for rx in _CHIP_RE:
        m = rx.search(text or "")
        if m:
            return (m.group(1) if m.groups() else m.group(0)).upper().replace(" ", "")
    return ""


def _subject_kinds(entities: pd.DataFrame | None) -> dict[str, str]:
    if entities is None or entities.empty:
        return {}
    return dict(zip(entities["name"], entities["kind"]))


def _subjects_compatible(a: str, b: str, kinds: dict[str, str], company: str) -> bool:
    if not a or not b or a == b:
        return True
    ka, kb = kinds.get(a, ""), kinds.get(b, "")
    if company and (a == company or b == company):
        return True
    if ka in ("model", "person") and kb in ("model", "person"):
        return False
    if ka in ("company", "organisation") and kb in ("company", "organisation"):
        return False
    return True


@lru_cache(maxsize=None)
def _settle_templates() -> dict:
    return knowledge.load("stance").get("settle") or {}


def find_disagreements(figures: pd.DataFrame, linked: dict, entities: pd.DataFrame | None = None,
                       company: str = "", claims: pd.DataFrame | None = None) -> pd.DataFrame:
    """Incompatible values of the same quantity (or the same count of different chip families)
    across articles. Two sides, each with its quotes, and a `settle` sentence from stance.yml.
    """
    kinds = _subject_kinds(entities)
    templates = _settle_templates()
    f = figures.reset_index(drop=True) if figures is not None else pd.DataFrame()
    f = _RowAccess(f)   # f.at[row, col] / f.loc[row][col] on plain lists (fast scalar access)
    rows_out = []
    n = 0
    by_block: dict[tuple, list[list[FigureRef]]] = defaultdict(list)
    for key, members in linked.get("_figure_clusters", []):
        by_block[key].append(members)
    found = []
    stance_kb = knowledge.load("stance")
    strict = set(stance_kb.get("same_fact_measures") or [])
    strict_sim = float(stance_kb.get("same_fact_similarity", 0.35))
    for key in sorted(by_block):
        measure, unit, ctx = key
        clusters = by_block[key]
        # (1) numeric: the two best-supported clusters with different articles
        ranked = sorted(clusters, key=lambda c: (-len({m.article_id for m in c}), min(m.row for m in c)))
        pair = None
        for i in range(len(ranked)):
            for j in range(i + 1, min(len(ranked), i + 6)):
                A, B = ranked[i], ranked[j]
                arts_a = {m.article_id for m in A}
                arts_b = {m.article_id for m in B}
                if not (arts_b - arts_a) or not (arts_a - arts_b):
                    continue
                sa = _main_subject(f, A)
                sb = _main_subject(f, B)
                if not _subjects_compatible(sa, sb, kinds, company):
                    continue
                if measure in strict and not _same_fact(f, A, B, strict_sim):
                    continue
                pair = (A, B, "value")
                break
            if pair:
                break
        if pair:
            found.append((key, pair))
        # (2) attribute: same count, different chip family
        for c in clusters:
            fam: dict[str, list[FigureRef]] = defaultdict(list)
            for m in c:
                chip = chip_name(f.at[m.row, "item"] or f.at[m.row, "mention"])
                if chip:
                    fam[chip].append(m)
            if len(fam) >= 2:
                ranked_f = sorted(fam.values(), key=lambda g: (-len({m.article_id for m in g}), min(m.row for m in g)))
                A, B = ranked_f[0], ranked_f[1]
                if {m.article_id for m in A} != {m.article_id for m in B}:
                    found.append((key, (A, B, "item")))
    for key, (A, B, what_kind) in found:
        n += 1
        measure, unit, ctx = key
        did = f"d{n:03d}"
        subject = _main_subject(f, A) or _main_subject(f, B) or company
        if what_kind == "item":
            va = chip_name(f.at[A[0].row, "item"] or f.at[A[0].row, "mention"])
            vb = chip_name(f.at[B[0].row, "item"] or f.at[B[0].row, "mention"])
            what = f"{measure.replace('_', ' ')}: which chips ({va} or {vb})"
        else:
            va, vb = f.at[A[0].row, "mention"], f.at[B[0].row, "mention"]
            what = f"{measure.replace('_', ' ')}: {va} vs {vb}"
        tmpl = templates.get(measure) or templates.get("default") or "Check the primary source."
        settle = tmpl.format(measure=measure.replace("_", " "), a=va, b=vb, subject=subject)
        for side, group in (("A", A), ("B", B)):
            seen = set()
            for m in sorted(group, key=lambda m: (m.article_id, m.row)):
                r = f.loc[m.row]
                if (r["article_id"], r["start"]) in seen:
                    continue
                seen.add((r["article_id"], r["start"]))
                rows_out.append({"disagreement_id": did, "side": side, "measure": measure,
                                 "subject": subject, "what": what,
                                 "value_text": str(r["mention"]), "article_id": r["article_id"],
                                 "start": int(r["start"]), "end": int(r["end"]),
                                 "quote": r["quote"], "settle": settle})
    return pd.DataFrame(rows_out, columns=DISAGREEMENT_COLUMNS)


def _same_fact(f: pd.DataFrame, A: list[FigureRef], B: list[FigureRef], threshold: float) -> bool:
    qa = [f.at[m.row, "quote"] for m in A[:20]]
    qb = [f.at[m.row, "quote"] for m in B[:20]]
    try:
        X = vectors.tfidf(qa + qb)
    except ValueError:
        return False
    S = (X[:len(qa)] @ X[len(qa):].T).toarray()
    return bool(S.max() >= threshold)


def _main_subject(f: pd.DataFrame, members: list[FigureRef]) -> str:
    subj = Counter(f.at[m.row, "subject"] for m in members if f.at[m.row, "subject"])
    return subj.most_common(1)[0][0] if subj else ""
