"""The DeviceConfig provider's create/diff/update/read called directly (as the Pulumi engine would) for
NVUE switches, played by fake Cumulus Linux switches (tests/support/nvue_fake.py: NVUE's revision API as
NVIDIA's guide documents it) and reached through netweave's `nvue` NAPALM driver over HTTPS."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from netweave.pulumi.fabric import FabricOptions, plan_fabric
from netweave.pulumi.provider import DeviceConfigProvider
from tests.apply.conftest import fabric_data, fabric_of, nvue_design, nvue_switches, write
from tests.pulumi.conftest import SECRET, USER, assert_no_secret
from tests.support.nvue_fake import FakeFabric, inventory_file


@pytest.fixture
def switches(tmp_path: Path) -> Iterator[FakeFabric]:
    """The four cabled fake NVUE switches (tests/apply/conftest.nvue_switches); always stopped."""
    with nvue_switches(tmp_path, USER, SECRET) as fake:
        yield fake


def device_props(design: Path, inventory: Path, build: Path) -> dict[str, dict[str, Any]]:
    options = FabricOptions(
        inventory=str(inventory), backup_dir=str(build), confirm_seconds=30, health_timeout=5, settle=0.5
    )
    plan = plan_fabric(design, options)
    return {name: {**props, "username": USER, "password": SECRET} for name, props in plan.devices.items()}


def test_create_diff_update_read_on_fake_nvue_switches(switches: FakeFabric, tmp_path: Path) -> None:
    """check accepts every NVUE device (a driver exists), create applies with NVUE's confirmed apply and
    a health check in batch order, the same config diffs empty, a design change updates exactly that
    change, and read reports the device in sync."""
    design = write(tmp_path / "design.yaml", nvue_design(fabric_data()))
    inventory = inventory_file(tmp_path / "inventory.yaml", switches)
    build = tmp_path / "build"
    props = device_props(design, inventory, build)
    provider = DeviceConfigProvider()
    messages: list[str] = []

    outs: dict[str, dict[str, Any]] = {}
    for device in ("spine1", "spine2", "leaf1", "leaf2"):
        assert props[device]["driver"] == "nvue" and props[device]["port"] == switches.port(device)
        checked = provider.check({}, props[device])
        assert checked.failures == []
        created = provider.create(checked.inputs).outs
        assert created is not None
        outs[device] = created
        assert outs[device]["status"] == "applied" and outs[device]["confirmed"] is True, outs[device]
        assert outs[device]["inSync"] is True
        assert "+ nv set system hostname " + device in outs[device]["diff"].splitlines()
        messages.append(repr({k: v for k, v in outs[device].items() if k != "password"}))
    assert outs["leaf1"]["healthCheck"]["ok"] and len(outs["leaf1"]["healthCheck"]["expected"]) == 2
    for device in outs:
        assert provider.diff(device, outs[device], props[device]).changes is False

    data = nvue_design(fabric_data())
    fabric_of(data)["addressing"]["loopbacks"] = "10.0.1.0/24"
    changed = device_props(write(tmp_path / "changed.yaml", data), inventory, build)
    assert provider.diff("leaf1", outs["leaf1"], changed["leaf1"]).changes is True
    updated = provider.update("leaf1", outs["leaf1"], changed["leaf1"]).outs
    assert updated is not None
    assert updated["status"] == "applied" and updated["healthCheck"]["ok"], updated
    assert "+ nv set router bgp router-id 10.0.1.33" in updated["diff"].splitlines()
    refreshed = provider.read("leaf1", updated).outs
    assert refreshed is not None and refreshed["inSync"] is True
    messages.append(repr({k: v for k, v in updated.items() if k != "password"}))
    assert_no_secret(*messages, directory=build)
