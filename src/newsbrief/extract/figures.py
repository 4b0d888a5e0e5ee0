"""Extract numeric figures (money, counts, multipliers, percentages, parameter counts, market
moves) from sentences.

Input rows are sentence rows (``sentence_id, article_id, start, end, quote``); offsets in the
output are into the article text (``start`` + offset in the quote), so every row keeps
``quote == text[start:end]`` and ``mention == text[mention_start:mention_end]``.

How a figure is read (vocabulary in ``data/knowledge/figures.yml``):

1. A number token ("5.58", "50,000") not glued to a word or version ("V3", "GPT-4o", "o1",
   "36Kr"), not a rank ("No. 1"), not a time ("2:30").
2. Scale: an attached suffix ("$1.5bn") or a scale word ("5.58 million"); a range with a second
   number ("20 to 50", "20-40", "between 5 and 10"); the scale of the second number applies to
   both when the first has none.
3. Unit: a currency symbol before or a currency word after -> money; "%"/"percent" -> percent;
   "times"/"x"/"-fold" without a scale word -> multiplier; otherwise a counted item within a few
   words ("50,000 Nvidia H100 chips", "500 \"derivative\" models") -> count (or parameters).
   Numbers with no unit (years, "40 last year", list numbering) are not figures.
4. Compound words "half-trillion-dollar" -> money.
5. Qualifier directly before ("less than" -> under ...); "reportedly" when the sentence says so.
6. Market move: money or percent right after a move verb ("lost", "down", "drop by", "rose")
   in a sentence that mentions a market word; "rose to X" is a level, not a move.
7. Measure: ordered keyword rules, first near the figure, then in the whole sentence.

Values are floats at full scale (``5.58 million`` -> ``5580000.0``); ``value`` is the point or
the midpoint of a range; magnitudes are positive (the direction is in the quote).
Every regular expression is anchored or bounded, so the cost is linear in the input.
"""
from __future__ import annotations

import bisect
import re
from functools import lru_cache
from typing import Iterable

from newsbrief import knowledge

_NUM = r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?"
_NUMBER = re.compile(r"(?<![\w.:/\-,])" + _NUM)
_RANK_BEFORE = re.compile(r"(?:\bNo\.?|\bNos\.?|\bnumber|\bNumber|#)\s{0,2}$")
_TOKEN = re.compile(r"[ \t]{1,3}([“\"‘']?)([\w&.'’\-]{1,40}?)([”\"’']?)(?=[\s,;:!?)]|\.(?:\s|$)|$)")
_STOP_WORDS = frozenset(
    "of in on at for from by with than and or to that which who since after before per "
    "the a an is are was were has have had be been this its their last next".split())
_MOVE_GAP = re.compile(r"[ \t]{1,3}(?:(?:by|out|off)[ \t]{1,3})?")


_alt = knowledge.alternation
_key = knowledge.vocab_key


