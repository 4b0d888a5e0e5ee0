"""An article's publication date and outlet, from its own text, its page markup and its file name.

Used by ingest when neither the metadata file nor the container (feed, API record) states them.
Every answer is a `Found(value, status, how)`: `stated` when the text or page says it (a
dateline with a year, a "Published ..." line, a credit "(Reuters) -", a byline "By Jane Doe,
CNBC"), `inferred` when it is derived from a clue that does not say it outright (the year of a
year-less dateline taken from the file name, a leading ISO date in the file name, a house-style
sign-off), `unknown` ("", with `how` saying what was seen, e.g. a dateline without a year).
Nothing is guessed silently: `how` becomes the article's data note.

Vocabulary: data/knowledge/dates.yml (month and weekday names, publication-line words) and
data/knowledge/outlets.yml (outlet names, aliases, credits, credit forms). Both files and the
date libraries are loaded lazily, on first use, so importing ingest stays light.

Cost: a few anchored regular expressions over the first and last ~1,500 characters of each
article; dateparser runs only on the rare lines that look like publication lines.
"""
from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass
from functools import lru_cache

STATED, INFERRED, UNKNOWN = "stated", "inferred", "unknown"

_YEAR = r"(?:19\d\d|20\d\d)"
# A partner agency that carries a wire's copy, written before or after the wire's credit in the
# brackets: "(BSS/AFP)", "(AFP-JIJI)". The known credit names whose copy the text is.
_PARTNER_BEFORE = r"(?:[A-Z][A-Za-z.]{1,15}/)?"
_PARTNER_AFTER = r"(?:[/-][A-Z][A-Za-z.]{1,15})?"
# An all-digit date "08/07/2025": day-month or month-day depends on the outlet's house style.
# A two-digit year ("Published: 08.08.24 at 09:50", a common European page form) is this century;
# the year must not run on into a time ("10.02.30 am").
_NUMERIC_DATE = re.compile(r"(?<![\d/.])(?P<a>[0-3]?\d)(?P<sep>[/.])(?P<b>[0-3]?\d)(?P=sep)(?P<year>"
                           + _YEAR + r"|\d\d)(?![\d/.:])(?![ \t]*[AaPp]\.?[Mm]\b)")


@dataclass(frozen=True)
class Found:
    """One metadata value: `value` ("" when unknown), its `status` and `how` it was found."""

    value: str = ""
    status: str = UNKNOWN
    how: str = ""


@dataclass(frozen=True)
class Dateline:
    """A wire-style dateline at the start of a line near the top of the text.

    `start`/`end` span the dateline prefix including the dash and the spaces after it, so the
    story starts at `end` (clean.find_furniture skips the span). `year` is None for a year-less
    dateline such as "June 11 (Reuters) -"; `month`/`day` are None when it gives no date
    ("(Bloomberg) --"); `credit` is the bracketed outlet credit ("" in the ISO form).
    """

    start: int
    end: int
    text: str
    city: str
    credit: str
    year: int | None
    month: int | None
    day: int | None

    @property
    def date(self) -> _dt.date | None:
        """The full date when the dateline gives day, month and year (None otherwise)."""
        if self.year and self.month and self.day:
            try:
                return _dt.date(self.year, self.month, self.day)
            except ValueError:
                return None
        return None


# ------------------------------------------------------------------------------------ vocab

@lru_cache(maxsize=None)
def _dates_vocab() -> dict:
    from newsbrief import knowledge

    d = knowledge.load("dates") or {}
    months = {str(k): int(v) for k, v in (d.get("months") or {}).items()}
    months.update({str(k): int(v) for k, v in (d.get("month_abbreviations") or {}).items()})
    weekdays = {str(k): int(v) for k, v in (d.get("weekdays") or {}).items()}
    # "Tue"/"Tues" as written in page date lines: the first three or four letters of each name.
    weekday_forms = dict(weekdays)
    for name, number in weekdays.items():
        weekday_forms.setdefault(name[:3], number)
        weekday_forms.setdefault(name[:4], number)
    lines = d.get("publication_lines") or {}
    return {
        "months": months,
        "weekdays": weekdays,
        "weekday_forms": weekday_forms,
        "published_words": [str(w) for w in lines.get("published_words") or []],
        "updated_words": [str(w) for w in lines.get("updated_words") or []],
        "first_published_same_day": [str(w) for w in lines.get("first_published_same_day") or []],
        "head_chars": int(lines.get("head_chars", 1500)),
        "tail_chars": int(lines.get("tail_chars", 400)),
        "date_line_lines": int(lines.get("date_line_lines", 6)),
        "date_line_max_chars": int(lines.get("date_line_max_chars", 60)),
        "file_name_date": re.compile(str(d.get("file_name_date") or r"^(?P<date>\d{4}-\d{2}-\d{2})")),
        "year_window": int((d.get("weekday_dates") or {}).get("year_window", 1)),
    }


