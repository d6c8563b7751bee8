"""Attach each site's fabrics to its DCI routers: links, interfaces and eBGP sessions (`optical.attachments`).

Without attachments a DCI router is an island: its carriers would only carry the routers' own loopbacks.
An attachment cables every device of one tier of a fabric (border leaves, spines or super-spines) to a
DCI router of the same site, `links_per_device` links each, with a /31 from `optical.addressing.attachments`
and a single-hop eBGP session, through the same `Wiring` every fabric cable uses.

Stable slots: link n (1-based) of the device with rank r (its place in the tier, ordered by the module's own
stable slot) of attachment i is /31 #`i x max_links_per_attachment + r x links_per_device + n - 1`, so adding
a spine or an attachment never renumbers an existing link. Cages: pinned `ports:` first, else the highest
free cages of each device (fabric modules fill cages from the bottom, so growth keeps its cages) and, on the
router, the highest cages outside the router's `ports:` (which DCI carriers take from the bottom).
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterator
from dataclasses import dataclass

from netweave.catalog.platform import Platform
from netweave.dci.intent import DciAttachment, OpticalIntent
from netweave.errors import Problem
from netweave.fabric import CableEnd, Wiring
from netweave.fabric.ports import breakout_fanout
from netweave.network.allocate import AddressPool
from netweave.network.model import BgpSession, DciAttachmentInfo, Device, Link, Network, PoolUsage
from netweave.nos.naming import interface_name

ROOT = "optical"
DCI_FABRIC = "dci"


@dataclass
class AttachPart:
    """What attachments add to the Network (a `Cabling` for `Wiring`)."""

    links: list[Link]
    sessions: list[BgpSession]
    attachments: list[DciAttachmentInfo]
    pools: list[PoolUsage]


@dataclass(frozen=True, slots=True)
class _Port:
    """One logical port: cage, breakout lane (None at native speed) and the cage's breakout mode."""

    cage: int
    lane: int | None
    breakout: str | None
    lanes: int | None
    """Lanes per cage when broken out (for the vendor name), else None."""


def attach_fabrics(
    intent: OpticalIntent,
    network: Network,
    routers: dict[str, Device],
    platforms: dict[str, Platform],
    problems: list[Problem],
) -> AttachPart:
    """Wire every `optical.attachments[]` entry; problems (unknown fabric, wrong site, no free cage) are
    appended to `problems` with their design paths, and nothing is wired for an attachment that has one."""
    part = AttachPart(links=[], sessions=[], attachments=[], pools=[])
    if not intent.attachments:
        return part
    prefix = intent.addressing.attachments
    if prefix is None:
        problems.append(
            Problem(
                "attachments need an address pool for their links",
                path=f"{ROOT}.addressing",
                hint="add optical.addressing.attachments, e.g. 10.90.2.0/24 (one /31 per link)",
            )
        )
        return part
    pool = _pool(prefix)
    wiring = Wiring(part, pool, bfd=intent.bfd)
    fabrics = _fabric_sites(network)
    router_specs = {r.name: r for r in intent.routers}
    used = _used_cages(network, routers)
    for i, attachment in enumerate(intent.attachments):
        where = f"{ROOT}.attachments[{i}]"
        router = routers.get(attachment.router)
        tier = _tier(attachment, where, network, fabrics, router, problems)
        if router is None or not tier:
            continue
        reserved = set(router_specs[attachment.router].ports or [])
        info = _wire(intent, i, attachment, router, tier, platforms, used, reserved, wiring, problems)
        if info is not None:
            part.attachments.append(info)
    part.pools.append(pool.usage())
    return part


def _pool(prefix: ipaddress.IPv4Network) -> AddressPool:
    return AddressPool(
        "optical attachments", "p2p", prefix, f"{ROOT}.addressing.attachments", fabric=DCI_FABRIC, site=None
    )


def _fabric_sites(network: Network) -> dict[str, str]:
    """Fabric name -> site, from the fabrics' devices (DCI routers of their own are not a fabric)."""
    return {d.fabric: d.site for d in network.devices if d.fabric != DCI_FABRIC}


def _used_cages(network: Network, routers: dict[str, Device]) -> dict[str, set[int]]:
    """Cages already in use per device: fabric cables and DCI carriers."""
    used = {d.name: {i.port for i in d.interfaces} for d in network.devices}
    for name, device in routers.items():
        used[name] = {i.port for i in device.interfaces}
    return used


def _tier(
    attachment: DciAttachment,
    where: str,
    network: Network,
    fabrics: dict[str, str],
    router: Device | None,
    problems: list[Problem],
) -> list[Device]:
    """The attachment's tier devices in rank order (by stable slot), or [] with the problem recorded."""
    if router is None:
        problems.append(
            Problem(
                f"unknown DCI router '{attachment.router}'",
                path=f"{where}.router",
                hint="name a router of optical.routers",
            )
        )
    site = fabrics.get(attachment.fabric)
    if site is None:
        problems.append(
            Problem(
                f"unknown fabric '{attachment.fabric}'",
                path=f"{where}.fabric",
                hint=f"fabrics: {', '.join(sorted(fabrics)) or 'none in this design'}",
            )
        )
        return []
    if router is not None and router.site != site:
        problems.append(
            Problem(
                f"fabric {attachment.fabric} is in site {site}, router {router.name} in {router.site}",
                path=f"{where}.router",
                hint="attach a fabric to a DCI router of its own site; carriers join the sites",
            )
        )
        return []
    tier = sorted(
        (d for d in network.devices if d.fabric == attachment.fabric and d.role == attachment.tier),
        key=lambda d: (d.slot, d.name),
    )
    if attachment.devices is not None:
        names = {d.name for d in tier}
        unknown = [name for name in attachment.devices if name not in names]
        if unknown:
            problems.append(
                Problem(
                    f"not a {attachment.tier} of {attachment.fabric}: {', '.join(unknown)}",
                    path=f"{where}.devices",
                    hint=f"its {attachment.tier} devices: {', '.join(sorted(names))}",
                )
            )
            return []
        tier = [d for d in tier if d.name in attachment.devices]
    if not tier:
        roles = sorted({d.role for d in network.devices if d.fabric == attachment.fabric})
        problems.append(
            Problem(
                f"fabric {attachment.fabric} has no {attachment.tier} devices",
                path=f"{where}.tier",
                hint=f"its tiers: {', '.join(roles)}",
            )
        )
    return tier


