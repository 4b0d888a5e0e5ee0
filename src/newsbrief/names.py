"""The names a company goes by: as given, its aliases, and its short form ("Acme" for "Acme Labs",
"Calvora" for "Calvora Air"). Shared by ingest (which articles mention the company) and the
entity search (which mentions are the company), so both agree on what names it."""
from __future__ import annotations

from functools import lru_cache
from typing import Iterable

from newsbrief import knowledge


def company_names(company: str, aliases: Iterable[str] = ()) -> list[str]:
    """The subject company's names: as given, aliases, and the stem before a suffix word."""
    names = [company.strip(), *[a.strip() for a in aliases if a and a.strip()]]
    data = knowledge.load("entities")
    generic = set(data["company_name_suffixes"]) | set(data["org_suffixes"])
    industry = {*(data.get("industry_suffixes") or []), *(data.get("short_name_suffixes") or [])}
    parts = company.split()
    # one suffix word at a time: "Acme Insurance Group" -> "Acme Insurance" -> "Acme"
    while len(parts) >= 2:
        if parts[-1] in generic:
            parts = parts[:-1]
        elif len(parts) == 2 and parts[-1] in industry and distinctive_stem(parts[0]):
            parts = parts[:1]   # "Calvora Air" -> "Calvora", but not "Singapore Airlines"
        else:
            break
        names.append(" ".join(parts))
    out = []
    for n in names:
        if n and n not in out:
            out.append(n)
    return out


@lru_cache(maxsize=256)
def distinctive_stem(word: str) -> bool:
    """Can `word`, the stem of a company name ending in an industry word, stand alone for the
    company? Not when it names something else: a country or territory (from Babel's locale
    data, which knows 295 English names, where our place gazetteer knows a few dozen), a
    demonym, a known entity, or the first word of one ("United", as in "United States")."""
    from babel import Locale   # only here: 0.17 s, paid only for such company names

    data = knowledge.load("entities")
    taken = {str(t) for t in Locale("en").territories.values()}
    taken |= {str(k) for k in data["demonyms"]} | set(data["name_stopwords"])
    for entries in (data.get("known") or {}).values():
        for entry in entries:
            for surface in [entry["name"], *(entry.get("aliases") or [])]:
                taken |= {str(surface), str(surface).split()[0]}
    return word[:1].isupper() and word not in taken
