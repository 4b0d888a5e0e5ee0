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
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterable

from newsbrief import ids, knowledge

_NUM = r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?"
_RANK_BEFORE = re.compile(r"(?:\bNo\.?|\bNos\.?|\bnumber|\bNumber|#)\s{0,2}$")
_TOKEN = re.compile(r"[ \t]{1,3}([“\"‘']?)([\w&.'’\-]{1,40}?)([”\"’']?)(?=[\s,;:!?)]|\.(?:\s|$)|$)")
_MOVE_GAP = re.compile(r"[ \t]{1,3}(?:(?:by|out|off)[ \t]{1,3})?")


_alt = knowledge.alternation
_key = knowledge.vocab_key

BOUNDS = ("upper", "lower", "near", "approximate", "exact")


@dataclass(frozen=True)
class QualifierMeaning:
    """What a figure's qualifier says about its number (figures.yml `qualifier_meanings`)."""

    bound: str = "exact"   # one of BOUNDS: how the value compares with other figures
    words: str = ""        # written before the number in the briefing
    caveat: str = ""       # the key-figures panel's note


@lru_cache(maxsize=None)
def _qualifier_meanings() -> dict[str, QualifierMeaning]:
    out = {}
    for qualifier, meaning in ((knowledge.load("figures") or {}).get("qualifier_meanings") or {}).items():
        bound = str(meaning.get("bound") or "exact")
        if bound not in BOUNDS:
            raise knowledge.KnowledgeError(
                f"figures.yml: qualifier_meanings: {qualifier}: bound {bound!r} is not one of "
                f"{', '.join(BOUNDS)}; fix the file")
        out[str(qualifier).lower()] = QualifierMeaning(bound, str(meaning.get("words") or ""),
                                                       str(meaning.get("caveat") or ""))
    return out


@lru_cache(maxsize=None)
def _status_info() -> tuple[dict[str, str], dict[str, str]]:
    """(status -> group, status -> label) from measures.yml `statuses` and the rumour status."""
    data = knowledge.load("measures") or {}
    groups = {str(n): str((spec or {}).get("group") or "actual") for n, spec in (data.get("statuses") or {}).items()}
    labels = {str(n): str((spec or {}).get("label") or "") for n, spec in (data.get("statuses") or {}).items()}
    if data.get("rumour_status"):
        groups[str(data["rumour_status"])] = str(data.get("rumour_group") or "prospective")
        labels[str(data["rumour_status"])] = str(data.get("rumour_label") or "")
    return groups, labels


def status_group(status: str) -> str:
    """"actual" (completed, or no stage said) or "prospective" (planned, in talks, proposed,
    expected, rumoured): figures of different groups are never one fact."""
    return _status_info()[0].get(str(status or ""), "actual")


def status_label(status: str) -> str:
    """How the briefing names a figure's stage ("planned", "in talks"; "" for completed or none)."""
    return _status_info()[1].get(str(status or ""), "")


@lru_cache(maxsize=None)
def _compatible_pairs() -> frozenset[tuple[str, str]]:
    info = (knowledge.load("measures") or {}).get("measures") or {}
    pairs = set()
    for name, spec in info.items():
        for other in (spec or {}).get("compatible_with") or []:
            pairs |= {(str(name), str(other)), (str(other), str(name))}
    return frozenset(pairs)


def compatible_measures(a: str, b: str) -> bool:
    """Whether figures of measures `a` and `b` may state the same fact: the same measure, or a
    general one and a kind that measures.yml lists in its `compatible_with` ("raised €150
    million" is `funding`, "a €150 million equity round" `funding_equity`: one round). Two
    specific kinds (equity and debt) are not compatible."""
    return a == b or (str(a), str(b)) in _compatible_pairs()


def qualifier_meaning(qualifier: str) -> QualifierMeaning:
    """The meaning of a figures-table qualifier ("" or one not listed: exact, no words)."""
    return _qualifier_meanings().get(str(qualifier or "").strip().lower(), QualifierMeaning())


