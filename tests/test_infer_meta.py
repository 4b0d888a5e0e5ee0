"""Publication date and outlet from an article's own text, page and file name (infer_meta).

Every line below was written for these tests in the forms news pages use (wire datelines with
and without a year, credits, bylines, "Published"/"Updated" lines, weekday-dated events); the
companies are invented.
"""
from __future__ import annotations

import datetime as dt

import pytest

from newsbrief.ingest import infer_meta as im
from newsbrief.ingest.corpus import load_articles

WIRE_NO_YEAR = ("June 11 (Reuters) - Orbital Freight said on Tuesday it had raised $40 million, "
                "its first round since it was founded in 2024.\n")


@pytest.mark.parametrize("text, file_name, expected", [
    # wire datelines: the year comes from somewhere else, and says where
    (WIRE_NO_YEAR, "2024-06-11_reuters_orbital.txt", ("2024-06-11", "inferred", "file name")),
    (WIRE_NO_YEAR, "orbital.txt", ("2024-06-11", "inferred", "fell on a Tuesday")),
    ("SHANGHAI, Dec 31 (Reuters) - Lumen Motors cut prices.\n", "2025-01-01_cut.txt",
     ("2024-12-31", "inferred", "file name")),
    ("HONG KONG, March 3, 2025 (AP) — Lumen Motors cut prices.\n", "", ("2025-03-03", "stated", "dateline")),
    ("PORTO, Portugal, May 14, 2025 /PRNewswire/ -- Lumen Air today reported revenue.\n", "",
     ("2025-05-14", "stated", "dateline")),
    ("LISBON, March 4, 2025 (Lusa/AFP) - The regulator fined Lumen.", "", ("2025-03-04", "stated", "dateline")),
    ("Lumen cuts prices\n\nBy Ana Ruiz\n\nBEIJING, Jan. 28 (Reuters) - Lumen Motors said...\n\n"
     "Updated Jan 28, 2025 4:10 PM GMT\n", "", ("2025-01-28", "stated", "with the year of")),
    # the normalised form of the seed corpus, with and without a city
    (" date 2025-01-28 BEIJING: Kestrel said", "", ("2025-01-28", "stated", "dateline")),
    (" date 2025-02-07 Several regulators said", "", ("2025-02-07", "stated", "dateline")),
    # publication and update lines
    ("Kestrel raises funds\n\nPublished on 29th February 2024\n\nKestrel said...", "",
     ("2024-02-29", "stated", "publication line")),
    ("Headline\nBy Jane Doe, CNBC\nPublished Tue, Jun 11 2024 10:02 AM EDT | Updated Wed, Jun 12 "
     "2024 8:00 AM EDT\n\nBody.", "", ("2024-06-11", "stated", "publication line")),
    ("Headline\nUpdated 3:41 PM ET, Tue June 11, 2024\n\nBody text.", "",
     ("2024-06-11", "inferred", "update line")),
    # a time zone written as an offset ("GMT+8") is part of the time, not of the date
    ("Headline\n\nBy JANE ROE\n\nUpdated 5:40 PM GMT+8, January 21, 2025\n\nHONG KONG (AP) — Lumen "
     "cut prices.", "", ("2025-01-21", "inferred", "update line")),
    ("Headline\nPublished 10:02 AM UTC+05:30, March 3, 2025\n\nBody.", "",
     ("2025-03-03", "stated", "publication line")),
    ("Headline\n\nBy Ana Rao, ET Bureau\n\nLast Updated: Nov 13, 2024, 07:45:00 AM IST\n\nBody.", "",
     ("2024-11-13", "inferred", "update line")),
    ("Weekly recap\n\nApril 25, 2025\n\nThe committee met.", "", ("2025-04-25", "stated", "date line")),
    ("Lumen cuts prices\nBy Jane Doe | June 11, 2024\n\nLumen Motors cut prices.", "",
     ("2024-06-11", "stated", "date line")),
    # the date between other parts of the line (a role before it, a time and tags after it)
    ("Lumen cuts prices\n\nStaff Writer | June 11, 2024 | 2:14 pm  Lisbon  Retail\n\nLumen Motors "
     "cut prices.", "", ("2024-06-11", "stated", "date line")),
    ("Lumen Motors Charged\n\nWASHINGTON, Sept. 27, 2018 — The regulator charged Lumen.", "",
     ("2018-09-27", "stated", "dateline")),
    ("LONDON, June 11 - Lumen said on Tuesday it had raised funds in 2024.", "",
     ("2024-06-11", "inferred", "fell on a Tuesday")),
    # an update line that says the first publication was the same day, at a time
    ("Lumen profit\n\nAna Ruiz Retail reporter\n\nUpdated Aug 20, 2025 – 5.32pm, first published "
     "at 11.04am\n\nBody.", "", ("2025-08-20", "stated", "publication line")),
    # ... but a first publication on another day leaves only the update (and a year-less day)
    ("Lumen profit\n\nUpdated Aug 20, 2025 – 5.32pm, first published Aug 19\n\nBody.", "",
     ("2025-08-20", "inferred", "update line")),
    # a two-digit year in an all-digit publication line
    ("Lumen lifts guidance\n\nPublished: 08.08.24 at 09:50\n\nUpdated: 08.08.24 at 11:20\n\nBody.",
     "", ("2024-08-08", "stated", "publication line")),
    # file name only
    ("Lumen Motors cut prices again.", "2024-06-11_reuters_x.txt", ("2024-06-11", "inferred", "file name")),
    # weekday-dated events, the year fixed by the weekday among the years the text writes
    ("SINGAPORE - Quill Pay said on Tuesday (Feb 18) it raised funds. It was founded in 2021 "
     "and doubled revenue in 2024.", "", ("2025-02-18", "inferred", "earliest possible")),
])
def test_publication_date_forms(text, file_name, expected):
    found = im.publication_date(text, file_name)
    assert (found.value, found.status) == expected[:2], found
    assert expected[2] in found.how


