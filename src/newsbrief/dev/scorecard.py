"""`make eval`: run the pipeline on every labelled corpus and print one scorecard.

Usage::

    python -m newsbrief.dev.scorecard [--eval-dir data/eval] [--per-corpus]

Corpora (labels format: data/eval/LABELS.md, kept in ``data/eval/``):

* ``seed``: ``data/articles/`` with ``data/eval/seed_labels.yml``;
* ``dev-real`` / ``dev-synthetic``: ``data/eval/corpora/dev/<corpus>/``, by the labels' ``kind``;
* ``heldout``: ``data/eval/corpora/heldout/<corpus>/`` (printed separately: never tuned on).

Each corpus is run in-process, as ``make`` would run it but without the corpus's metadata file
(so publication dates and outlets are scored on what the pipeline reads from the texts and file
names): ``ingest.corpus.load_articles`` then ``evidence.layer.build_evidence``. Scores are pooled per group
(counts summed over its corpora, then divided). A score whose pipeline column does not exist yet
prints ``n/a (column missing)``; one with nothing to score prints ``n/a (none labelled)``.

Matching (a labelled row matches at most one pipeline row, in label order):

* figure: same article and value/low/high (relative 1e-6); among candidates, the one whose
  mention overlaps the labelled mention. *recall* = matched / labelled; *measure+subject* =
  matched rows with the labelled measure and subject / matched.
* subject: equal after folding case and punctuation, or one names the other as a whole word
  ("Tesla" matches "Tesla and Elon Musk"); a found subject that is a model or product whose
  owner (entities table) is the labelled subject counts as that subject only when the figure
  row's ``item`` names it too (the row says which product, and whose it is).
* outlet: labels spell the outlet as the text does ("AFP"); both sides go through the outlet
  aliases of ``data/knowledge/outlets.yml`` ("AFP" = "Agence France-Presse") before comparing.
  Nothing else is loosened.
* disagreement: one found item per ``disagreement_id``; it matches a label with the same measure,
  a compatible subject (when both have one) and sides that overlap the labelled ones: each found
  side shares at least one article with a labelled side, and not both with the same one (a
  found dispute need not carry every article that reports a side, but it must set an article of
  one labelled side against an article of the other).
* statement: same article, and the labelled quote inside the found quote or vice versa (folded);
  *speaker role* and *doubt* are agreement rates over matched statements.
* model: labelled name equals a found model entity's name or alias, ignoring case, punctuation and
  a leading owner name ("DeepSeek-R1" = "R1"); *owner* is the agreement rate over matched models.
* front page: the key judgments ``briefing.sections.front.pick_judgments`` chooses; a false disagreement
  is a chosen ``disputed`` claim that no labelled disagreement of its measure and articles backs.
"""
from __future__ import annotations

import argparse
import math
import re
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

import pandas as pd

from newsbrief import paths
from newsbrief.briefing.sections import front, split_ids
from newsbrief.dev import evaluate, evaluate_semantic
from newsbrief.evidence import layer
from newsbrief.ingest import corpus
from newsbrief.schemas import SCHEMAS

GROUPS = ("seed", "dev-real", "dev-synthetic", "heldout")
CORPORA_DIR = "corpora"
LABELS_FILE = "labels.yml"
MISSING = "n/a (column missing)"
NONE = "n/a (none labelled)"
NO_CORPORA = "n/a (no corpora)"
MODEL_KINDS = ("model", "product")  # an AI lab's models; a carmaker's car models may be products


# --------------------------------------------------------------------------------------------
# Corpora
# --------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Corpus:
    name: str
    group: str
    folder: Path
    labels: dict = field(repr=False, hash=False, compare=False)

    @property
    def company(self) -> str:
        return str(self.labels.get("company") or "")


def corpus_kind(folder: Path, labels: dict) -> str:
    """'real' or 'synthetic': the labels' `kind`, else the README saying "synthetic"."""
    kind = str(labels.get("kind") or "").strip().lower()
    if kind in ("real", "synthetic"):
        return kind
    readme = folder / "README.md"
    if readme.exists() and "synthetic" in readme.read_text(encoding="utf-8").lower():
        return "synthetic"
    raise ValueError(f"{folder / LABELS_FILE}: no `kind: real` or `kind: synthetic`; add one")


