"""Scale-across rules: DCI routers reach their site's fabrics, fabrics reach a DCI, and capacity adds up.

A DCI router with no link into a fabric of its site is an island: its carriers carry only the routers' own
loopbacks, and `validate` used to call that valid. The rules read `Network.dci` (routers and attachments),
`Network.fabrics` and `Network.optical`, so a Network loaded from JSON is judged like a fresh one. A pure
optical plan between sites without fabrics stays valid: the rules only speak where a site has fabrics.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

from netweave.lint import Finding, rule
from netweave.network.model import Network


def _site_fabrics(network: Network) -> dict[str, dict[str, str]]:
    """Site -> fabric name -> design path of the fabric."""
    sites: dict[str, dict[str, str]] = defaultdict(dict)
    for info in network.fabrics:
        sites[info.site][info.name] = info.origin
    for device in network.devices:  # a module that reports no FabricInfo still has devices
        if device.fabric != "dci" and device.fabric not in sites[device.site]:
            sites[device.site][device.fabric] = device.origin
    return sites


@rule("dci-unattached", "error", "every DCI router of a site with fabrics has a path into one of them")
def dci_unattached(network: Network) -> Iterator[Finding]:
    if network.dci is None:
        return
    sites = _site_fabrics(network)
    attached = {a.router for a in network.dci.attachments}
    for router in network.dci.routers:
        fabrics = sites.get(router.site)
        if router.existing or router.name in attached or not fabrics:
            continue
        first = sorted(fabrics)[0]
        yield dci_unattached.finding(
            router.origin,
            f"DCI router {router.name} has no path into a fabric of site {router.site} "
            f"({', '.join(sorted(fabrics))}): its carriers would carry only the DCI routers' own loopbacks",
            f"add optical.attachments: [{{fabric: {first}, router: {router.name}, tier: spine}}]",
            router.name,
        )


@rule("dci-fabric-unreached", "error", "every fabric of a site that has a DCI router reaches one")
def dci_fabric_unreached(network: Network) -> Iterator[Finding]:
    if network.dci is None:
        return
    routers_by_site: dict[str, list[str]] = defaultdict(list)
    for router in network.dci.routers:
        routers_by_site[router.site].append(router.name)
    reached = {a.fabric for a in network.dci.attachments}
    devices = network.device_by_name
    reached |= {devices[r.name].fabric for r in network.dci.routers if r.existing and r.name in devices}
    for site, fabrics in sorted(_site_fabrics(network).items()):
        routers = routers_by_site.get(site)
        if not routers:
            continue
        for fabric, origin in sorted(fabrics.items()):
            if fabric in reached:
                continue
            yield dci_fabric_unreached.finding(
                origin,
                f"fabric {fabric} reaches no DCI router, though site {site} has {', '.join(routers)}: "
                "no other site can reach it",
                f"add optical.attachments: [{{fabric: {fabric}, router: {routers[0]}}}]",
            )


@rule("dci-capacity", "error", "the fabrics reach each DCI router with at least the capacity of its carriers")
def dci_capacity(network: Network) -> Iterator[Finding]:
    if network.dci is None:
        return
    carriers: dict[str, float] = defaultdict(float)
    for c in network.optical:
        carriers[c.a.device] += c.bit_rate_gbps
        carriers[c.b.device] += c.bit_rate_gbps
    attached: dict[str, int] = defaultdict(int)
    origin: dict[str, str] = {}
    for a in network.dci.attachments:
        attached[a.router] += a.capacity_gbps
        origin.setdefault(a.router, a.origin)
    for router in network.dci.routers:
        if router.name not in attached or attached[router.name] >= carriers[router.name]:
            continue  # unattached routers are dci-unattached's to report
        yield dci_capacity.finding(
            origin[router.name],
            f"fabrics reach {router.name} with {attached[router.name]}G, but its carriers carry "
            f"{carriers[router.name]:g}G: the DCI cannot be filled",
            "add links_per_device, a faster speed or another tier to its attachments, or fewer carriers",
            router.name,
        )


STRETCH_NOS = frozenset({"frr"})
"""NOSes whose DCI routers render stretched VRFs (netweave.dci.stretch); others would silently not carry them."""
LINUX_IFNAMSIZ = 15
"""Longest Linux interface name: an FRR DCI router's `<vrf>-dci` is a kernel VRF device."""


