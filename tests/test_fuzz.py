"""Property-based fuzzing of the text-cleaning and extraction functions.

Properties, for any str input (random unicode incl. control chars and NUL, and adversarial text
built from the domain vocabulary):

1. the functions never raise;
2. every emitted row keeps the provenance rule: ``text[start:end] == quote`` with
   ``0 <= start <= end <= len(text)``, and mention spans likewise;
3. no catastrophic backtracking / quadratic blow-up: on adversarial repetitive input the time at
   20,000 chars is at most 10x the time at 5,000 chars + 0.05 s, and under 3 s.

Regression examples for the bugs this fuzzing found are at the bottom of the file.
"""
from __future__ import annotations

import datetime as dt
import os

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from newsbrief import ids
from newsbrief.extract.clean import find_furniture
from newsbrief.extract.dates import extract_dates
from newsbrief.extract.figures import extract_figures
from newsbrief.extract.sentences import split_sentences
from newsbrief.ingest.corpus import ArticleRejected, read_article_text
from newsbrief.ingest.infer_meta import outlet, parse_dateline, publication_date
from scaling import assert_linear

PUB = dt.date(2025, 1, 28)
SCALE = max(1, int(os.environ.get("FUZZ_SCALE", "1")))  # FUZZ_SCALE=20 for a long fuzzing run
COMPANY = "DeepSeek"

# --------------------------------------------------------------------------------------------
# Strategies
# --------------------------------------------------------------------------------------------

# any unicode except surrogates (which cannot appear in decoded text); includes NUL and C0/C1
ANY_TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=400)

MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December", "Jan.", "Feb", "Sept.", "Dec."]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
VOCAB = (
    ["$", "€", "£", "US$", "million", "billion", "trillion", "bn", "m", "to", "-", "–", "x",
     "times", "-fold", "%", "percent", "between", "and", "less than", "more than", "around",
     "reportedly", "lost", "down", "rose", "shares", "market", "stock", "chips", "H100",
     "Nvidia", "GPUs", "parameters", "downloads", "models", "half-trillion-dollar", "dollars",
     "U.S.", "No.", "Dr.", "Mr.", "e.g.", "p.m.", "J.", "“", "”", "\"", "'", "’", "‘", "(", ")",
     "\n", "\r\n", "\r", "\t", " ", "  ", ".", ",", ":", ";", "!", "?", "…", "- ", "• ",
     "(Image: X)", "(Reuters)", "Story continues below this ad", "Advertisement", "By John Smith",
     "date 2025-01-28 BEIJING:", "BEIJING (Reuters) - ", "Also read:", "Subscribe to our newsletter",
     "in", "on", "last", "this", "next", "ago", "two", "weeks", "month", "year", "Q4", "spring",
     "late", "mid-", "since", "the fourth quarter of", "2025-01-21", "2025-02-30", "9999-99-99",
     "DeepSeek", "OpenAI", "Liang Wenfeng", "CEO", "said", "says", "claimed", "according to",
     "told", "alleged", "The", "It", "A", "\x00", "\x0b", "\x0c", "\x1c", "\x85", "\u2028", "\u00a0",
     "\ufeff", "\u200b",
     # characters whose case mapping changes the length, non-ASCII digits, combining marks
     "İ", "ß", "ﬁ", "ŉ", "Σ", "٣", "١٢٣٤", "²", "½", "Ⅻ", "\u0301", "e\u0301", "🚀"]
    + MONTHS + WEEKDAYS
)
DIGITS = st.from_regex(r"\A(?:\d{1,4}|\d{1,3}(?:,\d{3}){1,3}|\d+\.\d+|0\d{2}|[0-3]?\d(?:st|nd|rd|th))\Z")
LONG_WORD = st.integers(50, 400).map(lambda n: "x" * n)
TOKEN = st.one_of(st.sampled_from(VOCAB), DIGITS, LONG_WORD,
                  st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=3))
SEP = st.sampled_from(["", " ", " ", " ", "\n", "-", ", ", ". "])


@st.composite
def domain_text(draw) -> str:
    parts = draw(st.lists(st.tuples(TOKEN, SEP), max_size=60))
    return "".join(a + b for a, b in parts)


# characters that re.IGNORECASE treats as equal to an ASCII letter although their lower() is not
# that letter: long s, dotless i, Kelvin sign, Ohm sign, capital sharp s
CASE_TWINS = {"s": "ſ", "S": "ſ", "i": "ı", "I": "ı", "k": "\u212a", "K": "\u212a"}


