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

from dataclasses import dataclass
from typing import Literal

from pydantic import Field, model_validator

from netweave.errors import DesignError, Problem
from netweave.expand.registry import ExpansionContext, FabricPart
from netweave.intent.design import (
    MAX_FABRIC_SWITCHES,
    MAX_PLATFORM_PORTS,
    Addressing,
    AsnPlan,
    FabricIntent,
    Nos,
    Platform,
    StrictModel,
)
from netweave.intent.evpn import EvpnIntent, attach, expand_overlay
from netweave.intent.qos import QosIntent, expand_qos
from netweave.network.allocate import AddressPool
from netweave.network.model import BgpSession, Device, Endpoint, FabricInfo, Interface, Link, SessionEnd
from netweave.nos.naming import interface_name, management_interface


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
    server_ports: int | None = Field(
        default=None,
        ge=0,
        le=MAX_PLATFORM_PORTS * 8,
        description="host-facing ports sold (default: all); at most every cage broken out 8 ways",
    )


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

    @model_validator(mode="after")
    def _bounded_size(self) -> LeafSpineIntent:
        """Refuse a fabric larger than `MAX_FABRIC_SWITCHES` before expansion builds it switch by switch
        (1,024 pods x 4,096 leaves each passed the per-field limits and expanded for minutes)."""
        supers = self.super_spines.count if self.super_spines else 0
        switches = self.pods * (self.spines.count + self.leaves.count) + supers
        if switches > MAX_FABRIC_SWITCHES:
            raise ValueError(
                f"{self.pods} pod(s) x ({self.spines.count} spines + {self.leaves.count} leaves) + {supers} "
                f"super-spines = {switches} switches; one fabric is limited to {MAX_FABRIC_SWITCHES}"
            )
        return self


@dataclass(frozen=True)
class _Layout:
    max_pods: int
    max_spines: int
    max_leaves: int
    max_super: int


