"""Find date mentions in sentences and normalise them to a period.

Each mention becomes a row with ``date`` (ISO first day of the period), ``date_end`` (ISO last
day), ``precision`` (``day``/``week``/``month``/``season``/``quarter``/``year``; week periods such
as "last week" keep their Monday-Sunday range and get ``week_precision`` from dates.yml), ``relative``
(True when it needed the publication date to resolve) and ``anchor`` (the publication date used,
ISO, or "").

Phrases recognised (vocabulary in ``data/knowledge/dates.yml``):

* absolute: "January 21, 2025", "Monday, January 27" (day), "21 January 2025", "2025-01-21",
  "March 2023" (month), "spring 2024" (season), "late 2022"/"mid-2023" (season = part of a
  year; late = Sep-Dec), "Q4 2024"/"the fourth quarter of 2024" (quarter), "in 2015"/"since
  2022" (year; a bare year needs a preposition before it);
* relative to ``published``: "last month", "earlier this month", "last week", "last year",
  "this year", "late last year", "on Thursday"/"Monday" (the most recent such weekday on or
  before the publication date; "last Monday" strictly before), "on Tuesday (Feb 18)" (one day:
  the Feb 18 near the publication date that was a Tuesday), "last spring" (the most recent
  spring that ended before the publication date), "in January" (the most recent January on or
  before the publication month), "second-quarter revenue"/"Q2" without a year (the most recent
  such quarter that began on or before the publication date: a results story of August reports
  the second quarter just ended, an outlook of April the quarter under way), "the three months
  to the end of March"/"the year to June 2025" (the months ending with that one), "two weeks ago",
  and day-month dates without a year.

If ``published`` is None, relative mentions and year-less absolute dates are skipped.
Month and weekday names are case-sensitive (capitalised), so the verb "may" and "We" are not
dates; numbers glued to letters ("H100s") or without a month/preposition ("a 67") are not dates.
All regular expressions are bounded alternations of literal words, so the scan is linear.
"""
from __future__ import annotations

import calendar
import datetime as _dt
import re
from functools import lru_cache
from typing import Iterable

from newsbrief import ids, knowledge
from newsbrief.extract.gates import Gated, LiteralGate
from newsbrief.ingest import infer_meta

_YEAR = r"(1[89]\d\d|20\d\d|2100)"


_alt = knowledge.alternation
_key = knowledge.vocab_key


