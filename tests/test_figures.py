"""figures.extract_figures: values at full scale, units, qualifiers, measures, non-figures."""
from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

from newsbrief import ids
from newsbrief.extract import clean
from newsbrief.extract.figures import extract_figures
from newsbrief.extract.sentences import split_sentences
from scaling import assert_linear, repeated

ROOT = Path(__file__).resolve().parents[1]
OTHER = ROOT / "tests" / "fixtures" / "other_company"


def figs(text: str) -> list[dict]:
    return extract_figures(split_sentences("t", text))


def one(text: str) -> dict:
    rows = figs(text)
    assert len(rows) == 1, [(r["mention"], r["kind"]) for r in rows]
    return rows[0]


@pytest.mark.parametrize("text, mention, kind, low, high, unit, qualifier", [
    ("Training cost $5.58 million in computing power.", "$5.58 million", "money", 5.58e6, 5.58e6, "USD", ""),
    ("It needed less than $6 million worth of compute.", "less than $6 million", "money", 6e6, 6e6, "USD", "under"),
    ("It cost under $6 million.", "under $6 million", "money", 6e6, 6e6, "USD", "under"),
    ("A budget of around $6 million.", "around $6 million", "money", 6e6, 6e6, "USD", "around"),
    ("The lab raised €1.2 billion.", "€1.2 billion", "money", 1.2e9, 1.2e9, "EUR", ""),
    ("It secured $1.5bn from funds.", "$1.5bn", "money", 1.5e9, 1.5e9, "USD", ""),
    ("It raised £300m last year.", "£300m", "money", 3e8, 3e8, "GBP", ""),
    ("It spent 6 million dollars.", "6 million dollars", "money", 6e6, 6e6, "USD", ""),
    ("It may cost $5-6 million.", "$5-6 million", "money", 5e6, 6e6, "USD", ""),
    ("The half-trillion-dollar Stargate Project was announced.", "half-trillion-dollar", "money", 5e11, 5e11, "USD", ""),
    ("The index lost $1 trillion in value.", "$1 trillion", "market_move", 1e12, 1e12, "USD", ""),
    ("Nvidia is down more than $500 billion in value.", "more than $500 billion", "market_move", 5e11, 5e11, "USD", "more than"),
    ("Its stock price fell, a drop by 18% in a day.", "18%", "market_move", 18, 18, "%", ""),
    ("The valuation rose to around €6 billion.", "around €6 billion", "money", 6e9, 6e9, "EUR", "around"),
    ("It has 50,000 Nvidia H100 chips, he said.", "50,000 Nvidia H100 chips", "count", 5e4, 5e4, "chips", ""),
    ("He estimates around 50,000 NVIDIA H100s.", "around 50,000 NVIDIA H100s", "count", 5e4, 5e4, "chips", "around"),
    ("A cluster of 10,000 A100 chips.", "10,000 A100 chips", "count", 1e4, 1e4, "chips", ""),
    ("It stockpiled over 10,000 H100 GPUs before.", "over 10,000 H100 GPUs", "count", 1e4, 1e4, "chips", "more than"),
    ("Users made over 500 \"derivative\" models of it.", "over 500 \"derivative\" models", "count", 500, 500, "models", "more than"),
    ("The models have 2.5 million downloads.", "2.5 million downloads", "count", 2.5e6, 2.5e6, "downloads", ""),
    ("It is 20 to 50 times cheaper to use.", "20 to 50 times", "multiplier", 20, 50, "x", ""),
    ("At 20 to 40 times the cost, it is pricey.", "20 to 40 times", "multiplier", 20, 40, "x", ""),
    ("It is 20-40x cheaper.", "20-40x", "multiplier", 20, 40, "x", ""),
    ("It is reportedly 3 times cheaper to run.", "3 times", "multiplier", 3, 3, "x", "reportedly"),
    ("Margins rose 18% last quarter.", "18%", "percent", 18, 18, "%", ""),
    ("A 671 billion parameter model.", "671 billion parameter", "parameters", 6.71e11, 6.71e11, "parameters", ""),
    ("A model with a 67 billion parameter count.", "67 billion parameter", "parameters", 6.7e10, 6.7e10, "parameters", ""),
    ("It has 236 billion parameters.", "236 billion parameters", "parameters", 2.36e11, 2.36e11, "parameters", ""),
    ("A 7B parameters model.", "7B parameters", "parameters", 7e9, 7e9, "parameters", ""),
    ("It hired 180 people this year.", "180 people", "count", 180, 180, "people", ""),
])
def test_figure_cases(text, mention, kind, low, high, unit, qualifier):
    row = one(text)
    assert row["mention"] == mention
    assert (row["kind"], row["unit"], row["qualifier"]) == (kind, unit, qualifier)
    assert row["low"] == pytest.approx(low) and row["high"] == pytest.approx(high)
    assert row["value"] == pytest.approx((low + high) / 2)
    assert row["subject"] == ""


@pytest.mark.parametrize("text", [
    "DeepSeek-V3 and DeepSeek-R1 rival GPT-4o and o1.",
    "It became the No. 1 free app in 2025.",
    "Founded in 2015, it grew by 2023.",
    "He told 36Kr in an interview.",
    "Shares fell by 2:30 p.m. and at 3 p.m. local time.",
    "1. First point\n2. Second point",
    "Pledges of billions of dollars were made.",
    "The team grew from 40 last year.",
    "Kestrel-2 and Kestrel Nano were released.",
    "The S&P 500 has been volatile.",
    "one or two years",
])
def test_not_figures(text):
    assert figs(text) == []


