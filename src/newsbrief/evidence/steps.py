"""The evidence stage, as three small steps the evidence notebook calls in order.

load_corpus   raw articles folder -> articles table (interim) + data notes
extract       articles -> evidence tables (processed), schemas checked
write_outputs tables -> parquet (processed), CSV (processed/evidence), run.json
"""
from __future__ import annotations

import json
from datetime import date

from newsbrief import atomic
from newsbrief.evidence.run import RUN_FILE, Run
from newsbrief.ingest import corpus

EVIDENCE_SUBDIR = "evidence"


def resolve_as_of(as_of_param: str, articles) -> tuple[date | None, str]:
    """The briefing date: the AS_OF parameter, else the newest included article's date."""
    if as_of_param.strip():
        return date.fromisoformat(as_of_param.strip()), "parameter"
    newest = corpus.newest_date(articles)
    return (newest, "newest article") if newest else (None, "no article is dated")


def load_corpus(run: Run):
    """Read every file in the articles folder; returns (articles DataFrame, notes DataFrame)."""
    from newsbrief import notes

    as_of = date.fromisoformat(run.as_of_param) if run.as_of_param.strip() else None
    articles, note_list = corpus.load_articles(run.articles_dir, run.company, as_of)
    return articles, notes.to_frame(note_list)


def extract(run: Run, articles) -> dict:
    """All evidence tables for the included articles (see docs/ARCHITECTURE.md)."""
    from newsbrief.evidence import layer

    return layer.build_evidence(articles, run.company)


def write_outputs(run: Run, articles, tables: dict, notes) -> dict:
    """Write tables and run.json; returns the run info the section notebooks read."""
    from newsbrief.evidence import layer

    paths = run.run_paths
    as_of, as_of_source = resolve_as_of(run.as_of_param, articles)
    articles_out = tables.pop("articles", articles)
    atomic.write_parquet(articles_out, paths.table("articles", "interim"))
    published = {"articles": articles_out.drop(columns=["text"]), **tables, "notes": notes}
    layer.write_tables(published, paths.processed, paths.processed / EVIDENCE_SUBDIR)
    included = articles_out[articles_out["included"]]
    outlets = sorted({o for o in included["outlet"] if o})
    info = {
        "company": run.company,
        "articles_dir": str(run.articles_dir),
        "as_of": as_of.isoformat() if as_of else "",
        "as_of_source": as_of_source,
        "n_files": int(len(articles_out)),
        "n_articles": int(len(included)),
        "n_outlets_known": len(outlets),
        "outlets": outlets,
        "n_unknown_outlet": int((included["outlet"] == "").sum()),
        "tables": {name: int(len(frame)) for name, frame in sorted(published.items())},
    }
    atomic.write_text(paths.processed / RUN_FILE, json.dumps(info, indent=2, sort_keys=True) + "\n")
    return info
