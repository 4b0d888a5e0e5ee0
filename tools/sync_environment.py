"""Regenerate environment.yml from requirements.lock, so conda users get the same pins.

python tools/sync_environment.py   (run by `make lock`; tests/test_environment.py fails on drift)
"""
from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PIN = re.compile(r"^([A-Za-z0-9_.\-\[\]]+)==([^\s\\;]+)", re.M)


def lock_pins(lock_text: str) -> list[str]:
    """'name==version' for every pin in a pip lock file, in file order."""
    return [f"{name}=={version}" for name, version in PIN.findall(lock_text)]


def render(pins: list[str]) -> str:
    lines = ["# Generated from requirements.lock by tools/sync_environment.py: do not edit by hand.",
             "# conda env create -f environment.yml && conda activate newsbrief",
             "name: newsbrief", "channels:", "  - conda-forge", "dependencies:",
             "  - python=3.11", "  - pip", "  - pip:"]
    lines += [f"      - {pin}" for pin in pins]
    return "\n".join(lines) + "\n"


def main() -> int:
    pins = lock_pins((ROOT / "requirements.lock").read_text(encoding="utf-8"))
    (ROOT / "environment.yml").write_text(render(pins), encoding="utf-8")
    print(f"environment.yml: {len(pins)} pins")
    return 0


if __name__ == "__main__":
    sys.exit(main())