@lru_cache(maxsize=None)
def _outlet_vocab() -> dict:
    """Outlet names, alias -> name, credits, compiled credit forms and house-style patterns."""
    from newsbrief import knowledge

    data = knowledge.load("outlets") or {}
    alias_to_name: dict[str, str] = {}
    credit_to_name: dict[str, str] = {}
    orders: dict[str, str] = {}
    patterns = []
    for entry in data.get("outlets") or []:
        name = str(entry["name"])
        if entry.get("date_order"):
            order = str(entry["date_order"]).upper()
            if order not in ("DMY", "MDY"):
                raise ValueError(f"outlets.yml: date_order of {name!r} is {order!r}; use DMY or MDY")
            orders[name] = order
        for alias in [name, *(entry.get("aliases") or [])]:
            alias_to_name.setdefault(str(alias), name)
        for credit in entry.get("credits") or []:
            credit_to_name.setdefault(str(credit), name)
        for pat in entry.get("patterns") or []:
            try:
                rx = re.compile(pat["regex"], re.MULTILINE)
            except (re.error, KeyError, TypeError) as exc:
                raise ValueError(f"outlets.yml: bad pattern for {name!r}: {exc}") from exc
            patterns.append((name, rx, str(pat.get("where", "anywhere")), str(pat.get("why", ""))))
    from newsbrief.knowledge import alternation

    outlet_rx = "(?P<outlet>" + alternation(alias_to_name) + ")"
    person = r"[A-Z][\w.'’-]{0,30}(?: (?:[A-Z][\w.'’-]{0,30}|de|van|von|bin|al)){0,3}"
    forms = []
    for item in data.get("credit_forms") or []:
        body = str(item["regex"]).replace("{outlet}", outlet_rx).replace("{name}", person)
        try:
            rx = re.compile(body, re.MULTILINE)  # tried only where a line or sentence starts
        except re.error as exc:
            raise ValueError(f"outlets.yml: bad credit form {item.get('regex')!r}: {exc}") from exc
        forms.append((str(item.get("form", "credit")), rx, str(item.get("where", "anywhere")),
                      bool(item.get("masthead"))))
    publisher = r"(?P<publisher>(?:The )?[A-Z][\w&'’.-]{0,30}(?: (?:[A-Z][\w&'’.-]{0,30}|of|and|&)){0,5})"
    publisher_forms = [(str(item.get("form", "credit")),
                        re.compile(str(item["regex"]).replace("{publisher}", publisher), re.MULTILINE),
                        str(item.get("where", "anywhere")), bool(item.get("masthead")))
                       for item in data.get("publisher_forms") or []]
    return {
        "publisher_forms": publisher_forms,
        "publisher_suffixes": frozenset(str(x) for x in data.get("publisher_suffixes") or []),
        "not_publishers": frozenset(str(x).casefold() for x in data.get("not_publishers") or []),
        "alias_to_name": alias_to_name,
        "alias_folded": {a.casefold(): n for a, n in alias_to_name.items()},
        # file names drop spaces and dots: "globalvoices", "voanews", "cnbccom"
        "alias_compact": {re.sub(r"[\W_]+", "", a.casefold()): n for a, n in alias_to_name.items()},
        "credit_to_name": credit_to_name,
        "credit_rx": alternation(credit_to_name),
        "date_order": orders,
        "forms": forms,
        "patterns": patterns,
        "head_chars": int(data.get("head_chars", 800)),
        "tail_chars": int(data.get("tail_chars", 600)),
    }


def canonical_outlet(name: str) -> str:
    """The canonical outlet name for an alias or site name ("VOA" -> "Voice of America",
    "reuters.com" -> "Reuters"); the name itself, whitespace-collapsed, when it is not known."""
    clean = " ".join(str(name).split())
    if not clean:
        return ""
    folded = _outlet_vocab()["alias_folded"]
    if clean.casefold() in folded:
        return folded[clean.casefold()]
    host = re.fullmatch(r"(?:https?://)?(?:www\.)?([\w-]+)\.[a-z.]{2,10}/?", clean, re.I)
    if host and host.group(1).casefold() in folded:
        return folded[host.group(1).casefold()]
    return clean


# ------------------------------------------------------------------------------------ datelines

