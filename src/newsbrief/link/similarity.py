"""Similarity helpers shared by the linkers: text normalisation, top-k cosine neighbours, union-find.

Nothing here is quadratic in its input: `topk_pairs` computes the product in row chunks
(in worker processes for large inputs) and keeps the k best neighbours of each row.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import sparse

from newsbrief import parallel

SENT_SIM = 0.3          # two sentences say the same thing
ARTICLE_SIM = 0.2       # candidate pair of articles
TOP_K = 8


# every byte but a-z and 0-9 -> space; a non-ASCII character's UTF-8 bytes are all >= 0x80
_TOKEN_BYTES = bytes(b if b in b"abcdefghijklmnopqrstuvwxyz0123456789" else 32 for b in range(256))


def normalise_text(text: str) -> str:
    """The runs of a-z/0-9 of the lower-cased text, joined by single spaces (what
    " ".join(re.findall(r"[a-z0-9]+", text.lower())) gives, 3.5x faster on 10,000 articles:
    0.39 s instead of 1.36 s; one call per article when looking for exact duplicates)."""
    return b" ".join(text.lower().encode("utf-8", "surrogatepass").translate(_TOKEN_BYTES).split()).decode("ascii")


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
    dense = _dense_operands(X, YT, same)
    if dense is not None:
        X, YT = dense
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
# Sparse x dense instead of sparse x sparse when the product is nearly dense (many texts sharing
# a vocabulary): at 10,000 generated articles one 1,000-row chunk of the article product took
# 1.69 s of CPU sparse x sparse and 0.77 s sparse x dense. Per multiply-add, sparse x sparse
# (which also counts its output first) cost about 8x as much, so dense is chosen when it does
# less than DENSE_ADVANTAGE x the multiply-adds, and only while the dense operand stays small.
DENSE_ADVANTAGE = 4
DENSE_MAX_BYTES = 256 * 1024 * 1024


def _dense_operands(X: sparse.csr_matrix, YT: sparse.csr_matrix,
                    same: bool) -> tuple[sparse.csr_matrix, np.ndarray] | None:
    """(X without the terms that cannot pair two rows, the matching rows of YT as a dense array)
    when a sparse x dense product is cheaper, else None.

    Values are bit-identical to the sparse x sparse product: both add the terms of an X row in
    its stored order, in float32, and a dropped term only ever added +0.0 to a pair (it is absent
    from Y, absent from X, or, when Y is X, in one row only: a self-pair, which is skipped).
    """
    in_y = np.diff(YT.indptr)
    in_x = np.bincount(X.indices, minlength=YT.shape[0])
    kept = (in_y >= (2 if same else 1)) & (in_x > 0)
    n_kept = int(kept.sum())
    entry_kept = kept[X.indices]
    dense_madds = int(entry_kept.sum()) * YT.shape[1]
    sparse_madds = int(in_y[X.indices].sum())
    if (n_kept * YT.shape[1] * YT.dtype.itemsize > DENSE_MAX_BYTES
            or dense_madds >= DENSE_ADVANTAGE * sparse_madds):
        return None
    position = np.cumsum(kept) - 1
    row_of_entry = np.repeat(np.arange(X.shape[0]), np.diff(X.indptr))
    indptr = np.concatenate([[0], np.cumsum(np.bincount(row_of_entry[entry_kept], minlength=X.shape[0]))])
    X_kept = sparse.csr_matrix((X.data[entry_kept], position[X.indices[entry_kept]], indptr),
                               shape=(X.shape[0], n_kept))
    return X_kept, YT[np.flatnonzero(kept)].toarray()


def _topk_chunk(bounds: tuple[int, int]):
    """topk_pairs for rows lo..hi of X (inputs in parallel.STATE)."""
    st = parallel.STATE
    X, YT, k, threshold, same, groups = (st["X"], st["YT"], st["k"], st["threshold"], st["same"],
                                         st["groups"])
    lo, hi = bounds
    rows, cols, sims = [], [], []
    for r, idx, val in _rows_at_threshold(X[lo:hi] @ YT, threshold):
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


def _rows_at_threshold(S, threshold: float):
    """(row, columns, values) of each row of the product S (sparse or dense) with a value >=
    threshold; a sparse product holds no exact zeros, so neither does a dense one's selection."""
    if isinstance(S, np.ndarray):
        hit = S >= threshold
        if threshold <= 0:
            hit &= S != 0
        for r in range(S.shape[0]):
            idx = np.flatnonzero(hit[r])
            if len(idx):
                yield r, idx, S[r, idx]
        return
    S = S.tocsr()
    S.data[S.data < threshold] = 0
    S.eliminate_zeros()
    for r in range(S.shape[0]):
        a, b = S.indptr[r], S.indptr[r + 1]
        if a != b:
            yield r, S.indices[a:b], S.data[a:b]


def column_lists(df: pd.DataFrame, *columns: str) -> list[list]:
    """Columns as Python lists: iterating a list is much faster than iterating a (pyarrow
    string) column, and the values are the same."""
    return [df[c].tolist() for c in columns]


class UnionFind:
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