@rule("dci-stretched-vrf", "error", "a stretched VRF exists in every site and its interconnect numbering is its own")
def dci_stretched_vrf(network: Network) -> Iterator[Finding]:
    """What re-origination at the DCI edge needs (netweave.dci.stretch): the VRF in an attached fabric of
    every site with DCI routers, one numbering per site (the router holds one fabric side), an interconnect
    L3 VNI that no site's fabric or other stretched VRF uses (one VNI, one VRF on the router) and an
    interconnect route target that no site's fabric uses (else the fabric would import the other sites'
    routes directly and the translation would be bypassed), on DCI routers whose NOS renders it."""
    if network.dci is None:
        return
    attached = {s.fabric for v in network.dci.stretched for s in v.sites}
    fabric_vnis = {vni: f for f in attached for vni in _vnis(network, f)}
    fabric_rts = {rt: f for f in attached for rt in _rts(network, f)}
    interconnect: dict[int, list[str]] = defaultdict(list)
    for vrf in network.dci.stretched:
        interconnect[vrf.l3vni].append(vrf.name)
    for vrf in network.dci.stretched:
        for site in vrf.missing:
            yield dci_stretched_vrf.finding(
                vrf.origin,
                f"VRF {vrf.name} is stretched, but no fabric of site {site} attached to a DCI router has it: "
                "it would not be carried there",
                f"add {vrf.name} to evpn.vrfs of a fabric of {site}, or attach the fabric that has it",
            )
        by_site: dict[str, set[tuple[int, str]]] = defaultdict(set)
        for s in vrf.sites:
            by_site[s.site].add((s.l3vni, s.route_target))
        for site, plans in sorted(by_site.items()):
            if len(plans) > 1:
                yield dci_stretched_vrf.finding(
                    vrf.origin,
                    f"VRF {vrf.name} is numbered differently by the fabrics of site {site} "
                    f"({', '.join(f'{vni}/{rt}' for vni, rt in sorted(plans))}): the DCI router holds one fabric side",
                    "give the VRF one L3 VNI and route target in every fabric of the site",
                )
        if vrf.l3vni in fabric_vnis or len(interconnect[vrf.l3vni]) > 1:
            user = fabric_vnis.get(vrf.l3vni) or next(n for n in interconnect[vrf.l3vni] if n != vrf.name)
            yield dci_stretched_vrf.finding(
                vrf.origin,
                f"interconnect L3 VNI {vrf.l3vni} of VRF {vrf.name} is also used by {user}: one VNI maps to one "
                "VRF on the DCI router",
                "choose an L3 VNI that no site's fabric and no other stretched VRF uses",
            )
        if vrf.route_target in fabric_rts:
            yield dci_stretched_vrf.finding(
                vrf.origin,
                f"interconnect route target {vrf.route_target} of VRF {vrf.name} is also used in fabric "
                f"{fabric_rts[vrf.route_target]}: its leaves would import other sites' routes directly, "
                "bypassing the DCI edge",
                "choose a route target that no site's fabric uses",
            )
        if len(vrf.name) + len("-dci") > LINUX_IFNAMSIZ:
            yield dci_stretched_vrf.finding(
                vrf.origin,
                f"VRF {vrf.name}: the DCI router's interconnect VRF {vrf.name}-dci is longer than Linux's "
                f"{LINUX_IFNAMSIZ}-character interface names",
                f"stretch a VRF of at most {LINUX_IFNAMSIZ - 4} characters",
            )
    yield from _stretch_nos(network)


def _stretch_nos(network: Network) -> Iterator[Finding]:
    """DCI routers that would hold stretched VRFs on a NOS that does not render them."""
    assert network.dci is not None
    devices = network.device_by_name
    for name, policy in sorted(network.dci.policies.items()):
        router = devices.get(name)
        if policy.vrfs and router is not None and router.nos not in STRETCH_NOS:
            origin = next((r.origin for r in network.dci.routers if r.name == name), "optical.routers")
            yield dci_stretched_vrf.finding(
                origin,
                f"DCI router {name} runs {router.nos}, which does not render stretched VRFs yet "
                f"({', '.join(v.name for v in policy.vrfs)} would not be carried)",
                f"use a NOS that does ({', '.join(sorted(STRETCH_NOS))}) for the DCI routers",
                name,
            )


def _vnis(network: Network, fabric: str) -> list[int]:
    overlay = network.evpn.get(fabric)
    if overlay is None:
        return []
    return [v.l3vni for v in overlay.vrfs] + [s.vni for s in overlay.l2vnis]


def _rts(network: Network, fabric: str) -> list[str]:
    overlay = network.evpn.get(fabric)
    if overlay is None:
        return []
    return [v.route_target for v in overlay.vrfs] + [s.route_target for s in overlay.l2vnis]
