"""TF-IDF vectors of short texts, for cosine similarity between sentences and articles.

The linker needs only this: tokens of two or more ASCII letters/digits, lower-cased, English stop
words (data/knowledge/stop_words.yml) dropped, sublinear term frequency (1 + ln tf), smoothed
idf (ln((1 + n) / (1 + df)) + 1), rows scaled to unit length. It gives the same matrix as
scikit-learn's ``TfidfVectorizer(stop_words="english", sublinear_tf=True)`` with that token
pattern, without importing scikit-learn (about 2.5 s of start-up on a 2-core machine, paid by
every build).
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING, Sequence

import numpy as np

from newsbrief import knowledge

if TYPE_CHECKING:
    from scipy import sparse

# Runs of 2+ ASCII letters/digits between non-word characters: scikit-learn's \b[a-zA-Z0-9]{2,}\b
# (\b is Unicode-aware, so "café" and "Zürich" yield no token), written with look-arounds,
# which the regex engine scans twice as fast.
_TOKEN = re.compile(r"(?<!\w)[a-zA-Z0-9]{2,}(?!\w)")


@lru_cache(maxsize=1)
def stop_words() -> frozenset[str]:
    words = knowledge.load("stop_words")["stop_words"]
    return frozenset(str(w).lower() for w in words)


def tokens(text: str) -> list[str]:
    """The terms of one text, in order, stop words dropped (the rule `tfidf` counts by)."""
    _rows, term_ids, terms = _term_ids([text])
    return [terms[i] for i in term_ids.tolist()]


# Joins the lower-cased texts so one regex scan tokenises a whole batch; upper case, so it never
# equals a token of the (lower-cased) texts.
_BREAK = "TEXTBREAK"


def _term_ids(texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """(row of each kept token, term id of each kept token, terms by id), stop words dropped."""
    joined = f" {_BREAK} ".join(t.lower() for t in texts)
    tokens_all = _TOKEN.findall(joined)
    ids = {term: i for i, term in enumerate(dict.fromkeys(tokens_all))}
    token_ids = np.fromiter(map(ids.__getitem__, tokens_all), dtype=np.int64, count=len(tokens_all))
    terms = list(ids)
    is_break = np.zeros(len(terms), dtype=bool)
    dropped = np.zeros(len(terms), dtype=bool)
    stop = stop_words()
    for i, term in enumerate(terms):
        is_break[i] = term == _BREAK
        dropped[i] = term in stop or term == _BREAK
    rows = np.cumsum(is_break[token_ids])
    keep = ~dropped[token_ids]
    return rows[keep], token_ids[keep], terms


def tfidf(texts: Sequence[str], dtype=np.float32) -> sparse.csr_matrix:
    """One L2-normalised TF-IDF row per text; columns are the terms in sorted order.

    Raises ValueError when no text has a term (nothing to compare), like scikit-learn.
    """
    # imported here: the briefing sections use `tokens` only, and scipy.sparse (which clones
    # numpy's namespace on import) is a tenth of their kernel's warm-up
    from scipy import sparse

    rows, term_ids, terms = _term_ids(texts)
    used = np.unique(term_ids)
    if not len(used):
        raise ValueError("empty vocabulary; the texts hold no terms to compare")
    # columns in sorted term order
    order = sorted(used.tolist(), key=terms.__getitem__)
    column = np.full(len(terms), -1, dtype=np.int64)
    column[order] = np.arange(len(order))
    counts = sparse.csr_matrix((np.ones(len(rows), dtype=dtype), (rows, column[term_ids])),
                               shape=(len(texts), len(order)))
    counts.sum_duplicates()       # term frequencies, indices sorted within each row
    cols = counts.indices
    data = np.log(counts.data) + dtype(1)
    df = np.bincount(cols, minlength=len(order)).astype(dtype) + dtype(1)
    idf = np.log(dtype(len(texts) + 1) / df) + dtype(1)
    data *= idf[cols]
    row_of = np.repeat(np.arange(len(texts)), np.diff(counts.indptr))
    norms = np.sqrt(np.bincount(row_of, weights=data * data, minlength=len(texts))).astype(dtype)
    norms[norms == 0] = 1
    data /= norms[row_of]
    return sparse.csr_matrix((data.astype(dtype), cols, counts.indptr), shape=counts.shape)
