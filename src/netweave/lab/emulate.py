"""From a designed Network to a lab topology: every switch becomes FRR in a namespace.

Devices whose NOS runs here (FRR) keep their own rendered config. Devices whose NOS cannot run here
(SR Linux, EOS, SONiC, NVUE, SR OS) are *emulated*: the same addressing, ASNs and sessions, rendered
by the FRR templates with Linux interface names (`eth<port>`). The lab proves the design converges;
the per-NOS parsers prove the syntax.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from netweave.lab.topology import LabLink, LabNode, LabTopology
from netweave.network.model import Network
from netweave.nos.naming import interface_name, management_interface
from netweave.render import render_device

LAB_NOS = "frr"
"""The NOS every lab node runs (real FRR daemons in network namespaces); its profile gives the Linux names."""


@dataclass
class DesignLab:
    """A lab topology plus how it maps back to the design."""

    topology: LabTopology
    network: Network
    """The network as the lab runs it (all FRR, Linux interface names)."""
    emulated: dict[str, str] = field(default_factory=dict)
    """Device -> its real NOS, for devices run as FRR."""


def lab_name(design_name: str) -> str:
    """A lab name the runtime accepts ([a-z0-9_], at most 20) derived from the design name."""
    return re.sub(r"[^a-z0-9_]", "_", design_name.lower())[:20] or "lab"


def emulated_network(network: Network) -> tuple[Network, dict[str, str]]:
    """A copy of `network` where every device runs FRR with Linux interface names."""
    lab = Network.from_json(network.to_json())
    rename: dict[tuple[str, str], str] = {}
    emulated: dict[str, str] = {}
    for device in lab.devices:
        if device.nos == LAB_NOS:
            continue
        emulated[device.name] = device.nos
        platform = lab.platforms[device.platform]
        for iface in device.interfaces:
            new = interface_name(LAB_NOS, platform, iface.port, iface.lane)
            rename[(device.name, iface.name)] = new
            iface.name = new
        device.nos = LAB_NOS
        device.mgmt_interface = management_interface(LAB_NOS)
    for device in lab.devices:
        for iface in device.interfaces:
            if iface.peer_device is not None and iface.peer_interface is not None:
                new_peer = rename.get((iface.peer_device, iface.peer_interface), iface.peer_interface)
                iface.peer_interface = new_peer
                iface.description = f"to {iface.peer_device} {new_peer}"
    for link in lab.links:
        for end in (link.a, link.b):
            end.interface = rename.get((end.device, end.interface), end.interface)
    for session in lab.sessions:
        for side in (session.a, session.b):
            side.interface = rename.get((side.device, side.interface), side.interface)
    return lab, emulated


def design_lab(network: Network, name: str) -> DesignLab:
    """The lab topology for `network`: one FRR node per switch, one veth per link."""
    lab, emulated = emulated_network(network)
    nodes = [
        LabNode(name=device.name, frr_conf=next(iter(render_device(lab, device).files.values())))
        for device in lab.devices
    ]
    links = [
        LabLink(a=link.a.device, a_ifname=link.a.interface, b=link.b.device, b_ifname=link.b.interface, mtu=link.mtu)
        for link in lab.links
    ]
    return DesignLab(topology=LabTopology(name=name, nodes=nodes, links=links), network=lab, emulated=emulated)
