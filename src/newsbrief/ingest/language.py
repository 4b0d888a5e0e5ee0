"""Which language an article is written in, so that non-English articles are named in the data
notes as not analysed instead of being counted and silently yielding nothing.

The identifier is py3langid (a maintained fork of langid.py; its model ships inside the wheel, no
download). Loading that model takes about a second, which would be paid by every build, so a
text is first checked cheaply: written in Latin letters and at least `english_share` of its words
among the common English words listed in data/knowledge/inputs.yml -> English, no model needed.
Every other text goes to the identifier. Only the first `SAMPLE_CHARS` characters are looked at
(enough for a confident answer; keeps the cost per article constant).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

SAMPLE_CHARS = 2000
MIN_CHARS = 100
"""Shorter texts are not judged (the identifier is unreliable on a headline-length text)."""
MIN_PROBABILITY = 0.9
"""A text is called non-English only when the identifier is at least this sure."""

FAST_CHARS = 600
"""The cheap check reads this much (the share of common words is stable well before)."""
_BEYOND_LATIN = re.compile("[\u0250-\U0010ffff]")  # candidates; only letters among them count
MAX_OTHER_SCRIPT = 0.02
"""An English text may quote a few words in another script (a Chinese name), not more."""


@dataclass(frozen=True)
class Language:
    code: str  # ISO 639-1 ("en", "de", "zh"), "" when not judged
    probability: float
    how: str  # "common English words", "py3langid", "too short to judge", "not sure"

    @property
    def is_english(self) -> bool:
        """False only for a confident non-English identification."""
        return not self.code or self.code == "en"


@lru_cache(maxsize=1)
def _english() -> tuple[frozenset, float]:
    from newsbrief import knowledge

    data = knowledge.load("inputs")
    return frozenset(data["english_words"]), float(data["english_share"])


@lru_cache(maxsize=1)
def _identifier():
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def looks_english(sample: str) -> bool:
    """Written in Latin letters (accented ones included) and enough common English words: the
    cheap check, no model."""
    head = sample[:FAST_CHARS]
    words = head.lower().split()  # "said," is not counted: the threshold allows for that
    if not words:
        return False
    if not head.isascii():
        other_script = sum(1 for c in _BEYOND_LATIN.findall(head) if c.isalpha())
        if other_script > MAX_OTHER_SCRIPT * len(head):
            return False
    common, share = _english()
    return sum(map(common.__contains__, words)) >= share * len(words)


def identify(text: str) -> Language:
    """The language of `text` (its first SAMPLE_CHARS characters)."""
    sample = text[:SAMPLE_CHARS]
    if len(sample.strip()) < MIN_CHARS:
        return Language("", 0.0, "too short to judge")
    if looks_english(sample):
        return Language("en", 1.0, "common English words")
    code, probability = _identifier().classify(sample)
    if probability < MIN_PROBABILITY:
        return Language("", float(probability), f"not sure (perhaps {code})")
    return Language(str(code), float(probability), "py3langid")


def language_name(code: str) -> str:
    """'de' -> 'German' (names in data/knowledge/inputs.yml); an unlisted code is shown as is."""
    from newsbrief import knowledge

    return str((knowledge.load("inputs").get("language_names") or {}).get(code, code))
