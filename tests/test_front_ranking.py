"""Front page ranking (sections.importance): importance score, one judgment per fact, fail
closed on unresolved figures and unbacked disagreements, bottom line, key figures.

The articles are short realistic texts written for these tests about a fictional carmaker,
Vela Motors; each test builds only the evidence rows it needs."""
from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))
from section_tables import StubRun, _frame  # noqa: E402

from newsbrief.briefing import prose, render  # noqa: E402
from newsbrief.briefing.sections import front, importance  # noqa: E402

COMPANY = "Vela Motors"
ARTICLES = {
    "a1": ["BERLIN, March 3 (Reuters) - Germany's motor transport authority banned sales of the "
           "Vela Motors Aurora saloon on Monday after brake tests failed.",
           "Vela Motors raised $2 billion in a Series C round led by sovereign funds.",
           "Our engineers are mostly graduates we hire straight from university, the founder said."],
    "a2": ["German regulators on Monday banned sales of the Aurora saloon made by Vela Motors "
           "after failed brake tests, the authority said.",
           "Investors value Vela Motors at $8 billion, the paper reported.",
           "The Aurora has a range of 600 kilometres, Vela Motors says.",
           "Orion Battery Works is investing $12 billion in a plant in Spain."],
    "a3": ["Vela Motors' Aurora saloon was banned from sale in Germany on Monday after it failed "
           "brake tests, the motor transport authority said.",
           "Xiaoma Auto cut prices again.",
           "It has around 300 million users, according to the company.",
           "Analysts at Bernstein said Vela Motors' battery costs were unknown but were far higher "
           "than the $900 million the company reported.",
           "Vela Motors is valued at $8 billion, the company said.",
           "Vela Motors shares fell 9% on Tuesday after the ban.",
           "A former battery engineer alleged in a LinkedIn post, without offering data, that half "
           "of Vela Motors' cells fail quality checks."],
}
PUBLISHED = {"a1": "2025-03-03", "a2": "2025-03-03", "a3": "2025-03-04"}


def _sentences() -> tuple[dict, list[dict]]:
    texts, rows = {}, []
    for aid, sents in ARTICLES.items():
        text, pos = "", 0
        for i, s in enumerate(sents):
            text += ("" if not text else " ") + s
            start = text.index(s, pos)
            rows.append({"sentence_id": f"snt-{aid}-{start}", "article_id": aid, "start": start,
                         "end": start + len(s), "quote": s, "paragraph": i, "kind": "body"})
            pos = start + len(s)
        texts[aid] = text
    return texts, rows


TEXTS, SENTENCES = _sentences()


def sent(aid: str, needle: str) -> dict:
    row = next(r for r in SENTENCES if r["article_id"] == aid and needle in r["quote"])
    pos = row["start"] + row["quote"].index(needle)
    return {"sentence_id": row["sentence_id"], "article_id": aid, "start": row["start"],
            "end": row["end"], "quote": row["quote"], "mention_start": pos,
            "mention_end": pos + len(needle), "mention": needle}


def figure(fid, aid, needle, measure, subject, value, unit="USD", kind="money", **extra) -> dict:
    return {"figure_id": fid, **sent(aid, needle), "kind": kind, "value": value, "low": value,
            "high": value, "unit": unit, "currency": unit if unit == "USD" else "",
            "qualifier": "", "item": "", "measure": measure, "subject": subject,
            "resolved": bool(subject) and measure != "other", "scope": "", **extra}


def statement(sid, aid, needle, speaker, stance, content, kind="organisation", verb="said",
              is_doubt=False):
    s = sent(aid, needle)
    return {"statement_id": sid, "sentence_id": s["sentence_id"], "article_id": aid,
            "start": s["start"], "end": s["end"], "quote": s["quote"], "speaker": speaker,
            "speaker_role": "", "speaker_kind": kind, "verb": verb, "stance": stance,
            "content": content, "audience": "", "when": "", "evidence": "unknown",
            "response": "", "topic": "", "is_doubt": is_doubt}


def claim(cid, kind, key, label, srcs: list[tuple[str, str]], summary="") -> tuple[dict, list]:
    reps = [sent(a, n) for a, n in srcs]
    aids = list(dict.fromkeys(r["article_id"] for r in reps))
    row = {"claim_id": cid, "kind": kind, "key": key, "summary": summary or reps[0]["quote"],
           "label": label, "n_sources": len(aids), "n_independent": len(aids),
           "article_ids": ";".join(aids), "article_id": reps[0]["article_id"],
           "start": reps[0]["start"], "end": reps[0]["end"], "quote": reps[0]["quote"]}
    return row, [{"claim_id": cid, "article_id": r["article_id"], "start": r["start"],
                  "end": r["end"], "quote": r["quote"], "independent": True} for r in reps]


