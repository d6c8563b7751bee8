"""`lab verify`: compare what the FRR daemons report with what the design says they should.

Checks, each a row in the result: every designed BGP session Established (from `show bgp summary
json`), every expected loopback route present with the expected ECMP width (from `show ip route
json`), each session carrying only the prefixes the design intends (`policy`, below), and
loopback-to-loopback pings between chosen pairs.

A `policy` check per session end compares what the receiver accepted from the peer (`show bgp ipv4 unicast
neighbors <peer> routes`) and what the peer offered it (`... advertised-routes` on the peer, minus routes
whose AS path holds the receiver's AS, which loop prevention drops before any policy) with the session's
import set from `netweave.network.policy`. It fails when the receiver accepted a prefix outside the set
(the policy leaks), when the peer offered one (it was filtered: the peer announces what it does not own),
or when a prefix of an exact set (a leaf's own) did not arrive. Offered routes are read on the sender
because the receiver keeps no copy of what its import policy rejected (that would need
soft-reconfiguration inbound, memory a production config should not spend).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import Any, Literal

from netweave.lab.errors import LabError
from netweave.lab.expect import ExpectedRoute, ExpectedSession, expected_routes, expected_sessions
from netweave.lab.query import ping, vtysh_json
from netweave.lab.state import LabState
from netweave.network.model import Network
from netweave.network.policy import FABRIC_SET, UnderlayPolicy, session_key, underlay_policies

CheckKind = Literal["session", "route", "policy", "ping", "rtt", "failover"]
"""`rtt` and `failover`: the cross-site checks of `netweave.lab.sites`."""


@dataclass(frozen=True, slots=True)
class Check:
    kind: CheckKind
    device: str
    subject: str
    expected: str
    actual: str
    ok: bool

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Verification:
    checks: list[Check]
    waited_s: float

    @property
    def ok(self) -> bool:
        return all(c.ok for c in self.checks)

    @property
    def failures(self) -> list[Check]:
        return [c for c in self.checks if not c.ok]


def ping_pairs(network: Network) -> list[tuple[str, str]]:
    """Leaves in a ring (each leaf to the next), or all devices in a ring when there are no leaves."""
    leaves = [d.name for d in network.devices if d.role in ("leaf", "border-leaf")]
    ring = leaves if len(leaves) >= 2 else [d.name for d in network.devices]
    if len(ring) < 2:
        return []
    return [(ring[i], ring[(i + 1) % len(ring)]) for i in range(len(ring))] if len(ring) > 2 else [(ring[0], ring[1])]


def _session_checks(state: LabState, sessions: list[ExpectedSession], summaries: dict[str, Any]) -> list[Check]:
    checks = []
    for s in sessions:
        peers = summaries.get(s.device, {}).get("ipv4Unicast", {}).get("peers", {})
        actual = peers.get(s.peer, {}).get("state", "absent")
        checks.append(
            Check("session", s.device, f"{s.peer} ({s.peer_device})", "Established", actual, actual == "Established")
        )
    return checks


def _route_checks(routes: list[ExpectedRoute], tables: dict[str, Any]) -> list[Check]:
    checks = []
    for r in routes:
        entries = tables.get(r.device, {}).get(r.prefix, [])
        selected = next((e for e in entries if e.get("selected")), None)
        if selected is None:
            checks.append(
                Check("route", r.device, f"{r.prefix} ({r.origin})", f"bgp, {r.ecmp}-way ECMP", "missing", False)
            )
            continue
        hops = [h for h in selected.get("nexthops", []) if h.get("active")]
        actual = f"{selected.get('protocol')}, {len(hops)}-way ECMP"
        checks.append(
            Check(
                "route",
                r.device,
                f"{r.prefix} ({r.origin})",
                f"bgp, {r.ecmp}-way ECMP",
                actual,
                selected.get("protocol") == "bgp" and len(hops) == r.ecmp,
            )
        )
    return checks


@dataclass(frozen=True, slots=True)
class PolicyEnd:
    """One receiving end of a session: who receives, from whom, under which import set."""

    device: str
    peer: str
    """How the receiver keys the peer in FRR (address, or local interface when unnumbered)."""
    peer_device: str
    sender_key: str
    """How the sender keys the receiver (for its advertised-routes)."""
    receiver_asn: int
    import_set: str


def policy_ends(network: Network, policies: dict[str, UnderlayPolicy]) -> list[PolicyEnd]:
    """Every session end whose import is the underlay policy's (a DCI router's own sessions are not)."""
    ends: list[PolicyEnd] = []
    for device in network.devices:
        policy = policies[device.name]
        for n in network.neighbors(device.name):
            import_set = policy.session(n).import_set
            reverse = network.neighbors(n.peer_device)
            back = next((m for m in reverse if m.local_interface == n.peer_interface), None)
            if import_set is None or back is None:
                continue
            ends.append(
                PolicyEnd(device.name, session_key(n), n.peer_device, session_key(back), device.asn, import_set)
            )
    return ends


def _policy_check(end: PolicyEnd, policy: UnderlayPolicy, accepted: set[str], offered: set[str]) -> Check:
    """A per-peer set (`FROM-<peer>`) lists exactly what the peer should send, so each entry must arrive; the
    design-owned set (`UNDERLAY-IN`) is blocks whose members arrive as the fabric has them."""
    entries = policy.import_entries(end.import_set)
    outside = sorted(p for p in accepted if not any(e.covers(p) for e in entries))
    filtered = sorted(p for p in offered - accepted if not any(e.covers(p) for e in entries))
    exact = end.import_set != FABRIC_SET
    missing = sorted(e.prefix for e in entries if exact and e.prefix not in accepted)
    found = (("outside the set", outside), ("filtered", filtered), ("missing", missing))
    actual = "; ".join(
        [f"{len(accepted)} accepted", *(f"{label}: {', '.join(items)}" for label, items in found if items)]
    )
    return Check(
        "policy",
        end.device,
        f"{end.peer} ({end.peer_device})",
        f"only {end.import_set} ({len(entries)} entries)",
        actual,
        not (outside or filtered or missing),
    )


def _as_path_holds(path: str, asn: int) -> bool:
    return str(asn) in path.split()


def policy_checks(state: LabState, network: Network) -> list[Check]:
    """One `policy` check per session end (see the module docstring)."""
    policies = underlay_policies(network)
    checks = []
    for end in policy_ends(network, policies):
        if end.device not in state.nodes or end.peer_device not in state.nodes:
            continue
        received = _query(state, end.device, f"show bgp ipv4 unicast neighbors {end.peer} routes json")
        sent = _query(
            state, end.peer_device, f"show bgp ipv4 unicast neighbors {end.sender_key} advertised-routes json"
        )
        accepted = set(received.get("routes", {}))
        offered = {
            prefix
            for prefix, route in sent.get("advertisedRoutes", {}).items()
            if not _as_path_holds(str(route.get("path", "")), end.receiver_asn)
        }
        checks.append(_policy_check(end, policies[end.device], accepted, offered))
    return checks


def _query(state: LabState, device: str, command: str) -> Any:
    try:
        return vtysh_json(state, device, command)
    except LabError:
        return {}


def verify(
    state: LabState,
    network: Network,
    timeout: float = 60.0,
    interval: float = 1.0,
    progress: Callable[[int, int], None] | None = None,
    route_scope: Callable[[ExpectedRoute], bool] | None = None,
) -> Verification:
    """Wait up to `timeout` seconds for sessions and routes to match the design, then ping; report all.

    `route_scope` keeps only the expected routes it accepts (a multi-site lab leaves the routes of other
    sites, which arrive as summaries, to `netweave.lab.sites.verify_sites`)."""
    sessions = expected_sessions(network)
    routes = [r for r in expected_routes(network) if route_scope is None or route_scope(r)]
    devices = sorted(state.nodes)
    start = time.monotonic()
    while True:
        summaries = {d: _query(state, d, "show bgp summary json") for d in devices}
        tables = {d: _query(state, d, "show ip route json") for d in devices}
        checks = _session_checks(state, sessions, summaries) + _route_checks(routes, tables)
        passed = sum(c.ok for c in checks)
        if progress is not None:
            progress(passed, len(checks))
        if passed == len(checks) or time.monotonic() - start >= timeout:
            break
        time.sleep(interval)
    while True:  # sessions and routes settled (or timed out): what each session carries, until it matches
        policy = policy_checks(state, network)
        if all(c.ok for c in policy) or time.monotonic() - start >= timeout:
            break
        time.sleep(interval)
    checks += policy
    waited = time.monotonic() - start
    loopback = {d.name: d.loopback for d in network.devices}
    for a, b in ping_pairs(network):
        ok = ping(state, a, loopback[a], loopback[b], count=1, timeout=2.0)
        checks.append(
            Check("ping", a, f"{loopback[a]} -> {loopback[b]} ({b})", "reply", "reply" if ok else "no reply", ok)
        )
    return Verification(checks=checks, waited_s=waited)
