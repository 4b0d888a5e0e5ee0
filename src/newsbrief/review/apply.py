"""Apply the analyst's decisions to the evidence tables, reproducibly.

`apply_decisions(tables, decisions)` returns a `Reviewed`: the tables as the briefing should
read them, and what was done (applied, not matched, set aside, notes, pins). The evidence tables
on disk are never changed; the same tables and decisions always give the same result.

What each kind does (the target is an id from the evidence tables, see `newsbrief.ids`):
- set_aside: the claim, figure, disagreement or statement leaves the tables the briefing reads;
  a figure or statement also leaves the claims, disagreement sides and series it was part of
  (a claim left without sources, a disagreement left with one side, a series left with one
  date go too); it is listed, with the reason, in the sources and method section.
- confirm: nothing changes in the tables; the confirmation is listed with its reason.
- relabel: a claim's `label`, a statement's `stance` / `is_doubt`, a figure's `measure` /
  `subject` (its `resolved` is worked out again).
- pin / drop: a key judgment (claim or sentence id) is put first on / kept off the front page.
- merge_names: an entity's name is replaced by `into` wherever the tables name it (entities,
  mentions, speakers, figure and disagreement subjects); the old name becomes an alias.
- correct_article: an article's outlet, title or publication date, with status `corrected`.
- note: an analyst note for a section (shown as such, never mixed with findings).
A decision whose target is not in the tables is not matched: `Reviewed.unmatched`, and a
warning row in the reviewed `notes` table (shown in the briefing's data notes).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable, Mapping

import pandas as pd

from newsbrief.review.decisions import Decision

CORRECTED = "corrected"     # the article metadata status a correct_article decision sets
# id prefix -> (table, id column, what the briefing calls it)
ITEM_KINDS = {
    "clm": ("claims", "claim_id", "claim"),
    "fig": ("figures", "figure_id", "figure"),
    "dis": ("disagreements", "disagreement_id", "disagreement"),
    "stm": ("statements", "statement_id", "statement"),
    "snt": ("sentences", "sentence_id", "sentence"),
}
TABLES = ("articles", "claims", "claim_sources", "disagreements", "entities", "figures",
          "mentions", "notes", "sentences", "series", "statements")


@dataclass(frozen=True)
class SetAside:
    kind: str          # "claim", "figure", "disagreement", "statement"
    item_id: str
    what: str          # the item as a reader knows it (a quote, a disagreement's title)
    reason: str
    article_id: str = ""
    start: int = -1
    end: int = -1


@dataclass
class Reviewed:
    tables: dict[str, pd.DataFrame]
    applied: list[Decision] = field(default_factory=list)
    unmatched: list[tuple[Decision, str]] = field(default_factory=list)   # (decision, why)
    set_aside: list[SetAside] = field(default_factory=list)
    confirmed: list[SetAside] = field(default_factory=list)
    notes: dict[str, list[str]] = field(default_factory=dict)
    pinned: list[str] = field(default_factory=list)
    dropped: set[str] = field(default_factory=set)
    corrected: dict[str, list[str]] = field(default_factory=dict)   # article_id -> fields

    @property
    def n_decisions(self) -> int:
        return len(self.applied) + len(self.unmatched)


def item_kind(item_id: str) -> tuple[str, str, str] | None:
    """(table, id column, name) of an id's kind, from its prefix; None if not an evidence id."""
    return ITEM_KINDS.get(str(item_id).split("-", 1)[0])


def _frame(tables: Mapping[str, pd.DataFrame], name: str) -> pd.DataFrame:
    frame = tables.get(name)
    return frame if frame is not None else pd.DataFrame()


def _rows(tables, item_id: str) -> pd.DataFrame:
    kind = item_kind(item_id)
    if kind is None:
        return pd.DataFrame()
    frame = _frame(tables, kind[0])
    if not len(frame) or kind[1] not in frame:
        return frame.iloc[0:0]
    return frame[frame[kind[1]].astype(str) == item_id]


def _what(kind: str, rows: pd.DataFrame) -> str:
    first = rows.iloc[0]
    if kind == "disagreement":
        return str(first.get("what") or first.get("measure") or "")
    if kind == "claim" and first.get("summary"):
        return str(first["summary"])
    if kind == "figure":
        return str(first.get("mention") or first.get("quote") or "")
    return str(first.get("quote") or "")


