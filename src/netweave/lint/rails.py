"""Rail-optimized fabric rules: the rail rule on the cabling, and the tier count the radix allows."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

from netweave.lint import Finding, rule
from netweave.network.model import Network


@rule("rail-rule", "error", "NIC i of every node lands on the leaf of rail i (its SU and plane); one NIC per leaf")
def rail_rule(network: Network) -> Iterator[Finding]:
    """Collective traffic between GPUs of the same index stays one hop away only when every node of an
    SU puts NIC i on the same leaf; a swapped cable silently adds a spine hop (and congestion)."""
    by_name = network.device_by_name
    for server in network.servers:
        seen: dict[str, list[str]] = defaultdict(list)
        for nic in server.nics:
            seen[nic.leaf].append(nic.name)
            leaf = by_name.get(nic.leaf)
            if leaf is None:
                yield rail_rule.finding(server.origin, f"{server.name} {nic.name} is cabled to unknown leaf {nic.leaf}")
                continue
            expected = (server.su, nic.rail, nic.plane)
            actual = (leaf.su, leaf.rail, leaf.plane)
            if leaf.rail is not None and actual != expected:
                yield rail_rule.finding(
                    server.origin,
                    f"{server.name} {nic.name} (SU {server.su}, rail {nic.rail}, plane {nic.plane}) "
                    f"is cabled to {leaf.name} (SU {leaf.su}, rail {leaf.rail}, plane {leaf.plane})",
                    "NIC i of a node must connect to the rail-i leaf of its SU and plane",
                    leaf.name,
                )
        for leaf_name, nics in seen.items():
            if len(nics) > 1:
                yield rail_rule.finding(
                    server.origin,
                    f"{server.name}: {', '.join(nics)} all land on {leaf_name}",
                    "two NICs of one node on one leaf break rail isolation",
                    leaf_name,
                )


@rule("radix-tiers", "error", "endpoints per plane within what the tier count reaches with the switches' radix")
def radix_tiers(network: Network) -> Iterator[Finding]:
    """A 2-tier Clos of R-port switches reaches R^2/2 endpoints, 3 tiers R^3/4 (for a 1:1 leaf); beyond
    that the spines run out of ports. Say which tier count would fit."""
    for fabric in network.fabrics:
        limit = fabric.max_endpoints.get(fabric.tiers)
        if not limit or fabric.endpoints_per_plane <= limit:
            continue
        fitting = sorted(t for t, reach in fabric.max_endpoints.items() if reach >= fabric.endpoints_per_plane)
        hint = (
            f"use tiers: {fitting[0]} (reaches {fabric.max_endpoints[fitting[0]]} endpoints per plane)"
            if fitting
            else "no tier count fits: use higher-radix switches or a lower uplink_speed"
        )
        yield radix_tiers.finding(
            f"{fabric.origin}.tiers",
            f"{fabric.name}: {fabric.endpoints_per_plane} endpoints per plane exceed the "
            f"{fabric.tiers}-tier limit of {limit} with {fabric.radix}-port spines",
            hint,
        )
