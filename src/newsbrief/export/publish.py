"""Export executed section notebooks to one self-contained HTML file and one PDF.

HTML: the blocks' HTML fragments in the Jinja template `templates/briefing/page.html.j2` (no
code, no scripts, no remote URLs). PDF: the blocks' Typst renderings compiled by the `typst` package (pip only, no
browser or TeX). Citation markers are numbered here, in order of first appearance, and every
quote is cut from the article text itself, so a cited quote is verbatim by construction.

Run as: python -m newsbrief.export.publish --build DIR --reports DIR NOTEBOOK...
"""
from __future__ import annotations

import argparse
import html as htmllib
import json
import re
import sys
from dataclasses import dataclass
from datetime import date, datetime, timezone
from pathlib import Path

from newsbrief import paths
from newsbrief.briefing import editions, prose
from newsbrief.atomic import remove_stale_temporaries, write_many
from newsbrief.briefing.render import MIME_TYPST, META_KEY, AnalystNote, html_text, typst_str, typst_text

TEMPLATE_NAME = "briefing"
# A markdown cell with this tag goes into the briefing, where it stands, as an analyst note.
BRIEFING_TAG = "briefing"
_CITE_HTML = re.compile(r'<sup class="cite" data-cite="([^"<>]+)"></sup>')
_CITE_TYPST = re.compile(r'#nbcite\("((?:[^"\\]|\\.)*)"\);')
# Markers side by side are put in number order and get a comma between them, so "1", "2", "3"
# never read as "123".
_NUMBERED_HTML = re.compile(r'<sup class="cite" id="cite-(\d+)-\d+"><a [^<>]*>\d+</a></sup>')
_NUMBERED_TYPST = re.compile(r"#nbref\((\d+)\);")
_ADJACENT_HTML = re.compile(r'(</sup>)(?=<sup class="cite")')
_ADJACENT_TYPST = re.compile(r"(#nbref\(\d+\);)(?=#nbref\()")
_H2 = re.compile(r'<h2 id="([^"<>]+)">(.*?)</h2>', re.S)
# Fonts searched for CJK glyphs when the machine has them; the PDF builds without them.
CJK_FONT_DIRS = ("/usr/share/fonts/opentype/noto", "/usr/share/fonts/truetype/noto")
SERIF_FONTS = ("Libertinus Serif", "Noto Serif CJK SC", "Noto Sans CJK SC", "DejaVu Sans")
SANS_FONTS = ("Libertinus Serif", "Noto Sans CJK SC")


class ExportError(RuntimeError):
    """The briefing could not be exported; the message says why."""


@dataclass(frozen=True)
class Block:
    html: str
    typst: str
    kind: str
    notebook: str


@dataclass(frozen=True)
class Quote:
    number: int
    key: str
    article_id: str
    text: str
    source: str


