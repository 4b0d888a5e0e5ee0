"""Execute notebooks with papermill: the executed copies are the build log.

python -m newsbrief.build.runner NOTEBOOK... --out DIR [--changed FILE...] [--only-later FILE...]
                           [--notes CSV] -p NAME VALUE ...

The first notebook (the evidence) runs first; the notebooks after it run in two kernels side by
side on a machine with two cores or more (one after another in each kernel: start-up and imports
paid once per kernel; the second kernel starts and imports the section code while the evidence
runs; the last notebook starts when all the others are done, as it may summarise them). Each runs into DIR/<name>.ipynb, from a fresh namespace and execution count, so its log
is the same whichever kernel ran it. The source notebook is never written. The executed notebook is written atomically, so an
interrupted run never leaves a file that make would take as up to date. On failure the
partial log is kept as OUTPUT.failed.ipynb and one screen says which cell raised what.
"""
from __future__ import annotations

import argparse
import contextlib
import logging
import os
import sys
import tempfile
import threading
import time
from concurrent.futures import Future
from pathlib import Path

from newsbrief import atomic, notes, parallel

KERNEL_NAME = "newsbrief"


def _short_error(exc: Exception) -> tuple[str, str]:
    """(which cell, 'Name: message') from a papermill execution error."""
    count = getattr(exc, "exec_count", None)
    source = str(getattr(exc, "source", "") or "").strip().splitlines()
    ename = getattr(exc, "ename", type(exc).__name__)
    evalue = str(getattr(exc, "evalue", exc)).strip()
    where = f"cell [{count}]" if count else "a cell"
    if source:
        where += f" `{source[0][:80]}`"
    return where, f"{ename}: {evalue}"


_QUIET_LOCK = threading.Lock()
_QUIET: list = [0, None]   # threads inside _quiet_stderr, saved file descriptor 2


@contextlib.contextmanager
def _quiet_stderr():
    """Silence the kernel's start-up chatter (it inherits file descriptor 2); errors are
    reported from the exception instead, with the executed notebook as the full log.
    File descriptor 2 is shared by the threads: the first one in redirects it, the last one out
    restores it."""
    with _QUIET_LOCK:
        if _QUIET[0] == 0:
            sys.stderr.flush()
            sink = tempfile.TemporaryFile()
            _QUIET[1] = os.dup(2)
            os.dup2(sink.fileno(), 2)
            sink.close()
        _QUIET[0] += 1
    try:
        yield
    finally:
        with _QUIET_LOCK:
            _QUIET[0] -= 1
            if _QUIET[0] == 0:
                os.dup2(_QUIET[1], 2)
                os.close(_QUIET[1])


ENGINE_NAME = "newsbrief"


def _register_engine() -> str:
    """Register (once) a papermill engine that writes the executed notebook when it completes
    or fails, not also before and after every cell: papermill's 2 + 2 x cells writes (each one
    serialises and validates the whole notebook while the kernel waits) cost 1.0 s of the
    seed build's 8 notebooks (208 writes), measured in the runner. The build reads a log only
    once it is complete, and a failed run still leaves its partial log."""
    from papermill.engines import NBClientEngine, NotebookExecutionManager, papermill_engines

    if ENGINE_NAME in papermill_engines._engines:
        return ENGINE_NAME

    class LogAtEndManager(NotebookExecutionManager):
        final = False

        def save(self, **kwargs):
            if self.final:
                super().save(**kwargs)

        def notebook_complete(self, **kwargs):
            self.final = True     # papermill calls this in a `finally`: on failure too
            super().notebook_complete(**kwargs)

    class LogAtEndEngine(NBClientEngine):
        @classmethod
        def execute_notebook(cls, nb, kernel_name, output_path=None, progress_bar=True,
                             log_output=False, autosave_cell_every=30, **kwargs):
            nb_man = LogAtEndManager(nb, output_path=output_path, progress_bar=progress_bar,
                                     log_output=log_output, autosave_cell_every=autosave_cell_every)
            nb_man.notebook_start()
            try:
                cls.execute_managed_notebook(nb_man, kernel_name, log_output=log_output, **kwargs)
            finally:
                nb_man.cleanup_pbar()
                nb_man.notebook_complete()
            return nb_man.nb

    papermill_engines.register(ENGINE_NAME, LogAtEndEngine)
    return ENGINE_NAME


