"""Attributed statements: who said, claimed, alleged, estimated or reported what.

Rules (verbs, cues, audiences, responses) live in data/knowledge/stance.yml; English function
words the rules rely on (quantifiers, unit words) in data/knowledge/language.yml. The speaker of a verb is the nearest entity mention before it whose
gap to the verb is only filler (time phrases, auxiliaries, an apposition in commas, a possessive
noun such as "'s AI unit"), a pronoun carried to the article's last named speaker, a generic
speaker ("analysts"), a phrase meaning the subject company ("the startup"), or a source after
"according to". One statement per (sentence, speaker); several verbs of one speaker in a
sentence are merged and the strongest stance wins.

Stance says whose word it is: `company_claim` only when the speaker resolves to the company or a
person of the company; `estimate` when an outsider puts a figure on something (the speaker is the
estimator); `anonymous_sourcing` for unnamed people ("people familiar with the matter"), never
the company; `allegation` for an accusation (evidence `not_offered` unless the sentence or the
next one offers some). `is_doubt` marks statements by outsiders, about the company, that question
its claims or conduct; `speaker_role` puts the speaker in a small fixed vocabulary (SPEAKER_ROLES),
`speaker_title` is the title the text gives ("CEO", "analyst").
"""
from __future__ import annotations

import bisect
import re
from collections import defaultdict
from functools import lru_cache
from typing import Callable

import pandas as pd

from newsbrief import ids, knowledge
from newsbrief.extract.caseless import Caseless
from newsbrief.extract.gates import Gated, any_gate
from newsbrief.extract.entities import ORG_KINDS, norm_key
from newsbrief.schemas import SCHEMAS

STATEMENT_COLUMNS = list(SCHEMAS["statements"].columns)
STANCE_RANK = {"allegation": 0, "estimate": 1, "anonymous_sourcing": 2, "official_action": 3,
               "company_claim": 4, "reported_fact": 5, "expert_view": 6}
SPEAKER_ROLES = ("company", "company_person", "government", "regulator", "analyst",
                 "outside_estimator", "anonymous", "rival", "other")
SPEAKER_KINDS = ("person", "company", "organisation", "government", "outlet")
_QUOTE_CHARS = "“”\"«»"
_TIME = r"(?:(?:on|in|at|last|this|earlier|late|early)\s(?:[A-Z][a-z]{2,9}|\d{1,2}|\d{4}|week|month|year|spring|summer|autumn|fall|winter)(?:\s(?:\d{1,2}|\d{4}))?,?\s)"
_AUX = r"(?:(?:also|has|have|had|was|were|is|are|publicly|previously|then|later|recently|already|further|reportedly|separately|once|today|yesterday|now)\s)"


@lru_cache(maxsize=None)
def _rules():
    data = knowledge.load("stance")
    verb_key = {}
    forms = []
    for key, spec in data["verbs"].items():
        for form in spec["forms"]:
            verb_key[form.lower()] = key
            forms.append(form)
    forms.sort(key=len, reverse=True)
    verb_re = Caseless(r"\b(?:" + "|".join(re.escape(f).replace(r"\ ", r"\s") for f in forms)
                       + r")\b")
    verb_stance = {key: spec["stance"] for key, spec in data["verbs"].items()}
    acc = "|".join(re.escape(a).replace(r"\ ", r"\s") for a in data["according_to"])
    # the patterns tried on every sentence are gated by the literals they need (gates.Gated)
    according_re = Gated(re.compile(rf"\b(?:{acc})\s(?P<src>[^,.;:!?“”\"]{{1,90}})", re.IGNORECASE))
    audience_res = [Gated(re.compile(p)) for p in data["audience"]]
    response_res = [Gated(re.compile(p, re.IGNORECASE)) for p in data["responses"]]
    ents = knowledge.load("entities")
    refs = sorted(ents.get("subject_references") or [], key=len, reverse=True)
    ref_alt = "|".join(re.escape(r).replace(r"\ ", r"\s") for r in refs)
    subject_ref_re = re.compile(rf"(?:^|\W)(?P<ref>{ref_alt})(?:’s|'s)?\s{_AUX}{{0,3}}$",
                                re.IGNORECASE)
    generic = data.get("generic_speakers") or {}
    generic_patterns = [(re.compile(str(p["pattern"]), re.IGNORECASE), str(p["role"]))
                        for p in data.get("generic_speaker_patterns") or []]
    gen_alt = "|".join([*(re.escape(g).replace(r"\ ", r"\s")
                          for g in sorted(generic, key=len, reverse=True)),
                        *(rx.pattern for rx, _role in generic_patterns)])
    generic_re = re.compile(rf"(?:^|[^\w’'])(?P<g>{gen_alt})\s{_TIME}{{0,1}}{_AUX}{{0,3}}$",
                            re.IGNORECASE)
    # "Sweden's data protection authority IMY said": the generic phrase describes the name after it
    generic_named_re = re.compile(
        rf"(?:^|[^\w’'])(?P<g>{gen_alt})\s(?P<name>(?-i:[A-Z][\w&.-]{{1,30}})(?:\s(?-i:[A-Z][\w&.-]{{1,30}})){{0,2}})"
        rf"\s{_TIME}{{0,1}}{_AUX}{{0,3}}$", re.IGNORECASE)
    pronoun_re = re.compile(rf"\b(?P<p>he|she|they|it)\s{_AUX}{{0,2}}$", re.IGNORECASE)
    # "A senior U.S. Republican lawmaker on Tuesday accused": one unnamed person by office
    singular_nouns = knowledge.phrase_alternation(data["singular_generic_speakers"])
    singular_re = re.compile(
        rf"(?:^|[^\w’'])(?P<g>(?:a|an|one)\s(?:[\w.’'-]{{1,20}}\s){{0,4}}?(?P<noun>{singular_nouns}))"
        rf"\s{_TIME}{{0,1}}{_AUX}{{0,3}}$", re.IGNORECASE)
    # "the person said", "one of the people said": the sources named before, still unnamed
    anon_refs = knowledge.phrase_alternation(data["anonymous_references"])
    anon_ref_re = re.compile(rf"(?:^|[^\w’'])(?:{anon_refs})\s{_AUX}{{0,2}}$", re.IGNORECASE)
    anon_ref_after_re = re.compile(rf"\s(?:{anon_refs})\b", re.IGNORECASE)   # used with .match(text, pos)
    # '..., said a Commission official', '..., said analysts': the speaker after the verb
    singular_after_re = re.compile(
        rf"\s(?P<g>(?:a|an|one)\s(?:[\w.-]{{1,20}}\s){{0,4}}?(?P<noun>{singular_nouns}))\b"
        rf"|\s(?:the\s)?(?P<plural>{gen_alt})\b", re.IGNORECASE)
    # The three "...$" patterns above only match a bounded tail of the text before a verb: search
    # just that tail (plus one char of context), not the whole sentence prefix, so a sentence
    # with many verbs stays linear ("X said “" * 1,000 used to take seconds).
    left_window = max(_max_width(rx) for rx in (subject_ref_re, generic_re, generic_named_re, pronoun_re,
                                                 singular_re, anon_ref_re, _SHORT_NAME)) + 2
    anon_res = [Gated(re.compile(p, re.IGNORECASE)) for p in data.get("anonymous_sources") or []]
    subject_ref_any = re.compile(rf"(?:^|\W)(?:{ref_alt})\b", re.IGNORECASE) if refs else None
    alt = knowledge.phrase_alternation
    analysts = alt(data["analyst_nouns"])
    product_nouns = [n for spec in (ents.get("model_domains") or {}).values() for n in spec.get("nouns") or []]
    return {
        "verb_re": verb_re, "verb_key": verb_key, "verb_stance": verb_stance,
        "according_re": according_re, "audience_res": audience_res,
        "accuser_re": Gated(re.compile(rf"\b(?:{knowledge.phrase_alternation(data['accuser_phrases'])})\s",
                                       re.IGNORECASE)),
        "response_res": response_res, "response_window": int(data.get("response_window", 3)),
        "subject_ref_re": subject_ref_re, "generic": {k.lower(): v for k, v in generic.items()},
        "generic_re": generic_re, "generic_named_re": generic_named_re, "generic_patterns": generic_patterns,
        "enforcement_verbs": {v.lower() for v in data["enforcement_verbs"]},
        "pronoun_re": pronoun_re, "left_window": left_window,
        "singular_re": singular_re, "anon_ref_re": anon_ref_re, "anon_ref_after_re": anon_ref_after_re,
        "singular_after_re": singular_after_re,
        "doubt_framing_re": _cue_regex(data["doubt_framing_cues"]),
        "anon_res": anon_res, "subject_ref_any": subject_ref_any,
        "estimate_words": [w.lower() for w in data.get("estimate_content_words") or []],
        "estimate_sources": sorted((w.lower() for w in data.get("estimate_sources") or []),
                                   key=len, reverse=True),
        "results_re": _cue_regex(data.get("results_words")),
        "doubt_re": _cue_regex(data.get("doubt_cues")),
        "mitigation_re": _cue_regex(data.get("official_mitigation_cues")),
        "accusation_re": _cue_regex(data["allegation_cues"]),
        "evidence_re": {k: _cue_regex(v) for k, v in data["evidence"].items()},
        "government_roles": {r.lower() for r in data.get("government_roles") or []},
        "official_roles": {r.lower() for r in data.get("official_speaker_roles") or []},
        "analyst_org_re": _cue_regex(data.get("analyst_org_words")),
        "not_analyst_re": _cue_regex(data.get("not_analyst_descriptions")),
        "carry_re": _cue_regex(data.get("subject_carry_words")),
        "regulator_words": [w.lower() for w in data.get("regulator_words") or []],
        "company_source_cues": [c.lower() for c in data["company_source_cues"]],
        "kind_stance": data["kind_stance"],
        "role_nouns": {w.lower() for w in [*ents["roles"], *data["company_part_nouns"]]},
        "document_nouns": {w.lower() for w in data.get("document_nouns") or []},
        # "analysts at Y", "analysts at Warsaw brokerage Y": a place or a kind of firm between
        "analysts_at_re": re.compile(rf"\b(?:{analysts}|{alt(data['research_nouns'])})s?\s(?:at|from|with)\s"
                                     rf"(?:[\w-]{{2,20}}\s){{0,2}}$", re.IGNORECASE),
        "analyst_role_re": re.compile(rf"\b(?:{analysts})s?\b", re.IGNORECASE),
        "source_noun_re": re.compile(rf"\b(?:{alt(data['source_nouns'])})\b", re.IGNORECASE),
        # "rival Beta", "Lisbon-based rival carrier Beta", "rivals include Acme, Beta and ..."
        "rival_before_re": re.compile(
            rf"\b(?:{alt(data['rival_nouns'])})\s(?:(?:[a-z][\w-]{{1,20}}\s)?|(?:include|including|such\sas)\s[^.;:“”\"]{{0,80}})$",
            re.IGNORECASE),
        # "Beta, its biggest rival in Portugal"
        "rival_after_re": re.compile(rf",\s(?:its|their|a|the)\s(?:[\w-]{{1,20}}\s){{0,2}}(?:{alt(data['rival_nouns'])})\b",
                                     re.IGNORECASE),
        # "answers generated by Beta's models": a maker of the kinds of product the articles
        # follow (entities.yml model_domains) competes with the company
        "maker_of_re": re.compile(rf"(?:’s|'s)\s(?:own\s)?(?:{alt(product_nouns)})\b", re.IGNORECASE),
        "publication_re": re.compile(rf"^(?:a|an|the)\s(?:{alt(data['publication_nouns'])})\s(?:by|on|from|in)\s",
                                     re.IGNORECASE),
    }


