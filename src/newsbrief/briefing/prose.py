"""Wording helpers: sentences templated from evidence rows, numbers and dates formatted honestly.

Nothing here knows about any company. Every number printed comes from a table value passed in
(or a count the caller computed), and the wording follows the support label: a company's claim is
"X says", an allegation without evidence says so, a multi-source fact names how many outlets.
"""
from __future__ import annotations

import math
import re
from datetime import date, timedelta
from functools import lru_cache
from typing import Iterable

from newsbrief import knowledge
from newsbrief.briefing import render
from newsbrief.extract.figures import qualifier_meaning

_SCALES = [(1e12, "trillion"), (1e9, "billion"), (1e6, "million")]

# Label of a claim -> (badge text template, tone).
LABELS = {
    "multi_source": ("{n} sources", "good"),
    "single_source": ("single source", "warn"),
    "disputed": ("disputed", "bad"),
    "allegation_no_evidence": ("allegation, no evidence", "bad"),
    "allegation": ("allegation, evidence offered", "warn"),
    "company_claim": ("company claim", "neutral"),
    "estimate": ("outside estimate", "warn"),
    "anonymous": ("anonymous sources", "warn"),
}
# Labels that name whose claim it is when the speaker is known: "{label} by {speaker}"
_BY_SPEAKER = {"estimate": "estimate by {speaker}", "allegation_no_evidence":
               "allegation by {speaker}, no evidence", "allegation":
               "allegation by {speaker}, evidence offered"}


# ---------------------------------------------------------------- counts and lists

def count_word(n: int) -> str:
    """0-9 spelled out, larger counts as digits with separators (news style)."""
    n = int(n)
    words = knowledge.load("briefing")["count_words"]
    return words[n] if 0 <= n < len(words) else f"{n:,}"


def plural(n: int, singular: str, plural_form: str | None = None) -> str:
    """'1 outlet', 'three outlets' (count spelled out when small)."""
    word = singular if int(n) == 1 else (plural_form or singular + "s")
    return f"{count_word(n)} {word}"


def join_names(names: Iterable[str], conj: str = "and") -> str:
    items = [n for n in dict.fromkeys(str(x).strip() for x in names) if n]
    if len(items) <= 1:
        return items[0] if items else ""
    return ", ".join(items[:-1]) + f" {conj} " + items[-1]


def capitalise(text: str) -> str:
    text = text.strip()
    return text[:1].upper() + text[1:] if text else text


def shorten(text: str, max_words: int = 25) -> str:
    """Whitespace-normalised text cut to at most max_words words (ellipsis when cut)."""
    words = str(text).split()
    if len(words) <= max_words:
        return " ".join(words)
    cut = " ".join(words[:max_words]).rstrip(",;:–—-")
    return cut + " …"


def clause(text: str) -> str:
    """A sentence made usable after 'that': trimmed, final full stop dropped."""
    text = " ".join(str(text).split()).strip()
    return text[:-1] if text.endswith(".") and not text.endswith("..") else text


def ensure_period(text: str) -> str:
    text = text.rstrip()
    return text if not text or text[-1] in ".!?…\"”’" else text + "."


# ---------------------------------------------------------------- numbers

def _is_num(x) -> bool:
    try:
        return x is not None and not math.isnan(float(x))
    except (TypeError, ValueError):
        return False


def _trim(x: float, digits: int = 2) -> str:
    text = f"{x:,.{digits}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def scaled(value: float) -> tuple[str, str]:
    """(number text, scale word): 1234000.0 -> ('1.234', 'million'); 7000 -> ('7,000', '')."""
    v = float(value)
    for size, word in _SCALES:
        if abs(v) >= size:
            return _trim(v / size, 3), word
    if abs(v - round(v)) < 1e-9:
        return f"{int(round(v)):,}", ""
    return _trim(v, 2), ""


