"""Briefing sections, each built from the evidence tables of a `Run`.

Every section module exposes `build(run) -> list[render.Block]`; the blocks start with a level-2
Heading whose anchor is the section key (the front page starts with its TitleBlock, then the
"Key judgments" heading). `skepticism` also builds "Where sources disagree"
(`build_disagreements`) and `policy` the full "Timeline" (`build_timeline`).

This module holds the helpers the sections share: table access that tolerates a missing table,
source names, citations, keyword matching, caps. Nothing here knows about any company.
"""
from __future__ import annotations

import functools
import hashlib
import json
import re
from functools import lru_cache
from pathlib import Path
from typing import Callable, Iterable

import pandas as pd

from newsbrief import knowledge
from newsbrief.briefing import prose, render
from newsbrief.extract import statements

# (key, title, module name, function name) in briefing order.
SECTIONS = [
    ("front", "Key judgments", "front", "build"),
    ("company", "The company", "company", "build"),
    ("models", "Models", "models", "build"),
    ("costs", "Costs and prices", "costs", "build"),
    ("skepticism", "Skepticism: doubts and allegations", "skepticism", "build"),
    ("disagreements", "Where sources disagree", "skepticism", "build_disagreements"),
    ("policy", "Policy and governments", "policy", "build"),
    ("timeline", "Timeline", "policy", "build_timeline"),
    ("sources", "Sources and method", "sources", "build"),
]
TITLES = {key: title for key, title, _, _ in SECTIONS}


_BUILT: dict[tuple, list] = {}


def _evidence_state(run) -> tuple:
    """What a section's blocks depend on: the run's parameters and its evidence files."""
    stages = (run.run_paths.processed, run.run_paths.interim)
    files = sorted(p for stage in stages if stage.is_dir() for p in stage.rglob("*") if p.is_file())
    files += [p for p in (run.run_paths.review,) if p.is_file()]     # the analyst's decisions
    return (run.company, str(run.articles_dir), str(run.reports), run.as_of_param,
            tuple((str(p), p.stat().st_mtime_ns, p.stat().st_size) for p in files))


def reused(build: Callable) -> Callable:
    """Decorate a section builder so the blocks built for a run are reused in this kernel.

    The sources section lists which sections cite each article, so it needs every section's
    blocks; in one kernel the blocks are built once. Rebuilt when the parameters or any
    evidence file change (the key holds their paths, mtimes and sizes), and after the module is
    reloaded (the key holds the function itself). Each build also records the articles its
    blocks cite (`cited_ids`), for a sources section run in another kernel.
    """
    @functools.wraps(build)
    def wrapper(run) -> list[render.Block]:
        if not hasattr(run, "run_paths"):    # tables held in memory (tests): nothing to key on
            return build(run)
        state = _evidence_state(run)
        key = (build, state)
        if key not in _BUILT:
            if len(_BUILT) > 64:    # a long interactive session: keep memory bounded
                _BUILT.clear()
            _BUILT[key] = with_analyst_notes(run, build(run))
            _record_citations(run, build, state, _BUILT[key])
        return list(_BUILT[key])
    return wrapper


# ---------------------------------------------------------------- citations across kernels
#
# The build runs the section notebooks in two kernels; the sources section, which lists the
# sections citing each article, would otherwise rebuild in its kernel every section the other
# kernel built (1.5 s of CPU of a seed build, at its end). Each build records the articles its
# blocks cite in BUILD/cited/, under a digest of everything the blocks depend on: the evidence
# state, and the package code and knowledge files (a record left by other code is not used).

CITED_DIR = "cited"


def cited_articles(blocks) -> set[str]:
    """Article ids cited anywhere in blocks."""
    found: set[str] = set()

    def walk(x):
        if isinstance(x, render.Cite):
            found.add(x.article_id)
        elif isinstance(x, (list, tuple)):
            for y in x:
                walk(y)

    for b in blocks:
        for attr in ("content", "items", "rows", "source"):
            walk(getattr(b, attr, None))
    return found


