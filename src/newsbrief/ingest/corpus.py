"""Input handling: find article files, decode them, read their metadata, decide what is counted.

Import cost matters: `params` and `manifest` import `discover` on every `make`, so this module
imports the standard library only at module level; pandas, yaml and trafilatura are imported
inside the functions that need them.

Article ids (`article_id`)
--------------------------
The file stem when it is *safe* (ASCII letters, digits, `_`, `.`, `-`; starts with a letter or
digit; at most 80 characters) and *unique* among the discovered files (case-insensitively, across
sub-folders and extensions): `000_7beb9e1193c8c2f4.txt` -> `000_7beb9e1193c8c2f4`. Otherwise a
slug of the stem (ASCII, lower case, at most 40 characters) plus the first 8 hex digits of the
SHA-1 of the relative path: `Rapport été.txt` -> `rapport-ete-<8 hex>`. Ids therefore depend on
file names only (not on content) and are stable across runs; adding a second file with the same
stem changes both files' ids (the collision makes the stem unsafe).

Metadata statuses
-----------------
`stated`: the article (or its page) states the value, or the metadata file says so.
`inferred`: derived from explicit clues in the text (the `note` column says how).
`unknown`: not known. A value is never invented: unknown values are "".
"""
from __future__ import annotations

import codecs
import csv
import hashlib
import os
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path, PurePosixPath

from newsbrief import paths
from newsbrief.ingest import infer_meta
from newsbrief.notes import DataNote, NoteLog

# --------------------------------------------------------------------------------------------
# Constants
# --------------------------------------------------------------------------------------------

MAX_BYTES = 5 * 1024 * 1024
"""Files larger than this are refused without being read (a briefing article is ~2-50 kB)."""

MAX_DOCUMENT_BYTES = 50 * 1024 * 1024
"""PDF, Word and RTF files may hold images and many articles (a news-database export)."""

TEXT_SUFFIXES = (".txt", ".md")
HTML_SUFFIXES = (".html", ".htm")
DOCUMENT_SUFFIXES = (".pdf", ".docx", ".doc", ".rtf")
"""Read by newsbrief.documents (.doc, Word 97-2003, is named in a note: save it as .docx)."""
JSONL_SUFFIXES = (".jsonl", ".ndjson")
JSON_SUFFIXES = (".json",)
CSV_SUFFIXES = (".csv",)
FEED_SUFFIXES = (".rss", ".atom", ".xml")
RECORD_SUFFIXES = JSONL_SUFFIXES + JSON_SUFFIXES + CSV_SUFFIXES + FEED_SUFFIXES
"""Many articles per file, read by newsbrief.ingest.records."""
ARTICLE_SUFFIXES = TEXT_SUFFIXES + HTML_SUFFIXES + DOCUMENT_SUFFIXES + RECORD_SUFFIXES

ALLOW_OUTSIDE_LINKS_ENV = "NEWSBRIEF_ALLOW_OUTSIDE_LINKS"
"""Set to 1 (make ALLOW_OUTSIDE_LINKS=1) to read symbolic links that lead out of ARTICLES."""

# These two file-system conventions stay in code, unlike news knowledge: `discover` runs on every
# `make` (params and manifest) before any library is imported, and reading a YAML file there would
# import yaml and cost the no-op build (tests/test_params.py checks the standard library only).
BACKUP_SUFFIXES = ("~", ".swp", ".swo", ".bak", ".orig", ".tmp", ".part", ".crdownload")
"""Editor backups / partial downloads, ignored by `discover` (most also lack an article suffix)."""

IGNORED_STEMS = frozenset({"readme", "license", "licence", "changelog", "contributing"})
"""Folder documentation, not articles (a README.md beside test fixtures must not be counted)."""

STATUSES = ("stated", "inferred", "unknown")
META_FIELDS = ("outlet", "title", "published", "url")
METADATA_COLUMNS = ("file", "outlet", "outlet_status", "title", "title_status", "published",
                    "published_status", "url", "url_status", "note")



def article_columns() -> tuple[str, ...]:
    """Columns of the interim articles table: the published ones (newsbrief.schemas) + `text`.
    Imported here, not at module level: this module stays standard-library only (see above)."""
    from newsbrief.schemas import SCHEMAS

    return (*SCHEMAS["articles"].columns, "text")

