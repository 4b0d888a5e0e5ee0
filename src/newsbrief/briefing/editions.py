"""Editions: what each briefing concluded, kept by AS_OF, and what changed since the last one.

Every dated build keeps an edition record: a few small CSV tables (articles, key judgments,
claims, figures, disagreements, events) and `edition.json`, written by the front notebook into
BUILD/edition/ and published by the exporter as REPORTS/editions/<AS_OF>/. When REPORTS holds an
earlier edition of the same company (the latest whose AS_OF is before this build's), the front
page opens with "Since the edition of <date>", naming the edition it compares with.

Items are compared by content, never by row position or file name: an article by a hash of its
decoded text; a key judgment by the quoted spans it cites (article hash + offsets); a claim or
an event is new when none of its sources was in the earlier edition; a figure by its measure,
subject and event; a disagreement by its measure, subject and time. The earlier edition is an
input of the build: `make` fingerprints it (`python -m newsbrief.briefing.editions`), so the
briefing is rebuilt when it changes, and `make check-reproducible` copies it into the fresh
REPORTS folder it builds into.

Run as: python -m newsbrief.briefing.editions REPORTS COMPANY AS_OF RUN_JSON OUT
(writes OUT, the fingerprint of the edition the build compares with, only when it changes).
"""
from __future__ import annotations

import hashlib
import json
import sys
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Callable

from newsbrief.evidence.run import RUN_FILE

RECORD_FILE = "edition.json"    # written last: a folder without it is not a complete edition
RECORD_COLUMNS = {
    "articles": ["article_key", "article_id", "source", "title", "published"],
    "judgments": ["rank", "text", "label", "claim", "spans"],
    "claims": ["claim_id", "label", "summary", "article_keys"],
    "figures": ["measure", "subject", "event", "values", "article_keys"],
    "disagreements": ["measure", "subject", "when", "what", "article_keys"],
    "events": ["event_id", "date", "date_end", "precision", "what", "article_keys"],
}
FIGURE_KEY = ["measure", "subject", "event"]
DISAGREEMENT_KEY = ["measure", "subject", "when"]
JOIN = ";"


# ---------------------------------------------------------------- which edition

def edition_folders(editions_dir: Path, company: str) -> list[tuple[date, Path]]:
    """Complete editions of `company` under REPORTS/editions, oldest first."""
    found = []
    if not editions_dir.is_dir():
        return found
    for folder in sorted(editions_dir.iterdir()):
        try:
            day = date.fromisoformat(folder.name)
            info = json.loads((folder / RECORD_FILE).read_text(encoding="utf-8"))
        except (ValueError, OSError):
            continue    # not an edition folder, or one whose writing did not finish
        if _name(info.get("company", "")) == _name(company):
            found.append((day, folder))
    return found


def _name(company: str) -> str:
    """A company name as the parameter check leaves it (runs of spaces made one)."""
    return " ".join(str(company).split())


def previous_edition(editions_dir: Path, company: str, as_of: date | None) -> tuple[date, Path] | None:
    """The latest complete edition before `as_of` (None for an undated briefing or none)."""
    if as_of is None:
        return None
    earlier = [(day, folder) for day, folder in edition_folders(editions_dir, company) if day < as_of]
    return earlier[-1] if earlier else None


def fingerprint(editions_dir: Path, company: str, as_of: date | None) -> str:
    """What the build reads from the earlier editions: the chosen one's name and file hashes."""
    chosen = previous_edition(editions_dir, company, as_of)
    if chosen is None:
        return "no earlier edition\n"
    lines = [f"edition {chosen[0].isoformat()}"]
    for path in sorted(chosen[1].glob("*")):
        if path.is_file():
            lines.append(f"{hashlib.sha256(path.read_bytes()).hexdigest()}  {path.name}")
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------- this edition's record

def article_keys(run) -> dict[str, str]:
    """article_id -> the article's content key, the one its evidence ids carry
    (`newsbrief.ids.article_keys`: the same article under another file name, or in another
    order, keeps its key)."""
    from newsbrief import ids
    from newsbrief.briefing import sections as S

    def make():
        arts = S.articles(run)
        texts = arts["text"] if "text" in arts.columns else arts["article_id"]
        return ids.article_keys({str(aid): str(text) for aid, text in zip(arts["article_id"], texts)})
    return S.memo(run, "edition_article_keys", make)


