"""`lab verify`: compare what the FRR daemons report with what the design says they should.

Checks, each a row in the result: every designed BGP session Established (from `show bgp summary
json`), every expected loopback route present with the expected ECMP width (from `show ip route
json`), and loopback-to-loopback pings between chosen pairs.
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

CheckKind = Literal["session", "route", "ping", "rtt", "failover"]
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
    waited = time.monotonic() - start
    loopback = {d.name: d.loopback for d in network.devices}
    for a, b in ping_pairs(network):
        ok = ping(state, a, loopback[a], loopback[b], count=1, timeout=2.0)
        checks.append(
            Check("ping", a, f"{loopback[a]} -> {loopback[b]} ({b})", "reply", "reply" if ok else "no reply", ok)
        )
    return Verification(checks=checks, waited_s=waited)
