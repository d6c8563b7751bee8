"""Tabular views of a Network (devices, links, sessions, addresses, cabling) for show, build and CSV.

Each view returns column names and rows of plain values, so tables, JSON and CSV share one source.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from typing import Any

from netweave.catalog.media import media_for
from netweave.network.gcpause import gc_paused
from netweave.network.model import FabricInfo, Network

Table = tuple[list[str], list[list[Any]]]


def devices(network: Network) -> Table:
    columns = ["name", "role", "site", "fabric", "pod", "platform", "nos", "asn", "loopback", "mgmt"]
    rows = [
        [d.name, d.role, d.site, d.fabric, d.pod, d.platform, d.nos, d.asn, d.loopback, d.mgmt_ipv4]
        for d in network.devices
    ]
    return columns, rows


def links(network: Network) -> Table:
    columns = ["a_device", "a_interface", "b_device", "b_interface", "speed_gbps", "mtu", "subnet"]
    rows = [
        [lk.a.device, lk.a.interface, lk.b.device, lk.b.interface, lk.speed, lk.mtu, lk.subnet or "unnumbered"]
        for lk in network.links
    ]
    return columns, rows


def sessions(network: Network) -> Table:
    columns = ["a_device", "a_address", "a_asn", "b_device", "b_address", "b_asn", "bfd", "afi"]
    rows = [
        [
            s.a.device,
            s.a.address or s.a.interface,
            s.a.asn,
            s.b.device,
            s.b.address or s.b.interface,
            s.b.asn,
            s.bfd,
            ",".join(s.afi),
        ]
        for s in network.sessions
    ]
    return columns, rows


def addresses(network: Network) -> Table:
    columns = ["device", "interface", "address", "purpose"]
    rows: list[list[Any]] = []
    for d in network.devices:
        rows.append([d.name, "loopback", f"{d.loopback}/32", "loopback"])
        rows.append([d.name, d.mgmt_interface, d.mgmt_ipv4, "management"])
        for iface in d.interfaces:
            if iface.ipv4:
                rows.append([d.name, iface.name, iface.ipv4, iface.kind])
    return columns, rows


def pools(network: Network) -> Table:
    columns = ["pool", "prefix", "size", "needed", "assigned"]
    return columns, [[p.name, p.prefix, p.size, p.needed, p.used] for p in network.pools]


def cabling(network: Network) -> Table:
    """One row per cable, as a field technician patches it: a label for both ends, device, port, peer device,
    peer port, speed, planned length and the cable or optic to order.

    The cable id is the first end's device and front-panel port (and breakout lane): a port holds one cable,
    so it is unique, and it derives from stable allocations, so adding a device relabels no existing cable."""
    ends = network.interface_by_end
    columns = [
        "cable_id",
        "device",
        "port",
        "interface",
        "peer_device",
        "peer_port",
        "peer_interface",
        "speed_gbps",
        "cable_m",
        "media",
    ]
    rows: list[list[Any]] = []
    # a link's media depends only on (speed, length, optics mode): a handful of distinct keys for 200,000 links
    # at 100k GPUs, so each is computed once (with each port once: 0.32-0.34 -> 0.29-0.32 s of CPU there)
    media: dict[tuple[int, float | None, str | None], str] = {}
    with gc_paused():  # one row per cable: 200,000 rows at 100k GPUs, all kept
        for lk in network.links:
            a_if = ends.get((lk.a.device, lk.a.interface))
            b_if = ends.get((lk.b.device, lk.b.interface))
            optics = (a_if.optics if a_if is not None else None) or (b_if.optics if b_if is not None else None)
            key = (lk.speed, lk.cable_m, optics.mode if optics is not None else None)
            kind = media.get(key)
            if kind is None:
                kind = media[key] = media_for(*key)
            a_port = _port(a_if)  # once: the cable id and the port column
            rows.append(
                [
                    f"{lk.a.device}.{a_port or lk.a.interface}",
                    lk.a.device,
                    a_port,
                    lk.a.interface,
                    lk.b.device,
                    _port(b_if),
                    lk.b.interface,
                    lk.speed,
                    lk.cable_m if lk.cable_m is not None else "",
                    kind,
                ]
            )
    return columns, rows


def servers(network: Network) -> Table:
    """One row per GPU NIC port: what the host needs (address, gateway) and where it is patched."""
    columns = [
        "server",
        "su",
        "node",
        "nic",
        "rail",
        "plane",
        "speed_gbps",
        "leaf",
        "leaf_interface",
        "subnet",
        "address",
        "gateway",
    ]
    rows = [
        [
            s.name,
            s.su,
            s.node,
            n.name,
            n.rail,
            n.plane,
            n.speed,
            n.leaf,
            n.leaf_interface,
            n.subnet,
            n.address,
            n.gateway,
        ]
        for s in network.servers
        for n in s.nics
    ]
    return columns, rows


def summary_data(network: Network) -> dict[str, Any]:
    """Capacity facts per fabric and per platform: what a design review asks first.

    Bisection bandwidth is half of the narrowest layer of uplinks (leaf uplinks, and with super-spines
    also spine uplinks): the most that can cross any cut splitting the endpoints in two."""
    fabrics = _fabric_bandwidth(network)
    _count_servers_and_links(network, fabrics)
    info = {f.name: f for f in network.fabrics}
    for name, entry in fabrics.items():
        _fabric_shape(entry, info.get(name))
    return {"design": network.name, "fabrics": fabrics, "platforms": _platform_usage(network)}


_UPPER_TIER = {"leaf": "spine", "border-leaf": "spine", "spine": "super-spine"}


def _fabric_bandwidth(network: Network) -> dict[str, dict[str, Any]]:
    """Per fabric: devices by role, uplink and host bandwidth, and the leaves' oversubscription ratios."""
    by_name = network.device_by_name
    fabrics: dict[str, dict[str, Any]] = {}
    sites: dict[str, set[str]] = {}
    for device in network.devices:
        sites.setdefault(device.fabric, set()).add(device.site)
        entry = fabrics.setdefault(
            device.fabric,
            {
                "site": device.site,
                "devices": {},
                "gpus": 0,
                "servers": 0,
                "links": {},
                "leaf_uplink_gbps": 0,
                "spine_uplink_gbps": 0,
                "host_gbps": 0,
                "oversubscription": {},
            },
        )
        entry["devices"][device.role] = entry["devices"].get(device.role, 0) + 1
        upper = _UPPER_TIER.get(device.role)
        up = sum(
            i.speed
            for i in device.interfaces
            if i.kind == "fabric" and (peer := by_name.get(i.peer_device or "")) is not None and peer.role == upper
        )
        if device.role in ("leaf", "border-leaf"):
            entry["leaf_uplink_gbps"] += up
            entry["host_gbps"] += device.downlink_gbps
            if up and device.downlink_gbps:
                ratio = f"{round(device.downlink_gbps / up, 2):g}:1"
                entry["oversubscription"][ratio] = entry["oversubscription"].get(ratio, 0) + 1
        elif device.role == "spine":
            entry["spine_uplink_gbps"] += up
    for name, entry in fabrics.items():  # a DCI spans the sites it joins: no single site to name
        entry["sites"] = sorted(sites[name])
        if len(entry["sites"]) > 1:
            entry["site"] = None
    return fabrics