@lru_cache(maxsize=None)
def _dateline_patterns() -> tuple[re.Pattern, re.Pattern, re.Pattern]:
    v = _dates_vocab()
    from newsbrief.knowledge import alternation

    month = r"(?P<month>" + alternation(v["months"]) + r")\.?"
    # This corpus's normalised form " date 2025-01-28 BEIJING:" (city and colon optional).
    iso_form = re.compile(
        r"\A[ \t]{0,5}date[ \t]{1,5}(?P<iso>\d{4}-\d{2}-\d{2})"
        r"(?:[ \t]{1,5}(?P<city>[A-Z][A-Z .'’-]{0,40}?)[ \t]{0,3}:)?[ \t]{0,5}")
    # Wire form: [CITY[, REGION][,]] [Mon D[, YYYY]] (CREDIT) -|--|–|—|:  e.g.
    # "BEIJING, Jan 28 (Reuters) - ", "June 11 (Reuters) - ", "(Bloomberg) -- ", "PARIS (AFP) - ",
    # and wire copy carried by a partner agency: "DHAKA, May 21, 2025 (BSS/AFP) - ", "(AFP-JIJI)".
    # Hand-written because the parts matter separately: a year-less date must stay year-less
    # (dateparser would fill in the year from the clock), and the credit names the outlet.
    place = r"[A-Z][\w.'’/-]{1,30}(?:[ \t][A-Z][\w.'’/-]{1,30}){0,3}"
    wire_form = re.compile(
        r"^[ \t]{0,5}(?:(?P<city>" + place + r")(?:,[ \t]{0,3}" + place + r")?(?:,[ \t]{0,3}|[ \t]{1,3}))?"
        r"(?:" + month + r"[ \t]{1,3}(?P<day>[0-3]?\d)(?:,[ \t]{0,3}(?P<year>" + _YEAR + r"))?[ \t]{1,3})?"
        r"\(" + _PARTNER_BEFORE + r"(?P<credit>" + _outlet_vocab()["credit_rx"] + r")" + _PARTNER_AFTER
        + r"\)[ \t]{0,3}(?:--|[-–—:])[ \t]{0,3}",
        re.MULTILINE)
    # Press-release / paper form: "WASHINGTON, Sept. 27, 2018 — ", "PORTO, May 14, 2025 /PRNewswire/ --",
    # "LONDON, June 11 - " (a place and a date are both required, so a headline is not taken).
    press_form = re.compile(
        r"^[ \t]{0,5}(?P<city>" + place + r")(?:,[ \t]{0,3}" + place + r")?,[ \t]{0,3}"
        + month + r"[ \t]{1,3}(?P<day>[0-3]?\d)(?:,[ \t]{0,3}(?P<year>" + _YEAR + r"))?"
        r"[ \t]{0,3}(?:/(?P<credit>" + _outlet_vocab()["credit_rx"] + r")/[ \t]{0,3})?(?:--|[-–—])[ \t]{0,3}",
        re.MULTILINE)   # "PORTO, Portugal, May 14, 2025 /PRNewswire/ -- ": a release's distributor
    return iso_form, wire_form, press_form


def parse_dateline(text: str) -> Dateline | None:
    """The dateline at the start of the text, or at the start of a line in its first 800
    characters (after a headline or a byline); None when there is none. A dateline whose date
    is not a real day ("date 2025-02-30 PARIS:") is returned without a date."""
    iso_form, wire_form, press_form = _dateline_patterns()
    m = iso_form.match(text)
    if m:
        start = m.start() + len(m.group(0)) - len(m.group(0).lstrip())
        city = (m.group("city") or "").strip()
        try:
            day = _dt.date.fromisoformat(m.group("iso"))
        except ValueError:  # still a dateline (furniture), but it gives no date
            return Dateline(start, m.end(), m.group(0).strip(), city, "", None, None, None)
        return Dateline(start, m.end(), m.group(0).strip(), city, "", day.year, day.month, day.day)
    head = min(len(text), 800)
    m = wire_form.search(text, 0, head) or press_form.search(text, 0, head)
    if not m:
        return None
    start = m.start()
    while start < m.end() and text[start].isspace():
        start += 1
    month = _dates_vocab()["months"].get(m.group("month") or "")
    day = int(m.group("day")) if m.group("day") else None
    year = int(m.group("year")) if m.group("year") else None
    if month and day:
        try:
            _dt.date(year or 2000, month, day)  # 2000: a leap year, so "Feb 29" is possible
        except ValueError:  # "Feb 30": keep the span and the credit, drop the date
            month = day = year = None
    return Dateline(start, m.end(), text[start:m.end()].strip(), (m.group("city") or "").strip(),
                    m.group("credit") or "", year, month, day)


# ------------------------------------------------------------------------------------ page lines

# Times of day and zones ("3:41 PM ET", "10:02 IST", "06:10 PM"): dropped before dateparser,
# whose time-zone search is most of its cost (~8 ms a call, ~2 ms without); only the day is kept.
_TIME_OF_DAY = re.compile(r"\b\d{1,2}[:.]\d{2}(?:[:.]\d{2})?[ \t]*(?:[AaPp]\.?[Mm]\.?)?"
                          r"(?:[ \t]*(?:(?:GMT|UTC)[+-]\d{1,2}(?::?\d\d)?|[A-Z]{2,5}))?\b")
# (the offset forms come first: "GMT+8" must not stop at "GMT" and leave "+8" to the date)