@lru_cache(maxsize=None)
def _vocab() -> dict:
    d = knowledge.load("dates") or {}
    months = {str(k): int(v) for k, v in (d.get("months") or {}).items()}
    abbrs = {str(k): int(v) for k, v in (d.get("month_abbreviations") or {}).items()}
    weekdays = {str(k): int(v) for k, v in (d.get("weekdays") or {}).items()}
    seasons = {str(k).lower(): tuple(v) for k, v in (d.get("seasons") or {}).items()}
    parts = {str(k).lower(): tuple(v) for k, v in (d.get("parts_of_year") or {}).items()}
    quarters = {str(k).lower(): int(v) for k, v in (d.get("quarters") or {}).items()}
    rel = {str(r["phrase"]).lower(): r for r in d.get("relative_phrases") or []}
    numw = {str(k).lower(): int(v) for k, v in (d.get("number_words") or {}).items()}
    ago = {str(k).lower(): str(v) for k, v in (d.get("ago_units") or {}).items()}
    all_months = {**abbrs, **months}
    m_full = _alt(months)
    m_any = r"(?:" + _alt(months) + "|" + r"(?:" + _alt(abbrs) + r")\.?" + r")"
    wd = _alt(weekdays)
    day = r"([0-3]?\d)(?:st|nd|rd|th)?"
    quarter_names = _alt(quarters).replace(r"\ ", "[ -]")   # "first quarter", "first-quarter"
    return {
        "months": months, "all_months": all_months, "weekdays": weekdays, "seasons": seasons,
        "parts": parts, "quarters": quarters, "rel": rel, "numw": numw, "ago": ago,
        "ambiguous": set(d.get("ambiguous_months") or []),
        "ambiguous_safe": {str(w).lower() for w in d.get("ambiguous_month_prepositions") or []},
        "max_future": int(d.get("max_future_days", 60)),
        "relative_in_quotes": bool(d.get("resolve_relative_in_quotes", False)),
        "week_precision": str(d.get("week_precision", "day")),
        "wd_before": {w.lower() for w in d.get("weekday_before_words") or []},
        "wd_after": {w.lower() for w in d.get("weekday_after_words") or []},
        "future_re": re.compile(r"(?i)\b(?:" + _alt(d.get("month_future_cues") or ["will"]) + r")\b"),
        "forward": {str(w).lower() for w in d.get("month_forward_prepositions") or []},
        # ordered: most specific first; each yields (kind, match)
        "patterns": [
            ("wd_paren", infer_meta.weekday_date_pattern()),
            ("iso", re.compile(r"(?<![\w-])" + _YEAR + r"-(0[1-9]|1[0-2])-([0-3]\d)(?![\w-])")),
            ("mdy", re.compile(r"(?:(?:\b[Oo]n[ \t]{1,3})?\b(" + wd + r"),?[ \t]{1,3})?\b(" + m_any + r")[ \t]{1,3}" + day
                               + r"(?![\d:])(?:,?[ \t]{1,3}" + _YEAR + r"(?!\d))?")),
            ("dmy", re.compile(r"(?:(?:\b[Oo]n[ \t]{1,3})?\b(" + wd + r"),?[ \t]{1,3})?\b" + day + r"[ \t]{1,3}(" + m_any
                               + r")(?:,?[ \t]{1,3}" + _YEAR + r"(?!\d))?")),
            ("my", re.compile(r"\b(" + m_any + r"),?[ \t]{1,3}(?:of[ \t]{1,3})?" + _YEAR + r"(?!\d)")),
            ("part", re.compile(r"(?i:\b(" + _alt(parts) + r"))[ \t-]{1,3}" + _YEAR + r"(?!\d)")),
            ("season", re.compile(r"(?i:\b(" + _alt(seasons) + r"))[ \t]{1,3}(?:of[ \t]{1,3})?" + _YEAR + r"(?!\d)")),
            ("quarter", re.compile(r"(?i:\b(?:the[ \t]{1,3})?(" + quarter_names + r"))[ \t]{1,3}(?:of[ \t]{1,3})?" + _YEAR + r"(?!\d)")),
            ("months_to", re.compile(r"(?i:\b(?:(\d{1,2}|" + _alt(numw) + r")[ \t-]{1,3}months?|(year|twelve[ \t-]months))"
                                     r"[ \t]{1,3}(?:to|ended|ending)[ \t]{1,3}(?:the[ \t]{1,3}end[ \t]{1,3}of[ \t]{1,3})?)"
                                     r"(" + m_full + r")\b(?:[ \t]{1,3}[0-3]?\d\b)?(?:,?[ \t]{1,3}" + _YEAR + r"(?!\d))?")),
            ("rel_quarter", re.compile(r"(?i:\b(" + quarter_names + r"))\b"
                                       r"(?![ \t-]{1,3}(?:of[ \t]{1,3})?(?:1[89]|20)\d\d)")),
            ("rel_season", re.compile(r"(?i:\b(last|this|next)[ \t]{1,3}(" + _alt(seasons) + r"))\b")),
            ("rel", re.compile(r"(?i:\b(" + _alt(rel) + r"))\b")),
            ("ago", re.compile(r"(?i:\b(\d{1,3}|" + _alt(numw) + r")[ \t]{1,3}(" + _alt(ago) + r")[ \t]{1,3}ago)\b")),
            ("weekday", re.compile(r"(?i:\b(" + _alt(d.get("weekday_before_words") or []) + "|"
                                   + _alt(d.get("weekday_after_words") or []) + r"|on)[ \t]{1,3})?\b(" + wd + r")\b")),
            ("month_only", re.compile(r"(?i:\b(" + _alt(d.get("month_prepositions") or []) + r"))[ \t]{1,3}(" + m_full
                                      + r")\b(?![ \t]{0,3}(?:\d|of\b))")),
            ("year", re.compile("".join(rf"(?<!\b{re.escape(w)}\s)" for w in d.get("year_in_title_after") or [])
                                + r"(?i:\b(" + _alt(d.get("year_prepositions") or []) + r"))[ \t]{1,3}" + _YEAR
                                + r"(?![\d,.]\d|[\w%-]|[ \t]{1,3}(?:percent|per cent)\b)")),
        ],
    }


