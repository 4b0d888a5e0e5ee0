"""Entity mentions (people, companies, models, chips, places, ...) and the entities table.

Everything corpus-specific comes from the `company` argument and from data/knowledge/entities.yml:
gazetteers of well-known names, name patterns (chips, rival models, government bodies,
programmes), role words and organisation suffixes. People are capitalised name sequences with a
role, a speech verb or an attribution next to them; a later surname-only mention ("Chen",
"Smith") is resolved to the nearest previous full mention in the same article.

Models: a model's `owner` comes from the text at each mention ("Acme's A-1", "its V3 model",
"Quillfern released Fern 4", "Fern 4, developed by Quillfern", a name with the company's prefix),
else from general knowledge in entities.yml (GPT is OpenAI's), else "" (not known). Models the
gazetteer does not know are found next to a kind noun of some domain ("its Sable sedan", "its
flagship model, Fern-2"); every later mention of the name is then that model.

Known names are looked up token by token in a dictionary (linear in the text), never with one
huge alternation; every regular expression has bounded repetition only.
"""
from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterable, Sequence

import pandas as pd

from newsbrief import knowledge
from newsbrief.extract.caseless import Caseless
from newsbrief.extract.gates import Gated, any_gate
from newsbrief.names import company_names as _company_names
from newsbrief.paths import slugify

KIND_PRIORITY = {"model": 0, "chip": 1, "person": 2, "programme": 3, "government": 4,
                 "outlet": 5, "product": 6, "company": 7, "organisation": 8, "place": 9}
ORG_KINDS = ("company", "organisation", "government", "outlet", "place")
ENTITY_COLUMNS = ["entity_id", "name", "kind", "aliases", "role", "organisation", "owner",
                  "domain", "is_subject", "n_mentions", "n_articles", "article_id", "start", "end",
                  "quote"]
MENTION_COLUMNS = ["entity_id", "article_id", "sentence_id", "start", "end", "quote", "name",
                   "kind", "role", "organisation", "owner", "owner_known", "domain", "is_subject"]

_TOKEN = re.compile(r"[A-Za-z0-9&]+(?:[.\-][A-Za-z0-9&]+){0,6}")
# Name letters include the Latin accents of names ("Tomás Arregui", "Zoë Müller", "Paweł Nowak").
_UP, _LOW = "A-ZÀ-ÖØ-Þ\u0100-\u017f", "a-zß-öø-ÿ\u0100-\u017f"
_NAME_TOK = re.compile(rf"[{_UP}][{_LOW}]{{1,20}}(?:-[A-Za-z{_UP}][{_LOW}]{{1,20}})?")
_CAP_RUN = re.compile(rf"[{_UP}][\w&'’.-]{{0,30}}(?:[ \t][{_UP}][\w&'’.-]{{0,30}}){{0,6}}")
_NAME_WORD = re.compile(rf"\b{_NAME_TOK.pattern}\b")
_POSSESSIVE = re.compile(r"(?:'s|’s|'|’)$")
_WORDS = re.compile(r"[A-Za-z]+")
# "the company" (or startup, carmaker, ...) right before a possessive or verb: the subject
_COMPANY_NOUN_END = re.compile(
    r"\b(?i:the)\s(?:[\w-]{1,20}\s)?(?i:company|startup|start-up|firm|lab|carmaker|automaker|group)$")


def norm_key(text: str) -> str:
    """Comparison key for names: case, spaces, hyphens and possessives ignored."""
    return re.sub(r"[^a-z0-9&]+", "", _POSSESSIVE.sub("", text.strip()).lower())


def entity_id(kind: str, name: str) -> str:
    return f"{kind}:{slugify(name, 'x')}"


# ---------------------------------------------------------------------------------------------
# Knowledge


@dataclass(frozen=True)
class _KB:
    roles: tuple[str, ...]
    role_re: re.Pattern
    role_prefix_re: re.Pattern
    apposition_re: re.Pattern
    verb_after_re: re.Pattern
    before_name_re: re.Pattern
    stopwords: frozenset
    role_words: frozenset
    demonyms: dict
    known: dict            # lower token tuple -> (canonical, kind, case-sensitive surface tuple)
    max_known: int
    patterns: tuple         # (kind, gated pattern, template, owner, domain)
    org_suffix_re: re.Pattern
    org_intro_re: Gated
    model_first: str
    model_next: str
    bare_re: re.Pattern
    subject_refs: tuple[str, ...]
    model_kind_res: tuple       # ((gates...), compiled): name/kind-noun forms
    kind_domain: dict           # lower kind noun -> domain
    kind_firsts: frozenset      # lower first words of kind nouns (prefilter)
    model_name_stop: frozenset
    owner_before_re: re.Pattern
    owner_verb_re: re.Pattern
    owner_after_re: re.Pattern
    company_model_domain: str
    person_titles: frozenset    # courtesy titles dropped before a name ("Dr.")
    founded_by_re: re.Pattern   # "<Org> was founded by <person>" just before the person
    org_words: frozenset        # words that end organisations' names, never a person's ("Securities")
    office_titles: dict         # title written before a name -> role ("Representative" -> lawmaker)



def _tokens(text: str) -> list[tuple[str, int, int]]:
    """Word tokens with offsets; "Hangzhou-based" -> "Hangzhou" (a lower-case suffix is dropped)."""
    # findall + str.find, not finditer + match objects: 25% faster (0.38 s vs 0.50 s per 20,000
    # sentences). A token is found at its match: what lies between two matches has no token letter.
    out = []
    pos = 0
    find = text.find
    for tok in _TOKEN.findall(text):
        s = find(tok, pos)
        pos = s + len(tok)
        if "-" in tok:
            cut = tok.find("-")
            if tok[cut + 1:cut + 2].islower() and tok[:1].isupper():
                tok = tok[:cut]
        out.append((tok, s, s + len(tok)))
    return out


