"""Real FRR daemons in namespaces: a 2-spine / 2-leaf eBGP fabric comes up, converges, forwards, fails.

Needs root and Debian frr + iputils-ping (``require_frr`` skips otherwise, or fails under CI=true).
"""

from __future__ import annotations

import time
from typing import Any

import pytest

from netweave.lab import LabLink, LabNode, LabState, LabTopology, ping, set_link_state, up, vtysh_json, wait_for

pytestmark = [pytest.mark.real, pytest.mark.slow]

# name -> (ASN, loopback); spines share an AS, each leaf has its own (the usual AI-fabric eBGP recipe).
ROUTERS: dict[str, tuple[int, str]] = {
    "s1": (65000, "10.0.0.1"),
    "s2": (65000, "10.0.0.2"),
    "l1": (65001, "10.0.0.11"),
    "l2": (65002, "10.0.0.12"),
}
# (spine, spine ifname, leaf, leaf ifname, spine /31 address, leaf /31 address)
FABRIC_LINKS = [
    ("s1", "eth1", "l1", "eth1", "10.1.0.0", "10.1.0.1"),
    ("s1", "eth2", "l2", "eth1", "10.1.0.2", "10.1.0.3"),
    ("s2", "eth1", "l1", "eth2", "10.1.0.4", "10.1.0.5"),
    ("s2", "eth2", "l2", "eth2", "10.1.0.6", "10.1.0.7"),
]


def frr_conf(node: str) -> str:
    """A small numbered-eBGP config: /31 per link, loopback advertised, multipath across AS paths."""
    asn, loopback = ROUTERS[node]
    interfaces = [f"interface lo\n ip address {loopback}/32\nexit"]
    neighbors: list[str] = []
    for spine, s_if, leaf, l_if, s_ip, l_ip in FABRIC_LINKS:
        if node == spine:
            interfaces.append(f"interface {s_if}\n ip address {s_ip}/31\nexit")
            neighbors.append(f" neighbor {l_ip} remote-as {ROUTERS[leaf][0]}")
        elif node == leaf:
            interfaces.append(f"interface {l_if}\n ip address {l_ip}/31\nexit")
            neighbors.append(f" neighbor {s_ip} remote-as {ROUTERS[spine][0]}")
    return "\n".join(
        [
            "frr defaults datacenter",
            f"hostname {node}",
            *interfaces,
            f"router bgp {asn}",
            f" bgp router-id {loopback}",
            " no bgp ebgp-requires-policy",
            " bgp bestpath as-path multipath-relax",
            *neighbors,
            " address-family ipv4 unicast",
            f"  network {loopback}/32",
            "  maximum-paths 8",
            " exit-address-family",
            "exit",
            "",
        ]
    )


def fabric_plan(name: str) -> LabTopology:
    return LabTopology(
        name=name,
        nodes=[LabNode(node, frr_conf(node)) for node in ROUTERS],
        links=[LabLink(s, s_if, leaf, l_if, mtu=9000) for s, s_if, leaf, l_if, _, _ in FABRIC_LINKS],
    )


def established(state: LabState, node: str) -> dict[str, str]:
    """peer -> BGP state of ``node``'s IPv4 unicast sessions."""
    summary: dict[str, Any] = vtysh_json(state, node, "show bgp summary json")
    peers = summary.get("ipv4Unicast", {}).get("peers", {})
    return {peer: info.get("state", "?") for peer, info in peers.items()}


def all_established(state: LabState) -> bool:
    for node in state.nodes:
        sessions = established(state, node)
        if not sessions or any(s != "Established" for s in sessions.values()):
            return False
    return True


def installed_nexthops(state: LabState, node: str, prefix: str) -> list[str]:
    routes = vtysh_json(state, node, f"show ip route {prefix} json").get(prefix, [])
    for route in routes:
        if route.get("selected") and route.get("installed"):
            return sorted(nh["ip"] for nh in route.get("nexthops", []) if nh.get("fib") and "ip" in nh)
    return []


def test_two_by_two_fabric_converges_forwards_and_fails(lab_session, capsys) -> None:
    topology = fabric_plan("nwt_fab")
    lab_session.track(topology)

    started = time.monotonic()
    state = up(topology, lab_session.state_dir)
    up_done = time.monotonic()
    wait_for(lambda: all_established(state), timeout=60, what="all BGP sessions Established")
    converged = time.monotonic()

    # l1 reaches l2's loopback over both spines (2-way ECMP), and forwards traffic loopback to loopback.
    l2_loopback = f"{ROUTERS['l2'][1]}/32"

    def two_paths() -> list[str] | None:
        nexthops = installed_nexthops(state, "l1", l2_loopback)
        return nexthops if len(nexthops) == 2 else None

    nexthops = wait_for(two_paths, timeout=30, what="2-way ECMP to l2's loopback on l1")
    assert nexthops == ["10.1.0.0", "10.1.0.4"]
    # Each node runs under its own host name, so BGP peers are identifiable in verify output.
    peers = vtysh_json(state, "l1", "show bgp summary json")["ipv4Unicast"]["peers"]
    assert {peer: info["hostname"] for peer, info in peers.items()} == {"10.1.0.0": "s1", "10.1.0.4": "s2"}
    assert ping(state, "l1", ROUTERS["l1"][1], ROUTERS["l2"][1], count=2, timeout=2)
    # Spines share an AS, so eBGP loop prevention keeps s2's loopback away from s1: no route, no ping.
    assert not ping(state, "s1", ROUTERS["s1"][1], ROUTERS["s2"][1], count=1, timeout=1)

    # Take l1's link to s1 down: that session drops, traffic still flows over s2 on one path.
    set_link_state(state, "l1", "eth1", up=False)
    wait_for(lambda: established(state, "l1").get("10.1.0.0") != "Established", timeout=30,
             what="l1's session to s1 dropping")  # fmt: skip
    wait_for(lambda: installed_nexthops(state, "l1", l2_loopback) == ["10.1.0.4"], timeout=30,
             what="l1 falling back to one path via s2")  # fmt: skip
    assert established(state, "l1")["10.1.0.4"] == "Established"
    # l1 forwards over s2 at once, but l2's replies follow l2's own ECMP, which keeps s1 (now cut off from l1)
    # until s1's withdrawal reaches l2: wait for that return path too, as an operator would.
    wait_for(lambda: ping(state, "l1", ROUTERS["l1"][1], ROUTERS["l2"][1], count=1, timeout=2), timeout=30,
             what="l1 reaching l2 over s2 both ways")  # fmt: skip

    # And back: the session re-establishes.
    set_link_state(state, "l1", "eth1", up=True)
    wait_for(lambda: all_established(state), timeout=60, what="sessions re-established after link up")

    with capsys.disabled():
        print(
            f"\n[lab 2x2] up {up_done - started:.2f} s, up+BGP converged {converged - started:.2f} s",
        )
