"""Exact duplicates and rewrites between articles (the `derived_from` / `duplicate_of` columns).

Candidate article pairs come from TF-IDF top-k neighbours; sentences are compared only within
candidate pairs, so nothing is quadratic in the number of articles.
"""
from __future__ import annotations

import hashlib
import math
from collections import defaultdict
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import sparse

from newsbrief.link import vectors
from newsbrief.link.similarity import ARTICLE_SIM, SENT_SIM, TOP_K, normalise_text, topk_pairs

DERIVED_SIM = 0.2       # sentence similarity that counts as "paraphrased" for rewrites
DERIVED_COVERAGE = 0.45 # share of the derived article's sentences found in the source
DERIVED_ORDER = 0.7     # share of matched sentences in the same order


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
