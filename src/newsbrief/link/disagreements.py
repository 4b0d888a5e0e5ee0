"""Disagreements only about the same fact, and series for facts that change over time.

Two figures can disagree only when all of these hold (measures.yml says which measures are
`series`):

* both are `resolved` (a known measure and subject), of the same measure (a figure of a
  generic kind, "raised $450 million", stands for the one specific kind its occasion reports)
  and unit family, in the same context (a sentence carrying an allegation is not compared
  with a plain report) and at the same deal stage (a planned bond sale is not a completed one);
* same subject (for measures with ``compare_subjects: owner`` a model stands for its owner:
  "Kestrel-2 is 20-50x cheaper" and "Kestrel is 20-40x cheaper" are about one price gap);
* the same occasion (`link.facts.fact_groups`, rules in facts.yml): the same named event
  ("Series B"), overlapping (or, for quantities summed over a period, equal) stated periods,
  or publication dates close enough for the measure; for a fixed fact (a model's size) their
  stated periods, when both have one, must overlap; a named event nothing dates ("its Series B"
  in an undated article) is not the occasion of a figure dated without that name;
* for a fact of one of the subject's products (`per_product`: a model's size), the product named;
* the same scope, when both state one ("final training run only" is not "total cost");
* their values are incompatible after qualifiers ("under", "about", "more than"; ranges that
  overlap agree) and, for money, after the conversions the articles give ("€600 million
  ($643.7 million)"); figures in currencies that no article converts are not compared;
* each side has an article that is not a copy or rewrite of an article on the other side;
* an article that also states the other side's value for the measure and subject (in any
  sentence, dated or not; a value its own figure also allows does not count) is not on its
  side: it gives both values, so its second figure is
  another fact its words do not tell apart ("pre-tax profit reached NOK 6.3 billion" and "the
  NOK 1.2 billion it had set aside for 2024" in one story), not a rival account.

A figure the vocabulary does not type (measure ``other``) is compared only as the quantity its
own words name (`untyped_quantity`, facts.yml `untyped_quantities`: "produced 48,300 tonnes of
copper last year"), with figures naming the same quantity of the same subject over the same
stated period; it is never part of a series.

Figures of a series measure for one subject at two or more different times are a **series**
(a history: funding rounds, valuations, users), returned as their own table, never a dispute.

Figures are grouped by a key (one pass), split into occasions against running summaries, then
each fact is clustered by value with a sort and a bounded sweep, so the cost is linear in the
number of figures.
"""
from __future__ import annotations

import datetime as _dt
import math
import re
from collections import Counter, defaultdict
from functools import lru_cache

import pandas as pd

from newsbrief import ids, knowledge
from newsbrief.link import dated as dated_mod, facts
from newsbrief.link.claims import FigureRef, cluster_block, figure_attribution, source_origins
from newsbrief.link.values import interval
from newsbrief.schemas import SCHEMAS

DISAGREEMENT_COLUMNS = list(SCHEMAS["disagreements"].columns)
# one row per figure; the rows of one history and subject share a series_id
SERIES_COLUMNS = list(SCHEMAS["series"].columns)
_TOP_CLUSTERS = 6    # cluster pairs tried per group (best supported first)


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


@lru_cache(maxsize=1)
def _untyped_rules() -> tuple[frozenset[str], dict[str, str]]:
    """(units, verb form -> verb group) of facts.yml `untyped_quantities`."""
    conf = (knowledge.load("facts") or {}).get("untyped_quantities") or {}
    verbs = {str(form).lower(): str(group) for group, forms in (conf.get("verbs") or {}).items()
             for form in forms or []}
    return frozenset(str(u) for u in conf.get("units") or []), verbs


_WORD_RE = re.compile(r"[A-Za-z][A-Za-z-]*")
# the thing counted after the figure, past a bracketed abbreviation: "6.1 million units (TEU) of cargo"
_COUNTED_RE = re.compile(r"\s*(?:\([^()\n]{0,40}\)\s*)?of\s+([A-Za-z][A-Za-z-]*)")