def _keys_of(keys: dict[str, str], article_ids) -> str:
    return JOIN.join(sorted({keys[a] for a in article_ids if a in keys}))


def _frame(name: str, rows: list[dict]):
    import pandas as pd

    frame = pd.DataFrame(rows, columns=RECORD_COLUMNS[name])
    return frame.astype({c: "object" for c in frame.columns if c != "rank"})


def current_record(run, judgments: list) -> dict:
    """This build's record: table name -> DataFrame (RECORD_COLUMNS), from the evidence tables
    and the key judgments the front page shows (front.Judgment: text, label, cites)."""
    from newsbrief.briefing import prose
    from newsbrief.briefing import sections as S

    keys = article_keys(run)
    names = S.source_names(run)
    arts = S.articles(run)
    articles = [{"article_key": keys[str(r["article_id"])], "article_id": str(r["article_id"]),
                 "source": names.get(str(r["article_id"]), str(r["article_id"])),
                 "title": str(r.get("title") or "") if r.get("title_status") != "unknown" else "",
                 "published": str(r.get("published") or "")}
                for r in S.records(arts)]
    judgments_rows = [{"rank": i, "text": j.text, "label": j.label.text,
                       "claim": f"{j.claim.get('kind', '')}|{j.claim.get('key', '')}",
                       "spans": JOIN.join(f"{keys.get(c.article_id, c.article_id)}:{c.start}:{c.end}"
                                          for c in j.cites)}
                      for i, j in enumerate(judgments, 1)]
    claims = S.table(run, "claims")
    claim_rows = [{"claim_id": str(c["claim_id"]), "label": str(c["label"]), "summary": str(c["summary"]),
                   "article_keys": _keys_of(keys, S.split_ids(c["article_ids"]))}
                  for c in S.records(claims)]
    figures = S.table(run, "figures")
    figures = figures[figures["resolved"].fillna(False).astype(bool)] if len(figures) else figures
    figure_rows = []
    if len(figures):
        for key, grp in figures.fillna({c: "" for c in FIGURE_KEY}).groupby(FIGURE_KEY, sort=True):
            grp = grp.sort_values(["value", "mention"], kind="stable")
            values = list(dict.fromkeys(prose.format_figure(r) for r in S.records(grp)))
            figure_rows.append({**dict(zip(FIGURE_KEY, map(str, key))), "values": JOIN.join(values),
                                "article_keys": _keys_of(keys, grp["article_id"].astype(str))})
    dis = S.table(run, "disagreements")
    dis_rows = []
    if len(dis):
        for _, grp in dis.fillna({c: "" for c in DISAGREEMENT_KEY}).groupby("disagreement_id", sort=True):
            first = grp.iloc[0]
            dis_rows.append({**{c: str(first[c]) for c in DISAGREEMENT_KEY}, "what": str(first["what"]),
                             "article_keys": _keys_of(keys, grp["article_id"].astype(str))})
    events = S.table(run, "events")
    event_rows = [{"event_id": str(e["event_id"]), "date": str(e["date"]), "date_end": str(e["date_end"] or ""),
                   "precision": str(e["precision"]), "what": str(e["what"] or ""),
                   "article_keys": _keys_of(keys, S.split_ids(e["article_ids"]))}
                  for e in S.records(events)]
    return {"articles": _frame("articles", sorted(articles, key=lambda r: r["article_key"])),
            "judgments": _frame("judgments", judgments_rows),
            "claims": _frame("claims", claim_rows),
            "figures": _frame("figures", figure_rows),
            "disagreements": _frame("disagreements", sorted(dis_rows, key=lambda r: tuple(r.values()))),
            "events": _frame("events", event_rows)}