@pytest.mark.parametrize("text, measure", [
    # "computing power" with no word about training is a computing cost (this case expected
    # training_cost before measures.yml had a compute_cost measure)
    ("It required less than $6 million worth of computing power.", "compute_cost"),
    ("The training of V3 required less than $6 million worth of computing power.", "training_cost"),
    ("The training run cost less than €9 million.", "training_cost"),
    ("It is 20 to 50 times cheaper to use than rivals.", "price_multiple"),
    ("The firm has 50,000 Nvidia H100 chips.", "chip_count"),
    ("A 671 billion parameter model.", "parameter_count"),
    ("Nvidia lost $500 billion in market value.", "market_value_change"),
    ("Nvidia shares fell 17% on Monday.", "share_price_move"),
    ("The Nasdaq index fell 3.1% as investors sold chip stocks.", "market_value_change"),
    ("The app reached 2.5 million downloads.", "downloads"),
    ("Kestrel AI raised €1.2 billion in a funding round.", "funding"),
    # a valuation is not money raised (this case expected funding before valuation existed)
    ("The round values the start-up at about €6 billion.", "valuation"),
    ("Investors valued Kestrel at $2 billion after the deal.", "valuation"),
    ("Kestrel's valuation has risen to $14 billion.", "valuation"),
    ("The company closed a $640 million Series B led by General Catalyst.", "funding_equity"),
    ("It sold $300 million of convertible notes to a sovereign fund.", "funding_convertible"),
    ("The carmaker took out a $2 billion loan from state banks.", "funding_debt"),
    ("The White House pledged a $500 billion investment.", "investment"),
    ("Annualised revenue passed $100 million in March, the company said.", "revenue"),
    ("The carmaker reported a net loss of 2.1 billion yuan for the quarter.", "profit_loss"),
    ("Its market capitalisation is about $3 trillion.", "market_value"),
    ("API access is priced at $0.55 per million input tokens.", "price"),
    ("The SU7 sedan starts at 215,900 yuan.", "price"),
    ("The settlement pays about $3,000 per book to authors.", "fine_penalty"),
    ("Regulators fined the company €15 million for data breaches.", "fine_penalty"),
    ("It delivered 1.8 million vehicles last year.", "deliveries"),
    ("The startup employs about 160 staff in Hangzhou.", "headcount"),
    ("The chatbot has 30 million daily active users.", "users"),
    ("It spent $1.6 billion on servers and chips in 2024.", "hardware_spend"),
    ("BYD cut prices of its Seagull hatchback by 5%.", "price_change"),
    ("It now holds a 34% market share in China.", "market_share"),
    ("Kestrel paid $40 million for a Paris start-up.", "other"),
    # the noun the figure modifies decides ("a 27.4% duty", "$480 million round", "value")
    ("Since October the EU has charged Corvid a 27.4 per cent countervailing duty.", "tariff_rate"),
    ("The duties come on top of the bloc's standard 10% import tariff on cars.", "tariff_rate"),
    ("Kestrel Is Said to Be in Talks for Funding at $4 Billion Value", "valuation"),
    ("Kestrel closes $480 million round as demand grows", "funding"),
    ("It secured a $300 million revolving credit facility from banks.", "funding_debt"),
    ("The province will contribute a C$40 million grant to the plant.", "subsidy"),
    ("Buyers get a subsidy of up to 20,000 yuan when they scrap an old car.", "subsidy"),
    ("The minister pointed to a C$1.8 billion ($1.32 billion) programme to expand computing.", "investment"),
    ("The firm spent about $90 million on computing power in 2023.", "compute_cost"),
    # a percentage is typed by what it is a percentage of
    ("Corvid Q1 deliveries jump 31% as exports grow", "deliveries"),
    ("China's new energy vehicle sales rose 36% in the first quarter.", "sales"),
    ("The cuts affect roughly 6% of its workforce.", "headcount"),
    ("Corvid's share of China's battery-electric car market was 2.1% in 2024.", "market_share"),
    ("It makes money from a fee of 1.4% on each card payment.", "price"),
    ("The company's quarterly revenue rose 14%.", "revenue"),
    # vehicles: delivered, sold or neither
    ("The company kept its target of delivering 280,000 vehicles this year.", "deliveries"),
    ("The company exported about 18,000 cars to Europe last year.", "sales"),
    ("The plant will be able to make 150,000 vehicles a year.", "other"),
    ("The regulator said Corvid would recall 18,400 Tern sedans.", "other"),
    ("It sits at the dealer with 3,000 cars unsold.", "other"),
    # not in the vocabulary: an analyst's price target
    ("Analysts lowered their price target to $140.", "other"),
    ("It would buy back up to $1 billion of its shares.", "buyback"),
    ("Nvidia stockholders suffered a loss of $589 billion in late January.", "market_value_change"),
    ("It fell as much as 23% during the session.", "share_price_move"),
])
def test_measures(text, measure):
    assert one(text)["measure"] == measure


def test_nearest_keyword_decides_between_two_figures_of_one_sentence():
    # money raised at a valuation is equity (a priced round); this case expected `funding`
    # before measures.yml had the priced-round refinement
    rows = figs("Kestrel raised $300 million at a valuation of $2 billion, people familiar said.")
    assert [(r["mention"], r["measure"]) for r in rows] == [
        ("$300 million", "funding_equity"), ("$2 billion", "valuation")]


def test_bracketed_conversion_is_one_figure_in_two_currencies():
    rows = figs("The Paris start-up raised €600 million ($643.7 million) in its Series B round.")
    assert len(rows) == 1
    r = rows[0]
    assert r["mention"] == "€600 million ($643.7 million)"
    assert (r["currency"], r["value"]) == ("EUR", pytest.approx(6e8))
    assert (r["converted_currency"], r["converted_value"]) == ("USD", pytest.approx(6.437e8))
    assert (r["measure"], r["event"]) == ("funding_equity", "Series B")


def test_two_amounts_in_different_currencies_without_brackets_stay_two():
    rows = figs("It raised €600 million, after $200 million last year.")
    assert [r["currency"] for r in rows] == ["EUR", "USD"]
    assert all(r["converted_currency"] == "" for r in rows)


@pytest.mark.parametrize("text", [
    "($1 = 0.9321 euros)",
    "($1 = 7.2985 Chinese yuan renminbi)",
    "(1 euro = $1.0712)",
    "The deal was worth $10s of millions, two people said.",
    "It burned through tens of millions of dollars.",
    "Investors poured billions of dollars into AI chips.",
    "Anthropic's Claude 3.7 Sonnet models beat rivals on coding.",
    "Meta's Llama 3 models are open-weight.",
    "The iPhone 16 launched in September.",
    "It was a hit in the 1990s.",
])
def test_more_not_figures(text):
    assert figs(text) == []


