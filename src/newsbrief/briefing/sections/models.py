"""Models: every model the articles name (release date at its precision, size, kind, what is
notable, sources), a release timeline chart, and how models compare with rivals, per whom."""
from __future__ import annotations

import re

import pandas as pd

from newsbrief.briefing import charts, prose, render
from newsbrief.briefing import sections as S

KEY = "models"


def _model_entities(run) -> pd.DataFrame:
    ents = S.table(run, "entities")
    if not len(ents):
        return ents
    ids = set(S.articles(run)["article_id"].astype(str))
    models = ents[(ents["kind"] == "model") & ents["article_id"].astype(str).isin(ids)]
    return models.sort_values(["n_articles", "n_mentions", "name"], ascending=[False, False, True],
                              kind="stable").head(S.cap("models", 15))


def _names_rx(row) -> re.Pattern:
    names = [row["name"]] + S.split_ids(row.get("aliases"))
    names = sorted({n.strip() for n in names if n.strip()}, key=len, reverse=True)
    return re.compile(r"(?<![\w-])(?:" + "|".join(re.escape(n) for n in names) + r")(?![\w-])")


def model_sentences(run, row, sents: pd.DataFrame) -> pd.DataFrame:
    """Sentences naming the model: from the mentions table, else by name match."""
    ment = S.table(run, "mentions")
    if len(ment):
        m = ment[ment["entity_id"] == row["entity_id"]]
        if len(m):
            sids = set(m["sentence_id"].astype(str))
            hit = sents[sents["sentence_id"].astype(str).isin(sids)]
            if len(hit):
                return hit
    rx = _names_rx(row)
    return sents[sents["quote"].astype(str).map(lambda q: bool(rx.search(q)))]


def _released_here(quote: str, name_rx: re.Pattern) -> bool:
    """Does the sentence say *this* model was released? A release word must stand next to a
    mention of the model with no comparison between them: in "A-2, released last week, is
    cheaper than B-1" the date is A-2's, not B-1's."""
    conf = S.conf()
    release_rx = S.keyword_regex(conf.get("release_words", []))
    between_rx = S.keyword_regex(conf.get("release_blockers", []))
    if release_rx is None:
        return False
    for model in name_rx.finditer(quote):
        for word in release_rx.finditer(quote):
            lo, hi = sorted((model.end(), word.start())) if model.end() <= word.start() else \
                sorted((word.end(), model.start()))
            if between_rx is None or not between_rx.search(quote[lo:hi]):
                return True
    return False


def _release(run, row, msents: pd.DataFrame) -> dict | None:
    """The release date: a date mention in a sentence saying this model was released,
    the most precise and most repeated first."""
    dates = S.table(run, "dates")
    if not len(dates) or not len(msents):
        return None
    name_rx = _names_rx(row)
    rel = msents[msents["quote"].astype(str).map(lambda q: _released_here(q, name_rx))]
    keys = set(zip(rel["article_id"].astype(str), rel["start"].astype(int)))
    cand = dates[[(a, int(s)) in keys for a, s in zip(dates["article_id"].astype(str),
                                                       dates["start"])]]
    if not len(cand):
        return None
    order = {"day": 0, "week": 0.5, "month": 1, "season": 2, "quarter": 3, "year": 4}
    cand = cand.assign(_p=cand["precision"].map(lambda p: order.get(p, 9)))
    counts = cand.groupby(["date", "precision"])["article_id"].transform("nunique")
    cand = cand.assign(_n=counts).sort_values(["_n", "_p"], ascending=[False, True], kind="stable")
    return cand.iloc[0].to_dict()


def _size(run, row, msents: pd.DataFrame) -> dict | None:
    figs = S.table(run, "figures")
    if not len(figs):
        return None
    p = figs[(figs["kind"] == "parameters") | (figs["measure"] == "parameter_count")]
    if not len(p):
        return None
    names = {row["name"].lower()} | {a.lower() for a in S.split_ids(row.get("aliases"))}
    own = p[p["subject"].astype(str).str.lower().isin(names)]
    if not len(own):
        keys = set(zip(msents["article_id"].astype(str), msents["start"].astype(int)))
        own = p[[(a, int(s)) in keys for a, s in zip(p["article_id"].astype(str), p["start"])]]
        # a sentence naming two models cannot tell whose size it is
        rx_all = [_names_rx(r) for r in _model_entities(run).to_dict("records")]
        own = own[own["quote"].astype(str).map(lambda q: sum(bool(x.search(q)) for x in rx_all) == 1)]
    return own.iloc[0].to_dict() if len(own) else None


def _kind(msents: pd.DataFrame) -> str:
    words = S.conf().get("model_kinds", [])
    text = " ".join(msents["quote"].astype(str))
    found = [w for w in words if S.matches(text, [w])]
    return ", ".join(found[:3])


def model_rows(run) -> list[dict]:
    sents = S.body_sentences(run)
    out = []
    for row in _model_entities(run).to_dict("records"):
        msents = model_sentences(run, row, sents)
        out.append({"entity": row, "sentences": msents, "release": _release(run, row, msents),
                    "size": _size(run, row, msents), "kind": _kind(msents)})
    return out


