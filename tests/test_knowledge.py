"""The word lists the rules rely on are read from data/knowledge/, not held in code."""
import re

import pytest

from newsbrief import knowledge
from newsbrief.briefing import prose
from newsbrief.briefing.sections import front
from newsbrief.extract import statements


def test_phrase_alternation_longest_first_and_any_whitespace():
    rx = re.compile(rf"\b(?:{knowledge.phrase_alternation(['set', 'set up', 'set up'])})\b")
    assert rx.search("was set\nup by").group(0) == "set\nup"
    assert rx.search("set aside").group(0) == "set"


@pytest.fixture
def edited_knowledge(monkeypatch):
    """Replace entries of knowledge files for one test: edited(file, key, value)."""
    real = knowledge.load
    edits: dict = {}

    def load(name, directory=None):
        data = real(name, directory)
        return {**data, **edits[name]} if name in edits else data

    def edited(name, key, value):
        edits.setdefault(name, {})[key] = value
        statements._language.cache_clear()

    monkeypatch.setattr(knowledge, "load", load)
    yield edited
    statements._language.cache_clear()


def test_fragment_starts_come_from_language_file(edited_knowledge):
    assert prose.is_fragment("posting new prices on its website for every model")
    edited_knowledge("language", "fragment_starts", ["are"])
    assert not prose.is_fragment("posting new prices on its website for every model")


def test_clause_openers_come_from_language_file(edited_knowledge):
    assert front._as_clause("The chips were bought early") == "the chips were bought early"
    edited_knowledge("language", "lowercase_openers", ["These "])
    assert front._as_clause("The chips were bought early") == "The chips were bought early"


def test_quantity_units_come_from_language_file(edited_knowledge):
    assert statements._language()["figure_like_re"].search("costs rose 20 times over")
    edited_knowledge("language", "quantity_units", ["million"])
    assert not statements._language()["figure_like_re"].search("costs rose 20 times over")


def test_count_words_come_from_briefing_file(edited_knowledge):
    assert prose.count_word(3) == "three"
    edited_knowledge("briefing", "count_words", ["zero", "uno"])
    assert prose.count_word(1) == "uno" and prose.count_word(3) == "3"
