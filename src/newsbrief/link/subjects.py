"""Whose figure it is, and when: fill figures.subject, period_start/period_end, dated events
and `resolved` from the entity mentions and date mentions of the figure's article.

Rules (vocabulary in ``data/knowledge/measures.yml``, section ``subjects``):

* Subject candidates are the sentence's mentions of the kinds listed, plus market names
  ("S&P 500"). A mention after a sign-off ("Reporting by ..."), or used as a speaker or source
  ("..., Wang said", "according to Forbes"), is never a subject.
* A name right after the figure is what the figure modifies ("a $10 billion Azure deal").
* Per measure, a link word after the figure points at the subject ("wiped $600 billion off
  Nvidia's value"); an inverse comparison names it ("... more expensive than Kestrel").
* Otherwise the nearest name before the figure; a reference ("the startup", "its") nearer
  than any name (or, in a sentence naming no one, anywhere in it) stands for the last company
  or organisation the article named before the sentence;
  a name after the figure counts at ``after_weight`` times its distance.
* The period is the nearest date mention of the sentence (within ``date_window`` characters);
  measures with ``dated_events`` get the event "<prefix> <date>" ("trading day 2025-01-27").
* ``resolved`` = the measure is not ``other`` and the subject is known. Only resolved figures
  are compared, charted or ranked downstream.

Each figure looks only at its own sentence's mentions and dates and at a per-article sorted list
of earlier names (bisection), so the cost is linear in the number of figures and mentions.
"""
from __future__ import annotations

import bisect
import re
from collections import defaultdict
from functools import lru_cache

import pandas as pd

from newsbrief import knowledge

MODIFIER_GAP = 2     # characters (spaces) allowed between the figure and the name it modifies
_WORD_RE = re.compile(r"[A-Za-z]")


@lru_cache(maxsize=None)
def _rules() -> dict:
    data = knowledge.load("measures") or {}
    subj = data.get("subjects") or {}
    alt = knowledge.alternation

    def words(key: str) -> str:
        return alt(subj.get(key) or [])

    return {
        "kinds": frozenset(subj.get("kinds") or []),
        "reference_kinds": frozenset(subj.get("reference_kinds") or []),
        "re_market": re.compile(r"(?<![\w])(?:" + "|".join(subj.get("markets") or []) + r")(?![\w])")
        if subj.get("markets") else None,
        "re_speaker_after": re.compile(r"[\s,]{0,3}(?:" + words("speaker_after") + r")\b", re.IGNORECASE),
        "re_speaker_before": re.compile(r"\b(?:" + words("speaker_before") + r")[\s]{1,3}(?:the\s{1,2})?$", re.IGNORECASE),
        "re_signoff": re.compile(subj["signoff"]) if subj.get("signoff") else None,
        "after_links": [(frozenset(r.get("measures") or []),
                         re.compile(r"[\s]{1,3}(?:" + alt(r["words"]) + r")[\s]{1,3}(?:the[\s]{1,2})?",
                                    re.IGNORECASE))
                        for r in subj.get("after_links") or []],
        "re_inverse": re.compile(r"\b(?:" + words("inverse_comparison") + r")[\s]{1,3}(?:the[\s]{1,2})?",
                                 re.IGNORECASE) if subj.get("inverse_comparison") else None,
        "re_reference": re.compile(r"\b(?:" + words("references") + r")\b", re.IGNORECASE),
        "after_weight": float(subj.get("after_weight", 2)),
        "date_window": int(subj.get("date_window", 80)),
        "dated_events": [(frozenset(r.get("measures") or []), frozenset(r.get("precision") or []),
                          str(r["prefix"])) for r in data.get("dated_events") or []],
    }


def type_figures(figures: pd.DataFrame, mentions: pd.DataFrame | None,
                 dates: pd.DataFrame | None = None) -> pd.DataFrame:
    """Figures with subject, period_start, period_end, event (dated ones) and resolved filled in.

    Args:
        figures: figure rows (``figures.extract_figures``), offsets into the article text.
        mentions: entity mention rows with sentence_id, article_id, start, end, name, kind.
        dates: date mention rows with sentence_id, mention_start, mention_end, date, date_end,
            precision (may be None).
    Returns:
        a copy of ``figures``; a subject already set is kept.
    """
    figures = figures.copy()
    if figures.empty:
        return figures
    rules = _rules()
    by_sent, by_article = _candidates(mentions, figures, rules)
    dates_by_sent: dict[str, list[tuple]] = defaultdict(list)
    if dates is not None and len(dates):
        for sid, s, e, d, de, p in zip(*(dates[c].tolist() for c in (
                "sentence_id", "mention_start", "mention_end", "date", "date_end", "precision"))):
            dates_by_sent[sid].append((int(s), int(e), str(d), str(de), str(p)))
    cols = {c: figures[c].tolist() for c in ("sentence_id", "article_id", "start", "quote",
                                            "mention_start", "mention_end", "measure", "subject",
                                            "event")}
    subjects, starts, ends, events = [], [], [], []
    for i in range(len(figures)):
        sid, aid = cols["sentence_id"][i], cols["article_id"][i]
        ms, me = int(cols["mention_start"][i]), int(cols["mention_end"][i])
        measure = str(cols["measure"][i] or "")
        subject = str(cols["subject"][i] or "") or _subject(
            cols["quote"][i], int(cols["start"][i]), ms, me, measure, by_sent.get(sid, []),
            by_article.get(aid), rules)
        period = _period(ms, me, dates_by_sent.get(sid, []), rules["date_window"])
        event = str(cols["event"][i] or "") or _dated_event(measure, period, rules)
        subjects.append(subject)
        starts.append(period[0] if period else "")
        ends.append(period[1] if period else "")
        events.append(event)
    figures["subject"] = subjects
    figures["period_start"] = starts
    figures["period_end"] = ends
    figures["event"] = events
    figures["resolved"] = [bool(s) and str(m or "other") != "other"
                           for s, m in zip(subjects, figures["measure"].tolist())]
    return figures


