"""Which fact a resolved figure states: its measure, subject, unit family, context, deal stage
and occasion.

Claims and disagreements compare figures only within one fact (`fact_groups`): a market's loss
is never merged with a company's, a December round never with a June one, a planned bond sale
never with a completed one. Figures are grouped by everything but time in one pass; each group
is then split into occasions (knowledge file `facts.yml`): the same named event, overlapping or
equal stated periods, or publication dates close enough, checked against a running summary of
each occasion so the split stays linear in the number of figures. A figure of a measure that
changes over time (`series: true` in measures.yml) that has no event, no stated period and no
usable publication date is not placed in time and is compared with nothing. An article that
names several values of one measure and subject without saying when ("now $4.2 billion, up
from $1.4 billion") does not say which one is current, so none of them is dated by its
publication date.
"""
from __future__ import annotations

import bisect
import datetime as _dt
import math
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache

import pandas as pd

from newsbrief import knowledge
from newsbrief.extract.figures import status_group
from newsbrief.link.values import interval

_RECENT = 50   # occasions of one group a figure is tried against (most recent first)


@lru_cache(maxsize=None)
def measure_info() -> dict[str, dict]:
    return (knowledge.load("measures") or {}).get("measures") or {}


def is_series(measure: str) -> bool:
    """Does the measure change over time (figures at different times are a history)?"""
    return bool((measure_info().get(measure) or {}).get("series", True))


@lru_cache(maxsize=None)
def _occasion_rules() -> tuple[dict, dict[str, dict], dict[str, str]]:
    occ = (knowledge.load("facts") or {}).get("occasions") or {}
    # a measure of unstated kind and the specific kinds measures.yml lists as `compatible_with` it
    generic = {str(child): str(parent) for parent, spec in measure_info().items()
               for child in [parent, *((spec or {}).get("compatible_with") or [])]
               if (spec or {}).get("compatible_with")}
    return dict(occ.get("default") or {}), dict(occ.get("measures") or {}), generic


@lru_cache(maxsize=None)
def _issued_statuses() -> frozenset[str]:
    """Figure statuses (measures.yml `statuses`) dated by the day they were given (facts.yml
    `issued_statuses`: forecasts)."""
    return frozenset(str(s) for s in (knowledge.load("facts") or {}).get("issued_statuses") or [])


def occasion_rule(measure: str) -> tuple[str, float]:
    """(periods mode "overlap" / "equal", as_of_days) for a measure (facts.yml `occasions`)."""
    default, per_measure, _generic = _occasion_rules()
    rule = {**default, **(per_measure.get(measure) or {})}
    return str(rule.get("periods", "overlap")), float(rule.get("as_of_days", 0))


def measure_family(measure: str) -> str:
    """The measure figures are grouped under before occasions are found: a measure of unstated
    kind and the specific kinds measures.yml says it is `compatible_with` share one."""
    return _occasion_rules()[2].get(measure, measure)


def is_generic(measure: str) -> bool:
    return measure_family(measure) == measure and measure in _occasion_rules()[2]


@lru_cache(maxsize=None)
def _dated_event_prefixes() -> tuple[str, ...]:
    conf = knowledge.load("measures") or {}
    return tuple(f"{str(d.get('prefix') or '').strip()} " for d in conf.get("dated_events") or []
                 if str(d.get("prefix") or "").strip())


def stage(r: dict) -> str:
    """The deal-stage group of a figure's status (`figures.status_group`): "" for a completed
    deal or one whose stage is not said, "prospective" for a planned one, ..."""
    group = status_group(str(r.get("status") or ""))
    return "" if group == "actual" else group


def model_owners(entities: pd.DataFrame | None, company: str = "") -> dict[str, str]:
    """Model name -> owning organisation: the entities' `owner` (or `organisation`) column, else
    the company or organisation whose name the model name starts with ("Kestrel-2")."""
    if entities is None or entities.empty:
        return {}
    orgs = sorted({str(n) for n, k in zip(entities["name"], entities["kind"])
                   if k in ("company", "organisation")} | ({company} if company else set()),
                  key=len, reverse=True)
    owner_col = "owner" if "owner" in entities else ("organisation" if "organisation" in entities else None)
    out = {}
    for row in entities[entities["kind"] == "model"].to_dict("records"):
        name = str(row["name"])
        owner = str(row.get(owner_col) or "") if owner_col else ""
        if not owner:
            owner = next((o for o in orgs if name.startswith(o) and name != o), "")
        if owner:
            out[name] = owner.split(";")[0].strip()
    return out


