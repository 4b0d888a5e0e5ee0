"""Cross-article linking: duplicates and rewrites, figure subjects, claims, disagreements, events.

Nothing here is quadratic in the number of articles:
* candidate article pairs come from TF-IDF top-k neighbours (sparse product in row chunks,
  keeping the k best per row), and sentences are compared only within candidate pairs;
* figures are blocked on (measure, unit, context) and clustered by a sort + sweep with
  value-tolerance rules; disagreements compare the clusters of one block;
* events are blocked on (date, date_end, precision) and linked by top-k sentence similarity.
"""
from __future__ import annotations

import hashlib
import math
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
import pandas as pd
from scipy import sparse

from newsbrief import knowledge, parallel, vectors

SENT_SIM = 0.3          # two sentences say the same thing
ARTICLE_SIM = 0.2       # candidate pair of articles
TOP_K = 8
DERIVED_SIM = 0.2       # sentence similarity that counts as "paraphrased" for rewrites
DERIVED_COVERAGE = 0.45 # share of the derived article's sentences found in the source
DERIVED_ORDER = 0.7     # share of matched sentences in the same order
POINT_TOL = 0.03
AROUND_TOL = 0.15
RANGE_TOL = 0.05
UPPER = {"under", "less than", "below", "up to", "at most", "no more than", "fewer than", "nearly",
         "almost"}
LOWER = {"more than", "over", "at least", "above", "upwards of", "in excess of"}
APPROX = {"around", "about", "approximately", "roughly", "some", "close to", "an estimated",
          "estimated", "nearly", "almost"}

CLAIM_COLUMNS = ["claim_id", "kind", "key", "summary", "label", "n_sources", "n_independent",
                 "article_ids", "article_id", "start", "end", "quote"]
SOURCE_COLUMNS = ["claim_id", "article_id", "start", "end", "quote", "independent"]
DISAGREEMENT_COLUMNS = ["disagreement_id", "side", "measure", "subject", "what", "value_text",
                        "article_id", "start", "end", "quote", "settle"]
EVENT_COLUMNS = ["event_id", "date", "date_end", "precision", "what", "who", "n_sources",
                 "article_ids", "article_id", "start", "end", "quote"]


# ---------------------------------------------------------------------------------------------
# Similarity helpers


def normalise_text(text: str) -> str:
    return " ".join(re.findall(r"[a-z0-9]+", text.lower()))


def topk_pairs(X: sparse.csr_matrix, k: int = TOP_K, threshold: float = 0.3,
               chunk: int = 1000, Y: sparse.csr_matrix | None = None,
               groups: np.ndarray | None = None):
    """Top-k neighbours of each row of X among rows of Y (default X), cosine >= threshold.

    Rows must be L2-normalised. The product is computed in chunks of rows so memory stays
    bounded; returns (rows, cols, sims) arrays, excluding self-pairs when Y is X.
    `groups` (only when Y is X): one label per row; only pairs within the same group count,
    so one product over several small blocks gives exactly the per-block results.
    """
    same = Y is None
    Y = X if Y is None else Y
    YT = Y.T.tocsr()
    bounds = [(lo, min(lo + chunk, X.shape[0])) for lo in range(0, X.shape[0], chunk)]
    state = dict(X=X, YT=YT, k=k, threshold=threshold, same=same, groups=groups)
    # large products: row chunks in worker processes (results concatenated in chunk order)
    n_workers = parallel.workers(X.shape[0], PARALLEL_MIN_ROWS)
    rows, cols, sims = [], [], []
    for r, c, v in parallel.run(_topk_chunk, bounds, n_workers, **state):
        rows += r
        cols += c
        sims += v
    if not rows:
        empty = np.array([], dtype=np.int64)
        return empty, empty, np.array([], dtype=np.float32)
    return np.concatenate(rows), np.concatenate(cols), np.concatenate(sims)


PARALLEL_MIN_ROWS = 3000   # topk_pairs: below this many rows the product runs in-process


def _topk_chunk(bounds: tuple[int, int]):
    """topk_pairs for rows lo..hi of X (inputs in parallel.STATE)."""
    st = parallel.STATE
    X, YT, k, threshold, same, groups = (st["X"], st["YT"], st["k"], st["threshold"], st["same"],
                                         st["groups"])
    lo, hi = bounds
    rows, cols, sims = [], [], []
    S = (X[lo:hi] @ YT).tocsr()
    S.data[S.data < threshold] = 0
    S.eliminate_zeros()
    for r in range(S.shape[0]):
        a, b = S.indptr[r], S.indptr[r + 1]
        if a == b:
            continue
        idx = S.indices[a:b]
        val = S.data[a:b]
        if same:
            keep = idx != lo + r
            if groups is not None:
                keep &= groups[idx] == groups[lo + r]
            idx, val = idx[keep], val[keep]
            if not len(idx):
                continue
        if len(val) > k:
            part = np.argpartition(-val, k - 1)[:k]
            idx, val = idx[part], val[part]
        rows.append(np.full(len(idx), lo + r))
        cols.append(idx)
        sims.append(val)
    if not rows:
        return [], [], []
    return [np.concatenate(rows)], [np.concatenate(cols)], [np.concatenate(sims)]