def untyped_quantity(r: dict) -> str:
    """What an untyped figure of a known subject and stated period counts, in its own words
    ("tonnes of copper produced"), when facts.yml `untyped_quantities` lets it be compared; else
    "". The verb is the last one of the rule's verbs before the figure in its clause."""
    units, verbs = _untyped_rules()
    if (r.get("measure") != "other" or str(r.get("unit") or "") not in units
            or not r.get("subject") or not r.get("period_start")):
        return ""
    quote, start = str(r["quote"]), int(r["start"])
    clause = re.split(r"[;:]", quote[:int(r["mention_start"]) - start])[-1]
    verb = next((verbs[w.lower()] for w in reversed(_WORD_RE.findall(clause)) if w.lower() in verbs), "")
    if not verb:
        return ""
    counted = _COUNTED_RE.match(quote, int(r["mention_end"]) - start)
    return " ".join([str(r["unit"]), *(("of", counted.group(1).lower()) if counted else ()), verb])


@lru_cache(maxsize=None)
def _settle_templates() -> dict:
    return knowledge.load("stance").get("settle") or {}


def find_disagreements(figures: pd.DataFrame, relations: pd.DataFrame | None = None,
                       entities: pd.DataFrame | None = None, company: str = "",
                       context: dict[str, str] | None = None,
                       published: dict[str, str] | None = None, dates: pd.DataFrame | None = None,
                       mentions: pd.DataFrame | None = None,
                       statements: pd.DataFrame | None = None) -> dict[str, pd.DataFrame]:
    """Disagreements and series among the resolved figures, and disagreements about dated
    facts (a founding or listing dated differently: `dated.dated_facts`).

    Args:
        figures: the figures table (typed: measure, subject, event, period_*, resolved).
        relations: article_id, duplicate_of, derived_from (copies are not independent sources).
        entities: the entities table (model owners).
        company: the briefing's company.
        context: sentence_id -> "allegation" / "fact" (default: all "fact").
        published: article_id -> ISO publication date ("" when not known).
        dates, mentions: the dates and mentions tables (dated facts and their organisations).
        statements: the statements table (who carries each figure: two outside estimates that
            differ are no disagreement, facts.yml `views`).
    Returns:
        {"disagreements": DataFrame, "series": DataFrame}.
    """
    origin = source_origins(relations)
    published = published or {}
    dated = _date_disagreements(dated_mod.dated_facts(dates, mentions, company), origin)
    empty = {"disagreements": _date_rows(dated), "series": pd.DataFrame(columns=SERIES_COLUMNS)}
    if figures is None or figures.empty:
        return empty
    quantities = [untyped_quantity(r) if r["measure"] == "other" else ""
                  for r in figures[["measure", "unit", "subject", "period_start", "quote", "start",
                                    "mention_start", "mention_end"]].to_dict("records")]
    compared = figures["resolved"].astype(bool).to_numpy() | pd.Series(quantities).astype(bool).to_numpy()
    if not compared.any():
        return empty
    f = figures[compared].reset_index(drop=True)
    recs = f.to_dict("records")
    for r, quantity in zip(recs, (q for q, keep in zip(quantities, compared) if keep)):
        r["quantity"] = quantity
    owners = facts.model_owners(entities, company)
    groups, _unplaced = facts.fact_groups(recs, owners, published, context or {})
    views = _views(recs, f, statements)
    stated = _stated_values(recs)
    found = []
    for key, members in _by_quantity(recs, sorted(groups, key=lambda g: str(g[0]))):
        if len({recs[i]["article_id"] for i in members}) < 2:
            continue
        pair = _value_disagreement(recs, members, origin, views, stated)
        if pair:
            found.append((key, pair, "value"))
        chips = _item_disagreement(recs, members, origin)
        if chips:
            found.append((key, chips, "item"))
    rows = _disagreement_rows(recs, found, company)
    date_rows = _date_rows(dated)
    return {"disagreements": pd.concat([rows, date_rows], ignore_index=True) if len(date_rows) else rows,
            "series": _series_rows([r for r in recs if not r["quantity"]], published)}