@lru_cache(maxsize=None)
def _kb() -> _KB:
    data = knowledge.load("entities")
    roles = tuple(sorted(data["roles"], key=len, reverse=True))
    role_alt = "|".join(re.escape(r).replace(r"\ ", r"\s") for r in roles)
    role_re = re.compile(rf"(?i:\b(?:{role_alt})\b)")
    # "<former> <Org words> <role> " right before a name (looked at on a bounded window).
    role_prefix_re = re.compile(
        rf"(?:(?P<former>(?i:former))\s)?(?P<org>(?:[A-Z][\w&.’'-]{{0,30}}\s){{0,3}})"
        rf"(?P<role>(?:government\s)?(?i:{role_alt}))s?,?\s(?:(?:Dr|Mr|Ms|Mrs|Prof)\.\s)?$")
    # ", an automotive analyst at Kellner Research in Munich", ", the FCA's director of enforcement"
    apposition_re = re.compile(
        rf"^,\s(?:(?:the|a|an|its|their)\s)?(?:(?P<former>former)\s)?"
        rf"(?P<org1>(?:[A-Z][\w&.’'-]{{0,30}}\s){{0,3}})(?:(?!(?:and|or|of|at)\s)[a-z][a-z-]{{2,20}}\s){{0,2}}?(?P<role>(?i:{role_alt}))"
        rf"(?:\s(?:and|&)\s(?i:{role_alt}))?"   # "CEO and Chairman of Tesla"
        rf"(?:\s(?:of|at)\s(?P<org2>[^,;:()]{{1,60}}?)(?=\sin\s[A-Z]|[,;:()]|\.(?:\s|$)|$))?")
    verbs = "|".join(re.escape(v) for v in data["person_verbs"])
    verb_after_re = re.compile(
        rf"^(?:,[^,]{{1,80}},)?\s(?:(?:also|has|had|have|was|then|later|on\s[A-Z]\w{{1,10}})\s){{0,2}}"
        rf"(?P<verb>{verbs})\b")
    lang = knowledge.load("language")
    before_name_re = re.compile(rf"(?:\b(?:{knowledge.phrase_alternation(lang['before_speaker_name'])})\s)$",
                                re.IGNORECASE)
    known: dict = {}
    max_known = 1
    for kind, entries in (data.get("known") or {}).items():
        for entry in entries:
            name = str(entry["name"])
            for surface in [name, *[str(a) for a in entry.get("aliases") or []]]:
                toks = tuple(t for t, _, _ in _tokens(surface))
                if not toks:
                    continue
                known.setdefault(tuple(t.lower() for t in toks), (name, kind, toks))
                max_known = max(max_known, len(toks))
    patterns = []
    for kind, entries in (data.get("patterns") or {}).items():
        for entry in entries:
            patterns.append((kind, Gated(re.compile(entry["regex"])), entry.get("name", "{0}"),
                             str(entry.get("owner") or ""), str(entry.get("domain") or "")))
    suffixes = sorted([*data["org_suffixes"], *(data.get("industry_suffixes") or [])], key=len, reverse=True)
    suffix_alt = "|".join(re.escape(s).replace(r"\ ", r"\s") for s in suffixes)
    org_suffix_re = re.compile(
        rf"\b(?P<base>[A-Z][\w&’'-]{{1,30}}(?:\s[A-Z][\w&’'-]{{1,30}}){{0,2}})\s(?P<suffix>{suffix_alt})(?![\w])")
    intro_alt = "|".join(re.escape(s).replace(r"\ ", r"\s") for s in
                         sorted(data["org_intro"], key=len, reverse=True))
    org_intro_re = Gated(re.compile(
        rf"\b(?:{intro_alt}),?\s(?P<name>[A-Z][\w&-]{{1,30}}(?:\s[A-Z][\w&-]{{1,30}}){{0,2}})"))
    cm = data["company_model"]
    stop = frozenset(data["name_stopwords"])
    role_words = frozenset(w.lower() for r in roles for w in r.split())
    kind_domain = {str(n).lower(): dom for dom, spec in (data.get("model_domains") or {}).items()
                   for n in spec.get("nouns") or []}
    # kind nouns match as written ("SUV", "car": not "Car" in "China Passenger Car Association")
    kind_alt = "|".join(re.escape(n).replace(r"\ ", r"\s")
                        for n in sorted({str(n) for spec in (data.get("model_domains") or {}).values()
                                         for n in spec.get("nouns") or []}, key=len, reverse=True))
    not_after = "|".join(re.escape(w) for w in data.get("model_kind_not_before") or [])
    kind_end = rf"(?![\w-])(?!\s(?:{not_after})\b)" if not_after else r"(?![\w-])"
    adj_alt = "|".join(re.escape(a) for a in sorted(data.get("model_adjectives") or [], key=len,
                                                     reverse=True))
    adjs = rf"(?:(?i:{adj_alt})\s){{0,3}}" if adj_alt else ""
    name = r"[A-Z][A-Za-z0-9]{1,20}(?:[\s-](?:[0-9]{1,3}(?:\.[0-9]{1,2})?[A-Za-z]?|[A-Z][A-Za-z0-9]{0,20})){0,2}"
    versioned = (r"[A-Z][A-Za-z]{1,20}(?:\s[A-Z][A-Za-z]{1,20})?[\s-][0-9]{1,3}(?:\.[0-9]{1,2})?"
                 r"(?:\s(?:Mini|Pro|Max|Plus|Lite|Ultra|Nano|Turbo|Flash))?")
    # Each form comes with gates: cheap patterns that match wherever the form can (a part every
    # match contains), so most sentences skip the form's scan. The second form starts with
    # optional words, so it is tried at every position: 1.5 s per 20,000 sentences ungated,
    # 0.03 s gated (same matches).
    model_kind_res = (
        # "Sable sedan", "Lark electric SUV", "R1 model"
        ((), re.compile(rf"(?<![\w’'-])(?P<name>{name})\s{adjs}(?P<kind>{kind_alt}){kind_end}")),
        # "its flagship model, Kestrel-2", "its largest model yet, Fern 4"
        ((re.compile(r",\s[A-Z]"),
          re.compile(rf"(?<![\w-])(?:{kind_alt})(?:\s(?:yet|so\sfar))?,\s[A-Z]")),
         re.compile(rf"(?P<owner>(?:(?:’s|'s|\bits|\btheir)\s))?{adjs}(?<![\w-])(?P<kind>{kind_alt})(?:\s(?:yet|so\sfar))?,\s(?P<name>{versioned})(?![\w-])")),
        # "Fern 3.5, its most capable model so far"
        ((re.compile(r",\s(?:its|their|the\scompany['’]s|a|an|the)\s"),),
         re.compile(rf"(?<![\w’'-])(?P<name>{versioned}),\s(?P<its>its|their|the\scompany['’]s|a|an|the)\s{adjs}(?P<kind>{kind_alt}){kind_end}")),
    ) if kind_alt else ()
    kind_firsts = frozenset(n.split()[0] for n in kind_domain)
    # what stands right before a model's name and tells its owner (the organisation is the
    # mention ending where the match starts): "X's ", "its ", "X ", "X released its new "
    owner_before_re = re.compile(rf"(?P<how>(?:’s|'s)\s|\s|(?P<its>\b(?:its|their))\s){adjs}$")
    verbs = "|".join(re.escape(v).replace(r"\ ", r"\s") for v in sorted(
        data.get("model_owner_verbs") or [], key=len, reverse=True))
    owner_verb_re = re.compile(
        rf"\s(?:(?:has|have|had|also|then|on\s[A-Z][a-z]{{2,8}}|last\s(?:week|month|year))\s){{0,2}}"
        rf"(?:{verbs})\s(?:(?:its|their|the|a|an)\s)?{adjs}$") if verbs else re.compile(r"(?!x)x")
    makers = knowledge.phrase_alternation(data["model_maker_verbs"])
    owner_after_re = re.compile(rf"^,?\s(?:(?:{makers})\sby|from)\s$")
    founders = knowledge.phrase_alternation(data["founding_verbs"])
    founded_by_re = re.compile(rf"\b(?:{founders})\s(?:in\s\d{{4}}\s)?by\s(?:[\w-]{{1,20}}\s){{0,3}}$")
    return _KB(roles, role_re, role_prefix_re, apposition_re, verb_after_re, before_name_re,
               stop, role_words, dict(data.get("demonyms") or {}), known, max_known,
               tuple(patterns), org_suffix_re, org_intro_re, cm["first_token"], cm["next_token"],
               re.compile(cm["bare"]), tuple(data.get("subject_references") or ()),
               model_kind_res, kind_domain, kind_firsts,
               frozenset(data.get("model_name_stopwords") or ()) | stop
               | frozenset(data.get("demonyms") or {}), owner_before_re,
               owner_verb_re, owner_after_re, str(cm.get("domain") or ""),
               frozenset(lang["person_titles"]), founded_by_re,
               frozenset(w for w in [*data["org_suffixes"], *(data.get("industry_suffixes") or []),
                                     *data["company_name_suffixes"],
                                     *(data.get("not_person_words") or [])] if " " not in w),
               {str(k): str(v) for k, v in (lang.get("office_titles") or {}).items()})


