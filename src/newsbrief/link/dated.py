"""Dated facts: date mentions that date a kind of event (a founding, a stock-market listing) for
an organisation (dates.yml `date_events`); sources that date one differently disagree
(`link.disagreements`)."""
from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache

import pandas as pd

from newsbrief import knowledge
from newsbrief.link.similarity import column_lists


ORGANISATION_KINDS = ("company", "organisation")


@dataclass(frozen=True)
class DateEventKind:
    name: str
    measure: str
    label: str
    cues: tuple[tuple[re.Pattern, str], ...]   # (cue, "before" | "after": where its subject is)


@lru_cache(maxsize=None)
def _date_event_rules() -> tuple[int, tuple[DateEventKind, ...], tuple[str, ...]]:
    conf = knowledge.load("dates").get("date_events") or {}
    kinds = tuple(DateEventKind(name, str(k["measure"]), str(k.get("label") or name),
                                tuple((re.compile(c["pattern"], re.I), str(c.get("subject", "before")))
                                      for c in k.get("cues") or []))
                  for name, k in (conf.get("kinds") or {}).items())
    # the company's descriptions: entities.yml's and those figures refer back with ("the airline
    # was founded in 2012"), not the pronouns ("it" may be someone else)
    subj = (knowledge.load("measures") or {}).get("subjects") or {}
    pronouns = {str(p).lower() for p in subj.get("pronouns") or []}
    refs = tuple(dict.fromkeys(str(r).lower() for r in [*(knowledge.load("entities").get("subject_references") or []),
                                                         *(subj.get("references") or [])]
                               if str(r).lower() not in pronouns))
    return int(conf.get("max_gap", 60)), kinds, refs


def _cue_subject(orgs: list[tuple[int, int, str]], quote: str, base: int, cue: tuple[int, int],
                 side: str, refs: tuple[str, ...], company: str) -> str:
    """The organisation the cue dates: the last named before it or the first named after it;
    else the company when a reference ("the company") stands on that side; else ""."""
    if side == "before":
        named = [o for o in orgs if o[1] <= cue[0]]
        if named:
            return max(named)[2]
        text = quote[:cue[0] - base].lower()
    else:
        named = [o for o in orgs if o[0] >= cue[1]]
        if named:
            return min(named)[2]
        text = quote[cue[1] - base:].lower()
    return company if any(re.search(rf"\b{re.escape(r)}\b", text) for r in refs) else ""


def dated_facts(dates: pd.DataFrame | None, mentions: pd.DataFrame | None,
                company: str) -> list[dict]:
    """Date mentions that date a kind of event for an organisation (dates.yml `date_events`):
    one dict per (sentence, kind) with kind, measure, label, subject and the date row's
    fields. Relative dates are left out; so is a date whose organisation is not clear."""
    if dates is None or dates.empty:
        return []
    max_gap, kinds, refs = _date_event_rules()
    orgs: dict[str, list[tuple[int, int, str]]] = defaultdict(list)
    if mentions is not None and len(mentions):
        for sid, start, end, name, kind in zip(*column_lists(mentions, "sentence_id", "start", "end",
                                                              "name", "kind")):
            if kind in ORGANISATION_KINDS:
                orgs[sid].append((int(start), int(end), str(name)))
    by_sentence: dict[str, list[dict]] = defaultdict(list)
    for r in dates.to_dict("records"):
        if not bool(r.get("relative")):
            by_sentence[r["sentence_id"]].append(r)
    out = []
    for sid in sorted(by_sentence):
        rows = by_sentence[sid]
        quote, base = str(rows[0]["quote"]), int(rows[0]["start"])
        for kind in kinds:
            for cue_rx, side in kind.cues:
                m = cue_rx.search(quote)
                if not m:
                    continue
                cue = (base + m.start(), base + m.end())

                def gap(d: dict) -> int:
                    return max(int(d["mention_start"]) - cue[1], cue[0] - int(d["mention_end"]), 0)
                # the date after the cue first ("founded in 2011 and floated its shares in
                # Lisbon in 2019": the listing's date is 2019), else the nearest before it
                near = [d for d in rows if gap(d) <= max_gap]
                date = min(near, key=lambda d: (int(d["mention_start"]) < cue[1], gap(d),
                                                int(d["mention_start"])), default=None)
                subject = _cue_subject(orgs.get(sid, []), quote, base, cue, side, refs, company)
                if date is not None and subject:
                    out.append({**date, "kind": kind.name, "measure": kind.measure,
                                "label": kind.label, "subject": subject})
                break   # the first cue that matches decides
    return out


def event_dates(quote: str, spans: list[tuple[int, int]]) -> set[tuple[int, int]]:
    """Of the date mention spans of one sentence (offsets into `quote`), those that date a
    founding, a listing or another dates.yml `date_events` kind: the first date after each cue,
    within `max_gap` characters ("Calvora, which was founded in 2011 and floated its shares in
    Lisbon in 2019, operates 58 aircraft": 2011 and 2019 date no fleet)."""
    max_gap, kinds, _refs = _date_event_rules()
    ordered = sorted(spans)
    out = set()
    for kind in kinds:
        for cue_rx, _side in kind.cues:
            for m in cue_rx.finditer(quote):
                after = next((sp for sp in ordered if sp[0] >= m.end()), None)
                if after is not None and after[0] - m.end() <= max_gap:
                    out.add(after)
    return out
