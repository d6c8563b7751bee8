"""What the lab should show if the design is right: derived from the Network, not hard-coded.

Routes: every device's loopback is originated by it and propagated over the eBGP sessions with
AS-path loop prevention and best-path by AS-path length; with multipath-relax every equal-length
path from a session counts towards ECMP, capped by maximum-paths. Loop prevention is simulated on the
*intended* RFC 7938 identities: a spine layer (per pod/plane) and the super-spine layer each share one
AS, every leaf is its own. So the expectation is what the design means, and a configuration that
breaks it (two leaves given one ASN, a spine with a stray ASN) shows up as missing or narrower routes.
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass

from netweave.network.model import Device, Network


@dataclass(frozen=True, slots=True)
class ExpectedSession:
    device: str
    peer: str
    """Address or, for unnumbered sessions, the local interface: how FRR keys the peer."""
    peer_device: str


@dataclass(frozen=True, slots=True)
class ExpectedRoute:
    device: str
    prefix: str
    origin: str
    ecmp: int


def expected_sessions(network: Network) -> list[ExpectedSession]:
    """Both ends of every designed session."""
    out = []
    for session in network.sessions:
        for local, remote in ((session.a, session.b), (session.b, session.a)):
            out.append(
                ExpectedSession(device=local.device, peer=remote.address or local.interface, peer_device=remote.device)
            )
    return out


def expected_routes(network: Network) -> list[ExpectedRoute]:
    """For each device, each other device's loopback /32 with its expected ECMP width."""
    asn = {d.name: _intended_as(d) for d in network.devices}
    max_paths = {d.name: d.maximum_paths for d in network.devices}
    adjacency: dict[str, list[str]] = {d.name: [] for d in network.devices}
    for session in network.sessions:
        adjacency[session.a.device].append(session.b.device)
        adjacency[session.b.device].append(session.a.device)
    out: list[ExpectedRoute] = []
    for origin in network.devices:
        best = _propagate(origin.name, adjacency, asn)
        for device in network.devices:
            if device.name == origin.name or device.name not in best:
                continue
            length = len(best[device.name])
            width = sum(
                1
                for peer in adjacency[device.name]
                if peer in best
                and asn[device.name] not in _advertised(peer, best, asn)
                and len(_advertised(peer, best, asn)) == length
            )
            out.append(
                ExpectedRoute(
                    device=device.name,
                    prefix=f"{origin.loopback}/32",
                    origin=origin.name,
                    ecmp=min(width, max_paths[device.name]),
                )
            )
    return out


SHARED_AS_ROLES = ("spine", "super-spine")


def _intended_as(device: Device) -> Hashable:
    """The AS identity RFC 7938 intends: shared per spine layer and by the super-spines, unique per leaf."""
    if device.role in SHARED_AS_ROLES:
        return (device.fabric, device.role, device.pod)
    return ("device", device.name)


def _advertised(peer: str, best: dict[str, tuple[Hashable, ...]], asn: dict[str, Hashable]) -> tuple[Hashable, ...]:
    return (asn[peer], *best[peer])


def _propagate(
    origin: str, adjacency: dict[str, list[str]], asn: dict[str, Hashable]
) -> dict[str, tuple[Hashable, ...]]:
    """Best AS path (as received) at every router that accepts the origin's route."""
    best: dict[str, tuple[Hashable, ...]] = {origin: ()}
    frontier = [origin]
    while frontier:
        changed: list[str] = []
        for sender in sorted(frontier):
            path = _advertised(sender, best, asn)
            for receiver in sorted(adjacency[sender]):
                if receiver == origin or asn[receiver] in path:
                    continue
                current = best.get(receiver)
                if current is None or len(path) < len(current):
                    best[receiver] = path
                    changed.append(receiver)
        frontier = sorted(set(changed))
    return best
