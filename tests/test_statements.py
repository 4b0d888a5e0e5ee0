"""Attributed statements: speaker, stance, evidence, audience, response, pronoun carry."""
import pytest

from newsbrief.extract import entities, statements
from _semantic_helpers import KESTREL, SEEDS, load_dir, split


def _statements(text, company="Acme AI", aid="t1"):
    sents = split(aid, text)
    ments = entities.extract_mentions(sents, company)
    return statements.extract_statements(sents, ments)


def _by_speaker(rows):
    return {r["speaker"]: r for r in rows}


def test_allegation_without_evidence_and_response():
    text = ("Rival Labs CEO Maria Lopez said during an interview with CNBC on Thursday, without "
            "providing evidence, that Acme AI has 30,000 Nvidia H100 chips. Acme AI did not "
            "immediately respond to a request for comment on the allegation.")
    rows = _statements(text)
    lopez = _by_speaker(rows)["Maria Lopez"]
    assert lopez["stance"] == "allegation"
    assert lopez["evidence"] == "not_offered"
    assert lopez["audience"] == "CNBC"
    assert lopez["speaker_role"] == "CEO"
    assert "did not immediately respond" in lopez["response"]
    assert not [r for r in rows if r["speaker"] == "Acme AI"]


def test_company_claims_via_pronoun_reference_and_according_to():
    text = ("Acme AI released models which it says beat rivals. The models are cheap, the "
            "startup has said. The model is 10 times cheaper, according to a post on Acme AI's "
            "official WeChat account.")
    rows = _statements(text)
    assert len(rows) == 3
    assert {r["speaker"] for r in rows} == {"Acme AI"}
    assert {r["stance"] for r in rows} == {"company_claim"}


def test_analyst_estimate_and_carry_to_the_analysts():
    text = ("Bernstein analysts on Monday highlighted in a research note that costs were higher. "
            "The analysts also said other costs were not disclosed.")
    rows = _statements(text)
    assert [r["speaker"] for r in rows] == ["Bernstein", "Bernstein"]
    assert {r["stance"] for r in rows} == {"analyst_estimate"}


def test_pronoun_carried_to_last_named_speaker():
    text = ("“We will win,” Jane Smith, the CEO of Acme AI, told Reuters. "
            "“Costs are low,” she said.")
    rows = _statements(text)
    assert [r["speaker"] for r in rows] == ["Jane Smith", "Jane Smith"]
    assert rows[0]["audience"] == "Reuters"
    assert rows[0]["stance"] == "company_claim"   # the subject company's own people


def test_government_and_outlet_sources():
    text = ("The White House announced new export rules. Acme AI is based in Paris, according "
            "to a report by Forbes.")
    rows = _by_speaker(_statements(text))
    assert rows["White House"]["stance"] == "official_action"
    assert rows["Forbes"]["stance"] == "reported_fact"


def test_former_employee_is_not_the_company():
    text = "“The team is great,” Ann Lee, a former Acme AI employee, was quoted as saying by Wired."
    rows = _statements(text)
    assert rows[0]["speaker"] == "Ann Lee" and rows[0]["stance"] == "expert_view"


def test_no_statement_without_speaker():
    assert _statements("The model has been said to outperform rivals.") == []


def test_seed_wang_allegations_and_offsets():
    texts, sents = load_dir(SEEDS)
    ments = entities.extract_mentions(sents, "DeepSeek")
    rows = statements.extract_statements(sents, ments)
    for r in rows:
        assert texts[r["article_id"]][r["start"]:r["end"]] == r["quote"]
    wang = [r for r in rows if r["speaker"] == "Alexandr Wang"]
    assert {r["article_id"][:3] for r in wang} == {"000", "001", "002"}
    assert {r["stance"] for r in wang} == {"allegation"}
    assert any(r["response"] for r in wang if r["article_id"].startswith("001"))


def test_kestrel_statements_are_sensible():
    texts, sents = load_dir(KESTREL)
    ments = entities.extract_mentions(sents, "Kestrel AI")
    rows = statements.extract_statements(sents, ments)
    speakers = {r["speaker"] for r in rows}
    assert "Kestrel AI" in speakers and "Marc Lefebvre" in speakers
    lef = [r for r in rows if r["speaker"] == "Marc Lefebvre"]
    assert lef[0]["evidence"] == "not_offered" and lef[0]["stance"] == "analyst_estimate"
    assert not any("DeepSeek" in r["speaker"] for r in rows)


