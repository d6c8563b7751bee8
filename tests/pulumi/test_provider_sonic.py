"""The DeviceConfig provider (called directly, as the Pulumi engine would; the CLI cannot run here) on
SONiC devices: netweave's SONiC driver over SSH to fake switches (tests/support/sonic_fake: SONiC's
documented config/show commands over a CONFIG_DB file, real FRR in a namespace as the bgp container)."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

import netweave
from netweave.napalm_sonic import SONiCDriver
from netweave.pulumi.fabric import FabricOptions, plan_fabric
from netweave.pulumi.inputs import config_hash
from netweave.pulumi.provider import DeviceConfigProvider
from tests.napalm_sonic.conftest import DESIGN
from tests.pulumi.conftest import SECRET, USER, assert_no_secret
from tests.support.sonic_fake.lab import SonicLab, SonicLabs

pytestmark = pytest.mark.real


@pytest.fixture
def sonic_labs(require_lab: None, tmp_path: Path) -> Iterator[SonicLabs]:
    labs = SonicLabs(tmp_path / "sonic", USER, SECRET)
    yield labs
    left = labs.stop()
    if left:
        pytest.fail(f"fake SONiC teardown left something behind: {left}")


def running(lab: SonicLab, name: str) -> str:
    conn = SONiCDriver("127.0.0.1", USER, SECRET, optional_args=lab.options(name))
    conn.open()
    try:
        return str(conn.get_config(retrieve="running")["running"])
    finally:
        conn.close()


def props_of(design: Path, inventory: Path, build: Path) -> dict[str, dict[str, Any]]:
    options = FabricOptions(
        inventory=str(inventory), backup_dir=str(build), confirm_seconds=60, health_timeout=30, settle=1.0
    )
    plan = plan_fabric(design, options)
    return {name: {**props, "username": USER, "password": SECRET} for name, props in plan.devices.items()}


def test_create_diff_update_read_on_fake_sonic(sonic_labs: SonicLabs, tmp_path: Path) -> None:
    """Factory switches: create applies each device's CONFIG_DB + FRR bundle with commit-confirm and a
    health check; the same config diffs empty; a new loopback pool updates in place; read is in sync."""
    data = copy.deepcopy(DESIGN)
    design = tmp_path / "design.yaml"
    design.write_text(yaml.safe_dump(data, sort_keys=False))
    lab = sonic_labs.start(netweave.expand(netweave.load(design)))
    inventory = sonic_labs.inventory(lab, tmp_path / "inventory.yaml")
    build = tmp_path / "build"
    props = props_of(design, inventory, build)
    provider = DeviceConfigProvider()
    messages: list[str] = []

    outs: dict[str, dict[str, Any]] = {}
    for device in ("spine1", "leaf1", "leaf2"):
        assert props[device]["driver"] == "sonic"
        checked = provider.check({}, props[device])
        assert checked.failures == []
        outs[device] = provider.create(checked.inputs).outs
        assert outs[device]["status"] == "applied" and outs[device]["confirmed"] is True, outs[device]["error"]
        assert outs[device]["inSync"] is True and outs[device]["runningHash"] == config_hash(running(lab, device))
        messages.append(repr({k: v for k, v in outs[device].items() if k != "password"}))
    assert outs["leaf2"]["healthCheck"]["ok"] and outs["leaf2"]["healthCheck"]["expected"] == ["10.1.0.32"]
    for device in outs:
        assert provider.diff(device, outs[device], props[device]).changes is False

    data["sites"][0]["fabrics"][0]["addressing"]["loopbacks"] = "10.0.1.0/24"
    design.write_text(yaml.safe_dump(data, sort_keys=False))
    changed = props_of(design, inventory, build)
    leaf1 = outs["leaf1"]
    assert provider.diff("leaf1", leaf1, changed["leaf1"]).changes is True
    updated = provider.update("leaf1", leaf1, changed["leaf1"]).outs
    assert updated["status"] == "applied" and updated["healthCheck"]["ok"], updated["error"]
    assert "+ LOOPBACK_INTERFACE|Loopback0|10.0.1.17/32" in updated["diff"].splitlines()
    refreshed = provider.read("leaf1", updated)
    assert refreshed.outs["inSync"] is True and refreshed.outs["runningHash"] == config_hash(running(lab, "leaf1"))
    messages.append(repr({k: v for k, v in updated.items() if k != "password"}))
    assert_no_secret(*messages, directory=build)
