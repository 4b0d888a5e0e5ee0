"""How important a claim is for the front page: a documented score from knowledge, not code.

`rank_facts(run)` turns the claims table into facts ranked by importance. Claims that report
the same fact (same figure measure and subject, the same sentences, or the same content words)
are one fact, so the front page gives one judgment per fact; their independent outlets are
counted together. The score's parts and weights are in data/knowledge/briefing.yml
(`front_page`), which documents each part.

Fail closed: a figure claim counts only through figures whose measure and subject are resolved
(`figures.resolved`; before that column exists: measure known and not "other", subject not
empty). A claim labelled disputed keeps that label only when the disagreements table holds a
disagreement drawn from the claim's own sentences.
"""
from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field
from datetime import date

import pandas as pd

from newsbrief.link import facts, vectors
from newsbrief.extract.figures import compatible_measures, qualifier_meaning
from newsbrief.link.values import compatible
from newsbrief.briefing import sections as S


def front_conf() -> dict:
    return S.conf().get("front_page", {}) or {}


@dataclass
class Fact:
    """One fact for the front page: the claims reporting it, best-scored first."""
    claims: list[dict]
    figures: pd.DataFrame
    kind: str
    score: float
    parts: dict
    n_sources: int
    article_ids: list[str] = field(default_factory=list)

    @property
    def claim(self) -> dict:
        return self.claims[0]


# ---------------------------------------------------------------- resolved figures

def truthy(value) -> bool | None:
    """A bool column value; None when the column is missing or empty (not yet produced)."""
    if value is None or (isinstance(value, float) and math.isnan(value)) or value == "":
        return None
    if isinstance(value, str):
        return value.strip().lower() in ("true", "1", "yes")
    return bool(value)


def is_resolved(fig: dict) -> bool:
    """May this figure be used in key judgments, key figures, charts and disagreements?"""
    flag = truthy(fig.get("resolved"))
    if flag is not None:
        return flag
    measure = str(fig.get("measure") or "").strip()
    return bool(measure) and measure != "other" and bool(str(fig.get("subject") or "").strip())


def resolved_figures(run) -> pd.DataFrame:
    """Figures of included articles whose measure and subject are resolved."""
    def make():
        figs = S.table(run, "figures")
        if not len(figs):
            return figs
        ids = set(S.articles(run)["article_id"].astype(str))
        figs = figs[figs["article_id"].astype(str).isin(ids)]
        keep = [is_resolved(r) for r in S.records(figs)]
        return figs[keep].reset_index(drop=True)
    return S.memo(run, "resolved_figures", make)


# ---------------------------------------------------------------- who the company is

def company_names(run) -> set[str]:
    return {a.lower() for a in S.company_aliases(run)}


def owned_models(run) -> set[str]:
    """Lower-case names and aliases of the company's own models: the entities' `owner` when the
    table has one, else their `organisation`, else a name that starts with the company's name."""
    def make():
        ents = S.table(run, "entities")
        if not len(ents):
            return set()
        models = ents[ents["kind"] == "model"]
        names = company_names(run)
        has_owner = "owner" in models and models["owner"].astype(str).str.strip().ne("").any()
        out = set()
        for m in S.records(models):
            if has_owner:
                mine = str(m.get("owner") or "").strip().lower() in names
            else:
                orgs = {o.strip().lower() for o in str(m.get("organisation") or "").split(";")}
                mine = bool(orgs & names) or any(
                    str(m["name"]).lower().startswith(n) for n in names if n)
            if mine:
                out |= {str(m["name"]).lower()} | {a.lower() for a in S.split_ids(m.get("aliases"))}
        return out
    return S.memo(run, "owned_models", make)


def names_company(run, text: str) -> bool:
    """Does the text name the company or one of its own models?"""
    words = sorted(company_names(run) | owned_models(run))
    return S.matches(text, words) > 0 if words else False


def is_company_subject(run, subject: str) -> bool:
    s = str(subject or "").strip().lower()
    return bool(s) and (s in company_names(run) or s in owned_models(run))


# ---------------------------------------------------------------- parts of the score

def event_kind(stances: set[str], measures: set[str], text: str) -> tuple[str, float]:
    """(kind of event, weight): the heaviest kind the claim's figure measures match (a figure
    says most precisely what happened); else the heaviest its statements' stances match; else
    the heaviest kind whose words the text contains."""
    conf = front_conf()
    kinds = [(name, spec or {}) for name, spec in (conf.get("event_kinds") or {}).items()]
    kinds.sort(key=lambda k: -float(k[1].get("weight", 1.0)))
    tests = (lambda spec: measures & set(spec.get("measures") or []),
             lambda spec: stances & set(spec.get("stances") or []),
             lambda spec: S.matches(text, spec.get("words") or []))
    for test in tests:
        for name, spec in kinds:
            if test(spec):
                return name, float(spec.get("weight", 1.0))
    return "", float(conf.get("default_kind", 1.0))