@lru_cache(maxsize=None)
def _vocab() -> dict:
    data = knowledge.load("figures") or {}
    scale_words = {k.lower(): float(v) for k, v in (data.get("scale_words") or {}).items()}
    suffixes = {str(k): float(v) for k, v in (data.get("scale_suffixes") or {}).items()}
    cur_sym = {str(k): str(v) for k, v in (data.get("currency_symbols") or {}).items()}
    cur_words = {str(k).lower(): str(v) for k, v in (data.get("currency_words") or {}).items()}
    quals = {str(k).lower(): str(v) for k, v in (data.get("qualifiers") or {}).items()}
    bare = [str(w).lower() for w in data.get("bare_currency_words") or []]
    fractions = {str(k).lower(): float(v) for k, v in (data.get("fraction_words") or {}).items()}
    items = []
    for rule in data.get("count_items") or []:
        items.append((rule["unit"], re.compile(rule["pattern"], re.IGNORECASE)))
    mdata = knowledge.load("measures") or {}
    measures = []
    for rule in mdata.get("rules") or []:
        kws = rule.get("keywords") or []
        not_with = rule.get("not_with") or []
        with_words = rule.get("with") or []
        heads = [*kws, *(rule.get("heads") or [])]
        measures.append({
            "measure": rule["measure"],
            "head": re.compile(r"(?:" + _alt(heads) + r")(?![a-z])", re.IGNORECASE) if heads else None,
            "kinds": set(rule.get("kinds") or []),
            "units": set(rule.get("units") or []),
            "per_unit": rule.get("per_unit") or False,
            # a rule with `of_heads` only types the figure through "of" ("3% of its revenue")
            "of_head": re.compile(r"(?:" + _alt(rule["of_heads"]) + r")(?![a-z])", re.IGNORECASE)
            if rule.get("of_heads") else None,
            "scopes": frozenset(str(x) for x in rule.get("scopes") or []),
            "refines": str(rule.get("refines") or ""),
            # refinement cues: the keywords plus words that refine but never type on their own
            "refine_regex": re.compile(r"(?<![\w])(?:" + _alt([*kws, *(rule.get("refine_with") or [])])
                                       + r")(?![a-z])", re.IGNORECASE) if kws else None,
            "regex": re.compile(r"(?<![\w])(?:" + _alt(kws) + r")(?![a-z])", re.IGNORECASE) if kws else None,
            "not_with": re.compile(r"(?<![\w])(?:" + _alt(not_with) + ")", re.IGNORECASE) if not_with else None,
            "with": re.compile(r"(?<![\w])(?:" + _alt(with_words) + ")", re.IGNORECASE) if with_words else None,
        })
    scopes = [{"measures": set(r.get("measures") or []), "scope": str(r["scope"]),
               "regex": re.compile(r"(?<![\w])(?:" + _alt(r["keywords"]) + r")(?![a-z])", re.IGNORECASE)}
              for r in mdata.get("scopes") or []]
    events = [{"measures": set(r.get("measures") or []), "event": str(r["event"]),
               "regex": re.compile(r["pattern"], re.IGNORECASE)} for r in mdata.get("events") or []]
    rate_units = [str(u) for u in mdata.get("rate_units") or []]
    status_of_cue = {str(cue).lower(): str(name) for name, spec in (mdata.get("statuses") or {}).items()
                     for cue in (spec or {}).get("cues") or []}
    version_exceptions = frozenset(str(w) for w in mdata.get("version_exceptions") or [])
    word_scales = [w for w in scale_words]
    number_words = {str(k).lower(): float(n) for k, n in (data.get("number_words") or {}).items()}
    # a number written as a word counts only before a percent word, a scale word or "times"
    # ("over six percent", "two million businesses", "roughly six times"): "one of", "three
    # people familiar" are no figures
    word_number = (r"|(?<![\w'’-])(?i:" + _alt(number_words) + r")(?=[ \t\-]{1,2}(?i:"
                   + _alt([*(data.get("percent_words") or []), *scale_words, "times"]) + r")(?![A-Za-z]))"
                   ) if number_words else ""
    return {
        "number_words": number_words,
        # a number glued to a word is no figure ("V3", "FARM5"), unless the word is a currency
        # symbol written as its own token ("RM2.4 billion", "Rp3 trillion")
        # (that scan is used only in a sentence that has such a symbol at all)
        "re_number": re.compile(r"(?<![\w.:/\-,])" + _NUM + word_number),
        "re_number_glued": re.compile(r"(?:(?<![\w.:/\-,])|(?=\d)(?:" + "|".join(
            rf"(?<=(?<![\w]){re.escape(sym)})" for sym in sorted(cur_sym) if sym[-1:].isalpha())
            + r"))" + _NUM + word_number),
        "re_glued_symbol": re.compile(_alt([sym for sym in cur_sym if sym[-1:].isalpha()]) or r"(?!)"),
        "scale_words": scale_words,
        "suffixes": suffixes,
        "cur_sym": cur_sym,
        "cur_words": cur_words,
        "fractions": fractions,
        "items": items,
        "measures": measures,
        "measure_window": int(mdata.get("window", 60)),
        "head_breaks": frozenset(str(w).lower() for w in mdata.get("head_breaks") or []),
        "scopes": scopes,
        "events": events,
        "rate_units": frozenset(rate_units),
        "status_measures": frozenset(str(m) for m in mdata.get("status_measures") or []),
        "status_window": int(mdata.get("status_window", 100)),
        "status_of_cue": status_of_cue,
        # a cue is a whole word or phrase; the clause ends at ";" or ":" (the search starts after it)
        "re_status": re.compile(r"(?<![\w])(?:" + _alt(status_of_cue) + r")(?![\w])", re.IGNORECASE)
        if status_of_cue else None,
        "re_clause_break": re.compile(r"[;:]"),
        "re_baseline": re.compile(r"(?<![\w])(?:" + _alt([*((mdata.get("compared_with") or {}).get("near") or []),
                                                           *((mdata.get("compared_with") or {}).get("far") or [])])
                                  + r")[ \t]{1,3}(?:the[ \t]{1,3})?$"),
        "re_next_figure_joiner": re.compile(r"[ \t]*,?[ \t]{1,2}(?:" + _alt(
            mdata.get("next_figure_joiners") or ["and"]) + r")[ \t]{1,2}(?:(?!(?:" + _alt(
            mdata.get("head_breaks") or []) + r")[ \t])[a-z][\w-]{0,20}[ \t]{1,2}){0,%d}$"
            % int(mdata.get("next_figure_describers", 0))),
        "re_same_subject": re.compile(r"(?<![\w])(?:" + _alt(mdata.get("same_subject_continuations") or [])
                                      + r")(?![\w])", re.IGNORECASE)
        if mdata.get("same_subject_continuations") else None,
        # "(H1 2024/25: " right before a figure: the label of a period set beside the main one
        "re_comparative_label": re.compile(r"\(\s*((?:[^()\n:;]*?\d[^()\n:;]*?|[^()\n:;]*?(?<![\w])(?:"
                                           + _alt(mdata.get("comparative_label_words") or ["FY"])
                                           + r")(?![\w])[^()\n:;]*?))\s*:\s*$", re.IGNORECASE),
        # "cut about 600 | jobs", "hire 150 more": a change in staff right before the figure
        "staff_changes": [(str(scope), re.compile(r"(?<![\w])(?:" + _alt(words) + r")(?:[ \t]{1,2}[\w-]+){0,2}?[ \t]{1,2}$",
                                                  re.IGNORECASE))
                          for scope, words in (mdata.get("staff_changes") or {}).items()],
        "re_scope_phrase": re.compile(r"(?<![\w])(?:" + _alt(mdata["scope_phrases"]) + r")(?![\w])", re.IGNORECASE)
        if mdata.get("scope_phrases") else None,
        "re_clause_join": re.compile(r";|,[ \t]{1,2}(?:" + _alt(mdata.get("clause_joiners") or []) + r")\b"
                                     + (r"|(?<![\w])(?:" + _alt(mdata["subordinate_openers"]) + r")[ \t]{1,2}(?:"
                                        + _alt(mdata.get("subordinate_subjects") or []) + r")(?![\w])"
                                        if mdata.get("subordinate_openers") else "")),
        # the gap between a figure and the earlier value it is compared with: a few words that
        # end in "from" / "compared with" ...
        # "about 480 people, up from 410 at the end of last year": where the earlier value's words
        # start after a figure, even when that value is no figure of its own
        "re_comparison_after": re.compile(r"[^;:.]{0,40}?(?<![\w])(?:" + _alt(
            (mdata.get("compared_with") or {}).get("far") or ["up from"]) + r")(?![\w])"),
        "re_compared_with": re.compile(
            r"(?:[^;:.]{0,40}?(?<![\w])(?:" + _alt((mdata.get("compared_with") or {}).get("near") or ["from"])
            + r")|[^;:.]{0,80}?(?<![\w])(?:" + _alt((mdata.get("compared_with") or {}).get("far") or ["up from"])
            + r"))(?:[ \t]{1,3}(?:" + _alt((mdata.get("compared_with") or {}).get("between") or ["the"])
            + r")){0,5}[ \t]{1,3}"),
        "re_rumour": re.compile(r"(?<![\w])(?:" + _alt(mdata.get("rumour_cues") or []) + r")(?![\w])",
                                re.IGNORECASE) if mdata.get("rumour_cues") else None,
        "rumour_status": str(mdata.get("rumour_status") or ""),
        "re_per_unit": re.compile(
            r"[ \t]{1,2}(?:" + _alt(mdata.get("per_unit_words") or []) + r")[ \t]{1,2}"
            r"((?:million |thousand |1,000 |1 million )?[a-z]{2,20})\b(?![ \t]{1,2}(?:"
            + _alt(mdata.get("per_unit_not_before") or ["ago"]) + r")\b)"),
        "re_fx": [re.compile(p) for p in mdata.get("exchange_rate_patterns") or []],
        "re_vague": re.compile(r"(?:" + _alt(mdata.get("vague_number_suffixes") or []) + r")(?![A-Za-z0-9])")
        if mdata.get("vague_number_suffixes") else None,
        "re_version_before": re.compile(r"(?<![\w'’.&-])([A-Z][A-Za-z]{0,20})[ \t]$"),
        "version_exceptions": version_exceptions,
        "parameter_suffixes": frozenset(str(x) for x in data.get("parameter_suffixes") or []),
        # "(about $7.7 million)" after a figure: the approximation words are those of "around"
        "re_conversion_open": re.compile(r"[ \t]{0,2}\([ \t]{0,2}(?:(?:" + _alt(
            [k for k, q in quals.items() if q == "around"] + ["~"]) + r")[ \t]{1,2})?$"),
        "re_conversion_close": re.compile(r"[ \t]{0,2}\)"),
        "max_item_gap": int(data.get("max_item_gap", 3)),
        "item_stop_words": frozenset(str(w).lower() for w in data.get("item_stop_words") or []),
        "move_window": int(data.get("market_move_window", 40)),
        "re_suffix": re.compile(r"(" + _alt(suffixes) + r")(?![A-Za-z0-9])"),
        "re_scale_word": re.compile(r"[ \t\-]{1,2}(" + _alt(scale_words) + r")(?![A-Za-z])", re.IGNORECASE),
        "re_range": re.compile(r"[ \t]{0,2}(?:-|–|—|to|and)[ \t]{0,2}(" + _alt(cur_sym) + r")?[ \t]?(" + _NUM + r")(?![.,]?\d)"),
        "re_between": re.compile(r"\bbetween[ \t]{1,3}$", re.IGNORECASE),
        "re_cur_before": re.compile(r"(?:" + _alt(cur_sym) + r")[ \t]?$"),
        "re_cur_word": re.compile(r"[ \t\-]{1,2}(" + _alt(cur_words) + r")\b", re.IGNORECASE),
        # a currency word several countries share, and how an article names each of its
        # currencies: by a country's word ("Norwegian crowns") or by code ("NOK")
        "re_bare_cur_word": re.compile(r"[ \t\-]{1,2}(?:" + _alt(bare) + r")\b", re.IGNORECASE) if bare else None,
        "bare_named": [(code, re.compile(r"\b(?:" + _alt([w for w, c in cur_words.items() if c == code and w.split()[-1] in bare])
                                         + r")\b", re.IGNORECASE),
                        re.compile(r"\b(?:" + _alt([k for k, c in cur_sym.items() if c == code and k.isalpha()] or [code])
                                   + r")\b"))
                       for code in sorted({c for w, c in cur_words.items() if w.split()[-1] in bare})],
        "re_elided_joiner": re.compile(r"[ \t]{1,3}(?:" + _alt(data.get("elided_currency_joiners") or []) + r")[ \t]{1,3}",
                                       re.IGNORECASE) if data.get("elided_currency_joiners") else None,
        "re_percent": re.compile(r"[ \t]?(" + _alt(data.get("percent_words") or ["%"]) + r")(?![A-Za-z])", re.IGNORECASE),
        "re_multiplier": re.compile(r"(?:[ \t]?(?:x|X|×)(?![A-Za-z0-9])|-?fold\b|[ \t]{1,2}times\b)"),
        "re_qualifier": re.compile(r"(?:^|(?<=[^\w]))(" + _alt(quals) + r")[ \t]{1,3}$", re.IGNORECASE),
        "qualifiers": quals,
        "re_reportedly": re.compile(r"\b(?:" + _alt(data.get("reportedly_words") or []) + r")\b", re.IGNORECASE),
        "re_move": re.compile(r"\b(" + _alt(data.get("market_move_words") or []) + r")\b", re.IGNORECASE),
        "re_market": re.compile(r"(?<![\w])(?:" + _alt(data.get("market_words") or []) + r")", re.IGNORECASE),
        "re_not_market": re.compile(r"(?<![\w])(?:" + _alt(data.get("not_market_words") or []) + r")(?![\w])",
                                    re.IGNORECASE) if data.get("not_market_words") else None,
        "re_compound": re.compile(
            r"\b(" + _alt(fractions) + r")[ \t\-](" + "|".join(map(re.escape, word_scales))
            + r")[ \t\-](" + _alt(cur_words) + r")\b", re.IGNORECASE),
    }


