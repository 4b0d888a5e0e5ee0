"""Which notebooks the runner runs for make's `$?`, and how skipped logs are kept current."""
import os
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
