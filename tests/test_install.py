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
    shutil.copytree(REPO, source, ignore=shutil.ignore_patterns(".venv", "venv", ".git", "build", "*.egg-info",
                                                                  "__pycache__", ".pytest_cache", ".ruff_cache"))
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True)
    pip = env_dir / "bin" / "pip"
    subprocess.run([str(pip), "install", "--quiet", "--disable-pip-version-check", str(source)], check=True,
                   cwd=tmp_path, timeout=600)
    shutil.rmtree(source)  # the installed package must not need the checkout
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    design = elsewhere / "design.yaml"
    shutil.copy(LAB_DESIGN, design)
    netweave = env_dir / "bin" / "netweave"
    validated = subprocess.run([str(netweave), "validate", "design.yaml"], cwd=elsewhere, capture_output=True,
                               text=True, timeout=120)
    assert validated.returncode == 0, validated.stderr
    shown = subprocess.run([str(netweave), "show", "design.yaml", "devices", "--format", "json"], cwd=elsewhere,
                           capture_output=True, text=True, timeout=120)
    assert shown.returncode == 0 and '"leaf4"' in shown.stdout
    checked = subprocess.run([str(netweave), "schema", "--check"], cwd=elsewhere, capture_output=True, text=True,
                             timeout=120)
    assert checked.returncode == 0, checked.stderr
    located = subprocess.run([str(env_dir / "bin" / "python"), "-c",
                              "import netweave.resources as r; print(r.resource_dir('schemas'))"],
                             cwd=elsewhere, capture_output=True, text=True, timeout=60)
    assert "site-packages/netweave/schemas" in located.stdout
    assert sys.prefix not in located.stdout


def test_every_python_package_is_listed_for_the_wheel() -> None:
    """setuptools packages are listed explicitly (modules/ etc. are remapped); a forgotten one breaks installs."""
    import tomllib

    listed = set(tomllib.loads((REPO / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"])
    found = {".".join(p.parent.relative_to(REPO / "src").parts) for p in (REPO / "src").rglob("__init__.py")}
    assert found - listed == set(), "add these to [tool.setuptools] packages in pyproject.toml"