def _to_float(token: str) -> float:
    word = _vocab()["number_words"].get(token.lower())
    return float(word) if word is not None else float(token.replace(",", ""))


def _is_year(token: str) -> bool:
    return len(token) == 4 and token.isdigit() and 1800 <= int(token) <= 2100


def extract_figures(sentences: Iterable[dict]) -> list[dict]:
    """Figure rows (see docs/ARCHITECTURE.md, table ``figures``) for the given sentence rows."""
    rows: list[dict] = []
    unique = ids.Uniquer()
    previous: tuple[str, dict] = ("", {})   # (article_id, (kind, currency) -> measure) of the sentence before
    sentences = list(sentences)
    shared = _shared_currencies(sentences)
    for sent in sentences:
        if sent.get("kind") == "heading" and not any(ch.isdigit() for ch in sent["quote"]):
            continue
        found = _figures_in(sent["quote"], heading=sent.get("kind") == "heading",
                            shared_currency=shared.get(sent["article_id"], ""))
        _expected_like_before(found, previous[1] if previous[0] == sent["article_id"] else {})
        previous = (sent["article_id"], {(f["kind"], f["currency"]): f["measure"] for f in found
                                         if f["measure"] != "other"})
        for fig in found:
            article_id = sent["article_id"]
            base = int(sent["start"])
            rows.append({
                "figure_id": unique(ids.child_id(sent["sentence_id"], "fig", base + fig["ms"])),
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
                "converted_value": fig["converted_value"],
                "converted_low": fig["converted_low"],
                "converted_high": fig["converted_high"],
                "converted_currency": fig["converted_currency"],
                "scope": fig["scope"],
                "event": fig["event"],
                "status": fig["status"],
                "subject": "",
                "period_start": "",
                "period_end": "",
                "resolved": False,
            })
    return rows


