"""Expansion of the `ai-backend` module: devices at their slots, server cabling, leaf-spine and spine-super
meshes, all from the `netweave.fabric` kit and the `Sizing` that radix math derived.

The slot formulas are in the package docstring (`netweave.modules.ai_backend`).
"""

from __future__ import annotations

from typing import Literal

from netweave.errors import DesignError
from netweave.fabric import (
    DeviceFactory,
    ExpansionContext,
    FabricPart,
    FabricPools,
    Wiring,
    attach_qos,
    default_nos,
    finish_devices,
    port_run,
    run_names,
    unknown_platform,
    unsupported_nos,
)
from netweave.modules.ai_backend.intent import AiBackendIntent, SwitchSpec
from netweave.modules.ai_backend.sizing import Sizing, size_fabric
from netweave.network.allocate import OCTET_TEXT, ntoa
from netweave.network.construct import new_interface, new_link, new_nic
from netweave.network.model import Device, FabricInfo, Server

Groups = dict[tuple[int, int], list[Device]]
"""Spines by (pod, plane), super-spines by (plane, spine index j)."""


class AiBackendModule:
    """Expands `AiBackendIntent` into leaves, spines, super-spines, servers, links and eBGP sessions."""

    name = "ai-backend"
    intent = AiBackendIntent
    summary = "rail-optimized GPU back-end (2 or 3 tiers, planes) with eBGP underlay and RoCEv2 QoS"

    def expand(self, intent: AiBackendIntent, ctx: ExpansionContext) -> FabricPart:
        """validate platforms -> size (radix math) -> build."""
        _validate(intent, ctx)
        return _Builder(intent, ctx, size_fabric(intent, ctx.platforms, ctx.path)).build()


def _validate(intent: AiBackendIntent, ctx: ExpansionContext) -> None:
    """Every tier's platform must be in the catalogue and run the NOS asked for."""
    specs = _specs(intent)
    problems = [
        unknown_platform(spec.platform, f"{ctx.path}.{role}.platform", ctx.platforms)
        for role, spec in specs.items()
        if spec.platform not in ctx.platforms
    ]
    for role, spec in specs.items():
        platform = ctx.platforms.get(spec.platform)
        problem = None if platform is None else unsupported_nos(platform, spec.nos, f"{ctx.path}.{role}.nos")
        if problem is not None:
            problems.append(problem)
    if problems:
        raise DesignError(problems)


def _specs(intent: AiBackendIntent) -> dict[str, SwitchSpec]:
    spines = intent.spines or intent.leaves
    return {"leaves": intent.leaves, "spines": spines, "super_spines": intent.super_spines or spines}


