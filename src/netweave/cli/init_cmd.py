"""`netweave init`: scaffold a valid design for a module from a few numbers.

The scaffold is expanded once with oversized draft pools to learn how many addresses each pool needs;
the written design then gets the smallest prefixes that hold twice that (room to grow), packed without
overlap. So `netweave init ... && netweave validate` passes at any size the radix allows.
"""

from __future__ import annotations

import copy
import ipaddress
import math
from pathlib import Path
from typing import Any

import typer

from netweave.cli.app import EXIT_INVALID, app, reports_problems, stderr, stdout
from netweave.errors import DesignError, Problem

_DEFAULT_SPINE = "nokia-7220-ixr-d3l"
_MAX_POD_TRIES = 12
"""Pod counts tried before init gives up (each try expands and lints the scaffold once)."""
_DRAFT = {"loopbacks": "10.0.0.0/8", "p2p": "10.0.0.0/8", "gpu": "10.0.0.0/8", "management": "172.16.0.0/12"}
_SPACE = {"fabric": ipaddress.ip_network("10.0.0.0/8"), "management": ipaddress.ip_network("172.16.0.0/12")}

EXAMPLES = """
Examples:

  netweave init ai-backend --gpus 4096 -o design.yaml

  netweave init ai-backend --gpus 16384 --nic-speed 400 --platform nvidia-sn5600 --planes 2 -o design.yaml

  netweave init leaf-spine --leaves 32 --spines 4 --evpn -o design.yaml
"""


@app.command(epilog=EXAMPLES)
@reports_problems
def init(
    module: str = typer.Argument(..., help="ai-backend or leaf-spine", show_default=False),
    output: Path = typer.Option(..., "--output", "-o", help="design file to write", show_default=False),
    force: bool = typer.Option(False, "--force", help="overwrite an existing file"),
    name: str = typer.Option("", "--name", help="design name (default: the module name)"),
    site: str = typer.Option("dc1", "--site", help="site name"),
    gpus: int = typer.Option(None, "--gpus", help="ai-backend: GPUs to connect", min=1),
    nodes: int = typer.Option(None, "--nodes", help="ai-backend: GPU nodes (instead of --gpus)", min=1),
    gpus_per_node: int = typer.Option(8, "--gpus-per-node", help="ai-backend: GPUs (and NICs) per node", min=1),
    rails: int = typer.Option(
        None, "--rails", help="ai-backend: rails = NICs per node (default: gpus per node)", min=1
    ),
    planes: int = typer.Option(1, "--planes", help="ai-backend: independent planes", min=1, max=8),
    nic_speed: int = typer.Option(400, "--nic-speed", help="ai-backend: Gb/s per NIC port"),
    nodes_per_su: int = typer.Option(
        None,
        "--nodes-per-su",
        help="ai-backend: nodes per scalable unit (default: half the leaf's ports at the NIC speed)",
        min=1,
    ),
    platform: str = typer.Option(
        None, "--platform", help="leaf platform (ai-backend: every tier) [default: nvidia-sn5600 / nokia-7220-ixr-d2l]"
    ),
    spine_platform: str = typer.Option(
        None,
        "--spine-platform",
        help="spine platform (default: ai-backend --platform; leaf-spine: the first that fits)",
    ),
    unnumbered: bool = typer.Option(False, "--unnumbered", help="unnumbered (IPv6 link-local) underlay"),
    leaves: int = typer.Option(None, "--leaves", help="leaf-spine: leaves", min=1),
    spines: int = typer.Option(None, "--spines", help="leaf-spine: spines", min=1),
    evpn: bool = typer.Option(False, "--evpn", help="leaf-spine: add an example EVPN tenant"),
) -> None:
    """Write a valid starter design for MODULE, sized from a few numbers.

    Pools are sized from the expanded fabric (twice what it needs), and the file is written atomically;
    an existing file is kept unless --force.
    """
    if output.exists() and not force:
        stderr.print(f"{output} exists; pass --force to overwrite it", markup=False)
        raise typer.Exit(EXIT_INVALID)
    skeleton = _design_skeleton(name or module, module, site)
    if module == "ai-backend":
        if (gpus is None) == (nodes is None):
            raise DesignError([Problem("give one of --gpus or --nodes", hint="e.g. --gpus 4096")])
        fabric = _ai_fabric(
            gpus,
            nodes,
            gpus_per_node,
            rails,
            planes,
            nic_speed,
            nodes_per_su,
            platform or "nvidia-sn5600",
            spine_platform,
            unnumbered,
        )
        design = _checked_ai_design(skeleton, fabric)
    elif module == "leaf-spine":
        if leaves is None or spines is None:
            raise DesignError([Problem("give --leaves and --spines", hint="e.g. --leaves 32 --spines 4")])
        leaf_platform = platform or "nokia-7220-ixr-d2l"
        design = _first_fitting_leaf_spine(skeleton, leaves, spines, leaf_platform, spine_platform, unnumbered, evpn)
    else:
        raise DesignError([Problem(f"init knows no module '{module}'", hint="use ai-backend or leaf-spine")])
    _write(output, module, design)


