"""Disagreements only about the same fact; series for the same fact at different times.

The articles are short realistic texts written for these tests (fictional companies, in the
forms wire and web stories use); each test runs the whole evidence layer on them.
"""
from __future__ import annotations

import pandas as pd
import pytest

from newsbrief.evidence import layer


def build(articles: dict[str, tuple[str, str]], company: str = "Corvane AI") -> dict:
    """Evidence tables for {article_id: (published ISO date, text)}."""
    ids = sorted(articles)
    frame = pd.DataFrame({"article_id": ids, "text": [articles[a][1] for a in ids],
                          "published": [articles[a][0] for a in ids], "included": True})
    return layer.build_evidence(frame, company)


def disputes(tables: dict) -> list[tuple[str, frozenset]]:
    dis = tables["disagreements"]
    return sorted((m, frozenset(g["article_id"])) for (_d, m), g in
                  dis.groupby(["disagreement_id", "measure"]))


DEC = ("PARIS, Dec 11 (Reuters) - French artificial intelligence start-up Corvane AI raised "
       "€385 million ($415 million) in a funding round led by Lightspeed, the company said on "
       "Monday.\nThe round values Corvane AI at about $2 billion, two people familiar with the "
       "matter said.\n($1 = 0.9281 euros)\n(Reporting by Elise Marchand; Editing by Tom Hall)")
JUNE = ("Corvane AI raised €600 million ($643.7 million) in a Series B round in June 2024, "
        "the Paris-based company said in a statement.\nThe new round values Corvane AI at "
        "€5.8 billion, almost three times its valuation six months earlier.\n"
        "Corvane AI employs about 60 people.")
JUNE_OTHER = ("Corvane AI has raised €450 million in a Series B round, according to a filing.\n"
              "Investors include General Catalyst and a French state bank.")
JUNE_SAME_IN_DOLLARS = ("Corvane AI said it raised $640 million in its Series B round.\n"
                        "The start-up was founded by three former researchers.")


def test_funding_rounds_of_different_months_are_a_series_not_a_dispute():
    t = build({"a": ("2023-12-11", DEC), "b": ("2024-06-11", JUNE)})
    assert disputes(t) == []
    ser = t["series"]
    assert ser["subject"].eq("Corvane AI").all()
    valuation = ser[ser["measure"] == "valuation"].sort_values("when")
    assert valuation["value_text"].tolist() == ["about $2 billion", "€5.8 billion"]
    # one funding history: a round of unsaid kind and an equity (Series B) round
    funding = ser[ser["measure"].str.startswith("funding")].sort_values("when")
    assert funding["value_text"].tolist() == ["€385 million ($415 million)",
                                              "€600 million ($643.7 million)"]
    assert funding["series_id"].nunique() == 1


def test_same_round_reported_with_incompatible_amounts_is_a_dispute():
    t = build({"b": ("2024-06-11", JUNE), "c": ("2024-06-12", JUNE_OTHER)})
    assert ("funding_equity", frozenset({"b", "c"})) in disputes(t)
    dis = t["disagreements"]
    assert set(dis["when"]) == {"Series B"}


def test_a_conversion_in_brackets_makes_two_currencies_comparable():
    t = build({"b": ("2024-06-11", JUNE), "d": ("2024-06-11", JUNE_SAME_IN_DOLLARS)})
    assert disputes(t) == []
    fig = t["figures"].set_index("mention").loc["€600 million ($643.7 million)"]
    assert (fig["currency"], fig["converted_currency"]) == ("EUR", "USD")


def test_footer_and_sign_off_give_no_figure_and_no_subject():
    t = build({"a": ("2023-12-11", DEC)})
    figs = t["figures"]
    assert not figs["mention"].str.contains("0.9281").any()
    assert not figs["subject"].isin(["Elise Marchand", "Tom Hall"]).any()
    assert figs.loc[figs["mention"].str.startswith("€385"), "measure"].tolist() == ["funding"]


COST = ("Corvane AI said training its Orel-2 model cost under $6 million in computing power.\n"
        "Analysts at Bernstein said the real cost was higher.")
