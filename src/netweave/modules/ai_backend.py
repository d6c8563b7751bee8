"""`ai-backend`: a rail-optimized GPU back-end fabric (2 or 3 tiers, 1 or more planes) from one intent.

The shape (NVIDIA DGX SuperPOD / Spectrum-X reference architectures, reference/ai-fabric.md):

- Nodes are grouped into scalable units (SU). Every SU has one leaf per (rail, plane); NIC i of every
  node of the SU plugs into the leaf of rail i, one port per plane (the rail rule). A partially filled
  SU still gets all its leaves and uplinks; the missing nodes leave free server ports.
- 2 tiers: in each plane every leaf connects to every spine with `L` parallel links.
- 3 tiers: SUs are grouped into pods (as many as half a spine's ports can hold); each pod and plane
  has its own spines, and spine j of every pod meets the super-spine group j of its plane.

The tier count comes from radix math (2 when the plane's leaves fit the spines' ports, else 3) unless
forced with `tiers:`. Ports are counted at the link speed after breakout (an 800G cage broken out
2x400G is two 400G ports).

Stability: every address, ASN and port derives from a slot computed from (SU, plane, rail, node) and
fixed sizes, in SU-major order, so adding an SU only appends. The one number that depends on the size
is how many spines (and super-spines) a plane gets; it is sized for `capacity.max_sus` (default: the
SUs of this intent, which matches the published sizings). Pin `capacity.max_sus` to the size the
fabric will grow to before first deployment, and growth never re-cables a spine.

Slots (U = leaf uplinks, V = spine uplinks in 3 tiers, P = planes, R = rails, spp = SUs per pod):

    2 tiers  spine (p, j)        slot = p*U + j
             leaf (su, p, r)     slot = P*U + (su*P + p)*R + r
    3 tiers  super (p, j, g)     slot = (p*U + j)*V + g                      (region S = P*U*V)
             spine (pod, p, j)   slot = S + pod*B + p*U + j                  (B = P*U + spp*P*R)
             leaf (su, p, r)     slot = S + pod*B + P*U + ((su % spp)*P + p)*R + r
    GPU NIC port (node slot n, rail r, plane p): subnet #((n*R + r)*P + p) of addressing.gpu
"""

from __future__ import annotations

import ipaddress
import math
from dataclasses import dataclass
from typing import Literal

from pydantic import Field, model_validator

from netweave.errors import DesignError, Problem
from netweave.expand.registry import ExpansionContext, FabricPart
from netweave.intent.design import MAX_GPUS, Addressing, AsnPlan, FabricIntent, Nos, Platform, Speed, StrictModel
from netweave.intent.qos import QosIntent, expand_qos
from netweave.network.allocate import AddressPool, ntoa
from netweave.network.model import (
    BgpSession,
    Device,
    Endpoint,
    FabricInfo,
    Interface,
    Link,
    Nic,
    Server,
    SessionEnd,
)
from netweave.nos.naming import interface_name, management_interface

# ---------------------------------------------------------------------------------------------- intent


class SwitchSpec(StrictModel):
    """The switches of one tier: which platform, which NOS."""

    platform: str
    nos: Nos | None = Field(default=None, description="default: the platform's first NOS")


class AiAddressing(Addressing):
    """Fabric pools plus the GPU pool: one subnet per GPU NIC port (no two NICs share a subnet: no ARP flux)."""

    gpu: ipaddress.IPv4Network = Field(description="GPU NIC subnets are carved from here")
    gpu_prefix_length: Literal[30, 31] = Field(default=31, description="subnet per NIC port: /31 or /30")


class AiCapacity(StrictModel):
    """What the spine layer is built for; pin before the first deployment to grow without re-cabling."""

    max_sus: int | None = Field(
        default=None, ge=1, le=100_000, description="SUs the spines (and super-spines) are sized for; default: sus"
    )


class AiCableLengths(StrictModel):
    """Planned cable lengths per tier in metres; PFC headroom on lossless ports depends on them."""

    server_leaf: float = Field(default=10.0, gt=0, le=100_000)
    leaf_spine: float = Field(default=30.0, gt=0, le=100_000)
    spine_super_spine: float = Field(default=100.0, gt=0, le=100_000)


