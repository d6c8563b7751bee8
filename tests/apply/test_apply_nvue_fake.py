"""plan / apply / rollback of an all-NVUE 2-spine/2-leaf fabric against fake Cumulus Linux switches.

Every switch is a fake NVUE REST API (tests/support/nvue_fake.py, written from NVIDIA's NVUE API guide)
on 127.0.0.1, cabled as the design says; BGP sessions come up only where both ends' applied configs agree.
Everything else is real: the CLI, Nornir, the NAPALM lookup of netweave's `nvue` driver, HTTPS with a
verified certificate and basic auth with the password from the environment. Same scenarios as the FRR
lab tests (tests/apply/test_apply_frr_lab.py).
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

import netweave
from netweave.cli import app
from tests.apply.conftest import SECRET, USER, fabric_data, fabric_of, nvue_design, nvue_switches, write
from tests.support.nvue_fake import FakeFabric, inventory_file

FAST = ["--health-timeout", "5", "--settle", "0.5", "--confirm", "30"]


def run(*args: str | Path) -> Any:
    return CliRunner().invoke(app, [str(a) for a in args], catch_exceptions=False)


def body(result: Any) -> dict[str, Any]:
    assert result.stdout.strip(), result.output
    report: dict[str, Any] = json.loads(result.stdout)
    return report


def statuses(report: dict[str, Any]) -> dict[str, str]:
    return {d["device"]: d["status"] for d in report["devices"]}


def closed_port() -> int:
    """A port nothing listens on (bound and released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def switches(tmp_path: Path) -> Iterator[FakeFabric]:
    """The four cabled fake NVUE switches (tests/apply/conftest.nvue_switches); always stopped."""
    with nvue_switches(tmp_path, USER, SECRET) as fake:
        yield fake


def test_fresh_switches_plan_apply_then_nothing_to_do(
    switches: FakeFabric, tmp_path: Path, credentials: str, no_secret: Callable[..., None]
) -> None:
    """Factory switches: plan shows the whole config, apply commits it with NVUE's confirmed apply and
    confirms once every BGP session is up, and a second apply changes nothing."""
    design = write(tmp_path / "design.yaml", nvue_design(fabric_data()))
    inv = inventory_file(tmp_path / "inventory.yaml", switches)
    build = tmp_path / "build"
    common: list[str | Path] = ["--inventory", inv, "--format", "json"]

    planned = run("plan", design, *common)
    assert planned.exit_code == 0, planned.output
    report = body(planned)
    assert report["summary"] == {"changed": 4, "unchanged": 0, "unreachable": 0, "failed": 0}
    leaf1 = next(d for d in report["devices"] if d["device"] == "leaf1")
    assert leaf1["driver"] == "nvue"
    for line in (
        "+ nv set router bgp autonomous-system 4200000001",
        "+ nv set vrf default router bgp neighbor 10.1.0.0 peer-group spines",
        "+ nv set interface swp33 ip address 10.1.0.1/31",
        "+ nv set system hostname leaf1",
    ):
        assert line in leaf1["diff"].splitlines(), line
    assert all(
        not d.confirm_pending and d.applied["system"]["hostname"] == "cumulus" for d in switches.devices.values()
    )

    applied = run("apply", design, *common, "--yes", "--batch", "2", "--output", build, *FAST)
    assert applied.exit_code == 0, applied.output
    report = body(applied)
    assert set(statuses(report).values()) == {"applied"}
    assert all(d["confirmed"] for d in report["devices"])  # went through the confirmed apply
    leaves = [d for d in report["devices"] if d["device"].startswith("leaf")]
    assert all(d["health"]["ok"] and len(d["health"]["expected"]) == 2 for d in leaves)
    for name, switch in switches.devices.items():
        assert switch.applied["system"]["hostname"] == name and switch.startup == switch.applied
        assert not switch.confirm_pending

    again = run("apply", design, *common, "--yes", "--output", build, *FAST)
    assert again.exit_code == 0, again.output
    assert set(statuses(body(again)).values()) == {"unchanged"}
    replan = run("plan", design, "--inventory", inv)
    assert replan.exit_code == 0 and "4 unchanged" in replan.stdout, replan.output
    no_secret(planned.output, applied.output, again.output, replan.output, directory=build)


def test_design_change_plans_as_exactly_that_change(switches: FakeFabric, tmp_path: Path, credentials: str) -> None:
    """Moving the loopbacks to a new pool is each device's loopback, router-id and advertised network, and the
    routing policy's prefix-lists that name them (the export set's pool; a spine's per-leaf import lists)."""
    data = nvue_design(fabric_data())
    design = write(tmp_path / "design.yaml", data)
    inv = inventory_file(tmp_path / "inventory.yaml", switches)
    build = tmp_path / "build"
    assert run("apply", design, "-i", inv, "--yes", "--batch", "4", "--output", build, *FAST).exit_code == 0
    old = {d.name: d.loopback for d in netweave.expand(netweave.load(design)).devices}

    fabric_of(data)["addressing"]["loopbacks"] = "10.0.1.0/24"
    changed = write(tmp_path / "changed.yaml", data)
    new = {d.name: d.loopback for d in netweave.expand(netweave.load(changed)).devices}
    planned = run("plan", changed, "-i", inv, "--format", "json")
    assert planned.exit_code == 0, planned.output
    for device in body(planned)["devices"]:
        name = device["device"]
        lines = device["diff"].splitlines()
        policy = [line for line in lines if "router policy prefix-list" in line]
        moved = sorted(line[2:].replace("10.0.0.", "10.0.1.") for line in policy if line.startswith("- "))
        assert moved == sorted(line[2:] for line in policy if line.startswith("+ ")), device["diff"]
        assert any("prefix-list UNDERLAY-OUT" in line for line in policy), device["diff"]
        assert sorted(line for line in lines if line not in policy) == sorted(
            [
                f"- nv set interface lo ip address {old[name]}/32",
                f"+ nv set interface lo ip address {new[name]}/32",
                f"- nv set router bgp router-id {old[name]}",
                f"+ nv set router bgp router-id {new[name]}",
                f"- nv set vrf default router bgp address-family ipv4-unicast network {old[name]}/32",
                f"+ nv set vrf default router bgp address-family ipv4-unicast network {new[name]}/32",
            ]
        ), device["diff"]
    applied = run("apply", changed, "-i", inv, "--yes", "--batch", "4", "--output", build, "--format", "json", *FAST)
    assert applied.exit_code == 0 and set(statuses(body(applied)).values()) == {"applied"}, applied.output
    again = run("apply", changed, "-i", inv, "--yes", "--output", build, *FAST)
    assert again.exit_code == 0 and "4 unchanged" in again.stdout, again.output


def test_unhealthy_change_is_rolled_back(switches: FakeFabric, tmp_path: Path, credentials: str) -> None:
    """A wrong peer ASN (leaf1 overridden, applied to spine1 only) keeps spine1's session to leaf1 down:
    the health check fails and spine1 is rolled back to exactly the config it had."""
    data = nvue_design(fabric_data())
    design = write(tmp_path / "design.yaml", data)
    inv = inventory_file(tmp_path / "inventory.yaml", switches)
    build = tmp_path / "build"
    assert run("apply", design, "-i", inv, "--yes", "--batch", "4", "--output", build, *FAST).exit_code == 0
    before = switches.devices["spine1"].applied

    fabric_of(data)["leaves"]["overrides"] = {"leaf1": {"asn": 4200000099}}
    wrong = write(tmp_path / "wrong.yaml", data)
    result = run("apply", wrong, "-i", inv, "--only", "spine1", "--yes", "--output", build, "--format", "json", *FAST)
    assert result.exit_code == 1, result.output
    (spine1,) = body(result)["devices"]
    assert spine1["status"] == "rolled-back", spine1
    assert spine1["health"]["down"] == ["10.1.0.1"] and "4200000099" in spine1["diff"]
    assert switches.devices["spine1"].applied == before and not switches.devices["spine1"].confirm_pending

    restored = run("rollback", design, "-i", inv, "--only", "spine1", "--yes", "--output", build, "--format", "json")
    assert restored.exit_code == 0, restored.output
    assert statuses(body(restored)) == {"spine1": "unchanged"}


def test_confirm_timer_reverts_when_netweave_disappears(switches: FakeFabric, tmp_path: Path) -> None:
    """netweave is killed after committing and before confirming (it is still waiting for a session that
    will not come up): the switch's own confirm timer restores the previous config, with nobody left to
    ask it to."""
    data = nvue_design(fabric_data())
    design = write(tmp_path / "design.yaml", data)
    inv = inventory_file(tmp_path / "inventory.yaml", switches)
    env = {**os.environ, "NETWEAVE_USERNAME": USER, "NETWEAVE_PASSWORD": SECRET}
    env.pop("NETWEAVE_INVENTORY", None)
    build = tmp_path / "build"
    assert run_with(env, "apply", design, "-i", inv, "--yes", "--batch", "4", "--output", build, *FAST) == 0
    before = switches.devices["spine1"].applied

    fabric_of(data)["leaves"]["overrides"] = {"leaf1": {"asn": 4200000099}}
    wrong = write(tmp_path / "wrong.yaml", data)
    args = ["--only", "spine1", "--yes", "--output", build, "--health-timeout", "5", "--settle", "1"]
    proc = subprocess.Popen(
        [sys.executable, "-m", "netweave", "apply", str(wrong), "-i", str(inv), *map(str, args), "--confirm", "8"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 30
        while not switches.devices["spine1"].confirm_pending and time.monotonic() < deadline:
            assert proc.poll() is None, "netweave ended before committing"
            time.sleep(0.05)
        assert switches.devices["spine1"].confirm_pending
        assert switches.devices["spine1"].applied != before
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)
    deadline = time.monotonic() + 25  # one NVUE minute (12 s in this fixture), with room for a loaded machine
    while switches.devices["spine1"].confirm_pending and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not switches.devices["spine1"].confirm_pending
    assert switches.devices["spine1"].applied == before


def run_with(env: dict[str, str], *args: str | Path) -> int:
    """`netweave ARGS` in a child process with `env` (exit code)."""
    done = subprocess.run(
        [sys.executable, "-m", "netweave", *map(str, args)], env=env, capture_output=True, text=True, timeout=120
    )
    assert SECRET not in done.stdout + done.stderr
    return done.returncode


def test_unreachable_switch_does_not_affect_the_others(switches: FakeFabric, tmp_path: Path, credentials: str) -> None:
    """The design has 3 leaves, leaf3 does not answer: plan and apply report it unreachable and every
    other switch is planned, applied and confirmed."""
    data = nvue_design(fabric_data())
    fabric_of(data)["leaves"]["count"] = 3
    bigger = write(tmp_path / "bigger.yaml", data)
    inv = inventory_file(tmp_path / "inventory.yaml", switches, leaf3=closed_port())

    planned = run("plan", bigger, "-i", inv, "--format", "json")
    assert planned.exit_code == 1
    report = body(planned)
    assert report["summary"] == {"changed": 4, "unchanged": 0, "unreachable": 1, "failed": 0}
    leaf3 = next(d for d in report["devices"] if d["device"] == "leaf3")
    assert leaf3["status"] == "unreachable" and "cannot reach" in leaf3["error"]

    applied = run("apply", bigger, "-i", inv, "--yes", "--batch", "5", "--output", tmp_path / "b", "--format", "json")
    assert applied.exit_code == 1, applied.output
    assert statuses(body(applied)) == {
        "spine1": "applied",
        "spine2": "applied",
        "leaf1": "applied",
        "leaf2": "applied",
        "leaf3": "unreachable",
    }
