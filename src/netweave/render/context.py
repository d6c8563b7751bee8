"""Per-device template context: everything computed in Python so templates stay pure formatting."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pydantic import TypeAdapter

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


@dataclass(slots=True, kw_only=True)
class RenderInputs:
    """Everything about a network that rendering one device reads, and nothing else.

    `netweave diff` compares this per device to decide, without rendering, which devices can have
    changed: equal inputs render equal configs (templates and code are the same on both sides). It is
    also what the diff shows for a device whose NOS has no renderer yet. Keep it in step with
    `device_context` and the NOS `extra_context` functions: a value they read must be in here.
    """

    device: Device
    neighbors: list[Neighbor]
    peer_roles: dict[str, str]
    """Role of each BGP peer (SR Linux names its peer groups after it)."""
    loopback_prefixes: list[str]
    """The design's loopback pools (the underlay export policy of SR Linux)."""


_INPUTS_ADAPTER: TypeAdapter[RenderInputs] = TypeAdapter(RenderInputs)


def render_inputs(network: Network, device: Device, loopbacks: list[str] | None = None) -> RenderInputs:
    """The inputs rendering `device` depends on; pass `loopbacks` to reuse one network-wide computation."""
    neighbors = network.neighbors(device.name)
    by_name = network.device_by_name
    return RenderInputs(
        device=device, neighbors=neighbors,
        peer_roles={n.peer_device: by_name[n.peer_device].role for n in neighbors if n.peer_device in by_name},
        loopback_prefixes=loopback_prefixes(network) if loopbacks is None else loopbacks)


def render_inputs_json(inputs: RenderInputs, indent: int | None = 2) -> str:
    """Stable JSON of `inputs` (field order fixed by the dataclasses; no timestamps)."""
    return _INPUTS_ADAPTER.dump_json(inputs, indent=indent).decode()
