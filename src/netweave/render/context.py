"""Per-device template context: everything computed in Python so templates stay pure formatting.

`device_context` gives every NOS the same facts (hostname, management, loopback, interfaces, eBGP,
EVPN, QoS, what to advertise); each NOS profile module (`netweave.nos.<nos>`) adds names and units of its own.
Nothing here walks the whole network per device: `RenderIndex` is built once per render and the
per-device work is proportional to that device's interfaces and sessions.
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from pydantic import TypeAdapter

from netweave.catalog.platform import Platform
from netweave.errors import NetweaveError
from netweave.network.allocate import aton, ntoa
from netweave.network.model import (
    DciRouting,
    Device,
    EvpnL2Vni,
    EvpnVrf,
    Interface,
    ManagementProfile,
    Neighbor,
    Network,
    QosProfile,
)
from netweave.network.policy import PoolPrefix, UnderlayPolicy, owned_pools, underlay_policies
from netweave.render.bgp_auth import bgp_auth_context
from netweave.render.management import management_context

MGMT_VRF = "mgmt"
BFD_INTERVAL_MS = 300
BFD_MULTIPLIER = 3


class RenderError(NetweaveError, ValueError):
    """The design asks for something a NOS renderer cannot express (the message says what and how to fix it)."""


class RenderIndex:
    """Lookups built once per network and shared by every device's context."""

    def __init__(self, network: Network) -> None:
        self.network = network
        self._pools = owned_pools(network)
        self._policies: dict[str, UnderlayPolicy] | None = None

    def advertised_pools(self, device: Device) -> list[PoolPrefix]:
        """Loopback and GPU pools of the whole design (export policies match them; routes of other fabrics,
        e.g. over a DCI, pass a spine too). The same list for every device."""
        return self._pools

    def policy(self, device: Device) -> UnderlayPolicy | None:
        """The device's underlay routing policy (`netweave.network.policy`), computed for all devices at once."""
        if self._policies is None:
            self._policies = underlay_policies(self.network)
        return self._policies.get(device.name)


_INDEXES: dict[int, RenderIndex] = {}


def index_for(network: Network) -> RenderIndex:
    """The RenderIndex of `network`, built once and kept while the network lives.

    Callers that render one device at a time (diff, lab, the forked parallel renderer) get the same
    O(1) per-device cost as `render`. The index reads `pools`, `servers`, `dci` and, for the underlay
    policy, devices and sessions; rebuild it (pass a fresh `RenderIndex`) if those are edited after the
    first render."""
    key = id(network)
    index = _INDEXES.get(key)
    if index is None or index.network is not network:
        index = RenderIndex(network)
        _INDEXES[key] = index
        weakref.finalize(network, _INDEXES.pop, key, None)
    return index


def pool_sets(pools: list[PoolPrefix]) -> list[tuple[str, list[PoolPrefix]]]:
    """Pools grouped by purpose, in `OWNED_POOLS` order (`netweave.network.policy`): one prefix list per purpose."""
    groups: dict[str, list[PoolPrefix]] = {}
    for pool in pools:
        groups.setdefault(pool.purpose, []).append(pool)
    return list(groups.items())


@dataclass(frozen=True, slots=True)
class PeerGroup:
    """Neighbors of one role (e.g. all spines); `peer_asn` is set when they share one ASN."""

    name: str
    peer_asn: int | None
    neighbors: list[Neighbor]


@dataclass(frozen=True, slots=True)
class BgpContext:
    asn: int
    router_id: str
    maximum_paths: int
    multipath_relax: bool
    networks: list[str]
    """Prefixes this device originates: its loopback /32, then its server (GPU NIC) subnets."""
    neighbors: list[Neighbor]
    bfd: bool
    evpn: bool = False
    """The sessions carry l2vpn-evpn (leaves and spines of an EVPN fabric)."""
    groups: list[PeerGroup] = field(default_factory=list)
    unnumbered: bool = False
    """At least one session is an interface (IPv6 link-local, RFC 5549) session."""