@st.composite
def case_twin_text(draw) -> str:
    """Domain text with some letters swapped for their case-insensitive twins ("laſt week")."""
    text = draw(domain_text())
    rnd = draw(st.randoms(use_true_random=False))
    rate = draw(st.sampled_from([0.1, 0.5, 1.0]))
    return "".join(CASE_TWINS[c] if c in CASE_TWINS and rnd.random() < rate else c for c in text)


TEXT = st.one_of(ANY_TEXT, domain_text(), domain_text(), case_twin_text())


def row(text: str, aid: str = "a", kind: str = "body") -> dict:
    """One sentence row covering the whole text (bypasses the splitter)."""
    return {"sentence_id": f"snt-{aid}-1", "article_id": aid, "start": 0, "end": len(text),
            "quote": text, "paragraph": 1, "kind": kind}


def check_span(text: str, start, end, quote, what: str) -> None:
    assert isinstance(start, int) and isinstance(end, int), (what, start, end)
    assert 0 <= start <= end <= len(text), (what, start, end, len(text))
    assert text[start:end] == quote, (what, start, end, quote)


def check_rows(text: str, rows: list[dict], mention: bool = False) -> None:
    for r in rows:
        check_span(text, r["start"], r["end"], r["quote"], "quote")
        if mention:
            check_span(text, r["mention_start"], r["mention_end"], r["mention"], "mention")
            assert r["start"] <= r["mention_start"] <= r["mention_end"] <= r["end"], r


def run_pipeline(text: str, published) -> dict:
    """find_furniture -> split_sentences -> figures, dates; checks every contract on the way."""
    spans = find_furniture(text)
    for s in spans:
        assert 0 <= s.start <= s.end <= len(text), s
    assert spans == sorted(spans)
    sents = split_sentences("a", text, spans)
    check_rows(text, sents)
    for a, b in zip(sents, sents[1:]):
        assert a["end"] <= b["start"], (a, b)  # in text order, never overlapping
    for s in sents:
        assert s["quote"] and s["quote"] == s["quote"].strip(), s
        assert not any(sp.start < s["end"] and s["start"] < sp.end for sp in spans), (s, spans)
    figs = extract_figures(sents)
    check_rows(text, figs, mention=True)
    dates = extract_dates(sents, published)
    check_rows(text, dates, mention=True)
    return {"sentences": sents, "figures": figs, "dates": dates}


# --------------------------------------------------------------------------------------------
# Properties 1 and 2: never raise, provenance spans hold
# --------------------------------------------------------------------------------------------