@lru_cache(maxsize=None)
def _language():
    """Compiled cues from data/knowledge/language.yml and dates.yml used outside `_rules`."""
    lang = knowledge.load("language")
    dates = knowledge.load("dates")
    alt = knowledge.phrase_alternation
    units = alt(lang["quantity_units"])
    calendar = alt([*dates["weekdays"], "week", "month", "year", *dates["months"]])
    return {
        "quantifier_re": re.compile(rf"(?:\b(?:{alt(lang['source_quantifiers'])}|\d{{1,2}})\s)$",
                                    re.IGNORECASE),
        # A quantity in an analyst's words makes the statement an estimate ("$1.3 billion", "40%",
        # "20 times"); a bare digit does not (a model name such as "Acme-2").
        "figure_like_re": re.compile(rf"[$€£¥]\s?\d|\d[\d,.]*\s?(?:%|{units}|x\b)",
                                     re.IGNORECASE),
        # "Indeed, ...", "However, ...": a word that ties the content to what came before
        "discourse_opener_re": re.compile(rf"^(?:{alt(lang['discourse_openers'])}),\s", re.IGNORECASE),
        "when_re": re.compile(rf"\b(?:on|in|last|earlier this|this)\s(?:{calendar})(?:\s\d{{1,4}})?\b"),
    }


def _cue_regex(cues) -> Caseless:
    """One case-insensitive regex matching any cue at the start of a word ("ties to" must not
    match inside "universities to"); a cue matches as a prefix ("accus" -> "accused")."""
    alt = "|".join(re.escape(str(c).strip()).replace(r"\ ", r"\s") for c in
                   sorted(cues or [], key=len, reverse=True) if str(c).strip())
    return Caseless(rf"(?<!\w)(?:{alt})" if alt else r"(?!x)x")


_GAP_FILLER = re.compile(
    rf"^(?P<poss>(?:’s|'s)\s(?P<noun>(?:[A-Za-z-]{{2,20}}\s){{0,2}}[A-Za-z-]{{2,20}}))?"
    rf"(?P<rolen>\s(?:analysts?|spokesperson|spokesman|spokeswoman))?"
    rf"(?:\s\([^()“”\"]{{1,20}}\))?"   # "the Office of Electronic Communications (UKE) said"
    rf"(?:,[^,“”\"]{{1,120}},)?(?:,\s(?:who|which))?\s?{_TIME}{{0,2}}{_AUX}{{0,3}}$")   # "X, who estimate"


def _max_width(rx: re.Pattern) -> int:
    """Longest string `rx` can match (its quantifiers are all bounded); 0 when unbounded."""
    try:
        width = re._parser.parse(rx.pattern, rx.flags).getwidth()[1]  # type: ignore[attr-defined]
    except Exception:  # noqa: BLE001 - private API; fall back to unbounded
        return 0
    return width if width < 1_000_000 else 0


_GAP_MAX = _max_width(_GAP_FILLER)
_RIVAL_REACH = 100   # characters before an organisation's name searched for "rival(s)"


def _records(rows) -> list[dict]:
    if rows is None:
        return []
    if isinstance(rows, pd.DataFrame):
        return rows.to_dict("records")
    return list(rows)


