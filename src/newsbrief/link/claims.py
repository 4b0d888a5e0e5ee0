"""Claims: figures clustered by value (blocked on the fact they state: measure, subject, time,
unit and context) and statements linked by sentence similarity and speaker; each claim labelled
by its sources.

A stated figure stands for the values its wording allows: "about $12 billion" and "$1.8bn" are
rounded (half a unit of their last significant digit either side, within bounds), "under",
"more than" and "nearly" are bounds, "20 to 50" is an exact range; figures agree when the
values they allow overlap.
"""
from __future__ import annotations

import math
from collections import Counter, defaultdict
from dataclasses import dataclass
from decimal import Decimal

import pandas as pd

from newsbrief import ids, knowledge
from newsbrief.extract import statements as statements_mod
from newsbrief.extract.figures import qualifier_meaning
from newsbrief.link import facts
from newsbrief.link.derived import SentenceIndex
from newsbrief.link.similarity import UnionFind
from newsbrief.schemas import SCHEMAS

# A plain figure allows its rounding margin, kept between these shares of its value ("$6
# million" may be 5.7-6.3 million, "203,450" is 203,450 give or take 0.5%).
POINT_TOL = (0.005, 0.05)
# "about X": its rounding margin, at least 5% and at most 15% ("about $4 billion" allows $4.2
# billion; "about $12 billion" and "about $15 billion" do not meet).
AROUND_TOL = (0.05, 0.15)

CLAIM_COLUMNS = list(SCHEMAS["claims"].columns)
SOURCE_COLUMNS = list(SCHEMAS["claim_sources"].columns)


@dataclass
class FigureRef:
    row: int
    article_id: str
    lo: float
    hi: float
    is_range: bool
    low: float
    high: float


def rounding_share(value: float) -> float:
    """Just under half the unit of a figure's last significant digit, as a share of the figure
    ("1.8 billion" -> 0.049 / 1.8; "480 million" -> 4.9 / 480): two figures rounded to
    neighbouring values ("$1.8bn", "$1.9bn") do not overlap."""
    if not value or not math.isfinite(value):
        return 0.0
    exponent = Decimal(repr(abs(float(value)))).normalize().as_tuple().exponent
    return 0.49 * 10.0 ** int(exponent) / abs(value)


def _tolerance(value: float, bounds: tuple[float, float]) -> float:
    return min(max(rounding_share(value), bounds[0]), bounds[1])


def interval(low: float, high: float, qualifier: str) -> tuple[float, float, bool]:
    """Value interval a figure allows, and whether it is an exact range ("20 to 50")."""
    bound = qualifier_meaning(qualifier).bound
    if bound == "upper":
        return 0.0, high, False
    if bound == "lower":
        return low, math.inf, False
    if bound == "near":
        return low * (1 - AROUND_TOL[1]), high, False
    if bound == "approximate":
        return (low * (1 - _tolerance(low, AROUND_TOL)), high * (1 + _tolerance(high, AROUND_TOL)),
                False)
    if high > low:
        return low, high, True
    return low * (1 - _tolerance(low, POINT_TOL)), high * (1 + _tolerance(high, POINT_TOL)), False


def compatible(a: tuple[float, float, float, float, str], b: tuple[float, float, float, float, str]) -> bool:
    """Do two figures (value, low, high, qualifier) agree? Their intervals overlap: two ranges
    that overlap ("20 to 50 times", "20 to 40 times") are two readings of one estimate."""
    la, ha, _ra = interval(a[1], a[2], a[3])
    lb, hb, _rb = interval(b[1], b[2], b[3])
    return la <= hb and lb <= ha


def cluster_block(figs: list[FigureRef]) -> list[list[FigureRef]]:
    """Greedy clustering of one block: exact ranges first, then points, then bounds.

    A cluster keeps the intersection of its members' intervals (ranges that overlap agree: "20
    to 50" and "20 to 40" leave "20 to 40"); a figure joins the first recent cluster whose
    intersection it meets.
    """
    def specificity(f: FigureRef):
        bounded = f.lo > 0 and math.isfinite(f.hi)
        return (0 if f.is_range else (1 if bounded else 2), f.lo, f.row)

    clusters: list[dict] = []
    for f in sorted(figs, key=specificity):
        home = next((cl for cl in reversed(clusters[-50:]) if f.lo <= cl["hi"] and cl["lo"] <= f.hi),
                    None)
        if home is None:
            home = {"members": [], "lo": -math.inf, "hi": math.inf}
            clusters.append(home)
        home["members"].append(f)
        home["lo"], home["hi"] = max(home["lo"], f.lo), min(home["hi"], f.hi)
    return [cl["members"] for cl in clusters]


