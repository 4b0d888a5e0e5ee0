"""Text of a PDF, Word (.docx) or RTF file, as paragraphs: one paragraph per line, paragraphs
separated by a blank line (the form the sentence splitter and the seeds' .txt files use).

The returned text *is* the article's decoded text (quotes are slices of it). Each reader raises
`ArticleRejected` with a one-line reason for a file that cannot give text (damaged, encrypted,
scanned without a text layer, not really that format).

PDF (pypdf): each page's text is extracted; lines repeated at the top or bottom of most pages
(running heads and feet, after digits are masked: "Page 3 of 9", dates, URLs) and lone page
numbers are dropped; lines are joined into paragraphs (a line clearly shorter than the page's
full lines ends a paragraph); a word hyphenated at a line end is joined again ("compa-" +
"ny" -> "company") unless the same hyphenated form occurs elsewhere in the file, where the hyphen
is kept ("state-" + "owned" -> "state-owned"). The file's Title entry and a URL printed in every
page's foot (browsers print the page's address there) are stated metadata.
"""
from __future__ import annotations

import io
import logging
import math
import re
from collections import Counter
from dataclasses import dataclass, field

from newsbrief.ingest.corpus import ArticleRejected

PDF_FURNITURE_LINES = 3
"""How many lines at the top and at the bottom of a page may be running heads / feet."""
PDF_FURNITURE_SHARE = 0.5
"""A head/foot line must repeat on at least this share of the pages (and on two or more)."""
PDF_SHORT_LINE = 0.8
"""A line shorter than this share of the document's full line length ends its paragraph."""
PDF_PARAGRAPH_GAP = 1.3
"""A line further below the previous one than this many usual line distances starts a
paragraph (paragraph spacing)."""

_PAGE_NUMBER = re.compile(r"\A(?:page\s+)?[-–—]?\s*\d{1,4}\s*[-–—]?(?:\s*(?:/|of)\s*\d{1,4})?\Z",
                          re.IGNORECASE)
_URL_FOOT = re.compile(r"\A(https?://\S+?)(?:\s+(?:page\s+)?\d{1,4}(?:\s*(?:/|of)\s*\d{1,4})?)?\Z",
                       re.IGNORECASE)
_HYPHEN_END = re.compile(r"([^\W\d_]+)-\Z")
_WORD_START = re.compile(r"\A([^\W\d_]+)")
_FILE_NAME_TITLE = re.compile(r"\.(?:docx?|pdf|rtf|txt|html?|indd|pages)\Z|\Auntitled\b|"
                              r"\AMicrosoft Word\b", re.IGNORECASE)


@dataclass
class DocumentText:
    """A document's text plus what the file itself states about it."""

    text: str
    stated: dict[str, str] = field(default_factory=dict)  # title / url
    notes: list[tuple[str, str, str]] = field(default_factory=list)  # (problem, action, severity)


def _short(exc: BaseException) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text[:120]


# --------------------------------------------------------------------------------------------
# PDF
# --------------------------------------------------------------------------------------------

Line = tuple[int, float | None, float, str]  # (page index, baseline height, font size, text)
_SENTENCE_END = re.compile(r"[.!?…][\"'”’)]*\Z")


def _furniture_key(line: str) -> str:
    return re.sub(r"\d+", "#", " ".join(line.split())).casefold()


def _edge_lines(lines: list[Line]) -> list[int]:
    """Indexes of the first and last PDF_FURNITURE_LINES lines of a page."""
    n = len(lines)
    return sorted(set(range(min(n, PDF_FURNITURE_LINES))) | set(range(max(0, n - PDF_FURNITURE_LINES), n)))


def strip_page_furniture(pages: list[list[Line]]) -> tuple[list[Line], list[str]]:
    """(the pages' lines without running heads/feet and page numbers, the dropped lines)."""
    counts: Counter = Counter()
    for lines in pages:
        counts.update({_furniture_key(lines[i][3]) for i in _edge_lines(lines)})
    needed = max(2, math.ceil(PDF_FURNITURE_SHARE * len(pages)))
    repeated = {key for key, n in counts.items() if n >= needed} if len(pages) >= 2 else set()
    kept, dropped = [], []
    for lines in pages:
        edges = set(_edge_lines(lines))
        for i, line in enumerate(lines):
            flat = " ".join(line[3].split())
            if i in edges and (_furniture_key(flat) in repeated or _PAGE_NUMBER.match(flat)):
                dropped.append(flat)
            else:
                kept.append(line)
    return kept, dropped


def _body_size(lines: list[Line]) -> float:
    sizes: Counter = Counter()
    for _, _, size, text in lines:
        sizes[round(size, 1)] += len(text)
    return sizes.most_common(1)[0][0] if sizes else 0.0