class LeafSpineModule:
    """Expands `LeafSpineIntent` into devices, links and eBGP sessions."""

    name = "leaf-spine"
    intent = LeafSpineIntent
    summary = "leaf-spine Clos with eBGP underlay; optional super-spines and pods"

    def expand(self, intent: LeafSpineIntent, ctx: ExpansionContext) -> FabricPart:
        catalog = ctx.platforms
        path = ctx.path
        problems: list[Problem] = []
        names = _DeviceNames(intent)
        _check_overrides(intent, names, catalog, path, problems)
        for role, spec in _roles(intent):
            if spec.platform not in catalog:
                problems.append(_unknown_platform(spec.platform, f"{path}.{role}.platform", catalog))
        if problems:
            raise DesignError(problems)
        layout = _layout(intent, catalog)
        _check_capacity(intent, layout, path, problems)
        if problems:
            raise DesignError(problems)

        loopbacks = AddressPool(
            f"{ctx.site.name}/{intent.name} loopbacks",
            "loopbacks",
            intent.addressing.loopbacks,
            f"{path}.addressing.loopbacks",
        )
        mgmt_spec = intent.addressing.management
        mgmt = AddressPool(
            f"{ctx.site.name}/{intent.name} management", "management", mgmt_spec.prefix, f"{path}.addressing.management"
        )
        p2p_prefix = intent.addressing.p2p
        p2p = (
            None
            if p2p_prefix == "unnumbered"
            else AddressPool(f"{ctx.site.name}/{intent.name} p2p", "p2p", p2p_prefix, f"{path}.addressing.p2p")
        )

        def make_device(
            name: str,
            role: Literal["super-spine", "spine", "leaf"],
            spec: RoleSpec,
            slot: int,
            asn: int,
            pod: int | None,
            origin: str,
        ) -> Device:
            override = spec.overrides.get(name, DeviceOverride())
            platform_name = override.platform or spec.platform
            platform = catalog[platform_name]
            nos = override.nos or spec.nos or platform.nos[0]
            return Device(
                name=name,
                role=role,
                site=ctx.site.name,
                fabric=intent.name,
                pod=pod,
                platform=platform_name,
                vendor=platform.vendor,
                model=platform.model,
                nos=nos,
                asn=override.asn or asn,
                loopback=loopbacks.address(slot + 1),
                mgmt_ipv4=f"{mgmt.address(mgmt_spec.first_host + slot)}/{mgmt_spec.prefix.prefixlen}",
                mgmt_gateway=str(mgmt_spec.gateway_address),
                mgmt_interface=management_interface(nos),
                slot=slot,
                origin=origin,
                bfd=intent.bfd,
            )

        part = FabricPart()
        supers: list[Device] = []
        if intent.super_spines is not None:
            for k in range(intent.super_spines.count):
                supers.append(
                    make_device(
                        names.super_spine(k),
                        "super-spine",
                        intent.super_spines,
                        k,
                        intent.asn.super_spine,
                        None,
                        f"{path}.super_spines",
                    )
                )
        pod_spines: list[list[Device]] = []
        pod_leaves: list[list[Device]] = []
        for p in range(intent.pods):
            spines = [
                make_device(
                    names.spine(p, j),
                    "spine",
                    intent.spines,
                    layout.max_super + p * layout.max_spines + j,
                    intent.asn.spine_base + p,
                    p + 1 if intent.pods > 1 else None,
                    f"{path}.spines",
                )
                for j in range(intent.spines.count)
            ]
            leaves = []
            for i in range(intent.leaves.count):
                slot = layout.max_super + layout.max_pods * layout.max_spines + p * layout.max_leaves + i
                leaves.append(
                    make_device(
                        names.leaf(p, i),
                        "leaf",
                        intent.leaves,
                        slot,
                        intent.asn.leaf_base + p * layout.max_leaves + i,
                        p + 1 if intent.pods > 1 else None,
                        f"{path}.leaves",
                    )
                )
            pod_spines.append(spines)
            pod_leaves.append(leaves)

        wiring = _Wiring(intent, catalog, p2p, part)
        lps = intent.leaves.links_per_spine
        for p in range(intent.pods):
            for i, leaf in enumerate(pod_leaves[p]):
                override = intent.leaves.overrides.get(leaf.name, DeviceOverride())
                leaf_platform = catalog[leaf.platform]
                uplink_speed, first_up = _uplink_ports(intent.leaves, leaf_platform)
                leaf_mtu = override.mtu or intent.mtu
                allowed = set(override.uplinks) if override.uplinks is not None else None
                for j, spine in enumerate(pod_spines[p]):
                    if allowed is not None and spine.name not in allowed:
                        continue
                    spine_platform = catalog[spine.platform]
                    for n in range(lps):
                        index = ((p * layout.max_leaves + i) * layout.max_spines + j) * lps + n
                        wiring.connect(
                            lower=leaf,
                            lower_port=first_up + j * lps + n,
                            lower_speed=uplink_speed,
                            lower_mtu=leaf_mtu,
                            upper=spine,
                            upper_port=i * lps + n + 1,
                            upper_speed=_speed_at(spine_platform, i * lps + n + 1),
                            upper_mtu=intent.spines.overrides.get(spine.name, DeviceOverride()).mtu or intent.mtu,
                            index=index,
                            origin=f"{path}.leaves",
                            cable_m=intent.cable_m.leaf_spine,
                        )
                leaf.downlink_gbps = _server_capacity(intent.leaves, leaf_platform, first_up)
                leaf.oversubscription_max = intent.oversubscription
        if intent.super_spines is not None:
            region = layout.max_pods * layout.max_leaves * layout.max_spines * lps
            ss_links = intent.super_spines.links_per_spine
            for p in range(intent.pods):
                for j, spine in enumerate(pod_spines[p]):
                    spine_platform = catalog[spine.platform]
                    first_up = _spine_uplink_first(intent.spines, spine_platform)
                    for k, top in enumerate(supers):
                        top_platform = catalog[top.platform]
                        for n in range(ss_links):
                            index = region + ((p * layout.max_spines + j) * layout.max_super + k) * ss_links + n
                            top_port = (p * layout.max_spines + j) * ss_links + n + 1
                            wiring.connect(
                                lower=spine,
                                lower_port=first_up + k * ss_links + n,
                                lower_speed=_speed_at(spine_platform, first_up + k * ss_links + n),
                                lower_mtu=intent.mtu,
                                upper=top,
                                upper_port=top_port,
                                upper_speed=_speed_at(top_platform, top_port),
                                upper_mtu=intent.mtu,
                                index=index,
                                origin=f"{path}.super_spines",
                                cable_m=intent.cable_m.spine_super_spine,
                            )

        part.devices = [*supers, *(d for pod in pod_spines for d in pod), *(d for pod in pod_leaves for d in pod)]
        for device in part.devices:
            uplinks = sum(1 for iface in device.interfaces if iface.kind == "fabric")
            device.maximum_paths = max(64, uplinks)
            device.interfaces.sort(key=lambda iface: (iface.port, iface.lane or 0))
        part.pools = [loopbacks.usage(), mgmt.usage(), *([p2p.usage()] if p2p else [])]
        _overlay_and_qos(intent, part, path)
        part.info = FabricInfo(
            name=intent.name,
            site=ctx.site.name,
            module=self.name,
            tiers=3 if intent.super_spines else 2,
            endpoints_per_plane=sum(1 for d in part.devices if d.role == "leaf")
            * (
                _first_uplink(intent.leaves, catalog[intent.leaves.platform]) - 1
                if intent.leaves.server_ports is None
                else intent.leaves.server_ports
            ),
            oversubscription_target=intent.oversubscription,
            origin=path,
        )
        return part


