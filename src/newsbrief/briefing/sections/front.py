"""Front page: title block, a bottom line, key judgments ranked by importance (3-6 cited,
labelled bullets; the ranking is `sections.importance`) and key figures (resolved figures only,
each with what it measures, whose figure it is and its scope). When an earlier edition exists, the
page opens with what changed since it (`briefing.editions`)."""
from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd

from newsbrief import knowledge
from newsbrief.briefing import editions, prose, render
from newsbrief.briefing import sections as S
from newsbrief.briefing.sections import importance
from newsbrief.extract.figures import qualifier_meaning, status_label
from newsbrief.link.facts import fact_subject, occasion_rule, product_of, stage

KEY = "front"


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

def claim_statement(run, claim: dict) -> dict | None:
    """The statement a claim is made of (its source row's item), else the first statement in
    its sentence: a sentence may carry an analyst's estimate and the company's own figure, and
    a judgment must word the claim it labels."""
    by_item = S.memo(run, "statements_by_id", lambda: {
        str(r["statement_id"]): r for r in S.records(S.table(run, "statements"))})
    cs = S.table(run, "claim_sources")
    if claim.get("kind") == "statement" and len(cs) and "item_id" in cs:
        items = S.memo(run, "items_by_claim_span", lambda: {
            (str(c), str(a), int(st)): str(i)
            for c, a, st, i in zip(cs["claim_id"], cs["article_id"], cs["start"], cs["item_id"])})
        st = by_item.get(items.get((str(claim["claim_id"]), str(claim["article_id"]), int(claim["start"])), ""))
        if st is not None:
            return st
    return S.statement_for(run, claim["article_id"], claim["start"])


def _speaker_of(run, claim: dict) -> str:
    st = claim_statement(run, claim)
    return str(st.get("speaker") or "").strip() if st else ""


def _disagreement_sides(run, claim: dict) -> tuple[pd.DataFrame, pd.DataFrame] | None:
    """Both sides' rows of the disagreement drawn from this claim's sentences, or None."""
    dis = importance.claim_disagreements(run, claim)
    for _, grp in dis.groupby("disagreement_id", sort=False):
        a, b = grp[grp["side"] == "A"], grp[grp["side"] == "B"]
        if len(a) and len(b):
            return a, b
    return None


def _disagreement_values(run, claim: dict) -> tuple[str, str] | None:
    """Both sides' values of the disagreement drawn from this claim's sentences, or None."""
    sides = _disagreement_sides(run, claim)
    return (str(sides[0]["value_text"].iloc[0]), str(sides[1]["value_text"].iloc[0])) if sides else None




def side_source(run, rows: pd.DataFrame) -> str:
    """Who gives one side's figure, in a few words: 'the company', 'unnamed sources', 'estimate
    by X', else the outlets that report it ('Reuters and CNBC')."""
    said, outlets = [], []
    for r in S.records(rows):
        kind, speaker = figure_source(run, r)
        if speaker[:1].islower() and not speaker.startswith(("the ", "a ", "an ")):
            speaker = f"the {speaker}"   # a generic speaker: "the watchdog"
        text = {"company": "the company", "confirmed": "the company", "anonymous": "unnamed sources",
                "estimate": f"estimate by {speaker}" if speaker else "an outside estimate",
                "allegation": f"alleged by {speaker or 'a critic'}",
                "allegation_no_evidence": f"alleged by {speaker or 'a critic'}",
                "official": speaker}.get(kind, "")
        if text:
            said.append(text)
        else:
            outlets.append(str(r["article_id"]))
    said = list(dict.fromkeys(said))[:2]
    if outlets and said:   # "the company and two outlets", not a list of names after a speaker
        said.append(prose.plural(S.n_outlets(run, outlets), "outlet"))
    elif outlets:
        said.append(S.sources_text(run, outlets))
    return prose.join_names(said)


def _dispute_text(run, claim: dict, whose: str) -> str | None:
    """'Sources disagree on Acme’s revenue (2024): more than €310 million according to unnamed
    sources, 295 million euros according to the company.'"""
    sides = _disagreement_sides(run, claim)
    if sides is None:
        return None
    # the disputed quantity's own name ("deliveries", never "deliveries change" from a
    # percentage in the same sentence)
    whose = whose.replace(S.measure_name(str(sides[0]["measure"].iloc[0]), "%").lower(),
                          S.measure_name(str(sides[0]["measure"].iloc[0])).lower())
    when = prose.when_phrase(str(sides[0]["when"].iloc[0]))
    whose = f"{whose} ({when})" if when else whose
    a, b = (f"{side['value_text'].iloc[0]} according to {side_source(run, side)}" for side in sides)
    return f"Sources disagree on {whose}: {a}, {b}."


