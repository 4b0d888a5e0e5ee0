"""Events: date mentions merged across articles (same date range and precision, similar sentence)."""
from __future__ import annotations

import re
from collections import defaultdict

import numpy as np
import pandas as pd

from newsbrief import ids
from newsbrief.link import vectors
from newsbrief.link.similarity import TOP_K, UnionFind, column_lists, topk_pairs
from newsbrief.schemas import SCHEMAS

EVENT_COLUMNS = list(SCHEMAS["events"].columns)


def build_events(dates: pd.DataFrame, mentions: pd.DataFrame | None,
                 threshold: float = 0.25) -> pd.DataFrame:
    """Merge date mentions into events: same (date, date_end, precision) and similar sentence."""
    if dates is None or dates.empty:
        return pd.DataFrame(columns=EVENT_COLUMNS)
    d = dates.sort_values(["date", "precision", "article_id", "mention_start"], kind="stable").reset_index(drop=True)
    try:
        X = vectors.tfidf(d["quote"].tolist())
    except ValueError:
        X = None
    uf = UnionFind(len(d))
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
        for sid, name, kind in zip(*column_lists(mentions, "sentence_id", "name", "kind")):
            if kind in ("person", "company", "government", "organisation") and name not in who_by_sentence[sid]:
                who_by_sentence[sid].append(name)
    groups: dict[int, list[int]] = defaultdict(list)
    for i in range(len(d)):
        groups[uf.find(i)].append(i)
    rows = []
    col = {c: d[c].tolist() for c in ("article_id", "mention_start", "date", "date_end",
                                       "precision", "sentence_id", "start", "end", "quote")}
    col["mention_len"] = (d["mention_end"] - d["mention_start"]).tolist()
    aids, mstarts = col["article_id"], col["mention_start"]
    date_ids = d["date_id"].tolist()
    for root in sorted(groups):
        members = groups[root]
        # representative: first by (article_id, mention_start), ties by row (a stable sort)
        i = min(members, key=lambda j: (aids[j], mstarts[j], j))
        arts = sorted({aids[j] for j in members})
        quote = col["quote"][i]
        at = col["mention_start"][i] - col["start"][i]
        what = date_context(quote, at, at + col["mention_len"][i])
        rows.append({"date": col["date"][i], "date_end": col["date_end"][i],
                     "precision": col["precision"][i],
                     "what": what, "who": "; ".join(who_by_sentence.get(col["sentence_id"][i], [])[:3]),
                     "n_sources": len(arts), "article_ids": ";".join(arts),
                     "article_id": aids[i], "start": int(col["start"][i]),
                     "end": int(col["end"][i]), "quote": quote,
                     "_members": [date_ids[j] for j in members]})
    rows.sort(key=lambda r: (r["date"], r["date_end"], r["article_id"], r["start"]))
    for r, event_id in zip(rows, ids.group_ids("evt", [r.pop("_members") for r in rows])):
        r["event_id"] = event_id
    return pd.DataFrame(rows, columns=EVENT_COLUMNS)


# What a timeline row shows of its sentence: all of it when short, else the words around the date
# ("... has backed Shuolin since its founding in March 2022"), so the row never reads as if the
# sentence's first clause happened on a date that belongs to a later one.
CONTEXT_WORDS = 24
WORDS_BEFORE, WORDS_AFTER = 15, 8


def date_context(quote: str, mention_start: int, mention_end: int) -> str:
    """The sentence, or the words around the date mention at [mention_start, mention_end)."""
    words = [(m.start(), m.end()) for m in re.finditer(r"\S+", quote)]
    if len(words) <= CONTEXT_WORDS:
        return " ".join(quote.split())
    first = next((k for k, (_, e) in enumerate(words) if e > mention_start), len(words) - 1)
    last = next((k for k, (st, _) in reversed(list(enumerate(words))) if st < mention_end), first)
    lo, hi = max(0, first - WORDS_BEFORE), min(len(words), last + 1 + WORDS_AFTER)
    text = quote[words[lo][0]:words[hi - 1][1]]
    return ("… " if lo else "") + " ".join(text.split()) + (" …" if hi < len(words) else "")

