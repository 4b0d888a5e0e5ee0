"""Shared fixtures: the corpora and a full build of the briefing into a temporary directory."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "data" / "articles"
OTHER_COMPANY = ROOT / "tests" / "fixtures" / "other_company"
OTHER_COMPANY_NAME = "Kestrel AI"


def bad_corpus_module():
    """tests/fixtures/bad_inputs/make_bad_corpus.py, imported (it is not a package module)."""
    import importlib.util

    path = ROOT / "tests" / "fixtures" / "bad_inputs" / "make_bad_corpus.py"
    spec = importlib.util.spec_from_file_location("make_bad_corpus", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def formats_corpus_module():
    """tests/fixtures/formats/make_formats_corpus.py, imported (registered, for its dataclass)."""
    import importlib.util

    name = "make_formats_corpus"
    if name not in sys.modules:
        path = ROOT / "tests" / "fixtures" / "formats" / f"{name}.py"
        spec = importlib.util.spec_from_file_location(name, path)
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


def project_copy(dest: Path) -> Path:
    """A copy of the project at `dest` sharing .venv (mtimes kept, so nothing is reinstalled)."""
    dest.mkdir(parents=True)
    for name in ("Makefile", "requirements.lock", "requirements-lab.lock", "pyproject.toml"):
        shutil.copy2(ROOT / name, dest / name)
    for name in ("notebooks", "tools", "data", "src"):
        shutil.copytree(ROOT / name, dest / name, copy_function=shutil.copy2)
    os.symlink(ROOT / ".venv", dest / ".venv")
    return dest


def run_make(*args: str, cwd: Path = ROOT, check: bool = True, env: dict | None = None):
    """Run make in the project with the test's Python environment; returns CompletedProcess."""
    full_env = {**os.environ, **(env or {})}
    full_env.pop("MAKEFLAGS", None)
    result = subprocess.run(["make", *args], cwd=cwd, capture_output=True, text=True, env=full_env,
                            timeout=900)
    if check and result.returncode != 0:
        raise AssertionError(f"make {' '.join(args)} failed ({result.returncode}):\n"
                             f"{result.stdout[-3000:]}\n{result.stderr[-3000:]}")
    return result


def build_briefing(tmp: Path, company: str, articles: Path) -> Path:
    """Build a briefing with make into tmp/reports (build files in tmp/build); returns reports."""
    reports = tmp / "reports"
    run_make(f"COMPANY={company}", f"ARTICLES={articles}", f"REPORTS={reports}",
             f"BUILD_ROOT={tmp / 'build'}")
    return reports


@pytest.fixture(scope="session")
def other_company_briefing(tmp_path_factory) -> Path:
    """Reports folder of a full build on the fictional other-company corpus."""
    return build_briefing(tmp_path_factory.mktemp("other"), OTHER_COMPANY_NAME, OTHER_COMPANY)


@pytest.fixture(scope="session")
def seed_briefing(tmp_path_factory) -> Path:
    """Reports folder of a full build on the seed corpus (DeepSeek)."""
    return build_briefing(tmp_path_factory.mktemp("seeds"), "DeepSeek", SEEDS)


# Tests that build a briefing (make, the notebooks, the exporter) are marked `build`, tests that
# need a browser `browser`, timing checks on large inputs `scale`; the rest are fast unit tests:
#     pytest -m "not build and not browser and not scale"
BUILD_FIXTURES = {"seed_briefing", "other_company_briefing"}


def pytest_collection_modifyitems(config, items):
    for item in items:
        if BUILD_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.build)


def chromium_path() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


def pdftoppm_path() -> str | None:
    return shutil.which("pdftoppm")