def _values_text(rows: pd.DataFrame) -> str:
    """The figure most sources give (an exact one before a bound or an approximation on a
    tie). Never a range spanning several figures: "2.3% to 5.1%" from a close and an intraday
    low, or "$500 billion to $1 trillion" from two subjects, is a statement no source made."""
    best = _stated_value(rows)
    if best is None:
        return ""
    forms = [prose.format_figure(r) for r in S.records(best)]
    return max(forms, key=len) if forms else ""


def _stated_value(rows: pd.DataFrame) -> pd.DataFrame | None:
    """The rows of the value `_values_text` states."""
    best = None
    for (low, high), grp in rows.groupby(["low", "high"], sort=True):
        exact = all(not str(q or "").strip() for q in grp.get("qualifier", [""] * len(grp)))
        rank = (-grp["article_id"].nunique(), not exact, float(low), float(high))
        if best is None or rank < best[0]:
            best = (rank, grp)
    return best[1] if best else None


def _flow_period(rows: pd.DataFrame) -> str | None:
    """For a quantity summed over a period (revenue, deliveries: facts.yml `periods: equal`),
    the one period longer than a day its rows state ('2024'), '' when they state none or
    several; None for a level (a valuation, users), whose period is no part of the fact."""
    if occasion_rule(str(rows.iloc[0]["measure"]))[0] != "equal":
        return None
    spans = {(str(a or "")[:10], str(b or "")[:10]) for a, b in
             zip(rows.get("period_start", [""] * len(rows)), rows.get("period_end", [""] * len(rows)))}
    spans = {(a, b) for a, b in spans if a and b and a != "nan" and a != b}
    return prose.period_text(*spans.pop()) if len(spans) == 1 else ""


def _measure_clause(measure: str, subject: str, vals: str) -> str:
    """'Acme holds 900 chips' from briefing.yml `measure_phrases`, or ''
    when the measure has no phrase."""
    phrase = (S.conf().get("measure_phrases") or {}).get(measure)
    return phrase.format(subject=subject, value=vals) if phrase and subject else ""


def stage_text(rows: pd.DataFrame) -> str:
    """How far the figures' deal had got when they were reported ("planned", "in talks"), by
    `figures.status_label`; '' for a completed deal or one whose stage is not said."""
    found = [status_label(str(x)) for x in rows["status"]] if "status" in rows else []
    return next((x for x in found if x), "")


def _scope_text(rows: pd.DataFrame) -> str:
    """The figures' scope ('final training run only'), '' when none is stated."""
    if "scope" not in rows:
        return ""
    scopes = [str(x).strip() for x in rows["scope"] if str(x).strip() not in ("", "nan")]
    return scopes[0] if scopes else ""


def _figure_judgment(run, claim: dict, label: str, max_words: int = 18) -> str | None:
    rows = importance.claim_figures(run, claim)
    if not len(rows):
        return None
    if label != "disputed" and str(rows.iloc[0]["measure"]) in \
            (importance.front_conf().get("quote_measures") or []):
        return _quoted(run, claim, max_words + 7)   # "down" or "up": the sentence says which
    rows = importance.own_figures(run, claim, rows)
    measure = S.measure_name(rows.iloc[0]["measure"], rows.iloc[0].get("unit", "")).lower()
    subject = str(rows.iloc[0].get("subject") or "").strip()
    product = product_of(rows.iloc[0].to_dict())
    whose = f"{subject}’s {measure}" if subject else measure
    if subject and product:
        whose = f"the {measure} of {subject}’s {product}"   # the Sable's price, not the carmaker's
    if label == "disputed":
        return _dispute_text(run, claim, whose)
    if str(rows.iloc[0].get("unit") or "") == "%" and \
            str(rows.iloc[0]["measure"]) in (S.conf().get("percent_is_change") or []):
        return _quoted(run, claim, max_words + 7)   # "rose 31%": the sentence says of what
    period = _flow_period(_stated_value(rows))
    if period == "":
        return _quoted(run, claim, max_words + 7)   # revenue of no stated period: the sentence says which
    vals = _values_text(rows) + (f" for {period}" if period else "")
    scope = "; ".join(x for x in (_scope_text(rows), stage_text(rows)) if x)
    vals = f"{vals} ({scope})" if scope else vals
    clause = _measure_clause(str(rows.iloc[0]["measure"]), subject, vals)
    st = claim_statement(run, claim) or {}
    stance, speaker = st.get("stance", ""), str(st.get("speaker") or "").strip()
    if label == "company_claim":
        if clause:
            own = subject.lower() in importance.company_names(run)
            said = _measure_clause(str(rows.iloc[0]["measure"]), "it", vals) if own else clause
            return f"{run.company} says {said}."
        own = whose
        if subject.lower() in importance.company_names(run):
            own = f"the {measure} of its {product}" if product else f"its {measure}"
        return f"{run.company} puts {own} at {vals}."
    if label == "allegation_no_evidence":
        return f"{speaker or 'A critic'} alleges, without evidence, that {clause or f'{whose} is {vals}'}."
    if stance in _ESTIMATE_STANCES and speaker:
        return f"{speaker} estimates that {clause}." if clause else f"{speaker} estimates {whose} at {vals}."
    if label == "single_source":
        return f"One outlet reports that {clause}." if clause else f"One outlet puts {whose} at {vals}."
    return f"{prose.capitalise(clause)}." if clause else f"{prose.capitalise(whose)} is put at {vals}."