def _expected_like_before(found: list[dict], before: dict) -> None:
    """"Revenue rose 12% to $548 million. Analysts had expected $535 million": an expectation
    naming no measure is one of what the sentence before measured (same kind and currency)."""
    for fig in found:
        if fig["measure"] == "other" and fig["expected"]:
            fig["measure"] = before.get((fig["kind"], fig["currency"]), "other")
            if fig["measure"] != "other":
                fig["status"] = "expected"
    for fig in found:
        del fig["expected"]


def _shared_currencies(sentences: list[dict]) -> dict[str, str]:
    """article_id -> the currency its amounts in a shared currency word ("610 million crowns")
    are in: the one such currency the article names (figures.yml `bare_currency_words`), or
    absent when it names none or several."""
    v = _vocab()
    if v["re_bare_cur_word"] is None:
        return {}
    texts: dict[str, list[str]] = defaultdict(list)
    for sent in sentences:
        texts[sent["article_id"]].append(sent["quote"])
    out = {}
    for aid, quotes in texts.items():
        text = "\n".join(quotes)
        named = [code for code, by_word, by_code in v["bare_named"]
                 if by_word.search(text) or by_code.search(text)]
        if len(named) == 1:
            out[aid] = named[0]
    return out


def _figures_in(q: str, heading: bool = False, shared_currency: str = "") -> list[dict]:
    """Figures in one sentence string; offsets ``ms``/``me`` are into ``q``. `shared_currency`:
    the currency of an amount in a currency word several countries share ("crowns")."""
    v = _vocab()
    found: list[dict] = []
    consumed_until = -1
    # exchange-rate footers "($1 = 0.9321 euros)": their numbers are not figures
    fx_spans = [m.span() for rx in v["re_fx"] for m in rx.finditer(q)] if "=" in q else []
    numbers = v["re_number_glued"] if v["re_glued_symbol"].search(q) else v["re_number"]
    for match in numbers.finditer(q):
        if match.start() < consumed_until:
            continue
        if fx_spans and any(s <= match.start() < e for s, e in fx_spans):
            continue
        before = found[-1] if found and found[-1]["kind"] == "money" else None
        elided = before["currency"] if (before is not None and v["re_elided_joiner"] is not None
                                        and v["re_elided_joiner"].fullmatch(q, before["me"], match.start())) else ""
        fig = _read_number(q, match, v, heading, shared_currency, elided)
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
    found = _merge_conversions(q, found, v)
    facts = _SentenceFacts(q, v)
    facts.starts = [f["ms"] for f in found]
    facts.ends = [f["me"] for f in found]
    facts.kinds = [f["kind"] for f in found]
    previous = None
    for fig in found:
        _finish(q, fig, v, facts, previous)
        previous = fig
    return found