COST_EXACT = ("The company put the cost of training Orel-2 at $5.58 million.\n"
              "Corvane AI did not give other figures.")
SELL_OFF = ("Chip stocks tumbled after the launch. Nvidia lost $589 billion in market value on "
            "Monday, the biggest one-day loss for any company.\nCorvane AI's Orel-2 app topped "
            "download charts.")


def test_training_cost_is_not_set_against_a_market_sell_off_and_compatible_costs_agree():
    t = build({"e": ("2025-01-27", COST), "f": ("2025-01-28", COST_EXACT),
               "g": ("2025-01-28", SELL_OFF)})
    assert disputes(t) == []
    figs = t["figures"].set_index("mention")
    assert figs.loc["under $6 million", "measure"] == "training_cost"
    assert figs.loc["$589 billion", "measure"] == "market_value_change"
    assert figs.loc["$589 billion", "subject"] == "Nvidia"
    assert figs.loc["$589 billion", "event"] == "trading day 2025-01-27"


GROWTH = "Corvane AI's valuation has grown about 3x since January, investors said."
RIVAL = ("Its rival Halden Labs says its Mira model is more than 40 times cheaper to run.\n"
         "Halden Labs did not publish prices.")
INVEST = ("Halden Labs invested $500 million in a data centre project in Lyon last year.\n"
          "Halden Labs is backed by a French bank.")
SEED = ("Brightloom Inc, a two-person start-up, raised $2 million in a seed round in March.\n"
        "Brightloom Inc makes tools for chatbots.")


def test_near_misses_of_different_facts_are_not_disputes():
    t = build({"h": ("2025-02-01", GROWTH), "i": ("2025-02-02", RIVAL),
               "j": ("2025-02-03", INVEST), "k": ("2025-02-04", SEED)})
    assert disputes(t) == []
    figs = t["figures"].set_index("mention")
    assert not figs.loc["about 3x", "resolved"] or figs.loc["about 3x", "measure"] != "price_multiple"
    assert figs.loc["$500 million", "subject"] == "Halden Labs"
    assert figs.loc["$2 million", "subject"] == "Brightloom Inc"
    assert figs.loc["$2 million", "measure"] in ("funding", "funding_equity")


PRICE = ("SHANGHAI, March 3 (Reuters) - Veltra Motors cut the price of its Zephyr sedan to "
         "215,900 yuan.\nThe carmaker delivered 41,000 vehicles in February.")
PLANT = ("Veltra Motors' new factory in Hefei cost 5 billion yuan to build, the company said.\n"
         "The plant can make 300,000 cars a year.")


def test_a_cars_price_is_not_set_against_a_factorys_cost():
    t = build({"l": ("2025-03-03", PRICE), "m": ("2025-03-04", PLANT)}, company="Veltra Motors")
    assert disputes(t) == []
    figs = t["figures"].set_index("mention")
    assert figs.loc["215,900 yuan", "measure"] == "price"
    assert figs.loc["5 billion yuan", "measure"] == "investment"
    assert figs.loc["41,000 vehicles", "measure"] == "deliveries"


MOVE_A = "Nvidia shares fell 17% on Monday as investors dumped chip stocks."
MOVE_B = "Nvidia shares fell 12% on Monday, their worst day since March 2020."
MOVE_C = "Nvidia shares rose 9% on Tuesday as buyers returned."


def test_share_moves_disagree_only_on_the_same_trading_day():
    t = build({"n": ("2025-01-28", MOVE_A), "o": ("2025-01-28", MOVE_B),
               "p": ("2025-01-29", MOVE_C)}, company="Nvidia")
    assert disputes(t) == [("share_price_move", frozenset({"n", "o"}))]
    ser = t["series"]
    assert set(ser.loc[ser["measure"] == "share_price_move", "when"]) == {"2025-01-27", "2025-01-28"}


def test_unresolved_figures_are_never_compared():
    # no name in either sentence: no subject, so no claim, dispute or series
    t = build({"q": ("2025-01-28", "It was priced at $20 a month in the first week."),
               "r": ("2025-01-28", "It was priced at $200 a month, the report said.")})
    figs = t["figures"]
    assert not figs["resolved"].any()
    assert t["disagreements"].empty and t["series"].empty
    assert not (t["claims"]["kind"] == "figure").any()


