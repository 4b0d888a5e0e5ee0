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
    assert (lopez["speaker_title"], lopez["speaker_role"]) == ("CEO", "other")   # no model of hers named
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
    text = ("Bernstein analysts on Monday highlighted in a research note that Acme AI's costs were much "
            "higher. The analysts also said other costs were not disclosed.")
    rows = _statements(text)
    assert [r["speaker"] for r in rows] == ["Bernstein", "Bernstein"]
    # a comparison of costs is an estimate; "not disclosed" is a view (a doubt about Acme AI)
    assert [r["stance"] for r in rows] == ["estimate", "expert_view"]
    assert [r["is_doubt"] for r in rows] == [True, True]
    assert {r["speaker_role"] for r in rows} == {"analyst"}


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
    assert lef[0]["evidence"] == "not_offered" and lef[0]["stance"] == "estimate"
    assert not any("DeepSeek" in r["speaker"] for r in rows)


# ------------------------------------------------------------- attribution labels (issue 9)

def _one(text, speaker, company="Acme AI"):
    rows = [r for r in _statements(text, company) if r["speaker"] == speaker]
    assert rows, f"no statement by {speaker!r} in {text!r}"
    return rows[0]


def test_outside_estimate_is_the_estimators_not_the_companys():
    text = ("Acme AI says its latest model cost $5 million to train. Research firm SemiAnalysis "
            "estimated that Acme AI's hardware spending was well higher than $500 million.")
    semi = _one(text, "SemiAnalysis")
    assert (semi["stance"], semi["speaker_role"], semi["is_doubt"]) == ("estimate", "outside_estimator", True)
    after = ("Acme AI released a new model on Monday. Its total spending on servers is well "
             "above $500 million, SemiAnalysis estimated in a report on Friday.")
    assert _one(after, "SemiAnalysis")["stance"] == "estimate"   # an estimator the gazetteer lacks
    put = ("Acme AI has not said what it spent. Analysts at Morgan Stanley put the figure at "
           "$1.3 billion, far above what the company has disclosed.")
    ms = _one(put, "Morgan Stanley")   # a figure the company does not give: an outside estimate
    assert (ms["stance"], ms["speaker_role"], ms["is_doubt"]) == ("estimate", "outside_estimator", True)
    assert not [r for r in _statements(put) if r["stance"] == "company_claim"]


def test_people_familiar_are_anonymous_sourcing_never_the_company():
    text = ("Acme AI is preparing to raise $600 million at a valuation of $4 billion, according "
            "to three people familiar with the matter. The company plans to open an office in "
            "Berlin, according to people familiar with the company's plans. A person close to "
            "the company said the startup had held talks with Nvidia.")
    rows = _statements(text)
    assert [r["stance"] for r in rows] == ["anonymous_sourcing"] * 3
    assert {r["speaker_role"] for r in rows} == {"anonymous"}
    assert rows[0]["speaker"] == "three people familiar with the matter"
    assert rows[2]["speaker"] == "A person close to the company"
    unnamed = _one("Acme AI released a model. One researcher, who asked not to be named, said "
                   "the model answered most questions correctly.", "One researcher")
    assert unnamed["stance"] == "anonymous_sourcing"


def test_accusation_without_evidence_is_flagged_and_with_evidence_says_so():
    base = "Acme AI released its reasoning model last week. "
    sacks = _one(base + "White House adviser David Sacks said Acme AI had distilled knowledge "
                 "from OpenAI's models, without providing evidence.", "David Sacks")
    assert (sacks["stance"], sacks["evidence"], sacks["is_doubt"]) == ("allegation", "not_offered", True)
    lopez = _one(base + "Rival Labs chief executive Maria Lopez accused Acme AI of smuggling "
                 "restricted Nvidia chips into China.", "Maria Lopez")
    assert (lopez["stance"], lopez["evidence"]) == ("allegation", "not_offered")   # none offered
    openai = _one(base + "OpenAI said it had seen evidence that Acme AI used distillation to "
                  "train its models on outputs from ChatGPT.", "OpenAI")
    assert (openai["stance"], openai["evidence"]) == ("allegation", "offered")
    tipped = _statements(base + "Two people with knowledge of the probe said Acme AI had bought "
                         "chips through shell companies in Singapore.")
    assert [(r["stance"], r["speaker_role"]) for r in tipped] == [("allegation", "anonymous")]