class _People:
    """Entity-level facts from all mentions: affiliations, roles, kinds, the subject."""

    def __init__(self, mentions: list[dict]):
        self.subject = ""
        self.orgs: dict[str, set] = defaultdict(set)
        self.roles: dict[str, list] = defaultdict(list)
        self.kind: dict[str, str] = {}
        self.rivals: set[str] = set()   # other companies that own a model the articles name
        self.not_analysts: set[str] = set()   # short sellers and activists (mark_not_analyst)
        # how the articles write each organisation ("SEC", "Tesla Inc.") -> its entity name, so
        # "Co-Director of the SEC's Enforcement Division" is affiliated with the entity
        written = {norm_key(m["quote"]): m["name"] for m in mentions
                   if m.get("kind") in ORG_KINDS and m.get("quote")}
        for m in mentions:
            if m.get("kind") == "model" and m.get("owner"):
                self.rivals.add(m["owner"])
            name = m["name"]
            self.kind[name] = m["kind"]
            if m.get("is_subject"):
                self.subject = name
            if m.get("organisation"):
                self.orgs[name].add(written.get(norm_key(m["organisation"]), m["organisation"]))
            if m.get("role") and m["role"] not in self.roles[name]:
                self.roles[name].append(m["role"])
        self.rivals.discard(self.subject)

    def mark_not_analyst(self, cue_start: int, cue_end: int, sentence_mentions, base: int) -> None:
        """The organisation a description such as "short seller" sits right before or right
        after (", a short seller") is no analyst firm."""
        for m in sentence_mentions:
            if m.get("kind") not in ORG_KINDS:
                continue
            start, end = int(m["start"]) - base, int(m["end"]) - base
            if 0 <= start - cue_end <= 6 or 0 <= cue_start - end <= 6:   # " U.S. " / ", a "
                self.not_analysts.add(m["name"])

    def mark_rivals(self, text: str, sentence_mentions, base: int) -> None:
        """Organisations the sentence calls a rival ("smaller rival Beta", "Beta, its biggest
        rival", "its rivals include Beta and Gamma") or a maker of such products ("Beta's models")."""
        R = _rules()
        for m in sentence_mentions:
            if m.get("kind") not in ("company", "organisation") or m["name"] == self.subject:
                continue
            start, end = int(m["start"]) - base, int(m["end"]) - base
            if R["rival_before_re"].search(text, max(0, start - _RIVAL_REACH), start) \
                    or R["rival_after_re"].match(text, end) or R["maker_of_re"].match(text, end):
                self.rivals.add(m["name"])

    def role(self, name: str) -> str:
        roles = self.roles.get(name) or []
        return roles[0] if roles else ""

    def is_company_side(self, name: str) -> bool:
        if not name:
            return False
        if name == self.subject:
            return True
        if self.kind.get(name) != "person" or self.subject not in self.orgs.get(name, ()):
            return False
        roles = self.roles.get(name, [])
        return not roles or any(not r.startswith("former") for r in roles)


def extract_statements(sentences, mentions, dates=None) -> list[dict]:
    """Statement rows (see ARCHITECTURE.md) for `sentences` given their entity `mentions`.

    Args:
        sentences: sentence rows (dicts or DataFrame) of any number of articles.
        mentions: mention rows from `entities.extract_mentions` for the same sentences.
        dates: optional date-mention rows; `when` is then the ISO date of the first date in the
            statement's sentence, else a short time phrase found in the sentence.
    Returns:
        list of dicts with STATEMENT_COLUMNS, in article and text order.
    """
    context = statement_context(sentences, mentions, dates)
    return statements_for_articles(context, sorted(context["by_article"]))


def statement_context(sentences, mentions, dates=None) -> dict:
    """What the per-article step needs: entity facts from all mentions, rows by sentence/article.

    Split from `extract_statements` so articles can be processed in chunks (worker processes):
    `statements_for_articles(ctx, sorted(ctx["by_article"]))` == `extract_statements(...)`.
    """
    sents = _records(sentences)
    ments = _records(mentions)
    people = _People(ments)
    by_sentence: dict[str, list[dict]] = defaultdict(list)
    for m in ments:
        by_sentence[m["sentence_id"]].append(m)
    date_by_sentence: dict[str, str] = {}
    for d in sorted(_records(dates), key=lambda d: (d.get("sentence_id", ""), d.get("mention_start", 0))):
        date_by_sentence.setdefault(d["sentence_id"], d.get("date") or "")
    by_article: dict[str, list[dict]] = defaultdict(list)
    not_analyst_re = _rules()["not_analyst_re"]
    for s in sents:
        by_article[s["article_id"]].append(s)
        for cue in not_analyst_re.finditer(s["quote"]):
            people.mark_not_analyst(cue.start(), cue.end(), by_sentence.get(s["sentence_id"], ()),
                                    int(s["start"]))
        people.mark_rivals(s["quote"], by_sentence.get(s["sentence_id"], ()), int(s["start"]))
    return {"people": people, "by_sentence": by_sentence, "date_by_sentence": date_by_sentence,
            "by_article": by_article}


def statements_for_articles(context: dict, article_ids) -> list[dict]:
    """Statement rows of the given articles, in the order given."""
    rows: list[dict] = []
    by_article = context["by_article"]
    for aid in article_ids:
        article_sents = sorted(by_article[aid], key=lambda s: int(s["start"]))
        rows.extend(_article_statements(article_sents, context["by_sentence"], context["people"],
                                        context["date_by_sentence"]))
    return rows


