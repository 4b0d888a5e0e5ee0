"""Build every evidence table from the articles, check the schemas, write them reproducibly.

`build_evidence(articles, company)` runs the per-article extractors (clean, sentences, figures,
dates) and the semantic layer (entities, statements, linking) and returns a dict of DataFrames:
sentences, figures, dates, events, entities, mentions, statements, claims, claim_sources,
disagreements, series, and `articles` (with duplicate_of / derived_from filled in).
`write_tables(...)` writes parquet + CSV atomically with a deterministic row order and float
format, so two runs give byte-identical CSVs.
"""
from __future__ import annotations

import datetime as _dt
from pathlib import Path
from typing import Mapping, Sequence

import pandas as pd

from newsbrief import atomic, ids
from newsbrief.extract import clean, dates as dates_mod, entities, figures as figures_mod
from newsbrief import parallel, schemas
from newsbrief.extract import sentences as sentences_mod, statements as statements_mod
from newsbrief.link import claims as claims_mod, derived, subjects
from newsbrief.link import disagreements as disagreements_mod, events as events_mod

TABLE_ORDER = {
    "sentences": ["article_id", "start", "sentence_id"],
    "figures": ["article_id", "mention_start", "figure_id"],
    "dates": ["article_id", "mention_start", "date_id"],
    # cross-article ids are hashes: rows are ordered by what they are about, then by id
    "events": ["date", "date_end", "article_id", "start", "event_id"],
    "entities": ["entity_id"],
    "mentions": ["article_id", "start", "end", "entity_id"],
    "statements": ["article_id", "start", "statement_id"],
    "claims": ["claim_id"],
    "claim_sources": ["claim_id", "article_id", "start"],
    "disagreements": ["measure", "subject", "when", "disagreement_id", "side", "article_id", "start"],
    "series": ["series_id", "when", "article_id", "start"],
    "articles": ["article_id"],
}
MENTION_OUT = list(schemas.SCHEMAS["mentions"].columns)   # the published mentions table


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


# ---------------------------------------------------------------------------------------------
# Per-article extraction, serial or in worker processes
#
# Three steps, each over whole articles: (A) furniture, sentences, figures, dates and entity
# pass 1; the parent then records the discovered names in article order; (B) entity pass 2;
# the parent builds the entity facts statements need; (C) statements. Large corpora run each
# step in parallel.WORKERS forked processes on contiguous chunks of articles; chunk results are
# concatenated in chunk order, so the rows are exactly those of the serial run.

PARALLEL_MIN_ARTICLES = 200     # below this, process start-up costs more than it saves
CHUNKS_PER_WORKER = 16          # small chunks keep both workers busy until the end of a step
_STATE = parallel.STATE


def _task_articles(bounds: tuple[int, int]):
    lo, hi = bounds
    sent_rows, fig_rows, date_rows = [], [], []
    for aid, text, pub, key in _STATE["items"][lo:hi]:
        skip = clean.find_furniture(text)
        s = sentences_mod.split_sentences(aid, text, skip, key)
        sent_rows.extend(s)
        fig_rows.extend(figures_mod.extract_figures(s))
        date_rows.extend(dates_mod.extract_dates(s, _published(pub)))
    found = entities.MentionExtractor(_STATE["company"], _STATE["aliases"]).first_pass(sent_rows)
    return sent_rows, fig_rows, date_rows, found


def _task_mentions(bounds: tuple[int, int]) -> list[dict]:
    lo, hi = bounds
    return _STATE["extractor"].second_pass(_STATE["sentences"][lo:hi], _STATE["found"][lo:hi])


def _task_statements(bounds: tuple[int, int]) -> list[dict]:
    lo, hi = bounds
    return statements_mod.statements_for_articles(_STATE["context"], _STATE["article_ids"][lo:hi])


def _task_type_figures(bounds: tuple[int, int]) -> pd.DataFrame:
    st = _STATE
    return subjects.type_figures(st["figures"], st["mentions"], st["dates"], st["sentences"], st["entities"])


