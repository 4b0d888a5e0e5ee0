"""What one input file holds: one article, or many (a news-API dump, a feed, a database export).

`read_items(path)` yields one `Item` per article slot: for a one-article file a single item with
`record == ""`; for a multi-article file one item per record, each with its own decoded text and
the metadata the record states, or the reason the record cannot be used. Whole-file problems
raise `ArticleRejected`. Which file is which:

- `.jsonl` `.ndjson` `.json` `.csv` `.rss` `.atom` `.xml`: records (newsbrief.ingest.records);
- `.txt` `.md` `.pdf` `.docx` `.rtf` whose text follows a news-database export layout
  (newsbrief.ingest.exports): one record per exported article;
- anything else: one article (newsbrief.ingest.corpus.read_article).
"""
from __future__ import annotations

import email.utils
import os
import re
from dataclasses import dataclass
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Iterator

from newsbrief.ingest.corpus import (RECORD_SUFFIXES, ArticleRead, ArticleRejected, read_bytes,
                                     read_article)
from newsbrief.ingest.records import Note

EXPORT_KINDS = ("text", "markdown", "pdf", "docx", "rtf")
"""Kinds of one-article files whose text may turn out to be a multi-article export."""


_STATED_DATE_FORMATS = ("%d %B %Y", "%d %b %Y", "%B %d, %Y", "%b %d, %Y", "%B %d %Y",
                        "%d.%m.%Y", "%Y/%m/%d", "%A, %B %d, %Y", "%A, %d %B %Y")


@dataclass
class Item:
    """One article slot of a file: `result` is the article read, or why it cannot be used."""

    record: str  # "" for a one-article file, else "line 12", "row 3", "item 2", "document 4"
    position: int  # 0 for a one-article file
    result: ArticleRead | ArticleRejected


def parse_stated_date(value: str) -> date | None:
    """A date as files state it: ISO ("2025-01-27", "2025-01-27T10:00:00Z"), RFC 2822 ("Mon,
    27 Jan 2025 10:00:00 GMT", feeds), a Unix timestamp, or a written date ("27 January 2025",
    "January 27, 2025"); the calendar date as written (no time-zone shift). None otherwise."""
    text = " ".join(str(value).split())
    if not text:
        return None
    iso = re.match(r"(\d{4}-\d{2}-\d{2})(?:[T ]|\Z)", text)
    if iso:
        try:
            return date.fromisoformat(iso.group(1))
        except ValueError:
            return None
    if re.fullmatch(r"\d{9,10}(?:\.\d+)?", text):
        return datetime.fromtimestamp(float(text), tz=timezone.utc).date()
    try:
        return email.utils.parsedate_to_datetime(text).date()
    except (TypeError, ValueError, IndexError):
        pass
    for fmt in _STATED_DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


def stated_metadata(raw: dict[str, str], note: Note) -> dict[str, str]:
    """A record's stated title/outlet/published/url, checked: a date that does not parse or an
    address that is not http(s) is dropped with a note (the usual inference then applies)."""
    out: dict[str, str] = {}
    for field, value in raw.items():
        value = " ".join(str(value).split())
        if not value:
            continue
        if field == "published":
            parsed = parse_stated_date(value)
            if parsed is None:
                note(f"published {value[:40]!r} is not a date", "publication date not taken "
                     "from the file", "info")
                continue
            value = parsed.isoformat()
        if field == "url" and not re.match(r"https?://\S+\Z", value, re.IGNORECASE):
            note(f"url {value[:60]!r} is not an http(s) address", "url not taken from the file",
                 "info")
            continue
        out[field] = value
    return out


def _items_from_records(path: Path, records, note: Note) -> Iterator[Item]:
    """Items from the records of one file; notes of a record carry its label already."""
    for rec in records:
        if rec.error:
            yield Item(rec.record, rec.position, ArticleRejected(path, rec.error, rec.action))
            continue

        def record_note(problem: str, action: str, severity: str, where=rec.record) -> None:
            note(f"{where}: {problem}", action, severity)

        stated = stated_metadata(rec.stated, record_note)
        yield Item(rec.record, rec.position,
                   ArticleRead(text=rec.text, raw=b"", encoding="", kind="record",
                               stated=stated, notes=list(rec.notes)))


def read_items(path: str | os.PathLike, note: Note, max_bytes: int | None = None
               ) -> Iterator[Item]:
    """Every article slot of one file, in file order (see the module docstring).

    `note(problem, action, severity)` receives file-level notes (limits reached, a feed that is
    not well-formed, an export layout recognised). Raises ArticleRejected for a file that
    cannot be used at all.
    """
    from newsbrief.ingest import exports, records

    p = path if isinstance(path, Path) else Path(path)
    suffix = p.suffix.lower()
    if suffix in RECORD_SUFFIXES:
        limit = records.size_limit(suffix) if max_bytes is None else max_bytes
        raw = None
        if suffix in records.STREAMED_SUFFIXES:
            size = p.stat().st_size
            if size > limit:
                raise ArticleRejected(p, f"too large ({size:,} bytes; limit {limit:,} bytes)",
                                      "skipped without reading; split it")
            if size == 0:
                raise ArticleRejected(p, "empty file (0 bytes)")
        else:
            raw = read_bytes(p, limit)
            if not raw.strip():
                raise ArticleRejected(p, "empty file" if not raw else "whitespace-only file")
        found = False
        for item in _items_from_records(p, records.iter_container(p, note, raw=raw), note):
            found = True
            yield item
        if not found:
            raise ArticleRejected(p, "no articles in the file (no records)")
        return
    art = read_article(p, max_bytes=max_bytes)
    split = exports.split_export(art.text) if art.kind in EXPORT_KINDS else None
    if split is None:
        yield Item("", 0, art)
        return
    layout, recs = split
    for problem, action, severity in art.notes:
        note(problem, action, severity)
    note(f"{layout} export with {len(recs)} article(s)", "each article read on its own", "info")
    if art.encoding in ("cp1252", "latin-1"):
        note(f"not valid UTF-8; decoded as {art.encoding}",
             "kept; check accents and quotes, or save it as UTF-8", "warning")
    yield from _items_from_records(p, recs, note)


def read_item_text(path: str | os.PathLike, record: str = "") -> str:
    """The decoded text of one article: the file's (record "") or one record's (provenance
    rule: every quote is a slice of this string). Raises ArticleRejected / KeyError."""
    for item in read_items(path, lambda *_: None):
        if item.record == record:
            if isinstance(item.result, ArticleRejected):
                raise item.result
            return item.result.text
    raise KeyError(f"{path}: no record {record!r}")