def _checked_ai_design(skeleton: dict[str, Any], fabric: dict[str, Any]) -> dict[str, Any]:
    """The ai-backend scaffold with sized pools, or a refusal naming the options when it cannot be valid
    (the module picks tiers by radix math, so what remains are sizes no platform radix can serve)."""
    design = copy.deepcopy(skeleton)
    design["sites"][0]["fabrics"] = [fabric]
    options = "--gpus/--nodes, --gpus-per-node, --rails, --nodes-per-su, --planes, --nic-speed or --platform"
    try:
        _size_pools(design)
        errors, _ = _lint_errors(design)
    except DesignError as exc:
        raise DesignError([_option_problem(exc.problems[0], options, "no ai-backend layout fits")]) from None
    if errors:
        raise DesignError([_option_problem(errors[0], options, "no ai-backend layout fits")])
    return design


def _design_skeleton(name: str, module: str, site: str) -> dict[str, Any]:
    return {"name": name, "description": f"scaffolded by `netweave init {module}`", "sites": [{"name": site}]}


def _write(output: Path, module: str, design: dict[str, Any]) -> None:
    header = _HEADER.format(module=module) + (_AI_NOTE if module == "ai-backend" else "")
    import yaml  # imported when `init` runs: `--help` and the other commands do not need it here

    from netweave.output.writer import write_atomic  # (and its `secrets`/hashlib imports)

    write_atomic(output, header + yaml.safe_dump(design, sort_keys=False, width=110))
    stdout.print(f"wrote {output}; next: netweave validate {output}", markup=False)


_HEADER = """# Scaffolded by `netweave init {module}`. Edit freely, then `netweave validate` it.
# Pools hold twice what the fabric needs today.
"""
_AI_NOTE = """# capacity.max_sus is the size the spines are built for: raise it before the first deployment
# if the fabric will grow, and adding SUs later re-cables nothing.
"""


def _ai_fabric(
    gpus: int | None,
    nodes: int | None,
    gpus_per_node: int,
    rails: int | None,
    planes: int,
    nic_speed: int,
    nodes_per_su: int | None,
    platform: str,
    spine_platform: str | None,
    unnumbered: bool,
) -> dict[str, Any]:
    fabric: dict[str, Any] = {"name": "backend", "module": "ai-backend"}
    fabric.update({"gpus": gpus} if gpus is not None else {"nodes": nodes})
    fabric.update(gpus_per_node=gpus_per_node, nics_per_node=rails or gpus_per_node, planes=planes, nic_speed=nic_speed)
    if nodes_per_su:
        fabric["nodes_per_su"] = nodes_per_su
    fabric["leaves"] = {"platform": platform}
    if spine_platform:
        fabric["spines"] = {"platform": spine_platform}
    fabric["oversubscription"] = 1.0
    fabric["addressing"] = _draft_addressing(unnumbered, gpu=True)
    fabric["cable_m"] = {"server_leaf": 10.0, "leaf_spine": 30.0, "spine_super_spine": 100.0}
    return fabric


