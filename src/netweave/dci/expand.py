"""Expand the `optical:` intent into DCI routers, carrier links, eBGP sessions and QoT reports.

Steps, top to bottom (each a small function):

1. routers: new DCI routers (role `dci`) or existing fabric devices by name;
2. line systems -> `LineSystem`; each demand's route -> one `OpticalPath` per direction;
3. mode: the fastest mode of the demand's optic that passes in *both* directions (`choose_demand_mode`),
   with the reasons every faster mode was rejected; carriers = ceil(capacity / mode rate);
4. spectrum: stable first-fit (`assign_spectrum`) with the design's pinned `frequencies:` as the previous
   assignment; new carriers are placed in carrier-id order, so re-expanding one design is identical;
5. ports: pinned ports first, then the first free port of each router, demands in design order;
6. per carrier: both interfaces (with `Optics`), a `dci` link with a /31 from the DCI pool, an eBGP
   session, and a `CarrierReport` with the QoT of both directions at the assigned frequency.

New routers, both interfaces, the link and the session of a carrier, and the pools come from the
`netweave.fabric` kit (`DeviceFactory`, `Wiring`), as in every fabric module.

Stable slots: a carrier link's /31 is `router index x max_ports_per_router + port - 1` of its a-end, so it
depends only on where the carrier is plugged in, never on how many other demands exist.
"""

from __future__ import annotations

import difflib
import ipaddress
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from netweave.catalog.platform import Platform
from netweave.dci.attach import attach_fabrics
from netweave.dci.demand_checks import check_demand
from netweave.dci.intent import DciDemand, DciRouter, OpticalIntent
from netweave.dci.modes import ModeChoice, choose_demand_mode
from netweave.dci.qot_report import carrier_report, section_report
from netweave.dci.routing import dci_paths, router_policies, site_summaries
from netweave.dci.stretch import add_router_vrfs, carry_evpn, stretched_vrfs
from netweave.errors import DesignError, Problem
from netweave.fabric import CableEnd, DeviceFactory, Wiring, sort_interfaces, unknown_platform
from netweave.intent.design import Design
from netweave.network.allocate import AddressPool, PoolUsage
from netweave.network.model import (
    BgpSession,
    CarrierReport,
    DciInfo,
    DciRouterInfo,
    Device,
    Endpoint,
    Link,
    Network,
    Optics,
    SectionReport,
)
from netweave.nos.naming import interface_name
from netweave.optical import LineSystem, ModeCatalogue, Section, SpectrumDemand, assign_spectrum, default_catalogue
from netweave.optical.spectrum import SpectrumPlan

ROOT = "optical"
DCI_FABRIC = "dci"
"""The `fabric` of DCI routers and pools: they belong to no fabric of a site."""


def optical_intent(design: Design) -> OpticalIntent | None:
    """The design's `optical:` section (added to the model by the registry), or None."""
    value = getattr(design, "optical", None)
    return value if isinstance(value, OpticalIntent) else None


@dataclass
class OpticalPart:
    """What the optical section adds to the Network."""

    devices: list[Device] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    sessions: list[BgpSession] = field(default_factory=list)
    pools: list[PoolUsage] = field(default_factory=list)
    carriers: list[CarrierReport] = field(default_factory=list)
    sections: list[SectionReport] = field(default_factory=list)
    dci: DciInfo = field(default_factory=DciInfo)


