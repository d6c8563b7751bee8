"""Expand the `optical:` intent into DCI routers, carrier links, eBGP sessions and QoT reports.

Steps, top to bottom (each a small function):

1. routers: new DCI routers (role `dci`) or existing fabric devices by name;
2. line systems -> `LineSystem`; each demand's route -> one `OpticalPath` per direction;
3. mode: the fastest mode of the demand's optic that passes in *both* directions (`choose_mode`), with the
   reasons every faster mode was rejected; carriers = ceil(capacity / mode rate);
4. spectrum: stable first-fit (`assign_spectrum`) with the design's pinned `frequencies:` as the previous
   plan; new carriers are placed in carrier-id order, so re-expanding one design is identical;
5. ports: pinned ports first, then the first free port of each router, demands in design order;
6. per carrier: both interfaces (with `Optics`), a `dci` link with a /31 from the DCI pool, an eBGP
   session, and a `CarrierReport` with the QoT of both directions at the assigned frequency.

Stable slots: a carrier link's /31 is `router index x max_ports_per_router + port - 1` of its a-end, so it
depends only on where the carrier is plugged in, never on how many other demands exist.
"""

from __future__ import annotations

import difflib
import math
from collections.abc import Sequence
from dataclasses import dataclass, field

from netweave.catalog.platform import Platform
from netweave.dci.intent import OPTIC_MODES, DciDemand, OpticalIntent
from netweave.errors import DesignError, Problem
from netweave.intent.design import Design
from netweave.network.allocate import AddressPool, PoolUsage
from netweave.network.model import (
    BgpSession,
    CarrierDirection,
    CarrierReport,
    Device,
    Endpoint,
    Interface,
    Link,
    Network,
    Optics,
    SectionReport,
    SessionEnd,
    SpanCheck,
    SpectrumUse,
)
from netweave.nos.naming import interface_name, management_interface
from netweave.optical import (
    Amplifier,
    CoherentMode,
    FiberSpan,
    LineSystem,
    ModeCatalogue,
    OpticalPath,
    Roadm,
    Section,
    SpectrumDemand,
    assign_spectrum,
    build_path,
    check_mode,
    default_catalogue,
)
from netweave.optical.line_system import Direction
from netweave.optical.mode_choice import ModeVerdict

ROOT = "optical"


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


