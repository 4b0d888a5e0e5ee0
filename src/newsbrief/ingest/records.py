"""Many articles in one structured file: JSON Lines, JSON, CSV (news-API dumps and datasets) and
RSS 2.0 / Atom feeds. Each reader yields one `Record` per article slot, in file order, and never
holds more than one record's worth of parsed data beyond what the format forces (JSON Lines and
CSV are streamed; a JSON document or a feed is parsed whole, so they have a lower size limit).

Columns are recognised by name (data/knowledge/inputs.yml `record_fields`): the text from the
first text column with a value, else the summary column (with a note); title, date, outlet and
URL are stated metadata. A record that cannot be used (malformed JSON line, CSV row with a
broken quote, no text) is yielded with `error` set, so it is named in the data notes and the
rest of the file goes on. Whole-file problems (no text column at all, not a feed) raise
`ArticleRejected` naming the columns found.
"""
from __future__ import annotations

import csv
import io
import json
import os
import re
from collections import deque
from functools import lru_cache
from typing import Callable, Iterable, Iterator

from newsbrief.ingest.corpus import CSV_SUFFIXES, JSON_SUFFIXES, JSONL_SUFFIXES, ArticleRejected
from newsbrief.ingest.exports import Record

MAX_RECORDS = 100_000
"""Records read from one file; the rest are left out with a note (raise it for bigger dumps)."""
MAX_RECORD_CHARS = 1_000_000
"""A record whose text is longer than this is left out (a news article is ~2-50 kB)."""

Note = Callable[[str, str, str], None]  # (problem, action, severity)

_HTML_HINT = re.compile(r"<(?:p|br|div|span|a|em|strong|b|i|ul|ol|li|h[1-6]|figure|img|"
                        r"blockquote|section|article)\b[^>]*>|</[a-z0-9]+>", re.IGNORECASE)
_BLOCK_TAGS = frozenset({"p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote",
                         "tr", "section", "article", "figure", "figcaption", "pre", "ul", "ol",
                         "table", "header", "footer"})


def _key(name: str) -> str:
    return re.sub(r"[^a-z0-9.]", "", str(name).casefold())


@lru_cache(maxsize=1)
def field_names() -> dict[str, tuple[str, ...]]:
    from newsbrief import knowledge

    spec = knowledge.load("inputs")["record_fields"]
    return {meaning: tuple(_key(n) for n in names) for meaning, names in spec.items()}


@lru_cache(maxsize=1)
def _truncation_marker() -> re.Pattern:
    from newsbrief import knowledge

    return re.compile(knowledge.load("inputs")["truncation_marker"])


def flatten(obj: dict, prefix: str = "") -> dict[str, object]:
    """{"source": {"name": "X"}} -> {"source.name": "X"} (keys normalised, lists kept)."""
    out: dict[str, object] = {}
    for k, v in obj.items():
        key = f"{prefix}{_key(k)}"
        if isinstance(v, dict):
            out.update(flatten(v, key + "."))
        else:
            out.setdefault(key, v)
    return out


def html_to_text(fragment: str) -> str:
    """An HTML fragment (feed content, an API's HTML body) -> paragraphs, one per line."""
    import lxml.html

    try:
        root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    except Exception:  # noqa: BLE001 - lxml raises ParserError on empty or odd fragments
        return " ".join(fragment.split())
    for bad in root.xpath("//script|//style"):
        bad.drop_tree()
    parts: list[str] = []

    def walk(node) -> None:
        tag = node.tag if isinstance(node.tag, str) else ""
        if tag.lower() in _BLOCK_TAGS:
            parts.append("\n")
        if node.text and tag:
            parts.append(node.text)
        for child in node:
            walk(child)
            if child.tail:
                parts.append(child.tail)
        if tag.lower() in _BLOCK_TAGS:
            parts.append("\n")

    walk(root)
    lines = (" ".join(line.split()) for line in "".join(parts).split("\n"))
    return "\n\n".join(line for line in lines if line)


def _plain(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, list):  # e.g. "authors": [...] or a list of paragraphs
        return "\n".join(_plain(v) for v in value if _plain(v))
    if isinstance(value, dict):
        for k in ("name", "title", "value", "text"):
            if k in value:
                return _plain(value[k])
        return ""
    return str(value).strip()