def discover_corpora(eval_dir: Path = paths.EVAL_DIR,
                     seed_articles: Path = paths.DEFAULT_ARTICLES_DIR) -> list[Corpus]:
    """Every labelled corpus: the seeds first, then dev and held-out corpora by name."""
    out = []
    seed_labels = eval_dir / "seed_labels.yml"
    if seed_labels.exists():
        out.append(Corpus("seed", "seed", seed_articles, evaluate.load_labels(seed_labels)))
    for split in ("dev", "heldout"):
        for labels_path in sorted((eval_dir / CORPORA_DIR / split).glob(f"*/{LABELS_FILE}")):
            folder = labels_path.parent
            labels = evaluate.load_labels(labels_path)
            group = "heldout" if split == "heldout" else f"dev-{corpus_kind(folder, labels)}"
            out.append(Corpus(folder.name, group, folder, labels))
    return out


# --------------------------------------------------------------------------------------------
# Running the pipeline
# --------------------------------------------------------------------------------------------

@dataclass
class TablesRun:
    """The slice of `evidence.run.Run` the front-page selection reads, over in-memory tables."""

    company: str
    tables: dict

    def table(self, name: str) -> pd.DataFrame:
        return self.tables[name]

    @property
    def articles(self) -> pd.DataFrame:
        frame = self.tables["articles"]
        return frame[frame["included"]].reset_index(drop=True)


def run_pipeline(folder: Path, company: str) -> dict[str, pd.DataFrame]:
    """Evidence tables for the article files of `folder` (metadata file withheld), with article
    ids replaced by file names without extension (the labels' ids)."""
    with tempfile.TemporaryDirectory(prefix="newsbrief-eval-") as tmp:
        for path in corpus.discover(folder):
            target = Path(tmp) / path.relative_to(folder)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target)
        articles, _notes = corpus.load_articles(tmp, company)
    tables = dict(layer.build_evidence(articles, company))
    ids = {str(a): Path(str(f)).stem for a, f in zip(articles["article_id"], articles["file"])}
    tables["articles"] = articles
    for name, frame in tables.items():
        if "article_id" in frame.columns:
            frame = frame.copy()
            frame["article_id"] = frame["article_id"].astype(str).map(lambda a: ids.get(a, a))
            if "article_ids" in frame.columns:
                frame["article_ids"] = frame["article_ids"].astype(str).map(
                    lambda s: ";".join(ids.get(a, a) for a in split_ids(s)))
            tables[name] = frame
    return tables


# --------------------------------------------------------------------------------------------
# Scores: each returns a Score (hits / total) or a reason it cannot be computed
# --------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Score:
    hits: int = 0
    total: int = 0
    reason: str = ""  # non-empty: why it cannot be computed (MISSING, NO_CORPORA)

    def __add__(self, other: "Score") -> "Score":
        if self.reason == MISSING or other.reason == MISSING:
            return Score(reason=MISSING)
        return Score(self.hits + other.hits, self.total + other.total)

    def text(self, count_only: bool = False, empty: str = NONE) -> str:
        """'0.83 (5/6)'; just the count with `count_only`; `empty` when there is nothing to score."""
        if self.reason:
            return self.reason
        if count_only:
            return str(self.hits)
        if not self.total:
            return empty
        return f"{self.hits / self.total:.2f} ({self.hits}/{self.total})"


def fold(value) -> str:
    """Case, punctuation and spacing folded away: 'DeepSeek-R1' -> 'deepseek r1', 'U.S.' -> 'us'."""
    text = re.sub(r"[.'’]", "", str(value or ""))
    return " ".join(re.sub(r"[^\w]+", " ", text).split()).casefold()


def same_subject(label, found) -> bool:
    a, b = fold(label), fold(found)
    if not a or not b:
        return a == b
    return a == b or re.search(rf"\b{re.escape(a)}\b", b) is not None or \
        re.search(rf"\b{re.escape(b)}\b", a) is not None


def _close(a, b) -> bool:
    try:
        a, b = float(a), float(b)
    except (TypeError, ValueError):
        return False
    return not (math.isnan(a) or math.isnan(b)) and math.isclose(a, b, rel_tol=1e-6, abs_tol=1e-9)


def _overlap(a: str, b: str) -> bool:
    a, b = fold(a), fold(b)
    return bool(a and b) and (a in b or b in a)