def collect_blocks(notebook_paths: list[Path]) -> list[Block]:
    """Briefing blocks from executed notebooks, in notebook then cell then output order: the
    display outputs that carry the `newsbrief` metadata key (what `render.show` displays; a
    DataFrame or anything else displayed stays in the notebook), and markdown cells tagged
    `briefing` (analyst commentary, rendered as an AnalystNote: escaped, no raw HTML)."""
    blocks: list[Block] = []
    for nb_path in notebook_paths:
        # plain JSON: these are our own executed notebooks, and only their display outputs are
        # read (nbformat.read would validate each one against the schema first, ~0.1 s apiece)
        try:
            nb = json.loads(nb_path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise ExportError(f"{nb_path}: cannot read the executed notebook ({exc}); run make again") from exc
        for cell in nb.get("cells", []):
            if cell.get("cell_type") == "markdown" and BRIEFING_TAG in cell.get("metadata", {}).get("tags", []):
                note = AnalystNote.from_markdown(_text(cell.get("source", "")))
                if note.body:
                    blocks.append(Block(note.html(), note.typst(), note.kind, nb_path.stem))
            if cell.get("cell_type") != "code":
                continue
            for output in cell.get("outputs", []):
                meta = output.get("metadata", {})
                if output.get("output_type") in ("display_data", "execute_result") and META_KEY in meta:
                    data = output["data"]
                    blocks.append(Block(_text(data["text/html"]), _text(data[MIME_TYPST]),
                                        meta[META_KEY].get("block", ""), nb_path.stem))
    if not blocks:
        raise ExportError("no briefing blocks found in the executed notebooks; did they run?")
    return blocks


def _text(value) -> str:
    """A notebook JSON text value: a string, or a list of lines (nbformat's multiline form)."""
    return "".join(value) if isinstance(value, list) else value


def load_sources(articles_parquet: Path) -> dict[str, dict]:
    """article_id -> {text, label}; the label names the outlet (or 'Article N') and the date."""
    import pandas as pd

    from newsbrief.evidence.run import article_numbers

    frame = pd.read_parquet(articles_parquet)
    numbers = article_numbers(frame["article_id"])
    sources = {}
    for row in frame.itertuples(index=False):
        known = row.outlet if row.outlet and row.outlet_status != "unknown" else ""
        name = known or f"Article {numbers[row.article_id]}"
        sources[row.article_id] = {"text": row.text or "",
                                   "label": ", ".join(x for x in (name, row.published) if x)}
    return sources


def resolve_quotes(keys: list[str], sources: dict[str, dict]) -> dict[str, Quote]:
    """Number citation keys in order and cut each quote from its article's text."""
    quotes: dict[str, Quote] = {}
    for key in keys:
        if key in quotes:
            continue
        try:
            article_id, start, end = key.rsplit(":", 2)
            text = sources[article_id]["text"]
            start_i, end_i = int(start), int(end)
        except (KeyError, ValueError) as exc:
            raise ExportError(f"citation {key!r} names no known article span") from exc
        if not 0 <= start_i < end_i <= len(text):
            raise ExportError(f"citation {key!r} is outside its article ({len(text)} chars)")
        quotes[key] = Quote(len(quotes) + 1, key, article_id, text[start_i:end_i],
                            sources[article_id]["label"])
    return quotes


# ---------------------------------------------------------------- HTML

def _number_html_citations(body: str, quotes: dict[str, Quote]) -> tuple[str, dict[int, list[str]]]:
    backrefs: dict[int, list[str]] = {}

    def replace(match: re.Match) -> str:
        quote = quotes[htmllib.unescape(match.group(1))]
        refs = backrefs.setdefault(quote.number, [])
        ref_id = f"cite-{quote.number}-{len(refs) + 1}"
        refs.append(ref_id)
        return (f'<sup class="cite" id="{ref_id}"><a href="#q-{quote.number}" '
                f'title="{html_text(quote.source)}">{quote.number}</a></sup>')

    numbered = _sorted_runs(_CITE_HTML.sub(replace, body), _NUMBERED_HTML)
    return _ADJACENT_HTML.sub(r'\1<sup class="cite-sep">,</sup>', numbered), backrefs


def _sorted_runs(text: str, marker: re.Pattern) -> str:
    """Markers side by side in number order: "1, 3, 14", not "1, 14, 3"."""
    run = re.compile(f"(?:{marker.pattern}){{2,}}")

    def reorder(match: re.Match) -> str:
        found = sorted(marker.finditer(match.group(0)), key=lambda m: int(m.group(1)))
        return "".join(m.group(0) for m in found)

    return run.sub(reorder, text)


def _toc_html(body: str) -> str:
    items = "".join(f'<li><a href="#{anchor}">{title}</a></li>' for anchor, title in _H2.findall(body))
    return f'<nav class="toc" aria-label="Contents"><h2 id="contents">Contents</h2><ol>{items}</ol></nav>'


def _quotes_html(quotes: dict[str, Quote], backrefs: dict[int, list[str]]) -> str:
    items = []
    for quote in quotes.values():
        back = " ".join(f'<a href="#{ref}" aria-label="Back to citation">↩</a>'
                        for ref in backrefs.get(quote.number, []))
        items.append(f'<li id="q-{quote.number}"><q>{html_text(quote.text)}</q> '
                     f"— {html_text(quote.source)} <span class=\"backrefs\">{back}</span></li>")
    return ('<h2 id="quoted-passages">Quoted passages</h2><p class="muted">Every source marker in '
            "this briefing links here, to the exact words of the article it rests on; ↩ returns "
            f'to the text.</p><ol class="quotes">{"".join(items)}</ol>')


def render_html(blocks: list[Block], quotes: dict[str, Quote], title: str, front: str) -> str:
    """The self-contained briefing page: the blocks' HTML in the page template, then citations
    numbered, the contents after the front page and the quoted passages at the end."""
    fragments, front_done = [], False
    for block in blocks:
        if not front_done and block.notebook != front:
            fragments.append("<!--TOC-->")
            front_done = True
        fragments.append(block.html)
    fragments.append("<!--QUOTES-->")
    page = _page_template().render(title=title, fragments=fragments)
    page, backrefs = _number_html_citations(page, quotes)
    page = page.replace("<!--TOC-->", _toc_html(page), 1)
    return page.replace("<!--QUOTES-->", _quotes_html(quotes, backrefs), 1)


def _page_template():
    """The HTML page template. Plain Jinja: the page only wraps HTML fragments, so nbconvert (a
    notebook-to-page converter, ~1 s to import) is not needed."""
    import jinja2

    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(paths.TEMPLATES_DIR / TEMPLATE_NAME)),
                             autoescape=False, undefined=jinja2.StrictUndefined)
    return env.get_template("page.html.j2")


