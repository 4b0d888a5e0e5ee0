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
