"""Briefing building blocks that render to both HTML and Typst.

A section notebook builds blocks (Heading, Para, Bullets, Table, Figure, Note, ...) from the
evidence tables and `display()`s them. Each block's mime bundle carries `text/html` and
`text/x-typst`, so the HTML and the PDF get the same content from one source. Only outputs whose
metadata carries the `newsbrief` key reach the briefing; anything else an analyst displays while
exploring stays in the notebook.

Article text is untrusted: every string is escaped for its target here, in one place.
Citations are `Cite(article_id, start, end)` markers; the exporter numbers them and builds the
quote appendix from the raw articles (see newsbrief.export.publish).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Iterable, Sequence, Union

from markupsafe import escape

from newsbrief.paths import slugify

MIME_TYPST = "text/x-typst"
META_KEY = "newsbrief"
# Table styles whose first column is the point of the table (set larger and bold, as in the CSS).
LEAD_COLUMN_TABLES = {"keyfigs"}

# Typst cannot break a word that has no break opportunity; long tokens (URLs, hostile text)
# get zero-width spaces so they wrap instead of running off the page.
_LONG_TOKEN = re.compile(r"\S{48,}")
_ZWSP = "\u200b"


# ---------------------------------------------------------------- inline pieces

@dataclass(frozen=True)
class Cite:
    """A source marker pointing at text[start:end] of one article."""

    article_id: str
    start: int
    end: int

    @property
    def key(self) -> str:
        return f"{self.article_id}:{self.start}:{self.end}"


@dataclass(frozen=True)
class Strong:
    text: str


@dataclass(frozen=True)
class Em:
    text: str


@dataclass(frozen=True)
class Label:
    """A support label such as 'single source' or '3 outlets', shown as a small badge."""

    text: str
    tone: str = "neutral"  # neutral | good | warn | bad


Inline = Union[str, Cite, Strong, Em, Label]
Inlines = Union[Inline, Sequence[Inline]]


def _as_list(content: Inlines) -> list[Inline]:
    if isinstance(content, (str, Cite, Strong, Em, Label)):
        return [content]
    return list(content)


def cites(rows: Iterable, limit: int | None = None) -> list[Cite]:
    """Cite markers from rows (dicts or namedtuples) with article_id/start/end, de-duplicated."""
    seen: dict[str, Cite] = {}
    for row in rows:
        get = row.get if isinstance(row, dict) else (lambda k, r=row: getattr(r, k))
        cite = Cite(str(get("article_id")), int(get("start")), int(get("end")))
        seen.setdefault(cite.key, cite)
    out = list(seen.values())
    return out[:limit] if limit is not None else out


# ---------------------------------------------------------------- escaping

def html_text(text: str) -> str:
    return str(escape(text))


def typst_text(text: str) -> str:
    """Text as a Typst string literal expression: nothing in it is read as markup."""
    text = _LONG_TOKEN.sub(lambda m: _ZWSP.join(m.group(0)[i:i + 24]
                                               for i in range(0, len(m.group(0)), 24)), text)
    body = (text.replace("\\", "\\\\").replace('"', '\\"').replace("\r", "")
            .replace("\n", " ").replace("\t", " "))
    return f'#"{body}";'


def typst_str(text: str) -> str:
    """A Typst string literal (for function arguments)."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'


def inline_html(content: Inlines) -> str:
    parts = []
    for piece in _as_list(content):
        if isinstance(piece, Cite):
            parts.append(f'<sup class="cite" data-cite="{html_text(piece.key)}"></sup>')
        elif isinstance(piece, Strong):
            parts.append(f"<strong>{html_text(piece.text)}</strong>")
        elif isinstance(piece, Em):
            parts.append(f"<em>{html_text(piece.text)}</em>")
        elif isinstance(piece, Label):
            parts.append(f'<span class="label label-{html_text(piece.tone)}">'
                         f"{html_text(piece.text)}</span>")
        else:
            parts.append(html_text(str(piece)))
    return "".join(parts)