def _first_uplink(spec: LeafSpec, platform: Platform) -> int:
    return _uplink_ports(spec, platform)[1]


def _overlay_and_qos(intent: LeafSpineIntent, part: FabricPart, path: str) -> None:
    """Attach the optional QoS profile to every switch and the EVPN overlay to every leaf."""
    if intent.qos is not None:
        key, profile = expand_qos(intent.qos, intent.name, f"{path}.qos")
        part.qos_profiles[key] = profile
        for device in part.devices:
            device.qos = key
    if intent.evpn is not None:
        overlay, problems = expand_overlay(intent.evpn, intent.name, f"{path}.evpn")
        if problems:
            raise DesignError(problems)
        part.evpn[intent.name] = overlay
        for device in part.devices:
            if device.role == "leaf":
                attach(overlay, device)


class _DeviceNames:
    """Device names: `leaf3`, `spine1`, `superspine2`; with pods `pod2-leaf3`."""

    def __init__(self, intent: LeafSpineIntent) -> None:
        self.prefix = intent.hostname_prefix
        self.pods = intent.pods

    def _pod(self, p: int) -> str:
        return f"pod{p + 1}-" if self.pods > 1 else ""

    def leaf(self, p: int, i: int) -> str:
        return f"{self.prefix}{self._pod(p)}leaf{i + 1}"

    def spine(self, p: int, j: int) -> str:
        return f"{self.prefix}{self._pod(p)}spine{j + 1}"

    def super_spine(self, k: int) -> str:
        return f"{self.prefix}superspine{k + 1}"