@lru_cache(maxsize=None)
def _vocab() -> dict:
    data = knowledge.load("figures") or {}
    scale_words = {k.lower(): float(v) for k, v in (data.get("scale_words") or {}).items()}
    suffixes = {str(k): float(v) for k, v in (data.get("scale_suffixes") or {}).items()}
    cur_sym = {str(k): str(v) for k, v in (data.get("currency_symbols") or {}).items()}
    cur_words = {str(k).lower(): str(v) for k, v in (data.get("currency_words") or {}).items()}
    quals = {str(k).lower(): str(v) for k, v in (data.get("qualifiers") or {}).items()}
    fractions = {str(k).lower(): float(v) for k, v in (data.get("fraction_words") or {}).items()}
    items = []
    for rule in data.get("count_items") or []:
        items.append((rule["unit"], re.compile(rule["pattern"], re.IGNORECASE)))
    measures = []
    for rule in data.get("measures") or []:
        kws = rule.get("keywords") or []
        measures.append({
            "measure": rule["measure"],
            "kinds": set(rule.get("kinds") or []),
            "units": set(rule.get("units") or []),
            "regex": re.compile(r"(?<![\w])(?:" + _alt(kws) + ")", re.IGNORECASE) if kws else None,
        })
    word_scales = [w for w in scale_words]
    return {
        "scale_words": scale_words,
        "suffixes": suffixes,
        "cur_sym": cur_sym,
        "cur_words": cur_words,
        "fractions": fractions,
        "items": items,
        "measures": measures,
        "measure_window": int(data.get("measure_window", 60)),
        "max_item_gap": int(data.get("max_item_gap", 3)),
        "move_window": int(data.get("market_move_window", 40)),
        "re_suffix": re.compile(r"(" + _alt(suffixes) + r")(?![A-Za-z0-9])"),
        "re_scale_word": re.compile(r"[ \t\-]{1,2}(" + _alt(scale_words) + r")(?![A-Za-z])", re.IGNORECASE),
        "re_range": re.compile(r"[ \t]{0,2}(?:-|–|—|to|and)[ \t]{0,2}(" + _alt(cur_sym) + r")?[ \t]?(" + _NUM + r")(?![.,]?\d)"),
        "re_between": re.compile(r"\bbetween[ \t]{1,3}$", re.IGNORECASE),
        "re_cur_before": re.compile(r"(?:" + _alt(cur_sym) + r")[ \t]?$"),
        "re_cur_word": re.compile(r"[ \t\-]{1,2}(" + _alt(cur_words) + r")\b", re.IGNORECASE),
        "re_percent": re.compile(r"[ \t]?(" + _alt(data.get("percent_words") or ["%"]) + r")(?![A-Za-z])", re.IGNORECASE),
        "re_multiplier": re.compile(r"(?:[ \t]?(?:x|X|×)(?![A-Za-z0-9])|-?fold\b|[ \t]{1,2}times\b)"),
        "re_qualifier": re.compile(r"(?:^|(?<=[^\w]))(" + _alt(quals) + r")[ \t]{1,3}$", re.IGNORECASE),
        "qualifiers": quals,
        "re_reportedly": re.compile(r"\b(?:" + _alt(data.get("reportedly_words") or []) + r")\b", re.IGNORECASE),
        "re_move": re.compile(r"\b(" + _alt(data.get("market_move_words") or []) + r")\b", re.IGNORECASE),
        "re_market": re.compile(r"(?<![\w])(?:" + _alt(data.get("market_words") or []) + r")", re.IGNORECASE),
        "re_compound": re.compile(
            r"\b(" + _alt(fractions) + r")[ \t\-](" + "|".join(map(re.escape, word_scales))
            + r")[ \t\-](" + _alt(cur_words) + r")\b", re.IGNORECASE),
    }


def _to_float(token: str) -> float:
    return float(token.replace(",", ""))


def _is_year(token: str) -> bool:
    return len(token) == 4 and token.isdigit() and 1800 <= int(token) <= 2100


def extract_figures(sentences: Iterable[dict]) -> list[dict]:
    """Figure rows (see docs/ARCHITECTURE.md, table ``figures``) for the given sentence rows."""
    rows: list[dict] = []
    counters: dict[str, int] = {}
    for sent in sentences:
        if sent.get("kind") == "heading" and not any(ch.isdigit() for ch in sent["quote"]):
            continue
        for fig in _figures_in(sent["quote"]):
            article_id = sent["article_id"]
            counters[article_id] = counters.get(article_id, 0) + 1
            base = int(sent["start"])
            rows.append({
                "figure_id": f"{article_id}:f{counters[article_id]}",
                "sentence_id": sent["sentence_id"],
                "article_id": article_id,
                "start": base,
                "end": int(sent["end"]),
                "quote": sent["quote"],
                "mention_start": base + fig["ms"],
                "mention_end": base + fig["me"],
                "mention": sent["quote"][fig["ms"]:fig["me"]],
                "kind": fig["kind"],
                "value": fig["value"],
                "low": fig["low"],
                "high": fig["high"],
                "unit": fig["unit"],
                "currency": fig["currency"],
                "qualifier": fig["qualifier"],
                "item": fig["item"],
                "measure": fig["measure"],
                "subject": "",
            })
    return rows