def _article_statements(sents, by_sentence, people, date_by_sentence) -> list[dict]:
    R = _rules()
    out: list[dict] = []
    unique = ids.Uniquer()   # two statements found at one place (a carried-on one) stay apart
    last: dict[str, dict] = {}   # "person" / "company" / "plural" / "any" -> speaker dict
    prev_sentence_stmt: dict | None = None
    prev_about = about_two_back = False
    for idx, sent in enumerate(sents):
        if sent.get("kind") == "heading":
            prev_sentence_stmt = None
            continue
        text = sent["quote"]
        base = int(sent["start"])
        ments = sorted(({**m, "ls": int(m["start"]) - base, "le": int(m["end"]) - base}
                        for m in by_sentence.get(sent["sentence_id"], [])),
                       key=lambda m: m["ls"])
        # "The claim has drawn scepticism." frames what the next outsider says as a doubt; the
        # framing sentence need not name the company when the one before it does ("Shuolin says
        # its score beats o1. Some researchers urged caution. 'A single score tells you little'")
        about_before = prev_about
        framed_doubt = idx > 0 and (about_before or about_two_back) \
            and bool(R["doubt_framing_re"].search(sents[idx - 1]["quote"]))
        prev_speaker = prev_sentence_stmt["speaker"] if prev_sentence_stmt else None
        about = _about_company(text, ments, people, prev_about)
        prev_about = about
        next_text = sents[idx + 1]["quote"] if idx + 1 < len(sents) else ""
        found: list[dict] = []
        acc_spans = []
        for am in R["according_re"].finditer(text):
            if am.group(0).lower().startswith(("based", "citing")) and not _names_a_source(am, ments, R):
                continue   # "based in Paris", "citing security concerns" name no source
            acc_spans.append((am.start(), am.end()))
            spk = _source_speaker(am, ments, people)
            found.append({**spk, "verb": " ".join(am.group(0).split()[:2]).lower(),
                          "verb_key": "according",
                          "pos": am.start(), "content_from": am.end()})
        for am in R["accuser_re"].finditer(text):
            # "to settle allegations by the US Maritime Commission that it ...": the accuser
            by = next((m for m in ments if am.end() <= m["ls"] <= am.end() + _ACCUSER_GAP
                       and m["kind"] in SPEAKER_KINDS), None)
            if by is not None and not people.is_company_side(by["name"]):
                found.append({**_speaker_from_mention(by, people), "verb": am.group(0).split()[0].lower(),
                              "verb_key": "alleged", "pos": am.start(), "content_from": by["le"]})
        quoted = _quoted_spans(text)
        for vm in R["verb_re"].finditer(text):
            if any(s <= vm.start() < e for s, e in acc_spans + quoted):
                continue   # inside a quotation, a verb is the quoted speaker's word ("the chips it says it has")
            verb = text[vm.start():vm.end()]   # as written (the match is over the lower-cased text)
            key = R["verb_key"].get(re.sub(r"\s+", " ", verb.lower()), "said")
            prev = found[-1] if found else None
            if prev and _SAME_SPEAKER_GAP.fullmatch(text, prev["content_from"], vm.start()):
                # "ANAC said Tuesday it had fined ...": the pronoun is who just spoke
                spk = {k: prev.get(k) for k in ("speaker", "speaker_kind", "speaker_role", "company_side")}
            else:
                spk = _left_speaker(text, vm.start(), ments, people, last, found)
            if spk is None and last.get("anonymous") and R["anon_ref_after_re"].match(text, vm.end()):
                spk = dict(last["anonymous"])   # "..., said the people, who asked not to be named"
            if spk is None and verb.lower().endswith("ing"):
                # a participle speaks for the sentence's subject: the words after it are what is
                # said ("the union accused X, claiming some stores run short"), not who says it
                spk = _sentence_subject(text, ments, people)
            elif spk is None:
                spk = _right_speaker(text, vm.end(), ments, people)
            if spk is None:
                continue
            if verb.lower() in R["enforcement_verbs"] and spk.get("speaker_kind") in ("company", "organisation") \
                    and not spk.get("company_side"):
                spk = {**spk, "speaker_kind": "government", "speaker_role": "regulator"}   # "Ofgem has fined"
            found.append({**spk, "verb": verb, "verb_key": key, "pos": vm.start(),
                          "content_from": vm.end()})
        closing = _speaker_closing_quote(sents, idx, by_sentence, people, last) \
            if not found and _opens_unclosed_quote(text) else None
        if closing is not None:
            # '"A. B," Chief Executive X said': the quote's opening sentence is X's words too
            found.append({**closing, "verb": "", "verb_key": "quote_opening", "pos": 0,
                          "content_from": 0})
        elif not found and text.lstrip()[:1] in _QUOTE_CHARS and prev_sentence_stmt is not None:
            p = prev_sentence_stmt
            found.append({"speaker": p["speaker"], "speaker_role": p["speaker_title"],
                          "speaker_kind": p["speaker_kind"], "company_side": p["_company_side"],
                          "verb": "", "verb_key": "continued", "pos": 0, "content_from": 0,
                          "inherit_stance": p["stance"]})
        merged: dict[str, dict] = {}
        for f in sorted(found, key=lambda f: f["pos"]):
            f["stance"] = _stance(f, text, R, out)
            key = f["speaker"]
            if key in merged:
                g = merged[key]
                if STANCE_RANK[f["stance"]] < STANCE_RANK[g["stance"]]:
                    g["stance"] = f["stance"]
                continue
            merged[key] = f
        this_sentence = []
        carried_about = about
        in_order = sorted(merged.values(), key=lambda f: f["pos"])
        for f, nxt in zip(in_order, in_order[1:]):
            if nxt["pos"] > f["content_from"]:
                # one speaker's words end where the next one's begin (at its name, when known)
                f["content_until"] = max(f["content_from"], min(nxt["pos"], nxt.get("spk_start", nxt["pos"])))
        for k, f in enumerate(in_order):
            evidence = _evidence(text, next_text, f["stance"], R)
            inherited = f["verb_key"] == "continued" or R["verb_stance"].get(f["verb_key"]) == "inherit"
            # a statement carrying on the previous sentence's (same speaker, "X agreed") is
            # about what that one was about
            about_stmt = about or (about_before and (inherited or f["speaker"] == prev_speaker))
            carried_about = carried_about or about_stmt
            row = {
                "statement_id": unique(ids.child_id(sent["sentence_id"], "stm", base + f["pos"])),
                "sentence_id": sent["sentence_id"],
                "article_id": sent["article_id"],
                "start": base,
                "end": int(sent["end"]),
                "quote": text,
                "speaker": f["speaker"],
                "speaker_role": _speaker_role(f, people, R, text),
                "speaker_title": f.get("speaker_role", "") or "",
                "speaker_kind": f.get("speaker_kind", "") or "",
                "verb": f["verb"],
                "stance": f["stance"],
                "content": _content(text, f),
                "audience": _audience(text, R),
                "when": date_by_sentence.get(sent["sentence_id"], "") or _when(text),
                "evidence": evidence,
                "is_doubt": is_doubt(f["stance"], bool(f.get("company_side")), about_stmt, text, R)
                or (framed_doubt and not f.get("company_side") and f["stance"] in ("estimate", "expert_view"))
                # a short seller or activist bets or campaigns against the company: what it says
                # about the company questions it
                or (about_stmt and f["speaker"] in people.not_analysts),
                "response": "",
                "_company_side": f.get("company_side", False),
                "_idx": idx,
            }
            this_sentence.append(row)
            if f["verb_key"] != "continued":
                _remember(last, f)
        out.extend(this_sentence)
        about_two_back = about_before
        prev_about = carried_about
        for m in ments:   # "the Commission" later in the article: the last "... Commission" named
            if m["kind"] in ("company", "organisation", "government") and " " in m["name"]:
                last.setdefault("by_head", {})[m["name"].rsplit(" ", 1)[1]] = _speaker_from_mention(m, people)
        prev_sentence_stmt = this_sentence[-1] if this_sentence else None
        # responses ("X did not immediately respond to a request for comment")
        for rx in R["response_res"]:
            rm = rx.search(text)
            if not rm:
                continue
            target = _response_target(out, idx, R["response_window"], rm.start(),
                                      this_sentence)
            if target is not None:
                # an answer inside the accusation's own sentence is quoted alone ("a claim the
                # company called ..."), not with the accusation around it
                end = rm.end()
                while end < len(text) and text[end] in ".”\"’":
                    end += 1   # the closing quote of 'called "false and irresponsible."'
                resp = text[rm.start():end].strip(" ,") if any(target is r for r in this_sentence) \
                    else _sentence_around(text, rm.start(), rm.end())
                target["response"] = resp if not target["response"] else target["response"]
            break
    for row in out:
        row.pop("_company_side", None)
        row.pop("_idx", None)
    return out


_OPENING_QUOTES = "“«"
_CLOSING_QUOTES = "”»"
_QUOTE_LOOKAHEAD = 3   # sentences a quotation opened in one sentence may run on for


def _opens_unclosed_quote(text: str) -> bool:
    """Does the sentence open with a quotation that it does not close ('"A is true.')?"""
    body = text.lstrip()
    if body[:1] not in _QUOTE_CHARS:
        return False
    if body[0] == '"':
        return body.count('"') % 2 == 1
    return not any(c in _CLOSING_QUOTES for c in body[1:])


def _speaker_closing_quote(sents: list[dict], idx: int, by_sentence, people, last: dict) -> dict | None:
    """The speaker named where a quotation opened in sentence `idx` closes, within the next few
    sentences ('That cannot last," Chief Executive X told reporters.'), or None."""
    R = _rules()
    for sent in sents[idx + 1:idx + 1 + _QUOTE_LOOKAHEAD]:
        text = sent["quote"]
        end = next((k for k, c in enumerate(text) if c in _QUOTE_CHARS), -1)
        if end < 0:
            continue   # the quotation runs on through this sentence
        if text[end] in _OPENING_QUOTES:
            return None   # a new quotation: the earlier one was left open
        vm = R["verb_re"].search(text, end + 1, end + 1 + _SPEAKER_AFTER_QUOTE)
        if vm is None:
            return None
        base = int(sent["start"])
        ments = sorted(({**m, "ls": int(m["start"]) - base, "le": int(m["end"]) - base}
                        for m in by_sentence.get(sent["sentence_id"], [])), key=lambda m: m["ls"])
        return (_left_speaker(text, vm.start(), ments, people, last)
                or _right_speaker(text, vm.end(), ments, people))
    return None


# '," Chief Executive Jane Roe told': how far after a closing quote its speech verb may be
_SPEAKER_AFTER_QUOTE = 60


def _remember(last: dict, f: dict) -> None:
    spk = {k: f.get(k) for k in ("speaker", "speaker_role", "speaker_kind", "company_side")}
    kind = f.get("speaker_kind")
    if kind == "person":
        last["person"] = spk
    elif kind in ("company", "organisation", "government", "outlet"):
        last["company"] = spk
    elif kind == "generic":
        last["plural"] = spk
    elif kind == "anonymous":
        last["anonymous"] = spk
    last["any"] = spk
    if f.get("speaker_role") == "analyst":
        last["analyst"] = spk


