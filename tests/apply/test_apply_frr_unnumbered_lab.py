"""`netweave apply` of a BGP-unnumbered fabric (1 spine, 2 leaves) against real FRR daemons in namespaces.

Before netweave rendered interface peers in FRR's display form (see tests/render/test_frr_unnumbered.py), the
first apply failed on the spine ("FRR did not converge to the candidate") and was rolled back, because
frr-reload kept re-sending `neighbor ethN interface remote-as ...`, a line bgpd never shows for a peer-group
member. Here the plan applies once, a second apply and plan find nothing to do, and the sessions establish;
then a peer's ASN change applies as one line and converges as well.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import napalm
import pytest
from typer.testing import CliRunner

from netweave.cli import app
from netweave.lab.naming import netns_name
from netweave.lab.verify import verify
from tests.apply.conftest import Labs, fabric_data, fabric_of, write

pytestmark = pytest.mark.real

LAB = f"apn{os.getpid() % 100000}"
"""Unique per process: another checkout (or an interrupted run's leftovers) may hold a plain name."""

FAST = ["--health-timeout", "40", "--settle", "1", "--confirm", "90"]  # generous: other test runs share the CPU


def unnumbered_design() -> dict[str, Any]:
    """The apply tests' all-FRR fabric cut to 1 spine and 2 leaves, with an unnumbered underlay (2 server
    ports per leaf keeps one 100G uplink within the 3:1 oversubscription rule)."""
    data = fabric_data()
    f = fabric_of(data)
    f["spines"]["count"] = 1
    f["leaves"]["server_ports"] = 2
    f["addressing"]["p2p"] = "unnumbered"
    return data


def run(*args: str | Path) -> Any:
    """`netweave ARGS` in-process; stdout and stderr kept apart."""
    return CliRunner().invoke(app, [str(a) for a in args], catch_exceptions=False)


def report_of(result: Any) -> dict[str, Any]:
    assert result.stdout.strip(), result.stderr
    report: dict[str, Any] = json.loads(result.stdout)
    return report


def statuses(report: dict[str, Any]) -> dict[str, str]:
    return {d["device"]: d["status"] for d in report["devices"]}


def bgp_lines(lab: str, device: str) -> list[str]:
    """The `neighbor` lines of the device's running config, read back through the FRR driver."""
    driver = napalm.get_network_driver("frr")(device, "", "", optional_args={"netns": netns_name(lab, device)})
    driver.open()
    try:
        text = driver.get_config(retrieve="running")["running"]
    finally:
        driver.close()
    return [line for line in text.splitlines() if line.startswith(" neighbor eth")]


def test_unnumbered_fabric_applies_converges_and_establishes(labs: Labs, tmp_path: Path) -> None:
    design = write(tmp_path / "design.yaml", unnumbered_design())
    lab = labs.design_lab(design, LAB)
    assert lab.network.sessions and all(s.a.address is None for s in lab.network.sessions)
    state = labs.up(lab, fresh=True)  # nodes start with only their hostname; apply brings the whole config
    build = tmp_path / "build"

    planned = run("plan", design, "--lab", LAB, "--format", "json")
    assert planned.exit_code == 0, planned.output
    assert report_of(planned)["summary"] == {"changed": 3, "unchanged": 0, "unreachable": 0, "failed": 0}

    applied = run("apply", design, "--lab", LAB, "--yes", "--output", build, "--format", "json", *FAST)
    assert applied.exit_code == 0, applied.output
    report = report_of(applied)
    assert statuses(report) == {"spine1": "applied", "leaf1": "applied", "leaf2": "applied"}, applied.output
    assert all(d["confirmed"] for d in report["devices"])
    leaves = [d for d in report["devices"] if d["device"].startswith("leaf")]
    assert all(d["health"]["ok"] and len(d["health"]["expected"]) == 1 for d in leaves), leaves

    # every session up, each side keyed by its local interface, and loopbacks reachable across the fabric
    outcome = verify(state, lab.network, timeout=30)
    assert outcome.ok, outcome.failures

    # FRR shows the interface peers exactly as rendered (what makes the second apply a no-op)
    for session in lab.network.sessions:
        for local, peer in ((session.a, session.b), (session.b, session.a)):
            lines = bgp_lines(LAB, local.device)
            assert f" neighbor {local.interface} interface peer-group FABRIC" in lines, lines
            assert f" neighbor {local.interface} remote-as {peer.asn}" in lines, lines

    again = run("apply", design, "--lab", LAB, "--yes", "--output", build, "--format", "json", *FAST)
    assert again.exit_code == 0, again.output
    assert set(statuses(report_of(again)).values()) == {"unchanged"}, again.output
    replan = run("plan", design, "--lab", LAB)
    assert replan.exit_code == 0 and "3 unchanged" in replan.stdout, replan.output

    # a peer's new ASN is one remote-as line on the spine (the interface peer and its policy stay), and converges
    data = unnumbered_design()
    fabric_of(data)["leaves"]["overrides"] = {"leaf1": {"asn": 4200000099}}
    changed = write(tmp_path / "changed.yaml", data)
    planned = run("plan", changed, "--lab", LAB, "--format", "json")
    spine = next(d for d in report_of(planned)["devices"] if d["device"] == "spine1")
    link = next(s for s in lab.network.sessions if {s.a.device, s.b.device} == {"spine1", "leaf1"})
    port = link.a.interface if link.a.device == "spine1" else link.b.interface
    edits = [line for line in spine["diff"].splitlines() if line.startswith(("+", "-"))]
    assert edits == [f"-  neighbor {port} remote-as 4200000001", f"+  neighbor {port} remote-as 4200000099"], edits
    # both ends in one batch: the spine's health check needs leaf1 on its new ASN to see the session up
    batch = ["--batch", "3"]
    applied = run("apply", changed, "--lab", LAB, "--yes", *batch, "--output", build, "--format", "json", *FAST)
    assert applied.exit_code == 0, applied.output
    assert statuses(report_of(applied)) == {"spine1": "applied", "leaf1": "applied", "leaf2": "unchanged"}
    assert verify(state, labs.design_lab(changed, LAB).network, timeout=30).ok
    replan = run("plan", changed, "--lab", LAB)
    assert replan.exit_code == 0 and "3 unchanged" in replan.stdout, replan.output
