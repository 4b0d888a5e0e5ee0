"""Execute one notebook with papermill: the executed copy is the build log.

python -m newsbrief.runner NOTEBOOK... --out DIR [--changed FILE...] -p NAME VALUE ...

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

    output.parent.mkdir(parents=True, exist_ok=True)
    partial = output.with_name(output.stem + ".partial.ipynb")
    failed = output.with_name(output.stem + ".failed.ipynb")
    started = time.perf_counter()
    extra = {"km": km} if km is not None else {}
    try:
        with _quiet_stderr():
            pm.execute_notebook(str(source), str(partial), parameters=parameters, progress_bar=False,
                                cwd=str(source.parent), log_output=False, **extra)
    except BaseException:
        if partial.exists():
            os.replace(partial, failed)
        raise
    os.replace(partial, output)
    if failed.exists():
        failed.unlink()
    return time.perf_counter() - started


@contextlib.contextmanager
def shared_kernel(cwd: Path):
    """One kernel for several notebooks: start-up and imports are paid once. The namespace is
    reset between notebooks (see `reset_namespace`), so each starts from its own cells."""
    from jupyter_client.manager import KernelManager

    km = KernelManager(kernel_name=KERNEL_NAME)
    with _quiet_stderr():
        km.start_kernel(cwd=str(cwd))
    try:
        yield km
    finally:
        with _quiet_stderr():
            km.shutdown_kernel(now=True)


def reset_namespace(km) -> None:
    client = km.blocking_client()
    client.start_channels()
    try:
        client.wait_for_ready(timeout=60)
        client.execute_interactive("get_ipython().reset(new_session=False, aggressive=False)",
                                   timeout=60, store_history=False)
    finally:
        client.stop_channels()


def select(changed: list[str], notebooks: list[Path]) -> list[Path]:
    """Which notebooks to run, from make's `$?` (the prerequisites newer than the logs): only
    the changed notebooks when nothing else changed, else all of them."""
    names = {Path(c).resolve() for c in changed}
    if changed and names <= {nb.resolve() for nb in notebooks}:
        return [nb for nb in notebooks if nb.resolve() in names]
    return notebooks


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Execute notebooks with papermill.")
    parser.add_argument("notebooks", nargs="+", type=Path, help="source notebooks")
    parser.add_argument("--out", required=True, type=Path, help="folder for the executed notebooks")
    parser.add_argument("--changed", nargs="*", default=[],
                        help="make's $?: run only these notebooks if only notebooks changed")
    parser.add_argument("-p", "--parameter", nargs=2, action="append", default=[],
                        metavar=("NAME", "VALUE"), help="a string parameter")
    args = parser.parse_args(argv)
    logging.getLogger("papermill").setLevel(logging.WARNING)
    params = {name: value for name, value in args.parameter}
    todo = select(args.changed, args.notebooks)
    current = todo[0]
    try:
        with shared_kernel(todo[0].parent) as km:
            for index, current in enumerate(todo):
                if index:
                    reset_namespace(km)
                seconds = run_notebook(current, args.out / current.name, params, km)
                print(f"  ran {current.name} in {seconds:.1f} s", flush=True)
    except KeyboardInterrupt:
        print(f"interrupted: {current.name} (not marked as built)", file=sys.stderr)
        return 130
    except Exception as exc:  # one screen, no traceback: the executed notebook has the details
        where, what = _short_error(exc)
        failed = args.out / (current.stem + ".failed.ipynb")
        print(f"error: {current} failed in {where}\n  {what[:1500]}\n"
              f"  executed notebook (open it to debug): {failed}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
