"""The expanded network: the contract between expansion and every later stage.

Renderers, linters, the lab and the appliers read a `Network` and nothing else. The classes are plain
slotted dataclasses built from already-validated intent, so expansion of thousands of devices does
not pay for per-object validation; pydantic is used only to (de)serialise the whole thing as JSON.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from functools import cache, cached_property
from typing import TYPE_CHECKING, Any, Literal

import orjson
from pydantic import BaseModel

from netweave.catalog.platform import Platform
from netweave.network.allocate import PoolUsage
from netweave.network.endpoint import Endpoint
from netweave.network.gcpause import gc_paused
from netweave.network.transport import (  # noqa: F401  (re-exported: Network's fields)
    CarrierDirection,
    CarrierReport,
    DciAttachmentInfo,
    DciCarrierPolicy,
    DciInfo,
    DciPath,
    DciRouterInfo,
    DciRouting,
    DciVrf,
    SectionReport,
    SiteSummary,
    SpanCheck,
    SpectrumUse,
    StretchedVrf,
    StretchedVrfSite,
)

if TYPE_CHECKING:
    from pydantic import TypeAdapter

Role = Literal["super-spine", "spine", "leaf", "border-leaf", "dci"]
"""`dci`: a router built only to terminate DCI wavelengths (coherent pluggables), see `Network.optical`."""
InterfaceKind = Literal["fabric", "server", "dci"]


@dataclass(slots=True, kw_only=True)
class Optics:
    """Coherent pluggable (ZR/ZR+) settings of a DCI port, in netweave's own units.

    Renderers convert to each vendor's units (MHz, GHz, 0.1 dBm) with the tested functions in
    `netweave.optical.vendor_units`.
    """

    mode: str
    """Catalogue name of the operational mode, e.g. '400ZR' or 'OpenZR+ 300G'."""
    frequency_mhz: int
    """Centre frequency on the ITU-T G.694.1 flexgrid."""
    target_power_dbm: float
    operational_mode: int
    """OpenConfig operational-mode id (vendor-specific; from the mode catalogue)."""
    carrier: str
    """Carrier id: which wavelength of which DCI demand this port lights."""


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
    optics: Optics | None = None
    """Coherent optic settings when this port carries a DCI wavelength."""
    breakout: str | None = None
    """Breakout mode of the cage this lane belongs to, e.g. '2x400' (as in PortGroup.breakouts); None when
    the cage runs at its native speed. Every lane of one cage carries the same value."""


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
    plane: int | None = None
    """Rail-optimized fabrics: the independent plane (1-based) this switch belongs to, else None."""
    su: int | None = None
    """Rail-optimized leaves: the scalable unit (1-based) the leaf serves, else None."""
    rail: int | None = None
    """Rail-optimized leaves: the rail (1-based) = the NIC index every node of the SU plugs into it."""
    qos: str | None = None
    """Key into `Network.qos_profiles` of the QoS profile this switch runs, or None (best effort)."""
    evpn: EvpnDevice | None = None
    """EVPN-VXLAN data of a leaf (VTEP, VRFs, VNIs); None on switches without an overlay."""
    management: str = ""
    """Key into `Network.management` of the management plane this device runs ('' before expansion ends)."""


@dataclass(slots=True, kw_only=True)
class Link:
    """A cable between two interfaces (a is the lower tier: leaf before spine, spine before super-spine).

    GPU NIC cables have kind "server": `a` is the server and its `Nic.name`, `b` the leaf interface."""

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


@dataclass(slots=True, kw_only=True)
class Nic:
    """One GPU NIC port of a server and the leaf port it is cabled to (rail rule: NIC i -> rail i leaf).

    With several planes a NIC has one port per plane; each port is its own `Nic` entry with its own
    subnet, so the host never sees two addresses in one subnet (no ARP flux)."""

    name: str
    """Host-side interface name, e.g. 'rail3' or 'rail3-p2' (stable, vendor neutral)."""
    index: int
    """0-based NIC index in the node (= rail - 1)."""
    rail: int
    """1-based rail."""
    plane: int
    """1-based plane."""
    speed: int
    """Gb/s of this port."""
    leaf: str
    leaf_interface: str
    leaf_port: int
    leaf_lane: int | None
    subnet: str
    """The NIC's own subnet with length, e.g. 10.200.0.0/31."""
    address: str
    """Host address (no length)."""
    gateway: str
    """Leaf-side address (no length), the host's next hop."""
    cable_m: float | None = None


@dataclass(slots=True, kw_only=True)
class Server:
    """A GPU node: its place in the scalable unit and its NIC ports."""

    name: str
    site: str
    fabric: str
    su: int
    """1-based scalable unit."""
    node: int
    """1-based node slot inside the SU."""
    slot: int
    """Stable index inside the fabric (SU-major); GPU subnets derive from it."""
    gpus: int
    origin: str
    nics: list[Nic] = field(default_factory=list)


@dataclass(slots=True, kw_only=True)
class Quantity:
    """A number with its unit spelled out (vendors disagree: bytes, kbytes, segments, percent)."""

    value: float
    unit: Literal["bytes", "kbytes", "segments", "percent"]


