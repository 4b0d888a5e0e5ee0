"""Linear-time checks that do not depend on how busy the machine is.

Performance targets live in `make bench`; tests only catch a superlinear regression (a regex
that backtracks, a loop over figures inside a loop over figures). A wall-clock limit does that
badly: on a shared machine it fails when another process runs. So a check here
- measures CPU seconds of this process (`time.process_time`), not wall-clock time, and
- compares an input with FACTOR times the size of another: linear work costs ~FACTOR times
  more, quadratic ~FACTOR**2 times; the limit sits well between (plus a little absolute slack
  so sub-millisecond noise on tiny inputs cannot fail it).
"""
from __future__ import annotations

import time
from typing import Callable

FACTOR = 4
# linear costs FACTOR x, quadratic FACTOR**2 = 16 x: fail above 10 x (+ slack, CPU seconds)
MAX_GROWTH = 10
SLACK_S = 0.05


def cpu_seconds(func: Callable[[str], object], text: str, repeat: int = 3) -> float:
    """Best-of-`repeat` CPU time of `func(text)` in this process."""
    best = float("inf")
    for _ in range(repeat):
        t0 = time.process_time()
        func(text)
        best = min(best, time.process_time() - t0)
    return best


def assert_linear(func: Callable[[str], object], text_of: Callable[[int], str], n: int,
                  label: str = "") -> tuple[float, float]:
    """Fail when `func` on `text_of(n)` costs more than MAX_GROWTH times `func` on
    `text_of(n // FACTOR)` (texts grow linearly with n); returns both CPU times."""
    func(text_of(max(1, n // 100)))  # warm caches (knowledge files, compiled regexes)
    small = cpu_seconds(func, text_of(n // FACTOR))
    big = cpu_seconds(func, text_of(n))
    assert big <= MAX_GROWTH * small + SLACK_S, (
        f"{label or text_of(8)[:30]!r}: {FACTOR}x the input cost {big:.3f} s against "
        f"{small:.3f} s CPU (superlinear)")
    return small, big


def repeated(unit: str, prefix: str = "", suffix: str = "") -> Callable[[int], str]:
    """text_of(n) = prefix + unit * n + suffix."""
    return lambda n: prefix + unit * n + suffix