def _by_quantity(recs: list[dict], groups: list[tuple[tuple, list[int]]]):
    """The fact groups, each untyped one split by the quantity its figures name (the quantity
    joins the key): tonnes of copper produced are not tonnes of ore shipped."""
    for key, members in groups:
        named: dict[str, list[int]] = defaultdict(list)
        for i in members:
            named[recs[i]["quantity"]].append(i)
        for quantity in sorted(named):
            yield (key + (quantity,) if quantity else key), named[quantity]


def _value_key(r: dict) -> tuple:
    """What makes two figures values of one quantity whatever their occasion: measure, whose
    fact, unit (and currency) and the quantity an untyped figure names."""
    return (facts.measure_family(r["measure"]), facts.fact_subject(r), facts.unit_family(r),
            str(r["currency"] or ""), r["quantity"])


def _own_span(r: dict) -> tuple[float, float]:
    lo, hi, _is_range = interval(float(r["low"]), float(r["high"]), r["qualifier"])
    return lo, hi


def _stated_values(recs: list[dict]) -> dict[tuple, list[tuple[float, float]]]:
    """(value key, article_id) -> the values (low, high, in the figure's own unit) of every
    figure of that quantity the article states."""
    out: dict[tuple, list[tuple[float, float]]] = defaultdict(list)
    for r in recs:
        out[(_value_key(r), r["article_id"])].append(_own_span(r))
    return out


def _without_both_values(recs: list[dict], side: list[FigureRef], other: list[FigureRef],
                         stated: dict[tuple, list[tuple[float, float]]]) -> list[FigureRef]:
    """The members of `side` whose article states no other value that agrees with a figure of
    `other` (an article giving both values sets no account against the other side; a rounded
    headline value that also fits its own figure, "tops 1.4 billion euros", is no other value)."""
    others = [(_value_key(recs[m.row]), *_own_span(recs[m.row])) for m in other]

    def gives_other(r: dict) -> bool:
        own_key, (own_lo, own_hi) = _value_key(r), _own_span(r)
        return any(lo <= o_hi and o_lo <= hi and not (key == own_key and lo <= own_hi and own_lo <= hi)
                   for key, o_lo, o_hi in others for lo, hi in stated.get((key, r["article_id"]), ()))
    return [m for m in side if not gives_other(recs[m.row])]


def _views(recs: list[dict], figures: pd.DataFrame, statements: pd.DataFrame | None) -> set[int]:
    """Rows carried only by statements of a stance that gives a view of a figure, not an account
    of it (facts.yml `views`: two analysts' estimates of peak sales are two opinions, never the
    two sides of "sources disagree"; an estimate against the company's own figure still is)."""
    stances = set((knowledge.load("facts") or {}).get("views") or [])
    if statements is None or not len(statements) or not stances:
        return set()
    attribution = figure_attribution(statements, figures)
    out = set()
    for i, r in enumerate(recs):
        carried = attribution(r)[0]
        if carried and carried <= stances:
            out.add(i)
    return out


