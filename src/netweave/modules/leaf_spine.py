"""`leaf-spine`: a 3-stage (or, with pods and super-spines, 5-stage) Clos fabric with eBGP (RFC 7938).

Every allocation derives from a stable slot computed from (pod, index) and fixed capacities, so adding
a leaf, a spine or a pod never changes an existing address, ASN or port:

    super-spine k        slot = k
    spine (pod p, j)     slot = max_super_spines + p * max_spines + j
    leaf  (pod p, i)     slot = max_super_spines + max_pods * max_spines + p * max_leaves + i
    leaf-spine link      /31 #((p * max_leaves + i) * max_spines + j) * links_per_spine + n
    spine-super link     /31 # region + ((p * max_spines + j) * max_super_spines + k) * links + n

Capacities default to what the platforms' ports allow (a leaf cannot reach more spines than it has
uplink ports), and can be pinned in `capacity:` before a fabric is first deployed.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from typing import Literal

from pydantic import Field, model_validator

from netweave.catalog.platform import Platform
from netweave.errors import DesignError, Problem
from netweave.fabric import (
    DeviceFactory,
    ExpansionContext,
    FabricPart,
    FabricPools,
    Wiring,
    attach_overlay,
    attach_qos,
    cable_end,
    finish_devices,
    speed_at,
    unknown_platform,
)
from netweave.intent.design import Addressing, AsnPlan, FabricIntent, Nos, StrictModel
from netweave.intent.evpn import EvpnIntent
from netweave.intent.qos import QosIntent
from netweave.network.model import Device, FabricInfo


class DeviceOverride(StrictModel):
    """Per-device exceptions, keyed by device name."""

    platform: str | None = None
    nos: Nos | None = None
    mtu: int | None = Field(default=None, ge=1280, le=9216)
    asn: int | None = Field(
        default=None,
        ge=1,
        le=4294967295,
        description="keep an existing ASN (brownfield); lint checks the RFC 7938 rules",
    )
    uplinks: list[str] | None = Field(
        default=None, description="leaves only: connect to just these spines (default: every spine of the pod)"
    )


class RoleSpec(StrictModel):
    """Switches of one tier: how many, which platform, which NOS."""

    count: int = Field(ge=1, le=4096)
    platform: str
    nos: Nos | None = Field(default=None, description="default: the platform's first NOS")
    overrides: dict[str, DeviceOverride] = Field(default_factory=dict)


class SpineSpec(RoleSpec):
    """Spines, `count` per pod. With super-spines, ports from `uplink_first_port` face them."""

    uplink_first_port: int | None = Field(default=None, ge=1)


class LeafSpec(RoleSpec):
    """Leaves, `count` per pod. Ports from `uplink_first_port` on face the spines."""

    uplink_first_port: int | None = Field(
        default=None, ge=1, description="default: first port of the fastest group, or the upper half"
    )
    links_per_spine: int = Field(default=1, ge=1, le=8)
    server_ports: int | None = Field(default=None, ge=0, description="host-facing ports sold (default: all)")


class SuperSpineSpec(RoleSpec):
    links_per_spine: int = Field(default=1, ge=1, le=8)


class Capacity(StrictModel):
    """Reserved sizes that fix every slot; default: what the platforms' ports allow."""

    max_pods: int | None = Field(default=None, ge=1, le=1024)
    max_spines: int | None = Field(default=None, ge=1, le=1024)
    max_leaves: int | None = Field(default=None, ge=1, le=4096)
    max_super_spines: int | None = Field(default=None, ge=0, le=1024)


class CableLengths(StrictModel):
    """Planned cable lengths per tier in metres (PFC headroom depends on them); None = unknown."""

    leaf_spine: float | None = Field(default=None, gt=0, le=100_000)
    spine_super_spine: float | None = Field(default=None, gt=0, le=100_000)


