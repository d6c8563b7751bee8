"""ARCHITECTURE.md is the one-screen map: every package of src/netweave is on it, and its rules of the road are
the ones the repository enforces (paths and entry points are checked with the README's in test_paths.py).
"""

from __future__ import annotations

import re

from netweave import pipeline
from tests.conftest import REPO
from tests.support import readme

MAP = readme.text("ARCHITECTURE.md")
FLAT = re.sub(r"\s+", " ", MAP)


def _packages() -> list[str]:
    root = REPO / "src" / "netweave"
    return sorted(path.parent.name for path in root.glob("*/__init__.py"))


def test_every_package_is_on_the_map() -> None:
    missing = [name for name in _packages() if not re.search(rf"`{name}/", MAP)]
    assert missing == [], f"packages ARCHITECTURE.md does not place: {missing}"


def test_the_map_checker_sees_a_missing_package() -> None:
    assert len(_packages()) >= 20 and not re.search(r"`nonexistent/", MAP)


def test_pipeline_runs_validate() -> None:
    """'`src/netweave/pipeline.py` runs the first three (`validate`)': load, expand, lint."""
    assert "`src/netweave/pipeline.py` runs the first three (`validate`)" in FLAT
    source = (REPO / "src" / "netweave" / "pipeline.py").read_text()
    body = source[source.index("def validate(") :]
    assert callable(pipeline.validate) and all(step in body for step in ("load", "expand", "lint"))


def test_make_lint_is_what_the_map_says() -> None:
    """'`make lint` runs ruff (with complexity rules), `ruff format --check` and mypy over `src/`'."""
    assert "`make lint` runs ruff (with complexity rules), `ruff format --check` and mypy over `src/`" in FLAT
    makefile = (REPO / "Makefile").read_text()
    recipe = re.search(r"^lint:.*?\n((?:\t.*\n)+)", makefile, re.M)
    assert recipe is not None
    assert all(f"$(BIN)/{tool}" in recipe.group(1) for tool in ("ruff check src", "ruff format --check src", "mypy"))
    pyproject = (REPO / "pyproject.toml").read_text()
    assert re.search(r'^select = \[.*"C90"', pyproject, re.M) and re.search(r'^files = \["src"\]', pyproject, re.M)


def test_render_inputs_rule_has_its_test() -> None:
    """'renderers read `RenderInputs` only, a test enforces it'."""
    assert "renderers read `RenderInputs` only, a test enforces it" in FLAT
    assert "RenderInputs" in (REPO / "tests" / "test_render_inputs_contract.py").read_text()