def models_table(run, rows: list[dict]) -> render.Table:
    body = []
    cmp_words = S.conf().get("comparison_words", []) + S.conf().get("model_kinds", [])
    for r in rows:
        e, ms = r["entity"], r["sentences"]
        rel = r["release"]
        rel_cell = ([prose.format_date(rel["date"], rel["precision"]), *S.cites([rel], 1)]
                    if rel else "not stated")
        size_cell = ([prose.format_figure(r["size"]), *S.cites([r["size"]], 1)]
                     if r["size"] else "not stated")
        notable = ""
        if len(ms):
            scored = ms.assign(_s=ms["quote"].astype(str).map(lambda q: S.matches(q, cmp_words)),
                               _l=ms["quote"].str.len())
            best = scored.sort_values(["_s", "_l"], ascending=[False, True], kind="stable").iloc[0]
            if best["_s"] > 0:
                notable = [prose.quote_inline(best["quote"], 22), *S.cites([best.to_dict()], 1)]
        n_art = ms["article_id"].nunique() if len(ms) else int(e.get("n_articles") or 1)
        maker = str(e.get("organisation") or "").strip()
        name_cell = [render.Strong(e["name"])] + ([f" ({maker})"] if maker else [])
        body.append([name_cell, rel_cell, size_cell, r["kind"] or "—", notable or "—",
                     [f"{n_art}", *S.cites(ms if len(ms) else [e], 2)]])
    return render.Table(["Model", "Released", "Size", "Kind", "Notable", "Articles"], body,
                        caption="Models named in the articles", numeric={5},
                        widths=[1.3, 1.0, 1.1, 1.0, 2.6, 0.7])


def release_chart(run, rows: list[dict]) -> list[render.Block]:
    dated = [r for r in rows if r["release"]]
    if len(dated) < 2:
        return []
    dated.sort(key=lambda r: r["release"]["date"])
    events = [{"label": r["entity"]["name"], "date": r["release"]["date"],
               "date_end": r["release"].get("date_end") or r["release"]["date"],
               "precision": r["release"]["precision"],
               "group": str(r["entity"].get("organisation") or "")} for r in dated]
    source = [S.sources_text(run, [r["release"]["article_id"] for r in dated], 3),
              *S.cites([r["release"] for r in dated], 12)]
    alt = "Release timeline: " + "; ".join(
        f"{e['label']} {prose.format_date(e['date'], e['precision'])}" for e in events)
    return [charts.timeline_chart(events, "Model releases", "When each model was released, at "
                                  "the precision the sources give.", alt, source)]


def comparisons(run) -> list[render.Block]:
    """Sentences comparing the company's models with rivals, attributed by statement stance."""
    sents = S.body_sentences(run)
    if not len(sents):
        return []
    words = S.conf().get("comparison_words", [])
    models = _model_entities(run)
    rxs = [_names_rx(r) for r in models.to_dict("records")]
    names = S.company_aliases(run)
    rx_co = re.compile("|".join(re.escape(n) for n in names), re.I)
    cand = sents[sents["quote"].astype(str).map(
        lambda q: S.matches(q, words) > 0 and (any(x.search(q) for x in rxs) or bool(rx_co.search(q))))]
    if not len(cand):
        return [S.thin("No article compares the company's models with rivals")]
    cand = cand.assign(_s=cand["quote"].astype(str).map(lambda q: S.matches(q, words)))
    cand = cand.sort_values(["_s"], ascending=False, kind="stable")
    items, seen = [], set()
    for row in cand.to_dict("records"):
        if row["article_id"] in seen and len(seen) < cand["article_id"].nunique():
            continue
        seen.add(row["article_id"])
        st = S.statement_for(run, row["article_id"], row["start"])
        who = S.sources_text(run, [row["article_id"]])
        if st and st.get("stance") in ("company_claim", "analyst_estimate", "expert_view",
                                       "allegation"):
            speaker = st.get("speaker") or who
            lead = {"company_claim": f"{speaker} (the company’s own claim), as reported by {who}: ",
                    "analyst_estimate": f"{speaker}, an outside estimate, via {who}: ",
                    "expert_view": f"{speaker}, via {who}: ",
                    "allegation": f"{speaker} alleges, via {who}: "}[st["stance"]]
        else:
            lead = f"{who} reports: "
        items.append([lead, prose.quote_inline(row["quote"], 40), *S.cites([row]), " ",
                      S.label_for_sentence(run, row["article_id"], row["start"])])
        if len(items) >= 5:
            break
    return [render.Heading("How the models compare, according to whom", level=3,
                           anchor="models-compare"), render.Bullets(items)]


@S.reused
def build(run) -> list[render.Block]:
    blocks: list[render.Block] = [S.heading(KEY)]
    rows = model_rows(run)
    if not rows:
        blocks.append(S.thin("The articles name no models that could be identified"))
    else:
        blocks.append(render.Para([f"The articles name {prose.plural(len(rows), 'model')}. "
                                   "Release dates are shown only as precisely as the sources "
                                   "give them."], css="muted"))
        blocks.append(models_table(run, rows))
        blocks += release_chart(run, rows)
    blocks += comparisons(run)
    return blocks
