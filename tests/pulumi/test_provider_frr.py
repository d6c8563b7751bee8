"""The DeviceConfig provider's check/diff/create/update/read/delete called directly (as the Pulumi
engine would, minus the CLI that cannot be installed here) against real FRR daemons in network
namespaces, reached through netweave's NAPALM FRR driver over its netns transport."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import napalm
import pytest

from netweave.lab.naming import netns_name
from netweave.lab.verify import verify
from netweave.pulumi.fabric import FabricOptions, plan_fabric
from netweave.pulumi.inputs import config_hash
from netweave.pulumi.provider import DeviceConfigProvider
from tests.apply.conftest import Labs, fabric_data, fabric_of, write
from tests.pulumi.conftest import SECRET, USER, assert_no_secret, lab_name

pytestmark = pytest.mark.real


def running(lab: str, device: str) -> str:
    driver = napalm.get_network_driver("frr")(device, "", "", optional_args={"netns": netns_name(lab, device)})
    driver.open()
    try:
        return driver.get_config(retrieve="running")["running"]
    finally:
        driver.close()


def without_password(outs: dict[str, Any]) -> dict[str, Any]:
    """Outputs minus `password` itself: the state must keep the login for later operations, which is
    why DeviceConfig lists it in additional_secret_outputs; no other output may contain it."""
    assert outs["password"] == SECRET
    return {k: v for k, v in outs.items() if k != "password"}


def device_props(design: Path, lab: str, build: Path, **options: Any) -> dict[str, dict[str, Any]]:
    """Every device's inputs as the Fabric registers them, plus the (secret) login."""
    fast = {"confirm_seconds": 60, "health_timeout": 20, "settle": 1.0, **options}
    plan = plan_fabric(design, FabricOptions(lab=lab, backup_dir=str(build), **fast))
    return {name: {**props, "username": USER, "password": SECRET} for name, props in plan.devices.items()}


def _create_in_batch_order(
    provider: DeviceConfigProvider, props: dict[str, dict[str, Any]], lab: str, build: Path, messages: list[str]
) -> dict[str, dict[str, Any]]:
    """Create every device in the Fabric's batch order (depends_on); check what each create reports."""
    outs: dict[str, dict[str, Any]] = {}
    for device in ("spine1", "spine2", "leaf1", "leaf2"):
        checked = provider.check({}, props[device])
        assert checked.failures == []
        created = provider.create(checked.inputs)
        assert created.id == device
        outs[device] = created.outs
        assert outs[device]["status"] == "applied" and outs[device]["changed"] is True
        assert outs[device]["confirmed"] is True and outs[device]["inSync"] is True  # FRR's commit-confirm
        assert outs[device]["configHash"] == props[device]["configHash"]  # inputs are inside the outputs
        assert outs[device]["runningHash"] == config_hash(running(lab, device))
        assert "+ router bgp" in outs[device]["diff"]
        assert "router bgp" not in outs[device]["baseline"]  # the fresh node's config, kept for restore
        assert Path(outs[device]["backup"]).is_relative_to(build / "backups" / f"lab-{lab}")
        messages.append(repr(without_password(created.outs)))
    return outs


