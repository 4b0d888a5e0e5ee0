"""Stable, content-derived ids for evidence rows.

An id must not move when articles are added, removed, renamed or reordered, so none is a
position or a file name:

* per-article items: ``<kind>-<article key>-<offset>``, e.g. ``fig-3f80c886-387`` (the figure at
  character 387 of the article whose decoded text hashes to ``3f80c886…``). Kinds: ``snt``
  sentence, ``fig`` figure, ``dat`` date mention, ``stm`` statement.
* cross-article items: ``<kind>-<8 hex of sha256 of their sorted member ids>``, e.g.
  ``clm-1a2b3c4d`` (claims: figure or statement ids), ``dis-…`` (disagreements: the figure ids of
  both sides), ``evt-…`` (events: date ids), ``ser-…`` (series: history and subject).

Collisions are resolved deterministically: article keys sharing their 8-hex prefix get more hex
digits; two articles with the very same text (not normally both included: the corpus loader skips
exact duplicates) are told apart by a letter in article_id order; a repeated item id within one
article gets ``.2``, ``.3`` in text order; group ids sharing a prefix get 16 hex digits.
"""
from __future__ import annotations

import hashlib
from collections import Counter
from typing import Iterable, Mapping, Sequence

__all__ = ["text_key", "article_keys", "item_id", "child_id", "group_ids", "Uniquer"]

SHORT = 8     # hex digits in a key or group id: readable, and collisions are handled anyway


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def text_key(text: str) -> str:
    """The short key of one article's decoded text (8 hex digits of its sha256)."""
    return _digest(text)[:SHORT]


def _shortened(digests: Sequence[str]) -> list[str]:
    """Each digest's 8-hex prefix, or 16 hex digits where different digests share the prefix."""
    by_prefix: dict[str, set[str]] = {}
    for d in digests:
        by_prefix.setdefault(d[:SHORT], set()).add(d)
    return [d[:SHORT] if len(by_prefix[d[:SHORT]]) == 1 else d[:2 * SHORT] for d in digests]


def article_keys(texts: Mapping[str, str]) -> dict[str, str]:
    """article_id -> key for the articles of one build, unique among them (see module doc)."""
    order = sorted(texts)
    keys, seen = {}, Counter()
    for aid, key in zip(order, _shortened([_digest(texts[aid]) for aid in order])):
        seen[key] += 1
        keys[aid] = key if seen[key] == 1 else f"{key}{chr(ord('a') + seen[key] - 2)}"
    return keys


def item_id(kind: str, key: str, offset: int) -> str:
    """``<kind>-<article key>-<offset>``."""
    return f"{kind}-{key}-{int(offset)}"


def child_id(parent_id: str, kind: str, offset: int) -> str:
    """The id of an item of another kind in the same article as `parent_id` (a sentence id):
    ``child_id("snt-3f80c886-120", "fig", 387) == "fig-3f80c886-387"``."""
    _kind, key, _offset = parent_id.split("-", 2)
    return item_id(kind, key, offset)


class Uniquer:
    """Makes repeated ids unique in the order they are seen: ``x``, ``x.2``, ``x.3``."""

    def __init__(self) -> None:
        self._seen: Counter = Counter()

    def __call__(self, candidate: str) -> str:
        self._seen[candidate] += 1
        n = self._seen[candidate]
        return candidate if n == 1 else f"{candidate}.{n}"


def group_ids(kind: str, member_lists: Sequence[Iterable[str]]) -> list[str]:
    """One group id per member list, unique across the lists: ids that share their 8-hex prefix
    with another group's get 16 hex digits; groups with the same members get ``.2``, ``.3``."""
    digests = [_digest(chr(10).join(sorted(set(m)))) for m in member_lists]
    unique = Uniquer()
    return [unique(f"{kind}-{short}") for short in _shortened(digests)]
