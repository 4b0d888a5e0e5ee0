"""Shared helpers for the semantic-layer tests (entities, statements, linking, evidence)."""
from __future__ import annotations

from pathlib import Path

from newsbrief.extract import clean, sentences

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "data" / "articles"
KESTREL = ROOT / "tests" / "fixtures" / "other_company"


def split(article_id: str, text: str) -> list[dict]:
    return sentences.split_sentences(article_id, text, clean.find_furniture(text))


def load_dir(folder: Path) -> tuple[dict[str, str], list[dict]]:
    texts, rows = {}, []
    for path in sorted(folder.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        texts[path.stem] = text
        rows.extend(split(path.stem, text))
    return texts, rows