def _citation_record(run, build: Callable, state: tuple) -> tuple[Path, str]:
    """(record path, digest of what the blocks of `build` depend on) for this run."""
    from newsbrief import paths

    package = Path(__file__).resolve().parents[2]
    # the build's own inputs beside the evidence (parameters, the earlier edition's fingerprint)
    inputs = [p for p in run.run_paths.build.glob("*") if p.is_file()]
    code = sorted([*package.rglob("*.py"), *paths.KNOWLEDGE_DIR.glob("*.yml"), *inputs])
    code_state = tuple((str(p), p.stat().st_mtime_ns, p.stat().st_size) for p in code)
    digest = hashlib.sha256(repr((build.__module__, build.__qualname__, state, code_state))
                            .encode("utf-8")).hexdigest()
    path = run.run_paths.build / CITED_DIR / f"{build.__module__}.{build.__qualname__}.json"
    return path, digest


def _record_citations(run, build: Callable, state: tuple, blocks) -> None:
    from newsbrief import atomic

    path, digest = _citation_record(run, build, state)
    path.parent.mkdir(parents=True, exist_ok=True)
    atomic.write_text(path, json.dumps({"state": digest, "articles": sorted(cited_articles(blocks))}))


def cited_ids(run, key: str) -> set[str]:
    """Articles the blocks of section `key` cite: from the record its build left (in this
    kernel or another) when it is for this run's evidence and code, else built here."""
    build = builder(key)
    if hasattr(run, "run_paths"):
        path, digest = _citation_record(run, getattr(build, "__wrapped__", build), _evidence_state(run))
        try:
            record = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            record = {}
        if record.get("state") == digest:
            return set(record["articles"])
    return cited_articles(build(run))


def with_analyst_notes(run, blocks: list[render.Block]) -> list[render.Block]:
    """The analyst's notes for a section (review decisions `note: <key>`) right after the
    section's heading, as `render.AnalystNote` blocks: never mixed into the machine's text."""
    done = review_of(run)
    if done is None or not done.notes:
        return blocks
    out: list[render.Block] = []
    for block in blocks:
        out.append(block)
        if isinstance(block, render.Heading) and block.level == 2 and block.anchor in done.notes:
            out += [render.AnalystNote.from_text(text) for text in done.notes[block.anchor]]
    return out


def builder(key: str) -> Callable:
    """The build function of a section key."""
    import importlib

    for k, _, module, func in SECTIONS:
        if k == key:
            return getattr(importlib.import_module(f"newsbrief.briefing.sections.{module}"), func)
    raise KeyError(key)


def build_all(run, keys: Iterable[str] | None = None) -> list[render.Block]:
    """All sections' blocks in briefing order (or only `keys`)."""
    wanted = list(keys) if keys is not None else [k for k, *_ in SECTIONS]
    blocks: list[render.Block] = []
    for key in wanted:
        blocks.extend(builder(key)(run))
    return blocks


# ---------------------------------------------------------------- knowledge

@lru_cache(maxsize=None)
def conf() -> dict:
    return knowledge.load("briefing") or {}


def cap(name: str, default: int = 10) -> int:
    return int(conf().get("caps", {}).get(name, default))


def measure_name(measure: str, unit: str = "") -> str:
    """The reader's name of a measure; a percentage of a level measure is its change
    ("revenue rose 64%": "Revenue change", briefing.yml `percent_is_change`)."""
    names = conf().get("measures", {})
    # a measure the panel does not order is named by its measures.yml label
    spec = ((knowledge.load("measures") or {}).get("measures") or {}).get(measure) or {}
    name = names.get(measure) or str(spec.get("label") or "") or prose.capitalise(
        str(measure or "figure").replace("_", " "))
    if str(unit) == "%" and measure in (conf().get("percent_is_change") or []):
        name = f"{name} change"
    return name


def _alternation(words: Iterable[str]) -> str:
    return "|".join(re.escape(str(w)).replace(r"\ ", r"\s+") for w in sorted(words, key=len, reverse=True))


