"""EVPN rules: each VNI and VLAN used once per overlay, one route target per VNI everywhere, one L3VNI per VRF."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

from netweave.lint import Finding, rule
from netweave.network.model import EvpnOverlay, Network


@rule("evpn-vni-unique", "error", "every VNI (L2 and L3) and L2 VLAN is used once per overlay; RTs not shared")
def evpn_vni_unique(network: Network) -> Iterator[Finding]:
    for name, overlay in network.evpn.items():
        users, vlans, rts = _overlay_usage(overlay)
        for vni, who in sorted(users.items()):
            if len(who) > 1:
                yield evpn_vni_unique.finding(
                    overlay.origin,
                    f"{name}: VNI {vni} is used by {', '.join(who)}",
                    "give each segment and VRF its own VNI",
                )
        for vlan, who in sorted(vlans.items()):
            if len(who) > 1:
                yield evpn_vni_unique.finding(
                    overlay.origin, f"{name}: VLAN {vlan} is used by {', '.join(who)}", "one VLAN per VNI on a leaf"
                )
        for rt, vnis in sorted(rts.items()):
            if len(vnis) > 1:
                yield evpn_vni_unique.finding(
                    overlay.origin,
                    f"{name}: route target {rt} is shared by VNIs {sorted(vnis)}",
                    "leave route_target unset (<rt_asn>:<vni>)",
                )


def _overlay_usage(
    overlay: EvpnOverlay,
) -> tuple[dict[int, list[str]], dict[int, list[str]], dict[str, set[int]]]:
    """Who uses each VNI, each VLAN, and which VNIs each route target carries, in one overlay."""
    users: dict[int, list[str]] = defaultdict(list)
    vlans: dict[int, list[str]] = defaultdict(list)
    rts: dict[str, set[int]] = defaultdict(set)
    for vrf in overlay.vrfs:
        users[vrf.l3vni].append(f"L3VNI of vrf {vrf.name}")
        rts[vrf.route_target].add(vrf.l3vni)
    for seg in overlay.l2vnis:
        users[seg.vni].append(f"L2VNI {seg.name}")
        vlans[seg.vlan].append(seg.name)
        rts[seg.route_target].add(seg.vni)
    for vrf in overlay.vrfs:
        if vrf.vlan is not None:
            vlans[vrf.vlan].append(f"L3VNI of vrf {vrf.name}")
    return users, vlans, rts


@rule("evpn-rt-consistent", "error", "a VNI has the same route target on every leaf, whatever its vendor")
def evpn_rt_consistent(network: Network) -> Iterator[Finding]:
    """Vendors derive automatic RTs differently; one VNI with two RTs silently stops importing routes."""
    seen: dict[tuple[str, int], dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    origin: dict[str, str] = {}
    for device in network.devices:
        if device.evpn is None:
            continue
        origin.setdefault(device.evpn.overlay, device.origin)
        for vrf in device.evpn.vrfs:
            seen[(device.evpn.overlay, vrf.l3vni)][vrf.route_target].append(device.name)
        for seg in device.evpn.l2vnis:
            seen[(device.evpn.overlay, seg.vni)][seg.route_target].append(device.name)
    for (overlay, vni), by_rt in sorted(seen.items()):
        if len(by_rt) > 1:
            detail = "; ".join(f"{rt} on {', '.join(names[:3])}" for rt, names in sorted(by_rt.items()))
            yield evpn_rt_consistent.finding(
                origin[overlay],
                f"{overlay}: VNI {vni} has several route targets: {detail}",
                "use explicit route targets <asn>:<vni>",
            )


@rule("evpn-l3vni-per-vrf", "error", "every VRF has exactly one L3VNI (symmetric IRB); gateways name a VRF")
def evpn_l3vni_per_vrf(network: Network) -> Iterator[Finding]:
    for name, overlay in network.evpn.items():
        l3: dict[str, set[int]] = defaultdict(set)
        for vrf in overlay.vrfs:
            l3[vrf.name].add(vrf.l3vni)
        for vrf_name, vnis in sorted(l3.items()):
            if len(vnis) > 1:
                yield evpn_l3vni_per_vrf.finding(
                    overlay.origin,
                    f"{name}: vrf {vrf_name} has L3VNIs {sorted(vnis)}",
                    "declare each VRF once with one l3vni",
                )
        for seg in overlay.l2vnis:
            if seg.vrf is not None and seg.vrf not in l3:
                yield evpn_l3vni_per_vrf.finding(
                    overlay.origin,
                    f"{name}: L2VNI {seg.vni} routes in vrf {seg.vrf}, which has no L3VNI",
                    "add the vrf under evpn.vrfs",
                )
