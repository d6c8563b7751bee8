"""`netweave init`: scaffold a valid design for a module from a few numbers.

The scaffold is expanded once with oversized draft pools to learn how many addresses each pool needs;
the written design then gets the smallest prefixes that hold twice that (room to grow), packed without
overlap. So `netweave init ... && netweave validate` passes at any size the radix allows.
"""

from __future__ import annotations

import ipaddress
import math
from pathlib import Path
from typing import Any

import typer
import yaml

from netweave.cli.app import EXIT_INVALID, app, reports_problems, stderr, stdout
from netweave.errors import DesignError, Problem
from netweave.expand.expander import expand
from netweave.load.loader import loads
from netweave.output.writer import write_atomic

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
        None, "--spine-platform", help="spine platform (default: --platform, or nokia-7220-ixr-d3l for leaf-spine)"
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
    elif module == "leaf-spine":
        if leaves is None or spines is None:
            raise DesignError([Problem("give --leaves and --spines", hint="e.g. --leaves 32 --spines 4")])
        fabric = _leaf_spine_fabric(
            leaves, spines, platform or "nokia-7220-ixr-d2l", spine_platform or "nokia-7220-ixr-d3l", unnumbered, evpn
        )
    else:
        raise DesignError([Problem(f"init knows no module '{module}'", hint="use ai-backend or leaf-spine")])
    design = {
        "name": name or module,
        "description": f"scaffolded by `netweave init {module}`",
        "sites": [{"name": site, "fabrics": [fabric]}],
    }
    _size_pools(design)
    header = _HEADER.format(module=module) + (_AI_NOTE if module == "ai-backend" else "")
    text = header + yaml.safe_dump(design, sort_keys=False, width=110)
    write_atomic(output, text)
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
    leaves: int, spines: int, platform: str, spine_platform: str, unnumbered: bool, evpn: bool
) -> dict[str, Any]:
    from netweave.catalog import builtin_platforms

    catalog = builtin_platforms()
    leaf: dict[str, Any] = {"count": leaves, "platform": platform}
    if platform in catalog:  # sell only as many server ports as 3:1 allows with one link per spine
        groups = catalog[platform].ports
        up_speed = max(g.speed for g in groups)
        down_ports = sum(g.count for g in groups if g.speed != up_speed) or groups[0].count // 2
        down_speed = min(g.speed for g in groups)
        leaf["server_ports"] = min(down_ports, math.floor(3.0 * spines * up_speed / down_speed))
    fabric: dict[str, Any] = {
        "name": "fabric1",
        "module": "leaf-spine",
        "spines": {"count": spines, "platform": spine_platform},
        "leaves": leaf,
        "addressing": _draft_addressing(unnumbered, gpu=False),
        "oversubscription": 3.0,
    }
    if evpn:
        fabric["evpn"] = {
            "vrfs": [{"name": "tenant1", "l3vni": 50001, "vlan": 4001}],
            "l2vnis": [{"name": "servers", "vni": 10010, "vlan": 10, "vrf": "tenant1", "gateway": "10.250.10.1/24"}],
        }
    return fabric


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