@lru_cache(maxsize=None)
def _listing_re() -> re.Pattern:
    return re.compile(knowledge.load("entities").get("listing_pattern") or r"(?!)")


def listing_spans(text: str) -> list[tuple[int, int]]:
    """Where the text gives a stock listing in brackets ("(Nasdaq Copenhagen: ACME)", entities.yml
    `listing_pattern`): names inside are no party to the story."""
    return [m.span() for m in _listing_re().finditer(text)] if "(" in text else []


@lru_cache(maxsize=None)
def _pattern_scans() -> tuple:
    """(gate, ungated): where `gate` finds none of the literals the knowledge patterns need
    (most sentences), only the `ungated` patterns (no literal to gate on) can match. One scan
    instead of one gate per pattern: 0.08 s instead of 0.3 s on the 17,100 sentences of 1,000
    generated articles (0.35 s with the patterns as one alternation)."""
    patterns = _kb().patterns
    gate = any_gate([rx for _, rx, *_ in patterns if rx.gate is not None])
    if gate is None:
        return None, patterns
    return gate, tuple(p for p in patterns if p[1].gate is None)


@lru_cache(maxsize=None)
def _known_firsts() -> frozenset:
    return frozenset(k[0] for k in _kb().known)


@lru_cache(maxsize=64)
def _subject_res(company: str, aliases: tuple[str, ...]):
    kb = _kb()
    names = sorted(_company_names(company, aliases), key=len, reverse=True)
    alt = "|".join(re.escape(n).replace(r"\ ", r"[\s-]") for n in names)
    model_re = re.compile(
        rf"(?<![\w-])#?(?P<co>{alt})(?P<tail>(?:[\s-]{kb.model_first})(?:[\s-]{kb.model_next}){{0,3}}|-[0-9]{{1,2}}(?:\.[0-9])?)(?![\w-])",
        re.IGNORECASE)
    subject_re = re.compile(rf"(?<![\w-])#?(?P<co>{alt})(?![\w-])(?:'s|’s)?", re.IGNORECASE)
    # Both need one of the names: a scan for the names alone, on lower-cased text (a literal
    # scan, not a look-behind tried at every character), skips the sentences without any
    # (most in real corpora): 0.21 s -> 0.14 s of the two scans on 17,100 generated sentences,
    # half of which name the company. None when a name
    # has letters whose case lower-casing would not keep (see `caseless`).
    try:
        gate = Caseless(alt)
    except ValueError:
        gate = None
    return model_re, subject_re, gate


def model_name(company: str, tail: str) -> str:
    parts = [p for p in re.split(r"[\s-]+", tail) if p]
    fixed = [p.upper() if re.fullmatch(r"[vr][0-9.]+", p, re.I) else p for p in parts]
    return "-".join([company, *fixed])


# ---------------------------------------------------------------------------------------------
# Extraction


def _records(sentences) -> list[dict]:
    if isinstance(sentences, pd.DataFrame):
        return sentences.to_dict("records")
    return list(sentences)


def _clean_org(text: str) -> str:
    """Last capitalised sequence in a phrase ("hedge fund Blue Heron" -> Blue Heron), without a
    place ("Silicon Valley-based Tesla Inc." -> Tesla Inc) and, for a part of an organisation, its
    owner ("the SEC’s Enforcement Division" -> SEC)."""
    text = text.strip()
    runs = re.findall(r"[A-Z][\w&.’'-]{0,30}(?:\s[A-Z][\w&.’'-]{0,30}){0,3}", text)
    if not runs:
        return ""
    org = runs[-1].strip().rstrip(".")
    org = re.sub(r"^.*-based\s", "", org)
    org = re.split(r"[’']s\s", org, maxsplit=1)[0]
    org = _POSSESSIVE.sub("", org)
    kb = _kb()
    return kb.demonyms.get(org, org)