def expand_optical(
    intent: OpticalIntent, network: Network, platforms: dict[str, Platform], sites: set[str] | None = None
) -> OpticalPart:
    """Derive the DCI part of the Network. `network` holds the fabrics expanded so far (existing routers).

    `sites` are the design's site names (a new router must be in one); None = the sites of `network`.
    Raises `DesignError` with `optical.*` design paths for intent that cannot be built (unknown router,
    route that does not connect the two ends, unknown mode). QoT failures are not errors here: they are
    reported in the `CarrierReport`s and judged by lint.
    """
    problems: list[Problem] = []
    catalogue = default_catalogue().merged(intent.modes)
    lines = _line_systems(intent, problems)
    part = OpticalPart()
    routers = _routers(intent, network, platforms, part, problems, sites)
    if problems:
        raise DesignError(problems)
    for i, demand in enumerate(intent.demands):
        check_demand(intent, demand, f"{ROOT}.demands[{i}]", routers, lines, catalogue, problems)
    if problems:
        raise DesignError(problems)
    choices = _choose_modes(intent, routers, lines, catalogue)
    carriers = _carriers(intent, choices)
    sections = [Section.from_line_system(line) for line in lines.values()]
    spectrum_demands = [
        SpectrumDemand(
            id=carrier.id,
            sections=tuple(carrier.demand.route),
            width_ghz=choices[carrier.demand.name].mode.channel_width_ghz,
            tuning_range=choices[carrier.demand.name].mode.tuning_range,
        )
        for carrier in carriers
    ]
    spectrum = assign_spectrum(sections, spectrum_demands, intent.frequencies, centre_step_ghz=intent.centre_step_ghz)
    ports = _allocate_ports(intent, routers, platforms, carriers, problems)
    if problems:
        raise DesignError(problems)
    _wire_carriers(intent, routers, platforms, carriers, choices, ports, spectrum, part)
    attached = attach_fabrics(intent, network, routers, platforms, problems)
    if problems:
        raise DesignError(problems)
    part.links += attached.links
    part.sessions += attached.sessions
    part.pools += attached.pools
    infos = [
        DciRouterInfo(
            name=spec.name, site=routers[spec.name].site, existing=spec.existing, origin=f"{ROOT}.routers[{i}]"
        )
        for i, spec in enumerate(intent.routers)
    ]
    summaries = site_summaries(network, infos, attached.attachments)
    paths = dci_paths(intent, part.carriers, routers)
    part.dci = DciInfo(
        routers=infos,
        attachments=attached.attachments,
        sites=summaries,
        paths=paths,
        policies=router_policies(routers, summaries, paths, part.carriers, part.sessions, attached.attachments),
        stretched=stretched_vrfs(intent, network, infos, attached.attachments),
    )
    add_router_vrfs(part.dci.policies, routers, part.dci.stretched)
    carry_evpn(part.dci.policies, part.sessions)
    touched = {name for info in attached.attachments for name in info.devices}
    for device in [*routers.values(), *(d for d in network.devices if d.name in touched)]:
        sort_interfaces(device)
    part.carriers.sort(key=lambda c: c.carrier)
    part.sections = [
        section_report(line, spectrum.section_usage(line.name), f"{ROOT}.line_systems[{i}]")
        for i, line in enumerate(lines.values())
    ]
    return part


@dataclass(frozen=True, slots=True)
class _Carrier:
    """Carrier `n` (1-based) of demand `index`: one wavelength, one router port at each end."""

    index: int
    demand: DciDemand
    id: str
    """'<demand>/<n>'."""
    n: int


def _choose_modes(
    intent: OpticalIntent, routers: dict[str, Device], lines: dict[str, LineSystem], catalogue: ModeCatalogue
) -> dict[str, ModeChoice]:
    """The mode of every demand, by demand name (see `netweave.dci.modes.choose_demand_mode`)."""
    problems: list[Problem] = []
    choices: dict[str, ModeChoice] = {}
    for i, demand in enumerate(intent.demands):
        try:
            choices[demand.name] = choose_demand_mode(intent, demand, routers, lines, catalogue)
        except ValueError as exc:  # e.g. line systems whose amplifier bands do not overlap
            problems.append(Problem(f"route of demand {demand.name}: {exc}", path=f"{ROOT}.demands[{i}].route"))
    if problems:
        raise DesignError(problems)
    return choices


def _carriers(intent: OpticalIntent, choices: dict[str, ModeChoice]) -> list[_Carrier]:
    """ceil(capacity / mode rate) carriers per demand, in design order."""
    carriers: list[_Carrier] = []
    for i, demand in enumerate(intent.demands):
        count = math.ceil(demand.capacity_gbps / choices[demand.name].mode.bit_rate_gbps)
        carriers += [_Carrier(i, demand, f"{demand.name}/{n}", n) for n in range(1, count + 1)]
    return carriers