def _spot(kind: str, item_id: str, reason: str, rows: pd.DataFrame) -> SetAside:
    first = rows.iloc[0]
    start = first.get("mention_start", first.get("start", -1))
    end = first.get("mention_end", first.get("end", -1))
    return SetAside(kind, item_id, _what(kind, rows), reason, str(first.get("article_id", "")),
                    int(start) if pd.notna(start) else -1, int(end) if pd.notna(end) else -1)


def apply_decisions(tables: Mapping[str, pd.DataFrame], decisions: Iterable[Decision],
                    sections: Iterable[str] = ()) -> Reviewed:
    """The reviewed tables and what was done. `sections`: the section keys a note may name
    (empty: any)."""
    out = Reviewed({name: frame for name, frame in tables.items()})
    section_keys = set(sections)
    gone: dict[str, set[str]] = {"figure": set(), "statement": set()}
    for d in decisions:
        why = _apply_one(out, d, section_keys, gone)
        if why:
            out.unmatched.append((d, why))
        else:
            out.applied.append(d)
    if gone["figure"] or gone["statement"] or any(s.kind in ("claim", "disagreement") for s in out.set_aside):
        _cascade(out.tables, gone)
    if out.unmatched:
        out.tables["notes"] = _with_unmatched_notes(_frame(out.tables, "notes"), out.unmatched)
    return out


def _apply_one(out: Reviewed, d: Decision, section_keys: set[str], gone) -> str:
    """Apply one decision to `out`; returns why it did not match ("" when it did)."""
    t = out.tables
    if d.kind == "note":
        if section_keys and d.target not in section_keys:
            return f"no section {d.target!r} (sections: {', '.join(sorted(section_keys))})"
        out.notes.setdefault(d.target, []).append(str(d.get("text")))
        return ""
    if d.kind == "merge_names":
        return _merge_names(t, d.target, str(d.get("into")))
    if d.kind == "correct_article":
        return _correct_article(out, d)
    rows = _rows(t, d.target)
    kind = item_kind(d.target)
    if kind is None or not len(rows):
        return "no such id in the evidence"
    table, id_col, name = kind
    if d.kind in ("pin", "drop"):
        if name not in ("claim", "sentence"):
            return "a key judgment is a claim or a sentence id"
        (out.pinned.append if d.kind == "pin" else out.dropped.add)(d.target)
        return ""
    if name == "sentence":
        return f"{d.kind} applies to claims, figures, disagreements and statements, not sentences"
    if d.kind == "confirm":
        out.confirmed.append(_spot(name, d.target, d.reason, rows))
        return ""
    if d.kind == "set_aside":
        out.set_aside.append(_spot(name, d.target, d.reason, rows))
        t[table] = t[table][t[table][id_col].astype(str) != d.target]
        if name in gone:
            gone[name].add(d.target)
        if name == "claim":
            cs = _frame(t, "claim_sources")
            t["claim_sources"] = cs[cs["claim_id"].astype(str) != d.target] if len(cs) else cs
        return ""
    # relabel: the fields were checked against the id's kind when the file was read
    frame = t[table].copy()
    hit = frame[id_col].astype(str) == d.target
    for col, value in d.fields:
        frame.loc[hit, col] = value
    if name == "figure" and "resolved" in frame:
        frame.loc[hit, "resolved"] = [bool(str(s or "")) and str(m or "other") != "other"
                                      for s, m in zip(frame.loc[hit, "subject"], frame.loc[hit, "measure"])]
    t[table] = frame
    return ""


def _cascade(t: dict, gone: dict[str, set[str]]) -> None:
    """Claims, disagreements and series lose the figures and statements set aside; what is left
    without support goes too; claims' source counts follow their remaining sources."""
    items = gone["figure"] | gone["statement"]
    cs = _frame(t, "claim_sources")
    claims = _frame(t, "claims")
    if len(cs):
        if items and "item_id" in cs:
            cs = cs[~cs["item_id"].astype(str).isin(items)]
        if len(claims):
            cs = cs[cs["claim_id"].isin(set(claims["claim_id"]))]
        t["claim_sources"] = cs
    if len(claims):
        t["claims"] = _recount(claims, cs)
    dis = _frame(t, "disagreements")
    if len(dis) and gone["figure"] and "figure_id" in dis:
        dis = dis[~dis["figure_id"].astype(str).isin(gone["figure"])]
        sides = dis.groupby("disagreement_id")["side"].nunique()
        t["disagreements"] = dis[dis["disagreement_id"].isin(set(sides[sides == 2].index))]
    series = _frame(t, "series")
    if len(series) and gone["figure"] and "figure_id" in series:
        series = series[~series["figure_id"].astype(str).isin(gone["figure"])]
        whens = series.assign(_w=series["when"].astype(str) + "|" + series["when_end"].astype(str)) \
            .groupby("series_id")["_w"].nunique()
        t["series"] = series[series["series_id"].isin(set(whens[whens >= 2].index))]