def _speaker_from_mention(m: dict, people) -> dict:
    name = m["name"]
    kind = m["kind"]
    return {"speaker": name, "speaker_kind": kind, "spk_start": m["ls"],
            "speaker_role": m.get("role") or people.role(name),
            "company_side": people.is_company_side(name)}


def _left_speaker(text: str, pos: int, ments: list[dict], people, last: dict,
                  earlier: list[dict] = ()) -> dict | None:
    """The speaker of a verb at `pos`, from what precedes it; `earlier` are the speakers already
    found in the sentence."""
    R = _rules()
    # the patterns end with "$": searching text[lo:pos] via pos/endpos gives the same match as
    # searching text[:pos] (lookbehinds, \b and ^ still see the real string before lo)
    lo = max(0, pos - R["left_window"]) if R["left_window"] else 0
    anon = _anonymous_before(text, pos, R)
    if anon is not None:
        return anon
    if last.get("anonymous") and R["anon_ref_re"].search(text, lo, pos):
        return dict(last["anonymous"])
    pm = R["pronoun_re"].search(text, lo, pos)
    if pm:
        p = pm.group("p").lower()
        if p in ("he", "she"):
            spk = last.get("person")
        elif p == "it":
            named = _it_candidates(pm.start(), ments, people, earlier)
            if len(named) > 1:
                return None   # "the regulator fined Acme, the largest penalty it has imposed"
            spk = next(iter(named.values()), None) or last.get("company") or (
                {"speaker": people.subject, "speaker_kind": "company", "speaker_role": "",
                 "company_side": True} if people.subject else None)
        else:
            spk = last.get("plural") or last.get("company")
        return dict(spk) if spk else None
    sm = R["subject_ref_re"].search(text, lo, pos)
    if sm and people.subject:
        return {"speaker": people.subject, "speaker_kind": "company", "speaker_role": "",
                "company_side": True}
    # "Sergio Amaral, a transport analyst at Atlantico Securities in Lisbon, said", "the National
    # Civil Aviation Authority, known as ANAC, said": the name the apposition describes speaks
    app = _APPOSITION_TO_VERB.search(text, max(0, pos - 140), pos)
    if app:
        named = [m for m in ments if m["le"] == app.start() and m["kind"] in SPEAKER_KINDS]
        if named:
            return _speaker_from_mention(named[0], people)
        cap = _CAP_NAME_END.search(text, max(0, app.start() - 90), app.start())
        if cap and cap.group("name").split()[0] not in _name_stopwords():
            # a body the gazetteers do not know: "National Civil Aviation Authority, known as ANAC,"
            name = cap.group("name")
            official = any(w in name.lower() for w in R["regulator_words"])
            return {"speaker": name, "speaker_kind": "government" if official else "organisation",
                    "speaker_role": "", "company_side": False}
    gn = R["generic_named_re"].search(text, lo, pos)
    if gn and gn.group("name").split()[0] not in _name_stopwords():
        role = R["generic"].get(gn.group("g").lower(), "")
        official = role in R["official_roles"] or role in R["government_roles"]
        return {"speaker": gn.group("name"), "speaker_kind": "government" if official else "organisation",
                "speaker_role": role, "company_side": False}
    # the last four speaker-like mentions ending before pos (ments are sorted by "ls"): scan
    # back from pos instead of filtering every mention of the sentence for every verb
    candidates = []
    i = bisect.bisect_right(ments, pos, key=lambda m: m["ls"])
    while i > 0 and len(candidates) < 4:
        i -= 1
        m = ments[i]
        if m["le"] <= pos and m["kind"] in SPEAKER_KINDS + ("model",):
            candidates.append(m)
    for m in candidates:  # nearest first
        if _GAP_MAX and pos - m["le"] > _GAP_MAX:
            continue  # too long to be filler; avoids copying a long gap
        gap = text[m["le"]:pos]
        if _PREPOSITION_BEFORE.search(text, max(0, m["ls"] - 12), m["ls"]):
            continue   # "the judgment as to Acme ordered", "charged Acme with": not the speaker
        g = _GAP_FILLER.match(gap)
        if not g and not (gap == ", " and _APPOSITION_BEFORE.search(text, 0, m["ls"])):
            continue   # (", the CNIL, said": the mention closes an apposition)
        if m["kind"] == "model":
            return None
        spk = _speaker_from_mention(m, people)
        if R["analysts_at_re"].search(text, max(0, m["ls"] - 60), m["ls"]):
            spk["speaker_role"] = "analyst"   # "analysts at Y put the figure at"
        if g and g.group("poss"):
            noun = g.group("noun")
            if noun.split()[-1].lower() in R["document_nouns"]:
                pass   # "the SEC's complaint alleges": the SEC speaks
            elif any(w.lower() in R["role_nouns"] for w in noun.split()):
                spk = {"speaker": f"{m['name']}’s {noun}", "speaker_kind": "company",
                       "speaker_role": noun, "company_side": m["name"] == people.subject}
            else:
                continue
        if g and g.group("rolen"):
            spk["speaker_role"] = "analyst" if "analyst" in g.group("rolen") else g.group("rolen").strip()
        return spk
    gm = R["generic_re"].search(text, lo, pos)
    if gm:
        phrase = gm.group("g").lower()
        role = R["generic"].get(phrase) or next(
            (r for rx, r in R["generic_patterns"] if rx.fullmatch(phrase)), "")
        if phrase == "the analysts" and last.get("analyst"):
            return dict(last["analyst"])
        if phrase.startswith("the ") and role in R["official_roles"]:
            # "..., the regulator said": the government body named last (this sentence first)
            bodies = [m for m in ments if m["le"] <= gm.start("g") and m["kind"] == "government"]
            if bodies:
                return _speaker_from_mention(bodies[-1], people)
            if last.get("company") and last["company"].get("speaker_kind") == "government":
                return dict(last["company"])
        owner = _POSSESSOR.search(text, max(0, gm.start("g") - 40), gm.start("g"))
        speaker = (owner.group(0) if owner else "") + gm.group("g")   # "Italy's regulator"
        return {"speaker": speaker, "speaker_kind": "generic", "speaker_role": role,
                "company_side": False}
    hm = _SHORT_NAME.search(text, lo, pos)
    if hm and hm.group("head") in last.get("by_head", {}):
        return dict(last["by_head"][hm.group("head")])
    sg = R["singular_re"].search(text, lo, pos)
    if sg:
        return _unnamed_by_office(sg)
    cm = _NAME_BEFORE.search(text, lo, pos)
    if cm and cm.group("name").split()[0] not in _name_stopwords():
        # an organisation the gazetteers do not know: ", SemiAnalysis estimated"
        return {"speaker": cm.group("name"), "speaker_kind": "organisation", "speaker_role": "",
                "company_side": False}
    return None


def _it_candidates(pos: int, ments: list[dict], people, earlier: list[dict]) -> dict[str, dict]:
    """What an "it" at `pos` may stand for within its sentence: the organisations named before
    it and the sentence's earlier speakers that are no person and no plural group, by name."""
    out = {f["speaker"]: {k: f.get(k) for k in ("speaker", "speaker_kind", "speaker_role", "company_side")}
           for f in earlier if f.get("pos", pos) < pos and f.get("speaker_kind") != "person"
           and not (f.get("speaker_kind") == "generic" and str(f["speaker"]).endswith("s"))}
    for m in ments:
        if m["le"] <= pos and m["kind"] in ORG_KINDS and m["kind"] != "place" and m["name"] not in out:
            out[m["name"]] = _speaker_from_mention(m, people)
    return out


_ACCUSER_GAP = 8   # "allegations by the US Maritime Commission": "the US " before the name