def _count_servers_and_links(network: Network, fabrics: dict[str, dict[str, Any]]) -> None:
    """Add GPU servers, GPUs and links by kind to each fabric's entry."""
    for server in network.servers:
        entry = fabrics.get(server.fabric)
        if entry is not None:
            entry["servers"] += 1
            entry["gpus"] += server.gpus
    fabric_of = {d.name: d.fabric for d in network.devices}
    for link in network.links:
        entry = fabrics.get(fabric_of.get(link.b.device, ""))
        if entry is not None:
            entry["links"][link.kind] = entry["links"].get(link.kind, 0) + 1


def _fabric_shape(entry: dict[str, Any], fabric: FabricInfo | None) -> None:
    """Add bisection bandwidth, tiers, the AI back-end's planes/rails, and the oversubscription target."""
    cuts = [entry["leaf_uplink_gbps"]] + ([entry["spine_uplink_gbps"]] if entry["spine_uplink_gbps"] else [])
    entry["bisection_gbps"] = min(cuts) // 2
    entry["tiers"] = fabric.tiers if fabric else None
    if fabric is not None and fabric.module == "ai-backend":
        entry.update(
            planes=fabric.planes,
            rails=fabric.rails,
            sus=fabric.sus,
            endpoints_per_plane=fabric.endpoints_per_plane,
            max_endpoints_per_plane=fabric.max_endpoints.get(fabric.tiers, 0),
        )
    entry["oversubscription_target"] = f"{fabric.oversubscription_target:g}:1" if fabric else None


def _platform_usage(network: Network) -> dict[str, dict[str, int]]:
    """Per platform in the catalogue: devices, ports, ports used and free, breakout lanes used."""
    platforms: dict[str, dict[str, int]] = {}
    for device in network.devices:
        platform = network.platforms.get(device.platform)
        if platform is None:
            continue
        entry = platforms.setdefault(
            device.platform, {"devices": 0, "ports": 0, "ports_used": 0, "ports_free": 0, "breakout_lanes_used": 0}
        )
        used = {i.port for i in device.interfaces}
        entry["devices"] += 1
        entry["ports"] += platform.port_count
        entry["ports_used"] += len(used)
        entry["ports_free"] += platform.port_count - len(used)
        entry["breakout_lanes_used"] += sum(1 for i in device.interfaces if i.lane)
    return platforms