@pytest.mark.parametrize("text, file_name, why", [
    ("BEIJING, Jan 28 (Reuters) - A lab released a model.", "", "gives no year"),
    ("June 11 (Reuters) - Orbital said on Friday it had raised funds in 2024.", "", "gives no year"),
    ("Quill Pay said on Tuesday (Feb 18) it raised funds.", "", ""),  # no year anywhere: abstain
    ("The company published its results on June 11, 2024, it said.", "", ""),  # a sentence
    (" date 2025-02-30 PARIS: bad day", "", "no valid date"),
    ("Lumen cut prices.", "2024-13-45_x.txt", ""),
])
def test_publication_date_not_guessed(text, file_name, why):
    found = im.publication_date(text, file_name)
    assert (found.value, found.status) == ("", "unknown"), found
    assert why in found.how


@pytest.mark.parametrize("text, file_name, expected", [
    ("PORTO, Portugal, May 14, 2025 /PRNewswire/ -- Lumen Air today reported revenue.", "x.txt",
     ("PR Newswire", "stated")),
    ("BEIJING, Jan 28 (Reuters) - x", "", ("Reuters", "stated")),
    ("(Bloomberg) -- Lumen Motors cut prices again.", "", ("Bloomberg", "stated")),
    ("PARIS (AFP) - The regulator opened a probe.", "", ("Agence France-Presse", "stated")),
    # a partner agency's reprint: its own name first, then the wire's
    ("LISBON, March 4, 2025 (Lusa/AFP) - The regulator fined Lumen.", "", ("Agence France-Presse", "stated")),
    ("WASHINGTON (AP) — Lawmakers asked questions.", "", ("Associated Press", "stated")),
    ("Chip stocks slide\n\nBy Jane Doe, CNBC\n\nShares fell.", "", ("CNBC", "stated")),
    ("Chip stocks slide\nBy Jane Doe and Raj Patel | Reuters\nShares fell.", "", ("Reuters", "stated")),
    ("Lawmakers had questions about the app. For VOA, Dana Mills reports.\n", "",
     ("Voice of America", "stated")),
    ("Some text.\n\nSource: VOA\n", "", ("Voice of America", "stated")),
    ("Body.\n© 2025 Bloomberg L.P.\n", "", ("Bloomberg", "stated")),
    ("Body of the story.\n\n(Reporting by Ana Ruiz; Editing by Tom Lee)\n", "", ("Reuters", "inferred")),
    ("Lumen Motors cut prices again.", "2024-06-11_cnbc_lumen.txt", ("CNBC", "inferred")),
    # a wire credit on its own line at the end (a paper running agency copy), picture credit after it
    ("Lumen plant\n\nBUDAPEST - Lumen Motors will build a plant.\n\nAFP\n\n(Photo) The signing. "
     "PHOTO: AFP\n", "straitstimes_lumen.txt", ("Agence France-Presse", "stated")),
    ("Lumen fined\n\n24 September 2024\n\nAna Ruiz\nBusiness reporter, BBC News\n\nThe watchdog "
     "fined Lumen.", "", ("BBC", "stated")),
    ("Lumen raises funds\n\nLumen said it raised money.\n\nSign up to City A.M.'s Midday Update "
     "newsletter\n", "", ("City A.M.", "stated")),
    ("Lumen Motors recalls 4,000 cars - Reuters\n\nLumen Motors said on Monday...", "",
     ("Reuters", "stated")),
    # a trade outlet's name on its own line under the byline
    ("Lumen banks $348M for phase 3\n\nBy Ana Ruiz • Mar 7, 2024 9:40am\n\nFierce Biotech\n\n"
     "Lumen Bio has pulled in money.", "", ("Fierce Biotech", "stated")),
    # the masthead: the outlet's name alone on the first line, or heading a notice
    ("ABC News\n\nLumen fined over warranties\n\nBy Ana Ruiz\n\nThe court fined Lumen.", "x.txt",
     ("ABC News", "stated")),
    ("ASX ANNOUNCEMENT\n20 August 2025\n\nLumen Retail Limited (ASX: LMR)\nFY25 results", "x.txt",
     ("ASX", "stated")),
    # ... which gives way to the credit of the wire whose copy the site runs
    ("ABC News\n\nPARIS (AFP) - The regulator opened a probe." + " It said more." * 60, "x.txt",
     ("Agence France-Presse", "stated")),
    # a copyright sign and the word together
    ("Lumen fined\n\nThe regulator fined Lumen.\n\n(c) Copyright 2025 The Globe and Mail Inc. All rights "
     "reserved.", "x.txt", ("The Globe and Mail", "stated")),
])
def test_outlet_forms(text, file_name, expected):
    found = im.outlet(text, file_name)
    assert (found.value, found.status) == expected, found


