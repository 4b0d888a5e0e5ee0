"""The build as a user meets it: one-line parameter errors, failures that damage nothing."""
import os
import re
import shutil
import signal
import subprocess
import time

import pytest

from conftest import ROOT, project_copy, run_make

pytestmark = pytest.mark.build


@pytest.mark.parametrize("args, name", [
    (["ARTICLES=/nonexistent/folder"], "ARTICLES"),
    (["AS_OF=last tuesday"], "AS_OF"),
    (["COMPANY= "], "COMPANY"),
    (["REPORTS=/proc/cannot-write-here"], "REPORTS"),
])
def test_bad_parameter_gets_one_line_and_no_traceback(args, name, tmp_path):
    result = run_make(*args, f"BUILD_ROOT={tmp_path}", check=False)
    assert result.returncode != 0
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and name in errors[0], result.stderr
    assert "Traceback" not in result.stderr + result.stdout


def test_empty_articles_folder_is_refused(tmp_path):
    (tmp_path / "empty").mkdir()
    result = run_make(f"ARTICLES={tmp_path / 'empty'}", f"BUILD_ROOT={tmp_path / 'b'}", check=False)
    assert result.returncode != 0 and "ARTICLES" in result.stderr and "Traceback" not in result.stderr


def _make_in(copy, *args, check=True):
    env = {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MAKELEVEL")}
    result = subprocess.run(["make", *args], cwd=copy, capture_output=True, text=True, env=env, timeout=600)
    if check:
        assert result.returncode == 0, result.stdout + result.stderr
    return result


def test_failing_cell_names_notebook_cell_and_error_and_keeps_last_briefing(tmp_path):
    import nbformat

    copy = project_copy(tmp_path / "project")
    _make_in(copy)
    before = {n: (copy / "reports" / n).read_bytes() for n in ("briefing.html", "briefing.pdf")}
    source = copy / "notebooks" / "30_models.ipynb"
    nb = nbformat.read(str(source), as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell("1 / 0"))
    nbformat.write(nb, str(source))
    result = _make_in(copy, check=False)
    assert result.returncode != 0
    assert "30_models.ipynb failed in cell" in result.stderr and "ZeroDivisionError" in result.stderr
    assert "30_models.failed.ipynb" in result.stderr and "Traceback" not in result.stderr
    assert len(result.stderr.splitlines()) < 25, "one screen"
    after = {n: (copy / "reports" / n).read_bytes() for n in before}
    assert after == before, "the last good briefing is untouched"


def test_interrupted_build_resumes_to_a_complete_identical_build(tmp_path):
    copy = project_copy(tmp_path / "project")
    reference = tmp_path / "reference"
    _make_in(copy, f"REPORTS={reference}", f"BUILD_ROOT={tmp_path / 'ref-build'}")
    env = {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MAKELEVEL")}
    for delay in (2.5, 6.0):
        proc = subprocess.Popen(["make"], cwd=copy, env=env, stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL, start_new_session=True)
        time.sleep(delay)
        os.killpg(proc.pid, signal.SIGINT)
        proc.wait(timeout=60)
        _make_in(copy)
        for name in ("briefing.html", "briefing.pdf"):
            assert (copy / "reports" / name).read_bytes() == (reference / name).read_bytes(), (delay, name)
        leftovers = [p for p in (copy / "build").rglob("*") if ".partial." in p.name or ".tmp" in p.name]
        assert not leftovers, leftovers
        shutil.rmtree(copy / "build")


ALL_NOTEBOOKS = {p.stem for p in (ROOT / "notebooks").glob("[0-9]*.ipynb")}
SECTION_NOTEBOOKS = ALL_NOTEBOOKS - {"01_evidence"}
# One file of each stage (docs/ARCHITECTURE.md) -> (notebooks that must rerun, export reruns?)
EDITS = {
    "src/newsbrief/paths.py": (ALL_NOTEBOOKS, True),
    "src/newsbrief/ingest/corpus.py": (ALL_NOTEBOOKS, True),
    "src/newsbrief/extract/figures.py": (ALL_NOTEBOOKS, True),
    "src/newsbrief/link/claims.py": (ALL_NOTEBOOKS, True),
    "src/newsbrief/evidence/run.py": (ALL_NOTEBOOKS, True),
    "src/newsbrief/build/runner.py": (ALL_NOTEBOOKS, True),
    "data/knowledge/stance.yml": (ALL_NOTEBOOKS, True),
    "src/newsbrief/review/apply.py": (SECTION_NOTEBOOKS, True),
    "src/newsbrief/briefing/prose.py": (SECTION_NOTEBOOKS, True),
    "src/newsbrief/briefing/sections/front.py": (SECTION_NOTEBOOKS, True),
    "notebooks/30_models.ipynb": ({"30_models"}, True),
    "src/newsbrief/export/publish.py": (set(), True),
    "src/newsbrief/export/templates/briefing/briefing.css": (set(), True),
    "src/newsbrief/dev/bench.py": (set(), False),
}


def _touch_after(path, build):
    """Touch `path` once the clock has passed every build product's mtime: file times come from a
    coarse kernel clock, so a touch right after a build can get the same mtime as the build's
    last output, and make (which needs a strictly newer prerequisite) would then skip the rerun."""
    newest = max(p.stat().st_mtime_ns for p in build.rglob("*") if p.is_file())
    while time.time_ns() <= newest + 20_000_000:
        time.sleep(0.005)
    path.touch()


def test_an_edit_in_each_stage_reruns_what_depends_on_it(tmp_path):
    copy = project_copy(tmp_path / "project")
    _make_in(copy)
    for rel, (notebooks, export) in EDITS.items():
        assert (copy / rel).exists(), rel
        _touch_after(copy / rel, copy / "build")
        out = _make_in(copy).stdout
        ran = set(re.findall(r"ran (\w+)\.ipynb", out))
        assert (ran, "export: HTML and PDF" in out) == (notebooks, export), rel