def allegation_context(statements: pd.DataFrame | None, sentences_text: dict[str, str]) -> dict[str, str]:
    """sentence_id -> 'allegation' when the sentence carries an allegation, else 'fact'."""
    cues = [c.lower() for c in knowledge.load("stance")["allegation_cues"]]
    lowered = {sid: q.lower() for sid, q in sentences_text.items()}   # once, not once per cue
    out = {sid: ("allegation" if any(c in q for c in cues) else "fact") for sid, q in lowered.items()}
    if statements is not None and len(statements):
        for sid, stance in zip(statements["sentence_id"], statements["stance"]):
            if stance == "allegation":
                out[sid] = "allegation"
    return out


def source_origins(relations: pd.DataFrame | None) -> dict[str, str]:
    """article_id -> the article it duplicates or is derived from, for copies only."""
    if relations is None or relations.empty:
        return {}
    return {a: (dup or der) for a, dup, der in zip(relations["article_id"], relations["duplicate_of"],
                                                 relations["derived_from"]) if dup or der}


def _independent_flags(article_ids: list[str], origin: dict[str, str]) -> dict[str, bool]:
    """A source is not independent if the article it copies or rewrites is also a source."""
    present = set(article_ids)
    flags = {}
    for a in article_ids:
        root = origin.get(a, "")
        flags[a] = not (root and root in present and root != a)
    return flags


def link_claims(figures: pd.DataFrame, statements: pd.DataFrame, relations: pd.DataFrame,
                index: SentenceIndex | None = None, entities: pd.DataFrame | None = None,
                company: str = "", published: dict[str, str] | None = None) -> dict:
    """Claims from the resolved figures (blocked on the fact, `facts.fact_groups`: measure,
    subject, unit, context, deal stage and occasion; clustered by value; a figure of unknown measure or subject
    makes no claim, one that cannot be placed in time makes a claim of its own article only)
    and statements (linked by sentence similarity and speaker).

    `published` is article_id -> ISO publication date ("" when not known).
    Returns dict with `claims` and `claim_sources`; a figure claim's `key` is its fact key
    joined with "|" (the measure first).
    """
    origin = source_origins(relations)
    sent_text = {}
    if figures is not None and len(figures):
        sent_text.update(dict(zip(figures["sentence_id"], figures["quote"])))
    context = allegation_context(statements, sent_text)
    claims, sources = [], []
    found: list[tuple] = []   # (kind, key, member rows, summary) of each claim
    fig_clusters = []
    attribution = statements_mod.claim_attribution(statements)
    if figures is not None and "resolved" in figures:
        figures = figures[figures["resolved"].astype(bool)]
    if figures is not None and len(figures):
        f = figures.reset_index(drop=True)
        frecs = f.to_dict("records")
        owners = facts.model_owners(entities, company)
        groups, unplaced = facts.fact_groups(frecs, owners, published or {}, context)
        for i in unplaced:   # not placed in time: a fact of its own article only
            r = frecs[i]
            groups.append(((r["measure"], r["subject"], facts.unit_family(r),
                            context.get(r["sentence_id"], "fact"), facts.stage(r),
                            ("unplaced", r["article_id"])), [i]))
        blocks: dict[tuple, list[FigureRef]] = defaultdict(list)
        for key, rows in groups:
            for i in rows:
                r = frecs[i]
                lo, hi, is_range = interval(float(r["low"]), float(r["high"]), r["qualifier"])
                blocks[key].append(FigureRef(i, r["article_id"], lo, hi, is_range,
                                             float(r["low"]), float(r["high"])))
        for key in sorted(blocks, key=str):
            for members in cluster_block(blocks[key]):
                fig_clusters.append((key, members))
        for key, members in sorted(fig_clusters, key=lambda km: (str(km[0]), min(m.row for m in km[1]))):
            rows = [frecs[m.row] for m in sorted(members, key=lambda m: m.row)]
            found.append(("figure", key, rows, _figure_summary(key, rows)))
    if statements is not None and len(statements):
        st = statements.reset_index(drop=True)
        uf = UnionFind(len(st))
        speakers = st["speaker"].tolist()
        if index is not None and index.X is not None and index.links:
            by_sid: dict[str, list[int]] = defaultdict(list)
            for i, sid in enumerate(st["sentence_id"]):
                by_sid[sid].append(i)
            row_sid = index.sentences["sentence_id"].tolist()
            for a, b, _ in index.links:
                for i in by_sid.get(row_sid[a], []):
                    for j in by_sid.get(row_sid[b], []):
                        if speakers[i] == speakers[j]:
                            uf.union(i, j)
        groups: dict[int, list[int]] = defaultdict(list)
        for i in range(len(st)):
            groups[uf.find(i)].append(i)
        srecs = st.to_dict("records")
        for root in sorted(groups):
            rows = sorted((srecs[i] for i in groups[root]), key=lambda r: (r["article_id"], int(r["start"])))
            first = rows[0]
            key = f"{first['speaker']}|{first['stance']}"
            summary = f"{first['speaker']} ({first['stance']}): {first['content'][:160]}"
            found.append(("statement", key, rows, summary))
    # a claim's id is its members' (figure or statement ids), so it survives other articles
    claim_ids = ids.group_ids("clm", [[r["figure_id" if kind == "figure" else "statement_id"]
                                       for r in rows] for kind, _key, rows, _summary in found])
    for claim_id, (kind, key, rows, summary) in zip(claim_ids, found):
        _add_claim(claims, sources, claim_id, kind, key, rows, origin, attribution, summary=summary)
    claims_df = pd.DataFrame(claims, columns=CLAIM_COLUMNS)
    sources_df = pd.DataFrame(sources, columns=SOURCE_COLUMNS)
    return {"claims": claims_df, "claim_sources": sources_df}