@pytest.mark.parametrize("text", [
    "Lumen logo. (Image: Reuters)\n\nStory continues below this ad\n",
    "The chief executive told Reuters on Monday that prices would fall.",
    "Speaking to CNBC, the founder said the round was closed.",
    "According to Bloomberg, the company is raising money.",
])
def test_outlet_not_taken_from_mentions(text):
    assert im.outlet(text, "story.txt") == im.Found()


def test_two_outlets_named_is_unknown_and_says_why():
    found = im.outlet("By Jane Doe, CNBC\n\nBEIJING, Jan 28 (Reuters) - x", "")
    assert found.status == "unknown" and "CNBC" in found.how and "Reuters" in found.how


def test_canonical_outlet_names():
    assert im.canonical_outlet("VOA") == "Voice of America"
    assert im.canonical_outlet("reuters.com") == "Reuters"
    assert im.canonical_outlet("  Some  Local Paper ") == "Some Local Paper"


def test_dateline_span_starts_story():
    text = "Lumen cuts prices\n\nSHANGHAI, March 3 (Reuters) - Lumen Motors cut prices.\n"
    line = im.parse_dateline(text)
    assert text[line.end:].startswith("Lumen Motors cut")
    assert (line.city, line.credit, line.year, line.month, line.day) == ("SHANGHAI", "Reuters", None, 3, 3)
    assert im.parse_dateline("Feb 30 (Reuters) - x").month is None  # kept as furniture, no date


@pytest.mark.parametrize("line, outlet_name, outlet_status, expected", [
    # one reading only: the numbers decide, whoever the outlet is
    ("Published on 25/12/2024 - 10:00", "", "unknown", ("2024-12-25", "stated")),
    ("Published 12/25/2024 10:00 AM", "", "unknown", ("2024-12-25", "stated")),
    ("Published on 08/08/2024", "", "unknown", ("2024-08-08", "stated")),
    # two readings: the outlet's house order, only as sure as the outlet
    ("Published on 08/07/2025 - 11:32 GMT+2•Updated 13:05", "Euronews", "stated", ("2025-07-08", "stated")),
    ("Published on 08/07/2025 - 11:32 GMT+2•Updated 13:05", "Euronews", "inferred", ("2025-07-08", "inferred")),
    ("Issued on: 05/03/2024 - 10:00 Modified: 05/03/2024 - 12:00", "France 24", "stated",
     ("2024-03-05", "stated")),
    # two readings and no known order: not guessed, and the note says why
    ("Published on 08/07/2025 - 11:32", "", "unknown", ("", "unknown")),
    ("Published on 08/07/2025 - 11:32", "Some Local Paper", "stated", ("", "unknown")),
    ("Published on 31/02/2025", "", "unknown", ("", "unknown")),
])
def test_all_digit_dates_read_by_the_outlets_house_order(line, outlet_name, outlet_status, expected):
    found = im.publication_date(f"Couriers' pay cut\n\n{line}\n\nBy Ana Ruiz\n\nThe union said...",
                                "story.txt", outlet_name, outlet_status)
    assert (found.value, found.status) == expected, found
    if expected[1] == "unknown" and "31/02" not in line:
        assert "day-first or month-first" in found.how