class _SentenceFacts:
    """Whole-sentence searches, done at most once per sentence (not once per figure: a
    sentence with thousands of figures must stay linear)."""

    def __init__(self, q: str, v: dict) -> None:
        self.q = q
        self.v = v
        self._reportedly: bool | None = None
        self._market: bool | None = None
        self._rumour: bool | None = None
        self._clause_breaks: list[int] | None = None
        self.starts: list[int] = []   # where the sentence's figures start, in order
        self.ends: list[int] = []     # ... and end (before their qualifiers are read)
        self.kinds: list[str] = []    # ... and their kinds as read
        self._rule_hits: dict[int, bool] = {}
        self._owners: dict[tuple[int, str], set[int]] = {}
        # the sentence with its scope phrases ("including debt") blanked, offsets kept: the
        # text measure keywords are looked for in
        scope = v["re_scope_phrase"]
        self.keyword_text = scope.sub(lambda m: " " * len(m.group(0)), q) if scope is not None else q

    @property
    def reportedly(self) -> bool:
        if self._reportedly is None:
            self._reportedly = bool(self.v["re_reportedly"].search(self.q))
        return self._reportedly

    @property
    def market(self) -> bool:
        if self._market is None:
            self._market = _has_market_word(self.v, self.q, 0, len(self.q))
        return self._market

    @property
    def rumour(self) -> bool:
        if self._rumour is None:
            self._rumour = self.v["re_rumour"] is not None and bool(self.v["re_rumour"].search(self.q))
        return self._rumour

    @property
    def clause_breaks(self) -> list[int]:
        """Where a joined clause starts (", while ...", "; ..."), in order."""
        if self._clause_breaks is None:
            self._clause_breaks = [m.start() for m in self.v["re_clause_join"].finditer(self.q)]
        return self._clause_breaks

    def clause(self, ms: int, me: int) -> tuple[int, int]:
        """(start, end) of the clause the span [ms, me) is in."""
        breaks = self.clause_breaks
        if not breaks:
            return 0, len(self.q)
        i = bisect.bisect_right(breaks, ms)
        j = bisect.bisect_left(breaks, me)
        return (breaks[i - 1] if i else 0), (breaks[j] if j < len(breaks) else len(self.q))

    def keyword_owners(self, index: int, regex: re.Pattern, kind: str) -> set[int]:
        """Positions (in `starts`) of the figures of `kind` nearest each match of `regex` (ties:
        both), found once per rule and kind by bisection over the sorted, non-overlapping
        figures."""
        key = (index, kind)
        if key not in self._owners:
            mine = [i for i, k in enumerate(self.kinds) if k == kind]
            firsts = [self.starts[i] for i in mine]
            owners: set[int] = set()
            for m in regex.finditer(self.keyword_text):
                at = bisect.bisect_left(firsts, m.start())
                near = mine[max(0, at - 1):at + 1]
                gaps = [max(0, self.starts[i] - m.end(), m.start() - self.ends[i]) for i in near]
                owners |= {i for i, g in zip(near, gaps) if g == min(gaps)}
            self._owners[key] = owners
        return self._owners[key]

    def rule_hit(self, index: int, regex: re.Pattern) -> bool:
        hit = self._rule_hits.get(index)
        if hit is None:
            hit = self._rule_hits[index] = bool(regex.search(self.keyword_text))
        return hit


def _read_number(q: str, match: re.Match, v: dict, heading: bool = False,
                 shared_currency: str = "", elided_currency: str = "") -> dict | None:
    """The figure that starts at `match`, or None. `elided_currency`: the currency of the amount
    this number is compared with right before it ("610 million crowns from 402 million")."""
    start, pos = match.span()
    n1 = match.group(0)
    if _RANK_BEFORE.search(q, max(0, start - 8), start):
        return None
    if q.startswith(":", pos) and pos + 1 < len(q) and q[pos + 1].isdigit():
        return None  # a time "2:30"
    if v["re_vague"] is not None and v["re_vague"].match(q, pos):
        return None  # "$10s of millions", "the 1990s": a vague quantity or a decade
    # currency before
    cur_match = v["re_cur_before"].search(q, max(0, start - 5), start)
    if cur_match and cur_match.start() and q[cur_match.start()].isalpha() and q[cur_match.start() - 1].isalnum():
        cur_match = None   # a symbol of letters is a whole token ("RM", not the end of "FARM")
    currency = v["cur_sym"][cur_match.group(0).strip()] if cur_match else ""
    ms = cur_match.start() if cur_match else start
    # scale of the first number
    suffix = q[pos:pos + 1]
    scale1, pos = _read_scale(q, pos, v)
    attached_suffix = suffix if scale1 and suffix.isalpha() and pos - match.end() <= 3 else ""
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
    bw = v["re_bare_cur_word"].match(q, pos) if shared_currency and v["re_bare_cur_word"] else None
    if bw:
        return _make(q, ms, bw.end(), "money", low, high, shared_currency, "", v, currency=shared_currency)
    pc = v["re_percent"].match(q, pos)
    if pc:
        return _make(q, ms, pc.end(), "percent", low, high, "%", "", v)
    if not scale1 and _is_version(q, start, n1, v, heading):
        return None
    if not scale1:
        mul = v["re_multiplier"].match(q, pos)
        if mul:
            return _make(q, ms, mul.end(), "multiplier", low, high, "x", "", v)
    if not scale1 and n2 is None and _is_year(n1):
        if not _item_after(q, pos, v, max_gap=0):
            return None
    item = _item_after(q, pos, v)
    if attached_suffix in v["parameter_suffixes"] and (item is None or item[0] == "models"):
        # "Llama 3.1 405B", "a 7B model": an attached B/M on a bare number is a model size
        return _make(q, ms, pos, "parameters", low, high, "parameters", "", v)
    if item:
        unit, item_start, item_end = item
        kind = "parameters" if unit == "parameters" else "count"
        if kind == "count" and not scale1 and (low != int(low) or high != int(high)):
            return None  # "3.7 models" is a version number read as a count
        text = q[item_start:item_end]
        clean_item = re.sub(r"[“”\"‘’']", "", text).strip() if len(text) < 200 else text
        return _make(q, ms, item_end, kind, low, high, unit, clean_item, v)
    if scale1 and elided_currency:
        return _make(q, ms, me, "money", low, high, elided_currency, "", v, currency=elided_currency)
    return None


def _is_version(q: str, start: int, token: str, v: dict, heading: bool) -> bool:
    """A number right after a capitalised name is a version or a model name ("Claude 3.7
    Sonnet", "Llama 3 models", "Model 3"), not a quantity. In a heading (Title Case) only a
    decimal number counts as a version."""
    before = v["re_version_before"].search(q, max(0, start - 22), start)
    if not before or before.group(1) in v["version_exceptions"]:
        return False
    return "." in token or not heading