def product_of(r: dict) -> str:
    """The model or product a figure is about when its subject is the product's owner (the
    figure's item, for a figure that counts nothing: "Sable" for the Sable's price), else ""."""
    item = str(r.get("item") or "")
    if r.get("kind") == "count" or item.lower().rstrip("s") == str(r.get("unit") or "").lower().rstrip("s"):
        return ""
    return item


def fact_subject(r: dict) -> str:
    """Whose fact a figure states: its subject, and the product when it is about one of the
    subject's products ("Orvane Motors: Sable"): the Sable's price is not the Lark's."""
    product = product_of(r)
    return f"{r['subject']}: {product}" if product else str(r["subject"])


def comparable_subject(measure: str, subject: str, owners: dict[str, str]) -> str:
    """The subject figures are compared under (a model stands for its owner where measures.yml
    says `compare_subjects: owner`)."""
    if (measure_info().get(measure) or {}).get("compare_subjects") == "owner":
        return owners.get(subject, subject)
    return subject


def unit_family(r: dict) -> str:
    return "money" if r["kind"] in ("money", "market_move") and r["currency"] else r["unit"]


def event_name(r: dict) -> str:
    """The figure's named event; "" for none or for a name made from a date ("trading day
    2025-01-27": its date is the figure's period)."""
    name = str(r.get("event") or "").strip()
    derived = _dated_event_prefixes()
    return "" if not name or (derived and name.startswith(derived) and r.get("period_start")) else name


def _untimed(r: dict) -> bool:
    return not event_name(r) and not r.get("period_start")


def ambiguous_untimed(recs: list[dict]) -> set[tuple]:
    """(article_id, measure, subject, unit family, scope) whose figures without event or period
    take two or more values in that article: none of them can be dated by the publication date
    (a change in percent beside an amount, "fell 6% to 9.4 billion pounds", is no second value)."""
    values: dict[tuple, set] = defaultdict(set)
    for r in recs:
        if _untimed(r) and is_series(r["measure"]):
            values[_ambiguity_key(r)].add((float(r["low"]), float(r["high"])))
    return {k for k, v in values.items() if len(v) > 1}


def _ambiguity_key(r: dict) -> tuple:
    return (r["article_id"], r["measure"], fact_subject(r), unit_family(r), str(r.get("scope") or ""))


@dataclass(frozen=True)
class Occasion:
    """When a figure applies: its named event, its stated period (ISO days) and the date it is
    reported as of (the publication date, when the sentence states no period)."""
    name: str = ""
    period: tuple[int, int] | None = None
    as_of: int | None = None
    issued: int | None = None   # the day a forecast was made (its article's publication date)

    @property
    def timed(self) -> bool:
        return self.period is not None or self.as_of is not None


def _day(value) -> int | None:
    try:
        return _dt.date.fromisoformat(str(value)[:10]).toordinal()
    except ValueError:
        return None


def figure_occasion(r: dict, published: dict[str, str], ambiguous: set) -> Occasion | None:
    """The figure's occasion; None when a series figure cannot be placed in time, or a figure
    of a `per_product` measure does not say which product it is about."""
    if (measure_info().get(r["measure"]) or {}).get("per_product") and not product_of(r):
        return None
    name = event_name(r)
    start = _day(r.get("period_start")) if r.get("period_start") else None
    period = (start, _day(r.get("period_end")) or start) if start is not None else None
    pub = _day(published.get(r["article_id"], "")) if published.get(r["article_id"]) else None
    if str(r.get("status") or "") in _issued_statuses():
        # a forecast is the forecast of the day it was made: February's guidance for the year
        # and August's raised guidance for the same year are a series, not a dispute; one whose
        # day is not known cannot be set against another
        if pub is None:
            return None
        return Occasion(name, period, None, issued=pub)
    as_of = pub if period is None and _ambiguity_key(r) not in ambiguous else None
    if not is_series(r["measure"]):
        return Occasion(name, period, None)
    if not name and period is None and as_of is None:
        return None
    return Occasion(name, period, as_of)