CONTROL_RATIO_LIMIT = 0.10
"""More than this share of C0 control bytes (other than tab/CR/LF/FF/VT) means binary."""

_CONTROL_BYTES = bytes([b for b in range(0x20) if b not in (0x09, 0x0A, 0x0B, 0x0C, 0x0D)]
                       + [0x7F])

_SAFE_ID = re.compile(r"\A[A-Za-z0-9][A-Za-z0-9_.-]{0,79}\Z")


class ArticleRejected(ValueError):
    """A file that cannot be used as an article; `reason` is a short human-readable phrase."""

    def __init__(self, path: str | os.PathLike, reason: str, action: str = "skipped") -> None:
        super().__init__(f"{path}: {reason}")
        self.path = str(path)
        self.reason = reason
        self.action = action


# --------------------------------------------------------------------------------------------
# Discovery
# --------------------------------------------------------------------------------------------

def _ignored_name(name: str) -> bool:
    if name.startswith(".") or name.startswith("~$"):
        return True  # hidden files, emacs lock files (.#x), vim swap (.x.swp), Office locks
    if name.endswith(BACKUP_SUFFIXES):
        return True
    return False


def is_article_file(name: str) -> bool:
    """True for a visible, non-backup file with an article suffix (case-insensitive)."""
    if _ignored_name(name):
        return False
    stem, dot, suffix = name.rpartition(".")
    if not dot or not stem:
        return False
    if f".{suffix.lower()}" not in ARTICLE_SUFFIXES:
        return False
    return stem.lower() not in IGNORED_STEMS


def outside_links_allowed() -> bool:
    return os.environ.get(ALLOW_OUTSIDE_LINKS_ENV, "").strip().lower() in ("1", "yes", "true")


def _inside(target: str, root_real: str) -> bool:
    return target == root_real or target.startswith(root_real.rstrip(os.sep) + os.sep)


def iter_article_relpaths(articles_dir: str | os.PathLike, refused: list[str] | None = None,
                          allow_outside_links: bool | None = None):
    """Yield relative paths (posix str) of article files, unsorted, walking with os.scandir.

    Cheap: strings only, no pathlib, one scandir per folder (used by the fast CLIs). A symbolic
    link whose target lies outside `articles_dir` is not yielded (nothing outside the articles
    folder is read as an article) unless `allow_outside_links` (default: the
    NEWSBRIEF_ALLOW_OUTSIDE_LINKS environment variable); its relative path is appended to
    `refused` when a list is given.
    """
    if allow_outside_links is None:
        allow_outside_links = outside_links_allowed()
    root_real = os.path.realpath(os.fspath(articles_dir))
    stack = [("", os.fspath(articles_dir))]
    while stack:
        prefix, folder = stack.pop()
        try:
            entries = list(os.scandir(folder))
        except OSError:  # missing, not a folder, or unreadable: nothing listed from it
            continue
        for entry in entries:
            name = entry.name
            try:
                if entry.is_dir(follow_symlinks=False):
                    if not name.startswith(".") and name != "__pycache__":
                        stack.append((f"{prefix}{name}/", entry.path))
                    continue
                if not is_article_file(name):
                    continue
                rel = prefix + name
                if not prefix and rel in paths.METADATA_FILES:
                    continue
                if not entry.is_file():  # follows file symlinks; drops broken links, fifos
                    continue
                if (entry.is_symlink() and not allow_outside_links
                        and not _inside(os.path.realpath(entry.path), root_real)):
                    if refused is not None:
                        refused.append(rel)
                    continue
                yield rel
            except OSError:
                continue


def has_article_files(articles_dir: str | os.PathLike) -> bool:
    """True as soon as one article file is found (what `discover` would list is non-empty)."""
    return next(iter_article_relpaths(articles_dir), None) is not None


