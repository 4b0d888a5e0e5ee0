"""dates.extract_dates: absolute and relative mentions, precision and period bounds."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

from newsbrief import ids
from newsbrief.extract import clean
from newsbrief.extract.dates import extract_dates, in_quotation
from newsbrief.extract.sentences import split_sentences
from newsbrief.ingest import infer_meta
from scaling import assert_linear, repeated

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "data" / "articles"
OTHER = ROOT / "tests" / "fixtures" / "other_company"
PUB = dt.date(2025, 1, 28)  # a Tuesday


def found(text: str, published=PUB) -> list[tuple]:
    rows = extract_dates(split_sentences("t", text), published)
    for r in rows:
        assert text[r["mention_start"]:r["mention_end"]] == r["mention"]
        assert text[r["start"]:r["end"]] == r["quote"]
    return [(r["mention"], r["date"], r["date_end"], r["precision"], r["relative"]) for r in rows]


@pytest.mark.parametrize("text, expected", [
    ("On January 20, Liang attended.", ("January 20", "2025-01-20", "2025-01-20", "day", True)),
    ("On Monday, January 27, the app led.", ("On Monday, January 27", "2025-01-27", "2025-01-27", "day", True)),
    ("It was taken January 21, 2025, in Paris.", ("January 21, 2025", "2025-01-21", "2025-01-21", "day", False)),
    ("It opened on 21 January 2025.", ("21 January 2025", "2025-01-21", "2025-01-21", "day", False)),
    ("Filed 2024-11-05 in court.", ("2024-11-05", "2024-11-05", "2024-11-05", "day", False)),
    ("It said in March 2023 that it would.", ("March 2023", "2023-03-01", "2023-03-31", "month", False)),
    ("The release in December 2024 helped.", ("December 2024", "2024-12-01", "2024-12-31", "month", False)),
    ("It launched in Sept. 2024.", ("Sept. 2024", "2024-09-01", "2024-09-30", "month", False)),
    ("It was founded in 2015.", ("in 2015", "2015-01-01", "2015-12-31", "year", False)),
    ("Since 2022, rules have tightened.", ("Since 2022", "2022-01-01", "2022-12-31", "year", False)),
    ("ChatGPT launched in late 2022.", ("late 2022", "2022-09-01", "2022-12-31", "season", False)),
    ("It grew in mid-2023.", ("mid-2023", "2023-05-01", "2023-08-31", "season", False)),
    ("Results in Q4 2024 were strong.", ("Q4 2024", "2024-10-01", "2024-12-31", "quarter", False)),
    ("In the fourth quarter of 2023 it grew.", ("the fourth quarter of 2023", "2023-10-01", "2023-12-31", "quarter", False)),
    ("It was spring 2021 then.", ("spring 2021", "2021-03-01", "2021-05-31", "season", False)),
    ("It wrote last month that it had.", ("last month", "2024-12-01", "2024-12-31", "month", True)),
    ("It launched earlier this month.", ("earlier this month", "2025-01-01", "2025-01-31", "month", True)),
    ("It was released last week.", ("last week", "2025-01-20", "2025-01-26", "week", True)),
    ("A symposium last year was held.", ("last year", "2024-01-01", "2024-12-31", "year", True)),
    ("Graduates from this year joined.", ("this year", "2025-01-01", "2025-12-31", "year", True)),
    ("Wang said on Thursday it was so.", ("on Thursday", "2025-01-23", "2025-01-23", "day", True)),
    ("Analysts on Monday said so.", ("on Monday", "2025-01-27", "2025-01-27", "day", True)),
    ("Markets fell Tuesday.", ("Tuesday", "2025-01-28", "2025-01-28", "day", True)),
    ("He spoke last Tuesday.", ("last Tuesday", "2025-01-21", "2025-01-21", "day", True)),
    ("V2 came out last spring.", ("last spring", "2024-03-01", "2024-05-31", "season", True)),
    ("R1, released in January, impressed.", ("in January", "2025-01-01", "2025-01-31", "month", True)),
    ("It was founded in March.", ("in March", "2024-03-01", "2024-03-31", "month", True)),
    ("It had 40 stores at the end of December.", ("the end of December", "2024-12-01", "2024-12-31", "month", True)),
    ("It will open 12 stores by the end of March.", ("by the end of March", "2025-03-01", "2025-03-31", "month", True)),
    ("It happened two weeks ago.", ("two weeks ago", "2025-01-13", "2025-01-19", "week", True)),
    ("Prices rose late last year.", ("late last year", "2024-09-01", "2024-12-31", "season", True)),
])
def test_date_cases(text, expected):
    assert found(text) == [expected]


@pytest.mark.parametrize("text", [
    "We may see more. It may rise in value.",
    "We said so.",
    "It had 50,000 H100s and a 67 billion parameter model.",
    "It costs $2023 and 2024 chips.",
    "The S&P 500 fell 2,025 points.",
    "March on, said the marchers.",
    "May I ask?",
    "The fee is likely illegal under the Export Control Reform Act of 2018.",   # a law's name
])
def test_not_dates(text):
    assert found(text) == []


def test_without_publication_date():
    text = ("It said last month and on Monday, January 27, that in January it had grown; "
            "it was founded in 2015 and launched in March 2023 and in late 2022.")
    got = found(text, None)
    assert [g[0] for g in got] == ["in 2015", "March 2023", "late 2022"]
    assert all(not g[4] for g in got)


def test_anchor_and_ids():
    text = "It said last month. It was in 2015."
    rows = extract_dates(split_sentences("a", text), PUB)
    # content ids: the article text's key and the mention's offset, not the file name
    key = ids.text_key(text)
    assert [r["date_id"] for r in rows] == [f"dat-{key}-8", f"dat-{key}-27"]
    assert rows[0]["anchor"] == "2025-01-28" and rows[1]["anchor"] == ""
    assert extract_dates(split_sentences("a", "It said last month."), "2025-03-14")[0]["date"] == "2025-02-01"


def test_seed_000_dates():
    path = next(SEEDS.glob("000_*.txt"))
    text = path.read_text(encoding="utf-8")
    published = infer_meta.parse_dateline(text).date
    rows = extract_dates(split_sentences("000", text, clean.find_furniture(text)), published)
    got = {(r["mention"], r["date"], r["precision"]) for r in rows}
    assert ("last month", "2024-12-01", "month") in got
    assert ("late 2022", "2022-09-01", "season") in got
    assert ("on Thursday", "2025-01-23", "day") in got
    assert ("January 20", "2025-01-20", "day") in got
    assert len(rows) == 9


def test_fixture_relative_dates():
    text = (OTHER / "kestrel_001_funding.txt").read_text(encoding="utf-8")
    published = infer_meta.parse_dateline(text).date
    rows = extract_dates(split_sentences("k", text, clean.find_furniture(text)), published)
    got = {(r["mention"], r["date"]) for r in rows}
    assert {("on Thursday", "2025-03-13"), ("last month", "2025-02-01"), ("in 2022", "2022-01-01"),
            ("since January", "2025-01-01")} <= got
    assert not any("2025-03-14" == r["date"] for r in rows)  # the dateline is furniture


def test_adversarial_input_is_linear():
    cases = [(repeated("January "), 3000), (repeated("in ", suffix="2020"), 5000),
             (repeated("last "), 5000), (repeated("Monday, "), 3000), (repeated("1"), 5000),
             (repeated("late-"), 3000), (repeated("x"), 5000)]

    def run(text: str):
        return extract_dates([{"sentence_id": "snt-a-1", "article_id": "a", "start": 0,
                               "end": len(text), "quote": text}], PUB)
    for text_of, n in cases:
        assert_linear(run, text_of, n)


_PIECES = ["January", "Jan.", "May", "may", "20", "31", "2025", "1999", ",", " ", "in", "last",
           "month", "week", "Monday", "spring", "late", "Q4", "of", "-", "on", "ago", "two", "We"]


@settings(max_examples=80, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=50).map(" ".join),
       st.one_of(st.none(), st.dates(dt.date(1990, 1, 1), dt.date(2090, 12, 31))))
def test_property_valid_periods(text, published):
    rows = extract_dates([{"sentence_id": "snt-a-1", "article_id": "a", "start": 0, "end": len(text),
                           "quote": text}], published)
    for r in rows:
        assert text[r["mention_start"]:r["mention_end"]] == r["mention"]
        assert r["date"] <= r["date_end"]
        assert r["precision"] in ("day", "week", "month", "season", "quarter", "year")
        if published is None:
            assert not r["relative"]


def test_relative_dates_inside_a_quotation_are_left_unresolved():
    def mentions(text):
        return [m[0] for m in found(text)]

    assert mentions("“Our staff graduated this year or last year,” Liang told 36Kr.") == []
    assert mentions('"We will ship next month," the chief executive said.') == []
    # the quotation began in an earlier sentence and closes in this one
    assert mentions("They joined this year.” He added nothing.") == []
    # outside the quotation, and absolute dates inside one, are still read
    assert mentions("“We are hiring,” the company said this year.") == ["this year"]
    assert mentions("“We started in March 2023,” he said.") == ["March 2023"]


@pytest.mark.parametrize("text,pos,inside", [
    ("a “b c” d", 3, True), ("a “b c” d", 8, False), ("x y” z", 1, True), ("x y” z", 5, False),
    ('a "b" c', 3, True), ('a "b" c', 6, False), ("no quotes", 3, False),
    ("“one” and “two”", 12, True), ("“one” and “two”", 7, False),
])
def test_in_quotation(text, pos, inside):
    assert in_quotation(text, pos) is inside


@pytest.mark.parametrize("text, expected", [
    ("From April, the airline will fly to the islands.", "2025-04-01"),       # ahead: the next April
    ("The plant is due to open in October.", "2025-10-01"),
    ("In April the airline began flying to the islands.", "2024-04-01"),       # past: the last April
    ("The company said in December it will hire more staff.", "2024-12-01"),  # when it said so
])
def test_a_month_without_year_looks_ahead_only_when_the_sentence_does(text, expected):
    assert [f[1] for f in found(text)] == [expected]


def test_a_year_after_for_is_a_date():
    # "revenue of 1.46 billion euros for 2024": the year the figure is for
    assert [f[1:4] for f in found("Lumen reported revenue of 1.46 billion euros for 2024.")] == \
        [("2024-01-01", "2024-12-31", "year")]


@pytest.mark.parametrize("text, published, expected", [
    # a results story of August reports the quarter just ended
    ("Second-quarter revenue rose 31% to $2.94 billion.", dt.date(2024, 8, 8),
     ("Second-quarter", "2024-04-01", "2024-06-30", "quarter", True)),
    # an outlook given in April is of the quarter under way
    ("Acme expects second quarter sales to fall.", dt.date(2025, 4, 20),
     ("second quarter", "2025-04-01", "2025-06-30", "quarter", True)),
    # the fourth quarter reported in February is last year's
    ("Fourth-quarter profit doubled.", dt.date(2025, 2, 13),
     ("Fourth-quarter", "2024-10-01", "2024-12-31", "quarter", True)),
    ("Its fourth-quarter 2023 profit doubled.", dt.date(2025, 2, 13),
     ("fourth-quarter 2023", "2023-10-01", "2023-12-31", "quarter", False)),
])
def test_a_quarter_without_a_year_is_the_latest_begun_by_publication(text, published, expected):
    assert found(text, published) == [expected]


@pytest.mark.parametrize("text, published, expected", [
    ("Sales came to SEK 1.9 billion for the three months to the end of March.", dt.date(2025, 5, 15),
     ("three months to the end of March", "2025-01-01", "2025-03-31", "quarter", True)),
    ("Acme lifted profit to $221 million in the year to June.", dt.date(2025, 8, 20),
     ("year to June", "2024-07-01", "2025-06-30", "year", True)),
    ("Revenue for the six months ended September 30, 2024 rose.", dt.date(2025, 1, 10),
     ("six months ended September 30, 2024", "2024-04-01", "2024-09-30", "season", False)),
])
def test_months_to_a_month_are_the_months_ending_with_it(text, published, expected):
    assert found(text, published) == [expected]