def _lists(df: pd.DataFrame, *columns: str) -> list[list]:
    """Columns as Python lists: iterating a list is much faster than iterating a (pyarrow
    string) column, and the values are the same."""
    return [df[c].tolist() for c in columns]


class _RowAccess:
    """Read-only `.at[row, col]` and `.loc[row][col]` for a DataFrame with a RangeIndex, on
    Python lists (pandas scalar access costs microseconds per call)."""

    def __init__(self, df: pd.DataFrame):
        self._cols = {c: df[c].tolist() for c in df.columns}
        self.at = self
        self.loc = _RowLoc(self._cols)

    def __getitem__(self, key):
        row, col = key
        return self._cols[col][row]

    def __len__(self) -> int:
        return len(next(iter(self._cols.values()), []))


class _RowLoc:
    def __init__(self, cols: dict):
        self._cols = cols

    def __getitem__(self, row):
        return {c: values[row] for c, values in self._cols.items()}


class _UnionFind:
    def __init__(self, n: int):
        self.parent = list(range(n))

    def find(self, a: int) -> int:
        while self.parent[a] != a:
            self.parent[a] = self.parent[self.parent[a]]
            a = self.parent[a]
        return a

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


# ---------------------------------------------------------------------------------------------
# (a) duplicates and rewrites


@dataclass
class SentenceIndex:
    """TF-IDF vectors of citable sentences and the sentence links between candidate articles."""
    sentences: pd.DataFrame
    X: sparse.csr_matrix | None
    links: list[tuple[int, int, float]] = field(default_factory=list)  # (row_i, row_j, sim)


def _citable(sentences: pd.DataFrame) -> pd.DataFrame:
    s = sentences[sentences["kind"] != "heading"].copy()
    s = s[s["quote"].str.count(r"[A-Za-z]{2,}") >= 5]
    return s.reset_index(drop=True)