@dataclass
class _Plan:
    """Mode decision for one demand."""

    mode: CoherentMode
    passed: bool
    """False when no candidate passes: `mode` is then the most robust one, and its carriers fail."""
    preferred: str | None
    """The optic's first-choice mode when another was chosen."""
    rejected: dict[str, list[str]]
    """Why each candidate before `mode` failed."""
    paths: tuple[OpticalPath, OpticalPath]
    """a->b and b->a."""


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
        _check_demand(intent, demand, i, routers, lines, catalogue, problems)
    if problems:
        raise DesignError(problems)

    plans: dict[str, _Plan] = {}
    for i, demand in enumerate(intent.demands):
        try:
            plans[demand.name] = _plan(intent, demand, routers, lines, catalogue)
        except ValueError as exc:  # e.g. line systems whose amplifier bands do not overlap
            problems.append(Problem(f"route of demand {demand.name}: {exc}", path=f"{ROOT}.demands[{i}].route"))
    if problems:
        raise DesignError(problems)
    carriers: list[tuple[int, DciDemand, str, int]] = []  # (demand index, demand, carrier id, n)
    for i, demand in enumerate(intent.demands):
        count = math.ceil(demand.capacity_gbps / plans[demand.name].mode.bit_rate_gbps)
        carriers += [(i, demand, f"{demand.name}/{n}", n) for n in range(1, count + 1)]

    sections = [Section.from_line_system(line) for line in lines.values()]
    spectrum_demands = [
        SpectrumDemand(
            id=cid,
            sections=tuple(d.route),
            width_ghz=plans[d.name].mode.channel_width_ghz,
            tuning_range=plans[d.name].mode.tuning_range,
        )
        for _, d, cid, _ in carriers
    ]
    spectrum = assign_spectrum(sections, spectrum_demands, intent.frequencies, centre_step_ghz=intent.centre_step_ghz)

    ports = _allocate_ports(intent, routers, platforms, carriers, problems)
    if problems:
        raise DesignError(problems)

    p2p = AddressPool("optical p2p", "p2p", intent.addressing.p2p, f"{ROOT}.addressing.p2p")
    router_index = {r.name: i for i, r in enumerate(intent.routers)}
    stride = intent.addressing.max_ports_per_router
    for i, demand, cid, _ in carriers:
        plan = plans[demand.name]
        a, b = routers[demand.a], routers[demand.b]
        a_port, b_port = ports[(cid, "a")], ports[(cid, "b")]
        assignment = spectrum.assignments.get(cid)
        frequency = assignment.centre_mhz if assignment is not None else None
        tx_power = demand.tx_power_dbm if demand.tx_power_dbm is not None else plan.mode.tx_power_typical_dbm
        a_if = interface_name(a.nos, platforms[a.platform], a_port)
        b_if = interface_name(b.nos, platforms[b.platform], b_port)
        b_ip, a_ip, subnet = p2p.pair(router_index[demand.a] * stride + a_port - 1)
        optics = (
            None
            if frequency is None
            else Optics(
                mode=plan.mode.name,
                frequency_mhz=frequency,
                target_power_dbm=tx_power,
                operational_mode=plan.mode.operational_mode_id,
                carrier=cid,
            )
        )
        speed = int(plan.mode.bit_rate_gbps)
        origin = f"{ROOT}.demands[{i}]"
        for local, port, name, ip, peer, peer_if in (
            (a, a_port, a_if, a_ip, b, b_if),
            (b, b_port, b_if, b_ip, a, a_if),
        ):
            local.interfaces.append(
                Interface(
                    name=name,
                    port=port,
                    speed=speed,
                    mtu=intent.mtu,
                    kind="dci",
                    description=f"DCI {cid} to {peer.name} {peer_if}",
                    ipv4=f"{ip}/31",
                    peer_device=peer.name,
                    peer_interface=peer_if,
                    optics=None
                    if optics is None
                    else Optics(
                        mode=optics.mode,
                        frequency_mhz=optics.frequency_mhz,
                        target_power_dbm=optics.target_power_dbm,
                        operational_mode=optics.operational_mode,
                        carrier=cid,
                    ),
                )
            )
        part.links.append(
            Link(
                a=Endpoint(device=a.name, interface=a_if),
                b=Endpoint(device=b.name, interface=b_if),
                speed=speed,
                mtu=intent.mtu,
                kind="dci",
                subnet=subnet,
                origin=origin,
            )
        )
        part.sessions.append(
            BgpSession(
                a=SessionEnd(device=a.name, interface=a_if, address=a_ip, asn=a.asn),
                b=SessionEnd(device=b.name, interface=b_if, address=b_ip, asn=b.asn),
                bfd=intent.bfd,
            )
        )
        part.carriers.append(
            _report(
                intent,
                demand,
                origin,
                cid,
                plan,
                frequency,
                tx_power,
                assignment.kept if assignment is not None else False,
                spectrum.blocked.get(cid),
                Endpoint(device=a.name, interface=a_if),
                Endpoint(device=b.name, interface=b_if),
            )
        )
    for device in routers.values():
        device.interfaces.sort(key=lambda iface: (iface.port, iface.lane or 0))
    part.pools.append(p2p.usage())
    part.carriers.sort(key=lambda c: c.carrier)
    part.sections = [
        _section_report(intent, i, line, spectrum.section_usage(line.name)) for i, line in enumerate(lines.values())
    ]
    return part


