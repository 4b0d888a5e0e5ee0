"""Models: the company's own models (owner = the company, from the entities table) with their
release date at its precision, the attributes of their domain (an AI model's size, a car's
price and deliveries: entities.yml `model_domains`), kind, what is notable and sources; a release
timeline chart; other companies' models only as comparisons, per whom. A model's attributes
come only from sentences that name that model and no other."""
from __future__ import annotations

import re

import pandas as pd

from newsbrief import knowledge
from newsbrief.briefing import charts, prose, render
from newsbrief.briefing import sections as S

KEY = "models"


def _all_models(run) -> pd.DataFrame:
    """Every model entity of the included articles, most covered first."""
    ents = S.table(run, "entities")
    if not len(ents):
        return ents
    ids = set(S.articles(run)["article_id"].astype(str))
    models = ents[(ents["kind"] == "model") & ents["article_id"].astype(str).isin(ids)]
    return models.sort_values(["n_articles", "n_mentions", "name"], ascending=[False, False, True],
                              kind="stable")


def _is_company(run, owner: str) -> bool:
    return owner.strip().lower() in {a.lower() for a in S.company_aliases(run)}


def _model_entities(run) -> pd.DataFrame:
    """The company's own models (owner is the company)."""
    models = _all_models(run)
    if not len(models):
        return models
    own = models["owner"].astype(str).map(lambda o: _is_company(run, o))
    return models[own].head(S.cap("models", 15))


def _other_models(run) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(other companies' models, models whose owner the articles do not make clear)."""
    models = _all_models(run)
    if not len(models):
        return models, models
    owner = models["owner"].astype(str).str.strip()
    rivals = models[(owner != "") & ~owner.map(lambda o: _is_company(run, o))]
    return rivals, models[owner == ""]


def _domain(rows: list[dict]) -> dict:
    """The knowledge of the company's model domain (most common among its models)."""
    domains = knowledge.load("entities").get("model_domains") or {}
    counts: dict[str, int] = {}
    for r in rows:
        d = str(r["entity"].get("domain") or "")
        if d in domains:
            counts[d] = counts.get(d, 0) + 1
    if not counts:
        return {}
    return domains[sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]]


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


def _attribute(run, row, msents: pd.DataFrame, spec: dict) -> dict | None:
    """The first figure of an attribute (`spec`: measures and figure kinds) that is about this
    model: its subject is the model, else it is in one of `msents`, the sentences naming this
    model and no other (in "A-1 has 70 billion parameters, twice B-2" the size is not B-2's)."""
    figs = S.table(run, "figures")
    if not len(figs):
        return None
    p = figs[figs["kind"].isin(spec.get("figure_kinds") or []) |
             figs["measure"].isin(spec.get("measures") or [])]
    if not len(p):
        return None
    names = {row["name"].lower()} | {a.lower() for a in S.split_ids(row.get("aliases"))}
    own = p[p["subject"].astype(str).str.lower().isin(names)]
    if not len(own):
        keys = set(zip(msents["article_id"].astype(str), msents["start"].astype(int)))
        own = p[[(a, int(s)) in keys for a, s in zip(p["article_id"].astype(str), p["start"])]]
    return own.iloc[0].to_dict() if len(own) else None


def _kind(msents: pd.DataFrame, domain: dict) -> str:
    """Kind words of the model's domain (entities.yml `kind_words`, else briefing.yml
    `model_kinds`) found in sentences about this model."""
    words = domain.get("kind_words") or S.conf().get("model_kinds", [])
    text = " ".join(msents["quote"].astype(str))
    found = [w for w in words if S.matches(text, [w])]
    return ", ".join(found[:3])


def _only_this_model(msents: pd.DataFrame, row, models: pd.DataFrame) -> pd.DataFrame:
    """The model's sentences that name none of the other `models` ("A-1 and A-2 were released
    in May" says something of both; "A-1 is an open-source coder" only of A-1)."""
    others = [_names_rx(r) for r in S.records(models) if r["entity_id"] != row["entity_id"]]
    return msents[msents["quote"].astype(str).map(lambda q: not any(x.search(q) for x in others))]


def possessive(name: str) -> str:
    return f"{name}’" if name.endswith("s") else f"{name}’s"


def model_rows(run) -> list[dict]:
    """One row per company model: entity, sentences, release, attributes (by column), kind."""
    sents = S.body_sentences(run)
    out = [{"entity": row} for row in S.records(_model_entities(run))]
    domain = _domain(out)
    specs = domain.get("attributes") or []
    for r in out:
        msents = model_sentences(run, r["entity"], sents)
        # attributes only where no other model is named; kind and what is notable where no
        # other model of the company is (a comparison with a rival still says what A-1 is)
        alone = _only_this_model(msents, r["entity"], _all_models(run))
        own = _only_this_model(msents, r["entity"], _model_entities(run))
        r.update({"sentences": msents, "own_sentences": own,
                  "release": _release(run, r["entity"], msents),
                  "attributes": {spec["column"]: _attribute(run, r["entity"], alone, spec)
                                 for spec in specs},
                  "kind": _kind(own, domain)})
    return out


