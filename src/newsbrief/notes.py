"""Data notes: every skip, repair or doubt met while reading the corpus, with file and reason.

A note is shown in the briefing's "Data notes" section and printed in the build output, one line
each: ``note: <file>: <problem> -> <action>``.

Stdlib only at import time (pandas is imported inside `to_frame`), so the fast CLIs can use it.
"""
from __future__ import annotations

import sys
from dataclasses import asdict, dataclass
from typing import IO, Iterable, Iterator

SEVERITIES = ("info", "warning", "error")
NOTE_COLUMNS = ("file", "problem", "action", "severity")


def _one_line(text: object) -> str:
    """Collapse a value to one printable line (notes must never break the one-line format)."""
    s = str(text)
    s = "".join(ch if ch.isprintable() else " " for ch in s)
    return " ".join(s.split())


@dataclass(frozen=True)
class DataNote:
    """One problem with the input data and what was done about it.

    file: path relative to the articles folder (or the metadata file name; "" for the corpus).
    problem: what is wrong or doubtful. action: what the pipeline did. severity: info/warning/error.
    """

    file: str
    problem: str
    action: str
    severity: str = "warning"

    def __post_init__(self) -> None:
        if self.severity not in SEVERITIES:
            raise ValueError(f"severity must be one of {SEVERITIES}, got {self.severity!r}")
        object.__setattr__(self, "file", _one_line(self.file))
        object.__setattr__(self, "problem", _one_line(self.problem))
        object.__setattr__(self, "action", _one_line(self.action))

    def line(self) -> str:
        """`note: <file>: <problem> -> <action>`"""
        return format_note(self)


def format_note(note: DataNote) -> str:
    file = note.file or "(corpus)"
    return f"note: {file}: {note.problem} -> {note.action}"


class NoteLog:
    """An ordered collection of notes; `add` returns the note so callers can also keep it."""

    def __init__(self, notes: Iterable[DataNote] = ()) -> None:
        self._notes: list[DataNote] = list(notes)

    def add(self, file: str, problem: str, action: str, severity: str = "warning") -> DataNote:
        note = DataNote(str(file), problem, action, severity)
        self._notes.append(note)
        return note

    def extend(self, notes: Iterable[DataNote]) -> None:
        self._notes.extend(notes)

    def __iter__(self) -> Iterator[DataNote]:
        return iter(self._notes)

    def __len__(self) -> int:
        return len(self._notes)

    def list(self) -> list[DataNote]:
        return list(self._notes)

    def for_file(self, file: str) -> list[DataNote]:
        return [n for n in self._notes if n.file == file]


def to_frame(notes: Iterable[DataNote]):
    """Notes as a DataFrame with columns file, problem, action, severity (order kept)."""
    import pandas as pd

    rows = [asdict(n) for n in notes]
    return pd.DataFrame(rows, columns=list(NOTE_COLUMNS)).astype(str)


def print_notes(notes: Iterable[DataNote], stream: IO[str] | None = None,
                min_severity: str = "info") -> int:
    """Print one line per note (at or above `min_severity`); returns the number printed."""
    stream = stream if stream is not None else sys.stdout
    floor = SEVERITIES.index(min_severity)
    n = 0
    for note in notes:
        if SEVERITIES.index(note.severity) >= floor:
            print(format_note(note), file=stream)
            n += 1
    return n


def main(argv: list[str] | None = None) -> int:
    """python -m newsbrief.notes NOTES.csv: print the build's data notes, one line each."""
    import csv

    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print("usage: python -m newsbrief.notes NOTES.csv", file=sys.stderr)
        return 2
    with open(args[0], encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    print_notes(DataNote(**{k: row.get(k, "") for k in NOTE_COLUMNS}) for row in rows)
    return 0


if __name__ == "__main__":
    sys.exit(main())