def _figures_in(q: str) -> list[dict]:
    """Figures in one sentence string; offsets ``ms``/``me`` are into ``q``."""
    v = _vocab()
    found: list[dict] = []
    consumed_until = -1
    for match in _NUMBER.finditer(q):
        if match.start() < consumed_until:
            continue
        fig = _read_number(q, match, v)
        if fig is None:
            continue
        consumed_until = fig["me"]
        found.append(fig)
    # number figures are sorted and never overlap: find the one that could contain a compound
    # by bisection (checking every figure for every compound was quadratic); compounds cannot
    # start inside one another (finditer does not overlap)
    number_starts = [f["ms"] for f in found]
    number_ends = [f["me"] for f in found]
    for match in v["re_compound"].finditer(q):
        i = bisect.bisect_right(number_starts, match.start()) - 1
        if i >= 0 and match.start() < number_ends[i]:
            continue
        value = (v["fractions"][_key(match.group(1), v["fractions"])]
                 * v["scale_words"][_key(match.group(2), v["scale_words"])])
        code = v["cur_words"][_key(match.group(3), v["cur_words"])]
        found.append(_make(q, match.start(), match.end(), "money", value, value, code, "", v,
                           currency=code))
    found.sort(key=lambda f: f["ms"])
    facts = _SentenceFacts(q, v)
    for fig in found:
        _finish(q, fig, v, facts)
    return found


class _SentenceFacts:
    """Whole-sentence searches, done at most once per sentence (not once per figure: a
    sentence with thousands of figures must stay linear)."""

    def __init__(self, q: str, v: dict) -> None:
        self.q = q
        self.v = v
        self._reportedly: bool | None = None
        self._market: bool | None = None
        self._rule_hits: dict[int, bool] = {}

    @property
    def reportedly(self) -> bool:
        if self._reportedly is None:
            self._reportedly = bool(self.v["re_reportedly"].search(self.q))
        return self._reportedly

    @property
    def market(self) -> bool:
        if self._market is None:
            self._market = bool(self.v["re_market"].search(self.q))
        return self._market

    def rule_hit(self, index: int, regex: re.Pattern) -> bool:
        hit = self._rule_hits.get(index)
        if hit is None:
            hit = self._rule_hits[index] = bool(regex.search(self.q))
        return hit


def _read_number(q: str, match: re.Match, v: dict) -> dict | None:
    start, pos = match.span()
    n1 = match.group(0)
    if _RANK_BEFORE.search(q, max(0, start - 8), start):
        return None
    if q.startswith(":", pos) and pos + 1 < len(q) and q[pos + 1].isdigit():
        return None  # a time "2:30"
    # currency before
    cur_match = v["re_cur_before"].search(q, max(0, start - 5), start)
    currency = v["cur_sym"][cur_match.group(0).strip()] if cur_match else ""
    ms = cur_match.start() if cur_match else start
    # scale of the first number
    scale1, pos = _read_scale(q, pos, v)
    # range
    low = _to_float(n1) * (scale1 or 1.0)
    high = low
    n2 = None
    rng = v["re_range"].match(q, pos)
    if rng:
        sep = q[pos:rng.start(2)].strip().lower()
        if sep.startswith("and") and not v["re_between"].search(q, max(0, ms - 12), ms):
            rng = None
    if rng:
        n2 = rng.group(2)
        scale2, pos2 = _read_scale(q, rng.end(), v)
        f1, f2 = _to_float(n1), _to_float(n2)
        s2 = scale2 or scale1 or 1.0
        s1 = scale1 or scale2 or 1.0
        if f2 * s2 > f1 * s1:
            low, high = f1 * s1, f2 * s2
            scale1 = scale1 or scale2
            pos = pos2
            if rng.group(1) and not currency:
                currency = v["cur_sym"][rng.group(1).strip()]
        else:
            n2 = None
    me = pos
    # unit
    if currency:
        return _make(q, ms, me, "money", low, high, currency, "", v, currency=currency)
    cw = v["re_cur_word"].match(q, pos)
    if cw:
        code = v["cur_words"][_key(cw.group(1), v["cur_words"])]
        return _make(q, ms, cw.end(), "money", low, high, code, "", v, currency=code)
    pc = v["re_percent"].match(q, pos)
    if pc:
        return _make(q, ms, pc.end(), "percent", low, high, "%", "", v)
    if not scale1:
        mul = v["re_multiplier"].match(q, pos)
        if mul:
            return _make(q, ms, mul.end(), "multiplier", low, high, "x", "", v)
    if not scale1 and n2 is None and _is_year(n1):
        if not _item_after(q, pos, v, max_gap=0):
            return None
    item = _item_after(q, pos, v)
    if item:
        unit, item_start, item_end = item
        kind = "parameters" if unit == "parameters" else "count"
        text = q[item_start:item_end]
        clean_item = re.sub(r"[“”\"‘’']", "", text).strip() if len(text) < 200 else text
        return _make(q, ms, item_end, kind, low, high, unit, clean_item, v)
    return None