def test_praise_and_general_policy_are_not_doubts_but_lawmakers_questioning_are():
    base = "Acme AI released the Acme-2 model this month. "
    praise = _one(base + "Bernstein analyst Lin Chen said the Acme-2 model was an impressive "
                  "engineering achievement.", "Lin Chen")
    assert (praise["stance"], praise["is_doubt"]) == ("expert_view", False)
    policy = _one(base + "The Commerce Department said it would tighten rules on exports of "
                  "advanced chips to China next year.", "Commerce Department")
    assert (policy["stance"], policy["is_doubt"]) == ("official_action", False)
    probe = _one(base + "The Commerce Department said it was investigating whether Acme AI "
                 "obtained chips in violation of export controls.", "Commerce Department")
    # a department is the government, even while it enforces export controls
    assert (probe["speaker_role"], probe["is_doubt"]) == ("government", True)
    lawmakers = _one(base + "Lawmakers questioned whether Acme AI could be trusted with the data "
                     "of American users.", "Lawmakers")
    assert (lawmakers["speaker_role"], lawmakers["is_doubt"]) == ("government", True)
    ban = _one(base + "Italy's data protection authority ordered Acme AI to block its chatbot in "
               "the country over privacy concerns.", "Italy's data protection authority")
    assert (ban["stance"], ban["speaker_role"], ban["is_doubt"]) == ("official_action", "regulator", True)


def test_company_people_claim_former_staff_do_not_and_doubts_carry_to_the_same_speaker():
    text = ("Acme AI chief executive Jane Smith said the model cost $5 million to train. Former "
            "Acme AI engineer Tom Reed said the company worked long hours. Marc Roy, an analyst "
            "at Brightline, estimated that Acme AI actually had about 12,000 GPUs. He said the "
            "real training cost was likely above €100 million. Roy also disputed the price "
            "comparison.")
    rows = _statements(text)
    by = [(r["speaker"], r["stance"], r["speaker_role"], r["is_doubt"]) for r in rows]
    assert by[0] == ("Jane Smith", "company_claim", "company_person", False)
    assert by[1] == ("Tom Reed", "expert_view", "other", False)
    assert [b[3] for b in by[2:]] == [True, True, True]
    assert [b[1] for b in by[2:]] == ["estimate", "estimate", "expert_view"]


def test_claim_label_and_speaker_from_the_statement_that_carries_the_figure():
    text = ("Acme AI said its model cost $5 million to train, but SemiAnalysis estimated its "
            "hardware spending at $1.6 billion.")
    sents = split("t1", text)
    rows = statements.extract_statements(sents, entities.extract_mentions(sents, "Acme AI"))
    carry = statements.claim_attribution(rows)
    own = {"sentence_id": sents[0]["sentence_id"], "mention": "$5 million"}
    est = {"sentence_id": sents[0]["sentence_id"], "mention": "$1.6 billion"}
    assert carry(own)[0] == {"company_claim"} and carry(est)[0] == {"estimate"}
    assert statements.claim_label(*carry(est)[:2], 1) == "estimate"
    assert statements.claim_speaker("estimate", carry(est)[2]) == "SemiAnalysis"
    assert statements.claim_label({"allegation"}, {"not_offered"}, 3) == "allegation_no_evidence"
    assert statements.claim_label({"allegation"}, {"offered"}, 1) == "allegation"
    assert statements.claim_label({"anonymous_sourcing"}, {"unknown"}, 1) == "anonymous"
    assert statements.claim_label({"company_claim", "estimate"}, {"unknown"}, 2) == "multi_source"
    assert statements.claim_label(set(), set(), 1) == "single_source"