def _merge_conversions(q: str, found: list[dict], v: dict) -> list[dict]:
    """"€600 million ($643.7 million)": one figure in two currencies. The first is the original
    (``currency``); the bracketed one is kept as ``converted_*``. Other figures are unchanged."""
    out: list[dict] = []
    for fig in found:
        prev = out[-1] if out else None
        if (prev is not None and prev["kind"] == fig["kind"] == "money"
                and fig["currency"] and prev["currency"] and fig["currency"] != prev["currency"]
                and not prev["converted_currency"]
                and v["re_conversion_open"].fullmatch(q, prev["me"], fig["ms"])):
            close = v["re_conversion_close"].match(q, fig["me"])
            if close:
                prev.update(converted_value=fig["value"], converted_low=fig["low"],
                            converted_high=fig["high"], converted_currency=fig["currency"],
                            me=close.end())
                continue
        out.append(fig)
    return out


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
        if word.lower() in v["item_stop_words"] or word[0].isdigit():
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
            "item": item, "measure": "", "converted_value": float("nan"),
            "converted_low": float("nan"), "converted_high": float("nan"),
            "converted_currency": "", "scope": "", "event": "", "status": "", "per_unit": ""}


def _finish(q: str, fig: dict, v: dict, facts: "_SentenceFacts | None" = None,
            previous: dict | None = None) -> None:
    """Qualifier, market move and measure (needs the sentence). `previous`: the figure before
    it in the sentence, already finished."""
    facts = facts or _SentenceFacts(q, v)
    ms = fig["ms"]
    qual = v["re_qualifier"].search(q, max(0, ms - 25), ms)
    if qual:
        fig["qualifier"] = v["qualifiers"][_key(qual.group(1), v["qualifiers"])]
        fig["ms"] = qual.start(1)
    elif facts.reportedly:
        fig["qualifier"] = "reportedly"
    if fig["kind"] in ("money", "percent") and _is_market_move(q, fig["ms"], v, facts, fig["me"]):
        fig["kind"] = "market_move"
    per = v["re_per_unit"].match(q, fig["me"])
    if per:
        unit = per.group(1)
        fig["scope"] = f"per {unit}"
        if fig["kind"] == "money" and unit not in v["rate_units"]:
            fig["per_unit"] = unit
    if _compared_with(q, previous, fig, v):
        # the earlier value of the same thing: its measure and what it covers ("peak sales
        # estimate ... to $800 million, down from $2.5 billion")
        fig["measure"] = previous["measure"]
        fig["scope"] = fig["scope"] or previous["scope"]
    elif _level_after_move(q, previous, fig):
        fig["measure"] = "other"   # "rose 41% to $28.40": the share price, no market value
    else:
        fig["measure"] = _measure(q, fig, v, facts)
    if not fig["scope"]:
        fig["scope"] = _first_hit(q, fig, v["scopes"], "scope", facts.starts, nearest=True, ends=facts.ends)
    if fig["measure"] == "headcount" and fig["kind"] == "count":   # "cuts affect 6% of staff" is its share
        change = next((scope for scope, rx in v["staff_changes"]
                       if rx.search(q, max(0, fig["ms"] - 40), fig["ms"])), "")
        if change:
            fig["measure"], fig["scope"] = "other", change
    if not fig["scope"]:
        fig["scope"] = _comparative_label(q, fig, v)
    if fig.pop("far_keyword_of_other", False) and not fig["scope"]:
        fig["measure"] = "other"
    fig["event"] = _first_hit(q, fig, v["events"], "event", facts.starts)
    # an earlier value ("double the valuation from the $3.2 billion it fetched") is no plan,
    # but the earlier value of a forecast is a forecast too ("now sees peak sales of $800
    # million, down from $2.5 billion")
    if v["re_baseline"].search(q, max(0, fig["ms"] - 20), fig["ms"]):
        status = "expected" if previous is not None and previous.get("expected") else ""
    else:
        status = _status(q, fig["ms"], v, facts)
    if fig["measure"] in v["status_measures"]:
        fig["status"] = status
    fig["expected"] = status == "expected"
    del fig["per_unit"]


def _compared_with(q: str, previous: dict | None, fig: dict, v: dict) -> bool:
    """Whether the figure is the earlier value the previous figure is compared with ("rose 18%
    to 1.12 billion euros last year from 949 million euros"; "to 298 million euros, up from 251
    million euros"), or the earlier value a percentage change starts from ("revenue of $2.31
    billion, up 4% from $2.22 billion"): it measures what the previous one measures."""
    if previous is None:
        return False
    change_from = previous["kind"] == "percent" and fig["kind"] == "money"
    if not change_from and (previous["kind"] != fig["kind"] or previous["currency"] != fig["currency"]):
        return False
    return compared_with(q, previous["me"], fig["ms"])


def compared_with(q: str, previous_end: int, start: int) -> bool:
    """Whether the words q[previous_end:start] between two figures of one kind and currency
    make the second the earlier value the first is compared with ("to 298 million euros, up
    from 251 million euros")."""
    return bool(_vocab()["re_compared_with"].fullmatch(q, previous_end, start))


def comparison_after(q: str, end: int) -> int | None:
    """Where the words of an earlier value compared with the figure ending at `end` start
    ("..., up from 410 at the end of last year"), or None."""
    m = _vocab()["re_comparison_after"].match(q, end)
    return m.end() if m else None


_TO = re.compile(r"[ \t]{1,3}to[ \t]{1,3}")


def _level_after_move(q: str, previous: dict | None, fig: dict) -> bool:
    """Whether the figure is the level a share-price move ended at ("Shares jumped 41% to
    $28.40"): the share price, which the vocabulary has no measure for (not the market value a
    keyword nearby may name: "..., giving it a market value of $2.9 billion")."""
    return (previous is not None and previous["measure"] == "share_price_move"
            and fig["kind"] == "money" and bool(_TO.fullmatch(q, previous["me"], fig["ms"])))


