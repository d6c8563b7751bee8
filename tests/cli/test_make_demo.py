"""`make demo` says what it does in a few lines, and a second run does not set up again (issue: quiet installs).

Runs the real Makefile in a temporary copy of the repository with this test run's virtualenv (`-o` keeps make
from reinstalling it: the copy's pyproject.toml is newer than the venv).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from tests.conftest import REPO, require


def test_make_demo_is_short_and_the_second_run_skips_setup(tmp_path: Path) -> None:
    require(shutil.which("make") is not None and shutil.which("dot") is not None, "make or graphviz missing")
    copy = tmp_path / "repo"
    copy.mkdir()
    for item in ("Makefile", "pyproject.toml", "stacks", "src", "schemas"):
        source = REPO / item
        if source.is_dir():
            shutil.copytree(source, copy / item, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(source, copy / item)
    venv = Path(sys.prefix)
    make = ["make", "--no-print-directory", "-C", str(copy), "demo", f"VENV={venv}", "-o", f"{venv}/bin/netweave"]
    first = subprocess.run(make, capture_output=True, text=True, timeout=600)
    assert first.returncode == 0, first.stderr
    lines = first.stdout.strip().splitlines()
    assert len(lines) <= 4, lines
    assert lines[0].startswith("stacks/lab/design.yaml: valid") and lines[-1].startswith("next: ")
    assert any("open " in line and "index.html" in line for line in lines)
    assert (copy / "build" / "lab" / "docs" / "index.html").is_file()
    second = subprocess.run(make, capture_output=True, text=True, timeout=600)
    assert second.returncode == 0 and "setting up" not in second.stdout