def format_amount(value, unit: str = "", currency: str = "") -> str:
    """One number with its unit: 1234000.0 USD -> '$1.234 million'; 18 % -> '18%';
    20 x -> '20 times'; 7000 chips -> '7,000 chips'; 1.4e11 parameters -> '140 billion parameters'."""
    if not _is_num(value):
        return ""
    if float(value) < 0:
        return "minus " + format_amount(-float(value), unit, currency)
    unit = (unit or "").strip()
    symbols = _currency_symbols()
    cur = (currency or ("" if unit not in symbols else unit)).strip().upper()
    num, scale = scaled(value)
    if unit == "%":
        return f"{_trim(float(value), 2)}%"
    if unit in ("x", "times"):
        return f"{_trim(float(value), 2)} times"
    if cur:
        sym = symbols.get(cur)
        core = f"{num} {scale}".strip()
        return f"{sym}{core}" if sym else f"{core} {cur}"
    core = f"{num} {scale}".strip()
    return f"{core} {unit}".strip() if unit else core


def format_range(low, high, unit: str = "", currency: str = "") -> str:
    """'20 to 50 times', '$5 million to $6 million'; a point when low == high."""
    if not _is_num(low) and not _is_num(high):
        return ""
    if not _is_num(low) or not _is_num(high) or float(low) == float(high):
        return format_amount(high if _is_num(high) else low, unit, currency)
    if unit in ("x", "times"):
        return f"{_trim(float(low))} to {_trim(float(high))} times"
    if unit == "%":
        return f"{_trim(float(low))}% to {_trim(float(high))}%"
    return f"{format_amount(low, unit, currency)} to {format_amount(high, unit, currency)}"


def format_figure(row) -> str:
    """A figures-table row as words, with its qualifier: 'under $6 million', '20 to 50 times'."""
    get = row.get if isinstance(row, dict) else (lambda k, d=None: getattr(row, k, d))
    low, high, value = get("low"), get("high"), get("value")
    unit, currency = get("unit", "") or "", get("currency", "") or ""
    item = str(get("item", "") or "").strip()
    if (get("kind", "") == "count" and item and not currency
            and unit.lower() in item.lower().split()[-1]):
        unit = item  # '7,000 Acme X1 chips' rather than '7,000 chips'
    if _is_num(low) and _is_num(high) and float(low) != float(high):
        text = format_range(low, high, unit, currency)
    else:
        text = format_amount(value if _is_num(value) else high, unit, currency)
    qual = qualifier_meaning(get("qualifier", "")).words
    negative = _is_num(value) and float(value) < 0 and text.startswith("minus ")
    if negative:
        text = text[len("minus "):]
    if qual:
        text = f"{qual} {text}"
    return f"a fall of {text}" if negative else text


# ---------------------------------------------------------------- dates

def briefing_date(as_of: date | None) -> str:
    """The briefing's date line (title block, PDF running head): 'As of 28 Jan 2025', or a plain
    statement that it is not known. Never a made-up date."""
    if as_of is None:
        return "Date of briefing: not known (no article states its publication date)"
    return f"As of {format_date(as_of.isoformat(), 'day')}"


@lru_cache(maxsize=None)
@lru_cache(maxsize=None)
def _currency_symbols() -> dict[str, str]:
    """Currency code -> the symbol written before an amount (figures.yml `currency_display`)."""
    return {str(k): str(v) for k, v in knowledge.load("figures")["currency_display"].items()}


@lru_cache(maxsize=None)
def _season_of_month() -> dict[int, str]:
    """Month number -> season name, from the seasons of data/knowledge/dates.yml (first listed
    wins: 'autumn', not 'fall'; winter's [12, 2] wraps around the year)."""
    out: dict[int, str] = {}
    for name, (first, last) in knowledge.load("dates")["seasons"].items():
        month = first
        out.setdefault(month, name)
        while month != last:
            month = month % 12 + 1
            out.setdefault(month, name)
    return out