_ESTIMATE_STANCES = ("estimate", "analyst_estimate")
def _lowercase_openers() -> tuple[str, ...]:
    """Sentence openers that read lower-case after "According to X, " (language.yml)."""
    return tuple(knowledge.load("language")["lowercase_openers"])


def _as_clause(body: str) -> str:
    return body[:1].lower() + body[1:] if body.startswith(_lowercase_openers()) else body


def _quoted(run, claim: dict, max_words: int) -> str:
    """The claim's own sentence, quoted with its source: true whatever the extractors found.
    Shortened only when the words cut carry no figure and no contrast."""
    source = S.sources_text(run, [claim["article_id"]])
    quote = str(claim["quote"])
    if _cut_loses_point(quote, max_words):
        max_words = len(quote.split())
    return f"{source} reports: {prose.quote_inline(quote, max_words)}"


def _contrast_words() -> tuple[str, ...]:
    return tuple(str(w).lower() for w in knowledge.load("language").get("contrast_words") or [])


def cut_at_contrast(sentence: str, content: str) -> bool:
    """Does the sentence go on after the extracted content with a contrast ("were unknown" |
    "but were much higher than ..."), so that the content alone says the opposite?"""
    at = sentence.find(content)
    if at < 0:
        return False
    rest = sentence[at + len(content):].lstrip(" ,;:–—-").split(" ", 1)[0].lower()
    return rest in _contrast_words()


def _cut_loses_point(text: str, max_words: int) -> bool:
    """Would shortening the text to `max_words` drop a figure (or its unit word: "cost $5.2 …"
    lost "million"), or a contrast from it?"""
    dropped = str(text).split()[max_words:]
    points = {*_contrast_words(), *(str(u).lower() for u in knowledge.load("language").get("quantity_units") or [])}
    return any(any(ch.isdigit() for ch in w) or w.strip(",;:“”\"'‘’.").lower() in points for w in dropped)


