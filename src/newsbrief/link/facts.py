"""Which fact a resolved figure states: its measure, subject, unit family, context and time.

Claims and disagreements compare figures only within one fact (`fact_key`): a market's loss is
never merged with a company's, a December round never with a June one. When a figure of a
measure that changes over time (`series: true` in measures.yml) applies:

* its event ("Series B", "trading day 2025-01-27"), else its stated period;
* else its article's publication date, but only when that article gives this measure and
  subject a single value without an event or period: an article that names several
  valuations without saying when ("now $4.2 billion, up from $1.4 billion") does not say which
  one is current, so none of them is placed in time;
* else it is not placed, and is compared with nothing.
"""
from __future__ import annotations

from collections import defaultdict
from functools import lru_cache

import pandas as pd

from newsbrief import knowledge


@lru_cache(maxsize=None)
def measure_info() -> dict[str, dict]:
    return (knowledge.load("measures") or {}).get("measures") or {}


def is_series(measure: str) -> bool:
    """Does the measure change over time (figures at different times are a history)?"""
    return bool((measure_info().get(measure) or {}).get("series", True))


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


def _untimed(r: dict) -> bool:
    return not r.get("event") and not r.get("period_start")


def ambiguous_untimed(recs: list[dict]) -> set[tuple[str, str, str]]:
    """(article_id, measure, subject) whose figures without event or period take two or more
    values in that article: none of them can be dated by the publication date."""
    values: dict[tuple[str, str, str], set] = defaultdict(set)
    for r in recs:
        if _untimed(r) and is_series(r["measure"]):
            values[(r["article_id"], r["measure"], fact_subject(r))].add((float(r["low"]), float(r["high"])))
    return {k for k, v in values.items() if len(v) > 1}


def time_key(r: dict, published: dict[str, str], ambiguous: set) -> tuple | None:
    """When a figure applies (see the module docstring); ("fixed",) for a measure that does not
    change over time; None when a series figure cannot be placed."""
    if not is_series(r["measure"]):
        return ("fixed",)
    if r.get("event"):
        return ("event", r["event"])
    if r.get("period_start"):
        return ("period", r["period_start"], r.get("period_end") or r["period_start"])
    pub = published.get(r["article_id"], "")
    if pub and (r["article_id"], r["measure"], fact_subject(r)) not in ambiguous:
        return ("published", pub)
    return None


def fact_key(r: dict, owners: dict[str, str], published: dict[str, str], ambiguous: set,
             context: dict[str, str]) -> tuple | None:
    """(measure, subject, unit family, context, time) of a resolved figure; None when it cannot
    be placed in time."""
    time = time_key(r, published, ambiguous)
    if time is None:
        return None
    owner_compared = (measure_info().get(r["measure"]) or {}).get("compare_subjects") == "owner"
    subject = r["subject"] if owner_compared else fact_subject(r)
    return (r["measure"], comparable_subject(r["measure"], subject, owners), unit_family(r),
            context.get(r["sentence_id"], "fact"), time)


def when_text(time: tuple) -> str:
    """'Series B', '2024-01-01 to 2024-12-31', 'as of 2025-01-27', '' for a fixed fact."""
    if time[0] == "event":
        return time[1]
    if time[0] == "period":
        return time[1] if time[1] == time[2] else f"{time[1]} to {time[2]}"
    if time[0] == "published":
        return f"as of {time[1]}"
    return ""