def discover(articles_dir: str | os.PathLike, refused: list[str] | None = None) -> list[Path]:
    """Article files under `articles_dir` at any depth, sorted by relative path (as str).

    Files with an ARTICLE_SUFFIXES suffix (any case). Ignored: hidden files and folders (incl.
    .ipynb_checkpoints, .git), editor backups (`*~`, `.#*`, `*.swp`, `*.bak`, ...), README /
    LICENSE / CHANGELOG files, and the metadata file. Symlinked folders are not followed;
    symlinked files that lead outside `articles_dir` are left out and listed in `refused`.
    """
    root = Path(articles_dir)
    return [root / rel for rel in sorted(iter_article_relpaths(root, refused))]


def relative_path(path: str | os.PathLike, articles_dir: str | os.PathLike) -> str:
    return Path(path).relative_to(Path(articles_dir)).as_posix()


# --------------------------------------------------------------------------------------------
# Reading one file
# --------------------------------------------------------------------------------------------

@dataclass
class ArticleRead:
    """What reading one file produced: the decoded text plus facts for metadata and notes."""

    text: str
    raw: bytes
    encoding: str  # utf-8, utf-8-sig, cp1252, latin-1 ("" for binary formats)
    kind: str  # text, markdown, html, pdf, docx, rtf, record
    stated: dict = field(default_factory=dict)  # title/outlet/published/url the file states
    notes: list = field(default_factory=list)  # (problem, action, severity) from the reader


def decode_bytes(raw: bytes) -> tuple[str, str]:
    """(text, encoding): UTF-8 (a BOM dropped), else cp1252, else latin-1."""
    if raw.startswith(codecs.BOM_UTF8):
        # A BOM followed by bytes that are not UTF-8 (a file re-saved in a legacy encoding):
        # the BOM is still dropped, the rest falls back to cp1252 / latin-1 like any other
        # non-UTF-8 file (it used to raise UnicodeDecodeError and crash ingest).
        raw = raw[len(codecs.BOM_UTF8):]
        try:
            return raw.decode("utf-8", errors="strict"), "utf-8-sig"
        except UnicodeDecodeError:
            pass
    for encoding in ("utf-8", "cp1252"):
        try:
            return raw.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    return raw.decode("latin-1"), "latin-1"


def _check_binary(path: Path, raw: bytes) -> None:
    if b"\x00" in raw:
        raise ArticleRejected(path, "binary file (contains NUL bytes; UTF-16 text also does)",
                              "skipped; save it as UTF-8 text")
    sample = raw[:65536]
    n_control = len(sample) - len(sample.translate(None, _CONTROL_BYTES))
    if sample and n_control / len(sample) > CONTROL_RATIO_LIMIT:
        raise ArticleRejected(path, f"binary file ({n_control} control bytes in the first "
                                    f"{len(sample)})", "skipped")


def read_bytes(path: Path, limit: int) -> bytes:
    """The file's bytes; ArticleRejected if unreadable or larger than `limit` (checked first)."""
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise ArticleRejected(path, f"cannot read ({exc.strerror or exc})") from exc
    if size > limit:
        raise ArticleRejected(path, f"too large ({size:,} bytes; limit {limit:,} bytes)",
                              "skipped without reading; split it or raise ingest.MAX_BYTES")
    try:
        with open(path, "rb") as handle:
            raw = handle.read(limit + 1)
    except OSError as exc:
        raise ArticleRejected(path, f"cannot read ({exc.strerror or exc})") from exc
    if len(raw) > limit:  # grew since stat
        raise ArticleRejected(path, f"too large (more than {limit:,} bytes)",
                              "skipped; split it or raise ingest.MAX_BYTES")
    return raw


def _html_main_text(html: str) -> str:
    import trafilatura

    text = trafilatura.extract(html, include_comments=False, include_tables=True,
                               include_images=False, include_links=False, deduplicate=False,
                               favor_precision=True)
    return text or ""


