"""plan / apply / rollback on SONiC devices: netweave's SONiC driver over SSH to fake switches
(tests/support/sonic_fake: SONiC's documented config/show commands over a CONFIG_DB file, real FRR in a
namespace as each switch's bgp container, cabled as the design says), through Nornir as `netweave apply`
runs. Not real: the switch image (none runs here); CONFIG_DB semantics follow SONiC's documentation."""

from __future__ import annotations

import copy
import json
import os
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
from tests.apply.conftest import SECRET, USER, prefix_list_lines, write
from tests.napalm_sonic.conftest import DESIGN
from tests.support.sonic_fake.lab import SonicLabs, closed_port

pytestmark = pytest.mark.real

REPO = Path(__file__).resolve().parents[2]
FAST = ["--health-timeout", "40", "--settle", "1", "--confirm", "90"]


@pytest.fixture
def sonic_labs(require_lab: None, tmp_path: Path) -> Iterator[SonicLabs]:
    labs = SonicLabs(tmp_path / "sonic", USER, SECRET)
    yield labs
    left = labs.stop()
    if left:
        pytest.fail(f"fake SONiC teardown left something behind: {left}")


def design_data() -> dict[str, Any]:
    return copy.deepcopy(DESIGN)


def fabric_of(data: dict[str, Any]) -> dict[str, Any]:
    return data["sites"][0]["fabrics"][0]  # type: ignore[no-any-return]


def run(*args: object) -> Any:
    return CliRunner().invoke(app, [str(a) for a in args], catch_exceptions=False)


def body(result: Any) -> dict[str, Any]:
    assert result.stdout.strip(), result.stderr
    return json.loads(result.stdout)  # type: ignore[no-any-return]


def statuses(report: dict[str, Any]) -> dict[str, str]:
    return {d["device"]: d["status"] for d in report["devices"]}


def test_fresh_plan_apply_then_a_change_plans_as_exactly_that_change(
    sonic_labs: SonicLabs, tmp_path: Path, credentials: str, no_secret: Callable[..., None]
) -> None:
    """Factory switches: plan shows every table and the whole FRR config, apply brings every session up
    through commit-confirm, a second apply changes nothing; then a new loopback pool plans as exactly the
    loopback, router-id and advertised-network lines, and applies."""
    design = write(tmp_path / "design.yaml", design_data())
    lab = sonic_labs.start(netweave.expand(netweave.load(design)))
    inventory = sonic_labs.inventory(lab, tmp_path / "inventory.yaml")
    build = tmp_path / "build"
    common = ["--inventory", inventory, "--format", "json"]

    planned = run("plan", design, *common)
    assert planned.exit_code == 0, planned.output
    report = body(planned)
    assert report["summary"] == {"changed": 3, "unchanged": 0, "unreachable": 0, "failed": 0}
    leaf1 = next(d for d in report["devices"] if d["device"] == "leaf1")["diff"].splitlines()
    expected = [
        "+ LOOPBACK_INTERFACE|Loopback0|10.0.0.17/32",
        "+ INTERFACE|Ethernet64|10.1.0.1/31",
        '+   hostname: "leaf1"',
        "+ router bgp 4200000001",
        "+  neighbor 10.1.0.0 remote-as 65100",
    ]
    for line in expected:
        assert line in leaf1, line
    assert "- PORT|Ethernet124" not in leaf1  # a port the design does not use is left alone

    applied = run("apply", design, *common, "--yes", "--batch", "3", "--output", build, *FAST)
    assert applied.exit_code == 0, applied.output
    report = body(applied)
    assert set(statuses(report).values()) == {"applied"}
    assert all(d["confirmed"] and d["health"]["ok"] for d in report["devices"])
    assert {len(d["health"]["expected"]) for d in report["devices"]} == {1, 2}
    for fake in lab.switches.values():
        assert fake.saved_db() == fake.running_db()  # confirmed = saved
    again = run("apply", design, *common, "--yes", "--output", build, *FAST)
    assert again.exit_code == 0 and set(statuses(body(again)).values()) == {"unchanged"}, again.output

    data = design_data()
    fabric_of(data)["addressing"]["loopbacks"] = "10.0.1.0/24"
    changed = write(tmp_path / "changed.yaml", data)
    old_network, new_network = netweave.expand(netweave.load(design)), netweave.expand(netweave.load(changed))
    old = {d.name: d.loopback for d in old_network.devices}
    new = {d.name: d.loopback for d in new_network.devices}
    lists = {"-": prefix_list_lines(old_network), "+": prefix_list_lines(new_network)}
    planned = run("plan", changed, *common)
    assert planned.exit_code == 0, planned.output
    for device in body(planned)["devices"]:
        name = device["device"]
        edits = sorted(line for line in device["diff"].splitlines() if line.startswith(("+", "-")))
        assert edits == sorted(
            [
                f"- LOOPBACK_INTERFACE|Loopback0|{old[name]}/32",
                f"+ LOOPBACK_INTERFACE|Loopback0|{new[name]}/32",
                f'-   bgp_router_id: "{old[name]}"',
                f'+   bgp_router_id: "{new[name]}"',
                f"-  bgp router-id {old[name]}",
                f"+  bgp router-id {new[name]}",
                f"-   network {old[name]}/32",
                f"+   network {new[name]}/32",
                # the underlay policy's prefix lists follow the pool (frr-reload: add new, then `no` old)
                *(f"+ ip prefix-list {line}" for line in lists["+"][name] - lists["-"][name]),
                *(f"+ no ip prefix-list {line}" for line in lists["-"][name] - lists["+"][name]),
            ]
        ), device["diff"]
    applied = run("apply", changed, *common, "--yes", "--batch", "3", "--output", build, *FAST)
    assert applied.exit_code == 0 and set(statuses(body(applied)).values()) == {"applied"}, applied.output
    no_secret(planned.output, applied.output, again.output, directory=build)


