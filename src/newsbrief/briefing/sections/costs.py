"""Costs: training-cost claims (what they cover or leave out) and challenges to them; price
comparisons with rivals (a range chart, one bar per source); market impact; investment; the
history of figures that change over time (funding, valuation: the `series` table, as a table and
a chart). Only resolved figures (known measure and subject) are tabulated or charted; money
figures whose measure or subject is not established are listed with their quote."""
from __future__ import annotations

import pandas as pd

from newsbrief.briefing import charts, prose, render
from newsbrief.briefing import sections as S

KEY = "costs"


def _figs(run, measures: list[str]) -> pd.DataFrame:
    figs = S.table(run, "figures")
    if not len(figs):
        return figs
    ids = set(S.articles(run)["article_id"].astype(str))
    out = figs[figs["measure"].isin(measures) & figs["article_id"].astype(str).isin(ids)
               & figs["resolved"].astype(bool)]
    return out.drop_duplicates(["article_id", "mention_start", "mention_end"])


# measures shown in the investment subsection and in the history
MONEY_CONTEXT = ["valuation", "funding_equity", "funding", "funding_debt", "funding_convertible",
                 "investment", "revenue", "profit_loss", "market_value"]


def _span_text(start: str, end: str) -> str:
    """A date span as the source gave it: a day, a month, a year, or 'start to end'."""
    if not end or end == start:
        return prose.format_date(start, "day")
    if start[:7] == end[:7] and start.endswith("-01"):
        return prose.format_date(start, "month")
    if start[:4] == end[:4] and start[5:] == "01-01" and end[5:] == "12-31":
        return prose.format_date(start, "year")
    return f"{prose.format_date(start, 'day')} to {prose.format_date(end, 'day')}"


def history(run, measures: list[str]) -> list[render.Block]:
    """The series of these measures: one table row per date and value (sources grouped) and a
    chart of the values over time, one line per measure and subject, per currency."""
    ser = S.table(run, "series")
    if not len(ser):
        return []
    ids = set(S.articles(run)["article_id"].astype(str))
    ser = ser[ser["measure"].isin(measures) & ser["article_id"].astype(str).isin(ids)]
    if not len(ser):
        return []
    body, points = [], []
    keys = ["series_id", "when", "when_end", "low", "high", "unit", "currency"]
    for _key, grp in ser.groupby(keys, sort=True, dropna=False):
        r = grp.iloc[0].to_dict()
        when = _span_text(str(r["when"]), str(r["when_end"]))
        if r["when_source"] == "published":
            when = f"{when} (article date)"
        what = S.measure_name(r["measure"])
        if str(r.get("event") or ""):
            what = f"{what} ({r['event']})"
        body.append([when, what, str(r["subject"]),
                     [prose.format_range(r["low"], r["high"], r["unit"], r["currency"]), *S.cites(grp)]])
        points.append(r)
    blocks: list[render.Block] = [
        render.Para(["Figures that change over time, in date order (a later figure is a new value, "
                     "not a disagreement). A date marked “article date” is when the article was "
                     "published; the sentence gives no date of its own."]),
        render.Table(["When", "What", "Whose", "Figure"], body[: S.cap("figure_rows", 10) * 2],
                     caption="History", widths=[1.2, 1.6, 1.2, 1.6])]
    return blocks + _history_chart(run, ser, points)


def _history_chart(run, ser: pd.DataFrame, points: list[dict]) -> list[render.Block]:
    """One line per history and subject, in the currency most points can be shown in (their own
    or the conversion the article gives); points in other currencies stay in the table only."""
    counts: dict[str, int] = {}
    for p in points:
        for cur in {p["currency"], p.get("converted_currency") or ""} - {""}:
            counts[cur] = counts.get(cur, 0) + 1
    if not counts:
        return []
    currency = min(counts, key=lambda c: (-counts[c], c))
    charted = []
    for p in points:
        if p["currency"] == currency:
            low, high = p["low"], p["high"]
        elif p.get("converted_currency") == currency:
            low, high = p["converted_low"], p["converted_high"]
        else:
            continue
        charted.append({"date": p["when"], "low": low, "high": high,
                        "group": f"{S.measure_name(p['history'])}, {p['subject']}"})
    if len({p["date"] for p in charted}) < 2:
        return []
    left_out = len(points) - len(charted)
    values = [float(p["high"]) for p in charted if float(p["high"]) > 0]
    log = bool(values) and max(values) / max(min(values), 1e-12) > 50
    alt = "Figures over time: " + "; ".join(
        f"{p['group']} {p['date']} {prose.format_range(p['low'], p['high'], currency, currency)}"
        for p in charted)
    caption = ("Each line joins one history's values for one subject in date order; a vertical "
               "bar is a range a source gives. Amounts in another currency use the article's own "
               "conversion.")
    if left_out:
        caption += (f" {prose.capitalise(prose.plural(left_out, 'figure'))} in other currencies "
                    "without a conversion are in the table only.")
    source = [S.sources_text(run, ser["article_id"], 3), *S.cites(ser, 14)]
    return [charts.history_chart(charted, "Figures over time", f"Value ({currency})", caption, alt,
                                 source, log=log,
                                 tick_label=lambda v: prose.format_amount(v, currency, currency))]