def _month_end(year: int, month: int) -> _dt.date:
    return _dt.date(year, month, calendar.monthrange(year, month)[1])


def _span_months(year: int, first: int, last: int) -> tuple[_dt.date, _dt.date]:
    if last < first:  # winter: Dec of `year` to Feb of next year
        return _dt.date(year, first, 1), _month_end(year + 1, last)
    return _dt.date(year, first, 1), _month_end(year, last)


def _shift_month(year: int, month: int, offset: int) -> tuple[int, int]:
    idx = year * 12 + (month - 1) + offset
    return idx // 12, idx % 12 + 1


def extract_dates(sentences: Iterable[dict], published: _dt.date | None) -> list[dict]:
    """Date-mention rows (see docs/ARCHITECTURE.md, table ``dates``)."""
    if isinstance(published, _dt.datetime):
        published = published.date()
    if isinstance(published, str):
        published = _dt.date.fromisoformat(published) if published else None
    rows: list[dict] = []
    unique = ids.Uniquer()
    keep_quoted = _vocab()["relative_in_quotes"]
    for sent in sentences:
        for ms, me, first, last, precision, relative in _dates_in(sent["quote"], published):
            if relative and not keep_quoted and in_quotation(sent["quote"], ms):
                continue
            aid = sent["article_id"]
            base = int(sent["start"])
            rows.append({
                "date_id": unique(ids.child_id(sent["sentence_id"], "dat", base + ms)),
                "sentence_id": sent["sentence_id"],
                "article_id": aid,
                "start": base,
                "end": int(sent["end"]),
                "quote": sent["quote"],
                "mention_start": base + ms,
                "mention_end": base + me,
                "mention": sent["quote"][ms:me],
                "date": first.isoformat(),
                "date_end": last.isoformat(),
                "precision": precision,
                "relative": bool(relative),
                "anchor": published.isoformat() if (relative and published) else "",
            })
    return rows


def in_quotation(text: str, pos: int) -> bool:
    """Whether `pos` lies inside a direct quotation in the sentence `text`: after an opening
    curly quote not yet closed; before a closing one when none precedes `pos` (the quotation
    began in an earlier sentence); or after an odd number of straight double quotes."""
    before, after = text[:pos], text[pos:]
    opened, closed = before.rfind("“"), before.rfind("”")
    if opened > closed:
        return True
    if opened < 0 and closed < 0:
        next_close, next_open = after.find("”"), after.find("“")
        if next_close >= 0 and (next_open < 0 or next_close < next_open):
            return True
    return before.count('"') % 2 == 1


_DIGIT = re.compile(r"\d")   # same (Unicode) digits as the patterns' \d