class _Builder:
    """One expansion: holds the pools and name tables so the hot loops stay plain attribute access."""

    def __init__(self, intent: AiBackendIntent, ctx: ExpansionContext, sizing: Sizing) -> None:
        self.intent = intent
        self.ctx = ctx
        self.sizing = sizing
        self.path = ctx.path
        self.prefix = intent.hostname_prefix
        self.specs = _specs(intent)
        self.pools = FabricPools(ctx.site.name, intent.name, intent.addressing, ctx.path)
        self.gpu = self.pools.add("gpu", intent.addressing.gpu)
        self.factory = DeviceFactory.for_fabric(self.pools, ctx.platforms, bfd=intent.bfd)
        self.part = FabricPart()
        self.wiring = Wiring(self.part, self.pools.p2p, bfd=intent.bfd)

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
        return self.factory.device(
            name, role, spec.platform, slot=slot, asn=asn, origin=origin, nos=spec.nos, pod=pod, plane=plane
        )

    def _plane_tag(self, pl: int) -> str:
        return f"p{pl + 1}-" if self.sizing.planes > 1 else ""

    def _regions(self) -> tuple[int, int]:
        """(slots before the first pod, slots per pod): the super-spine region and the pod block in 3 tiers."""
        sz = self.sizing
        if sz.tiers != 3:
            return 0, 0
        P, R, U = sz.planes, sz.rails, sz.leaf_uplinks
        return P * U * sz.spine_uplinks, P * U + sz.sus_per_pod * P * R

    def _super_spines(self) -> Groups:
        """3 tiers: super-spine group j of each plane (G per group), slot (p*U + j)*V + g."""
        intent, sz = self.intent, self.sizing
        supers: Groups = {}
        if sz.tiers != 3:
            return supers
        U, V, G = sz.leaf_uplinks, sz.spine_uplinks, sz.supers_per_group
        for pl in range(sz.planes):
            for j in range(sz.spines_per_group):
                supers[(pl, j)] = [
                    self._device(
                        f"{self.prefix}{self._plane_tag(pl)}superspine{j * G + g + 1}",
                        "super-spine",
                        self.specs["super_spines"],
                        (pl * U + j) * V + g,
                        intent.asn.super_spine + pl,
                        pl + 1,
                        None,
                        f"{self.path}.super_spines",
                    )
                    for g in range(G)
                ]
        return supers

    def _spines(self) -> Groups:
        """Spines of each (pod, plane); one ASN per spine layer."""
        intent, sz = self.intent, self.sizing
        P, U = sz.planes, sz.leaf_uplinks
        region, block = self._regions()
        spines: Groups = {}
        for pod in range(sz.pods):
            for pl in range(P):
                pod_tag = f"pod{pod + 1}-" if sz.tiers == 3 else ""
                asn = intent.asn.spine_base + (pod * P + pl if sz.tiers == 3 else pl)
                spines[(pod, pl)] = [
                    self._device(
                        f"{self.prefix}{self._plane_tag(pl)}{pod_tag}spine{j + 1}",
                        "spine",
                        self.specs["spines"],
                        region + pod * block + pl * U + j,
                        asn,
                        pl + 1,
                        pod + 1 if sz.tiers == 3 else None,
                        f"{self.path}.spines",
                    )
                    for j in range(sz.spines_per_group)
                ]
        return spines

    def _leaves(self) -> list[Device]:
        """One leaf per (SU, plane, rail), SU-major; a unique ASN each (RFC 7938)."""
        intent, sz = self.intent, self.sizing
        P, R, U = sz.planes, sz.rails, sz.leaf_uplinks
        region, block = self._regions()
        leaves: list[Device] = []
        for su in range(sz.sus):
            pod = su // sz.sus_per_pod if sz.tiers == 3 else 0
            for pl in range(P):
                for r in range(R):
                    index = (su * P + pl) * R + r
                    if sz.tiers == 3:
                        slot = region + pod * block + P * U + ((su % sz.sus_per_pod) * P + pl) * R + r
                    else:
                        slot = P * U + index
                    leaf = self._device(
                        f"{self.prefix}su{su + 1}-leaf-r{r + 1}" + (f"-p{pl + 1}" if P > 1 else ""),
                        "leaf",
                        self.specs["leaves"],
                        slot,
                        intent.asn.leaf_base + index,
                        pl + 1,
                        pod + 1 if sz.tiers == 3 else None,
                        f"{self.path}.leaves",
                    )
                    leaf.su, leaf.rail = su + 1, r + 1
                    leaf.downlink_gbps = sz.nodes_per_su * intent.nic_speed
                    leaf.oversubscription_max = intent.oversubscription
                    leaves.append(leaf)
        return leaves

    def build(self) -> FabricPart:
        """devices (super-spines, spines, leaves) -> servers -> meshes -> finish -> QoS -> facts."""
        supers = self._super_spines()
        spines = self._spines()
        leaves = self._leaves()
        self._servers(leaves)
        self._leaf_spine(leaves, spines)
        if self.sizing.tiers == 3:
            self._spine_super(spines, supers)
        part = self.part
        part.devices = [
            *(d for group in supers.values() for d in group),
            *(d for group in spines.values() for d in group),
            *leaves,
        ]
        finish_devices(part.devices)
        part.pools = self.pools.usages()
        attach_qos(part, self.intent.qos, self.intent.name, f"{self.path}.qos")
        part.info = self._info()
        return part

    def _info(self) -> FabricInfo:
        """Sizing facts for lint (radix, tiers) and `show ... summary`."""
        intent, sz = self.intent, self.sizing
        return FabricInfo(
            name=intent.name,
            site=self.ctx.site.name,
            module=AiBackendModule.name,
            tiers=sz.tiers,
            planes=sz.planes,
            rails=sz.rails,
            sus=sz.sus,
            nodes=sz.nodes,
            gpus=sz.gpus,
            endpoints_per_plane=sz.endpoints_per_plane,
            radix=sz.spine_ports,
            max_endpoints=dict(sz.max_endpoints),
            oversubscription_target=intent.oversubscription,
            origin=self.path,
        )

    # -- cabling

    def _servers(self, leaves: list[Device]) -> None:
        """Node n NIC i port p -> leaf (SU, rail i, plane p), server port n; one subnet per NIC port.

        The hot loop of expand (a NIC port, its leaf port and its link per GPU: 100k of each at 100k GPUs), so
        everything that does not vary per port is looked up once: the NIC names per (rail, plane), the intent's
        fields, and the node's GPU block, reserved once for all its ports (the same addresses, highest offset and
        count as one block per port)."""
        intent, sz = self.intent, self.sizing
        P, R = sz.planes, sz.rails
        leaf_p = self.ctx.platforms[intent.leaves.platform]
        names = run_names(leaves[0].nos, leaf_p, sz.down, sz.nodes_per_su) if leaves else []
        plen = intent.addressing.gpu_prefix_length
        step = 2 if plen == 31 else 4
        cable = intent.cable_m.server_leaf
        mtu = intent.mtu
        speed = intent.nic_speed
        gpus_per_node = intent.gpus_per_node
        origin = f"{self.path}.{'gpus' if intent.gpus is not None else 'nodes'}"
        breakout = sz.down.breakout
        gpu = self.gpu
        links = self.part.links
        servers = self.part.servers
        site, fabric, prefix = self.ctx.site.name, intent.name, self.prefix
        ports = [(r, pl, f"rail{r + 1}" + (f"-p{pl + 1}" if P > 1 else "")) for r in range(R) for pl in range(P)]
        for node_slot in range(sz.nodes):
            su, n = divmod(node_slot, sz.nodes_per_su)
            left = sz.gpus - node_slot * gpus_per_node
            server_name = f"{prefix}su{su + 1}-node{n + 1}"
            server = Server(
                name=server_name,
                site=site,
                fabric=fabric,
                su=su + 1,
                node=n + 1,
                slot=node_slot,
                gpus=min(gpus_per_node, left),
                origin=origin,
            )
            nics = server.nics
            cage, lane = sz.down.locate(n)
            leaf_if = names[n]
            # no ports (no rails): nothing reserved, as before
            node_first = gpu.block(step * node_slot * R * P, step * R * P) if ports else 0
            for (r, pl, nic_name), (gw, host, subnet) in zip(
                ports, gpu_subnets(node_first, len(ports), plen), strict=True
            ):
                leaf = leaves[(su * P + pl) * R + r]
                leaf_name = leaf.name
                # positional constructors (netweave.network.construct): keyword calls were ~40% of this loop
                nics.append(
                    new_nic(nic_name, r, r + 1, pl + 1, speed, leaf_name, leaf_if, cage, lane, subnet, host, gw, cable)
                )
                leaf.interfaces.append(
                    new_interface(
                        leaf_if,
                        cage,
                        lane,
                        speed,
                        mtu,
                        "server",
                        f"to {server_name} {nic_name}",
                        subnet if plen == 31 else f"{gw}/{plen}",  # a /31 is written "gateway/31" already
                        False,
                        server_name,
                        nic_name,
                        cable,
                        None,
                        breakout,
                    )
                )
                links.append(
                    new_link(server_name, nic_name, leaf_name, leaf_if, speed, mtu, "server", subnet, cable, origin)
                )
            servers.append(server)

    def _leaf_spine(self, leaves: list[Device], spines: Groups) -> None:
        """Full mesh per plane (and pod): leaf uplink u = j*L + n goes to spine j, link n."""
        intent, sz = self.intent, self.sizing
        P, R, U, L = sz.planes, sz.rails, sz.leaf_uplinks, sz.links_per_spine
        leaf_p = self.ctx.platforms[intent.leaves.platform]
        spine_spec = self.specs["spines"]
        spine_p = self.ctx.platforms[spine_spec.platform]
        spine_run = port_run(spine_p, sz.up.speed)
        assert spine_run is not None  # size_fabric refused a spine without ports at this speed
        leaf_names = run_names(leaves[0].nos, leaf_p, sz.up, U) if leaves else []
        spine_nos = default_nos(spine_p, spine_spec.nos)
        spine_down = spine_run.ports if sz.tiers == 2 else spine_run.ports // 2
        spine_names = run_names(spine_nos, spine_p, spine_run, max(spine_down, sz.sus_per_pod * R * L))
        speed, mtu, cable = sz.up.speed, intent.mtu, intent.cable_m.leaf_spine
        origin = f"{self.path}.leaves"
        # per cable only the spine port varies with the leaf: the leaf's uplink ports and both breakout modes (a
        # property formatting a string) are the same for every leaf, so they are computed once
        up_breakout, spine_breakout = sz.up.breakout, spine_run.breakout
        uplinks = [(leaf_names[u], *sz.up.locate(u)) for u in range(U)]
        spine_ports = [spine_run.locate(index) for index in range(len(spine_names))]  # once, not per cable
        connect = self.wiring.connect_ports
        for leaf in leaves:
            su, pl, r = leaf.su - 1, leaf.plane - 1, leaf.rail - 1  # type: ignore[operator]
            pod = su // sz.sus_per_pod if sz.tiers == 3 else 0
            q = ((su % sz.sus_per_pod) if sz.tiers == 3 else su) * R + r  # leaf position in its plane (and pod)
            if sz.tiers == 3:  # p2p block of a pod: spine-super links first, then leaf-spine links
                pod_block = P * U * sz.spine_uplinks + sz.sus_per_pod * P * R * U
                base = pod * pod_block + P * U * sz.spine_uplinks + (((su % sz.sus_per_pod) * P + pl) * R + r) * U
            else:
                base = ((su * P + pl) * R + r) * U
            for j, spine in enumerate(spines[(pod, pl)]):
                for n in range(L):
                    u = j * L + n
                    leaf_if, leaf_cage, leaf_lane = uplinks[u]
                    spine_cage, spine_lane = spine_ports[q * L + n]
                    connect(
                        leaf,
                        leaf_if,
                        leaf_cage,
                        leaf_lane,
                        up_breakout,
                        spine,
                        spine_names[q * L + n],
                        spine_cage,
                        spine_lane,
                        spine_breakout,
                        speed,
                        mtu,
                        base + u,
                        origin,
                        cable,
                    )

    def _spine_super(self, spines: Groups, supers: Groups) -> None:
        """Spine j of every pod meets super-spine group j of its plane; spine uplink u -> super u // L2."""
        intent, sz = self.intent, self.sizing
        P, U, V, L2 = sz.planes, sz.leaf_uplinks, sz.spine_uplinks, sz.links_per_super
        spine_spec, super_spec = self.specs["spines"], self.specs["super_spines"]
        spine_p = self.ctx.platforms[spine_spec.platform]
        super_p = self.ctx.platforms[super_spec.platform]
        spine_run = port_run(spine_p, sz.up.speed)
        super_run = port_run(super_p, sz.up.speed)
        assert spine_run is not None and super_run is not None  # size_fabric refused them otherwise
        spine_down = spine_run.ports // 2
        spine_names = run_names(default_nos(spine_p, spine_spec.nos), spine_p, spine_run, spine_run.ports)
        super_names = run_names(
            default_nos(super_p, super_spec.nos), super_p, super_run, max(super_run.ports, sz.pods * L2)
        )
        pod_block = P * U * V + sz.sus_per_pod * P * sz.rails * U
        speed, mtu, cable = sz.up.speed, intent.mtu, intent.cable_m.spine_super_spine
        origin = f"{self.path}.super_spines"
        spine_breakout, super_breakout = spine_run.breakout, super_run.breakout  # properties: once, not per cable
        # every spine uses the same uplink ports and each super port index recurs on every super: located once
        ups = [(spine_names[spine_down + u], *spine_run.locate(spine_down + u), *divmod(u, L2)) for u in range(V)]
        super_ports = [(super_names[t], *super_run.locate(t)) for t in range(len(super_names))]
        connect = self.wiring.connect_ports
        for (pod, pl), group in spines.items():
            for j, spine in enumerate(group):
                tops = supers[(pl, j)]
                first = pod * pod_block + (pl * U + j) * V
                for u, (s_name, s_cage, s_lane, g, n) in enumerate(ups):
                    t_name, t_cage, t_lane = super_ports[pod * L2 + n]
                    connect(
                        spine,
                        s_name,
                        s_cage,
                        s_lane,
                        spine_breakout,
                        tops[g],
                        t_name,
                        t_cage,
                        t_lane,
                        super_breakout,
                        speed,
                        mtu,
                        first + u,
                        origin,
                        cable,
                    )