def _statement_judgment(run, claim: dict, label: str, max_words: int) -> str | None:
    st = claim_statement(run, claim)
    if not st or prose.is_fragment(st.get("content", "")):
        return None
    content = prose.clean_content(st["content"]).rstrip(",;: ")
    content = re.sub(knowledge.load("language")["content_time_opener"], "", content, count=1,
                     flags=re.IGNORECASE)   # "says on Tuesday it had raised": no "on Tuesday"
    who, many = prose.speaker_text(st.get("speaker", ""))
    content = _without_leading_attribution(_without_trailing_attribution(content), who)
    takes_thing = str(st.get("verb") or "").strip().lower() in knowledge.load("language")["noun_phrase_verbs"]
    # "Tenvarro 12 million crowns ...": a content opening with the speaker's name is no
    # sentence it says (the extractor took the speaker for an object of the verb)
    names_speaker = bool(who) and content.split(" ", 1)[0].lower() == who.split(" ", 1)[0].lower()
    if not reads_as_clause(content) or names_speaker \
            or (takes_thing and not content.lower().startswith("that ")) \
            or _opens_with_verb(content) or cut_at_contrast(str(claim.get("quote", "")), content):
        return _quoted(run, claim, max_words)   # the extracted content is no sentence of its own
    body = content if _cut_loses_point(content, max_words) else prose.shorten(content, max_words)
    generic = who[:1].isupper() and str(st.get("speaker", ""))[:1].islower()
    who_inline = who.lower() if generic else who
    stance = st.get("stance", "")
    if label == "allegation_no_evidence" or (stance == "allegation" and st.get("evidence") == "not_offered"):
        return prose.ensure_period(f"{who or 'A critic'} alleges, without evidence, that {_as_clause(body)}")
    if stance == "allegation":
        return prose.ensure_period(f"{who or 'A critic'} alleges that {_as_clause(body)}")
    direct = body.split(" ", 1)[0].strip("“\"'‘") in knowledge.load("language")["first_person_words"]
    if direct:
        body = "“" + body.strip("“”\"") + "”"
    if stance == "company_claim" or label == "company_claim":
        speaker = who if who and who.lower() != run.company.lower() else run.company
        if not direct and body[:1].isupper() and not body.startswith(_lowercase_openers()):
            if content not in str(claim.get("quote", "")):
                return _quoted(run, claim, max_words)
            body, direct = f"“{body}”", True   # "Safety is ..." quoted as said
        return prose.ensure_period(f"{speaker} says{':' if direct else ''} {_as_clause(body)}")
    if direct:
        return _quoted(run, claim, max_words)
    if stance in _ESTIMATE_STANCES and who:
        return prose.ensure_period(f"{who} {'estimate' if many else 'estimates'} that {_as_clause(body)}")
    if stance == "anonymous_sourcing":
        return prose.ensure_period(f"People familiar with the matter say {_as_clause(body)}")
    if stance == "official_action":
        verb = str(st.get("verb") or "").strip().lower()
        if who and verb in knowledge.load("language")["reported_speech_verbs"]:
            return prose.ensure_period(f"{who} {'say' if many else 'says'} {_as_clause(body)}")
        return _quoted(run, claim, max_words)
    if label == "single_source":
        return prose.ensure_period(f"According to {who_inline or 'one outlet'} (single report), "
                                   f"{_as_clause(body)}")
    return prose.ensure_period(f"According to {who_inline or 'the sources'}, {_as_clause(body)}")


def _without_trailing_attribution(content: str) -> str:
    """"its revenue was 180 million euros in 2023, the company said" -> "... in 2023": the
    judgment names the speaker itself."""
    verbs = "|".join(re.escape(str(v)) for v in knowledge.load("language")["reported_speech_verbs"])
    return re.sub(rf",\s+(?:the\s+\w+|it|he|she|they|[A-Z][\w.’'-]*(?:\s[A-Z][\w.’'-]*){{0,3}})\s+(?:{verbs})$",
                  "", content)


def _without_leading_attribution(content: str, who: str) -> str:
    """"The U.S. Justice Department says Boeing has agreed ..." -> "Boeing has agreed ...": the
    judgment names the speaker itself (a content that is the whole sentence repeats it)."""
    if not who:
        return content
    verbs = "|".join(re.escape(str(v)) for v in knowledge.load("language")["reported_speech_verbs"])
    m = re.match(rf"^(?:[\w.’'-]+\s+){{0,3}}?{re.escape(who)}\s+(?:{verbs})\s+(?:that\s+)?(?=\S)",
                 content, flags=re.IGNORECASE)
    return content[m.end():] if m else content


def _opens_with_verb(content: str) -> bool:
    """Does the content open with a past-tense verb ("accused X of ...", "stopped it taking
    ..."): the speaker's act, which cannot follow "X says that"?"""
    first = content.split(" ", 1)[0] if content else ""
    return first[:1].islower() and len(first) > 4 and first.endswith("ed")


def reads_as_clause(content: str) -> bool:
    """Can the content follow "X says"? It needs a verb: one of the knowledge file's clause
    words or a past-tense form ("a gross margin of 14.8% for the quarter" cannot), before any
    second act of the speaker ("a 49% fall in quarterly profit, and said it had agreed to buy
    ...": "said" is the speaker's verb, not the content's)."""
    verbs = "|".join(re.escape(str(v)) for v in knowledge.load("language")["reported_speech_verbs"])
    content = re.split(rf",?\s+and\s+(?:{verbs})\b", content, maxsplit=1)[0]
    words = [w.strip("“”\"'‘’,;:.()").lower() for w in content.split()]
    known = {str(w).lower() for w in importance.front_conf().get("clause_words") or []}
    return any(w in known or (len(w) > 4 and w.endswith("ed")) for w in words)