def test_roles_of_officials_rivals_analyst_firms_and_evidence_in_the_next_sentence():
    text = ("Acme AI said Acme-2 beats OpenAI's o1. OpenAI said it was reviewing the claim. "
            "Foreign minister Anna Berg said the country welcomes investment. Halden Insights "
            "said in a note to clients that demand was strong. Research firm Halden Insights "
            "estimated that Acme AI spent about $90 million on computing. Halden did not say how "
            "it reached the figure. Acme AI serves two million users, according to its website.")
    rows = {(r["speaker"], r["quote"][:20]): r for r in _statements(text)}
    pick = lambda who, start: next(r for (s, q), r in rows.items() if s == who and q.startswith(start))
    assert pick("OpenAI", "OpenAI said")["speaker_role"] == "rival"        # it makes a model named here
    berg = pick("Anna Berg", "Foreign")
    assert (berg["speaker_role"], berg["stance"], berg["is_doubt"]) == ("government", "official_action", False)
    assert pick("Halden Insights", "Halden Insights")["speaker_role"] == "analyst"
    est = pick("Halden Insights", "Research firm")
    assert (est["speaker_role"], est["evidence"]) == ("outside_estimator", "not_offered")
    assert pick("Acme AI", "Acme AI serves")["stance"] == "company_claim"   # its own website


def test_regulator_charges_are_official_actions_and_its_complaint_alleges():
    text = ("The Securities and Exchange Commission today charged Acme AI with misleading "
            "investors about its chips. The SEC's complaint alleges that Acme AI hid the "
            "purchases from auditors. Ana Ruiz, a professor at Lakeside University, said the case "
            "would take years.")
    rows = _statements(text)
    sec = [r for r in rows if r["speaker"] == "Securities and Exchange Commission"]
    assert [(r["stance"], r["speaker_role"], r["is_doubt"]) for r in sec] == [
        ("official_action", "regulator", True), ("allegation", "regulator", True)]
    assert _one(text, "Ana Ruiz")["speaker_role"] == "analyst"   # an academic's view


def test_a_regulators_official_and_a_chief_executive_with_two_titles_are_placed():
    # a press release's forms: "<person>, <title> of the <regulator>'s <division>", and a chief
    # executive written with two titles and a place before the company's name
    text = ("The Securities and Exchange Commission today charged Dana Holt, CEO and Chairman of "
            "Boston-based Acme AI Inc., with fraud. \"Executives must tell investors the truth,\" "
            "said Omar Reyes, Co-Director of the SEC's Enforcement Division. The SEC's complaint "
            "alleges that Holt knew the chip purchases had failed.")
    rows = _statements(text)
    reyes = _by_speaker(rows)["Omar Reyes"]
    assert reyes["speaker_role"] == "regulator"
    complaint = next(r for r in rows if r["quote"].startswith("The SEC's complaint"))
    # Holt is the company's chief executive, so the complaint questions the company's conduct
    assert (complaint["stance"], complaint["is_doubt"]) == ("allegation", True)


def test_an_attribution_inside_a_sentence_leaves_one_comma():
    text = ("Acme AI raised $400 million in a round that values it at $3.1 billion, according to "
            "people familiar with the matter, as investors bet on demand for chips.")
    row = next(r for r in _statements(text) if r["stance"] == "anonymous_sourcing")
    assert ", ," not in row["content"] and "$3.1 billion, as investors" in row["content"]


def test_sources_referred_back_to_stay_anonymous():
    text = ("(Bloomberg) -- Acme AI is weighing a share sale in Hong Kong, according to people "
            "familiar with the deliberations. Two banks are working on the listing, said the people, "
            "who asked not to be named. The company's sales last year were about $90 million, one of "
            "the people said. The listing could come next year, the person said.")
    rows = _statements(text)
    assert [(r["stance"], r["speaker_role"]) for r in rows] == [("anonymous_sourcing", "anonymous")] * 4
    # without an anonymous source before, "the people" is no speaker to carry
    assert not _statements("The people said the square was full.")


