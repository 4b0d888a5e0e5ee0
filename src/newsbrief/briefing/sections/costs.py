"""Costs: training-cost claims (what they cover or leave out) and challenges to them; price
comparisons with rivals (a range chart, one bar per source); market impact; investment."""
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
    out = figs[figs["measure"].isin(measures) & figs["article_id"].astype(str).isin(ids)]
    return out.drop_duplicates(["article_id", "mention_start", "mention_end"])


def _who(run, row: dict) -> str:
    """Who gives the figure, from the sentence's statement; else the outlet reports it."""
    st = S.statement_for(run, row["article_id"], row["start"])
    if st and str(st.get("speaker") or "").strip():
        stance = st.get("stance", "")
        tail = {"company_claim": " (company)", "analyst_estimate": " (estimate)",
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
            if r["stance"] in ("analyst_estimate", "allegation", "expert_view") and about and (
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
            (["market_value_change"], "Market impact", "costs-market",
             "No article gives market-impact figures"),
            (["funding", "investment", "valuation", "revenue"], "Investment context",
             "costs-investment", "No article gives funding or investment figures")):
        rows = _figs(run, measures)
        blocks.append(render.Heading(title, level=3, anchor=anchor))
        if len(rows):
            empty = False
            blocks.append(figure_table(run, rows, title))
        else:
            blocks.append(S.thin(empty_text))
    if empty:
        return [S.heading(KEY), S.thin("The articles give no cost, price, market or investment "
                                       "figures that could be extracted")]
    return blocks
