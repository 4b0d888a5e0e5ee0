"""Caseless gives exactly re.IGNORECASE's matches, including on text it cannot lower-case."""
import re

import pytest

from newsbrief.extract.caseless import Caseless

PATTERN = r"\b(?:said|says|pointed\sout|according\sto|is)\b"
TEXTS = [
    "He SAID it; she Says so.",
    "Analysts Pointed  out the cost “it is high,” he said.",
    "Kelvin: \u212a; Turkish ıs and İs; long ſaid; ümlaut Says",
    "",
    "according to\nsources",
]


@pytest.mark.parametrize("text", TEXTS)
def test_same_matches_as_ignorecase(text):
    fast, slow = Caseless(PATTERN), re.compile(PATTERN, re.IGNORECASE)
    assert [m.span() for m in fast.finditer(text)] == [m.span() for m in slow.finditer(text)]
    assert bool(fast.search(text)) == bool(slow.search(text))


def test_falls_back_where_ignorecase_folds_other_letters():
    # re.IGNORECASE takes "ſ" (long s) for "s": the lower-cased scan would miss it
    assert Caseless(r"\bsaid\b").search("he ſaid") is not None


def test_refuses_patterns_lower_casing_would_change():
    with pytest.raises(ValueError):
        Caseless(r"\S+said")