def inline_typst(content: Inlines) -> str:
    parts = []
    for piece in _as_list(content):
        if isinstance(piece, Cite):
            parts.append(f"#nbcite({typst_str(piece.key)});")
        elif isinstance(piece, Strong):
            parts.append(f"#strong[{typst_text(piece.text)}]")
        elif isinstance(piece, Em):
            parts.append(f"#emph[{typst_text(piece.text)}]")
        elif isinstance(piece, Label):
            parts.append(f"#nblabel({typst_str(piece.text)}, {typst_str(piece.tone)});")
        elif piece:
            parts.append(typst_text(str(piece)))
    return "".join(parts)


def inline_plain(content: Inlines) -> str:
    parts = []
    for piece in _as_list(content):
        if isinstance(piece, Cite):
            parts.append("[*]")
        elif isinstance(piece, (Strong, Em)):
            parts.append(piece.text)
        elif isinstance(piece, Label):
            parts.append(f"({piece.text})")
        else:
            parts.append(str(piece))
    return "".join(parts)


# ---------------------------------------------------------------- blocks

class Block:
    """Base class: subclasses implement html(), typst() and plain()."""

    kind = "block"

    def html(self) -> str:  # pragma: no cover - abstract
        raise NotImplementedError

    def typst(self) -> str:  # pragma: no cover - abstract
        raise NotImplementedError

    def plain(self) -> str:
        return self.__class__.__name__

    def _repr_mimebundle_(self, include=None, exclude=None):
        data = {"text/plain": self.plain(), "text/html": self.html(), MIME_TYPST: self.typst()}
        return data, {META_KEY: {"block": self.kind}}


def anchor_for(text: str) -> str:
    return slugify(text, "section")


@dataclass
class Heading(Block):
    text: str
    level: int = 2
    anchor: str = ""
    kind = "heading"

    def __post_init__(self):
        if self.level not in (2, 3, 4):
            raise ValueError("Heading level must be 2, 3 or 4 (level 1 is the title)")
        self.anchor = self.anchor or anchor_for(self.text)

    def html(self) -> str:
        tag = f"h{self.level}"
        return f'<{tag} id="{html_text(self.anchor)}">{html_text(self.text)}</{tag}>'

    def typst(self) -> str:
        return f"#heading(level: {self.level - 1})[{typst_text(self.text)}] <{self.anchor}>"

    def plain(self) -> str:
        return "#" * self.level + " " + self.text


@dataclass
class Para(Block):
    content: Inlines
    css: str = ""
    kind = "para"

    def html(self) -> str:
        cls = f' class="{html_text(self.css)}"' if self.css else ""
        return f"<p{cls}>{inline_html(self.content)}</p>"

    def typst(self) -> str:
        body = inline_typst(self.content)
        if self.css == "lede":
            return f"#nblede[{body}]"
        if self.css == "muted":
            return f"#nbmuted[{body}]"
        return f"#par[{body}]"

    def plain(self) -> str:
        return inline_plain(self.content)


@dataclass
class Bullets(Block):
    items: list
    css: str = ""
    kind = "bullets"

    def html(self) -> str:
        cls = f' class="{html_text(self.css)}"' if self.css else ""
        lis = "".join(f"<li>{inline_html(item)}</li>" for item in self.items)
        return f"<ul{cls}>{lis}</ul>"

    def typst(self) -> str:
        items = ", ".join(f"[{inline_typst(item)}]" for item in self.items)
        return f"#list({items})" if items else ""

    def plain(self) -> str:
        return "\n".join("- " + inline_plain(item) for item in self.items)