@lru_cache(maxsize=None)
def _prefilter() -> dict:
    """Cheap necessary conditions per pattern kind, so most sentences skip most regex scans.

    Each entry is (needs a digit, case-sensitive words one of which must occur, lower-case
    words one of which must occur in the lower-cased text (checked where lower-casing keeps
    what (?i) matching sees, caseless.lowered), or None when there is no such word list).
    A pattern is scanned unless a condition proves it cannot match, so results are unchanged.
    """
    v = _vocab()

    def lower_words(words):
        words = [str(w).lower() for w in words]
        return tuple(words) if words and all(w.isascii() for w in words) else None

    months_any = tuple(v["all_months"])
    # the last word of each quarter name ("quarter", "q2"): "second-quarter" has no "second quarter"
    quarter_words = lower_words({str(q).split()[-1] for q in v["quarters"]})
    out = {
        "wd_paren": (True, tuple(v["weekdays"]), None),
        "iso": (True, None, ("-",)),
        "mdy": (True, months_any, None),
        "dmy": (True, months_any, None),
        "my": (True, months_any, None),
        "part": (True, None, lower_words(v["parts"])),
        "season": (True, None, lower_words(v["seasons"])),
        "quarter": (True, None, quarter_words),
        "months_to": (False, tuple(v["months"]), ("month", "year")),
        "rel_quarter": (False, None, quarter_words),
        "rel_season": (False, None, lower_words(v["seasons"])),
        "rel": (False, None, lower_words(v["rel"])),
        "ago": (False, None, ("ago",)),
        "weekday": (False, tuple(v["weekdays"]), None),
        "month_only": (False, tuple(v["months"]), None),
        "year": (True, None, None),
    }
    return out


@lru_cache(maxsize=None)
def _word_gate(words: tuple, fold: bool) -> LiteralGate:
    """One gate per word list (kinds that share a list share its gate, tested once per text)."""
    return LiteralGate(frozenset(words), fold)


@lru_cache(maxsize=None)
def _scan_plan() -> tuple:
    """(order, kind, pattern, needs a digit, gates) per pattern, prefilter conditions looked up
    once (one inline loop, not a function call per pattern and sentence: a third of the time of
    `_dates_in` on the benchmark corpus). The gates: the prefilter's word lists, then the
    literals the pattern itself needs (gates.Gated: a year pattern needs "19" or "20", where the
    prefilter only knows it needs a digit). The word lists as gates (one alternation each, not a
    test per word) and the patterns' own literals: 0.56 s instead of 0.77 s for the date scans
    of 1,000 generated articles. A kind with an empty word list can never match: left out."""
    rules = _prefilter()
    plan = []
    for order, (kind, pattern) in enumerate(_vocab()["patterns"]):
        needs_digit, words, lwords = rules.get(kind, (False, None, None))
        if (words is not None and not words) or (lwords is not None and not lwords):
            continue
        gates = (_word_gate(words, False) if words else None,
                 _word_gate(lwords, True) if lwords else None, Gated(pattern).gate)
        plan.append((order, kind, pattern, needs_digit, tuple(g for g in gates if g is not None)))
    return tuple(plan)


def _dates_in(q: str, published: _dt.date | None) -> list[tuple]:
    v = _vocab()
    candidates = []
    has_digit = _DIGIT.search(q) is not None
    seen: dict = {}        # gate -> possible (several kinds share a word list's gate)
    for order, kind, pattern, needs_digit, gates in _scan_plan():
        if needs_digit and not has_digit:
            continue
        possible = True
        for gate in gates:
            ok = seen.get(gate)
            if ok is None:
                ok = seen[gate] = gate.possible(q)
            if not ok:
                possible = False
                break
        if not possible:
            continue
        for m in pattern.finditer(q):
            candidates.append((m.start(), -(m.end() - m.start()), order, kind, m))
    candidates.sort(key=lambda c: (c[0], c[1], c[2]))
    out = []
    taken_end = -1
    for start, _neg, _order, kind, m in candidates:
        if start < taken_end:
            continue
        try:
            res = _resolve(kind, m, published, v)
        except (ValueError, OverflowError):
            res = None
        if res is None:
            continue
        first, last, precision, relative = res
        out.append((m.start(), m.end(), first, last, precision, relative))
        taken_end = m.end()
    return out