def _status(q: str, ms: int, v: dict, facts: "_SentenceFacts") -> str:
    """The stage of the figure's deal, fine or forecast (measures.yml `statuses`): the cue
    nearest before it in its clause, else `rumoured` when the sentence cites unnamed people,
    else "" (not said)."""
    # not past the start of its clause (", while ...", ", of which ...")
    lo = max(0, ms - v["status_window"], facts.clause(ms, ms)[0])
    for brk in v["re_clause_break"].finditer(q, lo, ms):
        lo = brk.end()
    last = None
    if v["re_status"] is not None:
        for last in v["re_status"].finditer(q, lo, ms):
            pass
    if last is not None:
        return v["status_of_cue"].get(_key(last.group(0), v["status_of_cue"]), "")
    return v["rumour_status"] if facts.rumour else ""


def _first_hit(q: str, fig: dict, rules: list[dict], field: str, starts: list[int] | None = None,
               nearest: bool = False, ends: list[int] | None = None) -> str:
    """The `field` of the first rule for the figure's measure whose regex occurs in the
    sentence with no other figure between it and this one ("{0}" in it is replaced by the
    match's first group): in "values it at $420 million, up from $150 million when it raised
    its Series A", the Series A is the $150 million's. `starts`: the sentence's figure starts.
    `nearest`: the rule whose match is nearest the figure instead (ties: the earlier rule): in
    "an upfront payment of $120 million and milestone payments of up to $1.28 billion" the
    first is the upfront payment, the second the milestones; a word right after another figure
    (`ends`: the sentence's figure ends) is that figure's ("pay $120 million upfront and up to
    $1.28 billion in milestones"); one right before another figure is that one's ("above analysts'
    estimates of $870 million")."""
    starts = starts or []
    ends = ends or []
    best, best_dist = "", None
    for rule in rules:
        if rule["measures"] and fig["measure"] not in rule["measures"]:
            continue
        for m in rule["regex"].finditer(q):
            if _figure_between(starts, fig, m) or (nearest and (
                    _follows_other(ends, fig, m) or _precedes_other(starts, fig, m)
                    or _names_next_figure(q, starts, fig, m, _vocab()))):
                continue
            text = rule[field]
            if "{0}" in text:
                text = text.replace("{0}", (m.group(1) if m.groups() else m.group(0)).title())
            if not nearest:
                return text
            dist = max(0, fig["ms"] - m.end(), m.start() - fig["me"])
            if best_dist is None or dist < best_dist:
                best, best_dist = text, dist
    return best


def _follows_other(ends: list[int], fig: dict, m: re.Match) -> bool:
    """Whether the match starts right after another figure than `fig` (a space between)."""
    i = bisect.bisect_left(ends, m.start() - 2)
    return any(e != fig["me"] for e in ends[i:bisect.bisect_right(ends, m.start())])


def _precedes_other(starts: list[int], fig: dict, m: re.Match) -> bool:
    """Whether the match ends right before another figure than `fig` ("analysts' estimates of
    $870 million" is that figure's, not the forecast's before it)."""
    i = bisect.bisect_left(starts, m.end())
    return any(s != fig["ms"] for s in starts[i:bisect.bisect_right(starts, m.end() + 5)])


def _names_next_figure(q: str, starts: list[int], fig: dict, m: re.Match, v: dict) -> bool:
    """Whether a keyword after the figure, joined to it only by "and" (`next_figure_joiners`),
    names the figure that follows the keyword ("to $2.94 billion and EBITDA ... to $1.02
    billion")."""
    if m.start() < fig["me"] or not v["re_next_figure_joiner"].match(q[fig["me"]:m.start()]):
        return False
    return bisect.bisect_right(starts, m.end()) < len(starts)


def _figure_between(starts: list[int], fig: dict, m: re.Match) -> bool:
    """Whether another figure starts between the match and the figure."""
    if m.end() <= fig["ms"]:
        lo, hi = m.end(), fig["ms"]
    elif m.start() >= fig["me"]:
        lo, hi = fig["me"], m.start()
    else:
        return False
    return bisect.bisect_left(starts, hi) > bisect.bisect_left(starts, lo)


def _is_market_move(q: str, ms: int, v: dict, facts: "_SentenceFacts | None" = None,
                    me: int | None = None) -> bool:
    """A move word right before the figure and a market word near it ("Shares ... fell 18%",
    "lost $589 billion in market value"); "delivered 203,450 vehicles, up 38% from a year
    earlier" in a sentence that mentions a car market further on is growth, not a move."""
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
    if facts is not None and not facts.market:
        return False
    w = v["measure_window"]
    return _has_market_word(v, q, max(0, ms - w), (ms if me is None else me) + w)


def _has_market_word(v: dict, q: str, lo: int, hi: int) -> bool:
    """Whether q[lo:hi] has a market word outside the phrases that are none ("gained share")."""
    for m in v["re_market"].finditer(q, lo, hi):
        if v["re_not_market"] is None or not any(
                n.start() <= m.start() < n.end()
                for n in v["re_not_market"].finditer(q, max(0, m.start() - 12), m.end() + 20)):
            return True
    return False


_WORD_AFTER = re.compile(r"[ \t\-]{1,2}([A-Za-z][\w'’\-]{0,30})")
_HEAD_WORDS = 3        # the noun a figure modifies comes within this many words after it
_OF_DETERMINERS = frozenset(("the", "its", "their", "a", "an", "his", "her", "our"))
# "6% of its workforce", "$90 million on compute", "EUR 350 million of senior unsecured bonds"
_LOOK_THROUGH = {"percent": ("of",), "money": ("on", "of")}


def _head_positions(q: str, fig: dict, v: dict) -> tuple[list[int], list[int]]:
    """Where the words that can be the noun the figure modifies start: up to three words right
    after it ("$300 million revolving credit facility"), stopping at a word that ends the noun
    phrase; a percentage also looks through "of" at what it is a percentage of ("6% of its
    workforce"), an amount through "on" at what it is spent on ("spent $90 million on
    computing power") and through "of" at what it is an amount of ("EUR 350 million of
    bonds"). Returns (positions, the positions reached through "of"/"on")."""
    out: list[int] = []
    pos, through_of = fig["me"], False
    look_through = _LOOK_THROUGH.get(fig["kind"], ())
    while len(out) < _HEAD_WORDS:
        m = _WORD_AFTER.match(q, pos)
        if not m:
            break
        word = m.group(1).lower()
        pos = m.end()
        if word in v["head_breaks"]:
            if word in look_through and not out and not through_of:
                through_of = True
                continue
            if through_of and word in _OF_DETERMINERS and not out:
                continue
            break
        out.append(m.start(1))
    return out, (out if through_of else [])