def make_run(figures=(), statements=(), claims=(), disagreements=(), entities=None) -> StubRun:
    arts = pd.DataFrame([{"article_id": a, "path": f"{a}.txt", "file": f"{a}.txt", "text": TEXTS[a],
                          "outlet": {"a1": "Reuters", "a2": "Handelsblatt", "a3": "AP"}[a],
                          "outlet_status": "stated", "published": PUBLISHED[a],
                          "published_status": "stated", "included": True, "duplicate_of": "",
                          "derived_from": ""} for a in ARTICLES])
    ents = entities if entities is not None else [
        {"entity_id": "n1", "name": COMPANY, "kind": "company", "aliases": "Vela", "role": "",
         "organisation": "", "is_subject": True, "n_mentions": 6, "n_articles": 3,
         **{k: v for k, v in sent("a1", "Vela Motors raised").items() if k in ("article_id", "start", "end", "quote")}},
        {"entity_id": "n2", "name": "Aurora", "kind": "model", "aliases": "", "role": "",
         "organisation": COMPANY, "is_subject": False, "n_mentions": 3, "n_articles": 3,
         **{k: v for k, v in sent("a2", "The Aurora has").items() if k in ("article_id", "start", "end", "quote")}},
    ]
    rows = [c for c, _ in claims]
    srcs = [s for _, ss in claims for s in ss]
    tables = {"articles": arts, "sentences": _frame("sentences", SENTENCES),
              "figures": _frame("figures", list(figures)),
              "statements": _frame("statements", list(statements)),
              "claims": _frame("claims", rows), "claim_sources": _frame("claim_sources", srcs),
              "disagreements": _frame("disagreements", list(disagreements)),
              "entities": _frame("entities", ents)}
    return StubRun(COMPANY, tables, as_of=date(2025, 3, 4))


def _ban_by_three_outlets():
    """The ban, reported by three outlets in three wordings (one statement claim each)."""
    out = []
    for i, (aid, needle) in enumerate([("a1", "banned sales of the Vela"),
                                       ("a2", "German regulators on Monday banned"),
                                       ("a3", "was banned from sale")]):
        out.append(claim(f"c{i + 1}", "statement", "authority|official_action", "single_source",
                         [(aid, needle)]))
    sts = [statement("s1", "a1", "banned sales of the Vela", "motor transport authority",
                     "official_action", "banned sales of the Vela Motors Aurora saloon on Monday "
                     "after brake tests failed", verb="banned"),
           statement("s2", "a2", "German regulators", "German regulators", "official_action",
                     "banned sales of the Aurora saloon made by Vela Motors after failed brake tests",
                     verb="banned"),
           statement("s3", "a3", "was banned from sale", "the motor transport authority",
                     "official_action", "Vela Motors' Aurora saloon was banned from sale in Germany "
                     "on Monday after it failed brake tests")]
    return out, sts


def _hiring_quote():
    return (claim("c9", "statement", "founder|company_claim", "company_claim",
                  [("a1", "Our engineers")]),
            statement("s9", "a1", "Our engineers", "the founder", "company_claim",
                      "Our engineers are mostly graduates we hire straight from university",
                      kind="person"))


# ---------------------------------------------------------------- ranking

def test_regulator_ban_covered_by_three_outlets_outranks_a_hiring_quote():
    ban_claims, ban_statements = _ban_by_three_outlets()
    hiring_claim, hiring_statement = _hiring_quote()
    run = make_run(statements=ban_statements + [hiring_statement],
                   claims=ban_claims + [hiring_claim])
    facts = importance.rank_facts(run)
    assert facts[0].kind == "regulator_action"
    assert facts[0].n_sources == 3          # three wordings, one fact, three outlets
    assert {c["claim_id"] for c in facts[0].claims} == {"c1", "c2", "c3"}
    # one quote of no event, without a figure or a second source, is no key judgment
    assert not [f for f in facts if "c9" in {c["claim_id"] for c in f.claims}]


def _engineer_allegation(is_doubt: bool):
    return (claim("c8", "statement", "engineer|allegation", "allegation",
                  [("a3", "A former battery engineer")]),
            statement("s8", "a3", "A former battery engineer", "a former battery engineer",
                      "allegation", "half of Vela Motors' cells fail quality checks", is_doubt=is_doubt))


def test_a_doubt_about_the_company_weighs_in_its_score():
    scores = {}
    for doubt in (True, False):
        c, st = _engineer_allegation(doubt)
        fact = next(f for f in importance.rank_facts(make_run(statements=[st], claims=[c]))
                    if f.claim["claim_id"] == "c8")
        assert fact.parts["doubt"] == float(doubt)
        scores[doubt] = fact.score
    weight = importance.front_conf()["weights"]["doubt"]
    assert round(scores[True] - scores[False], 6) == weight > 0