def judgment_text(run, claim: dict, label: str | None = None, max_words: int = 18) -> str | None:
    """A short present-tense sentence for a claim, worded by its label; None when the
    evidence row cannot be turned into a readable sentence."""
    label = claim.get("label", "") if label is None else label
    if claim.get("kind") == "figure":
        return _figure_judgment(run, claim, label, max_words)
    if claim.get("kind") == "statement":
        return _statement_judgment(run, claim, label, max_words)
    if claim.get("kind") == "sentence":
        return _quoted(run, claim, max_words + 7)
    summary = prose.clause(claim.get("summary") or "")
    if not summary or ":" in summary[:60]:
        return None
    summary = prose.shorten(summary, max_words)
    first_lower = summary[:1].lower() + summary[1:] if summary[:4].lower() == "the " else summary
    if label == "company_claim":
        return prose.ensure_period(f"{run.company} says {first_lower}")
    if label == "allegation_no_evidence":
        who = _speaker_of(run, claim) or "A critic"
        return prose.ensure_period(f"{who} alleges, without evidence, that {first_lower}")
    if label == "disputed":
        vals = _disagreement_values(run, claim)
        return prose.ensure_period(f"{summary}; sources differ ({vals[0]} vs {vals[1]})") \
            if vals else None
    if label == "single_source":
        return prose.ensure_period(f"One outlet reports that {first_lower}")
    return prose.ensure_period(prose.capitalise(summary))


def claim_line(run, claim: dict) -> str:
    """A claim in one line for lists (what changed since the last edition): its judgment
    wording, or its own sentence quoted with its source."""
    return judgment_text(run, claim) or _quoted(run, claim, 25)


@dataclass
class Judgment:
    """A key judgment: its text, support label (`label_key` is the claim label shown, e.g.
    "disputed") and citations, and the fact and claim it states."""
    text: str
    label: render.Label
    cites: list
    fact: importance.Fact
    claim: dict
    label_key: str = ""
    pinned: bool = False      # put here by the analyst (review decision `pin`)
    n_sources: int = 1        # independent sources of what the text states (importance.stated_sources)

    def as_claim(self) -> dict:
        """The stated claim as a claims-table row, with the label and text the front page shows."""
        return {**self.claim, "label": self.label_key, "_text": self.text}


def _fact_cites(run, fact: importance.Fact, claim: dict, label: str = "") -> list[render.Cite]:
    """The stated claim's sources first, then the sentences of the fact's claims that say the
    same (`importance.agreeing_claims`; both sides of a dispute)."""
    rows: list[dict] = []
    cs = S.table(run, "claim_sources")
    others = [c for c in fact.claims if c is not claim] if label == "disputed" else \
        importance.agreeing_claims(run, fact, claim)[1:]
    for c in [claim] + others:
        mine = cs[cs["claim_id"] == c["claim_id"]] if len(cs) else cs
        got = S.records(mine.sort_values("independent", ascending=False, kind="stable")) \
            if len(mine) else [c]
        rows += got
    seen, out = set(), []
    for r in rows:   # one citation per article, so the markers count the outlets
        if str(r["article_id"]) not in seen:
            seen.add(str(r["article_id"]))
            out.append(r)
    return S.cites(out, 3)