def _widen(span: tuple[int, int] | None, day: int | None) -> tuple[int, int] | None:
    """The span of days widened to take in `day` (None: nothing to add)."""
    if day is None:
        return span
    return (day, day) if span is None else (min(span[0], day), max(span[1], day))


class _OccasionSummary:
    """What every member of one occasion allows: its name, the intersection (or the one value)
    of the stated periods, the span of the "as of" dates."""

    def __init__(self, mode: str, as_of_days: float):
        self.mode, self.days = mode, as_of_days
        self.name = ""
        self.period: tuple[int, int] | None = None
        self.as_of: tuple[int, int] | None = None
        self.issued: tuple[int, int] | None = None
        self.members: list[int] = []

    timed = Occasion.timed   # a stated period or an "as of" date, as for one figure

    def _period_ok(self, p: tuple[int, int] | None) -> bool:
        if p is None or self.period is None:
            return True
        if self.mode == "equal":
            return p == self.period
        return p[0] <= self.period[1] and self.period[0] <= p[1]

    def _as_of_ok(self, occ: Occasion) -> bool:
        lo = min(self.as_of[0], occ.as_of) if self.as_of and occ.as_of is not None else None
        if lo is not None and max(self.as_of[1], occ.as_of) - lo > self.days:
            return False
        # a stated period and an "as of" date: reported during the period or soon after it
        pairs = []
        if occ.as_of is not None and self.period is not None:
            pairs.append((self.period, (occ.as_of, occ.as_of)))
        if occ.period is not None and self.as_of is not None:
            pairs.append((occ.period, self.as_of))
        for period, (first, last) in pairs:
            if self.mode == "equal" or first < period[0] or last > period[1] + self.days:
                return False
        return True

    def admits(self, occ: Occasion) -> bool:
        if occ.name and self.name and occ.name != self.name:
            return False
        if (occ.issued is None) != (self.issued is None) and self.members:
            return False   # a forecast is not an account of what happened
        if occ.issued is not None and self.issued is not None and \
                max(self.issued[1], occ.issued) - min(self.issued[0], occ.issued) > self.days:
            return False
        # a named event of unknown time and a time with no name: nothing says they are one
        # occasion ("Series B" in an undated article is not the March round another figure dates)
        if (occ.name and not occ.timed and not self.name and self.timed) or \
                (not occ.name and occ.timed and self.name and not self.timed):
            return False
        if occ.name and occ.name == self.name:
            return self._period_ok(occ.period)   # one named round, whenever it is reported
        return self._period_ok(occ.period) and self._as_of_ok(occ)

    def add(self, i: int, occ: Occasion) -> None:
        self.members.append(i)
        self.name = self.name or occ.name
        if occ.period is not None:
            self.period = occ.period if self.period is None or self.mode == "equal" else \
                (max(self.period[0], occ.period[0]), min(self.period[1], occ.period[1]))
        self.as_of = _widen(self.as_of, occ.as_of)
        self.issued = _widen(self.issued, occ.issued)

    def time(self) -> tuple:
        """The occasion as a fact key's time part (see `when_text`)."""
        if self.name:
            return ("event", self.name)
        if self.period is not None:
            a, b = (_dt.date.fromordinal(d).isoformat() for d in self.period)
            return ("period", a, b)
        if self.as_of is not None:
            return ("published", _dt.date.fromordinal(self.as_of[0]).isoformat())
        return ("fixed",)


