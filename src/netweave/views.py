"""Tabular views of a Network (devices, links, sessions, addresses, cabling) for show, build and CSV.

Each view returns column names and rows of plain values, so tables, JSON and CSV share one source.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from typing import Any

from netweave.network import Network

Table = tuple[list[str], list[list[Any]]]


def devices(network: Network) -> Table:
    columns = ["name", "role", "site", "fabric", "pod", "platform", "nos", "asn", "loopback", "mgmt"]
    rows = [[d.name, d.role, d.site, d.fabric, d.pod, d.platform, d.nos, d.asn, d.loopback, d.mgmt_ipv4]
            for d in network.devices]
    return columns, rows


def links(network: Network) -> Table:
    columns = ["a_device", "a_interface", "b_device", "b_interface", "speed_gbps", "mtu", "subnet"]
    rows = [[lk.a.device, lk.a.interface, lk.b.device, lk.b.interface, lk.speed, lk.mtu,
             lk.subnet or "unnumbered"] for lk in network.links]
    return columns, rows


def sessions(network: Network) -> Table:
    columns = ["a_device", "a_address", "a_asn", "b_device", "b_address", "b_asn", "bfd", "afi"]
    rows = [[s.a.device, s.a.address or s.a.interface, s.a.asn, s.b.device, s.b.address or s.b.interface,
             s.b.asn, s.bfd, ",".join(s.afi)] for s in network.sessions]
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
    """One row per cable, as a field technician patches it: device, port, peer device, peer port, speed."""
    by_name = network.device_by_name
    columns = ["device", "port", "interface", "peer_device", "peer_port", "peer_interface", "speed_gbps",
               "cable_m"]
    rows: list[list[Any]] = []
    for lk in network.links:
        a_if = _interface(by_name, lk.a.device, lk.a.interface)
        b_if = _interface(by_name, lk.b.device, lk.b.interface)
        rows.append([lk.a.device, _port(a_if), lk.a.interface, lk.b.device, _port(b_if), lk.b.interface,
                     lk.speed, lk.cable_m if lk.cable_m is not None else ""])
    return columns, rows


VIEWS: dict[str, Callable[[Network], Table]] = {
    "devices": devices, "links": links, "sessions": sessions, "addresses": addresses, "cabling": cabling,
    "pools": pools,
}


def to_csv(table: Table) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(table[0])
    writer.writerows(["" if v is None else v for v in row] for row in table[1])
    return buffer.getvalue()


def to_records(table: Table) -> list[dict[str, Any]]:
    columns, rows = table
    return [dict(zip(columns, row, strict=True)) for row in rows]


def _interface(by_name: dict[str, Any], device: str, name: str) -> Any:
    dev = by_name.get(device)
    if dev is None:
        return None
    return next((i for i in dev.interfaces if i.name == name), None)


def _port(iface: Any) -> str:
    if iface is None:
        return ""
    return f"{iface.port}" + (f"/{iface.lane}" if iface.lane else "")
