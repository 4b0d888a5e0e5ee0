"""Doubts and allegations (who, what, evidence, response, sources); censorship, safety and
transparency concerns; open questions generated from the evidence. Also "Where sources
disagree": every disagreement, both sides quoted, with what would settle it."""
from __future__ import annotations

import re
from functools import lru_cache

import pandas as pd

from newsbrief import knowledge
from newsbrief.briefing import prose, render
from newsbrief.briefing import sections as S

KEY = "skepticism"
KEY_DISAGREE = "disagreements"
_DOUBT_STANCES = ("allegation", "estimate")
_EVIDENCE = {"not_offered": "None offered", "offered": "Offered", "unknown": "Not stated"}


@lru_cache(maxsize=None)
def _no_answer_re() -> re.Pattern:
    """Words in a reported response that mean the company did not answer (language.yml)."""
    words = knowledge.phrase_alternation(knowledge.load("language")["no_answer_words"])
    return re.compile(rf"\b(?:{words})\b", re.IGNORECASE)


def doubt_rows(run) -> pd.DataFrame:
    """Statements that question the company's claims or conduct (`is_doubt`, set by the
    statements extractor: outsiders about the company, not praise, not general policy),
    allegations first."""
    st = S.table(run, "statements")
    if not len(st):
        return st
    ids = set(S.articles(run)["article_id"].astype(str))
    st = st[st["article_id"].astype(str).isin(ids)]
    rows = st[st["is_doubt"].astype(bool)].copy()
    rows["_rank"] = rows["stance"].map(lambda s: 0 if s == "allegation" else
                                       1 if s == "estimate" else 2)
    rows["_ev"] = rows["evidence"].map(lambda e: 0 if e == "not_offered" else 1)
    rows = rows.sort_values(["_rank", "_ev", "article_id", "start"], kind="stable")
    rows = rows.drop_duplicates(["article_id", "start"])
    # one row per claim: the same allegation reported by several articles is listed once
    rows["_claim"] = [(c or {}).get("claim_id") or sid for c, sid in zip(
        (S.claim_for(run, a, st) for a, st in zip(rows["article_id"], rows["start"])),
        rows["statement_id"])]
    return rows.drop_duplicates("_claim")


def _same_claim_sources(run, row: dict) -> list[dict]:
    """Other articles' sentences carrying the same claim as this statement's sentence."""
    claim = S.claim_for(run, row["article_id"], row["start"])
    if not claim:
        return [row]
    cs = S.table(run, "claim_sources")
    got = S.records(cs[cs["claim_id"] == claim["claim_id"]]) if len(cs) else []
    return [row] + got


def doubts_table(run, rows: pd.DataFrame) -> render.Table:
    body = []
    for r in S.records(rows.head(S.cap("doubts", 12))):
        who = prose.speaker_text(r.get("speaker") or "")[0] or "Unnamed"
        role = str(r.get("speaker_title") or "").strip()
        who_cell = f"{who} ({role})" if role and role.lower() not in who.lower() else who
        what = prose.shorten(prose.clean_content(r.get("content") or r["quote"]), 30)
        kind = {"allegation": "Allegation", "estimate": "Estimate"}.get(r["stance"], "Doubt")
        if r.get("speaker_role") == "anonymous":
            who_cell = f"{who} (unnamed)"
        response = str(r.get("response") or "").strip()
        resp_cell = (prose.capitalise(prose.shorten(response, 20)) if response
                     else "None reported")
        srcs = _same_claim_sources(run, r)
        n = len({x["article_id"] for x in srcs})
        body.append([who_cell, [render.Strong(kind + ": "), what], _EVIDENCE.get(r["evidence"],
                                                                             "Not stated"),
                     resp_cell, [f"{n}", *S.cites(srcs, 3)]])
    return render.Table(["Who", "What", "Evidence offered", "Response", "Articles"], body,
                        caption="Doubts and allegations", numeric={4},
                        widths=[1.2, 2.6, 0.9, 1.4, 0.6])