def find_derived(articles: pd.DataFrame, sentences: pd.DataFrame,
                 figures: pd.DataFrame | None = None):
    """Exact duplicates and rewrites.

    Returns (relations, index): relations has article_id, duplicate_of, derived_from,
    derived_score (one row per article); index is the SentenceIndex with the sentence links
    found between candidate article pairs (reused for claims and events).
    """
    arts = articles[["article_id", "text"]].copy()
    arts["published"] = articles["published"] if "published" in articles else ""
    arts = arts.sort_values(["article_id"]).reset_index(drop=True)
    rel = {a: {"duplicate_of": "", "derived_from": "", "derived_score": 0.0}
           for a in arts["article_id"]}
    # exact duplicates: same normalised text; the first published (then first id) is kept
    digest = arts["text"].map(lambda t: hashlib.sha1(normalise_text(t).encode()).hexdigest())
    arts["_digest"] = digest
    order = arts.assign(_p=arts["published"].replace("", "9999")).sort_values(["_p", "article_id"])
    first_of: dict[str, str] = {}
    for aid, dig in zip(order["article_id"], order["_digest"]):
        if dig in first_of:
            rel[aid]["duplicate_of"] = first_of[dig]
        else:
            first_of[dig] = aid
    unique_ids = [a for a in arts["article_id"] if not rel[a]["duplicate_of"]]
    sents = _citable(sentences[sentences["article_id"].isin(unique_ids)])
    index = SentenceIndex(sents, None)
    if len(unique_ids) < 2 or len(sents) < 2:
        return _relations_frame(rel), index
    try:
        X = vectors.tfidf(sents["quote"].tolist())
    except ValueError:
        return _relations_frame(rel), index
    index.X = X
    aid_codes = {a: i for i, a in enumerate(unique_ids)}
    sent_article = sents["article_id"].map(aid_codes).to_numpy()
    # article vectors = normalised sum of sentence vectors (same vocabulary)
    A = sparse.csr_matrix((np.ones(len(sents), dtype=np.float32),
                           (sent_article, np.arange(len(sents)))),
                          shape=(len(unique_ids), len(sents))) @ X
    norms = np.sqrt(np.asarray(A.multiply(A).sum(axis=1)).ravel())
    norms[norms == 0] = 1
    A = sparse.diags(1 / norms) @ A
    r, c, _ = topk_pairs(A.tocsr(), k=TOP_K, threshold=ARTICLE_SIM)
    pairs = sorted({(min(a, b), max(a, b)) for a, b in zip(r.tolist(), c.tolist())})
    rows_of: dict[int, np.ndarray] = defaultdict(lambda: np.array([], dtype=np.int64))
    order_idx = np.argsort(sent_article, kind="stable")
    bounds = np.searchsorted(sent_article[order_idx], np.arange(len(unique_ids) + 1))
    for i in range(len(unique_ids)):
        rows_of[i] = order_idx[bounds[i]:bounds[i + 1]]
    fig_keys = _figure_keys(figures)
    published = dict(zip(arts["article_id"], arts["published"].fillna("")))
    lengths = dict(zip(arts["article_id"], arts["text"].str.len()))
    # one sparse product per article against all its candidate partners (pairs are sorted by
    # (a, b), so the order of links and updates is the same as pair by pair)
    partners: dict[int, list[int]] = defaultdict(list)
    for a, b in pairs:
        if len(rows_of[a]) and len(rows_of[b]):
            partners[a].append(b)

    def pair_blocks():
        # Several articles per sparse product (fewer, larger products): rows = their sentences,
        # columns = the sentences of each one's partners. An entry of a sparse product does not
        # depend on the other rows/columns, so the values are exactly those of one product per
        # pair. Links and sentence coverage are computed for all pairs of the group at once;
        # yields (a, b, block, cov_a, cov_b) for the pairs that reach DERIVED_COVERAGE.
        group: list[int] = []
        n_cols = 0
        for pos, (a, bs) in enumerate(partners.items()):
            group.append(a)
            n_cols += sum(len(rows_of[b]) for b in bs)
            if n_cols < 800 and pos < len(partners) - 1:
                continue
            rows = np.concatenate([rows_of[g] for g in group])
            cols = np.concatenate([rows_of[b] for g in group for b in partners[g]])
            S_all = (X[rows] @ X[cols].T).toarray()
            n_a = np.array([len(rows_of[g]) for g in group])
            r_starts = np.concatenate([[0], np.cumsum(n_a)[:-1]])
            pair_a = [(k, g, b) for k, g in enumerate(group) for b in partners[g]]
            n_b = np.array([len(rows_of[b]) for _, _, b in pair_a])
            c_starts = np.concatenate([[0], np.cumsum(n_b)[:-1]])
            pair_g = np.array([k for k, _, _ in pair_a])
            row_owner = np.repeat(np.arange(len(group)), n_a)
            col_block = np.repeat(np.arange(len(pair_a)), n_b)
            col_owner = pair_g[col_block]
            # links (>= SENT_SIM) inside each pair's block, in pair order, then row-major
            ii, jj = np.nonzero(S_all >= SENT_SIM)
            keep = row_owner[ii] == col_owner[jj]
            ii, jj = ii[keep], jj[keep]
            if len(ii):
                order = np.lexsort((jj, ii, col_block[jj]))
                ii, jj = ii[order], jj[order]
                index.links.extend(zip(rows[ii].tolist(), cols[jj].tolist(), S_all[ii, jj].tolist()))
            # share of each side's sentences with a match >= DERIVED_SIM in the other article
            best_rows = np.maximum.reduceat(S_all, c_starts, axis=1) >= DERIVED_SIM   # R x P
            best_cols = np.maximum.reduceat(S_all, r_starts, axis=0) >= DERIVED_SIM   # G x C
            hits_a = np.add.reduceat(best_rows.astype(np.int64), r_starts, axis=0)    # G x P
            hits_b = np.add.reduceat(best_cols.astype(np.int64), c_starts, axis=1)    # G x P
            p_idx = np.arange(len(pair_a))
            cov_a = hits_a[pair_g, p_idx] / n_a[pair_g]
            cov_b = hits_b[pair_g, p_idx] / n_b
            for p in np.nonzero(np.maximum(cov_a, cov_b) >= DERIVED_COVERAGE)[0].tolist():
                k, g, b = pair_a[p]
                r0, c0 = int(r_starts[k]), int(c_starts[p])
                block = S_all[r0:r0 + int(n_a[k]), c0:c0 + int(n_b[p])]
                yield g, b, block, float(cov_a[p]), float(cov_b[p])
            group, n_cols = [], 0

    for a, b, S, cov_a, cov_b in pair_blocks():
        ida, idb = unique_ids[a], unique_ids[b]
        derived, source = _direction(ida, idb, published, lengths)
        Sd = S if derived == ida else S.T
        cov = cov_a if derived == ida else cov_b
        matched = np.nonzero(Sd.max(axis=1) >= DERIVED_SIM)[0]
        seq = Sd[matched].argmax(axis=1).tolist()
        order_share = _lis(seq) / max(1, len(seq))
        fa, fb = fig_keys.get(derived, set()), fig_keys.get(source, set())
        fig_share = len(fa & fb) / len(fa) if fa else 1.0
        if order_share < DERIVED_ORDER or fig_share < 0.6 or cov < DERIVED_COVERAGE * 0.8:
            continue
        score = round(cov * order_share, 4)
        if score > rel[derived]["derived_score"]:
            rel[derived]["derived_from"] = source
            rel[derived]["derived_score"] = score
    # no cycles: if a<-b and b<-a, keep the stronger
    for aid, info in rel.items():
        src = info["derived_from"]
        if src and rel[src]["derived_from"] == aid:
            weaker = aid if info["derived_score"] < rel[src]["derived_score"] else src
            if info["derived_score"] == rel[src]["derived_score"]:
                weaker = max(aid, src)
            rel[weaker]["derived_from"] = ""
            rel[weaker]["derived_score"] = 0.0
    return _relations_frame(rel), index