@dataclass(slots=True, kw_only=True)
class EcnProfile:
    """ECN/WRED marking on the lossless queues."""

    traffic_classes: list[int]
    min_threshold: Quantity
    max_threshold: Quantity
    probability: int
    """Marking probability (percent) at the max threshold."""


@dataclass(slots=True, kw_only=True)
class QosProfile:
    """Per-device QoS as a renderer needs it (RoCEv2 lossless by default)."""

    name: str
    trust: Literal["dscp"]
    dscp_to_tc: dict[int, int]
    """DSCP -> traffic class (= priority); unlisted DSCPs go to `default_tc`."""
    default_tc: int
    pfc_priorities: list[int]
    """Priorities with PFC enabled (lossless); 802.3x link pause is off when `link_pause` is False."""
    link_pause: bool
    strict_priority_tcs: list[int]
    ets_weights: dict[int, int]
    """DWRR weight (percent) per traffic class that is not strict priority."""
    ecn: EcnProfile
    pfc_watchdog_detect_ms: int
    pfc_watchdog_restore_ms: int
    origin: str


@dataclass(slots=True, kw_only=True)
class EvpnVrf:
    """A tenant VRF with its symmetric-IRB L3 VNI."""

    name: str
    l3vni: int
    vlan: int | None
    """VLAN some NOSes need for the L3 VNI's SVI (EOS, NVUE auto-assign); None to let the renderer choose."""
    route_target: str


@dataclass(slots=True, kw_only=True)
class EvpnL2Vni:
    """A stretched layer-2 segment: VLAN, VNI, and its anycast gateway in a VRF."""

    name: str
    vni: int
    vlan: int
    vrf: str | None
    gateway: str | None
    """Anycast gateway address with prefix length (same on every leaf), or None for pure L2."""
    route_target: str


@dataclass(slots=True, kw_only=True)
class EvpnOverlay:
    """A fabric's EVPN-VXLAN overlay as designed (shared by its leaves)."""

    fabric: str
    anycast_gateway_mac: str
    vrfs: list[EvpnVrf]
    l2vnis: list[EvpnL2Vni]
    origin: str


@dataclass(slots=True, kw_only=True)
class EvpnDevice:
    """What one leaf (VTEP) configures for the overlay."""

    overlay: str
    """Key into `Network.evpn` (the fabric name)."""
    vtep: str
    """VXLAN source address (the loopback, no length)."""
    anycast_gateway_mac: str
    vrfs: list[EvpnVrf]
    l2vnis: list[EvpnL2Vni]


@dataclass(slots=True, kw_only=True)
class SyslogTarget:
    host: str
    port: int
    severity: str


@dataclass(slots=True, kw_only=True)
class LocalUser:
    name: str
    role: Literal["admin", "operator"]
    password: str | None
    """Name of the secret holding the password (never the value), or None for key-only login."""
    ssh_keys: list[str]


@dataclass(slots=True, kw_only=True)
class AaaTarget:
    host: str
    port: int
    key: str
    """Name of the secret holding the shared key (never the value)."""


@dataclass(slots=True, kw_only=True)
class ManagementProfile:
    """One effective management plane (design, site or fabric scope); devices reference it by key.

    Secrets appear by name only: renderers turn a name into a placeholder (`netweave.secrets`)."""

    ntp: list[str]
    syslog: list[SyslogTarget]
    dns_servers: list[str]
    dns_domain: str | None
    snmp_community: str | None
    """Secret name of the SNMPv2c read-only community; None: no SNMP agent."""
    snmp_location: str | None
    snmp_contact: str | None
    gnmi_port: int | None
    """None: no gNMI server."""
    banner: str | None
    users: list[LocalUser]
    tacacs: list[AaaTarget]
    radius: list[AaaTarget]
    ssh: bool
    netconf: bool
    json_rpc: bool
    eapi: bool
    nvue_api: bool
    origin: str
    """Design path of the narrowest scope that set a key (lint messages point there)."""
    bgp_auth_key: str | None = None
    """Name of the secret every BGP session of these devices authenticates with; None: no authentication."""
    bgp_auth_algorithm: str = "md5"
    """'md5' (TCP MD5, RFC 2385) or 'tcp-ao' (RFC 5925)."""
    json_rpc_scheme: str = "https"
    """SR Linux JSON-RPC transport, `https` or `http` (only when the design asks for it)."""
    tls_profile: str = "clab-profile"
    """SR Linux TLS server profile JSON-RPC (https) and gNMI use; its key and certificate are the operator's."""


