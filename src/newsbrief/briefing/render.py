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
    tone: str = "neutral"  # neutral | good | warn | bad | analyst (a person's decision)


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
    ordered: bool = False   # a numbered list
    kind = "bullets"

    def html(self) -> str:
        cls = f' class="{html_text(self.css)}"' if self.css else ""
        tag = "ol" if self.ordered else "ul"
        lis = "".join(f"<li>{inline_html(item)}</li>" for item in self.items)
        return f"<{tag}{cls}>{lis}</{tag}>"

    def typst(self) -> str:
        items = ", ".join(f"[{inline_typst(item)}]" for item in self.items)
        return f"#{'enum' if self.ordered else 'list'}({items})" if items else ""

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


ANALYST_LABEL = "Analyst note"


@dataclass
class AnalystNote(Block):
    """What a person wrote, not what the machine found: a box labelled "Analyst note" holding
    paragraphs and lists (every string escaped like any other text). Notes from the review
    decisions and `briefing`-tagged markdown cells of the notebooks both use it."""

    body: list[Block]
    label: str = ANALYST_LABEL
    kind = "analyst"

    @classmethod
    def from_text(cls, text: str) -> "AnalystNote":
        """Plain text: one paragraph per blank-line-separated part."""
        parts = [p.strip() for p in re.split(r"\n\s*\n", text) if p.strip()]
        return cls([Para(" ".join(p.split())) for p in parts])

    @classmethod
    def from_markdown(cls, text: str) -> "AnalystNote":
        return cls(markdown_blocks(text))

    def html(self) -> str:
        body = "".join(block.html() for block in self.body)
        return (f'<aside class="analyst-note" role="note"><p class="analyst-label">'
                f"{html_text(self.label)}</p>{body}</aside>")

    def typst(self) -> str:
        body = "\n".join(block.typst() for block in self.body)
        return f"#nbanalyst([{typst_text(self.label)}])[{body}]"

    def plain(self) -> str:
        return f"{self.label.upper()}: " + "\n".join(block.plain() for block in self.body)


def _markdown_inlines(tokens) -> list[Inline]:
    """A markdown paragraph's inline tokens as render inlines. Emphasis becomes Em/Strong; code
    stays text; a link is its text with the address after it in brackets (the page links
    nowhere outside itself); an image is its alt text; a line break is a space."""
    out: list[Inline] = []
    strong = em = 0
    hrefs: list[str] = []
    for tok in tokens:
        if tok.type in ("strong_open", "strong_close"):
            strong += 1 if tok.type == "strong_open" else -1
        elif tok.type in ("em_open", "em_close"):
            em += 1 if tok.type == "em_open" else -1
        elif tok.type in ("softbreak", "hardbreak"):
            out.append(" ")
        elif tok.type == "link_open":
            hrefs.append(str(tok.attrs.get("href", "")))
        elif tok.type == "link_close":
            href = hrefs.pop() if hrefs else ""
            if href:
                out.append(f" ({href})")
        else:
            text = "".join(c.content for c in tok.children or []) if tok.type == "image" else tok.content
            if text:
                out.append(Strong(text) if strong else Em(text) if em else text)
    return out


def markdown_blocks(text: str) -> list[Block]:
    """Markdown (CommonMark, raw HTML off: tags stay visible text) as Para and Bullets blocks.
    Headings become bold paragraphs (an analyst's heading is not a section of the briefing),
    code blocks and quotes plain paragraphs."""
    from markdown_it import MarkdownIt

    tokens = MarkdownIt("commonmark", {"html": False}).parse(text)
    blocks: list[Block] = []
    lists: list[tuple[bool, list]] = []   # open lists: (ordered, items)
    item_parts: list[list] = []           # inline content of the open list items
    for i, tok in enumerate(tokens):
        if tok.type in ("bullet_list_open", "ordered_list_open"):
            lists.append((tok.type == "ordered_list_open", []))
        elif tok.type in ("bullet_list_close", "ordered_list_close"):
            ordered, items = lists.pop()
            if lists and item_parts:      # a nested list continues its parent item
                for item in items:
                    item_parts[-1] += ["; " if item_parts[-1] else "", *item]
            else:
                blocks.append(Bullets(items, ordered=ordered))
        elif tok.type == "list_item_open":
            item_parts.append([])
        elif tok.type == "list_item_close":
            lists[-1][1].append(item_parts.pop())
        elif tok.type == "inline":
            inlines = _markdown_inlines(tok.children or [])
            if i and tokens[i - 1].type == "heading_open":
                inlines = [Strong(inline_plain(inlines))]
            if item_parts:
                item_parts[-1] += ([" "] if item_parts[-1] else []) + inlines
            elif inlines:
                blocks.append(Para(inlines))
        elif tok.type in ("code_block", "fence") and tok.content.strip():
            target = item_parts[-1] if item_parts else None
            if target is not None:
                target.append(" " + " ".join(tok.content.split()))
            else:
                blocks.append(Para(" ".join(tok.content.split())))
    return blocks


def show(*blocks: Block | Iterable[Block]) -> None:
    """Display blocks in a notebook (flattening lists); no-op outside IPython."""
    from IPython.display import display

    for block in blocks:
        if isinstance(block, Block):
            display(block)
        else:
            for inner in block:
                display(inner)