@pytest.mark.parametrize("text, subject", [
    ("Investors valued Corvane AI at $2 billion.", "Corvane AI"),
    ("Nvidia's market value fell by $589 billion on Monday.", "Nvidia"),
    ("The sell-off wiped $589 billion off Nvidia's market value.", "Nvidia"),
    ("At 20 to 40 times the cost, Halden AI is far more expensive than Corvane AI.", "Corvane AI"),
])
def test_subject_rules(text, subject):
    t = build({"s": ("2025-01-28", "Corvane AI is a Paris start-up.\n" + text)})
    figs = t["figures"]
    assert figs["subject"].tolist() == [subject]


def test_a_reference_stands_for_the_last_company_named():
    t = build({"s": ("2025-01-28", "Corvane AI was founded in Paris in 2023 by three researchers.\n"
                                   "The start-up raised $415 million last year.")})
    assert t["figures"]["subject"].tolist() == ["Corvane AI"]


def test_a_reference_after_the_figure_in_a_sentence_naming_no_one():
    t = build({"s": ("2025-01-03", "Veltra Motors said it delivered 203,450 vehicles in 2024.\n"
                                   "December deliveries rose to 24,800 vehicles, a record for the "
                                   "company.")}, company="Veltra Motors")
    assert t["figures"]["subject"].tolist() == ["Veltra Motors", "Veltra Motors"]


# ---- dated facts, rounding, one fact per claim (sentences written for these tests)

FOUNDED_MARCH = ("TORONTO, Feb 13 (Reuters) - Brackwell AI, which was founded in March 2021 by two "
                 "former bank engineers, raised money from Ferrow Capital.\nThe start-up sells "
                 "speech software to call centres.")
FOUNDED_MAY = ("Founded in May 2021 by Ada Lin and Omar Reyes, the company now employs 90 people "
               "in Toronto.\nBrackwell AI sells to call centres in Canada and Mexico.")
FOUNDED_YEAR = ("Brackwell AI, founded in 2021, competes with larger speech-software makers.\n"
                "Its customers include two airlines.")
RIVAL_FOUNDED = ("Halden Labs was founded in 2015, long before Brackwell AI existed.\n"
                 "Brackwell AI is the smaller of the two.")


def test_a_founding_dated_differently_by_independent_sources_is_a_date_disagreement():
    t = build({"s": ("2024-02-13", FOUNDED_MARCH), "t": ("2024-06-01", FOUNDED_MAY),
               "u": ("2024-07-01", FOUNDED_YEAR), "v": ("2024-07-02", RIVAL_FOUNDED)},
              company="Brackwell AI")
    dis = t["disagreements"]
    # "in 2021" agrees with both months: it joins one side; Halden Labs' founding is not compared
    assert [m for m, _ids in disputes(t)] == ["founding_date"]
    sides = {side: set(g["article_id"]) for side, g in dis.groupby("side")}
    assert {frozenset(sides["A"] & {"s", "t"}), frozenset(sides["B"] & {"s", "t"})} == \
        {frozenset({"s"}), frozenset({"t"})}
    assert "v" not in set(dis["article_id"])
    assert set(dis["subject"]) == {"Brackwell AI"}
    assert {"March 2021", "May 2021"} <= {v.removeprefix("in ") for v in dis["value_text"]}
    # each side is shown with its own sentence
    assert all(q in (FOUNDED_MARCH + FOUNDED_MAY + FOUNDED_YEAR) for q in dis["quote"])


