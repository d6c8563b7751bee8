"""Real namespaces and daemons: refusing a second up, down without state, cleanup after a failed up."""

from __future__ import annotations

from pathlib import Path

import pytest

from netweave.lab import (
    LabError,
    LabExistsError,
    LabLink,
    LabNode,
    LabStartError,
    LabTopology,
    LabTopologyError,
    down,
    existing_leftovers,
    load_state,
    up,
    vtysh,
)
from netweave.lab.host import find_processes, run
from netweave.lab.lock import lab_lock
from netweave.lab.naming import netns_prefix
from netweave.napalm_frr.commands import DEFAULT_STATE_ROOT as DRIVER_STATE_ROOT

pytestmark = [pytest.mark.real]


def pair_conf(name: str, asn: int, me: str, peer: str, peer_asn: int) -> str:
    return (
        f"frr defaults datacenter\nhostname {name}\ninterface eth1\n ip address {me}/31\nexit\n"
        f"router bgp {asn}\n no bgp ebgp-requires-policy\n neighbor {peer} remote-as {peer_asn}\nexit\n"
    )


def pair_plan(name: str, b_ifname: str = "eth1", extra_b: str = "") -> LabTopology:
    return LabTopology(
        name=name,
        nodes=[
            LabNode("a", pair_conf("a", 65001, "10.9.0.0", "10.9.0.1", 65002), loopbacks=("10.9.255.1/32",)),
            LabNode("b", pair_conf("b", 65002, "10.9.0.1", "10.9.0.0", 65001) + extra_b),
        ],
        links=[LabLink("a", "eth1", "b", b_ifname)],
    )


def test_second_up_is_refused_and_first_lab_keeps_running(lab_session) -> None:
    topology = pair_plan("nwt_twice")
    lab_session.track(topology)
    state = up(topology, lab_session.state_dir)
    with pytest.raises(LabExistsError) as err:
        up(topology, lab_session.state_dir)
    message = str(err.value)
    assert "already up" in message and "down" in message and "nwt_twice" in message
    # Refusing must not have disturbed the running lab.
    assert "10.9.255.1/32" in vtysh(state, "a", "show ip route connected")
    assert load_state("nwt_twice", lab_session.state_dir).status == "up"


def test_running_config_names_only_the_node(lab_session) -> None:
    """vtysh adds its own `hostname` line to `show running-config`: run on the host it named the machine
    too (`hostname vm` beside `hostname a`)."""
    import socket

    topology = pair_plan("nwt_hostname")
    lab_session.track(topology)
    state = up(topology, lab_session.state_dir)
    hostnames = [line for line in vtysh(state, "a", "show running-config").splitlines() if line.startswith("hostname")]
    assert hostnames == ["hostname a"], (hostnames, socket.gethostname())


def test_up_refused_when_leftovers_exist_without_state(lab_session, tmp_path) -> None:
    topology = pair_plan("nwt_left")
    lab_session.track(topology)
    up(topology, lab_session.state_dir)
    with pytest.raises(LabExistsError, match="nw-nwt_left-a"):
        up(topology, tmp_path / "another_state_dir")


def test_down_without_state_file_removes_leftovers(lab_session, nothing_left) -> None:
    topology = pair_plan("nwt_nostate")
    lab_session.track(topology)
    state = up(topology, lab_session.state_dir)
    pids = [pid for node in state.nodes.values() for pid in node.pids.values()]
    # Simulate a crash: a stray process inside a namespace, and the state directory lost.
    run(["ip", "netns", "exec", "nw-nwt_nostate-a", "sh", "-c", "sleep 300 >/dev/null 2>&1 &"])
    state.path.unlink()
    (lab_session.state_dir / "nwt_nostate").rename(lab_session.state_dir / "moved")
    # and what the FRR NAPALM driver keeps per namespace (a rollback config of an earlier commit)
    driver_dir = Path(DRIVER_STATE_ROOT) / "nw-nwt_nostate-a"
    driver_dir.mkdir(parents=True, exist_ok=True)
    (driver_dir / "rollback.conf").write_text("hostname a\n")

    report = down("nwt_nostate", lab_session.state_dir)
    assert not driver_dir.exists() and str(driver_dir) in report.run_dirs

    assert sorted(report.namespaces) == ["nw-nwt_nostate-a", "nw-nwt_nostate-b"]
    assert set(pids) <= set(report.pids)
    assert len(report.pids) == len(pids) + 1  # the daemons and the stray sleep
    nothing_left("nwt_nostate")
    # Idempotent: a second down finds nothing and does not fail.
    again = down("nwt_nostate", lab_session.state_dir)
    assert again.namespaces == [] and again.pids == [] and again.run_dirs == []


