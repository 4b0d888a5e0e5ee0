"""Whose figure it is (link.subjects.type_figures), on short articles written for these tests in
the forms wire and business outlets use: the extractors run as in the pipeline."""

import pandas as pd
import pytest

from newsbrief.extract import entities, figures
from newsbrief.extract.sentences import split_sentences
from newsbrief.link import disagreements, subjects


def typed(text: str, company: str) -> pd.DataFrame:
    sents = split_sentences("a", text)
    mentions = entities.extract_mentions(sents, company)
    found = pd.DataFrame(figures.extract_figures(sents))
    return subjects.type_figures(found, pd.DataFrame(mentions), None, pd.DataFrame(sents),
                                 entities.build_entities(mentions))


def subject_of(text: str, company: str, mention: str) -> tuple[str, str, str]:
    """(measure, subject, item) of the figure whose mention contains `mention`."""
    rows = typed(text, company)
    row = rows[rows["mention"].str.contains(mention, regex=False)].iloc[0]
    return row["measure"], row["subject"], row["item"]


def test_the_backer_that_led_a_round_is_not_whose_valuation_it_is():
    text = ("Brackenfield Labs said on Thursday it had raised $90 million in a Series B round led "
            "by Tollgate Ventures, valuing the startup at $700 million.")
    assert subject_of(text, "Brackenfield Labs", "$700")[:2] == ("valuation", "Brackenfield Labs")
    assert subject_of(text, "Brackenfield Labs", "$90")[:2] == ("funding_equity", "Brackenfield Labs")


def test_a_reference_skips_an_investor_named_after_a_preposition():
    text = ("Brackenfield Labs has raised $90 million. The round was led by U.S. growth investor "
            "Tollgate Ventures. The company's revenue rose to 30 million pounds in 2024.")
    assert subject_of(text, "Brackenfield Labs", "30 million")[:2] == ("revenue", "Brackenfield Labs")


def test_a_speaker_saying_it_did_something_is_whose_figure_it_is():
    text = ("The Financial Conduct Authority (FCA) fined Marlow Pay £4m on Tuesday. Marlow Pay said "
            "it had cooperated with the FCA and had since spent more than £8m on its checks.")
    assert subject_of(text, "Marlow Pay", "£8m")[1] == "Marlow Pay"


def test_a_regulator_acting_on_a_company_is_not_the_subject_of_what_it_counts():
    text = ("Separately, the State Market Regulator (SMR) said Corvid Motors would recall 9,200 Tern "
            "sedans built last year.")
    measure, subject, _item = subject_of(text, "Corvid Motors", "9,200")
    assert (measure, subject) == ("other", "Corvid Motors")      # a recall count is not a sale


def test_an_owned_product_stands_for_its_owner_and_is_kept_as_the_item():
    text = ("Corvid Motors cut the starting price of its Tern sedan. The Tern now starts at "
            "149,900 yuan, the Hefei-based company said on Monday.")
    assert subject_of(text, "Corvid Motors", "149,900") == ("price", "Corvid Motors", "Tern")


def test_a_relative_clause_is_about_the_name_before_it():
    text = ("Corvid Motors exported 9,000 cars to Europe last year, mostly its Kite electric SUV, "
            "which sells in France from 39,990 euros.")
    assert subject_of(text, "Corvid Motors", "39,990") == ("price", "Corvid Motors", "Kite")
    assert subject_of(text, "Corvid Motors", "9,000")[:2] == ("sales", "Corvid Motors")


def test_a_sentence_naming_no_one_is_the_current_company_s_for_its_own_measures():
    text = ("Shares of Harlow Analytics fell 12% on Wednesday. Third-quarter revenue rose 9% to "
            "$410 million. The government offers a grant of up to $5 million to such firms.")
    assert subject_of(text, "Harlow Analytics", "$410")[:2] == ("revenue", "Harlow Analytics")
    # a grant is no measure the company always owns: not resolved rather than guessed
    assert subject_of(text, "Harlow Analytics", "$5 million")[:2] == ("subsidy", "")