def _resolve(kind: str, m: re.Match, pub: _dt.date | None, v: dict):
    """(first, last, precision, relative) or None when not resolvable."""
    if kind == "iso":
        d = _dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        return d, d, "day", False
    if kind == "wd_paren":
        return _weekday_date(m, pub, v)
    if kind in ("mdy", "dmy"):
        if kind == "mdy":
            month_tok, day_tok, year_tok = m.group(2), m.group(3), m.group(4)
        else:
            day_tok, month_tok, year_tok = m.group(2), m.group(3), m.group(4)
        month = v["all_months"][month_tok.rstrip(".")]
        day = int(day_tok)
        if year_tok:
            d = _dt.date(int(year_tok), month, day)
            return d, d, "day", False
        if pub is None:
            return None
        d = _dt.date(pub.year, month, day)
        if (d - pub).days > v["max_future"]:
            d = _dt.date(pub.year - 1, month, day)
        return d, d, "day", True
    if kind == "my":
        month = v["all_months"][m.group(1).rstrip(".")]
        year = int(m.group(2))
        return _dt.date(year, month, 1), _month_end(year, month), "month", False
    if kind == "part":
        first_m, last_m = v["parts"][_key(m.group(1), v["parts"])]
        a, b = _span_months(int(m.group(2)), first_m, last_m)
        return a, b, "season", False
    if kind == "season":
        first_m, last_m = v["seasons"][_key(m.group(1), v["seasons"])]
        a, b = _span_months(int(m.group(2)), first_m, last_m)
        return a, b, "season", False
    if kind == "quarter":
        qn = _quarter_number(m.group(1), v)
        year = int(m.group(2))
        return _dt.date(year, 3 * qn - 2, 1), _month_end(year, 3 * qn), "quarter", False
    if kind == "months_to":
        return _months_to(m, pub, v)
    if kind == "year":
        year = int(m.group(0)[-4:])
        return _dt.date(year, 1, 1), _dt.date(year, 12, 31), "year", False
    if pub is None:
        return None
    if kind == "rel_quarter":
        qn = _quarter_number(m.group(1), v)
        year = pub.year if 3 * qn - 2 <= pub.month else pub.year - 1
        return _dt.date(year, 3 * qn - 2, 1), _month_end(year, 3 * qn), "quarter", True
    if kind == "rel_season":
        which = _key(m.group(1), ("last", "this", "next"))
        first_m, last_m = v["seasons"][_key(m.group(2), v["seasons"])]
        if which == "this":
            year = pub.year if not (last_m < first_m and pub.month <= last_m) else pub.year - 1
            a, b = _span_months(year, first_m, last_m)
            return a, b, "season", True
        year = pub.year + 1
        while True:  # latest occurrence that ended before publication
            a, b = _span_months(year, first_m, last_m)
            if b < pub:
                break
            year -= 1
        if which == "next":
            a, b = _span_months(year + 1, first_m, last_m)
            if a <= pub:
                a, b = _span_months(year + 2, first_m, last_m)
        return a, b, "season", True
    if kind == "rel":
        rule = v["rel"][_key(m.group(1), v["rel"])]
        return _relative(pub, rule["unit"], int(rule.get("offset", 0)), rule.get("part"), v)
    if kind == "ago":
        tok = m.group(1)
        n = int(tok) if tok.isdigit() else v["numw"][_key(tok, v["numw"])]
        unit = v["ago"][_key(m.group(2), v["ago"])]
        return _relative(pub, unit, -n, None, v)
    if kind == "weekday":
        prefix = _key(m.group(1) or "", v["wd_before"] | v["wd_after"] | {"on"})
        target = v["weekdays"][m.group(2)]
        back = (pub.weekday() - target) % 7
        if prefix in v["wd_before"]:
            back = back or 7
            d = pub - _dt.timedelta(days=back)
        elif prefix in v["wd_after"]:
            fwd = (target - pub.weekday()) % 7 or 7
            d = pub + _dt.timedelta(days=fwd)
        else:
            d = pub - _dt.timedelta(days=back)
        return d, d, "day", True
    if kind == "month_only":
        month = v["months"][m.group(2)]
        safe = v["ambiguous_safe"]
        if m.group(2) in v["ambiguous"] and _key(m.group(1), safe) not in safe:
            return None
        year = pub.year if month <= pub.month else pub.year - 1
        if _looks_ahead(m, v):   # "From April, Acme will fly ...": the next April
            year = pub.year if month >= pub.month else pub.year + 1
        return _dt.date(year, month, 1), _month_end(year, month), "month", True
    return None