_APPOSITION_BEFORE = re.compile(r",\s(?:the\s)?$")
# ", a transport analyst at X in Lisbon, " / ", known as ANAC, " right before a verb (no quote inside)
_APPOSITION_TO_VERB = re.compile(r",\s(?:a|an|the|its|known|who|which|based|chief|head)\b[^,“”\"]{1,120},\s(?:(?:also|has|had|then|on\s[A-Z][a-z]{2,8})\s)?$")
_CAP_NAME_END = re.compile(r"(?<![\w’'])(?P<name>[A-Z][\w&.-]{1,30}(?:\s(?:of\s|for\s|and\s)?[A-Z][\w&.-]{1,30}){1,5})$")
# between a speech verb and a pronoun that is its own speaker: "said Tuesday it", "said that it"
_DAY_WORD = r"(?:on\s)?(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|today|yesterday)"
_SAME_SPEAKER_GAP = re.compile(rf"(?:\s{_DAY_WORD})?"
                               r"(?:\s(?:that))?\s(?:it|he|she|they)\s(?:had\s|has\s|have\s|would\s|was\s|were\s)?")
# "The Commission said" after "the European Commission": the last word of a name already given
_SHORT_NAME = re.compile(rf"(?:^|[^\w’'])[Tt]he\s(?P<head>[A-Z][a-z]{{2,20}})\s{_TIME}{{0,1}}{_AUX}{{0,3}}$")
_PREPOSITION_BEFORE = re.compile(r"\b(?:as\sto|against|charged|sued|fined|of|for|with|than|into|about|over)\s$",
                                 re.IGNORECASE)


def _names_a_source(am: re.Match, ments: list[dict], R) -> bool:
    """Does the phrase after "based on"/"citing" name a source (records, a report, people
    familiar, a named organisation or person)?"""
    src = am.group("src")
    if R["source_noun_re"].search(src) or _anonymous_phrase(src, R) is not None:
        return True
    s0, s1 = am.start("src"), am.end("src")
    # the source is named first ("citing Reuters", "citing data from the agency"), not at the
    # end of a reason ("citing security risks and details of the Trump administration's ...")
    return any(s0 <= m["ls"] < s1 and m["kind"] in SPEAKER_KINDS
               and len(src[:m["ls"] - s0].split()) <= _SOURCE_LEAD_WORDS for m in ments)


_SOURCE_LEAD_WORDS = 3


_POSSESSOR = re.compile(r"\b[A-Z][\w.-]{1,30}(?:’s|'s)\s$")
_NAME_BEFORE = re.compile(rf"(?:^|,\s|\b(?:but|and|while|whereas)\s)(?P<name>[A-Z][\w&.-]{{1,30}}(?:\s[A-Z][\w&.-]{{1,30}}){{0,2}})\s{_AUX}{{0,2}}$")


@lru_cache(maxsize=None)
def _name_stopwords() -> frozenset:
    return frozenset(knowledge.load("entities")["name_stopwords"])


# An anonymous phrase stands for the speaker of a verb when at most this much text, with no
# other speech verb, lies between them ("three people familiar with the matter told Reuters").
_ANON_GAP = 70


def _anonymous_phrase(text: str, R) -> re.Match | None:
    """The last anonymous-source match in `text` (patterns from stance.yml)."""
    best = None
    for rx in R["anon_res"]:
        for m in rx.finditer(text):
            if best is None or m.end() > best.end():
                best = m
    return best


def _anonymous_speaker(text: str, m: re.Match) -> str:
    """Readable speaker for an anonymous match: the phrase with its quantifier ("three people
    familiar with the matter"), or the words before ", who asked not to be named"."""
    start = m.start()
    if m.group(0).lower().startswith(("who", "on ", "requested", "speaking", "declined")):
        clause = text[:start].rstrip(" ,")
        words = re.findall(r"[\w’'-]+", clause)[-3:]
        return " ".join(words) or "unnamed source"
    q = _language()["quantifier_re"].search(text[max(0, start - 12):start])
    if q:
        start -= len(q.group(0))
    tail = re.match(r"[^,.;:()“”\"]{0,40}", text[m.end():])
    return re.sub(r"\s+", " ", text[start:m.end()] + (tail.group(0) if tail else "")).strip()


def _anonymous_before(text: str, pos: int, R) -> dict | None:
    """An anonymous source ending just before a verb at `pos`, or None."""
    lo = max(0, pos - 200)
    m = _anonymous_phrase(text[lo:pos], R)
    if m is None:
        return None
    gap = text[lo + m.end():pos]
    if len(gap) > _ANON_GAP or R["verb_re"].search(gap) or any(q in gap for q in _QUOTE_CHARS):
        return None
    name = _anonymous_speaker(text[lo:pos], m)
    return {"speaker": name, "speaker_kind": "anonymous", "speaker_role": "anonymous",
            "company_side": False}


def _sentence_subject(text: str, ments: list[dict], people) -> dict | None:
    """The sentence's grammatical subject when it opens the sentence ("The company ... writing")."""
    head = text[:40]
    m0 = [m for m in ments if m["ls"] <= 4 and m["kind"] in SPEAKER_KINDS]
    if m0:
        return {**_speaker_from_mention(m0[0], people), "spk_start": m0[0]["ls"]}
    for ref in sorted(knowledge.load("entities").get("subject_references") or [], key=len, reverse=True):
        if head.lower().startswith(ref.lower()) and people.subject:
            return {"speaker": people.subject, "speaker_kind": "company", "speaker_role": "",
                    "company_side": True}
    return None


def _right_speaker(text: str, end: int, ments: list[dict], people) -> dict | None:
    for m in ments:
        if m["ls"] >= end and m["kind"] == "person" and (
                m["ls"] - end <= 2 or _TITLE_GAP.fullmatch(text, end, m["ls"]) and m.get("role")):
            return _speaker_from_mention(m, people)   # "said Jane Roe", "said Acme analyst Jane Roe"
    R = _rules()
    gm = R["singular_after_re"].match(text, end)
    if gm is None:
        return None
    if gm.group("plural"):
        phrase = gm.group("plural")
        return {"speaker": phrase, "speaker_kind": "generic",
                "speaker_role": R["generic"].get(phrase.lower(), ""), "company_side": False}
    return _unnamed_by_office(gm)


# between a speech verb and the name of its speaker, the speaker's title ("Vistula analyst ",
# "chief executive "): a few words, no punctuation
_TITLE_GAP = re.compile(r"\s(?:[\w’'&-]{1,25}\s){1,4}")


def _unnamed_by_office(m: re.Match) -> dict:
    """The speaker of a singular_re / singular_after_re match: "a senior lawmaker" (lower-case:
    a description, not a name), whose role is the office noun."""
    phrase = " ".join(m.group("g").split())
    return {"speaker": phrase[0].lower() + phrase[1:], "speaker_kind": "generic",
            "speaker_role": m.group("noun").lower(), "company_side": False}