def _direction(a: str, b: str, published: dict, lengths: dict) -> tuple[str, str]:
    """(derived, source): the later-dated article; an undated one rewrites a dated one;
    otherwise the shorter text is the rewrite (rewrites condense), then the larger id."""
    pa, pb = published.get(a, ""), published.get(b, "")
    if pa and pb and pa != pb:
        return (a, b) if pa > pb else (b, a)
    if bool(pa) != bool(pb):
        return (a, b) if not pa else (b, a)
    la, lb = lengths.get(a, 0), lengths.get(b, 0)
    if la != lb:
        return (a, b) if la < lb else (b, a)
    return (max(a, b), min(a, b))


def _relations_frame(rel: dict) -> pd.DataFrame:
    return pd.DataFrame([{"article_id": a, **v} for a, v in sorted(rel.items())],
                        columns=["article_id", "duplicate_of", "derived_from", "derived_score"])


def _lis(seq: list[int]) -> int:
    import bisect
    tails: list[int] = []
    for x in seq:
        i = bisect.bisect_right(tails, x)
        if i == len(tails):
            tails.append(x)
        else:
            tails[i] = x
    return len(tails)


def _figure_keys(figures) -> dict[str, set]:
    out: dict[str, set] = defaultdict(set)
    if figures is None or len(figures) == 0:
        return out
    for aid, measure, unit, value in zip(figures["article_id"], figures["measure"],
                                         figures["unit"], figures["value"]):
        out[aid].add((measure, unit, _round_sig(value)))
    return out


def _round_sig(v: float, sig: int = 2) -> float:
    if not v or not math.isfinite(v):
        return 0.0
    return round(v, -int(math.floor(math.log10(abs(v)))) + sig - 1)


# ---------------------------------------------------------------------------------------------
# (b) figure subjects

SUBJECT_KINDS = {"model": 0, "company": 1, "person": 2, "product": 3, "organisation": 4}
# A figure used as a modifier ("the half-trillion-dollar Stargate Project", "a $10 billion
# Azure deal") is about the name right after it, of any of these kinds.
MODIFIED_KINDS = {**SUBJECT_KINDS, "programme": 5, "government": 6, "chip": 7}
MODIFIER_GAP = 2     # characters (spaces) allowed between the figure and the name it modifies


def attach_subjects(figures: pd.DataFrame, mentions: pd.DataFrame) -> pd.DataFrame:
    """Fill figures.subject with the nearest model/company/person mention in the same sentence.

    A name right after the figure is what the figure modifies, so it is the subject ("the
    half-trillion-dollar Stargate Project" -> Stargate Project). Otherwise mentions before the
    figure count at their distance, mentions after it at twice the distance ("R1 ... is 20
    times cheaper than o1" -> R1).
    """
    figures = figures.copy()
    if figures.empty or mentions is None or mentions.empty:
        return figures
    by_sent: dict[str, list] = defaultdict(list)
    for sid, s, e, name, kind in zip(*_lists(mentions, "sentence_id", "start", "end", "name", "kind")):
        if kind in MODIFIED_KINDS:
            by_sent[sid].append((int(s), int(e), name, kind))
    subjects = []
    for sid, ms, me, subj in zip(*_lists(figures, "sentence_id", "mention_start", "mention_end",
                                         "subject")):
        if subj:
            subjects.append(subj)
            continue
        candidates = by_sent.get(sid, [])
        modified = [name for s, _e, name, _k in candidates if me <= s <= me + MODIFIER_GAP]
        if modified:
            subjects.append(modified[0])
            continue
        best, best_score = "", None
        for s, e, name, kind in candidates:
            if kind not in SUBJECT_KINDS:
                continue
            if e <= ms:
                dist = ms - e
            elif s >= me:
                dist = 2 * (s - me)
            else:
                continue
            score = (dist, SUBJECT_KINDS[kind])
            if best_score is None or score < best_score:
                best, best_score = name, score
        subjects.append(best)
    figures["subject"] = subjects
    return figures


# ---------------------------------------------------------------------------------------------
# (c) claims and (d) disagreements


@dataclass
class _Fig:
    row: int
    article_id: str
    lo: float
    hi: float
    is_range: bool
    low: float
    high: float


def interval(low: float, high: float, qualifier: str) -> tuple[float, float, bool]:
    """Value interval a figure allows, and whether it is an exact range ("20 to 50")."""
    q = (qualifier or "").lower().strip()
    if q in UPPER and q not in APPROX:
        return 0.0, high, False
    if q in LOWER:
        return low, math.inf, False
    if q in ("nearly", "almost"):
        return low * (1 - AROUND_TOL), high, False
    if q in APPROX:
        return low * (1 - AROUND_TOL), high * (1 + AROUND_TOL), False
    if high > low:
        return low, high, True
    return low * (1 - POINT_TOL), high * (1 + POINT_TOL), False


