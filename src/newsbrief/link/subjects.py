"""Whose figure it is, and when: fill figures.subject, period_start/period_end, dated events
and `resolved` from the entity mentions and date mentions of the figure's article.

Rules (vocabulary in ``data/knowledge/measures.yml``, section ``subjects``):

* Subject candidates are the sentence's mentions of the kinds listed, plus market names
  ("S&P 500"). A mention after a sign-off ("Reporting by ..."), or used as a speaker or source
  ("..., Wang said", "the regulator (FCA) said", "according to Forbes"), is never a subject.
* Each candidate has a grammatical role: *oblique* when a preposition governs it ("led by
  Kessock Ventures", "with the FCA", "imposed on Orvane", "similar to X and Y"), *acting* when
  it is a government or regulator that acts (not one whose thing is counted: "the EU's 10%
  tariff"), else *core*. Only core candidates are chosen by distance: the backer that led a
  round, the regulator that fined or the firm an analyst works at is not whose figure it is.
* A name right after the figure is what the figure modifies ("a $10 billion Azure deal").
* Per measure, a link word after the figure points at the subject ("wiped $600 billion off
  Nvidia's value"); an inverse comparison names it ("... more expensive than Kestrel").
* Otherwise the nearest core name before the figure (a name after it counts at
  ``after_weight`` times its distance); a reference ("the startup", "its") nearer than any such
  name stands for its antecedent: "X said it ..." -> X; else for a pronoun the last company or
  organisation of the article, up to the reference, that is no oblique, for a description ("the
  company") the one named most often so far (not a rival named in passing). A pronoun ("it") whose antecedent
  would lie before a sentence naming unknown capitalised names ("Founded in 2013, Xiaohongshu
  is ...") is not resolved: it may be about that name.
* The company bought is not whose purchase price it is (``acquisitions``: "Acme agreed to buy
  Borealis for 285 million euros" is Acme's).
* A place stands for its government for the measures that governments give or commit
  (``place_measures``: "The province of Quebec will contribute a C$40 million grant").
* A person is not whose figure of an `implicit_measures` measure it is ("Voss and her team
  ... a budget of around $6 million" is the company's budget).
* A sentence with no core name and no reference ("Third-quarter revenue rose 14% to $512
  million") is about the article's current company (its last antecedent) when nothing
  capitalised before the figure could be another subject ("An index of US software stocks fell
  2.4%": not resolved). Otherwise the subject stays "" (fail closed).
* A model or product whose owner is known stands for the owner; the product is kept in
  ``item`` ("Orvane lowered the price of the Sable to 139,900 yuan": Orvane Motors, Sable).
* The period is the nearest date mention of the sentence (within ``date_window`` characters),
  not one that dates a founding or listing, nor, for a sum over a period, the date of a
  statement ("said last month that its first-half profit ..."), nor one beyond a figure of
  another measure; the earlier value a figure is compared with ("up 14% from EUR 261 million in
  the same period last year") has its own period (the figure's a year back, a date after it, or
  none), and dates from it on are not the figure's. Measures with ``dated_events`` get the
  event "<prefix> <date>" ("trading day 2025-01-27").
* ``resolved`` = the measure is not ``other`` and the subject is known. Only resolved figures
  are compared, charted or ranked downstream.

Each figure looks only at its own sentence's mentions and dates, the sentence before it and a
per-article sorted list of earlier names (bisection), so the cost is linear in the number of
figures and mentions.
"""
from __future__ import annotations

import bisect
import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

import pandas as pd

from newsbrief import knowledge
from newsbrief.extract import entities as entities_mod, figures as figures_mod
from newsbrief.link import dated

MODIFIER_GAP = 2     # characters (spaces) allowed between the figure and the name it modifies
_CAPITAL = re.compile(r"(?<![\w'’.&-])[A-Z][\w'’&-]*")
CORE, OBLIQUE, ACTING, SPEAKER = "core", "oblique", "acting", "speaker"


@dataclass(frozen=True)
class Candidate:
    """One possible subject in a sentence (offsets into the article text)."""

    start: int
    end: int
    name: str
    kind: str
    owner: str = ""       # a model's or product's owner ("" = not known)
    role: str = CORE      # CORE, OBLIQUE, ACTING or SPEAKER


