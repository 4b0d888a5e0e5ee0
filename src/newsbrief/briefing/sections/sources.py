"""Sources and method: the articles (outlet, date, length, sections citing them, derived marks),
how claims are labelled, data notes (skipped files and why, repairs and doubts), and a colophon (input SHA-256
checksums, parameters, package versions)."""
from __future__ import annotations

from importlib import metadata

import pandas as pd

from newsbrief import paths
from newsbrief.briefing import prose, render
from newsbrief.briefing import sections as S

KEY = "sources"
CORRECTED = "corrected"     # metadata status set by a review decision (newsbrief.review)
STATUS_SHOWN = {"inferred": "inferred", CORRECTED: "corrected by analyst"}


def cited_by_section(run) -> dict[str, list[str]]:
    """article_id -> titles of the sections whose blocks cite it (built here, not guessed)."""
    out: dict[str, list[str]] = {}
    for key, title, _, _ in S.SECTIONS:
        if key == KEY:
            continue
        try:
            cited = S.cited_ids(run, key)
        except Exception:  # noqa: BLE001 - a failing section must not hide the source list
            continue
        for aid in sorted(cited):
            out.setdefault(aid, []).append(title if key != "front" else "Front page")
    return out


def articles_table(run) -> list[render.Block]:
    arts = S.all_articles(run)
    inc = arts[arts["included"]] if "included" in arts else arts
    if not len(inc):
        return [S.thin("No articles were included")]
    nums = S.article_numbers(run)
    cited = cited_by_section(run)
    inc = inc.assign(_n=inc["article_id"].astype(str).map(lambda a: len(cited.get(a, []))))
    limit = S.cap("articles_listed", 60)
    shown = inc.sort_values(["_n", "article_id"], ascending=[False, True], kind="stable").head(limit)
    shown = shown.sort_values("article_id", kind="stable")
    body = []
    for r in S.records(shown):
        aid = str(r["article_id"])
        outlet = str(r.get("outlet") or "").strip()
        ostat = str(r.get("outlet_status") or "")
        outlet_cell = (f"{outlet} ({STATUS_SHOWN[ostat]})" if outlet and ostat in STATUS_SHOWN
                       else outlet if outlet and ostat != "unknown" else "not known")
        pub = str(r.get("published") or "")
        pstat = str(r.get("published_status") or "")
        pub_cell = (prose.format_date(pub, "day") + (f" ({STATUS_SHOWN[pstat]})" if pstat in STATUS_SHOWN else "")
                    if pub else "not known")
        marks = []
        if str(r.get("derived_from") or "").strip():
            src = [f"Article {nums.get(x, x)}" for x in S.split_ids(r["derived_from"].replace(",", ";"))]
            marks.append("derived from " + prose.join_names(src))
        if str(r.get("duplicate_of") or "").strip():
            marks.append(f"copy of Article {nums.get(r['duplicate_of'], r['duplicate_of'])}")
        file = where(r)
        title = prose.shorten(str(r.get("title") or ""), 12)
        if title and str(r.get("title_status") or "") == CORRECTED:
            title += f" ({STATUS_SHOWN[CORRECTED]})"
        art_cell = [title, f" ({file})"] if title and title != file else file
        body.append([str(nums.get(aid, "")), art_cell, outlet_cell,
                     pub_cell, f"{int(r.get('n_chars') or 0):,}",
                     ", ".join(cited.get(aid, [])) or "not cited",
                     "; ".join(marks) or "—"])
    blocks = [render.Table(["No.", "Article (file)", "Outlet", "Published", "Characters",
                            "Cited in", "Marks"], body, caption="Articles behind this briefing",
                           numeric={0, 4}, widths=[0.4, 2.2, 1.0, 1.0, 0.8, 1.8, 1.2])]
    if len(inc) > len(shown):
        blocks.append(S.thin(f"{len(inc) - len(shown)} further included articles are not listed "
                             "here; all are in the published evidence table articles.csv"))
    return blocks


