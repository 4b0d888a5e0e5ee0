"""Evidence tables for section tests, following docs/ARCHITECTURE.md exactly.

`synthetic_run()` reads the fictional Kestrel AI fixture articles with the real ingest and
sentence splitter, then adds hand-made evidence rows (figures, dates, events, entities, mentions,
statements, claims, claim_sources, disagreements) whose spans are found in the text, so every
(article_id, start, end, quote) obeys the provenance rule. `StubRun` stands in for
`newsbrief.evidence.run.Run` (company, as_of, table(name), articles).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pandas as pd

from newsbrief.extract import clean, sentences
from newsbrief.ingest import corpus
from newsbrief.notes import to_frame as notes_frame
from newsbrief.schemas import SCHEMAS

ROOT = Path(__file__).resolve().parents[1]
KESTREL = ROOT / "tests" / "fixtures" / "other_company"


@dataclass
class StubRun:
    company: str
    tables: dict
    as_of: date | None = None

    def table(self, name: str) -> pd.DataFrame:
        if name not in self.tables:
            raise FileNotFoundError(name)
        return self.tables[name]

    @property
    def articles(self) -> pd.DataFrame:
        frame = self.tables["articles"]
        return frame[frame["included"]].reset_index(drop=True)


def _frame(name: str, rows: list[dict]) -> pd.DataFrame:
    cols = list(SCHEMAS[name].columns)
    frame = pd.DataFrame(rows, columns=cols + [c for r in rows[:1] for c in r if c not in cols])
    for col, dtype in SCHEMAS[name].columns.items():
        if dtype == "int":
            frame[col] = frame[col].astype("int64")
        elif dtype == "float":
            frame[col] = frame[col].astype("float64")
        elif dtype == "bool":
            frame[col] = frame[col].astype(bool)
        else:
            # cast first: an all-missing text column arrives as float, and filling a float
            # column with "" is deprecated in pandas
            frame[col] = frame[col].astype(object).fillna("")
    return frame


class _Corpus:
    def __init__(self, folder: Path, company: str):
        self.articles, self.notes = corpus.load_articles(folder, company)
        self.text = dict(zip(self.articles["article_id"], self.articles["text"]))
        rows = []
        for aid, text in self.text.items():
            rows += sentences.split_sentences(aid, text, clean.find_furniture(text))
        self.sentences = pd.DataFrame(rows)

    def sent(self, aid: str, needle: str) -> dict:
        """The sentence of article `aid` containing `needle`, with the needle's span."""
        text = self.text[aid]
        pos = text.index(needle)
        hit = self.sentences[(self.sentences["article_id"] == aid)
                             & (self.sentences["start"] <= pos) & (self.sentences["end"] > pos)]
        s = hit.iloc[0]
        return {"sentence_id": s["sentence_id"], "article_id": aid, "start": int(s["start"]),
                "end": int(s["end"]), "quote": s["quote"], "mention_start": pos,
                "mention_end": pos + len(needle), "mention": needle}