def test_a_judgment_names_its_speaker_once_and_quotes_a_bare_act():
    said = "The U.S. Justice Department says Boeing has agreed to plead guilty to a fraud charge."
    assert front._without_leading_attribution(said, "Justice Department") == \
        "Boeing has agreed to plead guilty to a fraud charge."
    assert front._without_leading_attribution(said, "Boeing") == said   # Boeing says nothing
    # "X alleges that accused ..." cannot be written: the act is quoted instead
    assert front._opens_with_verb("accused Vela Motors of hiding brake faults")
    assert not front._opens_with_verb("Vela Motors hid brake faults")


def test_one_judgment_per_fact_labelled_with_its_outlets():
    ban_claims, ban_statements = _ban_by_three_outlets()
    run = make_run(statements=ban_statements, claims=ban_claims)
    picks = front.pick_judgments(run)
    banned = [j for j in picks if "banned" in j.text]
    assert len(banned) == 1
    assert banned[0].label.text == "3 sources"
    assert len(banned[0].cites) == 3


def test_ban_told_without_a_speaker_still_reaches_the_front_page_as_a_quote():
    run = make_run()  # no claims at all: the sentences themselves are the evidence
    facts = importance.rank_facts(run)
    assert facts and facts[0].kind == "regulator_action" and facts[0].n_sources == 3
    text = front.pick_judgments(run)[0].text
    assert text.startswith(("Reuters reports: “", "Handelsblatt reports: “", "AP reports: “"))


def test_company_money_outranks_a_rivals_investment_and_a_model_size():
    figs = [figure("f1", "a1", "$2 billion", "funding_equity", COMPANY, 2e9),
            figure("f2", "a2", "$12 billion", "investment", "Orion Battery Works", 1.2e10),
            figure("f3", "a2", "600 kilometres", "parameter_count", "Aurora", 600, unit="km",
                   kind="count")]
    claims = [claim("c1", "figure", "funding_equity|Vela Motors|money|fact", "single_source", [("a1", "$2 billion")]),
              claim("c2", "figure", "investment|Orion Battery Works|money|fact", "single_source", [("a2", "$12 billion")]),
              claim("c3", "figure", "parameter_count|Aurora|km|fact|fixed", "company_claim",
                    [("a2", "600 kilometres")])]
    facts = importance.rank_facts(make_run(figures=figs, claims=claims))
    order = [f.claim["claim_id"] for f in facts if f.claim["kind"] == "figure"]
    assert order[0] == "c1"
    rival = next(f for f in facts if f.claim["claim_id"] == "c2")
    assert rival.parts["direct"] == 0.0


def test_two_claims_on_one_figure_are_one_fact():
    figs = [figure("f1", "a1", "$2 billion", "funding_equity", COMPANY, 2e9),
            figure("f2", "a2", "600 kilometres", "funding_equity", COMPANY, 2.1e9)]
    claims = [claim("c1", "figure", "funding_equity|Vela Motors|money|fact", "single_source", [("a1", "$2 billion")]),
              claim("c2", "figure", "funding_equity|Vela Motors|money|fact", "single_source",
                    [("a2", "600 kilometres")])]
    facts = importance.rank_facts(make_run(figures=figs, claims=claims))
    money = [f for f in facts if f.claim["kind"] == "figure"]
    assert len(money) == 1 and money[0].n_sources == 2


def test_event_kind_weights_come_from_knowledge():
    assert importance.event_kind({"official_action"}, set(), "")[0] == "regulator_action"
    assert importance.event_kind(set(), {"valuation"}, "")[0] == "money"
    # a figure's measure says what happened more precisely than the speaker's stance
    assert importance.event_kind({"official_action"}, {"investment"}, "")[0] == "money"
    assert importance.event_kind(set(), set(), "Shares fell 17% after the launch")[0] == "market_move"
    assert importance.event_kind(set(), set(), "The fine-tuned model")[0] == ""


# ---------------------------------------------------------------- fail closed

def test_unresolved_figures_stay_off_the_front_page():
    figs = [figure("f1", "a1", "$2 billion", "funding_equity", "", 2e9),           # no subject
            figure("f2", "a2", "$12 billion", "other", COMPANY, 1.2e10),           # no measure
            figure("f3", "a1", "$2 billion", "funding_equity", COMPANY, 2e9, resolved=False)]
    claims = [claim("c1", "figure", "funding_equity||money|fact", "single_source", [("a1", "$2 billion")]),
              claim("c2", "figure", "other|Vela Motors|money|fact", "single_source", [("a2", "$12 billion")])]
    run = make_run(figures=figs, claims=claims)
    assert not [f for f in importance.rank_facts(run) if f.claim["kind"] == "figure"]
    assert front.pick_figures(run) == []
    assert importance.is_resolved({"measure": "valuation", "subject": COMPANY})
    assert importance.is_resolved({"measure": "valuation", "subject": "", "resolved": True})
    assert not importance.is_resolved({"measure": "valuation", "subject": COMPANY, "resolved": False})


