"""Execute one notebook with papermill: the executed copy is the build log.

python -m newsbrief.runner SOURCE.ipynb OUTPUT.ipynb -p NAME VALUE ...

The source notebook is never written. The executed notebook is written atomically, so an
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


def run_notebook(source: Path, output: Path, parameters: dict[str, str], kernel: str = "") -> float:
    """Execute `source` into `output` (atomically). Returns seconds taken; raises on failure."""
    import papermill as pm

    output.parent.mkdir(parents=True, exist_ok=True)
    partial = output.with_name(output.stem + ".partial.ipynb")
    failed = output.with_name(output.stem + ".failed.ipynb")
    started = time.perf_counter()
    try:
        with _quiet_stderr():
            pm.execute_notebook(str(source), str(partial), parameters=parameters,
                                kernel_name=kernel or None, progress_bar=False,
                                cwd=str(source.parent), log_output=False)
    except BaseException:
        if partial.exists():
            os.replace(partial, failed)
        raise
    os.replace(partial, output)
    if failed.exists():
        failed.unlink()
    return time.perf_counter() - started


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Execute a notebook with papermill.")
    parser.add_argument("source", type=Path)
    parser.add_argument("output", type=Path)
    parser.add_argument("-p", "--parameter", nargs=2, action="append", default=[],
                        metavar=("NAME", "VALUE"), help="a string parameter")
    parser.add_argument("-k", "--kernel", default="")
    args = parser.parse_args(argv)
    logging.getLogger("papermill").setLevel(logging.WARNING)
    params = {name: value for name, value in args.parameter}
    try:
        seconds = run_notebook(args.source, args.output, params, args.kernel)
    except KeyboardInterrupt:
        print(f"interrupted: {args.source.name} (nothing was marked as built)", file=sys.stderr)
        return 130
    except Exception as exc:  # one screen, no traceback: the log has the details
        where, what = _short_error(exc)
        failed = args.output.with_name(args.output.stem + ".failed.ipynb")
        print(f"error: {args.source} failed in {where}\n  {what[:1500]}\n"
              f"  executed notebook (open it to debug): {failed}", file=sys.stderr)
        return 1
    print(f"  ran {args.source.name} in {seconds:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