def _kw_regex(words: Iterable[str], whole: bool = True, in_compounds: bool = True) -> re.Pattern | None:
    words = [str(w) for w in words if str(w).strip()]
    if not words:
        return None
    end = r"(?![\w-])" if whole else ""
    if in_compounds:
        return re.compile(rf"(?<![\w])(?:{_alternation(words)}){end}", re.I)
    # not at the end of a hyphenated compound ("established" in "well-established"), except a
    # keyword written with a leading hyphen, which is such an ending ("-based startup")
    free = [w for w in words if not w.startswith("-")]
    ending = [w for w in words if w.startswith("-")]
    parts = ([rf"(?<![\w-])(?:{_alternation(free)})"] if free else []) \
        + ([rf"(?<=\w)(?:{_alternation(ending)})"] if ending else [])
    return re.compile(rf"(?:{'|'.join(parts)}){end}", re.I)


@lru_cache(maxsize=None)
def _kw(key: tuple, whole: bool = True, in_compounds: bool = True) -> re.Pattern | None:
    return _kw_regex(key, whole, in_compounds)


def keyword_regex(words: Iterable[str]) -> re.Pattern | None:
    """Case-insensitive whole-word regex for a keyword list (None for an empty list)."""
    return _kw(tuple(words))


def matches(text: str, words: Iterable[str], whole: bool = True, in_compounds: bool = True) -> int:
    """Number of keyword hits in text (case-insensitive; whole words, or word starts; with
    `in_compounds` False, not ending a hyphenated compound: see `_kw_regex`)."""
    rx = _kw(tuple(words), whole, in_compounds)
    return len(rx.findall(text or "")) if rx else 0


# ---------------------------------------------------------------- company profile

@lru_cache(maxsize=None)
def _profiles() -> dict:
    return knowledge.load("profiles") or {}


def choose_profile(text: str) -> tuple[str, dict[str, int]]:
    """(profile name, signal hits per profile) for the articles' text (profiles.yml): the
    profile with most hits when it has enough and clearly more than the runner-up, else the
    default profile."""
    conf = _profiles()
    hits = {name: matches(text, spec.get("signals") or [])
            for name, spec in (conf.get("profiles") or {}).items()}
    ranked = sorted(hits.items(), key=lambda kv: (-kv[1], kv[0]))
    sel = conf.get("selection") or {}
    default = str(conf.get("default", "generic"))
    if not ranked or ranked[0][1] < int(sel.get("min_hits", 1)):
        return default, hits
    runner_up = ranked[1][1] if len(ranked) > 1 else 0
    if ranked[0][1] < float(sel.get("margin", 1.0)) * runner_up:
        return default, hits
    return ranked[0][0], hits


def profile(run) -> dict:
    """The run's company profile: its profiles.yml entry plus `name` and `hits`."""
    def make():
        sents = body_sentences(run)
        text = "\n".join(sents["quote"].astype(str)) if len(sents) else ""
        name, hits = choose_profile(text)
        spec = (_profiles().get("profiles") or {}).get(name) or {}
        return {**spec, "name": name, "hits": hits}
    return memo(run, "profile", make)


def profile_note(run) -> render.Para:
    """One line saying which profile arranged the sections, and why (signal words counted)."""
    prof = profile(run)
    specs = _profiles().get("profiles") or {}
    counted = "; ".join(f"{specs[n].get('label', n)} {k}" for n, k in sorted(prof["hits"].items())
                        if specs.get(n, {}).get("signals"))
    why = ("its vocabulary stands out in the articles" if prof["hits"].get(prof["name"])
           else "no kind of company stands out in the articles")
    return render.Para([f"Sections are arranged for {prof.get('label', 'a company')}: {why} "
                        f"(words typical of {counted or 'no profile'}; "
                        "data/knowledge/profiles.yml)."], css="muted")