def synthetic_tables(folder: Path = KESTREL, company: str = "Kestrel AI") -> dict:
    c = _Corpus(folder, company)
    a1, a2, a3, a4 = (f"kestrel_00{i}_{n}" for i, n in
                      enumerate(["funding", "models", "regulator", "market"], 1))

    def fig(fid, aid, needle, kind, value, low, high, unit, currency, qualifier, item, measure,
            subject="Kestrel AI"):
        return {"figure_id": fid, **c.sent(aid, needle), "kind": kind, "value": value,
                "low": low, "high": high, "unit": unit, "currency": currency,
                "qualifier": qualifier, "item": item, "measure": measure, "subject": subject,
                "resolved": bool(subject) and measure != "other"}

    figures = [
        fig("f1", a1, "€1.2 billion", "money", 1.2e9, 1.2e9, 1.2e9, "EUR", "EUR", "", "", "funding"),
        fig("f2", a1, "4,000 Nvidia H200", "count", 4000, 4000, 4000, "chips", "", "",
            "Nvidia H200 chips", "chip_count"),
        fig("f3", a1, "less than €9 million", "money", 9e6, 9e6, 9e6, "EUR", "EUR", "under",
            "", "training_cost"),
        fig("f4", a1, "20 to 30 times", "multiplier", 25, 20, 30, "x", "", "", "", "price_multiple"),
        fig("f5", a2, "140 billion parameters", "parameters", 1.4e11, 1.4e11, 1.4e11,
            "parameters", "", "", "Kestrel-2", "parameter_count", "Kestrel-2"),
        fig("f6", a2, "20 to 30 times cheaper", "multiplier", 25, 20, 30, "x", "", "", "",
            "price_multiple"),
        fig("f7", a2, "less than €9 million", "money", 9e6, 9e6, 9e6, "EUR", "EUR", "under",
            "", "training_cost"),
        fig("f8", a3, "15-25x", "multiplier", 20, 15, 25, "x", "", "", "", "price_multiple"),
        fig("f9", a3, "above €100 million", "money", 1e8, 1e8, 1e8, "EUR", "EUR", "more than",
            "", "training_cost"),
        fig("f10", a4, "more than €40 billion", "market_move", 4e10, 4e10, 4e10, "EUR", "EUR",
            "more than", "", "market_value_change", ""),
        fig("f11", a4, "about $90 billion", "market_move", -9e10, -9e10, -9e10, "USD", "USD",
            "around", "", "market_value_change", ""),
        fig("f12", a4, "less than €9 million", "money", 9e6, 9e6, 9e6, "EUR", "EUR", "under",
            "", "training_cost"),
    ]

    def dt(did, aid, needle, d, d_end, precision):
        return {"date_id": did, **c.sent(aid, needle), "date": d, "date_end": d_end,
                "precision": precision, "relative": False, "anchor": ""}

    dates = [
        dt("d1", a1, "founded in 2022", "2022-01-01", "2022-12-31", "year"),
        dt("d2", a2, "late 2022", "2022-10-01", "2022-12-31", "season"),
        dt("d3", a2, "March 2025", "2025-03-01", "2025-03-31", "month"),
        dt("d4", a3, "in 2023", "2023-01-01", "2023-12-31", "year"),
        dt("d5", a3, "next month", "2025-04-01", "2025-04-30", "month"),
    ]

    def ev(eid, d, d_end, precision, what, who, aids, aid, needle):
        s = c.sent(aid, needle)
        return {"event_id": eid, "date": d, "date_end": d_end, "precision": precision,
                "what": what, "who": who, "n_sources": len(aids), "article_ids": ";".join(aids),
                "article_id": aid, "start": s["start"], "end": s["end"], "quote": s["quote"]}

    events = [
        ev("e1", "2022-01-01", "2022-12-31", "year", "Kestrel AI founded", "Kestrel AI",
           [a1, a2, a4], a1, "founded in 2022"),
        ev("e2", "2025-03-01", "2025-03-31", "month", "Kestrel AI raises €1.2 billion",
           "Kestrel AI", [a2, a4], a2, "raised €1.2 billion in March 2025"),
        ev("e3", "2023-01-01", "2023-12-31", "year", "CNIL opens inquiry into another chatbot",
           "CNIL", [a3], a3, "in 2023"),
    ]

    def ent(eid, name, kind, aid, needle, role="", org="", subj=False, n_m=1, n_a=1, aliases=""):
        s = c.sent(aid, needle)
        return {"entity_id": eid, "name": name, "kind": kind, "aliases": aliases, "role": role,
                "organisation": org, "is_subject": subj, "n_mentions": n_m, "n_articles": n_a,
                "article_id": aid, "start": s["start"], "end": s["end"], "quote": s["quote"]}

    entities = [
        ent("n1", "Kestrel AI", "company", a1, "Kestrel AI, the Paris", subj=True, n_m=20, n_a=4,
            aliases="Kestrel"),
        ent("n2", "Camille Durand", "person", a1, "Camille Durand", "founder", "Kestrel AI",
            n_m=4, n_a=3),
        ent("n3", "Kestrel-2", "model", a2, "released Kestrel-2", org="Kestrel AI", n_m=8, n_a=4),
        ent("n4", "Kestrel Nano", "model", a2, "Kestrel Nano, that", org="Kestrel AI", n_m=3,
            n_a=3),
        ent("n5", "EU AI Office", "government", a3, "EU AI Office has written", n_m=2, n_a=1),
        ent("n6", "CNIL", "government", a3, "the CNIL, said", n_m=2, n_a=1),
        ent("n7", "Marc Lefebvre", "person", a3, "Marc Lefebvre", "analyst", "Brightline Research"),
        ent("n8", "Paris", "place", a1, "Paris-based", n_m=4, n_a=4),
    ]
    mentions = []
    for e in entities:
        for aid, text in c.text.items():
            for needle in [e["name"]]:
                pos = text.find(needle)
                if pos >= 0:
                    s = c.sent(aid, needle)
                    mentions.append({"entity_id": e["entity_id"], "article_id": aid,
                                     "sentence_id": s["sentence_id"], "start": pos,
                                     "end": pos + len(needle), "quote": needle})

    def st(sid, aid, needle, speaker, kind, verb, stance, content, evidence="unknown",
           response="", role="other", title="", doubt=False):
        s = c.sent(aid, needle)
        return {"statement_id": sid, "sentence_id": s["sentence_id"], "article_id": aid,
                "start": s["start"], "end": s["end"], "quote": s["quote"], "speaker": speaker,
                "speaker_role": role, "speaker_title": title, "speaker_kind": kind, "verb": verb,
                "stance": stance, "content": content, "audience": "", "when": "",
                "evidence": evidence, "is_doubt": doubt, "response": response}

    statements = [
        st("st1", a1, "trained for less than €9 million", "Camille Durand", "person", "said",
           "company_claim", "Kestrel-2 had been trained for less than €9 million"),
        st("st2", a3, "estimated that Kestrel AI", "Marc Lefebvre", "person", "estimated",
           "estimate", "Kestrel AI actually had access to about 12,000 GPUs",
           evidence="not_offered", role="analyst", title="analyst",
           doubt=True),
        st("st3", a3, "15-25x", "Marc Lefebvre", "person", "disputed", "expert_view",
           "Kestrel-2 is 15-25x cheaper than American rivals", role="analyst",
           title="analyst", doubt=True),
        st("st4", a3, "EU AI Office has written", "EU AI Office", "government", "said",
           "official_action", "it has written to Kestrel AI asking for information about "
           "training data", role="regulator", doubt=True),
        st("st5", a2, "claims Kestrel-2 matches", "Kestrel AI", "company", "claims",
           "company_claim", "Kestrel-2 matches leading American systems on reasoning tests", role="company"),
    ]

    def cl(cid, kind, key, summary, label, srcs, independent=None):
        reps = [c.sent(aid, needle) for aid, needle in srcs]
        aids = list(dict.fromkeys(r["article_id"] for r in reps))
        row = {"claim_id": cid, "kind": kind, "key": key, "summary": summary, "label": label,
               "n_sources": len(aids), "n_independent": independent or len(aids),
               "article_ids": ";".join(aids), "article_id": reps[0]["article_id"],
               "start": reps[0]["start"], "end": reps[0]["end"], "quote": reps[0]["quote"]}
        srows = [{"claim_id": cid, "article_id": r["article_id"], "start": r["start"],
                  "end": r["end"], "quote": r["quote"], "independent": True} for r in reps]
        return row, srows

    specs = [
        cl("c1", "figure", "training_cost", "Kestrel-2 was trained for less than €9 million",
           "company_claim", [(a1, "trained for less than €9 million"),
                             (a2, "training run cost less than"), (a4, "trained for less than")]),
        cl("c2", "fact", "funding", "Kestrel AI raised €1.2 billion in a funding round",
           "multi_source", [(a1, "raised €1.2 billion"), (a2, "raised €1.2 billion in March"),
                            (a4, "raised €1.2 billion this month")]),
        cl("c3", "statement", "gpus", "Kestrel AI had access to about 12,000 GPUs",
           "allegation_no_evidence", [(a3, "12,000 GPUs")]),
        cl("c4", "figure", "price_multiple", "Kestrel-2 is cheaper to run than US rivals",
           "disputed", [(a1, "20 to 30 times cheaper"), (a2, "20 to 30 times cheaper to use"),
                        (a3, "15-25x")]),
        cl("c5", "fact", "regulator", "The EU AI Office asked Kestrel AI about training data",
           "single_source", [(a3, "EU AI Office has written")]),
    ]
    claims = [r for r, _ in specs]
    claim_sources = [s for _, ss in specs for s in ss]

    def dis(did, side, measure, what, value_text, aid, needle, settle):
        s = c.sent(aid, needle)
        return {"disagreement_id": did, "side": side, "measure": measure, "subject": "Kestrel-2",
                "what": what, "value_text": value_text, "article_id": aid, "start": s["start"],
                "end": s["end"], "quote": s["quote"], "settle": settle}

    settle = "Published per-token prices for Kestrel-2 and the rivals it is compared with"
    disagreements = [
        dis("g1", "A", "price_multiple", "How much cheaper Kestrel-2 is than rivals",
            "20 to 30 times", a2, "20 to 30 times cheaper to use", settle),
        dis("g1", "B", "price_multiple", "How much cheaper Kestrel-2 is than rivals",
            "15-25x", a3, "15-25x", settle),
    ]
    return {
        "articles": c.articles,
        "sentences": _frame("sentences", c.sentences.to_dict("records")),
        "figures": _frame("figures", figures),
        "dates": _frame("dates", dates),
        "events": _frame("events", events),
        "entities": _frame("entities", entities),
        "mentions": _frame("mentions", mentions),
        "statements": _frame("statements", statements),
        "claims": _frame("claims", claims),
        "claim_sources": _frame("claim_sources", claim_sources),
        "disagreements": _frame("disagreements", disagreements),
        "notes": notes_frame(c.notes),
    }


def synthetic_run() -> StubRun:
    tables = synthetic_tables()
    return StubRun("Kestrel AI", tables, as_of=date(2025, 3, 14))


def real_run(folder: Path, company: str) -> StubRun | None:
    """Tables from engineer B's build_evidence when it exists and runs, else None."""
    try:
        from newsbrief.evidence.layer import build_evidence
    except Exception:  # noqa: BLE001 - not written yet
        return None
    arts, notes = corpus.load_articles(folder, company)
    tables = dict(build_evidence(arts, company))
    tables.setdefault("articles", arts)
    newest = corpus.newest_date(arts)
    tables["notes"] = notes_frame(notes)
    return StubRun(company, tables, as_of=newest)