def test_version_before_a_parameter_size_is_not_a_figure_but_the_size_is():
    rows = figs("Meta's Llama 3.1 405B model is open-weight.")
    assert [(r["mention"], r["kind"], r["measure"]) for r in rows] == [
        ("405B", "parameters", "parameter_count")]
    assert rows[0]["value"] == pytest.approx(4.05e11)


def test_footer_after_a_real_figure_keeps_only_the_figure():
    rows = figs("The fund raised €600 million. ($1 = 0.9321 euros)")
    assert [r["mention"] for r in rows] == ["€600 million"]


def test_per_unit_payment_is_a_price_or_payment_not_a_training_cost():
    r = one("Authors will get $3,000 per book used to train the models.")
    assert r["scope"] == "per book"
    assert r["measure"] in ("price", "fine_penalty")
    assert r["measure"] != "training_cost"


def test_rate_is_a_scope_not_a_per_unit_restriction():
    r = one("Kestrel's revenue is running at $200 million a year.")
    assert (r["measure"], r["scope"]) == ("revenue", "per year")


def test_a_year_ago_is_not_a_rate():
    r = one("It raised $200 million a year ago.")
    assert (r["measure"], r["scope"]) == ("funding", "")


def test_scope_of_a_training_cost():
    r = one("The $5.6 million covered only the final training run of the model.")
    assert (r["measure"], r["scope"]) == ("training_cost", "final training run only")


def test_offsets_refer_to_the_article_text():
    text = " date 2025-03-14 PARIS: Kestrel raised €1.2 billion.\nIt has 4,000 Nvidia H200 chips."
    rows = extract_figures(split_sentences("k", text, clean.find_furniture(text)))
    assert [r["mention"] for r in rows] == ["€1.2 billion", "4,000 Nvidia H200 chips"]
    for r in rows:
        assert text[r["start"]:r["end"]] == r["quote"]
        assert text[r["mention_start"]:r["mention_end"]] == r["mention"]
    key = ids.text_key(text)
    assert [r["figure_id"] for r in rows] == [f"fig-{key}-{text.index('€')}", f"fig-{key}-{text.index('4,000')}"]
    assert rows[1]["item"] == "Nvidia H200 chips"


def _fixture_figures(name: str) -> list[tuple]:
    text = (OTHER / name).read_text(encoding="utf-8")
    rows = extract_figures(split_sentences("k", text, clean.find_furniture(text)))
    for r in rows:
        assert text[r["start"]:r["end"]] == r["quote"]
        assert text[r["mention_start"]:r["mention_end"]] == r["mention"]
    return [(r["kind"], r["value"], r["unit"], r["qualifier"]) for r in rows]


def test_other_company_fixtures():
    got = _fixture_figures("kestrel_001_funding.txt")
    for expected in [("money", 1.2e9, "EUR", ""), ("money", 6e9, "EUR", "around"),
                     ("money", 1.3e9, "USD", "around"), ("count", 4000.0, "chips", ""),
                     ("count", 6000.0, "chips", "more than"), ("money", 9e6, "EUR", "under"),
                     ("money", 1.5e9, "USD", ""), ("multiplier", 25.0, "x", "")]:
        assert expected in got
    got3 = _fixture_figures("kestrel_003_regulator.txt")
    assert ("multiplier", 20.0, "x", "") in got3  # 15-25x, disagrees with 20 to 30 times
    assert ("count", 12000.0, "chips", "around") in got3
    got4 = _fixture_figures("kestrel_004_market.txt")
    assert ("market_move", 6.0, "%", "") in got4
    assert ("market_move", 4e10, "EUR", "more than") in got4
    assert not any(k == "count" and v == 2.0 for k, v, _, _ in got4)  # not "2:30 p.m."


def test_adversarial_input_is_linear():
    cases = [(repeated("9"), 5000), (repeated("1,"), 5000), (repeated("$", suffix="1"), 5000),
             (repeated("1 ", suffix="chips"), 3000), (repeated("20 to ", suffix="50 times"), 2000),
             (repeated("x", suffix=" 5 million"), 5000), (repeated("1.1.1."), 2000),
             (repeated("less than ", suffix="$5"), 1000),
             (repeated("lost ", suffix="$1 trillion in value"), 2000)]

    def run(text: str):
        rows = extract_figures([{"sentence_id": "snt-a-1", "article_id": "a", "start": 0,
                                 "end": len(text), "quote": text, "kind": "body"}])
        for r in rows:
            assert text[r["mention_start"]:r["mention_end"]] == r["mention"]
    for text_of, n in cases:
        assert_linear(run, text_of, n)


_PIECES = ["$", "€", "5", "5.58", "50,000", " ", "million", "bn", "to", "-", "x", "times", "%",
           "chips", "H100s", "less than", "over", "lost", "shares", "No.", "2023", ":", "parameters",
           "half-trillion-dollar", "\"", "A100", "cheaper"]


@settings(max_examples=80, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=60).map(" ".join))
def test_property_mentions_are_exact(text):
    rows = extract_figures([{"sentence_id": "snt-a-1", "article_id": "a", "start": 3,
                             "end": 3 + len(text), "quote": text, "kind": "body"}])
    full = "abc" + text
    for r in rows:
        assert full[r["mention_start"]:r["mention_end"]] == r["mention"]
        assert r["low"] <= r["value"] <= r["high"]


def test_every_qualifier_has_one_meaning():
    """Each normalised qualifier the extractor writes has a meaning (figures.yml), read through
    one function by claims, prose and the front page; an unknown one is exact and unworded."""
    from newsbrief import knowledge
    from newsbrief.extract.figures import BOUNDS, qualifier_meaning

    written = set((knowledge.load("figures")["qualifiers"]).values()) | {"reportedly"}
    listed = set(knowledge.load("figures")["qualifier_meanings"])
    assert written == listed
    assert all(qualifier_meaning(q).bound in BOUNDS for q in listed)
    assert qualifier_meaning("under").bound == "upper" and qualifier_meaning(" Under ").words == "under"
    assert qualifier_meaning("") == qualifier_meaning("no such qualifier") == qualifier_meaning(None)
    assert qualifier_meaning("").bound == "exact" and not qualifier_meaning("").words


