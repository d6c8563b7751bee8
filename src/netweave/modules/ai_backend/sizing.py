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
        return Sizing(
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
    return Sizing(
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