def test_a_rewrite_is_no_independent_side_of_a_date_disagreement():
    from newsbrief.link import dated, disagreements
    dates = pd.DataFrame([
        {"sentence_id": f"{a}:s1", "article_id": a, "start": 0, "end": len(q), "quote": q,
         "mention_start": q.index(m), "mention_end": q.index(m) + len(m), "mention": m,
         "date": d, "date_end": e, "precision": "month", "relative": False, "anchor": ""}
        for a, q, m, d, e in (("w", "Brackwell AI was founded in March 2021.", "March 2021",
                                "2021-03-01", "2021-03-31"),
                               ("x", "Brackwell AI was founded in May 2021.", "May 2021",
                                "2021-05-01", "2021-05-31"))])
    mentions = pd.DataFrame([{"sentence_id": f"{a}:s1", "article_id": a, "start": 0, "end": 12,
                              "quote": "Brackwell AI", "name": "Brackwell AI", "kind": "company"}
                             for a in ("w", "x")])
    facts = dated.dated_facts(dates, mentions, "Brackwell AI")
    assert [(f["kind"], f["subject"]) for f in facts] == [("founding", "Brackwell AI")] * 2
    rel = pd.DataFrame({"article_id": ["w", "x"], "duplicate_of": ["", ""], "derived_from": ["", "w"]})
    assert disagreements.find_disagreements(None, rel, dates=dates, mentions=mentions,
                                            company="Brackwell AI")["disagreements"].empty
    rel["derived_from"] = ["", ""]
    found = disagreements.find_disagreements(None, rel, dates=dates, mentions=mentions,
                                             company="Brackwell AI")["disagreements"]
    assert set(found["measure"]) == {"founding_date"}


@pytest.mark.parametrize("text, subject", [
    ("Founded in 2015 by a physicist, Halden Labs later backed Brackwell AI.", "Halden Labs"),
    ("Brackwell AI, which was set up in 2021, sells speech software.", "Brackwell AI"),
    ("Ada Lin founded Brackwell AI in 2021 after leaving Halden Labs.", "Brackwell AI"),
    ("Brackwell AI went public in 2023 in Toronto.", "Brackwell AI"),
    # the founder's apposition is no founding of the name before it; the verb's object is
    ("Ada Lin, a former researcher, founded Brackwell AI in Toronto in 2021.", "Brackwell AI"),
    # "since its founding": "its" is the organisation named before
    ("Halden Labs has backed Brackwell AI since its founding in March 2022.", "Brackwell AI"),
    # a description figures refer back with ("the airline", "the carrier") is the company too
    ("Brackwell AI cut fares. The carrier was founded in 2012 by former pilots.", "Brackwell AI"),
])
def test_dated_fact_subject_is_the_organisation_the_cue_dates(text, subject):
    t = build({"y": ("2024-07-01", text)}, company="Brackwell AI")
    from newsbrief.link import dated
    got = dated.dated_facts(t["dates"], t["mentions"], "Brackwell AI")
    assert [f["subject"] for f in got] == [subject]


def test_each_event_of_a_sentence_takes_the_date_after_its_cue():
    text = "Brackwell AI, which was founded in 2011 and floated its shares in Toronto in 2019, hires."
    t = build({"y": ("2024-07-01", text)}, company="Brackwell AI")
    from newsbrief.link import dated
    got = dated.dated_facts(t["dates"], t["mentions"], "Brackwell AI")
    assert sorted((f["kind"], f["mention"]) for f in got) == [("founding", "in 2011"),
                                                             ("listing", "in 2019")]


def test_the_company_named_by_its_trade_is_dated_too():
    wire = ("LISBON, Feb 27 (Reuters) - Calvena Air, founded in 2011, said on Thursday its net "
            "profit rose in 2024 on record passenger numbers.\nThe Porto-based low-cost carrier "
            "will propose its first dividend since the pandemic.")
    local = ("The airline was founded in 2012 by a group of former pilots and started flying a year "
             "later with three leased aircraft.\nIt now flies to 92 airports across Europe and "
             "North Africa from bases in Porto, Faro and Funchal.")
    t = build({"p": ("2025-02-27", wire), "q": ("2025-03-02", local)}, company="Calvena Air")
    assert disputes(t) == [("founding_date", frozenset({"p", "q"}))]