class AiBackendIntent(FabricIntent):
    """A rail-optimized GPU fabric: say how many GPUs (or nodes) and what they plug into."""

    module: Literal["ai-backend"]
    gpus: int | None = Field(default=None, ge=1, le=MAX_GPUS, description="GPUs to connect (or give nodes)")
    nodes: int | None = Field(default=None, ge=1, le=MAX_GPUS, description="GPU nodes (or give gpus)")
    gpus_per_node: int = Field(default=8, ge=1, le=64)
    nics_per_node: int | None = Field(
        default=None, ge=1, le=64, description="back-end NICs per node (default: gpus_per_node)"
    )
    rails: int | None = Field(
        default=None, ge=1, le=64, description="default: nics_per_node (NIC i -> rail i; must equal nics_per_node)"
    )
    nodes_per_su: int | None = Field(
        default=None, ge=1, le=1024, description="default: half the leaf's ports at nic_speed (1:1 leaf)"
    )
    planes: int = Field(default=1, ge=1, le=8, description="independent planes; each NIC has a port in each")
    nic_speed: Speed = Field(default=400, description="Gb/s of one NIC port (per plane)")
    uplink_speed: Speed | None = Field(default=None, description="leaf/spine link speed; default: native cage speed")
    tiers: Literal["auto", 2, 3] = Field(default="auto", description="auto: 2 when the radix allows, else 3")
    leaves: SwitchSpec
    spines: SwitchSpec | None = Field(default=None, description="default: same as leaves")
    super_spines: SwitchSpec | None = Field(default=None, description="default: same as spines")
    oversubscription: float = Field(default=1.0, gt=0, le=16, description="max downlink:uplink per leaf")
    addressing: AiAddressing
    asn: AsnPlan = Field(default_factory=AsnPlan)
    bfd: bool = True
    cable_m: AiCableLengths = Field(default_factory=AiCableLengths)
    qos: QosIntent | None = Field(default_factory=QosIntent, description="lossless RoCEv2 profile (null: none)")
    capacity: AiCapacity = Field(default_factory=AiCapacity)

    @model_validator(mode="after")
    def _size_given_once(self) -> AiBackendIntent:
        if (self.gpus is None) == (self.nodes is None):
            raise ValueError("give exactly one of gpus or nodes")
        nics = self.nics_per_node or self.gpus_per_node
        if self.rails is not None and self.rails != nics:
            raise ValueError(f"rails ({self.rails}) must equal nics_per_node ({nics}): NIC i goes to rail i")
        gpus = self.gpus if self.gpus is not None else (self.nodes or 0) * self.gpus_per_node
        if gpus > MAX_GPUS:
            raise ValueError(f"{gpus} GPUs; one fabric is limited to {MAX_GPUS} (see MAX_GPUS)")
        return self


# ---------------------------------------------------------------------------------------------- sizing


@dataclass(frozen=True, slots=True)
class PortRun:
    """Logical ports at one speed on a platform: `cages` cages from `first_cage`, `per_cage` lanes each."""

    first_cage: int
    cages: int
    per_cage: int
    speed: int

    @property
    def ports(self) -> int:
        return self.cages * self.per_cage

    @property
    def breakout(self) -> str | None:
        """The cage's breakout mode, e.g. '2x400', or None at native speed."""
        return f"{self.per_cage}x{self.speed}" if self.per_cage > 1 else None

    def locate(self, index: int) -> tuple[int, int | None]:
        """(cage, lane or None) of the `index`-th (0-based) logical port."""
        if self.per_cage == 1:
            return self.first_cage + index, None
        return self.first_cage + index // self.per_cage, index % self.per_cage + 1


def port_run(platform: Platform, speed: int, after_cage: int = 0) -> PortRun | None:
    """The first port group that runs at `speed` natively or by breakout, starting after `after_cage`."""
    first = 1
    for group in platform.ports:
        last = first + group.count - 1
        start = max(first, after_cage + 1)
        if start <= last:
            per_cage = 1 if group.speed == speed else _breakout(group.breakouts, speed)
            if per_cage:
                return PortRun(first_cage=start, cages=last - start + 1, per_cage=per_cage, speed=speed)
        first = last + 1
    return None


def _breakout(breakouts: list[str], speed: int) -> int:
    for item in breakouts:
        count, lane_speed = item.split("x")
        if int(lane_speed) == speed:
            return int(count)
    return 0


