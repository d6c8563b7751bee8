"""`pulumi up` of the lab stack minus the CLI: the stack's own program under Pulumi mocks, with a mock
engine that does what the engine does with a dynamic provider (check, then create, or diff and update
against the previous run's outputs), against a real FRR lab of the stack's design."""

from __future__ import annotations

import itertools
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pulumi
import pytest
from pulumi.runtime import rpc

from netweave.lab.verify import verify
from netweave.pulumi.inputs import SECRET_OUTPUTS
from netweave.pulumi.provider import DeviceConfigProvider
from tests.apply.conftest import Labs
from tests.conftest import LAB_DESIGN
from tests.pulumi.conftest import SECRET, USER, Mocks, assert_no_secret, lab_name
from tests.pulumi.test_stacks_mocked import run_stack

pytestmark = pytest.mark.real


def unwrap(value: Any) -> Any:
    """Secrets as the engine hands them to a dynamic provider (which does not accept secrets): plain."""
    if isinstance(value, dict):
        if value.get(rpc._special_sig_key) == rpc._special_secret_sig:
            return unwrap(value["value"])
        return {k: unwrap(v) for k, v in value.items()}
    if isinstance(value, list):
        return [unwrap(v) for v in value]
    return value


@dataclass
class EngineMocks(Mocks):
    """The engine's part of `pulumi up` for DeviceConfig resources, with `state` as the stack state."""

    state: dict[str, dict[str, Any]] = field(default_factory=dict)
    operations: dict[str, str] = field(default_factory=dict)
    times: dict[str, tuple[float, float]] = field(default_factory=dict)
    """device -> (started, finished) of its provider operation."""
    lock: threading.Lock = field(default_factory=threading.Lock)

    def new_resource(self, args: pulumi.runtime.MockResourceArgs) -> tuple[str | None, dict[str, Any]]:
        if not args.typ.endswith(":DeviceConfig"):
            return super().new_resource(args)
        with self.lock:
            self.resources.append(args)
            old = self.state.get(args.name)
        started = time.monotonic()
        provider = DeviceConfigProvider()
        checked = provider.check(old or {}, unwrap(args.inputs))
        assert checked.failures == [], [(f.property, f.reason) for f in checked.failures]
        if old is None:
            outs, operation = provider.create(checked.inputs).outs, "create"
        elif provider.diff(args.name, old, checked.inputs).changes:
            outs, operation = provider.update(args.name, old, checked.inputs).outs, "update"
        else:
            outs, operation = old, "same"
        with self.lock:
            self.state[args.name], self.operations[args.name] = outs, operation
            self.times[args.name] = (started, time.monotonic())
        # the engine keeps additional_secret_outputs secret (mocks do not): do it here
        secret = {
            k: {rpc._special_sig_key: rpc._special_secret_sig, "value": outs[k]} for k in SECRET_OUTPUTS if outs.get(k)
        }
        return args.name, {**outs, **secret}


def test_lab_stack_up_applies_the_fabric_then_changes_nothing(
    labs: Labs, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    name = lab_name("stack")
    lab = labs.design_lab(LAB_DESIGN, name)
    state = labs.up(lab, fresh=True)  # hostname-only nodes: the stack configures everything
    overrides = {"lab": name, "backupDir": str(tmp_path / "build"), "username": USER, "password": SECRET}

    first = EngineMocks()
    run_stack("lab", overrides, monkeypatch, first)
    assert first.operations == dict.fromkeys(lab.network.device_by_name, "create")
    assert sorted(first.outputs["devicesChanged"]) == sorted(lab.network.device_by_name)
    assert all(outs["status"] == "applied" and outs["confirmed"] for outs in first.state.values())
    batches = [["spine1", "spine2"], ["leaf1", "leaf2"], ["leaf3", "leaf4"]]  # batchSize 2 (Pulumi.lab.yaml)
    for earlier, later in itertools.pairwise(batches):  # depends_on: one batch at a time
        assert min(first.times[d][0] for d in later) >= max(first.times[d][1] for d in earlier)
    outcome = verify(state, lab.network, timeout=30)  # sessions, ECMP routes, loopback pings
    assert outcome.ok, outcome.failures

    second = EngineMocks(state=dict(first.state))
    run_stack("lab", overrides, monkeypatch, second)
    assert second.operations == dict.fromkeys(lab.network.device_by_name, "same")
    texts = [repr({k: v for k, v in outs.items() if k != "password"}) for outs in first.state.values()]
    assert_no_secret(*texts, directory=tmp_path / "build")