def _text_value(value: object) -> str:
    """A text field's value as paragraphs: HTML converted, one paragraph per line."""
    text = _plain(value)
    if _HTML_HINT.search(text):
        return html_to_text(text)
    lines = (" ".join(line.split()) for line in text.replace("\r\n", "\n").split("\n"))
    return "\n\n".join(line for line in lines if line)


def record_from_fields(fields: dict[str, object], record: str, position: int) -> Record:
    """A Record from one article's (flattened, normalised) fields."""
    names = field_names()
    rec = Record(record=record, position=position)

    def first(meaning: str) -> tuple[str, str]:
        for name in names.get(meaning, ()):
            if name in fields:
                value = _text_value(fields[name]) if meaning in ("text", "summary") \
                    else " ".join(_plain(fields[name]).split())
                if value:
                    return name, value
        return "", ""

    column, text = first("text")
    if not text:
        column, text = first("summary")
        if text:
            rec.notes.append((f"only a summary is given ({column})",
                              "the summary is analysed as the article's text", "warning"))
    if not text:
        found = ", ".join(sorted(fields)) or "none"
        rec.error = f"no text field (fields: {found[:200]})"
        rec.action = "record left out; name the text field text, body or content"
        return rec
    tail = len(text) - 80  # the marker ends the text; searching only its tail keeps this cheap
    cut = _truncation_marker().search(text, max(tail, 0))
    if cut:
        text = text[:cut.start()].rstrip()
        rec.notes.append((f"the text was cut by the news API ({int(cut.group(1)):,} "
                          "characters missing)", "the part given is analysed", "warning"))
    if len(text) > MAX_RECORD_CHARS:
        rec.error = f"text too long ({len(text):,} characters; limit {MAX_RECORD_CHARS:,})"
        return rec
    rec.text = text
    for meaning in ("title", "published", "outlet", "url"):
        _, value = first(meaning)
        if value and meaning == "outlet" and re.match(r"https?://", value):
            continue  # a "source" field holding an address is not the outlet's name
        if value:
            rec.stated[meaning] = value
    return rec


def _json_error(exc: json.JSONDecodeError) -> str:
    what = exc.msg.removesuffix(" at")  # "Unterminated string starting at"
    return f"malformed JSON ({what}, column {exc.colno})"


def _limit_reached(note: Note, limit: int, after: str) -> None:
    note(f"record limit reached ({limit:,} records read)",
         f"records after {after} left out; split the file or raise records.MAX_RECORDS", "warning")


# --------------------------------------------------------------------------------------------
# JSON Lines and JSON
# --------------------------------------------------------------------------------------------

def iter_jsonl(handle: io.BufferedIOBase, note: Note, limit: int = MAX_RECORDS
               ) -> Iterator[Record]:
    """One record per non-blank line (streamed: one line in memory at a time)."""
    n = 0
    for lineno, raw in enumerate(handle, start=1):
        if not raw.strip():
            continue
        if n >= limit:
            _limit_reached(note, limit, f"line {lineno - 1}")
            return
        n += 1
        where = f"line {lineno}"
        try:
            obj = json.loads(raw.decode("utf-8-sig" if lineno == 1 else "utf-8").strip())
        except UnicodeDecodeError:
            yield Record(where, lineno, error="not UTF-8 text")
            continue
        except json.JSONDecodeError as exc:
            yield Record(where, lineno, error=_json_error(exc))
            continue
        if not isinstance(obj, dict):
            yield Record(where, lineno, error=f"a JSON {type(obj).__name__}, not an object")
            continue
        yield record_from_fields(flatten(obj), where, lineno)


@lru_cache(maxsize=None)
def _list_keys() -> tuple[str, ...]:
    from newsbrief import knowledge
    return tuple(knowledge.load("inputs")["record_list_keys"])


