"""Readers for every accepted input format: PDF, Word, RTF, JSON Lines, JSON, CSV, RSS/Atom and
news-database exports; bad input of each kind; language identification; links that leave the
articles folder. Fixtures are written by tests/fixtures/formats/make_formats_corpus.py."""
from __future__ import annotations

import io
import json
import os
from datetime import date
from pathlib import Path

import pytest

from conftest import SEEDS, formats_corpus_module
from newsbrief.build import manifest
from newsbrief.ingest import containers, documents, exports, language, records
from newsbrief.ingest import corpus as ingest
from newsbrief.ingest.corpus import ArticleRejected

fixtures = formats_corpus_module()


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    root = tmp_path_factory.mktemp("formats") / "articles"
    return root, fixtures.make_formats_corpus(root)


def _items(path: Path) -> list[containers.Item]:
    return list(containers.read_items(path, lambda *note: None))


def _collect():
    notes: list[tuple[str, str, str]] = []
    return notes, lambda problem, action, severity: notes.append((problem, action, severity))


# --------------------------------------------------------------------------------- PDF

def test_pdf_drops_running_heads_feet_and_page_numbers_and_undoes_hyphenation(corpus):
    root, _ = corpus
    doc = documents.read_pdf(root / "kestrel_lyon.pdf", (root / "kestrel_lyon.pdf").read_bytes())
    assert "Example Daily" not in doc.text and "Page 1" not in doc.text
    assert "https://" not in doc.text
    assert "The laboratory said" in doc.text and "labo-" not in doc.text
    # the same hyphenated word occurs unbroken elsewhere in the file: its hyphen is kept
    assert doc.text.count("state-owned") == 2 and "stateowned" not in doc.text
    paragraphs = doc.text.split("\n\n")
    assert paragraphs[0] == fixtures.PDF_ARTICLE[0]  # the two-line heading is one paragraph
    assert paragraphs[1].startswith("LYON, March 20") and paragraphs[1].endswith("autumn.")
    assert all("\n" not in p for p in paragraphs)
    assert doc.stated == {"title": fixtures.PDF_ARTICLE[0],
                          "url": "https://daily.example.com/tech/kestrel-lyon"}


@pytest.mark.parametrize("name, reason", [("truncated.pdf", "not a readable PDF"),
                                          ("encrypted.pdf", "encrypted PDF"),
                                          ("scanned.pdf", "without a text layer")])
def test_unusable_pdf_is_rejected_with_its_reason(corpus, name, reason):
    root, _ = corpus
    with pytest.raises(ArticleRejected) as err:
        ingest.read_article(root / name)
    assert reason in err.value.reason and err.value.action


def test_join_lines_paragraph_rules():
    full = "x" * 60
    lines = [(0, 100.0, 9.0, full), (0, 89.0, 9.0, "short end."), (0, 78.0, 9.0, full),
             (0, 67.0, 9.0, full), (0, 40.0, 9.0, full), (1, 700.0, 9.0, "compu-"),
             (1, 689.0, 9.0, "ter " + full)]
    assert documents.join_lines(lines).split("\n\n") == [
        f"{full} short end.", f"{full} {full}", f"{full} computer {full}"]


# --------------------------------------------------------------------------------- Word, RTF

def test_docx_body_paragraphs_without_page_header(corpus):
    root, _ = corpus
    art = ingest.read_article(root / "kestrel_interview.docx")
    assert art.text.split("\n\n") == fixtures.DOCX_ARTICLE
    assert "INTERNAL CLIPPING" not in art.text
    assert art.stated == {"title": fixtures.DOCX_ARTICLE[0]}


def test_broken_docx_and_doc_are_rejected(tmp_path):
    (tmp_path / "broken.docx").write_bytes(b"PK\x03\x04 not really a zip archive")
    (tmp_path / "old.doc").write_bytes(b"\xd0\xcf\x11\xe0 old Word binary")
    with pytest.raises(ArticleRejected, match="not a readable Word file"):
        ingest.read_article(tmp_path / "broken.docx")
    with pytest.raises(ArticleRejected, match=r"\.doc"):
        ingest.read_article(tmp_path / "old.doc")


def test_rtf_paragraphs_and_non_rtf_rejected(tmp_path):
    path = tmp_path / "note.rtf"
    path.write_bytes(fixtures._rtf(["Kestrel AI caf\u00e9 opens.", "", "Second {braced} line."]))
    assert ingest.read_article(path).text == "Kestrel AI caf\u00e9 opens.\n\nSecond {braced} line."
    path.write_bytes(b"plain text saved with the wrong name")
    with pytest.raises(ArticleRejected, match="not an RTF file"):
        ingest.read_article(path)


