"""The company: the facets its profile lists (data/knowledge/profiles.yml): founding, base,
owners and funders, mission, people, computing resources for an AI developer or factories for a
carmaker, partnerships.

Each facet is the best-supported sentences the articles hold on it (quoted, cited, labelled);
a facet the articles do not cover is listed in a note rather than padded.
"""
from __future__ import annotations

import re

import pandas as pd

from newsbrief import knowledge
from newsbrief.briefing import prose, render
from newsbrief.briefing import sections as S

KEY = "company"


def subject_sentences(run) -> pd.DataFrame:
    """Body sentences that name the company (or refer to it) in included articles."""
    sents = S.body_sentences(run)
    if not len(sents):
        return sents
    names = S.company_aliases(run)
    rx = re.compile("|".join(re.escape(n) for n in names + list(knowledge.load("briefing")["company_references"])), re.I)
    mask = sents["quote"].astype(str).map(lambda q: bool(rx.search(q)))
    return sents[mask].reset_index(drop=True)


def facet_rows(run, words, sents: pd.DataFrame, limit: int) -> list[dict]:
    """Up to `limit` sentences on a facet, from distinct articles, most keyword hits first."""
    if not len(sents):
        return []
    # "established" is no founding in "well-established concern", "backed" no funder in
    # "state-backed efforts"
    hits = sents["quote"].astype(str).map(lambda q: S.matches(q, words, in_compounds=False))
    cand = sents.assign(_hits=hits)
    cand = cand[cand["_hits"] > 0]
    if not len(cand):
        return []
    cand = cand.assign(_len=cand["quote"].str.len())
    cand = cand.sort_values(["_hits", "_len"], ascending=[False, True], kind="stable")
    out, seen_articles, seen_quotes = [], set(), set()
    for row in S.records(cand):
        q = " ".join(row["quote"].split()).lower()
        if row["article_id"] in seen_articles or q in seen_quotes:
            continue
        out.append(row)
        seen_articles.add(row["article_id"])
        seen_quotes.add(q)
        if len(out) >= limit:
            break
    return out


def people_line(run) -> list[render.Block]:
    """People the entities table ties to the company, with their roles."""
    ents = S.table(run, "entities")
    if not len(ents):
        return []
    names = {n.lower() for n in S.company_aliases(run)}
    # an entity's organisation lists every one it is tied to, "; "-separated
    at_company = ents["organisation"].astype(str).str.lower().map(
        lambda orgs: any(o.strip() in names for o in orgs.split(";")))
    people = ents[(ents["kind"] == "person") & at_company]
    people = people.sort_values("n_articles", ascending=False, kind="stable").head(6)
    if not len(people):
        return []
    parts: list = [f"People named at {run.company}: "]
    for i, p in enumerate(S.records(people)):
        role = ", ".join(r.strip() for r in str(p.get("role") or "").split(";") if r.strip())
        parts.append(("; " if i else "") + p["name"] + (f" ({role})" if role else ""))
        parts += S.cites([p], 1)
    parts.append(".")
    return [render.Para(parts)]


@S.reused
def build(run) -> list[render.Block]:
    blocks: list[render.Block] = [S.heading(KEY)]
    sents = subject_sentences(run)
    arts = S.articles(run)
    n_named = sents["article_id"].nunique() if len(sents) else 0
    blocks.append(render.Para(
        [f"{run.company} is named or referred to in {n_named} of the {len(arts)} articles. Each point below quotes the sentences that say most about it."],
        css="muted"))
    blocks.append(S.profile_note(run))
    blocks += people_line(run)
    facets = S.conf().get("company_facets", {})
    limit = S.cap("facet_sentences", 2)
    items, missing = [], []
    for facet in S.profile(run).get("company_facets") or list(facets):
        rows = facet_rows(run, facets.get(facet) or [], sents, limit)
        if not rows:
            missing.append(facet)
            continue
        item: list = [render.Strong(f"{facet}. ")]
        for i, row in enumerate(rows):
            if i:
                item.append(" ")
            item += [f"{S.sources_text(run, [row['article_id']])}: ",
                     prose.quote_inline(row["quote"], 30), *S.cites([row])]
        n_art = len({r["article_id"] for r in rows})
        item += [" ", S.label_for_sentence(run, rows[0]["article_id"], rows[0]["start"], n_art)]
        items.append(item)
    if items:
        blocks.append(render.Bullets(items))
    note = S.not_covered(missing)
    if note:
        blocks.append(note)
    return blocks
