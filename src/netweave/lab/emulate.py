"""From a designed Network to a lab topology: every switch becomes FRR in a namespace.

Devices whose NOS runs here (FRR) keep their own rendered config. Devices whose NOS cannot run here
(SR Linux, EOS, SONiC, NVUE, SR OS) are *emulated*: the same addressing, ASNs and sessions, rendered
by the FRR templates with Linux interface names (`eth<port>`). The lab proves the design converges;
the per-NOS parsers prove the syntax.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field

from netweave.lab.naming import MAX_LAB_LEN
from netweave.lab.sites import SiteLab, split_carriers
from netweave.lab.topology import LabLink, LabNode, LabTopology
from netweave.network.model import Device, Network
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
    sites: SiteLab = field(default_factory=SiteLab)
    """The DCI carriers' delay lines (`netweave.lab.sites`); empty for a single-site design."""


def lab_name(design_name: str) -> str:
    """A lab name the runtime accepts ([a-z0-9_], at most 20) derived from the design name.

    A name that has to be shortened keeps 11 characters and gets 8 hex of the design name's sha256, so two
    designs that share their first 20 characters (`fabric-east-datacenter-1`, `...-2`) get two labs
    instead of tearing down and reconfiguring each other's.
    """
    name = re.sub(r"[^a-z0-9_]", "_", design_name.lower()) or "lab"
    if not name[0].isalnum():
        name = f"l{name}"
    if len(name) <= MAX_LAB_LEN:
        return name
    return f"{name[: MAX_LAB_LEN - 9]}_{hashlib.sha256(design_name.encode()).hexdigest()[:8]}"


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


def server_stand_ins(device: Device, wired: set[tuple[str, str]]) -> tuple[str, ...]:
    """The server-facing addresses of `device` (ai-backend's GPU subnets) that no lab link carries, to be put on
    its `lo`: the lab runs no servers, so without them the subnet would never be connected, announced, or
    reachable from another site. On `lo` the kernel answers for the whole subnet (a local route), so the
    leaf stands in for its servers and `lab verify` can ping server subnet to server subnet."""
    return tuple(
        i.ipv4
        for i in device.interfaces
        if i.kind == "server" and i.ipv4 is not None and (device.name, i.name) not in wired
    )


def design_lab(network: Network, name: str) -> DesignLab:
    """The lab topology for `network`: one FRR node per switch, one veth per link between switches (servers,
    ai-backend's GPU nodes, are not run: `server_stand_ins`)."""
    lab, emulated = emulated_network(network)
    switches = {d.name for d in lab.devices}
    run = [link for link in lab.links if link.a.device in switches and link.b.device in switches]  # no servers
    wired = {(end.device, end.interface) for link in run for end in (link.a, link.b)}
    nodes = [
        LabNode(
            name=device.name,
            frr_conf=next(iter(render_device(lab, device).files.values())),
            loopbacks=server_stand_ins(device, wired),
        )
        for device in lab.devices
    ]
    links = [
        LabLink(a=link.a.device, a_ifname=link.a.interface, b=link.b.device, b_ifname=link.b.interface, mtu=link.mtu)
        for link in run
    ]
    topology, sites = split_carriers(LabTopology(name=name, nodes=nodes, links=links), lab)
    return DesignLab(topology=topology, network=lab, emulated=emulated, sites=sites)