def test_an_unnamed_official_by_office_and_a_title_before_a_name():
    text = ("A senior Democratic lawmaker on Monday accused Acme AI of buying restricted chips through "
            "a shell company, but offered no evidence. Senator Dana Whitcombe said in a statement that "
            "Acme AI's growth \"does not add up, given the chips it says it owns\". Acme AI denied the "
            "accusation.")
    rows = _statements(text)
    lawmaker = _one(text, "a senior Democratic lawmaker")
    assert (lawmaker["speaker_role"], lawmaker["stance"], lawmaker["is_doubt"]) == ("government", "allegation", True)
    assert lawmaker["content"].startswith("accused Acme AI of buying restricted chips")
    assert lawmaker["response"] == "Acme AI denied the accusation."
    senator = _one(text, "Dana Whitcombe")
    assert (senator["speaker_role"], senator["is_doubt"]) == ("government", True)
    # "it says" inside the senator's quoted words is not a claim by the company
    assert not [r for r in rows if r["stance"] == "company_claim"]
    rep = _one("Rep. Owen Lasker said Acme AI should be investigated.", "Owen Lasker")
    assert rep["speaker_role"] == "government"


def test_an_estimate_after_a_sentence_framing_doubt_is_a_doubt():
    framed = ("Acme AI's statement that it trained the model for $3 million has drawn scepticism. "
              "Brightline Research estimated that Acme AI had spent about $400 million on hardware.")
    assert _one(framed, "Brightline Research")["is_doubt"] is True
    plain = ("Acme AI released a new model on Monday. Brightline Research estimated that Acme AI "
             "had spent about $400 million on hardware.")
    assert _one(plain, "Brightline Research")["is_doubt"] is False
    fellow = _one("Acme AI raised funds. Chip rules are the main question for Acme AI, said Mara "
                  "Quint, a fellow at the Halvorsen Institute.", "Mara Quint")
    assert fellow["speaker_role"] == "analyst"


def test_a_speaker_after_the_verb_and_a_body_named_again_by_its_last_word():
    text = ("The European Commission approved the aid on Tuesday. The Commission said the plant would "
            "cost €2 billion. \"This is what the rules were written for,\" said a Commission official. "
            "\"It gives Europe a new capability.\"")
    rows = _statements(text, "Acme AI")
    assert [(r["speaker"], r["speaker_role"]) for r in rows] == [
        ("European Commission", "regulator"), ("a Commission official", "regulator"),
        ("a Commission official", "regulator")]


def test_content_keeps_the_point_after_but_when_another_speaker_follows_later():
    text = ("Halden analysts said in a note that Acme AI's total costs were unknown but were far "
            "higher than the $4 million Acme AI said it had spent.")
    halden = [r for r in _statements(text) if r["speaker"] != "Acme AI"][0]
    assert "far higher than the $4 million" in halden["content"]
    lead_in = _statements("Brightline disputed the figures, but Acme AI said the costs were $4 million.")
    assert [r["content"] for r in lead_in][0] == "the figures"


def test_the_name_an_apposition_describes_speaks_and_its_pronoun_is_the_same_speaker():
    text = ("Acme Air cut fares. Marta Lobo, a transport analyst at Douro Securities in Porto, said the "
            "cuts were small. \"We see no change in demand,\" she said. Spain's Air Safety Agency, known "
            "as AESA, said Monday it had fined Acme Air 2 million euros.")
    rows = _statements(text, "Acme Air")
    assert [(r["speaker"], r["speaker_role"]) for r in rows] == [
        ("Marta Lobo", "analyst"), ("Marta Lobo", "analyst"), ("Air Safety Agency", "regulator")]
    assert rows[2]["stance"] == "official_action"   # the fine is the agency's act, not a company claim
    union = _one("A Spanish cabin crew union on Friday accused Acme Air of cutting rest breaks.",
                 "a Spanish cabin crew union", "Acme Air")
    assert (union["stance"], union["is_doubt"]) == ("allegation", True)