class LeafSpineIntent(FabricIntent):
    """A leaf-spine fabric: spines and leaves per pod, optional super-spines joining pods."""

    module: Literal["leaf-spine"]
    pods: int = Field(default=1, ge=1, le=1024)
    spines: SpineSpec
    leaves: LeafSpec
    super_spines: SuperSpineSpec | None = None
    addressing: Addressing
    asn: AsnPlan = Field(default_factory=AsnPlan)
    bfd: bool = True
    oversubscription: float = Field(default=3.0, gt=0, le=64, description="max downlink:uplink per leaf")
    capacity: Capacity = Field(default_factory=Capacity)
    evpn: EvpnIntent | None = Field(default=None, description="EVPN-VXLAN overlay: every leaf becomes a VTEP")
    qos: QosIntent | None = Field(default=None, description="QoS profile of every switch (e.g. RoCEv2 lossless)")
    cable_m: CableLengths = Field(default_factory=CableLengths)

    @model_validator(mode="after")
    def _pods_need_super_spines(self) -> LeafSpineIntent:
        if self.pods > 1 and self.super_spines is None:
            raise ValueError("pods > 1 needs a super_spines tier to join them")
        return self


@dataclass(frozen=True)
class _Layout:
    """Reserved sizes that fix every slot (see the module docstring)."""

    max_pods: int
    max_spines: int
    max_leaves: int
    max_super: int


@dataclass
class _Tiers:
    """The fabric's devices by tier, in canonical order."""

    supers: list[Device] = field(default_factory=list)
    pod_spines: list[list[Device]] = field(default_factory=list)
    pod_leaves: list[list[Device]] = field(default_factory=list)

    def all(self) -> list[Device]:
        """Super-spines, then spines pod by pod, then leaves pod by pod (the order `network.devices` keeps)."""
        return [
            *self.supers,
            *(d for pod in self.pod_spines for d in pod),
            *(d for pod in self.pod_leaves for d in pod),
        ]


class LeafSpineModule:
    """Expands `LeafSpineIntent` into devices, links and eBGP sessions."""

    name = "leaf-spine"
    intent = LeafSpineIntent
    summary = "leaf-spine Clos with eBGP underlay; optional super-spines and pods"

    def expand(self, intent: LeafSpineIntent, ctx: ExpansionContext) -> FabricPart:
        """validate -> layout -> devices -> wiring -> finish (each step below)."""
        names = _DeviceNames(intent)
        _validate(intent, names, ctx)
        layout = _layout(intent, ctx.platforms)
        _check_capacity(intent, layout, ctx.path)
        pools = FabricPools(ctx.site.name, intent.name, intent.addressing, ctx.path)
        tiers = _devices(intent, names, layout, DeviceFactory.for_fabric(pools, ctx.platforms, bfd=intent.bfd), ctx)
        part = FabricPart()
        afi = ["ipv4-unicast", "l2vpn-evpn"] if intent.evpn is not None else ["ipv4-unicast"]
        wiring = Wiring(part, pools.p2p, bfd=intent.bfd, afi=afi)
        _wire_leaves(intent, layout, tiers, wiring, ctx)
        if intent.super_spines is not None:
            _wire_super_spines(intent, intent.super_spines, layout, tiers, wiring, ctx)
        part.devices = tiers.all()
        finish_devices(part.devices)
        part.pools = pools.usages()
        attach_qos(part, intent.qos, intent.name, f"{ctx.path}.qos")
        attach_overlay(part, intent.evpn, intent.name, f"{ctx.path}.evpn")
        part.info = _info(intent, part, ctx)
        return part


def _validate(intent: LeafSpineIntent, names: _DeviceNames, ctx: ExpansionContext) -> None:
    """Overrides must name real devices and spines; every platform must be in the catalogue."""
    problems: list[Problem] = []
    _check_overrides(intent, names, ctx.platforms, ctx.path, problems)
    for role, spec in _roles(intent):
        if spec.platform not in ctx.platforms:
            problems.append(unknown_platform(spec.platform, f"{ctx.path}.{role}.platform", ctx.platforms))
    if problems:
        raise DesignError(problems)