def test_dates_of_other_events_on_a_weekday_are_no_listing_date():
    text = "Brackwell AI shares listed on the Nasdaq fell 4% on Tuesday."
    t = build({"z": ("2024-07-03", text)}, company="Brackwell AI")
    from newsbrief.link import dated
    assert dated.dated_facts(t["dates"], t["mentions"], "Brackwell AI") == []


ROUND_A = ("LONDON, March 5 (Reuters) - Pennock raised $210 million in a Series C round that "
           "values it at $1.9 billion.\nPennock makes card readers.")
ROUND_B = ("Pennock's Series C round values the start-up at $1.8 billion, according to a filing.\n"
           "Pennock was set up by two engineers.")
ROUND_C = ("Pennock's Series C gave it a valuation of about $1.9 billion.\n"
           "Pennock plans to hire.")


def test_neighbouring_rounded_figures_disagree_and_about_agrees_with_its_value():
    from newsbrief.link.values import compatible
    assert not compatible((1.8e9, 1.8e9, 1.8e9, ""), (1.9e9, 1.9e9, 1.9e9, ""))
    assert compatible((1.9e9, 1.9e9, 1.9e9, "around"), (1.9e9, 1.9e9, 1.9e9, ""))
    assert not compatible((12e9, 12e9, 12e9, "around"), (15e9, 15e9, 15e9, "around"))
    assert compatible((4e9, 4e9, 4e9, "around"), (4.2e9, 4.2e9, 4.2e9, ""))
    assert compatible((52_000, 52_000, 52_000, "around"), (52_300, 52_300, 52_300, ""))
    assert compatible((4.2e6, 4.2e6, 4.2e6, ""), (4.2e6, 4.2e6, 4.2e6, ""))
    t = build({"ra": ("2024-03-05", ROUND_A), "rb": ("2024-03-06", ROUND_B),
               "rc": ("2024-09-24", ROUND_C)}, company="Pennock")
    assert ("valuation", frozenset({"ra", "rb", "rc"})) in disputes(t) or \
        ("valuation", frozenset({"ra", "rb"})) in disputes(t)


NOW_AND_THEN = ("Quarrel AI is now valued at $4.2 billion, up from $1.4 billion a few months ago.\n"
                "Quarrel AI sells models to banks.")
THEN_ONLY = ("Investors valued Quarrel AI at $4.2 billion.\nQuarrel AI is based in Toronto.")


def test_an_article_with_two_undated_values_of_one_fact_places_neither_in_time():
    t = build({"qa": ("2024-06-20", NOW_AND_THEN), "qb": ("2024-06-20", THEN_ONLY)},
              company="Quarrel AI")
    assert disputes(t) == []
    claims = t["claims"][t["claims"]["kind"] == "figure"]
    # the $1.4 billion of the past is a claim of its own article, never merged with another's
    low = claims[claims["summary"].str.contains("1.4 billion")]
    assert low["n_sources"].tolist() == [1]


SP_AND_NVIDIA = ("Nvidia lost more than $500 billion in market value on Monday, while the S&P 500 "
                 "shed $1 trillion.\nCorvane AI's app led the download charts.")


def test_a_claim_never_merges_two_subjects_figures():
    t = build({"sp": ("2025-01-28", SP_AND_NVIDIA)})
    claims = t["claims"][t["claims"]["key"].str.startswith("market_value_change")]
    subjects = {k.split("|")[1] for k in claims["key"]}
    assert len(claims) == len(subjects) and {"Nvidia", "S&P 500"} <= subjects


# ---- occasions (facts.yml): a day inside a month, consecutive publication days, periods summed

FINE_DAY = ("BRUSSELS, March 12, 2025 (AFP) - Corvane AI was fined 42.5 million euros by the European "
            "Commission on Wednesday for tying its chatbot to its cloud contracts.\n"
            "Corvane AI said it would appeal.")
FINE_MONTH = ("Corvane AI, which was fined 24.5 million euros by the European Commission last month "
              "for tying its chatbot to its cloud contracts, is appealing the decision.\n"
              "Its shares were little changed.")
VALUED_MON = ("Corvane AI is valued at $3.1 billion after its latest funding, the company said.\n"
              "The start-up employs about 200 people.")