def _dispute(quote_needle_b: str, aid_b: str):
    figs = [figure("f1", "a1", "$2 billion", "funding_equity", COMPANY, 2e9)]
    claims = [claim("c1", "figure", "funding_equity|Vela Motors|money|fact", "disputed", [("a1", "$2 billion")])]
    a, b = sent("a1", "$2 billion"), sent(aid_b, quote_needle_b)
    dis = [{"disagreement_id": "d1", "side": side, "measure": "funding_equity", "subject": COMPANY,
            "what": "funding", "value_text": v, "article_id": s["article_id"], "start": s["start"],
            "end": s["end"], "quote": s["quote"], "settle": "The company's filing"}
           for side, v, s in (("A", "$2 billion", a), ("B", "300 million", b))]
    return figs, claims, dis


def test_disputed_only_with_a_disagreement_whose_sides_name_the_subject():
    figs, claims, _ = _dispute("It has around 300 million", "a3")
    run = make_run(figures=figs, claims=claims)           # labelled disputed, no disagreement row
    text = " ".join(j.text for j in front.pick_judgments(run))
    assert "disagree" not in text
    figs, claims, dis = _dispute("It has around 300 million", "a3")
    run = make_run(figures=figs, claims=claims, disagreements=dis)   # side B names another firm
    assert "disagree" not in " ".join(j.text for j in front.pick_judgments(run))
    figs, claims, dis = _dispute("The Aurora has a range", "a2")      # side B names the company
    run = make_run(figures=figs, claims=claims, disagreements=dis)
    assert "Sources disagree" in " ".join(j.text for j in front.pick_judgments(run))


# ---------------------------------------------------------------- blocks

def test_bottom_line_comes_first_and_every_part_is_cited():
    ban_claims, ban_statements = _ban_by_three_outlets()
    figs = [figure("f1", "a1", "$2 billion", "funding_equity", COMPANY, 2e9)]
    money = claim("c5", "figure", "funding_equity|Vela Motors|money|fact", "single_source", [("a1", "$2 billion")])
    run = make_run(figures=figs, statements=ban_statements, claims=ban_claims + [money])
    blocks = front.build(run)
    assert isinstance(blocks[2], render.Para) and blocks[2].css == "lede"
    parts = render._as_list(blocks[2].content)
    assert render.inline_plain(parts).startswith("Bottom line: ")
    segments = render.inline_plain([p for p in parts if not isinstance(p, render.Cite)]).split("; ")
    assert len(segments) == 2
    assert sum(isinstance(p, render.Cite) for p in parts) >= 2
    # each part of the bottom line is followed by its own citations
    cite_runs = [i for i, p in enumerate(parts) if isinstance(p, render.Cite)]
    semi = next(i for i, p in enumerate(parts) if p == "; ")
    assert any(i < semi for i in cite_runs) and any(i > semi for i in cite_runs)


def test_key_figures_say_what_whose_and_scope():
    figs = [figure("f1", "a1", "$2 billion", "funding_equity", COMPANY, 2e9,
                   scope="equity only, excluding debt"),
            figure("f2", "a2", "$12 billion", "funding_equity", "Orion Battery Works", 1.2e10)]
    sts = [statement("s1", "a1", "$2 billion", "Bernstein", "estimate", "Vela Motors raised $2 billion")]
    run = make_run(figures=figs, statements=sts)
    rows = front.key_figures(run)[0].rows
    assert len(rows) == 1                                   # the rival's figure is no key figure
    figure_cell, what, whose, caveats, _ = rows[0]
    assert what == "Funding (equity) of Vela Motors" or what.endswith("of Vela Motors")
    assert whose == "Estimate by Bernstein"
    assert "scope: equity only, excluding debt" in caveats.lower()


def test_disagreement_between_two_events_is_not_shown():
    figs, claims, dis = _dispute("The Aurora has a range", "a2")
    figs.append(figure("f9", "a2", "600 kilometres", "funding_equity", COMPANY, 3e8))
    figs[0]["event"], figs[1]["event"] = "Series C", "Series B"
    run = make_run(figures=figs, claims=claims, disagreements=dis)
    assert "disagree" not in " ".join(j.text for j in front.pick_judgments(run))


def test_two_sides_of_one_disagreement_are_one_judgment():
    # each side became its own claim (the sides name the subject differently: the company, its
    # model); the front page states the dispute once
    figs, claims, dis = _dispute("The Aurora has a range", "a2")
    figs.append(figure("f2", "a2", "600 kilometres", "funding_equity", "Aurora", 3e8))
    claims.append(claim("c2", "figure", "funding_equity|Aurora|money|fact", "disputed",
                        [("a2", "600 kilometres")]))
    run = make_run(figures=figs, claims=claims, disagreements=dis)
    texts = [j.text for j in front.pick_judgments(run)]
    assert sum("Sources disagree" in t for t in texts) == 1, texts