def run_notebook(source: Path, output: Path, parameters: dict[str, str], km=None) -> float:
    """Execute `source` into `output` (atomically), in kernel manager `km` if given (else a
    fresh kernel). Returns seconds taken; raises on failure, keeping OUTPUT.failed.ipynb."""
    import papermill as pm

    failed = output.with_name(output.stem + ".failed.ipynb")
    started = time.perf_counter()
    # with a kernel given (started in the notebooks' folder), no `cwd`: papermill would chdir
    # this whole process, under the feet of a notebook running in another thread
    extra = {"km": km} if km is not None else {"cwd": str(source.parent)}
    with atomic.atomic_path(output, suffix=".ipynb") as partial:
        try:
            with _quiet_stderr():
                pm.execute_notebook(str(source), str(partial), parameters=parameters,
                                    progress_bar=False, log_output=False,
                                    engine_name=_register_engine(), **extra)
        except BaseException:
            if partial.exists() and partial.stat().st_size:   # papermill wrote a partial log
                os.replace(partial, failed)
            raise
    if failed.exists():
        failed.unlink()
    return time.perf_counter() - started


def _shared_kernel_manager_class():
    """A KernelManager whose client() is one client, connected once for the whole session.

    Connecting a client costs 0.2 s (jupyter_client's wait_for_ready drains IOPub until 0.2 s
    pass in silence); papermill connects one per notebook, and resetting the namespace another.
    The shared client makes those calls free after the first; it is closed with the kernel.
    Messages left over from an earlier notebook are ignored: nbclient only reads replies to
    the requests it sent.
    """
    from jupyter_client.blocking.client import BlockingKernelClient
    from jupyter_client.manager import KernelManager
    from traitlets import default

    class SessionClient(BlockingKernelClient):
        ready = False

        def wait_for_ready(self, timeout=None):
            if not self.ready:
                super().wait_for_ready(timeout=timeout)
                self.ready = True

        def start_channels(self, *args, **kwargs):
            if not self.channels_running:
                super().start_channels(*args, **kwargs)

        def stop_channels(self):
            """Kept open for the next notebook; `close` stops the channels."""

        def close(self):
            super().stop_channels()

    class SharedKernelManager(KernelManager):
        _session_client = None

        @default("client_factory")
        def _client_factory_default(self):
            return SessionClient

        def client(self, **kwargs):
            if self._session_client is None:
                self._session_client = super().client(**kwargs)
            return self._session_client

        def close_client(self):
            if self._session_client is not None:
                self._session_client.close()
                self._session_client = None

    return SharedKernelManager


@contextlib.contextmanager
def shared_kernel(cwd: Path):
    """One kernel (and one client) for several notebooks: start-up and imports are paid once.
    The namespace is reset between notebooks (see `reset_namespace`), so each starts from its
    own cells."""
    km = _shared_kernel_manager_class()(kernel_name=KERNEL_NAME)
    with _quiet_stderr():
        km.start_kernel(cwd=str(cwd))
    try:
        yield km
    finally:
        with _quiet_stderr():
            km.close_client()
            km.shutdown_kernel(now=True)


def _execute(km, code: str) -> None:
    client = km.client()
    client.start_channels()
    client.wait_for_ready(timeout=60)
    client.execute_interactive(code, timeout=120, store_history=False)


def reset_namespace(km) -> None:
    """A clean namespace and execution count 1, as in a fresh kernel."""
    _execute(km, "get_ipython().reset(new_session=True, aggressive=False)")


# What a kernel that will run section notebooks imports while it waits for the evidence: the
# section modules (and so pandas, matplotlib, ...). Only modules are loaded; the namespace is
# reset before each notebook.
WARM_UP = ("import importlib, pkgutil\n"
           "import newsbrief.briefing.sections as _sections\n"
           "for _m in pkgutil.iter_modules(_sections.__path__):\n"
           "    importlib.import_module(f'{_sections.__name__}.{_m.name}')\n")