def _read_scale(q: str, pos: int, v: dict) -> tuple[float | None, int]:
    suf = v["re_suffix"].match(q, pos)
    if suf:
        return v["suffixes"][suf.group(1)], suf.end()
    word = v["re_scale_word"].match(q, pos)
    if word:
        return v["scale_words"][_key(word.group(1), v["scale_words"])], word.end()
    return None, pos


def _item_after(q: str, pos: int, v: dict, max_gap: int | None = None) -> tuple[str, int, int] | None:
    """(unit, item_start, item_end) when a countable item word follows within the gap."""
    gap = v["max_item_gap"] if max_gap is None else max_gap
    first = None
    p = pos
    for i in range(gap + 1):
        tok = _TOKEN.match(q, p)
        if not tok:
            return None
        word = tok.group(2)
        if first is None:
            first = tok.start(1)
        for unit, pattern in v["items"]:
            if pattern.fullmatch(word):
                return unit, first, tok.end(3) if tok.group(3) else tok.end(2)
        if word.lower() in _STOP_WORDS or word[0].isdigit():
            return None
        if word.endswith(".") or q.startswith((",", ";", ":"), tok.end()):
            return None
        p = tok.end()
    return None


def _make(q: str, ms: int, me: int, kind: str, low: float, high: float, unit: str, item: str,
          v: dict, currency: str = "") -> dict:
    value = (low + high) / 2.0
    return {"ms": ms, "me": me, "kind": kind, "value": float(value), "low": float(low),
            "high": float(high), "unit": unit, "currency": currency, "qualifier": "",
            "item": item, "measure": ""}


def _finish(q: str, fig: dict, v: dict, facts: "_SentenceFacts | None" = None) -> None:
    """Qualifier, market move and measure (needs the sentence)."""
    facts = facts or _SentenceFacts(q, v)
    ms = fig["ms"]
    qual = v["re_qualifier"].search(q, max(0, ms - 25), ms)
    if qual:
        fig["qualifier"] = v["qualifiers"][_key(qual.group(1), v["qualifiers"])]
        fig["ms"] = qual.start(1)
    elif facts.reportedly:
        fig["qualifier"] = "reportedly"
    if fig["kind"] in ("money", "percent") and _is_market_move(q, fig["ms"], v, facts):
        fig["kind"] = "market_move"
    fig["measure"] = _measure(q, fig, v, facts)


def _is_market_move(q: str, ms: int, v: dict, facts: "_SentenceFacts | None" = None) -> bool:
    lo = max(0, ms - v["move_window"])
    window = q[lo:ms]
    last = None
    for m in v["re_move"].finditer(window):
        last = m
    if last is None:
        return False
    gap = window[last.end():]
    if not _MOVE_GAP.fullmatch(gap):
        return False  # also rejects "rose to €6 billion" (a level, not a move)
    return facts.market if facts is not None else bool(v["re_market"].search(q))


def _measure(q: str, fig: dict, v: dict, facts: "_SentenceFacts | None" = None) -> str:
    facts = facts or _SentenceFacts(q, v)
    w = v["measure_window"]
    near = q[max(0, fig["ms"] - w): fig["me"] + w]
    for whole in (False, True):
        for index, rule in enumerate(v["measures"]):
            if rule["kinds"] and fig["kind"] not in rule["kinds"]:
                continue
            if rule["units"] and fig["unit"] not in rule["units"]:
                continue
            if rule["regex"] is None:
                return rule["measure"]
            # a keyword that occurs nowhere in the sentence cannot occur near the figure: the
            # whole-sentence search (done once per sentence) filters the per-figure search
            if facts.rule_hit(index, rule["regex"]) and (whole or rule["regex"].search(near)):
                return rule["measure"]
    return ""