def test_create_diff_update_read_delete_on_real_frr(labs: Labs, tmp_path: Path) -> None:
    """Fresh nodes (hostname only): create applies each config in batch order with commit-confirm and
    a health check; the same config diffs empty, a changed design diffs as a change (not a replace);
    update applies it; read reports the running hash; delete forgets and leaves the device running
    its config."""
    name = lab_name("life")
    design = write(tmp_path / "design.yaml", fabric_data())
    state = labs.up(labs.design_lab(design, name), fresh=True)
    build = tmp_path / "build"
    props = device_props(design, name, build)
    provider = DeviceConfigProvider()
    messages: list[str] = []

    outs = _create_in_batch_order(provider, props, name, build, messages)
    leaf1 = outs["leaf1"]
    assert leaf1["healthCheck"]["ok"] and sorted(leaf1["healthCheck"]["expected"]) == ["10.1.0.0", "10.1.0.2"]
    assert "router bgp 4200000001" in running(name, "leaf1")

    for device in outs:  # same config: nothing to do
        same = provider.diff(device, outs[device], props[device])
        assert same.changes is False and same.replaces == []

    data = fabric_data()
    fabric_of(data)["addressing"]["loopbacks"] = "10.0.1.0/24"
    changed = device_props(write(tmp_path / "changed.yaml", data), name, build)
    moved = provider.diff("leaf1", leaf1, changed["leaf1"])
    assert moved.changes is True and moved.replaces == []
    renamed = provider.diff("leaf1", leaf1, {**changed["leaf1"], "device": "leaf9"})
    assert renamed.replaces == ["device"]
    retargeted = provider.diff("leaf1", leaf1, {**props["leaf1"], "optionalArgs": {"netns": "elsewhere"}})
    assert retargeted.changes is True and retargeted.replaces == []

    updated = provider.update("leaf1", leaf1, changed["leaf1"]).outs
    assert updated["status"] == "applied" and updated["configHash"] == changed["leaf1"]["configHash"]
    assert "+  ip address 10.0.1.33/32" in updated["diff"].splitlines()
    assert "-  ip address 10.0.0.33/32" in updated["diff"].splitlines()
    assert updated["healthCheck"]["ok"]  # sessions up before the change stayed up after it
    assert updated["baseline"] == leaf1["baseline"]
    assert provider.diff("leaf1", updated, changed["leaf1"]).changes is False
    messages.append(repr(without_password(updated)))

    refreshed = provider.read("leaf1", updated)
    now = running(name, "leaf1")
    assert refreshed.id == "leaf1" and refreshed.outs["inSync"] is True
    assert refreshed.outs["runningHash"] == config_hash(now) and "10.0.1.33/32" in now

    before = running(name, "spine1")
    provider.delete("spine1", outs["spine1"])  # onDelete: forget
    assert running(name, "spine1") == before and "router bgp 65100" in before

    assert state.nodes  # the lab itself is untouched; the fixture tears it down
    assert_no_secret(*messages, directory=build)


def test_dry_run_adopt_restore_and_an_unhealthy_change(labs: Labs, tmp_path: Path) -> None:
    """On a lab already running its design: dryRun records the diff and commits nothing (and stays out
    of sync, so the real run is an update); that update adopts the device and applies the change,
    keeping every session that was up; delete with onDelete=restore puts back the config the device
    had before; a change that breaks a session is rolled back on the device and fails the operation
    with a message naming the session and carrying no credential."""
    name = lab_name("adopt")
    data = fabric_data()
    design = write(tmp_path / "design.yaml", data)
    lab = labs.design_lab(design, name)
    state = labs.up(lab)  # every node already runs its design config
    assert verify(state, lab.network, timeout=30).ok  # sessions up: the change must keep them up
    build = tmp_path / "build"
    provider = DeviceConfigProvider()

    fabric_of(data)["addressing"]["loopbacks"] = "10.0.1.0/24"
    moved = device_props(write(tmp_path / "moved.yaml", data), name, build, on_delete="restore")["spine1"]
    before = running(name, "spine1")
    planned = provider.create({**moved, "dryRun": True}).outs
    assert planned["status"] == "planned" and planned["inSync"] is False
    assert "+  bgp router-id 10.0.1.1" in planned["diff"].splitlines()
    assert running(name, "spine1") == before  # nothing committed
    assert provider.diff("spine1", planned, moved).changes is True  # dryRun off: the real run updates

    adopted = provider.update("spine1", planned, moved).outs  # what the engine does after a dry-run create
    assert adopted["status"] == "applied" and "bgp router-id 10.0.1.1" in running(name, "spine1")
    assert sorted(adopted["healthCheck"]["expected"]) == ["10.1.0.1", "10.1.0.65"]  # up before, so required after
    assert adopted["baseline"] == before  # recorded at the first real apply
    provider.delete("spine1", adopted)  # onDelete: restore
    assert running(name, "spine1") == before

    data = fabric_data()
    fabric_of(data)["leaves"]["overrides"] = {"leaf1": {"asn": 4200000099}}  # spine1 expects a wrong ASN
    wrong = device_props(write(tmp_path / "wrong.yaml", data), name, build, health_timeout=8)["spine1"]
    current = device_props(design, name, build)["spine1"]
    with pytest.raises(RuntimeError) as failed:
        provider.update("spine1", {**current, "status": "applied", "inSync": True}, wrong)
    message = str(failed.value)
    assert "10.1.0.1" in message and "rolled back" in message and "4200000099" in message
    assert running(name, "spine1") == before
    assert_no_secret(message, repr(without_password(planned)), repr(without_password(adopted)), directory=build)