def compatible(a: tuple[float, float, float, float, str], b: tuple[float, float, float, float, str]) -> bool:
    """Do two figures (value, low, high, qualifier) agree? Exact ranges must match end to end."""
    la, ha, ra = interval(a[1], a[2], a[3])
    lb, hb, rb = interval(b[1], b[2], b[3])
    if ra and rb:
        return _close(a[1], b[1], RANGE_TOL) and _close(a[2], b[2], RANGE_TOL)
    return la <= hb and lb <= ha


def _close(x: float, y: float, tol: float) -> bool:
    return abs(x - y) <= tol * max(abs(x), abs(y), 1e-12)


def _cluster_block(figs: list[_Fig]) -> list[list[_Fig]]:
    """Greedy clustering of one block: exact ranges first, then points, then bounds.

    A cluster keeps the intersection of its non-range members' intervals and (at most) one
    exact range; a figure joins the first recent cluster it is compatible with.
    """
    def specificity(f: _Fig):
        bounded = f.lo > 0 and math.isfinite(f.hi)
        return (0 if f.is_range else (1 if bounded else 2), f.lo, f.row)

    clusters: list[dict] = []
    for f in sorted(figs, key=specificity):
        home = None
        for cl in reversed(clusters[-50:]):
            if f.is_range:
                if cl["range"] is not None:
                    ok = (_close(f.low, cl["range"][0], RANGE_TOL)
                          and _close(f.high, cl["range"][1], RANGE_TOL))
                else:
                    ok = f.low <= cl["hi"] and cl["lo"] <= f.high
            else:
                ok = f.lo <= cl["hi"] and cl["lo"] <= f.hi
                if ok and cl["range"] is not None:
                    ok = f.lo <= cl["range"][1] and cl["range"][0] <= f.hi
            if ok:
                home = cl
                break
        if home is None:
            home = {"members": [], "range": None, "lo": -math.inf, "hi": math.inf}
            clusters.append(home)
        home["members"].append(f)
        if f.is_range:
            home["range"] = home["range"] or (f.low, f.high)
        else:
            home["lo"], home["hi"] = max(home["lo"], f.lo), min(home["hi"], f.hi)
    return [cl["members"] for cl in clusters]


_CHIP_RE = None


def chip_name(text: str) -> str:
    """Chip family named in a figure's item/mention ("Nvidia A100 chips" -> "A100"), or ""."""
    global _CHIP_RE
    if _CHIP_RE is None:
        pats = (knowledge.load("entities").get("patterns") or {}).get("chip") or []
        _CHIP_RE = [re.compile(p["regex"]) for p in pats]
    for rx in _CHIP_RE:
        m = rx.search(text or "")
        if m:
            return (m.group(1) if m.groups() else m.group(0)).upper().replace(" ", "")
    return ""


def _context(statements: pd.DataFrame | None, sentences_text: dict[str, str]) -> dict[str, str]:
    """sentence_id -> 'allegation' when the sentence carries an allegation, else 'fact'."""
    cues = [c.lower() for c in knowledge.load("stance")["allegation_cues"]]
    out = {sid: ("allegation" if any(c in q.lower() for c in cues) else "fact")
           for sid, q in sentences_text.items()}
    if statements is not None and len(statements):
        for sid, stance in zip(statements["sentence_id"], statements["stance"]):
            if stance == "allegation":
                out[sid] = "allegation"
    return out


def _independent_flags(article_ids: list[str], origin: dict[str, str]) -> dict[str, bool]:
    """A source is not independent if the article it copies or rewrites is also a source."""
    present = set(article_ids)
    flags = {}
    for a in article_ids:
        root = origin.get(a, "")
        flags[a] = not (root and root in present and root != a)
    return flags


def _value_text(fig: pd.Series) -> str:
    return str(fig["mention"])


