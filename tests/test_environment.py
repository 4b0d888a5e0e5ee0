"""The environment is pinned exactly, once: the lock has hashes and environment.yml matches it."""
import re
import sys

import yaml

from conftest import ROOT

sys.path.insert(0, str(ROOT / "tools"))
from sync_environment import lock_pins, render  # noqa: E402


def test_every_lock_entry_is_pinned_with_a_hash():
    text = (ROOT / "requirements.lock").read_text()
    entries = re.split(r"\n(?=[A-Za-z0-9])", text.strip())
    assert len(entries) > 20
    for entry in entries:
        if entry.startswith("#"):
            continue
        assert re.match(r"^[A-Za-z0-9_.\-\[\]]+==\S+", entry), entry[:80]
        assert "--hash=sha256:" in entry, f"no hash for {entry.splitlines()[0]}"


def test_environment_yml_installs_exactly_the_lock_pins():
    pins = lock_pins((ROOT / "requirements.lock").read_text())
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    pip_section = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
    assert sorted(pip_section) == sorted(pins), "environment.yml drifted: run `make lock`"
    assert "python=3.11" in env["dependencies"]
    assert (ROOT / "environment.yml").read_text() == render(pins)


def test_lab_lock_keeps_the_build_pins():
    build = set(lock_pins((ROOT / "requirements.lock").read_text()))
    lab = set(lock_pins((ROOT / "requirements-lab.lock").read_text()))
    assert build <= lab, f"lab lock changes build pins: {sorted(build - lab)[:5]}"


def test_build_environment_leaves_out_the_jupyter_metapackage():
    # measured-facts: the metapackage's jsonschema format checkers add ~1.8 s to every CLI call
    names = {p.split("==")[0].lower() for p in lock_pins((ROOT / "requirements.lock").read_text())}
    assert "jupyter" not in names and "rfc3987-syntax" not in names


def _imported_top_modules(folder) -> set[str]:
    """Top-level names of the absolute imports in every .py file below folder."""
    import ast

    names = set()
    for path in folder.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names.add(node.module.split(".")[0])
    return names


def _undeclared(folder, declared: set[str]) -> list[str]:
    import importlib.metadata

    def norm(name: str) -> str:
        return re.sub(r"[-_.]+", "-", name).lower()

    dists = importlib.metadata.packages_distributions()
    local = {p.stem for p in folder.glob("*.py")} | {"newsbrief", "conftest", "sync_environment"}
    out = []
    for module in sorted(_imported_top_modules(folder) - set(sys.stdlib_module_names) - local):
        if not {norm(d) for d in dists.get(module, [module])} & declared:
            out.append(module)
    return out


def test_every_imported_package_is_declared_where_it_belongs():
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]

    def names(specs):
        return {re.sub(r"[-_.]+", "-", re.split(r"[<>=!~\[; ]", s)[0]).lower() for s in specs}

    runtime = names(project["dependencies"])
    test = names(project["optional-dependencies"]["test"])
    assert not _undeclared(ROOT / "src", runtime), "imported by the package, not in dependencies"
    assert not _undeclared(ROOT / "tests", runtime | test), "imported by tests, not declared"
    assert not {"pytest", "hypothesis"} & runtime, "test tools belong in the test extra"
