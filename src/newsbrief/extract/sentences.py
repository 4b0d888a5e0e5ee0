"""Split an article's text into citable sentences, headings and list items.

Rules (all offsets are into the raw text; ``text[start:end] == quote``):

* Lines are paragraphs: the text is split on line breaks first; spans in ``skip`` (furniture
  from ``clean.find_furniture``) are cut out and never overlap an emitted row.
* List items start with ``- ``, ``– ``, ``— ``, ``• ``, ``* ``, ``· `` (at the start of a line or
  right after a sentence end, as in "allegations. - Unclear Training Costs"); the marker itself
  is not part of the quote.
* A sentence ends at ``.``, ``!``, ``?`` or ``…`` (plus closing quotes/brackets) followed by
  whitespace and an opener (capital, digit, opening quote or bracket), except after
  abbreviations listed in ``data/knowledge/abbreviations.yml`` ("Dr.", "No. 1", "Jan. 20",
  "U.S. export", "3 p.m. local") and single-letter initials ("J. Smith").
* Glued text "2025.Despite" is split when a lower-case letter or digit and a period are directly
  followed by a capitalised word; "U.S.", "e.g." and "3.5" are not split.
* A paragraph that is a single short sentence without final punctuation, an ALL-CAPS line, a
  short question line, or a short title-case exclamation is a ``heading``; so is a list item
  that is a short title-case phrase without punctuation or numbers (a bulleted subheading).

Everything is a single left-to-right scan with bounded look-behind, so the cost is linear.
"""
from __future__ import annotations

import bisect
import re
from functools import lru_cache
from typing import Iterable, Sequence

from newsbrief import ids, knowledge
from newsbrief.extract.clean import iter_lines

LIST_MARKERS = "-–—•*·▪●"
_LIST_START = re.compile(r"[-–—•*·▪●][ \t]+")
_INLINE_LIST = re.compile(r"(?<=[.!?:;])[ \t]+(?=[-–—•·▪●][ \t]+\S)")
_TERMINAL = re.compile(r"[.!?…]+[”\"’'\)\]]*")
_OPENERS = "“\"‘'([«"
_CLOSE_PUNCT = ".!?:;,”\"’')]…"
_MAX_LOOKBACK = 40
HEADING_MAX_WORDS = 20
QUESTION_HEADING_MAX_WORDS = 15


@lru_cache(maxsize=None)
def _abbrev() -> dict[str, frozenset[str]]:
    data = knowledge.load("abbreviations") or {}
    return {key: frozenset(str(x) for x in data.get(key) or [])
            for key in ("never_final", "before_number", "may_end", "sentence_openers")}


