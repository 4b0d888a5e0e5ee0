"""Small declarative schemas for the evidence tables (see docs/ARCHITECTURE.md).

Each table declares its columns with a dtype ("str", "int", "float", "bool"), which columns must
not be null, the allowed values of enumerations, and which (start, end, text) spans must be
verbatim slices of the article text. `validate(name, df, texts)` raises `SchemaError` with a
one-line message naming the table, the column and the problem. Extra columns are allowed.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping

import numpy as np
import pandas as pd

from newsbrief.notes import NOTE_COLUMNS, SEVERITIES


class SchemaError(ValueError):
    """A table does not match its declared schema."""


@dataclass(frozen=True)
class Schema:
    columns: dict[str, str]
    non_null: tuple[str, ...] = ()
    enums: dict[str, frozenset] = field(default_factory=dict)
    # (start column, end column, text column) triples checked against the article text
    spans: tuple[tuple[str, str, str], ...] = ()
    unique: tuple[str, ...] = ()


def _s(*names: str) -> dict[str, str]:
    return {n: "str" for n in names}


_QUOTE = {"article_id": "str", "start": "int", "end": "int", "quote": "str"}
_MENTION = {"mention_start": "int", "mention_end": "int", "mention": "str"}
_QSPAN = (("start", "end", "quote"),)
_MSPAN = (("start", "end", "quote"), ("mention_start", "mention_end", "mention"))
STANCES = frozenset({"company_claim", "allegation", "estimate", "anonymous_sourcing",
                     "official_action", "reported_fact", "expert_view"})
SPEAKER_ROLES = frozenset({"company", "company_person", "government", "regulator", "analyst",
                           "outside_estimator", "anonymous", "rival", "other"})
ENTITY_KINDS = frozenset({"person", "company", "organisation", "model", "product", "chip",
                          "place", "government", "programme", "outlet"})
CLAIM_LABELS = frozenset({"multi_source", "single_source", "disputed", "allegation_no_evidence",
                          "allegation", "company_claim", "estimate", "anonymous"})
PRECISIONS = frozenset({"day", "week", "month", "season", "quarter", "year"})

SCHEMAS: dict[str, Schema] = {
    "sentences": Schema(
        {"sentence_id": "str", **_QUOTE, "paragraph": "int", "kind": "str"},
        non_null=("sentence_id", "article_id", "start", "end", "quote", "kind"),
        enums={"kind": frozenset({"body", "heading", "list"})},
        spans=_QSPAN, unique=("sentence_id",)),
    "figures": Schema(
        {"figure_id": "str", "sentence_id": "str", **_QUOTE, **_MENTION, "kind": "str",
         "value": "float", "low": "float", "high": "float", "unit": "str", "currency": "str",
         "qualifier": "str", "item": "str", "measure": "str", "converted_value": "float",
         "converted_low": "float", "converted_high": "float", "converted_currency": "str",
         "scope": "str", "event": "str", "status": "str", "subject": "str", "period_start": "str",
         "period_end": "str", "resolved": "bool"},
        non_null=("figure_id", "article_id", "start", "end", "quote", "mention", "kind", "unit"),
        enums={"kind": frozenset({"money", "count", "multiplier", "percent", "parameters",
                                  "market_move"})},
        spans=_MSPAN, unique=("figure_id",)),
    "dates": Schema(
        {"date_id": "str", "sentence_id": "str", **_QUOTE, **_MENTION, "date": "str",
         "date_end": "str", "precision": "str", "relative": "bool", "anchor": "str"},
        non_null=("date_id", "article_id", "start", "end", "quote", "mention", "date",
                  "precision"),
        enums={"precision": PRECISIONS}, spans=_MSPAN, unique=("date_id",)),
    "events": Schema(
        {"event_id": "str", "date": "str", "date_end": "str", "precision": "str", "what": "str",
         "who": "str", "n_sources": "int", "article_ids": "str", **_QUOTE},
        non_null=("event_id", "date", "precision", "n_sources", "article_ids", "article_id",
                  "quote"),
        enums={"precision": PRECISIONS}, spans=_QSPAN, unique=("event_id",)),
    "entities": Schema(
        {"entity_id": "str", "name": "str", "kind": "str", "aliases": "str", "role": "str",
         "organisation": "str", "owner": "str", "domain": "str", "is_subject": "bool",
         "n_mentions": "int", "n_articles": "int",
         **_QUOTE},
        non_null=("entity_id", "name", "kind", "n_mentions", "article_id", "quote"),
        enums={"kind": ENTITY_KINDS}, unique=("entity_id",)),
    "mentions": Schema(
        {"entity_id": "str", "article_id": "str", "sentence_id": "str", "start": "int",
         "end": "int", "quote": "str", **_s("name", "kind", "role", "organisation", "owner")},
        non_null=("entity_id", "article_id", "sentence_id", "start", "end", "quote"),
        spans=_QSPAN),
    "statements": Schema(
        {"statement_id": "str", "sentence_id": "str", **_QUOTE,
         **_s("speaker", "speaker_role", "speaker_title", "speaker_kind", "verb", "stance",
              "content", "audience", "when", "evidence", "response"), "is_doubt": "bool"},
        non_null=("statement_id", "article_id", "quote", "speaker", "stance", "evidence",
                  "speaker_role", "is_doubt"),
        enums={"stance": STANCES, "speaker_role": SPEAKER_ROLES,
               "evidence": frozenset({"not_offered", "offered", "unknown"})},
        spans=_QSPAN, unique=("statement_id",)),
    "claims": Schema(
        {"claim_id": "str", "kind": "str", "key": "str", "summary": "str", "label": "str",
         "speaker": "str", "n_sources": "int", "n_independent": "int", "article_ids": "str", **_QUOTE},
        non_null=("claim_id", "kind", "label", "n_sources", "n_independent", "article_ids",
                  "article_id", "quote"),
        enums={"label": CLAIM_LABELS}, spans=_QSPAN, unique=("claim_id",)),
    "claim_sources": Schema(
        {"claim_id": "str", **_QUOTE, "independent": "bool", "item_id": "str"},
        non_null=("claim_id", "article_id", "start", "end", "quote", "independent"),
        spans=_QSPAN),
    "disagreements": Schema(
        {"disagreement_id": "str", "side": "str", **_s("measure", "subject", "when", "what",
                                                     "value_text"), **_QUOTE, "settle": "str",
         "figure_id": "str"},
        non_null=("disagreement_id", "side", "measure", "value_text", "article_id", "quote",
                  "settle"),
        enums={"side": frozenset({"A", "B"})}, spans=_QSPAN),
    "articles": Schema(
        {"article_id": "str", **_s("path", "file", "container", "record", "sha256"),
         "n_chars": "int",
         **_s("outlet", "outlet_status", "title", "title_status", "published", "published_status",
              "url", "url_status"), "included": "bool",
         **_s("skip_reason", "duplicate_of", "derived_from", "note")},
        non_null=("article_id", "path", "included"),
        enums={f"{m}_status": frozenset({"stated", "inferred", "unknown"})
               for m in ("outlet", "title", "published", "url")},
        unique=("article_id",)),
    "notes": Schema(
        _s(*NOTE_COLUMNS), non_null=("problem", "severity"),
        enums={"severity": frozenset(SEVERITIES)}),
    "series": Schema(
        {"series_id": "str", **_s("history", "measure", "subject", "when", "when_end",
                                   "when_source", "event"),
         "value": "float", "low": "float", "high": "float", "unit": "str", "currency": "str",
         "converted_low": "float", "converted_high": "float", "converted_currency": "str",
         "value_text": "str", **_QUOTE, "figure_id": "str"},
        non_null=("series_id", "measure", "subject", "when", "when_source", "value",
                  "article_id", "quote"),
        enums={"when_source": frozenset({"stated", "published"})}, spans=_QSPAN),
}


def _dtype_ok(series: pd.Series, dtype: str) -> bool:
    kind = series.dtype.kind
    if dtype == "int":
        return kind in "iu"
    if dtype == "float":
        return kind in "fiu"
    if dtype == "bool":
        return kind == "b"
    if dtype == "str":
        if kind in "OSUT" or isinstance(series.dtype, pd.StringDtype):
            values = series.dropna()
            return all(isinstance(v, str) for v in values)
        return False
    raise SchemaError(f"schema: unknown dtype {dtype!r}")


def validate(name: str, df: pd.DataFrame, texts: Mapping[str, str] | None = None) -> pd.DataFrame:
    """Check `df` against the schema of table `name`; return it unchanged or raise SchemaError.

    `texts` (article_id -> decoded text) enables the provenance check text[start:end] == quote.
    """
    if name not in SCHEMAS:
        raise SchemaError(f"{name}: no schema declared for this table")
    schema = SCHEMAS[name]
    if not isinstance(df, pd.DataFrame):
        raise SchemaError(f"{name}: expected a pandas DataFrame, got {type(df).__name__}")
    missing = [c for c in schema.columns if c not in df.columns]
    if missing:
        raise SchemaError(f"{name}.{missing[0]}: required column missing "
                          f"({len(missing)} missing: {', '.join(missing)})")
    for col in schema.non_null:
        n_null = int(df[col].isna().sum())
        if n_null:
            row = int(np.flatnonzero(df[col].isna().to_numpy())[0])
            raise SchemaError(f"{name}.{col}: {n_null} null value(s), first at row {row}")
    if len(df) == 0:
        return df
    for col, dtype in schema.columns.items():
        if not _dtype_ok(df[col], dtype):
            raise SchemaError(f"{name}.{col}: expected {dtype}, got dtype {df[col].dtype}")
    for col, allowed in schema.enums.items():
        values = df[col].dropna()
        bad = sorted(set(values) - allowed)
        if bad:
            raise SchemaError(f"{name}.{col}: value {bad[0]!r} not in {sorted(allowed)}")
    for col in schema.unique:
        dup = df[col][df[col].duplicated()]
        if len(dup):
            raise SchemaError(f"{name}.{col}: duplicate value {dup.iloc[0]!r}")
    for start_col, end_col, text_col in schema.spans:
        bad = df[start_col] > df[end_col]
        if bad.any():
            row = int(np.flatnonzero(bad.to_numpy())[0])
            raise SchemaError(f"{name}.{start_col}: start > end at row {row}")
    if texts is not None:
        _check_spans(name, df, schema, texts)
    return df


def _check_spans(name: str, df: pd.DataFrame, schema: Schema, texts: Mapping[str, str]) -> None:
    ids = df["article_id"].tolist()
    for start_col, end_col, text_col in schema.spans:
        starts, ends, quotes = (df[start_col].tolist(), df[end_col].tolist(),
                                df[text_col].tolist())
        for row, (aid, s, e, q) in enumerate(zip(ids, starts, ends, quotes)):
            text = texts.get(aid)
            if text is None:
                raise SchemaError(f"{name}.article_id: unknown article {aid!r} at row {row}")
            if text[int(s):int(e)] != q:
                raise SchemaError(f"{name}.{text_col}: text[{start_col}:{end_col}] != "
                                  f"{text_col} at row {row} (article {aid}, {s}:{e})")


# ---------------------------------------------------------------------------------------------
# The catalog: where each table comes from and who reads it. `python -m newsbrief.dev.catalog`
# renders it, with the columns above, into docs/ARCHITECTURE.md; tests/test_catalog.py checks
# that the page is current, that every producer exists, that the knowledge files are the ones
# the producers load and that `read_by` is what the section code reads.

@dataclass(frozen=True)
class TableInfo:
    what: str                          # what one row is
    produced_by: tuple[str, ...]       # dotted names of the functions that make its rows
    knowledge: tuple[str, ...] = ()    # data/knowledge/<name>.yml files those functions load
    #                                    (directly, or through the modules they use)
    read_by: tuple[str, ...] = ()      # modules of newsbrief.briefing.sections that read it
    reviewed: tuple[str, ...] = ()     # review decisions (newsbrief.review) that change it


_EXTRACT, _LINK = "newsbrief.extract.", "newsbrief.link."
CATALOG: dict[str, TableInfo] = {
    "articles": TableInfo(
        "one article found in ARTICLES: a file, or one record of a multi-article file (a "
        "news-API dump, a feed, a database export); skipped ones included (with the reason); "
        "interim parquet also holds `text`, the decoded text",
        ("newsbrief.ingest.corpus.load_articles", "newsbrief.ingest.infer_meta.infer_missing",
         _LINK + "derived.find_derived"),
        ("dates", "inputs", "outlets", "stop_words"), ("__init__", "company", "costs", "front", "importance", "models", "policy", "skepticism", "sources"),
        reviewed=("correct_article",)),
    "sentences": TableInfo(
        "one sentence, heading or list item outside the furniture (ads, captions, footers)",
        (_EXTRACT + "clean.find_furniture", _EXTRACT + "sentences.split_sentences"),
        ("boilerplate", "abbreviations"), ("__init__", "front", "importance"),
        reviewed=("pin", "drop")),
    "figures": TableInfo(
        "one number with its unit (money, count, multiplier, percent, parameters, market move)",
        (_EXTRACT + "figures.extract_figures", _LINK + "subjects.type_figures"),
        ("dates", "entities", "facts", "figures", "measures"), ("costs", "importance", "models"),
        reviewed=("set_aside", "confirm", "relabel")),
    "dates": TableInfo(
        "one date mention, resolved to a range at the precision the text gives",
        (_EXTRACT + "dates.extract_dates",), ("dates",), ("models",)),
    "events": TableInfo(
        "date mentions of several articles merged: same range and precision, similar sentence",
        (_LINK + "events.build_events",), ("stop_words",), ("policy",)),
    "entities": TableInfo(
        "one person, company, organisation, model, chip, place, government or programme",
        (_EXTRACT + "entities.build_entities",), ("entities", "language"), ("__init__", "company", "importance", "models", "policy"),
        reviewed=("merge_names",)),
    "mentions": TableInfo(
        "one mention of an entity in a sentence",
        (_EXTRACT + "entities.extract_mentions",), ("entities", "language"), ("models", "policy"),
        reviewed=("merge_names",)),
    "statements": TableInfo(
        "one attributed statement: who said what, how (stance) and with what evidence",
        (_EXTRACT + "statements.extract_statements",), ("entities", "stance", "language", "dates"),
        ("__init__", "costs", "front", "importance", "skepticism"),
        reviewed=("set_aside", "confirm", "relabel", "merge_names")),
    "claims": TableInfo(
        "figures or statements that say the same thing, labelled by their sources",
        (_LINK + "claims.link_claims", _LINK + "claims.mark_disputed"), ("facts", "figures", "measures", "stance"),
        ("__init__", "front", "importance"),
        reviewed=("set_aside", "confirm", "relabel", "pin", "drop", "merge_names")),
    "claim_sources": TableInfo(
        "one source sentence of a claim, and whether that source is independent",
        (_LINK + "claims.link_claims",), ("facts", "figures", "measures", "stance"),
        ("__init__", "front", "importance", "skepticism"),
        reviewed=("set_aside",)),
    "disagreements": TableInfo(
        "one side (A or B) of two incompatible values of the same quantity",
        (_LINK + "disagreements.find_disagreements",), ("dates", "entities", "facts", "figures",
                                                      "measures", "stance"),
        ("__init__", "costs", "front", "importance", "skepticism"),
        reviewed=("set_aside", "confirm", "merge_names")),
    "series": TableInfo(
        "one figure of a history: one measure for one subject at two or more different times",
        (_LINK + "disagreements.find_disagreements",), ("dates", "entities", "facts", "figures",
                                                      "measures", "stance"),
        ("costs",),
        reviewed=("set_aside", "merge_names")),
    "notes": TableInfo(
        "one data note: a file skipped or repaired, or a doubt about the input",
        ("newsbrief.ingest.corpus.load_articles",), ("dates", "inputs", "outlets"), ("sources",),
        reviewed=("unmatched decisions",)),
}