def _full_line_length(lines: list[Line], body: float) -> float:
    lengths = sorted(len(text.strip()) for _, _, size, text in lines
                     if len(text.strip()) >= 20 and _same_size(size, body))
    if not lengths:
        return 0.0
    return float(lengths[int(0.8 * (len(lengths) - 1))])


def _same_size(a: float, b: float) -> bool:
    return abs(a - b) <= 0.1 * max(a, b, 1e-9)


def _gap(upper: Line, lower: Line) -> float | None:
    """Distance between two lines of the same page in units of the font size (None if unknown)."""
    if upper[0] != lower[0] or upper[1] is None or lower[1] is None or upper[1] <= lower[1]:
        return None
    return (upper[1] - lower[1]) / max(lower[2], 1e-9)


def join_lines(lines: list[Line]) -> str:
    """Lines of running text -> paragraphs (one per line, separated by a blank line).

    A paragraph ends where the font size changes, before a line set clearly further down than
    the usual line distance (paragraph spacing), after a body line clearly shorter than the
    document's full lines, and at a page break after a line that ends a sentence.
    """
    body = _body_size(lines)
    full = _full_line_length(lines, body)
    gaps = sorted(g for a, b in zip(lines, lines[1:]) if (g := _gap(a, b)) is not None)
    usual_gap = gaps[len(gaps) // 2] if gaps else 0.0
    everything = "\n".join(line[3] for line in lines)
    paragraphs: list[str] = []
    current = ""
    previous: Line | None = None
    for line_info in lines:
        line = " ".join(line_info[3].split())
        if current and previous:
            gap = _gap(previous, line_info)
            if (not _same_size(previous[2], line_info[2])
                    or (gap is not None and usual_gap and gap > PDF_PARAGRAPH_GAP * usual_gap)
                    or (previous[0] != line_info[0] and _SENTENCE_END.search(current))):
                paragraphs.append(current)
                current = ""
        previous = line_info
        if not current:
            current = line
        else:
            hyphen = _HYPHEN_END.search(current)
            start = _WORD_START.match(line)
            if hyphen and start and line[0].islower():
                compound = f"{hyphen.group(1)}-{start.group(1)}"
                # the hyphen is real when the file also has the word unbroken with it
                current = (current if compound in everything else current[:-1]) + line
            else:
                current += " " + line
        if (full and _same_size(line_info[2], body) and len(line) < PDF_SHORT_LINE * full
                and not _HYPHEN_END.search(line)):
            paragraphs.append(current)
            current = ""
    if current:
        paragraphs.append(current)
    return "\n\n".join(paragraphs)


def _page_lines(page, index: int) -> list[Line]:
    """A page's non-blank text lines with the height and font size of each line's first text
    (pypdf's text visitor)."""
    lines: list[list] = [[index, None, 0.0, ""]]

    def visit(text, cm, tm, font_dict, font_size) -> None:
        y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
        size = float(font_size) * (abs(tm[3] * cm[3]) or 1.0)
        for i, part in enumerate(text.split("\n")):
            if i:
                lines.append([index, None, 0.0, ""])
            if part:
                if lines[-1][1] is None and part.strip():
                    lines[-1][1], lines[-1][2] = float(y), size
                lines[-1][3] += part

    page.extract_text(visitor_text=visit)
    return [(p, y, size, t) for p, y, size, t in lines if t.strip()]


def _pdf_title(reader) -> str:
    try:
        title = (reader.metadata or {}).get("/Title") or ""
    except Exception:  # noqa: BLE001 - a broken info dictionary only loses the title
        return ""
    title = " ".join(str(title).split())
    if len(title) < 3 or _FILE_NAME_TITLE.search(title):
        return ""  # a file name or an application's placeholder, not the article's title
    return title


def read_pdf(path, raw: bytes) -> DocumentText:
    """Text of a PDF's text layer; raises ArticleRejected (damaged, encrypted, scanned)."""
    # pypdf logs its repairs of damaged files; the reason that matters becomes a data note
    logging.getLogger("pypdf").setLevel(logging.ERROR)
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    notes: list[tuple[str, str, str]] = []
    try:
        reader = PdfReader(io.BytesIO(raw), strict=False)
        if reader.is_encrypted:
            try:
                opened = reader.decrypt("")
            except Exception as exc:  # noqa: BLE001 - e.g. AES without the crypto package
                raise ArticleRejected(path, f"encrypted PDF ({_short(exc)})",
                                "skipped; save an unencrypted copy") from exc
            if not opened:
                raise ArticleRejected(path, "encrypted PDF (a password is needed to open it)",
                                "skipped; save an unencrypted copy")
        n_pages = len(reader.pages)
    except PdfReadError as exc:
        raise ArticleRejected(path, f"not a readable PDF (damaged or truncated: {_short(exc)})",
                        "skipped; save or download the PDF again") from exc
    except ArticleRejected:
        raise
    except Exception as exc:  # noqa: BLE001 - pypdf raises many types on damaged files
        raise ArticleRejected(path, f"not a readable PDF ({type(exc).__name__}: {_short(exc)})",
                        "skipped; save or download the PDF again") from exc
    if n_pages == 0:
        raise ArticleRejected(path, "PDF without pages", "skipped")
    pages: list[list[Line]] = []
    unreadable: list[int] = []
    for number in range(n_pages):
        try:
            pages.append(_page_lines(reader.pages[number], number))
        except Exception:  # noqa: BLE001 - one damaged page must not lose the others
            unreadable.append(number + 1)
            pages.append([])
    if unreadable and len(unreadable) == n_pages:
        raise ArticleRejected(path, "not a readable PDF (no page could be read; damaged or truncated)",
                        "skipped; save or download the PDF again")
    if unreadable:
        notes.append((f"PDF page(s) {', '.join(map(str, unreadable))} of {n_pages} could not "
                      "be read (damaged)", "the other pages were used", "warning"))
    if not any(pages):
        raise ArticleRejected(path, f"scanned PDF without a text layer ({n_pages} page(s) of images)",
                        "skipped; run OCR on it (e.g. ocrmypdf) and add the result")
    kept, dropped = strip_page_furniture(pages)
    text = join_lines(kept)
    stated: dict[str, str] = {}
    title = _pdf_title(reader)
    if title:
        stated["title"] = title
    urls = Counter(m.group(1) for line in dropped if (m := _URL_FOOT.match(line)))
    if urls:
        url, n = urls.most_common(1)[0]
        if n >= max(1, len(pages) // 2):
            stated["url"] = url
    return DocumentText(text=text, stated=stated, notes=notes)


# --------------------------------------------------------------------------------------------
# Word (.docx)
# --------------------------------------------------------------------------------------------

def read_docx(path, raw: bytes) -> DocumentText:
    """Paragraphs (and table rows, cells joined by a tab) of a .docx body, in document order.

    Page headers and footers live outside the body in a .docx and are therefore left out.
    """
    import zipfile

    try:
        import docx
        from docx.table import Table

        document = docx.Document(io.BytesIO(raw))
        blocks: list[str] = []
        for item in document.iter_inner_content():
            if isinstance(item, Table):
                for row in item.rows:
                    cells = list(dict.fromkeys(c.text.strip() for c in row.cells))
                    blocks.append("\t".join(c for c in cells if c))
            else:
                blocks.append(item.text)
        title = " ".join((document.core_properties.title or "").split())
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise ArticleRejected(path, f"not a readable Word file ({_short(exc)})",
                        "skipped; open it in Word and save it again as .docx") from exc
    except Exception as exc:  # noqa: BLE001 - python-docx raises its own and lxml's errors
        raise ArticleRejected(path, f"not a readable Word file ({type(exc).__name__}: {_short(exc)})",
                        "skipped; open it in Word and save it again as .docx") from exc
    paragraphs = [" ".join(line.split()) if "\t" not in line else line.strip()
                  for block in blocks for line in block.split("\n")]
    text = "\n\n".join(p for p in paragraphs if p)
    stated = {"title": title} if len(title) >= 3 and not _FILE_NAME_TITLE.search(title) else {}
    return DocumentText(text=text, stated=stated)


# --------------------------------------------------------------------------------------------
# RTF
# --------------------------------------------------------------------------------------------

def read_rtf(path, raw: bytes) -> DocumentText:
    """Text of an RTF file (striprtf); each RTF paragraph becomes one paragraph."""
    from striprtf.striprtf import rtf_to_text

    head = raw[:64].lstrip()
    if not head.startswith(b"{\\rtf"):
        raise ArticleRejected(path, "not an RTF file (it does not start with {\\rtf)",
                        "skipped; save it again as RTF or as plain text")
    try:
        source = raw.decode("ascii")
    except UnicodeDecodeError:
        source = raw.decode("cp1252", errors="replace")  # RTF is 7-bit; stray bytes are rare
    try:
        text = rtf_to_text(source, errors="replace")
    except Exception as exc:  # noqa: BLE001 - striprtf is a regex parser; never crash ingest
        raise ArticleRejected(path, f"not a readable RTF file ({type(exc).__name__}: {_short(exc)})",
                        "skipped; save it again as RTF or as plain text") from exc
    paragraphs = [" ".join(line.split()) if "\t" not in line else line.strip()
                  for line in text.splitlines()]
    return DocumentText(text="\n\n".join(p for p in paragraphs if p))