def test_an_unknown_name_opening_the_sentence_blocks_the_current_company():
    # (the example was "An index of US software stocks": that index is now a known market)
    text = ("Shares of Harlow Analytics fell 12% on Wednesday. A gauge of Mexican retailers "
            "fell 2.4%, its worst day in a month.")
    assert subject_of(text, "Harlow Analytics", "2.4%")[1] == ""


def test_a_pronoun_after_a_sentence_about_someone_not_known_is_not_resolved():
    text = ("TikTok faces a ban in the United States. Founded in 2013, Quolla is similar to "
            "Pinterest. It has about 200 million users.")
    assert subject_of(text, "TikTok", "200 million")[1] == ""
    known = "TikTok faces a ban in the United States. It has about 170 million users there."
    assert subject_of(known, "TikTok", "170 million")[1] == "TikTok"


def test_a_headline_amount_takes_the_kind_the_story_gives_it():
    text = ("Brackenfield Labs raises $90 million\n\nBrackenfield Labs said on Thursday it had "
            "raised $90 million in a Series B round.")
    rows = typed(text, "Brackenfield Labs")
    assert rows["measure"].tolist() == ["funding_equity", "funding_equity"]
    assert rows["event"].tolist() == ["Series B", "Series B"]


def test_prices_of_two_products_of_one_owner_are_no_disagreement():
    rows = []
    for aid, text in (("a", "Corvid Motors said its Tern sedan starts at 149,900 yuan."),
                      ("b", "Corvid Motors said its Kite SUV starts at 189,900 yuan.")):
        sents = split_sentences(aid, text)
        mentions = entities.extract_mentions(sents, "Corvid Motors")
        found = pd.DataFrame(figures.extract_figures(sents))
        rows.append(subjects.type_figures(found, pd.DataFrame(mentions), None, pd.DataFrame(sents),
                                          entities.build_entities(mentions)))
    typed_rows = pd.concat(rows, ignore_index=True)
    assert typed_rows["subject"].tolist() == ["Corvid Motors", "Corvid Motors"]
    assert sorted(typed_rows["item"]) == ["Kite", "Tern"]
    rel = pd.DataFrame({"article_id": ["a", "b"], "duplicate_of": ["", ""], "derived_from": ["", ""]})
    found = disagreements.find_disagreements(typed_rows, rel, None, "Corvid Motors",
                                             published={"a": "2025-01-07", "b": "2025-01-07"})
    assert found["disagreements"].empty


@pytest.mark.parametrize("item, product, expected", [
    ("", "Tern", "Tern"),
    ("parameters", "Kite-2", "Kite-2"),
    ("business customers", "Kite-2", "business customers of Kite-2"),
    ("Tern sedans", "Tern", "Tern sedans"),
])
def test_the_item_names_the_product(item, product, expected):
    assert subjects._with_product(item, product) == expected


def test_a_person_does_not_own_a_company_measure():
    text = ("Brackenfield Labs was founded by Mara Voss in 2021. Voss and her team trained the "
            "model on a budget of about $4 million.")
    assert subject_of(text, "Brackenfield Labs", "$4 million")[:2] == ("training_cost", "Brackenfield Labs")


def test_a_place_stands_for_its_government_only_for_what_governments_give():
    text = ("Corvid Motors makes cars in Hefei. China will give buyers a subsidy of up to 15,000 "
            "yuan. In China, Corvid Motors sold 12,000 cars in May.")
    assert subject_of(text, "Corvid Motors", "15,000")[:2] == ("subsidy", "China")
    assert subject_of(text, "Corvid Motors", "12,000")[:2] == ("sales", "Corvid Motors")


def test_an_analysts_firm_is_not_what_the_company_refers_to():
    text = ("Brackenfield Labs cut prices again in March. \"Its costs came down first,\" said Ana "
            "Ruiz, an analyst at Halden Securities in Lisbon. The company reported revenue of "
            "$140 million for the quarter.")
    assert subject_of(text, "Brackenfield Labs", "$140")[:2] == ("revenue", "Brackenfield Labs")