def pick_judgments(run, limit: int | None = None) -> list[Judgment]:
    """The most important facts (importance.rank_facts), one judgment each; the analyst's
    pinned ones first (marked as pinned), dropped ones never."""
    limit = limit or S.cap("key_judgments", 6)
    done = S.review_of(run)
    pinned, dropped = (done.pinned, done.dropped) if done is not None else ([], set())
    facts = [f for f in importance.rank_facts(run)
             if not dropped & {str(c["claim_id"]) for c in f.claims}]
    chosen: list[Judgment] = []
    for item_id in pinned:
        fact, claim = _pinned_fact(run, facts, item_id)
        if fact is None:
            continue
        facts = [f for f in facts if f is not fact]
        n = importance.stated_sources(run, fact, claim)
        label = importance.effective_label(run, claim, n)
        text = judgment_text(run, claim, label) or prose.ensure_period(prose.clause(str(claim["quote"])))
        chosen.append(Judgment(text, prose.support_label(label, n), _fact_cites(run, fact, claim, label),
                               fact, claim, label, pinned=True, n_sources=n))
    told = {span for j in chosen for span in importance.claim_spans(run, j.claim)}
    for fact in facts:
        if len(chosen) >= limit:
            break
        for claim in fact.claims:
            # one judgment per sentence: two facts of one sentence (a quarter's profit and a
            # purchase) are told once, by the better ranked
            if importance.claim_spans(run, claim) & told:
                continue
            n = importance.stated_sources(run, fact, claim)
            label = importance.effective_label(run, claim, n)
            text = judgment_text(run, claim, label)
            if text and text not in {j.text for j in chosen}:
                chosen.append(Judgment(text, prose.support_label(label, n),
                                       _fact_cites(run, fact, claim, label), fact, claim, label,
                                       n_sources=n))
                told |= importance.claim_spans(run, claim)
                break
    return chosen


PINNED = render.Label("pinned by analyst", "analyst")
RELABELLED = render.Label("label set by analyst", "analyst")


def _pinned_fact(run, facts: list[importance.Fact], item_id: str):
    """(fact, claim) for a pinned claim or sentence id: the ranked fact holding it, else a fact
    of its own from the claims table or the sentence; (None, None) when it is in neither."""
    for fact in facts:
        for claim in fact.claims:
            if str(claim["claim_id"]) == item_id:
                return fact, claim
    claims = S.table(run, "claims")
    rows = S.records(claims[claims["claim_id"].astype(str) == item_id]) if len(claims) else []
    if not rows:
        sents = S.table(run, "sentences")
        hit = sents[sents["sentence_id"].astype(str) == item_id] if len(sents) else sents
        rows = [importance.sentence_claim(r) for r in S.records(hit)]
    if not rows:
        return None, None
    claim = rows[0]
    ids = S.split_ids(claim["article_ids"]) or [str(claim["article_id"])]
    return importance.Fact([claim], pd.DataFrame(), "", 0.0, {}, int(claim["n_sources"]), ids), claim


def bottom_line(run, picks: list[Judgment]) -> render.Para | None:
    """One sentence first: the top judgments joined, each with its support and citations.
    A dispute or an allegation is no conclusion to lead with (briefing.yml
    `bottom_line_skips` lists such labels): the bottom line takes the best judgments of other
    labels, and the bullets below still give the rest."""
    n = int(importance.front_conf().get("bottom_line_parts", 2))
    skip = set(importance.front_conf().get("bottom_line_skips") or [])
    parts: list = [render.Strong("Bottom line: ")]
    for i, j in enumerate([j for j in picks if j.label_key not in skip][:n]):
        label = importance.effective_label(run, j.claim, j.n_sources)
        text = judgment_text(run, j.claim, label, max_words=12) or j.text
        clause = text[:-1] if text.endswith(".") else text
        if i:
            parts.append("; ")
        parts += [clause, f" ({j.label.text})", *j.cites, *([" ", PINNED] if j.pinned else [])]
    if len(parts) == 1:
        return None
    parts.append(".")
    return render.Para(parts, css="lede")


def key_judgments(run, picks: list[Judgment] | None = None) -> list[render.Block]:
    picks = pick_judgments(run) if picks is None else picks
    if not picks:
        return [S.thin("No claim in the articles could be established well enough for a key "
                       "judgment; see the sections below for what the sources say")]
    blocks: list[render.Block] = []
    line = bottom_line(run, picks)
    if line:
        blocks.append(line)
    done = S.review_of(run)
    relabelled = {d.target for d in done.applied if d.kind == "relabel"} if done is not None else set()
    items = [[j.text, *j.cites, " ", j.label, *([" ", RELABELLED] if str(j.claim["claim_id"]) in relabelled else []),
              *([" ", PINNED] if j.pinned else [])] for j in picks]
    blocks.append(render.Bullets(items, css="judgments"))
    if len(picks) < 3:
        blocks.append(S.thin(f"Only {prose.plural(len(picks), 'claim')} could be "
                             "established from the articles; the evidence is thin"))
    return blocks


# ---------------------------------------------------------------- key figures

