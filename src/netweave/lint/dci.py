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
