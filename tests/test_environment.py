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
