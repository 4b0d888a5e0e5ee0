"""Literal gates: the literals read from a pattern are needed by every match, and a gated
pattern finds exactly what the pattern finds, on every knowledge pattern the extractors gate."""
import re
from pathlib import Path

import pytest

from newsbrief import paths
from newsbrief.extract import entities, statements
from newsbrief.extract.caseless import Caseless
from newsbrief.extract.gates import Gated, any_gate, required_literals


@pytest.mark.parametrize("pattern, flags, literals", [
    # an optional vendor prefix needs nothing; the family names are needed ("H100s" has "H100")
    (r"\b(?:(?:Nvidia|AMD)(?:'s)?\s)?(H100|H20|MI300X?)(?:s\b|\b)", 0, {"H100", "H20", "MI300"}),
    # a small character class spelled out: o1 ... o4
    (r"\b(o[1-4](?:-mini)?)\b", 0, {"o1", "o2", "o3", "o4"}),
    # a part of a sequence suffices when the whole would need many spellings
    (r"\b(?:did not|has not|had not) (?:immediately )?(?:respond|comment)(?:ed)?\b", 0, {"respond", "comment"}),
    # folded: lower-cased literals
    (r"\bAccording\sto\b", re.IGNORECASE, {"according"}),
    # a case-insensitive part of a case-sensitive pattern gives none; the rest does
    (r"(?i:speaking) to ([A-Z]\w+)", 0, {" to "}),
    # an alternative with nothing literal: no literal is needed
    (r"\b(?:Department|[A-Z][a-z]+)\b", 0, None),
    (r"\w+", 0, None),
])
def test_required_literals(pattern, flags, literals):
    found = required_literals(pattern, flags)
    assert (set(found) if found is not None else None) == literals


TRICKY = [
    "", "Nvidia's H100s and MI300X chips", "o3-mini beat o1", "GPT-4o and Llama 3.1 70B",
    "He DID NOT immediately RESPOND.", "people familiar with the matter said", "ACCORDING TO sources",
    "long ſource and Kelvin \u212a", "Turkish İnsider ıs", "the US government and the Ministry of Finance",
    "Speaking to Reuters, he told CNBC on X", "denied the allegations", "Stargate Project Plan",
]


def _gated_patterns():
    kb = entities._kb()
    rules = statements._rules()
    out = [g for _, g, *_ in kb.patterns] + [kb.org_intro_re]
    out += [rules["according_re"], *rules["audience_res"], *rules["response_res"], *rules["anon_res"]]
    return out


def _texts() -> list[str]:
    lines = []
    for path in sorted(Path(paths.DEFAULT_ARTICLES_DIR).glob("*.txt")):
        lines += [s for s in path.read_text(encoding="utf-8").splitlines() if s.strip()]
    return lines + TRICKY


def test_gated_patterns_find_exactly_what_the_patterns_find():
    texts = _texts()
    gated = _gated_patterns()
    assert all(g.gate is not None for g in gated[:5])   # the gates exist (else this tests nothing)
    for g in gated:
        for text in texts:
            assert [m.span() for m in g.finditer(text)] == [m.span() for m in g.rx.finditer(text)], \
                (g.pattern[:60], text[:80])
            assert bool(g.search(text)) == bool(g.rx.search(text))


def test_folded_gate_falls_back_where_lower_casing_would_hide_a_match():
    # re.IGNORECASE takes "ſ" for "s": the lower-cased text has no "source" literal
    g = Gated(re.compile(r"\bsources?\b", re.IGNORECASE))
    assert g.search("a ſource said") is not None
    assert Gated(Caseless(r"\bsaid\b")).search("he ſaid") is not None


def test_gate_skips_text_without_the_literals():
    g = Gated(re.compile(r"\b(?:[A-Z]\w+\s){1,3}Project\b"))
    assert not g.possible("Nothing to see here.")
    assert g.possible("The Stargate Project")


def test_any_gate_covers_every_pattern():
    kb = entities._kb()
    gated = [g for _, g, *_ in kb.patterns]
    union = any_gate(gated)
    assert union is not None
    for text in _texts():
        if not union.possible(text):
            assert not any(g.rx.search(text) for g in gated), text[:80]
