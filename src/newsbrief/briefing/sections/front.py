"""Front page: title block, key judgments (3-6 cited, labelled bullets) and key figures."""
from __future__ import annotations

import pandas as pd

from newsbrief.briefing import prose, render
from newsbrief.briefing import sections as S

KEY = "front"
# Claim labels in order of how strongly a key judgment can rest on them (after source count).
_LABEL_RANK = {"multi_source": 0, "disputed": 1, "allegation_no_evidence": 2,
               "company_claim": 3, "single_source": 4}


def as_of_text(run) -> str:
    """The title block's date line (prose.briefing_date of the run's AS_OF)."""
    try:
        as_of = run.as_of
    except (FileNotFoundError, KeyError, OSError, ValueError):
        as_of = None
    return prose.briefing_date(as_of)


def title_block(run) -> render.TitleBlock:
    arts = S.articles(run)
    ids = list(arts["article_id"].astype(str)) if len(arts) else []
    known = {str(o).strip() for o, st in zip(arts.get("outlet", []), arts.get("outlet_status", []))
             if str(o).strip() and st != "unknown"} if len(arts) else set()
    n_art = len(ids)
    facts = [as_of_text(run), f"{n_art} article{'s' * (n_art != 1)}"]
    if known:
        facts.append(f"{len(known)} outlet{'s' * (len(known) != 1)}")
        unknown = sum(1 for o, st in zip(arts["outlet"], arts.get("outlet_status", arts["outlet"]))
                      if not str(o).strip() or st == "unknown")
        if unknown:
            facts.append(f"outlet not known for {prose.plural(unknown, 'article')}")
    elif n_art:
        facts.append("outlets: not known (no article names its outlet)")
    claims = S.table(run, "claims")
    if len(claims):
        facts.append(f"{len(claims)} claim{'s' * (len(claims) != 1)} checked")
    dek = (f"What {prose.plural(n_art, 'news article')} report about {run.company}, "
           "and how well each point is supported.")
    return render.TitleBlock(title=run.company, dek=dek, facts=facts)


# ---------------------------------------------------------------- key judgments

def _speaker_of(run, claim: dict) -> str:
    st = S.statement_for(run, claim["article_id"], claim["start"])
    return str(st.get("speaker") or "").strip() if st else ""


def _disagreement_values(run, claim: dict) -> tuple[str, str] | None:
    dis = S.table(run, "disagreements")
    if not len(dis):
        return None
    key = str(claim.get("key") or "").split("|")[0]
    ids = set(S.split_ids(claim.get("article_ids")))
    for did, grp in dis.groupby("disagreement_id", sort=False):
        if key and key in set(grp["measure"].astype(str)) or ids & set(grp["article_id"].astype(str)):
            a = grp[grp["side"] == "A"]["value_text"].astype(str).tolist()
            b = grp[grp["side"] == "B"]["value_text"].astype(str).tolist()
            if a and b and (key in set(grp["measure"].astype(str))):
                return a[0], b[0]
    return None


def _claim_figures(run, claim: dict) -> pd.DataFrame:
    """Figure rows in the sentences of a figure claim, of the claim's measure."""
    figs = S.table(run, "figures")
    cs = S.table(run, "claim_sources")
    if not len(figs):
        return figs
    src = cs[cs["claim_id"] == claim["claim_id"]] if len(cs) else cs
    keys = set(zip(src["article_id"].astype(str), src["start"].astype(int))) if len(src) else set()
    keys.add((str(claim["article_id"]), int(claim["start"])))
    measure = str(claim.get("key") or "").split("|")[0]
    hit = figs[[(a, int(st)) in keys for a, st in zip(figs["article_id"].astype(str), figs["start"])]]
    if measure:
        own = hit[hit["measure"] == measure]
        hit = own if len(own) else hit
    return hit


