"""containerlab export: a `.clab.yml` topology with each node's kind, image, interfaces and startup config.

containerlab needs Docker, which these machines lack; the export is validated against containerlab's
published schema instead (see `clab_schema`). Interface names follow each kind's rules, derived from the
same front-panel port and breakout lane the design allocated.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from netweave.network.model import Device, Interface, Network
from netweave.output.writer import write_atomic
from netweave.render import RENDERERS, render_device

KINDS: dict[str, tuple[str, str]] = {
    "srlinux": ("nokia_srlinux", "ghcr.io/nokia/srlinux:25.3.1"),
    "sros": ("nokia_srsim", "nokia_srsim:25.3.R1"),
    "eos": ("arista_ceos", "ceos:4.33.1F"),
    "sonic": ("sonic-vs", "docker-sonic-vs:latest"),
    "nvue": ("nvidia_cumulusvx", "networkop/cx:5.3.0"),
    "frr": ("linux", "quay.io/frrouting/frr:8.4.4"),
}
"""NOS -> (containerlab kind, default image). Images are public tags users can override with --image."""

FRR_DAEMONS = "bgpd=yes\nbfdd=yes\nstaticd=yes\nzebra=yes\nvtysh_enable=yes\n"


def clab_interface(nos: str, iface: Interface) -> str:
    """The name containerlab wires for this port on the node's kind."""
    port, lane = iface.port, iface.lane
    if nos == "srlinux":
        return f"e1-{port}" + (f"-{lane}" if lane else "")
    if nos == "sros":
        return f"e1-1-c{port}-{lane or 1}"
    if nos == "eos":
        return f"eth{port}" + (f"_{lane}" if lane else "")
    if nos == "nvue":
        return f"swp{port}" + (f"s{lane - 1}" if lane else "")
    if nos == "sonic":
        return f"eth{port}"
    return iface.name  # linux/FRR nodes use the design's own Linux names


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
        kind, image = KINDS[device.nos]
        node: dict[str, Any] = {"kind": kind, "image": images.get(device.nos, image)}
        if device.nos == "srlinux":
            chassis = network.platforms[device.platform].srlinux_chassis
            if chassis:
                node["type"] = chassis.removeprefix("7220-").replace("ixr-", "ixr", 1)
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
                    f"{a.name}:{clab_interface(a.nos, ends[(a.name, link.a.interface)])}",
                    f"{b.name}:{clab_interface(b.nos, ends[(b.name, link.b.interface)])}",
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
    if device.nos not in RENDERERS:
        result.notes.append(f"{device.name}: no renderer for {device.nos} yet; node boots without startup-config")
        return
    rendered = render_device(network, device)
    for file_name, text in rendered.files.items():
        result.files[f"configs/{file_name}"] = text
    main_file = f"configs/{next(iter(rendered.files))}"
    if device.nos == "frr":
        result.files["configs/frr-daemons"] = FRR_DAEMONS
        node["binds"] = [f"{main_file}:/etc/frr/frr.conf", "configs/frr-daemons:/etc/frr/daemons"]
    else:
        node["startup-config"] = main_file


def _mgmt_subnet(network: Network) -> ipaddress.IPv4Network | None:
    pools = [p for p in network.pools if p.purpose == "management"]
    return ipaddress.IPv4Network(pools[0].prefix) if pools else None  # the intent allows IPv4 only