def not_covered(titles: list[str]) -> render.Note | None:
    """One note naming the subsections the articles give nothing for (None when there are none)."""
    if not titles:
        return None
    return thin(f"The articles give nothing usable on: {', '.join(t.lower() for t in titles)}")


# ---------------------------------------------------------------- per-run memo

def memo(run, name: str, make: Callable):
    """A value computed once per run object (lookups are called per row on big corpora)."""
    cache = run.__dict__.setdefault("_nb_sections_cache", {})
    if name not in cache:
        cache[name] = make()
    return cache[name]


# ---------------------------------------------------------------- tables

def records(frame: pd.DataFrame) -> list[dict]:
    """`frame.to_dict("records")`: the same values of the same types, about 4x faster on the
    small frames the sections convert per claim and per figure (pandas boxes each column's values
    on its own, 0.1 ms a column; here the frame becomes one object array at once): the seed
    briefing's front page made 195 calls, more than half its time. A nullable integer column
    (the tables have none) would give pd.NA where to_dict gives None."""
    columns = list(frame.columns)
    return [dict(zip(columns, row)) for row in frame.to_numpy(dtype=object).tolist()]


def table(run, name: str) -> pd.DataFrame:
    """An evidence table, or an empty frame with the contract's columns when it is missing.
    Columns the contract names but the table lacks are added empty."""
    from newsbrief.schemas import SCHEMAS

    try:
        frame = _reviewed_table(run, name)
    except (FileNotFoundError, KeyError, OSError):
        frame = None
    cols = list(SCHEMAS[name].columns) if name in SCHEMAS else []
    if frame is None:
        return pd.DataFrame({c: pd.Series(dtype="object") for c in cols})
    missing = [c for c in cols if c not in frame.columns]
    if missing:
        frame = frame.copy()
        for c in missing:
            frame[c] = ""
    return frame


def review_of(run):
    """What the analyst decided for this run (`newsbrief.review.Reviewed`), or None for a run
    held in memory (tests) or without decisions."""
    if not hasattr(run, "run_paths"):
        return None
    from newsbrief import review

    done = review.reviewed(run, [key for key, *_ in SECTIONS])
    return done if done.n_decisions else None


def _reviewed_table(run, name: str) -> pd.DataFrame:
    """The table as the analyst's decisions leave it (the evidence table when there are none)."""
    done = review_of(run)
    if done is not None and done.tables.get(name) is not None:
        return done.tables[name]
    return run.table(name)


def articles(run) -> pd.DataFrame:
    try:
        frame = all_articles(run)
        return frame[frame["included"].astype(bool)].reset_index(drop=True)
    except (FileNotFoundError, KeyError, OSError):
        return pd.DataFrame(columns=["article_id", "outlet", "published"])


def all_articles(run) -> pd.DataFrame:
    try:
        return _reviewed_table(run, "articles")
    except (FileNotFoundError, KeyError, OSError):
        return pd.DataFrame(columns=["article_id", "outlet", "published", "included"])


def source_names(run) -> dict[str, str]:
    """article_id -> a short source name: the outlet when known, else 'Article <n>'."""
    def make():
        nums = article_numbers(run)
        return {aid: outlet or f"Article {nums.get(aid, aid)}"
                for aid, outlet in outlets(run).items()}
    return memo(run, "source_names", make)


def outlets(run) -> dict[str, str]:
    """article_id -> outlet name, "" when unknown."""
    return memo(run, "outlets", lambda: _outlets(run))


def _outlets(run) -> dict[str, str]:
    out = {}
    for row in all_articles(run).itertuples(index=False):
        outlet = str(getattr(row, "outlet", "") or "").strip()
        status = str(getattr(row, "outlet_status", "") or "")
        out[str(row.article_id)] = outlet if outlet and status != "unknown" else ""
    return out


def article_numbers(run) -> dict[str, int]:
    """article_id -> 1-based number in article_id order (the Sources section's numbering)."""
    from newsbrief.evidence.run import article_numbers as number_ids

    return memo(run, "numbers", lambda: number_ids(all_articles(run)["article_id"]))