def numeric_date(a: int, b: int, year: int, order: str = "") -> _dt.date | None:
    """The day written "a/b/year": read by the numbers when only one reading is a real date or
    both give the same day ("25/12/2024", "12/25/2024", "08/08/2024"), else by `order` ("DMY"
    or "MDY", the outlet's house style); None when it stays ambiguous or is no date at all."""
    readings = set()
    for day, month, name in ((a, b, "DMY"), (b, a, "MDY")):
        try:
            readings.add((name, _dt.date(year, month, day)))
        except ValueError:
            continue
    days = {d for _, d in readings}
    if len(days) == 1:
        return days.pop()
    return next((d for name, d in readings if name == order), None)


def _numeric_reading(match: re.Match, order: str = "") -> _dt.date | None:
    year = int(match.group("year"))
    return numeric_date(int(match.group("a")), int(match.group("b")), year if year >= 100 else 2000 + year,
                        order)


@lru_cache(maxsize=4096)   # a page's date lines are read twice: publication date (ingest), furniture (extract)
def _parse_full_date(value: str, order: str = "") -> _dt.date | None:
    """A date with day, month and year in any common written form, via dateparser; None else.
    An all-digit date ("08/07/2025") is read by `numeric_date` with the outlet's `order`.

    A fixed RELATIVE_BASE keeps the result independent of the clock, and REQUIRE_PARTS refuses
    a date without a year instead of filling in the current one.
    """
    value = value.strip(" \t,.;:-–—|")
    if not value or not re.search(r"\d", value):
        return None
    numeric = _NUMERIC_DATE.search(value)
    if numeric and not _line_patterns()[1].search(value):  # no month name: the digits are the date
        return _numeric_reading(numeric, order)
    if re.match(r"\d{4}-\d\d-\d\d(?:$|[T ])", value):
        try:
            return _dt.date.fromisoformat(value[:10])
        except ValueError:
            return None
    value = " ".join(_TIME_OF_DAY.sub(" ", value).replace("•", " ").split()).strip(" ,")
    parsed = _date_parser().get_date_data(value).date_obj if value else None
    if parsed:
        return parsed.date()
    # more furniture after the date ("Aug 20, 2025 – 5.32pm, first published at 11.04am"): the
    # date is what runs up to its year
    through_year = re.match(r".*?\b" + _YEAR + r"\b", value)
    if through_year and through_year.end() < len(value):
        return _parse_full_date(through_year.group(0), order)
    return None


@lru_cache(maxsize=None)
def _date_parser():
    from dateparser.date import DateDataParser

    return DateDataParser(languages=["en"], settings={
        "STRICT_PARSING": True, "REQUIRE_PARTS": ["day", "month", "year"],
        "RELATIVE_BASE": _dt.datetime(2000, 1, 1), "RETURN_AS_TIMEZONE_AWARE": False,
        "DATE_ORDER": "MDY", "PARSERS": ["absolute-time"]})


@lru_cache(maxsize=None)
def _line_patterns() -> tuple[re.Pattern, re.Pattern]:
    v = _dates_vocab()
    from newsbrief.knowledge import alternation

    words = alternation(v["published_words"] + v["updated_words"])
    stop = r"(?=[ \t]*(?:[|•·]|\b(?:" + words + r")\b|$))"
    keyword = re.compile(r"(?:^|[|•·–—][ \t]*)[ \t]*(?P<word>" + words + r")\b[ \t]*:?[ \t]*"
                         r"(?P<when>[^\n|•·]{4,80}?)" + stop, re.MULTILINE)
    month_or_iso = re.compile(r"\b(?:" + alternation(v["months"]) + r")\b|\d{4}-\d\d-\d\d")
    return keyword, month_or_iso


@lru_cache(maxsize=None)
def _first_published_same_day() -> re.Pattern:
    """An update line's clause giving the first publication as a time of day without a date
    ("Updated Aug 20, 2025 – 5.32pm, first published at 11.04am"): first published that day."""
    from newsbrief.knowledge import alternation

    words = alternation(_dates_vocab()["first_published_same_day"])
    return re.compile(r"\b(?:" + words + r")[ \t]+" + _TIME_OF_DAY.pattern + r"[ \t]*$")


@dataclass(frozen=True)
class PageDate:
    kind: str      # "published", "updated" or "date line"
    date: _dt.date
    text: str      # the line as written (for the note)
    start: int = 0   # where it stands in the article's text (page furniture, not story)
    end: int = 0