def write_record(folder: Path, record: dict, company: str, as_of: date) -> None:
    """The record as CSV files plus edition.json (last), each written atomically."""
    from newsbrief import atomic

    folder.mkdir(parents=True, exist_ok=True)
    (folder / RECORD_FILE).unlink(missing_ok=True)
    info = {"company": company, "as_of": as_of.isoformat(),
            "tables": {name: int(len(record[name])) for name in RECORD_COLUMNS}}
    record_json = json.dumps(info, indent=2, sort_keys=True) + "\n"
    atomic.write_many({**{folder / f"{name}.csv": atomic.csv_text(record[name]).encode("utf-8")
                          for name in RECORD_COLUMNS},
                       folder / RECORD_FILE: record_json.encode("utf-8")})


def read_record(folder: Path) -> dict:
    """An edition record as written by `write_record` (every value a string)."""
    import pandas as pd

    return {name: pd.read_csv(folder / f"{name}.csv", dtype=str, keep_default_na=False)
            for name in RECORD_COLUMNS}


def publish_record(source: Path, editions_dir: Path) -> Path | None:
    """Copy a build's record to editions_dir/<its AS_OF>/ (edition.json last, each file
    atomically); None when the build kept none (an undated briefing)."""
    from newsbrief import atomic

    try:
        info = json.loads((source / RECORD_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    dest = editions_dir / info["as_of"]
    dest.mkdir(parents=True, exist_ok=True)
    (dest / RECORD_FILE).unlink(missing_ok=True)
    atomic.write_many({dest / name: (source / name).read_bytes()
                       for name in [*(f"{n}.csv" for n in RECORD_COLUMNS), RECORD_FILE]})
    return dest


def keep(run, judgments: list) -> Path | None:
    """Write this build's record to BUILD/edition/ (the exporter publishes it under
    REPORTS/editions/<AS_OF>/); an undated briefing keeps none (editions are ordered by date).
    Also writes the fingerprint of the earlier edition compared with, now that the briefing's
    date is known: make computed it from the last run's date, which a change of articles or
    AS_OF makes stale, and would otherwise rerun the sections once more on the next make."""
    import os

    from newsbrief import atomic

    fingerprint_file = run.run_paths.previous_edition
    if atomic.write_if_changed(fingerprint_file, fingerprint(run.run_paths.editions, run.company, run.as_of)):
        # dated as the evidence run that fixed the briefing's date, so older than every section
        # log of this build (the sections may finish before this notebook does), as if make
        # had found it before the notebooks ran
        evidence_time = (run.run_paths.processed / RUN_FILE).stat().st_mtime_ns
        os.utime(fingerprint_file, ns=(evidence_time, evidence_time))
    folder = run.run_paths.edition
    if run.as_of is None:
        import shutil

        shutil.rmtree(folder, ignore_errors=True)
        return None
    write_record(folder, current_record(run, judgments), run.company, run.as_of)
    return folder


# ---------------------------------------------------------------- what changed

@dataclass
class Changes:
    """What differs between an earlier edition's record and this one (rows of the records)."""
    new_articles: list[dict] = field(default_factory=list)
    dropped_articles: list[dict] = field(default_factory=list)
    new_judgments: list[dict] = field(default_factory=list)
    dropped_judgments: list[dict] = field(default_factory=list)
    relabelled_judgments: list[tuple[dict, dict]] = field(default_factory=list)  # (before, now)
    new_claims: list[dict] = field(default_factory=list)
    changed_figures: list[tuple[dict, dict]] = field(default_factory=list)      # (before, now)
    new_disagreements: list[dict] = field(default_factory=list)
    settled_disagreements: list[dict] = field(default_factory=list)
    new_events: list[dict] = field(default_factory=list)

    def __bool__(self) -> bool:
        return any(getattr(self, name) for name in self.__dataclass_fields__)


def _split(value) -> set[str]:
    return {x for x in str(value or "").split(JOIN) if x}


def _rows(frame) -> list[dict]:
    return [{k: ("" if v is None else v) for k, v in r.items()} for r in frame.to_dict("records")]


def _only_new(rows: list[dict], old_keys: set[str]) -> list[dict]:
    """Rows none of whose source articles were in the earlier edition."""
    return [r for r in rows if _split(r["article_keys"]) and not _split(r["article_keys"]) & old_keys]


def _same_judgment(before: dict, now: dict) -> bool:
    """The same key judgment in two editions: the same words, or the same kind of claim (kind,
    measure or speaker, stance) resting on a quote it cited before. Sharing a quote alone is not
    enough: one sentence can carry two different judgments (a figure and an allegation)."""
    if before["text"] == now["text"]:
        return True
    return before["claim"] == now["claim"] and bool(_split(before["spans"]) & _split(now["spans"]))


def compare(before: dict, now: dict) -> Changes:
    """What changed from the record `before` to the record `now` (see the module docstring for
    how items are matched)."""
    changes = Changes()
    old_keys = set(before["articles"]["article_key"].astype(str))
    new_keys = set(now["articles"]["article_key"].astype(str))
    changes.new_articles = [r for r in _rows(now["articles"]) if r["article_key"] not in old_keys]
    changes.dropped_articles = [r for r in _rows(before["articles"]) if r["article_key"] not in new_keys]

    old_judgments, new_judgments = _rows(before["judgments"]), _rows(now["judgments"])
    matched: set[int] = set()
    for j in new_judgments:
        match = next((i for i, o in enumerate(old_judgments) if i not in matched and _same_judgment(o, j)), None)
        if match is None:
            changes.new_judgments.append(j)
            continue
        matched.add(match)
        if old_judgments[match]["label"] != j["label"]:
            changes.relabelled_judgments.append((old_judgments[match], j))
    changes.dropped_judgments = [o for i, o in enumerate(old_judgments) if i not in matched]

    changes.new_claims = _only_new(_rows(now["claims"]), old_keys)
    changes.new_events = _only_new(_rows(now["events"]), old_keys)

    def keyed(frame, key):
        return {tuple(str(r[c]) for c in key): r for r in _rows(frame)}

    old_figs, new_figs = keyed(before["figures"], FIGURE_KEY), keyed(now["figures"], FIGURE_KEY)
    changes.changed_figures = [(old_figs[k], new_figs[k]) for k in sorted(new_figs.keys() & old_figs.keys())
                               if _split(old_figs[k]["values"]) != _split(new_figs[k]["values"])]
    old_dis, new_dis = keyed(before["disagreements"], DISAGREEMENT_KEY), keyed(now["disagreements"], DISAGREEMENT_KEY)
    changes.new_disagreements = [new_dis[k] for k in sorted(new_dis.keys() - old_dis.keys())]
    changes.settled_disagreements = [old_dis[k] for k in sorted(old_dis.keys() - new_dis.keys())]
    return changes


# ---------------------------------------------------------------- the front page's block

SINCE_ANCHOR = "since-last-edition"


def since_blocks(run, judgments: list, claim_text: Callable[[object, dict], str | None]) -> list:
    """"Since the edition of <date>" for the front page, or [] when there is no earlier edition
    (or the run has no reports folder or date). `claim_text(run, claim_row)` words a new claim
    (the front page's judgment wording)."""
    editions_dir = getattr(getattr(run, "run_paths", None), "editions", None)
    as_of = getattr(run, "as_of", None) if editions_dir is not None else None
    chosen = previous_edition(editions_dir, run.company, as_of) if editions_dir is not None else None
    if chosen is None:
        return []
    day, folder = chosen
    changes = compare(read_record(folder), current_record(run, judgments))
    return render_changes(run, changes, day, folder.name, claim_text)


def render_changes(run, changes: Changes, day: date, edition_name: str,
                   claim_text: Callable[[object, dict], str | None]) -> list:
    """The block: a heading, which edition was compared, then one lead-in and list per kind of
    change (capped; the rest counted)."""
    from newsbrief.briefing import prose, render
    from newsbrief.briefing import sections as S

    when = prose.format_date(day.isoformat(), "day")
    blocks: list = [render.Heading(f"Since the edition of {when}", anchor=SINCE_ANCHOR),
                    render.Para(f"Compared with the edition of {when} (editions/{edition_name} in the "
                                "reports folder, the latest one before this briefing's date).", css="muted")]
    if not changes:
        blocks.append(render.Para("Nothing has changed: the same articles, key judgments, figures, "
                                  "disagreements and dated events."))
        return blocks
    limit = S.cap("since_items", 3)
    by_id = {str(c["claim_id"]): c for c in S.records(S.table(run, "claims"))}
    events = {str(e["event_id"]): e for e in S.records(S.table(run, "events"))}
    dis = S.table(run, "disagreements")

    def article_item(r: dict, dropped: bool = False) -> list:
        parts = [r["source"]]
        if r["published"]:
            parts.append(prose.format_date(r["published"], "day"))
        text = ", ".join(parts) + (f": {r['title']}" if r["title"] else "")
        return [text + (" (no longer in the briefing)" if dropped else "")]

    def claim_item(r: dict) -> list:
        row = by_id.get(r["claim_id"])
        text = (claim_text(run, row) if row is not None else None) or r["summary"]
        label = prose.support_label(r["label"], int(row["n_sources"]) if row is not None else 1)
        return [text, *(S.claim_cites(run, row, 1) if row is not None else []), " ", label]

    def figure_item(pair: tuple[dict, dict]) -> list:
        before, now = pair
        what = S.measure_name(now["measure"]) + (f" ({now['subject']})" if now["subject"] else "")
        what += f", {now['event']}" if now["event"] else ""
        return [f"{prose.capitalise(what)}: was {before['values'].replace(JOIN, '; ')}; "
                f"now {now['values'].replace(JOIN, '; ')}"]

    def disagreement_item(r: dict, settled: bool = False) -> list:
        if settled:
            return [f"{prose.capitalise(r['what'])} (no longer disputed in the articles)"]
        rows = dis[(dis["measure"].astype(str) == r["measure"]) & (dis["subject"].fillna("").astype(str) == r["subject"])
                   & (dis["when"].fillna("").astype(str) == r["when"])]
        return [prose.capitalise(r["what"]), *S.cites(S.records(rows), 2)]

    def event_item(r: dict) -> list:
        row = events.get(r["event_id"])
        text = f"{prose.format_date(r['date'], r['precision'])}: {prose.shorten(r['what'], 18)}"
        cited = row is not None and str(row.get("start", "")).strip() not in ("", "nan", "None")
        return [text, *(S.cites([row]) if cited else [])]

    def judgment_item(r: dict, note: str = "") -> list:
        return [r["text"] + note]

    kinds = [
        ("New articles", changes.new_articles, article_item),
        ("Left out since", changes.dropped_articles, lambda r: article_item(r, dropped=True)),
        ("New key judgments", changes.new_judgments, judgment_item),
        ("Key judgments no longer on the front page", changes.dropped_judgments,
         lambda r: judgment_item(r, f" (was: {r['label']})")),
        ("Key judgments whose support changed", changes.relabelled_judgments,
         lambda pair: judgment_item(pair[1], f" (was: {pair[0]['label']}; now: {pair[1]['label']})")),
        ("New claims", changes.new_claims, claim_item),
        ("Figures that changed", changes.changed_figures, figure_item),
        ("New disagreements", changes.new_disagreements, disagreement_item),
        ("Disagreements settled", changes.settled_disagreements, lambda r: disagreement_item(r, settled=True)),
        ("New dated events", changes.new_events, event_item),
    ]
    for title, items, make in kinds:
        if not items:
            continue
        listed = f"; the first {limit} listed" if len(items) > limit else ""
        blocks.append(render.Para(render.Strong(f"{title} ({len(items)}{listed}).")))
        blocks.append(render.Bullets([make(item) for item in items[:limit]], css="since"))
    return blocks


# ---------------------------------------------------------------- make's fingerprint

def main(argv: list[str] | None = None) -> int:
    """Write the fingerprint of the edition a build compares with (make's prerequisite)."""
    from newsbrief import atomic

    reports, company, as_of_param, run_json, out = (argv if argv is not None else sys.argv[1:])
    try:
        info = json.loads(Path(run_json).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        info = {}
    # AS_OF empty: the newest article's date, as the last evidence run found it (when the
    # articles change, everything reruns anyway and the next make fingerprints again)
    as_of_text = as_of_param.strip() or info.get("as_of", "")
    as_of = date.fromisoformat(as_of_text) if as_of_text else None
    atomic.write_if_changed(Path(out), fingerprint(Path(reports) / "editions", company, as_of))
    return 0


if __name__ == "__main__":
    sys.exit(main())