def _candidates(mentions: pd.DataFrame | None, figures: pd.DataFrame, rules: dict):
    """(sentence_id -> [(start, end, name, kind)] usable as subjects, sorted;
    article_id -> (starts, names) of the company/organisation names, for references)."""
    by_sent: dict[str, list[tuple]] = defaultdict(list)
    if mentions is not None and len(mentions):
        for sid, s, e, name, kind in zip(*(mentions[c].tolist() for c in (
                "sentence_id", "start", "end", "name", "kind"))):
            if kind in rules["kinds"]:
                by_sent[sid].append((int(s), int(e), str(name), str(kind)))
    # market names ("S&P 500") are subjects too; entity mentions win where they overlap
    if rules["re_market"] is not None:
        seen = set()
        for sid, start, quote in zip(*(figures[c].tolist() for c in ("sentence_id", "start", "quote"))):
            if sid in seen:
                continue
            seen.add(sid)
            for m in rules["re_market"].finditer(quote):
                s, e = int(start) + m.start(), int(start) + m.end()
                if not any(a < e and s < b for a, b, _n, _k in by_sent[sid]):
                    by_sent[sid].append((s, e, m.group(0), "market"))
    by_article: dict[str, tuple[list[int], list[str]]] = {}
    refs: dict[str, list[tuple[int, str]]] = defaultdict(list)
    article_of = dict(zip(figures["sentence_id"].tolist(), figures["article_id"].tolist()))
    if mentions is not None and len(mentions):
        article_of.update(zip(mentions["sentence_id"].tolist(), mentions["article_id"].tolist()))
    for sid, items in by_sent.items():
        items.sort()
        aid = article_of[sid]
        refs[aid].extend((s, n) for s, _e, n, k in items if k in rules["reference_kinds"])
    for aid, pairs in refs.items():
        pairs.sort()
        by_article[aid] = ([s for s, _ in pairs], [n for _, n in pairs])
    return by_sent, by_article


def _subject(quote: str, base: int, ms: int, me: int, measure: str, cands: list[tuple],
             earlier: tuple[list[int], list[str]] | None, rules: dict) -> str:
    signoff = rules["re_signoff"].search(quote) if rules["re_signoff"] is not None else None
    limit = base + signoff.start() if signoff else base + len(quote)
    usable = []
    for s, e, name, kind in cands:
        if s >= limit:
            continue
        if rules["re_speaker_after"].match(quote, e - base):
            continue
        if rules["re_speaker_before"].search(quote, max(0, s - base - 25), s - base):
            continue
        usable.append((s, e, name, kind))
    by_start = {s: name for s, _e, name, _k in usable}
    # a name right after the figure is what it modifies
    for s, _e, name, _k in usable:
        if me <= s <= me + MODIFIER_GAP:
            return name
    # a link word or an inverse comparison after the figure points at the name that follows
    rel_me = me - base
    for measures, regex in rules["after_links"]:
        if measure in measures:
            m = regex.match(quote, rel_me)
            if m and base + m.end() in by_start:
                return by_start[base + m.end()]
    if rules["re_inverse"] is not None:
        m = rules["re_inverse"].search(quote, rel_me)
        if m and base + m.end() in by_start:
            return by_start[base + m.end()]
    best, best_dist = "", None
    for s, e, name, _k in usable:
        if e <= ms:
            dist = ms - e
        elif s >= me:
            dist = rules["after_weight"] * (s - me)
        else:
            continue
        if best_dist is None or dist < best_dist:
            best, best_dist = name, dist
    # a reference ("the startup", "its") nearer than any name before the figure; in a sentence
    # that names no one, a reference anywhere in it ("..., a record for the company")
    ref = None
    for m in rules["re_reference"].finditer(quote, 0, ms - base):
        ref = m
    if ref is None and not usable:
        ref = rules["re_reference"].search(quote, me - base)
    if ref is not None and earlier is not None:
        ref_dist = abs(ms - (base + ref.end()))
        if best_dist is None or ref_dist < best_dist:
            starts, names = earlier
            i = bisect.bisect_left(starts, base + min(ref.start(), ms - base)) - 1
            if i >= 0:
                return names[i]
    return best


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
    for measures, precisions, prefix in rules["dated_events"]:
        if measure in measures and period[2] in precisions:
            return f"{prefix} {period[0] if period[2] == 'day' else period[0][:7]}"
    return ""