def test_bad_interface_name_is_rejected_before_anything_is_made(lab_session, nothing_left) -> None:
    topology = pair_plan("nwt_badif", b_ifname="ethernet-1/1-too-long")
    lab_session.track(topology)
    with pytest.raises(LabTopologyError) as err:
        up(topology, lab_session.state_dir)
    assert "links[0].b_ifname" in str(err.value) and "15" in str(err.value)
    nothing_left("nwt_badif")


def test_failure_halfway_through_up_cleans_up(lab_session, nothing_left) -> None:
    # Passes `vtysh --dryrun` (syntax) but bgpd refuses it once running: a second BGP instance with
    # another AS. So namespaces, veths and daemons exist when the failure happens.
    topology = pair_plan("nwt_half", extra_b="router bgp 65099\nexit\n")
    lab_session.track(topology)
    with pytest.raises(LabStartError) as err:
        up(topology, lab_session.state_dir)
    message = str(err.value)
    assert "nwt_half" in message and "removed" in message and "nw-nwt_half-b" in message
    nothing_left("nwt_half")
    assert existing_leftovers("nwt_half") == []
    assert find_processes([], netns_prefix("nwt_half")) == []
    assert not (lab_session.state_dir / "nwt_half" / "state.json").exists()
    # The daemon logs of the failed run are kept for the post-mortem.
    assert (lab_session.state_dir / "nwt_half" / "logs" / "b" / "bgpd.log").exists()


def test_unknown_node_is_a_lab_error(lab_session) -> None:
    topology = pair_plan("nwt_unknown")
    lab_session.track(topology)
    state = up(topology, lab_session.state_dir)
    with pytest.raises(LabError, match="has no node 'c'; nodes: a, b"):
        vtysh(state, "c", "show version")


def test_concurrent_up_of_the_same_lab_is_refused(lab_session, nothing_left) -> None:
    topology = pair_plan("nwt_locked")
    lab_session.track(topology)
    with lab_lock("nwt_locked"), pytest.raises(LabExistsError, match="another netweave process"):
        up(topology, lab_session.state_dir)
    nothing_left("nwt_locked")


def test_interrupted_up_cleans_up_and_keeps_the_interrupt(lab_session, nothing_left, monkeypatch) -> None:
    topology = pair_plan("nwt_intr")
    lab_session.track(topology)

    def interrupted(netns: str, conf_path: object) -> None:
        raise KeyboardInterrupt  # as if Ctrl-C arrived while configs were loading

    monkeypatch.setattr("netweave.lab.frr.apply_config", interrupted)
    with pytest.raises(KeyboardInterrupt):
        up(topology, lab_session.state_dir)
    nothing_left("nwt_intr")


def test_long_node_name_and_bfd_node_come_up(lab_session) -> None:
    long_name = "leaf-pod01-rack12-unit-42-a-very-long-name"
    conf = (
        "frr defaults datacenter\ninterface eth1\n ip address 10.9.1.0/31\nexit\n"
        "bfd\n peer 10.9.1.1 interface eth1\n exit\nexit\n"
    )
    topology = LabTopology(
        name="nwt_long",
        nodes=[LabNode(long_name, conf), LabNode("b", pair_conf("b", 65002, "10.9.1.1", "10.9.1.0", 65001))],
        links=[LabLink(long_name, "eth1", "b", "eth1")],
    )
    lab_session.track(topology)
    state = up(topology, lab_session.state_dir)
    node = state.node(long_name)
    assert node.netns.startswith("nw-nwt_long-leaf-pod") and len(node.netns) == 40
    assert set(node.pids) == {"zebra", "bgpd", "staticd", "bfdd"}
    assert "10.9.1.1" in vtysh(state, long_name, "show bfd peers brief")


def test_down_finds_daemons_whose_namespace_is_already_gone(lab_session, nothing_left) -> None:
    topology = pair_plan("nwt_orphan")
    lab_session.track(topology)
    state = up(topology, lab_session.state_dir)
    pids = {pid for node in state.nodes.values() for pid in node.pids.values()}
    for node in state.nodes.values():  # someone ran `ip netns delete`: the daemons keep running unnamed
        run(["ip", "netns", "delete", node.netns])
    state.path.unlink()

    report = down("nwt_orphan", lab_session.state_dir)

    assert pids <= set(report.pids)  # found by their FRR path space (-N nw-nwt_orphan-*)
    nothing_left("nwt_orphan")