def is_low_value(kind: str, measures: set[str], text: str) -> bool:
    """A trivial item: a low-value measure (a staff count, a model's size), or low-value words
    (hiring, the team) in a claim that is no event of a known kind."""
    low = front_conf().get("low_value") or {}
    if measures and measures <= set(low.get("measures") or []):
        return True
    if S.matches(text, low.get("always") or []):
        return True
    return not kind and S.matches(text, low.get("words") or []) > 0


def _column(frame: pd.DataFrame, name: str) -> list:
    """A column's values as a list (None for each row when the frame lacks it)."""
    return frame[name].tolist() if name in frame else [None] * len(frame)


def magnitude(figs: pd.DataFrame) -> float:
    """Size of the largest resolved figure, scaled to 0..1 (see briefing.yml)."""
    best = 0.0
    # columns, not to_dict("records"): called per claim, and records cost ~5 ms a call
    for value, unit, currency, kind in zip(*(_column(figs, c) for c in ("value", "unit", "currency", "kind"))):
        v = abs(float(value or 0.0))
        if not v or math.isnan(v):
            continue
        unit = str(unit or "")
        if str(currency or "") or kind == "money":
            m = math.log10(max(v, 1.0)) / 12
        elif unit == "%":
            m = v / 25
        elif unit in ("x", "times"):
            m = math.log10(max(v, 1.0)) / 2
        else:
            m = math.log10(max(v, 1.0)) / 9
        best = max(best, min(1.0, m))
    return best


def _published(run) -> dict[str, date]:
    def make():
        out = {}
        arts = S.articles(run)
        for aid, pub in zip(arts.get("article_id", []), arts.get("published", [])):
            try:
                out[str(aid)] = date.fromisoformat(str(pub)[:10])
            except ValueError:
                continue
        return out
    return S.memo(run, "published_dates", make)


def recency(run, article_ids: list[str]) -> float:
    """Where the newest of these articles falls between the oldest article and the briefing
    date (1 = newest); 0 when none of them is dated."""
    pub = _published(run)
    dated = [pub[a] for a in article_ids if a in pub]
    if not dated:
        return 0.0
    oldest = min(pub.values())
    try:
        newest = getattr(run, "as_of", None) or max(pub.values())
    except (FileNotFoundError, KeyError, OSError, ValueError):
        newest = max(pub.values())
    span = (newest - oldest).days
    return 1.0 if span <= 0 else max(0.0, min(1.0, (max(dated) - oldest).days / span))


def coverage(run, article_ids: list[str]) -> int:
    """Independent sources among articles: copies and rewrites of another article in the set
    do not count, and articles of one outlet count once."""
    ids = list(dict.fromkeys(article_ids))
    origin = S.memo(run, "article_origins", lambda: _origins(run))
    present = set(ids)
    independent = [a for a in ids if origin.get(a, "") not in present or origin.get(a) == a]
    return S.n_outlets(run, independent) if independent else 0


def _origins(run) -> dict[str, str]:
    """article_id -> the article it copies or derives from."""
    arts = S.all_articles(run)
    origin = {}
    for col in ("duplicate_of", "derived_from"):
        if col in arts:
            for aid, root in zip(arts["article_id"].astype(str), arts[col].astype(str)):
                if root and root != "nan" and aid not in origin:
                    origin[aid] = root
    return origin


def score(parts: dict, low: bool) -> float:
    conf = front_conf()
    weights = conf.get("weights") or {}
    total = sum(float(weights.get(k, 0.0)) * float(v) for k, v in parts.items())
    return total * float((conf.get("low_value") or {}).get("factor", 1.0)) if low else total


# ---------------------------------------------------------------- claims -> facts

def claim_spans(run, claim: dict) -> set[tuple[str, int]]:
    """(article_id, sentence start) of every sentence backing a claim."""
    by_claim = S.memo(run, "claim_spans", lambda: _spans_by_claim(run))
    return by_claim.get(claim["claim_id"], set()) | {(str(claim["article_id"]), int(claim["start"]))}


def _spans_by_claim(run) -> dict:
    out: dict = {}
    cs = S.table(run, "claim_sources")
    for cid, aid, start in zip(cs.get("claim_id", []), cs.get("article_id", []), cs.get("start", [])):
        out.setdefault(cid, set()).add((str(aid), int(start)))
    return out


def claim_articles(run, claim: dict) -> list[str]:
    return list(dict.fromkeys([a for a, _ in sorted(claim_spans(run, claim))]
                              + S.split_ids(claim.get("article_ids"))))


