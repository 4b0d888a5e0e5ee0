"""Company facets: which sentences a facet keyword picks (data/knowledge/briefing.yml)."""
import pytest

from newsbrief import knowledge
from newsbrief.briefing import sections as S


@pytest.mark.parametrize("facet, sentence, hit", [
    ("Founding", "Despite the well-established concern that its chips could help rivals", False),
    ("Founding", "Acme was established in 2015 by two engineers.", True),
    ("Base", "DeepSeek is a Hangzhou-based startup.", True),
    ("Base", "Acme is based in Paris.", True),
    ("Owners and funders", "Beijing pursues state-backed efforts to close the gap.", False),
    ("Owners and funders", "The lab is backed by Tencent.", True),
])
def test_a_facet_keyword_does_not_end_a_hyphenated_compound(facet, sentence, hit):
    words = knowledge.load("briefing")["company_facets"][facet]
    assert bool(S.matches(sentence, words, in_compounds=False)) is hit