def sources_text(run, article_ids: Iterable[str], max_names: int = 2) -> str:
    """'Reuters and CNBC', 'Reuters +2', or '3 articles' when outlets are unknown."""
    ids = list(dict.fromkeys(str(a) for a in article_ids))
    outs = outlets(run)
    known = list(dict.fromkeys(outs.get(a, "") for a in ids if outs.get(a, "")))
    unknown = [a for a in ids if not outs.get(a, "")]
    if not known:
        if len(ids) == 1:
            return f"Article {article_numbers(run).get(ids[0], ids[0])}"
        return f"{len(ids)} articles"
    text = prose.join_names(known[:max_names])
    extra = len(known) - max_names + len(unknown)
    return text + (f" +{extra}" if extra > 0 else "")


def n_outlets(run, article_ids: Iterable[str]) -> int:
    """Distinct sources among article ids (an unknown outlet counts as its own source)."""
    names = source_names(run)
    return len({names.get(str(a), str(a)) for a in article_ids})


def split_ids(value) -> list[str]:
    return [x for x in str(value or "").split(";") if x.strip()]


def company_aliases(run) -> list[str]:
    """The subject company's name and aliases (entities.is_subject), the run's name first."""
    return memo(run, "aliases", lambda: _company_aliases(run))


def _company_aliases(run) -> list[str]:
    names = [run.company]
    ents = table(run, "entities")
    if len(ents) and "is_subject" in ents:
        for row in ents[ents["is_subject"] == True].itertuples(index=False):  # noqa: E712
            if str(row.kind) in ("company", "organisation"):
                names.append(str(row.name))
                names += split_ids(row.aliases)
    return [n for n in dict.fromkeys(x.strip() for x in names) if n]


def body_sentences(run) -> pd.DataFrame:
    """Sentences of included articles (body and list items; headings left out)."""
    return memo(run, "body_sentences", lambda: _body_sentences(run))


def _body_sentences(run) -> pd.DataFrame:
    sents = table(run, "sentences")
    ids = set(articles(run)["article_id"].astype(str))
    if len(sents):
        sents = sents[sents["article_id"].astype(str).isin(ids) & (sents["kind"] != "heading")]
    return sents.reset_index(drop=True)


# ---------------------------------------------------------------- citations and labels

def cites(rows, limit: int | None = None) -> list[render.Cite]:
    """Cite markers for rows (DataFrame, dicts or namedtuples) with article_id/start/end."""
    if isinstance(rows, pd.DataFrame):
        rows = records(rows[["article_id", "start", "end"]])
    elif isinstance(rows, dict):
        rows = [rows]
    good = [r for r in rows if _has_span(r)]
    return render.cites(good, limit if limit is not None else cap("cites_per_row", 4))


def _has_span(row) -> bool:
    get = row.get if isinstance(row, dict) else (lambda k, d=None: getattr(row, k, d))
    try:
        return str(get("article_id") or "") != "" and int(get("end")) > int(get("start"))
    except (TypeError, ValueError):
        return False


def claim_cites(run, claim_row, limit: int | None = None) -> list[render.Cite]:
    """Cites for a claim: its sources (independent first), else its representative sentence."""
    cs = table(run, "claim_sources")
    cid = claim_row["claim_id"] if isinstance(claim_row, dict) else claim_row.claim_id
    rows = cs[cs["claim_id"] == cid] if len(cs) else cs
    if len(rows):
        rows = rows.sort_values("independent", ascending=False, kind="stable")
        return cites(rows, limit)
    return cites([claim_row if isinstance(claim_row, dict) else claim_row._asdict()], limit)


def heading(key: str, title: str | None = None) -> render.Heading:
    return render.Heading(title or TITLES.get(key, key), level=2, anchor=key)


def thin(what: str) -> render.Note:
    """A note saying the evidence is thin, instead of padding."""
    return render.Note(prose.ensure_period(what), tone="note")