def _line_systems(intent: OpticalIntent, problems: list[Problem]) -> dict[str, LineSystem]:
    lines: dict[str, LineSystem] = {}
    for i, spec in enumerate(intent.line_systems):
        forward, backward = spec.elements()
        extra: dict[str, object] = {}
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
            )  # type: ignore[arg-type]
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
    loopbacks = (
        AddressPool("optical loopbacks", "loopbacks", addressing.loopbacks, f"{ROOT}.addressing.loopbacks")
        if addressing.loopbacks is not None
        else None
    )
    mgmt_spec = addressing.management
    mgmt = (
        AddressPool("optical management", "management", mgmt_spec.prefix, f"{ROOT}.addressing.management")
        if mgmt_spec is not None
        else None
    )
    if sites is None:
        sites = {device.site for device in network.devices}
    existing = {device.name: device for device in network.devices}  # not the cached property: devices grow
    routers: dict[str, Device] = {}
    for i, spec in enumerate(intent.routers):
        where = f"{ROOT}.routers[{i}]"
        if spec.existing:
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
                continue
            if device.site != spec.site:
                problems.append(Problem(f"{spec.name} is in site {device.site}, not {spec.site}", path=f"{where}.site"))
            routers[spec.name] = device
            continue
        if spec.name in existing:
            problems.append(
                Problem(
                    f"a fabric already has a device named '{spec.name}'",
                    path=f"{where}.name",
                    hint="set existing: true to terminate DCI on it, or rename the router",
                )
            )
            continue
        if sites and spec.site not in sites:
            problems.append(
                Problem(f"unknown site '{spec.site}'", path=f"{where}.site", hint=f"sites: {', '.join(sorted(sites))}")
            )
        assert spec.platform is not None and spec.asn is not None
        platform = platforms.get(spec.platform)
        if platform is None:
            close = difflib.get_close_matches(spec.platform, sorted(platforms), n=1)
            problems.append(
                Problem(
                    f"unknown platform '{spec.platform}'",
                    path=f"{where}.platform",
                    hint=f"did you mean '{close[0]}'?" if close else "add it under `platforms:` in the design",
                )
            )
            continue
        if loopbacks is None or mgmt is None or mgmt_spec is None:
            problems.append(
                Problem(
                    f"new DCI router {spec.name} needs loopback and management pools",
                    path=f"{ROOT}.addressing",
                    hint="add addressing.loopbacks and .management",
                )
            )
            continue
        nos = spec.nos or platform.nos[0]
        device = Device(
            name=spec.name,
            role="dci",
            site=spec.site,
            fabric="dci",
            platform=spec.platform,
            vendor=platform.vendor,
            model=platform.model,
            nos=nos,
            asn=spec.asn,
            loopback=loopbacks.address(i + 1),
            mgmt_ipv4=f"{mgmt.address(mgmt_spec.first_host + i)}/{mgmt_spec.prefix.prefixlen}",
            mgmt_gateway=str(mgmt_spec.gateway_address),
            mgmt_interface=management_interface(nos),
            slot=i,
            origin=where,
            bfd=intent.bfd,
        )
        routers[spec.name] = device
        part.devices.append(device)
    part.pools += [pool.usage() for pool in (loopbacks, mgmt) if pool is not None and pool.usage().used]
    return routers


def _check_demand(
    intent: OpticalIntent,
    demand: DciDemand,
    i: int,
    routers: dict[str, Device],
    lines: dict[str, LineSystem],
    catalogue: ModeCatalogue,
    problems: list[Problem],
) -> None:
    where = f"{ROOT}.demands[{i}]"
    for end in ("a", "b"):
        name = getattr(demand, end)
        if name not in routers:
            close = difflib.get_close_matches(name, sorted(routers), n=1)
            problems.append(
                Problem(
                    f"unknown DCI router '{name}'",
                    path=f"{where}.{end}",
                    hint=f"did you mean '{close[0]}'?" if close else "list it under optical.routers",
                )
            )
    for name in [*(demand.modes or []), *([demand.mode] if demand.mode else [])]:
        try:
            catalogue[name]
        except KeyError:
            problems.append(
                Problem(
                    f"unknown mode '{name}'",
                    path=f"{where}.modes",
                    hint=f"catalogue modes: {', '.join(m.name for m in catalogue.by_rate())}",
                )
            )
    others = {d.name for d in intent.demands}
    for other in demand.diverse_from:
        if other not in others or other == demand.name:
            problems.append(Problem(f"diverse_from names no other demand: '{other}'", path=f"{where}.diverse_from"))
    unknown = [name for name in demand.route if name not in lines]
    if unknown:
        known = {ls.name for ls in intent.line_systems}
        for name in unknown:
            if name not in known:
                problems.append(
                    Problem(
                        f"unknown line system '{name}'",
                        path=f"{where}.route",
                        hint=f"line systems: {', '.join(sorted(known))}",
                    )
                )
        return
    if demand.a not in routers or demand.b not in routers:
        return
    site, end = routers[demand.a].site, routers[demand.b].site
    for name in demand.route:
        line = lines[name]
        if site not in (line.site_a, line.site_b):
            problems.append(
                Problem(
                    f"route is broken at line system {name}: it joins {line.site_a} and "
                    f"{line.site_b}, but the route is at {site}",
                    path=f"{where}.route",
                    hint=f"list line systems in order from {routers[demand.a].site} to {end}",
                )
            )
            return
        site = line.site_b if site == line.site_a else line.site_a
    if site != end:
        problems.append(Problem(f"route ends at {site}, but {demand.b} is in {end}", path=f"{where}.route"))