def _positions_by_span(frame: pd.DataFrame) -> dict[tuple[str, int], list[int]]:
    """(article_id, sentence start) -> positions of the frame's rows in that sentence."""
    out: dict[tuple[str, int], list[int]] = {}
    for i, (a, st) in enumerate(zip(frame["article_id"].astype(str), frame["start"])):
        out.setdefault((a, int(st)), []).append(i)
    return out


def _rows_in(frame: pd.DataFrame, by_span: dict, keys) -> pd.DataFrame:
    """The frame's rows in the sentences `keys`, in table order (what a boolean mask over
    every row gives; looked up per claim, so the rows are indexed once per run)."""
    return frame.iloc[sorted(i for k in keys for i in by_span.get(k, ()))]


def claim_figures(run, claim: dict) -> pd.DataFrame:
    """Resolved figures in the claim's sentences, of the claim's measure when it has one."""
    figs = resolved_figures(run)
    if not len(figs):
        return figs
    keys = claim_spans(run, claim)
    hit = _rows_in(figs, S.memo(run, "resolved_figures_by_span", lambda: _positions_by_span(figs)), keys)
    key = str(claim.get("key") or "").split("|")
    measure = key[0]
    own = hit[hit["measure"].astype(str) == measure] if measure else hit
    if claim.get("kind") == "figure" and len(key) > 1 and len(own):
        # the claim's own subject only: a sentence may give a market's loss beside a company's
        subject = key[1].strip().lower()
        keep = [str(s).strip().lower() == subject
                or (is_company_subject(run, subject) and is_company_subject(run, s))
                for s in own["subject"]]
        own = own[keep]
    return own if len(own) or claim.get("kind") == "figure" else hit


def claim_disagreements(run, claim: dict) -> pd.DataFrame:
    """Rows of the disagreements table drawn from the claim's own sentences, of the claim's
    measure, whose every side names the disagreement's subject in its own sentence (a side
    that says only "it has 300 million users" may be about another company)."""
    dis = S.table(run, "disagreements")
    if not len(dis):
        return dis
    keys = claim_spans(run, claim)
    measure = str(claim.get("key") or "").split("|")[0]
    hit = _rows_in(dis, S.memo(run, "disagreements_by_span", lambda: _positions_by_span(dis)), keys)
    if claim.get("kind") == "figure":
        hit = hit[hit["measure"].astype(str) == measure]
    ids = [d for d in dict.fromkeys(hit["disagreement_id"]) if _backs_claim(run, dis, d)]
    return dis[dis["disagreement_id"].isin(ids)]


def _backs_claim(run, dis: pd.DataFrame, disagreement_id) -> bool:
    """Does the disagreement name its subject on every side and share one event (see
    `claim_disagreements`)? Known per disagreement, asked per claim: answered once per run."""
    known = S.memo(run, "disagreement_backs", dict)
    if disagreement_id not in known:
        rows = dis[dis["disagreement_id"] == disagreement_id]
        known[disagreement_id] = sides_name_subject(run, rows) and sides_share_event(run, rows)
    return known[disagreement_id]


def subject_names(run, subject: str) -> list[str]:
    """A subject's name and its aliases from the entities table."""
    names = [subject]
    ents = S.table(run, "entities")
    if len(ents):
        for e in S.records(ents[ents["name"].astype(str) == subject]):
            names += S.split_ids(e.get("aliases"))
    if subject.lower() in company_names(run):
        names += S.company_aliases(run)
    return [n for n in dict.fromkeys(x.strip() for x in names) if n]


def _with_previous(run) -> dict:
    """(article_id, start) -> the sentence and the one before it in the article (a side that
    says "it" names its subject just before)."""
    def make():
        sents = S.table(run, "sentences")
        out, prev = {}, {}
        if len(sents):
            for r in S.records(sents.sort_values(["article_id", "start"], kind="stable")):
                aid, quote = str(r["article_id"]), str(r["quote"])
                out[(aid, int(r["start"]))] = f"{prev.get(aid, '')} {quote}"
                prev[aid] = quote
        return out
    return S.memo(run, "with_previous", make)


def sides_name_subject(run, rows: pd.DataFrame) -> bool:
    """Does every side of a disagreement name its subject (or the company, or one of its own
    models) in its sentence or the sentence before? A side that only says "it has 300 million
    users" next to another company's name may be about that company."""
    subject = str(rows["subject"].iloc[0] or "").strip() if len(rows) else ""
    if not subject:
        return False
    names = subject_names(run, subject)
    if is_company_subject(run, subject):
        names += sorted(company_names(run) | owned_models(run))
    context = _with_previous(run)
    return all(any(S.matches(context.get((str(a), int(st)), str(q)), names)
                   for a, st, q in zip(grp["article_id"], grp["start"], grp["quote"]))
               for _, grp in rows.groupby("side"))


