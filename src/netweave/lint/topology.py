"""Topology rules: full leaf-spine mesh, oversubscription within target, enough ECMP paths."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

from netweave.lint import Finding, rule
from netweave.network.model import Network

_UPPER = {"leaf": "spine", "border-leaf": "spine", "spine": "super-spine"}


@rule("leaf-spine-mesh", "error", "every leaf connects to every spine of its pod and plane, equal count and speed")
def leaf_spine_mesh(network: Network) -> Iterator[Finding]:
    by_name = network.device_by_name
    spines: dict[tuple[str, int | None, int | None], list[str]] = defaultdict(list)
    for device in network.devices:
        if device.role == "spine":
            spines[(device.fabric, device.plane, device.pod)].append(device.name)
    for device in network.devices:
        if device.role not in ("leaf", "border-leaf"):
            continue
        expected = spines.get((device.fabric, device.plane, device.pod), [])
        links: dict[str, list[int]] = defaultdict(list)
        for iface in device.interfaces:
            peer = by_name.get(iface.peer_device or "")
            if peer is not None and peer.role == "spine":
                links[peer.name].append(iface.speed)
        missing = [s for s in expected if s not in links]
        if missing:
            yield leaf_spine_mesh.finding(
                device.origin,
                f"{device.name} has no link to {', '.join(missing)}",
                "connect every leaf to every spine (check overrides.*.uplinks)",
                device.name,
            )
        shapes = {(len(speeds), tuple(sorted(speeds))) for speeds in links.values()}
        if len(shapes) > 1:
            detail = ", ".join(f"{s}: {len(v)}x{v[0]}G" for s, v in sorted(links.items()))
            yield leaf_spine_mesh.finding(
                device.origin,
                f"{device.name} has unequal uplinks ({detail})",
                "ECMP needs the same count and speed to each spine",
                device.name,
            )


@rule("oversubscription", "error", "downlink:uplink bandwidth per leaf within the fabric's target")
def oversubscription(network: Network) -> Iterator[Finding]:
    by_name = network.device_by_name
    for device in network.devices:
        if device.oversubscription_max is None or not device.downlink_gbps:
            continue
        upper = _UPPER.get(device.role)
        uplink = sum(
            iface.speed
            for iface in device.interfaces
            if (peer := by_name.get(iface.peer_device or "")) is not None and peer.role == upper
        )
        if uplink == 0:
            yield oversubscription.finding(device.origin, f"{device.name} has no uplinks", device=device.name)
            continue
        ratio = device.downlink_gbps / uplink
        if ratio > device.oversubscription_max + 1e-9:
            yield oversubscription.finding(
                device.origin,
                f"{device.name}: {device.downlink_gbps}G down / {uplink}G up = {ratio:.2f}:1 "
                f"exceeds {device.oversubscription_max:g}:1",
                "add spines, links_per_spine, or sell fewer server_ports",
                device.name,
            )


@rule("maximum-paths", "error", "BGP maximum-paths covers every equal-cost uplink")
def maximum_paths(network: Network) -> Iterator[Finding]:
    by_name = network.device_by_name
    for device in network.devices:
        upper = _UPPER.get(device.role)
        uplinks = sum(
            1
            for iface in device.interfaces
            if (peer := by_name.get(iface.peer_device or "")) is not None and peer.role == upper
        )
        if uplinks > device.maximum_paths:
            yield maximum_paths.finding(
                device.origin,
                f"{device.name}: {uplinks} uplinks but maximum-paths {device.maximum_paths}",
                device=device.name,
            )
