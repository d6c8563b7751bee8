"""Fixtures for the Pulumi tests: Pulumi mocks that record registered resources, real FRR labs (always
torn down), and the credential sentinel that must never leak.

Lab names start with `pu` and carry the process id, so concurrent test runs on this machine never
share a namespace.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pulumi
import pytest

from tests.apply.conftest import Labs, missing_for_lab
from tests.conftest import assert_secret_absent, require

SECRET = "Sentinel-pu-7d41e"
"""The password the tests hand to stacks and providers; it must appear in no output, file or message."""
USER = "netops"


@dataclass
class Mocks(pulumi.runtime.Mocks):
    """Pulumi's engine stand-in (the CLI cannot run here): records every registered resource and
    answers with its inputs as outputs, plus `changed` for DeviceConfig like a real create would."""

    resources: list[pulumi.runtime.MockResourceArgs] = field(default_factory=list)
    outputs: dict[str, Any] = field(default_factory=dict)

    def new_resource(self, args: pulumi.runtime.MockResourceArgs) -> tuple[str | None, dict[str, Any]]:
        self.resources.append(args)
        state = dict(args.inputs)
        if args.typ.endswith(":DeviceConfig"):
            state.update(changed=True, status="applied", inSync=True)
        return f"{args.name}-id", state

    def call(self, args: pulumi.runtime.MockCallArgs) -> tuple[dict[str, Any], list[tuple[str, str]] | None]:
        return {}, None

    def of_type(self, suffix: str) -> list[pulumi.runtime.MockResourceArgs]:
        return [r for r in self.resources if r.typ.endswith(suffix)]


def lab_name(tag: str) -> str:
    """A lab name unique to this process ([a-z0-9_], at most 20 characters)."""
    return f"pu{tag}{os.getpid()}"[:20]


@pytest.fixture
def require_lab() -> None:
    """Skip without root/FRR; fail instead under CI=true."""
    missing = missing_for_lab()
    require(not missing, "real FRR lab needs: " + ", ".join(missing))


@pytest.fixture
def labs(require_lab: None, tmp_path: Path) -> Iterator[Labs]:
    """Labs for one test; ALWAYS torn down, also when the test fails, and checked to leave nothing."""
    from netweave.lab import down, existing_leftovers

    tracker = Labs(tmp_path / "labstate")
    yield tracker
    errors = []
    for name in tracker.started:
        try:
            down(name, tracker.state_dir)
            if leftovers := existing_leftovers(name):
                errors.append(f"{name}: {leftovers}")
        except Exception as exc:  # keep tearing the others down, then fail
            errors.append(f"{name}: {exc!r}")
    if errors:
        pytest.fail("lab teardown left something behind: " + "; ".join(errors))


def assert_no_secret(*texts: str, directory: Path | None = None) -> None:
    """Neither this suite's password nor its HTTP Basic form in any text or file under `directory`."""
    assert_secret_absent(SECRET, USER, *texts, directory=directory)
