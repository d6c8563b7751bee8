"""The multi-site lab: DCI carriers through user-space delay lines, and the cross-site checks of `lab verify`.

`split_carriers` cuts every DCI carrier's veth in two: each router end pairs with an end in one extra
namespace, `wan`, where `netweave.lab.delayline` holds every frame for the carrier's one-way fibre latency
(`CarrierReport.latency_us`, from the optical model). `lab up` starts the delay line after the daemons
(`start_lines`); `lab down` ends it with every other process of the lab's namespaces.

`verify_sites` then checks what the design promises across sites:

- ECMP: each DCI router reaches every other site's summaries over exactly the carriers of its preferred
  (lowest-MED) paths;
- reachability: every leaf pings a leaf of every other site, loopback to loopback, and every leaf with server
  subnets pings a server subnet of every other site from its own (the lab's stand-ins on `lo`, see
  `netweave.lab.emulate.server_stand_ins`), so the server summaries are proven as well as the loopbacks;
- RTT: for every pair of sites, the median of 20 pings between them is within 10% of 2 x the preferred path's
  latency;
- with a fault (`line-system NAME`): the carriers over that line system are cut in the `wan` namespace,
  the routes must move to the diverse path and the RTT to its latency; the report names what changed,
  and the carriers are restored afterwards.
"""

from __future__ import annotations

import json
import re
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import netweave.lab.host as host
from netweave.lab.delayline import start
from netweave.lab.errors import LabError
from netweave.lab.expect import ExpectedRoute
from netweave.lab.query import ping, vtysh_json
from netweave.lab.state import LabState, lab_dir
from netweave.lab.topology import LabLink, LabNode, LabTopology
from netweave.lab.verify import Check
from netweave.network.model import Network

WAN = "wan"
"""The node (namespace) holding the far ends of every carrier and the delay line between them."""
WAN_CONF = "frr version 8.4\nfrr defaults datacenter\nhostname wan\nservice integrated-vtysh-config\n!\nend\n"
RTT_TOLERANCE = 0.10
PINGS = 20


@dataclass(frozen=True, slots=True)
class LabLine:
    """One carrier in the lab: its two `wan` ends, latency and the line systems it crosses."""

    carrier: str
    path: str
    a: str
    b: str
    delay_us: float
    sections: tuple[str, ...]
    loss: float = 0.0


@dataclass
class SiteLab:
    """The delay lines of a lab (empty when the design has no DCI carriers)."""

    lines: list[LabLine] = field(default_factory=list)


def split_carriers(topology: LabTopology, network: Network) -> tuple[LabTopology, SiteLab]:
    """`topology` with every DCI carrier link replaced by two links through the `wan` node."""
    reports = {c.carrier: c for c in network.optical}
    paths = network.dci.paths if network.dci is not None else []
    carriers = {  # by interface: the lab network renames the interfaces of emulated NOSes, not the reports
        (d.name, i.name): reports[i.optics.carrier]
        for d in network.devices
        for i in d.interfaces
        if i.optics is not None and i.optics.carrier in reports
    }
    lines: list[LabLine] = []
    links: list[LabLink] = []
    for link in topology.links:
        carrier = carriers.get((link.a, link.a_ifname))
        if carrier is None:
            links.append(link)
            continue
        n = len(lines) + 1
        loss = next((p.lab_loss for p in paths if p.name == carrier.demand), 0.0)
        line = LabLine(
            carrier.carrier, carrier.demand, f"c{n}a", f"c{n}b", carrier.latency_us, tuple(carrier.sections), loss
        )
        lines.append(line)
        links += [
            LabLink(a=link.a, a_ifname=link.a_ifname, b=WAN, b_ifname=line.a, mtu=link.mtu),
            LabLink(a=link.b, a_ifname=link.b_ifname, b=WAN, b_ifname=line.b, mtu=link.mtu),
        ]
    if not lines:
        return topology, SiteLab()
    if any(node.name == WAN for node in topology.nodes):
        raise LabError(f"a device is named '{WAN}', the name of the lab's delay-line namespace: rename it")
    nodes = [*topology.nodes, LabNode(name=WAN, frr_conf=WAN_CONF, daemons=("zebra",))]
    return LabTopology(name=topology.name, nodes=nodes, links=links), SiteLab(lines=lines)


def start_lines(state: LabState, site_lab: SiteLab) -> int | None:
    """Start the delay line of every carrier in the `wan` namespace; its pid (None without carriers)."""
    if not site_lab.lines:
        return None
    spec = lab_dir(state.name, Path(state.state_dir)) / "delayline.json"
    spec.parent.mkdir(parents=True, exist_ok=True)
    lines = [{"a": x.a, "b": x.b, "delay_us": x.delay_us, "loss": x.loss} for x in site_lab.lines]
    spec.write_text(json.dumps(lines, indent=1))
    return start(state.node(WAN).netns, spec)


