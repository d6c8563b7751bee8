"""The lab from a design: stacks/lab and a 4x16 fabric converge on real FRR and verify; broken designs
and broken links make verify fail and name the culprit; teardown leaves nothing, also on failure."""

from __future__ import annotations

import copy
import os
from pathlib import Path
from typing import Any

import pytest
import yaml

import netweave
from netweave.cli import app
from netweave.lab import set_link_state, up
from netweave.lab.emulate import design_lab
from netweave.lab.expect import expected_routes
from netweave.lab.verify import verify

REPO = Path(__file__).resolve().parents[2]
PID = os.getpid() % 100000  # lab names unique per process: other checkouts may run labs on this machine
LAB_DESIGN = REPO / "stacks" / "lab" / "design.yaml"


def _lab_data() -> dict[str, Any]:
    return copy.deepcopy(yaml.safe_load(LAB_DESIGN.read_text()))


def _network(data: dict[str, Any], tmp_path: Path) -> netweave.Network:
    path = tmp_path / "design.yaml"
    path.write_text(yaml.safe_dump(data))
    return netweave.expand(netweave.load(path))


def test_emulation_keeps_addressing_and_renames_interfaces(tmp_path: Path) -> None:
    network = netweave.expand(netweave.load(LAB_DESIGN))
    lab = design_lab(network, "t")
    assert lab.emulated == {"spine1": "srlinux", "spine2": "srlinux", "leaf3": "srlinux", "leaf4": "srlinux"}
    spine = lab.network.device_by_name["spine1"]
    assert [i.name for i in spine.interfaces] == ["eth1", "eth2", "eth3", "eth4"]
    assert [i.ipv4 for i in spine.interfaces] == [i.ipv4 for i in network.device_by_name["spine1"].interfaces]
    assert spine.asn == 65100 and spine.nos == "frr"
    leaf1_conf = lab.topology.node("leaf1").frr_conf
    assert "description to spine1 eth1" in leaf1_conf
    assert {(k.a, k.a_ifname, k.b, k.b_ifname) for k in lab.topology.links} >= {("leaf3", "eth49", "spine1", "eth3")}


def test_expected_ecmp_follows_the_session_graph(tmp_path: Path) -> None:
    data = _lab_data()
    data["sites"][0]["fabrics"][0]["spines"]["count"] = 3
    routes = {(r.device, r.origin): r.ecmp for r in expected_routes(_network(data, tmp_path))}
    assert routes[("leaf1", "leaf2")] == 3  # one path per spine
    assert routes[("spine1", "leaf1")] == 1
    assert ("spine1", "spine2") not in routes  # spines share an ASN: no spine-to-spine route


@pytest.mark.real
def test_stacks_lab_up_verify_down_with_the_cli(lab_session: Any, tmp_path: Path) -> None:
    from typer.testing import CliRunner

    runner = CliRunner()
    name = f"lab{PID}"
    state = ["--state-dir", str(lab_session.state_dir), "--name", name]
    lab_session.track(name)
    up_result = runner.invoke(app, ["lab", "up", str(LAB_DESIGN), *state])
    assert up_result.exit_code == 0, up_result.output
    assert "spine1: srlinux emulated by FRR" in up_result.stderr
    again = runner.invoke(app, ["lab", "up", str(LAB_DESIGN), *state])
    assert again.exit_code == 1 and "already up" in again.stderr
    verified = runner.invoke(app, ["lab", "verify", str(LAB_DESIGN), *state, "--timeout", "60", "--format", "json"])
    assert verified.exit_code == 0, verified.stdout
    body = yaml.safe_load(verified.stdout)
    kinds = {c["kind"] for c in body["checks"]}
    assert body["ok"] and kinds == {"session", "route", "policy", "ping"}
    assert sum(c["kind"] == "session" for c in body["checks"]) == 16
    down = runner.invoke(app, ["lab", "down", str(LAB_DESIGN), *state])
    assert down.exit_code == 0, down.output
    kept = lab_session.state_dir / name
    assert f"lab '{name}' is down" in down.stdout  # the name quoted, never "lab lab"
    assert f"kept {kept} (node configs and daemon logs) for post-mortems; remove it with: rm -r {kept}" in down.stdout


@pytest.mark.real
def test_verify_names_the_session_of_a_broken_link(lab_session: Any, tmp_path: Path) -> None:
    lab = design_lab(netweave.expand(netweave.load(LAB_DESIGN)), f"brk{PID}")
    lab_session.track(lab.topology)
    state = up(lab.topology, lab_session.state_dir)
    assert verify(state, lab.network, timeout=60).ok
    set_link_state(state, "leaf2", "eth49", up=False)
    outcome = verify(state, lab.network, timeout=8, interval=0.5)
    assert not outcome.ok
    failed = {(c.kind, c.device, c.subject) for c in outcome.failures}
    assert ("session", "leaf2", "10.1.0.32 (spine1)") in failed
    assert ("session", "spine1", "10.1.0.33 (leaf2)") in failed
    # leaf1 now reaches leaf2 through spine2 only: the ECMP check names the route
    assert ("route", "leaf1", "10.0.0.18/32 (leaf2)") in failed


@pytest.mark.real
def test_verify_catches_two_leaves_with_one_asn(lab_session: Any, tmp_path: Path) -> None:
    data = _lab_data()
    data["sites"][0]["fabrics"][0]["leaves"]["overrides"].update(leaf1={"asn": 4200000050}, leaf2={"asn": 4200000050})
    network = _network(data, tmp_path)
    assert any(f.rule == "asn-leaf-unique" for f in netweave.lint(network))
    real = design_lab(network, f"dup{PID}")
    lab_session.track(real.topology)
    state = up(real.topology, lab_session.state_dir)
    outcome = verify(state, real.network, timeout=15, interval=1)
    failed = {(c.kind, c.device, c.subject.split(" ")[0]) for c in outcome.failures}
    # sessions come up, but each of the two leaves drops the other's loopback (AS-path loop)
    assert not any(kind == "session" for kind, _, _ in failed)
    assert ("route", "leaf1", "10.0.0.18/32") in failed
    assert ("route", "leaf2", "10.0.0.17/32") in failed


@pytest.mark.real
@pytest.mark.slow
def test_4_spine_16_leaf_fabric_converges(lab_session: Any, tmp_path: Path) -> None:
    data = _lab_data()
    fabric = data["sites"][0]["fabrics"][0]
    fabric["spines"].update(count=4, platform="linux-frr", nos="frr")
    fabric["leaves"].update(count=16, overrides={"leaf9": {"platform": "nokia-7220-ixr-d2l", "nos": "srlinux"}})
    lab = design_lab(_network(data, tmp_path), f"big{PID}")
    assert len(lab.topology.nodes) == 20 and len(lab.topology.links) == 64
    lab_session.track(lab.topology)
    state = up(lab.topology, lab_session.state_dir)
    outcome = verify(state, lab.network, timeout=90)
    assert outcome.ok, [c for c in outcome.failures][:5]
    widths = {c.actual for c in outcome.checks if c.kind == "route" and c.device.startswith("leaf")}
    assert widths == {"bgp, 4-way ECMP", "bgp, 1-way ECMP"} or widths == {"bgp, 4-way ECMP"}