def _source_speaker(am, ments, people) -> dict:
    R = _rules()
    src = am.group("src").strip()
    s0, s1 = am.start("src"), am.end("src")
    anon = _anonymous_phrase(src, R)
    if anon is not None:
        return {"speaker": _anonymous_speaker(src, anon), "speaker_kind": "anonymous",
                "speaker_role": "anonymous", "company_side": False, "source_text": src}
    low = src.lower()
    article = _ARTICLE.match(low)
    estimate_of = next((w for w in R["estimate_sources"]
                        if low.startswith(w + " ", article.end() if article else 0)), "")
    if estimate_of:   # "according to (an) estimate(s) by X": an estimate whose speaker is X
        cut = (article.end() if article else 0) + len(estimate_of) + 1
        src, s0, low = src[cut:].strip(), s0 + cut, low[cut:].strip()
    inside = [m for m in ments if s0 <= m["ls"] < s1 and m["kind"] in SPEAKER_KINDS]
    own = any(c in low for c in R["company_source_cues"])
    if estimate_of:
        spk = ({**_speaker_from_mention(inside[0], people), "source_text": src} if inside else
               {"speaker": src, "speaker_kind": "source", "speaker_role": "",
                "company_side": False, "source_text": src})
        return {**spk, "estimate_source": not spk["company_side"]}
    subject_inside = [m for m in inside if m["name"] == people.subject]
    if people.subject and (subject_inside or (own and not inside)
                           or R["subject_ref_re"].search(src + " ")):
        return {"speaker": people.subject, "speaker_kind": "company", "speaker_role": "",
                "company_side": True, "source_text": src}
    if inside:
        pers = [m for m in inside if m["kind"] == "person"]
        m = pers[0] if pers else inside[-1]
        spk = {**_speaker_from_mention(m, people), "source_text": src}
        if R["analysts_at_re"].search(am.string, max(0, m["ls"] - 60), m["ls"]):
            spk["speaker_role"] = "analyst"   # "according to analysts at Y"
        # "according to X, a Warsaw firm that estimates the company's figures": X's estimate
        return {**spk, "estimate_source": not spk["company_side"] and _described_as_estimator(am, R)}
    src = R["publication_re"].sub("", src)
    return {"speaker": src, "speaker_kind": "source", "speaker_role": "",
            "company_side": False, "source_text": src}


_ARTICLE = re.compile(r"(?:an?|the)\s")
# ", a Warsaw firm that estimates ...": a description of the source right after its name
_SOURCE_DESCRIPTION = re.compile(r",\s(?:a|an|the)\s[^,;“”\"]{1,60}?\b(?:that|which|who)\s(?P<verb>\w{3,20})\b")


def _described_as_estimator(am: re.Match, R) -> bool:
    """Does the description after a source phrase say the source makes estimates?"""
    d = _SOURCE_DESCRIPTION.match(am.string, am.end())
    return bool(d) and R["verb_key"].get(d.group("verb").lower()) == "estimated"


def _stance(f: dict, text: str, R, previous: list[dict]) -> str:
    if f.get("inherit_stance"):
        return f["inherit_stance"]
    kind = f.get("speaker_kind", "")
    low = text.lower()
    accusation = bool(R["accusation_re"].search(text))
    if kind == "anonymous":
        return "allegation" if accusation else "anonymous_sourcing"
    if f.get("company_side"):
        return "company_claim"
    key = f.get("verb_key", "")
    verb_stance = R["verb_stance"].get(key, "expert_view")
    if kind == "government":
        # a government body's accusation ("the SEC's complaint alleges") is an allegation;
        # anything else it says or does is an official action
        return "allegation" if verb_stance == "allegation" else "official_action"
    if f.get("estimate_source") or verb_stance == "estimate":
        return "estimate"
    if key == "according":
        return "expert_view" if kind == "person" else "reported_fact"
    if verb_stance == "inherit":
        return previous[-1]["stance"] if previous else "expert_view"
    if verb_stance == "allegation" or (accusation and kind in ("person", "company", "generic")):
        return "allegation"
    if _official_person(f, R):
        return "official_action"   # "foreign minister X said"
    role = f.get("speaker_role")
    if role == "analyst":
        content = low[f.get("content_from", 0):]
        has_figure = bool(_language()["figure_like_re"].search(content))
        return "estimate" if has_figure or any(w in content for w in R["estimate_words"]) \
            else "expert_view"
    if kind == "generic" and (role in R["official_roles"] or (
            role in R["government_roles"] and verb_stance == "official_action")):
        return "official_action"   # "the regulator said", "lawmakers banned"
    if verb_stance == "reported_fact":
        return "reported_fact"
    return R["kind_stance"].get(kind, "expert_view") if kind != "generic" else "expert_view"


def is_doubt(stance: str, company_side: bool, about_company: bool, text: str, R=None) -> bool:
    """Does a statement question the company's claims or conduct?

    Only statements by outsiders about the company count: an allegation about it, or a
    sentence with a doubt cue (stance.yml `doubt_cues`). Praise has no such cue; a general
    policy statement does not name the company; an authority's words in the company's favour
    (`official_mitigation_cues`) are none either.
    """
    if company_side or not about_company:
        return False
    if stance == "allegation":
        return True
    R = R or _rules()
    if stance == "official_action" and R["mitigation_re"].search(text):
        return False
    return bool(R["doubt_re"].search(text))


def _about_company(text: str, ments: list[dict], people, prev_about: bool) -> bool:
    """Is the sentence about the subject company: it, a person of it or one of its models is
    named, or "the company"/"the startup"; "it"/"its" carry the previous sentence's subject."""
    R = _rules()
    subject = people.subject
    if not subject:
        return False
    for m in ments:
        if m.get("is_subject") or people.is_company_side(m["name"]):
            return True
        if m["kind"] == "model" and str(m["name"]).startswith(subject + "-"):
            return True
    if R["subject_ref_any"] is not None and R["subject_ref_any"].search(text):
        return True
    return prev_about and bool(R["carry_re"].search(text))


def _speaker_role(f: dict, people, R, text: str = "") -> str:
    """The speaker in SPEAKER_ROLES: the company, its people, governments and regulators,
    analysts, other estimators, anonymous sources, other companies (rivals) or other."""
    kind = f.get("speaker_kind", "")
    name = f.get("speaker", "")
    role = str(f.get("speaker_role") or "").lower()
    if kind == "anonymous":
        return "anonymous"
    if f.get("company_side"):
        return "company" if name == people.subject or kind == "company" else "company_person"
    low = name.lower()
    orgs = people.orgs.get(name, ())
    gov_orgs = [o for o in orgs if people.kind.get(o) == "government"]
    if (kind == "government" or _official_person(f, R) or gov_orgs
            or (kind == "generic" and role in R["government_roles"])):
        body = " ".join([low, role, *(o.lower() for o in gov_orgs)])   # "ACCC commissioner X"
        return "regulator" if any(w in body for w in R["regulator_words"]) or role == "regulator" \
            else "government"
    if name in people.not_analysts:
        return "other"
    if _firm_estimate(f, R, text):
        return "outside_estimator"
    if R["analyst_role_re"].search(role):
        return "analyst"
    if f.get("stance") == "estimate":
        return "outside_estimator"
    if kind in ("company", "organisation", "person") and any(
            R["analyst_org_re"].search(x) for x in (name, role, *orgs)):
        return "analyst"   # "Halden Insights said in a note to clients", a professor
    if name in people.rivals or any(o in people.rivals for o in orgs):
        return "rival"   # makers of models the articles name
    return "other"


def _firm_estimate(f: dict, R, text: str) -> bool:
    """Is it a firm's estimate of something other than the company's results? "according to
    estimates by X", "Analysts at X estimate its market share at 34%": X is the estimator;
    "Analysts at X forecast a profit of ...", like a person's estimate, is an analyst's."""
    if f.get("stance") != "estimate" or f.get("speaker_kind") not in ("company", "organisation", "source"):
        return False
    if f.get("estimate_source"):
        return True
    said = text[f.get("content_from", 0):f.get("content_until", len(text))]
    return f.get("verb_key") == "estimated" and not R["results_re"].search(said)


def _official_person(f: dict, R) -> bool:
    """A person speaking with a government title ("foreign minister X", "Senator Y")."""
    if f.get("speaker_kind") != "person":
        return False
    words = str(f.get("speaker_role") or "").lower().split()
    return bool(words) and (words[-1] in R["government_roles"] or " ".join(words[-2:]) in R["government_roles"])


_ANSWER_CLAUSE = re.compile(r",\s(?:a\sclaim|an\saccusation|an\sallegation|which)\s(?:the\s\w+|it|they)\s")
_LEADING_DAY = re.compile(rf"^\s{_DAY_WORD}\b")
_LEAD_IN_WORDS = 4   # ", but the company" / ", the company claims that": words before the next speaker