VALUED_TUE = ("Corvane AI is valued at $2.6 billion, according to a person familiar with the "
              "company's finances.\nThe start-up was founded in Paris.")
REVENUE_YEAR = ("Corvane AI said revenue rose to 90 million euros in 2024, up from 31 million euros "
                "in 2023.\nThe company did not give a forecast.")
REVENUE_QUARTER = ("Corvane AI reported revenue of 28 million euros for the fourth quarter of 2024, the "
                   "company said on Tuesday.\nAnalysts had expected more.")


def test_a_fine_dated_by_day_and_by_month_is_one_fine_and_its_amounts_disagree():
    t = build({"p": ("2025-03-12", FINE_DAY), "q": ("2025-04-09", FINE_MONTH)})
    assert ("fine_penalty", frozenset({"p", "q"})) in disputes(t)


def test_a_valuation_reported_a_day_apart_disagrees_a_month_apart_is_a_history():
    close = build({"m": ("2025-03-10", VALUED_MON), "t": ("2025-03-11", VALUED_TUE)})
    assert ("valuation", frozenset({"m", "t"})) in disputes(close)
    apart = build({"m": ("2025-03-10", VALUED_MON), "t": ("2025-04-22", VALUED_TUE)})
    assert not [d for d in disputes(apart) if d[0] == "valuation"]
    assert set(apart["series"].loc[apart["series"]["measure"] == "valuation", "article_id"]) == {"m", "t"}


def test_a_years_revenue_is_not_set_against_a_quarters():
    t = build({"y": ("2025-02-20", REVENUE_YEAR), "q": ("2025-02-18", REVENUE_QUARTER)})
    assert not [d for d in disputes(t) if d[0] == "revenue"]


def test_a_move_over_the_year_is_not_set_against_a_days_move():
    year = "Nvidia shares had risen about 60% this year before Monday, driven by AI demand."
    assert disputes(build({"n": ("2025-01-28", MOVE_A), "y": ("2025-01-29", year)},
                          company="Nvidia")) == []
    # the distinct scope sets only the cumulative move apart: two accounts of the day still clash
    found = disputes(build({"n": ("2025-01-28", MOVE_A), "o": ("2025-01-28", MOVE_B),
                            "y": ("2025-01-29", year)}, company="Nvidia"))
    assert found == [("share_price_move", frozenset({"n", "o"}))]


# ---- a named event of unknown time; a product's fact that does not say which product

UNDATED_B = ("Corvane AI has raised $225 million in its Series B round led by Halcyon Capital, the "
             "company said.\nThe start-up builds language models for banks.")
NOV_B = ("PARIS, Nov 12 (Reuters) - Corvane AI said on Tuesday it had raised $210 million in a Series B "
         "funding round.\nCorvane AI was valued at $300 million when it raised $45 million in March.\n"
         "(Reporting by Elise Marchand; Editing by Tom Hall)")


def test_a_round_named_in_an_undated_article_is_not_the_round_another_article_dates():
    t = build({"u": ("", UNDATED_B), "n": ("2024-11-12", NOV_B)})
    dis = t["disagreements"]
    # the undated Series B meets the Series B dated 12 Nov, not March's round
    assert sorted(dis["value_text"]) == ["$210 million", "$225 million"]
    assert set(dis["when"]) == {"Series B"}


SIZE_NEWEST = "Corvane AI said its newest model has 72 billion parameters.\nIt was trained in Paris."
SIZE_ACTIVE = ("Corvane AI launched a model in which about 35 billion parameters are used for each "
               "word.\nIt costs less to run.")
SIZE_VELA = "Corvane AI's Vela-2 model has 72 billion parameters.\nIt was trained in Paris."
SIZE_VELA_OTHER = ("Corvane AI's Vela-2 model has 65 billion parameters, the company said.\n"
                   "It costs less to run.")


def test_model_sizes_disagree_only_about_a_named_model():
    unnamed = build({"a": ("2025-01-10", SIZE_NEWEST), "b": ("2025-02-10", SIZE_ACTIVE)})
    assert disputes(unnamed) == []
    named = build({"c": ("2025-01-10", SIZE_VELA), "d": ("2025-02-10", SIZE_VELA_OTHER)})
    assert disputes(named) == [("parameter_count", frozenset({"c", "d"}))]


