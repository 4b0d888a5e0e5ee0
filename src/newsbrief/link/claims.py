"""Claims: figures clustered by value (blocked on the fact they state: measure, subject, time,
unit and context) and statements linked by sentence similarity and speaker; each claim labelled
by its sources. Figures agree when the values their wording allows overlap (`link.values`).
"""
from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from functools import lru_cache

import pandas as pd

from newsbrief import ids, knowledge
from newsbrief.extract import statements as statements_mod
from newsbrief.link import facts
from newsbrief.link.derived import SentenceIndex
from newsbrief.link.similarity import UnionFind
from newsbrief.link.values import interval
from newsbrief.schemas import SCHEMAS

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


@lru_cache(maxsize=None)
def _confirmation_rules() -> tuple[frozenset[str], re.Pattern, dict[str, re.Pattern]]:
    """(confirmation verbs, clause end, measure -> the words that name it): a measure is named
    by its measures.yml rules' keywords and head nouns, and those of the measure it refines
    (an equity round is named by "round")."""
    verbs = frozenset(str(v).lower() for v in knowledge.load("stance").get("confirmation_verbs") or [])
    mdata = knowledge.load("measures") or {}
    joiners = "|".join(re.escape(str(j)) for j in mdata.get("clause_joiners") or [])
    clause_end = re.compile(rf";|\b(?:{joiners})\b" if joiners else ";", re.IGNORECASE)
    words: dict[str, set[str]] = defaultdict(set)
    refines: dict[str, str] = {}
    for rule in mdata.get("rules") or []:
        words[str(rule["measure"])] |= {str(w).lower() for w in [*(rule.get("keywords") or []),
                                                                *(rule.get("heads") or [])]}
        if rule.get("refines"):
            refines[str(rule["measure"])] = str(rule["refines"])
    named = {m: re.compile(r"\b(?:" + "|".join(re.escape(w) for w in sorted(ws | words.get(refines.get(m, ""), set()),
                                                                       key=len, reverse=True)) + r")\b",
                           re.IGNORECASE)
             for m, ws in words.items() if ws}
    return verbs, clause_end, named


def company_confirmations(statements: pd.DataFrame | None, figures: pd.DataFrame | None) -> dict[str, str]:
    """figure_id -> the company speaker who confirms it: a company statement (stance
    `company_claim`) with a confirmation verb (stance.yml `confirmation_verbs`), later in the
    figure's article, whose object (its content up to a clause joiner: "the size of the round
    but declined to discuss its valuation") names the figure's measure. One pass over each
    table."""
    if statements is None or figures is None or not len(statements) or not len(figures):
        return {}
    verbs, clause_end, named = _confirmation_rules()
    # article -> (where the confirmation is, what it confirms, who confirms)
    confirmed: dict[str, list[tuple[int, str, str]]] = defaultdict(list)
    for aid, start, stance, verb, content, speaker in zip(
            *(statements[c] for c in ("article_id", "start", "stance", "verb", "content", "speaker"))):
        if stance == "company_claim" and str(verb or "").lower() in verbs:
            confirmed[str(aid)].append((int(start), clause_end.split(str(content or ""), 1)[0],
                                        str(speaker or "")))
    out: dict[str, str] = {}
    if not confirmed:
        return out
    for fid, aid, start, measure in zip(*(figures[c] for c in ("figure_id", "article_id", "start", "measure"))):
        rx = named.get(str(measure))
        hit = next((who for at, obj, who in confirmed.get(str(aid), ())
                    if at > int(start) and rx is not None and rx.search(obj)), None)
        if hit is not None:
            out[str(fid)] = hit
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
    if figures is not None and "resolved" in figures:
        figures = figures[figures["resolved"].astype(bool)]
    attribution = figure_attribution(statements, figures)
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


def figure_attribution(statements: pd.DataFrame | None, figures: pd.DataFrame | None):
    """A function giving, for a figure or statement row, the (stances, evidence values,
    speakers) of what carries it: the statements of its sentence
    (`statements.claim_attribution`), the company for figures it confirms."""
    return _confirmed_attribution(statements_mod.claim_attribution(statements),
                                  company_confirmations(statements, figures))


def _confirmed_attribution(attribution, confirmed: dict[str, str]):
    """`attribution` with the unnamed sources' figures the company confirms carried by the
    company: a figure confirmed by the company is not anonymous."""
    def carried(row: dict) -> tuple[set, set, set]:
        stances, evidence, speakers = attribution(row)
        who = confirmed.get(str(row.get("figure_id") or "")) if "stance" not in row else None
        if who is None or stances != {"anonymous_sourcing"}:
            return stances, evidence, speakers
        return {"company_claim"}, evidence, {who}
    return carried


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
    """Label figure claims one of whose figures is a side of a disagreement as `disputed`: only
    the sides, not every claim of their sentences ("net profit rose 35% to 96 million euros, as
    revenue climbed 19% to 1.43 billion euros": the revenue is disputed, not the profit)."""
    if disagreements.empty or claims.empty:
        return claims
    sides = {str(f) for f in disagreements["figure_id"].dropna() if f}
    disputed = {cid for cid, item in zip(claim_sources["claim_id"], claim_sources["item_id"])
                if isinstance(item, str) and item in sides}
    claims = claims.copy()
    mask = claims["claim_id"].isin(disputed) & (claims["kind"] == "figure")
    claims.loc[mask, "label"] = "disputed"
    return claims