def test_an_index_is_a_market_and_no_antecedent_of_the_company():
    text = ("The Nasdaq Composite fell 3.1% on Monday, while chip stocks lost $800 billion in market "
            "value.\n\nThe startup was valued at $2 billion last year.")
    assert subject_of(text, "Kestrel", "3.1%")[:2] == ("market_value_change", "Nasdaq Composite")
    assert subject_of(text, "Kestrel", "$800")[:2] == ("market_value_change", "chip stocks")
    assert subject_of(text, "Kestrel", "$2 billion")[1] != "Nasdaq Composite"


def test_a_described_reference_stands_for_the_company():
    text = ("Corbel Telecom said on Monday it would appeal.\n\nThe dispute comes at a sensitive time "
            "for the Paris-listed company. It sold 250 million euros of convertible bonds last month.")
    measure, subject, _item = subject_of(text, "Corbel Telecom", "250 million")
    assert (measure, subject) == ("funding_convertible", "Corbel Telecom")


def test_an_untyped_figure_in_a_sentence_naming_no_one_is_the_company_s_but_unresolved():
    rows = typed("Corbel Telecom sold bonds on Monday.\n\nThe bonds pay an annual coupon of 1.75%.",
                 "Corbel Telecom")
    row = rows[rows["mention"] == "1.75%"].iloc[0]
    assert (row["measure"], row["subject"], bool(row["resolved"])) == ("other", "Corbel Telecom", False)


def test_a_fine_and_a_funding_round_take_the_month_as_their_event():
    rule = subjects._rules()
    assert subjects._dated_event("fine_penalty", ("2025-05-21", "2025-05-21", "day"), rule) == "fine 2025-05"
    assert subjects._dated_event("fine_penalty", ("2025-05-01", "2025-05-31", "month"), rule) == "fine 2025-05"
    assert subjects._dated_event("funding", ("2024-06-03", "2024-06-03", "day"), rule) == "funding round 2024-06"
    assert subjects._dated_event("share_price_move", ("2025-01-27", "2025-01-27", "day"), rule) == "trading day 2025-01-27"


def test_a_founder_and_his_team_stand_for_the_company_the_text_ties_him_to():
    text = ("BEIJING, March 3 (Reuters) - Kestrel founder Zhou Ming and his team built the system "
            "on a budget of around $4 million, according to a person close to the company.")
    assert subject_of(text, "Kestrel", "$4 million")[1] == "Kestrel"


def test_a_team_of_someone_tied_to_no_company_is_no_one_s():
    text = "Mara Quist and her team raised $3 million for a new venture."
    assert subject_of(text, "Kestrel", "$3 million")[1] == ""


def test_a_government_that_gives_a_grant_is_whose_grant_it_is():
    text = ("WASHINGTON, April 8, 2024 - The Department of Commerce announced that it has signed "
            "preliminary terms with Corvane Corporation to provide up to $7.2 billion in direct "
            "funding under the CHIPS and Science Act.")
    measure, subject, _item = subject_of(text, "Corvane Corporation", "$7.2")
    assert measure == "subsidy" and {"Commerce", "Department"} <= set(subject.split())


def test_a_penalty_against_a_company_is_the_company_s():
    text = "The $2.1 billion penalty against Brightloom is one of the largest ever imposed."
    assert subject_of(text, "Brightloom", "$2.1")[:2] == ("fine_penalty", "Brightloom")


def test_a_headline_fine_is_on_the_one_it_is_imposed_on():
    text = "FTC Imposes $2.1 Billion Penalty and Sweeping New Privacy Restrictions on Brightloom"
    assert subject_of(text, "Brightloom", "$2.1")[:2] == ("fine_penalty", "Brightloom")


def test_a_market_compared_after_for_is_whose_multiple_it_is_and_according_to_names_no_speaker():
    text = ("Before Wednesday Tessaly traded at about 30 times its expected sales, compared with about "
            "8 times for the software index, according to data compiled by Bloomberg.")
    assert subject_of(text, "Tessaly", "30 times")[:2] == ("price_multiple", "Tessaly")
    assert subject_of(text, "Tessaly", "8 times")[:2] == ("price_multiple", "software index")


def test_a_sector_index_is_a_market():
    text = "The selloff spread to other chipmakers. An index of US software stocks fell 2.4%, its biggest drop in a month."
    assert subject_of(text, "Tessaly", "2.4%")[1] == "US software stocks"