def same_site(network: Network) -> Callable[[ExpectedRoute], bool] | None:
    """For a multi-site design: keep an expected per-device route only inside its own site. Across sites the
    DCI routers announce summaries (summary-only), so another site's /32s are by design not in the table;
    `verify_sites` checks the summaries instead. None (keep everything) for a single-site design."""
    if network.dci is None or not network.dci.paths:
        return None
    site = {d.name: d.site for d in network.devices}
    return lambda route: site.get(route.device) == site.get(route.origin)


def verify_sites(
    state: LabState, network: Network, site_lab: SiteLab, fault: str | None = None, timeout: float = 60.0
) -> list[Check]:
    """The cross-site checks (module docstring); with `fault`, before and after cutting that line system."""
    if network.dci is None or not site_lab.lines:
        return []
    checks = _converged(state, network, site_lab, None, timeout)
    checks += _reachability(state, network, timeout)
    before = _rtt_checks(state, network, site_lab, None)
    checks += before.values()
    if fault is None:
        return checks
    cut = [x for x in site_lab.lines if fault in x.sections]
    if not cut:
        known = sorted({s for x in site_lab.lines for s in x.sections})
        raise LabError(f"no carrier crosses line system '{fault}' (line systems: {', '.join(known)})")
    _set_lines(state, cut, up=False)
    try:
        after = _converged(state, network, site_lab, fault, timeout)
        rtt = _rtt_checks(state, network, site_lab, fault)
        checks += [*after, *rtt.values()]
        cut_paths = {x.path for x in cut}
        touched = {frozenset((p.site_a, p.site_b)) for p in network.dci.paths if p.name in cut_paths}
        for pair in sorted(touched & rtt.keys(), key=sorted):  # one row per site pair the fault hits
            checks.append(_what_changed(fault, cut, before[pair], rtt[pair], after))
    finally:
        _set_lines(state, cut, up=True)
    return checks


def _set_lines(state: LabState, lines: list[LabLine], *, up: bool) -> None:
    """Cut (or restore) carriers at their `wan` ends: both routers lose carrier, as with a fibre cut."""
    word = "up" if up else "down"
    host.ip_batch([f"link set dev {end} {word}" for x in lines for end in (x.a, x.b)], state.node(WAN).netns)


def _preferred(network: Network, site_lab: SiteLab, fault: str | None) -> dict[frozenset[str], list[str]]:
    """Per site pair: the paths BGP must use (lowest MED among those the fault leaves standing)."""
    assert network.dci is not None
    down = {x.path for x in site_lab.lines if fault is not None and fault in x.sections}
    best: dict[frozenset[str], list[str]] = {}
    meds: dict[frozenset[str], int] = {}
    for path in network.dci.paths:
        if path.name in down:
            continue
        pair = frozenset((path.site_a, path.site_b))
        if pair not in meds or path.med < meds[pair]:
            meds[pair], best[pair] = path.med, [path.name]
        elif path.med == meds[pair]:
            best[pair].append(path.name)
    return best


def _converged(state: LabState, network: Network, site_lab: SiteLab, fault: str | None, timeout: float) -> list[Check]:
    """Wait until every DCI router reaches each remote summary over exactly its preferred carriers."""
    assert network.dci is not None
    preferred = _preferred(network, site_lab, fault)
    carrier_of = {
        (d.name, i.name): i.optics.carrier for d in network.devices for i in d.interfaces if i.optics is not None
    }
    demand_of = {x.carrier: x.path for x in site_lab.lines}
    deadline = time.monotonic() + timeout
    while True:
        checks = []
        for name, policy in sorted(network.dci.policies.items()):
            for summary in network.dci.sites:
                if summary.site == policy.site:
                    continue
                paths = preferred.get(frozenset((policy.site, summary.site)), [])
                want = sorted(
                    c.carrier for c in network.optical if c.demand in paths and name in (c.a.device, c.b.device)
                )
                for prefix in summary.prefixes:
                    got = _carriers_used(state, name, prefix, carrier_of)
                    ok = got == want
                    checks.append(
                        Check(
                            "route",
                            name,
                            f"{prefix} ({summary.site}){' after ' + fault + ' cut' if fault else ''}",
                            f"{len(want)}-way ECMP over {', '.join(want) or 'nothing'}",
                            f"{len(got)}-way ECMP over {', '.join(got) or 'nothing'}"
                            + (f" ({', '.join(sorted({demand_of.get(c, '?') for c in got}))})" if got else ""),
                            ok,
                        )
                    )
        if all(c.ok for c in checks) or time.monotonic() >= deadline:
            return checks
        time.sleep(1.0)


def _carriers_used(state: LabState, device: str, prefix: str, carrier_of: dict[tuple[str, str], str]) -> list[str]:
    """The carriers (by interface) of the selected route to `prefix` on `device`, sorted."""
    try:
        table = vtysh_json(state, device, f"show ip route {prefix}")
    except LabError:
        return []
    entries = table.get(prefix, [])
    selected = next((e for e in entries if e.get("selected")), None)
    if selected is None:
        return []
    hops = [h.get("interfaceName", "") for h in selected.get("nexthops", []) if h.get("active")]
    return sorted(carrier_of.get((device, h), h) for h in hops)


def _leaves_by_site(network: Network) -> dict[str, list[str]]:
    sites: dict[str, list[str]] = {}
    for d in network.devices:
        if d.role in ("leaf", "border-leaf"):
            sites.setdefault(d.site, []).append(d.name)
    return sites