def _values_text(rows: pd.DataFrame) -> str:
    """'$1.2 million to under $2 million' from the distinct figures, in value order."""
    rows = rows.sort_values("value", kind="stable")
    texts = []
    for _, grp in rows.groupby(["low", "high"], sort=True):
        forms = [prose.format_figure(r) for r in grp.to_dict("records")]
        texts.append(max(forms, key=len) if forms else "")
    texts = [t for t in dict.fromkeys(texts) if t]
    if not texts:
        return ""
    return texts[0] if len(texts) == 1 else f"{texts[0]} to {texts[-1]}"


def _figure_judgment(run, claim: dict) -> str | None:
    rows = _claim_figures(run, claim)
    if not len(rows):
        return None
    measure = S.measure_name(rows.iloc[0]["measure"]).lower()
    subject = str(rows.iloc[0].get("subject") or "").strip()
    whose = f"{subject}’s {measure}" if subject else measure
    label = claim.get("label", "")
    if label == "disputed":
        vals = _disagreement_values(run, claim)
        if vals:
            return f"Sources disagree on {whose}: {vals[0]} vs {vals[1]}."
        texts = list(dict.fromkeys(prose.format_figure(r) for r in rows.to_dict("records")))
        return f"Sources disagree on {whose}: {' vs '.join(texts[:3])}."
    vals = _values_text(rows)
    if label == "company_claim":
        return f"{run.company} puts {whose} at {vals}."
    if label == "allegation_no_evidence":
        who = _speaker_of(run, claim) or "A critic"
        return f"{who} alleges, without evidence, that {whose} is {vals}."
    if label == "single_source":
        return f"One outlet puts {whose} at {vals}."
    return f"{prose.capitalise(whose)} is put at {vals}."


def _statement_judgment(run, claim: dict, max_words: int) -> str | None:
    st = S.statement_for(run, claim["article_id"], claim["start"])
    if not st or prose.is_fragment(st.get("content", "")):
        return None
    body = prose.shorten(prose.clean_content(st["content"]), max_words)
    who, many = prose.speaker_text(st.get("speaker", ""))
    label = claim.get("label", "")
    stance = st.get("stance", "")
    if label == "allegation_no_evidence" or (stance == "allegation" and st.get("evidence") == "not_offered"):
        return prose.ensure_period(f"{who or 'A critic'} alleges, without evidence, that {body}")
    if stance == "allegation":
        return prose.ensure_period(f"{who or 'A critic'} alleges that {body}")
    direct = body.split(" ", 1)[0].strip("“\"'‘") in ("I", "We", "Our", "My", "Us")
    if direct:
        body = "“" + body.strip("“”\"") + "”"
    if stance == "company_claim" or label == "company_claim":
        speaker = who if who and who.lower() != run.company.lower() else run.company
        return prose.ensure_period(f"{speaker} says{':' if direct else ''} {body}")
    if stance == "estimate":
        return prose.ensure_period(f"{who} {'estimate' if many else 'estimates'} that {body}")
    if stance == "official_action":
        verb = str(st.get("verb") or "said").strip()
        return prose.ensure_period(f"{who or 'Officials'} {verb} {body}")
    if label == "single_source":
        return prose.ensure_period(f"According to {who or 'one outlet'} (single report), {body}")
    return prose.ensure_period(f"According to {who or 'the sources'}, {body}")


def judgment_text(run, claim: dict, max_words: int = 18) -> str | None:
    """A short present-tense sentence for a claim, worded by its label; None when the
    evidence row cannot be turned into a readable sentence."""
    if claim.get("kind") == "figure":
        text = _figure_judgment(run, claim)
        if text:
            return text
    if claim.get("kind") == "statement":
        return _statement_judgment(run, claim, max_words)
    summary = prose.clause(claim.get("summary") or "")
    if not summary or ":" in summary[:60]:
        return None
    summary = prose.shorten(summary, max_words)
    label = claim.get("label", "")
    first_lower = summary[:1].lower() + summary[1:] if summary[:4].lower() == "the " else summary
    if label == "company_claim":
        return prose.ensure_period(f"{run.company} says {first_lower}")
    if label == "allegation_no_evidence":
        who = _speaker_of(run, claim) or "A critic"
        return prose.ensure_period(f"{who} alleges, without evidence, that {first_lower}")
    if label == "disputed":
        vals = _disagreement_values(run, claim)
        if vals:
            return prose.ensure_period(f"{summary}; sources differ ({vals[0]} vs {vals[1]})")
        return prose.ensure_period(f"{summary}, but sources disagree")
    if label == "single_source":
        return prose.ensure_period(f"One outlet reports that {first_lower}")
    return prose.ensure_period(prose.capitalise(summary))