class MentionExtractor:
    def __init__(self, company: str, aliases: Sequence[str]):
        self.kb = _kb()
        self.company = company.strip()
        self.aliases = tuple(aliases)
        self.model_re, self.subject_re, self.names_gate = _subject_res(self.company, self.aliases)
        # discovered in pass 1
        self.org_names: dict[str, str] = {}       # surface -> canonical
        self.person_names: set[str] = set()
        self.company_models: set[str] = set()
        self.discovered_models: dict[str, str] = {}   # name -> domain
        self.suffix_alias: dict[str, str] = {}
        self.seen_bare: set[str] = set()
        self.variants = sorted(_company_names(self.company, self.aliases), key=len, reverse=True)
        self.subject_keys = {norm_key(n) for n in _company_names(self.company, self.aliases)}
        self._officer_roles = {_norm_role(r) for r in knowledge.load("entities").get("company_officer_roles") or []}
        # first words of the company's names ("Orvane" of "Orvane Motors") start no model name
        self.subject_stems = self.subject_keys | {norm_key(n.split()[0]) for n in self.variants if n.split()}

    def _is_place(self, word: str) -> bool:
        return word in self.kb.demonyms or self.kb.known.get((word.lower(),), ("", "", ()))[1] == "place"

    def _ends_longer_name(self, text: str, toks: list[tuple[str, int, int]], i: int) -> bool:
        """Is token `i` preceded, one space before, by a capitalised word of the same name
        ("National Congress")? Not a sentence opener, a demonym or a place ("US Congress")."""
        if i == 0:
            return False
        word, _s, end = toks[i - 1]
        return (text[end:toks[i][1]] == " " and word[:1].isupper() and word not in self.kb.stopwords
                and not self._is_place(word))

    def _variant(self, matched: str) -> str:
        key = norm_key(matched)
        for n in _company_names(self.company, self.aliases):
            if norm_key(n) == key:
                return n
        return self.company

    # -- pass 1 helpers ------------------------------------------------------------------------
    def _candidates(self, text: str, discover_models: bool = True) -> list[dict]:
        """Non-person candidates in one sentence: (start, end, name, kind, subject)."""
        kb = self.kb
        cands: list[dict] = []
        names = self.names_gate is None or self.names_gate.search(text) is not None
        for m in self.model_re.finditer(text) if names else ():
            name = model_name(self._variant(m.group("co")), m.group("tail"))
            s = m.start("co")
            cands.append(dict(start=s, end=m.end(), name=name, kind="model", is_subject=False,
                              owner=self.company, domain=kb.company_model_domain))
        for m in self.subject_re.finditer(text) if names else ():
            cands.append(dict(start=m.start("co"), end=m.end("co"), name=self.company,
                              kind="company", is_subject=True))
        gate, ungated = _pattern_scans()
        for kind, rx, template, owner_known, domain in (
                kb.patterns if gate is not None and gate.possible(text) else ungated):
            for m in rx.finditer(text):
                groups = m.groups()
                name = template.replace("{0}", m.group(0))
                if groups:
                    name = name.replace("{g1}", m.group(1) or "")
                name = re.sub(r"\s+", " ", name).strip()
                s, e = (m.span(1) if groups else m.span())
                if kind == "chip":
                    s, e = m.span()
                    if text[e - 1:e] == "s" and not name.endswith("s"):
                        e -= 1
                if kind == "programme":
                    words = name.split()
                    while words and words[0] in kb.stopwords:
                        s += len(words[0]) + 1
                        words = words[1:]
                    if len(words) < 2:
                        continue
                    name = " ".join(words)
                if kind == "government":
                    name = re.sub(r"^(?:the\s)", "", name)
                    name = re.sub(r"(?:’s|'s)", "’s", name)
                cands.append(dict(start=s, end=e, name=name, kind=kind, is_subject=False,
                                  owner_known=owner_known, domain=domain))
        if discover_models:   # not in title-case headings ("Price War With Lark SUV")
            cands.extend(self._kind_models(text))
        # gazetteer by token n-grams
        toks = _tokens(text)
        lows = [t.lower() for t, _, _ in toks]
        firsts = _known_firsts()
        i = 0
        n = len(toks)
        while i < n:
            hit = None
            if lows[i] not in firsts:
                i += 1
                continue
            for size in range(min(kb.max_known, n - i), 0, -1):
                key = tuple(lows[i:i + size])
                entry = kb.known.get(key)
                if entry is None:
                    continue
                surface = tuple(t for t, _, _ in toks[i:i + size])
                if surface != entry[2] and not (surface[0][:1].isupper() and
                                                tuple(s.lower() for s in surface) == key and
                                                any(c.isupper() for c in "".join(surface))
                                                and entry[1] != "place"):
                    continue
                # contiguous tokens only (single spaces)
                s, e = toks[i][1], toks[i + size - 1][2]
                if "\n" in text[s:e]:
                    continue
                if entry[1] == "government" and self._ends_longer_name(text, toks, i):
                    continue   # "the National Congress of the Party" is no legislature we know
                if entry[2][-1].endswith(".") or surface[-1] in ("U.S", "Inc", "Corp", "Co"):
                    if text[e:e + 1] == ".":
                        e += 1
                hit = (size, dict(start=s, end=e, name=entry[0], kind=entry[1], is_subject=False))
                break
            if hit:
                cands.append(hit[1])
                i += hit[0]
            else:
                i += 1
        for m in kb.org_suffix_re.finditer(text):
            base = m.group("base")
            words = base.split()
            # "the", and a place the company is based in ("Boston-based Acme AI Inc.", "China's
            # Orvane Motors")
            while words and (words[0] in kb.stopwords or words[0].endswith("-based")
                             or self._is_place(_POSSESSIVE.sub("", words[0])) and _POSSESSIVE.search(words[0])):
                words = words[1:]
            if not words:
                continue
            base = " ".join(words)
            full = f"{base} {m.group('suffix')}"
            s = m.end() - len(full)
            if norm_key(base) in self.subject_keys:   # "Acme AI Inc." is the subject company
                cands.append(dict(start=s, end=m.end(), name=self.company, kind="company", is_subject=True))
                continue
            cands.append(dict(start=s, end=m.end(), name=full, kind="company", is_subject=False,
                              alias=base))
        for m in kb.org_intro_re.finditer(text):
            name = _POSSESSIVE.sub("", m.group("name"))
            words = name.split()
            if not words or words[0] in kb.stopwords or words[0] in kb.demonyms:
                continue
            cands.append(dict(start=m.start("name"), end=m.start("name") + len(name), name=name,
                              kind="company", is_subject=False, weak=True))
        listings = listing_spans(text)
        return [c for c in cands if not any(s <= c["start"] < e for s, e in listings)]

    def _kind_models(self, text: str) -> list[dict]:
        """Models named next to a kind noun ("its Sable sedan", "its flagship model, Fern-2").
        A bare version ("V3") is the subject's model only when it stands after the company's
        possessive or "its" (the owner is settled in pass 2; here the name must be safe)."""
        kb = self.kb
        if not kb.model_kind_res or kb.kind_firsts.isdisjoint(w.lower() for w in _WORDS.findall(text)):
            return []
        out = []
        for gates, rx in kb.model_kind_res:
            if not all(g.search(text) for g in gates):
                continue
            for m in rx.finditer(text):
                s, raw = m.start("name"), m.group("name")
                words = raw.split(" ")
                # leading words that are no part of a name: "The", "Its", the company's name
                owner = ""
                while words and (words[0] in kb.model_name_stop or norm_key(words[0]) in self.subject_stems):
                    if norm_key(words[0]) in self.subject_stems:
                        owner = self.company   # "an Orvane Lark SUV"
                    s += len(words[0]) + 1
                    words = words[1:]
                if not words or words[-1] in kb.model_name_stop:
                    continue   # "the Chinese AI model", "Cost-Efficient AI Models": no name
                name = " ".join(words)
                if kb.bare_re.fullmatch(name):
                    if self._subjects_version(text, s):   # "Acme's R1 model", "its V3 model"
                        out.append(dict(start=s, end=s + len(name), name=model_name(self.company, name),
                                        kind="model", is_subject=False, owner=self.company,
                                        domain=kb.company_model_domain))
                    continue
                if (tuple(w.lower() for w in words) in kb.known or norm_key(name) in self.subject_keys
                        or name in kb.demonyms):
                    continue   # a known organisation or place
                groups = m.groupdict()
                lead = (groups.get("owner") or groups.get("its") or "").strip()
                cue = ("its" if lead in ("its", "their") else
                       "before_kind" if lead in ("’s", "'s") else
                       "company" if "company" in lead else "")
                out.append(dict(start=s, end=s + len(name), name=name, kind="model",
                                is_subject=False, domain=kb.kind_domain.get(
                                    re.sub(r"\s+", " ", m.group("kind").lower()), ""),
                                discovered=True, weak=True, owner=owner, owner_cue=cue,
                                owner_at=m.start("owner") if cue == "before_kind" else s))
        return out

    def _subjects_version(self, text: str, start: int) -> bool:
        """Is a bare version at `start` the subject's: after "<company>'s", or after "its" in a
        sentence that names the company (or "the company") before it and no one else's."""
        before = text[max(0, start - 60):start]
        if re.search(r"(?:’s|'s)\s$", before):
            m = None
            for m in self.subject_re.finditer(before):
                pass
            return m is not None and before.endswith(m.group(0) + " ")
        if not re.search(r"\bits\s$", before):
            return False
        head = text[:start]
        if self.subject_re.search(head):
            return True
        # no other organisation named before "its" ("this company released its R1 model")
        lows = [t.lower() for t, _, _ in _tokens(head)]
        named = any(self.kb.known.get(tuple(lows[i:i + n]), ("", "", ()))[1] in ("company", "organisation")
                    for i in range(len(lows)) for n in (1, 2, 3))
        return not named and not self.kb.org_suffix_re.search(head)

    def _persons(self, text: str, taken: list[tuple[int, int]]) -> list[dict]:
        """Full-name person candidates (2-3 capitalised tokens) with role/verb context."""
        kb = self.kb
        out = []
        for m in _CAP_RUN.finditer(text):
            if " " not in m.group() and "\t" not in m.group():
                continue   # one word: never the two or three name tokens a person needs
            run_toks = [(t.group(), m.start() + t.start(), m.start() + t.end())
                        for t in re.finditer(r"\S+", m.group())]
            # cut after the first role inside the run, of one word or several written with
            # capitals ("Acme AI CEO Jane Smith", "Chief Executive Jane Smith")
            role_in_run = ""
            org_in_run = ""
            k, n = _role_in_run([t for t, _, _ in run_toks], kb)
            if n:
                role_in_run = " ".join(t for t, _, _ in run_toks[k:k + n]).strip(".,")
                org_in_run = " ".join(t for t, _, _ in run_toks[:k])
                run_toks = run_toks[k + n:]
            toks = [t for t in run_toks]
            if toks and toks[0][0] in kb.office_titles and not role_in_run:
                role_in_run = kb.office_titles[toks.pop(0)[0]]   # "Representative Carl Brenner"
            while toks and (toks[0][0] in kb.stopwords or toks[0][0] in kb.person_titles
                            or toks[0][0] in kb.demonyms or not _NAME_TOK.fullmatch(
                                _POSSESSIVE.sub("", toks[0][0]))):
                toks = toks[1:]
            # keep leading name tokens only
            name_toks = []
            for tok in toks:
                core = _POSSESSIVE.sub("", tok[0]).rstrip(".,")
                if (not _NAME_TOK.fullmatch(core) or core in kb.stopwords
                        or core.lower() in kb.role_words or core in kb.org_words):
                    break
                name_toks.append((core, tok[1], tok[1] + len(core)))
                if core != tok[0]:
                    break
            if not 2 <= len(name_toks) <= 3:
                continue
            s, e = name_toks[0][1], name_toks[-1][2]
            if any(s < te and ts < e for ts, te in taken):
                continue
            name = " ".join(t for t, _, _ in name_toks)
            role, org, former, explicit, inherited = "", "", False, False, False
            if role_in_run:
                role, org = role_in_run, org_in_run
            pre = kb.role_prefix_re.search(text[max(0, s - 80):s])
            app = kb.apposition_re.match(text[e:e + 120])
            evidence = bool(role_in_run)
            if pre and not role:
                role, org, former = pre.group("role"), pre.group("org"), bool(pre.group("former"))
                evidence = True
            if app and not role:
                role, org = app.group("role"), _apposition_org(app)
                # named outright: "X, CEO of Acme", "X, the FCA's director"
                explicit = bool(org) and ((app.group("org2") or "")[:1].isupper()
                                          or bool(_POSSESSIVE.search((app.group("org1") or "").strip())))
                former = bool(app.group("former"))
                evidence = True
            if not evidence and out and re.fullmatch(r"\s(?:and|&)\s(?:(?:Dr|Mr|Ms|Mrs|Prof)\.\s)?",
                                                     text[out[-1]["end"]:s]):
                role, org = out[-1]["role"], out[-1]["organisation"]
                evidence = inherited = True
            verb = kb.verb_after_re.match(text[e:e + 120])
            if verb or kb.before_name_re.search(text[max(0, s - 16):s]):
                evidence = True
            if not evidence:
                continue
            if not inherited:
                role = _norm_role(role, former)
                org = org if explicit else (_clean_org(org) if org else "")
            out.append(dict(start=s, end=e, name=name, kind="person", is_subject=False,
                            role=role, organisation=org, explicit_org=explicit,
                            verb=verb.group("verb") if verb else ""))
        return out

    # -- passes --------------------------------------------------------------------------------
    def run(self, sentences: list[dict]) -> list[dict]:
        found = self.first_pass(sentences)
        self.absorb(found)
        self.finalise_names()
        return self.second_pass(sentences, found)

    # The passes are split so that evidence.build_evidence can run the per-sentence work of
    # pass 1 and pass 2 in worker processes (on whole articles) and the name discovery in
    # between (absorb + finalise_names) in the parent, in sentence order.
    def first_pass(self, sentences: list[dict]) -> list[tuple[list[dict], list[dict]]]:
        """(candidates, persons) of each sentence; pure, needs no state from other sentences."""
        out = []
        for sent in sentences:
            text = sent["quote"]
            cands = _resolve(self._candidates(text, sent.get("kind", "body") != "heading"))
            taken = [(c["start"], c["end"]) for c in cands]
            persons = self._persons(text, taken) if sent.get("kind", "body") != "heading" else []
            out.append((cands, persons))
        return out

    def absorb(self, found: Iterable[tuple[list[dict], list[dict]]]) -> None:
        """Record the names pass 1 discovered (in sentence order: the first form seen wins)."""
        for cands, persons in found:
            for p in persons:
                self.person_names.add(p["name"])
            for c in cands:
                if c["kind"] == "model" and any(c["name"].startswith(v + "-") for v in self.variants):
                    self.company_models.add(c["name"])
                if c["kind"] == "model" and c.get("discovered"):
                    self.discovered_models.setdefault(c["name"], c.get("domain", ""))
                if c["kind"] == "company" and not c["is_subject"]:
                    self.org_names.setdefault(c["name"], c["name"])
                    if c.get("alias"):
                        self.org_names.setdefault(c["alias"], c["name"])
                        self.suffix_alias[c["name"]] = c["alias"]
                    else:
                        self.seen_bare.add(c["name"])

    def second_pass(self, sentences: list[dict], found) -> list[dict]:
        """Mention rows; `sentences` must hold whole articles (surnames resolve within one)."""
        rows: list[dict] = []
        last_full: dict[str, list[tuple[int, str]]] = defaultdict(list)  # article -> [(pos, name)]
        last_org: dict[str, str] = defaultdict(str)   # article -> organisation "its" refers to
        for sent, (cands, persons) in zip(sentences, found):
            rows.extend(self._second_pass(sent, cands, persons, last_full, last_org))
        return rows

    def finalise_names(self) -> None:
        # canonical org name: the bare alias if both forms exist ("Blue Heron")
        kb = self.kb
        self.canon: dict[str, str] = {}
        for full, base in self.suffix_alias.items():
            if base in self.seen_bare:
                # "X Capital Management" and a bare "X" both seen: the short form is canonical
                self.canon[full] = base
        for surface, canonical in list(self.org_names.items()):
            self.org_names[surface] = self.canon.get(canonical, canonical)
        self.org_lookup: dict[tuple, str] = {}
        for surface, canonical in self.org_names.items():
            toks = tuple(t for t, _, _ in _tokens(surface))
            if toks and tuple(t.lower() for t in toks) not in kb.known:
                self.org_lookup[toks] = canonical
        self.model_lookup: dict[tuple, str] = {}
        for name in self.discovered_models:
            toks = tuple(t for t, _, _ in _tokens(name))
            if toks and toks not in self.org_lookup:
                self.model_lookup[toks] = name
        self.person_lookup: dict[tuple, str] = {}
        self.surname: dict[str, set[str]] = defaultdict(set)
        for name in self.person_names:
            toks = tuple(name.split())
            self.person_lookup[toks] = name
            for t in toks:
                if len(t) >= 2:
                    self.surname[t].add(name)
        # per-run constants of the second pass (computed once, not once per sentence)
        self._max_org = max((len(k) for k in (*self.org_lookup, *self.model_lookup)), default=1)
        self._lookup_firsts = frozenset(k[0] for k in (*self.org_lookup, *self.person_lookup,
                                                       *self.model_lookup) if k)
        self._org_names_base = frozenset({self.company} | set(self.org_lookup.values())
                                         | set(self.kb.demonyms.values()))
        self.bare_models = {}
        for name in sorted(self.company_models):
            for v in self.variants:
                tail = name[len(v) + 1:] if name.startswith(v + "-") else ""
                if tail and "-" not in tail:
                    self.bare_models.setdefault(tail.upper(), name)

    def _second_pass(self, sent, cands, persons, last_full, last_org) -> list[dict]:
        text = sent["quote"]
        aid = sent["article_id"]
        base = int(sent["start"])
        found = list(cands) + list(persons)
        taken = [(c["start"], c["end"]) for c in found]

        def free(s, e):
            return not any(s < te and ts < e for ts, te in taken)

        toks = _tokens(text)
        n = len(toks)
        max_org = self._max_org
        firsts = self._lookup_firsts
        i = 0
        while i < n:
            hit = None
            if toks[i][0] not in firsts:   # no org/person name starts with this token
                i += 1
                continue
            for size in range(min(max(max_org, 3), n - i), 0, -1):
                surface = tuple(t for t, _, _ in toks[i:i + size])
                s, e = toks[i][1], toks[i + size - 1][2]
                if surface in self.model_lookup and free(s, e):
                    name = self.model_lookup[surface]
                    hit = (size, dict(start=s, end=e, name=name, kind="model", is_subject=False,
                                      domain=self.discovered_models.get(name, "")))
                elif surface in self.org_lookup and free(s, e):
                    hit = (size, dict(start=s, end=e, name=self.org_lookup[surface],
                                      kind="company", is_subject=False))
                elif surface in self.person_lookup and free(s, e):
                    hit = (size, dict(start=s, end=e, name=self.person_lookup[surface],
                                      kind="person", is_subject=False, role="", organisation=""))
                if hit:
                    break
            if hit:
                found.append(hit[1])
                taken.append((hit[1]["start"], hit[1]["end"]))
                i += hit[0]
            else:
                i += 1
        # bare model versions ("R1", "V3") once the full name is known
        for m in self.kb.bare_re.finditer(text):
            tok = m.group(1).upper()
            if tok in self.bare_models and free(m.start(1), m.end(1)):
                found.append(dict(start=m.start(1), end=m.end(1), name=self.bare_models[tok],
                                  kind="model", is_subject=False, owner=self.company))
                taken.append(m.span(1))
        # surnames / single name tokens
        for m in _NAME_WORD.finditer(text):
            tok = m.group()
            if tok not in self.surname or not free(m.start(), m.end()):
                continue
            nxt = re.match(r"\s[A-Z][a-z]", text[m.end():m.end() + 3])
            if nxt and (text[m.end() + 1:].split(" ", 1)[0].strip(".,;:’'") in self.surname):
                continue
            options = self.surname[tok]
            pos = base + m.start()
            if len(options) == 1:
                name = next(iter(options))
            else:
                previous = [(p, nm) for p, nm in last_full[aid] if nm in options and p < pos]
                if not previous:
                    continue
                name = max(previous)[1]
            found.append(dict(start=m.start(), end=m.end(), name=name, kind="person",
                              is_subject=False, role="", organisation=""))
            taken.append((m.start(), m.end()))
        org_base = self._org_names_base   # not copied: O(1) per sentence, not O(#orgs)
        org_names = {c["name"] for c in found if c["kind"] in ORG_KINDS[:-1]}
        org_names |= {_POSSESSIVE.sub("", text[c["start"]:c["end"]]) for c in found
                      if c["kind"] in ORG_KINDS[:-1]}
        rows = []
        prev_person = None
        ordered = sorted(found, key=lambda c: (c["start"], c["end"]))
        for c in ordered:
            if c["kind"] == "model" and not c.get("owner"):
                c["owner"] = self._model_owner(text, c, ordered, last_org[aid])
        orgs_here = [self._org_name(c) for c in ordered if c["kind"] == "company"]
        if orgs_here:   # the organisation an "its" in a later sentence refers to
            last_org[aid] = self.company if self.company in orgs_here else orgs_here[0]
        for c in ordered:
            if c["kind"] == "company" and not c.get("is_subject"):
                c["name"] = self.canon.get(c["name"], c["name"])
            if c["kind"] == "person":
                if " " in text[c["start"]:c["end"]]:
                    last_full[aid].append((base + c["start"], c["name"]))
                if not c.get("role"):
                    role, org = self._context_role(text, c["start"], c["end"])
                    c["role"], c["organisation"] = role, org
                if c.get("role") in self._officer_roles and not c.get("organisation"):
                    c["organisation"] = last_org[aid]   # "chief financial officer Priya Shah said"
                if c.get("role") and not c.get("organisation") and c.get("role") in ("founder", "co-founder"):
                    c["organisation"] = self._founded_org(text, c, found)
                if c.get("verb") in ("founded", "established") and not c.get("role"):
                    c["role"] = "founder"
                    c["organisation"] = self._founded_org(text, c, found)
            if c["kind"] == "person" and not c.get("organisation"):
                c["organisation"] = self._founded_by(text, c, found)
                if c["organisation"]:
                    c["role"] = "founder"
            if (c["kind"] == "person" and prev_person is not None and not c.get("organisation")
                    and re.fullmatch(r"\s(?:and|&)\s(?:(?:Dr|Mr|Ms|Mrs|Prof)\.\s)?",
                                     text[prev_person["end"]:c["start"]])):
                c["organisation"] = prev_person.get("organisation", "")
                if prev_person.get("role") == "founder" or not c.get("role"):
                    c["role"] = prev_person.get("role", "")
            if c["kind"] == "person":
                prev_person = c
            if c["kind"] == "person" and c.get("organisation"):
                org = c["organisation"]
                if org not in org_names and org not in org_base and not c.get("explicit_org"):
                    c["organisation"] = ""
                else:
                    c["organisation"] = self.canon.get(org, org)
                    suffixed = self.kb.org_suffix_re.fullmatch(org)
                    if norm_key(org) in self.subject_keys or (
                            suffixed and norm_key(suffixed.group("base")) in self.subject_keys):
                        c["organisation"] = self.company   # "Acme AI Inc" is the company
            quote = text[c["start"]:c["end"]]
            rows.append({
                "entity_id": entity_id(c["kind"], c["name"]),
                "article_id": aid,
                "sentence_id": sent["sentence_id"],
                "start": base + c["start"],
                "end": base + c["end"],
                "quote": quote,
                "name": c["name"],
                "kind": c["kind"],
                "role": c.get("role", "") or "",
                "organisation": c.get("organisation", "") or "",
                "owner": c.get("owner", "") or "",
                "owner_known": c.get("owner_known", "") or "",
                "domain": c.get("domain", "") or "",
                "is_subject": bool(c.get("is_subject")),
            })
        return rows

    def _model_owner(self, text: str, c: dict, ordered: list[dict], last_org: str) -> str:
        """The organisation the text makes a model's owner at this mention, or ""."""
        kb = self.kb
        at_name = c.get("owner_at", c["start"])
        orgs = [o for o in ordered if o["kind"] == "company" and o["end"] <= at_name]
        if c.get("owner_cue") == "its":   # "Fern 3.5, its most capable model", "its flagship, X"
            return self._its_owner(text, at_name, orgs, last_org)
        if c.get("owner_cue") == "company":   # "Fern 3.5, the company's newest model"
            return self.company
        if c.get("owner_cue") == "before_kind":   # "<X>'s current flagship, Fern-2"
            owner = [o for o in orgs if o["end"] == at_name]
            if owner:
                return self._org_name(owner[0])
            return self.company if _COMPANY_NOUN_END.search(text[:at_name]) else ""
        window_start = max(0, at_name - 60)
        before = text[window_start:at_name]
        m = kb.owner_before_re.search(before)
        if m:
            at = window_start + m.start()
            if m.group("its"):
                return self._its_owner(text, at, orgs, last_org)
            owner = [o for o in orgs if o["end"] == at]
            if owner:
                return self._org_name(owner[0])
            if m.group("how").strip() and _COMPANY_NOUN_END.search(text[:at]):
                return self.company   # "the company's R1"
        v = kb.owner_verb_re.search(before)
        if v:
            at = window_start + v.start()
            owner = [o for o in orgs if o["end"] == at]
            if owner:
                return self._org_name(owner[0])
            if _COMPANY_NOUN_END.search(text[:at]) or re.search(r"\b(?i:it)$", text[:at]):
                return self.company   # "the company released", "it launched"
        for o in ordered:
            if o["kind"] == "company" and o["start"] >= c["end"] and o["start"] - c["end"] <= 28:
                if kb.owner_after_re.match(text[c["end"]:o["start"]]):
                    return self._org_name(o)
                break
        return ""

    def _its_owner(self, text: str, at: int, orgs: list[dict], last_org: str) -> str:
        """Whose is "its <model>": the company when the sentence names it (or "the company")
        before; else the nearest organisation before; else, when nothing before "its" could be
        a name (a sentence opening "It said its ..."), the previous sentences' organisation
        (the company if named there); else not known."""
        if any(o.get("is_subject") for o in orgs) or any(
                re.search(rf"\b{re.escape(r)}\b", text[:at], re.IGNORECASE) for r in self.kb.subject_refs):
            return self.company
        if orgs:
            return self._org_name(orgs[-1])
        words = re.findall(r"\b[A-Z][\w’'-]*", text[:at])
        unknown_name = [w for w in words[1:] if w not in self.kb.stopwords] or (
            words[:1] and words[0] not in self.kb.stopwords and not text[:at].lstrip().startswith(words[0] + ","))
        return "" if unknown_name else last_org

    def _org_name(self, c: dict) -> str:
        return self.company if c.get("is_subject") else self.canon.get(c["name"], c["name"])

    def _context_role(self, text: str, s: int, e: int) -> tuple[str, str]:
        kb = self.kb
        pre = kb.role_prefix_re.search(text[max(0, s - 80):s])
        if pre:
            org = pre.group("org")
            return _norm_role(pre.group("role"), bool(pre.group("former"))), (_clean_org(org) if org else "")
        app = kb.apposition_re.match(text[e:e + 120])
        if app:
            return _norm_role(app.group("role"), bool(app.group("former"))), _apposition_org(app)
        return "", ""

    def _founded_org(self, text, person, found) -> str:
        after = [c for c in found if c["start"] >= person["end"] and c["kind"] == "company"
                 and c["start"] - person["end"] < 90]
        if after and re.search(r"\bfounded\b|\bestablished\b", text[person["end"]:after[0]["start"]]):
            return min(after, key=lambda c: c["start"])["name"]
        before = [c for c in found if c["end"] <= person["start"] and c["kind"] == "company"]
        if before and person["start"] - max(before, key=lambda c: c["end"])["end"] < 3:
            return max(before, key=lambda c: c["end"])["name"]
        return ""

    def _founded_by(self, text, person, found) -> str:
        """"<Org> was founded by <person>" -> Org."""
        window = text[max(0, person["start"] - 60):person["start"]]
        if not _kb().founded_by_re.search(window):
            return ""
        before = [c for c in found if c["end"] <= person["start"] and c["kind"] == "company"]
        return max(before, key=lambda c: c["end"])["name"] if before else ""