def _wire(
    intent: OpticalIntent,
    i: int,
    attachment: DciAttachment,
    router: Device,
    tier: list[Device],
    platforms: dict[str, Platform],
    used: dict[str, set[int]],
    reserved: set[int],
    wiring: Wiring,
    problems: list[Problem],
) -> DciAttachmentInfo | None:
    """Cable every device of `tier` to `router`; None (with a problem) when a speed or cage does not fit."""
    where = f"{ROOT}.attachments[{i}]"
    router_platform = platforms[router.platform]
    speed = attachment.speed or min(_top_speed(router_platform), *(_top_speed(platforms[d.platform]) for d in tier))
    pinned = attachment.ports
    need = len(tier) * attachment.links_per_device
    router_ports = _ports(
        router_platform, speed, used[router.name], reserved, pinned.router if pinned else [], need, router.name
    )
    if isinstance(router_ports, str):
        problems.append(Problem(router_ports, path=f"{where}.ports.router" if pinned else where))
        return None
    stride = intent.addressing.max_links_per_attachment
    if need > stride:
        problems.append(
            Problem(
                f"{need} links do not fit the stride of {stride} /31s per attachment",
                path=f"{ROOT}.addressing.max_links_per_attachment",
                hint=f"raise it to at least {need}",
            )
        )
        return None
    plans: list[tuple[Device, list[_Port]]] = []
    for device in tier:
        ports = _ports(
            platforms[device.platform],
            speed,
            used[device.name],
            set(),
            pinned.fabric if pinned else [],
            attachment.links_per_device,
            device.name,
        )
        if isinstance(ports, str):
            problems.append(Problem(ports, path=f"{where}.ports.fabric" if pinned else where))
            return None
        plans.append((device, ports))
    mtu = intent.mtu
    n = 0
    for rank, (device, ports) in enumerate(plans):
        for k, port in enumerate(ports):
            rport = router_ports[n]
            n += 1
            lower = _end(device, platforms[device.platform], port, speed, mtu)
            upper = _end(router, router_platform, rport, speed, mtu)
            index = i * stride + rank * attachment.links_per_device + k
            wiring.connect(
                lower, upper, index, origin=where, cable_m=attachment.cable_m, label=f"DCI-ATTACH {attachment.fabric} "
            )
    return DciAttachmentInfo(
        fabric=attachment.fabric,
        site=router.site,
        router=router.name,
        tier=attachment.tier,
        devices=[d.name for d in tier],
        links=need,
        capacity_gbps=need * speed,
        origin=where,
    )


def _top_speed(platform: Platform) -> int:
    """Native speed of the highest cage, where attachments start by default."""
    return platform.group_at(platform.port_count).speed


def _end(device: Device, platform: Platform, port: _Port, speed: int, mtu: int) -> CableEnd:
    name = interface_name(device.nos, platform, port.cage, port.lane, port.lanes)
    return CableEnd(device, name, port.cage, speed, mtu, lane=port.lane, breakout=port.breakout)


def _ports(
    platform: Platform,
    speed: int,
    used: set[int],
    reserved: set[int],
    pinned: list[int],
    count: int,
    device: str,
) -> list[_Port] | str:
    """`count` logical ports at `speed` on free cages (pinned, else the highest free ones outside `reserved`);
    the chosen cages are marked used. A string says why there are not enough."""
    out: list[_Port] = []
    cages = pinned or [c for c in range(platform.port_count, 0, -1) if c not in used and c not in reserved]
    taken: list[int] = []
    for cage in cages:
        if len(out) >= count:
            break
        if cage in used or not 1 <= cage <= platform.port_count:
            return f"cage {cage} of {device} is in use or not on its platform"
        lanes = list(_lanes(platform, cage, speed))
        if not lanes:
            group = platform.group_at(cage)
            return f"cage {cage} of {device} ({group.speed}G, breakouts {group.breakouts}) cannot run at {speed}G"
        taken.append(cage)
        out += lanes[: count - len(out)]
    if len(out) < count:
        return f"{device} has {len(out)} free port(s) at {speed}G for {count} DCI attachment link(s)"
    used.update(taken)
    return out


def _lanes(platform: Platform, cage: int, speed: int) -> Iterator[_Port]:
    """The logical ports of `cage` at `speed`: the cage itself at native speed, its lanes by breakout, or none."""
    group = platform.group_at(cage)
    if group.speed == speed:
        yield _Port(cage, None, None, None)
        return
    fanout = breakout_fanout(group.breakouts, speed)
    for lane in range(1, fanout + 1):
        yield _Port(cage, lane, f"{fanout}x{speed}", fanout)
