"""Charts: deterministic SVG, accessible (title, labels, alt, source), colour-blind-safe."""
from newsbrief.briefing import charts, render

ROWS = [{"label": "Source one", "low": 20, "high": 50, "group": "a"},
        {"label": "Source two", "low": 15, "high": 25, "group": "b"},
        {"label": "Source three", "low": 30, "high": 30, "group": "a"}]
EVENTS = [{"label": "Founded", "date": "2023-01-01", "date_end": "2023-12-31", "precision": "year"},
          {"label": "Model released", "date": "2025-01-20", "date_end": "2025-01-20",
           "precision": "day"},
          {"label": "Funding", "date": "2024-03-01", "date_end": "2024-05-31", "precision": "season"}]
SOURCE = ["2 articles", render.Cite("a", 0, 10)]


def _range():
    return charts.range_chart(ROWS, "Price versus rivals", "Times cheaper", "Caption.",
                              "Alt text here", SOURCE)


def test_range_chart_is_deterministic_svg_figure():
    a, b = _range(), _range()
    assert isinstance(a, render.Figure)
    assert a.svg == b.svg
    assert a.svg.lstrip().startswith("<?xml") or "<svg" in a.svg[:300]
    assert "<dc:date>" not in a.svg  # no Date metadata
    assert "<text" not in a.svg  # fonttype 'path': text drawn as paths


def test_chart_carries_alt_source_and_palette():
    fig = _range()
    html = fig.html()
    assert 'aria-label="Alt text here"' in html
    assert "Source:" in html and 'data-cite="a:0:10"' in html
    assert any(c.lower() in fig.svg.lower() for c in charts.OKABE_ITO)
    assert "nbfigure(" in fig.typst()


def test_timeline_chart_and_caps():
    a = charts.timeline_chart(EVENTS, "Dated events", "Caption.", "alt", SOURCE)
    b = charts.timeline_chart(EVENTS, "Dated events", "Caption.", "alt", SOURCE)
    assert a.svg == b.svg
    many = [dict(ROWS[0], label=f"S{i}") for i in range(100)]
    big = charts.range_chart(many, "t", "x", "c", "alt", SOURCE)
    capped = charts.range_chart(many[:charts.MAX_ROWS], "t", "x", "c", "alt", SOURCE)
    assert big.svg == capped.svg  # rows beyond MAX_ROWS are not drawn