# --------------------------------------------------------------------------------- exports

def test_factiva_export_splits_into_documents_with_stated_fields(corpus):
    root, _ = corpus
    items = _items(root / "factiva_export.rtf")
    assert [i.record for i in items] == ["document 1", "document 2"]
    first = items[0].result
    assert first.stated == {"title": "Kestrel AI wins defence research contract",
                            "outlet": "Example Financial Daily", "published": "2025-04-02"}
    doc = fixtures.FACTIVA_DOCUMENTS[0]
    assert first.text == "\n\n".join(doc["LP"] + doc["TD"])
    assert "Search Summary" not in first.text and "c11" not in first.text


def test_export_layout_needs_all_its_markers():
    assert exports.split_export("HD is a resolution.\n\nTD means touchdown.\n") is None
    text = "\n".join(fixtures.factiva_lines(fixtures.FACTIVA_DOCUMENTS))
    name, recs = exports.split_export(text)
    assert name == "factiva" and len(recs) == 2 and not any(r.error for r in recs)
    empty = text.replace("LP\n" + fixtures.FACTIVA_DOCUMENTS[1]["LP"][0], "LP") \
        .replace("TD\n" + "\n".join(fixtures.FACTIVA_DOCUMENTS[1]["TD"]), "TD")
    assert "without text" in exports.split_export(empty)[1][1].error


# --------------------------------------------------------------------------------- JSON Lines, JSON

def test_jsonl_records_field_names_and_bad_lines(tmp_path):
    notes, note = _collect()
    lines = [json.dumps({"Title": "A", "Body": "Kestrel AI text one.", "PublishedAt": "2025-03-01"}),
             "",
             "{not json",
             json.dumps(["a", "list"]),
             json.dumps({"headline": "B", "summary": "Only a summary of Kestrel AI."}),
             json.dumps({"id": 7, "category": "tech"})]
    recs = list(records.iter_jsonl(io.BytesIO("\n".join(lines).encode()), note))
    assert [r.record for r in recs] == ["line 1", "line 3", "line 4", "line 5", "line 6"]
    assert recs[0].text == "Kestrel AI text one." and recs[0].stated["title"] == "A"
    assert recs[0].stated["published"] == "2025-03-01"
    assert "malformed JSON" in recs[1].error and "not an object" in recs[2].error
    assert recs[3].text.startswith("Only a summary") and "summary" in recs[3].notes[0][0]
    assert "no text field" in recs[4].error and "category, id" in recs[4].error


def test_jsonl_record_limit_is_noted(tmp_path):
    notes, note = _collect()
    data = b"\n".join(json.dumps({"text": f"Kestrel AI item {i}."}).encode() for i in range(5))
    recs = list(records.iter_jsonl(io.BytesIO(data), note, limit=3))
    assert len(recs) == 3 and "record limit reached" in notes[0][0] and "line 3" in notes[0][1]


def test_news_api_truncation_marker_dropped_and_noted():
    rec = records.record_from_fields({"content": "Kestrel AI said more… [+2140 chars]"}, "item 1", 1)
    assert rec.text == "Kestrel AI said more" and "2,140" in rec.notes[0][0]


def test_json_array_api_response_and_single_object(tmp_path):
    notes, note = _collect()
    one = {"source": {"name": "Example Wire"}, "title": "T", "content": "<p>Kestrel AI one.</p>"
           "<p>Second <b>bold</b> paragraph.</p>", "url": "https://x.example.com/a"}
    for data, n in (([one, one], 2), ({"status": "ok", "articles": [one]}, 1), (one, 1)):
        recs = list(records.iter_json(json.dumps(data).encode(), note))
        assert len(recs) == n
        assert recs[0].text == "Kestrel AI one.\n\nSecond bold paragraph."
        assert recs[0].stated == {"title": "T", "outlet": "Example Wire",
                                  "url": "https://x.example.com/a"}
    with pytest.raises(ArticleRejected, match="malformed JSON"):
        list(records.iter_json(b'[{"text": "x"', note))


# --------------------------------------------------------------------------------- CSV

def test_csv_broken_quote_loses_only_its_row(corpus):
    root, expected = corpus
    items = _items(root / "wire_export.csv")
    assert [i.record for i in items] == ["row 1 (line 2)", "row 2 (line 3)", "row 3 (line 4)"]
    assert isinstance(items[1].result, ArticleRejected) and "quote" in items[1].result.reason
    assert items[2].result.text.startswith("Kestrel AI opened an office in Madrid")