# ---------------------------------------------------------------- wording (A2)

def _move(aid, value, qualifier="", subject=COMPANY):
    return {"article_id": aid, "value": value, "low": value, "high": value, "unit": "%",
            "currency": "", "qualifier": qualifier, "kind": "market_move", "item": "",
            "measure": "share_price_move", "subject": subject}


def test_a_figure_judgment_states_one_figure_never_a_range_spanning_several():
    # "fell as much as 5.1% before closing down 2.3%": two figures of one day, no range of both
    rows = pd.DataFrame([_move("a1", 2.3), _move("a1", 5.1, "up to")])
    assert front._values_text(rows) == "2.3%"
    # the figure more outlets give wins over an exact one of a single outlet
    rows = pd.DataFrame([_move("a1", 2.3), _move("a2", 2.0, "around"), _move("a3", 2.0, "around")])
    assert front._values_text(rows) == "about 2%"


def test_counts_are_worded_as_what_the_subject_has():
    assert front._measure_clause("chip_count", "Vela Motors", "900 chips") == "Vela Motors holds 900 chips"
    assert front._measure_clause("valuation", "Vela Motors", "$2 billion") == ""
    assert front._measure_clause("chip_count", "", "900 chips") == ""


def test_the_bottom_line_leads_with_no_dispute():
    figs, _claims, dis = _dispute("The Aurora has a range", "a2")
    disputed = claim("c7", "figure", "funding_equity|Vela Motors|money|fact", "disputed",
                     [("a1", "$2 billion")])
    ban_claims, ban_statements = _ban_by_three_outlets()
    run = make_run(figures=figs, statements=ban_statements, claims=[disputed] + ban_claims,
                   disagreements=dis)
    picks = front.pick_judgments(run)
    assert any(j.label_key == "disputed" for j in picks)
    line = front.bottom_line(run, picks)
    text = "".join(p for p in line.content if isinstance(p, str))
    assert "banned" in text and "disagree" not in text


def test_key_figure_caveat_gives_no_range_across_occasions_or_bounds():
    figs = [figure("f1", "a1", "$2 billion", "funding_equity", COMPANY, 2e9, event="Series C"),
            figure("f2", "a2", "600 kilometres", "funding_equity", COMPANY, 3e9, event="Series D"),
            figure("f3", "a3", "300 million", "funding_equity", COMPANY, 1e9, qualifier="more than")]
    run = make_run(figures=figs)
    pool = pd.DataFrame(figs)
    caveat = front._caveat(run, figs[0], pool)
    assert "range" not in caveat.lower()           # another round, and a bound that agrees
    same_round = figs + [figure("f4", "a3", "300 million", "funding_equity", COMPANY, 2.05e9,
                                event="Series C")]
    assert "range from" in front._caveat(run, figs[0], pd.DataFrame(same_round)).lower()


def test_a_key_figure_names_its_period_at_the_precision_stated():
    assert prose.period_text("2024-01-01", "2024-12-31") == "2024"
    assert prose.period_text("2024-02-01", "2024-02-29") == "Feb 2024"
    assert prose.period_text("2025-01-23", "") == "23 Jan 2025"
    assert prose.period_text("2025-01-20", "2025-01-26") == "20 Jan 2025 to 26 Jan 2025"
    assert prose.period_text("", "") == ""
    assert prose.period_text("2024-04-01", "2024-06-30") == "Q2 2024"
    assert prose.period_text("2024-07-01", "2024-12-31") == "H2 2024"
    assert prose.period_text("2024-04-01", "2025-03-31") == "Apr 2024 to Mar 2025"
    row = {"measure": "deliveries", "subject": COMPANY, "period_start": "2024-01-01",
           "period_end": "2024-12-31"}
    assert front.figure_what(row).endswith("(2024)")


# ---- wording: what a judgment states and how many sources say it


def test_a_content_cut_before_a_contrast_is_shown_as_the_whole_sentence():
    sts = [statement("s1", "a3", "Analysts at Bernstein", "Bernstein", "estimate",
                     "Vela Motors' battery costs were unknown")]
    c = claim("c1", "statement", "Bernstein|estimate", "estimate", [("a3", "Analysts at Bernstein")])
    run = make_run(statements=sts, claims=[c])
    text = front.judgment_text(run, c[0])
    assert "but were far higher than the $900 million" in text, text


