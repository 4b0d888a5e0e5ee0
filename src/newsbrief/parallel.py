"""Run independent chunks of work in forked worker processes, results in a deterministic order.

The evidence layer splits its per-article work (and a few large linking products) into
contiguous chunks; `run(task, bounds, workers, **state)` calls `task((lo, hi))` for each chunk
and returns the results in chunk order, so concatenating them gives exactly the rows of a serial
run. Workers are forked after `state` is stored in the module-level STATE, so large inputs are
inherited (copy-on-write), not pickled; only the chunk bounds and the results cross processes.
Small inputs, one CPU, NEWSBRIEF_WORKERS=1 or a platform without fork run serially in-process.
"""
from __future__ import annotations

import gc
import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor

WORKERS = 2             # NEWSBRIEF_WORKERS overrides (1 = always serial)
STATE: dict = {}        # inputs of the current step, inherited by forked workers


def workers(n_items: int, minimum: int) -> int:
    """Worker processes to use for n_items units of work (1 = serial); serial below `minimum`."""
    try:
        wanted = int(os.environ.get("NEWSBRIEF_WORKERS", WORKERS))
    except ValueError:
        wanted = WORKERS
    wanted = min(wanted, os.cpu_count() or 1)
    if wanted <= 1 or n_items < minimum or "fork" not in multiprocessing.get_all_start_methods():
        return 1
    return wanted


def chunks(starts: list[int], n_items: int, n_chunks: int) -> list[tuple[int, int]]:
    """Split [0, n_items) into about n_chunks contiguous ranges, each beginning at one of `starts`
    (e.g. the first sentence of each article, so no article is split)."""
    if n_items == 0:
        return []
    step = max(1, -(-len(starts) // max(1, n_chunks)))
    bounds = [starts[i] for i in range(0, len(starts), step)] + [n_items]
    return [(a, b) for a, b in zip(bounds, bounds[1:]) if b > a]


def run(task, bounds: list[tuple[int, int]], n_workers: int, **state) -> list:
    """[task(b) for b in bounds], in forked workers when n_workers > 1; results in bounds order."""
    STATE.clear()
    STATE.update(state)
    try:
        if n_workers <= 1 or len(bounds) <= 1:
            return [task(b) for b in bounds]
        # Objects that exist now are moved out of the collector's reach before forking: a
        # worker's garbage collection would otherwise walk (and copy) the whole inherited heap.
        gc.freeze()
        try:
            with ProcessPoolExecutor(n_workers, mp_context=multiprocessing.get_context("fork")) as pool:
                return list(pool.map(task, bounds))
        finally:
            gc.unfreeze()
    finally:
        STATE.clear()


class Pending:
    """Results of `start(...)`: computed in workers already running, or serially on demand."""

    def __init__(self, task, bounds, futures=None, pool=None, state=None):
        self._task, self._bounds, self._futures, self._pool = task, bounds, futures, pool
        self._state = state
        self._results = None

    def results(self) -> list:
        if self._results is None:
            if self._futures is not None:
                try:
                    self._results = [f.result() for f in self._futures]
                finally:
                    self._pool.shutdown()
            else:
                self._results = run(self._task, self._bounds, 1, **self._state)
        return self._results


def start(task, bounds: list[tuple[int, int]], n_workers: int, **state) -> Pending:
    """Like `run`, but returns at once so the parent can do other work meanwhile.

    The workers are forked (with `state`) before this returns, so the parent may then start
    other steps that use STATE. Serial (n_workers <= 1): nothing runs until `results()`.
    """
    if n_workers <= 1 or len(bounds) <= 1:
        return Pending(task, bounds, state=dict(state))
    STATE.clear()
    STATE.update(state)
    gc.freeze()
    try:
        pool = ProcessPoolExecutor(n_workers, mp_context=multiprocessing.get_context("fork"))
        # a fork-context pool forks all its workers on the first submit (CPython >= 3.9), so
        # every worker holds this STATE before it is cleared below
        futures = [pool.submit(task, b) for b in bounds]
    finally:
        gc.unfreeze()
        STATE.clear()
    return Pending(task, bounds, futures=futures, pool=pool)


def background(task, n_workers: int, **state) -> Pending:
    """`task((0, 1))` in one forked worker while the parent goes on (n_workers > 1), else
    serially on demand: two independent steps at the end of a run use both cores."""
    if n_workers <= 1:
        return Pending(task, [(0, 1)], state=dict(state))
    STATE.clear()
    STATE.update(state)
    gc.freeze()
    try:
        pool = ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("fork"))
        futures = [pool.submit(task, (0, 1))]
    finally:
        gc.unfreeze()
        STATE.clear()
    return Pending(task, [(0, 1)], futures=futures, pool=pool)