def test_csv_wrong_field_count_and_missing_text_column(tmp_path):
    notes, note = _collect()
    text = 'TITLE,Content,Date\nA,"Kestrel AI one, with a comma",2025-01-02\nB,x,y,z\n\nC,"two\nlines",2025\n'
    recs = list(records.iter_csv(io.StringIO(text, newline=""), note))
    assert recs[0].text == "Kestrel AI one, with a comma"
    assert "4 fields where the header has 3" in recs[1].error
    assert recs[2].text == "two\n\nlines" and recs[2].record == "row 3 (line 5)"
    with pytest.raises(ArticleRejected, match=r"no text column recognised \(columns: id, views\)"):
        list(records.iter_csv(io.StringIO("id,views\n1,2\n"), note))


# --------------------------------------------------------------------------------- feeds

def test_rss_full_content_or_summary_with_note(corpus):
    root, _ = corpus
    notes, note = _collect()
    recs = list(records.iter_feed((root / "europe_tech.rss").read_bytes(), note))
    assert recs[0].text.split("\n\n")[0].startswith("Kestrel AI has hired a former European")
    assert not recs[0].notes
    assert recs[1].text == fixtures.RSS_SUMMARY_ITEM and "only a summary" in recs[1].notes[0][0]
    assert recs[0].stated["outlet"] == "Example Europe Tech"
    assert containers.parse_stated_date(recs[0].stated["published"]) == date(2025, 4, 7)


def test_atom_feed_and_not_a_feed(tmp_path):
    notes, note = _collect()
    atom = (b'<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
            b'<title>Example Atom</title><entry><title>Kestrel AI news</title>'
            b'<link href="https://atom.example.com/1"/><updated>2025-04-09T12:00:00Z</updated>'
            b'<content type="html">&lt;p&gt;Kestrel AI said hello.&lt;/p&gt;</content></entry></feed>')
    recs = list(records.iter_feed(atom, note))
    assert recs[0].record == "entry 1" and recs[0].text == "Kestrel AI said hello."
    assert recs[0].stated["url"] == "https://atom.example.com/1"
    with pytest.raises(ArticleRejected, match="not an RSS or Atom feed"):
        list(records.iter_feed(b"Kestrel AI news, copied from an e-mail <b>\n", note))


# --------------------------------------------------------------------------------- metadata

@pytest.mark.parametrize("value, expected", [
    ("2025-01-27", date(2025, 1, 27)), ("2025-01-27T23:30:00-05:00", date(2025, 1, 27)),
    ("Tue, 28 Jan 2025 01:00:00 +0800", date(2025, 1, 28)), ("27 January 2025", date(2025, 1, 27)),
    ("January 27, 2025", date(2025, 1, 27)), ("1737936000", date(2025, 1, 27)),
    ("last Tuesday", None), ("2025-02-30", None), ("", None)])
def test_parse_stated_date(value, expected):
    assert containers.parse_stated_date(value) == expected


def test_bad_stated_values_are_dropped_with_a_note():
    notes, note = _collect()
    assert containers.stated_metadata({"published": "soon", "url": "ftp://x", "title": " A  B "},
                                      note) == {"title": "A B"}
    assert len(notes) == 2


# --------------------------------------------------------------------------------- language

GERMAN = fixtures.GERMAN_ARTICLE
FRENCH = ("Le laboratoire parisien Kestrel AI a annoncé lundi l'ouverture d'un bureau à Madrid. "
          "Une vingtaine de personnes y travailleront d'abord, surtout pour conseiller les "
          "entreprises clientes. La cofondatrice a déclaré que l'Espagne était un marché "
          "important pour l'entreprise, sans donner de chiffres.")


@pytest.mark.parametrize("text, code", [(GERMAN, "de"), (FRENCH, "fr"),
                                        (fixtures.CHINESE_ARTICLE, "zh")])
def test_non_english_articles_are_identified(text, code):
    assert language.identify(text).code == code and not language.identify(text).is_english


def test_english_articles_need_no_model_and_short_texts_are_not_judged():
    language._identifier.cache_clear()
    for path in sorted(SEEDS.glob("*.txt")):
        assert language.identify(path.read_text(encoding="utf-8")).is_english
    assert language._identifier.cache_info().currsize == 0  # the 1 s model load was not paid
    assert language.identify("Die Aktie fiel.").how == "too short to judge"