def link_claims(figures: pd.DataFrame, statements: pd.DataFrame, relations: pd.DataFrame,
                index: SentenceIndex | None = None, entities: pd.DataFrame | None = None,
                company: str = "") -> dict:
    """Claims from figures (blocked on measure/unit/context, clustered by value) and statements
    (linked by sentence similarity and speaker).

    Returns dict with `claims`, `claim_sources` and `_figure_clusters` (internal, used by
    find_disagreements).
    """
    origin = {}
    for aid, dup, der in zip(relations["article_id"], relations["duplicate_of"],
                             relations["derived_from"]):
        origin[aid] = dup or der
    sent_text = {}
    if figures is not None and len(figures):
        sent_text.update(dict(zip(figures["sentence_id"], figures["quote"])))
    context = _context(statements, sent_text)
    claims, sources = [], []
    fig_clusters = []
    stance_by_sentence: dict[str, set] = defaultdict(set)
    evidence_by_sentence: dict[str, set] = defaultdict(set)
    if statements is not None and len(statements):
        for sid, st, ev in zip(*_lists(statements, "sentence_id", "stance", "evidence")):
            stance_by_sentence[sid].add(st)
            evidence_by_sentence[sid].add(ev)
    if figures is not None and len(figures):
        f = figures.reset_index(drop=True)
        frecs = f.to_dict("records")
        blocks: dict[tuple, list[_Fig]] = defaultdict(list)
        for i, row in enumerate(f.itertuples(index=False)):
            measure = row.measure or f"{row.kind}"
            lo, hi, is_range = interval(float(row.low), float(row.high), row.qualifier)
            blocks[(measure, row.unit, context.get(row.sentence_id, "fact"))].append(
                _Fig(i, row.article_id, lo, hi, is_range, float(row.low), float(row.high)))
        for key in sorted(blocks):
            for members in _cluster_block(blocks[key]):
                fig_clusters.append((key, members))
        for n, (key, members) in enumerate(sorted(fig_clusters, key=lambda km: (km[0], min(m.row for m in km[1])))):
            rows = [frecs[m.row] for m in sorted(members, key=lambda m: m.row)]
            claims_id = f"c{n + 1:05d}"
            _add_claim(claims, sources, claims_id, "figure", key, rows, origin, stance_by_sentence,
                       evidence_by_sentence, summary=_figure_summary(key, rows))
    n_fig = len(claims)
    if statements is not None and len(statements):
        st = statements.reset_index(drop=True)
        uf = _UnionFind(len(st))
        speakers = st["speaker"].tolist()
        if index is not None and index.X is not None and index.links:
            sid_to_row = {sid: i for i, sid in enumerate(index.sentences["sentence_id"])}
            by_sid: dict[str, list[int]] = defaultdict(list)
            for i, sid in enumerate(st["sentence_id"]):
                by_sid[sid].append(i)
            row_sid = index.sentences["sentence_id"].tolist()
            for a, b, _ in index.links:
                for i in by_sid.get(row_sid[a], []):
                    for j in by_sid.get(row_sid[b], []):
                        if speakers[i] == speakers[j]:
                            uf.union(i, j)
        groups: dict[int, list[int]] = defaultdict(list)
        for i in range(len(st)):
            groups[uf.find(i)].append(i)
        srecs = st.to_dict("records")
        for k, root in enumerate(sorted(groups)):
            rows = sorted((srecs[i] for i in groups[root]), key=lambda r: (r["article_id"], int(r["start"])))
            first = rows[0]
            key = f"{first['speaker']}|{first['stance']}"
            summary = f"{first['speaker']} ({first['stance']}): {first['content'][:160]}"
            _add_claim(claims, sources, f"c{n_fig + k + 1:05d}", "statement", key, rows, origin,
                       stance_by_sentence, evidence_by_sentence, summary=summary)
    claims_df = pd.DataFrame(claims, columns=CLAIM_COLUMNS)
    sources_df = pd.DataFrame(sources, columns=SOURCE_COLUMNS)
    return {"claims": claims_df, "claim_sources": sources_df, "_figure_clusters": fig_clusters}


def _figure_summary(key, rows: list[dict]) -> str:
    measure, unit, ctx = key
    values = sorted({r["mention"] for r in rows})
    subj = Counter(r["subject"] for r in rows if r["subject"]).most_common(1)
    about = f" ({subj[0][0]})" if subj else ""
    prefix = "alleged " if ctx == "allegation" else ""
    return f"{prefix}{measure.replace('_', ' ')}{about}: " + "; ".join(values[:4])


def _add_claim(claims, sources, claim_id, kind, key, rows, origin, stance_by_sentence,
               evidence_by_sentence, summary) -> None:
    """Append one claim and its sources; `rows` is a list of dicts (figure or statement rows)."""
    rows = sorted(rows, key=lambda r: (r["article_id"], int(r["start"])))
    per_article, seen = [], set()
    for r in rows:
        k = (r["article_id"], int(r["start"]), int(r["end"]))
        if k not in seen:
            seen.add(k)
            per_article.append(r)
    article_ids = sorted({r["article_id"] for r in per_article})
    flags = _independent_flags(article_ids, origin)
    stances, evid = set(), set()
    for r in rows:
        stances |= stance_by_sentence.get(r["sentence_id"], set())
        evid |= evidence_by_sentence.get(r["sentence_id"], set())
        if "stance" in r:
            stances.add(r["stance"])
        if "evidence" in r:
            evid.add(r["evidence"])
    n_ind = sum(flags.values())
    if "allegation" in stances and "not_offered" in evid:
        label = "allegation_no_evidence"
    elif stances and stances <= {"company_claim"}:
        label = "company_claim"
    elif n_ind >= 2:
        label = "multi_source"
    else:
        label = "single_source"
    first = per_article[0]
    claims.append({
        "claim_id": claim_id, "kind": kind,
        "key": "|".join(map(str, key)) if isinstance(key, tuple) else str(key),
        "summary": summary, "label": label, "n_sources": len(article_ids),
        "n_independent": int(n_ind), "article_ids": ";".join(article_ids),
        "article_id": first["article_id"], "start": int(first["start"]), "end": int(first["end"]),
        "quote": first["quote"],
    })
    for r in per_article:
        sources.append({"claim_id": claim_id, "article_id": r["article_id"], "start": int(r["start"]),
                        "end": int(r["end"]), "quote": r["quote"],
                        "independent": bool(flags[r["article_id"]])})