def _hops(
    demand: DciDemand, routers: dict[str, Device], lines: dict[str, LineSystem], reverse: bool
) -> list[tuple[LineSystem, str]]:
    site = routers[demand.b if reverse else demand.a].site
    hops = []
    for name in reversed(demand.route) if reverse else demand.route:
        line = lines[name]
        hops.append((line, site))
        site = line.site_b if site == line.site_a else line.site_a
    return hops


def _candidates(demand: DciDemand, catalogue: ModeCatalogue) -> list[CoherentMode]:
    if demand.mode is not None:
        return [catalogue[demand.mode]]
    names = demand.modes if demand.modes is not None else list(OPTIC_MODES[demand.optic])
    # fastest first; at one rate keep the listed order, which puts interoperable 400ZR before OpenZR+ 400G
    return sorted((catalogue[n] for n in names), key=lambda m: -m.bit_rate_gbps)


def _plan(
    intent: OpticalIntent,
    demand: DciDemand,
    routers: dict[str, Device],
    lines: dict[str, LineSystem],
    catalogue: ModeCatalogue,
) -> _Plan:
    """The first candidate (fastest, then preferred) that passes both directions; else the most robust one,
    marked failed. `preferred` names the first candidate when another was chosen, so lint can say why."""
    a_site, b_site = routers[demand.a].site, routers[demand.b].site
    forward = build_path(_hops(demand, routers, lines, False), name=f"{a_site}->{b_site}")
    backward = build_path(_hops(demand, routers, lines, True), name=f"{b_site}->{a_site}")
    candidates = _candidates(demand, catalogue)
    rejected: dict[str, list[str]] = {}
    for mode in candidates:
        verdicts = tuple(
            check_mode(
                path, mode, tx_power_dbm=demand.tx_power_dbm, system_margin_db=intent.system_margin_db, detail=False
            )
            for path in (forward, backward)
        )
        if verdicts[0].passed and verdicts[1].passed:
            preferred = candidates[0].name if mode is not candidates[0] else None
            return _Plan(mode, True, preferred, rejected, (forward, backward))
        rejected[mode.name] = _merge_reasons(mode.name, ((forward.name, verdicts[0]), (backward.name, verdicts[1])))
    mode = candidates[-1]  # nothing passes: the most robust candidate, reported as failing
    rejected.pop(mode.name, None)
    return _Plan(mode, False, None, rejected, (forward, backward))


def _merge_reasons(mode: str, verdicts: Sequence[tuple[str, ModeVerdict]]) -> list[str]:
    """Reasons without the repeated mode name; a reason true in both directions is listed once."""
    per_direction = [(path, [r.removeprefix(f"{mode}: ") for r in v.reasons]) for path, v in verdicts]
    everywhere = [r for r in per_direction[0][1] if all(r in rs for _, rs in per_direction[1:])]
    out = list(everywhere)
    for path, reasons in per_direction:
        out += [f"{path} only: {r}" for r in reasons if r not in everywhere]
    return out


def _allocate_ports(
    intent: OpticalIntent,
    routers: dict[str, Device],
    platforms: dict[str, Platform],
    carriers: Sequence[tuple[int, DciDemand, str, int]],
    problems: list[Problem],
) -> dict[tuple[str, str], int]:
    """Router port per (carrier, end): pinned first, then the first free usable port, demands in design order."""
    specs = {r.name: r for r in intent.routers}
    used: dict[str, set[int]] = {name: {iface.port for iface in device.interfaces} for name, device in routers.items()}
    chosen: dict[tuple[str, str], int] = {}
    for i, demand, cid, n in carriers:
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
    for i, demand, cid, _ in carriers:
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


def _direction(verdict: ModeVerdict, path: OpticalPath, direction: Direction) -> CarrierDirection:
    q = verdict.qot
    return CarrierDirection(
        direction=direction,
        path=path.name,
        osnr_ase_db=round(q.osnr_ase_db, 3),
        osnr_nli_db=round(q.osnr_nli_db, 3),
        gsnr_db=round(q.gsnr_db, 3),
        required_osnr_db=q.required_osnr_db,
        margin_db=round(q.margin_db, 3),
        rx_power_dbm=round(q.rx_power_dbm, 3),
        cd_ps_nm=round(q.cd_ps_nm, 1),
        length_km=round(q.length_km, 3),
        latency_us=round(q.latency_us, 1),
        issues=list(q.issues),
    )