@lru_cache(maxsize=None)
def _rules() -> dict:
    data = knowledge.load("measures") or {}
    subj = data.get("subjects") or {}
    dates = knowledge.load("dates") or {}
    alt = knowledge.alternation

    def words(key: str) -> str:
        return alt(subj.get(key) or [])

    # "the Financial Conduct Authority (FCA) said": an abbreviation in brackets may come between
    paren = r"(?:[\s]{0,2}\([^()\n]{1,24}\))?"
    return {
        "kinds": frozenset(subj.get("kinds") or []),
        "reference_kinds": frozenset(subj.get("reference_kinds") or []),
        "acting_kinds": frozenset(subj.get("acting_kinds") or []),
        "product_kinds": frozenset(subj.get("product_kinds") or []),
        "re_market": re.compile(r"(?<![\w])(?:" + "|".join(subj.get("markets") or []) + r")(?![\w])")
        if subj.get("markets") else None,
        "re_speaker_after": re.compile(paren + r"[\s,]{0,3}(?:" + words("speaker_after") + r")\b", re.IGNORECASE),
        # "<company> reported|posted <its results>" (no "that" clause): whose figures they are
        "re_results": re.compile(paren + r"[\s,]{0,3}(?:" + words("results_verbs") + r")\b(?![^.;:!?]{0,40}\bthat\b)",
                                 re.IGNORECASE) if subj.get("results_verbs") else None,
        "re_speaker_before": re.compile(r"\b(?:" + words("speaker_before") + r")[\s]{1,3}(?:the\s{1,2})?$", re.IGNORECASE),
        "re_speaker_inverted": re.compile(r"[,\"”’][\s]{0,2}(?:" + words("speaker_inverted") + r")[\s]{1,3}$",
                                          re.IGNORECASE),
        "re_relative": re.compile(r"(?:[\s]{1,2}[\w'’.-]{1,30}){0,%d},[\s]{1,2}(?:%s)\b[^,;:.!?]{0,60}$"
                                  % (int(subj.get("relative_gap", 3)), words("relative_words")), re.IGNORECASE),
        # "Pennwick said it had spent ...": the pronoun after a speaker's verb is the speaker
        "re_self_reference": re.compile(paren + r"[\s,]{0,3}(?:" + words("speaker_after")
                                        + r")\b[^.;:!?\"“”]{0,40}?(?:\bthat)?[\s]{1,3}$", re.IGNORECASE),
        # up to three describing words may come between ("led by U.S. growth investor X"), none
        # of them a word that ends a noun phrase (`head_breaks`: "in a note that X")
        "re_oblique": re.compile(r"(?<![\w])(?:" + words("oblique_before")
                                 + r")[\s]{1,3}(?:(?:the|a|an)[\s]{1,3})?(?:(?!(?:" + alt(data.get("head_breaks") or [])
                                 + r")[\s])[A-Za-z][\w.&'’-]{0,20}[\s]{1,3}){0,3}$", re.IGNORECASE),
        "acquisition_measures": frozenset((subj.get("acquisitions") or {}).get("measures") or []),
        "re_acquired": re.compile(r"(?<![\w])(?:" + alt((subj.get("acquisitions") or {}).get("verbs") or [])
                                  + r")[\s]{1,3}(?:(?:the|a|an)[\s]{1,3})?(?:(?!(?:" + alt(data.get("head_breaks") or [])
                                  + r")[\s])[A-Za-z][\w.&'’-]{0,20}[\s]{1,3}){0,3}$", re.IGNORECASE)
        if (subj.get("acquisitions") or {}).get("verbs") else None,
        "re_owner_before": re.compile(r"(?<![\w])(?:" + words("owner_before") + r")[\s]{1,3}(?:the[\s]{1,3})?$",
                                      re.IGNORECASE) if subj.get("owner_before") else None,
        # a place after a possessive ("invested $30 billion in its U.S. operations"): where, not who
        "re_oblique_place": re.compile(r"(?<![\w])(?:" + words("oblique_before")
                                       + r")[\s]{1,3}(?:its|their|his|her|our)[\s]{1,3}$", re.IGNORECASE),
        # ("In China, Corvid sold ...": a comma alone joins no names)
        "re_coordination": re.compile(r",?[\s]{1,3}(?:and|or)[\s]{1,3}(?:the[\s]{1,3})?", re.IGNORECASE),
        "re_possessive": re.compile(r"(?:'s|’s|')(?![\w])"),
        "re_signoff": re.compile(subj["signoff"]) if subj.get("signoff") else None,
        "after_links": [(frozenset(r.get("measures") or []),
                         re.compile((r"(?:[\s]{1,3}(?:" + alt(r["nouns"]) + r"))?" if r.get("nouns") else "")
                                    + r"[\s]{1,3}(?:" + alt(r["words"]) + r")[\s]{1,3}(?:the[\s]{1,2})?",
                                    re.IGNORECASE))
                        for r in subj.get("after_links") or []],
        "re_inverse": re.compile(r"\b(?:" + words("inverse_comparison") + r")[\s]{1,3}(?:the[\s]{1,2})?",
                                 re.IGNORECASE) if subj.get("inverse_comparison") else None,
        "re_reference": _reference_regex(subj),
        "pronouns": frozenset(str(w).lower() for w in subj.get("pronouns") or []),
        # capitalised words that name no one: calendar words (and a sentence's first word)
        "calendar": frozenset([*(dates.get("months") or {}), *(dates.get("month_abbreviations") or {}),
                               *(dates.get("weekdays") or {})]),
        # adjectives of places ("European airlines") name no one who could own a figure
        "demonyms": frozenset(str(w) for w in (knowledge.load("entities") or {}).get("demonyms") or {}),
        "implicit_measures": frozenset(subj.get("implicit_measures") or []),
        "approval_measures": frozenset((subj.get("approvals") or {}).get("measures") or []),
        # "The European Commission approved €520mn in Dutch state aid": the name, then (in its
        # clause, with no other name between) an approval verb before the figure
        "re_approval": re.compile(r"^(?:[^,;:.!?]{0,40}?\s)?(?:" + alt((subj.get("approvals") or {}).get("verbs") or [])
                                  + r")\b[^;:!?]{0,60}$", re.IGNORECASE) if (subj.get("approvals") or {}).get("verbs") else None,
        "implicit_also": frozenset(subj.get("implicit_also") or []),
        "person_kinds": frozenset(subj.get("person_kinds") or []),
        "place_kinds": frozenset(subj.get("place_kinds") or []),
        "place_measures": frozenset(subj.get("place_measures") or []),
        "after_weight": float(subj.get("after_weight", 2)),
        "re_after_break": re.compile(r";|,[\s]{1,2}(?:" + words("after_breaks") + r")\b", re.IGNORECASE)
        if subj.get("after_breaks") else None,
        "target_measures": frozenset((subj.get("targets") or {}).get("measures") or []),
        "re_target": re.compile(r"(?<![\w])(?:" + alt((subj.get("targets") or {}).get("words") or ["on"])
                                + r")[\s]{1,3}(?:the[\s]{1,2})?$", re.IGNORECASE),
        # "Zhou Ming and his team", "Mara Quist, the founder of Kestrel, and her engineers"
        "re_team": re.compile(r"(?:,[^,;:.]{1,60},)?[\s]{1,3}and[\s]{1,3}(?:his|her|their)[\s]{1,3}(?:"
                              + words("team_words") + r")\b", re.IGNORECASE) if subj.get("team_words") else None,
        "date_window": int(subj.get("date_window", 80)),
        "re_statement_before": re.compile(r"(?<![\w])(?:" + words("statement_verbs") + r")[\s]{1,3}$", re.IGNORECASE)
        if subj.get("statement_verbs") else None,
        "re_statement_after": re.compile(r"[\s,]{1,3}(?:" + words("statement_verbs") + r")(?![\w])", re.IGNORECASE)
        if subj.get("statement_verbs") else None,
        "re_year_earlier": re.compile(r"(?<![\w])(?:" + words("year_earlier") + r")(?![\w])", re.IGNORECASE)
        if subj.get("year_earlier") else None,
        # quantities summed over a period: a statement's date is not their period
        "summed_measures": frozenset(str(m) for m, spec in (((knowledge.load("facts") or {}).get("occasions") or {})
                                                            .get("measures") or {}).items()
                                     if (spec or {}).get("periods") == "equal"),
        "dated_events": [(frozenset(r.get("measures") or []), frozenset(r.get("precision") or []),
                          str(r["prefix"]), str(r.get("key") or "")) for r in data.get("dated_events") or []],
    }