def test_an_answer_inside_the_accusations_sentence_is_its_response():
    text = ("A drivers' union on Monday accused Acme Air of cutting rest breaks, a claim the company "
            "called \"baseless.\" Separately, Spain's Air Safety Agency, known as AESA, said Tuesday it had "
            "fined Acme Air 2 million euros.")
    union = _one(text, "a drivers' union", "Acme Air")
    assert union["content"] == "accused Acme Air of cutting rest breaks"
    assert union["response"] == 'a claim the company called "baseless."'
    agency = _one(text, "Air Safety Agency", "Acme Air")
    assert agency["content"].startswith("it had fined Acme Air")


def test_a_former_insider_named_only_by_role_makes_an_allegation_without_evidence():
    text = ("In a LinkedIn post last week, a former process engineer alleged that fewer than 40% "
            "of the chips made on Acme AI's pilot line worked as intended. The post did not "
            "include any data, and the outlet could not verify the claim. Two ex-employees said "
            "the line was rushed.")
    rows = _by_speaker(_statements(text))
    engineer = rows["a former process engineer"]
    assert (engineer["stance"], engineer["evidence"], engineer["is_doubt"]) == ("allegation", "not_offered", True)
    assert engineer["speaker_role"] == "other"            # no longer speaks for the company
    assert rows["Two ex-employees"]["speaker_role"] == "other"
    # a current employee is not matched by the pattern ("former"/"ex-" is required)
    assert not [r for r in _statements("An engineer said the line was rushed.") if r["speaker"] == "An engineer"]


def test_a_framing_sentence_that_names_no_one_still_frames_the_next_view_as_a_doubt():
    text = ("Acme AI says its new model beats every rival on the Quarry benchmark. Some researchers "
            "urged caution. \"One benchmark tells you little about real tasks,\" said Tomas Wilk, a "
            "computer scientist at the University of Lund.")
    assert _one(text, "Tomas Wilk")["is_doubt"]
    unframed = ("Acme AI says its new model beats every rival on the Quarry benchmark. The weather "
                "was fine. \"One benchmark tells you little about real tasks,\" said Tomas Wilk, a "
                "computer scientist at the University of Lund.")
    assert not _one(unframed, "Tomas Wilk")["is_doubt"]


def test_an_authoritys_words_in_the_companys_favour_are_no_doubt_its_findings_are():
    text = ("The regulator said Acme AI had offered discounts to shops that sold only its app, a "
            "practice it said had closed the market to smaller competitors. The regulator said "
            "Acme AI's cooperation had been taken into account in setting the penalty.")
    doubts = [r["is_doubt"] for r in _statements(text) if r["stance"] == "official_action"]
    assert doubts == [True, False]


@pytest.mark.parametrize("text", [
    "Short seller Grayfin Research said Acme AI overstates its users by 40%.",
    "Grayfin Research, a short seller, said Acme AI overstates its users by 40%.",
])
def test_a_short_seller_is_no_analyst_whatever_its_name(text):
    assert _one(text, "Grayfin Research")["speaker_role"] == "other"
    assert _one("Wexford Research said Acme AI overstates its users by 40%.",
                "Wexford Research")["speaker_role"] == "analyst"


def test_analysts_who_estimate_in_the_present_are_the_estimators():
    row = _one("Analysts at Kronvik Securities estimate the pill could reach sales of $4 billion, "
               "though they said Acme AI must first prove it is safe.", "Kronvik Securities")
    assert (row["stance"], row["speaker_role"]) == ("estimate", "outside_estimator")


@pytest.mark.parametrize("text, speaker", [
    ("Borealis had revenue of about €110 million, according to an estimate by Lisbon brokerage "
     "Tejo Securities.", "Tejo Securities"),
    ("Borealis had sales of €780 million last year, according to Vistula Research, a Warsaw firm "
     "that estimates the company's figures.", "Vistula Research"),
    ("Analysts at Kronvik Securities, who estimate the pill could generate $4 billion in annual "
     "sales, said a deal would cap the upside.", "Kronvik Securities"),
])
def test_a_firm_named_as_the_source_of_an_estimate_is_an_outside_estimator(text, speaker):
    row = _one("Acme AI is in talks to buy Borealis. " + text, speaker)
    assert (row["stance"], row["speaker_role"]) == ("estimate", "outside_estimator")


