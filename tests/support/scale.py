"""A small two-site scale-across design (test-only): two leaf-spine fabrics of FRR hosts, one DCI router per
site, and two diverse line systems between the sites (a short and a longer one), so attachment, lint,
routing across sites and the multi-site lab can each be tested on a design that brings up in seconds."""

from __future__ import annotations

import copy
from typing import Any


def _fabric(site: int) -> dict[str, Any]:
    return {
        "name": f"dc{site}-fabric",
        "module": "leaf-spine",
        "hostname_prefix": f"dc{site}-",
        "spines": {"count": 2, "platform": "lab-400", "nos": "frr"},
        "leaves": {"count": 2, "platform": "lab-400", "nos": "frr", "uplink_first_port": 3, "server_ports": 2},
        "addressing": {
            "loopbacks": f"10.{site}.0.0/24",
            "p2p": f"10.{site}.1.0/24",
            "management": {"prefix": f"172.20.{site}.0/24"},
        },
        "asn": {"spine_base": 65100 + site * 10, "leaf_base": 4200000000 + site * 100},
        "oversubscription": 3.0,
    }


_DESIGN: dict[str, Any] = {
    "name": "scale",
    "platforms": {  # FRR hosts whose virtual ports run at a coherent carrier's 400G, so capacity adds up
        "lab-400": {
            "vendor": "FRRouting",
            "model": "Linux host with FRR (400G virtual ports)",
            "nos": ["frr"],
            "ports": [{"count": 16, "speed": 400, "form": "virtual"}],
        }
    },
    "sites": [
        {"name": "dc1", "fabrics": [_fabric(1)]},
        {"name": "dc2", "fabrics": [_fabric(2)]},
    ],
    "optical": {
        "addressing": {
            "loopbacks": "10.90.0.0/27",
            "p2p": "10.90.1.0/24",
            "attachments": "10.90.2.0/23",
            "management": {"prefix": "172.20.9.0/24"},
        },
        "routers": [
            {"name": "dc1-dci", "site": "dc1", "platform": "lab-400", "nos": "frr", "asn": 65401},
            {"name": "dc2-dci", "site": "dc2", "platform": "lab-400", "nos": "frr", "asn": 65402},
        ],
        "line_systems": [
            {"name": "north", "site_a": "dc1", "site_b": "dc2", "spans": [{"length_km": 40}], "roadm": None},
            {"name": "south", "site_a": "dc1", "site_b": "dc2", "spans": [{"length_km": 80}, {"length_km": 80}]},
        ],
        "demands": [
            {"name": "north", "a": "dc1-dci", "b": "dc2-dci", "capacity_gbps": 800, "route": ["north"]},
            {
                "name": "south",
                "a": "dc1-dci",
                "b": "dc2-dci",
                "capacity_gbps": 800,
                "route": ["south"],
                "diverse_from": ["north"],
            },
        ],
        "attachments": [
            {"fabric": "dc1-fabric", "router": "dc1-dci", "tier": "spine", "links_per_device": 2},
            {"fabric": "dc2-fabric", "router": "dc2-dci", "tier": "spine", "links_per_device": 2},
        ],
    },
}


def two_sites() -> dict[str, Any]:
    """A fresh copy of the two-site design as plain data (tests edit what they are about)."""
    return copy.deepcopy(_DESIGN)


def lab_sites() -> dict[str, Any]:
    """`two_sites` with line systems long enough that the delay line's own ~0.1-0.2 ms (measured) stays well
    inside the 10% RTT tolerance: north 4 x 80 km (1.57 ms one-way), south 6 x 80 km (2.35 ms), each
    demand two 300G OpenZR+ carriers (ECMP width 2)."""
    data = two_sites()
    lines = data["optical"]["line_systems"]
    lines[0] = {"name": "north", "site_a": "dc1", "site_b": "dc2", "spans": [{"length_km": 80}] * 4}
    lines[1] = {"name": "south", "site_a": "dc1", "site_b": "dc2", "spans": [{"length_km": 80}] * 6}
    for demand in data["optical"]["demands"]:
        demand["capacity_gbps"] = 600
    return data
