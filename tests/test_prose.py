"""Wording helpers: numbers, dates, labels and attribution."""
from datetime import date

from newsbrief.briefing import prose, render


def test_money_formats_from_table_values():
    assert prose.format_amount(5580000.0, "USD", "USD") == "$5.58 million"
    assert prose.format_amount(1.2e9, "EUR", "EUR") == "€1.2 billion"
    assert prose.format_amount(1e12, "USD", "USD") == "$1 trillion"
    assert prose.format_amount(6e6, "USD") == "$6 million"
    assert prose.format_amount(500, "GBP", "GBP") == "£500"
    assert prose.format_amount(3e6, "SEK", "SEK") == "3 million SEK"


def test_counts_percent_multiples_parameters():
    assert prose.format_amount(50000, "chips") == "50,000 chips"
    assert prose.format_amount(18.0, "%") == "18%"
    assert prose.format_amount(1.4e11, "parameters") == "140 billion parameters"
    assert prose.format_range(20, 50, "x") == "20 to 50 times"
    assert prose.format_range(20, 20, "x") == "20 times"
    assert prose.format_range(5e6, 6e6, "USD", "USD") == "$5 million to $6 million"


def test_format_figure_keeps_qualifier_and_sign():
    row = {"value": 6e6, "low": 6e6, "high": 6e6, "unit": "USD", "currency": "USD",
           "qualifier": "under"}
    assert prose.format_figure(row) == "under $6 million"
    row = {"value": -9e10, "low": -9e10, "high": -9e10, "unit": "USD", "currency": "USD",
           "qualifier": "around"}
    assert prose.format_figure(row) == "a fall of about $90 billion"
    row = {"value": 35, "low": 20, "high": 50, "unit": "x", "currency": "", "qualifier": ""}
    assert prose.format_figure(row) == "20 to 50 times"
    assert prose.format_amount(float("nan"), "USD") == ""


def test_dates_keep_their_precision():
    assert prose.format_date("2025-01-20", "day") == "20 Jan 2025"
    assert prose.format_date("2025-01-01", "month") == "Jan 2025"
    assert prose.format_date("2023-01-01", "year") == "2023"
    assert prose.format_date("2024-03-01", "season") == "spring 2024"
    assert prose.format_date("2024-04-01", "quarter") == "Q2 2024"
    assert prose.format_date("", "day") == "date not known"


def test_briefing_date_line_never_invents_a_date():
    assert prose.briefing_date(date(2025, 1, 28)) == "As of 28 Jan 2025"
    assert prose.briefing_date(None) == ("Date of briefing: not known (no article states its "
                                         "publication date)")


def test_counts_and_lists():
    assert prose.count_word(3) == "three"
    assert prose.count_word(12) == "12"
    assert prose.plural(1, "outlet") == "one outlet"
    assert prose.plural(3, "outlet") == "three outlets"
    assert prose.join_names(["A", "B", "C"]) == "A, B and C"
    assert prose.join_names(["A", "A"]) == "A"
    assert prose.shorten("one two three four", 2) == "one two …"


def test_labels_follow_claim_label():
    assert prose.support_label("multi_source", 4) == render.Label("4 sources", "good")
    assert prose.support_label("single_source").text == "single source"
    assert prose.support_label("allegation_no_evidence").text == "allegation, no evidence"
    assert prose.support_label("company_claim").text == "company claim"
    assert prose.support_label("disputed").tone == "bad"
    assert prose.sources_label(1).text == "single source"


def test_attribution_wording_follows_stance():
    assert prose.attribute("company_claim", "Acme", "its model is fast.") == \
        "Acme says that its model is fast."
    assert prose.attribute("allegation", "Jo Bloggs", "Acme hid 10 servers", "not_offered") == \
        "Jo Bloggs alleged, without providing evidence, that Acme hid 10 servers."
    assert prose.attribute("allegation", "Jo", "x happened", "offered") == "Jo alleged that x happened."
    assert prose.attribute("reported_fact", "", "the sky is blue", n_outlets=3) == \
        "Three outlets report that the sky is blue."
    assert prose.attribute("reported_fact", "", "it rained").startswith("One outlet reports")