def _reference_regex(subj: dict) -> re.Pattern:
    """The references of measures.yml ("the company", "its"), also with a describing compound
    between "the" and the noun ("the Madrid-listed company", "the Hefei-based carmaker")."""
    alt = knowledge.alternation
    refs = [str(r) for r in subj.get("references") or []]
    nouns = [r[4:] for r in refs if r.lower().startswith("the ")]
    attrs = subj.get("reference_attributes") or []
    described = (r"|the[\s]{1,2}[\w.&'’]{1,30}-(?:" + alt(attrs) + r")[\s]{1,2}(?:" + alt(nouns) + r")"
                 if nouns and attrs else "")
    return re.compile(r"\b(?:" + alt(refs) + described + r")\b", re.IGNORECASE)


@dataclass
class _Article:
    """The article's antecedents (start, name) in text order: the companies and organisations
    a reference or an unnamed subject can stand for."""

    starts: list[int]
    names: list[str]
    subject: frozenset = frozenset()   # the names of the company the briefing is about
    leaders: list[str] = None   # per antecedent: the one named most often up to it (ties: the
    # briefing's company, else the latest: "Shuolin ... OpenAI's o1 ... Shuolin ... OpenAI")

    def __post_init__(self) -> None:
        counts: Counter = Counter()
        leader, out = "", []
        for name in self.names:
            counts[name] += 1
            if (not leader or counts[name] > counts[leader]
                    or (counts[name] == counts[leader] and (name in self.subject or leader not in self.subject))):
                leader = name
            out.append(leader)
        self.leaders = out


def type_figures(figures: pd.DataFrame, mentions: pd.DataFrame | None,
                 dates: pd.DataFrame | None = None,
                 sentences: pd.DataFrame | None = None,
                 entities: pd.DataFrame | None = None) -> pd.DataFrame:
    """Figures with subject, period_start, period_end, event (dated ones), item (a product that
    stands for its owner) and resolved filled in.

    Args:
        figures: figure rows (``figures.extract_figures``), offsets into the article text.
        mentions: entity mention rows with sentence_id, article_id, start, end, name, kind
            (and owner, when known).
        dates: date mention rows with sentence_id, mention_start, mention_end, date, date_end,
            precision (may be None).
        sentences: sentence rows (sentence_id, article_id, start, quote); without them a
            pronoun is resolved without looking at the sentence before.
        entities: entity rows (name, owner): a model's or product's owner; without them the
            owner its mentions state.
    Returns:
        a copy of ``figures``; a subject already set is kept.
    """
    figures = figures.copy()
    if figures.empty:
        return figures
    rules = _rules()
    quotes = _sentence_quotes(figures, sentences)
    by_sent, by_article = _candidates(mentions, quotes, _owners(mentions, entities), rules)
    previous = _previous_sentences(quotes)
    spans = _mention_spans(mentions)
    first_figure: dict[str, int] = {}
    for sid, ms in zip(figures["sentence_id"].tolist(), figures["mention_start"].tolist()):
        first_figure[sid] = min(int(ms), first_figure.get(sid, int(ms)))
    opening: dict[str, bool] = {}

    def opens_unknown(sid: str, quote: str, base: int) -> bool:
        """Whether the sentence names, before its first figure, a capitalised name that is no
        candidate (once per sentence)."""
        if sid not in opening:
            # a place may be what the figure is about ("... vehicles in China grew 40%")
            spans = [(c.start - base, c.end - base) for c in by_sent.get(sid, [])
                     if c.kind not in rules["place_kinds"]]
            opening[sid] = _unknown_names(quote[:first_figure[sid] - base], spans, rules)
        return opening[sid]
    dates_by_sent: dict[str, list[tuple]] = defaultdict(list)
    if dates is not None and len(dates):
        for sid, s, e, d, de, p in zip(*(dates[c].tolist() for c in (
                "sentence_id", "mention_start", "mention_end", "date", "date_end", "precision"))):
            dates_by_sent[sid].append((int(s), int(e), str(d), str(de), str(p)))
    for column in ("item", "currency"):
        if column not in figures:
            figures[column] = ""
    if {"low", "high"} <= set(figures.columns):
        figures["measure"], figures["event"] = _same_amount_typed_alike(figures)
        figures["measure"] = _headline_amount_typed_as_body(figures, _heading_sentences(sentences))
    cols = {c: figures[c].tolist() for c in ("sentence_id", "article_id", "start", "quote",
                                            "mention_start", "mention_end", "measure", "subject",
                                            "event", "item")}
    periods = _periods(figures, dates_by_sent, rules)
    subjects, items, starts, ends, events = [], [], [], [], []
    for i in range(len(figures)):
        sid, aid = cols["sentence_id"][i], cols["article_id"][i]
        ms, me = int(cols["mention_start"][i]), int(cols["mention_end"][i])
        measure = str(cols["measure"][i] or "")
        item = str(cols["item"][i] or "")
        subject = str(cols["subject"][i] or "")
        if not subject:
            prev = previous.get(sid)
            prev_names = prev is not None and _names_unknown_before(
                prev, spans.get(prev[0], []), by_sent.get(prev[0], []), rules)
            subject, product = _subject(cols["quote"][i], int(cols["start"][i]), ms, me, measure,
                                        by_sent.get(sid, []), by_article.get(aid), prev_names, rules,
                                        opens_unknown(sid, cols["quote"][i], int(cols["start"][i])))
            item = _with_product(item, product)
        period = periods[i]
        event = str(cols["event"][i] or "") or _dated_event(measure, period, rules)
        subjects.append(subject)
        items.append(item)
        starts.append(period[0] if period else "")
        ends.append(period[1] if period else "")
        events.append(event)
    figures["subject"] = subjects
    figures["item"] = items
    figures["period_start"] = starts
    figures["period_end"] = ends
    figures["event"] = events
    figures["resolved"] = [bool(s) and str(m or "other") != "other"
                           for s, m in zip(subjects, figures["measure"].tolist())]
    return figures


