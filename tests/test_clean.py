"""clean.find_furniture (and the dateline it skips): spans only, text never changed."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from hypothesis import given, settings, strategies as st

from newsbrief.extract import clean
from newsbrief.ingest import infer_meta
from scaling import assert_linear, repeated

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "data" / "articles"
OTHER = ROOT / "tests" / "fixtures" / "other_company"


def _read(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def _seed(prefix: str) -> str:
    return _read(next(SEEDS.glob(f"{prefix}_*.txt")))


def _covered(text: str, spans, needle: str, occurrence: int = 0) -> bool:
    pos = -1
    for _ in range(occurrence + 1):
        pos = text.index(needle, pos + 1)
    return any(s.start <= pos and pos + len(needle) <= s.end for s in spans)


def test_dateline_seed_000():
    text = _seed("000")
    line = infer_meta.parse_dateline(text)
    assert line.date == dt.date(2025, 1, 28)
    assert line.city == "BEIJING"
    assert text[line.start:line.end].strip() == "date 2025-01-28 BEIJING:"
    assert text[line.end:].startswith("Chinese startup")


def test_dateline_fixture_and_absent():
    line = infer_meta.parse_dateline(_read(OTHER / "kestrel_001_funding.txt"))
    assert (line.date, line.city) == (dt.date(2025, 3, 14), "PARIS")
    assert infer_meta.parse_dateline("No dateline here. date 2025-01-01 X:") is None
    line = infer_meta.parse_dateline(" date 2025-02-30 PARIS: bad day")
    assert line.date is None and line.city == "PARIS" and line.end == len(" date 2025-02-30 PARIS: ")


def test_wire_dateline_is_furniture():
    text = "SHANGHAI, March 3 (Reuters) - Lumen Motors cut prices on Monday.\n"
    spans = clean.find_furniture(text)
    assert spans[0] == clean.Span(0, len("SHANGHAI, March 3 (Reuters) - "), "dateline")


def test_the_pages_own_dates_bylines_and_promotions_are_furniture():
    text = ("Lumen cuts prices again\n\nBy Jane Roe, CNBC\n\nPublished Wed, Dec 11 2024 8:05 AM EST\n"
            "Updated: 9:15pm, 12 Dec 2024\n\nLumen Motors said on Wednesday it would cut prices.\n\n"
            "WATCH: Why carmakers are cutting prices\n\nThe cuts start in January.\n")
    spans = clean.find_furniture(text)
    reasons = {text[s.start:s.end]: s.reason for s in spans}
    assert reasons == {"By Jane Roe, CNBC": "byline",
                       "Published Wed, Dec 11 2024 8:05 AM EST": "publication line",
                       "Updated: 9:15pm, 12 Dec 2024": "publication line",
                       "WATCH: Why carmakers are cutting prices": "ad"}
    release = ("Acme reports results\n\nNews provided by Acme Air\n\nMay 14, 2025, 07:00 ET\n\nPORTO, May 14, 2025 "
               "/PRNewswire/ -- Acme Air reported revenue of EUR 298 million.\n\nForward-looking statements\n\n"
               "This press release contains forward-looking statements that are subject to risks.\n\n"
               "SOURCE Acme Air\n")
    kinds = [s.reason for s in clean.find_furniture(release)]
    assert kinds == ["footer", "publication line", "dateline", "footer", "disclaimer", "footer"]
    photo = "An Acme jet at Porto airport, March 3, 2024. REUTERS/Jane Roe/File Photo\n\nAcme grew.\n"
    assert [s.reason for s in clean.find_furniture(photo)] == ["caption"]
    # a line that only mentions publishing is story text
    assert not clean.find_furniture("Lumen published its results on Dec 11, 2024, a day late.\n")


def test_dateline_is_furniture():
    text = _seed("000")
    spans = clean.find_furniture(text)
    assert spans[0].reason == "dateline"
    assert "BEIJING" in text[spans[0].start:spans[0].end]


def test_seed_004_furniture():
    text = _seed("004")
    spans = clean.find_furniture(text)
    reasons = {s.reason for s in spans}
    assert {"ad", "caption", "footer"} <= reasons
    assert _covered(text, spans, "Premium")
    for i in range(text.count("Story continues below this ad")):
        assert _covered(text, spans, "Story continues below this ad", i)
    # the glued caption paragraph is furniture as a whole ...
    assert _covered(text, spans, "as seen in this illustration taken January 21, 2025.Despite")
    assert _covered(text, spans, "commercialise its AI models. (Image: Reuters)")
    # ... but the same sentence later in the body is not
    assert not _covered(text, spans, "Despite achieving significant milestones", 1)
    # only the "short article insert" prefix is furniture, not the sentence after it
    assert _covered(text, spans, "short article insert")
    assert not _covered(text, spans, "In what some are calling")
    # outlet blurb pasted twice into one paragraph, and the comment footer
    assert _covered(text, spans, "We aim to simplify the most complex developments")
    for footer in ("Latest Comment", "Post Comment", "Read Comments"):
        assert _covered(text, spans, footer)
    # the headline and real paragraphs are kept
    assert not _covered(text, spans, "How DeepSeek’s origins explain")
    assert not _covered(text, spans, "In 2015, Liang Wenfeng founded")


def test_fixture_furniture():
    text = _read(OTHER / "kestrel_004_market.txt")
    spans = clean.find_furniture(text)
    assert _covered(text, spans, "The logo of Kestrel AI is seen in this illustration")
    blurb = "The Daily Ledger is Europe's business newsroom."
    assert _covered(text, spans, blurb, 0) and _covered(text, spans, blurb, 1)
    text2 = _read(OTHER / "kestrel_002_models.txt")
    assert _covered(text2, clean.find_furniture(text2), "By Staff Reporter")


def test_repeated_body_paragraph_keeps_first_copy():
    para = "This paragraph is long enough to count as a repeated block of text in a page."
    text = f"{para}\n\nOther text.\n\n{para}\n"
    spans = clean.find_furniture(text)
    assert spans == [clean.Span(text.rindex(para), text.rindex(para) + len(para), "repeated_blurb")]


def test_photo_caption_variants():
    text = "Body sentence one.\nA trader works on the floor. (Photo: AP)\nBody two."
    spans = clean.find_furniture(text)
    assert len(spans) == 1 and text[spans[0].start:spans[0].end] == "A trader works on the floor. (Photo: AP)"


def test_no_furniture_in_plain_text():
    assert clean.find_furniture("Shares rose. Premium chips cost more.\nThe end.") == []


def _check_spans(text: str, spans) -> None:
    prev_end = -1
    for s in spans:
        assert 0 <= s.start < s.end <= len(text)
        assert s.start >= prev_end
        prev_end = s.end


def test_all_corpora_spans_valid():
    for path in list(SEEDS.glob("*.txt")) + list(OTHER.glob("*.txt")):
        text = _read(path)
        _check_spans(text, clean.find_furniture(text))


def test_long_adversarial_input_is_linear():
    cases = [(repeated("a"), 5000), (repeated("(Image:"), 2000), (repeated("Story continues "), 2000),
             (repeated("x" * 70 + " "), 300), (repeated(" date "), 3000),
             (repeated("Premium\n"), 3000), (repeated("a", prefix="( Photo: "), 20000)]

    def run(text: str):
        _check_spans(text, clean.find_furniture(text))
        infer_meta.parse_dateline(text)
    for text_of, n in cases:
        assert_linear(run, text_of, n)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(list("ab .:()\n") + ["Premium", "(Image: X)", " date 2025-01-02 ",
                                                    "Latest Comment", "BEIJING:", "\r\n"]),
                max_size=120).map("".join))
def test_property_spans_valid(text):
    _check_spans(text, clean.find_furniture(text))
