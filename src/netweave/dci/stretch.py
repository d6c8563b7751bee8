"""Stretched EVPN VRFs across sites (`optical.stretched_vrfs`): re-origination at the DCI edge.

The choice (see `netweave.dci.routing`): RFC 9014's gateway model rather than end-to-end EVPN. Each site's
fabric numbers its VRFs (L3 VNI, route target), ASNs and anycast MACs on its own; the DCI router of a site
holds every stretched VRF twice:

- the **fabric side**, named as the tenant names it, with the site's own L3 VNI and route target: it imports
  the fabric leaves' EVPN type-5 routes and announces the other sites' prefixes back into the fabric;
- the **interconnect side** (`<name>-dci`), with the design's interconnect L3 VNI and route target: it
  announces this site's prefixes to the other DCI routers over the carriers and imports theirs.

The two import each other's routes (VRF route leaking) and each re-originates what it leaked as type-5 with
its own RD and route target, so a site's MAC churn and numbering never reach another site, and a site can
renumber its fabric without touching the others. The EVPN sessions are filtered by route target: carriers
carry only interconnect route targets, fabric sessions never receive them, so the sites' own routes cannot
leak end-to-end around the gateway.

This module only derives the plan (`StretchedVrf` per VRF, `DciVrf` per router); lint (`dci-stretched-vrf`)
judges it and the NOS templates render it.
"""

from __future__ import annotations

from collections import defaultdict

from netweave.dci.intent import OpticalIntent
from netweave.network.model import (
    BgpSession,
    DciAttachmentInfo,
    DciRouterInfo,
    DciRouting,
    DciVrf,
    Device,
    Network,
    StretchedVrf,
    StretchedVrfSite,
)

DCI_SUFFIX = "-dci"
"""Suffix of a stretched VRF's interconnect side on a DCI router."""


def stretched_vrfs(
    intent: OpticalIntent, network: Network, routers: list[DciRouterInfo], attachments: list[DciAttachmentInfo]
) -> list[StretchedVrf]:
    """Per stretched VRF: where each site with DCI routers has it (attached fabrics only), and where it lacks it."""
    devices = {d.name: d for d in network.devices}  # not the cached property: expansion is still adding devices
    site_of = {r.name: r.site for r in routers}
    reached: dict[str, set[str]] = defaultdict(set)
    for attachment in attachments:
        reached[site_of[attachment.router]].add(attachment.fabric)
    for info in routers:
        if info.existing and info.name in devices:
            reached[info.site].add(devices[info.name].fabric)
    sites = sorted({r.site for r in routers})
    result: list[StretchedVrf] = []
    for i, spec in enumerate(intent.stretched_vrfs):
        found: list[StretchedVrfSite] = []
        missing: list[str] = []
        for site in sites:
            here = [
                StretchedVrfSite(site=site, fabric=fabric, l3vni=vrf.l3vni, route_target=vrf.route_target)
                for fabric in sorted(reached[site])
                if fabric in network.evpn
                for vrf in network.evpn[fabric].vrfs
                if vrf.name == spec.name
            ]
            found += here
            if not here:
                missing.append(site)
        result.append(
            StretchedVrf(
                name=spec.name,
                l3vni=spec.l3vni,
                route_target=spec.route_target,
                sites=found,
                missing=missing,
                origin=f"optical.stretched_vrfs[{i}]",
            )
        )
    return result


def add_router_vrfs(policies: dict[str, DciRouting], routers: dict[str, Device], stretched: list[StretchedVrf]) -> None:
    """Give every DCI router the stretched VRFs of its site (the first attached fabric's numbering: lint
    refuses a site whose fabrics number one VRF differently, since the router holds one fabric side)."""
    for name, policy in policies.items():
        site = routers[name].site
        for vrf in stretched:
            local = next((s for s in vrf.sites if s.site == site), None)
            if local is None:
                continue
            policy.vrfs.append(
                DciVrf(
                    name=vrf.name,
                    l3vni=local.l3vni,
                    route_target=local.route_target,
                    dci_name=f"{vrf.name}{DCI_SUFFIX}",
                    dci_l3vni=vrf.l3vni,
                    dci_route_target=vrf.route_target,
                )
            )


def carry_evpn(policies: dict[str, DciRouting], sessions: list[BgpSession]) -> None:
    """Add EVPN to the sessions that carry stretched VRFs: a DCI router with some to its fabric peers, and two
    DCI routers that both have some to each other (their carriers)."""
    with_vrfs = {name for name, policy in policies.items() if policy.vrfs}
    fabric = {(name, address) for name, policy in policies.items() for address in policy.fabric_peers}
    for session in sessions:
        ends = {session.a.device, session.b.device}
        carrier = ends <= with_vrfs
        attachment = any(
            local.device in with_vrfs and (local.device, peer.address) in fabric
            for local, peer in ((session.a, session.b), (session.b, session.a))
        )
        if (carrier or attachment) and "l2vpn-evpn" not in session.afi:
            session.afi.append("l2vpn-evpn")