@lru_cache(maxsize=None)
def _histories() -> dict[str, str]:
    """measure -> the measure that names its history, when that one is the general measure of
    the history ("funding_equity" -> "funding")."""
    info = (knowledge.load("measures") or {}).get("measures") or {}
    return {m: str(spec["history"]) for m, spec in info.items()
            if isinstance(spec, dict) and spec.get("history") and str(spec["history"]) in info}


def _same_amount_typed_alike(figures: pd.DataFrame) -> tuple[list[str], list[str]]:
    """(measure, event) per figure: an amount of a general measure ("raises $220 million" in a
    headline: `funding`) takes the specific measure and the event of the same amount elsewhere
    in its article ("raised $220 million in a Series B": `funding_equity`, "Series B"), when
    the article types that amount one way only."""
    histories = _histories()
    measures = [str(m or "") for m in figures["measure"].tolist()]
    events = [str(e or "") for e in figures["event"].tolist()]
    keys = list(zip(figures["article_id"].tolist(), figures["currency"].fillna("").tolist(),
                    figures["low"].tolist(), figures["high"].tolist()))
    specific: dict[tuple, set[tuple[str, str]]] = defaultdict(set)
    for key, measure, event in zip(keys, measures, events):
        if measure in histories and histories[measure] != measure:
            specific[(key, histories[measure])].add((measure, event))
    for i, (key, measure) in enumerate(zip(keys, measures)):
        found = specific.get((key, measure)) if histories.get(measure) == measure else None
        if found and len({m for m, _e in found}) == 1:
            measures[i] = next(iter(found))[0]
            named = {e for _m, e in found if e}
            if not events[i] and len(named) == 1:
                events[i] = next(iter(named))
    return measures, events


def _heading_sentences(sentences: pd.DataFrame | None) -> set[str]:
    if sentences is None or not len(sentences) or "kind" not in sentences:
        return set()
    return {str(sid) for sid, kind in zip(sentences["sentence_id"], sentences["kind"]) if kind == "heading"}


def _headline_amount_typed_as_body(figures: pd.DataFrame, headings: set[str]) -> list[str]:
    """measure per figure: an amount in a headline ("Brightloom to Pay $90 Million for
    Misleading Investors", telegraphic, typed `funding` by "investors") takes the measure its
    article's body gives the same amount ("has agreed to pay $90 million to settle charges":
    `fine_penalty`), when the body types it one way only."""
    measures = [str(m or "") for m in figures["measure"].tolist()]
    if not headings:
        return measures
    keys = list(zip(figures["article_id"].tolist(), figures["currency"].fillna("").tolist(),
                    figures["low"].tolist(), figures["high"].tolist(), figures["kind"].tolist()))
    in_heading = [str(sid) in headings for sid in figures["sentence_id"].tolist()]
    body: dict[tuple, set[str]] = defaultdict(set)
    for key, measure, heading in zip(keys, measures, in_heading):
        if not heading and measure != "other":
            body[key].add(measure)
    for i, (key, heading) in enumerate(zip(keys, in_heading)):
        found = body.get(key) if heading else None
        if found and len(found) == 1:
            measures[i] = next(iter(found))
    return measures


def _with_product(item: str, product: str) -> str:
    """The figure's item naming the product it is about: the product itself when the item is
    no more than the counted word ("parameters"), else "business customers of Fern-2"."""
    if not product or product.lower() in item.lower():
        return item
    return f"{item} of {product}" if len(item.split()) > 1 else product


def _sentence_quotes(figures: pd.DataFrame, sentences: pd.DataFrame | None) -> dict[str, tuple[str, int, str]]:
    """sentence_id -> (article_id, start, quote) of every sentence (the figures' sentences when
    the sentence table is not given)."""
    source = sentences if sentences is not None and len(sentences) else figures
    out: dict[str, tuple[str, int, str]] = {}
    for sid, aid, start, quote in zip(*(source[c].tolist() for c in ("sentence_id", "article_id", "start", "quote"))):
        out.setdefault(str(sid), (str(aid), int(start), str(quote)))
    return out


def _previous_sentences(quotes: dict[str, tuple[str, int, str]]) -> dict[str, tuple[str, int, str]]:
    """sentence_id -> (sentence_id, start, quote) of the sentence before it in its article."""
    out: dict[str, tuple[str, int, str]] = {}
    last_article, last = None, None
    for aid, start, sid in sorted((a, st, sid) for sid, (a, st, _q) in quotes.items()):
        if aid == last_article and last is not None:
            out[sid] = last
        last_article, last = aid, (sid, start, quotes[sid][2])
    return out