# ---------------------------------------------------------------- PDF

def _typst_date(day: date | None) -> str:
    """The PDF's document date: the briefing's date, or `none` (no date in the file) when it is
    not known."""
    if day is None:
        return "none"
    return f"datetime(year: {day.year}, month: {day.month}, day: {day.day})"


def render_typst(blocks: list[Block], quotes: dict[str, Quote], title: str, company: str,
                 as_of: date | None, front: str) -> str:
    """Typst source for the PDF: preamble, front page, contents, sections, numbered notes.
    `as_of` None (no article's date is known) prints the date as not known."""
    preamble = (paths.TEMPLATES_DIR / TEMPLATE_NAME / "preamble.typ").read_text(encoding="utf-8")
    fonts = lambda names: "(" + ", ".join(typst_str(n) for n in names) + ",)"  # noqa: E731
    replacements = {
        "NB_TITLE": typst_str(title), "NB_DATE": _typst_date(as_of),
        "NB_FONTS": fonts(SERIF_FONTS), "NB_SANS": fonts(SANS_FONTS),
        "NB_RUNNING_HEAD": f"[{typst_text(company + ' briefing')}]",
        "NB_ASOF_LINE": f"[{typst_text(prose.briefing_date(as_of))}]",
    }
    for name, value in replacements.items():
        preamble = preamble.replace(name, value)
    parts = [preamble]
    front_done = False
    previous = ""
    for block in blocks:
        if not front_done and block.notebook != front:
            parts.append("#pagebreak(weak: true)\n#outline(title: [Contents], depth: 2, indent: auto)\n"
                         "#pagebreak(weak: true)")
            front_done = True
        # A paragraph right under a heading introduces what follows: it moves with it to the
        # next page (headings are sticky in the preamble), never left alone at a page bottom.
        intro = block.kind == "para" and previous == "heading"
        parts.append(f"#block(sticky: true)[{block.typst}]" if intro else block.typst)
        previous = block.kind

    def replace(match: re.Match) -> str:
        quote = quotes[match.group(1).replace('\\"', '"').replace("\\\\", "\\")]
        return f"#nbref({quote.number});"

    parts.append(_quotes_typst(quotes))
    numbered = _sorted_runs(_CITE_TYPST.sub(replace, "\n\n".join(parts) + "\n"), _NUMBERED_TYPST)
    return _ADJACENT_TYPST.sub(r"\1#nbrefsep;", numbered)