def _months_to(m: re.Match, pub: _dt.date | None, v: dict):
    """'the three months to the end of March', 'the year to June 2025': the months that end
    with the named one (without a year, the most recent such month on or before publication)."""
    count = m.group(1)
    n = 12 if m.group(2) else (int(count) if count.isdigit() else v["numw"][_key(count, v["numw"])])
    month = v["months"][m.group(3)]
    if m.group(4):
        year = int(m.group(4))
    elif pub is None:
        return None
    else:
        year = pub.year if month <= pub.month else pub.year - 1
    if not 1 <= n <= 12:
        return None
    first_y, first_m = _shift_month(year, month, 1 - n)
    precision = {3: "quarter", 12: "year"}.get(n, "season")
    return _dt.date(first_y, first_m, 1), _month_end(year, month), precision, not m.group(4)


def _quarter_number(name: str, v: dict) -> int:
    return v["quarters"][_key(name.replace("-", " "), v["quarters"])]


def _looks_ahead(m: re.Match, v: dict) -> bool:
    """Does a year-less month point forward: a forward preposition ("from April", "until June")
    in a sentence with a future cue, or a future cue just before it ("will open in April")?"""
    text = m.string
    before = text[max(0, m.start() - 40):m.start()]
    if v["future_re"].search(before) and not re.search(r"(?i)\b(?:said|says|announced|told)\b", before):
        return True
    return _key(m.group(1), v["forward"]) in v["forward"] and bool(v["future_re"].search(text))


def _weekday_date(m: re.Match, pub: _dt.date | None, v: dict):
    """'on Tuesday (Feb 18)': the Feb 18 nearest the publication date (the year before, of or
    after it, at most `max_future_days` ahead) that was a Tuesday; when none was, the year a
    plain 'Feb 18' gets. One mention, not a weekday and a date. Needs the publication date."""
    if pub is None:
        return None
    month, day = v["all_months"][m.group("month")], int(m.group("day"))
    weekday = v["weekdays"][m.group("weekday")]
    same_weekday = [d for y in (pub.year + 1, pub.year, pub.year - 1)
                    if (d := _safe_date(y, month, day)) and (d - pub).days <= v["max_future"]
                    and d.weekday() == weekday]
    if same_weekday:
        return same_weekday[0], same_weekday[0], "day", True
    chosen = _safe_date(pub.year, month, day)
    if chosen and (chosen - pub).days > v["max_future"]:
        chosen = _safe_date(pub.year - 1, month, day)
    return (chosen, chosen, "day", True) if chosen else None


def _safe_date(year: int, month: int, day: int) -> _dt.date | None:
    try:
        return _dt.date(year, month, day)
    except ValueError:
        return None


def _relative(pub: _dt.date, unit: str, offset: int, part: str | None, v: dict):
    if unit == "day":
        d = pub + _dt.timedelta(days=offset)
        return d, d, "day", True
    if unit == "week":
        monday = pub - _dt.timedelta(days=pub.weekday()) + _dt.timedelta(weeks=offset)
        return monday, monday + _dt.timedelta(days=6), v["week_precision"], True
    if unit == "month":
        y, mth = _shift_month(pub.year, pub.month, offset)
        return _dt.date(y, mth, 1), _month_end(y, mth), "month", True
    if unit == "quarter":
        qn = (pub.month - 1) // 3
        y, mth = _shift_month(pub.year, qn * 3 + 1, offset * 3)
        return _dt.date(y, mth, 1), _month_end(*_shift_month(y, mth, 2)), "quarter", True
    if unit == "year":
        year = pub.year + offset
        if part and part in v["parts"]:
            a, b = _span_months(year, *v["parts"][part])
            return a, b, "season", True
        return _dt.date(year, 1, 1), _dt.date(year, 12, 31), "year", True
    return None