def page_dates(text: str, order: str = "") -> list[PageDate]:
    """Dates the page prints about itself: "Published on 29th February 2024", "Updated 3:41 PM
    ET, Tue June 11, 2024", or a line holding only a date near the top ("April 25, 2025").
    `order` ("DMY"/"MDY", the outlet's house style) reads all-digit dates such as "08/07/2025"."""
    v = _dates_vocab()
    keyword, month_or_iso = _line_patterns()
    same_day = _first_published_same_day()
    head, tail_start = text[:v["head_chars"]], max(v["head_chars"], len(text) - v["tail_chars"])
    found: list[PageDate] = []
    updated = set(v["updated_words"])
    for offset, region in ((0, head), (tail_start, text[tail_start:])):
        for m in keyword.finditer(region):
            day = _parse_full_date(m.group("when"), order)
            if day:
                kind = "updated" if m.group("word") in updated else "published"
                text_as_written = " ".join(m.group(0).split())
                span = (offset + m.start("word"), offset + m.end("when"))
                found.append(PageDate(kind, day, text_as_written, *span))
                if kind == "updated" and same_day.search(m.group("when")):
                    found.append(PageDate("published", day, text_as_written, *span))
    n_lines = 0
    for lm in re.finditer(r"[^\n]+", head):
        line = lm.group().strip()
        if not line:
            continue
        n_lines += 1
        if n_lines > v["date_line_lines"]:
            break
        if keyword.search(line):  # a publication line, read above
            continue
        # the whole line, else one of its parts between separators, the last first ("By Jane
        # Doe | June 11, 2024", "Staff Writer | March 27, 2025 | 2:14 pm")
        parts = [p.strip() for p in reversed(re.split(r"[|•·]", line))]
        for part in dict.fromkeys([line, *parts]):
            if (part and len(part) <= v["date_line_max_chars"] and re.search(_YEAR, part)
                    and month_or_iso.search(part) and not part.endswith(".")):
                day = _parse_full_date(part, order)
                if day:
                    at = lm.start() + lm.group().find(part)
                    found.append(PageDate("date line", day, line, at, at + len(part)))
                    break
    return found


# ------------------------------------------------------------------------------------ other clues

def file_name_date(file_name: str) -> _dt.date | None:
    """The leading ISO date of a file name ("2024-06-11_reuters_x.txt"), None if none/invalid."""
    m = _dates_vocab()["file_name_date"].match(file_name)
    if not m:
        return None
    try:
        return _dt.date.fromisoformat(m.group("date"))
    except ValueError:
        return None


@lru_cache(maxsize=None)
def weekday_date_pattern() -> re.Pattern:
    """'Tuesday (Feb 18)', 'on Tuesday (February 18)': groups weekday, month, day. Shared with
    dates.extract_dates, which reads such a phrase as one day."""
    v = _dates_vocab()
    from newsbrief.knowledge import alternation

    return re.compile(r"(?:\b[Oo]n[ \t]{1,3})?\b(?P<weekday>" + alternation(v["weekdays"]) + r")[ \t]{0,2}\([ \t]?"
                      r"(?P<month>" + alternation(v["months"]) + r")\.?[ \t]{1,2}(?P<day>[0-3]?\d)[ \t]?\)")


def weekday_date_year(weekday: int, month: int, day: int, years) -> int | None:
    """The one year among `years` in which `month`/`day` fell on `weekday`; None if none or
    several (a date falls on the same weekday again after 5, 6 or 11 years, so a window of two
    years from a year the article states usually decides it)."""
    hits = set()
    for year in years:
        try:
            if _dt.date(year, month, day).weekday() == weekday:
                hits.add(year)
        except ValueError:
            continue
    return hits.pop() if len(hits) == 1 else None


def _stated_years(text: str) -> set[int]:
    """Years written as four digits in the text (the window for weekday-dated events)."""
    return {int(y) for y in re.findall(r"(?<![\d,.])(" + _YEAR + r")(?![\d%])", text)}


def _candidate_years(text: str) -> set[int]:
    """Years an undated article may be from: each four-digit year it writes and the
    `year_window` years after it (a story is published in or after the years it reports on)."""
    window = _dates_vocab()["year_window"]
    return {y + k for y in _stated_years(text) for k in range(window + 1)}


def _weekday_dates(text: str) -> list[tuple[_dt.date, str]]:
    v = _dates_vocab()
    years = _candidate_years(text)
    out = []
    for m in weekday_date_pattern().finditer(text):
        weekday, month, day = (v["weekdays"][m.group("weekday")], v["months"][m.group("month")],
                               int(m.group("day")))
        year = weekday_date_year(weekday, month, day, years)
        if year:
            out.append((_dt.date(year, month, day), m.group(0)))
    return out


# ------------------------------------------------------------------------------------ dates

def _with_year(month: int, day: int, reference: _dt.date) -> _dt.date | None:
    """Month-day put in the year of `reference`, or the year before/after, whichever is closest
    (a dateline "Dec 31" in a file named 2025-01-01 is 2024-12-31)."""
    best = None
    for year in (reference.year - 1, reference.year, reference.year + 1):
        try:
            candidate = _dt.date(year, month, day)
        except ValueError:
            continue
        if best is None or abs((candidate - reference).days) < abs((best - reference).days):
            best = candidate
    return best