def test_ingest_reads_an_all_digit_date_by_the_outlet_named_in_the_file_name(tmp_path):
    (tmp_path / "euronews_couriers.txt").write_text(
        "Couriers' pay cut\n\nPublished on 08/07/2025 - 11:32 GMT+2\n\nThe union said on Monday "
        "that Lumen Eats had cut pay.\n", encoding="utf-8")
    art = load_articles(tmp_path, "Lumen Eats")[0].iloc[0]
    assert (art["outlet"], art["outlet_status"]) == ("Euronews", "inferred")
    assert (art["published"], art["published_status"]) == ("2025-07-08", "inferred")


def test_wire_credit_carried_by_a_partner_agency():
    for text, city in (("MADRID, May 21, 2025 (BSS/AFP) - The watchdog fined Lumen Eats.", "MADRID"),
                       ("TOKYO (AFP-JIJI) - Lumen Eats said it would appeal.", "TOKYO")):
        line = im.parse_dateline(text)
        assert (line.city, line.credit) == (city, "AFP")
        assert text[line.end:].startswith("The watchdog") or text[line.end:].startswith("Lumen")
        assert im.outlet(text, "x.txt").value == "Agence France-Presse"
    assert im.publication_date("MADRID, May 21, 2025 (BSS/AFP) - The watchdog fined Lumen Eats.",
                               "").value == "2025-05-21"


def test_weekday_date_year():
    assert im.weekday_date_year(1, 2, 18, range(2023, 2027)) == 2025  # Tue 18 Feb 2025
    assert im.weekday_date_year(1, 2, 18, range(2019, 2027)) is None  # also Tue 18 Feb 2020


def test_page_metadata_reads_markup_not_clock():
    html = ('<html><head><title>Lumen cuts prices | Example Wire</title>'
            '<meta property="og:site_name" content="CNBC">'
            '<meta property="article:published_time" content="2024-06-11T10:02:00-04:00">'
            '<link rel="canonical" href="https://example.com/lumen"></head>'
            '<body><article><p>Lumen Motors cut prices again on Tuesday.</p></article></body></html>')
    meta = im.page_metadata(html)
    assert meta["outlet"] == "CNBC" and meta["published"] == "2024-06-11"
    assert meta["url"] == "https://example.com/lumen"
    undated = im.page_metadata("<html><body><p>Lumen Motors cut prices in 2024.</p></body></html>")
    assert "published" not in undated  # htmldate is not allowed to guess from the text


def test_ingest_fills_unknown_fields_with_statuses_and_notes(tmp_path):
    (tmp_path / "2024-06-11_reuters_orbital.txt").write_text(WIRE_NO_YEAR, encoding="utf-8")
    (tmp_path / "b.txt").write_text("BEIJING, Jan 28 (Reuters) - Orbital Freight said...\n",
                                    encoding="utf-8")
    (tmp_path / "c.txt").write_text("Orbital Freight\n\nBy Jane Doe, CNBC\nPublished on 3rd March "
                                    "2025\n\nOrbital Freight said on Monday that...\n", encoding="utf-8")
    (tmp_path / "metadata.csv").write_text("file,published,published_status\nc.txt,2025-03-04,stated\n",
                                           encoding="utf-8")
    df, notes = load_articles(tmp_path, "Orbital Freight")
    by = df.set_index("file")
    row = by.loc["2024-06-11_reuters_orbital.txt"]
    assert (row["published"], row["published_status"], row["outlet"], row["outlet_status"]) == (
        "2024-06-11", "inferred", "Reuters", "stated")
    row = by.loc["b.txt"]
    assert (row["published"], row["published_status"]) == ("", "unknown")
    assert any(n.file == "b.txt" and "gives no year" in n.problem for n in notes)
    row = by.loc["c.txt"]  # the metadata file wins over the text
    assert (row["published"], row["published_status"], row["outlet"]) == ("2025-03-04", "stated", "CNBC")
    assert dt.date.fromisoformat(by.loc["2024-06-11_reuters_orbital.txt", "published"]).weekday() == 1


