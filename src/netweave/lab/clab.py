"""containerlab export: a `.clab.yml` topology with each node's kind, image, interfaces and startup config.

containerlab needs Docker, which these machines lack; the export is validated against containerlab's
published schema instead (see `clab_schema`). Kind, image, node type and interface names come from each
device's NOS profile (`netweave.nos`), derived from the same front-panel port and breakout lane the design
allocated.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from netweave.network.model import Device, Interface, Network
from netweave.nos import profile
from netweave.output.writer import write_atomic
from netweave.render import render_device, renderable


def clab_interface(network: Network, device: Device, iface: Interface) -> str:
    """The name containerlab wires for this port of `device` on its NOS's kind."""
    clab = profile(device.nos).clab
    return clab.interface(network.platforms[device.platform], iface.port, iface.lane, iface.name)


@dataclass
class ClabExport:
    topology: dict[str, Any]
    files: dict[str, str] = field(default_factory=dict)
    """Relative path -> content of every file the topology references (startup configs)."""
    notes: list[str] = field(default_factory=list)


def export(network: Network, name: str | None = None, images: dict[str, str] | None = None) -> ClabExport:
    """Build the topology and its startup-config files (nothing is written here)."""
    images = images or {}
    lab = name or network.name
    result = ClabExport(topology={})
    mgmt_net = _mgmt_subnet(network)
    nodes: dict[str, Any] = {}
    for device in network.devices:
        clab = profile(device.nos).clab
        node: dict[str, Any] = {"kind": clab.kind, "image": images.get(device.nos, clab.image)}
        node_type = clab.node_type(network.platforms[device.platform]) if clab.node_type else None
        if node_type:
            node["type"] = node_type
        if mgmt_net is not None and ipaddress.ip_address(device.mgmt_ipv4.split("/")[0]) in mgmt_net:
            node["mgmt-ipv4"] = device.mgmt_ipv4.split("/")[0]
        node["labels"] = {"netweave.role": device.role, "netweave.fabric": device.fabric, "netweave.site": device.site}
        _startup(device, network, node, result)
        nodes[device.name] = node
    by_name = network.device_by_name
    ends = network.interface_by_end
    links = []
    for link in network.links:
        if link.kind == "server":  # GPU NIC cables end on Network.servers, which are not lab nodes
            continue
        a, b = by_name[link.a.device], by_name[link.b.device]
        links.append(
            {
                "endpoints": [
                    f"{a.name}:{clab_interface(network, a, ends[(a.name, link.a.interface)])}",
                    f"{b.name}:{clab_interface(network, b, ends[(b.name, link.b.interface)])}",
                ],
                "mtu": link.mtu,
            }
        )
    topology: dict[str, Any] = {"name": lab}
    if mgmt_net is not None:
        topology["mgmt"] = {"network": f"{lab}-mgmt", "ipv4-subnet": str(mgmt_net)}
    topology["topology"] = {"nodes": nodes, "links": links}
    result.topology = topology
    return result


def write_export(result: ClabExport, directory: Path) -> list[Path]:
    """Write `<name>.clab.yml` and every referenced file under `directory`, atomically each."""
    written = [write_atomic(directory / rel, text) for rel, text in sorted(result.files.items())]
    text = yaml.safe_dump(result.topology, sort_keys=False, default_flow_style=False)
    written.append(write_atomic(directory / f"{result.topology['name']}.clab.yml", text))
    return written


def _startup(device: Device, network: Network, node: dict[str, Any], result: ClabExport) -> None:
    if not renderable(device.nos):
        result.notes.append(f"{device.name}: no renderer for {device.nos} yet; node boots without startup-config")
        return
    clab = profile(device.nos).clab
    rendered = render_device(network, device)
    for file_name, text in rendered.files.items():
        result.files[f"configs/{file_name}"] = text
    main_file = f"configs/{next(iter(rendered.files))}"
    if clab.config_path is None:
        node["startup-config"] = main_file
        return
    node["binds"] = [f"{main_file}:{clab.config_path}"]
    for extra in clab.extra_files:
        result.files[f"configs/{extra.name}"] = extra.content
        node["binds"].append(f"configs/{extra.name}:{extra.path}")


def _mgmt_subnet(network: Network) -> ipaddress.IPv4Network | None:
    pools = [p for p in network.pools if p.purpose == "management"]
    return ipaddress.IPv4Network(pools[0].prefix) if pools else None  # the intent allows IPv4 only