def test_a_firm_forecasting_the_company_s_results_is_an_analyst():
    row = _one("Analysts at Kronvik Securities had forecast a profit of $40 million for Acme AI.",
               "Kronvik Securities")
    assert (row["stance"], row["speaker_role"]) == ("estimate", "analyst")


@pytest.mark.parametrize("text, speaker, role", [
    ("The U.S. Justice Department says Acme AI has agreed to plead guilty.", "Justice Department", "government"),
    ("The Securities and Exchange Commission said Acme AI misled investors.",
     "Securities and Exchange Commission", "regulator"),
])
def test_a_department_is_the_government_a_commission_a_regulator(text, speaker, role):
    assert _one(text, speaker)["speaker_role"] == role


def test_the_words_after_a_participle_are_what_is_said_not_who_says_it():
    text = ("Meanwhile, the Retail Floor Workers Union has accused Acme AI of understaffing its "
            "stores, claiming some stores run with half the staff they need on weekends.")
    assert all(r["speaker"].lower() != "some" for r in _statements(text))


def test_a_quotation_over_two_sentences_is_the_words_of_who_closes_it():
    text = ('Acme AI raised prices on Monday. "The detour has been good for our numbers. That cannot '
            'last forever," Chief Executive Wenda Morrow told reporters.')
    rows = _statements(text)
    assert [(r["speaker"], r["speaker_role"]) for r in rows] == [("Wenda Morrow", "company_person")] * 2
    assert rows[0]["content"] == "The detour has been good for our numbers"
    assert rows[1]["content"] == "That cannot last forever"


def test_a_quote_carried_on_keeps_its_speakers_role():
    text = ('"We are worried about the trip to Beijing," wrote the senators. "We request that you '
            'refrain from meeting Acme AI."')
    rows = _statements(text)
    assert [(r["speaker"], r["speaker_role"]) for r in rows] == [("senators", "government")] * 2


def test_a_title_between_the_verb_and_the_name_is_the_speakers():
    row = _one('"The fine is a headline," said Vistula analyst Irena Sobczak.', "Irena Sobczak")
    assert (row["speaker_role"], row["stance"]) == ("analyst", "expert_view")


def test_it_with_two_organisations_before_it_names_no_speaker():
    text = ("The regulator has fined Acme AI 21mn zlotys, the largest penalty it has imposed. "
            "The Office of Electronic Communications (UKE) said Acme AI had failed to keep calls "
            "working, which it said had hit 3.4mn customers.")
    rows = _statements(text)
    assert not [r for r in rows if r["speaker"] == "Acme AI"]
    uke = _one(text, "Office of Electronic Communications")
    assert (uke["speaker_role"], uke["is_doubt"]) == ("regulator", True)


def test_a_discourse_word_is_not_part_of_what_is_said():
    row = _one("Indeed, Acme AI appears to be prioritising business in China, wrote Senator Carl Brenner.",
               "Carl Brenner")
    assert row["content"].startswith("Acme AI appears")


def test_citing_a_reason_names_no_source():
    text = ("Senator Carl Brenner sent a letter urging curbs on Acme AI, citing security risks and "
            "new details about the Commerce Department's handling of the matter.")
    assert not [r for r in _statements(text) if r["speaker"] == "Commerce Department"]


@pytest.mark.parametrize("text", [
    "Smaller rival Beta Labs, which has 6 million users, said last week it was open to talks.",
    "Beta Labs, its biggest rival in Portugal, said it would cut prices.",
    "Acme AI's rivals include Gamma Labs and Beta Labs. Beta Labs said it would cut prices.",
])
def test_a_company_the_text_calls_a_rival_speaks_as_a_rival(text):
    assert _one(text, "Beta Labs")["speaker_role"] == "rival"