def _devices(
    intent: LeafSpineIntent, names: _DeviceNames, layout: _Layout, factory: DeviceFactory, ctx: ExpansionContext
) -> _Tiers:
    """Every switch at its stable slot, with per-device overrides applied."""
    path = ctx.path

    def make(
        name: str,
        role: Literal["super-spine", "spine", "leaf"],
        spec: RoleSpec,
        slot: int,
        asn: int,
        pod: int | None,
        origin: str,
    ) -> Device:
        override = spec.overrides.get(name, DeviceOverride())
        return factory.device(
            name,
            role,
            override.platform or spec.platform,
            slot=slot,
            asn=override.asn or asn,
            origin=origin,
            nos=override.nos or spec.nos,
            pod=pod,
        )

    tiers = _Tiers()
    if intent.super_spines is not None:
        ss = intent.super_spines
        tiers.supers = [
            make(names.super_spine(k), "super-spine", ss, k, intent.asn.super_spine, None, f"{path}.super_spines")
            for k in range(ss.count)
        ]
    for p in range(intent.pods):
        pod = p + 1 if intent.pods > 1 else None
        spine_base = layout.max_super + p * layout.max_spines
        tiers.pod_spines.append(
            [
                make(
                    names.spine(p, j),
                    "spine",
                    intent.spines,
                    spine_base + j,
                    intent.asn.spine_base + p,
                    pod,
                    f"{path}.spines",
                )
                for j in range(intent.spines.count)
            ]
        )
        leaf_base = layout.max_super + layout.max_pods * layout.max_spines + p * layout.max_leaves
        tiers.pod_leaves.append(
            [
                make(
                    names.leaf(p, i),
                    "leaf",
                    intent.leaves,
                    leaf_base + i,
                    intent.asn.leaf_base + p * layout.max_leaves + i,
                    pod,
                    f"{path}.leaves",
                )
                for i in range(intent.leaves.count)
            ]
        )
    return tiers


def _wire_leaves(
    intent: LeafSpineIntent, layout: _Layout, tiers: _Tiers, wiring: Wiring, ctx: ExpansionContext
) -> None:
    """Leaf i uplink j*L+n -> spine j port i*L+n+1 (L = links_per_spine), /31 #((p*max_leaves+i)*max_spines+j)*L+n."""
    catalog = ctx.platforms
    lps = intent.leaves.links_per_spine
    for p in range(intent.pods):
        for i, leaf in enumerate(tiers.pod_leaves[p]):
            override = intent.leaves.overrides.get(leaf.name, DeviceOverride())
            leaf_platform = catalog[leaf.platform]
            uplink_speed, first_up = _uplink_ports(intent.leaves, leaf_platform)
            leaf_mtu = override.mtu or intent.mtu
            allowed = set(override.uplinks) if override.uplinks is not None else None
            for j, spine in enumerate(tiers.pod_spines[p]):
                if allowed is not None and spine.name not in allowed:
                    continue
                spine_platform = catalog[spine.platform]
                spine_mtu = intent.spines.overrides.get(spine.name, DeviceOverride()).mtu or intent.mtu
                for n in range(lps):
                    index = ((p * layout.max_leaves + i) * layout.max_spines + j) * lps + n
                    spine_port = i * lps + n + 1
                    wiring.connect(
                        cable_end(leaf, leaf_platform, first_up + j * lps + n, uplink_speed, leaf_mtu),
                        cable_end(spine, spine_platform, spine_port, speed_at(spine_platform, spine_port), spine_mtu),
                        index,
                        origin=f"{ctx.path}.leaves",
                        cable_m=intent.cable_m.leaf_spine,
                    )
            leaf.downlink_gbps = _server_capacity(intent.leaves, leaf_platform, first_up)
            leaf.oversubscription_max = intent.oversubscription