def _mention_spans(mentions: pd.DataFrame | None) -> dict[str, list[tuple[int, int]]]:
    """sentence_id -> spans of its mentions of any kind (places too)."""
    out: dict[str, list[tuple[int, int]]] = defaultdict(list)
    if mentions is not None and len(mentions):
        for sid, s, e in zip(mentions["sentence_id"].tolist(), mentions["start"].tolist(), mentions["end"].tolist()):
            out[str(sid)].append((int(s), int(e)))
    return out


def _names_unknown_before(prev: tuple[str, int, str], spans: list[tuple[int, int]],
                          cands: list["Candidate"], rules: dict) -> bool:
    """Whether the sentence before names capitalised names that are no known mention and no
    company or organisation a pronoun could stand for ("Founded in 2013, Xiaohongshu is ...")."""
    if any(c.kind in rules["reference_kinds"] and c.role in (CORE, SPEAKER) for c in cands):
        return False
    _sid, start, quote = prev
    if rules["re_reference"].search(quote):
        return False   # "The company says ... It makes money from ...": the same referent
    return _unknown_names(quote, [(a - start, b - start) for a, b in spans], rules)


def _role(quote: str, base: int, s: int, e: int, kind: str, prev: Candidate | None, rules: dict) -> str:
    rel_s, rel_e = s - base, e - base
    if rules["re_speaker_after"].match(quote, rel_e):
        if (kind in rules["reference_kinds"] and rules["re_results"] is not None
                and rules["re_results"].match(quote, rel_e)):
            return CORE    # "Quorvex reported first-quarter sales of $208 million": its own figures
        return SPEAKER
    before = quote[max(0, rel_s - 30):rel_s]
    if rules["re_speaker_before"].search(before) or rules["re_speaker_inverted"].search(before):
        return SPEAKER
    if rules["re_owner_before"] is not None and rules["re_owner_before"].search(before):
        return CORE      # "Shares in Calvora fell 4.2%": whose shares moved
    if rules["re_oblique"].search(before) or (kind in rules["place_kinds"] and rules["re_oblique_place"].search(before)):
        return OBLIQUE
    if (prev is not None and prev.role == OBLIQUE
            and rules["re_coordination"].fullmatch(quote, prev.end - base, rel_s)):
        return OBLIQUE   # "similar to Instagram and Pinterest"
    if kind in rules["acting_kinds"] and not rules["re_possessive"].match(quote, rel_e):
        return ACTING
    return CORE


def _owners(mentions: pd.DataFrame | None, entities: pd.DataFrame | None) -> dict[str, str]:
    """Model or product name -> its owner, person -> the organisation the text ties them to
    ("Kestrel founder Zhou Ming"): the entities table's, else what most of its mentions state."""
    out: dict[str, str] = {}
    if entities is not None and len(entities) and "organisation" in entities:
        out.update((str(n), str(o)) for n, k, o in zip(entities["name"], entities["kind"],
                                                       entities["organisation"].fillna(""))
                   if o and k in _rules()["person_kinds"])
    if entities is not None and len(entities) and "owner" in entities:
        out.update((str(n), str(o)) for n, o in zip(entities["name"], entities["owner"].fillna("")) if o)
    if mentions is not None and len(mentions) and "owner" in mentions:
        counts: dict[str, Counter] = defaultdict(Counter)
        for name, owner in zip(mentions["name"].astype(str), mentions["owner"].fillna("").astype(str)):
            if owner and name not in out:
                counts[name][owner] += 1
        for name, c in counts.items():
            out[name] = sorted(c.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]
    return out


def _candidates(mentions: pd.DataFrame | None, quotes: dict[str, tuple[str, int, str]],
                owners: dict[str, str], rules: dict):
    """(sentence_id -> [Candidate] sorted, with roles; article_id -> _Article)."""
    raw: dict[str, list[tuple]] = defaultdict(list)
    if mentions is not None and len(mentions):
        for sid, s, e, name, kind in zip(*(mentions[c].tolist() for c in (
                "sentence_id", "start", "end", "name", "kind"))):
            if kind in rules["kinds"] or kind in rules["place_kinds"]:
                raw[sid].append((int(s), int(e), str(name), str(kind), owners.get(str(name), "")))
    # market names ("S&P 500") are subjects too; an entity mention wins where it overlaps,
    # unless the market name covers it ("The Nasdaq Composite fell": the index, not the
    # exchange operator, so no "the company" later stands for it)
    if rules["re_market"] is not None:
        for sid, (_aid, start, quote) in quotes.items():
            listings = entities_mod.listing_spans(quote)
            for m in rules["re_market"].finditer(quote):
                if any(a <= m.start() < b for a, b in listings):
                    continue   # "(Nasdaq Copenhagen: ACME)": where it is listed, not a subject
                s, e = start + m.start(), start + m.end()
                overlapping = [r for r in raw[sid] if r[0] < e and s < r[1]]
                if overlapping and not all(s <= r[0] and r[1] <= e for r in overlapping):
                    continue
                raw[sid] = [r for r in raw[sid] if r not in overlapping]
                raw[sid].append((s, e, m.group(0), "market", ""))
    by_sent: dict[str, list[Candidate]] = {}
    refs: dict[str, list[tuple[int, str]]] = defaultdict(list)
    article_of = {sid: aid for sid, (aid, _start, _quote) in quotes.items()}
    if mentions is not None and len(mentions):
        for sid, aid in zip(mentions["sentence_id"].tolist(), mentions["article_id"].tolist()):
            article_of.setdefault(sid, aid)
    for sid, items in raw.items():
        items.sort()
        _aid, base, quote = quotes.get(sid, ("", None, ""))
        aid = article_of[sid]
        out: list[Candidate] = []
        for s, e, name, kind, owner in items:
            role = CORE if base is None else _role(quote, base, s, e, kind, out[-1] if out else None, rules)
            out.append(Candidate(s, e, name, kind, owner, role))
        by_sent[sid] = out
        refs[aid].extend((c.start, c.name) for c in out
                         if c.kind in rules["reference_kinds"] and c.role in (CORE, SPEAKER)
                         and not _cited_source(quote, base, c, rules))
    subject = frozenset(mentions.loc[mentions["is_subject"].astype(bool), "name"].astype(str)) \
        if mentions is not None and len(mentions) and "is_subject" in mentions else frozenset()
    by_article = {aid: _Article([s for s, _ in sorted(pairs)], [n for _, n in sorted(pairs)], subject)
                  for aid, pairs in refs.items()}
    return by_sent, by_article


