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


def _ai_fabric(site: int) -> dict[str, Any]:
    """A tiny ai-backend fabric (2 nodes x 2 GPUs: one spine, two rail leaves) with GPU server subnets."""
    return {
        "name": f"dc{site}-fabric",
        "module": "ai-backend",
        "hostname_prefix": f"dc{site}-",
        "nodes": 2,
        "gpus_per_node": 2,
        "leaves": {"platform": "lab-400", "nos": "frr"},
        "spines": {"platform": "lab-400w", "nos": "frr"},
        "addressing": {
            "loopbacks": f"10.{site}.0.0/24",
            "p2p": f"10.{site}.1.0/24",
            "gpu": f"10.{site}.8.0/24",
            "management": {"prefix": f"172.20.{site}.0/24"},
        },
        "asn": {"spine_base": 65100 + site * 10, "leaf_base": 4200000000 + site * 100},
        "qos": None,
    }


def lab_three_sites() -> dict[str, Any]:
    """Three sites of tiny ai-backend fabrics (server subnets to prove, not only loopbacks), each pair joined by
    its own line system of a different length (dc1-dc2 320 km, dc2-dc3 400 km, dc1-dc3 480 km), so every site
    pair has its own RTT; each DCI router carries 2 x 300G to each of its two neighbours and takes 3 x 400G
    from its spine (capacity adds up)."""
    data = lab_sites()
    data["platforms"]["lab-400w"] = {**data["platforms"]["lab-400"], "ports": [{"count": 32, "speed": 400}]}
    data["platforms"]["lab-400w"]["ports"][0]["form"] = "virtual"
    data["sites"] = [{"name": f"dc{s}", "fabrics": [_ai_fabric(s)]} for s in (1, 2, 3)]
    optical = data["optical"]
    optical["routers"].append({"name": "dc3-dci", "site": "dc3", "platform": "lab-400", "nos": "frr", "asn": 65403})
    pairs = [(1, 2, 4), (2, 3, 5), (1, 3, 6)]
    optical["line_systems"] = [
        {"name": f"dc{a}-dc{b}", "site_a": f"dc{a}", "site_b": f"dc{b}", "spans": [{"length_km": 80}] * spans}
        for a, b, spans in pairs
    ]
    optical["demands"] = [
        {"name": f"dc{a}-dc{b}", "a": f"dc{a}-dci", "b": f"dc{b}-dci", "capacity_gbps": 600, "route": [f"dc{a}-dc{b}"]}
        for a, b, _ in pairs
    ]
    optical["attachments"] = [
        {"fabric": f"dc{s}-fabric", "router": f"dc{s}-dci", "tier": "spine", "links_per_device": 3} for s in (1, 2, 3)
    ]
    return data


def stretched_sites() -> dict[str, Any]:
    """`two_sites` with an EVPN overlay in each fabric, each site numbering the tenant VRF `storage` its own
    way (dc1: L3 VNI 50010, RT 65200:50010; dc2: 60010, 65300:60010), and `storage` stretched between them
    with the interconnect's L3 VNI 59010 and RT 65400:59010."""
    data = two_sites()
    for site, (rt_asn, base) in zip(data["sites"], ((65200, 50000), (65300, 60000)), strict=True):
        site["fabrics"][0]["evpn"] = {
            "rt_asn": rt_asn,
            "vrfs": [{"name": "storage", "l3vni": base + 10, "vlan": 4010}],
            "l2vnis": [
                {
                    "name": "nfs",
                    "vni": base - 39890,
                    "vlan": 110,
                    "vrf": "storage",
                    "gateway": f"10.3{site['name'][-1]}.110.1/24",
                }
            ],
        }
    data["optical"]["stretched_vrfs"] = [{"name": "storage", "l3vni": 59010, "route_target": "65400:59010"}]
    return data