def test_only_the_sides_of_a_disagreement_are_disputed_not_their_sentence_mates():
    from newsbrief.link import claims as claims_mod
    claims = pd.DataFrame({"claim_id": ["clm-profit", "clm-revenue", "clm-founded"],
                           "kind": ["figure", "figure", "figure"], "label": ["single_source"] * 3})
    # one sentence (article a, offset 0) carries the profit and the revenue claim
    sources = pd.DataFrame({"claim_id": ["clm-profit", "clm-revenue", "clm-founded"],
                            "article_id": ["a", "a", "b"], "start": [0, 0, 40],
                            "item_id": ["fig-a-10", "fig-a-60", "fig-b-70"]})
    dis = pd.DataFrame({"disagreement_id": ["dis-1", "dis-1", "dis-2", "dis-2"], "side": ["A", "B", "A", "B"],
                        "article_id": ["a", "c", "b", "d"], "start": [0, 5, 40, 9],
                        "figure_id": ["fig-a-60", "fig-c-30", "", ""]})   # dis-2: a founding date
    got = claims_mod.mark_disputed(claims, sources, dis)
    assert dict(zip(got["claim_id"], got["label"])) == {
        "clm-profit": "single_source", "clm-revenue": "disputed", "clm-founded": "single_source"}


COPPER_WIRE = ("TORONTO, Jan 15 (Reuters) - Halbeck Mining said on Wednesday it produced 48,300 "
               "tonnes of copper last year at its northern mine.\n"
               "Its copper reserves stood at 910,000 tonnes at the end of 2024.")
COPPER_PAPER = ("Halbeck Mining produced 51,800 tonnes of copper last year, the company said.\n"
                "The miner also shipped 2.1 million tonnes of ore last year.\n"
                "Halbeck Mining's copper reserves stood at 880,000 tonnes at the end of 2024.")
COPPER_QUARTER = ("Halbeck Mining produced 12,900 tonnes of copper in the fourth quarter of 2024, the company "
                  "said on Wednesday.")


def test_an_untyped_quantity_disagrees_only_with_the_same_quantity_over_the_same_period():
    # no vocabulary measure types copper output: it is compared as "tonnes of copper produced"
    t = build({"w": ("2025-01-15", COPPER_WIRE), "p": ("2025-01-16", COPPER_PAPER),
               "q": ("2025-01-15", COPPER_QUARTER)}, company="Halbeck Mining")
    assert disputes(t) == [("other", frozenset({"w", "p"}))]
    dis = t["disagreements"]
    assert set(dis["value_text"]) == {"48,300 tonnes", "51,800 tonnes"}
    assert dis["what"].iloc[0].startswith("tonnes of copper produced: ")
    # reserves (no verb of output), ore shipped and a quarter's output are other facts; untyped
    # figures make no history
    assert t["series"].empty or not (t["series"]["measure"] == "other").any()


GUIDANCE_MARCH = ("OSLO, March 6 (Reuters) - Brennvik Freight said on Thursday it expects "
                  "EBITDA of between $800 million and $1.1 billion for 2025. Net profit was "
                  "$240 million in 2024, and EBITDA was $910 million in 2024.")
GUIDANCE_AUGUST = ("Brennvik Freight now expects EBITDA of $1.4 billion to $1.6 billion for "
                   "2025, the carrier said on Thursday.")
GUIDANCE_AUGUST_OTHER = ("Brennvik Freight has raised its guidance and now expects 2025 EBITDA "
                         "of $1.9 billion to $2.1 billion, the company said.")


def test_a_forecast_raised_months_later_is_a_series_and_ebitda_is_not_net_profit():
    tables = build({"mar": ("2025-03-06", GUIDANCE_MARCH), "aug": ("2025-08-07", GUIDANCE_AUGUST)},
                   company="Brennvik Freight")
    assert disputes(tables) == []