def test_a_headline_amount_takes_the_measure_the_body_gives_it():
    text = ("Brightloom to Pay $90 Million for Misleading Investors About the Risks It Faced\n\n"
            "WASHINGTON, July 24, 2019 - Brightloom Inc. has agreed to pay $90 million to settle "
            "charges that it made misleading disclosures.")
    rows = typed(text, "Brightloom")
    assert rows["measure"].tolist() == ["fine_penalty", "fine_penalty"]


def test_a_place_after_a_preposition_and_a_possessive_is_no_subject():
    text = ("Corvane has invested more than $30 billion in its U.S. operations over the past five "
            "years and plans to invest more than $90 billion in the country by 2030.")
    assert subject_of(text, "Corvane", "$90 billion")[:2] == ("investment", "Corvane")


def test_a_demonym_before_the_figure_is_no_other_subject():
    # "European" names no one: the sentence naming no one is about the current company
    text = ("Borealis Air reported its first-quarter results on Tuesday. The net loss for the "
            "quarter, the weakest of the year for European airlines, narrowed to EUR 21 million.")
    assert subject_of(text, "Borealis Air", "EUR 21")[:2] == ("profit_loss", "Borealis Air")


def test_the_company_bought_is_not_whose_purchase_price_it_is():
    text = ("Borealis Corp said it had agreed to buy Portuguese rebar maker Acme Metals for 285 "
            "million euros.")
    assert subject_of(text, "Borealis Corp", "285")[1] == "Borealis Corp"


def test_the_company_is_the_one_the_article_is_about_not_a_rival_named_in_passing():
    text = ("PARIS, Oct 2 (Reuters) - French startup Tarrow AI is in talks to raise about $600 "
            "million from investors.\n\nTarrow AI charges developers $2 per million input tokens, "
            "about a fifth of what OpenAI charges. The company says it has more than 40,000 "
            "business customers.")
    assert subject_of(text, "Tarrow AI", "40,000")[:2] == ("users", "Tarrow AI")


def test_an_analyst_estimating_the_company_s_spending_is_not_the_company():
    text = ("Tarrow AI raised $400 million in February.\n\nAnalysts at Ferrisby Research estimate "
            "the company's total compute spending this year at more than $300 million.")
    assert subject_of(text, "Tarrow AI", "$300")[:2] == ("compute_cost", "Tarrow AI")


def test_a_figure_of_things_counted_is_not_the_name_before_them():
    text = ("Brackenfield Labs released Quill last week. Developers have created over 300 "
            "\"fine-tuned\" versions of Quill that have racked up 1.2 million downloads combined.")
    assert subject_of(text, "Brackenfield Labs", "1.2 million")[1] == ""   # the versions', not the lab's
    named = text.replace("versions of Quill", "versions of Brackenfield-Quill")   # a model mention
    assert subject_of(named, "Brackenfield Labs", "1.2 million")[1] == ""


@pytest.mark.parametrize("text, mention, subject", [
    # the approver is passed over; the aid's nation, when written, is the giver
    ("The European Commission on Tuesday approved €310 million in Polish state aid for the "
     "Gdansk battery plant of Tarnby Energy.", "€310 million", "Polish government"),
    ("Brussels has cleared a €90 million Czech state aid measure for the project.", "€90 million",
     "Czech government"),
    ("Regulators approved a 200 million euro grant from the French government for the plant.",
     "200 million euro", "French government"),
    ("Brussels approves €75mn Czech subsidy for Tarnby plant", "€75mn", "Czech government"),
    # with no giver named: not resolved rather than the approver
    ("The European Commission approved €140 million in aid for Tarnby Energy's plant.",
     "€140 million", ""),
])
def test_an_approving_body_is_not_the_giver_of_aid(text, mention, subject):
    assert subject_of(text, "Tarnby Energy", mention)[:2] == ("subsidy", subject)