def concerns(run) -> list[render.Block]:
    sents = S.body_sentences(run)
    topics = S.conf().get("concerns", {})
    items = []
    per = max(1, S.cap("concerns", 6) // max(1, len(topics)) + 1)
    for topic, words in topics.items():
        if not len(sents):
            break
        hit = sents[sents["quote"].astype(str).map(lambda q: S.matches(q, words) > 0)]
        if not len(hit):
            continue
        n_art = hit["article_id"].nunique()
        first = hit.drop_duplicates("article_id").head(per)
        item: list = [render.Strong(f"{topic}. "),
                      f"Raised in {prose.plural(n_art, 'article')}. "]
        for i, r in enumerate(S.records(first)):
            item += [("" if not i else " "), f"{S.sources_text(run, [r['article_id']])}: ",
                     prose.quote_inline(r["quote"], 28), *S.cites([r])]
        item += [" ", prose.sources_label(n_art)]
        items.append(item)
    if not items:
        return [S.thin("The articles raise no censorship, safety, transparency or privacy "
                       "concerns")]
    return [render.Bullets(items)]


_ACCUSES = re.compile(r"accus\w*\s", re.IGNORECASE)   # a statement's content "accused Acme of ..."
_ONE = re.compile(r"(?:a|an|one)\s", re.IGNORECASE)      # "a senior lawmaker": one person


def open_questions(run, doubts: pd.DataFrame) -> list[render.Block]:
    """Questions a careful reader would still have, each tied to the evidence that raises it."""
    qs = []
    company = run.company
    for r in S.records(doubts):
        if r["stance"] not in _DOUBT_STANCES:
            continue
        if prose.is_fragment(r.get("content") or ""):
            continue
        what = prose.clean_content(r.get("content") or r["quote"])
        who = prose.speaker_text(r.get("speaker") or "")[0] or "a critic"
        group = str(r.get("speaker_kind") or "") == "generic" and not _ONE.match(who)
        if str(r.get("speaker_kind") or "") == "generic":
            who = who[:1].lower() + who[1:]   # "analysts", "a senior lawmaker": not names
        resp = str(r.get("response") or "").strip()
        unanswered = not resp or _no_answer_re().search(resp)
        tail = (f" {company} has not answered it in the articles." if unanswered
                else " The reported response does not settle it.")
        ev = " No evidence was offered." if r["evidence"] == "not_offered" else ""
        accusation = _ACCUSES.match(what)
        verb = "Are" if group else "Is"   # "Are analysts right ...?"
        question = (f"{verb} {who} right to accuse {prose.shorten(what[accusation.end():], 22)}?"
                    if accusation else f"{verb} {who} right that {prose.shorten(what, 22)}?")
        qs.append([f"{question}{ev}{tail}", *S.cites([r])])
    dis = S.table(run, "disagreements")
    if len(dis):
        for did, grp in dis.groupby("disagreement_id", sort=False):
            what = str(grp["what"].iloc[0] or S.measure_name(grp["measure"].iloc[0]))
            firsts = grp.drop_duplicates("side")
            vals = " or ".join(dict.fromkeys(firsts["value_text"].astype(str)))
            qs.append([f"Which is right on {prose.clause(what).split(':')[0].lower()}: {vals}?",
                       *S.cites(firsts, 2)])
    sents = S.body_sentences(run)
    undisclosed = knowledge.load("briefing")["undisclosed_phrases"]
    if len(sents):
        hit = sents[sents["quote"].astype(str).map(lambda q: S.matches(q, undisclosed) > 0)]
        for r in S.records(hit.drop_duplicates("article_id")):
            qs.append(["Can this be checked? ", f"{S.sources_text(run, [r['article_id']])}: ",
                       prose.quote_inline(r["quote"], 25), *S.cites([r])])
    qs = qs[: S.cap("open_questions", 6)]
    if not qs:
        return [S.thin("The evidence leaves no open question the articles themselves raise")]
    return [render.Bullets(qs)]


@S.reused
def build(run) -> list[render.Block]:
    blocks: list[render.Block] = [S.heading(KEY)]
    doubts = doubt_rows(run)
    if len(doubts):
        n_alleg = int((doubts["stance"] == "allegation").sum())
        n_est = int((doubts["stance"] == "estimate").sum())
        n_noev = int((doubts["evidence"] == "not_offered").sum())
        parts = [p for p in (prose.plural(n_alleg, "allegation") if n_alleg else "",
                             prose.plural(n_est, "outside estimate") if n_est else "") if p]
        kinds = f" ({prose.join_names(parts)})" if parts else ""
        noev = (f"; {count_phrase(n_noev)} came without evidence being offered" if n_noev else "")
        blocks.append(render.Para([
            f"The articles report {prose.plural(len(doubts), 'doubt or allegation', 'doubts or allegations')}"
            f" about {run.company}'s account{kinds}{noev}."]))
        blocks.append(doubts_table(run, doubts))
    else:
        blocks.append(S.thin("No article reports doubts or allegations about the company"))
    blocks.append(render.Heading("Censorship, safety and transparency", level=3,
                                 anchor="skepticism-concerns"))
    blocks += concerns(run)
    blocks.append(render.Heading("Open questions", level=3, anchor="skepticism-open"))
    blocks += open_questions(run, doubts)
    return blocks


def count_phrase(n: int) -> str:
    return "none of them" if n == 0 else ("one of them" if n == 1 else f"{prose.count_word(n)} of them")


# ---------------------------------------------------------------- where sources disagree

@S.reused
def build_disagreements(run) -> list[render.Block]:
    blocks: list[render.Block] = [S.heading(KEY_DISAGREE, "Where sources disagree")]
    dis = S.table(run, "disagreements")
    if not len(dis):
        blocks.append(S.thin("The sources do not contradict each other on any figure or fact "
                             "the pipeline could compare"))
        return blocks
    groups = list(dis.groupby("disagreement_id", sort=False))
    blocks.append(render.Para([f"{prose.capitalise(prose.plural(len(groups), 'disagreement'))} "
                               "between sources. Each side is quoted as published."]))
    for did, grp in groups[: S.cap("disagreements", 10)]:
        first = grp.iloc[0]
        what = prose.capitalise(str(first["what"] or S.measure_name(first["measure"])))
        subject = str(first.get("subject") or "").strip()
        # whose fact and when: two values of one period, not a history
        about = [x for x in (subject, prose.when_phrase(str(first.get("when") or "")))
                 if x and x.lower() not in what.lower()]
        title = prose.shorten(what, 14) + (f" ({', '.join(about)})" if about else "")
        blocks.append(render.Heading(title, level=3,
                                     anchor=f"disagree-{S.render.anchor_for(str(did))}"))
        items = []
        for side, rows in grp.groupby("side", sort=True):
            for r in S.records(rows.head(3)):
                items.append([render.Strong(f"Side {side}: {r['value_text']}. "),
                              f"{S.sources_text(run, [r['article_id']])}: ",
                              prose.quote_inline(r["quote"], 35), *S.cites([r])])
        blocks.append(render.Bullets(items))
        settle = str(first.get("settle") or "").strip()
        if settle:
            blocks.append(render.Para([render.Em("What would settle it: "),
                                       prose.ensure_period(settle)]))
    if len(groups) > S.cap("disagreements", 10):
        blocks.append(S.thin(f"{len(groups) - S.cap('disagreements', 10)} more disagreements are "
                             "listed in the published evidence table disagreements.csv"))
    return blocks
