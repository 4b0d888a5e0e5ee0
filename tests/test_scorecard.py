"""scorecard: the scoring functions on tiny hand-made inputs, and one real run on a tiny corpus."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from newsbrief.dev import scorecard as sc

MISSING = sc.MISSING


def fig(aid, value, mention, measure="fine_penalty", subject="Acme", low=None, high=None):
    return {"article_id": aid, "value": value, "low": value if low is None else low,
            "high": value if high is None else high, "mention": mention,
            "measure": measure, "subject": subject}


def test_same_subject_folds_and_accepts_a_named_part():
    assert sc.same_subject("Tesla", "tesla")
    assert sc.same_subject("Tesla", "Tesla and Elon Musk")
    assert sc.same_subject("S&P 500", "S&P-500")
    assert sc.same_subject("U.S. Securities and Exchange Commission", "US Securities and Exchange Commission")
    assert not sc.same_subject("Tesla", "Teslas rival")
    assert not sc.same_subject("Tesla", "")
    assert sc.same_subject("", "")


def test_figures_match_on_article_and_value_and_prefer_the_overlapping_mention():
    labels = [fig("a", 5e9, "$5 billion fine"), fig("b", 1e8, "$100 million", subject="Acme")]
    found = [fig("a", 5e9, "5 billion dollars", subject="FTC"),   # same value, other mention
             fig("a", 5e9, "$5 billion", subject="Acme"),
             fig("b", 1e8, "$100 million", measure="revenue"),     # wrong measure
             fig("b", 7.0, "7")]
    pairs = sc.match_figures(labels, found)
    assert [p[1]["mention"] for p in pairs] == ["$5 billion", "$100 million"]
    assert sc.figure_recall(labels, found) == sc.Score(2, 2)
    assert sc.figure_accuracy(labels, found, ["measure", "subject"]) == sc.Score(1, 2)
    assert sc.figure_recall(labels, found[3:]) == sc.Score(0, 2)


def test_a_product_counts_as_its_owner_only_when_the_row_names_it_as_its_item():
    labels = [fig("a", 139900.0, "139,900 yuan", measure="price", subject="Orvane Motors")]
    owners = sc.model_owners([{"name": "Sable", "kind": "model", "owner": "Orvane Motors"},
                              {"name": "Model Y", "kind": "model", "owner": "Tesla"}])
    named = [dict(fig("a", 139900.0, "139,900 yuan", measure="price", subject="Sable"), item="Sable")]
    unnamed = [dict(named[0], item="")]
    rival = [dict(named[0], subject="Model Y", item="Model Y")]
    assert sc.figure_accuracy(labels, named, ["measure", "subject"], owners) == sc.Score(1, 1)
    assert sc.figure_accuracy(labels, unnamed, ["measure", "subject"], owners) == sc.Score(0, 1)
    assert sc.figure_accuracy(labels, rival, ["measure", "subject"], owners) == sc.Score(0, 1)
    assert sc.figure_accuracy(labels, named, ["measure", "subject"]) == sc.Score(0, 1)


def test_figure_accuracy_is_not_faked_without_a_subject_column():
    labels = [fig("a", 1.0, "1")]
    assert sc.figure_accuracy(labels, labels, ["measure"]).text() == MISSING


def test_disagreements_precision_and_recall():
    labels = [{"measure": "price_multiple", "subject": "Acme",
               "sides": {"A": ["a"], "B": ["b"]}}]
    rows = [  # d1 matches (sides swapped is fine); d2 is a false disagreement
        {"disagreement_id": "d1", "side": "A", "measure": "price_multiple", "subject": "Acme",
         "article_id": "b", "value_text": "x"},
        {"disagreement_id": "d1", "side": "B", "measure": "price_multiple", "subject": "Acme",
         "article_id": "a", "value_text": "y"},
        {"disagreement_id": "d2", "side": "A", "measure": "training_cost", "subject": "Acme",
         "article_id": "a", "value_text": "x"},
        {"disagreement_id": "d2", "side": "B", "measure": "training_cost", "subject": "Acme",
         "article_id": "c", "value_text": "y"},
    ]
    precision, recall = sc.disagreement_scores(labels, rows)
    assert (precision, recall) == (sc.Score(1, 2), sc.Score(1, 1))
    other_subject = [dict(r, subject="Rival") for r in rows[:2]]
    assert sc.disagreement_scores(labels, other_subject)[1] == sc.Score(0, 1)


def test_a_found_disagreement_matches_when_its_sides_overlap_different_labelled_sides():
    labelled = {"A": ["a1", "a2"], "B": ["b1"]}
    assert sc.sides_overlap(labelled, {"A": {"a2"}, "B": {"b1", "x"}})     # a subset of each side
    assert sc.sides_overlap(labelled, {"A": {"b1"}, "B": {"a1"}})          # sides swapped
    assert not sc.sides_overlap(labelled, {"A": {"a1"}, "B": {"a2"}})      # one labelled side only
    assert not sc.sides_overlap(labelled, {"A": {"a1"}, "B": {"x"}})       # B shares no article
    assert sc.sides_overlap({}, {"A": {"x"}, "B": {"y"}})


def test_publication_dates_and_outlets_count_only_what_the_text_states():
    labelled = {"a": {"published": "2019-07-24", "outlet": "Voice of America"},
                "b": {"published": "2019-07-16", "outlet": None},
                "c": {"published": None, "outlet": None}}
    found = [{"article_id": "a", "published": "2019-07-24", "outlet": "voice of america"},
             {"article_id": "b", "published": "2019-07-17", "outlet": ""},
             {"article_id": "c", "published": "", "outlet": ""}]
    assert sc.publication_date_recall(labelled, found) == sc.Score(1, 2)
    assert sc.outlet_recall(labelled, found) == sc.Score(1, 1)
    assert sc.outlet_recall(labelled, [dict(found[0], outlet="")]) == sc.Score(0, 1)
    # a label spelt as the text spells it matches the canonical name ingest gives
    assert sc.outlet_recall({"a": {"outlet": "AFP"}}, [{"article_id": "a", "outlet": "Agence France-Presse"}]) \
        == sc.Score(1, 1)
    assert sc.outlet_recall({"a": {"outlet": "AFP"}}, [{"article_id": "a", "outlet": "Reuters"}]) == sc.Score(0, 1)


def test_model_owner_accuracy_strips_the_owner_prefix():
    labels = [{"name": "DeepSeek-R1", "owner": "DeepSeek"}, {"name": "GPT-4o", "owner": "OpenAI"},
              {"name": "Qwen", "owner": "Alibaba"}]
    entities = [{"name": "R1", "kind": "model", "owner": "DeepSeek", "aliases": ""},
                {"name": "GPT 4o", "kind": "model", "owner": "DeepSeek", "aliases": ""},
                {"name": "Qwen", "kind": "company", "owner": "Alibaba", "aliases": ""},
                {"name": "Lark", "kind": "product", "owner": "Orvane Motors", "aliases": ""}]
    assert sc.model_owner_accuracy(labels, entities, ["name", "owner"]) == sc.Score(1, 2)
    car = [{"name": "Lark", "owner": "Orvane Motors"}]
    assert sc.model_owner_accuracy(car, entities, ["name", "owner"]) == sc.Score(1, 1)
    assert sc.model_owner_accuracy(labels, entities, ["name"]).text() == MISSING


def test_statement_agreement_on_matched_quotes():
    labels = [{"article_id": "a", "quote": "The fine doesn’t fit the offense.", "speaker_role": "government",
               "is_doubt": True},
              {"article_id": "a", "quote": "not in any row", "speaker_role": "analyst", "is_doubt": False}]
    found = [{"article_id": "a", "quote": "In addition: The fine doesn’t fit the offense.",
              "speaker_role": "Government", "is_doubt": False}]
    assert sc.statement_agreement(labels, found, "speaker_role", True) == sc.Score(1, 1)
    assert sc.statement_agreement(labels, found, "is_doubt", True) == sc.Score(0, 1)
    assert sc.statement_agreement(labels, found, "is_doubt", False).text() == MISSING


def test_statement_matched_to_the_labelled_speaker_of_its_sentence():
    sentence = "Acme agreed to pay a fine, the Maritime Commission said."
    labels = [{"article_id": "a", "quote": "the Maritime Commission said", "speaker": "Maritime Commission",
               "speaker_role": "regulator"}]
    found = [{"article_id": "a", "quote": sentence, "speaker": "Acme", "speaker_role": "company"},
             {"article_id": "a", "quote": sentence, "speaker": "Maritime Commission", "speaker_role": "regulator"}]
    assert sc.statement_agreement(labels, found, "speaker_role", True) == sc.Score(1, 1)


def test_front_page_false_disagreements_are_disputed_picks_no_label_backs():
    labels = [{"measure": "price_multiple", "sides": {"A": ["a"], "B": ["b"]}}]
    picks = [{"label": "disputed", "key": "price_multiple|x", "article_ids": "a", "article_id": "a"},
             {"label": "disputed", "key": "price_multiple|x", "article_ids": "c", "article_id": "c"},
             {"label": "disputed", "key": "training_cost|x", "article_ids": "a;b", "article_id": "a"},
             {"label": "multi_source", "key": "training_cost|x", "article_ids": "a;c", "article_id": "a"}]
    assert sc.front_false_disagreements(picks, labels) == sc.Score(2, 3)
    assert sc.front_false_disagreements(picks, []) == sc.Score(3, 3)


def test_pooling_sums_counts_and_keeps_a_missing_column_missing():
    assert sc.Score(1, 2) + sc.Score(3, 4) == sc.Score(4, 6)
    assert (sc.Score(1, 2) + sc.Score(reason=MISSING)).text() == MISSING
    assert sc.Score(0, 0).text() == sc.NONE
    assert sc.Score(2, 3).text() == "0.67 (2/3)"


def test_corpus_kind_from_labels_or_readme(tmp_path):
    assert sc.corpus_kind(tmp_path, {"kind": "Real"}) == "real"
    (tmp_path / "README.md").write_text("Synthetic: written for this project.", encoding="utf-8")
    assert sc.corpus_kind(tmp_path, {}) == "synthetic"
    (tmp_path / "README.md").write_text("Articles.", encoding="utf-8")
    with pytest.raises(ValueError, match="kind"):
        sc.corpus_kind(tmp_path, {})


def test_scorecard_table_marks_held_out_and_missing_columns():
    scores = {k: sc.Score(1, 2) for k, *_r in sc.COLUMNS} | {"owner": sc.Score(reason=MISSING)}
    per_corpus = [(sc.Corpus("x", "dev-real", Path("."), {}), scores),
                  (sc.Corpus("y", "heldout", Path("."), {}), scores)]
    text = sc.format_scorecard(sc.group_rows(per_corpus), "title")
    lines = text.splitlines()
    assert lines[0] == "title" and "model owner" in lines[1]
    assert any(line.startswith("heldout (1 corpus) HELD OUT") for line in lines)
    assert MISSING in text and sc.NO_CORPORA in text and "0.50 (1/2)" in text
    assert lines[-1].startswith("target (real corpora)")


def test_score_corpus_runs_the_pipeline_without_the_metadata_file(tmp_path):
    folder = tmp_path / "tiny"
    folder.mkdir()
    (folder / "2024-06-11_wire_acme.txt").write_text(
        " date 2024-06-11 BERLIN: Acme Robotics raised $40 million in a Series B round, "
        "the company said on Tuesday.\n", encoding="utf-8")
    (folder / "metadata.csv").write_text(
        "file,outlet,outlet_status,published,published_status\n"
        "2024-06-11_wire_acme.txt,Somewhere,stated,1999-01-01,stated\n", encoding="utf-8")
    labels = {"kind": "real", "company": "Acme Robotics",
              "articles": {"2024-06-11_wire_acme": {"published": "2024-06-11", "outlet": None}},
              "figures": [fig("2024-06-11_wire_acme", 4e7, "$40 million", "funding_equity", "Acme Robotics")]}
    (folder / "labels.yml").write_text(yaml.safe_dump(labels), encoding="utf-8")
    scores = sc.score_corpus(sc.Corpus("tiny", "dev-real", folder, labels))
    assert set(scores) == {k for k, *_r in sc.COLUMNS}
    assert scores["fig_recall"] == sc.Score(1, 1)
    assert scores["date_r"] == sc.Score(1, 1)  # the text's date, not the metadata file's 1999
    tables = sc.run_pipeline(folder, "Acme Robotics")
    assert set(tables["articles"]["article_id"]) == {"2024-06-11_wire_acme"}
    assert (tables["articles"]["published"] != "1999-01-01").all()


def test_explain_lists_misses_and_refuses_held_out_corpora(tmp_path, capsys):
    folder = tmp_path / "corpora" / "dev" / "tiny"
    folder.mkdir(parents=True)
    (folder / "a.txt").write_text("Acme Robotics raised $40 million, the company said.\n", encoding="utf-8")
    labels = {"kind": "real", "company": "Acme Robotics", "articles": {"a": {"published": "2024-06-11"}},
              "figures": [fig("a", 7e6, "$7 million")]}
    (folder / "labels.yml").write_text(yaml.safe_dump(labels), encoding="utf-8")
    held = tmp_path / "corpora" / "heldout" / "secret"
    held.mkdir(parents=True)
    (held / "labels.yml").write_text(yaml.safe_dump(labels), encoding="utf-8")
    assert sc.main(["--eval-dir", str(tmp_path), "--explain", "tiny"]) == 0
    out = capsys.readouterr().out
    assert "figure missed      a: '$7 million'" in out
    assert "date   a: 2024-06-11" in out
    with pytest.raises(SystemExit):
        sc.main(["--eval-dir", str(tmp_path), "--explain", "secret"])
    assert "held out" in capsys.readouterr().err
