"""The multi-site lab: two small sites and their DCI routers on real FRR, the carriers through the user-space
delay line. Proves cross-site reachability, RTT within 10% of 2 x the design's latency, ECMP over the
preferred carriers and failover to the diverse line system; teardown leaves nothing (lab_session)."""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import time
from pathlib import Path
from typing import Any

import pytest
import yaml
from tests.support.scale import lab_sites, lab_three_sites
from typer.testing import CliRunner

import netweave
from netweave.cli import app
from netweave.lab import LabLink, LabNode, LabTopology, up
from netweave.lab.delayline import Line, run
from netweave.lab.emulate import design_lab
from netweave.lab.query import ping
from netweave.lab.sites import WAN, WAN_CONF, LabLine, SiteLab, start_lines, verify_sites
from netweave.lab.topology import topology_problems

PID = os.getpid() % 100000  # lab names unique per process: other checkouts may run labs on this machine


def _network(tmp_path: Path) -> netweave.Network:
    path = tmp_path / "design.yaml"
    path.write_text(yaml.safe_dump(lab_sites(), sort_keys=False))
    return netweave.expand(netweave.load(path))


def test_carriers_are_cut_through_the_wan_node_with_their_fibre_latency(tmp_path: Path) -> None:
    lab = design_lab(_network(tmp_path), "t")
    assert [(x.carrier, x.a, x.b, x.delay_us) for x in lab.sites.lines] == [
        ("north/1", "c1a", "c1b", 1568.0),
        ("north/2", "c2a", "c2b", 1568.0),
        ("south/1", "c3a", "c3b", 2352.0),
        ("south/2", "c4a", "c4b", 2352.0),
    ]
    wan = [(k.a, k.a_ifname, k.b_ifname) for k in lab.topology.links if k.b == WAN]
    assert wan[:2] == [("dc1-dci", "eth1", "c1a"), ("dc2-dci", "eth1", "c1b")]
    assert not [k for k in lab.topology.links if {k.a, k.b} == {"dc1-dci", "dc2-dci"}]  # no direct carrier veth
    assert lab.topology.node(WAN).resolved_daemons == ("zebra",)
    data = lab_sites()
    data["optical"]["demands"][1]["lab_loss"] = 0.01
    path = tmp_path / "lossy.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    lossy = design_lab(netweave.expand(netweave.load(path)), "t")
    assert [x.loss for x in lossy.sites.lines] == [0.0, 0.0, 0.01, 0.01]


@pytest.mark.real
def test_delay_line_holds_frames_for_the_latency(lab_session: Any) -> None:
    """Two namespaces joined only through the delay line: pings come back after 2 x the delay."""
    name = lab_session.track(f"dl{PID}")
    conf = "frr version 8.4\nfrr defaults datacenter\nhostname {h}\n!\ninterface eth1\n ip address {a}\nexit\n!\nend\n"
    topology = LabTopology(
        name=name,
        nodes=[
            LabNode(name="a", frr_conf=conf.format(h="a", a="192.0.2.1/30"), daemons=("zebra",)),
            LabNode(name="b", frr_conf=conf.format(h="b", a="192.0.2.2/30"), daemons=("zebra",)),
            LabNode(name=WAN, frr_conf=WAN_CONF, daemons=("zebra",)),
        ],
        links=[LabLink("a", "eth1", WAN, "c1a"), LabLink("b", "eth1", WAN, "c1b")],
    )
    lab_session.track(topology)
    state = up(topology, lab_session.state_dir)
    assert not ping(state, "a", "192.0.2.1", "192.0.2.2", count=1, timeout=1.0)  # no line yet: the cut is real
    pid = start_lines(state, SiteLab(lines=[LabLine("x/1", "x", "c1a", "c1b", 2000.0, ("x",))]))
    assert pid is not None
    subprocess.run(["ip", "-n", state.node("a").netns, "neigh", "flush", "dev", "eth1"], check=True)  # failed ARP
    assert ping(state, "a", "192.0.2.1", "192.0.2.2", count=1, timeout=3.0)  # resolves ARP through the line
    argv = ["ip", "netns", "exec", state.node("a").netns, "ping", "-n", "-c", "20", "-i", "0.05", "192.0.2.2"]
    out = subprocess.run(argv, capture_output=True, text=True, timeout=60, check=False).stdout
    rtts = [float(x.split("time=")[1].split()[0]) for x in out.splitlines() if "time=" in x]
    assert len(rtts) >= 18
    assert 4.0 <= statistics.median(rtts) <= 4.4, rtts  # 2 x 2000 us, +10%
    os.kill(pid, 15)  # the same cut, now losing half the frames each way
    start_lines(state, SiteLab(lines=[LabLine("x/1", "x", "c1a", "c1b", 100.0, ("x",), loss=0.5)]))
    lossy = [*argv[:6], "-c", "60", "-i", "0.02", "192.0.2.2"]
    out = subprocess.run(lossy, capture_output=True, text=True, timeout=60, check=False)
    replies = out.stdout.count("time=")
    assert 5 <= replies <= 30, out.stdout  # each way 50%: a quarter of the round trips survive (15 of 60)


def test_delay_line_spec_round_trip(tmp_path: Path) -> None:
    from netweave.lab.delayline import load_spec

    spec = tmp_path / "spec.json"
    spec.write_text(json.dumps([{"a": "c1a", "b": "c1b", "delay_us": 196.0}]))
    assert load_spec(spec) == [Line("c1a", "c1b", 196.0, 0.0)]
    policy = os.sched_getscheduler(0)
    started = time.monotonic()
    run([], stop_after_s=0.2)  # no lines: returns once the time is up
    assert time.monotonic() - started < 5
    assert os.sched_getscheduler(0) == policy  # run() never makes its caller real-time (its children would be)