def test_money_raised_in_a_round_that_values_the_company_is_equity_but_a_valuation_stays_one():
    rows = figs("Kestrel raised $220 million, valuing the startup at $1.4 billion.")
    assert [(r["mention"], r["measure"]) for r in rows] == [
        ("$220 million", "funding_equity"), ("$1.4 billion", "valuation")]


@pytest.mark.parametrize("text, mention, kind, value", [
    ("Its stock price jumped by over six percent on August 7.", "over six percent", "market_move", 6.0),
    ("It now serves more than two million customers.", "more than two million customers", "count", 2e6),
    ("Fern 4 is roughly six times the size of the older model.", "roughly six times", "multiplier", 6.0),
])
def test_numbers_written_as_words_before_a_unit(text, mention, kind, value):
    r = one(text)
    assert (r["mention"], r["kind"], r["value"]) == (mention, kind, pytest.approx(value))


@pytest.mark.parametrize("text", [
    "One of the two founders left, three people familiar with the matter said.",
    "Two analysts said the deal could close in five weeks.",
])
def test_numbers_written_as_words_without_a_unit_are_no_figures(text):
    assert figs(text) == []


def test_growth_far_from_a_market_word_is_no_market_move():
    r = figs("Orvane said it delivered 203,450 vehicles in 2024, up 38% from a year earlier, and "
             "cut the starting price of its sedan as a price war in the world's largest car market "
             "went on.")
    assert [(x["mention"], x["kind"], x["measure"]) for x in r][1] == ("38%", "percent", "deliveries")
    assert one("Shares of Orvane fell 3.2% in Hong Kong trading.")["kind"] == "market_move"


# ---- deal status, compared values, market moves, clauses (sentences written for these tests in
# wire, business-press and trade-press forms)

@pytest.mark.parametrize("text, mention, status", [
    ("Harlow Bikes is weighing a sale of roughly £200 million of convertible notes, two people "
     "with knowledge of the matter said.", "£200 million", "planned"),
    ("Harlow Bikes said on Monday it had sold £180 million of convertible notes due 2031.",
     "£180 million", "completed"),
    ("The lender is in talks to raise $400 million, the people said.", "$400 million", "in_talks"),
    ("The carmaker expects revenue of between $4 billion and $4.5 billion this year.",
     "$4 billion", "expected"),
    ("The watchdog fined Corbel Telecom 12 million euros on Tuesday.", "12 million euros", "completed"),
    # a stage named after the figure is not read (only cues before it): the rumour cue gives it
    ("A $500 million funding round is being arranged, people familiar said.", "$500 million", "rumoured"),
    ("The funding round totals $500 million, people familiar said.", "$500 million", "rumoured"),
    ("Revenue rose 9% to $310 million in the quarter.", "$310 million", ""),
])
def test_status_is_the_stage_the_nearest_cue_gives(text, mention, status):
    row = next(r for r in figs(text) if mention in r["mention"])
    assert row["status"] == status


def test_one_sentence_can_hold_a_completed_and_a_planned_deal():
    rows = figs("Tamsin Robotics, which raised $120 million last year, plans to raise as much as "
                "$300 million in a new round.")
    assert [(r["mention"], r["status"]) for r in rows] == [
        ("$120 million", "completed"), ("as much as $300 million", "planned")]


def test_status_is_only_given_to_deal_and_forecast_measures():
    assert one("Its Plus plan costs 6.99 euros a month.")["status"] == ""


def test_status_groups_keep_planned_and_completed_apart():
    from newsbrief.extract.figures import status_group, status_label
    assert status_group("completed") == status_group("") == "actual"
    assert {status_group(s) for s in ("planned", "in_talks", "proposed", "expected")} == {"prospective"}
    assert status_group("rumoured") == "actual"   # how it is sourced, not the deal's stage
    assert status_label("planned") == "planned" and status_label("completed") == ""


def test_funding_of_unstated_kind_is_compatible_with_one_kind_only():
    from newsbrief.extract.figures import compatible_measures
    assert compatible_measures("funding", "funding_equity")
    assert compatible_measures("funding_convertible", "funding")
    assert not compatible_measures("funding_equity", "funding_debt")
    assert not compatible_measures("funding", "revenue")


def test_the_earlier_value_a_figure_is_compared_with_measures_the_same_thing():
    rows = figs("Sales at the Lyon unit climbed 12% to 430 million euros in 2024 from 384 million "
                "euros, the group said, while its operating loss narrowed to 22 million euros from "
                "31 million euros.")
    assert [(r["mention"], r["measure"]) for r in rows] == [
        ("12%", "revenue"), ("430 million euros", "revenue"), ("384 million euros", "revenue"),
        ("22 million euros", "profit_loss"), ("31 million euros", "profit_loss")]


def test_what_moved_is_named_before_the_move():
    rows = figs("Shares in Harlow Bikes rose as much as 9.2% in early trading in London and were up "
                "6.1% by midday, giving the company a market value of about 1.4 billion pounds.")
    assert [(r["mention"], r["measure"]) for r in rows] == [
        ("as much as 9.2%", "share_price_move"), ("6.1%", "share_price_move"),
        ("about 1.4 billion pounds", "market_value")]


@pytest.mark.parametrize("text, mention, measure", [
    ("Gross merchandise value on the platform reached $12 billion, while revenue was $1.1 billion.",
     "$12 billion", "other"),
    ("Gross merchandise value on the platform reached $12 billion, while revenue was $1.1 billion.",
     "$1.1 billion", "revenue"),
    ("The penalty amounts to just over four percent of Corbel's revenue last year.", "four percent", "other"),
    ("Corbel holds about 27% of France's mobile market, according to analysts at Piper.", "27%", "market_share"),
    ("Rival Tessa charges 5.99 euros a month for its Tessa Go plan.", "5.99 euros", "price"),
    ("Corbel raised $600 million in its initial public offering in 2021.", "$600 million", "funding_equity"),
    ("The deal would value the startup at $900 million, according to people familiar with the matter.",
     "$900 million", "valuation"),
])
def test_measures_from_clause_and_construction(text, mention, measure):
    row = next(r for r in figs(text) if mention in r["mention"])
    assert row["measure"] == measure