def _apposition_org(app: re.Match) -> str:
    """The organisation an apposition names: after "of"/"at" ("CEO of Acme"), else its possessor
    ("the FCA's director of enforcement": "enforcement" names none); "" if neither."""
    return _clean_org(app.group("org2") or "") or _clean_org(app.group("org1") or "")


_MAX_ROLE_WORDS = 4   # "Chief Financial Officer", "Chief Executive Officer" + one


def _role_in_run(tokens: list[str], kb: _KB) -> tuple[int, int]:
    """(start, length) of the first, longest run of tokens that is a role, or (0, 0)."""
    for k, tok in enumerate(tokens):
        if tok.lower().strip(".,") not in kb.role_words:
            continue
        for n in range(min(_MAX_ROLE_WORDS, len(tokens) - k), 0, -1):
            if kb.role_re.fullmatch(" ".join(tokens[k:k + n]).strip(".,")):
                return k, n
    return 0, 0


def _norm_role(role: str, former: bool = False) -> str:
    if not role:
        return ""
    r = re.sub(r"\s+", " ", role.strip())
    low = r.lower()
    if low in ("ceo", "cto", "cfo"):
        r = low.upper()
    elif low == "cofounder":
        r = "co-founder"
    else:
        r = low
    if r.endswith("s") and r[:-1] in knowledge.load("entities")["singular_roles"]:
        r = r[:-1]
    return f"former {r}" if former else r


