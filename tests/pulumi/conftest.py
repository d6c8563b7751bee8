"""Fixtures for the Pulumi tests: Pulumi mocks that record registered resources, real FRR labs (always
torn down), and the credential sentinel that must never leak.

Lab names start with `pu` and carry the process id, so concurrent test runs on this machine never
share a namespace.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pulumi

from tests.apply.conftest import Labs, labs, require_lab  # noqa: F401  (shared lab fixtures)
from tests.conftest import assert_secret_absent

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


def assert_no_secret(*texts: str, directory: Path | None = None) -> None:
    """Neither this suite's password nor its HTTP Basic form in any text or file under `directory`."""
    assert_secret_absent(SECRET, USER, *texts, directory=directory)