def _subject_kinds(entities: pd.DataFrame | None) -> dict[str, str]:
    if entities is None or entities.empty:
        return {}
    return dict(zip(entities["name"], entities["kind"]))


def _subjects_compatible(a: str, b: str, kinds: dict[str, str], company: str) -> bool:
    if not a or not b or a == b:
        return True
    ka, kb = kinds.get(a, ""), kinds.get(b, "")
    if company and (a == company or b == company):
        return True
    if ka in ("model", "person") and kb in ("model", "person"):
        return False
    if ka in ("company", "organisation") and kb in ("company", "organisation"):
        return False
    return True


@lru_cache(maxsize=None)
def _settle_templates() -> dict:
    return knowledge.load("stance").get("settle") or {}


def find_disagreements(figures: pd.DataFrame, linked: dict, entities: pd.DataFrame | None = None,
                       company: str = "", claims: pd.DataFrame | None = None) -> pd.DataFrame:
    """Incompatible values of the same quantity (or the same count of different chip families)
    across articles. Two sides, each with its quotes, and a `settle` sentence from stance.yml.
    """
    kinds = _subject_kinds(entities)
    templates = _settle_templates()
    f = figures.reset_index(drop=True) if figures is not None else pd.DataFrame()
    f = _RowAccess(f)   # f.at[row, col] / f.loc[row][col] on plain lists (fast scalar access)
    rows_out = []
    n = 0
    by_block: dict[tuple, list[list[_Fig]]] = defaultdict(list)
    for key, members in linked.get("_figure_clusters", []):
        by_block[key].append(members)
    found = []
    stance_kb = knowledge.load("stance")
    strict = set(stance_kb.get("same_fact_measures") or [])
    strict_sim = float(stance_kb.get("same_fact_similarity", 0.35))
    for key in sorted(by_block):
        measure, unit, ctx = key
        clusters = by_block[key]
        # (1) numeric: the two best-supported clusters with different articles
        ranked = sorted(clusters, key=lambda c: (-len({m.article_id for m in c}), min(m.row for m in c)))
        pair = None
        for i in range(len(ranked)):
            for j in range(i + 1, min(len(ranked), i + 6)):
                A, B = ranked[i], ranked[j]
                arts_a = {m.article_id for m in A}
                arts_b = {m.article_id for m in B}
                if not (arts_b - arts_a) or not (arts_a - arts_b):
                    continue
                sa = _main_subject(f, A)
                sb = _main_subject(f, B)
                if not _subjects_compatible(sa, sb, kinds, company):
                    continue
                if measure in strict and not _same_fact(f, A, B, strict_sim):
                    continue
                pair = (A, B, "value")
                break
            if pair:
                break
        if pair:
            found.append((key, pair))
        # (2) attribute: same count, different chip family
        for c in clusters:
            fam: dict[str, list[_Fig]] = defaultdict(list)
            for m in c:
                chip = chip_name(f.at[m.row, "item"] or f.at[m.row, "mention"])
                if chip:
                    fam[chip].append(m)
            if len(fam) >= 2:
                ranked_f = sorted(fam.values(), key=lambda g: (-len({m.article_id for m in g}), min(m.row for m in g)))
                A, B = ranked_f[0], ranked_f[1]
                if {m.article_id for m in A} != {m.article_id for m in B}:
                    found.append((key, (A, B, "item")))
    for key, (A, B, what_kind) in found:
        n += 1
        measure, unit, ctx = key
        did = f"d{n:03d}"
        subject = _main_subject(f, A) or _main_subject(f, B) or company
        if what_kind == "item":
            va = chip_name(f.at[A[0].row, "item"] or f.at[A[0].row, "mention"])
            vb = chip_name(f.at[B[0].row, "item"] or f.at[B[0].row, "mention"])
            what = f"{measure.replace('_', ' ')}: which chips ({va} or {vb})"
        else:
            va, vb = f.at[A[0].row, "mention"], f.at[B[0].row, "mention"]
            what = f"{measure.replace('_', ' ')}: {va} vs {vb}"
        tmpl = templates.get(measure) or templates.get("default") or "Check the primary source."
        settle = tmpl.format(measure=measure.replace("_", " "), a=va, b=vb, subject=subject)
        for side, group in (("A", A), ("B", B)):
            seen = set()
            for m in sorted(group, key=lambda m: (m.article_id, m.row)):
                r = f.loc[m.row]
                if (r["article_id"], r["start"]) in seen:
                    continue
                seen.add((r["article_id"], r["start"]))
                rows_out.append({"disagreement_id": did, "side": side, "measure": measure,
                                 "subject": subject, "what": what,
                                 "value_text": str(r["mention"]), "article_id": r["article_id"],
                                 "start": int(r["start"]), "end": int(r["end"]),
                                 "quote": r["quote"], "settle": settle})
    return pd.DataFrame(rows_out, columns=DISAGREEMENT_COLUMNS)