def _cited_source(quote: str, base: int | None, c: Candidate, rules: dict) -> bool:
    """Whether the candidate is only cited as a source ("according to X", "an analyst at X"):
    a later "the company" or "it" is not about it."""
    if base is None or c.role != SPEAKER:
        return False
    return bool(rules["re_speaker_before"].search(quote[max(0, c.start - base - 30):c.start - base]))


def _subject(quote: str, base: int, ms: int, me: int, measure: str, cands: list[Candidate],
             article: _Article | None, previous_unknown: bool, rules: dict,
             opens_unknown: bool = False) -> tuple[str, str]:
    """(subject, product): whose figure it is ("" = not resolved) and the model or product
    that stands for it ("" = none). `opens_unknown`: the sentence names, before its first
    figure (where its subject is), someone who is no candidate."""
    signoff = rules["re_signoff"].search(quote) if rules["re_signoff"] is not None else None
    limit = base + signoff.start() if signoff else base + len(quote)
    usable = [_team_as_organisation(quote, base, c, rules, article) for c in cands
              if c.start < limit and c.role != SPEAKER
              and (c.kind not in rules["place_kinds"] or measure in rules["place_measures"])
              and not _approves(quote, base, c, ms, measure, cands, rules)
              and not _acquired(quote, base, c, measure, rules)]
    by_start = {c.start: c for c in usable}
    # a name right after the figure is what it modifies
    for c in usable:
        if me <= c.start <= me + MODIFIER_GAP:
            return _owner_of(c)
    # a relative clause is about the name right before it ("Quillfern, which raised $450 million")
    for c in reversed(usable):
        if c.end <= ms:
            if rules["re_relative"].fullmatch(quote, c.end - base, ms - base):
                return _owner_of(c)
            break
    # a link word or an inverse comparison after the figure points at the name that follows
    rel_me = me - base
    for measures, regex in rules["after_links"]:
        if measure in measures:
            m = regex.match(quote, rel_me)
            if m and base + m.end() in by_start:
                return _owner_of(by_start[base + m.end()])
    if rules["re_inverse"] is not None:
        m = rules["re_inverse"].search(quote, rel_me)
        if m and base + m.end() in by_start:
            return _owner_of(by_start[base + m.end()])
    # "FTC Imposes $5 Billion Penalty and New Restrictions on Brightloom": with no one named
    # before it, a fine is on the one it is imposed on, later in the sentence
    if measure in rules["target_measures"] and not any(c.role == CORE and c.end <= ms for c in usable):
        for c in usable:
            if c.start >= me and c.role == OBLIQUE and rules["re_target"].search(quote, max(0, c.start - base - 12), c.start - base):
                return _owner_of(c)
    best, best_dist = None, None
    for c in usable:
        if c.role == ACTING and measure in rules["place_measures"]:
            c = Candidate(c.start, c.end, c.name, c.kind, c.owner, CORE)  # the giver of a grant
        if c.role != CORE or (c.kind in rules["person_kinds"] and measure in rules["implicit_measures"]):
            continue   # a person has no revenue, funding or training budget of his own here
        if c.end <= ms:
            dist = ms - c.end
        elif c.start >= me:
            if rules["re_after_break"] is not None and rules["re_after_break"].search(quote, me - base, c.start - base):
                continue   # "... cost 2.6 billion euros, of which the Dutch state is covering ..."
            dist = rules["after_weight"] * (c.start - me)
        else:
            continue
        if best_dist is None or dist < best_dist:
            best, best_dist = c, dist
    if best is not None and best.end <= ms and _COUNTED_HEAD.search(quote, max(0, best.start - base - 60), ms - base):
        # "over 500 derivative models of R1 that have racked up 2.5 million downloads": the
        # figure is the counted things' (the models'), not the name before them
        return "", ""
    # a reference ("the startup", "its") nearer than any name before the figure; in a sentence
    # that names no one, a reference anywhere in it ("..., a record for the company")
    ref = None
    for m in rules["re_reference"].finditer(quote, 0, ms - base):
        ref = m
    if ref is None and best is None and not opens_unknown:
        # (not when the sentence opens with someone not known: "An index of US software
        # stocks fell 2.4%, its biggest drop")
        ref = rules["re_reference"].search(quote, me - base)
    if ref is not None and (best_dist is None or abs(ms - (base + ref.end())) < best_dist):
        return _antecedent(quote, base, _described_earlier(quote, base, ref, cands, rules), cands,
                           article, previous_unknown, rules, measure), ""
    if best is not None:
        return _owner_of(best)
    # no one named: the article's current company, unless a capitalised name before the
    # sentence's first figure may be whose figure it is
    if (measure in rules["implicit_measures"] or measure in rules["implicit_also"]) and not opens_unknown:
        return _earlier(article, base, leading=True), ""
    return "", ""