def test_a_name_in_a_clause_after_the_figure_is_not_whose_figure_it_is():
    text = ("Tarnby Energy is building a battery plant in Gdansk. The plant is expected to cost 1.9 "
            "billion euros, of which the Polish state is covering 310 million euros.")
    assert subject_of(text, "Tarnby Energy", "1.9")[1] != "Polish government"
    assert subject_of(text, "Tarnby Energy", "310")[:2] == ("subsidy", "Polish government")


def test_an_abbreviation_after_a_common_noun_names_no_one():
    text = ("Tarnby Energy plans a battery plant in Gdansk. The plant would use lithium iron "
            "phosphate (LFP) cells and create about 900 jobs, the company said.")
    assert subject_of(text, "Tarnby Energy", "900")[:2] == ("other", "Tarnby Energy")   # jobs created: no headcount


def test_an_investment_in_a_sentence_naming_no_one_is_the_current_company_s():
    text = ("Tarnby Energy plans a battery plant in Gdansk. The factory is expected to cost 1.9 "
            "billion euros and open in 2027.")
    assert subject_of(text, "Tarnby Energy", "1.9")[:2] == ("investment", "Tarnby Energy")


def test_an_organisation_named_with_an_industry_word_is_no_person_and_owns_its_share_move():
    text = ("Tarnby Bio licensed the drug to Pelham Pharma in March. Pelham had revenue of 1.2 "
            "trillion yen last year. Shares of Pelham rose 2.1% in Tokyo.")
    assert subject_of(text, "Tarnby Bio", "2.1%")[:2] == ("share_price_move", "Pelham Pharma")


def test_a_company_reporting_figures_reports_its_own():
    text = ("Tarnby Bio said on Monday that sales grew. Tarnby Bio reported first-quarter Velora "
            "sales of $96 million, up 22% from a year earlier.")
    assert subject_of(text, "Tarnby Bio", "$96")[:2] == ("revenue", "Tarnby Bio")


def test_a_rival_introduced_by_rival_is_named_without_the_word():
    text = ("Tarnby Bio said sales rose. Rival Halden Therapeutics, whose competing drug had sales "
            "of $1.2 billion last year, cut its price by 20%.")
    assert subject_of(text, "Tarnby Bio", "1.2")[:2] == ("revenue", "Halden Therapeutics")
    assert subject_of(text, "Tarnby Bio", "20%")[:2] == ("price_change", "Halden Therapeutics")


def test_on_a_tie_an_unnamed_figure_is_the_briefing_company_s():
    # Pellora and OpenAI are each named twice before the training-cost sentence, OpenAI last
    text = ("Pellora says its model rivals OpenAI's o1. Pellora on Monday released a model that it "
            "says matches OpenAI on coding tests. The final training run took two months on 2,048 "
            "Nvidia H800 chips and cost $4.1 million.")
    assert subject_of(text, "Pellora", "$4.1")[:2] == ("training_cost", "Pellora")


@pytest.mark.parametrize("company, stem, alone", [
    ("Calvora Air", "Calvora", True),
    ("Veltrisa Semiconductor", "Veltrisa", True),
    ("Acme Line", "Acme", True),                  # a shipping line
    ("Singapore Airlines", "Singapore", False),   # a country
    ("Korean Air", "Korean", False),              # a demonym
    ("United Airlines", "United", False),         # the first word of "United States"
    ("Pernica Mobile", "Pernica", True),
    ("China Mobile", "China", False),
    ("Brennvik Line", "Brennvik", True),          # a short-name word (no industry word)
    ("Borealis Power", "Borealis", True),
    ("Acme Insurance Group", "Acme", True),       # two suffix words, dropped one at a time
    ("Acme Labs Inc", "Acme", True),
])
def test_the_stem_before_an_industry_word_is_the_company_when_it_names_nothing_else(company, stem, alone):
    assert (stem in entities._company_names(company, ())) is alone


def test_a_relative_clause_after_the_company_s_short_name_is_the_company_s():
    # "Pernica" for Pernica Mobile: the customers are its own, not the company it agreed to buy
    text = ("Pernica, which had 15.2 million mobile customers at the end of last year, agreed last "
            "month to buy the cable company Harlow.")
    assert subject_of(text, "Pernica Mobile", "15.2")[:2] == ("users", "Pernica Mobile")


