"""Real-component policy for the validator tests in tests/check/ (netweave.check.*).

A validator whose tool (vtysh, yanglint), package (nvueschema, pyavd) or model set is missing skips its
tests with the reason on a developer machine and fails them under CI=true, where a silent skip would hide
that a published-model check stopped running (the policy of tests/conftest.py).
"""

from __future__ import annotations

import shutil
from pathlib import Path

from tests.conftest import in_ci, require

__all__ = ["in_ci", "require", "require_tool", "sample"]

SAMPLES = Path(__file__).resolve().parents[1] / "checks" / "samples"
"""Hand-made reference configs, one leaf per NOS (tests/checks/samples/NOTES.md says where each comes from)."""


def require_tool(name: str, package: str) -> str:
    """Path of executable `name`; skip (fail in CI) when it is not installed."""
    path = shutil.which(name)
    require(path is not None, f"{name} not installed (Debian package {package})")
    assert path is not None
    return path


def sample(relpath: str) -> str:
    """Text of a reference sample under tests/checks/samples."""
    return (SAMPLES / relpath).read_text()