def _merged(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sorted spans with overlapping or nested ones joined (furniture rules may overlap; the
    subtraction below assumes disjoint spans)."""
    out: list[tuple[int, int]] = []
    for start, end in spans:
        if out and start <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], end))
        else:
            out.append((start, end))
    return out


def split_sentences(article_id: str, text: str, skip: Iterable = (), key: str | None = None) -> list[dict]:
    """Rows ``sentence_id, article_id, start, end, quote, paragraph, kind`` for one article.

    Args:
        article_id: the article's id (the ``article_id`` column).
        text: the article's decoded text (never changed).
        skip: spans ``(start, end[, reason])`` to leave out (furniture).
        key: the article's content key (`newsbrief.ids.article_keys`; default: its text's key);
            ``sentence_id`` = ``snt-<key>-<start>``.
    Returns:
        list of dicts in text order; ``paragraph`` counts non-empty lines from 1.
    """
    skips = _merged(sorted((int(s[0]), int(s[1])) for s in skip))
    skip_starts = [s for s, _ in skips]
    key = key or ids.text_key(text)
    rows: list[dict] = []
    paragraph = 0
    for line_start, line_end in iter_lines(text):
        pieces: list[tuple[int, int, str]] = []
        for seg_start, seg_end in _subtract(line_start, line_end, skips, skip_starts):
            pieces.extend(_split_segment(text, seg_start, seg_end))
        if not pieces:
            continue
        paragraph += 1
        if len(pieces) == 1 and pieces[0][2] == "body" and _is_heading(text[pieces[0][0]:pieces[0][1]]):
            pieces = [(pieces[0][0], pieces[0][1], "heading")]
        # a bulleted subheading ("- Questions on Transparency and Export Controls") states nothing
        pieces = [(a, b, "heading" if kind == "list" and _is_title_phrase(text[a:b]) else kind)
                  for a, b, kind in pieces]
        for start, end, kind in pieces:
            rows.append({
                "sentence_id": ids.item_id("snt", key, start),
                "article_id": article_id,
                "start": start,
                "end": end,
                "quote": text[start:end],
                "paragraph": paragraph,
                "kind": kind,
            })
    return rows


def _subtract(start: int, end: int, skips: Sequence[tuple[int, int]],
              skip_starts: Sequence[int]) -> list[tuple[int, int]]:
    """Parts of [start, end) not covered by any skip span."""
    out = []
    i = max(bisect.bisect_right(skip_starts, start) - 1, 0)
    pos = start
    while i < len(skips) and skips[i][0] < end:
        s, e = skips[i]
        if e > pos:
            if s > pos:
                out.append((pos, min(s, end)))
            pos = max(pos, e)
        i += 1
    if pos < end:
        out.append((pos, end))
    return out


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _split_segment(text: str, start: int, end: int) -> list[tuple[int, int, str]]:
    start, end = _trim(text, start, end)
    if start >= end:
        return []
    # inline list items: "... allegations. - Unclear Training Costs"
    cuts = [start]
    for match in _INLINE_LIST.finditer(text, start, end):
        cuts.append(match.end())
    cuts.append(end)
    out: list[tuple[int, int, str]] = []
    for i in range(len(cuts) - 1):
        s, e = _trim(text, cuts[i], cuts[i + 1])
        if s >= e:
            continue
        kind = "body"
        marker = _LIST_START.match(text, s, e)
        if marker:
            kind = "list"
            s, e = _trim(text, marker.end(), e)
        elif e - s == 1 and text[s] in LIST_MARKERS:
            continue
        for a, b in _sentences_in(text, s, e):
            if any(ch.isalnum() for ch in text[a:b]):
                out.append((a, b, kind))
    return out


def _sentences_in(text: str, start: int, end: int) -> list[tuple[int, int]]:
    ab = _abbrev()
    spans = []
    cur = start
    for match in _TERMINAL.finditer(text, start, end):
        p = match.end()
        if p >= end:
            break
        punct_start = match.start()
        nxt = text[p]
        if nxt.isspace():
            q = p
            while q < end and text[q].isspace():
                q += 1
            if q >= end:
                break
            c = text[q]
            if not (c.isupper() or c.isdigit() or c in _OPENERS):
                continue
            if text[punct_start] == "." and not _period_ends(text, cur, punct_start, q, end, ab):
                continue
            s, e = _trim(text, cur, p)
            if s < e:
                spans.append((s, e))
            cur = q
        elif text[punct_start] == "." and p == punct_start + 1 and _glued(text, cur, punct_start, end, ab):
            s, e = _trim(text, cur, p)
            if s < e:
                spans.append((s, e))
            cur = p
    s, e = _trim(text, cur, end)
    if s < e:
        spans.append((s, e))
    return spans


def _token_before(text: str, lo: int, pos: int) -> str:
    """The word ending at ``pos`` (exclusive), at most _MAX_LOOKBACK chars back, without
    leading opening punctuation."""
    i = pos
    stop = max(lo, pos - _MAX_LOOKBACK)
    while i > stop and not text[i - 1].isspace():
        i -= 1
    return text[i:pos].lstrip("“\"‘'([")


def _next_word(text: str, q: int, end: int) -> str:
    j = q
    stop = min(end, q + _MAX_LOOKBACK)
    while j < stop and (text[j].isalpha() or text[j] in "'’"):
        j += 1
    return text[q:j]


def _period_ends(text: str, lo: int, dot: int, q: int, end: int, ab: dict) -> bool:
    """Does the period at ``dot`` (followed by whitespace, next token at ``q``) end a sentence?"""
    token = _token_before(text, lo, dot)
    if not token:
        return True
    if token in ab["never_final"]:
        return False
    if token in ab["before_number"] and text[q].isdigit():
        return False
    if len(token) == 1 and token.isupper():  # initial: "J. Smith"
        return False
    if token in ab["may_end"]:
        return _next_word(text, q, end) in ab["sentence_openers"]
    return True


def _glued(text: str, lo: int, dot: int, end: int, ab: dict) -> bool:
    """'2025.Despite': lower-case letter or digit, period, capitalised word, no space."""
    if dot == lo or dot + 2 >= end:
        return False
    before = text[dot - 1]
    if not (before.islower() or before.isdigit()):
        return False
    if not (text[dot + 1].isupper() and text[dot + 2].islower()):
        return False
    token = _token_before(text, lo, dot)
    if token in ab["never_final"] or token in ab["may_end"]:
        return False
    # "e.g" / "i.e" style tokens with an inner period and a one-letter last part
    if "." in token and len(token.rsplit(".", 1)[-1]) <= 1:
        return False
    return True


def _is_title_phrase(quote: str) -> bool:
    """A short phrase in title case with no closing punctuation and no number: a list item that
    is a subheading, not a fact ("Advanced and Cost-Efficient AI Models"; not "Revenue up 17%")."""
    words = quote.split()
    if not words or len(words) > HEADING_MAX_WORDS or quote[-1] in _CLOSE_PUNCT \
            or any(ch.isdigit() for ch in quote):
        return False
    long_words = [w for w in words if len(w) > 3]
    return bool(long_words) and all(w[0].isupper() for w in long_words)


def _is_heading(quote: str) -> bool:
    words = quote.split()
    if not words or len(words) > HEADING_MAX_WORDS:
        return False
    letters = [ch for ch in quote if ch.isalpha()]
    if len(letters) >= 4 and sum(ch.isupper() for ch in letters) / len(letters) > 0.8:
        return True
    last = quote[-1]
    if last not in _CLOSE_PUNCT:
        return True
    if last == "?" and len(words) <= QUESTION_HEADING_MAX_WORDS:
        return True
    if last == "!" and len(words) <= 12:
        capitalised = sum(w[0].isupper() for w in words if w[0].isalpha())
        return capitalised >= 0.6 * len(words)
    return False