def match_rows(labels: list[dict], found: list[dict], same: Callable[[dict, dict], bool],
               better: Callable[[dict, dict], bool] = lambda lab, row: False) -> list[tuple[dict, dict]]:
    """One-to-one greedy pairs (label, found row); `better` picks among several candidates."""
    free = list(range(len(found)))
    pairs = []
    for lab in labels:
        cands = [i for i in free if same(lab, found[i])]
        if not cands:
            continue
        pick = next((i for i in cands if better(lab, found[i])), cands[0])
        free.remove(pick)
        pairs.append((lab, found[pick]))
    return pairs


def match_figures(labels: list[dict], found: list[dict]) -> list[tuple[dict, dict]]:
    def same(lab, row):
        return (str(lab["article_id"]) == str(row.get("article_id"))
                and all(_close(lab[k], row.get(k)) for k in ("value", "low", "high")))
    return match_rows(labels, found, same, lambda lab, row: _overlap(lab["mention"], row.get("mention", "")))


def figure_recall(labels: list[dict], found: list[dict]) -> Score:
    return Score(len(match_figures(labels, found)), len(labels))


def figure_subject_matches(label, row: dict, owners: dict[str, str] | None = None) -> bool:
    """The labelled subject, or a product it owns that the row names as its item as well."""
    found = row.get("subject")
    if same_subject(label, found):
        return True
    owner = (owners or {}).get(str(found or ""))
    return bool(owner) and same_subject(label, owner) and _overlap(str(found), str(row.get("item") or ""))


def model_owners(entities: list[dict]) -> dict[str, str]:
    """Model or product name -> owner, from the entities table."""
    return {str(e["name"]): str(e.get("owner") or "") for e in entities
            if str(e.get("kind")) in MODEL_KINDS and e.get("owner")}


def figure_accuracy(labels: list[dict], found: list[dict], columns: Iterable[str],
                    owners: dict[str, str] | None = None) -> Score:
    if not {"measure", "subject"} <= set(columns):
        return Score(reason=MISSING)
    pairs = match_figures(labels, found)
    ok = sum(fold(lab.get("measure")) == fold(row.get("measure"))
             and figure_subject_matches(lab.get("subject"), row, owners) for lab, row in pairs)
    return Score(ok, len(pairs))


def found_disagreements(rows: list[dict]) -> list[dict]:
    return evaluate_semantic.group_disagreements(rows)


def disagreement_matches(label: dict, found: dict) -> bool:
    if fold(label.get("measure")) != fold(found.get("measure")):
        return False
    if label.get("subject") and found.get("subject") and not same_subject(label["subject"], found["subject"]):
        return False
    return sides_overlap(label.get("sides") or {}, found["sides"])


def sides_overlap(labelled: dict, found: dict) -> bool:
    """Each found side shares an article with a different labelled side (A with one, B with
    the other); no labelled sides: any found sides match."""
    if not labelled:
        return True
    want = [set(map(str, labelled.get(k) or [])) for k in ("A", "B")]
    got = [set(map(str, found.get(k) or [])) for k in ("A", "B")]
    return any(got[0] & want[i] and got[1] & want[1 - i] for i in (0, 1))


def disagreement_scores(labels: list[dict], rows: list[dict]) -> tuple[Score, Score]:
    """(precision, recall) of the disagreements found against the labelled real ones."""
    found = found_disagreements(rows)
    pairs = match_rows(labels, found, disagreement_matches)
    return Score(len(pairs), len(found)), Score(len(pairs), len(labels))


def _iso(value) -> str:
    text = str(value or "").strip()
    return text[:10] if re.match(r"\d{4}-\d{2}-\d{2}", text) else ""


def publication_date_recall(labelled: dict, articles: list[dict]) -> Score:
    """Of the articles whose text (or file name) states a publication date, how many the
    pipeline dates correctly."""
    found = {str(r["article_id"]): _iso(r.get("published")) for r in articles}
    want = {a: _iso(info.get("published")) for a, info in labelled.items() if info and info.get("published")}
    return Score(sum(found.get(a) == d for a, d in want.items()), len(want))


