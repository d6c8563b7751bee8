"""Data gathering: everything a documentation page shows, computed once from the Network and lint findings.

Pages and diagrams read these plain records and never the YAML (later stages never reach back to the
design). Each function makes one pass over the network's lists, because at 100,000 GPUs there are
4,160 switches, 12,500 servers and 200,352 links and a per-device scan of the links would cost minutes.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from netweave.lint import Finding
from netweave.network.allocate import PoolUsage
from netweave.network.model import (
    CarrierReport,
    Device,
    EvpnOverlay,
    FabricInfo,
    Link,
    Network,
    QosProfile,
    SectionReport,
)

DCI_FABRIC = "dci"
"""`Device.fabric` of routers built by the optical section (they belong to a site, not to a fabric)."""

_UNSAFE = re.compile(r"[^a-z0-9._-]+")


def slug(text: str) -> str:
    """A file-name-safe form of a name (design names are already `[a-z0-9-]`; carriers and interfaces
    carry `/`, and defence in depth costs nothing)."""
    return _UNSAFE.sub("_", text.lower()).strip("_") or "_"


def device_page(name: str) -> str:
    """Site-relative path of a device's page."""
    return f"devices/{slug(name)}.html"


def fabric_page(site: str, fabric: str) -> str:
    """Site-relative path of a fabric's page (fabric names are only unique within a site)."""
    return f"fabric-{slug(site)}-{slug(fabric)}.html"


@dataclass(slots=True)
class RoleAsns:
    """The ASN plan of one tier: how many switches and which ASNs they use."""

    role: str
    devices: int
    asns: int
    """Distinct ASNs in the tier (1 = shared, as RFC 7938 gives spines; = devices when each has its own)."""
    lowest: int
    highest: int


@dataclass(slots=True)
class Oversubscription:
    """Leaves that share one downlink:uplink ratio."""

    ratio: float
    leaves: int
    downlink_gbps: int
    uplink_gbps: int
    target: float | None


@dataclass(slots=True)
class FabricDoc:
    """What the fabric page shows."""

    info: FabricInfo
    page: str
    devices: list[Device]
    roles: Counter[str]
    asns: list[RoleAsns]
    pools: list[PoolUsage]
    oversubscription: list[Oversubscription]
    qos: list[QosProfile]
    evpn: EvpnOverlay | None
    findings: list[Finding]
    servers: int
    platforms: Counter[str]
    nos: Counter[str]


@dataclass(slots=True)
class SiteDoc:
    """A site: its fabrics and the DCI routers that stand in it."""

    name: str
    fabrics: list[FabricDoc] = field(default_factory=list)
    dci_routers: list[Device] = field(default_factory=list)


@dataclass(slots=True)
class LineSystemDoc:
    """An optical line system with the carriers that cross it."""

    section: SectionReport
    carriers: list[CarrierReport]

    @property
    def free_ghz(self) -> float:
        return self.section.band_ghz - self.section.used_ghz

    @property
    def free_ranges(self) -> list[tuple[int, int]]:
        """Unoccupied [low, high] MHz ranges of the usable band, lowest first (where new carriers can go)."""
        free: list[tuple[int, int]] = []
        cursor = self.section.band_low_mhz
        for use in sorted(self.section.used, key=lambda u: (u.low_mhz, u.high_mhz)):
            if use.low_mhz > cursor:
                free.append((cursor, min(use.low_mhz, self.section.band_high_mhz)))
            cursor = max(cursor, use.high_mhz)
        if cursor < self.section.band_high_mhz:
            free.append((cursor, self.section.band_high_mhz))
        return free

    @property
    def failing(self) -> list[CarrierReport]:
        return [c for c in self.carriers if not carrier_passes(c)]


@dataclass(slots=True)
class Docs:
    """Everything the site shows, gathered once."""

    name: str
    sites: list[SiteDoc]
    line_systems: list[LineSystemDoc]
    carriers: list[CarrierReport]
    findings: list[Finding]
    """Every lint finding (the fabric pages show their own; the index shows the rest)."""
    unplaced: list[Finding]
    """Findings that belong to no fabric (optical section, design-wide)."""
    links_by_device: dict[str, list[Link]]
    devices: int
    servers: int
    links: int
    gpus: int


def carrier_passes(carrier: CarrierReport) -> bool:
    """The verdict the optical-margin lint gives: pass, and the margin above the design's minimum."""
    return carrier.verdict == "pass" and carrier.margin_db >= carrier.min_margin_db


def direction_passes(carrier: CarrierReport, margin_db: float) -> bool:
    """One fibre direction of a carrier passes when its own margin keeps the design's minimum."""
    return carrier.verdict != "blocked" and margin_db >= carrier.min_margin_db


