"""Generate a large, varied benchmark corpus from a small one (recombined and perturbed).

Articles are not copies: each draws paragraphs from several source articles, shuffles their
sentences, perturbs numbers, weekdays and months, adds filler and a dateline, so exact-duplicate
grouping cannot collapse the corpus and linking sees realistic near-duplicates.
"""
from __future__ import annotations

import random
import re
from datetime import date, timedelta
from pathlib import Path

from newsbrief import knowledge, paths

WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]
MONTHS = sorted(knowledge.load("dates")["months"], key=knowledge.load("dates")["months"].get)
FILLER = ["Analysts are watching closely.", "Markets reacted within hours.",
          "The details could not be independently verified.", "Officials declined to comment further.",
          "Investors weighed the news against earlier forecasts.", "Rivals have not published comparable figures."]
CITIES = ["BEIJING", "HANGZHOU", "LONDON", "NEW YORK", "PARIS", "SINGAPORE", "SAN FRANCISCO"]
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z])")


def _perturb(paragraph: str, rng: random.Random) -> str:
    def number(match: re.Match) -> str:
        token = match.group(0)
        if len(token) == 4 and token.startswith(("19", "20")):
            return str(rng.randint(2015, 2025))
        digits = re.sub(r"\D", "", token)
        value = max(1, int(int(digits) * rng.uniform(0.5, 2.0))) if digits else 1
        return f"{value:,}" if "," in token else str(value)

    paragraph = _NUMBER.sub(number, paragraph)
    paragraph = re.sub(r"\b(" + "|".join(WEEKDAYS) + r")\b", lambda m: rng.choice(WEEKDAYS), paragraph)
    paragraph = re.sub(r"\b(" + "|".join(MONTHS) + r")\b", lambda m: rng.choice(MONTHS), paragraph)
    sentences = _SENTENCE_END.split(paragraph)
    rng.shuffle(sentences)
    if rng.random() < 0.5:
        sentences.insert(rng.randrange(len(sentences) + 1), rng.choice(FILLER))
    return " ".join(sentences)


def iter_articles(size: int, source_dir: Path = paths.DEFAULT_ARTICLES_DIR,
                  company: str = "DeepSeek", seed: int = 20250128):
    """(index, publication date, text) of `size` generated articles about `company`."""
    rng = random.Random(seed)
    pool = []
    for path in sorted(source_dir.glob("*.txt")):
        text = path.read_text(encoding="utf-8", errors="replace")
        pool += [p.strip() for p in text.split("\n") if len(p.strip()) > 60]
    if not pool:
        raise ValueError(f"{source_dir}: no paragraphs to build a benchmark corpus from")
    start = date(2024, 1, 1)
    for index in range(size):
        day = start + timedelta(days=rng.randrange(700))
        paragraphs = [_perturb(rng.choice(pool), rng) for _ in range(rng.randint(4, 12))]
        lead = (f" date {day.isoformat()} {rng.choice(CITIES)}: {company} was in the news again "
                f"(item {index}).")
        yield index, day, lead + "\n\n" + "\n\n".join(paragraphs) + "\n"


def generate_corpus(out_dir: Path, size: int, source_dir: Path = paths.DEFAULT_ARTICLES_DIR,
                    company: str = "DeepSeek", seed: int = 20250128) -> str:
    """Write `size` articles into out_dir (created); returns the company they are about."""
    out_dir.mkdir(parents=True, exist_ok=True)
    for index, _, text in iter_articles(size, source_dir, company, seed):
        (out_dir / f"bench_{index:05d}.txt").write_text(text, encoding="utf-8")
    return company


def generate_jsonl(out_file: Path, size: int, source_dir: Path = paths.DEFAULT_ARTICLES_DIR,
                   company: str = "DeepSeek", seed: int = 20250128) -> str:
    """Write the same articles as one news-API style JSON Lines file (title, content,
    publishedAt, source.name, url per line); returns the company they are about."""
    import json

    out_file.parent.mkdir(parents=True, exist_ok=True)
    with open(out_file, "w", encoding="utf-8") as handle:
        for index, day, text in iter_articles(size, source_dir, company, seed):
            record = {"source": {"name": f"Bench Wire {index % 7}"},
                      "title": f"{company} in the news, item {index}",
                      "url": f"https://bench.example.com/{index}",
                      "publishedAt": f"{day.isoformat()}T08:00:00Z", "content": text}
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
    return company