def read_article(path: str | os.PathLike, max_bytes: int | None = None) -> ArticleRead:
    """Read and decode one article file, or raise `ArticleRejected` with a reason.

    Checks, in order: size (via stat, before reading: a 50 MB file is never loaded), binary
    content (NUL bytes or >10% control bytes), decoding (UTF-8, UTF-8 with BOM -> BOM dropped,
    cp1252, latin-1; CRLF kept), then empty / whitespace-only text. `.html`/`.htm`: the main
    text is extracted with trafilatura (scripts, navigation, ads dropped) and the page's stated
    title/site name/URL/publication date are kept in `stated` (`infer_meta.page_metadata`).
    PDF, Word and RTF files are read by `newsbrief.ingest.documents` (limit MAX_DOCUMENT_BYTES).
    Files holding many articles are read with `newsbrief.ingest.containers.read_items`.
    """
    p = path if isinstance(path, Path) else Path(path)
    suffix = p.suffix.lower()
    default_limit = MAX_DOCUMENT_BYTES if suffix in DOCUMENT_SUFFIXES else MAX_BYTES
    limit = default_limit if max_bytes is None else max_bytes
    raw = read_bytes(p, limit)
    if not raw:
        raise ArticleRejected(p, "empty file (0 bytes)")
    if suffix in DOCUMENT_SUFFIXES:
        return _read_document(p, suffix, raw)
    _check_binary(p, raw)
    text, encoding = decode_bytes(raw)
    html_meta: dict = {}
    if suffix in HTML_SUFFIXES:
        html_meta = infer_meta.page_metadata(text)
        text = _html_main_text(text)
        kind = "html"
        if not text.strip():
            raise ArticleRejected(p, "web page with no extractable main text")
    else:
        kind = "markdown" if suffix == ".md" else "text"
        if not text.strip():
            raise ArticleRejected(p, "whitespace-only file")
    return ArticleRead(text=text, raw=raw, encoding=encoding, kind=kind, stated=html_meta)


def _read_document(path: Path, suffix: str, raw: bytes) -> ArticleRead:
    from newsbrief.ingest import documents

    if suffix == ".doc":
        raise ArticleRejected(path, "Word 97-2003 document (.doc) cannot be read",
                              "skipped; open it in Word and save it as .docx")
    reader = {".pdf": documents.read_pdf, ".docx": documents.read_docx,
              ".rtf": documents.read_rtf}[suffix]
    doc = reader(path, raw)
    if not doc.text.strip():
        raise ArticleRejected(path, f"{suffix[1:].upper()} file with no text")
    return ArticleRead(text=doc.text, raw=raw, encoding="", kind=suffix[1:], stated=doc.stated,
                       notes=doc.notes)


def read_article_text(path: str | os.PathLike) -> str:
    """The article's decoded text (see ARCHITECTURE.md, provenance rule); raises ArticleRejected."""
    return read_article(path).text