def outlet_recall(labelled: dict, articles: list[dict]) -> Score:
    """Labels spell the outlet as the text does ("AFP", "VOA"); ingest names it canonically
    ("Agence France-Presse"): both sides go through the outlet vocabulary before comparing."""
    from newsbrief.ingest.infer_meta import canonical_outlet

    found = {str(r["article_id"]): canonical_outlet(r.get("outlet") or "") for r in articles}
    want = {a: canonical_outlet(info["outlet"]) for a, info in labelled.items() if info and info.get("outlet")}
    return Score(sum(same_subject(o, found.get(a)) and bool(fold(found.get(a))) for a, o in want.items()),
                 len(want))


def _model_names(entity: dict) -> set[str]:
    return {fold(n) for n in [entity.get("name"), *_split_aliases(entity.get("aliases"))] if fold(n)}


def _split_aliases(value) -> list[str]:
    return [a for a in re.split(r"[;|]", str(value or "")) if a.strip()]


def model_matches(label: dict, entity: dict) -> bool:
    want = fold(label["name"])
    owner = fold(label.get("owner"))
    bare = want[len(owner):].strip() if owner and want.startswith(owner + " ") else want
    return bool(_model_names(entity) & {want, bare})


def model_owner_accuracy(labels: list[dict], entities: list[dict], columns: Iterable[str]) -> Score:
    if "owner" not in set(columns):
        return Score(reason=MISSING)
    models = [e for e in entities if str(e.get("kind")) in MODEL_KINDS]
    pairs = match_rows(labels, models, model_matches)
    return Score(sum(fold(lab.get("owner")) == fold(ent.get("owner")) for lab, ent in pairs), len(pairs))


def match_statements(labels: list[dict], found: list[dict]) -> list[tuple[dict, dict]]:
    """Statements of one article whose quotes overlap; of several found in the labelled
    sentence, the one by the labelled speaker (by name, folded) is preferred."""
    def same(lab, row):
        return str(lab["article_id"]) == str(row.get("article_id")) and _overlap(lab["quote"], row.get("quote", ""))
    return match_rows(labels, found, same, lambda lab, row: _overlap(lab.get("speaker", ""), row.get("speaker", "")))


def statement_agreement(labels: list[dict], found: list[dict], attr: str, available: bool) -> Score:
    if not available:
        return Score(reason=MISSING)
    pairs = match_statements(labels, found)
    return Score(sum(_norm(lab.get(attr)) == _norm(row.get(attr)) for lab, row in pairs), len(pairs))


def _norm(value) -> str:
    if isinstance(value, bool):
        return str(value).lower()
    return fold(value)


def front_false_disagreements(judgments: list[dict], labels: list[dict]) -> Score:
    """Key judgments labelled `disputed` that no labelled disagreement backs (same measure, and
    the claim's articles on one of its sides: the front page words the dispute by measure)."""
    def backed(claim: dict) -> bool:
        measure = fold(str(claim.get("key") or "").split("|")[0])
        ids = set(split_ids(claim.get("article_ids"))) | {str(claim.get("article_id"))}
        for lab in labels:
            sides = lab.get("sides") or {}
            if fold(lab.get("measure")) == measure and ids & (set(sides.get("A", [])) | set(sides.get("B", []))):
                return True
        return False
    disputed = [c for c in judgments if c.get("label") == "disputed"]
    return Score(sum(not backed(c) for c in disputed), len(disputed))


# --------------------------------------------------------------------------------------------
# One corpus, one group
# --------------------------------------------------------------------------------------------

COLUMNS = (  # (key, header, target on the real corpora (issue 9), text when nothing to score)
    ("fig_acc", "fig measure+subject", ">= 0.90", "n/a (no figure found)"),
    ("fig_recall", "fig recall", "", NONE),
    ("dis_p", "disagree precision", ">= 0.90", "n/a (none found)"),
    ("dis_r", "disagree recall", ">= 0.80", NONE),
    ("date_r", "pub-date recall", "1.00", NONE),
    ("outlet_r", "outlet recall", "1.00", NONE),
    ("owner", "model owner", "", "n/a (no model found)"),
    ("role", "speaker role", "", "n/a (no statement found)"),
    ("doubt", "doubt", "", "n/a (no statement found)"),
    ("front_false", "front false disagree", "0", ""),
)
LEGEND = """\
fig measure+subject: matched figures with the labelled measure and subject; fig recall: labelled figures found;
disagree precision/recall: found vs labelled real disagreements; pub-date / outlet recall: stated dates and
outlets found; model owner, speaker role, doubt: agreement on matched models and statements; front false
disagree: 'disputed' key judgments (front.pick_judgments) that no labelled disagreement backs (a count)."""
COUNTS_ONLY = ("front_false",)