def _report(
    intent: OpticalIntent,
    demand: DciDemand,
    origin: str,
    cid: str,
    plan: _Plan,
    frequency: int | None,
    tx_power: float,
    kept: bool,
    blocked: str | None,
    a: Endpoint,
    b: Endpoint,
) -> CarrierReport:
    """QoT of the carrier at its own frequency, both directions, with the per-element explanation."""
    mode = plan.mode
    at = frequency if frequency is not None else 193_100_000
    verdicts = [
        check_mode(path, mode, frequency_mhz=at, tx_power_dbm=tx_power, system_margin_db=intent.system_margin_db)
        for path in plan.paths
    ]
    directions = [_direction(v, p, d) for v, p, d in zip(verdicts, plan.paths, ("a_to_b", "b_to_a"), strict=True)]
    worst = min(directions, key=lambda d: d.margin_db)
    reasons = [f"{p.name}: {reason}" for v, p in zip(verdicts, plan.paths, strict=True) for reason in v.reasons]
    if blocked is not None:
        reasons.append(f"spectrum: {blocked}")
    verdict = "blocked" if blocked is not None else ("pass" if not reasons else "fail")
    return CarrierReport(
        carrier=cid,
        demand=demand.name,
        a=a,
        b=b,
        sections=list(demand.route),
        path=plan.paths[0].name,
        mode=mode.name,
        operational_mode=mode.operational_mode_id,
        bit_rate_gbps=mode.bit_rate_gbps,
        width_ghz=mode.channel_width_ghz,
        frequency_mhz=frequency,
        kept=kept,
        tx_power_dbm=tx_power,
        osnr_db=worst.gsnr_db,
        margin_db=worst.margin_db,
        min_margin_db=intent.min_margin_db,
        cd_ps_nm=max(abs(d.cd_ps_nm) for d in directions),
        cd_tolerance_ps_nm=mode.cd_tolerance_ps_nm,
        length_km=max(d.length_km for d in directions),
        max_reach_km=mode.max_reach_km,
        latency_us=max(d.latency_us for d in directions),
        verdict=verdict,
        reasons=reasons,
        preferred_mode=plan.preferred,
        rejected=dict(plan.rejected),
        diverse_from=list(demand.diverse_from),
        directions=directions,
        explanation="\n".join(_explain(v, cid) for v in verdicts),
        origin=origin,
    )


def _explain(verdict: ModeVerdict, cid: str) -> str:
    text = verdict.qot.explain()
    first, _, rest = text.partition("\n")
    return f"{cid} {first.split(' on ', 1)[-1] if ' on ' in first else first}\n{rest}"


def _section_report(
    intent: OpticalIntent, index: int, line: LineSystem, usage: list[tuple[int, int, str]]
) -> SectionReport:
    band = line.usable_band()
    assert band is not None
    return SectionReport(
        name=line.name,
        site_a=line.site_a,
        site_b=line.site_b,
        length_km=round(line.length_km(), 3),
        band_low_mhz=band.low_mhz,
        band_high_mhz=band.high_mhz,
        used=[SpectrumUse(low_mhz=low, high_mhz=high, carrier=cid) for low, high, cid in usage],
        spans=[*_span_checks(line, "a_to_b"), *_span_checks(line, "b_to_a")],
        origin=f"{ROOT}.line_systems[{index}]",
    )


def _span_checks(line: LineSystem, direction: Direction) -> list[SpanCheck]:
    """Each amplifier that follows fibre must make up the loss since the previous amplifier (gain control).

    The first amplifier of a line without a booster is not judged here: its input is the transmitter's
    power, which depends on the carrier (the QoT reports a clamped gain as an issue).
    """
    checks: list[SpanCheck] = []
    loss = 0.0
    spans: list[str] = []
    after_amplifier = False
    for element in line.elements(direction):
        if isinstance(element, FiberSpan):
            loss += element.total_loss_db
            spans.append(element.name or "span")
        elif isinstance(element, Roadm) and spans:
            loss += element.express_loss_db
        elif isinstance(element, Amplifier):
            if spans and element.gain_db is None and after_amplifier:
                checks.append(
                    SpanCheck(
                        direction=direction,
                        span=" + ".join(spans),
                        amplifier=element.name,
                        loss_db=round(loss, 3),
                        gain_min_db=element.gain_min_db,
                        gain_max_db=element.gain_max_db,
                    )
                )
            loss, spans, after_amplifier = 0.0, [], True
    return checks