@dataclass(frozen=True, slots=True)
class Plan:
    """Everything radix math derives from the intent (pure data; see `plan`)."""

    gpus: int
    nodes: int
    rails: int
    planes: int
    nodes_per_su: int
    sus: int
    cap_sus: int
    tiers: int
    down: PortRun
    """Leaf server-facing ports (at nic_speed)."""
    up: PortRun
    """Leaf uplink ports (at uplink_speed)."""
    leaf_uplinks: int
    """U: uplinks per leaf."""
    spine_ports: int
    """R: spine ports at uplink speed (the radix that bounds the tiers)."""
    super_ports: int
    links_per_spine: int
    """L1: parallel links between a leaf and each spine of its plane (and pod)."""
    spines_per_group: int
    """S: spines per plane (2 tiers) or per pod and plane (3 tiers)."""
    sus_per_pod: int
    pods: int
    spine_uplinks: int
    """V: spine ports facing super-spines (3 tiers)."""
    links_per_super: int
    """L2: parallel links between a spine and each super-spine of its group."""
    supers_per_group: int
    """G: super-spines per spine index j (3 tiers)."""
    max_endpoints: dict[int, int]
    """Endpoints per plane each tier count reaches with these switches and this SU shape (2 -> n, 3 -> n)."""

    @property
    def endpoints_per_plane(self) -> int:
        return self.nodes * self.rails