def figure_source(run, row: dict) -> tuple[str, str]:
    """(kind, speaker) of whoever gives a figure: kind "company", "confirmed" (unnamed sources'
    figure the company confirmed: `link.claims.company_confirmations`), "estimate",
    "allegation", "allegation_no_evidence", "anonymous", "official", "expert" or "" (the
    outlet reports it)."""
    st = S.statement_for(run, row["article_id"], row["start"]) or {}
    stance, speaker = st.get("stance", ""), str(st.get("speaker") or "").strip()
    claim = importance.figure_claim(run, row) or S.claim_for(run, row["article_id"], row["start"]) or {}
    if claim.get("label") == "company_claim" and stance != "company_claim" and any(
            (S.statement_for(run, a, st) or {}).get("stance") == "anonymous_sourcing"
            for a, st in importance.claim_spans(run, claim)):
        return "confirmed", str(claim.get("speaker") or "").strip()
    if stance == "company_claim" or claim.get("label") == "company_claim":
        return "company", speaker
    if stance in _ESTIMATE_STANCES:
        return "estimate", speaker
    if stance == "allegation":
        return ("allegation_no_evidence" if st.get("evidence") == "not_offered" else "allegation"), speaker
    if stance == "anonymous_sourcing":
        return "anonymous", speaker
    if stance == "official_action" and speaker:
        return "official", speaker
    if stance == "expert_view" and speaker:
        return "expert", speaker
    return "", ""


def whose_figure(run, row: dict) -> str:
    """Whose figure it is: the company's claim, an estimate by someone, an allegation, an
    official's figure, or reported by the outlet."""
    kind, speaker = figure_source(run, row)
    return {"company": "Company claim, unverified",
            "confirmed": f"Unnamed sources; confirmed by {speaker or 'the company'}",
            "estimate": f"Estimate by {speaker}" if speaker else "Outside estimate",
            "allegation": f"Allegation by {speaker or 'a critic'}",
            "allegation_no_evidence": f"Allegation by {speaker or 'a critic'}, no evidence offered",
            "anonymous": "Anonymous sources",
            "official": f"{speaker} (official)",
            "expert": f"Stated by {speaker}"}.get(kind) or \
        f"Reported by {S.sources_text(run, [row['article_id']])}"


def agreeing_rows(run, row: dict, same: pd.DataFrame) -> pd.DataFrame:
    """The figures of `same` (one measure and subject) that say what `row` says
    (`importance.same_value`: the count of sources and the range come from these only; 900
    chips held in 2022 and an allegation of 4,000 are no range of one figure; a planned €300
    million bond sale is not the €275 million one completed)."""
    agree = [importance.same_value(run, row, r) for r in S.records(same)]
    return same[pd.Series(agree, index=same.index, dtype=bool)] if len(same) else same


def _caveat(run, row: dict, same: pd.DataFrame) -> str:
    notes = []
    same = agreeing_rows(run, row, same)
    # the scope of this figure and those that say what it says, not of another figure of the
    # measure (a year's net profit is not "scope: EBITDA" because an EBITDA figure is listed too)
    scope = str(row.get("scope") or "").strip() or _scope_text(same)
    if scope and scope != "nan":
        notes.append(f"scope: {scope}")
    caveat = qualifier_meaning(row.get("qualifier")).caveat
    if caveat:
        notes.append(caveat)
    # a bound ("over 900") agrees but spans nothing: the range is of stated values only
    stated = same[[qualifier_meaning(q).bound not in ("upper", "lower") for q in same["qualifier"]]] \
        if len(same) and qualifier_meaning(row.get("qualifier")).bound not in ("upper", "lower") \
        else same.iloc[0:0]
    others = stated[(stated["low"] != row["low"]) | (stated["high"] != row["high"])]
    if len(others):
        lo = min(float(stated["low"].min()), float(row["low"]))
        hi = max(float(stated["high"].max()), float(row["high"]))
        rng = prose.format_range(lo, hi, row.get("unit", ""), row.get("currency", ""))
        notes.append(f"sources range from {rng}")
    if importance.coverage(run, list(same["article_id"].astype(str))) <= 1:
        notes.append("single source")
    dis = S.table(run, "disagreements")
    if len(dis):
        # disputed only when this very figure is a side (not a bound that merely agrees with it)
        own = same[(same["low"] == row["low"]) & (same["high"] == row["high"])]
        keys = set(zip(own["article_id"].astype(str), own["start"].astype(int)))
        dis = dis[dis["measure"].astype(str) == str(row.get("measure"))]
        hit = pd.Series([(a, int(s)) in keys for a, s in zip(dis["article_id"].astype(str),
                                                             dis["start"])], index=dis.index, dtype=bool)
        if any(importance.sides_name_subject(run, dis[dis["disagreement_id"] == d])
               for d in set(dis[hit]["disagreement_id"])):
            notes.append("disputed")
    return prose.capitalise("; ".join(dict.fromkeys(notes))) or "—"