def test_unhealthy_change_is_rolled_back_and_unreachable_device_is_isolated(
    sonic_labs: SonicLabs, tmp_path: Path, credentials: str
) -> None:
    """spine1 gets a wrong peer ASN for leaf1: its health check fails and it is rolled back to exactly its
    backup, and `netweave rollback` restores that backup (a no-op). A third leaf without a switch is
    unreachable in plan and apply and holds nobody back."""
    data = design_data()
    design = write(tmp_path / "design.yaml", data)
    lab = sonic_labs.start(netweave.expand(netweave.load(design)))
    inventory = sonic_labs.inventory(lab, tmp_path / "inventory.yaml")
    build = tmp_path / "build"
    common = ["--inventory", inventory, "--format", "json", "--output", build]
    applied = run("apply", design, *common, "--yes", "--batch", "3", *FAST)
    assert applied.exit_code == 0, applied.output

    fabric_of(data)["leaves"]["overrides"] = {"leaf1": {"asn": 4200000099}}
    wrong = write(tmp_path / "wrong.yaml", data)
    before = lab.switches["spine1"].running_db()
    result = run(
        "apply",
        wrong,
        *common,
        "--only",
        "spine1",
        "--yes",
        "--health-timeout",
        "8",
        "--settle",
        "1",
        "--confirm",
        "60",
    )
    assert result.exit_code == 1, result.output
    (spine1,) = body(result)["devices"]
    assert spine1["status"] == "rolled-back" and spine1["health"]["down"] == ["10.1.0.1"], spine1
    assert "4200000099" in spine1["diff"]
    assert Path(spine1["backup"]).read_text() == running(lab, "spine1")
    assert lab.switches["spine1"].running_db() == before
    restored = run("rollback", design, *common, "--only", "spine1", "--yes")  # the latest backup: a no-op here
    assert restored.exit_code == 0 and statuses(body(restored)) == {"spine1": "unchanged"}, restored.output

    fabric_of(data)["leaves"]["count"] = 3
    fabric_of(data)["leaves"].pop("overrides")
    bigger = write(tmp_path / "bigger.yaml", data)
    inventory = sonic_labs.inventory(lab, tmp_path / "bigger-inventory.yaml", absent={"leaf3": closed_port()})
    common = ["--inventory", inventory, "--format", "json", "--output", build]
    planned = run("plan", bigger, "--inventory", inventory, "--format", "json")
    assert planned.exit_code == 1
    report = body(planned)
    assert statuses(report)["leaf3"] == "unreachable" and report["summary"]["unreachable"] == 1
    applied = run("apply", bigger, *common, "--yes", "--batch", "4", *FAST)
    assert applied.exit_code == 1, applied.output
    assert statuses(body(applied)) == {
        "spine1": "applied",
        "leaf1": "unchanged",
        "leaf2": "unchanged",
        "leaf3": "unreachable",
    }


def running(lab: Any, name: str) -> str:
    import napalm

    conn = napalm.get_network_driver("sonic")("127.0.0.1", USER, SECRET, optional_args=lab.options(name))
    conn.open()
    try:
        return str(conn.get_config(retrieve="running")["running"])
    finally:
        conn.close()


APPLY = """
import os, sys
from netweave.cli import app
os.environ["NETWEAVE_PASSWORD"] = sys.stdin.readline().strip()  # read here, so it is in no argv
app(sys.argv[1:])
"""


def test_switch_reverts_when_netweave_is_killed_before_confirming(
    sonic_labs: SonicLabs, tmp_path: Path, credentials: str
) -> None:
    """`netweave apply` commits spine1 with commit-confirm and is killed during the health check: nobody
    confirms or rolls back, and the switch's own timer restores CONFIG_DB and FRR when --confirm runs out."""
    design = write(tmp_path / "design.yaml", design_data())
    lab = sonic_labs.start(netweave.expand(netweave.load(design)))
    inventory = sonic_labs.inventory(lab, tmp_path / "inventory.yaml")
    spine1 = lab.switches["spine1"]
    before_db = spine1.running_db()
    before = running(lab, "spine1")
    pending = spine1.home / ".cache" / "netweave-sonic" / "pending.pid"
    argv = [
        "apply",
        str(design),
        "--inventory",
        str(inventory),
        "--only",
        "spine1",
        "--yes",
        "--output",
        str(tmp_path / "build"),
        "--health-timeout",
        "5",
        "--settle",
        "1",
        "--confirm",
        "8",
    ]
    env = {k: v for k, v in os.environ.items() if k != "NETWEAVE_PASSWORD"}
    proc = subprocess.Popen(
        [sys.executable, "-c", APPLY, *argv],
        stdin=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        text=True,
        cwd=REPO,
        env=env,
    )
    assert proc.stdin is not None
    proc.stdin.write(SECRET + "\n")
    proc.stdin.close()
    deadline = time.monotonic() + 60
    while not pending.exists() and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert pending.exists(), "netweave never committed with commit-confirm"
    proc.kill()
    proc.wait()
    assert spine1.running_db()["DEVICE_METADATA"]["localhost"]["hostname"] == "spine1"  # committed, unconfirmed
    reverting = pending.with_name("reverting.pid")  # the timer holds it until its FRR reloads are done
    deadline = time.monotonic() + 40
    while (pending.exists() or reverting.exists() or spine1.running_db() != before_db) and time.monotonic() < deadline:
        time.sleep(0.5)
    assert spine1.running_db() == before_db
    assert running(lab, "spine1") == before