def test_an_expectation_naming_no_measure_is_one_of_what_the_sentence_before_measured():
    rows = figs("Revenue rose 12% to $548 million, the company said. Analysts had expected $535 "
                "million, according to FactSet.")
    assert [(r["mention"], r["measure"], r["status"]) for r in rows][-1] == ("$535 million", "revenue", "expected")


def test_an_event_named_beyond_another_figure_is_that_figure_s():
    rows = figs("The round values Fernhill at $420 million, according to a person familiar with the "
                "deal, up from $150 million when it raised its Series A in 2022.")
    assert [(r["mention"], r["measure"], r["event"]) for r in rows] == [
        ("$420 million", "valuation", ""), ("$150 million", "valuation", "Series A")]


def test_people_whose_data_was_exposed_are_no_user_base():
    rows = figs("The complaint alleges that a developer had misused the data of up to 40 million "
                "Brightloom users. Brightloom has more than 2 billion monthly users.")
    assert [r["measure"] for r in rows] == ["other", "users"]


@pytest.mark.parametrize("text, mention, currency", [
    ("The government will provide tax incentives worth up to 1.2 billion ringgit.", "1.2 billion ringgit", "MYR"),
    ("Quebec will give a grant of 40 million Canadian dollars.", "40 million Canadian dollars", "CAD"),
    ("It plans to list at a valuation of about S$2 billion.", "S$2 billion", "SGD"),
])
def test_currencies_of_other_countries(text, mention, currency):
    row = next(r for r in figs(text) if mention in r["mention"])
    assert (row["kind"], row["currency"]) == ("money", currency)


def test_shares_valuing_a_listed_company_give_its_market_value_and_a_round_its_valuation():
    listed = figs("Brennor shares closed up 4.2% in Amsterdam, valuing the company at 61 billion euros.")
    assert [(r["mention"], r["measure"]) for r in listed][-1] == ("61 billion euros", "market_value")
    private = figs("Brennor raised $90 million in a round valuing it at $1.2 billion.")
    assert [(r["mention"], r["measure"]) for r in private][-1] == ("$1.2 billion", "valuation")


def test_a_share_of_the_total_is_no_revenue_figure():
    rows = figs("Third-quarter sales rose 22% to 1.9 billion euros, with China accounting for 41% of "
                "the total, down from 49% a year earlier.")
    assert [(r["mention"], r["measure"]) for r in rows] == [
        ("22%", "revenue"), ("1.9 billion euros", "revenue"), ("41%", "other"), ("49%", "other")]


def test_an_earlier_value_is_no_plan():
    rows = figs("The new round would more than double the company's valuation from the $3.2 billion "
                "it fetched in February.")
    assert [(r["mention"], r["measure"], r["status"]) for r in rows] == [("$3.2 billion", "valuation", "")]


def test_a_previous_range_is_compared_with_the_new_figure():
    rows = figs("Ossery raised its 2025 capital spending plan to as much as $32 billion on Thursday, "
                "from a previous range of $28 billion to $30 billion, as demand for AI chips grows.")
    assert [(r["mention"], r["measure"]) for r in rows] == [
        ("as much as $32 billion", "capex"), ("$28 billion to $30 billion", "capex")]


# Industries beyond software and cars: biotech deals and trials, aircraft orders, R&D (sentences
# written for these tests in wire and trade-press forms)
@pytest.mark.parametrize("text, mention, measure, scope", [
    ("Pelliton Bio will receive $85 million upfront and up to $940 million in development and "
     "sales milestones, the company said.", "$85 million", "deal_payment", "upfront payment"),
    ("Pelliton Bio will receive $85 million upfront and up to $940 million in development and "
     "sales milestones, the company said.", "up to $940 million", "deal_payment", "milestone payments"),
    ("Pelliton licensed the antibody to Orsk Pharma in a deal worth up to $1.1 billion.",
     "up to $1.1 billion", "deal_payment", "total deal value"),
    ("Approval would trigger a $40 million milestone payment from Orsk.", "$40 million",
     "deal_payment", "milestone payments"),
    ("Analysts at Ferrow Partners see peak annual sales of $1.8 billion for the drug.", "$1.8 billion",
     "revenue", "peak sales forecast"),
    ("Its research and development spending rose to $212 million from $171 million.", "$212 million",
     "rd_spend", ""),
    ("The company spent $64 million on R&D in the quarter.", "$64 million", "rd_spend", ""),
    ("Pelliton said it would charge $88,000 a year for the therapy.", "$88,000", "price", "per year"),
    ("The late-stage study enrolled 540 patients at 70 sites.", "540 patients", "trial_enrolment", ""),
    ("Tarnby Aero delivered 41 jets in April, down from 47 a year earlier.", "41 jets", "deliveries", ""),
    ("Tarnby Aero booked orders for 96 aircraft in the quarter.", "96 aircraft", "orders", ""),
    ("Its backlog stood at 3,410 aircraft at the end of June.", "3,410 aircraft", "backlog", ""),
    ("Corsa Air ordered 30 Tarnby T7 jets in a deal valued at about $3.9 billion at list prices.",
     "about $3.9 billion", "orders", ""),
    ("The plant will cost 1.9 billion euros, of which the Polish state is covering 400 million euros.",
     "400 million euros", "subsidy", ""),
    ("Pelliton raised $180 million in a follow-on share offering.", "$180 million", "funding_equity", ""),
])
def test_measures_of_biotech_aviation_and_public_money(text, mention, measure, scope):
    row = next(r for r in figs(text) if mention in r["mention"])
    assert (row["measure"], row["scope"]) == (measure, scope)