def test_relative_dates_resolve_against_an_inferred_date(tmp_path):
    """A story dated only by its file name: "on Monday", "last month" and "on Tuesday (Feb 18)"
    resolve against that date and are marked relative; one inside a quotation is left alone."""
    from newsbrief.evidence.layer import build_evidence

    (tmp_path / "2025-02-19_straitstimes_quill.txt").write_text(
        "Quill Pay said on Tuesday (Feb 18) it had raised $30 million. The round closed on Monday, "
        "and the company hired 40 engineers last month.\n\n"
        "\u201cWe grew fast last year,\u201d the chief executive said.\n", encoding="utf-8")
    articles, _ = load_articles(tmp_path, "Quill Pay")
    assert (articles.loc[0, "published"], articles.loc[0, "published_status"]) == ("2025-02-19", "inferred")
    dates = build_evidence(articles, "Quill Pay")["dates"]
    got = {(r.mention, r.date, bool(r.relative), r.anchor) for r in dates.itertuples()}
    assert ("on Tuesday (Feb 18)", "2025-02-18", True, "2025-02-19") in got
    assert ("on Monday", "2025-02-17", True, "2025-02-19") in got
    assert ("last month", "2025-01-01", True, "2025-02-19") in got
    assert not any(m == "last year" for m, *_ in got)  # inside a direct quotation


@pytest.mark.parametrize("tail, expected", [
    ("Copyright The Lisbon Gazette Limited 2024. All rights reserved.", "The Lisbon Gazette"),
    ("© 2025 Harbour Daily", "Harbour Daily"),
    ("Copyright 2025 The Associated Press. All Rights Reserved.", "Associated Press"),   # a known outlet
    ("© Getty Images", ""),   # a picture agency, not the publisher
    ("© Copyright 2025 Harbour Daily Ltd.", "Harbour Daily"),   # the sign and the word, not "Copyright"
])
def test_a_publisher_the_list_does_not_know_is_read_from_its_copyright_line(tail, expected):
    found = im.outlet("Lumen cuts prices\n\nLumen Motors cut prices on Monday.\n\n" + tail, "story.txt")
    assert (found.value, found.status) == ((expected, "stated") if expected else ("", "unknown"))


@pytest.mark.parametrize("text, expected", [
    # the masthead of a site the outlet list does not know: its name alone on the first line ...
    ("Harbour Daily\n\nLumen fined over warranties\n\nBy Ana Ruiz\n\nThe court fined Lumen.", "Harbour Daily"),
    # ... with the page's sections, or heading a notice
    ("The Lisbon Courier | Business\n\nLumen lifts guidance\n\nLumen said on Monday...", "The Lisbon Courier"),
    ("Borealis Metal Bulletin | Steel | Europe\n\nLumen output slips\n\nLumen made less steel.",
     "Borealis Metal Bulletin"),
    ("Lisbon Port Authority - Press release\n\nAuthority approves Lumen terminal\n\nThe authority said.",
     "Lisbon Port Authority"),
    # ... which gives way to the credit of the wire whose copy the site runs
    ("Harbour Daily\n\nLumen plant\n\nPARIS (AFP) - The regulator opened a probe.", "Agence France-Presse"),
    # a regulatory news service's announcement number
    ("RNS Number : 4821K\nLumen Power PLC\n12 November 2025\n\nHALF-YEAR RESULTS\n\nLumen today...", "RNS"),
])
def test_a_masthead_names_an_outlet_the_list_does_not_know(text, expected):
    found = im.outlet(text, "story.txt")
    assert (found.value, found.status) == (expected, "stated"), found


@pytest.mark.parametrize("text", [
    "Lumen Beats Estimates\n\nLumen Motors beat estimates on Monday.\n",   # a headline over the story
    "Ana Ruiz\n\nThe court fined Lumen on Monday.\n",                       # a byline over the story
    "Lumen Robotics Inc\n\nQuarterly results\n\nLumen said revenue rose.",  # a company's own release
    "Premium\n\nHow Lumen's origins explain its rise\n\nLumen was founded in 2021.",  # a page label
    "Lumen Motors Cuts Prices Again\n\nBy Ana Ruiz\n\nLumen cut prices.",  # too long for a masthead
])
def test_no_masthead_from_headlines_bylines_companies_or_labels(text):
    assert im.outlet(text, "story.txt") == im.Found()