def _same_fact(f: pd.DataFrame, A: list[_Fig], B: list[_Fig], threshold: float) -> bool:
    qa = [f.at[m.row, "quote"] for m in A[:20]]
    qb = [f.at[m.row, "quote"] for m in B[:20]]
    try:
        X = vectors.tfidf(qa + qb)
    except ValueError:
        return False
    S = (X[:len(qa)] @ X[len(qa):].T).toarray()
    return bool(S.max() >= threshold)


def _main_subject(f: pd.DataFrame, members: list[_Fig]) -> str:
    subj = Counter(f.at[m.row, "subject"] for m in members if f.at[m.row, "subject"])
    return subj.most_common(1)[0][0] if subj else ""


def mark_disputed(claims: pd.DataFrame, claim_sources: pd.DataFrame,
                  disagreements: pd.DataFrame) -> pd.DataFrame:
    """Label figure claims whose sources appear in a disagreement as `disputed`."""
    if disagreements.empty or claims.empty:
        return claims
    spans = set(zip(disagreements["article_id"], disagreements["start"]))
    disputed = {cid for cid, a, s in zip(claim_sources["claim_id"], claim_sources["article_id"],
                                         claim_sources["start"]) if (a, s) in spans}
    claims = claims.copy()
    mask = claims["claim_id"].isin(disputed) & (claims["kind"] == "figure")
    claims.loc[mask, "label"] = "disputed"
    return claims


# ---------------------------------------------------------------------------------------------
# (e) events


def build_events(dates: pd.DataFrame, sentences: pd.DataFrame, mentions: pd.DataFrame | None,
                 threshold: float = 0.25) -> pd.DataFrame:
    """Merge date mentions into events: same (date, date_end, precision) and similar sentence."""
    if dates is None or dates.empty:
        return pd.DataFrame(columns=EVENT_COLUMNS)
    d = dates.sort_values(["date", "precision", "article_id", "mention_start"], kind="stable").reset_index(drop=True)
    try:
        X = vectors.tfidf(d["quote"].tolist())
    except ValueError:
        X = None
    uf = _UnionFind(len(d))
    keys = list(zip(d["date"], d["date_end"], d["precision"]))
    blocks: dict[tuple, list[int]] = defaultdict(list)
    for i, k in enumerate(keys):
        blocks[k].append(i)
    # One product per batch of blocks (rows grouped block by block, pairs masked to the same
    # block) instead of one per block: same pairs, far fewer sparse operations.
    batch: list[int] = []
    labels: list[int] = []
    multi = [idx for idx in blocks.values() if len(idx) >= 2] if X is not None else []
    for n_block, idx in enumerate(multi):
        batch.extend(idx)
        labels.extend([n_block] * len(idx))
        if len(batch) >= 512 or n_block == len(multi) - 1:
            r, c, _ = topk_pairs(X[batch], k=TOP_K, threshold=threshold,
                                 groups=np.asarray(labels))
            for a, b in zip(r.tolist(), c.tolist()):
                uf.union(batch[a], batch[b])
            batch, labels = [], []
    who_by_sentence: dict[str, list[str]] = defaultdict(list)
    if mentions is not None and len(mentions):
        for sid, name, kind in zip(*_lists(mentions, "sentence_id", "name", "kind")):
            if kind in ("person", "company", "government", "organisation") and name not in who_by_sentence[sid]:
                who_by_sentence[sid].append(name)
    groups: dict[int, list[int]] = defaultdict(list)
    for i in range(len(d)):
        groups[uf.find(i)].append(i)
    rows = []
    col = {c: d[c].tolist() for c in ("article_id", "mention_start", "date", "date_end",
                                       "precision", "sentence_id", "start", "end", "quote")}
    aids, mstarts = col["article_id"], col["mention_start"]
    for root in sorted(groups):
        members = groups[root]
        # representative: first by (article_id, mention_start), ties by row (a stable sort)
        i = min(members, key=lambda j: (aids[j], mstarts[j], j))
        arts = sorted({aids[j] for j in members})
        quote = col["quote"][i]
        what = re.sub(r"\s+", " ", quote).strip()
        if len(what) > 160:
            what = what[:157].rsplit(" ", 1)[0] + "…"
        rows.append({"date": col["date"][i], "date_end": col["date_end"][i],
                     "precision": col["precision"][i],
                     "what": what, "who": "; ".join(who_by_sentence.get(col["sentence_id"][i], [])[:3]),
                     "n_sources": len(arts), "article_ids": ";".join(arts),
                     "article_id": aids[i], "start": int(col["start"][i]),
                     "end": int(col["end"][i]), "quote": quote})
    rows.sort(key=lambda r: (r["date"], r["date_end"], r["article_id"], r["start"]))
    for i, r in enumerate(rows):
        r["event_id"] = f"e{i + 1:04d}"
    return pd.DataFrame(rows, columns=EVENT_COLUMNS)
