"""Deterministic, accessible SVG charts (matplotlib, Agg backend) returned as render.Figure.

Same input -> byte-identical SVG: fixed svg.hashsalt, no date metadata, text as paths (no font
dependence in the PDF). Colours from the Okabe-Ito colour-blind-safe palette. Every chart has a
title, axis labels, a source line (citations) and alt text.
"""
from __future__ import annotations

import io
from datetime import date
from typing import Callable, Sequence

import matplotlib

matplotlib.use("Agg")
import matplotlib.dates as mdates  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.ticker import FuncFormatter  # noqa: E402

from newsbrief.briefing import render  # noqa: E402

OKABE_ITO = ["#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7",
             "#000000"]
MAX_ROWS = 25  # a chart stays readable: callers rank and cap, this is the last guard

_RC = {
    "svg.hashsalt": "newsbrief",
    "svg.fonttype": "path",
    "font.family": "DejaVu Sans",
    "font.size": 9,
    "axes.titlesize": 10,
    "axes.titleweight": "bold",
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.prop_cycle": matplotlib.cycler(color=OKABE_ITO),
    "figure.dpi": 100,
}


def _svg(fig) -> str:
    buf = io.StringIO()
    # `_finish` lays every chart out with tight_layout, which fits titles and labels inside;
    # bbox_inches="tight" would draw the whole figure a second time to find the same box
    fig.savefig(buf, format="svg", metadata={"Date": None})
    plt.close(fig)
    return buf.getvalue()


def _finish(fig, ax, title: str, xlabel: str, ylabel: str, caption: str, alt: str,
            source: render.Inlines) -> render.Figure:
    """Title, axis labels and light vertical grid, laid out and returned as a Figure."""
    ax.set_title(title, loc="left")
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.grid(axis="x", color="#dddddd", linewidth=0.6)
    ax.set_axisbelow(True)
    fig.tight_layout(pad=0.4)
    return render.Figure(svg=_svg(fig), caption=caption, alt=alt, source=source)


def _height(n: int) -> float:
    return max(1.6, 0.9 + 0.32 * n)


def _short(text: str, n: int = 42) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= n else text[: n - 1] + "…"


def range_chart(rows: Sequence[dict], title: str, xlabel: str, caption: str, alt: str,
                source: render.Inlines, log: bool = False) -> render.Figure:
    """One horizontal bar per row from row['low'] to row['high'] (a point shows as a dot).

    rows: dicts with label, low, high and optional group (colour key).
    """
    rows = list(rows)[:MAX_ROWS]
    groups = list(dict.fromkeys(str(r.get("group", "")) for r in rows))
    colour = {g: OKABE_ITO[i % len(OKABE_ITO)] for i, g in enumerate(groups)}
    with matplotlib.rc_context(_RC):
        fig, ax = plt.subplots(figsize=(7.0, _height(len(rows))))
        for i, r in enumerate(rows):
            low, high = float(r["low"]), float(r["high"])
            c = colour[str(r.get("group", ""))]
            if high > low:
                ax.barh(i, high - low, left=low, height=0.5, color=c, edgecolor="#333333",
                        linewidth=0.5)
            ax.plot([low, high], [i, i], "o", color="#333333", markersize=3.5)
        ax.set_yticks(range(len(rows)), [_short(r["label"]) for r in rows])
        ax.invert_yaxis()
        if log:
            ax.set_xscale("log")
        lo = min((float(r["low"]) for r in rows), default=0)
        hi = max((float(r["high"]) for r in rows), default=1)
        if not log:
            ax.set_xlim(min(0, lo), hi * 1.1 if hi > 0 else 1)
        return _finish(fig, ax, title, xlabel, "Source", caption, alt, source)


def timeline_chart(events: Sequence[dict], title: str, caption: str, alt: str,
                   source: render.Inlines) -> render.Figure:
    """Dated events on a time axis, one row each. A day is a dot; a month, season, quarter or
    year is drawn as a bar over the whole span, so imprecise dates are not shown as days.

    events: dicts with label, date, date_end (ISO), precision and optional group.
    """
    events = list(events)[:MAX_ROWS]
    groups = list(dict.fromkeys(str(e.get("group", "")) for e in events))
    colour = {g: OKABE_ITO[(i + 4) % len(OKABE_ITO)] for i, g in enumerate(groups)}
    with matplotlib.rc_context(_RC):
        fig, ax = plt.subplots(figsize=(7.0, _height(len(events))))
        for i, e in enumerate(events):
            start = date.fromisoformat(str(e["date"])[:10])
            end = date.fromisoformat(str(e.get("date_end") or e["date"])[:10])
            c = colour[str(e.get("group", ""))]
            if end > start and (e.get("precision") or "day") != "day":
                ax.barh(i, mdates.date2num(end) - mdates.date2num(start) + 1,
                        left=mdates.date2num(start), height=0.45, color=c, alpha=0.55,
                        edgecolor=c)
            else:
                ax.plot([mdates.date2num(start)], [i], "o", color=c, markersize=6)
        ax.set_yticks(range(len(events)), [_short(e["label"], 48) for e in events])
        ax.invert_yaxis()
        ax.xaxis_date()
        locator = mdates.AutoDateLocator(maxticks=8)
        ax.xaxis.set_major_locator(locator)
        ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
        if groups and any(groups):
            from matplotlib.patches import Patch
            ax.legend(handles=[Patch(color=colour[g], label=g) for g in groups if g],
                      loc="lower right", fontsize=7, frameon=False)
        return _finish(fig, ax, title, "Date (dots: exact day; bars: month, season, quarter or year)",
                       "Event", caption, alt, source)


def history_chart(points: Sequence[dict], title: str, ylabel: str, caption: str, alt: str,
                  source: render.Inlines, log: bool = False,
                  tick_label: Callable[[float], str] | None = None) -> render.Figure:
    """Values over time, one line per series (a funding or valuation history).

    points: dicts with date (ISO), low, high, group (series name). A range is drawn as a
    vertical bar from low to high, a point as a dot; the line joins the midpoints in date order.
    """
    points = sorted(points, key=lambda p: (str(p.get("group", "")), str(p["date"])))[:MAX_ROWS * 2]
    groups = list(dict.fromkeys(str(p.get("group", "")) for p in points))
    colour = {g: OKABE_ITO[i % len(OKABE_ITO)] for i, g in enumerate(groups)}
    with matplotlib.rc_context(_RC):
        fig, ax = plt.subplots(figsize=(7.0, 2.8))
        for g in groups:
            mine = [p for p in points if str(p.get("group", "")) == g]
            xs = [mdates.date2num(date.fromisoformat(str(p["date"])[:10])) for p in mine]
            mids = [(float(p["low"]) + float(p["high"])) / 2 for p in mine]
            ax.plot(xs, mids, "-o", color=colour[g], markersize=4, linewidth=1.2, label=g or None)
            for x, p in zip(xs, mine):
                if float(p["high"]) > float(p["low"]):
                    ax.vlines(x, float(p["low"]), float(p["high"]), color=colour[g], linewidth=2.5)
        ax.xaxis_date()
        locator = mdates.AutoDateLocator(maxticks=8)
        ax.xaxis.set_major_locator(locator)
        ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
        if log:
            ax.set_yscale("log")
        if tick_label is not None:
            ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _pos: tick_label(v)))
        if any(groups):
            ax.legend(loc="upper left", fontsize=7, frameon=False)
        return _finish(fig, ax, title, "Date", ylabel, caption, alt, source)