def sha256_file(path: str | os.PathLike, chunk: int = 1 << 20) -> str:
    """SHA-256 of a file, read in 1 MB chunks (bounded memory for any size)."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while True:
            block = handle.read(chunk)
            if not block:
                break
            digest.update(block)
    return digest.hexdigest()


# --------------------------------------------------------------------------------------------
# Metadata from the text itself
# --------------------------------------------------------------------------------------------

def _parse_date(value: str) -> date | None:
    """ISO date (YYYY-MM-DD, or an ISO timestamp: its date part); None if it does not parse."""
    value = str(value).strip()
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        pass
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00")).date()
    except ValueError:
        return None


# --------------------------------------------------------------------------------------------
# Metadata file
# --------------------------------------------------------------------------------------------

def find_metadata_file(articles_dir: str | os.PathLike) -> Path | None:
    for name in paths.METADATA_FILES:
        candidate = Path(articles_dir) / name
        if candidate.is_file():
            return candidate
    return None


def _read_metadata_rows(meta_path: Path, log: NoteLog) -> list[dict] | None:
    name = meta_path.name
    try:
        raw = meta_path.read_bytes()
    except OSError as exc:
        log.add(name, f"metadata file cannot be read ({exc.strerror or exc})",
                "metadata file ignored; values taken from the texts")
        return None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        log.add(name, "metadata file is not UTF-8", "metadata file ignored; save it as UTF-8")
        return None
    if meta_path.suffix.lower() in (".yml", ".yaml"):
        import yaml

        try:
            data = yaml.safe_load(text)
        except yaml.YAMLError as exc:
            first = " ".join(str(exc).split())[:160]
            log.add(name, f"malformed YAML ({first})", "metadata file ignored; fix the file")
            return None
        if data is None:
            return []
        if isinstance(data, dict):
            rows = []
            for key, value in data.items():
                if not isinstance(value, dict):
                    log.add(name, f"entry {key!r} is not a mapping", "entry ignored")
                    continue
                rows.append({"file": str(key), **value})
            return rows
        if isinstance(data, list) and all(isinstance(r, dict) for r in data):
            return data
        log.add(name, "YAML is neither a list of rows nor a mapping file -> fields",
                "metadata file ignored; fix the file")
        return None
    try:
        reader = csv.DictReader(text.splitlines(), strict=True)
        header = reader.fieldnames or []
        rows = list(reader)
    except csv.Error as exc:
        log.add(name, f"malformed CSV ({exc})", "metadata file ignored; fix the file")
        return None
    if not header:
        return []
    if "file" not in [h.strip() for h in header]:
        log.add(name, "CSV has no 'file' column", "metadata file ignored; add a header row "
                f"({', '.join(METADATA_COLUMNS)})")
        return None
    return rows


def read_metadata(articles_dir: str | os.PathLike, relpaths: list[str],
                  metadata_path: str | os.PathLike | None = None
                  ) -> tuple[dict[str, dict], list[DataNote], str]:
    """Read the metadata file; returns ({relative path: {field: value}}, notes, file name).

    Never raises for bad content: malformed files, unknown columns, rows naming missing files,
    paths outside the articles folder, bad statuses, dates that do not parse and non-http URLs
    each give a note and are ignored (the field stays as read from the text).
    """
    log = NoteLog()
    root = Path(articles_dir)
    meta_path = Path(metadata_path) if metadata_path else find_metadata_file(root)
    if meta_path is None:
        return {}, [], ""
    name = meta_path.name
    if not meta_path.is_file():
        log.add(str(meta_path), "metadata file not found", "values taken from the texts")
        return {}, log.list(), name
    if (metadata_path is None and meta_path.is_symlink() and not outside_links_allowed()
            and not _inside(os.path.realpath(meta_path), os.path.realpath(root))):
        log.add(name, OUTSIDE_LINK_REASON, "not read (nothing outside ARTICLES is read); values "
                "taken from the texts")
        return {}, log.list(), name
    rows = _read_metadata_rows(meta_path, log)
    if rows is None:
        return {}, log.list(), name
    known = set(relpaths)
    by_name: dict[str, list[str]] = {}
    for rel in relpaths:
        by_name.setdefault(PurePosixPath(rel).name, []).append(rel)
    root_resolved = root.resolve()
    unknown_cols: set[str] = set()
    out: dict[str, dict] = {}
    for n, row in enumerate(rows, start=2):
        where = f"row {n}" if meta_path.suffix.lower() == ".csv" else f"entry {n - 1}"
        if None in row:  # csv: more fields than the header
            log.add(name, f"row {n} has more fields than the header", "extra fields ignored")
        clean = {str(k).strip(): ("" if v is None else str(v).strip())
                 for k, v in row.items() if k is not None}
        unknown_cols.update(k for k in clean if k not in METADATA_COLUMNS)
        file = clean.get("file", "").replace("\\", "/")
        if not file:
            log.add(name, f"{where} has no file name", "row ignored")
            continue
        candidate = Path(file)
        try:
            resolved = (root / candidate).resolve()
            inside = not candidate.is_absolute() and resolved.is_relative_to(root_resolved)
        except (OSError, ValueError):
            inside = False
        if not inside:
            log.add(name, f"{where} points outside the articles folder ({file})",
                    "row refused", "warning")
            continue
        rel = resolved.relative_to(root_resolved).as_posix()
        if rel not in known:
            matches = by_name.get(PurePosixPath(file).name, [])
            if len(matches) == 1 and "/" not in file:
                rel = matches[0]
            else:
                log.add(name, f"{where} names a file that was not found among the articles "
                              f"({file})", "row ignored")
                continue
        if rel in out:
            log.add(name, f"{where} repeats {rel}", "later row ignored; first one kept")
            continue
        fields: dict[str, str] = {}
        for fld in META_FIELDS:
            value = clean.get(fld, "")
            status = clean.get(f"{fld}_status", "").lower()
            if not value and not status:
                continue  # nothing said: keep what the text gives
            if status and status not in STATUSES:
                log.add(rel, f"{name}: {fld}_status {status!r} is not one of "
                             f"{'/'.join(STATUSES)}", f"{fld} from the metadata file ignored")
                continue
            if not status:
                status = "stated"
            if status == "unknown":
                if value:
                    log.add(rel, f"{name}: {fld} {value!r} is marked unknown",
                            f"{fld} treated as unknown", "info")
                fields[fld], fields[f"{fld}_status"] = "", "unknown"
                continue
            if not value:
                log.add(rel, f"{name}: {fld}_status is {status!r} but no value is given",
                        f"{fld} treated as unknown", "info")
                fields[fld], fields[f"{fld}_status"] = "", "unknown"
                continue
            if fld == "published":
                parsed = _parse_date(value)
                if parsed is None:
                    log.add(rel, f"{name}: published {value!r} is not a date (YYYY-MM-DD)",
                            "publication date treated as unknown")
                    fields[fld], fields[f"{fld}_status"] = "", "unknown"
                    continue
                value = parsed.isoformat()
            if fld == "url" and not re.match(r"https?://\S+\Z", value, re.I):
                log.add(rel, f"{name}: url {value!r} is not an http(s) address",
                        "url treated as unknown")
                fields[fld], fields[f"{fld}_status"] = "", "unknown"
                continue
            fields[fld], fields[f"{fld}_status"] = value, status
        if clean.get("note"):
            fields["note"] = clean["note"]
        out[rel] = fields
    if unknown_cols:
        log.add(name, f"unknown column(s) {', '.join(sorted(unknown_cols))}",
                f"ignored (known: {', '.join(METADATA_COLUMNS)})")
    return out, log.list(), name


# --------------------------------------------------------------------------------------------
# Corpus
# --------------------------------------------------------------------------------------------

def make_article_ids(relpaths: list[str]) -> dict[str, str]:
    """{relative path: article_id}; see the module docstring for the rule."""
    stems = {rel: PurePosixPath(rel).stem for rel in relpaths}
    counts = Counter(s.casefold() for s in stems.values())
    ids: dict[str, str] = {}
    used: set[str] = set()
    for rel in relpaths:
        stem = stems[rel]
        if _SAFE_ID.match(stem) and counts[stem.casefold()] == 1:
            candidate = stem
        else:
            ascii_stem = unicodedata.normalize("NFKD", stem).encode("ascii", "ignore").decode()
            slug = paths.slugify(ascii_stem)[:40].strip("-")
            digest = hashlib.sha1(rel.encode("utf-8")).hexdigest()
            candidate = f"{slug or 'article'}-{digest[:8]}"
            k = 8
            while candidate.casefold() in used:
                k += 2
                candidate = f"{slug or 'article'}-{digest[:k]}"
        used.add(candidate.casefold())
        ids[rel] = candidate
    return ids


def normalise_for_duplicates(text: str) -> str:
    """Whitespace collapsed, case-folded (NFC first): texts equal under this are duplicates."""
    return " ".join(unicodedata.normalize("NFC", text).casefold().split())


def company_pattern(company: str, aliases=()) -> re.Pattern:
    """Case-insensitive regex for the company and its aliases, as whole words.

    Word parts may be joined by nothing, spaces, hyphens or underscores ("DeepSeek" also
    matches "Deep Seek"; "Mistral AI" also matches "MistralAI"); possessives match.
    """
    from newsbrief.names import company_names   # (loads the knowledge files: not at import)

    variants = []
    # its short name too: coverage often writes only "Acme" for "Acme Retail"
    for name in company_names(" ".join(str(company).split()), [str(a) for a in aliases]):
        name = " ".join(str(name).split())
        if not name:
            continue
        spaced = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", name)
        parts = [p for p in re.split(r"[\s\-_]+", spaced) if p]
        variants.append(r"[\s\-_]*".join(re.escape(p) for p in parts))
    if not variants:
        raise ValueError("company name is empty")
    variants.sort(key=len, reverse=True)
    return re.compile(r"(?<!\w)(?:" + "|".join(variants) + r")(?!\w)", re.IGNORECASE)


def _empty_row(article_id: str, rel: str, record: str = "") -> dict:
    row = {c: "" for c in article_columns()}
    row.update(article_id=article_id, path=rel, file=PurePosixPath(rel).name, container=rel,
               record=record, n_chars=0, included=True, outlet_status="unknown",
               title_status="unknown", published_status="unknown", url_status="unknown")
    return row


def record_article_id(file_id: str, position: int) -> str:
    """Id of the article at `position` (1-based) of a multi-article file: `<file id>-r00012`
    (zero-padded so ids sort in file order)."""
    return f"{file_id}-r{position:05d}"


OUTSIDE_LINK_REASON = "symbolic link to a file outside the articles folder"


def _corpus_items(files: dict[str, Path], refused: list[str], ids: dict[str, str],
                  max_bytes: int | None, log: NoteLog):
    """(article_id, rel, record, sha256, ArticleRead | ArticleRejected) for every article slot
    of every file, files in path order, records in file order; refused links are not read."""
    from newsbrief.ingest.containers import read_items

    file_ids = set(ids.values())
    refused_set = set(refused)
    for rel in sorted(set(files) | refused_set):
        if rel in refused_set:
            yield ids[rel], rel, "", "", ArticleRejected(
                rel, OUTSIDE_LINK_REASON, "not followed (nothing outside ARTICLES is read); "
                "copy the file into the folder, or run make ALLOW_OUTSIDE_LINKS=1")
            continue
        path = files[rel]

        def file_note(problem: str, action: str, severity: str = "warning", rel=rel) -> None:
            log.add(rel, problem, action, severity)

        digest = ""

        def file_digest() -> str:  # the container's checksum, computed once, only if needed
            nonlocal digest
            if not digest:
                try:
                    digest = sha256_file(path)
                except OSError:
                    pass
            return digest

        try:
            for item in read_items(path, file_note, max_bytes=max_bytes):
                if not item.record:
                    raw = getattr(item.result, "raw", b"")
                    yield (ids[rel], rel, "", hashlib.sha256(raw).hexdigest() if raw
                           else file_digest(), item.result)
                    continue
                article_id = record_article_id(ids[rel], item.position)
                if article_id in file_ids:  # another file's stem looks like a record id
                    tag = hashlib.sha1(f"{rel}\n{item.record}".encode("utf-8")).hexdigest()[:8]
                    article_id = f"{article_id}-{tag}"
                yield article_id, rel, item.record, file_digest(), item.result
        except ArticleRejected as exc:
            yield ids[rel], rel, "", file_digest(), exc
        except OSError as exc:
            yield ids[rel], rel, "", file_digest(), ArticleRejected(
                rel, f"cannot read ({exc.strerror or exc})")


def load_articles(articles_dir: str | os.PathLike, company: str, as_of: date | None = None,
                  metadata_path: str | os.PathLike | None = None, aliases=(),
                  max_bytes: int | None = None):
    """Read the corpus: (articles DataFrame, list of DataNote).

    One row per discovered file, including skipped ones (`included` False, `skip_reason`).
    Columns: `article_columns()` (the catalog's "articles" table plus `text`, "" when
    skipped; `n_chars == len(text)`). Left out, each with a note: unreadable/binary/empty/too
    large files; exact duplicates (same normalised text; `duplicate_of` = first by sort order);
    articles that never mention the company (or an alias); articles published after `as_of`.
    `as_of=None` applies no date cut (the newest article date is the cut, see `newest_date`).
    Metadata: text clues first (dateline -> published "stated"; headline -> title; page meta
    for HTML; outlet patterns from data/knowledge/outlets.yml -> "inferred"), then the metadata
    file's values override with the status the file gives.
    """
    import pandas as pd

    from newsbrief.ingest import language

    root = Path(articles_dir)
    refused: list[str] = []
    files = discover(root, refused)
    rels = [relative_path(f, root) for f in files]
    ids = make_article_ids(sorted(rels + refused))
    log = NoteLog()
    meta, meta_notes, _ = read_metadata(root, rels, metadata_path)
    log.extend(meta_notes)
    pattern = company_pattern(company, aliases)
    company_label = " ".join(company.split())

    rows: list[dict] = []
    first_by_text: dict[str, str] = {}
    for article_id, rel, record, digest, art in _corpus_items(dict(zip(rels, files)), refused,
                                                              ids, max_bytes, log):
        row = _empty_row(article_id, rel, record)
        row["sha256"] = digest
        per_file: list[str] = []

        def note(problem: str, action: str, severity: str = "warning", where=record) -> None:
            log.add(rel, f"{where}: {problem}" if where else problem, action, severity)
            per_file.append(f"{problem} -> {action}")

        # the metadata file describes files; a record's metadata comes from the record itself
        file_meta = {} if record else meta.get(rel, {})
        if isinstance(art, ArticleRejected):
            row.update(included=False, skip_reason=art.reason)
            note(art.reason, art.action)
            rows.append(_apply_meta(row, file_meta, per_file))
            continue
        for problem, action, severity in art.notes:
            note(problem, action, severity)
        text = art.text
        row["text"] = text
        if art.encoding in ("cp1252", "latin-1"):
            note(f"not valid UTF-8; decoded as {art.encoding}",
                 "kept; check accents and quotes, or save it as UTF-8")
        elif art.encoding == "utf-8-sig":
            note("UTF-8 byte-order mark", "dropped from the text", "info")

        # --- metadata from the text / page ---
        for fld, value in art.stated.items():
            row[fld], row[f"{fld}_status"] = value, "stated"
        file_fields = file_meta
        given = {fld for fld in META_FIELDS if f"{fld}_status" in file_fields}
        for problem, action, severity in infer_meta.infer_missing(row, text, art.kind, given):
            if severity:
                note(problem, action, severity)
            else:
                per_file.append(f"{problem} -> {action}")
        _apply_meta(row, file_fields, per_file)

        # --- what is counted ---
        key = normalise_for_duplicates(text)
        if key in first_by_text:
            first = first_by_text[key]
            row.update(included=False, skip_reason=f"duplicate of {first}", duplicate_of=first)
            note(f"same text as {first}", "counted once (this copy left out)")
        else:
            first_by_text[key] = row["article_id"]
            lang = language.identify(text)
            if not lang.is_english:
                name = language.language_name(lang.code)
                row.update(included=False, skip_reason=f"not in English ({name})")
                note(f"written in {name} (identified by {lang.how}, probability "
                     f"{lang.probability:.2f})", "not analysed (only English articles are)")
            elif not pattern.search(text):
                row.update(included=False, skip_reason=f"does not mention {company_label}")
                note(f"never mentions {company_label}", "left out")
            elif as_of is not None:
                if row["published"]:
                    pub = date.fromisoformat(row["published"])
                    if pub > as_of:
                        row.update(included=False,
                                   skip_reason=f"published {pub.isoformat()}, after AS_OF "
                                               f"{as_of.isoformat()}")
                        note(f"published {pub.isoformat()}, after AS_OF {as_of.isoformat()}",
                             "left out")
                else:
                    note("publication date unknown", "kept (cannot compare with AS_OF)", "info")
        if not row["included"]:
            row["text"] = ""
        row["n_chars"] = len(row["text"])
        row["note"] = "; ".join(per_file)
        rows.append(row)

    columns = article_columns()
    df = pd.DataFrame(rows, columns=list(columns))
    if df.empty:
        df = pd.DataFrame({c: pd.Series(dtype="object") for c in columns})
    df["included"] = df["included"].astype(bool)
    df["n_chars"] = df["n_chars"].astype("int64")
    for col in columns:
        if col not in ("included", "n_chars"):
            df[col] = df[col].fillna("").astype(str)
    return df, log.list()


def _apply_meta(row: dict, fields: dict, per_file: list[str]) -> dict:
    """Metadata-file values override text-derived ones, keeping the file's status."""
    for fld in META_FIELDS:
        if f"{fld}_status" in fields:
            row[fld], row[f"{fld}_status"] = fields[fld], fields[f"{fld}_status"]
    if fields.get("note"):
        per_file.insert(0, fields["note"])
    row["note"] = "; ".join(per_file)
    return row


def newest_date(articles) -> date | None:
    """Newest known publication date among included articles (the default AS_OF); None if none."""
    pub = articles.loc[articles["included"] & (articles["published"] != ""), "published"]
    return date.fromisoformat(max(pub)) if len(pub) else None
