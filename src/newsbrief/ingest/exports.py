"""News-database exports: many articles in one text, RTF, Word or PDF file, split into records.

A layout (data/knowledge/inputs.yml, `export_layouts`) says how to recognise an export and
which field codes hold the headline, source, date and text; see the README's table of inputs.
Each article becomes a `Record` whose text is its text fields' paragraphs in file order, one per
line, separated by blank lines; headline, source and date are stated metadata. The record's
label is "document N" (N counts the articles of the file from 1).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache


@dataclass
class Record:
    """One article inside a multi-article file (or the reason it cannot be used)."""

    record: str  # where it is in the file: "line 12", "row 3", "item 2", "document 4"
    position: int  # 1-based position used in the article id
    text: str = ""
    stated: dict[str, str] = field(default_factory=dict)  # title/outlet/published/url (raw)
    notes: list[tuple[str, str, str]] = field(default_factory=list)  # (problem, action, severity)
    error: str = ""  # why the record is unusable; "" when it is an article
    action: str = "record left out"


@dataclass(frozen=True)
class Layout:
    name: str
    hint: str
    detect: tuple[re.Pattern, ...]
    start: re.Pattern
    code_line: re.Pattern
    fields: dict[str, str]
    key_line: re.Pattern


@lru_cache(maxsize=1)
def layouts() -> tuple[Layout, ...]:
    from newsbrief import knowledge

    out = []
    for spec in knowledge.load("inputs").get("export_layouts") or []:
        codes = "|".join(re.escape(c) for c in sorted(spec["codes"], key=len, reverse=True))
        out.append(Layout(
            name=str(spec["name"]),
            hint=str(spec["hint"]),
            detect=tuple(re.compile(p, re.M) for p in spec["detect"]),
            start=re.compile(spec["start"]),
            code_line=re.compile(rf"\A(?P<code>{codes})(?:[ \t]+(?P<value>\S.*))?\Z"),
            fields={str(k): str(v) for k, v in spec["fields"].items()},
            key_line=re.compile(spec["key_line"])))
    return tuple(out)


def detect_layout(text: str) -> Layout | None:
    """The first layout whose detection patterns all match `text`, else None (a plain
    substring test first: this runs on every text file)."""
    for layout in layouts():
        if layout.hint in text and all(p.search(text) for p in layout.detect):
            return layout
    return None


def _record(layout: Layout, position: int, lines: list[str]) -> Record:
    values: dict[str, list[str]] = {}
    text_parts: list[str] = []
    meaning = ""
    for line in lines:
        key = layout.key_line.match(line)
        if key:
            values.setdefault("key", []).append(key.group("key"))
            meaning = ""
            continue
        coded = layout.code_line.match(line)
        if coded:
            meaning = layout.fields.get(coded.group("code"), "")
            line = coded.group("value") or ""
            if not line:
                continue
        if not meaning:
            continue
        if meaning == "text":
            text_parts.append(line)
        else:
            values.setdefault(meaning, []).append(line)
    rec = Record(record=f"document {position}", position=position,
                 text="\n\n".join(text_parts))
    for name in ("title", "outlet", "published"):
        if values.get(name):
            rec.stated[name] = " ".join(" ".join(values[name]).split())
    if not rec.text:
        rec.error = f"{layout.name} export document without text fields"
    return rec


def split_export(text: str) -> tuple[str, list[Record]] | None:
    """(layout name, records) when `text` is a news-database export, else None.

    Lines before the first article (a cover page, a search summary) are not part of any record.
    """
    layout = detect_layout(text)
    if layout is None:
        return None
    records: list[Record] = []
    current: list[str] | None = None
    for raw in text.splitlines():
        line = " ".join(raw.split()) if "\t" not in raw else raw.strip()
        if not line:
            continue
        if layout.start.match(line):
            if current is not None:
                records.append(_record(layout, len(records) + 1, current))
            current = []
        if current is not None:
            current.append(line)
    if current is not None:
        records.append(_record(layout, len(records) + 1, current))
    return layout.name, records