def _wire_super_spines(
    intent: LeafSpineIntent,
    ss: SuperSpineSpec,
    layout: _Layout,
    tiers: _Tiers,
    wiring: Wiring,
    ctx: ExpansionContext,
) -> None:
    """Spine (p, j) uplink k*L+n -> super-spine k; /31s follow every leaf-spine /31 (the region)."""
    catalog = ctx.platforms
    region = layout.max_pods * layout.max_leaves * layout.max_spines * intent.leaves.links_per_spine
    links = ss.links_per_spine
    for p in range(intent.pods):
        for j, spine in enumerate(tiers.pod_spines[p]):
            spine_platform = catalog[spine.platform]
            first_up = _spine_uplink_first(intent.spines, spine_platform)
            for k, top in enumerate(tiers.supers):
                top_platform = catalog[top.platform]
                for n in range(links):
                    index = region + ((p * layout.max_spines + j) * layout.max_super + k) * links + n
                    spine_port = first_up + k * links + n
                    top_port = (p * layout.max_spines + j) * links + n + 1
                    wiring.connect(
                        cable_end(spine, spine_platform, spine_port, speed_at(spine_platform, spine_port), intent.mtu),
                        cable_end(top, top_platform, top_port, speed_at(top_platform, top_port), intent.mtu),
                        index,
                        origin=f"{ctx.path}.super_spines",
                        cable_m=intent.cable_m.spine_super_spine,
                    )


def _info(intent: LeafSpineIntent, part: FabricPart, ctx: ExpansionContext) -> FabricInfo:
    """Sizing facts for lint and summaries: tiers and server-facing endpoints per plane."""
    leaves = sum(1 for d in part.devices if d.role == "leaf")
    server_ports = intent.leaves.server_ports
    if server_ports is None:
        server_ports = _uplink_ports(intent.leaves, ctx.platforms[intent.leaves.platform])[1] - 1
    return FabricInfo(
        name=intent.name,
        site=ctx.site.name,
        module=LeafSpineModule.name,
        tiers=3 if intent.super_spines else 2,
        endpoints_per_plane=leaves * server_ports,
        oversubscription_target=intent.oversubscription,
        origin=ctx.path,
    )


class _DeviceNames:
    """Device names: `leaf3`, `spine1`, `superspine2`; with pods `pod2-leaf3`."""

    def __init__(self, intent: LeafSpineIntent) -> None:
        self.prefix = intent.hostname_prefix
        self.pods = intent.pods

    def _pod(self, p: int) -> str:
        return f"pod{p + 1}-" if self.pods > 1 else ""

    def leaf(self, p: int, i: int) -> str:
        """Leaf i (0-based) of pod p."""
        return f"{self.prefix}{self._pod(p)}leaf{i + 1}"

    def spine(self, p: int, j: int) -> str:
        """Spine j (0-based) of pod p."""
        return f"{self.prefix}{self._pod(p)}spine{j + 1}"

    def super_spine(self, k: int) -> str:
        """Super-spine k (0-based)."""
        return f"{self.prefix}superspine{k + 1}"


def _roles(intent: LeafSpineIntent) -> list[tuple[str, RoleSpec]]:
    roles: list[tuple[str, RoleSpec]] = [("spines", intent.spines), ("leaves", intent.leaves)]
    if intent.super_spines is not None:
        roles.insert(0, ("super_spines", intent.super_spines))
    return roles


def _uplink_ports(spec: LeafSpec, platform: Platform) -> tuple[int, int]:
    """(uplink speed, first uplink port) of a leaf: the fastest group, or its upper half when the
    platform has a single group."""
    if spec.uplink_first_port is not None:
        return speed_at(platform, spec.uplink_first_port), spec.uplink_first_port
    fastest = max(group.speed for group in platform.ports)
    first = 1
    for group in platform.ports:
        if group.speed == fastest:
            break
        first += group.count
    if len(platform.ports) == 1:
        first = platform.ports[0].count // 2 + 1
    return fastest, first


def _spine_uplink_first(spec: SpineSpec, platform: Platform) -> int:
    if spec.uplink_first_port is not None:
        return spec.uplink_first_port
    return platform.port_count // 2 + 1


def _server_capacity(spec: LeafSpec, platform: Platform, first_uplink: int) -> int:
    ports = first_uplink - 1 if spec.server_ports is None else spec.server_ports
    total = 0
    port = 1
    for _ in range(ports):
        total += speed_at(platform, port)
        port += 1
    return total