def _claim_spans(run, claim: dict) -> set:
    cs = S.table(run, "claim_sources")
    rows = cs[cs["claim_id"] == claim["claim_id"]] if len(cs) else cs
    out = set(zip(rows["article_id"].astype(str), rows["start"].astype(int))) if len(rows) else set()
    return out | {(str(claim["article_id"]), int(claim["start"]))}


def pick_judgments(run, limit: int | None = None) -> list[dict]:
    """The most important, best-supported claims, spread across sections."""
    claims = S.table(run, "claims")
    if not len(claims):
        return []
    limit = limit or S.cap("key_judgments", 6)
    rows = claims.to_dict("records")
    for r in rows:
        r["_rank"] = (-int(r.get("n_independent") or 0), _LABEL_RANK.get(r.get("label"), 9),
                      -int(r.get("n_sources") or 0), str(r.get("claim_id")))
        r["_section"] = S.section_of(f"{r.get('summary', '')} {r.get('quote', '')}")
    rows.sort(key=lambda r: r["_rank"])
    chosen, per_section, keys = [], {}, set()
    for pass_max in (1, 2, limit):
        if pass_max == limit and len(chosen) >= 4:
            break
        for r in rows:
            if len(chosen) >= limit:
                break
            if r["claim_id"] in {c["claim_id"] for c in chosen}:
                continue
            key = (r.get("kind"), r.get("key")) if r.get("key") else None
            if key and key in keys:
                continue
            if per_section.get(r["_section"], 0) >= pass_max:
                continue
            r["_text"] = r.get("_text") or judgment_text(run, r)
            if not r["_text"] or r["_text"] in {c["_text"] for c in chosen}:
                continue
            spans = _claim_spans(run, r)
            if any(len(spans & _claim_spans(run, c)) * 2 >= len(spans) for c in chosen):
                continue  # the same sentences already back a chosen judgment
            chosen.append(r)
            per_section[r["_section"]] = per_section.get(r["_section"], 0) + 1
            if key:
                keys.add(key)
    return chosen


def key_judgments(run) -> list[render.Block]:
    picks = pick_judgments(run)
    if not picks:
        return [S.thin("No claims could be extracted from the articles, so there are no key "
                       "judgments; see the sections below for what the sources say")]
    items = []
    for claim in picks:
        items.append([claim["_text"], *S.claim_cites(run, claim, 3), " ",
                      prose.support_label(claim.get("label", ""), claim.get("n_independent"))])
    blocks: list[render.Block] = [render.Bullets(items, css="judgments")]
    if len(picks) < 3:
        blocks.append(S.thin(f"Only {prose.plural(len(picks), 'claim')} could be "
                             "established from the articles; the evidence is thin"))
    return blocks


# ---------------------------------------------------------------- key figures

