"""Domain knowledge kept in readable YAML files under data/knowledge/.

Each file is one topic (boilerplate patterns, chip names, stance verbs, ...). A user extends the
pipeline by editing these files, never the code.
"""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable

import yaml

from newsbrief import paths


# libyaml's loader when present: the same safe subset, ~10x faster (knowledge files are read by
# every build).
_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class KnowledgeError(ValueError):
    """A knowledge file is missing or malformed."""


@lru_cache(maxsize=None)
def load(name: str, directory: str | None = None) -> Any:
    """Load data/knowledge/<name>.yml (cached). Raises KnowledgeError naming the file on failure."""
    folder = Path(directory) if directory else paths.KNOWLEDGE_DIR
    path = folder / f"{name}.yml"
    try:
        with path.open(encoding="utf-8") as handle:
            return yaml.load(handle, Loader=_SAFE_LOADER)
    except FileNotFoundError as exc:
        raise KnowledgeError(f"{path}: knowledge file not found; restore it from git") from exc
    except yaml.YAMLError as exc:
        raise KnowledgeError(f"{path}: not valid YAML ({exc}); fix the file") from exc


def alternation(words: Iterable[str]) -> str:
    """Regex alternation of vocabulary words, longest first (so 'last week' beats 'last')."""
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


def phrase_alternation(phrases: Iterable[str]) -> str:
    """`alternation` for multi-word phrases: a space in a phrase matches any one whitespace
    character (a line break inside "set up" still matches)."""
    return alternation(str(p) for p in phrases).replace(r"\ ", r"\s")


def vocab_key(token: str, table) -> str:
    """The vocabulary key of ``table`` that a case-insensitive regex match ``token`` stands for.

    ``token.lower()`` is not enough: under ``re.IGNORECASE`` "ſ" (long s) matches "s", "ı"
    (dotless i) matches "i" and "K" (Kelvin sign) matches "k", but their ``lower()`` is not in
    the table ("laſt week" used to raise KeyError).
    """
    low = token.lower()
    if low in table:
        return low
    for key in table:
        if re.fullmatch(re.escape(key), token, re.IGNORECASE):
            return key
    return low
