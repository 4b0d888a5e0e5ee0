"""The notebooks as the analyst's workbench: briefing-tagged markdown cells become analyst notes
(escaped, in HTML and PDF), the evidence under each section stays in the notebook."""
import json
from datetime import date

import pandas as pd
import pytest
from pypdf import PdfReader

from conftest import project_copy, run_make

from newsbrief.briefing import render as r
from newsbrief.briefing import workbench
from newsbrief.briefing.sections import front, skepticism
from newsbrief.export import publish

HOSTILE_MD = ("## Why it matters\n\nThe *price war* is **real** <script>alert(1)</script> "
              "[see](javascript:alert(1)) #set page(width: 1cm)\n\n- one\n- two `<b>`\n\n1. first\n2. second\n")


def test_markdown_becomes_paragraphs_and_lists_with_emphasis():
    blocks = r.markdown_blocks(HOSTILE_MD)
    assert [type(b).__name__ for b in blocks] == ["Para", "Para", "Bullets", "Bullets"]
    assert blocks[0].content == [r.Strong("Why it matters")], "a heading is a bold line, not a section"
    assert r.Em("price war") in blocks[1].content and r.Strong("real") in blocks[1].content
    assert blocks[3].ordered and not blocks[2].ordered
    assert blocks[2].items[1] == ["two ", "<b>"]


def test_analyst_note_is_labelled_and_escaped_in_html():
    page = r.AnalystNote.from_markdown(HOSTILE_MD).html()
    assert page.startswith('<aside class="analyst-note" role="note"><p class="analyst-label">Analyst note</p>')
    assert "<script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "href=" not in page, "links are text: the page links nowhere outside itself"
    assert "<h2" not in page and "<ol><li>first</li>" in page


def test_analyst_note_from_plain_text_keeps_paragraphs():
    note = r.AnalystNote.from_text("first line\nsame paragraph\n\n  second <i>x</i> ")
    assert [b.content for b in note.body] == ["first line same paragraph", "second <i>x</i>"]
    assert "&lt;i&gt;" in note.html()


def _executed_notebook(path, cells):
    path.write_text(json.dumps({"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}))
    return path


def _display(block):
    data, meta = block._repr_mimebundle_()
    return {"output_type": "display_data", "data": data, "metadata": meta}


def _frame_output():
    frame = pd.DataFrame({"claim_id": ["c1"], "summary": ["EVIDENCE-ONLY row"]})
    return {"output_type": "execute_result", "data": {"text/html": frame.to_html(),
                                                      "text/plain": frame.to_string()}, "metadata": {}}


def test_tagged_markdown_cells_go_in_place_and_evidence_stays_out(tmp_path):
    cells = [
        {"cell_type": "markdown", "metadata": {}, "source": "untagged: stays in the notebook"},
        {"cell_type": "code", "metadata": {}, "outputs": [_display(r.Heading("Company"))], "source": ""},
        {"cell_type": "markdown", "metadata": {"tags": ["briefing"]}, "source": HOSTILE_MD},
        {"cell_type": "code", "metadata": {}, "outputs": [_frame_output(), _display(r.Para("after"))],
         "source": ""},
        {"cell_type": "markdown", "metadata": {"tags": ["briefing"]}, "source": "   \n"},
    ]
    blocks = publish.collect_blocks([_executed_notebook(tmp_path / "20_company.ipynb", cells)])
    assert [b.kind for b in blocks] == ["heading", "analyst", "para"], "empty tagged cells add nothing"
    page = publish.render_html(blocks, {}, "Title", "10_front")
    assert "untagged" not in page and "EVIDENCE-ONLY" not in page and "dataframe" not in page
    assert page.index('id="company"') < page.index("Analyst note") < page.index("<p>after</p>")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "<script>" not in page

    source = publish.render_typst(blocks, {}, "Title", "Co", date(2025, 1, 28), "10_front")
    pdf = tmp_path / "out.pdf"
    pdf.write_bytes(publish.compile_pdf(source, 1738022400, tmp_path / "typst"))
    text = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(pdf).pages)
    assert "ANALYST NOTE" in text and "<script>alert(1)</script>" in text
    assert "#set page(width: 1cm)" in text and "EVIDENCE-ONLY" not in text


def test_a_section_reads_its_own_tables_and_the_modules_it_builds_on():
    assert workbench.section_modules(front) == {"front", "importance"}
    tables = workbench.tables_read(front)
    assert tables[0] == "articles" and {"claims", "figures", "disagreements"} <= set(tables)
    assert "events" not in tables, "the front page does not read the events"
    assert workbench.tables_read(skepticism) == ["articles", "statements", "claim_sources", "disagreements"]


class _Run:
    """Tables in memory; a table the run lacks raises as a missing parquet file would."""

    def __init__(self, tables):
        self.tables = tables

    def table(self, name):
        if name not in self.tables:
            raise FileNotFoundError(name)
        return self.tables[name]

    @property
    def articles(self):
        return self.tables["articles"]


def test_evidence_frames_have_ids_first_and_no_article_text():
    run = _Run({"articles": pd.DataFrame({"article_id": ["a1"], "text": ["full text"], "included": [True]}),
                "statements": pd.DataFrame({"statement_id": ["s1"], "speaker": ["X"], "is_doubt": [True]})})
    frames = workbench.evidence(run, skepticism)
    assert list(frames) == ["articles", "statements", "claim_sources", "disagreements"]
    assert "text" not in frames["articles"].columns
    assert frames["statements"].columns[0] == "statement_id"
    assert frames["disagreements"].empty and frames["disagreements"].columns[0] == "disagreement_id"


@pytest.mark.build
def test_a_tagged_cell_in_a_section_notebook_reaches_the_built_briefing(tmp_path):
    """make on a project copy whose company notebook has an analyst's tagged markdown cell."""
    copy = project_copy(tmp_path / "project")
    path = copy / "notebooks" / "20_company.ipynb"
    nb = json.loads(path.read_text(encoding="utf-8"))
    at = next(i for i, c in enumerate(nb["cells"]) if "company.build(run)" in "".join(c["source"])) + 1
    nb["cells"].insert(at, {"cell_type": "markdown", "id": "analyst-1", "metadata": {"tags": ["briefing"]},
                            "source": "Checked with the *registry*: <script>alert(1)</script> stays text."})
    path.write_text(json.dumps(nb), encoding="utf-8")
    run_make(f"BUILD_ROOT={tmp_path / 'build'}", cwd=copy)

    page = (copy / "reports" / "briefing.html").read_text(encoding="utf-8")
    assert "Checked with the <em>registry</em>: &lt;script&gt;alert(1)&lt;/script&gt; stays text." in page
    assert "<script>" not in page
    company, models = page.index('id="company"'), page.index('id="models"')
    assert company < page.index('class="analyst-note"') < models, "the note stands where the cell stands"
    text = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(copy / "reports" / "briefing.pdf").pages)
    assert "Checked with the registry: <script>alert(1)</script> stays text." in text

    executed = next((tmp_path / "build").glob("*/executed/20_company.ipynb")).read_text(encoding="utf-8")
    assert 'class=\\"dataframe' in executed and "entity_id" in executed, "the notebook shows the evidence"
    assert "dataframe" not in page and "entity_id" not in page, "the briefing does not"
