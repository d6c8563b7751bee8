"""Per-device template context: everything computed in Python so templates stay pure formatting."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from netweave.network import Device, Neighbor, Network

MGMT_VRF = "mgmt"
BFD_INTERVAL_MS = 300
BFD_MULTIPLIER = 3


@dataclass(frozen=True, slots=True)
class BgpContext:
    asn: int
    router_id: str
    maximum_paths: int
    multipath_relax: bool
    networks: list[str]
    neighbors: list[Neighbor]
    bfd: bool


def device_context(network: Network, device: Device) -> dict[str, Any]:
    """The variables every template of every NOS receives for `device`."""
    neighbors = network.neighbors(device.name)
    mgmt_address, mgmt_len = device.mgmt_ipv4.split("/")
    return {
        "device": device,
        "interfaces": device.interfaces,
        "mgmt": {"vrf": MGMT_VRF, "interface": device.mgmt_interface, "address": device.mgmt_ipv4,
                 "ip": mgmt_address, "prefix_length": int(mgmt_len), "gateway": device.mgmt_gateway},
        "loopback": {"ip": device.loopback, "prefix": f"{device.loopback}/32"},
        "bgp": BgpContext(asn=device.asn, router_id=device.loopback, maximum_paths=device.maximum_paths,
                          multipath_relax=True, networks=[f"{device.loopback}/32"], neighbors=neighbors,
                          bfd=device.bfd and any(n.bfd for n in neighbors)),
        "bfd": {"interval_ms": BFD_INTERVAL_MS, "multiplier": BFD_MULTIPLIER},
    }


def loopback_prefixes(network: Network) -> list[str]:
    """Every loopback pool of the design: what the underlay advertises (routing-policy prefix lists)."""
    return sorted({pool.prefix for pool in network.pools if pool.purpose == "loopbacks"})


def srlinux_speed(gbps: int) -> str:
    """SR Linux `port-speed` enum value for a speed in Gb/s (e.g. 100 -> '100G')."""
    return f"{gbps}G"


def bfd_microseconds(milliseconds: int) -> int:
    """SR Linux BFD intervals are in microseconds."""
    return milliseconds * 1000