def gpu_subnets(first: int, count: int, length: int) -> list[tuple[str, str, str]]:
    """(gateway, host, subnet with length) of `count` consecutive GPU subnets of prefix `length` (31 or 30) from
    address `first`: a /31 is (first, first + 1), a /30 (first + 1, first + 2) with the host bits clear.

    A node's subnets lie in one last octet (8 NIC ports x 2 addresses at 100k GPUs), so the node's first address
    is formatted once and each address then changes its last octet only: two `ntoa` calls per NIC port were 0.08 s
    of the 100k-GPU expand. A block that crosses an octet boundary (a pool not aligned to it) is formatted in full."""
    size = 2 if length == 31 else 4
    last = first & 255
    if last + size * count > 256:
        subnets = []
        for k in range(count):
            base = first + size * k
            if length == 31:
                subnets.append((ntoa(base), ntoa(base + 1), f"{ntoa(base)}/31"))
            else:
                subnets.append((ntoa(base + 1), ntoa(base + 2), f"{ntoa(base)}/30"))
        return subnets
    text = ntoa(first)
    head = text[: text.rfind(".") + 1]
    octet = OCTET_TEXT
    if length == 31:
        return [
            (gw, head + octet[last + 1 + 2 * k], gw + "/31")
            for k in range(count)
            for gw in (head + octet[last + 2 * k],)
        ]
    return [
        (head + octet[low + 1], head + octet[low + 2], f"{head}{octet[low]}/30")
        for low in range(last, last + 4 * count, 4)
    ]