def _quotes_typst(quotes: dict[str, Quote]) -> str:
    """The numbered notes: every quote a marker points to, in full, linked from the text."""
    items = "\n".join(
        f"#nbquote({quote.number}, [{typst_text('“' + quote.text + '”')}], [{typst_text(quote.source)}])"
        for quote in quotes.values())
    intro = typst_text("Every numbered marker in this briefing points here, to the exact words of "
                       "the article it rests on.")
    return (f"#heading(level: 1)[{typst_text('Quoted passages')}] <quoted-passages>\n"
            f"#nbmuted[{intro}]\n{items}")


def compile_pdf(source: str, epoch: int | None, workdir: Path) -> bytes:
    """Compile Typst source to PDF bytes, deterministically (fixed fonts; the timestamp is the
    briefing's date, or None for an undated briefing, whose document date is `none`, so the
    clock never reaches the file)."""
    import typst

    workdir.mkdir(parents=True, exist_ok=True)
    main = workdir / "briefing.typ"
    main.write_text(source, encoding="utf-8")
    font_dirs = [d for d in CJK_FONT_DIRS if Path(d).is_dir()]
    try:
        return typst.compile(str(main), root=str(workdir), font_paths=font_dirs,
                             ignore_system_fonts=True, timestamp=epoch)
    except Exception as exc:  # typst raises its own error type with the diagnostics
        raise ExportError(f"PDF engine (typst) failed on {main}: {str(exc).strip()[:2000]}") from exc


# ---------------------------------------------------------------- entry point

def export(notebooks: list[Path], build: Path, reports: Path) -> None:
    """Write reports/briefing.html, briefing.pdf, evidence/*.csv and this edition's record
    (editions/<AS_OF>/), each atomically."""
    info = json.loads((build / "processed" / "run.json").read_text(encoding="utf-8"))
    company = info["company"]
    # Undated corpus: no date at all (not the 1970 epoch, which used to be printed as "As of").
    as_of = date.fromisoformat(info["as_of"]) if info["as_of"] else None
    blocks = collect_blocks(notebooks)
    front = notebooks[0].stem
    sources = load_sources(build / "interim" / "articles.parquet")
    keys = [htmllib.unescape(k) for b in blocks for k in _CITE_HTML.findall(b.html)]
    quotes = resolve_quotes(keys, sources)
    title = f"{company}: briefing as of {as_of.isoformat()}" if as_of else f"{company}: briefing"
    epoch = (int(datetime(as_of.year, as_of.month, as_of.day, tzinfo=timezone.utc).timestamp())
             if as_of else None)
    page = render_html(blocks, quotes, title, front)
    source = render_typst(blocks, quotes, title, company, as_of, front)
    pdf = compile_pdf(source, epoch, build / "typst")
    evidence = sorted((build / "processed" / "evidence").glob("*.csv"))
    (reports / "evidence").mkdir(parents=True, exist_ok=True)
    write_many({**{reports / "evidence" / csv.name: csv.read_bytes() for csv in evidence},
                reports / "briefing.html": page.encode("utf-8"), reports / "briefing.pdf": pdf})
    run_paths = paths.RunPaths(build=build, reports=reports)
    editions.publish_record(run_paths.edition, run_paths.editions)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--build", required=True, type=Path)
    parser.add_argument("--reports", required=True, type=Path)
    parser.add_argument("notebooks", nargs="+", type=Path)
    args = parser.parse_args(argv)
    # left by an export interrupted earlier; REPORTS may be a user's folder: only where we write
    remove_stale_temporaries(args.build)
    for folder in (args.reports, args.reports / "evidence"):
        remove_stale_temporaries(folder, recursive=False)
    remove_stale_temporaries(paths.RunPaths(build=args.build, reports=args.reports).editions)  # ours, one folder per AS_OF
    try:
        export(args.notebooks, args.build, args.reports)
    except (ExportError, FileNotFoundError, ValueError) as exc:
        print(f"error: export: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