def _records(frame: pd.DataFrame | None) -> list[dict]:
    return frame.to_dict("records") if frame is not None and len(frame) else []


def score_tables(tables: dict[str, pd.DataFrame], labels: dict, judgments: list[dict]) -> dict[str, Score]:
    """Every scorecard column for one corpus's evidence tables."""
    labelled_ids = {str(a) for a in labels.get("articles") or {}}

    def rows(name: str) -> list[dict]:
        recs = _records(tables.get(name))
        return [r for r in recs if not labelled_ids or str(r.get("article_id")) in labelled_ids]

    figs, statements = rows("figures"), rows("statements")
    fig_cols = tables["figures"].columns if "figures" in tables else ()
    st_cols = set(tables["statements"].columns) if "statements" in tables else set()
    ent_cols = tables["entities"].columns if "entities" in tables else ()
    role_ok = "speaker_role" in st_cols and "speaker_role" in SCHEMAS["statements"].enums
    dis_p, dis_r = disagreement_scores(labels.get("disagreements") or [], _records(tables.get("disagreements")))
    articles = _records(tables.get("articles"))
    return {
        "fig_acc": figure_accuracy(labels.get("figures") or [], figs, fig_cols,
                                   model_owners(_records(tables.get("entities")))),
        "fig_recall": figure_recall(labels.get("figures") or [], figs),
        "dis_p": dis_p,
        "dis_r": dis_r,
        "date_r": publication_date_recall(labels.get("articles") or {}, articles),
        "outlet_r": outlet_recall(labels.get("articles") or {}, articles),
        "owner": model_owner_accuracy(labels.get("models") or [], _records(tables.get("entities")), ent_cols),
        "role": statement_agreement(labels.get("statements") or [], statements, "speaker_role", role_ok),
        "doubt": statement_agreement(labels.get("statements") or [], statements, "is_doubt",
                                     "is_doubt" in st_cols),
        "front_false": front_false_disagreements(judgments, labels.get("disagreements") or []),
    }


def score_corpus(labelled: Corpus) -> dict[str, Score]:
    tables = run_pipeline(labelled.folder, labelled.company)
    judgments = [j.as_claim() for j in front.pick_judgments(TablesRun(labelled.company, tables))]
    return score_tables(tables, labelled.labels, judgments)


def explain(labelled: Corpus) -> str:
    """What the scores of one corpus count as wrong or missing, row by row (for development)."""
    tables = run_pipeline(labelled.folder, labelled.company)
    labels = labelled.labels
    ids = set(labels.get("articles") or {})
    figs = [r for r in _records(tables.get("figures")) if r["article_id"] in ids]
    out = [f"{labelled.group}/{labelled.name} ({labelled.company})"]
    pairs = match_figures(labels.get("figures") or [], figs)
    matched = {id(lab) for lab, _row in pairs}
    out += [f"  figure missed      {lab['article_id']}: {lab['mention']!r}"
            for lab in labels.get("figures") or [] if id(lab) not in matched]
    owners = model_owners(_records(tables.get("entities")))
    out += [f"  figure typed wrong {lab['article_id']}: {lab['mention']!r} is {lab.get('measure')}/"
            f"{lab.get('subject')}, found {row.get('measure')}/{row.get('subject')}"
            for lab, row in pairs if fold(lab.get("measure")) != fold(row.get("measure"))
            or not figure_subject_matches(lab.get("subject"), row, owners)]
    found = found_disagreements(_records(tables.get("disagreements")))
    real = labels.get("disagreements") or []
    out += [f"  disagreement {'ok   ' if any(disagreement_matches(lab, d) for lab in real) else 'FALSE'} "
            f"{d['measure']}/{d.get('subject')}: {sorted(d['values']['A'])} vs {sorted(d['values']['B'])}"
            for d in found]
    out += [f"  disagreement missed {lab.get('measure')}/{lab.get('subject')}" for lab in real
            if not any(disagreement_matches(lab, d) for d in found)]
    for lab, row in match_statements(labels.get("statements") or [], _records(tables.get("statements"))):
        wrong = [f"{attr} {lab.get(attr)!s}, found {row.get(attr)!s}" for attr in ("speaker_role", "is_doubt")
                 if attr in lab and _norm(lab.get(attr)) != _norm(row.get(attr))]
        if wrong:
            out.append(f"  statement {lab['article_id']}: {lab['quote'][:70]!r}: {'; '.join(wrong)} "
                       f"(speaker {row.get('speaker')!r}, stance {row.get('stance')})")
    arts = {r["article_id"]: r for r in _records(tables.get("articles"))}
    for aid, info in (labels.get("articles") or {}).items():
        got = arts.get(aid, {})
        if info and info.get("published") and _iso(got.get("published")) != _iso(info["published"]):
            out.append(f"  date   {aid}: {info['published']} ({info.get('published_form')}), "
                       f"found {got.get('published') or 'none'}")
        if info and info.get("outlet") and not outlet_recall({aid: info}, [got] if got else []).hits:
            out.append(f"  outlet {aid}: {info['outlet']}, found {got.get('outlet') or 'none'}")
    for claim in (j.as_claim() for j in front.pick_judgments(TablesRun(labelled.company, tables))):
        if front_false_disagreements([claim], real).hits:
            out.append(f"  front page false disagreement: {claim.get('_text') or claim.get('summary')}")
    return "\n".join(out)