def unresolved(run) -> list[render.Block]:
    """Money figures whose measure or subject could not be established: quoted, not compared."""
    figs = S.table(run, "figures")
    if not len(figs):
        return []
    ids = set(S.articles(run)["article_id"].astype(str))
    rows = figs[~figs["resolved"].astype(bool) & figs["kind"].isin(["money", "market_move"])
                & figs["article_id"].astype(str).isin(ids)]
    rows = rows.drop_duplicates(["article_id", "mention_start", "mention_end"])
    items = [[f"{S.sources_text(run, [r['article_id']])}: ", prose.quote_inline(r["quote"], 35),
              *S.cites([r])] for r in rows.head(S.cap("figure_rows", 10)).to_dict("records")]
    if not items:
        return []
    return [render.Heading("Other figures (what or whose not established)", level=3,
                           anchor="costs-other"),
            render.Para(["These amounts are quoted as the articles give them; what they measure "
                         "or whose they are could not be established, so they are not compared "
                         "or charted."]),
            render.Bullets(items)]


def _who(run, row: dict) -> str:
    """Who gives the figure, from the sentence's statement; else the outlet reports it."""
    st = S.statement_for(run, row["article_id"], row["start"])
    if st and str(st.get("speaker") or "").strip():
        stance = st.get("stance", "")
        tail = {"company_claim": " (company)", "estimate": " (estimate)",
                "allegation": " (allegation)", "official_action": " (official)"}.get(stance, "")
        if st.get("evidence") == "not_offered":
            tail = tail[:-1] + ", no evidence)" if tail else " (no evidence offered)"
        return f"{st['speaker']}{tail}"
    return f"{S.sources_text(run, [row['article_id']])} reports"


def _coverage(quote: str) -> str:
    conf = S.conf()
    covers = [w for w in conf.get("cost_covers", []) if S.matches(quote, [w])]
    leaves = [w for w in conf.get("cost_leaves_out", []) if S.matches(quote, [w])]
    parts = []
    if covers:
        parts.append("covers " + ", ".join(covers[:2]))
    if leaves:
        parts.append("the source also mentions " + ", ".join(f"“{w}”" for w in leaves[:3]))
    return "; ".join(parts) or "not stated"


def figure_table(run, rows: pd.DataFrame, caption: str, with_coverage: bool = False) -> render.Table:
    """One row per distinct figure (same low, high, unit, currency), sources grouped."""
    body = []
    limit = S.cap("figure_rows", 10)
    aliases = {a.lower() for a in S.company_aliases(run)}
    groups = []
    for _, grp in rows.groupby(["low", "high", "unit", "currency"], sort=False, dropna=False):
        groups.append(grp)
    groups.sort(key=lambda g: (-g["article_id"].nunique(), -float(g["value"].abs().max())))
    for grp in groups[:limit]:
        r = grp.iloc[0].to_dict()
        recs = grp.to_dict("records")
        n = grp["article_id"].nunique()
        label = S.label_for_sentence(run, r["article_id"], r["start"], n)
        item = str(r.get("item") or "").strip()
        subject = str(r.get("subject") or "").strip()
        what = item or (subject if subject.lower() not in aliases else "") or \
            S.measure_name(r["measure"])
        who = prose.join_names(list(dict.fromkeys(_who(run, x) for x in recs[:6]))[:3])
        row = [[prose.format_figure(r), *S.cites(grp)], what, who]
        if with_coverage:
            row.append(_coverage(" ".join(x["quote"] for x in recs)))
        row.append(label)
        body.append(row)
    cols = ["Figure", "About", "Who says"] + (["What it covers / caveats"] if with_coverage else [])
    cols.append("Support")
    return render.Table(cols, body, caption=caption,
                        widths=[1.2, 1.1, 1.5] + ([1.8] if with_coverage else []) + [0.9])