def _approves(quote: str, base: int, c: Candidate, ms: int, measure: str, cands: list[Candidate],
              rules: dict) -> bool:
    """Whether the candidate only approves the figure's aid or deal ("the European Commission
    approved €520mn in Dutch state aid", "Brussels cleared the subsidy"): an approval verb after
    it, before the figure, in its clause, with no other name between. The approver is not the
    giver (measures.yml `subjects.approvals`)."""
    if measure not in rules["approval_measures"] or rules["re_approval"] is None or c.end > ms:
        return False
    if any(c.end <= o.start < ms for o in cands):
        return False
    return bool(rules["re_approval"].match(quote[c.end - base:ms - base]))


def _acquired(quote: str, base: int, c: Candidate, measure: str, rules: dict) -> bool:
    """Whether the candidate is the company bought ("agreed to buy rebar maker Borealis for 285
    million euros"): not whose purchase price it is (measures.yml `subjects.acquisitions`)."""
    if measure not in rules["acquisition_measures"] or rules["re_acquired"] is None:
        return False
    return bool(rules["re_acquired"].search(quote[max(0, c.start - base - 80):c.start - base]))


# "<number> <a few words> of <name> that|which|who <up to eight words>" right before a figure:
# the figure belongs to the things counted ("500 models of R1 that ..."), see _subject
_COUNTED_HEAD = re.compile(r"\d[\d,.]*\s(?:[^\s,;:.!?]+\s){1,4}of\s(?:[^\s,;:.!?]+\s){1,3}"
                           r"(?:that|which|who)\s(?:[^\s,;:.!?]+\s){0,8}$")


def _team_as_organisation(quote: str, base: int, c: Candidate, rules: dict,
                          article: _Article | None) -> Candidate:
    """A person "and his team" (or company, engineers ...) stands for the organisation the text
    ties the person to ("Kestrel founder Zhou Ming and his team ... around $4 million" is
    Kestrel's); of several (a founder of a fund and of a lab), the one the article is about at
    that point; with none known the team is no one's (the person is passed over)."""
    if c.kind not in rules["person_kinds"] or rules["re_team"] is None:
        return c
    if not rules["re_team"].match(quote, c.end - base):
        return c
    organisations = [o.strip() for o in c.owner.split(";") if o.strip()]
    if len(organisations) > 1:
        current = _earlier(article, c.start)
        organisations = [o for o in organisations if o == current]
    if len(organisations) == 1:
        return Candidate(c.start, c.end, organisations[0], "company", "", c.role)
    return Candidate(c.start, c.end, "", "team", "", OBLIQUE)


def _described_earlier(quote: str, base: int, ref: re.Match, cands: list[Candidate], rules: dict) -> re.Match:
    """The reference a pronoun stands for when its sentence opened with a description and names
    no one between ("The company says it has 40,000 customers": "it" is "the company")."""
    if ref.group(0).lower() not in rules["pronouns"]:
        return ref
    first = rules["re_reference"].search(quote, 0, ref.start())
    if first is None or first.group(0).lower() in rules["pronouns"]:
        return ref
    if any(first.end() <= c.start - base < ref.start() for c in cands):
        return ref
    return first


def _owner_of(c: Candidate) -> tuple[str, str]:
    if c.kind in _rules()["product_kinds"] and c.owner:
        return c.owner, c.name
    return c.name, ""


def _antecedent(quote: str, base: int, ref: re.Match, cands: list[Candidate], article: _Article | None,
                previous_unknown: bool, rules: dict, measure: str = "") -> str:
    """What a reference stands for: the speaker of "X said it ...", else the article's last
    company or organisation (no oblique) before it; a pronoun does not reach back past a
    sentence that names unknown capitalised names. For what governments give
    (`place_measures`), "the Commerce Department said it would provide $6.6 billion" is the
    department's."""
    pronoun = ref.group(0).lower() in rules["pronouns"]
    if pronoun and measure in rules["place_measures"]:
        for c in reversed(cands):
            if c.end - base <= ref.start() and c.role != OBLIQUE:
                if c.kind in rules["acting_kinds"]:
                    return c.name   # "the Department of Commerce announced that it ..."
                break
    for c in reversed(cands):
        if c.end - base > ref.start() or c.kind not in rules["reference_kinds"] or c.role not in (CORE, SPEAKER):
            continue
        if c.role == SPEAKER and rules["re_self_reference"].fullmatch(quote, c.end - base, ref.start()):
            if pronoun:
                return c.name    # "Pennwick said it had ..."
            continue             # "Halden Insights estimated that the startup ...": someone else
        return c.name
    if pronoun and previous_unknown and ref.start() < 3:
        return ""   # "It ..." right after a sentence about someone not known
    # "it" is the last one named; "the company" the one the article is about so far (not a
    # rival named in passing in the sentence before)
    return _earlier(article, base, leading=not pronoun)


def _earlier(article: _Article | None, pos: int, leading: bool = False) -> str:
    """The article's last antecedent (company or organisation, no oblique) before `pos`; with
    `leading`, the one named most often before `pos` (ties: the latest of them)."""
    if article is None:
        return ""
    i = bisect.bisect_left(article.starts, pos) - 1
    return (article.leaders if leading else article.names)[i] if i >= 0 else ""


_ABBREVIATION_OF_NOUN = re.compile(r"(?<![\w'’-])[a-z][\w'’-]*[ \t]{1,2}\($")


def _unknown_names(text: str, spans: list[tuple[int, int]], rules: dict) -> bool:
    """Whether `text` has a capitalised word outside the given mention spans (offsets into
    `text`) that is no calendar word nor demonym ("European") and not just the sentence's first word (unless it is
    possessive: "China's new energy vehicle sales"), nor an abbreviation in brackets after a
    common noun ("chips from gallium nitride (GaN)")."""
    for m in _CAPITAL.finditer(text):
        word = m.group(0)
        if word in rules["calendar"] or rules["re_possessive"].sub("", word) in rules["calendar"]:
            continue
        if word in rules["demonyms"]:
            continue
        if _ABBREVIATION_OF_NOUN.search(text, max(0, m.start() - 30), m.start()):
            continue
        if not text[:m.start()].strip(" \t\"“‘'(") and not rules["re_possessive"].search(word):
            continue
        if any(a <= m.start() < b for a, b in spans):
            continue
        return True
    return False