def publication_date(text: str, file_name: str = "", outlet_name: str = "",
                     outlet_status: str = UNKNOWN) -> Found:
    """The publication date (ISO) of one article; see the module docstring for the statuses.
    `outlet_name` (the article's outlet, if known, with its `outlet_status`) gives the house
    order of all-digit dates; a date read by it is stated only when the outlet is.

    (A date the page markup states comes first, from `page_metadata`, before this is asked.)
    Evidence, strongest first: a dateline with a full date; a "Published ..." line; a year-less dateline completed with the
    year of a published/updated line or the page date (stated), of the file name's date or of
    an event dated "on <weekday> (<Mon D>)" (inferred); a date line; an "Updated ..." line
    (inferred: the first publication may be earlier); the file name's leading ISO date
    (inferred); the latest weekday-dated event (inferred, earliest possible date).
    """
    line = parse_dateline(text)
    if line and line.date:
        return Found(line.date.isoformat(), STATED, f'dateline "{line.text}"')
    lines = page_dates(text, date_order(outlet_name))
    published = next((p for p in lines if p.kind == "published"), None)
    updated = next((p for p in lines if p.kind == "updated"), None)
    date_line = next((p for p in lines if p.kind == "date line"), None)
    from_name = file_name_date(file_name)

    if published:
        how = f'publication line "{published.text}"'
        if _ambiguous_numeric_line(published.text):
            # read by the outlet's house order: only as sure as the outlet is
            first = {"DMY": "day", "MDY": "month"}[date_order(outlet_name)]
            how += f", read {first} first as {canonical_outlet(outlet_name)} writes dates"
            if outlet_status != STATED:
                return Found(published.date.isoformat(), INFERRED, how + " (outlet inferred)")
        return Found(published.date.isoformat(), STATED, how)
    if line and line.month and line.day:
        for source, status in ((updated, STATED), (date_line, STATED)):
            if source:
                day = _with_year(line.month, line.day, source.date)
                return Found(day.isoformat(), status,
                             f'dateline "{line.text}" with the year of "{source.text}"')
        if from_name:
            day = _with_year(line.month, line.day, from_name)
            return Found(day.isoformat(), INFERRED,
                         f'dateline "{line.text}" gives no year; year from the file name')
        weekday = _dateline_weekday_year(text, line)
        if weekday:
            return weekday
    if date_line:
        return Found(date_line.date.isoformat(), STATED, f'date line "{date_line.text}"')
    if updated:
        return Found(updated.date.isoformat(), INFERRED,
                     f'only an update line "{updated.text}"; first publication may be earlier')
    if from_name:
        return Found(from_name.isoformat(), INFERRED, "leading date of the file name")
    events = _weekday_dates(text)
    if events:
        latest, phrase = max(events)
        return Found(latest.isoformat(), INFERRED,
                     f'latest weekday-dated event "{phrase}" (the earliest possible date)')
    if line and line.month and line.day:
        return Found("", UNKNOWN, f'dateline "{line.text}" gives no year and nothing else in '
                                  "the text or file name does")
    if line and not line.credit:
        return Found("", UNKNOWN, f'dateline "{line.text}" has no valid date')
    ambiguous = _ambiguous_numeric_line(text)
    if ambiguous:
        return Found("", UNKNOWN, f'"{ambiguous}" can be read day-first or month-first, and the '
                                  "outlet's date order is not known (data/knowledge/outlets.yml "
                                  "date_order)")
    return Found("", UNKNOWN, "")


def date_order(outlet_name: str) -> str:
    """The outlet's order of all-digit dates ("DMY" or "MDY", outlets.yml `date_order`), "" if
    the outlet or its order is not known."""
    return _outlet_vocab()["date_order"].get(canonical_outlet(outlet_name), "") if outlet_name else ""


def _ambiguous_numeric_line(text: str) -> str:
    """The first publication line whose all-digit date reads two ways ("Published on 08/07/2025"),
    "" if none: said in the data note so the analyst knows why the date is not known."""
    keyword, _ = _line_patterns()
    for m in keyword.finditer(text[:_dates_vocab()["head_chars"]] + "\n"):
        numeric = _NUMERIC_DATE.search(m.group("when"))
        if numeric and not _numeric_reading(numeric):
            return " ".join(m.group(0).split())
    return ""


def _dateline_weekday_year(text: str, line: Dateline) -> Found | None:
    """A year-less dateline whose story says what weekday it is ("June 11 (Reuters) - ... said
    on Tuesday"): the one candidate year (`_candidate_years`) in which that date fell on that
    weekday; None when none or several fit."""
    v = _dates_vocab()
    from newsbrief.knowledge import alternation

    said = re.search(r"\b[Oo]n[ \t]+(" + alternation(v["weekdays"]) + r")\b",
                     text[line.end:line.end + 400])
    if not said:
        return None
    year = weekday_date_year(v["weekdays"][said.group(1)], line.month, line.day,
                             _candidate_years(text))
    if not year:
        return None
    day = _dt.date(year, line.month, line.day)
    return Found(day.isoformat(), INFERRED,
                 f'dateline "{line.text}" gives no year; {day:%B} {day.day} fell on a '
                 f"{said.group(1)} (as the story says) only in {year} among the years it names")