FAST = settings(max_examples=250 * SCALE, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(TEXT)
def test_find_furniture_and_dateline_never_raise(text):
    spans = find_furniture(text)
    for s in spans:
        assert 0 <= s.start < s.end <= len(text), s
        assert isinstance(s.reason, str) and s.reason
    for a, b in zip(spans, spans[1:]):
        assert a.end <= b.start  # merged, sorted
    line = parse_dateline(text)
    if line is not None:
        assert line.date is None or isinstance(line.date, dt.date)
        assert 0 <= line.start <= line.end <= len(text)
    for found in (publication_date(text, "x.txt"), outlet(text, "x.txt")):
        assert found.status in ("stated", "inferred", "unknown")
        assert bool(found.value) == (found.status != "unknown")


@FAST
@given(TEXT, st.lists(st.tuples(st.integers(-5, 500), st.integers(-5, 500)), max_size=5))
def test_split_sentences_any_text_any_skip(text, skips):
    """Arbitrary (even inverted or out-of-range) skip spans never break the offsets."""
    rows = split_sentences("a", text, skips)
    check_rows(text, rows)
    for r in rows:
        assert r["sentence_id"] == ids.item_id("snt", ids.text_key(text), r["start"])
        assert r["kind"] in ("body", "heading", "list")


@FAST
@given(TEXT, st.sampled_from([PUB, None, dt.date(1, 1, 1), dt.date(9999, 12, 31)]))
def test_pipeline_on_random_text(text, published):
    run_pipeline(text, published)


@FAST
@given(TEXT, st.sampled_from(["body", "heading", "list"]))
def test_figures_and_dates_on_raw_quote(text, kind):
    """The extractors also hold up on a quote the splitter would never produce."""
    rows = [row(text, kind=kind)]
    check_rows(text, extract_figures(rows), mention=True)
    for pub in (PUB, None):
        check_rows(text, extract_dates(rows, pub), mention=True)


@FAST
@given(TEXT)
def test_offsets_shifted_sentence(text):
    """Rows whose start is not 0 (a sentence in the middle of an article)."""
    prefix = "Intro line.\n"
    full = prefix + text
    r = {"sentence_id": "snt-a-2", "article_id": "a", "start": len(prefix), "end": len(full),
         "quote": text, "kind": "body"}
    check_rows(full, extract_figures([r]), mention=True)
    check_rows(full, extract_dates([r], PUB), mention=True)


BYTES = st.one_of(
    st.binary(max_size=300),
    TEXT.map(lambda t: t.encode("utf-8", "surrogatepass")),
    st.tuples(st.sampled_from([b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff", b""]), st.binary(max_size=100),
              TEXT.map(lambda t: t.encode("utf-8"))).map(lambda t: b"".join(t)),
    TEXT.map(lambda t: t.encode("cp1252", "replace")),
)


@settings(max_examples=150 * SCALE, deadline=None)
@given(BYTES, st.sampled_from([".txt", ".md", ".html"]))
def test_read_article_text_random_bytes(tmp_path_factory, raw, suffix):
    path = tmp_path_factory.mktemp("fz") / f"article{suffix}"
    path.write_bytes(raw)
    try:
        text = read_article_text(path)
    except ArticleRejected as exc:
        assert exc.reason
        return
    assert isinstance(text, str) and text.strip()
    if suffix != ".html":
        assert "\x00" not in text
        if raw.startswith(b"\xef\xbb\xbf"):
            assert not text.startswith("\ufeff") or raw.startswith(b"\xef\xbb\xbf\xef\xbb\xbf")


# --------------------------------------------------------------------------------------------
# Property 3: linear time on adversarial repetitive input
# --------------------------------------------------------------------------------------------


# the patterns named in the brief, run against every function ...
COMMON = ["1,", "$1s", "a.", " ", "U.S.", "“", "-", "20 to ", "January "]
# ... plus patterns aimed at one function's own regular expressions and loops
EXTRA = {
    "find_furniture": ["\n", "\r\n", "(Image: X) ", "Story continues below this ad\n", "By A ",
                       "BEIJING (Reuters) - ", "x" * 61 + "\n"],
    "parse_dateline": ["date ", "BEIJING ", "A, Jan 1 "],
    "split_sentences": ["A. ", "Dr. ", "No. 1 ", "\n", "\r\n", "... ", "a.B", ". - A ", "!” “"],
    "extract_figures": ["$1 ", "€1-", "1 times ", "between 1 and ", "1% ", "1 million to ",
                        "50,000 H100 chips ", "half-trillion-dollar ", "lost $1 ", "1"],
    "extract_dates_pub": ["Monday, ", "in 2025 ", "two weeks ago ", "1 January ", "last spring ",
                          "on Monday, January 1, 2025 ", "2025-01-01 "],
    "extract_dates_none": ["Monday, ", "in 2025 ", "1 January ", "January 1 "],
    "mentions": ["DeepSeek said “", "By A ", "Dr. ", "A ", "Liang Wenfeng, ", "DeepSeek-V3 "],
    "statements": ["DeepSeek said “", "said ", "according to A ", "“A” ", "A told B ", "analysts said ",
                   "Analysts said it. OpenAI did not respond to a request for comment. "],
}


def _text(pattern: str, n: int) -> str:
    if pattern == "$1s":
        return "$" + "1" * (n - 1)
    return (pattern * (n // len(pattern) + 1))[:n]


def _run(fn: str):
    def run(text: str):
        if fn == "find_furniture":
            return find_furniture(text)
        if fn == "parse_dateline":
            return parse_dateline(text)
        if fn == "split_sentences":
            return split_sentences("a", text, find_furniture(text))
        if fn == "extract_figures":
            return extract_figures([row(text)])
        if fn == "extract_dates_pub":
            return extract_dates([row(text)], PUB)
        if fn == "extract_dates_none":
            return extract_dates([row(text)], None)
        raise AssertionError(fn)
    return run


def assert_linear_on(func, fn: str, pattern: str) -> None:
    """`func` on 20k characters of `pattern` costs at most MAX_GROWTH x 5k characters of it."""
    assert_linear(func, lambda n: _text(pattern, n), 20_000, label=f"{fn} {pattern!r}")


@pytest.mark.scale
@pytest.mark.parametrize("fn", ["find_furniture", "parse_dateline", "split_sentences",
                                "extract_figures", "extract_dates_pub", "extract_dates_none"])
def test_linear_time(fn):
    func = _run(fn)
    for pattern in COMMON + EXTRA[fn]:
        assert_linear_on(func, fn, pattern)


# --------------------------------------------------------------------------------------------
# Entities, statements, evidence (engineer B's modules)
# --------------------------------------------------------------------------------------------

entities = pytest.importorskip("newsbrief.extract.entities")
statements = pytest.importorskip("newsbrief.extract.statements")
evidence = pytest.importorskip("newsbrief.evidence.layer")

PEOPLE_TEXT = st.one_of(
    domain_text(),
    st.lists(st.sampled_from([
        "DeepSeek", "DeepSeek's", "DeepSeek-V3", "DeepSeek R1", "Liang Wenfeng", "Liang",
        "founder", "CEO", "OpenAI", "Sam Altman", "Nvidia", "Microsoft", "the U.S.", "Commerce Department",
        "said", "says", "told Reuters", "claimed", "alleged", "denied", "according to", "“", "”",
        "\"", ",", ".", " ", "\n", "spent $5.6 million", "50,000 H100 chips", "on January 20",
        "last week", "Dr. Smith", "Mr. Lee", "analysts estimate", "(Reuters)", "High-Flyer",
        "that", "without evidence", "V3", "R1", "The", "A", "— ", "x" * 120])
        , max_size=40).map(" ".join),
)


@settings(max_examples=120 * SCALE, deadline=None)
@given(PEOPLE_TEXT, st.one_of(st.just(COMPANY), st.sampled_from(["Acme AI", "X", "U.S.", "A.I.", "$"])))
def test_entities_and_statements_on_random_text(text, company):
    sents = split_sentences("a", text, find_furniture(text))
    mentions = entities.extract_mentions(sents, company, ())
    for m in mentions:
        check_span(text, m["start"], m["end"], m["quote"], "mention")
    entities.build_entities(mentions)
    dates = extract_dates(sents, PUB)
    for stmt in statements.extract_statements(sents, mentions, dates):
        check_span(text, stmt["start"], stmt["end"], stmt["quote"], "statement")


ARTICLE = st.fixed_dictionaries({
    "text": PEOPLE_TEXT.filter(lambda t: t.strip()),
    "published": st.sampled_from(["", "2025-01-28", "2024-12-31", "not a date", "2025-02-30"]),
    "outlet": st.sampled_from(["", "Reuters", "The Paper"]),
})


@settings(max_examples=25 * SCALE, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(ARTICLE, min_size=1, max_size=4), st.booleans(), st.booleans())
def test_build_evidence_on_random_articles(arts, duplicate, case_twins):
    if duplicate:  # a copy and a lightly edited copy exercise duplicate/derived detection
        arts = arts + [dict(arts[0]), {**arts[0], "text": arts[0]["text"] + "\nIt said more."}]
    if case_twins:
        arts = [{**a, "text": "".join(CASE_TWINS.get(c, c) for c in a["text"])} for a in arts]
    df = pd.DataFrame([{**a, "article_id": f"art{i:02d}", "included": True} for i, a in enumerate(arts)])
    texts = dict(zip(df["article_id"], df["text"]))
    tables = evidence.build_evidence(df, COMPANY)
    for name, table in tables.items():
        if name == "articles" or not {"article_id", "start", "end", "quote"} <= set(table.columns):
            continue
        for r in table.itertuples(index=False):
            check_span(texts[r.article_id], int(r.start), int(r.end), r.quote, name)
        if {"mention_start", "mention_end", "mention"} <= set(table.columns):
            for r in table.itertuples(index=False):
                check_span(texts[r.article_id], int(r.mention_start), int(r.mention_end), r.mention, name)


def _mentions_func(text: str):
    sents = split_sentences("a", text, find_furniture(text))
    return entities.extract_mentions(sents, COMPANY, ())


def _statements_func(text: str):
    sents = split_sentences("a", text, find_furniture(text))
    ments = entities.extract_mentions(sents, COMPANY, ())
    return statements.extract_statements(sents, ments, [])


@pytest.mark.scale
@pytest.mark.parametrize("fn, func", [("mentions", _mentions_func), ("statements", _statements_func)],
                         ids=["mentions", "statements"])
def test_linear_time_entities_statements(fn, func):
    for pattern in COMMON + EXTRA[fn]:
        assert_linear_on(func, fn, pattern)


# --------------------------------------------------------------------------------------------
# Regression examples for bugs found by the fuzzing above
# --------------------------------------------------------------------------------------------

def test_regression_figures_linear_with_many_figures_in_one_sentence():
    """Bug: extract_figures searched the whole sentence (reportedly words, market words, every
    measure rule) once per figure -> quadratic: "$1 " * 6,667 (20k chars) took ~100 s."""
    assert_linear_on(lambda text: extract_figures([row(text)]), "extract_figures", "$1 ")
    rows = extract_figures([row(_text("$1 ", 20_000))])
    assert len(rows) == 6667 and all(r["kind"] == "money" for r in rows)
    # the per-sentence facts are still applied to every figure
    rows = extract_figures([row("Shares reportedly lost $1 billion and $2 billion in market value.")])
    assert [(r["mention"], r["kind"], r["qualifier"], r["measure"]) for r in rows] == [
        ("$1 billion", "market_move", "reportedly", "market_value_change"),
        # measures.yml has a market-value level measure; before it this figure had no measure
        ("$2 billion", "money", "reportedly", "market_value")]


def test_regression_bom_then_invalid_utf8(tmp_path):
    """Bug: a UTF-8 BOM followed by bytes that are not UTF-8 (b"\\xef\\xbb\\xbf\\x80") raised
    UnicodeDecodeError out of read_article_text; now the BOM is dropped and the rest decoded
    with the cp1252 / latin-1 fallback."""
    path = tmp_path / "a.txt"
    path.write_bytes(b"\xef\xbb\xbf\x80 caf\xe9 costs \x80 5")
    assert read_article_text(path) == "€ café costs € 5"
    path.write_bytes(b"\xef\xbb\xbf\x81\x8d")  # undefined in cp1252 -> latin-1
    assert read_article_text(path) == "\x81\x8d"
    path.write_bytes(b"\xef\xbb\xbfcaf\xc3\xa9\r\n")  # valid UTF-8 after the BOM: unchanged
    assert read_article_text(path) == "café\r\n"


@pytest.mark.parametrize("text, mention, first, last", [
    ("It launched laſt week.", "laſt week", "2025-01-20", "2025-01-26"),
    ("It happened laſt ſpring.", "laſt ſpring", "2024-03-01", "2024-05-31"),
    ("Sprıng 2024 was busy.", "Sprıng 2024", "2024-03-01", "2024-05-31"),
    ("It began late laſt year.", "late laſt year", "2024-09-01", "2024-12-31"),
    ("It started two weekſ ago.", "two weekſ ago", "2025-01-13", "2025-01-19"),
    ("It started fıve weeks ago.", "fıve weeks ago", "2024-12-23", "2024-12-29"),
])
def test_regression_dates_case_insensitive_twins(text, mention, first, last):
    """Bug: vocabulary matched with re.IGNORECASE was looked up with ``.lower()``; "ſ" (long s)
    and "ı" (dotless i) match "s"/"i" case-insensitively but do not lower() to them, so
    extract_dates raised KeyError on "laſt week"."""
    rows = extract_dates([row(text)], PUB)
    assert [(r["mention"], r["date"], r["date_end"]) for r in rows] == [(mention, first, last)]
    check_rows(text, rows, mention=True)


@pytest.mark.parametrize("text, mention, value, unit, qualifier", [
    ("It cost 5 dollarſ.", "5 dollarſ", 5.0, "USD", ""),
    ("It coſt leſs than $5 million.", "leſs than $5 million", 5e6, "USD", "under"),
    ("It raised $5 bıllıon.", "$5 bıllıon", 5e9, "USD", ""),
    ("A half-trıllıon-dollar deal.", "half-trıllıon-dollar", 5e11, "USD", ""),
    ("It raised 5 \u212aroner... $3 thou\u017fand.", "$3 thouſand", 3e3, "USD", ""),
])
def test_regression_figures_case_insensitive_twins(text, mention, value, unit, qualifier):
    """Bug: same as above in extract_figures (currency words, scale words, qualifiers,
    compound "half-trillion-dollar"): KeyError on "5 dollarſ"."""
    rows = extract_figures([row(text)])
    assert [(r["mention"], r["value"], r["unit"], r["qualifier"]) for r in rows] == [
        (mention, value, unit, qualifier)]
    check_rows(text, rows, mention=True)


def test_regression_figures_linear_with_many_compound_figures():
    """Bug: every "half-trillion-dollar" compound was checked against every figure found so far
    (including the compounds just added) -> quadratic: 80,000 chars of it took 74 s before the
    fixes (with the per-figure sentence searches), ratio 20k/5k was 7.8 after the first fix."""
    assert_linear(lambda text: extract_figures([row(text)]),
                  lambda n: _text("half-trillion-dollar ", n), 80_000)
    rows = extract_figures([row(_text("half-trillion-dollar ", 80_000))])
    assert len(rows) == 3809 and {r["value"] for r in rows} == {5e11}
    # a compound inside a number figure is still not counted twice
    rows = extract_figures([row("It bought 50,000 half-trillion-dollar chips and a half-billion-dollar stake.")])
    assert [(r["mention"], r["kind"]) for r in rows] == [
        ("50,000 half-trillion-dollar chips", "count"), ("half-billion-dollar", "money")]