@pytest.mark.real
def test_two_sites_reach_each_other_at_fibre_rtt_and_fail_over(lab_session: Any, tmp_path: Path) -> None:
    network = _network(tmp_path)
    name = lab_session.track(f"st{PID}")
    lab = design_lab(network, name)
    lab_session.track(lab.topology)
    state = up(lab.topology, lab_session.state_dir)
    start_lines(state, lab.sites)
    checks = verify_sites(state, lab.network, lab.sites, fault="north", timeout=90.0)
    failed = [c for c in checks if not c.ok]
    assert failed == [], failed
    kinds = [c.kind for c in checks]
    assert kinds.count("rtt") == 2 and kinds.count("failover") == 1 and kinds.count("ping") == 4
    routes = [c for c in checks if c.kind == "route"]
    assert [c.expected for c in routes] == [
        "2-way ECMP over north/1, north/2",
        "2-way ECMP over north/1, north/2",
        "2-way ECMP over south/1, south/2",
        "2-way ECMP over south/1, south/2",
    ]
    failover = next(c for c in checks if c.kind == "failover")
    assert failover.subject == "line system north cut (north/1, north/2)"
    assert failover.actual.startswith("north -> south; RTT ")
    # the fault is undone: the preferred carriers carry the traffic again
    again = verify_sites(state, lab.network, lab.sites, timeout=60.0)
    assert all(c.ok for c in again), [c for c in again if not c.ok]


@pytest.mark.real
def test_lab_cli_up_verify_fault_down(lab_session: Any, tmp_path: Path) -> None:
    design = tmp_path / "design.yaml"
    design.write_text(yaml.safe_dump(lab_sites(), sort_keys=False))
    name = lab_session.track(f"sc{PID}")
    runner = CliRunner()
    state = str(lab_session.state_dir)
    result = runner.invoke(app, ["lab", "up", str(design), "--name", name, "--state-dir", state])
    assert result.exit_code == 0, result.output
    assert "north/1: delay line 1568 us one-way" in result.output
    verify = ["lab", "verify", str(design), "--name", name, "--state-dir", state, "--format", "json"]
    result = runner.invoke(app, [*verify, "--fault", "line-system", "south", "--timeout", "90"])
    assert result.exit_code == 0, result.output
    body = json.loads(result.stdout)
    failover = next(c for c in body["checks"] if c["kind"] == "failover")
    # cutting the longer path changes nothing: traffic stays on north
    assert failover["actual"].startswith("north -> north")
    bad = runner.invoke(app, ["lab", "verify", str(design), "--name", name, "--state-dir", state, "--fault", "x", "y"])
    assert bad.exit_code == 2
    result = runner.invoke(app, ["lab", "down", "--name", name, "--state-dir", state])
    assert result.exit_code == 0, result.output


def _three_sites(tmp_path: Path) -> netweave.Network:
    path = tmp_path / "three.yaml"
    path.write_text(yaml.safe_dump(lab_three_sites(), sort_keys=False))
    return netweave.expand(netweave.load(path))


def test_ai_backend_servers_are_stood_in_on_the_leaves_lo(tmp_path: Path) -> None:
    """The GPU nodes are not run: their links are left out (before, they named nodes the lab lacked and the
    topology was refused) and each leaf carries its server-facing addresses on `lo`."""
    lab = design_lab(_three_sites(tmp_path), "t")
    assert topology_problems(lab.topology) == []
    nodes = {n.name: n for n in lab.topology.nodes}
    assert not [k for k in lab.topology.links if k.a not in nodes or k.b not in nodes]
    assert nodes["dc1-su1-leaf-r1"].loopbacks == ("10.1.8.0/31", "10.1.8.4/31")
    assert nodes["dc3-su1-leaf-r2"].loopbacks == ("10.3.8.2/31", "10.3.8.6/31")
    assert nodes["dc1-spine1"].loopbacks == () and nodes["dc1-dci"].loopbacks == ()


@pytest.mark.real
def test_three_sites_server_subnets_and_every_pairs_rtt(lab_session: Any, tmp_path: Path) -> None:
    """Every site pair: server subnet to server subnet reachability and its own RTT (dc1-dc2 1.57 ms one-way,
    dc2-dc3 1.96, dc1-dc3 2.35), not only the first two sites'."""
    network = _three_sites(tmp_path)
    name = lab_session.track(f"s3{PID}")
    lab = design_lab(network, name)
    lab_session.track(lab.topology)
    state = up(lab.topology, lab_session.state_dir)
    start_lines(state, lab.sites)
    checks = verify_sites(state, lab.network, lab.sites, timeout=120.0)
    failed = [c for c in checks if not c.ok]
    assert failed == [], failed
    rtt = [(c.subject, c.expected) for c in checks if c.kind == "rtt"]
    assert rtt == [
        ("dc1 -> dc2 over dc1-dc2", "3.136 ms +-10% (2 x 1568 us)"),
        ("dc1 -> dc3 over dc1-dc3", "4.704 ms +-10% (2 x 2352 us)"),
        ("dc2 -> dc3 over dc2-dc3", "3.920 ms +-10% (2 x 1960 us)"),
    ]
    servers = [c.subject for c in checks if c.kind == "ping" and "server subnets" in c.subject]
    assert len(servers) == 6 * 2  # two leaves per site, to each of two other sites
    assert "10.1.8.0 -> 10.3.8.0 (server subnets, dc3-su1-leaf-r1, dc3)" in servers