# ------------------------------------------------------------------------------------ outlets

def _region(text: str, where: str, head: int, tail: int) -> tuple[str, int]:
    if where == "start":
        return text[:head], 0
    if where == "end":
        start = max(0, len(text) - tail)
        return text[start:], start
    return text, 0


_CLAUSE_START = re.compile(r"^[ \t]*|(?<=[.!?”][ \t])(?=[A-Z(©])", re.MULTILINE)


def _clause_starts(region: str) -> list[int]:
    """Where a credit form may begin: the start of a line (after spaces) or of a sentence
    ("... testify. For VOA, X reports."), so "... told Reuters" never names the publisher."""
    return sorted({m.end() for m in _CLAUSE_START.finditer(region)})


def outlet(text: str, file_name: str = "") -> Found:
    """The outlet of one article: a credit, byline, source or copyright line naming it
    (stated), else a house-style clue or a word of the file name (inferred). Clues for two
    different outlets at the same strength leave it unknown. (A site name the page markup
    states comes first, from `page_metadata`, before this is asked.)"""
    v = _outlet_vocab()
    stated: dict[str, str] = {}
    site: dict[str, str] = {}   # the page's masthead: the site, which may carry another's copy
    line = parse_dateline(text)
    if line and line.credit:
        stated[v["credit_to_name"][line.credit]] = f'dateline credit "{line.text}"'
    starts = {}
    for form, rx, where, masthead in v["forms"]:
        if where not in starts:
            region, _ = _region(text, where, v["head_chars"], v["tail_chars"])
            starts[where] = (region, _clause_starts(region))
        region, positions = starts[where]
        for pos in positions:
            m = rx.match(region, pos)
            if m:
                name = v["alias_to_name"][m.group("outlet")]
                (site if masthead else stated).setdefault(name, f'{form} "{" ".join(m.group(0).split())}"')
    verdict = _one_outlet(stated, STATED, "clues name different outlets") or \
        _one_outlet({**site, **_publishers_named(text, v)}, STATED, "clues name different publishers")
    if verdict:
        return verdict
    inferred: dict[str, str] = {}
    for name, rx, where, why in v["patterns"]:
        region, _ = _region(text, where, 600, 600)
        if rx.search(region):
            inferred.setdefault(name, why)
    # "<date>_<outlet>_<slug>" / "<outlet>_<slug>": only the first word after the date can name
    # the outlet (later words are the story's: "..._sec-settlement" is about the SEC).
    stem = _dates_vocab()["file_name_date"].sub("", file_name.rsplit(".", 1)[0])
    token = next((t for t in re.split(r"[_. -]+", stem) if t), "")
    name = v["alias_compact"].get(token.casefold()) if len(token) > 1 else None
    if name:
        inferred.setdefault(name, f'file name word "{token}"')
    return _one_outlet(inferred, INFERRED, "clues point to different outlets") or Found("", UNKNOWN, "")


_MASTHEAD_WORDS = 3   # a masthead name longer than this (after "The") is more likely a headline


def _publishers_named(text: str, v: dict) -> dict[str, str]:
    """Publishers the outlet list does not know, named in a copyright line ("© 2024 NL Times",
    "Copyright The Lisbon Gazette Limited 2024") or a masthead ("Harbour Daily | Business"):
    name -> how it was found."""
    found: dict[str, str] = {}
    for form, rx, where, masthead in v["publisher_forms"]:
        region, _ = _region(text, where, v["head_chars"], v["tail_chars"])
        for pos in _clause_starts(region):
            m = rx.match(region, pos)
            if not m:
                continue
            words = re.split(r"\.\s|,", m.group("publisher"))[0].split()
            if masthead and (not words or words[-1] in v["publisher_suffixes"]
                             or len(words) - (words[0] == "The") > _MASTHEAD_WORDS):
                continue   # a company heading its own release, or a headline
            while words and (words[-1] in v["publisher_suffixes"] or words[-1] in ("and", "of", "&")):
                words.pop()
            name = canonical_outlet(" ".join(words))
            if name.startswith("The ") and canonical_outlet(name[4:]) != name[4:]:
                name = canonical_outlet(name[4:])   # "The Financial Times" -> Financial Times
            if len(name) > 2 and name.casefold() not in v["not_publishers"]:
                found.setdefault(name, f'{form} "{" ".join(m.group(0).split())}"')
    return found


def _one_outlet(clues: dict[str, str], status: str, conflict: str) -> Found | None:
    """The outlet when every clue (name -> how it was found) names the same one; not known, with
    the clues listed, when they name different ones; None when there is no clue."""
    if len(clues) == 1:
        name, how = next(iter(clues.items()))
        return Found(name, status, how)
    if clues:
        return Found("", UNKNOWN, f"{conflict}: " + "; ".join(f"{n} ({h})" for n, h in sorted(clues.items())))
    return None


# ------------------------------------------------------------------------------------ titles

