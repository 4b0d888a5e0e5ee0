"""Build every evidence table from the articles, check the schemas, write them reproducibly.

`build_evidence(articles, company)` runs the per-article extractors (clean, sentences, figures,
dates) and the semantic layer (entities, statements, linking) and returns a dict of DataFrames:
sentences, figures, dates, events, entities, mentions, statements, claims, claim_sources,
disagreements, and `articles` (with duplicate_of / derived_from filled in).
`write_tables(...)` writes parquet + CSV atomically with a deterministic row order and float
format, so two runs give byte-identical CSVs.
"""
from __future__ import annotations

import datetime as _dt
from pathlib import Path
from typing import Mapping, Sequence

import pandas as pd

from newsbrief import atomic, clean, dates as dates_mod, entities, figures as figures_mod
from newsbrief import linking, schemas, sentences as sentences_mod, statements as statements_mod

TABLE_ORDER = {
    "sentences": ["article_id", "start", "sentence_id"],
    "figures": ["article_id", "mention_start", "figure_id"],
    "dates": ["article_id", "mention_start", "date_id"],
    "events": ["event_id"],
    "entities": ["entity_id"],
    "mentions": ["article_id", "start", "end", "entity_id"],
    "statements": ["article_id", "start", "statement_id"],
    "claims": ["claim_id"],
    "claim_sources": ["claim_id", "article_id", "start"],
    "disagreements": ["disagreement_id", "side", "article_id", "start"],
    "articles": ["article_id"],
}
MENTION_OUT = ["entity_id", "article_id", "sentence_id", "start", "end", "quote", "name", "kind",
               "role", "organisation"]


def _published(value) -> _dt.date | None:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return None
    text = str(value).strip()
    if not text:
        return None
    try:
        return _dt.date.fromisoformat(text[:10])
    except ValueError:
        return None


def _frame(rows: list[dict], columns: Sequence[str]) -> pd.DataFrame:
    df = pd.DataFrame(rows)
    for c in columns:
        if c not in df.columns:
            df[c] = pd.Series(dtype="object")
    return df


def build_evidence(articles: pd.DataFrame, company: str, aliases: Sequence[str] = ()) -> dict[str, pd.DataFrame]:
    """All evidence tables for the included articles (see docs/ARCHITECTURE.md).

    Args:
        articles: DataFrame with article_id, text, published (ISO or ""), outlet, included.
        company: the subject company, e.g. "Acme AI".
        aliases: other names of the company.
    Returns:
        dict of table name -> DataFrame; every table has passed `schemas.validate` including the
        provenance check against the article texts.
    """
    arts = articles.copy()
    if "included" not in arts:
        arts["included"] = True
    inc = arts[arts["included"].astype(bool)].sort_values("article_id", kind="stable")
    texts = dict(zip(inc["article_id"], inc["text"]))
    sent_rows, fig_rows, date_rows = [], [], []
    for aid, text, pub in zip(inc["article_id"], inc["text"],
                              inc["published"] if "published" in inc else [""] * len(inc)):
        skip = clean.find_furniture(text)
        s = sentences_mod.split_sentences(aid, text, skip)
        sent_rows.extend(s)
        fig_rows.extend(figures_mod.extract_figures(s))
        date_rows.extend(dates_mod.extract_dates(s, _published(pub)))
    sents = _frame(sent_rows, schemas.SCHEMAS["sentences"].columns)
    figs = _frame(fig_rows, schemas.SCHEMAS["figures"].columns)
    dts = _frame(date_rows, schemas.SCHEMAS["dates"].columns)
    mention_rows = entities.extract_mentions(sent_rows, company, aliases)
    mentions = _frame(mention_rows, entities.MENTION_COLUMNS)
    ents = entities.build_entities(mention_rows)
    stmts = _frame(statements_mod.extract_statements(sent_rows, mention_rows, date_rows),
                   statements_mod.STATEMENT_COLUMNS)
    relations, index = linking.find_derived(inc, sents, figs)
    figs = linking.attach_subjects(figs, mentions)
    linked = linking.link_claims(figs, stmts, relations, index, ents, company)
    disagreements = linking.find_disagreements(figs, linked, ents, company)
    claims = linking.mark_disputed(linked["claims"], linked["claim_sources"], disagreements)
    events = linking.build_events(dts, sents, mentions)
    # articles: duplicate_of / derived_from
    rel = relations.set_index("article_id")
    for col in ("duplicate_of", "derived_from"):
        if col not in arts:
            arts[col] = ""
        arts[col] = [rel.at[a, col] if a in rel.index and rel.at[a, col] else (v if isinstance(v, str) else "")
                     for a, v in zip(arts["article_id"], arts[col])]
    tables = {
        "sentences": sents,
        "figures": figs,
        "dates": dts,
        "events": events,
        "entities": ents,
        "mentions": mentions[MENTION_OUT],
        "statements": stmts[statements_mod.STATEMENT_COLUMNS],
        "claims": claims,
        "claim_sources": linked["claim_sources"],
        "disagreements": disagreements,
    }
    tables = {name: _typed(name, _sorted(name, df)) for name, df in tables.items()}
    for name, df in tables.items():
        schemas.validate(name, df, texts if name != "entities" else None)
    tables["articles"] = arts
    return tables


def _typed(name: str, df: pd.DataFrame) -> pd.DataFrame:
    """Cast declared columns to stable dtypes (ints, floats, bools, strings with "" for None)."""
    schema = schemas.SCHEMAS.get(name)
    if schema is None:
        return df
    df = df.copy()
    for col, dtype in schema.columns.items():
        if col not in df:
            continue
        if dtype == "int":
            df[col] = pd.to_numeric(df[col]).fillna(0).astype("int64")
        elif dtype == "float":
            df[col] = pd.to_numeric(df[col]).astype("float64")
        elif dtype == "bool":
            df[col] = df[col].fillna(False).astype(bool)
        else:
            df[col] = df[col].map(lambda v: "" if v is None or (isinstance(v, float) and pd.isna(v)) else str(v)).astype(object)
    return df


def _sorted(name: str, df: pd.DataFrame) -> pd.DataFrame:
    keys = [k for k in TABLE_ORDER.get(name, []) if k in df.columns]
    if not keys or df.empty:
        return df.reset_index(drop=True)
    return df.sort_values(keys, kind="stable").reset_index(drop=True)


def write_tables(tables: Mapping[str, pd.DataFrame], processed_dir, evidence_dir) -> list[Path]:
    """Write each table as <processed_dir>/<name>.parquet and <evidence_dir>/<name>.csv.

    Writes are atomic (temporary file in the same directory, then os.replace); rows are sorted
    by the table's key columns and floats written with repr-stable formatting ("%.10g"), so two
    runs on the same input give byte-identical CSVs.
    """
    processed, evidence_dir = Path(processed_dir), Path(evidence_dir)
    written = []
    for name in sorted(tables):
        df = _sorted(name, tables[name])
        written.append(atomic.write_parquet(processed / f"{name}.parquet", df))
        written.append(atomic.write_csv(evidence_dir / f"{name}.csv", df, float_format="%.10g"))
    return written
