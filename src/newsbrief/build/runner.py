"""Execute notebooks with papermill: the executed copies are the build log.

python -m newsbrief.build.runner NOTEBOOK... --out DIR [--changed FILE...] [--only-later FILE...]
                           [--notes CSV] -p NAME VALUE ...

Several notebooks run one after another in one kernel (start-up and imports paid once), each
into DIR/<name>.ipynb. The source notebook is never written. The executed notebook is written atomically, so an
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
import time
from pathlib import Path

from newsbrief import atomic, notes

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


@contextlib.contextmanager
def _quiet_stderr():
    """Silence the kernel's start-up chatter (it inherits file descriptor 2); errors are
    reported from the exception instead, with the executed notebook as the full log."""
    sys.stderr.flush()
    saved = os.dup(2)
    with tempfile.TemporaryFile() as sink:
        os.dup2(sink.fileno(), 2)
        try:
            yield
        finally:
            os.dup2(saved, 2)
            os.close(saved)


def run_notebook(source: Path, output: Path, parameters: dict[str, str], km=None) -> float:
    """Execute `source` into `output` (atomically), in kernel manager `km` if given (else a
    fresh kernel). Returns seconds taken; raises on failure, keeping OUTPUT.failed.ipynb."""
    import papermill as pm

    failed = output.with_name(output.stem + ".failed.ipynb")
    started = time.perf_counter()
    extra = {"km": km} if km is not None else {}
    with atomic.atomic_path(output, suffix=".ipynb") as partial:
        try:
            with _quiet_stderr():
                pm.execute_notebook(str(source), str(partial), parameters=parameters,
                                    progress_bar=False, cwd=str(source.parent), log_output=False,
                                    **extra)
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


def reset_namespace(km) -> None:
    client = km.client()
    client.start_channels()
    client.wait_for_ready(timeout=60)
    client.execute_interactive("get_ipython().reset(new_session=False, aggressive=False)",
                               timeout=60, store_history=False)


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
    current = todo[0]
    try:
        with shared_kernel(todo[0].parent) as km:
            for index, current in enumerate(todo):
                if index:
                    reset_namespace(km)
                seconds = run_notebook(current, args.out / current.name, params, km)
                print(f"  ran {current.name} in {seconds:.1f} s", flush=True)
                if current == args.notebooks[0] and args.notes and args.notes.exists():
                    notes.main([str(args.notes)])
                    sys.stdout.flush()
    except KeyboardInterrupt:
        print(f"interrupted: {current.name} (not marked as built)", file=sys.stderr)
        return 130
    except Exception as exc:  # one screen, no traceback: the executed notebook has the details
        where, what = _short_error(exc)
        failed = args.out / (current.stem + ".failed.ipynb")
        print(f"error: {current} failed in {where}\n  {what[:1500]}\n"
              f"  executed notebook (open it to debug): {failed}", file=sys.stderr)
        return 1
    mark_current([nb for nb in args.notebooks if nb not in todo], args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