def figure_what(row: dict) -> str:
    """What a figure measures, whose it is about and when: 'Valuation of Acme (Series B)'."""
    what = S.measure_name(row["measure"], row.get("unit", ""))
    subject = str(row.get("subject") or "").strip()
    if subject:
        what = f"{what} of {subject}"
    item = str(row.get("item") or "").strip()
    if item and item.lower() not in what.lower():
        what = f"{what}: {item}"
    when = str(row.get("event") or "").strip() or prose.period_text(row.get("period_start"),
                                                            row.get("period_end"))
    when = "; ".join(x for x in (when, status_label(str(row.get("status") or ""))) if x)
    return f"{what} ({when})" if when else what




def pick_figures(run, limit: int | None = None) -> list[tuple[dict, pd.DataFrame]]:
    """(representative figure row, all rows of the same measure and subject) for the most
    important resolved figures: about the company first, then the best covered."""
    figs = importance.resolved_figures(run)
    if not len(figs):
        return []
    limit = limit or S.cap("key_figures", 6)
    order = list(S.conf().get("measures", {}))
    low = set((importance.front_conf().get("low_value") or {}).get("measures") or [])
    ranked = []
    # one product's figures apart from another's of the same owner (the Sable's price range is
    # not the Lark's); an owner's figures with one product named are that product's fact (the
    # front page's: importance._fact_key)
    recs = S.records(figs)
    named: dict[tuple, set] = {}
    for r in recs:
        if product_of(r):
            named.setdefault((r["measure"], r["subject"]), set()).add(product_of(r))
    figs = figs.assign(_fact=[fact_subject(r) if len(named.get((r["measure"], r["subject"]), ())) > 1
                              else str(r["subject"]) for r in recs])
    for (measure, _fact), grp in figs.groupby(["measure", "_fact"], sort=True):
        subject = str(grp["subject"].iloc[0])
        direct = importance.is_company_subject(run, subject) or any(
            importance.names_company(run, q) for q in grp["quote"].astype(str))
        if not direct:
            continue  # a rival's or a market's figure is no key figure of the company
        # a completed deal's figure before a planned one's
        done = grp[[stage(r) == "" for r in S.records(grp)]]
        pool = done if len(done) else grp
        stats = pool.groupby(["low", "high", "unit"], sort=False)["article_id"].nunique()
        best = stats.sort_values(ascending=False, kind="stable").index[0]
        rep = pool[(pool["low"] == best[0]) & (pool["high"] == best[1]) & (pool["unit"] == best[2])]
        rank = (measure in low, not importance.is_company_subject(run, subject),
                -grp["article_id"].nunique(), order.index(measure) if measure in order else len(order),
                measure, _fact)
        ranked.append((rank, rep.iloc[0].to_dict(), grp))
    ranked.sort(key=lambda r: r[0])
    return [(rep, grp) for _, rep, grp in ranked[:limit]]


def key_figures(run) -> list[render.Block]:
    picks = pick_figures(run)
    if not picks:
        return [S.thin("The articles give no figure about the company whose measure and "
                       "subject could both be established")]
    rows = []
    for rep, pool in picks:
        same_rows = agreeing_rows(run, rep, pool)
        src_cell = [S.sources_text(run, same_rows["article_id"]), *S.cites(same_rows, 3)]
        rows.append([prose.format_figure(rep), figure_what(rep), whose_figure(run, rep),
                     _caveat(run, rep, pool), src_cell])
    return [render.Table(["Figure", "What it measures", "Whose figure", "Scope and caveats",
                          "Source"], rows, css="keyfigs", widths=[1.1, 1.6, 1.2, 1.7, 1.1])]


@S.reused
def build(run) -> list[render.Block]:
    picks = pick_judgments(run)
    blocks: list[render.Block] = [title_block(run)]
    blocks += editions.since_blocks(run, picks, claim_line)
    blocks.append(S.heading(KEY, "Key judgments"))
    blocks += key_judgments(run, picks)
    blocks.append(render.Heading("Key figures", level=3, anchor="key-figures"))
    blocks += key_figures(run)
    return blocks