_MD_HEADING = re.compile(r"\A#{1,2}[ \t]+(.+?)[ \t]*#*[ \t]*\Z")


def guess_title(text: str, kind: str = "text") -> tuple[str, str]:
    """(title, status) from the text, only when the first line is clearly a headline.

    Markdown: a leading `# Title` / `## Title` -> "stated". Plain text: the first line when it
    has 3-20 words, at most 150 characters, no dateline, does not end in . , ; : and is followed
    by a blank line -> "inferred" (a human can confirm it as "stated" in the metadata file).
    Otherwise ("", "unknown").
    """
    lines = text.splitlines()
    i = 0
    while i < len(lines) and not lines[i].strip():
        i += 1
    if i >= len(lines):
        return "", "unknown"
    first = lines[i].strip()
    if kind == "markdown":
        m = _MD_HEADING.match(first)
        if m:
            return m.group(1).strip(), "stated"
    if parse_dateline(lines[i]) or first.startswith(("#", "-", "*", "+", ">", "|")):
        return "", "unknown"
    words = first.split()
    followed_by_blank = i + 1 < len(lines) and not lines[i + 1].strip() and \
        any(line.strip() for line in lines[i + 2:])
    if (3 <= len(words) <= 20 and len(first) <= 150 and not first.endswith((".", ",", ";", ":"))
            and followed_by_blank):
        return first, "inferred"
    return "", "unknown"


# ------------------------------------------------------------------------------------ one article

def infer_missing(row: dict, text: str, kind: str, given=frozenset()) -> list[tuple[str, str, str]]:
    """Fill the title, publication date and outlet of an articles-table `row` from the text and
    file name, for each field still "unknown" and not in `given` (fields a metadata file sets).

    Returns (problem, action, severity) notes: severity "" for a note kept only in the
    article's `note` column (a stated value, a title guess), "info" for a data note in the
    briefing (an inferred value, a date or outlet left not known for a stated reason).
    """
    notes: list[tuple[str, str, str]] = []
    file_name = str(row.get("file") or "")
    if row.get("title_status") == UNKNOWN and "title" not in given:
        title, status = guess_title(text, kind)
        if title:
            row["title"], row["title_status"] = title, status
            if status == INFERRED:
                notes.append(("title inferred: first line looks like a headline", "marked inferred", ""))
    # the outlet first: its house style says how to read an all-digit date ("08/07/2025")
    if row.get("outlet_status") == UNKNOWN and "outlet" not in given:
        found = outlet(text, file_name)
        _note_found(notes, "outlet", found)
        if found.value:
            row["outlet"], row["outlet_status"] = found.value, found.status
    if row.get("published_status") == UNKNOWN and "published" not in given:
        found = publication_date(text, file_name, str(row.get("outlet") or ""),
                                 str(row.get("outlet_status") or UNKNOWN))
        _note_found(notes, "publication date", found)
        if found.value:
            row["published"], row["published_status"] = found.value, found.status
        named = file_name_date(file_name)
        if found.status == STATED and named and abs((named - _dt.date.fromisoformat(found.value)).days) > 1:
            notes.append((f"the file name's date {named.isoformat()} differs from the stated "
                          f"publication date {found.value}", "stated date kept", "info"))
    return notes


def _note_found(notes: list, what: str, found: Found) -> None:
    if found.status == STATED:
        notes.append((f"{what} {found.value} stated: {found.how}", "kept", ""))
    elif found.status == INFERRED:
        notes.append((f"{what} not stated; inferred as {found.value} ({found.how})", "marked inferred",
                      "info"))
    elif found.how:
        notes.append((f"{what} not known: {found.how}", f"{what} left as not known", "info"))


# ------------------------------------------------------------------------------------ web pages

def page_metadata(html: str) -> dict[str, str]:
    """What a saved web page states about itself: title, outlet (site name), published (ISO),
    url; only the keys found. Read with trafilatura's metadata extractor; the date by htmldate
    from the page markup only (meta tags, JSON-LD, <time>), not guessed from its text or URL."""
    from trafilatura import extract_metadata

    try:
        meta = extract_metadata(html, date_config={
            "extensive_search": False, "original_date": True, "outputformat": "%Y-%m-%d",
            # fixed bounds: the answer must not depend on the day the build runs
            "min_date": "1995-01-01", "max_date": "2099-12-31"})
    except Exception:  # noqa: BLE001 - a malformed page must not stop ingest: no page metadata
        return {}
    out: dict[str, str] = {}
    if meta.title:
        out["title"] = " ".join(meta.title.split())
    site = (meta.sitename or "").strip()
    if site and not re.fullmatch(r"[\w-]+\.[a-z.]{2,10}", site):  # not a host name from the URL
        out["outlet"] = canonical_outlet(site)
    if meta.url and re.match(r"https?://", meta.url, re.I):
        out["url"] = meta.url
    if meta.date:
        out["published"] = meta.date
    return out