def _wire_carriers(
    intent: OpticalIntent,
    routers: dict[str, Device],
    platforms: dict[str, Platform],
    carriers: Sequence[_Carrier],
    choices: dict[str, ModeChoice],
    ports: dict[tuple[str, str], int],
    spectrum: SpectrumPlan,
    part: OpticalPart,
) -> None:
    """Per carrier: both interfaces (with `Optics`), the `dci` link with a /31 from the DCI pool, the eBGP
    session and the carrier's QoT report. The /31 is #(router index x max_ports_per_router + port - 1)."""
    p2p = AddressPool("optical p2p", "p2p", intent.addressing.p2p, f"{ROOT}.addressing.p2p", fabric=DCI_FABRIC)
    wiring = Wiring(part, p2p, bfd=intent.bfd)
    router_index = {r.name: i for i, r in enumerate(intent.routers)}
    stride = intent.addressing.max_ports_per_router
    for carrier in carriers:
        demand, cid = carrier.demand, carrier.id
        choice = choices[demand.name]
        mode = choice.mode
        a, b = routers[demand.a], routers[demand.b]
        a_port, b_port = ports[(cid, "a")], ports[(cid, "b")]
        assignment = spectrum.assignments.get(cid)
        frequency = assignment.centre_mhz if assignment is not None else None
        tx_power = demand.tx_power_dbm if demand.tx_power_dbm is not None else mode.tx_power_typical_dbm
        speed = int(mode.bit_rate_gbps)
        origin = f"{ROOT}.demands[{carrier.index}]"
        ends = []
        for device, port in ((a, a_port), (b, b_port)):
            optics = (
                None
                if frequency is None
                else Optics(
                    mode=mode.name,
                    frequency_mhz=frequency,
                    target_power_dbm=tx_power,
                    operational_mode=mode.operational_mode_id,
                    carrier=cid,
                )
            )
            name = interface_name(device.nos, platforms[device.platform], port)
            ends.append(CableEnd(device, name, port, speed, intent.mtu, optics=optics))
        index = router_index[demand.a] * stride + a_port - 1
        wiring.connect(ends[0], ends[1], index, origin=origin, kind="dci", label=f"DCI {cid} ")
        part.carriers.append(
            carrier_report(
                intent,
                demand,
                origin,
                cid,
                choice,
                frequency,
                tx_power,
                assignment.kept if assignment is not None else False,
                spectrum.blocked.get(cid),
                Endpoint(device=a.name, interface=ends[0].interface),
                Endpoint(device=b.name, interface=ends[1].interface),
            )
        )
    part.pools.append(p2p.usage())


def _line_systems(intent: OpticalIntent, problems: list[Problem]) -> dict[str, LineSystem]:
    lines: dict[str, LineSystem] = {}
    for i, spec in enumerate(intent.line_systems):
        forward, backward = spec.elements()
        extra: dict[str, Any] = {}  # only what the spec sets: LineSystem keeps its own defaults
        if spec.band is not None:
            extra["band"] = spec.band
        if spec.wdm_load is not None:
            extra["wdm_load"] = spec.wdm_load
        try:
            line = LineSystem(
                name=spec.name,
                site_a=spec.site_a,
                site_b=spec.site_b,
                a_to_b=forward,
                b_to_a=backward,
                launch_power_dbm=spec.launch_power_dbm,
                **extra,
            )
            if line.usable_band() is None:
                raise ValueError("its amplifiers share no common band")
        except ValueError as exc:
            problems.append(Problem(f"line system {spec.name}: {exc}", path=f"{ROOT}.line_systems[{i}]"))
            continue
        lines[spec.name] = line
    return lines


def _routers(
    intent: OpticalIntent,
    network: Network,
    platforms: dict[str, Platform],
    part: OpticalPart,
    problems: list[Problem],
    sites: set[str] | None,
) -> dict[str, Device]:
    """DCI routers by name: new devices (appended to `part.devices`) or existing ones from `network`."""
    addressing = intent.addressing
    mgmt_spec = addressing.management
    factory = None
    if addressing.loopbacks is not None and mgmt_spec is not None:
        factory = DeviceFactory(
            site=None,
            fabric=DCI_FABRIC,
            platforms=platforms,
            loopbacks=_pool("loopbacks", addressing.loopbacks),
            management=_pool("management", mgmt_spec.prefix),
            management_spec=mgmt_spec,
            bfd=intent.bfd,
        )
    if sites is None:
        sites = {device.site for device in network.devices}
    existing = {device.name: device for device in network.devices}  # not the cached property: devices grow
    routers: dict[str, Device] = {}
    for i, spec in enumerate(intent.routers):
        if spec.existing:
            device = _existing_router(spec, i, existing, problems)
        else:
            device = _new_router(spec, i, existing, sites, platforms, factory, problems)
            if device is not None:
                part.devices.append(device)
        if device is not None:
            routers[spec.name] = device
    if factory is not None:  # a pool is listed only when a new router used it
        part.pools += [pool.usage() for pool in (factory.loopbacks, factory.management) if pool.usage().used]
    return routers


