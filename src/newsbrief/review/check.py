"""Check the analyst's decision file and copy it into the build (make runs this before any work).

python -m newsbrief.review.check SOURCE SNAPSHOT [ARTICLES]

SNAPSHOT is rewritten only when SOURCE's content changed, so make reruns the briefing only then;
a missing SOURCE means no decisions. A malformed file: one line naming the file, the line and the
fix, exit status 1.
"""
from __future__ import annotations

import sys
from pathlib import Path

from newsbrief.review.decisions import DecisionError, snapshot


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) not in (2, 3):
        print("usage: python -m newsbrief.review.check SOURCE SNAPSHOT [ARTICLES]", file=sys.stderr)
        return 2
    try:
        snapshot(Path(args[0]), Path(args[1]), Path(args[2]) if len(args) == 3 else None)
    except DecisionError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