def models_table(run, rows: list[dict]) -> render.Table:
    body = []
    cmp_words = S.conf().get("comparison_words", []) + S.conf().get("model_kinds", [])
    columns = list(rows[0]["attributes"]) if rows else []
    for r in rows:
        e, ms = r["entity"], r["sentences"]
        pool = r["own_sentences"] if len(r["own_sentences"]) else ms
        rel = r["release"]
        rel_cell = ([prose.format_date(rel["date"], rel["precision"]), *S.cites([rel], 1)]
                    if rel else "not stated")
        attr_cells = [[prose.format_figure(f), *S.cites([f], 1)] if f else "not stated"
                      for f in r["attributes"].values()]
        notable = ""
        if len(pool):
            scored = pool.assign(_s=pool["quote"].astype(str).map(lambda q: S.matches(q, cmp_words)),
                                 _l=pool["quote"].str.len())
            best = scored.sort_values(["_s", "_l"], ascending=[False, True], kind="stable").iloc[0]
            if best["_s"] > 0:
                notable = [prose.quote_inline(best["quote"], 22), *S.cites([best.to_dict()], 1)]
        n_art = ms["article_id"].nunique() if len(ms) else int(e.get("n_articles") or 1)
        body.append([[render.Strong(e["name"])], rel_cell, *attr_cells, r["kind"] or "—",
                     notable or "—", [f"{n_art}", *S.cites(ms if len(ms) else [e], 2)]])
    return render.Table(["Model", "Released", *columns, "Kind", "Notable", "Articles"], body,
                        caption=f"{possessive(run.company)} models named in the articles",
                        numeric={4 + len(columns)},
                        widths=[1.3, 1.0, *[1.1] * len(columns), 1.0, 2.6, 0.7])


def other_models(run) -> list[render.Block]:
    """Other companies' models (only named as comparisons) and models of unstated owner, listed
    with their owner and sources; never given the company's attributes."""
    rivals, unknown = _other_models(run)
    blocks: list[render.Block] = []
    if len(rivals):
        items = [f"{r['name']} ({r['owner']})" for r in S.records(rivals.head(S.cap("rival_models", 8)))]
        blocks.append(render.Para([
            "Other companies’ models, named in the articles for comparison: ",
            prose.join_names(items), ". ", *S.cites(rivals, 6)], css="muted"))
    if len(unknown):
        names = list(unknown.head(S.cap("rival_models", 8))["name"].astype(str))
        blocks.append(render.Para([
            "Also named, without the articles making clear whose they are: ",
            prose.join_names(names), ". ", *S.cites(unknown, 4)], css="muted"))
    return blocks


def release_chart(run, rows: list[dict]) -> list[render.Block]:
    dated = [r for r in rows if r["release"]]
    if len(dated) < 2:
        return []
    dated.sort(key=lambda r: r["release"]["date"])
    events = [{"label": r["entity"]["name"], "date": r["release"]["date"],
               "date_end": r["release"].get("date_end") or r["release"]["date"],
               "precision": r["release"]["precision"],
               "group": ""} for r in dated]
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
    models = _model_entities(run)
    domain = _domain([{"entity": r} for r in S.records(models)])
    words = S.conf().get("comparison_words", []) + list(domain.get("comparison_words") or [])
    rxs = [_names_rx(r) for r in S.records(models)]
    names = S.company_aliases(run)
    rx_co = re.compile("|".join(re.escape(n) for n in names), re.I)
    cand = sents[sents["quote"].astype(str).map(
        lambda q: S.matches(q, words) > 0 and (any(x.search(q) for x in rxs) or bool(rx_co.search(q))))]
    if not len(cand):
        return [S.thin("No sentence that names the company or its models compares them with rivals")]
    cand = cand.assign(_s=cand["quote"].astype(str).map(lambda q: S.matches(q, words)))
    cand = cand.sort_values(["_s"], ascending=False, kind="stable")
    items, seen = [], set()
    for row in S.records(cand):
        if row["article_id"] in seen and len(seen) < cand["article_id"].nunique():
            continue
        seen.add(row["article_id"])
        st = S.statement_for(run, row["article_id"], row["start"])
        who = S.sources_text(run, [row["article_id"]])
        if st and st.get("stance") in ("company_claim", "estimate", "expert_view",
                                       "allegation"):
            speaker = st.get("speaker") or who
            lead = {"company_claim": f"{speaker} (the company’s own claim), as reported by {who}: ",
                    "estimate": f"{speaker}, an outside estimate, via {who}: ",
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
        blocks.append(S.thin(f"The articles name no model of {possessive(run.company)} that could be identified"))
    else:
        blocks.append(render.Para([f"The articles name {prose.count_word(len(rows))} of "
                                   f"{possessive(run.company)} models. "
                                   "Release dates are shown only as precisely as the sources "
                                   "give them."], css="muted"))
        blocks.append(models_table(run, rows))
        blocks += release_chart(run, rows)
    blocks += other_models(run)
    blocks += comparisons(run)
    return blocks