def _figure_summary(key, rows: list[dict]) -> str:
    measure, subject, _family, ctx, stage, time = key
    values = sorted({r["mention"] for r in rows})
    about = f" ({subject})" if subject else ""
    when = facts.when_text(time) if time[0] != "unplaced" else ""
    when = f", {when}" if when else ""
    prefix = "alleged " if ctx == "allegation" else ""
    prefix += f"{stage} " if stage else ""
    return f"{prefix}{measure.replace('_', ' ')}{about}{when}: " + "; ".join(values[:4])


def _key_text(key) -> str:
    """A claim key as text: the parts of a figure's fact key (the time flattened) joined by "|"."""
    if not isinstance(key, tuple):
        return str(key)
    parts = [p for k in key for p in (k if isinstance(k, tuple) else (k,))]
    return "|".join(map(str, parts))


def _add_claim(claims, sources, claim_id, kind, key, rows, origin, attribution, summary) -> None:
    """Append one claim and its sources; `rows` is a list of dicts (figure or statement rows);
    `attribution(row)` gives the stances, evidence and speakers carrying a row."""
    rows = sorted(rows, key=lambda r: (r["article_id"], int(r["start"])))
    per_article, seen = [], set()
    for r in rows:
        k = (r["article_id"], int(r["start"]), int(r["end"]))
        if k not in seen:
            seen.add(k)
            per_article.append(r)
    article_ids = sorted({r["article_id"] for r in per_article})
    flags = _independent_flags(article_ids, origin)
    stances, evid, speakers = set(), set(), set()
    for r in rows:
        st, ev, sp = attribution(r)
        stances |= st
        evid |= ev
        speakers |= sp
    n_ind = sum(flags.values())
    label = statements_mod.claim_label(stances, evid, n_ind)
    first = per_article[0]
    claims.append({
        "claim_id": claim_id, "kind": kind,
        "key": _key_text(key),
        "summary": summary, "label": label,
        "speaker": statements_mod.claim_speaker(label, speakers), "n_sources": len(article_ids),
        "n_independent": int(n_ind), "article_ids": ";".join(article_ids),
        "article_id": first["article_id"], "start": int(first["start"]), "end": int(first["end"]),
        "quote": first["quote"],
    })
    for r in per_article:
        sources.append({"claim_id": claim_id, "article_id": r["article_id"], "start": int(r["start"]),
                        "end": int(r["end"]), "quote": r["quote"],
                        "independent": bool(flags[r["article_id"]]),
                        "item_id": r["figure_id" if kind == "figure" else "statement_id"]})


def mark_disputed(claims: pd.DataFrame, claim_sources: pd.DataFrame,
                  disagreements: pd.DataFrame) -> pd.DataFrame:
    """Label figure claims whose sources appear in a disagreement as `disputed`."""
    if disagreements.empty or claims.empty:
        return claims
    spans = set(zip(disagreements["article_id"], disagreements["start"]))
    disputed = {cid for cid, a, s in zip(claim_sources["claim_id"], claim_sources["article_id"],
                                         claim_sources["start"]) if (a, s) in spans}
    claims = claims.copy()
    mask = claims["claim_id"].isin(disputed) & (claims["kind"] == "figure")
    claims.loc[mask, "label"] = "disputed"
    return claims
