"""The expanded network: the contract between expansion and every later stage.

Renderers, linters, the lab and the appliers read a `Network` and nothing else. The classes are plain
slotted dataclasses built from already-validated intent, so expansion of thousands of devices does
not pay for per-object validation; pydantic is used only to (de)serialise the whole thing as JSON.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Literal

from pydantic import TypeAdapter

from netweave.allocate import PoolUsage
from netweave.design import Platform

Role = Literal["super-spine", "spine", "leaf", "border-leaf"]
InterfaceKind = Literal["fabric", "server", "dci"]


@dataclass(slots=True, kw_only=True)
class Interface:
    """A routed front-panel port (or breakout lane) in use."""

    name: str
    """Vendor-correct name for the device's NOS, e.g. ethernet-1/49, Ethernet49/1, swp49, Ethernet192."""
    port: int
    """Front-panel cage number, 1-based."""
    lane: int | None = None
    """Breakout lane (1-based) when the cage is broken out, else None."""
    speed: int
    """Gb/s."""
    mtu: int
    kind: InterfaceKind = "fabric"
    description: str = ""
    ipv4: str | None = None
    """Address with prefix length, e.g. 10.1.0.0/31; None when unnumbered or unaddressed."""
    unnumbered: bool = False
    peer_device: str | None = None
    peer_interface: str | None = None
    cable_m: float | None = None


@dataclass(slots=True, kw_only=True)
class Device:
    """A switch with everything a renderer or applier needs to configure it."""

    name: str
    role: Role
    site: str
    fabric: str
    pod: int | None = None
    platform: str
    vendor: str
    model: str
    nos: str
    asn: int
    loopback: str
    """Loopback IPv4 address (no prefix length); also the BGP router-id."""
    mgmt_ipv4: str
    """Management address with prefix length, in the management VRF."""
    mgmt_gateway: str
    mgmt_interface: str
    slot: int
    """Stable allocation index inside the fabric; addresses and ASNs derive from it."""
    origin: str
    """Design path this device comes from (for lint messages)."""
    downlink_gbps: int = 0
    """Host-facing capacity the leaf is sold for (oversubscription = downlink / uplink)."""
    oversubscription_max: float | None = None
    maximum_paths: int = 64
    bfd: bool = True
    interfaces: list[Interface] = field(default_factory=list)


@dataclass(slots=True, kw_only=True)
class Endpoint:
    device: str
    interface: str


@dataclass(slots=True, kw_only=True)
class Link:
    """A cable between two interfaces (a is the lower tier: leaf before spine, spine before super-spine)."""

    a: Endpoint
    b: Endpoint
    speed: int
    mtu: int
    kind: InterfaceKind = "fabric"
    subnet: str | None = None
    """The /31 both ends share, or None when unnumbered."""
    cable_m: float | None = None
    origin: str = ""


@dataclass(slots=True, kw_only=True)
class SessionEnd:
    device: str
    interface: str
    address: str | None
    """Peer-facing address (no prefix length), None for unnumbered (interface) peering."""
    asn: int


@dataclass(slots=True, kw_only=True)
class BgpSession:
    """One single-hop eBGP session per link (RFC 7938)."""

    a: SessionEnd
    b: SessionEnd
    bfd: bool = True
    afi: list[str] = field(default_factory=lambda: ["ipv4-unicast"])


@dataclass(slots=True, kw_only=True)
class Neighbor:
    """A session seen from one device: what goes into its BGP neighbor statement."""

    local_interface: str
    local_address: str | None
    peer_device: str
    peer_interface: str
    peer_address: str | None
    peer_asn: int
    bfd: bool
    afi: list[str]


@dataclass(kw_only=True)
class Network:
    """Everything expansion derived from a design. Lists are in canonical order."""

    name: str
    devices: list[Device] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    sessions: list[BgpSession] = field(default_factory=list)
    pools: list[PoolUsage] = field(default_factory=list)
    platforms: dict[str, Platform] = field(default_factory=dict)
    """The platforms the devices use (name -> datasheet facts)."""

    @cached_property
    def device_by_name(self) -> dict[str, Device]:
        return {device.name: device for device in self.devices}

    @cached_property
    def _neighbors(self) -> dict[str, list[Neighbor]]:
        table: dict[str, list[Neighbor]] = {device.name: [] for device in self.devices}
        for session in self.sessions:
            for local, remote in ((session.a, session.b), (session.b, session.a)):
                table.setdefault(local.device, []).append(Neighbor(
                    local_interface=local.interface, local_address=local.address,
                    peer_device=remote.device, peer_interface=remote.interface,
                    peer_address=remote.address, peer_asn=remote.asn, bfd=session.bfd, afi=session.afi))
        return table

    def neighbors(self, device: str) -> list[Neighbor]:
        """BGP neighbors of `device`, in the order its sessions were created."""
        return self._neighbors.get(device, [])

    def to_json(self, indent: int | None = 2) -> str:
        """Serialise to JSON (stable key order, no timestamps)."""
        return _ADAPTER.dump_json(self, indent=indent).decode()

    @classmethod
    def from_json(cls, text: str | bytes) -> Network:
        """Inverse of `to_json`."""
        return _ADAPTER.validate_json(text)


_ADAPTER: TypeAdapter[Network] = TypeAdapter(Network)