def plan(intent: AiBackendIntent, platforms: dict[str, Platform], path: str = "") -> Plan:
    """Size the fabric: SUs, ports after breakout, tiers, spines and super-spines per plane.

    Raises `DesignError` (located under `path`) when a leaf cannot carry its SU or even 3 tiers
    cannot hold the fabric."""
    leaf_p = platforms[intent.leaves.platform]
    spine_spec = intent.spines or intent.leaves
    spine_p = platforms[spine_spec.platform]
    super_p = platforms[(intent.super_spines or spine_spec).platform]
    rails = intent.rails or intent.nics_per_node or intent.gpus_per_node
    nodes = intent.nodes if intent.nodes is not None else math.ceil((intent.gpus or 0) / intent.gpus_per_node)
    gpus = intent.gpus if intent.gpus is not None else nodes * intent.gpus_per_node
    uplink_speed = intent.uplink_speed or max(group.speed for group in leaf_p.ports)

    problems: list[Problem] = []
    down_all = port_run(leaf_p, intent.nic_speed)
    if down_all is None:
        raise DesignError(
            [
                Problem(
                    f"{leaf_p.model} has no {intent.nic_speed}G ports (natively or by breakout)",
                    path=f"{path}.nic_speed",
                    hint=f"breakouts: {_breakouts(leaf_p)}",
                )
            ]
        )
    nodes_per_su = intent.nodes_per_su or max(1, down_all.ports // 2)
    down_cages = math.ceil(nodes_per_su / down_all.per_cage)
    down = PortRun(down_all.first_cage, down_cages, down_all.per_cage, intent.nic_speed)
    up = port_run(leaf_p, uplink_speed, after_cage=down.first_cage + down_cages - 1)
    leaf_uplinks = math.ceil(nodes_per_su * intent.nic_speed / (intent.oversubscription * uplink_speed) - 1e-9)
    if down_cages > down_all.cages or up is None or up.ports < leaf_uplinks:
        have = 0 if up is None else up.ports
        problems.append(
            Problem(
                f"a leaf ({leaf_p.model}) cannot carry {nodes_per_su} nodes at {intent.nic_speed}G with "
                f"{intent.oversubscription:g}:1 oversubscription: it needs {down_cages} cages down and "
                f"{leaf_uplinks} x {uplink_speed}G up ({have} left)",
                path=f"{path}.nodes_per_su",
                hint="lower nodes_per_su, raise oversubscription, or change uplink_speed/leaves.platform",
            )
        )
    spine_run = port_run(spine_p, uplink_speed)
    super_run = port_run(super_p, uplink_speed)
    for run, where, platform in ((spine_run, "spines", spine_p), (super_run, "super_spines", super_p)):
        if run is None:
            problems.append(
                Problem(
                    f"{platform.model} has no {uplink_speed}G ports",
                    path=f"{path}.{where}",
                    hint=f"set uplink_speed to a speed it supports ({_breakouts(platform)})",
                )
            )
    if problems:
        raise DesignError(problems)
    assert up is not None and spine_run is not None and super_run is not None
    up = PortRun(up.first_cage, math.ceil(leaf_uplinks / up.per_cage), up.per_cage, uplink_speed)

    sus = max(1, math.ceil(nodes / nodes_per_su))
    cap_sus = max(intent.capacity.max_sus or sus, sus)
    r_spine, r_super = spine_run.ports, super_run.ports
    spine_down = r_spine // 2
    sus_per_pod = max(1, spine_down // rails)
    max_endpoints = {
        2: (r_spine // rails) * rails * nodes_per_su,
        3: r_super * sus_per_pod * rails * nodes_per_su if spine_down >= rails else 0,
    }
    cap_leaves = cap_sus * rails
    tiers = intent.tiers if intent.tiers != "auto" else (2 if cap_leaves <= r_spine else 3)
    fits = cap_sus * rails * nodes_per_su <= max_endpoints[tiers]
    if tiers == 3 and not fits and intent.tiers == "auto":  # a forced tier count is built; lint radix-tiers explains
        raise DesignError(
            [
                Problem(
                    f"{gpus} GPUs need {sus} SUs ({nodes * rails} endpoints per plane) but 3 tiers of "
                    f"{r_spine}-port spines / {r_super}-port super-spines reach {max_endpoints[3]}",
                    path=f"{path}.gpus" if intent.gpus is not None else f"{path}.nodes",
                    hint="use higher-radix switches, a lower uplink_speed (more ports after breakout), or split the "
                    "fabric",
                )
            ]
        )
    if tiers == 2:
        per_spine = max(1, r_spine // cap_leaves)
        l1 = _largest_divisor_at_most(leaf_uplinks, per_spine)
        return Plan(
            gpus=gpus,
            nodes=nodes,
            rails=rails,
            planes=intent.planes,
            nodes_per_su=nodes_per_su,
            sus=sus,
            cap_sus=cap_sus,
            tiers=2,
            down=down,
            up=up,
            leaf_uplinks=leaf_uplinks,
            spine_ports=r_spine,
            super_ports=r_super,
            links_per_spine=l1,
            spines_per_group=leaf_uplinks // l1,
            sus_per_pod=sus,
            pods=1,
            spine_uplinks=0,
            links_per_super=0,
            supers_per_group=0,
            max_endpoints=max_endpoints,
        )
    pods = math.ceil(sus / sus_per_pod)
    cap_pods = math.ceil(cap_sus / sus_per_pod)
    spine_up = r_spine - spine_down
    l2 = _largest_divisor_at_most(spine_up, max(1, r_super // cap_pods))
    return Plan(
        gpus=gpus,
        nodes=nodes,
        rails=rails,
        planes=intent.planes,
        nodes_per_su=nodes_per_su,
        sus=sus,
        cap_sus=cap_sus,
        tiers=3,
        down=down,
        up=up,
        leaf_uplinks=leaf_uplinks,
        spine_ports=r_spine,
        super_ports=r_super,
        links_per_spine=1,
        spines_per_group=leaf_uplinks,
        sus_per_pod=sus_per_pod,
        pods=pods,
        spine_uplinks=spine_up,
        links_per_super=l2,
        supers_per_group=spine_up // l2,
        max_endpoints=max_endpoints,
    )


def _largest_divisor_at_most(n: int, limit: int) -> int:
    """Largest d <= limit dividing n (so uplinks split evenly over spines: equal-cost ECMP)."""
    for d in range(min(n, max(1, limit)), 0, -1):
        if n % d == 0:
            return d
    return 1


def _breakouts(platform: Platform) -> str:
    return "; ".join(f"{g.count}x{g.speed}G " + ",".join(g.breakouts) for g in platform.ports)


# ---------------------------------------------------------------------------------------------- expansion


class AiBackendModule:
    """Expands `AiBackendIntent` into leaves, spines, super-spines, servers, links and eBGP sessions."""

    name = "ai-backend"
    intent = AiBackendIntent
    summary = "rail-optimized GPU back-end (2 or 3 tiers, planes) with eBGP underlay and RoCEv2 QoS"

    def expand(self, intent: AiBackendIntent, ctx: ExpansionContext) -> FabricPart:
        path = ctx.path
        specs = _specs(intent)
        problems = [
            _unknown_platform(spec.platform, f"{path}.{role}.platform", ctx.platforms)
            for role, spec in specs.items()
            if spec.platform not in ctx.platforms
        ]
        for role, spec in specs.items():
            platform = ctx.platforms.get(spec.platform)
            if platform is not None and spec.nos is not None and spec.nos not in platform.nos:
                problems.append(
                    Problem(
                        f"{platform.model} does not run {spec.nos}",
                        path=f"{path}.{role}.nos",
                        hint=f"supported: {', '.join(platform.nos)}",
                    )
                )
        if problems:
            raise DesignError(problems)
        p = plan(intent, ctx.platforms, path)
        return _Builder(intent, ctx, p).build()


def _specs(intent: AiBackendIntent) -> dict[str, SwitchSpec]:
    spines = intent.spines or intent.leaves
    return {"leaves": intent.leaves, "spines": spines, "super_spines": intent.super_spines or spines}


class _Builder:
    """One expansion: holds the pools and name tables so the hot loops stay plain attribute access."""

    def __init__(self, intent: AiBackendIntent, ctx: ExpansionContext, plan: Plan) -> None:
        self.intent = intent
        self.ctx = ctx
        self.plan = plan
        self.path = ctx.path
        self.prefix = intent.hostname_prefix
        site, fabric = ctx.site.name, intent.name
        a = intent.addressing
        where = f"{ctx.path}.addressing"
        self.loopbacks = AddressPool(f"{site}/{fabric} loopbacks", "loopbacks", a.loopbacks, f"{where}.loopbacks")
        self.mgmt = AddressPool(f"{site}/{fabric} management", "management", a.management.prefix, f"{where}.management")
        self.p2p = None if a.p2p == "unnumbered" else AddressPool(f"{site}/{fabric} p2p", "p2p", a.p2p, f"{where}.p2p")
        self.gpu = AddressPool(f"{site}/{fabric} gpu", "gpu", a.gpu, f"{where}.gpu")
        self.part = FabricPart()
        self.afi = ["ipv4-unicast"]
        self.qos_key: str | None = None
        if intent.qos is not None:
            self.qos_key, profile = expand_qos(intent.qos, fabric, f"{ctx.path}.qos")
            self.part.qos_profiles[self.qos_key] = profile

    # -- devices

    def _device(
        self,
        name: str,
        role: Literal["super-spine", "spine", "leaf"],
        spec: SwitchSpec,
        slot: int,
        asn: int,
        plane: int,
        pod: int | None,
        origin: str,
    ) -> Device:
        platform = self.ctx.platforms[spec.platform]
        nos = spec.nos or platform.nos[0]
        m = self.intent.addressing.management
        return Device(
            name=name,
            role=role,
            site=self.ctx.site.name,
            fabric=self.intent.name,
            pod=pod,
            platform=spec.platform,
            vendor=platform.vendor,
            model=platform.model,
            nos=nos,
            asn=asn,
            loopback=self.loopbacks.address(slot + 1),
            mgmt_ipv4=f"{self.mgmt.address(m.first_host + slot)}/{m.prefix.prefixlen}",
            mgmt_gateway=str(m.gateway_address),
            mgmt_interface=management_interface(nos),
            slot=slot,
            origin=origin,
            bfd=self.intent.bfd,
            plane=plane,
            qos=self.qos_key,
        )

    def build(self) -> FabricPart:
        intent, p, path = self.intent, self.plan, self.path
        specs = _specs(intent)
        P, R, U = p.planes, p.rails, p.leaf_uplinks
        plane_tag = (lambda pl: f"p{pl + 1}-") if P > 1 else (lambda pl: "")
        supers: dict[tuple[int, int], list[Device]] = {}  # (plane, j) -> group
        spines: dict[tuple[int, int], list[Device]] = {}  # (pod, plane) -> spines
        if p.tiers == 3:
            V, G = p.spine_uplinks, p.supers_per_group
            for pl in range(P):
                for j in range(p.spines_per_group):
                    supers[(pl, j)] = [
                        self._device(
                            f"{self.prefix}{plane_tag(pl)}superspine{j * G + g + 1}",
                            "super-spine",
                            specs["super_spines"],
                            (pl * U + j) * V + g,
                            intent.asn.super_spine + pl,
                            pl + 1,
                            None,
                            f"{path}.super_spines",
                        )
                        for g in range(G)
                    ]
            region, block = P * U * V, P * U + p.sus_per_pod * P * R
        else:
            region, block = 0, 0
        for pod in range(p.pods):
            for pl in range(P):
                pod_tag = f"pod{pod + 1}-" if p.tiers == 3 else ""
                asn = intent.asn.spine_base + (pod * P + pl if p.tiers == 3 else pl)
                spines[(pod, pl)] = [
                    self._device(
                        f"{self.prefix}{plane_tag(pl)}{pod_tag}spine{j + 1}",
                        "spine",
                        specs["spines"],
                        region + pod * block + pl * U + j,
                        asn,
                        pl + 1,
                        pod + 1 if p.tiers == 3 else None,
                        f"{path}.spines",
                    )
                    for j in range(p.spines_per_group)
                ]
        leaves: list[Device] = []
        for su in range(p.sus):
            pod = su // p.sus_per_pod if p.tiers == 3 else 0
            for pl in range(P):
                for r in range(R):
                    index = (su * P + pl) * R + r
                    if p.tiers == 3:
                        slot = region + pod * block + P * U + ((su % p.sus_per_pod) * P + pl) * R + r
                    else:
                        slot = P * U + index
                    leaf = self._device(
                        f"{self.prefix}su{su + 1}-leaf-r{r + 1}" + (f"-p{pl + 1}" if P > 1 else ""),
                        "leaf",
                        specs["leaves"],
                        slot,
                        intent.asn.leaf_base + index,
                        pl + 1,
                        pod + 1 if p.tiers == 3 else None,
                        f"{path}.leaves",
                    )
                    leaf.su, leaf.rail = su + 1, r + 1
                    leaf.downlink_gbps = p.nodes_per_su * intent.nic_speed
                    leaf.oversubscription_max = intent.oversubscription
                    leaves.append(leaf)
        self._servers(leaves)
        self._leaf_spine(leaves, spines)
        if p.tiers == 3:
            self._spine_super(spines, supers)
        part = self.part
        part.devices = [
            *(d for group in supers.values() for d in group),
            *(d for group in spines.values() for d in group),
            *leaves,
        ]
        for device in part.devices:
            uplinks = sum(1 for iface in device.interfaces if iface.kind == "fabric")
            device.maximum_paths = max(64, uplinks)
            device.interfaces.sort(key=lambda iface: (iface.port, iface.lane or 0))
        part.pools = [
            self.loopbacks.usage(),
            self.mgmt.usage(),
            *([self.p2p.usage()] if self.p2p else []),
            self.gpu.usage(),
        ]
        part.info = FabricInfo(
            name=intent.name,
            site=self.ctx.site.name,
            module="ai-backend",
            tiers=p.tiers,
            planes=P,
            rails=R,
            sus=p.sus,
            nodes=p.nodes,
            gpus=p.gpus,
            endpoints_per_plane=p.endpoints_per_plane,
            radix=p.spine_ports,
            max_endpoints=dict(p.max_endpoints),
            oversubscription_target=intent.oversubscription,
            origin=path,
        )
        return part

    # -- cabling

    def _servers(self, leaves: list[Device]) -> None:
        """Node n NIC i port p -> leaf (SU, rail i, plane p), server port n; one subnet per NIC port."""
        intent, p = self.intent, self.plan
        P, R = p.planes, p.rails
        leaf_p = self.ctx.platforms[intent.leaves.platform]
        names = _names(leaves[0].nos, leaf_p, p.down, p.nodes_per_su) if leaves else []
        plen = intent.addressing.gpu_prefix_length
        step = 2 if plen == 31 else 4
        cable = intent.cable_m.server_leaf
        mtu = intent.mtu
        origin = f"{self.path}.{'gpus' if intent.gpus is not None else 'nodes'}"
        breakout = p.down.breakout
        gpu = self.gpu
        links = self.part.links
        servers = self.part.servers
        for node_slot in range(p.nodes):
            su, n = divmod(node_slot, p.nodes_per_su)
            left = p.gpus - node_slot * intent.gpus_per_node
            server = Server(
                name=f"{self.prefix}su{su + 1}-node{n + 1}",
                site=self.ctx.site.name,
                fabric=intent.name,
                su=su + 1,
                node=n + 1,
                slot=node_slot,
                gpus=min(intent.gpus_per_node, left),
                origin=origin,
            )
            cage, lane = p.down.locate(n)
            leaf_if = names[n]
            for r in range(R):
                for pl in range(P):
                    leaf = leaves[(su * P + pl) * R + r]
                    first = gpu.block(step * ((node_slot * R + r) * P + pl), step)
                    if plen == 31:
                        gw, host = ntoa(first), ntoa(first + 1)
                        subnet = f"{gw}/31"
                    else:
                        gw, host = ntoa(first + 1), ntoa(first + 2)
                        subnet = f"{ntoa(first)}/30"
                    nic_name = f"rail{r + 1}" + (f"-p{pl + 1}" if P > 1 else "")
                    server.nics.append(
                        Nic(
                            name=nic_name,
                            index=r,
                            rail=r + 1,
                            plane=pl + 1,
                            speed=intent.nic_speed,
                            leaf=leaf.name,
                            leaf_interface=leaf_if,
                            leaf_port=cage,
                            leaf_lane=lane,
                            subnet=subnet,
                            address=host,
                            gateway=gw,
                            cable_m=cable,
                        )
                    )
                    leaf.interfaces.append(
                        Interface(
                            name=leaf_if,
                            port=cage,
                            lane=lane,
                            speed=intent.nic_speed,
                            mtu=mtu,
                            kind="server",
                            description=f"to {server.name} {nic_name}",
                            ipv4=f"{gw}/{plen}",
                            peer_device=server.name,
                            peer_interface=nic_name,
                            cable_m=cable,
                            breakout=breakout,
                        )
                    )
                    links.append(
                        Link(
                            a=Endpoint(device=server.name, interface=nic_name),
                            b=Endpoint(device=leaf.name, interface=leaf_if),
                            speed=intent.nic_speed,
                            mtu=mtu,
                            kind="server",
                            subnet=subnet,
                            cable_m=cable,
                            origin=origin,
                        )
                    )
            servers.append(server)

    def _leaf_spine(self, leaves: list[Device], spines: dict[tuple[int, int], list[Device]]) -> None:
        """Full mesh per plane (and pod): leaf uplink u = j*L + n goes to spine j, link n."""
        intent, p = self.intent, self.plan
        P, R, U, L = p.planes, p.rails, p.leaf_uplinks, p.links_per_spine
        leaf_p = self.ctx.platforms[intent.leaves.platform]
        spine_spec = _specs(intent)["spines"]
        spine_p = self.ctx.platforms[spine_spec.platform]
        spine_run = port_run(spine_p, p.up.speed)
        assert spine_run is not None
        leaf_names = _names(leaves[0].nos, leaf_p, p.up, U) if leaves else []
        spine_nos = spine_spec.nos or spine_p.nos[0]
        spine_down = spine_run.ports if p.tiers == 2 else spine_run.ports // 2
        spine_names = _names(spine_nos, spine_p, spine_run, max(spine_down, p.sus_per_pod * R * L))
        for leaf in leaves:
            su, pl, r = leaf.su - 1, leaf.plane - 1, leaf.rail - 1  # type: ignore[operator]
            pod = su // p.sus_per_pod if p.tiers == 3 else 0
            q = ((su % p.sus_per_pod) if p.tiers == 3 else su) * R + r  # leaf position in its plane (and pod)
            if p.tiers == 3:  # p2p block of a pod: spine-super links first, then leaf-spine links
                pod_block = P * U * p.spine_uplinks + p.sus_per_pod * P * R * U
                base = pod * pod_block + P * U * p.spine_uplinks + (((su % p.sus_per_pod) * P + pl) * R + r) * U
            else:
                base = ((su * P + pl) * R + r) * U
            for j, spine in enumerate(spines[(pod, pl)]):
                for n in range(L):
                    u = j * L + n
                    leaf_cage, leaf_lane = p.up.locate(u)
                    spine_cage, spine_lane = spine_run.locate(q * L + n)
                    self._connect(
                        leaf,
                        leaf_names[u],
                        leaf_cage,
                        leaf_lane,
                        p.up.breakout,
                        spine,
                        spine_names[q * L + n],
                        spine_cage,
                        spine_lane,
                        spine_run.breakout,
                        base + u,
                        intent.cable_m.leaf_spine,
                        f"{self.path}.leaves",
                    )

    def _spine_super(
        self, spines: dict[tuple[int, int], list[Device]], supers: dict[tuple[int, int], list[Device]]
    ) -> None:
        """Spine j of every pod meets super-spine group j of its plane; spine uplink u -> super u // L2."""
        intent, p = self.intent, self.plan
        P, U, V, L2 = p.planes, p.leaf_uplinks, p.spine_uplinks, p.links_per_super
        specs = _specs(intent)
        spine_p = self.ctx.platforms[specs["spines"].platform]
        super_p = self.ctx.platforms[specs["super_spines"].platform]
        spine_run = port_run(spine_p, p.up.speed)
        super_run = port_run(super_p, p.up.speed)
        assert spine_run is not None and super_run is not None
        spine_down = spine_run.ports // 2
        spine_nos = specs["spines"].nos or spine_p.nos[0]
        super_nos = specs["super_spines"].nos or super_p.nos[0]
        spine_names = _names(spine_nos, spine_p, spine_run, spine_run.ports)
        super_names = _names(super_nos, super_p, super_run, max(super_run.ports, p.pods * L2))
        pod_block = P * U * V + p.sus_per_pod * P * p.rails * U
        for (pod, pl), group in spines.items():
            for j, spine in enumerate(group):
                for u in range(V):
                    g, n = divmod(u, L2)
                    top = supers[(pl, j)][g]
                    s_cage, s_lane = spine_run.locate(spine_down + u)
                    t_index = pod * L2 + n
                    t_cage, t_lane = super_run.locate(t_index)
                    index = pod * pod_block + (pl * U + j) * V + u
                    self._connect(
                        spine,
                        spine_names[spine_down + u],
                        s_cage,
                        s_lane,
                        spine_run.breakout,
                        top,
                        super_names[t_index],
                        t_cage,
                        t_lane,
                        super_run.breakout,
                        index,
                        intent.cable_m.spine_super_spine,
                        f"{self.path}.super_spines",
                    )

    def _connect(
        self,
        lower: Device,
        lower_if: str,
        lower_port: int,
        lower_lane: int | None,
        lower_breakout: str | None,
        upper: Device,
        upper_if: str,
        upper_port: int,
        upper_lane: int | None,
        upper_breakout: str | None,
        index: int,
        cable: float,
        origin: str,
    ) -> None:
        """Both interfaces, the link and the single-hop eBGP session of one fabric cable."""
        speed, mtu = self.plan.up.speed, self.intent.mtu
        if self.p2p is None:
            lower_ip = upper_ip = subnet = None
        else:
            upper_ip, lower_ip, subnet = self.p2p.pair(index)
        lower.interfaces.append(
            Interface(
                name=lower_if,
                port=lower_port,
                lane=lower_lane,
                speed=speed,
                mtu=mtu,
                description=f"to {upper.name} {upper_if}",
                ipv4=f"{lower_ip}/31" if lower_ip else None,
                unnumbered=lower_ip is None,
                peer_device=upper.name,
                peer_interface=upper_if,
                cable_m=cable,
                breakout=lower_breakout,
            )
        )
        upper.interfaces.append(
            Interface(
                name=upper_if,
                port=upper_port,
                lane=upper_lane,
                speed=speed,
                mtu=mtu,
                description=f"to {lower.name} {lower_if}",
                ipv4=f"{upper_ip}/31" if upper_ip else None,
                unnumbered=upper_ip is None,
                peer_device=lower.name,
                peer_interface=lower_if,
                cable_m=cable,
                breakout=upper_breakout,
            )
        )
        self.part.links.append(
            Link(
                a=Endpoint(device=lower.name, interface=lower_if),
                b=Endpoint(device=upper.name, interface=upper_if),
                speed=speed,
                mtu=mtu,
                subnet=subnet,
                cable_m=cable,
                origin=origin,
            )
        )
        self.part.sessions.append(
            BgpSession(
                a=SessionEnd(device=lower.name, interface=lower_if, address=lower_ip, asn=lower.asn),
                b=SessionEnd(device=upper.name, interface=upper_if, address=upper_ip, asn=upper.asn),
                bfd=self.intent.bfd,
                afi=list(self.afi),
            )
        )


def _names(nos: str, platform: Platform, run: PortRun, count: int) -> list[str]:
    """Interface names of the first `count` logical ports of `run` (computed once per expansion)."""
    return [_name(nos, platform, run, index) for index in range(count)]


def _name(nos: str, platform: Platform, run: PortRun, index: int) -> str:
    cage, lane = run.locate(index)
    if cage > platform.port_count:  # a forced tier count beyond the radix: lint radix-tiers explains
        return f"port{cage}" + (f"/{lane}" if lane else "")
    return interface_name(nos, platform, cage, lane, run.per_cage if lane else None)


def _unknown_platform(name: str, path: str, catalog: dict[str, Platform]) -> Problem:
    import difflib

    close = difflib.get_close_matches(name, sorted(catalog), n=1)
    return Problem(
        f"unknown platform '{name}'",
        path=path,
        hint=f"did you mean '{close[0]}'?" if close else "add it under `platforms:` in the design",
    )


MODULE = AiBackendModule()