def _recount(claims: pd.DataFrame, cs: pd.DataFrame) -> pd.DataFrame:
    """Claims with the sources they have left (n_sources, n_independent, article_ids, first
    quote); a claim left with none is dropped."""
    by_claim = {cid: grp for cid, grp in cs.groupby("claim_id", sort=False)} if len(cs) else {}
    rows = []
    for r in claims.to_dict("records"):
        grp = by_claim.get(r["claim_id"])
        if grp is None:
            continue
        grp = grp.sort_values(["article_id", "start"], kind="stable")
        arts = sorted(set(grp["article_id"].astype(str)))
        independent = set(grp[grp["independent"].astype(bool)]["article_id"].astype(str))
        first = grp.iloc[0]
        r.update(n_sources=len(arts), n_independent=len(independent), article_ids=";".join(arts),
                 article_id=str(first["article_id"]), start=int(first["start"]),
                 end=int(first["end"]), quote=str(first["quote"]))
        rows.append(r)
    return pd.DataFrame(rows, columns=claims.columns).astype(claims.dtypes.to_dict()) if rows \
        else claims.iloc[0:0]


def _merge_names(t: dict, name: str, into: str) -> str:
    ents = _frame(t, "entities")
    if not len(ents) or name not in set(ents["name"].astype(str)):
        return f"no entity named {name!r} in the evidence"
    ents = ents.copy()
    old = ents["name"].astype(str) == name
    target = ents["name"].astype(str) == into
    aliases = [a for a in ents.loc[old, "aliases"].astype(str) if a] + [name]
    if target.any():
        i = ents.index[target][0]
        joined = [a for a in str(ents.at[i, "aliases"] or "").split(";") if a] + aliases
        ents.at[i, "aliases"] = ";".join(sorted(set(joined) - {into}))
        ents.at[i, "n_mentions"] = int(ents.loc[target | old, "n_mentions"].sum())
        ents = ents[~old]
    else:
        ents.loc[old, "name"] = into
        ents.loc[old, "aliases"] = ";".join(sorted(set(";".join(aliases).split(";")) - {into, ""}))
    t["entities"] = ents
    for table, cols in (("mentions", ("name",)), ("statements", ("speaker",)),
                        ("figures", ("subject",)), ("disagreements", ("subject",)),
                        ("series", ("subject",)), ("claims", ("speaker",))):
        frame = _frame(t, table)
        if not len(frame):
            continue
        frame = frame.copy()
        for col in cols:
            if col in frame:
                frame.loc[frame[col].astype(str) == name, col] = into
        t[table] = frame
    return ""


def _correct_article(out: Reviewed, d: Decision) -> str:
    arts = _frame(out.tables, "articles")
    if not len(arts) or d.target not in set(arts["article_id"].astype(str)):
        return "no article with this article_id"
    arts = arts.copy()
    hit = arts["article_id"].astype(str) == d.target
    for col, value in d.fields:
        arts.loc[hit, col] = value
        arts.loc[hit, f"{col}_status"] = CORRECTED
    out.tables["articles"] = arts
    out.corrected[d.target] = [col for col, _v in d.fields]
    return ""


def _with_unmatched_notes(notes: pd.DataFrame, unmatched: list[tuple[Decision, str]]) -> pd.DataFrame:
    rows = [{"file": "review decisions", "problem": f"decision `{d.name}`"
             + (f" (line {d.line})" if d.line else "") + f" not applied: {why}",
             "action": "fix its id or delete it in the decision file", "severity": "warning"}
            for d, why in unmatched]
    extra = pd.DataFrame(rows)
    return pd.concat([notes, extra], ignore_index=True) if len(notes) else extra
