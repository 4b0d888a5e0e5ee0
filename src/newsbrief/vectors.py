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
from collections import Counter
from functools import lru_cache
from typing import Sequence

import numpy as np
from scipy import sparse

from newsbrief import knowledge

# \b is Unicode-aware, the token characters are not: "café" and "Zürich" yield no token.
_TOKEN = re.compile(r"\b[a-zA-Z0-9][a-zA-Z0-9]+\b")


@lru_cache(maxsize=1)
def stop_words() -> frozenset[str]:
    words = knowledge.load("stop_words")["stop_words"]
    return frozenset(str(w).lower() for w in words)


def tokens(text: str) -> list[str]:
    """The terms of one text, in order, stop words dropped."""
    stop = stop_words()
    return [t for t in _TOKEN.findall(text.lower()) if t not in stop]


def tfidf(texts: Sequence[str], dtype=np.float32) -> sparse.csr_matrix:
    """One L2-normalised TF-IDF row per text; columns are the terms in sorted order.

    Raises ValueError when no text has a term (nothing to compare), like scikit-learn.
    """
    counts = [Counter(tokens(t)) for t in texts]
    vocabulary = sorted(set().union(*counts)) if counts else []
    if not vocabulary:
        raise ValueError("empty vocabulary; the texts hold no terms to compare")
    column = {term: i for i, term in enumerate(vocabulary)}
    indptr = np.zeros(len(texts) + 1, dtype=np.int64)
    indices: list[int] = []
    tf: list[int] = []
    for row, c in enumerate(counts):
        for term in sorted(c, key=column.__getitem__):
            indices.append(column[term])
            tf.append(c[term])
        indptr[row + 1] = len(indices)
    cols = np.asarray(indices, dtype=np.int64)
    data = np.log(np.asarray(tf, dtype=dtype)) + dtype(1)
    df = np.bincount(cols, minlength=len(vocabulary)).astype(dtype) + dtype(1)
    idf = np.log(dtype(len(texts) + 1) / df) + dtype(1)
    data *= idf[cols]
    lengths = np.diff(indptr)
    rows = np.repeat(np.arange(len(texts)), lengths)
    norms = np.sqrt(np.bincount(rows, weights=data * data, minlength=len(texts))).astype(dtype)
    norms[norms == 0] = 1
    data /= norms[rows]
    return sparse.csr_matrix((data, cols, indptr), shape=(len(texts), len(vocabulary)))