class _Wiring:
    """Creates both interfaces, the link and the eBGP session of one cable."""

    def __init__(
        self, intent: LeafSpineIntent, catalog: dict[str, Platform], p2p: AddressPool | None, part: FabricPart
    ) -> None:
        self.catalog = catalog
        self.p2p = p2p
        self.part = part
        self.bfd = intent.bfd
        self.afi = ["ipv4-unicast", "l2vpn-evpn"] if intent.evpn is not None else ["ipv4-unicast"]

    def connect(
        self,
        *,
        lower: Device,
        lower_port: int,
        lower_speed: int,
        lower_mtu: int,
        upper: Device,
        upper_port: int,
        upper_speed: int,
        upper_mtu: int,
        index: int,
        origin: str,
        cable_m: float | None = None,
    ) -> None:
        lower_if = interface_name(lower.nos, self.catalog[lower.platform], lower_port)
        upper_if = interface_name(upper.nos, self.catalog[upper.platform], upper_port)
        if self.p2p is None:
            lower_ip = upper_ip = subnet = None
        else:
            upper_ip, lower_ip, subnet = self.p2p.pair(index)
        lower.interfaces.append(
            Interface(
                name=lower_if,
                port=lower_port,
                speed=lower_speed,
                mtu=lower_mtu,
                description=f"to {upper.name} {upper_if}",
                ipv4=f"{lower_ip}/31" if lower_ip else None,
                unnumbered=lower_ip is None,
                peer_device=upper.name,
                peer_interface=upper_if,
                cable_m=cable_m,
            )
        )
        upper.interfaces.append(
            Interface(
                name=upper_if,
                port=upper_port,
                speed=upper_speed,
                mtu=upper_mtu,
                description=f"to {lower.name} {lower_if}",
                ipv4=f"{upper_ip}/31" if upper_ip else None,
                unnumbered=upper_ip is None,
                peer_device=lower.name,
                peer_interface=lower_if,
                cable_m=cable_m,
            )
        )
        self.part.links.append(
            Link(
                a=Endpoint(device=lower.name, interface=lower_if),
                b=Endpoint(device=upper.name, interface=upper_if),
                speed=lower_speed,
                mtu=min(lower_mtu, upper_mtu),
                subnet=subnet,
                cable_m=cable_m,
                origin=origin,
            )
        )
        self.part.sessions.append(
            BgpSession(
                a=SessionEnd(device=lower.name, interface=lower_if, address=lower_ip, asn=lower.asn),
                b=SessionEnd(device=upper.name, interface=upper_if, address=upper_ip, asn=upper.asn),
                bfd=self.bfd,
                afi=list(self.afi),
            )
        )


def _roles(intent: LeafSpineIntent) -> list[tuple[str, RoleSpec]]:
    roles: list[tuple[str, RoleSpec]] = [("spines", intent.spines), ("leaves", intent.leaves)]
    if intent.super_spines is not None:
        roles.insert(0, ("super_spines", intent.super_spines))
    return roles


def _speed_at(platform: Platform, port: int) -> int:
    """Speed of front-panel `port`; ports past the end keep the last group's speed (lint flags them)."""
    return platform.group_at(port).speed


def _uplink_ports(spec: LeafSpec, platform: Platform) -> tuple[int, int]:
    """(uplink speed, first uplink port) of a leaf: the fastest group, or its upper half when the
    platform has a single group."""
    if spec.uplink_first_port is not None:
        return _speed_at(platform, spec.uplink_first_port), spec.uplink_first_port
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
        total += _speed_at(platform, port)
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


def _check_capacity(intent: LeafSpineIntent, layout: _Layout, path: str, problems: list[Problem]) -> None:
    """Counts beyond a pinned capacity would collide with another slot: refuse them."""
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


def _check_overrides(
    intent: LeafSpineIntent, names: _DeviceNames, catalog: dict[str, Platform], path: str, problems: list[Problem]
) -> None:
    import difflib

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
                problems.append(_unknown_platform(override.platform, f"{where}.platform", catalog))
            for spine in override.uplinks or []:
                if spine not in spine_names:
                    problems.append(Problem(f"uplink to unknown spine '{spine}'", path=f"{where}.uplinks"))


_SINGULAR = {"spines": "spine", "leaves": "leaf", "super_spines": "super-spine"}


def _unknown_platform(name: str, path: str, catalog: dict[str, Platform]) -> Problem:
    import difflib

    close = difflib.get_close_matches(name, sorted(catalog), n=1)
    return Problem(
        f"unknown platform '{name}'",
        path=path,
        hint=f"did you mean '{close[0]}'?" if close else "add it under `platforms:` in the design",
    )


MODULE = LeafSpineModule()