@dataclass
class Table(Block):
    """A table of inline cells. `widths` are relative column weights (PDF and HTML)."""

    columns: list[str]
    rows: list[list]
    caption: str = ""
    widths: list[float] | None = None
    numeric: set[int] = field(default_factory=set)
    css: str = ""
    kind = "table"

    def __post_init__(self):
        for row in self.rows:
            if len(row) != len(self.columns):
                raise ValueError(f"table row has {len(row)} cells, expected {len(self.columns)}")

    def html(self) -> str:
        cls = " ".join(filter(None, ["data", self.css]))
        head = "".join(
            f'<th scope="col"{" class=num" if i in self.numeric else ""}>{html_text(c)}</th>'
            for i, c in enumerate(self.columns))
        # data-label: on a phone each row is shown as a card, each cell under its column name
        labels = [html_text(c) for c in self.columns]
        body = "".join(
            "<tr>" + "".join(
                f'<td data-label="{labels[i]}"{" class=num" if i in self.numeric else ""}>'
                f"{inline_html(cell)}</td>"
                for i, cell in enumerate(row)) + "</tr>"
            for row in self.rows)
        caption = f"<caption>{html_text(self.caption)}</caption>" if self.caption else ""
        return (f'<div class="table-wrap"><table class="{cls}">{caption}<thead><tr>{head}</tr>'
                f"</thead><tbody>{body}</tbody></table></div>")

    def typst(self) -> str:
        weights = self.widths or [1.0] * len(self.columns)
        cols = ", ".join(f"{w:g}fr" for w in weights)
        align = ", ".join("right" if i in self.numeric else "left" for i in range(len(self.columns)))
        header = ", ".join(f"[{typst_text(c)}]" for c in self.columns)
        cells = ", ".join(f"[{inline_typst(cell)}]" for row in self.rows for cell in row)
        caption = f"caption: [{typst_text(self.caption)}], " if self.caption else ""
        if self.css in LEAD_COLUMN_TABLES:
            caption += "lead: true, "
        return (f"#nbtable({caption}columns: ({cols},), align: ({align},), "
                f"header: ({header},), cells: ({cells}{',' if cells else ''}))")

    def plain(self) -> str:
        lines = [" | ".join(self.columns)]
        lines += [" | ".join(inline_plain(c) for c in row) for row in self.rows]
        return "\n".join(lines)


@dataclass
class Figure(Block):
    """A vector chart: SVG text, with a caption, a source line and alt text."""

    svg: str
    caption: str
    alt: str
    source: Inlines = ""
    kind = "figure"

    def _svg_body(self) -> str:
        return re.sub(r"^<\?xml[^>]*>\s*(<!DOCTYPE[^>]*>\s*)?", "", self.svg.strip())

    def html(self) -> str:
        svg = self._svg_body().replace("<svg ", f'<svg role="img" aria-label="{html_text(self.alt)}" ', 1)
        source = f'<span class="source">Source: {inline_html(self.source)}</span>' if self.source else ""
        return (f'<figure class="chart">{svg}<figcaption>{html_text(self.caption)} {source}'
                f"</figcaption></figure>")

    def typst(self) -> str:
        source = f"Source: {inline_typst(self.source)}" if self.source else ""
        return (f"#nbfigure(image(bytes({typst_str(self._svg_body())}), format: \"svg\", "
                f"alt: {typst_str(self.alt)}, width: 100%), [{typst_text(self.caption)}], [{source}])")

    def plain(self) -> str:
        return f"[chart] {self.caption}"


@dataclass
class Note(Block):
    """A boxed note: thin evidence, caveats, data notes."""

    content: Inlines
    tone: str = "note"  # note | warn
    kind = "note"

    def html(self) -> str:
        return f'<div class="callout callout-{html_text(self.tone)}">{inline_html(self.content)}</div>'

    def typst(self) -> str:
        return f"#nbnote({typst_str(self.tone)})[{inline_typst(self.content)}]"

    def plain(self) -> str:
        return "NOTE: " + inline_plain(self.content)


@dataclass
class TitleBlock(Block):
    """The briefing's title block: title, dek and a line of facts (as-of date, sources)."""

    title: str
    dek: str
    facts: list[str]
    kind = "title"

    def html(self) -> str:
        facts = "".join(f"<li>{html_text(f)}</li>" for f in self.facts)
        return (f'<header class="titleblock"><p class="kicker">Briefing</p>'
                f"<h1>{html_text(self.title)}</h1><p class=\"dek\">{html_text(self.dek)}</p>"
                f'<ul class="facts">{facts}</ul></header>')

    def typst(self) -> str:
        facts = ", ".join(f"[{typst_text(f)}]" for f in self.facts)
        return f"#nbtitle([{typst_text(self.title)}], [{typst_text(self.dek)}], ({facts},))"

    def plain(self) -> str:
        return f"{self.title}\n{self.dek}\n" + " · ".join(self.facts)


def show(*blocks: Block | Iterable[Block]) -> None:
    """Display blocks in a notebook (flattening lists); no-op outside IPython."""
    from IPython.display import display

    for block in blocks:
        if isinstance(block, Block):
            display(block)
        else:
            for inner in block:
                display(inner)