def pool(scores: Iterable[dict[str, Score]]) -> dict[str, Score]:
    total = {key: Score() for key, *_rest in COLUMNS}
    for one in scores:
        total = {k: total[k] + one[k] for k in total}
    return total


def format_scorecard(rows: list[tuple[str, dict[str, Score]] | None], title: str) -> str:
    """One table: a row per group (or corpus), a column per score, targets in the last row;
    `None` in `rows` draws a rule (the held-out group sits below one)."""
    head = ["group", *[h for _k, h, _t, _e in COLUMNS]]
    cells = [None if r is None else
             [r[0], *[r[1][k].text(k in COUNTS_ONLY, empty) for k, _h, _t, empty in COLUMNS]]
             for r in rows]
    cells.append(["target (real corpora)", *[t or "-" for _k, _h, t, _e in COLUMNS]])
    filled = [head, *[c for c in cells if c is not None]]
    widths = [max(len(r[i]) for r in filled) for i in range(len(head))]
    rule = "  ".join("-" * w for w in widths)

    def line(r):
        return rule if r is None else "  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip()
    return "\n".join([title, line(head), rule, *map(line, cells)])


def group_rows(per_corpus: list[tuple[Corpus, dict[str, Score]]]) -> list[tuple[str, dict[str, Score]] | None]:
    """Pooled rows in GROUPS order, the held-out group below a rule and marked."""
    out: list[tuple[str, dict[str, Score]] | None] = []
    for g in GROUPS:
        members = [s for c, s in per_corpus if c.group == g]
        name = f"{g} ({len(members)} {'corpus' if len(members) == 1 else 'corpora'})"
        if g == "heldout":
            out.append(None)
            name = f"{name} HELD OUT"
        scores = pool(members) if members else {k: Score(reason=NO_CORPORA) for k, *_r in COLUMNS}
        out.append((name, scores))
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m newsbrief.dev.scorecard", description=__doc__.split("\n")[0])
    parser.add_argument("--eval-dir", default=str(paths.EVAL_DIR))
    parser.add_argument("--per-corpus", action="store_true", help="also print one row per corpus")
    parser.add_argument("--explain", metavar="CORPUS", help="list the misses of one seed or dev corpus "
                        "(by folder name, 'seed' for the seeds) instead of scoring all")
    args = parser.parse_args(argv)
    corpora = discover_corpora(Path(args.eval_dir))
    if args.explain:
        hit = [c for c in corpora if c.name == args.explain]
        if not hit:
            parser.error(f"no labelled corpus named {args.explain!r}; names: {', '.join(c.name for c in corpora)}")
        if hit[0].group == "heldout":
            parser.error(f"{args.explain} is held out: only its scores are shown (make eval)")
        print(explain(hit[0]))
        return 0
    per_corpus = [(c, score_corpus(c)) for c in corpora]
    print(format_scorecard(group_rows(per_corpus), "make eval: the pipeline against the hand labels "
                           "(pooled per group; metadata files withheld)"))
    print(LEGEND)
    if args.per_corpus:
        print()
        print(format_scorecard([(f"{c.group}/{c.name}", s) for c, s in per_corpus], "Per corpus"))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
