"""Which notebooks the runner runs for make's `$?`, and how skipped logs are kept current."""
import os
import threading
import time
from pathlib import Path

from newsbrief.build import runner

NBS = [Path("notebooks/01_evidence.ipynb"), Path("notebooks/10_front.ipynb"),
       Path("notebooks/30_models.ipynb")]
SECTION_CODE = ["src/newsbrief/briefing/sections/models.py", "src/newsbrief/briefing/render.py"]


def names(chosen):
    return [p.name for p in chosen]


def test_empty_changed_list_runs_everything():
    assert runner.select([], NBS, SECTION_CODE) == NBS


def test_an_edited_section_notebook_runs_alone():
    assert names(runner.select(["notebooks/30_models.ipynb"], NBS, SECTION_CODE)) == ["30_models.ipynb"]


def test_section_code_reruns_the_sections_not_the_evidence():
    chosen = runner.select(["src/newsbrief/briefing/render.py", "notebooks/10_front.ipynb"], NBS, SECTION_CODE)
    assert names(chosen) == ["10_front.ipynb", "30_models.ipynb"]


def test_the_evidence_notebook_or_any_other_input_reruns_everything():
    assert runner.select(["notebooks/01_evidence.ipynb"], NBS, SECTION_CODE) == NBS
    assert runner.select(["build/x/inputs.manifest", "notebooks/30_models.ipynb"], NBS, SECTION_CODE) == NBS
    assert runner.select(["src/newsbrief/briefing/sections/models.py"], NBS, []) == NBS


def test_skipped_logs_are_touched_so_make_sees_them_current(tmp_path):
    log = tmp_path / "10_front.ipynb"
    log.write_text("{}")
    os.utime(log, (1_000_000, 1_000_000))
    runner.mark_current([Path("notebooks/10_front.ipynb"), Path("notebooks/99_missing.ipynb")], tmp_path)
    assert log.stat().st_mtime > 1_000_000
    assert not (tmp_path / "99_missing.ipynb").exists(), "a missing log is not invented"


class _FakeKernel:
    def __init__(self):
        self.interrupted = threading.Event()
        self.killed = False

    def interrupt_kernel(self):
        self.interrupted.set()

    def shutdown_kernel(self, now=False):
        self.killed = True


def test_ctrl_c_reaches_a_kernel_that_registers_after_the_first_interrupt():
    # a lane whose kernel was still starting when Ctrl-C came: it registers the kernel later,
    # and its cell must still be interrupted (before, make waited a minute for it)
    kernels, stop = {}, threading.Event()
    late = _FakeKernel()

    def lane():
        time.sleep(0.5)
        kernels[0] = late
        late.interrupted.wait(timeout=5)

    thread = threading.Thread(target=lane, daemon=True)
    thread.start()
    started = time.monotonic()
    runner.stop_lanes([thread], kernels, stop, grace=5)
    assert stop.is_set() and late.interrupted.is_set() and not thread.is_alive()
    assert time.monotonic() - started < 3 and not late.killed


def test_ctrl_c_kills_a_kernel_whose_cell_ignores_the_interrupt():
    stuck, release = _FakeKernel(), threading.Event()
    kernels = {0: stuck}
    thread = threading.Thread(target=release.wait, daemon=True)
    thread.start()
    runner.stop_lanes([thread], kernels, threading.Event(), grace=0.5)
    assert stuck.interrupted.is_set() and stuck.killed
    release.set()