def test_a_judgment_counts_only_the_sources_that_give_its_value():
    figs = [figure("v1", "a3", "$8 billion", "valuation", COMPANY, 8e9),
            figure("v2", "a2", "$8 billion", "valuation", COMPANY, 8e9),
            figure("v3", "a1", "$2 billion", "valuation", COMPANY, 2e9)]
    same = claim("c1", "figure", f"valuation|{COMPANY}|USD|fact||published|2025-03-03", "multi_source",
                 [("a3", "is valued at $8 billion"), ("a2", "value Vela Motors at $8 billion")])
    other = claim("c2", "figure", f"valuation|{COMPANY}|USD|fact||published|2025-03-04", "single_source",
                  [("a1", "raised $2 billion")])
    run = make_run(figures=figs, claims=[same, other])
    picks = [j for j in front.pick_judgments(run) if "valu" in j.text.lower()]
    assert len(picks) == 1 and picks[0].n_sources == 2 and picks[0].label.text == "2 sources"
    lone = importance.Fact([other[0], same[0]], pd.DataFrame(), "", 0.0, {}, 3, ["a1", "a2", "a3"])
    assert importance.stated_sources(run, lone, other[0]) == 1   # $2 billion: one outlet, not three


def test_a_share_move_is_quoted_not_restated_without_its_direction():
    figs = [figure("m1", "a3", "9%", "share_price_move", COMPANY, 9.0, unit="%", kind="market_move")]
    c = claim("c1", "figure", f"share_price_move|{COMPANY}|%|fact||published|2025-03-04",
              "single_source", [("a3", "shares fell 9%")])
    run = make_run(figures=figs, claims=[c])
    assert "shares fell 9% on Tuesday" in front.judgment_text(run, c[0])


def test_a_percentage_of_a_level_measure_is_named_as_its_change():
    from newsbrief.briefing import sections as S
    from newsbrief.briefing.sections.front import figure_what
    assert S.measure_name("revenue") == "Revenue"
    assert S.measure_name("revenue", "%") == "Revenue change"      # "revenue rose 64%"
    assert S.measure_name("market_share", "%") == S.measure_name("market_share")   # a share is a level
    assert figure_what({"measure": "revenue", "unit": "%", "subject": "Acme"}).startswith("Revenue change of Acme")


# ---- what a fact is stated by (D)

def test_an_allegation_told_without_a_speaker_is_weighed_as_the_news_it_is():
    # a sentence backing no claim counts less (sentence_factor), but an accusation about the
    # company's product is news however it is told: it outranks a single outlet's money figure
    figs = [figure("f1", "a1", "$2 billion", "funding_equity", COMPANY, 2e9)]
    money = claim("c5", "figure", "funding_equity|Vela Motors|money|fact", "single_source",
                  [("a1", "$2 billion")])
    facts = importance.rank_facts(make_run(figures=figs, claims=[money]))
    alleged = next(f for f in facts if "alleged" in f.claim["quote"])
    assert alleged.kind == "allegation"
    assert alleged.score == round(importance.score(alleged.parts, False), 6)   # no sentence factor
    assert facts.index(alleged) < next(i for i, f in enumerate(facts) if f.claim["claim_id"] == "c5")


def test_a_fact_is_stated_by_its_dispute_saying_when_and_who_gives_each_side():
    figs, claims, dis = _dispute("The Aurora has a range", "a2")
    for row in dis:
        row["when"] = "2024-01-01 to 2024-12-31"
    figs += [figure("f3", "a2", "$8 billion", "funding_equity", COMPANY, 8e9),
             figure("f4", "a3", "$8 billion", "funding_equity", COMPANY, 8e9)]
    # a better covered claim of the same fact: the dispute is still what the page states
    claims.append(claim("c0", "figure", "funding_equity|Vela Motors|money|fact", "multi_source",
                        [("a2", "$8 billion"), ("a3", "valued at $8 billion")]))
    sts = [statement("s1", "a1", "Vela Motors raised", COMPANY, "company_claim",
                     "Vela Motors raised $2 billion in a Series C round")]
    run = make_run(figures=figs, statements=sts, claims=claims, disagreements=dis)
    texts = [j.text for j in front.pick_judgments(run)]
    stated = [t for t in texts if "$8 billion" in t or "disagree" in t]
    assert stated == ["Sources disagree on Vela Motors’s equity raised (2024): $2 billion according "
                      "to the company, 300 million according to Handelsblatt."], texts


def test_a_disagreement_says_when_at_the_precision_stated():
    assert prose.when_phrase("2024-01-01 to 2024-12-31") == "2024"
    assert prose.when_phrase("2025-05-21") == "21 May 2025"
    assert prose.when_phrase("as of 2025-01-27") == "as of 27 Jan 2025"
    assert prose.when_phrase("Series B") == "Series B"
    assert prose.when_phrase("") == ""


def test_a_percentage_of_a_level_measure_is_quoted_not_stated_as_the_level():
    # "deliveries rose 31%": "Vela Motors delivered 31%" would be false
    figs = [figure("m1", "a3", "9%", "deliveries", COMPANY, 9.0, unit="%", kind="percent")]
    c = claim("c1", "figure", f"deliveries|{COMPANY}|%|fact||published|2025-03-04",
              "single_source", [("a3", "shares fell 9%")])
    run = make_run(figures=figs, claims=[c])
    assert front.judgment_text(run, c[0]).startswith("AP reports: “Vela Motors shares fell 9%")


