"""Figure subjects: the entity each figure is about, from the mentions in its sentence."""
from __future__ import annotations

from collections import defaultdict

import pandas as pd

from newsbrief.link.similarity import column_lists

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
    for sid, s, e, name, kind in zip(*column_lists(mentions, "sentence_id", "start", "end", "name", "kind")):
        if kind in MODIFIED_KINDS:
            by_sent[sid].append((int(s), int(e), name, kind))
    subjects = []
    for sid, ms, me, subj in zip(*column_lists(figures, "sentence_id", "mention_start", "mention_end",
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
