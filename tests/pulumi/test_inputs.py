"""check and diff without a device: the input rules and the diff rule (olds are previous OUTPUTS)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from netweave.pulumi.fabric import FabricOptions, plan_fabric
from netweave.pulumi.inputs import UNKNOWN, config_hash
from netweave.pulumi.provider import DeviceConfigProvider
from tests.apply.conftest import fabric_data, fabric_of, write
from tests.pulumi.conftest import SECRET, USER, assert_no_secret


@pytest.fixture
def props(tmp_path: Path) -> dict[str, Any]:
    plan = plan_fabric(write(tmp_path / "d.yaml", fabric_data()), FabricOptions(lab="puunit", confirm_seconds=90))
    return {**plan.devices["leaf1"], "username": USER, "password": SECRET}


def outputs(props: dict[str, Any], **extra: Any) -> dict[str, Any]:
    """What a successful create returns: the inputs plus the provider's outputs."""
    return {**props, "status": "applied", "inSync": True, "changed": True, "diff": "+ x", **extra}


def test_check_accepts_a_rendered_device_and_fills_defaults(props: dict[str, Any]) -> None:
    checked = DeviceConfigProvider().check({}, {k: v for k, v in props.items() if k != "onDelete"})
    assert checked.failures == [] and checked.inputs["onDelete"] == "forget"


@pytest.mark.parametrize(
    ("change", "prop"),
    [
        ({"config": ""}, "config"),
        ({"configHash": config_hash("other")}, "configHash"),
        ({"renderError": "no renderer for NOS 'nvue'"}, "config"),
        ({"targetError": "no NAPALM driver for NOS 'nvue'"}, "driver"),
        ({"lintErrors": ["[asn-unique] x: duplicate ASN"]}, "lintErrors"),
        ({"driver": "telnet"}, "driver"),
        ({"onDelete": "wipe"}, "onDelete"),
        ({"confirmSeconds": 30, "healthTimeout": 60}, "confirmSeconds"),
        ({"optionalArgs": {"secret": SECRET}}, "optionalArgs"),
        ({"host": ""}, "host"),
    ],
)
def test_check_refuses_what_cannot_work(props: dict[str, Any], change: dict[str, Any], prop: str) -> None:
    failures = DeviceConfigProvider().check({}, {**props, **change}).failures
    assert prop in [f.property for f in failures]
    assert_no_secret(*[f.reason for f in failures])


def test_check_lets_unknown_values_through_during_preview(props: dict[str, Any]) -> None:
    unknown = {**props, "config": UNKNOWN, "configHash": UNKNOWN, "host": UNKNOWN}
    assert DeviceConfigProvider().check({}, unknown).failures == []


def test_diff_rule(props: dict[str, Any], tmp_path: Path) -> None:
    provider = DeviceConfigProvider()
    olds = outputs(props)
    assert provider.diff("leaf1", olds, props).changes is False
    data = fabric_data()
    fabric_of(data)["addressing"]["loopbacks"] = "10.0.1.0/24"
    moved = plan_fabric(write(tmp_path / "m.yaml", data), FabricOptions(lab="puunit", confirm_seconds=90))
    new = {**moved.devices["leaf1"], "username": USER, "password": SECRET}
    assert (provider.diff("leaf1", olds, new).changes, provider.diff("leaf1", olds, new).replaces) == (True, [])
    for key, value in (
        ("host", "10.9.9.9"),
        ("port", 2222),
        ("optionalArgs", {"netns": "x"}),
        ("password", "rotated"),
        ("username", "other"),
    ):
        result = provider.diff("leaf1", olds, {**props, key: value})
        assert result.changes is True and result.replaces == [], key
    for key in ("device", "nos"):
        assert provider.diff("leaf1", olds, {**props, key: "other"}).replaces == [key]
    # only the options that decide *how* to apply: no re-apply for a new timeout or backup directory
    assert provider.diff("leaf1", olds, {**props, "healthTimeout": 10, "backupDir": "/elsewhere"}).changes is False
    assert provider.diff("leaf1", olds, {**props, "host": UNKNOWN}).changes is True
    assert provider.diff("leaf1", outputs(props, inSync=False), props).changes is True  # drift found by refresh
    planned = outputs(props, status="planned", inSync=True, dryRun=True)
    assert provider.diff("leaf1", planned, props).changes is True  # dry run then for real
    assert provider.diff("leaf1", planned, {**props, "dryRun": True}).changes is False


def test_errors_never_carry_the_password(props: dict[str, Any]) -> None:
    """An unreachable device (its namespace does not exist) fails create and read with a message that
    names the device and not the login."""
    provider = DeviceConfigProvider()
    broken = {**props, "optionalArgs": {"transport": "netns", "netns": f"pu-missing-{SECRET}"}}
    for call in (lambda: provider.create(broken), lambda: provider.read("leaf1", outputs(broken))):
        with pytest.raises(RuntimeError) as failed:
            call()
        assert "leaf1" in str(failed.value)
        assert_no_secret(str(failed.value), repr(failed.value))


def test_fabric_takes_a_design_object_or_a_path(tmp_path: Path) -> None:
    import netweave

    path = write(tmp_path / "d.yaml", fabric_data())
    options = FabricOptions(lab="puunit", batch=3, only=("spine1", "leaf1", "leaf2"))
    by_path, by_object = plan_fabric(path, options), plan_fabric(netweave.load(path), options)
    assert by_path.devices == by_object.devices and list(by_path.devices) == ["spine1", "leaf1", "leaf2"]
    assert by_path.batches == [["spine1", "leaf1", "leaf2"]]
    # spine1 is in leaf1's batch (not settled); spine2 is not managed by the stack, so assumed configured
    assert by_path.devices["leaf1"]["settledPeers"] == ["10.1.0.2"]


def test_numbers_arrive_as_floats_through_the_engine(props: dict[str, Any]) -> None:
    """Protobuf carries every number as a double; 90 arrives as 90.0 and must still be valid."""
    floats = {**props, "confirmSeconds": 90.0, "healthTimeout": 60.0, "timeout": 60.0}
    assert DeviceConfigProvider().check({}, floats).failures == []
    assert "confirmSeconds" in [
        f.property for f in DeviceConfigProvider().check({}, {**floats, "confirmSeconds": 90.5}).failures
    ]


def test_outputs_never_shadow_inputs() -> None:
    """Outputs and inputs share one property namespace: an output named like an input would overwrite
    it in the state and the next diff/update would read the wrong value."""
    from netweave.pulumi.inputs import DEFAULTS, OUTPUTS

    assert set(OUTPUTS).isdisjoint({*DEFAULTS, "device", "nos", "driver", "host", "config", "configHash"})
    from netweave.pulumi.inputs import inputs_of

    assert inputs_of({"device": "x", "health": False, "healthCheck": {"ok": True}})["health"] is False