def test_sources_are_counted_across_compatible_measures():
    # "raised $2 billion" (kind of funding not said) and "a $2 billion Series C" (equity): one
    # round, two outlets (measures.yml `compatible_with`); a $2 billion loan is another fact
    figs = [figure("f1", "a1", "$2 billion", "funding_equity", COMPANY, 2e9),
            figure("f2", "a2", "$8 billion", "funding", COMPANY, 2e9)]
    claims = [claim("c1", "figure", "funding_equity|Vela Motors|money|fact", "single_source", [("a1", "$2 billion")]),
              claim("c2", "figure", "funding|Vela Motors|money|fact", "single_source", [("a2", "$8 billion")])]
    facts = [f for f in importance.rank_facts(make_run(figures=figs, claims=claims)) if f.claim["kind"] == "figure"]
    assert len(facts) == 1 and facts[0].n_sources == 2
    picks = [j for j in front.pick_judgments(make_run(figures=figs, claims=claims)) if "$2 billion" in j.text]
    assert picks and picks[0].n_sources == 2
    figs[1]["measure"], claims[1][0]["key"] = "funding_debt", "funding_debt|Vela Motors|money|fact"
    facts = [f for f in importance.rank_facts(make_run(figures=figs, claims=claims)) if f.claim["kind"] == "figure"]
    assert len(facts) == 2


def test_a_history_is_told_by_the_latest_period_with_the_claims_own_figure():
    # "revenue of $2 billion in 2024, after $1 billion in 2023" (two claims in one sentence): the
    # page states the 2024 claim with its own value, never the 2023 value
    y2024 = {"period_start": "2024-01-01", "period_end": "2024-12-31"}
    y2023 = {"period_start": "2023-01-01", "period_end": "2023-12-31"}
    figs = [figure("fig-1", "a1", "$2 billion", "revenue", COMPANY, 2e9, **y2024),
            figure("fig-2", "a1", "sovereign funds", "revenue", COMPANY, 1e9, **y2023),
            figure("fig-3", "a2", "$8 billion", "revenue", COMPANY, 1e9, **y2023)]
    new = claim("c1", "figure", "revenue|Vela Motors|money|fact", "single_source", [("a1", "$2 billion")])
    old = claim("c2", "figure", "revenue|Vela Motors|money|fact", "multi_source",
                [("a1", "sovereign funds"), ("a2", "$8 billion")])
    new[1][0]["item_id"] = "fig-1"
    old[1][0]["item_id"], old[1][1]["item_id"] = "fig-2", "fig-3"
    run = make_run(figures=figs, claims=[new, old])
    texts = [j.text for j in front.pick_judgments(run) if "revenue" in j.text]
    assert texts == ["One outlet puts Vela Motors’s revenue at $2 billion for 2024."], texts


def test_a_judgment_is_never_cut_inside_a_figure_nor_says_when_it_was_said():
    assert front._cut_loses_point("the final run took two months and cost $5.2 million in rented time", 9)
    assert not front._cut_loses_point("the final run took two months on rented chips in a data centre", 9)
    sts = [statement("s1", "a1", "Vela Motors raised", COMPANY, "company_claim",
                     "on Tuesday it had raised $2 billion in a Series C round led by sovereign funds")]
    c = claim("c1", "statement", f"{COMPANY}|company_claim", "company_claim", [("a1", "Vela Motors raised")])
    run = make_run(statements=sts, claims=[c])
    assert front.judgment_text(run, c[0]) == ("Vela Motors says it had raised $2 billion in a Series C "
                                              "round led by sovereign funds.")


def test_a_statement_judgment_drops_the_attribution_it_restates():
    assert front._without_trailing_attribution(
        "its revenue was 180 million euros in 2023, the company said") == "its revenue was 180 million euros in 2023"
    assert front._without_trailing_attribution("prices fell, Liu Jiahui said") == "prices fell"
    assert front._without_trailing_attribution("the plan, he said, is sound") == "the plan, he said, is sound"



def test_a_key_figure_caveat_gives_its_own_scope_not_another_figure_s():
    figs = [figure("f1", "a1", "$2 billion", "profit_loss", COMPANY, 2e9),
            figure("f3", "a3", "300 million", "profit_loss", COMPANY, 3e8, scope="EBITDA")]
    run = make_run(figures=figs)
    assert "ebitda" not in front._caveat(run, figs[0], pd.DataFrame(figs)).lower()
    assert "scope: ebitda" in front._caveat(run, figs[1], pd.DataFrame(figs)).lower()