def _month_abbr(month: int) -> str:
    """'Jan' for 1: the first three letters of the month's name in data/knowledge/dates.yml."""
    names = {n: name for name, n in knowledge.load("dates")["months"].items()}
    return names[month][:3]


def format_date(iso: str, precision: str = "day") -> str:
    """A date shown at the precision the source gave: day '20 Jan 2025', month 'Jan 2025',
    week 'week of 20 Jan 2025', season 'spring 2024', quarter 'Q1 2024', year '2023'. Never invents a day."""
    if not iso:
        return "date not known"
    try:
        d = date.fromisoformat(str(iso)[:10])
    except ValueError:
        return str(iso)
    precision = (precision or "day").lower()
    if precision == "year":
        return str(d.year)
    if precision == "month":
        return f"{_month_abbr(d.month)} {d.year}"
    if precision == "week":
        return f"week of {d.day} {_month_abbr(d.month)} {d.year}"
    if precision == "quarter":
        return f"Q{(d.month - 1) // 3 + 1} {d.year}"
    if precision == "season":
        return f"{_season_of_month()[d.month]} {d.year}"
    return f"{d.day} {_month_abbr(d.month)} {d.year}"


def period_text(start, end) -> str:
    """A stated period at the precision it spans: '2024', 'Jun 2024', '20 Jan 2025', else
    'from .. to ..'; '' when none is stated (never its first day alone: '2024-01-01' for 2024)."""
    start, end = str(start or "").strip(), str(end or "").strip() or str(start or "").strip()
    if not start or start == "nan":
        return ""
    try:
        a, b = date.fromisoformat(start[:10]), date.fromisoformat(end[:10])
    except ValueError:
        return start
    if a == b:
        return format_date(start, "day")
    if (a.month, a.day, b.month, b.day) == (1, 1, 12, 31) and a.year == b.year:
        return format_date(start, "year")
    whole_months = a.day == 1 and (b + timedelta(days=1)).month != b.month
    if whole_months and (a.year, a.month) == (b.year, b.month):
        return format_date(start, "month")
    months = (b.year - a.year) * 12 + b.month - a.month + 1
    if whole_months and a.year == b.year and (months, a.month % months) in ((3, 1), (6, 1)):
        return f"{'Q' if months == 3 else 'H'}{(a.month - 1) // months + 1} {a.year}"   # Q2 2024, H1 2025
    if whole_months:
        return f"{format_date(start, 'month')} to {format_date(end, 'month')}"
    return f"{format_date(start, 'day')} to {format_date(end, 'day')}"


def when_phrase(when: str) -> str:
    """A disagreement's `when` as the briefing writes it: '2024' for '2024-01-01 to 2024-12-31',
    'as of 27 Jan 2025', an event's name as it is; '' for a fixed fact or a dated fact's label."""
    when = str(when or "").strip()
    period = re.fullmatch(r"(\d{4}-\d{2}-\d{2})(?: to (\d{4}-\d{2}-\d{2}))?", when)
    if period:
        return period_text(period.group(1), period.group(2) or period.group(1))
    dated = re.fullmatch(r"as of (\d{4}-\d{2}-\d{2})", when)
    return f"as of {format_date(dated.group(1))}" if dated else when


# ---------------------------------------------------------------- labels and attribution

def support_label(label: str, n_independent: int | None = None, speaker: str = "") -> render.Label:
    """Badge for a claim label: 'multi_source' with 4 independent sources -> '4 sources';
    'estimate' by SemiAnalysis -> 'estimate by SemiAnalysis'."""
    label = (label or "").strip()
    text, tone = LABELS.get(label, (label.replace("_", " ") or "unlabelled", "neutral"))
    speaker = speaker_text(speaker or "")[0]
    if speaker and label in _BY_SPEAKER:
        text = _BY_SPEAKER[label].format(speaker=speaker)
    n = int(n_independent) if _is_num(n_independent) else 0
    if label == "multi_source":
        text = text.format(n=n) if n >= 2 else "several sources"
    return render.Label(text, tone)