def agreeing_claims(run, fact: Fact, claim: dict) -> list[dict]:
    """The stated claim and the fact's other claims that say the same: for a figure claim, those
    whose own figures (`own_figures`) have a value that overlaps the stated one at the same deal
    stage (`figures_agree`); for a
    claim without figures, the whole fact (one content in several wordings)."""
    figs = own_figures(run, claim, claim_figures(run, claim))
    if not len(figs):
        return list(fact.claims) if claim.get("kind") != "figure" else [claim]
    out = [claim]
    for other in fact.claims:
        if other is not claim:
            theirs = own_figures(run, other, claim_figures(run, other))
            if len(theirs) and figures_agree(run, figs, theirs):
                out.append(other)
    return out


def sides_share_event(run, rows: pd.DataFrame) -> bool:
    """False when the figures behind the two sides name different events (a Series B against a
    Series C is a history, not a dispute); True when not known. Names made from a date ("fine
    2025-05") are the figure's period, and periods are the disagreement finder's to compare
    (`link.facts`: a day inside a month is one occasion)."""
    figs = S.table(run, "figures")
    if not len(figs) or not len(rows) or "event" not in figs:
        return True
    figs = figs[figs["measure"].astype(str) == str(rows["measure"].iloc[0])]
    by_span: dict = {}
    for r in S.records(figs):
        name = facts.event_name(r)
        if name:
            by_span.setdefault((str(r["article_id"]), int(r["start"])), set()).add(name)
    per_side = [set().union(*[by_span.get((str(a), int(st)), set())
                              for a, st in zip(grp["article_id"], grp["start"])])
                for _, grp in rows.groupby("side")]
    known = [w for w in per_side if w]
    return len(known) < 2 or bool(set.intersection(*known))


def stated_sources(run, fact: Fact, claim: dict) -> int:
    """How many independent sources say what a judgment states (`agreeing_claims`): the one
    count the key judgments, the bottom line and the key figures give (`coverage`)."""
    ids = [a for c in agreeing_claims(run, fact, claim) for a in claim_articles(run, c)]
    return _counted(run, claim, list(dict.fromkeys(ids)))


def _counted(run, claim: dict, ids: list[str]) -> int:
    n = coverage(run, ids)
    allegers = _allegers(run, claim_spans(run, claim))
    if len(allegers - {""}) == 1 and "" not in allegers:
        n = min(n, 1)   # one person's allegation, however many outlets repeat it
    return n


def claim_of_figure(run) -> dict[str, str]:
    """figure_id -> the id of the claim the figure makes."""
    def make():
        cs = S.table(run, "claim_sources")
        if not len(cs) or "item_id" not in cs:
            return {}
        return {str(i): str(c) for c, i in zip(cs["claim_id"], cs["item_id"]) if str(i).startswith("fig-")}
    return S.memo(run, "claim_of_figure", make)


def figure_claim(run, fig: dict) -> dict | None:
    """The claim a figure row makes (the claims-table row), or None."""
    claim_id = claim_of_figure(run).get(str(fig.get("figure_id") or ""))
    if claim_id is None:
        return None
    by_id = S.memo(run, "claims_by_id", lambda: {
        r["claim_id"]: r for r in S.records(S.table(run, "claims"))})
    return by_id.get(claim_id)


def same_value(run, a: dict, b: dict) -> bool:
    """Do two figures of one measure and subject say the same? Compatible measures
    (`figures.compatible_measures`: "raised $400 million" and a $400 million equity round), the
    same unit, currency and deal stage, and either one claim holds both (the claim linker put them on one occasion) or both
    state a value (no bound: "as much as 7%" on one day does not confirm 3.2% on another) and
    the values overlap (`link.values.compatible`)."""
    def key(r):
        return (str(r.get("unit")), str(r.get("currency") or ""), facts.stage(r))
    if key(a) != key(b) or not compatible_measures(str(a.get("measure")), str(b.get("measure"))):
        return False
    if all(str(a.get(c)) == str(b.get(c)) for c in ("article_id", "start", "mention_start", "mention")):
        return True   # the figure itself
    claim_of = claim_of_figure(run)
    ca, cb = claim_of.get(str(a.get("figure_id"))), claim_of.get(str(b.get("figure_id")))
    if ca is not None and ca == cb:
        return True
    if any(qualifier_meaning(r.get("qualifier")).bound in ("upper", "lower") for r in (a, b)):
        return False
    return compatible(*[(float(r["value"]), float(r["low"]), float(r["high"]), str(r.get("qualifier") or ""))
                        for r in (a, b)])


