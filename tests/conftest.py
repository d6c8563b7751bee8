"""Shared fixtures: the bundled lab design, design builders, the CLI runner, and the real-component policy."""

from __future__ import annotations

import copy
import os
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from netweave.cli import app

REPO = Path(__file__).resolve().parents[1]
LAB_DESIGN = REPO / "stacks" / "lab" / "design.yaml"


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() in ("1", "true", "yes")


def require(condition: bool, reason: str) -> None:
    """Skip when a real component is missing, except in CI where a missing component is a failure."""
    if condition:
        return
    if in_ci():
        pytest.fail(f"CI=true but a required component is missing: {reason}")
    pytest.skip(reason)


def require_kernel(condition: bool, reason: str) -> None:
    """Skip, in CI too, when this machine's kernel lacks a feature: unlike a package, a kernel feature is not
    something the project's own files can install (this VM's kernel has no module loading), so a failure would
    only say which kernel CI runs. The reason names the feature; the closing notes list such skips."""
    if not condition:
        pytest.skip(f"kernel feature missing on this machine (not installable by the project): {reason}")


def require_tool(name: str) -> str:
    path = shutil.which(name)
    require(path is not None, f"{name} is not installed")
    assert path is not None
    return path


@pytest.fixture
def lab_data() -> dict[str, Any]:
    """The bundled lab design as plain data (a fresh copy per test)."""
    return copy.deepcopy(yaml.safe_load(LAB_DESIGN.read_text()))


@pytest.fixture
def write_design(tmp_path: Path) -> Callable[[dict[str, Any] | str], Path]:
    """Write a design (data or raw text) to a temporary file and return its path."""
    counter = iter(range(1_000_000))

    def write(content: dict[str, Any] | str) -> Path:
        path = tmp_path / f"design{next(counter)}.yaml"
        path.write_text(content if isinstance(content, str) else yaml.safe_dump(content, sort_keys=False))
        return path

    return write


@pytest.fixture
def cli() -> Callable[..., Any]:
    """Run `netweave ARGS...` in-process; returns the click Result (exit_code, stdout, stderr)."""
    runner = CliRunner()

    def run(*args: str) -> Any:
        return runner.invoke(app, [str(a) for a in args], catch_exceptions=False)

    return run


def fabric(data: dict[str, Any]) -> dict[str, Any]:
    """The first fabric of a design dict (what most tests edit)."""
    return data["sites"][0]["fabrics"][0]


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        default=False,
        help="rewrite the goldens (configs, network.json, error logs) from the current code (review the diff)",
    )


def assert_secret_absent(secret: str, user: str, *texts: str, directory: Path | None = None) -> None:
    """Neither `secret` nor its HTTP Basic form (user:secret, base64) in any text or in any file under
    `directory`: credentials must never reach output, logs, backups or state."""
    import base64

    forms = [secret, base64.b64encode(f"{user}:{secret}".encode()).decode()]
    for text in texts:
        for form in forms:
            assert form not in text
    if directory is not None and directory.exists():
        for path in directory.rglob("*"):
            if path.is_file():
                data = path.read_bytes()
                for form in forms:
                    assert form.encode() not in data, path


HOST_BOUND = (
    "tests/lab/",
    "tests/apply/",
    "tests/napalm_frr/",
    "tests/napalm_sonic/",
    "tests/napalm_nvue/",
    "tests/pulumi/",
    "tests/test_reliability_state.py",
)
"""Tests that start network namespaces, FRR daemons, sshd or device fakes, measure round-trip times, or wait on
commit-confirm timers. `make test` runs the suite on every core (pytest-xdist); these all go to one worker, one
after another, so two labs never share the host's root namespace checks and no timing test competes with another
lab. The other worker takes the pure-Python tests meanwhile."""
HOST_FIXTURES = {"lab_session", "require_frr"}


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Put every host-bound test (HOST_BOUND, or any test using a lab fixture) into one xdist group."""
    host = pytest.mark.xdist_group("host")
    for item in items:
        relative = item.path.relative_to(REPO).as_posix() if item.path.is_relative_to(REPO) else ""
        fixtures = set(getattr(item, "fixturenames", ()))
        if relative.startswith(HOST_BOUND) or fixtures & HOST_FIXTURES:
            item.add_marker(host)