@dataclass(slots=True, kw_only=True)
class FabricInfo:
    """Sizing facts a module derived for a fabric (radix, tiers, endpoints) for lint and `show summary`."""

    name: str
    site: str
    module: str
    tiers: int
    planes: int = 1
    rails: int = 0
    sus: int = 0
    nodes: int = 0
    gpus: int = 0
    endpoints_per_plane: int = 0
    """Host-facing ports per plane the fabric must reach."""
    radix: int = 0
    """Ports per switch at the fabric's link speed (after breakout) that bounds the tiers."""
    max_endpoints: dict[int, int] = field(default_factory=dict)
    """Endpoints per plane each tier count can reach with this radix and SU shape (tiers -> endpoints)."""
    oversubscription_target: float = 1.0
    origin: str = ""


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
    servers: list[Server] = field(default_factory=list)
    """GPU nodes of rail-optimized fabrics with their NIC ports, in canonical (SU-major) order."""
    qos_profiles: dict[str, QosProfile] = field(default_factory=dict)
    """QoS profiles by key (`<fabric>/<profile name>`); `Device.qos` names one."""
    evpn: dict[str, EvpnOverlay] = field(default_factory=dict)
    """EVPN overlays by fabric name; `Device.evpn.overlay` names one."""
    fabrics: list[FabricInfo] = field(default_factory=list)
    """Per-fabric sizing facts (tiers, radix, endpoints) for lint and summaries."""
    optical: list[CarrierReport] = field(default_factory=list)
    """DCI carriers (wavelengths) with mode, frequency and QoT, in canonical (carrier id) order."""
    optical_sections: list[SectionReport] = field(default_factory=list)
    """Optical line systems with their spectrum use and span/amplifier checks, in design order."""
    dci: DciInfo | None = None
    """DCI routers and fabric attachments (scale-across), None without an `optical:` section."""
    management: dict[str, ManagementProfile] = field(default_factory=dict)
    """Management planes by key (`design`, `site/<name>`, `fabric/<name>`); `Device.management` names one."""

    @cached_property
    def device_by_name(self) -> dict[str, Device]:
        return {device.name: device for device in self.devices}

    @cached_property
    def interface_by_end(self) -> dict[tuple[str, str], Interface]:
        """(device, interface name) -> switch interface: resolves link and session ends in O(1)."""
        with gc_paused():  # hundreds of thousands of new tuples would otherwise trigger full GC scans
            return {(device.name, iface.name): iface for device in self.devices for iface in device.interfaces}

    @cached_property
    def _neighbors(self) -> dict[str, list[Neighbor]]:
        with gc_paused():  # 1.2 s -> 0.2 s at 100k GPUs: a million new Neighbors, no cycles among them
            return self._neighbor_table()

    def _neighbor_table(self) -> dict[str, list[Neighbor]]:
        # positional constructor: the keyword form was 0.185 s of 200k Neighbors at 100k GPUs, this ~0.08 s
        from netweave.network.construct import new_neighbor  # imports this module

        table: dict[str, list[Neighbor]] = {device.name: [] for device in self.devices}
        for session in self.sessions:
            a, b, bfd, afi = session.a, session.b, session.bfd, session.afi
            table.setdefault(a.device, []).append(
                new_neighbor(a.interface, a.address, b.device, b.interface, b.address, b.asn, bfd, afi)
            )
            table.setdefault(b.device, []).append(
                new_neighbor(b.interface, b.address, a.device, a.interface, a.address, a.asn, bfd, afi)
            )
        return table

    def neighbors(self, device: str) -> list[Neighbor]:
        """BGP neighbors of `device`, in the order its sessions were created."""
        return self._neighbors.get(device, [])

    def to_json(self, indent: int | None = 2) -> str:
        """Serialise to JSON (stable key order, no timestamps); `indent` is 2 or None (compact).

        orjson reads the slotted dataclasses directly, in field order, and writes exactly the text pydantic's
        serialiser wrote (the network.json goldens hold it to that) in 1.2 s instead of 1.65 s at 100k GPUs.
        Only the catalogue's `Platform` entries are pydantic models; they go through pydantic's own JSON mode.
        """
        return self.to_json_bytes(indent).decode()

    def to_json_bytes(self, indent: int | None = 2, newline: bool = False) -> bytes:
        """`to_json` as UTF-8 bytes, `newline` appended: the file's bytes without a copy (network.json is
        286 MB at 100k GPUs; text, text + newline and their encoding were three more copies at the peak)."""
        if indent not in (2, None):
            raise ValueError(f"to_json writes indent 2 or compact JSON, not indent={indent}")
        option = orjson.OPT_NON_STR_KEYS | (orjson.OPT_INDENT_2 if indent else 0)
        option |= orjson.OPT_APPEND_NEWLINE if newline else 0
        top = {f.name: getattr(self, f.name) for f in fields(self)}  # not __dict__: cached indexes live there
        return orjson.dumps(top, default=json_default, option=option)

    @classmethod
    def from_json(cls, text: str | bytes) -> Network:
        """Inverse of `to_json` (validated by pydantic: the text may come from anywhere)."""
        return _adapter().validate_json(text)


def json_default(value: object) -> Any:
    """orjson's fallback: a pydantic model (a catalogue `Platform`) as pydantic's JSON mode dumps it."""
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json")
    raise TypeError(f"{type(value).__name__} is not part of a Network's JSON")


@cache
def _adapter() -> TypeAdapter[Network]:
    """Built on first use: building it costs ~70 ms of start-up that only reading network.json needs."""
    from pydantic import TypeAdapter

    return TypeAdapter(Network)
