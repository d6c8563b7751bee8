"""plan / apply / rollback against real FRR daemons in network namespaces (a 2-spine/2-leaf lab).

Every device is reached with netweave's NAPALM FRR driver over its namespace, through Nornir, exactly
as `netweave apply` runs; the only thing not real is the device hardware.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import napalm
import pytest
from typer.testing import CliRunner

from netweave.cli import app
from netweave.lab import load_state
from netweave.lab.naming import netns_name
from netweave.lab.verify import verify
from tests.apply.conftest import Labs, fabric_data, fabric_of, prefix_list_lines, write

pytestmark = pytest.mark.real

PID = os.getpid() % 100000
FRESH, CHANGE, HEALTH, UNREACH = f"apf{PID}", f"apc{PID}", f"aph{PID}", f"apu{PID}"
"""Lab names unique per process: another checkout (or an interrupted run's leftovers) may hold the plain names."""

FAST = ["--health-timeout", "40", "--settle", "1", "--confirm", "90"]  # generous: other test runs share the CPU


def run(*args: str | Path) -> Any:
    """`netweave ARGS` in-process; stdout and stderr kept apart."""
    return CliRunner().invoke(app, [str(a) for a in args], catch_exceptions=False)


def body(result: Any) -> dict[str, Any]:
    assert result.stdout.strip(), result.stderr
    return json.loads(result.stdout)


def statuses(report: dict[str, Any]) -> dict[str, str]:
    return {d["device"]: d["status"] for d in report["devices"]}


def running(lab: str, device: str) -> str:
    driver = napalm.get_network_driver("frr")(device, "", "", optional_args={"netns": netns_name(lab, device)})
    driver.open()
    try:
        return driver.get_config(retrieve="running")["running"]
    finally:
        driver.close()


def test_fresh_lab_plan_apply_verify_then_nothing_to_do(
    labs: Labs, tmp_path: Path, credentials: str, no_secret: Callable[..., None]
) -> None:
    """Fresh nodes (hostname only): plan shows the whole config, apply configures it so the lab verifies,
    and a second apply changes nothing. Reached through an inventory file (netns transport) with a
    password in the environment, which must show up nowhere."""
    design = write(tmp_path / "design.yaml", fabric_data())
    lab = labs.design_lab(design, FRESH)
    state = labs.up(lab, fresh=True)
    inventory = tmp_path / "inventory.yaml"
    inventory.write_text(
        "devices:\n" + "".join(f"  {n}: {{transport: netns, netns: {netns_name(FRESH, n)}}}\n" for n in state.nodes)
    )
    build = tmp_path / "build"
    common = ["--inventory", inventory, "--format", "json"]

    planned = run("plan", design, *common)
    assert planned.exit_code == 0, planned.output
    report = body(planned)
    assert report["summary"] == {"changed": 4, "unchanged": 0, "unreachable": 0, "failed": 0}
    leaf1 = next(d for d in report["devices"] if d["device"] == "leaf1")["diff"]
    for line in (
        "+ router bgp 4200000001",
        "+  neighbor 10.1.0.0 remote-as 65100",
        "+   network 10.0.0.33/32",
        "+  ip address 10.1.0.1/31",
    ):
        assert line in leaf1.splitlines(), line

    applied = run("apply", design, *common, "--yes", "--batch", "2", "--output", build, *FAST)
    assert applied.exit_code == 0, applied.output
    report = body(applied)
    assert set(statuses(report).values()) == {"applied"}
    assert all(d["confirmed"] for d in report["devices"])  # went through FRR's commit-confirm
    leaves = [d for d in report["devices"] if d["device"].startswith("leaf")]
    assert all(d["health"]["ok"] and len(d["health"]["expected"]) == 2 for d in leaves)
    outcome = verify(state, lab.network, timeout=30)
    assert outcome.ok, outcome.failures

    backups = sorted((build / "backups" / "devices").glob("*/leaf1.cfg"))
    assert len(backups) == 1 and "router bgp" not in backups[0].read_text()  # the fresh config
    again = run("apply", design, *common, "--yes", "--output", build, *FAST)
    assert again.exit_code == 0, again.output
    assert set(statuses(body(again)).values()) == {"unchanged"}
    replan = run("plan", design, "--inventory", inventory)
    assert replan.exit_code == 0 and "4 unchanged" in replan.stdout
    no_secret(planned.output, applied.output, again.output, replan.output, directory=build)


def test_design_change_plans_as_exactly_that_change(labs: Labs, tmp_path: Path) -> None:
    """Moving the loopbacks to a new pool shows up as each device's loopback, router-id and advertised
    network and the underlay policy's prefix lists that name the pool, and nothing else; it applies, the lab
    verifies, and a second apply reports no change."""
    data = fabric_data()
    design = write(tmp_path / "design.yaml", data)
    lab = labs.design_lab(design, CHANGE)
    labs.up(lab)
    baseline = run("plan", design, "--lab", CHANGE, "--format", "json")
    assert baseline.exit_code == 0 and set(statuses(body(baseline)).values()) == {"unchanged"}, baseline.output

    fabric_of(data)["addressing"]["loopbacks"] = "10.0.1.0/24"
    changed = write(tmp_path / "changed.yaml", data)
    old = {d.name: d.loopback for d in lab.network.devices}
    new_lab = labs.design_lab(changed, CHANGE)
    new = {d.name: d.loopback for d in new_lab.network.devices}
    lists = {"-": prefix_list_lines(lab.network), "+": prefix_list_lines(new_lab.network)}
    planned = run("plan", changed, "--lab", CHANGE, "--format", "json")
    assert planned.exit_code == 0, planned.output
    for device in body(planned)["devices"]:
        name = device["device"]
        edits = sorted(line for line in device["diff"].splitlines() if line.startswith(("+", "-")))
        assert edits == sorted(
            [
                f"-  ip address {old[name]}/32",
                f"+  ip address {new[name]}/32",
                f"-  bgp router-id {old[name]}",
                f"+  bgp router-id {new[name]}",
                f"-   network {old[name]}/32",
                f"+   network {new[name]}/32",
                # the underlay policy's prefix lists follow the pool (frr-reload: add new, then `no` old)
                *(f"+ ip prefix-list {line}" for line in lists["+"][name] - lists["-"][name]),
                *(f"+ no ip prefix-list {line}" for line in lists["-"][name] - lists["+"][name]),
            ]
        ), device["diff"]

    markdown = run("plan", changed, "--lab", CHANGE, "--format", "markdown")
    assert "```diff" in markdown.stdout and "**4** changed" in markdown.stdout

    applied = run(
        "apply",
        changed,
        "--lab",
        CHANGE,
        "--yes",
        "--batch",
        "4",
        "--output",
        tmp_path / "build",
        "--format",
        "json",
        *FAST,
    )
    assert applied.exit_code == 0, applied.output
    assert set(statuses(body(applied)).values()) == {"applied"}
    assert "FRR rendering" in run("plan", changed, "--lab", CHANGE).stderr  # lab mode says what it pushes
    state = load_state(CHANGE, labs.state_dir)
    assert verify(state, new_lab.network, timeout=30).ok
    again = run("apply", changed, "--lab", CHANGE, "--yes", "--output", tmp_path / "build", *FAST)
    assert again.exit_code == 0 and "4 unchanged" in again.stdout, again.output

    # BFD off: exactly the BFD lines go, and FRR converges (bfdd/bgpd need a second reload pass here)
    fabric_of(data)["bfd"] = False
    no_bfd = write(tmp_path / "no-bfd.yaml", data)
    planned = run("plan", no_bfd, "--lab", CHANGE, "--format", "json")
    for device in body(planned)["devices"]:
        edits = [line for line in device["diff"].splitlines() if line.startswith(("+", "-"))]
        assert edits == [
            "- bfd",
            "-  profile fabric",
            "-  neighbor FABRIC bfd",
            "-  neighbor FABRIC bfd profile fabric",
        ], device["diff"]
    applied = run(
        "apply",
        no_bfd,
        "--lab",
        CHANGE,
        "--yes",
        "--batch",
        "4",
        "--output",
        tmp_path / "build",
        "--format",
        "json",
        *FAST,
    )
    assert applied.exit_code == 0 and set(statuses(body(applied)).values()) == {"applied"}, applied.output
    assert verify(state, labs.design_lab(no_bfd, CHANGE).network, timeout=30).ok


def test_unhealthy_change_is_rolled_back_to_the_backup(labs: Labs, tmp_path: Path) -> None:
    """A wrong peer ASN (leaf1 overridden in the design, applied to spine1 only) breaks spine1's session
    to leaf1: the health check fails, spine1 is rolled back and runs exactly its backup again;
    `netweave rollback` then restores the latest backup (a no-op here) without complaint."""
    data = fabric_data()
    design = write(tmp_path / "design.yaml", data)
    labs.up(labs.design_lab(design, HEALTH))
    before = running(HEALTH, "spine1")
    fabric_of(data)["leaves"]["overrides"] = {"leaf1": {"asn": 4200000099}}
    wrong = write(tmp_path / "wrong.yaml", data)
    build = tmp_path / "build"

    result = run(
        "apply",
        wrong,
        "--lab",
        HEALTH,
        "--only",
        "spine1",
        "--yes",
        "--output",
        build,
        "--format",
        "json",
        "--health-timeout",
        "8",
        "--settle",
        "1",
        "--confirm",
        "60",
    )
    assert result.exit_code == 1, result.output
    (spine1,) = body(result)["devices"]
    assert spine1["status"] == "rolled-back", spine1
    assert spine1["health"]["down"] == ["10.1.0.1"] and "4200000099" in spine1["diff"]
    backup = Path(spine1["backup"])
    assert backup.is_relative_to(build / "backups" / f"lab-{HEALTH}")
    after = running(HEALTH, "spine1")
    assert after == backup.read_text() == before

    restored = run(
        "rollback", design, "--lab", HEALTH, "--only", "spine1", "--yes", "--output", build, "--format", "json"
    )
    assert restored.exit_code == 0, restored.output
    assert statuses(body(restored)) == {"spine1": "unchanged"}


def test_unreachable_device_does_not_affect_the_others(labs: Labs, tmp_path: Path) -> None:
    """The lab runs 2 leaves; the design has 3. leaf3 (no namespace) is reported unreachable by plan and
    apply, every other device is planned and applied, and the spines are not held to leaf3's sessions."""
    data = fabric_data()
    labs.up(labs.design_lab(write(tmp_path / "design.yaml", data), UNREACH), fresh=True)
    fabric_of(data)["leaves"]["count"] = 3
    bigger = write(tmp_path / "bigger.yaml", data)

    planned = run("plan", bigger, "--lab", UNREACH, "--format", "json")
    assert planned.exit_code == 1
    report = body(planned)
    assert report["summary"] == {"changed": 4, "unchanged": 0, "unreachable": 1, "failed": 0}
    leaf3 = next(d for d in report["devices"] if d["device"] == "leaf3")
    assert leaf3["status"] == "unreachable" and netns_name(UNREACH, "leaf3") in leaf3["error"]

    applied = run(
        "apply",
        bigger,
        "--lab",
        UNREACH,
        "--yes",
        "--batch",
        "5",
        "--output",
        tmp_path / "build",
        "--format",
        "json",
        *FAST,
    )
    assert applied.exit_code == 1, applied.output
    assert statuses(body(applied)) == {
        "spine1": "applied",
        "spine2": "applied",
        "leaf1": "applied",
        "leaf2": "applied",
        "leaf3": "unreachable",
    }
    text = run("plan", bigger, "--lab", UNREACH)
    assert text.exit_code == 1 and "leaf3" in text.stdout and "4 unchanged" in text.stdout