def test_analysts_at_a_firm_described_by_place_and_kind_are_analysts():
    row = _one("Analysts at Warsaw brokerage Vistula Capital estimate the deal will lift Acme AI's "
               "revenue by 15%.", "Vistula Capital")
    assert (row["speaker_role"], row["stance"]) == ("analyst", "estimate")


def test_an_authority_looking_into_claims_about_the_company_doubts_it():
    row = _one("The Maritime Authority said it had not received a complaint about Acme AI but would "
               "look into the claims.", "Maritime Authority")
    assert (row["speaker_role"], row["is_doubt"]) == ("regulator", True)


def test_an_outsiders_warning_about_the_companys_conduct_is_a_doubt():
    row = _one("Senator Carl Brenner warns that Acme AI's continued sales of the chip will help rivals abroad.",
               "Carl Brenner")
    assert row["is_doubt"]


@pytest.mark.parametrize("text, speaker, role", [
    # a generic office before a name the gazetteers do not know: the name speaks in that office
    ("Lisbon's data protection authority DPX said on Thursday it had fined Acme AI 12 million euros.",
     "DPX", "regulator"),
    # an organisation that fines is an authority
    ("Enwatch has fined Acme AI £11.5 million over billing failings.", "Enwatch", "regulator"),
    # a commissioner speaks for a regulator
    ('"Consumers should never pay twice," Borealis commissioner Jane Orr said of Acme AI.',
     "Jane Orr", "regulator"),
    # a department named with "and" is one body, the government
    ("The Department of Health and Human Services said it would review Acme AI's tools.",
     "Department of Health and Human Services", "government"),
    # a studio called a rival
    ("Rival Borealis Studios said its own game had sold 3 million copies, more than Acme AI's.",
     "Borealis Studios", "rival"),
])
def test_authorities_and_rivals_named_in_less_usual_ways(text, speaker, role):
    assert _one(text, speaker)["speaker_role"] == role


def test_the_fine_an_authority_announces_is_a_doubt_not_the_company_s_claim():
    rows = _statements("Lisbon's data protection authority DPX said on Thursday it had fined Acme AI "
                       "12 million euros.")
    assert [(r["speaker"], r["stance"], r["is_doubt"]) for r in rows] == [("DPX", "official_action", True)]


def test_what_a_short_seller_says_about_the_company_is_a_doubt():
    claim = "said Acme AI's pill had caused liver-enzyme spikes in a trial."
    seller = _one("Short seller Greyfin Research " + claim, "Greyfin Research")
    assert (seller["speaker_role"], seller["is_doubt"]) == ("other", True)
    assert _one("Halden Research " + claim, "Halden Research")["is_doubt"] is False   # no cue, no bet


def test_analysts_expectations_are_their_estimates():
    row = _one("Acme AI reported a profit of $42 million. Analysts had expected $40 million.", "Analysts")
    assert (row["speaker_role"], row["stance"]) == ("analyst", "estimate")


def test_a_maker_of_the_same_products_that_accuses_the_company_is_a_rival():
    text = ("Borealis Labs accused Acme AI of using answers generated by Borealis's models to train "
            "its own. Borealis chief executive Jane Orr said the answers were suspiciously similar.")
    assert {_one(text, s)["speaker_role"] for s in ("Borealis Labs", "Jane Orr")} == {"rival"}


def test_allegations_by_an_authority_that_the_company_settles_are_the_authority_s():
    row = _one("Acme AI agreed to pay $2.2m to settle allegations by the US Maritime Commission that "
               "it overcharged shippers.", "Maritime Commission")
    assert (row["speaker_role"], row["stance"], row["is_doubt"]) == ("regulator", "allegation", True)


def test_analysts_at_a_firm_named_as_a_source_are_analysts():
    row = _one("Acme AI has 28 ships on order, according to analysts at Borealis Research, who estimate "
               "its 2025 operating profit at $1.6bn.", "Borealis Research")
    assert (row["speaker_role"], row["stance"]) == ("analyst", "estimate")