def test_shares_in_a_company_are_its_own():
    text = ("Marenza Air reported record results on Tuesday. Shares in Skyvale Airlines fell 2.7% "
            "in Lisbon.")
    assert subject_of(text, "Marenza Air", "2.7%")[:2] == ("share_price_move", "Skyvale Airlines")


def test_a_rival_s_price_after_at_is_the_rival_s():
    text = ("Marenza Air said its average fare was 48 euros, compared with about 41 euros at "
            "Skyvale Airlines.")
    assert subject_of(text, "Marenza Air", "41 euros")[:2] == ("price", "Skyvale Airlines")
    assert subject_of(text, "Marenza Air", "48 euros")[:2] == ("price", "Marenza Air")


def periods(text: str, company: str, published: str) -> dict[str, str]:
    """mention -> period_start of each figure, with the sentence's dates."""
    from newsbrief.extract import dates
    sents = split_sentences("a", text)
    mentions = entities.extract_mentions(sents, company)
    found = pd.DataFrame(figures.extract_figures(sents))
    rows = subjects.type_figures(found, pd.DataFrame(mentions), pd.DataFrame(dates.extract_dates(sents, published)),
                                 pd.DataFrame(sents), entities.build_entities(mentions))
    return dict(zip(rows["mention"], rows["period_start"]))


def test_the_earlier_value_a_figure_is_compared_with_has_its_own_period():
    got = periods("Marenza Air reported revenue of EUR 310 million for the first quarter of 2025, up 12% "
                  "from EUR 277 million in the same period last year. It carried 8.1 million passengers "
                  "last year, up from 7.4 million passengers in 2023.", "Marenza Air", "2025-05-14")
    assert got["EUR 310 million"] == "2025-01-01"
    assert got["EUR 277 million"] == "2024-01-01"      # the first quarter of 2024, not of 2025
    assert got["8.1 million passengers"] == "2024-01-01"
    assert got["7.4 million passengers"] == "2023-01-01"


def test_a_year_earlier_value_of_an_undated_figure_has_no_period():
    got = periods("Marenza Air said last month that its first-half profit had risen to 30 million euros "
                  "from 19 million euros a year earlier.", "Marenza Air", "2024-09-17")
    # "last month" is when it was said, not the half-year the profit was made in
    assert got["30 million euros"] == "" and got["19 million euros"] == ""


def test_the_dates_of_a_founding_and_a_listing_are_no_period_of_a_fleet():
    got = periods("Marenza, which was founded in 2010 and floated its shares in Lisbon in 2018, operates "
                  "44 Airbus aircraft and employs about 2,900 people.", "Marenza Air", "2024-09-17")
    assert got["44 Airbus aircraft"] == "" and got["about 2,900 people"] == ""


def test_a_date_beyond_a_figure_of_another_measure_is_that_figure_s():
    got = periods("Marenza Air's revenue rose to 48 million euros in 2023 from 21 million euros a year "
                  "earlier, it said, and it had 2.1 million customers.", "Marenza Air", "2024-03-01")
    assert got["48 million euros"] == "2023-01-01" and got["2.1 million customers"] == ""


def test_the_exchange_a_company_is_listed_on_is_not_whose_figure_it_is():
    text = ("Brennvik Line A/S (Nasdaq Copenhagen: BREN) today reported revenue of USD 1.12 "
            "billion for the first quarter of 2025.")
    assert subject_of(text, "Brennvik Line", "USD 1.12")[:2] == ("revenue", "Brennvik Line")


def test_a_sum_over_a_period_takes_its_period_not_the_day_it_was_told():
    got = periods("Marenza Games reported fourth-quarter net sales of 2.84 billion Swedish crowns on "
                  "Thursday, and its shares rose 31% on Thursday.", "Marenza Games", "2025-02-13")
    assert got["2.84 billion Swedish crowns"] == "2024-10-01"
    assert got["31%"] == "2025-02-13"     # a day's share move keeps its day
    only_day = periods("Marenza Games posted annual net profit of 212 million euros on Wednesday.",
                       "Marenza Games", "2025-08-20")
    assert only_day["212 million euros"] == "2025-08-20"   # no longer span near: the day stays