def test_two_forecasts_given_the_same_day_that_differ_disagree():
    tables = build({"aug": ("2025-08-07", GUIDANCE_AUGUST),
                    "aug-other": ("2025-08-07", GUIDANCE_AUGUST_OTHER)}, company="Brennvik Freight")
    assert disputes(tables) == [("profit_loss", frozenset({"aug", "aug-other"}))]


def test_the_briefing_names_whose_fact_and_which_period_the_sides_disagree_on():
    from newsbrief.briefing import render
    from newsbrief.briefing.sections import skepticism
    from newsbrief.dev.scorecard import TablesRun
    t = build({"w": ("2025-01-15", COPPER_WIRE), "p": ("2025-01-16", COPPER_PAPER)}, company="Halbeck Mining")
    headings = [b.plain() for b in skepticism.build_disagreements(TablesRun("Halbeck Mining", t))
                if isinstance(b, render.Heading) and b.level == 3]
    assert len(headings) == 1 and headings[0].endswith("(Halbeck Mining, 2024)")


PROFIT_WIRE = ("OSLO, Feb 6 (Reuters) - Borealis Insurance reported a pretax profit of 6.3 billion "
               "Norwegian crowns for 2024.\nBorealis holds about 18% of the Norwegian non-life market.")
SET_ASIDE = ("Management said Borealis Insurance had budgeted NOK 1.5 billion for 2025, against the "
             "NOK 1.2 billion in pre-tax profit it had set aside for 2024.")


def test_an_article_that_also_gives_the_other_value_is_no_side_of_a_dispute():
    apart = build({"a": ("2025-02-06", PROFIT_WIRE), "b": ("2025-02-07", SET_ASIDE)},
                  company="Borealis Insurance")
    assert ("profit_loss", frozenset({"a", "b"})) in disputes(apart)
    both = "Borealis Insurance closed 2024 with a pre-tax profit of NOK 6.3 billion.\n" + SET_ASIDE
    together = build({"a": ("2025-02-06", PROFIT_WIRE), "b": ("2025-02-07", both)},
                     company="Borealis Insurance")
    assert not [d for d in disputes(together) if d[0] == "profit_loss"]


def test_market_shares_stated_days_apart_are_one_fact():
    later = "The insurer says Borealis Insurance has around 21% of the Norwegian non-life market."
    t = build({"a": ("2025-02-06", PROFIT_WIRE), "c": ("2025-02-07", later)}, company="Borealis Insurance")
    assert ("market_share", frozenset({"a", "c"})) in disputes(t)


def test_a_rounded_headline_that_fits_its_own_figure_keeps_the_article_on_its_side():
    wire = ("LISBON, Feb 27 (Reuters) - Shares in Borealis Air jumped on Thursday after the low-cost "
            "carrier reported revenue of 1.43 billion euros for 2024.\nChief executive Ana Lisbon "
            "said bookings for the summer were strong.")
    story = ("Borealis Air posts record year as revenue tops 1.4 billion euros\n\n"
             "Porto-based Borealis Air reported revenue of 1.46 billion euros for 2024, the highest "
             "in its history, as summer traffic to the islands grew.")
    t = build({"w": ("2025-02-27", wire), "s": ("2025-02-27", story)}, company="Borealis Air")
    assert ("revenue", frozenset({"w", "s"})) in disputes(t)
    assert t["figures"].set_index("mention").loc["tops 1.4 billion euros", "qualifier"] == "more than"


def test_a_change_in_percent_beside_an_amount_does_not_make_the_amount_undatable():
    wire = ("GLASGOW, May 21 (Reuters) - British utility Borealis Power reported a rise in "
            "annual profit on Wednesday.\nIts revenue fell 6% to 9.4 billion pounds as lower "
            "wholesale prices fed through to bills.")
    paper = ("BOREALIS Power set out plans for new wind farms as the Glasgow company reported "
             "annual revenue of £9.7 billion.")
    t = build({"w": ("2025-05-21", wire), "p": ("2025-05-22", paper)}, company="Borealis Power")
    assert ("revenue", frozenset({"w", "p"})) in disputes(t)
