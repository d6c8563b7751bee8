"""Routing across sites: site summaries, latency-ranked paths and each DCI router's policy (`DciInfo`).

Decisions, made once here so every NOS renders the same ones in its own idiom:

- **Summaries, never p2p links.** A site announces the loopback and server (GPU) pools of the fabrics that
  reach its DCI routers, as aggregates (summary-only) plus each DCI router's own loopback. The aggregates
  exist only while a more-specific is learnt from the fabric: a site whose fabrics are down withdraws them,
  so the other sites do not send it traffic to drop. Carriers export only the local summaries (no transit
  through a third site), import only the other sites' summaries; fabric sessions bring in only
  more-specifics of the site's own pools.
- **Latency picks the path.** Each demand between two sites is a path with the one-way latency of its
  carriers (optical model: length x group index / c). Its sessions announce MED = the latency band
  (`optical.latency_band_us`) above the site pair's fastest path, so the lower-latency line system wins by
  BGP's own rule and paths within one band share the load. MED (not AS-path prepend) because both paths
  lead to the same neighbour AS, where MED is compared, and it leaves AS paths, and so loop detection and
  multipath-relax, untouched. The carriers of one path have equal attributes: eBGP multipath (ECMP).
- **Stretched EVPN VRFs** (`optical.stretched_vrfs`, `netweave.dci.stretch`): re-origination at the DCI edge
  (EVPN type-5 of the stretched VRF re-announced by the DCI router with its own RD and the interconnect's route
  target, as in RFC 9014's gateway model) rather than end-to-end EVPN, because the sites' fabrics number VNIs,
  ASNs and anycast MACs on their own and a gateway keeps one site's MAC churn out of the other.
"""

from __future__ import annotations

import ipaddress
from collections import defaultdict

from netweave.dci.intent import OpticalIntent
from netweave.network.model import (
    BgpSession,
    CarrierReport,
    DciAttachmentInfo,
    DciCarrierPolicy,
    DciPath,
    DciRouterInfo,
    DciRouting,
    Device,
    Network,
    SiteSummary,
)

SUMMARY_POOLS = ("loopbacks", "gpu")
"""Pool purposes a site announces (RFC 7938's loopbacks and server subnets; never p2p)."""


def site_summaries(
    network: Network, routers: list[DciRouterInfo], attachments: list[DciAttachmentInfo]
) -> list[SiteSummary]:
    """Per site with a DCI router: the pools of its fabrics that reach a DCI router, in canonical order."""
    devices = {d.name: d for d in network.devices}  # not the cached property: expansion is still adding devices
    reached = {a.fabric for a in attachments}
    reached |= {devices[r.name].fabric for r in routers if r.existing and r.name in devices}
    prefixes: dict[str, set[str]] = defaultdict(set)
    for pool in network.pools:
        if pool.purpose in SUMMARY_POOLS and pool.site and pool.fabric in reached:
            prefixes[pool.site].add(pool.prefix)
    by_site: dict[str, list[str]] = defaultdict(list)
    for router in routers:
        by_site[router.site].append(router.name)
    return [
        SiteSummary(site=site, prefixes=_sorted(prefixes.get(site, set())), routers=names)
        for site, names in sorted(by_site.items())
    ]


def dci_paths(intent: OpticalIntent, carriers: list[CarrierReport], routers: dict[str, Device]) -> list[DciPath]:
    """One path per demand, with its MED from the latency band above its site pair's fastest path."""
    by_demand: dict[str, list[CarrierReport]] = defaultdict(list)
    for carrier in carriers:
        by_demand[carrier.demand].append(carrier)
    paths: list[DciPath] = []
    for i, demand in enumerate(intent.demands):
        own = by_demand.get(demand.name, [])
        if not own:
            continue
        paths.append(
            DciPath(
                name=demand.name,
                site_a=routers[demand.a].site,
                site_b=routers[demand.b].site,
                line_systems=list(demand.route),
                carriers=[c.carrier for c in own],
                latency_us=max(c.latency_us for c in own),
                capacity_gbps=sum(c.bit_rate_gbps for c in own),
                margin_db=min(c.margin_db for c in own),
                med=0,
                origin=f"optical.demands[{i}]",
                lab_loss=demand.lab_loss,
            )
        )
    fastest: dict[frozenset[str], float] = {}
    for path in paths:
        pair = frozenset((path.site_a, path.site_b))
        fastest[pair] = min(fastest.get(pair, path.latency_us), path.latency_us)
    for path in paths:
        above = path.latency_us - fastest[frozenset((path.site_a, path.site_b))]
        path.med = int(above // intent.latency_band_us)
    return paths


def router_policies(
    routers: dict[str, Device],
    summaries: list[SiteSummary],
    paths: list[DciPath],
    carriers: list[CarrierReport],
    sessions: list[BgpSession],
    attachments: list[DciAttachmentInfo],
) -> dict[str, DciRouting]:
    """Every DCI router's policy: what it aggregates and announces, what it accepts, MED per carrier session."""
    by_site = {s.site: s.prefixes for s in summaries}
    med = {p.name: p.med for p in paths}
    carrier_path = {(c.a.device, c.a.interface): c.demand for c in carriers}
    carrier_path |= {(c.b.device, c.b.interface): c.demand for c in carriers}
    attached: dict[str, set[str]] = defaultdict(set)  # a router may serve several fabrics
    for attachment in attachments:
        attached[attachment.router].update(attachment.devices)
    policies: dict[str, DciRouting] = {}
    for name, router in sorted(routers.items()):
        remote = [p for site, prefixes in by_site.items() if site != router.site for p in prefixes]
        remote += [f"{r.loopback}/32" for r in routers.values() if r.site != router.site]
        policy = DciRouting(
            site=router.site,
            aggregates=list(by_site.get(router.site, [])),
            announce=[*by_site.get(router.site, []), f"{router.loopback}/32"],
            remote=_sorted(set(remote)),
        )
        fabric = attached.get(name, set())
        for session in sessions:
            for local, peer in ((session.a, session.b), (session.b, session.a)):
                if local.device != name or peer.address is None:
                    continue
                path = carrier_path.get((local.device, local.interface))
                if path is not None:
                    policy.carriers.append(
                        DciCarrierPolicy(
                            peer_address=peer.address,
                            peer_device=peer.device,
                            interface=local.interface,
                            path=path,
                            med=med.get(path, 0),
                        )
                    )
                elif peer.device in fabric:
                    policy.fabric_peers.append(peer.address)
        policies[name] = policy
    return policies


def _sorted(prefixes: set[str]) -> list[str]:
    """Prefixes in address order (not string order: 10.9 before 10.10)."""
    return sorted(prefixes, key=lambda p: ipaddress.ip_network(p))
