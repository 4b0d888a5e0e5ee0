"""Costs and prices, arranged by the company profile (data/knowledge/profiles.yml): for an AI
developer training cost (what a figure covers or leaves out, and challenges to it), prices
compared with rivals (a range chart, one bar per source), market impact, funding; for a carmaker
car prices, deliveries, factories, market impact, funding. A subsection appears only when the
articles give it a figure or a sentence; the others are named in one note. Then the history of
figures that change over time (funding, valuation: the `series` table, as a table and a chart)
and money figures whose measure or subject is not established, listed with their quote."""
from __future__ import annotations

import pandas as pd

from newsbrief.briefing import charts, prose, render
from newsbrief.briefing import sections as S
from newsbrief.briefing.sections import importance
from newsbrief.extract import figures

KEY = "costs"
# Stances whose statements can challenge a figure ("analyst_estimate" is the older name of
# "estimate").
_CHALLENGE_STANCES = ("estimate", "analyst_estimate", "allegation", "expert_view",
                      "anonymous_sourcing")


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
    figs = S.table(run, "figures")
    stage = dict(zip(figs["figure_id"].astype(str), figs["status"].fillna("").astype(str))) \
        if "status" in figs else {}
    ser = ser.assign(stage=[stage.get(str(f), "") for f in ser["figure_id"]])
    body, points = [], []
    keys = ["series_id", "when", "when_end", "low", "high", "unit", "currency", "stage"]
    for _key, grp in ser.groupby(keys, sort=True, dropna=False):
        r = grp.iloc[0].to_dict()
        when = _span_text(str(r["when"]), str(r["when_end"]))
        if r["when_source"] == "published":
            when = f"{when} (article date)"
        what = S.measure_name(r["measure"], r.get("unit", ""))
        notes = [str(x) for x in (r.get("event"), figures.status_label(r["stage"])) if str(x or "")]
        if notes:
            what = f"{what} ({', '.join(notes)})"   # "Equity raised (in talks)": not a value reached
        body.append([when, what, str(r["subject"]),
                     [prose.format_range(r["low"], r["high"], r["unit"], r["currency"]), *S.cites(grp)]])
        if figures.status_group(r["stage"]) == "actual":
            points.append(r)   # the chart joins values reached, not planned ones
    blocks: list[render.Block] = [
        render.Para(["Figures that change over time, in date order (a later figure is a new value, "
                     "not a disagreement). A date marked “article date” is when the article was "
                     "published; the sentence gives no date of its own. A figure marked planned, in "
                     "talks or the like is a deal not yet done; the chart leaves it out."]),
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
              *S.cites([r])] for r in S.records(rows.head(S.cap("figure_rows", 10)))]
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
        recs = S.records(grp)
        n = grp["article_id"].nunique()
        label = S.label_for_figures(run, grp, n)
        item = str(r.get("item") or "").strip()
        subject = str(r.get("subject") or "").strip()
        what = item or (subject if subject.lower() not in aliases else "") or \
            S.measure_name(r["measure"], r.get("unit", ""))
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
        # statements.is_doubt, once the statements table has it, decides what questions the
        # figures (praise of the company's efficiency is no challenge); before, doubt words do
        flags = [importance.truthy(v) for v in st.get("is_doubt", pd.Series([None] * len(st)))]
        judged = any(f is not None for f in flags)
        for r, flag in zip(S.records(st), flags):
            mine = (r["article_id"], int(r["start"])) in keys
            about = S.matches(r["quote"], mwords) > 0
            doubting = bool(flag) if judged else (mine or S.matches(r["quote"], doubt) > 0)
            if r["stance"] in _CHALLENGE_STANCES and about and doubting:
                items.append([prose.attribute(r["stance"], r["speaker"], r["content"] or r["quote"],
                                              r["evidence"]), *S.cites([r])])
    sents = S.body_sentences(run)
    skeys = set(zip(sents["article_id"].astype(str), sents["start"].astype(int))) if len(sents) else set()
    if len(sents) and not items:
        for r in S.records(sents):
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
    for r in S.records(rows):
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


def company_sentences(run, words) -> list[dict]:
    """Sentences naming the company (or its own models) with one of `words`, one per article,
    most hits first."""
    sents = S.body_sentences(run)
    if not len(sents) or not words:
        return []
    rows = []
    for r in S.records(sents):
        n = S.matches(str(r["quote"]), words)
        if n and importance.names_company(run, str(r["quote"])):
            rows.append((-n, len(str(r["quote"])), r))
    rows.sort(key=lambda x: (x[0], x[1], str(x[2]["article_id"]), int(x[2]["start"])))
    out, seen = [], set()
    for _, _, r in rows:
        if r["article_id"] not in seen:
            seen.add(r["article_id"])
            out.append(r)
    return out[:4]


def subsection(run, spec: dict) -> list[render.Block]:
    """One costs subsection from its profile entry; [] when the articles give it nothing."""
    title = str(spec["title"])
    rows = _figs(run, list(spec.get("measures") or []))
    blocks: list[render.Block] = [render.Heading(title, level=3,
                                                 anchor=f"costs-{render.anchor_for(title)}")]
    if len(rows):
        if spec.get("coverage"):
            n = rows["article_id"].nunique()
            blocks.append(render.Para([f"{prose.capitalise(prose.plural(n, 'article'))} give a "
                                       f"{title.lower()} figure. Whether a figure covers only "
                                       "computing power or the whole effort is shown where the "
                                       "source says."]))
        if spec.get("chart"):
            charted = rows[[importance.is_resolved(r) for r in S.records(rows)]]
            mult = charted[charted["unit"] == "x"]
            blocks += price_chart(run, mult if len(mult) else charted)
        blocks.append(figure_table(run, rows, f"{title} figures",
                                   with_coverage=bool(spec.get("coverage"))))
        if spec.get("challenges"):
            found = challenges(run, str(spec["challenges"]))
            if found:
                blocks += [render.Para(["Challenges to the figures:"])] + found
        return blocks
    sents = company_sentences(run, spec.get("words") or [])
    if not sents:
        return []
    blocks.append(render.Para(["No figure on this was extracted; the articles say:"], css="muted"))
    blocks.append(render.Bullets([[f"{S.sources_text(run, [r['article_id']])}: ",
                                   prose.quote_inline(r["quote"], 35), *S.cites([r]), " ",
                                   S.label_for_sentence(run, r["article_id"], r["start"])]
                                  for r in sents]))
    return blocks


@S.reused
def build(run) -> list[render.Block]:
    """The profile's costs subsections (profiles.yml) that the articles give something for."""
    blocks: list[render.Block] = [S.heading(KEY)]
    missing = []
    for spec in S.profile(run).get("costs") or []:
        got = subsection(run, spec)
        if got:
            blocks += got
        else:
            missing.append(str(spec["title"]))
    past = history(run, MONEY_CONTEXT)
    if past:
        blocks += [render.Heading("Funding and valuation history", level=3, anchor="costs-history"),
                   *past]
    other = unresolved(run)
    if other:
        blocks += other
    if len(blocks) == 1:
        return [S.heading(KEY), S.thin("The articles give no cost, price, market or funding "
                                       "figures, and no sentence about them, that could be used")]
    note = S.not_covered(missing)
    return blocks + ([note] if note else [])