def _split_occasions(recs: list[dict], members: list[int], occasions: dict[int, Occasion],
                     measure: str) -> list[_OccasionSummary]:
    mode, days = occasion_rule(measure)
    if not is_series(measure):
        days = float("inf")

    def order(i: int):
        # dated figures first, by date; a named event of unknown time last, so it joins the
        # occasion its name was dated on when there is one
        o = occasions[i]
        first = o.period[0] if o.period else (o.as_of if o.as_of is not None else -1)
        return (bool(o.name) and not o.timed, first, o.name, i)
    out: list[_OccasionSummary] = []
    for i in sorted(members, key=order):
        occ = occasions[i]
        home = next((s for s in reversed(out[-_RECENT:]) if s.admits(occ)), None)
        if home is None:
            home = _OccasionSummary(mode, days)
            out.append(home)
        home.add(i, occ)
    return out


def _specific_splits(recs: list[dict], members: list[int]) -> list[tuple[str, list[int]]]:
    """One occasion's figures by measure; a figure of unstated kind joins the one specific kind
    reported on the occasion (measures.yml `compatible_with`), else stays apart."""
    by_measure: dict[str, list[int]] = defaultdict(list)
    for i in members:
        by_measure[recs[i]["measure"]].append(i)
    generic = [m for m in by_measure if is_generic(m)]
    specific = [m for m in by_measure if m not in generic]
    if len(specific) == 1:
        for m in generic:
            by_measure[specific[0]] += by_measure.pop(m)
    return sorted(by_measure.items())


@lru_cache(maxsize=None)
def _event_stories() -> dict[str, int]:
    """measure -> the number of its facts.yml `event_stories` group (measures reported together
    about one event: a share fall and the market value it wiped out)."""
    groups = (knowledge.load("facts") or {}).get("event_stories") or []
    return {str(m): n for n, group in enumerate(groups) for m in group}


def _anchor_occasions(recs: list[dict], keys: dict[int, tuple], occasions: dict[int, Occasion],
                      unplaced: list[int]) -> dict[int, Occasion]:
    """Occasions for figures that cannot be placed in time, from a figure of the same event
    story in their sentence that can: one that agrees (value intervals overlap) with dated
    figures of its fact (a stated period or a named event), all on one occasion (its value says
    which occasion, even where the article's several values make its date useless). "The stock
    closed down 18% on Wednesday, erasing about $15 billion" in an undated article: its 18%
    agrees with the 18% another outlet dates to 6 Nov, so its $15 billion is that day's loss.

    Linear: dated figures are indexed by fact key and sorted by value once; each lookup tries a
    bounded run of neighbours."""
    stories = _event_stories()
    candidates = [i for i in unplaced if recs[i]["measure"] in stories
                  and occasion_rule(measure_family(recs[i]["measure"]))[0] == "overlap"]
    if not candidates:
        return {}
    # one event story told in one sentence (or a sentence and the one going on with it)
    by_story: dict[tuple[str, int], list[int]] = defaultdict(list)
    for i, unit in _story_unit(recs, candidates).items():
        by_story[(unit, stories[recs[i]["measure"]])].append(i)
    dated: dict[tuple, list[tuple[float, float, int]]] = defaultdict(list)
    for i, occ in occasions.items():
        if occ.name or occ.period is not None:
            lo, hi = _value_span(recs[i])
            if math.isfinite(hi) and lo > 0:
                dated[keys[i]].append((lo, hi, i))
    for rows in dated.values():
        rows.sort()
    out: dict[int, Occasion] = {}
    for story in sorted(by_story):
        members = by_story[story]
        found = {_agreeing_occasion(recs[i], dated.get(keys[i], []), occasions) for i in members}
        found.discard(None)
        if len(members) > 1 and len(found) == 1:   # else no anchor, or two occasions: not placed
            anchor = found.pop()
            out.update((i, anchor) for i in members)
    return out


@lru_cache(maxsize=None)
def _continuations() -> tuple[str, ...]:
    return tuple(str(w).lower() + " " for w in (knowledge.load("facts") or {}).get("story_continues") or [])