def _layout(intent: LeafSpineIntent, catalog: dict[str, Platform]) -> _Layout:
    cap = intent.capacity
    leaf_platform = catalog[intent.leaves.platform]
    spine_platform = catalog[intent.spines.platform]
    lps = intent.leaves.links_per_spine
    _, first_up = _uplink_ports(intent.leaves, leaf_platform)
    leaf_uplink_ports = leaf_platform.port_count - first_up + 1
    max_spines = cap.max_spines or max(leaf_uplink_ports // lps, intent.spines.count)
    spine_down = (
        _spine_uplink_first(intent.spines, spine_platform) - 1 if intent.super_spines else spine_platform.port_count
    )
    max_leaves = cap.max_leaves or max(spine_down // lps, intent.leaves.count)
    if intent.super_spines is None:
        return _Layout(max_pods=1, max_spines=max_spines, max_leaves=max_leaves, max_super=0)
    ss_platform = catalog[intent.super_spines.platform]
    spine_up = spine_platform.port_count - _spine_uplink_first(intent.spines, spine_platform) + 1
    ss_links = intent.super_spines.links_per_spine
    max_super = cap.max_super_spines or max(spine_up // ss_links, intent.super_spines.count)
    max_pods = cap.max_pods or max(ss_platform.port_count // (max_spines * ss_links), intent.pods)
    return _Layout(max_pods=max_pods, max_spines=max_spines, max_leaves=max_leaves, max_super=max_super)


def _check_capacity(intent: LeafSpineIntent, layout: _Layout, path: str) -> None:
    """Counts beyond a pinned capacity would collide with another slot: refuse them."""
    problems: list[Problem] = []
    checks = [
        (intent.spines.count, layout.max_spines, "spines.count", "capacity.max_spines"),
        (intent.leaves.count, layout.max_leaves, "leaves.count", "capacity.max_leaves"),
        (intent.pods, layout.max_pods, "pods", "capacity.max_pods"),
    ]
    if intent.super_spines is not None:
        checks.append((intent.super_spines.count, layout.max_super, "super_spines.count", "capacity.max_super_spines"))
    for count, limit, where, knob in checks:
        if count > limit:
            problems.append(
                Problem(
                    f"{count} exceeds the reserved capacity {limit}",
                    path=f"{path}.{where}",
                    hint=f"raise {knob} (this renumbers the fabric) or lower the count",
                )
            )
    if problems:
        raise DesignError(problems)


def _check_overrides(
    intent: LeafSpineIntent, names: _DeviceNames, catalog: dict[str, Platform], path: str, problems: list[Problem]
) -> None:
    """Override keys must name devices of their tier (with a hint), and their platforms and uplinks must exist."""
    spine_names = {names.spine(p, j) for p in range(intent.pods) for j in range(intent.spines.count)}
    valid = {
        "spines": spine_names,
        "leaves": {names.leaf(p, i) for p in range(intent.pods) for i in range(intent.leaves.count)},
        "super_spines": {names.super_spine(k) for k in range(intent.super_spines.count)}
        if intent.super_spines
        else set(),
    }
    for role, spec in _roles(intent):
        for name, override in spec.overrides.items():
            where = f"{path}.{role}.overrides.{name}"
            if name not in valid[role]:
                close = difflib.get_close_matches(name, sorted(valid[role]), n=1)
                problems.append(
                    Problem(
                        f"no {_SINGULAR[role]} named '{name}'",
                        path=where,
                        hint=f"did you mean '{close[0]}'?" if close else f"names are like {sorted(valid[role])[:3]}",
                    )
                )
            if override.platform and override.platform not in catalog:
                problems.append(unknown_platform(override.platform, f"{where}.platform", catalog))
            for spine in override.uplinks or []:
                if spine not in spine_names:
                    problems.append(Problem(f"uplink to unknown spine '{spine}'", path=f"{where}.uplinks"))


_SINGULAR = {"spines": "spine", "leaves": "leaf", "super_spines": "super-spine"}


MODULE = LeafSpineModule()