def figures_agree(run, a: pd.DataFrame, b: pd.DataFrame) -> bool:
    """Some figure of `a` and some of `b` say the same (`same_value`)."""
    theirs = S.records(b)
    return any(same_value(run, r, o) for r in S.records(a) for o in theirs)


def effective_label(run, claim: dict, n_sources: int) -> str:
    """The claim's label, with 'disputed' kept only when a real disagreement backs it and
    source counts taken from the whole fact."""
    label = str(claim.get("label") or "")
    if label == "disputed" and not len(claim_disagreements(run, claim)):
        label = "single_source"
    if label in ("single_source", "multi_source"):
        label = "multi_source" if n_sources >= 2 else "single_source"
    return label


def _stances(run, claim: dict) -> set[str]:
    """Stances of the statements made in the claim's sentences."""
    by_span = S.memo(run, "stances_by_span", lambda: _stances_by_span(run))
    return set().union(*[by_span.get(k, set()) for k in claim_spans(run, claim)])


def _stances_by_span(run) -> dict:
    out: dict = {}
    st = S.table(run, "statements")
    for aid, start, stance in zip(st.get("article_id", []), st.get("start", []), st.get("stance", [])):
        out.setdefault((str(aid), int(start)), set()).add(str(stance))
    return out


def _positions(run, spans: set) -> frozenset[tuple[str, int]]:
    """(article_id, position of the sentence in its article) of these sentences."""
    def make() -> dict:
        sents = S.table(run, "sentences")
        out, seen = {}, {}
        if len(sents):
            for aid, start in sorted(zip(sents["article_id"].astype(str), sents["start"].astype(int))):
                seen[aid] = seen.get(aid, -1) + 1
                out[(aid, start)] = seen[aid]
        return out
    at = S.memo(run, "sentence_positions", make)
    return frozenset((a, at[(a, st)]) for a, st in spans if (a, st) in at)


def _doubted(run, spans: set) -> bool:
    """Does a statement in these sentences question the company's claims or conduct
    (`statements.is_doubt`: an allegation, an outside estimate far above its figure)?"""
    def make() -> set:
        st = S.table(run, "statements")
        return {(str(a), int(b)) for a, b, d in zip(st.get("article_id", []), st.get("start", []),
                                                    st.get("is_doubt", [])) if truthy(d)}
    return bool(S.memo(run, "doubted_spans", make) & spans)


def _allegers(run, spans: set) -> frozenset[str]:
    """Who makes the allegations in these sentences (folded names; "" when not named)."""
    def make() -> dict:
        out: dict = {}
        st = S.table(run, "statements")
        for aid, start, stance, speaker in zip(st.get("article_id", []), st.get("start", []),
                                               st.get("stance", []), st.get("speaker", [])):
            if stance == "allegation":
                out.setdefault((str(aid), int(start)), set()).add(str(speaker or "").strip().lower())
        return out
    by_span = S.memo(run, "allegers_by_span", make)
    return frozenset().union(*[by_span.get(k, set()) for k in spans])


def _content_tokens(run, text: str) -> frozenset[str]:
    drop = {t for n in company_names(run) for t in vectors.tokens(n)}
    return frozenset(t for t in vectors.tokens(text or "") if len(t) > 2 and t not in drop)


def _fact_key(claim: dict, figs: pd.DataFrame) -> tuple | None:
    """A figure's fact for the front page: its measure, whose it is (a product's figure is its
    owner's: "under $6 million" for V3's training and "around $6 million" for the company's are
    one fact) and its context, whenever it applied and at whatever deal stage (a history, or a
    planned deal and its completion, gets one judgment: `stated_order` states the completed one,
    and `stated_sources` counts only the claims that agree with the stated one). A statement
    claim whose sentence gives figures of one measure and subject states that fact too."""
    if claim.get("kind") == "figure":
        key = str(claim.get("key") or "").split("|")
        if len(key) >= 5:
            return ("figure", _story(key[0]), key[1].split(":")[0].strip().lower(), key[3])
    if len(figs):
        pairs = {(_story(str(m)), str(s).strip().lower()) for m, s in zip(figs["measure"], figs["subject"])}
        if len(pairs) == 1:
            (measure, subject), = pairs
            return ("figure", measure, subject, "fact")
    return None


def _story(measure: str) -> str:
    """The measure, or the story it is told in with others (briefing.yml `one_story`)."""
    for group in front_conf().get("one_story") or []:
        if measure in group:
            return "+".join(group)
    return measure


# Kinds of event in which another party's figure can still be about the company.
_ACTS_ON_OTHERS = ("market_move", "regulator_action")