def _date_disagreements(dated: list[dict], origin: dict[str, str]) -> list[tuple[dict, list, list]]:
    """Per (kind, organisation): the two best-supported clusters of compatible dates (day
    ranges that overlap: "2022" agrees with "May 2022", "March 2022" does not), when
    independent sources give them. Returns (fact, side A rows, side B rows)."""
    groups: dict[tuple[str, str], list[int]] = defaultdict(list)
    for i, d in enumerate(dated):
        groups[(d["kind"], d["subject"])].append(i)
    out = []
    for key in sorted(groups):
        members = groups[key]
        if len({dated[i]["article_id"] for i in members}) < 2:
            continue
        refs = []
        for i in members:
            lo = _dt.date.fromisoformat(str(dated[i]["date"])[:10]).toordinal()
            hi = _dt.date.fromisoformat(str(dated[i]["date_end"] or dated[i]["date"])[:10]).toordinal()
            refs.append(FigureRef(i, dated[i]["article_id"], lo, hi, False, lo, hi))
        ranked = sorted(cluster_block(refs), key=lambda c: (-len({m.article_id for m in c}),
                                                           min(m.row for m in c)))
        pair = next(((a, b) for n, a in enumerate(ranked[:_TOP_CLUSTERS])
                     for b in ranked[n + 1:_TOP_CLUSTERS]
                     if _independent({m.article_id for m in a}, {m.article_id for m in b}, origin)),
                    None)
        if pair:
            out.append((dated[members[0]], [dated[m.row] for m in pair[0]], [dated[m.row] for m in pair[1]]))
    return out


def _date_rows(found: list[tuple[dict, list, list]]) -> pd.DataFrame:
    templates = _settle_templates()
    rows = []
    # an id names the dated fact (measure and organisation), as the figure disagreements' do
    found_ids = ids.group_ids("dis", [[repr((fact["measure"], fact["subject"])), "date"]
                                      for fact, _a, _b in found])
    for did, (fact, side_a, side_b) in zip(found_ids, found):
        va, vb = str(side_a[0]["mention"]), str(side_b[0]["mention"])
        what = f"{fact['label']}: {va} vs {vb}"
        tmpl = templates.get(fact["measure"]) or templates.get("default") or "Check the primary source."
        settle = tmpl.format(measure=fact["label"], a=va, b=vb, subject=fact["subject"])
        for side, group in (("A", side_a), ("B", side_b)):
            seen = set()
            for d in sorted(group, key=lambda d: (d["article_id"], int(d["start"]))):
                if (d["article_id"], int(d["start"])) in seen:
                    continue
                seen.add((d["article_id"], int(d["start"])))
                rows.append({"disagreement_id": did, "side": side, "measure": fact["measure"],
                             "subject": fact["subject"], "when": fact["label"], "what": what,
                             "value_text": str(d["mention"]), "article_id": d["article_id"],
                             "start": int(d["start"]), "end": int(d["end"]), "quote": d["quote"],
                             "settle": settle})
    return pd.DataFrame(rows, columns=DISAGREEMENT_COLUMNS)


def _periods_overlap(a: dict, b: dict) -> bool:
    if not a.get("period_start") or not b.get("period_start"):
        return True
    return (a["period_start"] <= (b.get("period_end") or b["period_start"])
            and b["period_start"] <= (a.get("period_end") or a["period_start"]))


def _in_currency(r: dict, currency: str) -> tuple[float, float] | None:
    """(low, high) of a figure in `currency`, from its own value or its bracketed conversion."""
    if not r["currency"] or r["currency"] == currency:
        return float(r["low"]), float(r["high"])
    if r.get("converted_currency") == currency and not math.isnan(float(r["converted_low"])):
        return float(r["converted_low"]), float(r["converted_high"])
    return None


def _clusters(recs: list[dict], members: list[int]) -> list[list[FigureRef]]:
    """Value clusters of one group, money in the group's most common currency (a figure with
    neither that currency nor a conversion to it is left out)."""
    currencies = Counter()
    for i in members:
        r = recs[i]
        if r["currency"]:
            currencies[r["currency"]] += 1
            if r.get("converted_currency"):
                currencies[r["converted_currency"]] += 1
    currency = min(currencies, key=lambda c: (-currencies[c], c)) if currencies else ""
    figs = []
    for i in members:
        r = recs[i]
        span = _in_currency(r, currency) if currency else (float(r["low"]), float(r["high"]))
        if span is None:
            continue
        lo, hi, is_range = interval(span[0], span[1], r["qualifier"])
        figs.append(FigureRef(i, r["article_id"], lo, hi, is_range, span[0], span[1]))
    return cluster_block(figs)