def sources_label(n: int) -> render.Label:
    """Badge from a plain count of independent sources."""
    n = int(n)
    if n <= 1:
        return render.Label("single source", "warn")
    return render.Label(f"{n} sources", "good")


def _fragment_starts() -> frozenset[str]:
    """Words that open a clause fragment, not a sentence (language.yml)."""
    return frozenset(knowledge.load("language")["fragment_starts"])


def clean_content(content: str) -> str:
    """A statement's content made readable: a leading reporting phrase ending in 'that' is
    dropped ('during an interview on Thursday, without providing evidence, that X' -> 'X')."""
    text = clause(content)
    m = re.match(r"^[^.;:]{0,160}?,?\s\bthat\s+(.+)$", text)
    first = text.split(" ", 1)[0].lower() if text else ""
    if m and (first in _fragment_starts() or text[:1].islower()):
        text = m.group(1)
    return text


def is_fragment(content: str) -> bool:
    """True when content cannot follow 'X says that' (it starts mid-sentence, with a verb)."""
    words = clean_content(content).split()
    return not words or words[0].lower() in _fragment_starts() or len(words) < 4


def speaker_text(speaker: str) -> tuple[str, bool]:
    """(display name, plural?): 'analysts' -> ('Analysts', True); 'some' -> ('Some commentators', True)."""
    s = " ".join(str(speaker or "").split())
    if not s:
        return "", False
    if s.lower() in ("some", "others", "several"):
        return "Some commentators", True
    generic = s[:1].islower()
    plural = generic and s.split()[-1].lower().endswith("s")
    return capitalise(s), plural


def attribute(stance: str, speaker: str, content: str, evidence: str = "unknown",
              n_outlets: int = 1) -> str:
    """A sentence whose wording follows the statement's stance.

    company_claim  -> "Acme says that …"
    allegation     -> "X alleged, without providing evidence, that …" (or "… alleged that …")
    estimate -> "X estimates that …"
    official_action -> "X said that …"
    expert_view    -> "X argues that …"
    reported_fact  -> "three outlets report that …" / "One outlet reports that …"
    """
    body = clean_content(content)
    speaker, many = speaker_text(speaker)
    stance = (stance or "").strip()
    no_ev = (evidence or "") == "not_offered"
    if stance == "allegation":
        who = speaker or "A critic"
        how = " alleged, without providing evidence, that " if no_ev else " alleged that "
        return ensure_period(f"{who}{how}{body}")
    if stance == "estimate":
        who = speaker or "An analyst"
        verb = "estimate" if many else "estimates"
        how = f" {verb}, without providing evidence, that " if no_ev else f" {verb} that "
        return ensure_period(f"{who}{how}{body}")
    if stance == "company_claim":
        verb = "say" if many else "says"
        return ensure_period(f"{speaker or 'The company'} {verb} {body}"
                             if body.lower().startswith("that ") else
                             f"{speaker or 'The company'} {verb} that {body}")
    if stance == "official_action":
        return ensure_period(f"{speaker or 'Officials'} said that {body}")
    if stance == "expert_view":
        return ensure_period(f"{speaker or 'An expert'} {'argue' if many else 'argues'} that {body}")
    if n_outlets >= 2:
        return ensure_period(f"{capitalise(count_word(n_outlets))} outlets report that {body}")
    return ensure_period(f"One outlet reports that {body}")


def quote_inline(text: str, max_words: int = 40) -> str:
    """A source sentence in typographic quotes, shortened when long (a sentence that is all one
    quotation keeps its own marks, not two pairs)."""
    body = clause(text)
    if len(body) > 1 and body[0] in "“\"" and body[-1] in "”\"" and body.count("“") <= 1:
        body = body[1:-1]
    return f"“{shorten(body, max_words)}”"