@dataclass
class _Candidate:
    claim: dict
    figures: pd.DataFrame
    kind: str
    kind_weight: float
    low: bool
    direct: float
    magnitude: float
    article_ids: list[str]
    spans: set
    tokens: frozenset
    key: tuple | None
    disputes: frozenset = frozenset()  # disagreement ids the claim is a side of
    allegers: frozenset = frozenset()  # who makes the allegation (an allegation claim)
    doubt: float = 0.0                 # 1 when a statement in its sentences is a doubt
    positions: frozenset = frozenset()  # (article_id, sentence position) of its sentences
    base: float = 0.0


def _candidate(run, claim: dict) -> _Candidate | None:
    figs = claim_figures(run, claim)
    if claim.get("kind") == "figure" and not len(figs):
        return None  # fail closed: no resolved figure behind this claim
    text = f"{claim.get('summary', '')} {claim.get('quote', '')}"
    measures = set(figs["measure"].astype(str)) if len(figs) else set()
    stances = _stances(run, claim)
    if claim.get("label") == "allegation_no_evidence":
        stances.add("allegation")   # the claim linker saw an allegation in its sources
    kind, weight = event_kind(stances, measures, text)
    if len(figs):
        # another subject's figure counts half when the sentence ties it to the company and the
        # event acts on others (a market's fall, a regulator's fine); a rival's own money or
        # product figure does not concern the company
        # (a rival's market loss told right after a sentence on the company counts)
        context = _with_previous(run).get((str(claim["article_id"]), int(claim["start"])),
                                          str(claim.get("quote", "")))
        direct = 1.0 if any(is_company_subject(run, s) for s in figs["subject"]) else \
            float(front_conf().get("acts_on_others_direct", 0.5)) \
            if (kind in _ACTS_ON_OTHERS and names_company(run, context)) else 0.0
    else:
        st = S.statement_for(run, claim["article_id"], claim["start"])
        speaker = str((st or {}).get("speaker") or "")
        direct = 1.0 if (is_company_subject(run, speaker)
                         or names_company(run, str(claim.get("quote", "")))) else 0.0
    return _Candidate(claim, figs, kind, weight, is_low_value(kind, measures, text), direct,
                      magnitude(figs), claim_articles(run, claim), claim_spans(run, claim),
                      _content_tokens(run, str(claim.get("quote", ""))), _fact_key(claim, figs),
                      frozenset(claim_disagreements(run, claim).get("disagreement_id", ())),
                      _allegers(run, claim_spans(run, claim)) if kind == "allegation" else frozenset(),
                      float(_doubted(run, claim_spans(run, claim))),
                      _positions(run, claim_spans(run, claim)))


def _parts(run, c: _Candidate, article_ids: list[str], max_weight: float) -> tuple[dict, int]:
    cap = max(1, int(front_conf().get("coverage_cap", 4)))
    n = coverage(run, article_ids)
    if len(c.allegers - {""}) == 1 and "" not in c.allegers:
        n = min(n, 1)   # the same rule as `_counted`
    return ({"coverage": min(n, cap) / cap, "direct": c.direct,
             "kind": c.kind_weight / max_weight if max_weight else 0.0,
             "magnitude": c.magnitude, "recency": recency(run, article_ids), "doubt": c.doubt}, n)


def same_key(a: _Candidate, b: _Candidate) -> bool:
    """The same figure fact: compatible measures (`figures.compatible_measures`), the same
    subject and context."""
    return a.key is not None and b.key is not None and a.key[2:] == b.key[2:] and \
        compatible_measures(a.key[1], b.key[1])


def same_fact(a: _Candidate, b: _Candidate) -> bool:
    """Two claims report one fact: compatible figure measures (`figures.compatible_measures`)
    and the same subject, half their sentences
    shared, enough shared content words (briefing.yml front_page.same_fact), the two sides
    of one disagreement (the dispute is one fact, however each side names its subject), or two
    doubts in consecutive sentences of one article (an accusation, then the accuser's words)."""
    if a.disputes & b.disputes:
        return True
    if a.doubt and b.doubt and any(x[0] == y[0] and abs(x[1] - y[1]) == 1
                                   for x in a.positions for y in b.positions):
        return True   # a challenge and the next sentence going on with it: one story
    if same_key(a, b):
        return True
    if a.claim.get("kind") == b.claim.get("kind") == "figure":
        return False  # figures of different measures or subjects are different facts
    shared = a.spans & b.spans
    if shared and len(shared) * 2 >= min(len(a.spans), len(b.spans)):
        return True
    if a.key is not None and b.key is not None:
        return False  # figures of different measures or subjects are different facts
    conf = front_conf().get("same_fact") or {}
    common = len(a.tokens & b.tokens)
    smaller = min(len(a.tokens), len(b.tokens))
    return (smaller > 0 and common >= int(conf.get("min_shared", 3))
            and common / smaller >= float(conf.get("overlap", 0.6)))