def _story_unit(recs: list[dict], rows: list[int]) -> dict[int, str]:
    """row -> the sentence its event is told in: its own, or the one right before it when its
    sentence goes on with that event ("... raised $450 million this week. The fundraising values
    the company at $4.2 billion": facts.yml `story_continues`)."""
    heads = _continuations()
    sentences = sorted({(recs[i]["article_id"], int(recs[i]["start"]), int(recs[i]["end"]),
                         recs[i]["sentence_id"], str(recs[i]["quote"])) for i in rows})
    unit: dict[str, str] = {}
    previous = None
    for aid, start, end, sid, quote in sentences:
        goes_on = bool(heads) and previous is not None and previous[0] == aid and \
            0 <= start - previous[2] <= 3 and quote.lower().startswith(heads)
        unit[sid] = unit[previous[3]] if goes_on else sid
        previous = (aid, start, end, sid)
    return {i: unit[recs[i]["sentence_id"]] for i in rows}


def _value_span(r: dict) -> tuple[float, float]:
    """The values a figure allows (`link.values.interval`)."""
    lo, hi, _is_range = interval(float(r["low"]), float(r["high"]), r.get("qualifier") or "")
    return lo, hi


def _agreeing_occasion(r: dict, dated: list[tuple[float, float, int]],
                       occasions: dict[int, Occasion]) -> Occasion | None:
    """The one dated occasion whose figures agree with `r`'s value, or None (none, or several
    that do not share a name or an overlapping period)."""
    lo, hi = _value_span(r)
    if not (math.isfinite(hi) and lo > 0) or not dated:
        return None
    at = bisect.bisect_left(dated, (lo * 0.5, -math.inf, -1))
    hits = [occasions[j] for a, b, j in dated[at:at + _RECENT] if a <= hi and lo <= b]
    if not hits:
        return None
    names = {o.name for o in hits} - {""}
    periods = [o.period for o in hits if o.period is not None]
    if len(names) > 1:
        return None
    start = max((p[0] for p in periods), default=None)
    end = min((p[1] for p in periods), default=None)
    if start is not None and start > end:
        return None
    return Occasion(next(iter(names), ""), (start, end) if start is not None else None, None)


def fact_groups(recs: list[dict], owners: dict[str, str], published: dict[str, str],
                context: dict[str, str]) -> tuple[list[tuple[tuple, list[int]]], list[int]]:
    """The facts the resolved figures `recs` state: ([(fact key, member rows)], rows that
    cannot be placed in time). A fact key is (measure, subject, unit family, context, stage,
    time) with time ("event", name), ("period", start, end), ("published", date) or
    ("fixed",) (`when_text`). A figure that cannot be placed in time takes the occasion of a
    sentence-mate of its event story that can (`_anchor_occasions`)."""
    ambiguous = ambiguous_untimed(recs)
    coarse: dict[tuple, list[int]] = defaultdict(list)
    occasions: dict[int, Occasion] = {}
    keys: dict[int, tuple] = {}
    unplaced = []
    for i, r in enumerate(recs):
        owner_compared = (measure_info().get(r["measure"]) or {}).get("compare_subjects") == "owner"
        subject = r["subject"] if owner_compared else fact_subject(r)
        keys[i] = (measure_family(r["measure"]), comparable_subject(r["measure"], subject, owners),
                   unit_family(r), context.get(r["sentence_id"], "fact"), stage(r))
        occ = figure_occasion(r, published, ambiguous)
        if occ is None:
            unplaced.append(i)
        else:
            occasions[i] = occ
    anchored = _anchor_occasions(recs, keys, occasions, unplaced)
    occasions.update(anchored)
    unplaced = [i for i in unplaced if i not in anchored]
    for i in sorted(occasions):
        coarse[keys[i]].append(i)
    out = []
    for key in sorted(coarse):
        family, subject, unit, ctx, stg = key
        for occ in _split_occasions(recs, coarse[key], occasions, family):
            for measure, rows in _specific_splits(recs, occ.members):
                out.append(((measure, subject, unit, ctx, stg, occ.time()), sorted(rows)))
    return out, unplaced


def when_text(time: tuple) -> str:
    """'Series B', '2024-01-01 to 2024-12-31', 'as of 2025-01-27', '' for a fixed fact."""
    if time[0] == "event":
        return time[1]
    if time[0] == "period":
        return time[1] if time[1] == time[2] else f"{time[1]} to {time[2]}"
    if time[0] == "published":
        return f"as of {time[1]}"
    return ""