def challenges(run, measure: str) -> list[render.Block]:
    """Statements and disagreements that challenge the figures of one measure."""
    items = []
    doubt = S.conf().get("doubt_words", [])
    mwords = S.conf().get("measure_words", {}).get(measure, [])
    figs = _figs(run, [measure])
    keys = set(zip(figs["article_id"].astype(str), figs["start"].astype(int)))
    st = S.table(run, "statements")
    if len(st):
        for r in st.to_dict("records"):
            mine = (r["article_id"], int(r["start"])) in keys
            about = S.matches(r["quote"], mwords) > 0
            if r["stance"] in ("estimate", "allegation", "expert_view") and about and (
                    mine or S.matches(r["quote"], doubt)):
                items.append([prose.attribute(r["stance"], r["speaker"], r["content"] or r["quote"],
                                              r["evidence"]), *S.cites([r])])
    sents = S.body_sentences(run)
    skeys = set(zip(sents["article_id"].astype(str), sents["start"].astype(int))) if len(sents) else set()
    if len(sents) and not items:
        for r in sents.to_dict("records"):
            if (S.matches(r["quote"], mwords) and S.matches(r["quote"], doubt)
                    and (r["article_id"], int(r["start"])) in keys | skeys):
                items.append([f"{S.sources_text(run, [r['article_id']])} reports: ",
                              prose.quote_inline(r["quote"], 35), *S.cites([r])])
    dis = S.table(run, "disagreements")
    if len(dis):
        for did, grp in dis[dis["measure"] == measure].groupby("disagreement_id", sort=False):
            # one entry per side (several sources may give the same side's value)
            vals = " versus ".join(dict.fromkeys(grp.sort_values("side", kind="stable")["value_text"].astype(str)))
            items.append([f"Sources disagree: {vals} (see “Where sources disagree”)",
                          *S.cites(grp)])
    seen, out = set(), []
    for it in items:
        k = S.__name__ + str(it[0])
        if k not in seen:
            seen.add(k)
            out.append(it)
    return [render.Bullets(out[:6])] if out else []


def price_chart(run, rows: pd.DataFrame) -> list[render.Block]:
    """One horizontal bar per source from its low to its high value."""
    if rows.empty:
        return []
    rows = rows.sort_values(["article_id", "mention_start"]).drop_duplicates(["article_id", "low",
                                                                              "high"])
    rows = rows.head(S.cap("chart_rows", 14))
    unit = str(rows["unit"].mode().iloc[0])
    rows = rows[rows["unit"] == unit]
    data = []
    for r in rows.to_dict("records"):
        who = S.statement_for(run, r["article_id"], r["start"])
        name = S.sources_text(run, [r["article_id"]])
        speaker = str(who.get("speaker") or "") if who else ""
        data.append({"label": f"{name}: {speaker}" if speaker else name, "low": r["low"],
                     "high": r["high"], "group": r.get("subject") or ""})
    xlabel = "Times cheaper than rivals" if unit == "x" else f"Value ({unit})"
    alt = "Price comparison ranges by source: " + "; ".join(
        f"{d['label']} {prose.format_range(d['low'], d['high'], unit)}" for d in data)
    source = [S.sources_text(run, rows["article_id"], 3), *S.cites(rows, 14)]
    return [charts.range_chart(data, "Price versus rivals, by source", xlabel,
                               "Each bar runs from the low to the high end of the range a source "
                               "gives; a dot alone is a single figure.", alt, source)]


@S.reused
def build(run) -> list[render.Block]:
    blocks: list[render.Block] = [S.heading(KEY)]
    empty = True

    train = _figs(run, ["training_cost"])
    blocks.append(render.Heading("Training cost", level=3, anchor="costs-training"))
    if len(train):
        empty = False
        n = train["article_id"].nunique()
        blocks.append(render.Para([f"{prose.capitalise(prose.plural(n, 'article'))} give a "
                                   "training-cost figure. Whether a figure covers only computing "
                                   "power or the whole effort is shown where the source says."]))
        blocks.append(figure_table(run, train, "Training-cost figures", with_coverage=True))
        ch = challenges(run, "training_cost")
        if ch:
            blocks += [render.Para(["Challenges to the figures:"])] + ch
    else:
        blocks.append(S.thin("No article gives a training-cost figure"))

    price = _figs(run, ["price_multiple", "price"])
    blocks.append(render.Heading("Prices compared with rivals", level=3, anchor="costs-prices"))
    if len(price):
        empty = False
        mult = price[price["unit"] == "x"]
        blocks += price_chart(run, mult if len(mult) else price)
        blocks.append(figure_table(run, price, "Price figures"))
        blocks += challenges(run, "price_multiple")
    else:
        blocks.append(S.thin("No article compares prices with rivals"))

    for measures, title, anchor, empty_text in (
            (["market_value_change", "share_price_move"], "Market impact", "costs-market",
             "No article gives market-impact figures"),
            (MONEY_CONTEXT, "Investment context", "costs-investment",
             "No article gives funding or investment figures")):
        rows = _figs(run, measures)
        blocks.append(render.Heading(title, level=3, anchor=anchor))
        if len(rows):
            empty = False
            blocks.append(figure_table(run, rows, title))
        else:
            blocks.append(S.thin(empty_text))
    past = history(run, MONEY_CONTEXT)
    if past:
        empty = False
        blocks += [render.Heading("Funding and valuation history", level=3, anchor="costs-history"),
                   *past]
    other = unresolved(run)
    if other:
        empty = False
        blocks += other
    if empty:
        return [S.heading(KEY), S.thin("The articles give no cost, price, market or investment "
                                       "figures that could be extracted")]
    return blocks