# Miners, shipping lines, telecom operators and retailers, and payouts, debt and capital
# spending of any company (sentences written for these tests in wire and trade-press forms)
@pytest.mark.parametrize("text, mention, measure, scope", [
    ("Gold output rose 8% to 1.02 million ounces in the quarter.", "8%", "production", ""),
    ("All-in sustaining costs fell to $1,290 an ounce.", "$1,290", "unit_cost", "per ounce"),
    ("C1 cash costs were $1.85 per pound in the half.", "$1.85", "unit_cost", "per pound"),
    ("Ostrand raised its offer to 4.15 pounds a share in cash.", "4.15 pounds", "offer_price", "per share"),
    ("The takeover offer values Harrowgate at about 4.1 billion pounds.", "about 4.1 billion pounds",
     "takeover_value", ""),
    ("Net debt fell to $2.3 billion at the end of June.", "$2.3 billion", "net_debt", ""),
    ("The company announced a $500 million share buyback.", "$500 million", "buyback", ""),
    ("It plans capital expenditure of about 1.8 billion euros next year.", "about 1.8 billion euros",
     "capex", ""),
    ("Its fleet of 212 vessels has a capacity of 1.9 million TEU.", "212 vessels", "fleet", ""),
    ("Kelsund ordered 12 container ships from a Korean yard.", "12 container ships", "orders", ""),
    ("Spot freight rates on the Asia-Europe route rose to $3,400 per container.", "$3,400",
     "price", "per container"),
    ("Kelsund had 26 ships on order at the end of June.", "26 ships", "backlog", ""),
    ("Veromar ended the year with 21.4 million mobile customers.", "21.4 million mobile customers",
     "users", ""),
    ("Average revenue per user rose to 14.20 euros a month.", "14.20 euros", "arpu", "per month"),
    ("Monthly churn fell to 1.1% in the quarter.", "1.1%", "churn", ""),
    ("Veromar paid 1.2 billion euros for 5G spectrum in the auction.", "1.2 billion euros",
     "spectrum_payment", ""),
])
def test_measures_of_mining_shipping_telecoms_and_retail(text, mention, measure, scope):
    row = next(r for r in figs(text) if mention in r["mention"])
    assert (row["measure"], row["scope"]) == (measure, scope)


def test_a_company_forecast_of_production_is_expected():
    rows = figs("Harrowgate expects copper production to rise 4% next year.")
    assert [(r["measure"], r["status"]) for r in rows] == [("production", "expected")]


def test_patients_counted_outside_a_trial_are_not_typed():
    rows = figs("About 9,000 people in Europe live with the disorder, and 2,300 patients are on dialysis.")
    assert [(r["mention"], r["measure"]) for r in rows] == [("About 9,000 people", "other"),
                                                           ("2,300 patients", "other")]


def test_an_analyst_s_estimate_is_expected_not_actual():
    rows = figs("Revenue came to $301 million, short of the analysts' average estimate of $318 million.")
    assert [r["status"] for r in rows] == ["", "expected"]


@pytest.mark.parametrize("text, found", [
    ("Sales rose to RM2.4 billion, and its Jakarta unit earned Rp 3.1 trillion.",
     [("RM2.4 billion", "MYR"), ("Rp 3.1 trillion", "IDR")]),
    # letters of a currency symbol inside a word are no currency, nor its case changed
    ("The FARM5 protocol and the PERM 3 rule were unchanged; rm 5 billion is no amount.", []),
    ("It paid CHF 40 million and EUR5m in fees.", [("CHF 40 million", "CHF"), ("EUR5m", "EUR")]),
])
def test_currency_symbols_of_letters_are_whole_tokens(text, found):
    assert [(r["mention"], r["currency"]) for r in figs(text) if r["kind"] == "money"] == found


@pytest.mark.parametrize("text, found", [
    # the article names one crowns currency (in its exchange-rate footer)
    ("Acme's revenue rose to 610 million crowns.\n($1 = 10.8 Swedish crowns)", [("610 million crowns", "SEK")]),
    ("Acme paid NOK 2 billion. Its profit was 40 million crowns.", [("NOK 2 billion", "NOK"), ("40 million crowns", "NOK")]),
    # none, or two: which crowns is not said
    ("Acme's profit was 40 million crowns.", []),
    ("Acme paid 9 billion Norwegian crowns for Borealis, which earned 3 billion Danish crowns. "
     "Acme is worth 96 billion crowns.", [("9 billion Norwegian crowns", "NOK"), ("3 billion Danish crowns", "DKK")]),
])
def test_a_currency_word_countries_share_is_the_one_such_currency_the_article_names(text, found):
    assert [(r["mention"], r["currency"]) for r in figs(text) if r["kind"] == "money"] == found


@pytest.mark.parametrize("text, found", [
    ("Acme's revenue fell to 1.86 billion euros from 2.02 billion a year earlier.",
     [("1.86 billion euros", "EUR"), ("2.02 billion", "EUR")]),
    # a conversion between, or a counted item after, is no elided amount
    ("Revenue fell to 1.9 billion euros ($2.1 billion) from 2.0 billion.",
     [("1.9 billion euros ($2.1 billion)", "EUR")]),
    ("Acme sold 4.1 million euros of bonds, up from 3.2 million users.", [("4.1 million euros", "EUR")]),
])
def test_a_bare_amount_compared_with_an_amount_right_before_it_is_in_its_currency(text, found):
    assert [(r["mention"], r["currency"]) for r in figs(text) if r["kind"] == "money"] == found


@pytest.mark.parametrize("text, measures", [
    ("Acme's EBITDA margin narrowed to 7.7% from 11% a year earlier.", ["other", "other"]),
    ("Borealis Corp reported a combined ratio of 84.1% last week.", ["other"]),
    # an insurer's premiums are its revenue
    ("Gross written premiums of NOK 11.6 billion, up 8% year on year", ["revenue", "revenue"]),
    ("Borealis wrote about 3.4 billion Danish crowns of premiums last year.", ["revenue"]),
    # a cause after the figure names no measure of it
    ("Revenue rose 9% to NOK 41.2 billion, helped by price increases in motor insurance.",
     ["revenue", "revenue"]),
])
def test_margins_ratios_premiums_and_causes(text, measures):
    assert [r["measure"] for r in figs(text)] == measures


@pytest.mark.parametrize("text", [
    "Acme shares have fallen about 6% this year, giving it a market value of 2.4 billion euros.",
    "Shares in Acme slipped 1.2% in Oslo.",
])
def test_shares_that_have_fallen_or_slipped_moved(text):
    assert figs(text)[0]["measure"] == "share_price_move"


def test_what_customers_spent_on_a_platform_is_no_investment():
    rows = figs("Gross order value, the total that customers spent on the app, reached 2.1 billion "
                "pounds. The company spent 90 million pounds on new warehouses.")
    assert [r["measure"] for r in rows] == ["other", "investment"]