def labels_block() -> list[render.Block]:
    meanings = S.conf().get("label_meanings", {})
    items = []
    for label, meaning in meanings.items():
        badge = prose.support_label(label, 3) if label != "multi_source" else \
            render.Label("N sources", "good")
        items.append([badge, " ", meaning])
    items.append(["Attribution follows the label: the company’s claims are written as “the "
                  "company says”, allegations without evidence say so, and counts of outlets are "
                  "counts of independent articles (copies and rewrites of one report count once)."])
    return [render.Heading("How claims are labelled", level=3, anchor="sources-labels"),
            render.Bullets(items)]


def where(row: dict) -> str:
    """The file an article came from, and its record inside a multi-article file:
    'dump.jsonl, line 12'."""
    path = str(row.get("path") or row.get("file") or row.get("article_id") or "")
    record = str(row.get("record") or "")
    return f"{path}, {record}" if record else path


def other_notes(run, arts) -> list[str]:
    """Warnings that are not about a left-out article (a record limit reached, a feed that is
    not well-formed, a text decoded as cp1252, a summary analysed for want of the full text)."""
    notes = S.table(run, "notes")     # with the review's warnings (decisions not matched)
    rows = S.records(arts)
    left_out = {(str(r["path"]), str(r.get("record") or "")) for r in rows if not r["included"]}
    records = {(str(r["path"]), str(r.get("record") or "")) for r in rows}
    out = []
    for n in S.records(notes):
        file, problem = str(n["file"]), str(n["problem"])
        prefix, _, rest = problem.partition(": ")
        record = prefix if rest and (file, prefix) in records else ""
        if n["severity"] == "info" or (file, record) in left_out or (file, "") in left_out:
            continue
        text = rest if record else problem
        out.append(f"{where({'path': file, 'record': record}) or 'The corpus'}: {text} "
                   f"({n['action']}).")
    return out


def data_notes(run) -> list[render.Block]:
    """Files left out (from the articles table), then the warnings the evidence stage recorded
    about what it kept (the notes table: repairs, doubts, metadata problems), each naming its file."""
    arts = S.all_articles(run)
    items = []
    if "included" in arts and len(arts):
        skipped = arts[~arts["included"]]
        limit = S.cap("skipped_files_listed", 30)
        for r in S.records(skipped.head(limit)):
            reason = str(r.get("skip_reason") or "no reason recorded")
            dup = str(r.get("duplicate_of") or "")
            if dup and dup not in reason:
                reason += f"; duplicate of {dup}"
            items.append(f"{where(r)}: left out ({reason}).")
        if len(skipped) > limit:
            items.append(f"… and {len(skipped) - limit} more files left out "
                         "(see articles.csv).")
        others = other_notes(run, arts)
        limit = S.cap("data_notes_listed", 20)
        items += others[:limit]
        if len(others) > limit:
            items.append(f"… and {len(others) - limit} more notes (see notes.csv).")
        n_unknown = int((arts[arts["included"]].get("outlet_status", pd.Series(dtype=str))
                         == "unknown").sum())
        if n_unknown:
            items.append(f"The outlet of {prose.plural(n_unknown, 'included article')} is not "
                         "stated in the text or metadata; such articles are named by number.")
    if not items:
        items.append("Every file found was read and included.")
    return [render.Heading("Data notes", level=3, anchor="sources-data-notes"),
            render.Bullets(items)]