def gather(network: Network, findings: Iterable[Finding]) -> Docs:
    """Group the network by site and fabric and compute every summary the pages show."""
    all_findings = list(findings)
    links_by_device: dict[str, list[Link]] = defaultdict(list)
    for link in network.links:
        links_by_device[link.a.device].append(link)
        links_by_device[link.b.device].append(link)
    by_fabric: dict[tuple[str, str], list[Device]] = defaultdict(list)
    dci: dict[str, list[Device]] = defaultdict(list)
    for device in network.devices:
        if device.role == "dci" and device.fabric == DCI_FABRIC:
            dci[device.site].append(device)
        else:
            by_fabric[(device.site, device.fabric)].append(device)
    servers = Counter((s.site, s.fabric) for s in network.servers)
    sites: dict[str, SiteDoc] = {}
    placed: set[int] = set()
    for info in network.fabrics:
        devices = by_fabric.get((info.site, info.name), [])
        own = _fabric_findings(info, devices, all_findings)
        placed.update(id(f) for f in own)
        doc = FabricDoc(
            info=info,
            page=fabric_page(info.site, info.name),
            devices=devices,
            roles=Counter(d.role for d in devices),
            asns=asn_plan(devices),
            pools=[p for p in network.pools if _within(p.origin, info.origin)],
            oversubscription=oversubscription(devices, info),
            qos=[network.qos_profiles[k] for k in sorted({d.qos for d in devices if d.qos is not None})],
            evpn=network.evpn.get(info.name),
            findings=own,
            servers=servers.get((info.site, info.name), 0),
            platforms=Counter(d.platform for d in devices),
            nos=Counter(d.nos for d in devices),
        )
        sites.setdefault(info.site, SiteDoc(info.site)).fabrics.append(doc)
    for site, routers in dci.items():
        sites.setdefault(site, SiteDoc(site)).dci_routers = routers
    line_systems = [
        LineSystemDoc(section, [c for c in network.optical if section.name in c.sections])
        for section in network.optical_sections
    ]
    return Docs(
        name=network.name,
        sites=list(sites.values()),
        line_systems=line_systems,
        carriers=list(network.optical),
        findings=all_findings,
        unplaced=[f for f in all_findings if id(f) not in placed],
        links_by_device=dict(links_by_device),
        devices=len(network.devices),
        servers=len(network.servers),
        links=len(network.links),
        gpus=sum(info.gpus for info in network.fabrics),
    )


def _within(path: str, prefix: str) -> bool:
    """True when design path `path` is `prefix` or below it (`sites[0].fabrics[1]` is not below `...[10]`)."""
    return bool(prefix) and (path == prefix or path.startswith((prefix + ".", prefix + "[")))


def _fabric_findings(info: FabricInfo, devices: list[Device], findings: list[Finding]) -> list[Finding]:
    names = {d.name for d in devices}
    return [f for f in findings if _within(f.path, info.origin) or (f.device is not None and f.device in names)]


def asn_plan(devices: list[Device]) -> list[RoleAsns]:
    """Per tier (in tier order): switches, distinct ASNs and their range."""
    by_role: dict[str, list[int]] = defaultdict(list)
    for device in devices:
        by_role[device.role].append(device.asn)
    return [
        RoleAsns(role, len(asns), len(set(asns)), min(asns), max(asns))
        for role, asns in sorted(by_role.items(), key=lambda item: ROLE_ORDER.get(item[0], 99))
    ]


ROLE_ORDER = {"super-spine": 0, "spine": 1, "border-leaf": 2, "leaf": 2, "dci": 3}
"""Top to bottom, as the diagrams draw the tiers."""


def oversubscription(devices: list[Device], info: FabricInfo) -> list[Oversubscription]:
    """Leaves grouped by downlink:uplink ratio (uplinks = fabric ports towards a higher tier)."""
    roles = {d.name: d.role for d in devices}
    groups: Counter[tuple[int, int]] = Counter()
    targets: dict[tuple[int, int], float | None] = {}
    for device in devices:
        if device.role not in ("leaf", "border-leaf") or not device.downlink_gbps:
            continue
        up = sum(
            i.speed
            for i in device.interfaces
            if i.kind == "fabric" and i.peer_device is not None and roles.get(i.peer_device, "spine") == "spine"
        )
        key = (device.downlink_gbps, up)
        groups[key] += 1
        targets[key] = device.oversubscription_max
    return [
        Oversubscription(
            ratio=round(down / up, 2) if up else float("inf"),
            leaves=count,
            downlink_gbps=down,
            uplink_gbps=up,
            target=targets[(down, up)] if targets[(down, up)] is not None else info.oversubscription_target,
        )
        for (down, up), count in sorted(groups.items())
    ]