def event_sentences(run, taken: set) -> list[dict]:
    """Sentences that name the company and report an event of a known kind but back no claim
    (a ban, an app topping the charts, a market fall told without a quoted speaker), as claim-like
    rows of kind "sentence": the front page can only quote them with their source."""
    sents = S.body_sentences(run)
    if not len(sents):
        return []
    words = [w for spec in (front_conf().get("event_kinds") or {}).values()
             for w in (spec or {}).get("words") or []]
    out = []
    for r in S.records(sents):
        if (str(r["article_id"]), int(r["start"])) in taken:
            continue
        quote = str(r["quote"])
        if S.matches(quote, words) and names_company(run, quote):
            out.append(sentence_claim(r))
    return out


def sentence_claim(sentence: dict) -> dict:
    """A sentence row as a claim-like row of kind "sentence" (its id is the sentence id)."""
    return {"claim_id": str(sentence["sentence_id"]), "kind": "sentence", "key": "", "summary": "",
            "label": "single_source", "n_sources": 1, "n_independent": 1,
            "article_ids": str(sentence["article_id"]), "article_id": str(sentence["article_id"]),
            "start": int(sentence["start"]), "end": int(sentence["end"]), "quote": str(sentence["quote"])}


def _lone_quote(c: _Candidate, n_sources: int) -> bool:
    """A claim that reports no event of a known kind, states no resolved figure and has fewer
    independent sources than briefing.yml `lone_quote_sources` (a court's procedural remark, one
    analyst's opinion) is no key judgment."""
    return not c.kind and not len(c.figures) and \
        n_sources < int(front_conf().get("lone_quote_sources", 0))


def _sentence_factor(c: _Candidate) -> float:
    """A sentence that backs no claim counts less (briefing.yml `sentence_factor`), unless it
    reports an event of a kind whose sentence is itself the news (`sentence_is_news`: an
    accusation told without a quoted speaker)."""
    if c.claim.get("kind") != "sentence" or c.kind in (front_conf().get("sentence_is_news") or []):
        return 1.0
    return float(front_conf().get("sentence_factor", 1.0))


def latest_span_end(figs: pd.DataFrame) -> int:
    """The end of the latest period longer than a day that figures of a quantity summed over a
    period state (revenue "in 2024", deliveries "in the first quarter": facts.yml `periods:
    equal`), as a day number; 0 when none. A single day is more often the day a figure was
    reported than the one it applies to, and a level's period (users, a valuation) is only the
    nearest date in its sentence."""
    days = [0]
    for measure, start, end in zip(_column(figs, "measure"), _column(figs, "period_start"),
                                   _column(figs, "period_end")):
        start, end = str(start or "")[:10], str(end or "")[:10]
        if start and end and end != start and facts.occasion_rule(str(measure))[0] == "equal":
            try:
                days.append(date.fromisoformat(end).toordinal())
            except ValueError:
                continue
    return max(days)


def _news_day(run, claim: dict, figs: pd.DataFrame) -> int:
    """The day a claim's figures are news of, as a day number: the day its article appeared,
    or the end of an earlier period they state (the fine a regulator imposed is today's news,
    the one the story recalls "in 2021" is 2021's); 0 when neither is known."""
    published = _published(run).get(str(claim.get("article_id")))
    ends = []
    for end in _column(figs, "period_end"):
        try:
            ends.append(date.fromisoformat(str(end or "")[:10]).toordinal())
        except ValueError:
            continue
    day = published.toordinal() if published else 0
    return min([day, *ends]) if day and ends else (day or max(ends, default=0))


def in_brackets(figs: pd.DataFrame) -> bool:
    """Do all the figures stand inside brackets in their sentences: values set beside the one
    the sentence states ("Revenue of £4.3 billion (H1 2024/25: £4.6 billion)")? A conversion in
    brackets is part of its figure's mention, not a figure of its own."""
    if not len(figs) or "quote" not in figs:
        return False
    for quote, start, at in zip(_column(figs, "quote"), _column(figs, "start"), _column(figs, "mention_start")):
        before = str(quote)[:max(0, int(at) - int(start))]
        if before.count("(") <= before.count(")"):
            return False
    return True


