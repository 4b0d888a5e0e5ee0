"""Case-insensitive patterns of literal phrases (verb forms, cue words), scanned faster.

Python's regex engine rejects an alternative on its first letter cheaply only when it matches
case-sensitively, so a re.IGNORECASE alternation of a few hundred phrases enters every phrase at
every word. `Caseless` scans the lower-cased text with the lower-cased pattern instead: 0.43 s
instead of 1.01 s for the verb forms of stance.yml on 20,000 benchmark sentences. The matches are
the same as re.IGNORECASE's whenever lower-casing keeps every character's position and the text
has none of the two letters re.IGNORECASE also takes for an ASCII one (dotless "ı" for "i",
long "ſ" for "s"); otherwise the re.IGNORECASE pattern is used. Match objects are over the
lower-cased text: use their positions, and slice the original text for what was written.
"""
from __future__ import annotations

import re
from typing import Iterator

_FOLDED_TO_ASCII = frozenset("ıſ")
_LAST: list = [None, None]   # the last text lowered and its lower-cased form: several patterns
                             # are usually tried in turn on one text, which is lowered once


def lowered(text: str) -> str | None:
    """text.lower() when scanning it gives re.IGNORECASE's matches, else None."""
    if _LAST[0] is text:
        return _LAST[1]
    low = text.lower()
    if not text.isascii() and (len(low) != len(text) or not _FOLDED_TO_ASCII.isdisjoint(text)):
        low = None
    _LAST[0], _LAST[1] = text, low
    return low


class Caseless:
    """A case-insensitive pattern whose literals are all letters, digits, escapes or classes
    without case (\\s, \\w, \\b, look-arounds): no [A-Z] or other case-sensitive class."""

    def __init__(self, pattern: str):
        if re.search(r"\\[A-Z]|\(\?P<[^>]*[A-Z]", pattern) or any(
                not c.isascii() and c.lower() != c.upper() for c in pattern):
            raise ValueError(f"Caseless: lower-casing would change the meaning of {pattern[:80]!r}")
        self.pattern = pattern
        self.ignorecase = re.compile(pattern, re.IGNORECASE)
        self.lowered = re.compile(pattern.lower())

    def _scan(self, text: str) -> tuple[re.Pattern, str]:
        low = lowered(text)
        return (self.lowered, low) if low is not None else (self.ignorecase, text)

    def search(self, text: str, pos: int = 0, endpos: int | None = None) -> re.Match | None:
        rx, target = self._scan(text)
        return rx.search(target, pos, len(target) if endpos is None else endpos)

    def match(self, text: str, pos: int = 0) -> re.Match | None:
        rx, target = self._scan(text)
        return rx.match(target, pos)

    def finditer(self, text: str) -> Iterator[re.Match]:
        rx, target = self._scan(text)
        return rx.finditer(target)