def _periods(figures: pd.DataFrame, dates_by_sent: dict[str, list[tuple]], rules: dict) -> list[tuple | None]:
    """Per figure, (start, end, precision) of its period or None: the nearest date of its
    sentence, leaving out the dates of other events and, for a sum over a period, of the
    statement; the earlier value a figure is compared with gets its own (measures.yml
    `subjects.year_earlier`), and the dates after that value are not the figure's."""
    out: list[tuple | None] = [None] * len(figures)
    by_sent: dict[str, list[int]] = defaultdict(list)
    for i, sid in enumerate(figures["sentence_id"].tolist()):
        if sid in dates_by_sent:
            by_sent[sid].append(i)
    if not by_sent:
        return out
    cols = {c: figures[c].tolist() if c in figures else [""] * len(figures)
            for c in ("quote", "start", "mention_start", "mention_end", "kind", "currency", "measure")}
    window = rules["date_window"]
    for sid, rows in by_sent.items():
        rows.sort(key=lambda i: int(cols["mention_start"][i]))
        quote, base = str(cols["quote"][rows[0]]), int(cols["start"][rows[0]])
        dates = dates_by_sent[sid]
        other_events = dated.event_dates(quote, [(d[0] - base, d[1] - base) for d in dates])
        dates = [d for d in dates if (d[0] - base, d[1] - base) not in other_events]
        statements = {d for d in dates if _statement_date(quote, base, d, rules)}
        # the earlier value -> the figure compared with it: the one before it of its kind and
        # currency ("EUR 298 million ..., up 14% from EUR 261 million")
        baseline_of: dict[int, int] = {}
        last_of: dict[tuple, int] = {}
        for fig in rows:
            key = (cols["kind"][fig], str(cols["currency"][fig] or ""))
            prev = last_of.get(key)
            if prev is not None and figures_mod.compared_with(quote, int(cols["mention_end"][prev]) - base,
                                                             int(cols["mention_start"][fig]) - base):
                baseline_of[fig] = prev
            last_of[key] = fig
        following = {prev: fig for fig, prev in baseline_of.items()}
        for n, i in enumerate(rows):
            ms, me = int(cols["mention_start"][i]), int(cols["mention_end"][i])
            own = [d for d in dates if str(cols["measure"][i]) not in rules["summed_measures"] or d not in statements]
            if i in baseline_of:
                end = int(cols["mention_start"][rows[n + 1]]) if n + 1 < len(rows) else base + len(quote)
                after = quote[me - base:min(end, me + window) - base]
                if rules["re_year_earlier"] is not None and rules["re_year_earlier"].search(after):
                    out[i] = _year_before(out[baseline_of[i]])
                else:
                    out[i] = _period(ms, me, [d for d in own if me <= d[0] < end], window)
                continue
            # dates from the earlier value on are its own (also when it is no figure: "about 480
            # people, up from 410 at the end of last year")
            if i in following:
                later = int(cols["mention_start"][following[i]])
            else:
                cue_end = figures_mod.comparison_after(quote, me - base)
                later = None if cue_end is None else base + cue_end
            if later is not None:
                own = [d for d in own if d[1] <= later]
            # a figure of another measure between the date and this one is what the date is about
            # ("revenue rose to 48 million pounds in 2023 ..., and it had 2.1 million customers")
            others = [(int(cols["mention_start"][j]), int(cols["mention_end"][j])) for j in rows
                      if j != i and cols["measure"][j] != cols["measure"][i]]
            own = [d for d in own if not any(d[1] <= s and e <= ms or me <= s and e <= d[0] for s, e in others)]
            if str(cols["measure"][i]) in rules["summed_measures"]:
                # a sum over a period is not a day's: a day in its sentence ("reported fourth-quarter
                # net sales of ... on Thursday") is when it was told, unless no longer span is near
                out[i] = _period(ms, me, [d for d in own if d[4] != "day"], window) or _period(ms, me, own, window)
            else:
                out[i] = _period(ms, me, own, window)
    return out


def _statement_date(quote: str, base: int, mention: tuple, rules: dict) -> bool:
    """Whether the date mention is when something was said ("said last month that ...",
    "Calvora on Thursday reported ..."); a quarter never is ("reported fourth-quarter net sales":
    the period the sales are of)."""
    if rules["re_statement_before"] is None or mention[4] == "quarter":
        return False
    s, e = mention[0] - base, mention[1] - base
    return bool(rules["re_statement_before"].search(quote, max(0, s - 30), s)
                or rules["re_statement_after"].match(quote, e))


def _year_before(period: tuple | None) -> tuple | None:
    """The same period a year earlier ("the same quarter last year")."""
    if not period:
        return None
    def back(d: str) -> str:
        day = date.fromisoformat(d)
        return str(day.replace(year=day.year - 1))
    try:
        return tuple(back(d) if d else d for d in period[:2]) + tuple(period[2:])
    except ValueError:   # 29 February
        return None


def _period(ms: int, me: int, dates: list[tuple], window: int) -> tuple[str, str] | None:
    best, best_dist = None, None
    for s, e, d, de, _p in dates:
        dist = ms - e if e <= ms else (s - me if s >= me else 0)
        if dist <= window and (best_dist is None or dist < best_dist):
            best, best_dist = (d, de or d, _p), dist
    return best


def _dated_event(measure: str, period: tuple | None, rules: dict) -> str:
    if not period:
        return ""
    for measures, precisions, prefix, key in rules["dated_events"]:
        if measure in measures and period[2] in precisions:
            return f"{prefix} {period[0] if period[2] == 'day' and key != 'month' else period[0][:7]}"
    return ""