def _existing_router(spec: DciRouter, i: int, existing: dict[str, Device], problems: list[Problem]) -> Device | None:
    """A fabric device that terminates DCI (`existing: true`): it must exist, in the site the spec names."""
    where = f"{ROOT}.routers[{i}]"
    device = existing.get(spec.name)
    if device is None:
        close = difflib.get_close_matches(spec.name, sorted(existing), n=1)
        problems.append(
            Problem(
                f"no device named '{spec.name}' in the fabrics",
                path=f"{where}.name",
                hint=f"did you mean '{close[0]}'?"
                if close
                else "set existing: false and give platform/asn for a new DCI router",
            )
        )
        return None
    if device.site != spec.site:
        problems.append(Problem(f"{spec.name} is in site {device.site}, not {spec.site}", path=f"{where}.site"))
    return device


def _new_router(
    spec: DciRouter,
    i: int,
    existing: dict[str, Device],
    sites: set[str],
    platforms: dict[str, Platform],
    factory: DeviceFactory | None,
    problems: list[Problem],
) -> Device | None:
    """A new DCI router at slot `i` of the DCI pools; its name must be free and its site and platform known."""
    where = f"{ROOT}.routers[{i}]"
    if spec.name in existing:
        problems.append(
            Problem(
                f"a fabric already has a device named '{spec.name}'",
                path=f"{where}.name",
                hint="set existing: true to terminate DCI on it, or rename the router",
            )
        )
        return None
    if sites and spec.site not in sites:
        problems.append(
            Problem(f"unknown site '{spec.site}'", path=f"{where}.site", hint=f"sites: {', '.join(sorted(sites))}")
        )
    assert spec.platform is not None and spec.asn is not None  # DciRouter requires both when existing is false
    if spec.platform not in platforms:
        problems.append(unknown_platform(spec.platform, f"{where}.platform", platforms))
        return None
    if factory is None:
        problems.append(
            Problem(
                f"new DCI router {spec.name} needs loopback and management pools",
                path=f"{ROOT}.addressing",
                hint="add addressing.loopbacks and .management",
            )
        )
        return None
    return factory.device(
        spec.name, "dci", spec.platform, slot=i, asn=spec.asn, origin=where, nos=spec.nos, site=spec.site
    )


def _pool(purpose: str, prefix: ipaddress.IPv4Network) -> AddressPool:
    """A DCI pool: it spans sites, so it has no site and belongs to the 'dci' fabric."""
    return AddressPool(f"optical {purpose}", purpose, prefix, f"{ROOT}.addressing.{purpose}", fabric=DCI_FABRIC)


def _allocate_ports(
    intent: OpticalIntent,
    routers: dict[str, Device],
    platforms: dict[str, Platform],
    carriers: Sequence[_Carrier],
    problems: list[Problem],
) -> dict[tuple[str, str], int]:
    """Router port per (carrier, end): pinned first, then the first free usable port, demands in design order."""
    specs = {r.name: r for r in intent.routers}
    used: dict[str, set[int]] = {name: {iface.port for iface in device.interfaces} for name, device in routers.items()}
    chosen: dict[tuple[str, str], int] = {}
    for carrier in carriers:
        i, demand, cid, n = carrier.index, carrier.demand, carrier.id, carrier.n
        if demand.ports is None:
            continue
        for end in ("a", "b"):
            pinned = getattr(demand.ports, end)
            if n <= len(pinned):
                router = getattr(demand, end)
                port = pinned[n - 1]
                if port in used[router]:
                    problems.append(
                        Problem(f"port {port} of {router} is already in use", path=f"{ROOT}.demands[{i}].ports.{end}")
                    )
                used[router].add(port)
                chosen[(cid, end)] = port
    for carrier in carriers:
        i, demand, cid = carrier.index, carrier.demand, carrier.id
        for end in ("a", "b"):
            if (cid, end) in chosen:
                continue
            router = getattr(demand, end)
            device = routers[router]
            spec = specs[router]
            usable = spec.ports or list(range(1, platforms[device.platform].port_count + 1))
            free = next((p for p in usable if p not in used[router]), None)
            if free is None:
                problems.append(
                    Problem(
                        f"{router} has no free DCI port for carrier {cid}",
                        path=f"{ROOT}.demands[{i}]",
                        hint=f"add ports to optical.routers ({router}).ports or a router",
                    )
                )
                continue
            used[router].add(free)
            chosen[(cid, end)] = free
    return chosen