_SUMMARY_LABELS: dict[str, tuple[str, str]] = {
    "sites": ("sites", ""),
    "devices": ("devices: {}", "devices"),
    "gpus": ("GPUs", "GPUs"),
    "servers": ("GPU servers", "servers"),
    "links": ("links: {}", "links"),
    "leaf_uplink_gbps": ("leaf uplink capacity", "Gb/s"),
    "spine_uplink_gbps": ("spine uplink capacity", "Gb/s"),
    "host_gbps": ("host-facing capacity", "Gb/s"),
    "oversubscription": ("leaves at downlink:uplink {}", "leaves"),
    "bisection_gbps": ("bisection bandwidth", "Gb/s"),
    "tiers": ("switch tiers", "tiers"),
    "planes": ("planes", "planes"),
    "rails": ("rails (NICs per GPU server)", "rails"),
    "sus": ("scalable units", "SUs"),
    "endpoints_per_plane": ("GPU NIC ports per plane", "ports"),
    "max_endpoints_per_plane": ("GPU NIC ports per plane, fully built", "ports"),
    "oversubscription_target": ("oversubscription target (downlink:uplink)", ""),
    "ports": ("front-panel ports", "ports"),
    "ports_used": ("ports used", "ports"),
    "ports_free": ("ports free", "ports"),
    "breakout_lanes_used": ("breakout sub-ports used", "sub-ports"),
}
"""What each summary metric counts and in which unit (the JSON keeps the short keys)."""

_LEAF_METRICS = ("leaf_uplink_gbps", "spine_uplink_gbps", "host_gbps", "oversubscription", "bisection_gbps", "tiers")
"""Metrics that describe a Clos: meaningless for a group without leaves (the DCI routers)."""


def summary(network: Network) -> Table:
    """`summary_data` as (scope, metric, value, unit) rows for the table and CSV views, each metric saying
    what it counts; the oversubscription row is a histogram: how many leaves have each downlink:uplink ratio."""
    data = summary_data(network)
    rows: list[list[Any]] = []
    for name, entry in data["fabrics"].items():
        clos = any(role in entry["devices"] for role in ("leaf", "border-leaf"))
        rows.extend(_summary_rows(name, "sites", entry["sites"]))
        for key, value in entry.items():
            if key in ("site", "sites") or (not clos and key in _LEAF_METRICS) or value is None:
                continue
            if key in ("gpus", "servers") and not entry["servers"]:  # not a GPU fabric
                continue
            if key == "spine_uplink_gbps" and not value:  # two tiers: no spine uplinks to count
                continue
            rows.extend(_summary_rows(name, key, value))
    for name, entry in data["platforms"].items():
        for key, value in entry.items():
            rows.extend(_summary_rows(f"platform {name}", key, value))
    return ["scope", "metric", "value", "unit"], rows


def _summary_rows(scope: str, key: str, value: Any) -> list[list[Any]]:
    label, unit = _SUMMARY_LABELS.get(key, (key, ""))
    if isinstance(value, dict):
        return [[scope, label.format(sub), count, unit] for sub, count in value.items()]
    if isinstance(value, list):
        return [[scope, label, ", ".join(map(str, value)), unit]]
    return [[scope, label.replace(": {}", ""), value, unit]]


def sites(network: Network) -> Table:
    """Per site pair and path between them: line systems, one-way latency, RTT, capacity, carriers, least OSNR
    margin and the MED that ranks it (0 = the preferred, lowest-latency band; equal MEDs share traffic)."""
    columns = [
        "sites",
        "path",
        "line_systems",
        "latency_us",
        "rtt_ms",
        "capacity_gbps",
        "carriers",
        "margin_db",
        "med",
        "preferred",
    ]
    rows: list[list[Any]] = []
    paths = network.dci.paths if network.dci is not None else []
    for path in sorted(paths, key=lambda p: (sorted((p.site_a, p.site_b)), p.med, p.latency_us, p.name)):
        rows.append(
            [
                " - ".join(sorted((path.site_a, path.site_b))),
                path.name,
                ",".join(path.line_systems),
                round(path.latency_us, 1),
                round(2 * path.latency_us / 1000, 3),
                round(path.capacity_gbps),
                len(path.carriers),
                round(path.margin_db, 2),
                path.med,
                path.med == 0,
            ]
        )
    return columns, rows


VIEWS: dict[str, Callable[[Network], Table]] = {
    "devices": devices,
    "links": links,
    "sessions": sessions,
    "addresses": addresses,
    "cabling": cabling,
    "pools": pools,
    "servers": servers,
    "summary": summary,
    "sites": sites,
}


def to_csv(table: Table) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(table[0])
    writer.writerows(table[1])  # csv writes None as an empty field itself: no row copies (100k GPUs: 0.36 -> 0.28 s)
    return buffer.getvalue()


def to_records(table: Table) -> list[dict[str, Any]]:
    columns, rows = table
    return [dict(zip(columns, row, strict=True)) for row in rows]


def _port(iface: Any) -> str:
    if iface is None:
        return ""
    return f"{iface.port}" + (f"/{iface.lane}" if iface.lane else "")
