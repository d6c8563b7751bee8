"""Issue #20 items 1 and 12 against a real 2x2 FRR lab: one run per device at a time, spines health-checked.

Lab names carry this process's pid, so concurrent test runs on one machine never share a namespace.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import napalm
import pytest

from netweave.apply import ApplyOptions, apply
from netweave.apply.desired import Desired, lab_rendered
from netweave.apply.inventory import lab_inventory
from netweave.apply.runner import device_locks
from netweave.hostlock import holder_pid
from netweave.lab.naming import netns_name
from netweave.lab.verify import verify
from netweave.napalm_frr.commands import DEFAULT_STATE_ROOT
from tests.apply.conftest import Labs, fabric_data, fabric_of, write

pytestmark = pytest.mark.real

TIMEOUT = 180  # seconds any netweave process of these tests may take
CLI = [sys.executable, "-c", "from netweave.cli import main; main()"]


def _lab_name(tag: str) -> str:
    return f"rs{os.getpid() % 1_000_000}{tag}"


def running(lab: str, device: str) -> str:
    driver = napalm.get_network_driver("frr")(device, "", "", optional_args={"netns": netns_name(lab, device)})
    driver.open()
    try:
        return str(driver.get_config(retrieve="running")["running"])
    finally:
        driver.close()


def test_a_second_apply_on_the_same_device_is_refused_and_the_first_wins(labs: Labs, tmp_path: Path) -> None:
    """Two `apply --only leaf1` runs, the second started while the first holds leaf1: before the lock, one left leaf1 on
    the other's config while reporting its own `applied confirmed`. Now the second is refused, touches
    nothing, and leaf1 runs exactly the first run's design, confirmed (no revert timer left)."""
    lab = _lab_name("lk")
    data = fabric_data()
    labs.up(labs.design_lab(write(tmp_path / "design.yaml", data), lab))
    # a change that keeps leaf1's BGP sessions up (its loopback and router-id)
    fabric_of(data)["addressing"]["loopbacks"] = "10.0.1.0/24"
    first = write(tmp_path / "first.yaml", data)
    fabric_of(data)["addressing"]["loopbacks"] = "10.0.2.0/24"
    second = write(tmp_path / "second.yaml", data)
    common = ["--lab", lab, "--only", "leaf1", "--yes", "--format", "json", "--output", str(tmp_path / "b")]
    timing = ["--health-timeout", "30", "--settle", "2", "--confirm", "90"]
    one = subprocess.Popen([*CLI, "apply", str(first), *common, *timing], stdout=subprocess.PIPE, text=True)
    # start the second once the first holds leaf1 (a fixed 0.3 s head start lost the race on a loaded machine)
    (lock_key, _), *_ = device_locks(lab_inventory(labs.design_lab(first, lab).network, ["leaf1"], lab, {}))
    deadline = time.monotonic() + 30
    while holder_pid(lock_key) != one.pid and one.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    assert holder_pid(lock_key) == one.pid, "the first apply never took leaf1's lock"
    two = subprocess.run(
        [*CLI, "apply", str(second), *common, *timing], capture_output=True, text=True, timeout=TIMEOUT
    )
    out, _ = one.communicate(timeout=TIMEOUT)
    assert one.returncode == 0, out
    (leaf1,) = json.loads(out)["devices"]
    assert leaf1["status"] == "applied" and leaf1["confirmed"]
    assert two.returncode == 1, two.stdout + two.stderr
    assert "device leaf1 is locked by process" in two.stderr
    assert two.stdout == ""
    config = running(lab, "leaf1")
    assert " bgp router-id 10.0.1." in config and "10.0.2." not in config
    state_dir = Path(DEFAULT_STATE_ROOT) / netns_name(lab, "leaf1")
    assert not (state_dir / "pending.pid").exists()


def test_a_full_apply_health_checks_the_spines_sessions_that_were_up(labs: Labs, tmp_path: Path) -> None:
    """Spines go first in a full apply. Their leaves are configured and Established, so a spine change that
    breaks those sessions must fail its health check and be rolled back (it was confirmed with "no
    session to check yet")."""
    lab = _lab_name("hc")
    design_lab = labs.design_lab(write(tmp_path / "design.yaml", fabric_data()), lab)
    state = labs.up(design_lab)
    assert verify(state, design_lab.network, timeout=60).ok  # every session Established before the change
    names = [d.name for d in design_lab.network.devices]
    assert names[0] == "spine1"
    desired, emulated = lab_rendered(design_lab.network, names, lab)
    good = desired.devices["spine1"]
    assert "remote-as 4200000001" in good.config
    broken = good.config.replace("remote-as 4200000001", "remote-as 4200000099")
    desired.devices["spine1"] = Desired(device="spine1", config=broken, peers=good.peers)
    before = running(lab, "spine1")
    options = ApplyOptions(confirm=60, batch=1, health_timeout=8, settle=1)
    report = apply(lab_inventory(design_lab.network, names, lab, emulated), desired, tmp_path / "b", options)
    spine1 = report.devices[0]
    assert spine1.status == "rolled-back", spine1
    assert spine1.health is not None and spine1.health.down == ["10.1.0.1"]
    assert sorted(spine1.health.expected) == sorted(key for key, _ in good.peers)  # both leaves, checked
    assert running(lab, "spine1") == before
    assert not report.ok