def review_decisions(run) -> list[render.Block]:
    """What the analyst decided (newsbrief.review), kept apart from what the machine found: set
    aside (with the reason and the quote), confirmed, relabelled, pinned or dropped, names
    merged, article metadata corrected. Notes are shown in their sections."""
    done = S.review_of(run)
    if done is None:
        return []
    heading = render.Heading("Analyst's decisions", level=3, anchor="sources-review")
    intro = render.Para([f"A person reviewed the machine's findings: {prose.plural(len(done.applied), 'decision')} "
                         "applied" + (f", {prose.plural(len(done.unmatched), 'decision')} not matched "
                                      "(see the data notes)" if done.unmatched else "")
                         + ". Everything else in this briefing is what the machine found."], css="muted")
    items = []
    for spot, verb in [(x, "Set aside") for x in done.set_aside] + [(x, "Confirmed") for x in done.confirmed]:
        cite = S.cites([{"article_id": spot.article_id, "start": spot.start, "end": spot.end}]) \
            if spot.article_id and spot.start >= 0 else []
        items.append([render.Label(verb.lower(), "analyst"), f" {spot.kind} “{prose.shorten(spot.what, 16)}”",
                      *cite, f" ({spot.item_id}). Reason: {prose.ensure_period(spot.reason)}"])
    for d in done.applied:
        if d.kind in ("set_aside", "confirm", "note"):
            continue
        change = ", ".join(f"{k} → {v}" for k, v in d.fields)
        what = {"relabel": f"{d.target}: {change}",
                "pin": f"{d.target} put first among the key judgments",
                "drop": f"{d.target} kept off the key judgments",
                "merge_names": f"“{d.target}” shown as “{d.get('into')}”",
                "correct_article": f"{d.target}: {change}"}[d.kind]
        items.append([render.Label(d.kind.replace("_", " "), "analyst"),
                      f" {what}. Reason: {prose.ensure_period(d.reason)}"])
    n_notes = sum(len(v) for v in done.notes.values())
    if n_notes:
        items.append([render.Label("notes", "analyst"),
                      f" {prose.plural(n_notes, 'analyst note')}, shown in their sections as “Analyst note”."])
    return [heading, intro] + ([render.Bullets(items)] if items else [])


def _version(pkg: str) -> str:
    try:
        return metadata.version(pkg)
    except metadata.PackageNotFoundError:
        return "not installed"


def colophon(run) -> list[render.Block]:
    arts = S.all_articles(run)
    rows = []
    limit = S.cap("checksums_listed", 60)
    files = arts.drop_duplicates("path") if "path" in arts else arts  # a dump's records: once
    for r in S.records(files.sort_values("article_id").head(limit)) if len(arts) else []:
        rows.append([str(r.get("path") or r.get("file") or r["article_id"]),
                     str(r.get("sha256") or "—")])
    try:
        as_of = run.as_of
    except (FileNotFoundError, OSError, ValueError):
        as_of = None
    params = [f"Company: {run.company}",
              f"As of: {as_of.isoformat() if as_of else 'not known (no article states its publication date)'}",
              f"Articles folder: {paths.shown_path(run.articles_dir) if getattr(run, 'articles_dir', None) else 'not recorded'}",
              f"Files found: {len(files)}; "
              + (f"articles in them: {len(arts)}; " if len(files) != len(arts) else "")
              + f"included: {int(arts['included'].sum()) if 'included' in arts else len(arts)}"]
    done = S.review_of(run)
    params.append(f"Analyst's decisions: {len(done.applied)} applied, {len(done.unmatched)} not matched "
                  f"({prose.plural(len(done.set_aside), 'item')} set aside)" if done is not None
                  else "Analyst's decisions: none (everything here is what the machine found)")
    pkgs = ["newsbrief"] + list(S.conf().get("packages", []))
    versions = "; ".join(f"{p} {v}" for p in pkgs if (v := _version(p)) != "not installed")
    blocks = [render.Heading("Colophon", level=3, anchor="sources-colophon"),
              render.Bullets(params + [f"Software: Python packages {versions}."])]
    if rows:
        blocks.append(render.Table(["Input file", "SHA-256"], rows,
                                   caption="Input checksums", widths=[1.2, 3.0]))
        if len(files) > limit:
            blocks.append(S.thin(f"{len(files) - limit} further checksums are in articles.csv"))
    return blocks


@S.reused
def build(run) -> list[render.Block]:
    arts = S.articles(run)
    blocks: list[render.Block] = [S.heading(KEY), render.Para([
        f"This briefing is generated from {prose.plural(len(arts), 'article')} by extracting "
        "sentences, figures, dates, statements and claims, then linking claims across articles. "
        "Every statement carries numbered markers that point to the exact quoted sentences at "
        "the end of the document; the evidence tables are published beside the briefing."])]
    blocks += articles_table(run)
    blocks += labels_block()
    blocks += review_decisions(run)
    blocks += data_notes(run)
    blocks += colophon(run)
    return blocks
