"""Time ``netweave.lab.up`` plus BGP convergence for generated leaf-spine fabrics (not a test).

Usage (root, Debian frr installed)::

    .venv/bin/python benchmarks/lab_scale.py            # 2x2 and 4x16
    .venv/bin/python benchmarks/lab_scale.py 4x16 8x32  # chosen sizes (<spines>x<leaves>)

For each size it generates an eBGP fabric (spines share one AS, one AS per leaf, numbered /31 links,
loopbacks advertised, multipath-relax), brings it up, and measures: ``up`` itself; all sessions
Established; every leaf holding an <spines>-way ECMP route to every other leaf's loopback. The lab is
always torn down, also on failure or Ctrl-C.
"""

from __future__ import annotations

import ipaddress
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

from netweave.lab import LabLink, LabNode, LabState, LabTopology, down, up, vtysh_json, wait_for

SPINE_ASN = 65000
LINK_NET = ipaddress.IPv4Network("10.1.0.0/16")


def spine_name(j: int) -> str:
    return f"s{j + 1}"


def leaf_name(i: int) -> str:
    return f"l{i + 1}"


def loopback(name: str) -> str:
    index = int(name[1:])
    return f"10.0.0.{index}" if name.startswith("s") else f"10.0.1.{index}"


def generate_topology(name: str, spines: int, leaves: int) -> LabTopology:
    """An eBGP leaf-spine topology: spine sJ ethI+1 <-> leaf lI ethJ+1 on the (I*spines+J)-th /31."""
    ifaces: dict[str, list[str]] = {}
    neighbors: dict[str, list[str]] = {}
    links: list[LabLink] = []
    for i in range(leaves):
        for j in range(spines):
            spine, leaf = spine_name(j), leaf_name(i)
            k = i * spines + j
            s_ip, l_ip = LINK_NET[2 * k], LINK_NET[2 * k + 1]
            ifaces.setdefault(spine, []).append(f"interface eth{i + 1}\n ip address {s_ip}/31\nexit")
            ifaces.setdefault(leaf, []).append(f"interface eth{j + 1}\n ip address {l_ip}/31\nexit")
            neighbors.setdefault(spine, []).append(f" neighbor {l_ip} remote-as {SPINE_ASN + 1 + i}")
            neighbors.setdefault(leaf, []).append(f" neighbor {s_ip} remote-as {SPINE_ASN}")
            links.append(LabLink(spine, f"eth{i + 1}", leaf, f"eth{j + 1}", mtu=9000))
    nodes = []
    for name_, asn in [(spine_name(j), SPINE_ASN) for j in range(spines)] + [
        (leaf_name(i), SPINE_ASN + 1 + i) for i in range(leaves)
    ]:
        lo = loopback(name_)
        conf = "\n".join(
            [
                "frr defaults datacenter",
                f"hostname {name_}",
                f"interface lo\n ip address {lo}/32\nexit",
                *ifaces[name_],
                f"router bgp {asn}",
                f" bgp router-id {lo}",
                " no bgp ebgp-requires-policy",
                " bgp bestpath as-path multipath-relax",
                *neighbors[name_],
                " address-family ipv4 unicast",
                f"  network {lo}/32",
                "  maximum-paths 64",
                " exit-address-family",
                "exit",
                "",
            ]
        )
        nodes.append(LabNode(name_, conf))
    return LabTopology(name=name, nodes=nodes, links=links)


def sessions_established(state: LabState) -> bool:
    for node in state.nodes:
        peers = vtysh_json(state, node, "show bgp summary json").get("ipv4Unicast", {}).get("peers", {})
        if not peers or any(p.get("state") != "Established" for p in peers.values()):
            return False
    return True


def full_ecmp(state: LabState, spines: int, leaves: int) -> bool:
    for i in range(leaves):
        routes = vtysh_json(state, leaf_name(i), "show ip route bgp json")
        for other in range(leaves):
            if other == i:
                continue
            prefix = f"{loopback(leaf_name(other))}/32"
            installed = [r for r in routes.get(prefix, []) if r.get("installed")]
            if not installed or sum(1 for nh in installed[0]["nexthops"] if nh.get("fib")) != spines:
                return False
    return True


def run(spines: int, leaves: int) -> dict[str, float]:
    name = f"nwb{os.getpid() % 100000}x{spines}x{leaves}"  # unique per process: others may run labs
    topology = generate_topology(name, spines, leaves)
    with tempfile.TemporaryDirectory(prefix="nwbench-") as tmp:
        state_dir = Path(tmp)
        try:
            t0 = time.monotonic()
            state = up(topology, state_dir)
            t_up = time.monotonic()
            wait_for(lambda: sessions_established(state), timeout=120, interval=0.2, what="all Established")
            t_est = time.monotonic()
            wait_for(lambda: full_ecmp(state, spines, leaves), timeout=120, interval=0.2, what="full ECMP")
            t_ecmp = time.monotonic()
        finally:
            t_down0 = time.monotonic()
            down(name, state_dir)
            t_down = time.monotonic() - t_down0
    return {
        "nodes": len(topology.nodes),
        "links": len(topology.links),
        "daemons": sum(len(n.resolved_daemons) for n in topology.nodes),
        "up_s": t_up - t0,
        "established_s": t_est - t0,
        "ecmp_s": t_ecmp - t0,
        "down_s": t_down,
    }


def main(argv: list[str]) -> int:
    sizes = argv or ["2x2", "4x16"]
    header = ("size", "nodes", "links", "daemons", "up", "estab", "ecmp", "down")
    print(" ".join(f"{h:>7}" for h in header))
    for size in sizes:
        spines, leaves = (int(x) for x in size.split("x"))
        r = run(spines, leaves)
        print(
            f"{size:>7} {r['nodes']:>7} {r['links']:>7} {r['daemons']:>7} {r['up_s']:>6.2f}s "
            f"{r['established_s']:>6.2f}s {r['ecmp_s']:>6.2f}s {r['down_s']:>6.2f}s"
        )
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"(times from the start of up; largest child process RSS {peak_mb:.0f} MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