def _caveat(run, row: dict, same: pd.DataFrame) -> str:
    notes = []
    claim = S.claim_for(run, row["article_id"], row["start"])
    st = S.statement_for(run, row["article_id"], row["start"])
    label = claim.get("label") if claim else ""
    stance = st.get("stance") if st else ""
    if label == "company_claim" or stance == "company_claim":
        notes.append("company's own figure, unverified")
    elif label == "allegation_no_evidence" or (stance in ("allegation", "estimate")
                                               and st.get("evidence") == "not_offered"):
        notes.append("estimate given without evidence")
    elif stance == "estimate":
        notes.append("analyst estimate")
    qual = str(row.get("qualifier") or "").strip()
    if qual in ("under", "less than", "below"):
        notes.append("an upper bound")
    elif qual in ("more than", "over", "at least", "above"):
        notes.append("a lower bound")
    elif qual in ("around", "about", "roughly", "reportedly"):
        notes.append("approximate")
    same = same[(same["unit"] == row.get("unit")) & (same["currency"] == row.get("currency"))
                & (same["subject"] == row.get("subject"))]
    others = same[(same["low"] != row["low"]) | (same["high"] != row["high"])]
    if len(others):
        lo = min(float(same["low"].min()), float(row["low"]))
        hi = max(float(same["high"].max()), float(row["high"]))
        rng = prose.format_range(lo, hi, row.get("unit", ""), row.get("currency", ""))
        notes.append(f"sources range from {rng}")
    n_art = same["article_id"].nunique() if len(same) else 1
    if n_art <= 1 and not notes:
        notes.append("single source")
    dis = S.table(run, "disagreements")
    if len(dis) and row.get("measure") in set(dis["measure"].astype(str)):
        notes.append("disputed")
    return prose.capitalise("; ".join(dict.fromkeys(notes))) or "—"


def pick_figures(run, limit: int | None = None) -> list[tuple[dict, pd.DataFrame]]:
    """(representative figure row, all rows of that measure) per measure, in preferred order."""
    figs = S.table(run, "figures")
    if not len(figs):
        return []
    limit = limit or S.cap("key_figures", 6)
    ids = set(S.articles(run)["article_id"].astype(str))
    # fail closed: a figure of unknown measure or subject never becomes a key figure
    figs = figs[figs["article_id"].astype(str).isin(ids) & figs["resolved"].astype(bool)]
    aliases = {a.lower() for a in S.company_aliases(run)}
    order = list(S.conf().get("measures", {}))
    measures = sorted(set(figs["measure"].astype(str)),
                      key=lambda m: (order.index(m) if m in order else len(order), m))
    out = []
    for m in measures:
        grp = figs[figs["measure"] == m]
        if not len(grp):
            continue
        pool = grp
        own = grp["subject"].astype(str).str.lower().isin(aliases | {""})
        stats = (grp.assign(_own=own).groupby(["low", "high", "unit"], sort=False)
                 .agg(n=("article_id", "nunique"), own=("_own", "max")))
        best = stats.sort_values(["n", "own"], ascending=False, kind="stable").index[0]
        rep = pool[(pool["low"] == best[0]) & (pool["high"] == best[1]) & (pool["unit"] == best[2])]
        out.append((rep.iloc[0].to_dict() | {"_rows": rep}, pool))
        if len(out) >= limit:
            break
    return out


def key_figures(run) -> list[render.Block]:
    picks = pick_figures(run)
    if not picks:
        return [S.thin("The articles give no figures that could be extracted")]
    rows = []
    for rep, pool in picks:
        same_rows = rep["_rows"]
        what = S.measure_name(rep["measure"])
        item = str(rep.get("item") or "").strip()
        if item and item.lower() not in what.lower():
            what = f"{what} ({item})"
        src_cell = [S.sources_text(run, same_rows["article_id"]), *S.cites(same_rows, 3)]
        rows.append([prose.format_figure(rep), what, src_cell, _caveat(run, rep, pool)])
    return [render.Table(["Figure", "What", "Source", "Caveat"], rows, css="keyfigs",
                         widths=[1.2, 1.5, 1.3, 2.0])]


@S.reused
def build(run) -> list[render.Block]:
    blocks: list[render.Block] = [title_block(run), S.heading(KEY, "Key judgments")]
    blocks += key_judgments(run)
    blocks.append(render.Heading("Key figures", level=3, anchor="key-figures"))
    blocks += key_figures(run)
    return blocks