def test_a_stage_cue_does_not_reach_into_the_next_clause():
    rows = figs("The plant is expected to cost 1.9 billion euros, of which the Polish state is "
                "covering 400 million euros.")
    assert [(r["measure"], r["status"]) for r in rows] == [("investment", "expected"), ("subsidy", "")]


def test_the_level_a_share_price_moved_to_is_no_market_value():
    rows = figs("Shares of Pelliton rose 112% to $31.20 in New York, giving the company a market "
                "value of about $2.9 billion. Its market value rose 4% to $3.1 billion on Friday.")
    assert [(r["mention"], r["measure"]) for r in rows] == [
        ("112%", "share_price_move"), ("$31.20", "other"), ("about $2.9 billion", "market_value"),
        ("4%", "market_value_change"), ("$3.1 billion", "market_value")]


@pytest.mark.parametrize("text, found", [
    # cash held is no revenue, though sales are named in the sentence
    ("Pelliton said it had $640 million in cash and still expects sales of $300 million.",
     [("$640 million", "other", ""), ("$300 million", "revenue", "")]),
    # ... but a price paid in cash and stock is what a buyer commits
    ("Pelliton agreed to buy Orsk Labs for $1.4 billion in cash and stock.",
     [("$1.4 billion", "investment", "")]),
    # an outsiders' estimate is scoped as theirs, and the scope word before it is not the forecast's
    ("Pelliton forecast sales of $300 million to $320 million, above analysts' estimates of $290 million.",
     [("$300 million to $320 million", "revenue", ""), ("$290 million", "revenue", "analysts' estimate")]),
    # the earlier value of an estimate covers what the estimate covers
    ("Ferrow cut its peak sales estimate for the drug to $700 million from $1.9 billion.",
     [("$700 million", "revenue", "peak sales forecast"), ("$1.9 billion", "revenue", "peak sales forecast")]),
    # "gained share" from a rival is no share-price move
    ("Sales of the drug rose 38% in the quarter as it gained share from rival treatments.",
     [("38%", "revenue", "")]),
])
def test_cash_estimates_and_market_share_words(text, found):
    assert [(r["mention"], r["measure"], r["scope"]) for r in figs(text)] == found


@pytest.mark.parametrize("text, mention, measure", [
    ("The app was downloaded about 1.4 million times in its first week.", "1.4 million times", "downloads"),
    ("Start-ups can receive compute vouchers worth up to 5 million yuan.", "5 million yuan", "subsidy"),
    ("It charges $0.40 per million tokens, about 20 times less than Anthropic charges.",
     "about 20 times", "price_multiple"),
])
def test_downloads_vouchers_and_what_a_rival_charges(text, mention, measure):
    row = next(r for r in figs(text) if mention in r["mention"])
    assert row["measure"] == measure


def test_the_earlier_value_of_a_forecast_is_a_forecast_and_of_a_result_a_result():
    revised = figs("Ferrow now sees peak sales of $700 million for the drug, down from $1.9 billion.")
    assert [r["status"] for r in revised] == ["expected", "expected"]
    actual = figs("Revenue rose 12% to 410 million euros from 366 million euros.")
    assert [r["status"] for r in actual] == ["", "", ""]


@pytest.mark.parametrize("text, mention, measure", [
    ("Corsa Air carried 3.1 million passengers in the quarter, up 9% from a year earlier.",
     "3.1 million passengers", "passengers"),
    ("Corsa Air carried 3.1 million passengers in the quarter, up 9% from a year earlier.", "9%", "passengers"),
    ("Passenger numbers rose 6%, and its load factor rose to 88%.", "88%", "other"),
    ("The carrier operates a fleet of 52 jets.", "52 jets", "fleet"),
    ("It will take delivery of 10 more aircraft next year.", "10 more aircraft", "deliveries"),
    ("Fares start at 19.99 euros, and it expects fuel costs of about 380 million euros.",
     "about 380 million euros", "other"),
    ("Fares start at 19.99 euros, and it expects fuel costs of about 380 million euros.", "19.99 euros", "price"),
])
def test_airline_figures(text, mention, measure):
    row = next(r for r in figs(text) if mention in r["mention"])
    assert row["measure"] == measure


def test_a_stake_is_no_growth_of_what_the_sentence_counts():
    rows = figs("Corsa Air bought a 49% stake in Ilha Air, which carried 900,000 passengers last year.")
    assert [(r["mention"], r["measure"]) for r in rows] == [("49%", "other"),
                                                           ("900,000 passengers", "passengers")]


@pytest.mark.parametrize("text, mention, measure", [
    # a profit's growth is no revenue's, and the revenue clause after ", as" is another clause
    ("Marenza Air said its net profit rose 28% to 71 million euros, as revenue climbed 12% to "
     "900 million euros.", "28%", "profit_loss"),
    ("Marenza Air said its net profit rose 28% to 71 million euros, as revenue climbed 12% to "
     "900 million euros.", "71 million euros", "profit_loss"),
    ("Marenza Air said its net profit rose 28% to 71 million euros, as revenue climbed 12% to "
     "900 million euros.", "12%", "revenue"),
    # riders' pay is no profit
    ("Couriers said their earnings per delivery fell by as much as 15%.", "as much as 15%", "other"),
    # a dividend per share is no price
    ("The airline will propose a dividend of 0.12 euros per share.", "0.12 euros", "other"),
    ("Residents pay no more than 99 euros for a one-way ticket.", "99 euros", "price"),
    # aircraft valued at list prices: the order's value, not a company's valuation
    ("The 12 extra aircraft are valued at about $1.6 billion at list prices.", "$1.6 billion", "orders"),
    # a stake bought is the buyer's investment, not equity raised
    ("Marenza completed the purchase of a 35% stake in Ventisca Air for 40 million euros.",
     "40 million euros", "investment"),
    ("Ventisca sold a 10% stake to new investors, raising 40 million euros.", "40 million euros",
     "funding_equity"),
    # an amount of bonds is debt raised, though the bonds were "priced"
    ("On June 3, Marenza priced EUR 250 million of senior unsecured bonds due 2031.",
     "EUR 250 million", "funding_debt"),
])
def test_profit_dividends_fares_orders_stakes_and_bonds(text, mention, measure):
    row = next(r for r in figs(text) if mention in r["mention"])
    assert row["measure"] == measure


