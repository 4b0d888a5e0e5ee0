"""newsbrief.ingest.params: validation before any work, one line per bad parameter, exit code 2."""
from __future__ import annotations

import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from newsbrief.ingest.params import ParameterError, Params, validate

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "data" / "articles"


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "newsbrief.ingest.params", *args], capture_output=True,
                          text=True, cwd=ROOT, timeout=60)


def test_good_parameters(tmp_path):
    p = validate("  DeepSeek ", str(SEEDS), "", str(tmp_path / "new" / "reports"))
    assert isinstance(p, Params)
    assert p.company == "DeepSeek" and p.as_of is None and p.reports.is_dir()
    assert validate("DeepSeek", SEEDS, "2025-01-31", tmp_path).as_of == date(2025, 1, 31)
    with pytest.raises(AttributeError):
        p.company = "x"  # frozen


@pytest.mark.parametrize("kwargs, starts, words", [
    (dict(company="   "), "COMPANY='   ': empty", "COMPANY=DeepSeek"),
    (dict(company="Deep\nSeek"), "COMPANY=", "control characters"),
    (dict(articles="/nope"), "ARTICLES=/nope: folder not found", "ARTICLES=data/articles"),
    (dict(articles=""), "ARTICLES='': empty", "ARTICLES=data/articles"),
    (dict(as_of="2025-13-01"), "AS_OF=2025-13-01: not a valid date", "YYYY-MM-DD"),
    (dict(as_of="31/01/2025"), "AS_OF=31/01/2025: not in YYYY-MM-DD form", "AS_OF="),
    (dict(as_of="yesterday"), "AS_OF=yesterday", "YYYY-MM-DD"),
    (dict(reports=""), "REPORTS='': empty", "REPORTS=reports"),
])
def test_each_bad_parameter_one_line(tmp_path, kwargs, starts, words):
    args = dict(company="DeepSeek", articles=str(SEEDS), as_of="", reports=str(tmp_path / "r"))
    args.update(kwargs)
    with pytest.raises(ParameterError) as info:
        validate(**args)
    assert len(info.value.problems) == 1
    line = info.value.problems[0]
    assert "\n" not in line and line.startswith(starts) and words in line


def test_articles_file_and_empty_folder(tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    (empty / "notes.odt").write_text("x")  # not an accepted input (.docx is one)
    (empty / ".hidden.txt").write_text("DeepSeek")
    with pytest.raises(ParameterError, match=r"no article files"):
        validate("DeepSeek", empty, "", tmp_path / "r")
    with pytest.raises(ParameterError, match=r"not a folder"):
        validate("DeepSeek", SEEDS / "000_7beb9e1193c8c2f4.txt", "", tmp_path / "r")


def test_reports_not_writable_or_a_file_or_inside_articles(tmp_path):
    a_file = tmp_path / "f"
    a_file.write_text("x")
    with pytest.raises(ParameterError, match=r"^REPORTS=.*: exists and is not a folder"):
        validate("DeepSeek", SEEDS, "", a_file)
    with pytest.raises(ParameterError, match=r"^REPORTS=.*: cannot create the folder"):
        validate("DeepSeek", SEEDS, "", a_file / "sub")
    with pytest.raises(ParameterError, match=r"inside the articles folder"):
        validate("DeepSeek", SEEDS, "", SEEDS / "reports")
    assert not (SEEDS / "reports").exists()
    if os.geteuid() != 0:  # root can write anywhere
        ro = tmp_path / "ro"
        ro.mkdir()
        ro.chmod(0o500)
        try:
            with pytest.raises(ParameterError, match=r"not writable"):
                validate("DeepSeek", SEEDS, "", ro)
        finally:
            ro.chmod(0o700)


def test_all_bad_parameters_reported_together(tmp_path):
    with pytest.raises(ParameterError) as info:
        validate("", "/nope", "2025-02-30", "")
    assert [p.split("=")[0] for p in info.value.problems] == ["COMPANY", "ARTICLES", "AS_OF",
                                                               "REPORTS"]


def test_cli_good_is_silent(tmp_path):
    res = run_cli("--company", "DeepSeek", "--articles", str(SEEDS), "--as-of", "",
                  "--reports", str(tmp_path / "reports"))
    assert (res.returncode, res.stdout, res.stderr) == (0, "", "")


@pytest.mark.parametrize("args, param", [
    (["--company", ""], "COMPANY"),
    (["--articles", "/nope"], "ARTICLES"),
    (["--as-of=2025-1-5"], "AS_OF"),
    (["--reports", "/proc/forbidden/x"], "REPORTS"),
])
def test_cli_bad_value_exit_2_one_line(tmp_path, args, param):
    base = {"--company": "DeepSeek", "--articles": str(SEEDS), "--as-of": "",
            "--reports": str(tmp_path / "r")}
    argv = []
    for key, value in base.items():
        if not any(a.split("=")[0] == key for a in args):
            argv += [key, value]
    res = run_cli(*argv, *args)
    assert res.returncode == 2
    assert "Traceback" not in res.stderr and res.stdout == ""
    lines = res.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"error: {param}=")


def test_cli_unknown_option_exit_2_no_traceback():
    res = run_cli("--colour", "blue")
    assert res.returncode == 2 and "Traceback" not in res.stderr
    assert len(res.stderr.strip().splitlines()) == 1


def test_cli_values_starting_with_dash(tmp_path):
    res = run_cli("--company=-DeepSeek", f"--articles={SEEDS}", "--as-of=-1",
                  f"--reports={tmp_path}")
    assert res.returncode == 2 and res.stderr.startswith("error: AS_OF=-1:")


def test_cli_imports_only_the_standard_library(tmp_path):
    """Runs on every make, so it must start fast: nothing beyond the standard library and the
    package is imported (no pandas). Its start-up time is part of the no-op make in make bench."""
    args = ["--company", "DeepSeek", "--articles", str(SEEDS), "--reports", str(tmp_path / "r")]
    code = ("import runpy, sys\n"
            "before = set(sys.modules)\n"
            f"sys.argv = ['params', *{args!r}]\n"
            "try:\n    runpy.run_module('newsbrief.ingest.params', run_name='__main__')\n"
            "except SystemExit as stop:\n    assert not stop.code, stop.code\n"
            "added = {m.split('.')[0] for m in set(sys.modules) - before}\n"
            "print(' '.join(sorted(added - sys.stdlib_module_names - {'newsbrief'})))\n")
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT,
                         timeout=60)
    assert res.returncode == 0, res.stderr
    assert res.stdout.split() == []
