"""Paths the briefing prints never carry the machine's folder layout."""
from __future__ import annotations

from newsbrief import paths


def test_folder_inside_the_project_is_shown_relative():
    assert paths.shown_path(paths.PROJECT_ROOT / "data" / "articles") == "data/articles"


def test_folder_outside_the_project_is_shown_by_name_only(tmp_path):
    folder = tmp_path / "wire copy"
    folder.mkdir()
    shown = paths.shown_path(folder)
    assert shown == "wire copy (a folder outside the project)"
    assert str(tmp_path) not in shown
