"""Nokia SR Linux: the JSON config tree napalm-srlinux loads with `replace /`.

The template lays out the tree with every value passed through `tojson`; Python then parses and
re-dumps it, so the file is canonical JSON (sorted nothing, stable indentation) and a template
mistake surfaces as a JSON error at render time, not on the device.
"""

from __future__ import annotations

import json

from netweave.network import Device, Network
from netweave.render.context import bfd_microseconds, loopback_prefixes, srlinux_speed


class SrlinuxUnsupported(ValueError):
    """Intent SR Linux rendering does not cover yet."""


def srlinux_context(network: Network, device: Device) -> dict[str, object]:
    if any(iface.unnumbered for iface in device.interfaces):
        raise SrlinuxUnsupported(f"{device.name}: unnumbered (IPv6 link-local) BGP is not rendered for SR Linux "
                                 "yet; use a /31 p2p pool for fabrics with SR Linux devices")
    groups: dict[int, str] = {}
    for neighbor in network.neighbors(device.name):
        peer = network.device_by_name[neighbor.peer_device]
        groups.setdefault(neighbor.peer_asn, f"{peer.role}s-{neighbor.peer_asn}")
    return {
        "loopback_prefixes": loopback_prefixes(network),
        "peer_groups": groups,
        "port_speed": {iface.name: srlinux_speed(iface.speed) for iface in device.interfaces},
        "bfd_us": bfd_microseconds(300),
    }


def canonical_json(text: str) -> str:
    """Parse and re-dump rendered JSON: canonical layout, and a clear error if a template broke it."""
    return json.dumps(json.loads(text), indent=2) + "\n"