@dataclass(frozen=True, slots=True)
class EvpnContext:
    """A VTEP's overlay with every per-device value (RDs) computed."""

    vtep: str
    anycast_gateway_mac: str
    vrfs: list[EvpnVrf]
    l2vnis: list[EvpnL2Vni]
    rd: dict[int, str]
    """VNI -> route distinguisher `<router-id>:<vni>` (type 1, unique per device)."""
    l3vni_vlan: dict[str, int]
    """VRF -> VLAN carrying its L3 VNI (NOSes that need one: EOS, SONiC, NVUE)."""
    gateways: list[EvpnL2Vni]
    """L2 VNIs with an anycast gateway (the SVIs/IRBs to create)."""


def device_context(network: Network, device: Device, index: RenderIndex | None = None) -> dict[str, Any]:
    """The variables every template of every NOS receives for `device`."""
    index = index or index_for(network)
    neighbors = network.neighbors(device.name)
    mgmt_address, mgmt_len = device.mgmt_ipv4.split("/")
    fabric_ifaces = [i for i in device.interfaces if i.kind == "fabric"]
    server_ifaces = [i for i in device.interfaces if i.kind == "server"]
    networks = [f"{device.loopback}/32", *(subnet_of(i.ipv4) for i in server_ifaces if i.ipv4)]
    evpn_afi = any("l2vpn-evpn" in n.afi for n in neighbors)
    return {
        "device": device,
        "interfaces": device.interfaces,
        "fabric_interfaces": fabric_ifaces,
        "server_interfaces": server_ifaces,
        "breakouts": breakout_cages(device.interfaces),
        "mgmt": {
            "vrf": MGMT_VRF,
            "interface": device.mgmt_interface,
            "address": device.mgmt_ipv4,
            "ip": mgmt_address,
            "prefix_length": int(mgmt_len),
            "gateway": device.mgmt_gateway,
        },
        "loopback": {"ip": device.loopback, "prefix": f"{device.loopback}/32"},
        "bgp": BgpContext(
            asn=device.asn,
            router_id=device.loopback,
            maximum_paths=device.maximum_paths,
            multipath_relax=True,
            networks=networks,
            neighbors=neighbors,
            bfd=device.bfd and any(n.bfd for n in neighbors),
            evpn=evpn_afi,
            groups=peer_groups(network, neighbors),
            unnumbered=any(n.peer_address is None for n in neighbors),
        ),
        "bfd": {"interval_ms": BFD_INTERVAL_MS, "multiplier": BFD_MULTIPLIER},
        "advertised_pools": index.advertised_pools(device),
        "advertised_sets": pool_sets(index.advertised_pools(device)),
        "evpn": evpn_context(device),
        "policy": index.policy(device),
        "qos": network.qos_profiles.get(device.qos) if device.qos else None,
        "dci": network.dci.policies.get(device.name) if network.dci is not None else None,
        "management": management_context(network.management.get(device.management)),
        "bgp_auth": bgp_auth_context(network.management.get(device.management)),
    }


ROLE_GROUP = {"leaf": "leaves", "border-leaf": "border-leaves", "spine": "spines", "super-spine": "super-spines"}


def peer_groups(network: Network, neighbors: list[Neighbor]) -> list[PeerGroup]:
    """Neighbors grouped by the peer's role ('spines', 'leaves', 'super-spines'), in first-seen order."""
    by_role: dict[str, list[Neighbor]] = {}
    devices = network.device_by_name
    for n in neighbors:
        peer = devices.get(n.peer_device)
        role = peer.role if peer is not None else "peer"
        by_role.setdefault(ROLE_GROUP.get(role, f"{role}s"), []).append(n)
    groups = []
    for name, members in by_role.items():
        asns = {n.peer_asn for n in members}
        groups.append(PeerGroup(name=name, peer_asn=asns.pop() if len(asns) == 1 else None, neighbors=members))
    return groups


def evpn_context(device: Device) -> EvpnContext | None:
    """The overlay of a VTEP, or None. L3 VNI VLANs default to 4000 + position when the design gives none."""
    if device.evpn is None:
        return None
    e = device.evpn
    vnis = [v.l3vni for v in e.vrfs] + [s.vni for s in e.l2vnis]
    used_vlans = {s.vlan for s in e.l2vnis} | {v.vlan for v in e.vrfs if v.vlan}
    l3vlan: dict[str, int] = {}
    candidate = 3999
    for vrf in e.vrfs:
        if vrf.vlan:
            l3vlan[vrf.name] = vrf.vlan
            continue
        candidate += 1
        while candidate in used_vlans:
            candidate += 1
        l3vlan[vrf.name] = candidate
    return EvpnContext(
        vtep=e.vtep,
        anycast_gateway_mac=e.anycast_gateway_mac,
        vrfs=e.vrfs,
        l2vnis=e.l2vnis,
        rd={vni: route_distinguisher(device.loopback, vni) for vni in vnis},
        l3vni_vlan=l3vlan,
        gateways=[s for s in e.l2vnis if s.gateway and s.vrf],
    )