def iter_json(raw: bytes, note: Note, limit: int = MAX_RECORDS) -> Iterator[Record]:
    """A JSON array of articles, an API response holding one ({"articles": [...]}), or one
    article object."""
    from newsbrief.ingest.corpus import decode_bytes

    text, _ = decode_bytes(raw)
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ArticleRejected("", f"malformed JSON (line {exc.lineno}, column {exc.colno}: "
                                  f"{exc.msg})", "skipped; fix the file") from exc
    if isinstance(data, dict):
        flat = flatten(data)
        listed = next((flat[k] for k in _list_keys() if isinstance(flat.get(k), list)), None)
        if listed is None:
            yield record_from_fields(flat, "item 1", 1)
            return
        data = listed
    if not isinstance(data, list):
        raise ArticleRejected("", f"JSON {type(data).__name__} is neither an article nor a list "
                                  "of articles", "skipped")
    for index, obj in enumerate(data, start=1):
        if index > limit:
            _limit_reached(note, limit, f"item {limit}")
            return
        if isinstance(obj, dict) and isinstance(obj.get("_source"), dict):
            obj = obj["_source"]  # search-engine hits keep the document under _source
        if not isinstance(obj, dict):
            yield Record(f"item {index}", index, error=f"a JSON {type(obj).__name__}, "
                                                      "not an object")
            continue
        yield record_from_fields(flatten(obj), f"item {index}", index)


# --------------------------------------------------------------------------------------------
# CSV
# --------------------------------------------------------------------------------------------

class _Lines:
    """The file's lines for csv.reader, remembering which lines the current row used, so a row
    that turns out broken (a stray quote that swallowed the lines after it) can give its lines
    back to be read again."""

    def __init__(self, lines: Iterable[str]) -> None:
        self._lines = iter(lines)
        self._pending: deque[tuple[int, str]] = deque()
        self._next_lineno = 1
        self.used: list[tuple[int, str]] = []

    def __iter__(self):
        return self

    def __next__(self) -> str:
        if self._pending:
            item = self._pending.popleft()
        else:
            item = (self._next_lineno, next(self._lines))
            self._next_lineno += 1
        self.used.append(item)
        return item[1]

    def start_row(self) -> None:
        self.used = []

    def give_back(self, lines: list[tuple[int, str]]) -> None:
        self._pending.extendleft(reversed(lines))


def iter_csv(handle: io.TextIOBase, note: Note, limit: int = MAX_RECORDS) -> Iterator[Record]:
    """One record per data row; the header names the columns.

    A row with more or fewer fields than the header, or one the csv module cannot parse, is
    left out with a note naming its line; the lines after its first line are read again, so a
    broken quote loses only its own row.
    """
    lines = _Lines(handle)
    reader = csv.reader(lines, strict=True)
    try:
        header = next(reader)
    except StopIteration:
        raise ArticleRejected("", "empty CSV file", "skipped") from None
    except csv.Error as exc:
        raise ArticleRejected("", f"malformed CSV header ({exc})", "skipped; fix the file") \
            from exc
    columns = [_key(h) for h in header]
    names = field_names()
    if not set(columns) & set(names["text"] + names["summary"]):
        shown = ", ".join(h.strip() for h in header) or "none"
        raise ArticleRejected("", f"no text column recognised (columns: {shown[:200]})",
                              "skipped; name the text column text, body or content")
    n = 0
    while True:
        lines.start_row()
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            row, error = None, f"cannot be parsed ({exc}; a broken quote?)"
            reader = csv.reader(lines, strict=True)  # a reader that raised is not reused
        else:
            error = "" if len(row) == len(header) else \
                f"{len(row)} fields where the header has {len(header)} (a broken quote?)"
        used = lines.used
        if not used:
            return
        if row == []:  # a blank line
            continue
        if n >= limit:
            _limit_reached(note, limit, f"row {limit}")
            return
        n += 1
        where = f"row {n} (line {used[0][0]})"
        if error:
            lines.give_back(used[1:])  # only the broken row's own line is lost
            yield Record(where, n, error=error)
            continue
        yield record_from_fields(dict(zip(columns, row)), where, n)


# --------------------------------------------------------------------------------------------
# RSS 2.0 and Atom feeds
# --------------------------------------------------------------------------------------------

def _xml_error(exc: object) -> str:
    """feedparser's parser error as a short phrase: 'line 2, column 0: syntax error'."""
    text = " ".join(str(exc).split())
    text = re.sub(r"\A<unknown>:(\d+):(\d+):", r"line \1, column \2:", text)
    return text[:120]