def _independent(side_a: set[str], side_b: set[str], origin: dict[str, str]) -> bool:
    """Some article only on side A and some only on side B that do not copy one another."""
    # sorted and bounded: a side of thousands of copies must not make this quadratic
    only_a, only_b = sorted(side_a - side_b)[:50], sorted(side_b - side_a)[:50]
    for a in only_a:
        for b in only_b:
            ra, rb = origin.get(a, a), origin.get(b, b)
            if ra != b and rb != a and ra != rb:
                return True
    return False


def _value_disagreement(recs, members, origin, views: set[int] = frozenset(), stated=None):
    ranked = sorted(_clusters(recs, members),
                    key=lambda c: (-len({m.article_id for m in c}), min(m.row for m in c)))
    for i in range(min(len(ranked), _TOP_CLUSTERS)):
        for j in range(i + 1, min(len(ranked), i + _TOP_CLUSTERS)):
            A, B = ranked[i], ranked[j]
            if not _independent({m.article_id for m in A}, {m.article_id for m in B}, origin):
                continue
            if all(m.row in views for m in A) and all(m.row in views for m in B):
                continue   # two estimates differ: views, not accounts of one figure
            if not any(_periods_overlap(recs[a.row], recs[b.row]) for a in A[:5] for b in B[:5]):
                continue
            if _scopes_differ(recs, A, B):
                continue
            A, B = _only_one_side(A, B), _only_one_side(B, A)
            if stated is not None:
                A, B = _without_both_values(recs, A, B, stated), _without_both_values(recs, B, A, stated)
                if not _independent({m.article_id for m in A}, {m.article_id for m in B}, origin):
                    continue
            if A and B:
                return A, B
    return None


def _only_one_side(side: list[FigureRef], other: list[FigureRef]) -> list[FigureRef]:
    """The members of `side` that the other side's values exclude: "about $1.9bn" allows both
    "$1.8bn" and "$1.9 billion", so it is on neither side."""
    lo, hi = max(m.lo for m in other), min(m.hi for m in other)
    return [m for m in side if m.hi < lo or m.lo > hi]


@lru_cache(maxsize=1)
def _distinct_scopes() -> frozenset[str]:
    """Scopes that make a figure another fact than one whose scope is not said (measures.yml
    `scopes` with `distinct: true`: a move "this year" is not a day's move)."""
    return frozenset(str(r["scope"]) for r in knowledge.load("measures").get("scopes") or []
                     if r.get("distinct"))


def _scopes_differ(recs, A, B) -> bool:
    """Both sides state scopes and none is shared ("final training run only" vs "total cost"),
    or one side's every figure has a distinct scope the other side does not state."""
    sa = {str(recs[m.row].get("scope") or "") for m in A}
    sb = {str(recs[m.row].get("scope") or "") for m in B}
    distinct = _distinct_scopes()
    if any(s <= distinct and not s & other for s, other in ((sa, sb), (sb, sa))):
        return True
    sa, sb = sa - {""}, sb - {""}
    return bool(sa and sb and not sa & sb)


def _item_disagreement(recs, members, origin):
    """Same count of different chip families ("10,000 A100 chips" vs "10,000 H100 GPUs")."""
    for cluster in _clusters(recs, members):
        fam: dict[str, list] = defaultdict(list)
        for m in cluster:
            chip = chip_name(recs[m.row]["item"] or recs[m.row]["mention"])
            if chip:
                fam[chip].append(m)
        if len(fam) < 2:
            continue
        ranked = sorted(fam.values(), key=lambda g: (-len({m.article_id for m in g}), min(m.row for m in g)))
        A, B = ranked[0], ranked[1]
        if (_independent({m.article_id for m in A}, {m.article_id for m in B}, origin)
                and any(_periods_overlap(recs[a.row], recs[b.row]) for a in A[:5] for b in B[:5])):
            return A, B
    return None