def _resolve(cands: list[dict]) -> list[dict]:
    """Keep non-overlapping candidates: longer first, then kind priority, then position."""
    order = sorted(cands, key=lambda c: (-(c["end"] - c["start"]), c.get("weak", False),
                                         KIND_PRIORITY.get(c["kind"], 99), c["start"]))
    kept: list[dict] = []
    for c in order:
        if c["end"] <= c["start"]:
            continue
        if any(c["start"] < k["end"] and k["start"] < c["end"] for k in kept):
            continue
        kept.append(c)
    return sorted(kept, key=lambda c: c["start"])


def extract_mentions(sentences, company: str, aliases: Sequence[str] = ()) -> list[dict]:
    """Mention rows for all `sentences` (dicts or a DataFrame, any number of articles).

    Row columns: entity_id, article_id, sentence_id, start, end, quote (the mention itself, with
    text[start:end] == quote), name (canonical), kind, role, organisation (from the context of
    this mention, may be ""), is_subject.
    """
    records = _records(sentences)
    if not company or not company.strip():
        raise ValueError("extract_mentions: `company` must be a non-empty name")
    return MentionExtractor(company, tuple(aliases)).run(records)


def build_entities(mentions) -> pd.DataFrame:
    """The entities table from mention rows (one row per entity_id; see ARCHITECTURE.md)."""
    records = mentions.to_dict("records") if isinstance(mentions, pd.DataFrame) else list(mentions)
    if not records:
        return pd.DataFrame({c: pd.Series(dtype=_ENTITY_DTYPES[c]) for c in ENTITY_COLUMNS})
    # plain Python over the rows (a pandas groupby per entity is slow on large corpora):
    # rows in (article_id, start, end, entity_id) order (stable), grouped by sorted entity_id
    order = sorted(records, key=lambda m: (m["article_id"], m["start"], m["end"], m["entity_id"]))
    groups: dict[str, list[dict]] = defaultdict(list)
    for m in order:
        groups[m["entity_id"]].append(m)
    rows = []
    for eid in sorted(groups):
        group = groups[eid]
        first = group[0]
        name = first["name"]
        surfaces = Counter(_POSSESSIVE.sub("", m["quote"]).lstrip("#") for m in group)
        aliases = sorted({s for s in surfaces if s and s != name})
        roles = Counter(m["role"] for m in group if m["role"])
        orgs = Counter(m["organisation"] for m in group if m["organisation"] and m["organisation"] != name)
        owner = _owner_of(group) if first["kind"] == "model" else ""
        domains = Counter(m.get("domain") for m in group if m.get("domain"))
        rows.append({
            "entity_id": eid,
            "name": name,
            "kind": first["kind"],
            "aliases": ";".join(aliases),
            "role": "; ".join(r for r, _ in sorted(roles.items(), key=lambda x: (-x[1], x[0]))),
            "organisation": "; ".join(o for o, _ in sorted(orgs.items(), key=lambda x: (-x[1], x[0]))),
            "owner": owner,
            "domain": sorted(domains.items(), key=lambda x: (-x[1], x[0]))[0][0] if domains else "",
            "is_subject": any(bool(m["is_subject"]) for m in group),
            "n_mentions": len(group),
            "n_articles": len({m["article_id"] for m in group}),
            "article_id": first["article_id"],
            "start": int(first["start"]),
            "end": int(first["end"]),
            "quote": first["quote"],
        })
    out = pd.DataFrame(rows, columns=ENTITY_COLUMNS)
    out = out.sort_values(["is_subject", "n_mentions", "entity_id"], ascending=[False, False, True],
                          kind="stable").reset_index(drop=True)
    return out


def _owner_of(group: list[dict]) -> str:
    """A model's owner: the one organisation the text names as owner most often (a tie between
    two is not known); else general knowledge (entities.yml); else ""."""
    said = Counter(m.get("owner") for m in group if m.get("owner")).most_common(2)
    if said:
        return said[0][0] if len(said) == 1 or said[0][1] > said[1][1] else ""
    known = Counter(m.get("owner_known") for m in group if m.get("owner_known")).most_common(1)
    return known[0][0] if known else ""


_ENTITY_DTYPES = {c: "object" for c in ENTITY_COLUMNS}
_ENTITY_DTYPES.update(is_subject="bool", n_mentions="int64", n_articles="int64", start="int64",
                      end="int64")