def iter_feed(raw: bytes, note: Note, limit: int = MAX_RECORDS) -> Iterator[Record]:
    """One record per feed item (feedparser): full content where the feed has it, else the
    summary (with a note). The feed's own title is the stated outlet unless an item names its
    source."""
    import feedparser

    parsed = feedparser.parse(raw)
    if not parsed.get("version") or (not parsed.entries and parsed.get("bozo")):
        reason = parsed.get("bozo_exception")
        detail = f" ({_xml_error(reason)})" if reason else ""
        raise ArticleRejected("", f"not an RSS or Atom feed{detail}",
                              "skipped; save the feed's XML as it is served")
    if parsed.get("bozo"):
        note(f"feed is not well-formed XML ({_xml_error(parsed.bozo_exception)})",
             f"{len(parsed.entries)} item(s) read by the tolerant parser", "warning")
    channel = " ".join(str(parsed.feed.get("title", "")).split())
    word = "entry" if str(parsed.get("version", "")).startswith("atom") else "item"
    for index, entry in enumerate(parsed.entries, start=1):
        if index > limit:
            _limit_reached(note, limit, f"{word} {limit}")
            return
        where = f"{word} {index}"
        body = next((c.get("value", "") for c in entry.get("content", []) or []
                     if c.get("value", "").strip()), "")
        fields: dict[str, object] = {"title": entry.get("title", ""),
                                     "link": entry.get("link", ""),
                                     "published": entry.get("published") or entry.get("updated")
                                     or "",
                                     "outlet": (entry.get("source") or {}).get("title") or channel}
        if body:
            fields["content"] = body
        fields["summary"] = entry.get("summary", "")
        yield record_from_fields(fields, where, index)


# --------------------------------------------------------------------------------------------
# Dispatch
# --------------------------------------------------------------------------------------------

STREAMED_SUFFIXES = JSONL_SUFFIXES + CSV_SUFFIXES

MAX_STREAMED_BYTES = 1024 * 1024 * 1024
"""JSON Lines and CSV files are read a line at a time, so they may be large."""
MAX_PARSED_BYTES = 100 * 1024 * 1024
"""JSON documents and feeds are parsed whole."""


def size_limit(suffix: str) -> int:
    return MAX_STREAMED_BYTES if suffix in STREAMED_SUFFIXES else MAX_PARSED_BYTES


def iter_container(path: str | os.PathLike, note: Note, limit: int = MAX_RECORDS,
                   raw: bytes | None = None) -> Iterator[Record]:
    """Records of one structured file (by suffix). `raw` = the bytes, for the parsed formats;
    JSON Lines and CSV are opened and streamed here. Raises ArticleRejected (file-level)."""
    suffix = os.path.splitext(os.fspath(path))[1].lower()
    try:
        if suffix in JSONL_SUFFIXES:
            with open(path, "rb") as handle:
                yield from iter_jsonl(handle, note, limit)
        elif suffix in CSV_SUFFIXES:
            yield from _iter_csv_file(path, note, limit)
        elif suffix in JSON_SUFFIXES:
            yield from iter_json(raw if raw is not None else _read(path), note, limit)
        else:
            yield from iter_feed(raw if raw is not None else _read(path), note, limit)
    except ArticleRejected as exc:
        raise ArticleRejected(path, exc.reason, exc.action) from exc
    except OSError as exc:
        raise ArticleRejected(path, f"cannot read ({exc.strerror or exc})") from exc


def _read(path) -> bytes:
    with open(path, "rb") as handle:
        return handle.read()


def _iter_csv_file(path, note: Note, limit: int) -> Iterator[Record]:
    csv.field_size_limit(max(csv.field_size_limit(), MAX_RECORD_CHARS * 4))
    with open(path, "rb") as probe:
        head = probe.read(65536)
    encoding = "utf-8-sig"
    try:
        head.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        if exc.start < len(head) - 4:  # not just a character cut by the 64 kB probe
            encoding = "cp1252"
            note("not valid UTF-8; decoded as cp1252", "kept; check accents and quotes, or "
                 "save it as UTF-8", "warning")
    with open(path, encoding=encoding, errors="replace", newline="") as handle:
        yield from iter_csv(handle, note, limit)