def _disagreement_rows(recs, found, company) -> pd.DataFrame:
    templates = _settle_templates()
    rows = []
    # an id names the quantity compared (measure, subject, unit, context, time) and the kind of
    # disagreement, not the figures: it survives sources joining or leaving either side
    found_ids = ids.group_ids("dis", [[repr(key), kind] for key, _pair, kind in found])
    for did, (key, (A, B), kind) in zip(found_ids, found):
        measure, subject, _family, _ctx, _stage, time, *quantity = key
        # an untyped figure is named by the quantity it counts ("tonnes of copper produced")
        name = quantity[0] if quantity else measure.replace("_", " ")
        if kind == "item":
            va = chip_name(recs[A[0].row]["item"] or recs[A[0].row]["mention"])
            vb = chip_name(recs[B[0].row]["item"] or recs[B[0].row]["mention"])
            what = f"{name}: which chips ({va} or {vb})"
        else:
            va, vb = recs[A[0].row]["mention"], recs[B[0].row]["mention"]
            what = f"{name}: {va} vs {vb}"
        tmpl = templates.get("untyped" if quantity else measure) or templates.get("default") \
            or "Check the primary source."
        settle = tmpl.format(measure=name, a=va, b=vb, subject=subject or company)
        for side, group in (("A", A), ("B", B)):
            seen = set()
            for m in sorted(group, key=lambda m: (m.article_id, m.row)):
                r = recs[m.row]
                if (r["article_id"], r["start"]) in seen:
                    continue
                seen.add((r["article_id"], r["start"]))
                rows.append({"disagreement_id": did, "side": side, "measure": measure,
                             "subject": subject, "when": facts.when_text(time), "what": what,
                             "value_text": str(r["mention"]), "article_id": r["article_id"],
                             "start": int(r["start"]), "end": int(r["end"]), "quote": r["quote"],
                             "settle": settle, "figure_id": r["figure_id"]})
    return pd.DataFrame(rows, columns=DISAGREEMENT_COLUMNS)


def _series_rows(recs: list[dict], published: dict[str, str]) -> pd.DataFrame:
    """One row per resolved figure of a series measure whose history (the measure, or the
    `history` group it belongs to) for one subject has figures at two or more different dates."""
    by_key: dict[tuple, list[tuple[str, str, str, int]]] = defaultdict(list)
    for i, r in enumerate(recs):
        if not facts.is_series(r["measure"]):
            continue
        if r.get("period_start"):
            when, when_end, source = r["period_start"], r.get("period_end") or r["period_start"], "stated"
        elif published.get(r["article_id"]):
            when = when_end = published[r["article_id"]]
            source = "published"
        else:
            continue
        history = (facts.measure_info().get(r["measure"]) or {}).get("history") or r["measure"]
        by_key[(history, facts.fact_subject(r))].append((when, when_end, source, i))
    rows = []
    histories = [key for key in sorted(by_key) if len({(w, we) for w, we, _s, _i in by_key[key]}) >= 2]
    # a series is one history of one subject, whatever figures it has
    for series_id, key in zip(ids.group_ids("ser", [[repr(k)] for k in histories]), histories):
        points = by_key[key]
        for when, when_end, source, i in sorted(points, key=lambda p: (p[0], p[1], recs[p[3]]["article_id"], p[3])):
            r = recs[i]
            rows.append({"series_id": series_id, "history": key[0],
                         "measure": r["measure"], "subject": key[1],
                         "when": when, "when_end": when_end, "when_source": source,
                         "event": r.get("event") or "", "value": float(r["value"]),
                         "low": float(r["low"]), "high": float(r["high"]), "unit": r["unit"],
                         "currency": r["currency"],
                         "converted_low": float(r.get("converted_low", math.nan)),
                         "converted_high": float(r.get("converted_high", math.nan)),
                         "converted_currency": r.get("converted_currency") or "",
                         "value_text": str(r["mention"]),
                         "article_id": r["article_id"], "start": int(r["start"]),
                         "end": int(r["end"]), "quote": r["quote"], "figure_id": r["figure_id"]})
    return pd.DataFrame(rows, columns=SERIES_COLUMNS)
