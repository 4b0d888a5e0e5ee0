"""Schema checks: one-line SchemaError naming table, column and problem."""
import pandas as pd
import pytest

from newsbrief.schemas import SchemaError, validate

TEXT = "DeepSeek said hello. Then it left."


def _sentences(**over):
    row = {"sentence_id": "snt-a-1", "article_id": "a", "start": 0, "end": 20,
           "quote": TEXT[0:20], "paragraph": 1, "kind": "body"}
    row.update(over)
    return pd.DataFrame([row])


def test_valid_table_passes_with_provenance():
    df = _sentences()
    assert validate("sentences", df, {"a": TEXT}) is df


def test_missing_column():
    with pytest.raises(SchemaError, match=r"^sentences\.kind: required column missing"):
        validate("sentences", _sentences().drop(columns=["kind"]))


def test_bad_enum_value():
    with pytest.raises(SchemaError, match=r"sentences\.kind: value 'para' not in"):
        validate("sentences", _sentences(kind="para"))


def test_null_value():
    with pytest.raises(SchemaError, match=r"sentences\.quote: 1 null"):
        validate("sentences", _sentences(quote=None))


def test_wrong_dtype():
    with pytest.raises(SchemaError, match=r"sentences\.start: expected int"):
        validate("sentences", _sentences(start="0"))


def test_provenance_failure_is_one_line():
    with pytest.raises(SchemaError) as err:
        validate("sentences", _sentences(quote="DeepSeek said HELLO."), {"a": TEXT})
    msg = str(err.value)
    assert "\n" not in msg and msg.startswith("sentences.quote: text[start:end] != quote")


def test_mention_span_checked_for_figures():
    row = {"figure_id": "a:f1", "sentence_id": "snt-a-1", "article_id": "a", "start": 0, "end": 20,
           "quote": TEXT[:20], "mention_start": 0, "mention_end": 8, "mention": "DeepSeex",
           "kind": "count", "value": 1.0, "low": 1.0, "high": 1.0, "unit": "x", "currency": "",
           "qualifier": "", "item": "", "measure": "", "subject": "", "converted_value": float("nan"),
           "converted_low": float("nan"), "converted_high": float("nan"), "converted_currency": "",
           "scope": "", "event": "", "status": "", "period_start": "", "period_end": "", "resolved": False}
    with pytest.raises(SchemaError, match=r"figures\.mention: text\[mention_start:mention_end\]"):
        validate("figures", pd.DataFrame([row]), {"a": TEXT})


def test_unknown_table_and_duplicates():
    with pytest.raises(SchemaError, match="no schema"):
        validate("nope", pd.DataFrame())
    df = pd.concat([_sentences(), _sentences()])
    with pytest.raises(SchemaError, match=r"sentences\.sentence_id: duplicate"):
        validate("sentences", df)


def test_empty_table_with_columns_is_valid():
    df = _sentences().iloc[0:0]
    validate("sentences", df)