def _task_disagreements(bounds: tuple[int, int]) -> dict[str, pd.DataFrame]:
    st = _STATE
    figs = st["figures"]
    return disagreements_mod.find_disagreements(
        figs, st["relations"], st["entities"], st["company"],
        context=claims_mod.allegation_context(st["statements"], dict(zip(figs["sentence_id"], figs["quote"]))),
        published=st["published"], dates=st["dates"], mentions=st["mentions"],
        statements=st["statements"])


def _extract(items: list[tuple], company: str, aliases: tuple[str, ...]):
    """Steps A and B for the articles `items` ((article_id, text, published, content key)
    sorted by article_id): returns (sentence rows, figure rows, date rows, pending mention rows, workers).
    Step B runs in workers while the caller does other work; `_collect` gets its rows."""
    if not company or not company.strip():
        raise ValueError("extract_mentions: `company` must be a non-empty name")
    workers = parallel.workers(len(items), PARALLEL_MIN_ARTICLES)
    n_chunks = workers * CHUNKS_PER_WORKER if workers > 1 else 1
    # (A) per-article extraction and entity pass 1
    parts = parallel.run(_task_articles, parallel.chunks(list(range(len(items))), len(items), n_chunks),
                         workers, items=items, company=company, aliases=aliases)
    sent_rows, fig_rows, date_rows, found = [], [], [], []
    for s, f, d, fd in parts:
        sent_rows += s
        fig_rows += f
        date_rows += d
        found += fd
    del parts
    extractor = entities.MentionExtractor(company, aliases)
    extractor.absorb(found)
    extractor.finalise_names()
    # (B) entity pass 2, on whole articles
    starts = [i for i, row in enumerate(sent_rows)
              if i == 0 or row["article_id"] != sent_rows[i - 1]["article_id"]]
    pending = parallel.start(_task_mentions, parallel.chunks(starts, len(sent_rows), n_chunks),
                             workers, extractor=extractor, sentences=sent_rows, found=found)
    return sent_rows, fig_rows, date_rows, pending, workers


def _start_statements(sent_rows, mention_rows, date_rows, workers: int) -> parallel.Pending:
    """(C) statements, started in workers; `_collect` gets the rows."""
    context = statements_mod.statement_context(sent_rows, mention_rows, date_rows)
    article_ids = sorted(context["by_article"])
    n_chunks = workers * CHUNKS_PER_WORKER if workers > 1 else 1
    return parallel.start(_task_statements,
                          parallel.chunks(list(range(len(article_ids))), len(article_ids), n_chunks),
                          workers, context=context, article_ids=article_ids)


