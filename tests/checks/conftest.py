"""Shared helpers for the config-checker tests.

Real-component tests (vtysh, yanglint, the shared YANG models) skip with a reason when the
component is missing on a developer machine, but FAIL when ``CI=true``: in CI a missing tool
means the pipeline is broken, and a silent skip would hide that every real check stopped
running.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from tests.support.check_env import SAMPLES, in_ci, require, require_tool  # noqa: F401  (one policy)
from tests.support.reference import find_shared_dir


@pytest.fixture
def vtysh() -> str:
    return require_tool("vtysh", "frr")


@pytest.fixture
def yanglint() -> str:
    return require_tool("yanglint", "libyang2-tools")


@pytest.fixture
def shared_dir() -> Path:
    shared = find_shared_dir()
    require(
        shared is not None and (shared / "reference/yang").is_dir(),
        "shared reference dir not found (set NETWEAVE_SHARED to the dir holding reference/yang)",
    )
    assert shared is not None
    return shared


@pytest.fixture
def srlinux_ready(yanglint: str, shared_dir: Path) -> None:
    """yanglint and the SR Linux models are both present."""


@pytest.fixture
def sample() -> Callable[[str], str]:
    """Loader for the reference samples under tests/checks/samples (path relative to it)."""

    def load(relpath: str) -> str:
        return (SAMPLES / relpath).read_text()

    return load