def test_revenue_of_no_stated_period_is_quoted_not_restated_as_if_it_were_the_year_s():
    figs = [figure("fig-1", "a1", "$2 billion", "revenue", COMPANY, 2e9)]
    c = claim("c1", "figure", "revenue|Vela Motors|money|fact", "single_source", [("a1", "$2 billion")])
    c[1][0]["item_id"] = "fig-1"
    run = make_run(figures=figs, claims=[c])
    assert front.judgment_text(run, c[0]).startswith("Reuters reports: “Vela Motors raised $2 billion")


def test_a_fact_is_told_by_its_latest_news_and_its_main_figure_not_one_in_brackets():
    # a fine the story recalls "in 2021" is older news than the one of the article's day; in
    # "revenue of $2 billion (2023: $8 billion)" the bracketed value is set beside the main one
    recalled = figure("fig-1", "a1", "$2 billion", "fine_penalty", COMPANY, 2e9,
                      period_start="2021-01-01", period_end="2021-12-31")
    today = figure("fig-2", "a1", "sovereign funds", "fine_penalty", COMPANY, 3e9)
    bracketed = {**figure("fig-3", "a1", "Series C", "fine_penalty", COMPANY, 4e9)}
    bracketed["quote"] = bracketed["quote"].replace("Series C", "(2023: Series C)")
    bracketed["mention_start"] += len("(2023: ")
    figs = pd.DataFrame([recalled, today, bracketed])
    run = make_run(figures=[recalled, today, bracketed])
    assert importance._news_day(run, {"article_id": "a1"}, figs.iloc[[0]]) == date(2021, 12, 31).toordinal()
    assert importance._news_day(run, {"article_id": "a1"}, figs.iloc[[1]]) == date(2025, 3, 3).toordinal()
    assert importance.in_brackets(figs.iloc[[2]]) and not importance.in_brackets(figs.iloc[[1]])


def test_two_facts_of_one_sentence_are_told_once():
    figs = [figure("fig-1", "a1", "$2 billion", "funding", COMPANY, 2e9),
            figure("fig-2", "a1", "sovereign funds", "investment", COMPANY, 1e9)]
    one = claim("c1", "figure", "funding|Vela Motors|money|fact", "single_source", [("a1", "$2 billion")])
    two = claim("c2", "figure", "investment|Vela Motors|money|fact", "single_source", [("a1", "sovereign funds")])
    one[1][0]["item_id"], two[1][0]["item_id"] = "fig-1", "fig-2"
    run = make_run(figures=figs, claims=[one, two])
    picks = front.pick_judgments(run)
    assert len([j for j in picks if "Vela Motors raised" in str(j.claim["quote"])]) == 1, [j.text for j in picks]


def test_a_noun_phrase_reported_with_a_second_act_is_no_clause_to_follow_says():
    assert not front.reads_as_clause("a 49% fall in first-quarter profit to 118 million euros, and "
                                     "said it had agreed to buy a Lisbon rebar maker")
    assert front.reads_as_clause("its profit was down 49%, and said it had agreed to buy a Lisbon rebar maker")


def test_a_thing_reported_or_a_content_naming_its_speaker_is_quoted_not_said():
    reported = [statement("s1", "a1", "Vela Motors raised", COMPANY, "company_claim",
                          "$2 billion in a Series C round led by sovereign funds", verb="reported")]
    c = claim("c1", "statement", f"{COMPANY}|company_claim", "company_claim", [("a1", "Vela Motors raised")])
    assert front.judgment_text(make_run(statements=reported, claims=[c]), c[0]).startswith("Reuters reports: “")
    garbled = [statement("s1", "a1", "Vela Motors raised", COMPANY, "company_claim",
                         "Vela $2 billion in a Series C round led by sovereign funds", verb="fined")]
    assert front.judgment_text(make_run(statements=garbled, claims=[c]), c[0]).startswith("Reuters reports: “")


def test_a_fact_is_told_by_a_claim_stating_its_measure_not_a_sentence_that_only_mentions_it():
    profit = figure("fig-1", "a1", "$2 billion", "profit_loss", COMPANY, 2e9, status="expected")
    move = figure("fig-2", "a3", "9%", "share_price_move", COMPANY, 9.0, unit="%", kind="market_move")
    run = make_run(figures=[profit, move])
    groups = []
    for fig, base in ((profit, 1.0), (move, 5.0)):
        c = importance._Candidate.__new__(importance._Candidate)
        c.claim = {"claim_id": fig["figure_id"], "article_id": fig["article_id"], "kind": "sentence",
                   "label": "single_source", "start": fig["start"]}
        c.figures, c.base, c.doubt, c.disputes = pd.DataFrame([fig]), base, 0.0, []
        groups.append(c)
    groups.append(groups[0])   # two claims state the profit
    order = importance.stated_order(run, groups)
    assert order[0].claim["claim_id"] == "fig-1"


def test_an_infinitive_is_no_clause_to_follow_says():
    assert not front.reads_as_clause("operating profit for 2025 to be lower than in 2024")
    assert front.reads_as_clause("operating profit for 2025 will be lower than in 2024")