def test_no_more_than_is_an_upper_bound():
    assert one("Fares are capped at no more than 99 euros.")["qualifier"] == "up to"


def test_a_share_of_sales_taken_by_a_government_is_no_revenue_change():
    rows = figs("The announced 25% revenue collection on the sale of H200 chips is likely illegal. "
                "Nvidia said revenue rose 25% in the quarter.")
    assert [r["measure"] for r in rows] == ["other", "revenue"]


@pytest.mark.parametrize("text, mention", [
    ("Acme will freeze prices on 500 products, in a move it says will cost it about $25 million in "
     "margin.", "about $25 million"),
    ("The company will also contact about 61,000 customers who bought the warranties and offer "
     "refunds.", "about 61,000 customers"),
])
def test_a_margin_cost_is_no_price_and_customers_owed_refunds_are_no_user_base(text, mention):
    assert next(r for r in figs(text) if r["mention"] == mention)["measure"] == "other"


def test_ebitda_is_profit_of_its_own_scope_and_a_keyword_after_and_names_the_next_figure():
    rows = {r["mention"]: r for r in figs(
        "Quarterly revenue rose 12% to $1.84 billion and EBITDA climbed to $655 million. "
        "Net profit was $301 million.")}
    assert (rows["$1.84 billion"]["measure"], rows["$1.84 billion"]["scope"]) == ("revenue", "")
    assert (rows["$655 million"]["measure"], rows["$655 million"]["scope"]) == ("profit_loss", "EBITDA")
    assert (rows["$301 million"]["measure"], rows["$301 million"]["scope"]) == ("profit_loss", "")


def test_a_describing_word_before_the_next_figure_s_keyword_still_names_the_next_figure():
    rows = {r["mention"]: r["measure"] for r in figs(
        "Revenue rose 6% to 11.9 billion zlotys and net profit was 1.02 billion zlotys.")}
    assert (rows["11.9 billion zlotys"], rows["1.02 billion zlotys"]) == ("revenue", "profit_loss")


@pytest.mark.parametrize("text, mention", [
    ("Acme agreed to buy cable firm Borvik for 4.3 billion euros including debt.", "4.3 billion euros"),
    ("Acme bought Borvik for $900 million including net debt.", "$900 million"),
])
def test_an_acquisition_price_including_debt_is_an_investment_not_debt_raised(text, mention):
    assert next(r for r in figs(text) if r["mention"] == mention)["measure"] == "investment"


def test_the_amount_a_percentage_change_starts_from_measures_what_changed():
    rows = {r["mention"]: r["measure"] for r in figs(
        "Acme reported revenue of USD 2.31 billion for the first quarter of 2024, up 4% from USD 2.22 "
        "billion a year earlier, as longer routes took up capacity and lifted freight rates.")}
    assert rows["USD 2.22 billion"] == "revenue"


@pytest.mark.parametrize("text, mention, measure", [
    ("Acme is a carrier operating 151 vessels and employing more than 15,500 people.",
     "more than 15,500 people", "headcount"),
    ("The carrier had 154 vessels in operation at the end of June.", "154 vessels", "fleet"),
])
def test_employing_counts_staff_and_ships_in_operation_are_the_fleet(text, mention, measure):
    assert next(r for r in figs(text) if r["mention"] == mention)["measure"] == measure


def test_a_far_keyword_nearer_another_figure_of_its_kind_types_that_one_only():
    rows = {r["mention"]: r["measure"] for r in figs(
        "Acme holds about 18% of the Lisbon home-insurance market, behind market leader Borealis "
        "Corp, which reported a combined ratio of 84.1% last week.")}
    assert (rows["about 18%"], rows["84.1%"]) == ("market_share", "other")


def test_a_far_keyword_still_types_a_figure_when_the_nearer_one_is_of_another_kind():
    rows = {r["mention"]: r["measure"] for r in figs(
        "Acme said the final training run for its new model took about two months on 2,048 "
        "rented graphics chips and cost $5.2 million in computing time.")}
    assert rows["$5.2 million"] == "training_cost"


def test_a_figure_going_on_with_the_same_subject_shares_its_far_keyword():
    rows = {r["mention"]: r["measure"] for r in figs(
        "Comparable store sales rose 6.2% in the year ended June 30, the Lisbon-based company said, "
        "and were up 3.1% in the first seven weeks of the new year.")}
    assert (rows["6.2%"], rows["3.1%"]) == ("revenue", "revenue")


@pytest.mark.parametrize("text, mention, scope", [
    ("Revenue of £4.3 billion (H1 2024/25: £4.6 billion)", "£4.6 billion", "H1 2024/25"),
    ("Combined ratio of 89.1% (Q1 2024: 90.3%), reflecting a cold winter", "90.3%", "Q1 2024"),
    ("Revenue rose to $5 million (prior year: $4 million).", "$4 million", "prior year"),
    ("Revenue of £4.3 billion (H1 2024/25: £4.6 billion)", "£4.3 billion", ""),
    ("Acme (ticker: ACME) raised $5 million.", "$5 million", ""),
])
def test_a_bracketed_value_after_a_period_label_is_scoped_by_that_label(text, mention, scope):
    assert next(r for r in figs(text) if r["mention"] == mention)["scope"] == scope


@pytest.mark.parametrize("text, mention, measure, scope", [
    ("Acme said it would cut 220 jobs after pushing back the release.", "220 jobs", "other", "job cuts"),
    ("Acme is laying off 220 staff across its Lisbon studios.", "220 staff", "other", "job cuts"),
    ("The programme would create about 1,200 jobs in Lisbon.", "about 1,200 jobs", "other", "jobs added"),
    ("The cuts will leave the company with about 2,900 employees, Acme said.", "about 2,900 employees",
     "headcount", ""),
])
def test_people_cut_or_hired_are_a_change_in_staff_not_a_headcount(text, mention, measure, scope):
    row = next(r for r in figs(text) if r["mention"] == mention)
    assert (row["measure"], row["scope"]) == (measure, scope)


def test_a_keyword_in_a_clause_with_its_own_subject_names_no_figure_before_it():
    rows = {r["mention"]: r["measure"] for r in figs(
        "They have gained about 30% since the company raised its profit forecast in May.")}
    assert rows["about 30%"] == "other"