def _content(text: str, f: dict) -> str:
    """What the speaker says: `_content_words` without a leading discourse word ("Indeed, X
    appears to ..." -> "X appears to ...") or the quotation marks left at its ends."""
    words = _content_words(text, f)
    return _language()["discourse_opener_re"].sub("", words.strip(" ,.;“”\"«»")) or words


def _content_words(text: str, f: dict) -> str:
    if f.get("verb_key") == "according":
        # "... at $3.1 billion, according to people familiar with the matter, as investors ...":
        # the two commas around the attribution become one
        rest = re.sub(r",(?:\s*,)+", ",", text[:f["pos"]] + text[f["content_from"]:]).strip(" ,.;")
        return rest[:300]
    if str(f.get("verb") or "").lower().startswith("accus"):
        # "accused Acme of buying chips ..., a claim the company denied": the accusation reads
        # only with its verb, and ends where the company's answer begins
        words = _ANSWER_CLAUSE.split(text[f["pos"]:], 1)[0]
        return words.strip(" ,.;")[:300]
    quoted = re.findall(r"[“\"]([^”\"]{3,400})[”\"]", text)
    tail = text[f["content_from"]:]
    if f.get("content_until"):
        # "X disputed the figures, the company claims that ...": X's words stop before the
        # clause that introduces the next speaker
        own = text[f["content_from"]:f["content_until"]]
        cut = max(own.rfind(", "), own.rfind(" but "), own.rfind(" while "))
        # only a clause that just leads in to the next speaker (", the company claims that") is
        # cut: "unknown but were much higher than the $4 million Acme said" keeps its point
        leads_in = cut > 0 and len(own[cut:].split()) <= _LEAD_IN_WORDS
        tail = own[:cut] if leads_in else own
        R = _rules()
        for rx in (R["subject_ref_re"], R["pronoun_re"]):   # "... than the $5.58 million the startup [said]"
            ref = rx.search(tail)
            if ref:
                tail = tail[:ref.start() + (1 if tail[ref.start()].isspace() else 0)]
    if len(tail.split()) <= 6 and f.get("spk_start", -1) > 20 and not quoted:
        before = text[:f["spk_start"]].rstrip()
        title = str(f.get("speaker_role") or "")
        if title and before.lower().endswith(" " + title.lower()):
            before = before[:-len(title)]   # '... forever," Chief Executive [Jane Roe told]'
        before = re.sub(r",\s(?:the|a|an)$", "", before.rstrip())   # "..., the [Commission said]"
        return before.strip(" ,.;")[:300]
    day = _LEADING_DAY.match(tail)
    if day:
        tail = tail[day.end():]   # "said Tuesday it had fined ...": the day is when, not what
    that = re.match(r"^,?\s(?:[\w’',]{1,20}\s){0,4}?that\s", tail)
    if that:
        return tail[that.end():].strip(" ,.;")[:300]
    if quoted and (f["content_from"] == 0 or text.lstrip()[:1] in _QUOTE_CHARS):
        return " ".join(q.strip() for q in quoted)[:300]
    return tail.strip(" ,.;")[:300] or text[:300]


def _audience(text: str, R) -> str:
    for rx in R["audience_res"]:
        m = rx.search(text)
        if m:
            return m.group(1).rstrip(".,;")
    return ""


def _when(text: str) -> str:
    m = _language()["when_re"].search(text)
    return m.group(0) if m else ""


def _evidence(text: str, next_text: str, stance: str, R) -> str:
    """`not_offered` / `offered` from cues in the sentence (an allegation's evidence may follow in
    the next sentence); an allegation with neither is `not_offered`, anything else `unknown`."""
    cues = R["evidence_re"]
    none, some = cues.get("not_offered"), cues.get("offered")
    if none is not None and none.search(text):
        return "not_offered"
    if some is not None and some.search(text):
        return "offered"
    if none is not None and any(not m.group(0).lower().startswith("without")
                                for m in none.finditer(next_text)):
        # "... Halden did not say how it reached the figure." ("without providing evidence"
        # in the next sentence is about that sentence's own speaker)
        return "not_offered"
    if stance != "allegation":
        return "unknown"
    return "offered" if some is not None and some.search(next_text) else "not_offered"


def _response_target(out: list[dict], idx: int, window: int, pos: int, this_sentence):
    # `out` is in sentence order: only its tail can be within the window
    tail = []
    for r in reversed(out):
        if r["_idx"] < idx - window:
            break
        tail.append(r)
    candidates = [r for r in reversed(tail) if idx - window <= r["_idx"] <= idx and not r["_company_side"]]
    if not candidates:
        return None
    allegations = [r for r in candidates if r["stance"] == "allegation"]
    return (allegations or candidates)[-1]


_QUOTED = re.compile(r"“[^“”]*”|\"[^\"]*\"|«[^«»]*»")


def _quoted_spans(text: str) -> list[tuple[int, int]]:
    """Spans of the closed quotations in a sentence (an unclosed quote, carried on from the
    previous paragraph, is no span)."""
    return [(m.start(), m.end()) for m in _QUOTED.finditer(text)]


def _sentence_around(text: str, start: int, end: int) -> str:
    s = max(text.rfind(". ", 0, start) + 2, 0) if text.rfind(". ", 0, start) >= 0 else 0
    e = text.find(".", end)
    e = len(text) if e < 0 else e + 1
    return text[s:e].strip()


# ---------------------------------------------------------------- claim attribution and labels

def claim_attribution(statements) -> Callable[[dict], tuple[set, set, set]]:
    """A function giving, for a figure or statement row, the (stances, evidence values,
    speakers) of the statements that carry it.

    A statement row carries itself. A figure is carried by the statements of its sentence whose
    content contains its mention, the most specific (shortest content) first: in "Acme said X,
    but SemiAnalysis estimated Y", X is the company's claim and Y the estimate. A figure that no
    statement's content contains is carried by all statements of its sentence.
    """
    by_sentence: dict[str, list[tuple[str, str, str, str]]] = defaultdict(list)
    for sid, stance, ev, speaker, content in zip(*[_records_column(statements, c) for c in (
            "sentence_id", "stance", "evidence", "speaker", "content")]):
        by_sentence[sid].append((stance, ev, speaker, str(content or "")))

    def attribution(row: dict) -> tuple[set, set, set]:
        if "stance" in row:
            return {row["stance"]}, {row.get("evidence", "unknown")}, {row.get("speaker", "")}
        stmts = by_sentence.get(row.get("sentence_id", ""), [])
        mention = str(row.get("mention") or "")
        holding = sorted((s for s in stmts if mention and mention in s[3]), key=lambda s: len(s[3]))
        chosen = holding[:1] if holding else stmts
        return ({s[0] for s in chosen}, {s[1] for s in chosen}, {s[2] for s in chosen})
    return attribution


def _records_column(rows, column: str) -> list:
    if rows is None or not len(rows):
        return []
    if isinstance(rows, pd.DataFrame):
        return rows[column].tolist()
    return [r[column] for r in rows]


def claim_label(stances: set, evidence: set, n_independent: int) -> str:
    """The label of a claim from the stances and evidence of what carries it.

    An allegation is `allegation_no_evidence` unless evidence is offered (then `allegation`);
    a claim only the company makes is `company_claim`, only outside estimators `estimate`, only
    unnamed sources `anonymous`; anything else is labelled by its independent sources.
    """
    if "allegation" in stances:
        return "allegation" if "offered" in evidence else "allegation_no_evidence"
    for stance, label in (("company_claim", "company_claim"), ("estimate", "estimate"),
                          ("anonymous_sourcing", "anonymous")):
        if stances and stances <= {stance}:
            return label
    return "multi_source" if n_independent >= 2 else "single_source"


def claim_speaker(label: str, speakers: set) -> str:
    """Whose claim it is, when the label names one speaker ("estimate by SemiAnalysis")."""
    if label in ("company_claim", "estimate", "anonymous", "allegation",
                 "allegation_no_evidence") and len(speakers) == 1:
        return next(iter(speakers))
    return ""