def select(changed: list[str], notebooks: list[Path], only_later: list[str] = ()) -> list[Path]:
    """Which notebooks to run, from make's `$?` (the prerequisites newer than the logs).

    The first notebook (evidence) feeds the others. A changed notebook runs; when it is the
    first, all run. A changed file listed in `only_later` (code only the later notebooks use)
    runs all but the first. Any other change (articles, parameters, shared code), or an empty
    `$?` (a log is missing), runs them all.
    """
    if not changed:
        return notebooks
    position = {nb.resolve(): i for i, nb in enumerate(notebooks)}
    later = {Path(f).resolve() for f in only_later}
    chosen: set[int] = set()
    for item in (Path(c).resolve() for c in changed):
        if item in position:
            chosen |= set(range(len(notebooks))) if position[item] == 0 else {position[item]}
        elif item in later:
            chosen |= set(range(1, len(notebooks)))
        else:
            return notebooks
    return [nb for i, nb in enumerate(notebooks) if i in chosen]


def mark_current(skipped: list[Path], out: Path) -> None:
    """Touch the logs of notebooks left out by `select`: their inputs did not change, so they
    are up to date, and make (which compares the logs with every prerequisite) must see that."""
    for nb in skipped:
        log = out / nb.name
        if log.exists():
            os.utime(log)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Execute notebooks with papermill.")
    parser.add_argument("notebooks", nargs="+", type=Path, help="source notebooks, in order")
    parser.add_argument("--out", required=True, type=Path, help="folder for the executed notebooks")
    parser.add_argument("--changed", nargs="*", default=[],
                        help="make's $?: decides which notebooks run (see `select`)")
    parser.add_argument("--only-later", nargs="*", default=[],
                        help="files only the notebooks after the first depend on")
    parser.add_argument("--notes", type=Path,
                        help="data notes CSV the first notebook writes: printed after it runs")
    parser.add_argument("-p", "--parameter", nargs=2, action="append", default=[],
                        metavar=("NAME", "VALUE"), help="a string parameter")
    args = parser.parse_args(argv)
    logging.getLogger("papermill").setLevel(logging.WARNING)
    params = {name: value for name, value in args.parameter}
    todo = select(args.changed, args.notebooks, args.only_later)
    atomic.remove_stale_temporaries(args.out.parent)   # the build folder, after an interrupted build
    first = todo[0] if todo[0] == args.notebooks[0] else None
    queue = [nb for nb in todo if nb != first]
    last = args.notebooks[-1]
    runs = {nb: Future() for nb in todo}
    stop, first_done = threading.Event(), threading.Event()
    # the warm kernel (it imported the section code while the evidence ran) takes the first
    # section notebook, the longest; the evidence's kernel, which has still to import that
    # code, takes the next one (1.1 s less wall time of a loaded seed build: the import no
    # longer delays the front page)
    warm_took = threading.Event()
    if first is None:
        first_done.set()
        warm_took.set()
    queue_lock = threading.Lock()
    kernels: dict = {}        # lane -> its kernel manager
    lane_errors: list = []

    def run_one(nb: Path, km, fresh: bool) -> bool:
        if stop.is_set():   # interrupted (or another lane failed) while this lane waited
            return False
        try:
            if not fresh:
                reset_namespace(km)
            runs[nb].set_result(run_notebook(nb, args.out / nb.name, params, km))
            return True
        except BaseException as exc:  # noqa: BLE001 - reported by the main thread
            stop.set()
            runs[nb].set_exception(exc)
            return False

    def lane(index: int) -> None:
        """One kernel: the first notebook (lane 0), then notebooks from the queue."""
        try:
            with shared_kernel(todo[0].parent) as km:
                kernels[index] = km
                if stop.is_set():   # interrupted while this kernel started
                    return
                if index == 0 and first is not None:
                    ok = run_one(first, km, fresh=True)
                    first_done.set()
                    if not ok:
                        return
                    if n_lanes > 1:
                        warm_took.wait()
                elif first is not None:
                    _execute(km, WARM_UP)
                    first_done.wait()
                fresh = first is None   # else this kernel ran the first notebook or the warm-up
                while not stop.is_set():
                    with queue_lock:
                        if not queue:
                            return
                        nb = queue.pop(0)
                    if index > 0:
                        warm_took.set()
                    if nb == last:
                        # the last notebook may summarise the others (the sources section lists
                        # the sections citing each article, from what their builds recorded)
                        while not stop.is_set() and not all(runs[o].done() for o in todo if o != nb):
                            time.sleep(0.02)
                        if stop.is_set():
                            return
                    if not run_one(nb, km, fresh):
                        return
                    fresh = False
        except BaseException as exc:  # noqa: BLE001 - e.g. the kernel did not start
            lane_errors.append(exc)
            stop.set()
            first_done.set()
        finally:
            if index > 0:
                warm_took.set()   # (a warm lane that ends or fails never holds the other back)

    n_lanes = 2 if len(queue) >= 2 and parallel.workers(2, 2) >= 2 else 1
    lanes = [threading.Thread(target=lane, args=(i,), daemon=True) for i in range(n_lanes)]
    for thread in lanes:
        thread.start()
    current = todo[0]
    try:
        for current in todo:
            while not runs[current].done() and any(t.is_alive() for t in lanes):
                time.sleep(0.02)
            if not runs[current].done():   # its lane died (e.g. its kernel did not start)
                raise lane_errors[0] if lane_errors else RuntimeError(f"{current.name} did not run")
            seconds = runs[current].result()
            print(f"  ran {current.name} in {seconds:.1f} s", flush=True)
            if current == args.notebooks[0] and args.notes and args.notes.exists():
                notes.main([str(args.notes)])
                sys.stdout.flush()
    except KeyboardInterrupt:
        stop_lanes(lanes, kernels, stop)
        print(f"interrupted: {current.name} (not marked as built)", file=sys.stderr)
        return 130
    except Exception as exc:  # one screen, no traceback: the executed notebook has the details
        for thread in lanes:
            thread.join()
        where, what = _short_error(exc)
        failed = args.out / (current.stem + ".failed.ipynb")
        print(f"error: {current} failed in {where}\n  {what[:1500]}\n"
              f"  executed notebook (open it to debug): {failed}", file=sys.stderr)
        return 1
    for thread in lanes:
        thread.join()
    mark_current([nb for nb in args.notebooks if nb not in todo], args.out)
    report_review(params)
    return 0