def _first_by_span(run, name: str) -> dict:
    """(article_id, start) -> first row (dict) of a table, built once per run."""
    def make():
        t = table(run, name)
        out: dict = {}
        if len(t):
            for row in records(t):
                out.setdefault((str(row["article_id"]), int(row["start"])), row)
        return out
    return memo(run, f"span:{name}", make)


def statement_for(run, article_id: str, start: int):
    """The first statement in a sentence (dict) or None."""
    return _first_by_span(run, "statements").get((str(article_id), int(start)))


def claim_for(run, article_id: str, start: int):
    """The claim a sentence supports (dict) or None: via claim_sources, else the claim row."""
    key = (str(article_id), int(start))
    src = _first_by_span(run, "claim_sources").get(key)
    if src is not None:
        by_id = memo(run, "claims_by_id", lambda: {
            r["claim_id"]: r for r in records(table(run, "claims"))})
        if src["claim_id"] in by_id:
            return by_id[src["claim_id"]]
    return _first_by_span(run, "claims").get(key)


def _disputed(run) -> tuple[set, set]:
    """(article_id, start) of every sentence and the id of every figure that is a side of a
    disagreement."""
    def make():
        dis = table(run, "disagreements")
        if not len(dis):
            return set(), set()
        spans = set(zip(dis["article_id"].astype(str), dis["start"].astype(int)))
        return spans, set(dis["figure_id"].astype(str)) if "figure_id" in dis else set()
    return memo(run, "disputed_sides", make)


def _claim_badge(claim: dict, is_side: bool, n_sources: int) -> render.Label:
    """A claim's badge; 'disputed' only for a side of a disagreement (a claim that shares its
    event or sentence with a disputed figure is not itself in dispute)."""
    label = str(claim.get("label") or "")
    n = claim.get("n_independent")
    if label == "disputed" and not is_side:
        try:
            n = max(int(float(n)), n_sources)
        except (TypeError, ValueError):
            n = n_sources
        label = "multi_source" if n >= 2 else "single_source"
    return prose.support_label(label, n, str(claim.get("speaker") or ""))


def label_for_figures(run, figures: pd.DataFrame, n_sources: int) -> render.Label:
    """Support badge for rows of one figure: 'disputed' when one of them is a side of a
    disagreement, else the claim these very figures support (a sentence may carry several
    figures, each with its own claim), else the sentence's badge."""
    ids = [str(i) for i in figures.get("figure_id", [])]
    if set(ids) & _disputed(run)[1]:
        return prose.support_label("disputed")   # one of these figures is a side
    by_item = memo(run, "claims_by_item", lambda: _claims_by_item(run))
    claim = next((by_item[i] for i in ids if i in by_item), None)
    if claim is None:
        first = figures.iloc[0]
        return label_for_sentence(run, first["article_id"], first["start"], n_sources)
    return _claim_badge(claim, False, n_sources)


def _claims_by_item(run) -> dict:
    by_id = {r["claim_id"]: r for r in records(table(run, "claims"))}
    src = table(run, "claim_sources")
    if not len(src) or "item_id" not in src:
        return {}
    return {str(i): by_id[c] for i, c in zip(src["item_id"], src["claim_id"]) if c in by_id}


def label_for_sentence(run, article_id: str, start: int, n_sources: int = 1) -> render.Label:
    """Support badge for one sentence: its claim's label when linked, else from its statement's
    stance, else from the number of sources."""
    claim = claim_for(run, article_id, start)
    if claim:
        return _claim_badge(claim, (str(article_id), int(start)) in _disputed(run)[0], n_sources)
    st = statement_for(run, article_id, start)
    if st:
        stance = st.get("stance")
        evidence = {"not_offered": "not_offered", "offered": "offered"}.get(st.get("evidence"), "unknown")
        label = statements.claim_label({stance}, {evidence}, 1)
        if label != "single_source":
            return prose.support_label(label, 1, str(st.get("speaker") or ""))
    return prose.sources_label(n_sources)