def own_figures(run, claim: dict, figs: pd.DataFrame) -> pd.DataFrame:
    """The figures a claim states, of `figs` (its sentences' figures): a figure claim's own ("rose
    to £92 million in 2024 from £48 million in 2023" holds two claims), a statement claim's in
    the sentence it is worded from; all of `figs` when none is known."""
    if claim.get("kind") == "statement" and len(figs):
        # a speaker's claim joins statements of several sentences; it states its first one
        own = figs[(figs["article_id"].astype(str) == str(claim["article_id"]))
                   & (figs["start"].astype(int) == int(claim["start"]))]
        return own if len(own) else figs
    if claim.get("kind") != "figure" or "figure_id" not in figs:
        return figs
    claim_of = claim_of_figure(run)
    own = figs[[claim_of.get(str(f)) == str(claim["claim_id"]) for f in figs["figure_id"]]]
    return own if len(own) else figs


def stated_order(run, group: list[_Candidate]) -> list[_Candidate]:
    """The claims of one fact in the order the front page tries to state them: a disputed figure
    that is a side of a real disagreement first (the dispute is the news: the 2024 revenue two
    sources give differently, not the company's 2023 figure), then claims stating a figure of the
    measure most of the fact's claims state, then claims of what happened
    before claims of what was only planned or expected, then those of the latest stated period
    (a history is told by its latest value: 2024 revenue, not 2023's), then the latest news (the
    fine a regulator imposed, not the older one the story recalls "in 2021"), then those not in
    brackets beside another, then, when the company states the fact, its account before the
    doubts about it (its training cost, not the estimate that questions it), each best scored
    first."""
    claimed = any(c.claim.get("label") == "company_claim" and not c.doubt for c in group)
    owns = {id(c): own_figures(run, c.claim, c.figures) for c in group}
    # the measure most of the fact's claims state ("profit forecast raised" is told by a profit
    # figure, not by the share move of a sentence that mentions the forecast)
    stating = Counter(m for c in group for m in set(_column(owns[id(c)], "measure")) if m != "other")
    main = stating.most_common(1)[0][0] if stating else None

    def order(c: _Candidate):
        disputed = c.claim.get("label") == "disputed" and bool(c.disputes)
        prospective = any(facts.stage(r) for r in S.records(c.figures))
        own = owns[id(c)]
        off_fact = main is not None and main not in set(_column(own, "measure"))
        challenge = c.doubt if claimed else 0.0
        return (not disputed, off_fact, prospective, -latest_span_end(own),
                -_news_day(run, c.claim, own), in_brackets(own), challenge, -c.base,
                str(c.claim["claim_id"]))
    return sorted(group, key=order)


def rank_facts(run) -> list[Fact]:
    """Facts in the claims table, most important first (see the module docstring)."""
    return S.memo(run, "ranked_facts", lambda: _rank_facts(run))


def _rank_facts(run) -> list[Fact]:
    claims = S.table(run, "claims")
    included = set(S.articles(run)["article_id"].astype(str))
    kinds = front_conf().get("event_kinds") or {}
    max_weight = max([float((k or {}).get("weight", 1.0)) for k in kinds.values()]
                     + [float(front_conf().get("default_kind", 1.0))])
    cands = []
    for claim in S.records(claims):
        if not set(S.split_ids(claim.get("article_ids")) or [str(claim["article_id"])]) & included:
            continue
        c = _candidate(run, claim)
        if c is None:
            continue
        parts, n = _parts(run, c, c.article_ids, max_weight)
        if _lone_quote(c, n):
            continue
        c.base = score(parts, c.low)
        cands.append(c)
    for claim in event_sentences(run, {span for c in cands for span in c.spans}):
        c = _candidate(run, claim)
        parts, _ = _parts(run, c, c.article_ids, max_weight)
        c.base = score(parts, c.low) * _sentence_factor(c)
        cands.append(c)
    cands.sort(key=lambda c: (-c.base, str(c.claim["claim_id"])))
    groups: list[list[_Candidate]] = []
    for c in cands[: int(front_conf().get("candidates", 80))]:
        # a figure fact's own group first (its measure and subject), so that a speaker's
        # statement spanning two rounds does not split one funding history in two
        home = next((g for g in groups if c.key is not None and any(same_key(c, m) for m in g)), None) \
            or next((g for g in groups if any(same_fact(c, m) for m in g)), None)
        if home is None:
            groups.append([c])
        else:
            home.append(c)
    facts = []
    for g in groups:
        ids = list(dict.fromkeys(a for m in g for a in m.article_ids))
        lead = g[0]
        parts, n = _parts(run, lead, ids, max_weight)
        total = score(parts, lead.low) * _sentence_factor(lead)
        figs = pd.concat([m.figures for m in g]) if any(len(m.figures) for m in g) else lead.figures
        facts.append(Fact([m.claim for m in stated_order(run, g)], figs, lead.kind, round(total, 6),
                          parts, n, ids))
    facts.sort(key=lambda f: (-f.score, -f.n_sources, str(f.claim["claim_id"])))
    return facts