def _linked(network: Network) -> set[frozenset[str]]:
    """The pairs of sites with a designed DCI path between them (the others do not reach each other)."""
    paths = network.dci.paths if network.dci is not None else []
    return {frozenset((p.site_a, p.site_b)) for p in paths}


def _server_addresses(network: Network) -> dict[str, list[str]]:
    """Leaf -> the addresses of its server subnets (ai-backend's GPU /31s), in interface order."""
    return {
        d.name: [i.ipv4.split("/")[0] for i in d.interfaces if i.kind == "server" and i.ipv4]
        for d in network.devices
        if d.role in ("leaf", "border-leaf")
    }


def _reachability(state: LabState, network: Network, timeout: float) -> list[Check]:
    """Every leaf pings the first leaf of every other site, loopback to loopback, and, where both have server
    subnets, from its first server address to that of the first leaf with one at the other site.

    Convergence is proven at the DCI routers only; a leaf learns the remote summary a moment later through its
    spines, so each pair is retried (one ping a second) until it answers or `timeout` has passed."""
    loopback = {d.name: d.loopback for d in network.devices}
    servers = _server_addresses(network)
    sites = _leaves_by_site(network)
    checks = []
    deadline = time.monotonic() + timeout
    for site, leaves in sorted(sites.items()):
        for other, targets in sorted(sites.items()):
            if other == site or not targets or frozenset((site, other)) not in _linked(network):
                continue
            served = [t for t in targets if servers.get(t)]
            for leaf in leaves:
                pairs = [(loopback[leaf], loopback[targets[0]], targets[0], "")]
                if servers.get(leaf) and served:
                    pairs.append((servers[leaf][0], servers[served[0]][0], served[0], "server subnets, "))
                for source, dest, target, what in pairs:
                    while not (ok := ping(state, leaf, source, dest, count=1, timeout=2.0)):
                        if time.monotonic() >= deadline:
                            break
                        time.sleep(1.0)
                    subject = f"{source} -> {dest} ({what}{target}, {other})"
                    checks.append(Check("ping", leaf, subject, "reply", "reply" if ok else "no reply", ok))
    return checks


def _rtt_checks(state: LabState, network: Network, site_lab: SiteLab, fault: str | None) -> dict[frozenset[str], Check]:
    """Per pair of sites (with leaves), the median RTT between their first leaves against 2 x the preferred
    path's latency."""
    assert network.dci is not None
    sites = sorted(_leaves_by_site(network).items())
    preferred = _preferred(network, site_lab, fault)
    loopback = {d.name: d.loopback for d in network.devices}
    checks: dict[frozenset[str], Check] = {}
    for i, (site_a, leaves_a) in enumerate(sites):
        for site_b, leaves_b in sites[i + 1 :]:
            pair = frozenset((site_a, site_b))
            if pair not in _linked(network):
                continue  # no carrier between them: no transit through a third site (netweave.dci.routing)
            paths = preferred.get(pair, [])
            latency = max((p.latency_us for p in network.dci.paths if p.name in paths), default=0.0)
            expected_ms = 2 * latency / 1000
            samples = _rtts(state, leaves_a[0], loopback[leaves_a[0]], loopback[leaves_b[0]])
            median = statistics.median(samples) if samples else float("nan")
            ok = bool(samples) and bool(paths) and abs(median - expected_ms) <= RTT_TOLERANCE * expected_ms
            cut = f" after {fault} cut" if fault else ""
            checks[pair] = Check(
                "rtt",
                leaves_a[0],
                f"{site_a} -> {site_b} over {', '.join(paths) or 'nothing'}{cut}",
                f"{expected_ms:.3f} ms +-{RTT_TOLERANCE:.0%} (2 x {latency:.0f} us)",
                f"median {median:.3f} ms of {len(samples)}",
                ok,
            )
    return checks


def _rtts(state: LabState, node: str, source: str, dest: str) -> list[float]:
    """Round-trip times (ms) of `PINGS` pings; lost ones are left out."""
    argv = host.netns_exec(
        state.node(node).netns, ["ping", "-n", "-c", str(PINGS), "-i", "0.05", "-W", "2", "-I", source, dest]
    )
    proc = host.run(argv, check=False, timeout=PINGS * 2 + 10)
    return [float(m) for m in re.findall(r"time=([0-9.]+) ms", proc.stdout)]


def _what_changed(fault: str, cut: list[LabLine], before: Check, after: Check, routes: list[Check]) -> Check:
    """One row naming the fault, the carriers it cut and where traffic went, ok when everything moved."""
    moved = all(c.ok for c in routes) and after.ok
    return Check(
        "failover",
        "-",
        f"line system {fault} cut ({', '.join(x.carrier for x in cut)})",
        "routes and RTT move to the diverse path",
        f"{before.subject.split(' over ')[1]} -> {after.subject.split(' over ')[1].split(' after ')[0]}; "
        f"RTT {before.actual.split()[1]} -> {after.actual.split()[1]} ms",
        moved,
    )