def route_distinguisher(router_id: str, vni: int) -> str:
    """Type-1 RD `<router-id>:<vni>`; the assigned field has 16 bits, so larger VNIs are refused."""
    if not 0 <= vni <= 0xFFFF:
        raise RenderError(
            f"VNI {vni} does not fit the 16-bit field of a type-1 RD <router-id>:<vni>; use VNIs up to 65535"
        )
    return f"{router_id}:{vni}"


def subnet_of(address: str) -> str:
    """'10.100.0.1/31' -> '10.100.0.0/31' (network of an interface address), without ipaddress objects."""
    ip, _, length = address.partition("/")
    bits = int(length)
    mask = (0xFFFFFFFF << (32 - bits)) & 0xFFFFFFFF
    return f"{ntoa(aton(ip) & mask)}/{bits}"


def breakout_cages(interfaces: list[Interface]) -> dict[int, str]:
    """Cage -> breakout mode ('2x400') of every broken-out cage in use, in cage order."""
    return dict(sorted({i.port: i.breakout for i in interfaces if i.breakout and i.lane}.items()))


def breakout_parts(mode: str) -> tuple[int, int]:
    """'2x400' -> (2, 400): lanes per cage and Gb/s per lane."""
    count, _, speed = mode.partition("x")
    return int(count), int(speed)


def loopback_prefixes(network: Network) -> list[str]:
    """Every loopback pool of the design: what the underlay advertises (routing-policy prefix lists)."""
    return sorted({pool.prefix for pool in network.pools if pool.purpose == "loopbacks"})


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
    """The design's loopback pools (the underlay export policy of SR Linux without per-fabric pools)."""
    platform: Platform | None = None
    """The device's platform (cage lanes for EOS speeds and SONiC lanes, SR Linux chassis features)."""
    qos: QosProfile | None = None
    """The QoS profile `device.qos` names."""
    advertised_pools: list[PoolPrefix] = field(default_factory=list)
    """Loopback and GPU pools of the device's fabric (prefix lists / export policies)."""
    dci: DciRouting | None = None
    """A DCI router's routing policy (summaries, MED per carrier session), else None."""
    management: ManagementProfile | None = None
    """The management plane `device.management` names."""
    policy: UnderlayPolicy | None = None
    """The device's underlay policy (export/import sets, max-prefix per session: `netweave.network.policy`)."""


@cache
def _inputs_adapter() -> TypeAdapter[RenderInputs]:
    """Built on first use (by `netweave diff`): its schema spans the whole Network model (~10 ms), and every
    NOS profile imports this module, so building it at import cost every `validate` and `build`."""
    return TypeAdapter(RenderInputs)


def render_inputs(
    network: Network, device: Device, loopbacks: list[str] | None = None, index: RenderIndex | None = None
) -> RenderInputs:
    """The inputs rendering `device` depends on; pass `loopbacks` and `index` to reuse network-wide work."""
    neighbors = network.neighbors(device.name)
    by_name = network.device_by_name
    index = index or index_for(network)
    return RenderInputs(
        device=device,
        neighbors=neighbors,
        peer_roles={n.peer_device: by_name[n.peer_device].role for n in neighbors if n.peer_device in by_name},
        loopback_prefixes=loopback_prefixes(network) if loopbacks is None else loopbacks,
        platform=network.platforms.get(device.platform),
        qos=network.qos_profiles.get(device.qos) if device.qos else None,
        advertised_pools=index.advertised_pools(device),
        dci=network.dci.policies.get(device.name) if network.dci is not None else None,
        management=network.management.get(device.management),
        policy=index.policy(device),
    )


def render_inputs_json(inputs: RenderInputs, indent: int | None = 2) -> str:
    """Stable JSON of `inputs` (field order fixed by the dataclasses; no timestamps)."""
    return _inputs_adapter().dump_json(inputs, indent=indent).decode()