def _applicable(rule: dict, fig: dict, facts: "_SentenceFacts", index: int) -> bool:
    if rule["kinds"] and fig["kind"] not in rule["kinds"]:
        return False
    if rule["units"] and fig["unit"] not in rule["units"]:
        return False
    if rule["scopes"] and fig["scope"] not in rule["scopes"]:
        return False
    if (fig["per_unit"] and not rule["per_unit"]) or (rule["per_unit"] == "only" and not fig["per_unit"]):
        return False
    if rule["not_with"] is not None and facts.rule_hit(-1 - index, rule["not_with"]):
        return False
    return rule["with"] is None or facts.rule_hit(-1000 - index, rule["with"])


def _comparative_label(q: str, fig: dict, v: dict) -> str:
    """'H1 2024/25' for the £4.6 billion of "Revenue of £4.3 billion (H1 2024/25: £4.6 billion)":
    the label of the period a bracketed figure belongs to ('' when it is no such figure)."""
    if not q[fig["me"]:].lstrip().startswith(")"):
        return ""
    m = v["re_comparative_label"].search(q, max(0, fig["ms"] - 40), fig["ms"])
    return m.group(1).strip() if m else ""


def _keyword_names_other(q: str, rule_index: int, rule: dict, fig: dict, facts: "_SentenceFacts",
                         v: dict) -> bool:
    """Is each of the rule's keywords in the sentence nearer another figure of the same kind
    than `fig`? Then the keyword names that figure ("holds about 18% of the market, behind X,
    which reported a combined ratio of 84.1%": "market" is the 18%'s), not `fig`."""
    # the figure as first read (its qualifiers, read since, may have moved its start)
    i = bisect.bisect_right(facts.starts, fig["me"] - 1) - 1
    if not 0 <= i < len(facts.kinds):
        return False
    owners = facts.keyword_owners(rule_index, rule["regex"], facts.kinds[i])
    if not owners or i in owners:
        return False
    # "... rose 6.2% in the year, and were up 3.1%": the same subject goes on, with its keyword
    before = max((j for j in owners if j < i), default=None)
    go_on = v["re_same_subject"]
    return not (before is not None and go_on is not None
                and go_on.search(q, facts.ends[before], facts.starts[i]))


def _measure(q: str, fig: dict, v: dict, facts: "_SentenceFacts | None" = None) -> str:
    """The measure (measures.yml rules): the applicable rule whose keyword or head noun is the
    noun the figure modifies; else the one whose keyword is nearest the figure within the
    window; else the first applicable rule that has no keyword or has one anywhere in the
    sentence; else ``other``."""
    facts = facts or _SentenceFacts(q, v)
    q = facts.keyword_text
    w = v["measure_window"]
    lo, hi = max(0, fig["ms"] - w), fig["me"] + w
    # what moved is named before the move ("Shares in X rose 7.1% ... and were up 5.4%,
    # giving it a market value of ..."): for a market move any keyword before it in the
    # sentence is nearer than every keyword after it
    moved_before = fig["kind"] == "market_move"
    if moved_before:
        lo = 0
    # a keyword in another clause ("..., while revenue was $1.1 billion") is not what it measures
    clause_start, clause_end = facts.clause(fig["ms"], fig["me"])
    lo, hi = max(lo, clause_start), min(hi, clause_end)
    heads, of_heads = _head_positions(q, fig, v)
    best, best_dist, fallback, fallback_rule = "", None, "", -1
    head_hit, head_at = "", None
    for index, rule in enumerate(v["measures"]):
        if not _applicable(rule, fig, facts, index):
            continue
        for p in heads:
            if head_at is not None and p >= head_at:
                break
            if rule["head"] is not None and rule["head"].match(q, p):
                head_hit, head_at = rule["measure"], p
                break
        for p in of_heads if rule["of_head"] is not None else ():
            if head_at is not None and p >= head_at:
                break
            if rule["of_head"].match(q, p):
                head_hit, head_at = rule["measure"], p
                break
        if rule["regex"] is None:
            if rule["of_head"] is None:
                fallback = fallback or rule["measure"]
            continue
        # a keyword that occurs nowhere in the sentence cannot occur near the figure: the
        # whole-sentence search (done once per sentence) filters the per-figure search
        if not facts.rule_hit(index, rule["regex"]):
            continue
        # a keyword elsewhere in the sentence, but in the figure's clause ("... since the
        # company raised its profit forecast" names nothing that gained before it)
        if not fallback and rule["regex"].search(q, clause_start, clause_end):
            fallback, fallback_rule = rule["measure"], index
        for m in rule["regex"].finditer(q, lo, hi):
            if _names_next_figure(q, facts.starts, fig, m, v):
                continue
            dist = max(0, fig["ms"] - m.end(), m.start() - fig["me"])
            if moved_before and m.start() >= fig["me"]:
                dist += len(q)
            if best_dist is None or dist < best_dist:
                best, best_dist = rule["measure"], dist
    chosen = head_hit or best or fallback or "other"
    # a keyword far from the figure names it only when no other figure is nearer (unless the
    # figure's scope says whose figure of that measure it is: "analysts' estimate of $318 million")
    fig["far_keyword_of_other"] = not (head_hit or best) and fallback_rule >= 0 and \
        _keyword_names_other(q, fallback_rule, v["measures"][fallback_rule], fig, facts, v)
    for index, rule in enumerate(v["measures"]):
        if (rule["refines"] == chosen and rule["refine_regex"] is not None
                and facts.rule_hit(-2000 - index, rule["refine_regex"])):
            return rule["measure"]
    return chosen
