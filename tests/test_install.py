"""A plain `pip install .` into a fresh virtualenv, run from another directory, validates and shows the example.

This proves modules/, templates/ and schemas/ ship inside the wheel and the entry-point registry works
outside the source tree.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import venv
from pathlib import Path

import pytest

from tests.conftest import LAB_DESIGN, REPO

pytestmark = pytest.mark.slow


def test_wheel_install_in_fresh_venv(tmp_path: Path) -> None:
    source = tmp_path / "src"
    shutil.copytree(
        REPO,
        source,
        ignore=shutil.ignore_patterns(
            ".venv",
            "venv",
            ".git",
            "build",
            "*.egg-info",
            "__pycache__",
            ".pytest_cache",
            ".ruff_cache",
            ".mypy_cache",
            "node_modules",
        ),
    )
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True)
    pip = env_dir / "bin" / "pip"
    subprocess.run(
        [str(pip), "install", "--quiet", "--disable-pip-version-check", str(source)],
        check=True,
        cwd=tmp_path,
        timeout=600,
    )
    shutil.rmtree(source)  # the installed package must not need the checkout
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    design = elsewhere / "design.yaml"
    shutil.copy(LAB_DESIGN, design)
    netweave = env_dir / "bin" / "netweave"
    validated = subprocess.run(
        [str(netweave), "validate", "design.yaml"], cwd=elsewhere, capture_output=True, text=True, timeout=120
    )
    assert validated.returncode == 0, validated.stderr
    shown = subprocess.run(
        [str(netweave), "show", "design.yaml", "devices", "--format", "json"],
        cwd=elsewhere,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert shown.returncode == 0 and '"leaf4"' in shown.stdout
    written = subprocess.run(
        [str(netweave), "schema", "--output", "schemas"], cwd=elsewhere, capture_output=True, text=True, timeout=120
    )
    assert written.returncode == 0, written.stderr
    checked = subprocess.run(
        [str(netweave), "schema", "--check"], cwd=elsewhere, capture_output=True, text=True, timeout=120
    )
    assert checked.returncode == 0, checked.stderr
    published = (REPO / "schemas" / "design.schema.json").read_bytes()
    assert published == (elsewhere / "schemas" / "design.schema.json").read_bytes()
    located = subprocess.run(
        [str(env_dir / "bin" / "python"), "-c", "import netweave.nos.base as b; print(b.BUILTIN_TEMPLATES)"],
        cwd=elsewhere,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert "site-packages/netweave/render/templates" in located.stdout
    assert sys.prefix not in located.stdout


def test_every_python_package_is_found_for_the_wheel() -> None:
    """Every folder of src/netweave with Python files is a package (an __init__.py), or setuptools skips it."""
    folders = {p.parent for p in (REPO / "src").rglob("*.py") if "__pycache__" not in p.parts}
    missing = sorted(str(f.relative_to(REPO)) for f in folders if not (f / "__init__.py").is_file())
    assert missing == [], "add an __init__.py to these folders so the wheel carries them"
