"""Policy: the topics the company profile lists (export controls and chips for an AI developer,
tariffs and subsidies for a carmaker; data/knowledge/profiles.yml), governments and regulators
(home and abroad), a dated policy timeline. Also the full "Timeline" of dated events (chart plus table)."""
from __future__ import annotations

import pandas as pd

from newsbrief.briefing import charts, prose, render
from newsbrief.briefing import sections as S

KEY = "policy"
KEY_TIMELINE = "timeline"


# timeline order: by date, then where the event is first told (event ids are hashes)
EVENT_ORDER = ["date", "date_end", "article_id", "start"]

def _topic_sentences(run, words) -> pd.DataFrame:
    sents = S.body_sentences(run)
    if not len(sents):
        return sents
    hit = sents["quote"].astype(str).map(lambda q: S.matches(q, words))
    return sents.assign(_hits=hit)[hit > 0]


def _quote_items(run, rows: pd.DataFrame, limit: int) -> list:
    rows = rows.sort_values(["_hits", "article_id", "start"], ascending=[False, True, True],
                            kind="stable")
    items, seen = [], set()
    for r in S.records(rows):
        q = " ".join(r["quote"].split()).lower()
        if q in seen:
            continue
        seen.add(q)
        st = S.statement_for(run, r["article_id"], r["start"])
        if st and st.get("stance") == "official_action" and st.get("speaker"):
            lead = f"{st['speaker']} (official), via {S.sources_text(run, [r['article_id']])}: "
        else:
            lead = f"{S.sources_text(run, [r['article_id']])}: "
        items.append([lead, prose.quote_inline(r["quote"], 32), *S.cites([r]), " ",
                      S.label_for_sentence(run, r["article_id"], r["start"])])
        if len(items) >= limit:
            break
    return items


def governments(run) -> list[render.Block]:
    """One item per government or regulator entity, most-mentioned first, with its sentences."""
    ents = S.table(run, "entities")
    gov = ents[ents["kind"] == "government"] if len(ents) else ents
    if not len(gov):
        return []
    gov = gov.sort_values(["n_articles", "n_mentions"], ascending=False, kind="stable")
    sents = S.body_sentences(run)
    ment = S.table(run, "mentions")
    items = []
    for g in S.records(gov.head(S.cap("governments", 6))):
        sids = set(ment[ment["entity_id"] == g["entity_id"]]["sentence_id"].astype(str)) \
            if len(ment) else set()
        rows = sents[sents["sentence_id"].astype(str).isin(sids)] if sids else sents.iloc[0:0]
        if not len(rows):
            rows = pd.DataFrame([g])
        first = rows.iloc[0].to_dict()
        n_art = rows["article_id"].nunique()
        items.append([render.Strong(f"{g['name']}. "), f"{S.sources_text(run, [first['article_id']])}: ",
                      prose.quote_inline(first["quote"], 32), *S.cites(rows, 2), " ",
                      prose.sources_label(n_art)])
    return [render.Heading("Governments and regulators", level=3, anchor="policy-governments"),
            render.Bullets(items)]


def _events(run) -> pd.DataFrame:
    ev = S.table(run, "events")
    if not len(ev):
        return ev
    ids = set(S.articles(run)["article_id"].astype(str))
    keep = ev["article_ids"].astype(str).map(lambda a: bool(set(S.split_ids(a)) & ids)) | \
        ev["article_id"].astype(str).isin(ids)
    ev = ev[keep & (ev["date"].astype(str) != "")]
    return ev.sort_values(EVENT_ORDER, kind="stable")


def event_table(run, ev: pd.DataFrame, caption: str) -> render.Table:
    body = []
    for r in S.records(ev):
        what = prose.capitalise(prose.clause(r.get("what") or r["quote"]))   # bounded by events.date_context
        n = int(r.get("n_sources") or 1)
        body.append([prose.format_date(r["date"], r["precision"]),
                     [what, *S.cites([r], 1)], str(r.get("who") or "") or "—",
                     prose.sources_label(n)])
    return render.Table(["When", "What", "Who", "Support"], body, caption=caption,
                        widths=[0.9, 3.0, 1.1, 0.8])


@S.reused
def build(run) -> list[render.Block]:
    """The profile's policy topics (profiles.yml) the articles say something about, then the
    dated policy events; topics with nothing are named in one note."""
    blocks: list[render.Block] = [S.heading(KEY)]
    topics = S.conf().get("policy_topics", {})
    missing = []
    chosen = S.profile(run).get("policy_topics") or list(topics)
    for title in chosen:
        words = topics.get(title) or []
        if title == "Governments and regulators":
            gov = governments(run)
            if gov:
                blocks += gov
                continue
        rows = _topic_sentences(run, words)
        if len(rows):
            blocks.append(render.Heading(title, level=3, anchor=f"policy-{render.anchor_for(title)}"))
            blocks.append(render.Bullets(_quote_items(run, rows, 5)))
        else:
            missing.append(title)
    ev = _events(run)
    if len(ev):
        words = [w for t in chosen for w in topics.get(t) or []]
        pol = ev[ev.apply(lambda r: S.matches(f"{r['what']} {r['quote']}", words) > 0, axis=1)]
        if len(pol):
            pol = pol.tail(S.cap("policy_events", 15))
            blocks.append(render.Heading("Policy timeline", level=3, anchor="policy-timeline"))
            blocks.append(event_table(run, pol, "Dated policy events"))
    if len(blocks) == 1:
        return [S.heading(KEY), S.thin(f"The articles say nothing about "
                                       f"{prose.join_names([t.lower() for t in chosen])}")]
    note = S.not_covered(missing)
    return blocks + ([note] if note else [])


@S.reused
def build_timeline(run) -> list[render.Block]:
    blocks: list[render.Block] = [S.heading(KEY_TIMELINE, "Timeline")]
    ev = _events(run)
    if not len(ev):
        blocks.append(S.thin("The articles give no dated events"))
        return blocks
    limit = S.cap("timeline_rows", 40)
    if len(ev) > limit:  # keep the best-supported events, shown in date order
        ev = ev.sort_values(["n_sources", "date"], ascending=[False, True], kind="stable") \
            .head(limit).sort_values(EVENT_ORDER, kind="stable")
    blocks.append(render.Para([
        f"{prose.capitalise(prose.plural(len(ev), 'dated event'))}. Dates keep the precision the "
        "sources give: a year is shown as a year and a month as a month; no day is invented."],
        css="muted"))
    chart_ev = ev.sort_values(["n_sources", "date"], ascending=[False, True], kind="stable") \
        .head(S.cap("chart_rows", 14)).sort_values(EVENT_ORDER, kind="stable")
    data = [{"label": prose.shorten(prose.clause(r.get("what") or r["quote"]), 8),
             "date": r["date"], "date_end": r.get("date_end") or r["date"],
             "precision": r["precision"], "group": ""} for r in S.records(chart_ev)]
    alt = "Timeline: " + "; ".join(
        f"{prose.format_date(d['date'], d['precision'])}: {d['label']}" for d in data)
    if len(data) >= 2:
        blocks.append(charts.timeline_chart(
            data, "Dated events", "Events with a date in the articles.", alt,
            [S.sources_text(run, chart_ev["article_id"], 3), *S.cites(chart_ev, 14)]))
    blocks.append(event_table(run, ev, "All dated events"))
    return blocks