def test_sessions_to_peers_the_run_leaves_unchanged_are_checked_even_if_down_before(labs: Labs, tmp_path: Path) -> None:
    """spine1 is broken (its session to leaf1 down); a full apply fixes spine1 and leaves the leaves as they
    are. spine1's session to leaf1 was not up before, and leaf1 waits in a later batch, but the run does not
    change leaf1, so the session must come up before spine1 is confirmed: it is checked."""
    lab = _lab_name("uc")
    design_lab = labs.design_lab(write(tmp_path / "design.yaml", fabric_data()), lab)
    state = labs.up(design_lab)
    assert verify(state, design_lab.network, timeout=60).ok
    names = [d.name for d in design_lab.network.devices]
    inventory = lab_inventory(design_lab.network, names, lab, {})
    desired, _ = lab_rendered(design_lab.network, names, lab)
    good = desired.devices["spine1"]
    broken, _ = lab_rendered(design_lab.network, ["spine1"], lab)
    broken.devices["spine1"] = Desired(
        device="spine1", config=good.config.replace("remote-as 4200000001", "remote-as 4200000099"), peers=good.peers
    )
    lab_one = lab_inventory(design_lab.network, ["spine1"], lab, {})
    assert apply(lab_one, broken, tmp_path / "b", ApplyOptions(health=False, confirm=60)).ok
    leaf1_key = next(key for key, peer in good.peers if peer == "leaf1")

    options = ApplyOptions(confirm=90, batch=1, health_timeout=40, settle=1)
    report = apply(inventory, desired, tmp_path / "b", options)
    outcome = {d.device: d for d in report.devices}
    spine1 = outcome["spine1"]
    assert spine1.status == "applied" and spine1.health is not None, spine1
    assert leaf1_key not in spine1.up_before
    assert leaf1_key in spine1.health.expected and spine1.health.ok
    assert {outcome[n].status for n in ("leaf1", "leaf2")} == {"unchanged"}


def test_a_short_password_keeps_backups_restorable_and_a_masked_one_is_reported(labs: Labs, tmp_path: Path) -> None:
    """Login password `bgp` (item 11). FRR keeps `neighbor PEER password PASSWORD` in plain text in its running
    config (FRR user guide, BGP: "neighbor PEER password PASSWORD"), the one place a secret is used here.
    The first backup has no such line: it must stay byte-exact (`router bgp 65100`, not `router ********`)
    and restorable. The second has it: masked there only, and the run says the backup cannot be restored."""
    import dataclasses

    from netweave.apply import BackupMissing, desired_from_backups
    from netweave.apply.inventory import Credentials

    lab = _lab_name("pw")
    design_lab = labs.design_lab(write(tmp_path / "design.yaml", fabric_data()), lab)
    labs.up(design_lab)
    plain = lab_inventory(design_lab.network, ["spine1"], lab, {})
    target = dataclasses.replace(plain.targets["spine1"], credentials=Credentials("netops", "bgp"))
    inventory = dataclasses.replace(plain, targets={"spine1": target})
    desired, _ = lab_rendered(design_lab.network, ["spine1"], lab)
    original = desired.devices["spine1"]
    leaf1_key = next(key for key, peer in original.peers if peer == "leaf1")
    with_password = original.config.replace(
        f" neighbor {leaf1_key} remote-as", f" neighbor {leaf1_key} password bgp\n neighbor {leaf1_key} remote-as", 1
    )
    assert with_password != original.config
    options = ApplyOptions(health=False, confirm=60)
    build_dir = tmp_path / "b"

    desired.devices["spine1"] = dataclasses.replace(original, config=with_password)
    first = apply(inventory, desired, build_dir, options).devices[0]
    assert first.status == "applied", first
    backup = Path(first.backup).read_text()
    assert "router bgp 65100" in backup and "********" not in backup
    assert first.notes == []
    restorable = desired_from_backups(design_lab.network, ["spine1"], build_dir, inventory.scope)
    assert restorable.devices["spine1"].config == backup

    desired.devices["spine1"] = original
    second = apply(inventory, desired, build_dir, options).devices[0]
    assert second.status == "applied", second
    backup = Path(second.backup).read_text()
    assert f"neighbor {leaf1_key} password ********" in backup and "router bgp 65100" in backup
    assert any("cannot restore it" in note for note in second.notes)
    with pytest.raises(BackupMissing, match="had a credential masked"):
        desired_from_backups(design_lab.network, ["spine1"], build_dir, inventory.scope)