def _leaf_spine_fabric(
    leaves: int,
    spines: int,
    platform: str,
    spine_platform: str,
    unnumbered: bool,
    evpn: bool,
    pods: int = 1,
) -> dict[str, Any]:
    """One leaf-spine fabric; with `pods` > 1 the leaves split evenly into pods joined by super-spines
    (one per spine of a pod, on the spine platform)."""
    from netweave.catalog import builtin_platforms

    catalog = builtin_platforms()
    leaf: dict[str, Any] = {"count": leaves // pods, "platform": platform}
    if platform in catalog:  # sell only as many server ports as 3:1 allows with one link per spine
        groups = catalog[platform].ports
        up_speed = max(g.speed for g in groups)
        down_ports = sum(g.count for g in groups if g.speed != up_speed) or groups[0].count // 2
        down_speed = min(g.speed for g in groups)
        leaf["server_ports"] = min(down_ports, math.floor(3.0 * spines * up_speed / down_speed))
    fabric: dict[str, Any] = {"name": "fabric1", "module": "leaf-spine"}
    if pods > 1:
        fabric["pods"] = pods
    fabric["spines"] = {"count": spines, "platform": spine_platform}
    if pods > 1:
        fabric["super_spines"] = {"count": spines, "platform": spine_platform}
    fabric.update(leaves=leaf, addressing=_draft_addressing(unnumbered, gpu=False), oversubscription=3.0)
    if evpn:
        fabric["evpn"] = {
            "vrfs": [{"name": "tenant1", "l3vni": 50001, "vlan": 4001}],
            "l2vnis": [{"name": "servers", "vni": 10010, "vlan": 10, "vrf": "tenant1", "gateway": "10.250.10.1/24"}],
        }
    return fabric


def _spine_choices(leaf_platform: str, pinned: str | None) -> list[str]:
    """The spine platform the user pinned, else every catalogue platform whose fastest ports match the
    leaf's uplinks, the default first and then by port count (the fewest ports that fit is the cheapest)."""
    if pinned:
        return [pinned]
    from netweave.catalog import builtin_platforms

    catalog = builtin_platforms()
    if leaf_platform not in catalog:
        return [_DEFAULT_SPINE]
    uplink = max(g.speed for g in catalog[leaf_platform].ports)
    fitting = [name for name, p in catalog.items() if max(g.speed for g in p.ports) == uplink]
    rest = sorted((n for n in fitting if n != _DEFAULT_SPINE), key=lambda n: (catalog[n].port_count, n))
    return [_DEFAULT_SPINE, *rest] if _DEFAULT_SPINE in fitting else rest or [_DEFAULT_SPINE]


def _pod_counts(leaves: int) -> list[int]:
    """Pod counts that split `leaves` evenly, fewest first (1 = no super-spine tier)."""
    return [p for p in range(1, leaves + 1) if leaves % p == 0]


def _first_fitting_leaf_spine(
    skeleton: dict[str, Any],
    leaves: int,
    spines: int,
    leaf_platform: str,
    spine_platform: str | None,
    unnumbered: bool,
    evpn: bool,
) -> dict[str, Any]:
    """The first layout that validates: two tiers on each candidate spine platform, then pods joined by
    super-spines. Nothing is written when none fits; the message names the options to change."""
    first_errors: list[Any] = []
    for pods in _pod_counts(leaves)[:_MAX_POD_TRIES]:
        for spine in _spine_choices(leaf_platform, spine_platform):
            design = copy.deepcopy(skeleton)
            fabric = _leaf_spine_fabric(leaves, spines, leaf_platform, spine, unnumbered, evpn, pods)
            design["sites"][0]["fabrics"] = [fabric]
            try:
                _size_pools(design)
            except DesignError as exc:
                first_errors = first_errors or exc.problems
                continue
            errors, leaf_ports = _lint_errors(design)
            if not errors:
                return design
            first_errors = first_errors or errors
            if leaf_ports:  # a leaf's ports are the same in every layout tried: no pod count or spine fixes them
                break
        else:
            continue
        break
    detail = first_errors[0] if first_errors else None
    raise DesignError(
        [
            _option_problem(
                detail,
                "--leaves, --spines, --platform or --spine-platform",
                f"no leaf-spine layout fits {leaves} leaves and {spines} spines on {leaf_platform} leaves",
            )
        ]
    )


def _lint_errors(design: dict[str, Any]) -> tuple[list[Any], bool]:
    """Lint errors of the scaffold as it would be written (what `netweave validate` would report), and whether
    a leaf runs out of ports: a leaf's ports (one uplink per spine of its pod, the server ports) are the same
    for every pod count and spine platform init tries, so the search can stop instead of expanding them all."""
    import yaml

    from netweave.expand.expander import expand
    from netweave.lint import lint
    from netweave.load.loader import loads

    network = expand(loads(yaml.safe_dump(design, sort_keys=False), file="<init>"))
    errors = [f for f in lint(network) if f.severity == "error"]
    roles = {d.name: d.role for d in network.devices}
    return errors, any(f.rule == "port-range" and roles.get(f.device or "") == "leaf" for f in errors)


def _option_problem(detail: Any, options: str, summary: str = "") -> Problem:
    """A scaffold that cannot be valid, said in terms of the command's options (not of the design it
    did not write): the first reason, and which options to change."""
    reason = getattr(detail, "message", str(detail)) if detail is not None else ""
    text = f"{summary}: {reason}" if summary and reason else summary or reason
    return Problem(text, hint=f"change {options}")


def _draft_addressing(unnumbered: bool, gpu: bool) -> dict[str, Any]:
    pools: dict[str, Any] = {
        "loopbacks": _DRAFT["loopbacks"],
        "p2p": "unnumbered" if unnumbered else _DRAFT["p2p"],
        "management": {"prefix": _DRAFT["management"]},
    }
    if gpu:
        pools["gpu"] = _DRAFT["gpu"]
    return pools


def _size_pools(design: dict[str, Any]) -> None:
    """Expand the draft, then give each pool the smallest prefix holding twice its need, packed in order."""
    import yaml

    from netweave.expand.expander import expand
    from netweave.load.loader import loads

    network = expand(loads(yaml.safe_dump(design, sort_keys=False), file="<init>"))
    fabric = design["sites"][0]["fabrics"][0]
    addressing = fabric["addressing"]
    needs = {pool.origin.rsplit(".", 1)[1]: pool.needed for pool in network.pools}
    fabric_pools = sorted(((k, n) for k, n in needs.items() if k != "management"), key=lambda kv: -kv[1])
    cursor = {"fabric": int(_SPACE["fabric"].network_address), "management": int(_SPACE["management"].network_address)}
    for key, needed in [*fabric_pools, ("management", needs["management"])]:
        space = "management" if key == "management" else "fabric"
        size = 1 << max(4, math.ceil(math.log2(max(2, 2 * needed))))
        start = -(-cursor[space] // size) * size
        prefix = ipaddress.ip_network((start, 32 - size.bit_length() + 1))
        if not prefix.subnet_of(_SPACE[space]):  # type: ignore[arg-type]
            raise DesignError(
                [
                    Problem(
                        f"the {key} pool needs {needed} addresses, more than {_SPACE[space]} holds",
                        hint="split the fabric",
                    )
                ]
            )
        cursor[space] = start + size
        if key == "management":
            addressing["management"] = {"prefix": str(prefix)}
        else:
            addressing[key] = str(prefix)
    info = network.fabrics[0] if network.fabrics else None
    if info is not None and info.module == "ai-backend":
        fabric["capacity"] = {"max_sus": info.sus}
