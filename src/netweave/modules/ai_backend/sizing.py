"""Radix math of the `ai-backend` module: SUs, ports after breakout, tiers, spines and super-spines per plane.

Pure functions of the intent and the platform catalogue (no devices), so the published reference sizings
(DGX SuperPOD, Spectrum-X) can be checked against `size_fabric` without expanding a fabric.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from netweave.errors import DesignError, Problem
from netweave.fabric import PortRun, port_run
from netweave.intent.design import Platform
from netweave.modules.ai_backend.intent import AiBackendIntent


@dataclass(frozen=True, slots=True)
class Sizing:
    """Everything radix math derives from the intent (pure data; see `size_fabric`)."""

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
        """GPU NIC ports per plane: one per node and rail."""
        return self.nodes * self.rails


def size_fabric(intent: AiBackendIntent, platforms: dict[str, Platform], path: str = "") -> Sizing:
    """Size the fabric: SUs, ports after breakout, tiers, spines and super-spines per plane.

    Steps: counts (nodes, GPUs, rails) -> leaf ports (down at nic_speed, up at uplink_speed) -> spine and
    super-spine ports at uplink speed -> tiers and group sizes. Raises `DesignError` (located under `path`)
    when a leaf cannot carry its SU, a tier has no port at the uplink speed, or even 3 tiers cannot hold
    the fabric."""
    spine_spec = intent.spines or intent.leaves
    leaf_p, spine_p = platforms[intent.leaves.platform], platforms[spine_spec.platform]
    super_p = platforms[(intent.super_spines or spine_spec).platform]
    rails = intent.rails or intent.nics_per_node or intent.gpus_per_node
    nodes = intent.nodes if intent.nodes is not None else math.ceil((intent.gpus or 0) / intent.gpus_per_node)
    gpus = intent.gpus if intent.gpus is not None else nodes * intent.gpus_per_node
    uplink_speed = intent.uplink_speed or max(group.speed for group in leaf_p.ports)
    problems: list[Problem] = []
    leaf = _leaf_ports(intent, leaf_p, uplink_speed, path, problems)
    spine_run = _tier_ports(spine_p, uplink_speed, f"{path}.spines", problems)
    super_run = _tier_ports(super_p, uplink_speed, f"{path}.super_spines", problems)
    if problems:
        raise DesignError(problems)
    assert leaf is not None and spine_run is not None and super_run is not None  # else a problem was recorded
    return _tiers(intent, path, gpus, nodes, rails, leaf, spine_run.ports, super_run.ports)


@dataclass(frozen=True, slots=True)
class _LeafPorts:
    """What one leaf offers: server ports for an SU and the uplinks its oversubscription needs."""

    nodes_per_su: int
    down: PortRun
    up: PortRun
    uplinks: int


def _leaf_ports(
    intent: AiBackendIntent, leaf_p: Platform, uplink_speed: int, path: str, problems: list[Problem]
) -> _LeafPorts | None:
    """Server ports at nic_speed from the first cage, uplinks at uplink_speed after them; None (and a problem)
    when they do not fit. A leaf with no port at nic_speed at all stops sizing at once: nothing else can be
    judged."""
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
    uplinks = math.ceil(nodes_per_su * intent.nic_speed / (intent.oversubscription * uplink_speed) - 1e-9)
    if down_cages > down_all.cages or up is None or up.ports < uplinks:
        have = 0 if up is None else up.ports
        problems.append(
            Problem(
                f"a leaf ({leaf_p.model}) cannot carry {nodes_per_su} nodes at {intent.nic_speed}G with "
                f"{intent.oversubscription:g}:1 oversubscription: it needs {down_cages} cages down and "
                f"{uplinks} x {uplink_speed}G up ({have} left)",
                path=f"{path}.nodes_per_su",
                hint="lower nodes_per_su, raise oversubscription, or change uplink_speed/leaves.platform",
            )
        )
        return None
    up = PortRun(up.first_cage, math.ceil(uplinks / up.per_cage), up.per_cage, uplink_speed)
    return _LeafPorts(nodes_per_su, down, up, uplinks)


def _tier_ports(platform: Platform, speed: int, where: str, problems: list[Problem]) -> PortRun | None:
    """A spine or super-spine tier's ports at the uplink speed; None (and a problem) when it has none."""
    run = port_run(platform, speed)
    if run is None:
        problems.append(
            Problem(
                f"{platform.model} has no {speed}G ports",
                path=where,
                hint=f"set uplink_speed to a speed it supports ({_breakouts(platform)})",
            )
        )
    return run


def _tiers(
    intent: AiBackendIntent,
    path: str,
    gpus: int,
    nodes: int,
    rails: int,
    leaf: _LeafPorts,
    r_spine: int,
    r_super: int,
) -> Sizing:
    """Tier count from radix math (2 when a plane's leaves fit a spine's ports), then the group sizes."""
    nodes_per_su, leaf_uplinks = leaf.nodes_per_su, leaf.uplinks
    sus = max(1, math.ceil(nodes / nodes_per_su))
    cap_sus = max(intent.capacity.max_sus or sus, sus)
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
        l1 = _largest_divisor_at_most(leaf_uplinks, max(1, r_spine // cap_leaves))
        spines_per_group, pod_sus, pods, spine_up, l2, supers_per_group = leaf_uplinks // l1, sus, 1, 0, 0, 0
    else:
        spine_up = r_spine - spine_down
        l1, spines_per_group, pod_sus, pods = 1, leaf_uplinks, sus_per_pod, math.ceil(sus / sus_per_pod)
        l2 = _largest_divisor_at_most(spine_up, max(1, r_super // math.ceil(cap_sus / sus_per_pod)))
        supers_per_group = spine_up // l2
    return Sizing(
        gpus=gpus,
        nodes=nodes,
        rails=rails,
        planes=intent.planes,
        nodes_per_su=nodes_per_su,
        sus=sus,
        cap_sus=cap_sus,
        tiers=tiers,
        down=leaf.down,
        up=leaf.up,
        leaf_uplinks=leaf_uplinks,
        spine_ports=r_spine,
        super_ports=r_super,
        links_per_spine=l1,
        spines_per_group=spines_per_group,
        sus_per_pod=pod_sus,
        pods=pods,
        spine_uplinks=spine_up,
        links_per_super=l2,
        supers_per_group=supers_per_group,
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