def test_load_articles_names_non_english_articles_as_not_analysed(corpus):
    root, expected = corpus
    df, notes = ingest.load_articles(root, fixtures.COMPANY)
    for path, _ in expected.not_english:
        row = df[df["path"] == path].iloc[0]
        assert not row["included"] and row["skip_reason"].startswith("not in English")
        assert any(n.file == path and "not analysed" in n.action for n in notes)


# --------------------------------------------------------------------------------- corpus

def test_every_article_slot_has_its_own_id_text_and_provenance(corpus):
    root, expected = corpus
    df, notes = ingest.load_articles(root, fixtures.COMPANY)
    assert df["article_id"].is_unique
    got = {(r.path, r.record) for r in df.itertuples() if r.included}
    assert got == expected.included
    for r in df[df["included"]].itertuples():
        assert r.container == r.path
        assert containers.read_item_text(root / r.path, r.record) == r.text
    for (path, record), word in expected.unusable.items():
        row = df[(df["path"] == path) & (df["record"] == record)].iloc[0]
        assert not row["included"] and word.lower() in row["skip_reason"].lower()
        assert any(n.file == path and n.problem.startswith(record) for n in notes)
    line2 = df[(df["path"] == "newsapi_dump.jsonl") & (df["record"] == "line 2")].iloc[0]
    assert line2["article_id"] == "newsapi_dump-r00002"
    assert (line2["outlet"], line2["outlet_status"]) == ("Example Business Daily", "stated")
    assert (line2["published"], line2["published_status"]) == ("2025-03-27", "stated")
    assert len(set(df.loc[df["path"] == "newsapi_dump.jsonl", "sha256"])) == 1


def test_record_id_never_collides_with_a_file_id(tmp_path):
    (tmp_path / "dump.jsonl").write_text('{"text": "Kestrel AI one."}\n', encoding="utf-8")
    (tmp_path / "dump-r00001.txt").write_text("Kestrel AI two.\n", encoding="utf-8")
    df, _ = ingest.load_articles(tmp_path, fixtures.COMPANY)
    assert df["article_id"].is_unique and len(df) == 2


def test_links_out_of_the_articles_folder_are_not_read(tmp_path, monkeypatch):
    secret = tmp_path / "private.txt"
    secret.write_text("Kestrel AI PRIVATE_MARKER salary list.\n", encoding="utf-8")
    root = tmp_path / "articles"
    root.mkdir()
    (root / "inside.txt").write_text("Kestrel AI said something in public.\n", encoding="utf-8")
    os.symlink(secret, root / "leak.txt")
    os.symlink(root / "inside.txt", root / "alias.txt")  # a link that stays inside is read
    monkeypatch.delenv(ingest.ALLOW_OUTSIDE_LINKS_ENV, raising=False)
    refused: list[str] = []
    assert [p.name for p in ingest.discover(root, refused)] == ["alias.txt", "inside.txt"]
    assert refused == ["leak.txt"]
    df, notes = ingest.load_articles(root, fixtures.COMPANY)
    leak = df[df["path"] == "leak.txt"].iloc[0]
    assert not leak["included"] and leak["skip_reason"] == ingest.OUTSIDE_LINK_REASON
    assert leak["sha256"] == "" and "PRIVATE_MARKER" not in "".join(df["text"])
    assert any(n.file == "leak.txt" and "ALLOW_OUTSIDE_LINKS" in n.action for n in notes)
    text, _, _ = manifest.build_manifest(root)
    assert "outside-link  -  leak.txt" in text
    monkeypatch.setenv(ingest.ALLOW_OUTSIDE_LINKS_ENV, "1")
    df, _ = ingest.load_articles(root, fixtures.COMPANY)
    assert "PRIVATE_MARKER" in df.loc[df["path"] == "leak.txt", "text"].iloc[0]


def test_container_size_limit_refuses_without_reading(tmp_path):
    path = tmp_path / "dump.jsonl"
    path.write_text('{"text": "Kestrel AI one."}\n' * 10, encoding="utf-8")
    with pytest.raises(ArticleRejected, match="too large"):
        list(containers.read_items(path, lambda *n: None, max_bytes=50))


def test_bench_measures_ingest_of_a_json_lines_dump(tmp_path):
    from newsbrief.dev import bench

    row = bench.measure_jsonl_ingest(tmp_path, size=20)
    assert row["records"] == row["articles"] == 20 and row["seconds"] > 0 and row["peak_mb"] > 0