def _collect(pending: parallel.Pending) -> list[dict]:
    return [r for part in pending.results() for r in part]


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
    keys = ids.article_keys(texts)   # every row id derives from these, not from file names
    items = list(zip(inc["article_id"], inc["text"],
                     inc["published"] if "published" in inc else [""] * len(inc),
                     [keys[a] for a in inc["article_id"]]))
    sent_rows, fig_rows, date_rows, pending_mentions, workers = _extract(items, company, tuple(aliases))
    # while workers find the mentions (then the statements), the steps that need neither run here
    sents = _frame(sent_rows, schemas.SCHEMAS["sentences"].columns)
    figs = _frame(fig_rows, schemas.SCHEMAS["figures"].columns)
    dts = _frame(date_rows, schemas.SCHEMAS["dates"].columns)
    relations, index = derived.find_derived(inc, sents, figs)
    mention_rows = _collect(pending_mentions)
    pending_statements = _start_statements(sent_rows, mention_rows, date_rows, workers)
    mentions = _frame(mention_rows, entities.MENTION_COLUMNS)
    ents = entities.build_entities(mention_rows)
    # The figures are typed in a worker while the statement workers run and the events and
    # tables below are finished here: typing is the longest of these steps (about 10 s of CPU
    # at 10,000 articles), and done here it kept the parent busy after the statement workers
    # had finished.
    pending_typed = parallel.background(_task_type_figures, workers, figures=figs, mentions=mentions,
                                        dates=dts, sentences=sents, entities=ents)
    events = events_mod.build_events(dts, mentions)
    # articles: duplicate_of / derived_from
    rel = relations.set_index("article_id")
    for col in ("duplicate_of", "derived_from"):
        if col not in arts:
            arts[col] = ""
        arts[col] = [rel.at[a, col] if a in rel.index and rel.at[a, col] else (v if isinstance(v, str) else "")
                     for a, v in zip(arts["article_id"], arts[col])]
    # the tables that do not depend on the statements are finished while they are extracted
    tables = {
        "sentences": sents,
        "figures": None,   # typed in the worker, added below
        "dates": dts,
        "events": events,
        "entities": ents,
        "mentions": mentions[MENTION_OUT],
    }
    tables = {name: None if df is None else _typed(name, _sorted(name, df)) for name, df in tables.items()}
    figs = pending_typed.results()[0]
    tables["figures"] = _typed("figures", _sorted("figures", figs))
    for name, df in tables.items():
        schemas.validate(name, df, texts if name != "entities" else None)
    stmts = _frame(_collect(pending_statements), statements_mod.STATEMENT_COLUMNS)
    published = dict(zip(inc["article_id"], inc["published"].fillna("").astype(str))) \
        if "published" in inc else {}
    # the disagreements in a worker while the claims are linked here (each ~5 s at 10,000 articles)
    pending_compared = parallel.background(
        _task_disagreements, workers, figures=figs, relations=relations, entities=ents,
        company=company, statements=stmts, published=published, dates=dts, mentions=mentions)
    linked = claims_mod.link_claims(figs, stmts, relations, index, ents, company, published)
    compared = pending_compared.results()[0]
    disagreements = compared["disagreements"]
    claims = claims_mod.mark_disputed(linked["claims"], linked["claim_sources"], disagreements)
    late = {
        "statements": stmts[statements_mod.STATEMENT_COLUMNS],
        "claims": claims,
        "claim_sources": linked["claim_sources"],
        "disagreements": disagreements,
        "series": compared["series"],
    }
    late = {name: _typed(name, _sorted(name, df)) for name, df in late.items()}
    for name, df in late.items():
        schemas.validate(name, df, texts)
    tables.update(late)
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
            # a list comprehension, not Series.map (much faster on large tables; same values)
            df[col] = pd.Series(["" if v is None or (isinstance(v, float) and v != v) else str(v)
                                 for v in df[col].tolist()], index=df.index, dtype=object)
    return df


def _sorted(name: str, df: pd.DataFrame) -> pd.DataFrame:
    keys = [k for k in TABLE_ORDER.get(name, []) if k in df.columns]
    if not keys or df.empty:
        return df.reset_index(drop=True)
    return df.sort_values(keys, kind="stable").reset_index(drop=True)


def write_tables(tables: Mapping[str, pd.DataFrame], processed_dir, evidence_dir) -> list[Path]:
    """Write each table as <processed_dir>/<name>.parquet and <evidence_dir>/<name>.csv.

    Writes are atomic (temporary file in the same directory, then os.replace; one batch, see
    `atomic.write_many`); rows are sorted by the table's key columns and floats written with
    repr-stable formatting ("%.10g"), so two runs on the same input give byte-identical CSVs.
    """
    processed, evidence_dir = Path(processed_dir), Path(evidence_dir)
    files: dict[Path, bytes] = {}
    for name in sorted(tables):
        df = _sorted(name, tables[name])
        files[processed / f"{name}.parquet"] = atomic.parquet_bytes(df)
        files[evidence_dir / f"{name}.csv"] = atomic.csv_text(df, float_format="%.10g").encode("utf-8")
    return atomic.write_many(files)