def stop_lanes(lanes: list[threading.Thread], kernels: dict, stop: threading.Event,
               grace: float = 10.0) -> None:
    """After Ctrl-C: interrupt every kernel's cell, so each lane's notebook fails, its partial log
    is removed and its kernel shut down. The interrupt is repeated, because a lane may register
    its kernel only after the first one (it was starting) or start a cell between two; a lane
    still running after `grace` seconds has its kernel killed. Kernels run in their own process
    group, so the terminal's SIGINT never reaches them: only this does."""
    stop.set()
    deadline = time.monotonic() + grace
    while any(t.is_alive() for t in lanes) and time.monotonic() < deadline:
        for km in list(kernels.values()):
            with contextlib.suppress(Exception):
                km.interrupt_kernel()
        for thread in lanes:
            thread.join(timeout=0.25)
    for index, thread in enumerate(lanes):
        if thread.is_alive() and index in kernels:
            with contextlib.suppress(Exception):
                kernels[index].shutdown_kernel(now=True)


def report_review(params: dict[str, str]) -> None:
    """Print what the analyst's decisions did (applied; each one not matched, by name)."""
    build = Path(params.get("BUILD") or "")
    if not (build / "review.yml").is_file():
        return
    from newsbrief.review import decisions

    # no decisions, nothing to report: skip loading pandas and the sections (0.5 s of a build)
    if not decisions.load(build / "review.yml").decisions:
        return
    from newsbrief import review
    from newsbrief.briefing.sections import SECTIONS

    for line in review.build_report(params.get("COMPANY", ""), params.get("ARTICLES", ""),
                                    params.get("REPORTS", ""), str(build), [k for k, *_ in SECTIONS]):
        print(line, flush=True)


if __name__ == "__main__":
    sys.exit(main())
