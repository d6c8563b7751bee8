"""Link rules: both ends of a cable agree on speed and MTU."""

from __future__ import annotations

from collections.abc import Iterator

from netweave.lint import Finding, rule
from netweave.network.model import Interface, Network


@rule("link-mismatch", "error", "link ends agree on speed and MTU")
def link_mismatch(network: Network) -> Iterator[Finding]:
    interfaces = dict(network.interface_by_end)
    for server in network.servers:  # a GPU NIC port as an interface (hosts run a smaller MTU: not compared)
        for nic in server.nics:
            peer = interfaces.get((nic.leaf, nic.leaf_interface))
            interfaces[(server.name, nic.name)] = Interface(
                name=nic.name, port=0, speed=nic.speed, mtu=peer.mtu if peer else 0, kind="server"
            )
    for link in network.links:
        a = interfaces.get((link.a.device, link.a.interface))
        b = interfaces.get((link.b.device, link.b.interface))
        where = f"{link.a.device} {link.a.interface} - {link.b.device} {link.b.interface}"
        if a is None or b is None:
            yield link_mismatch.finding(link.origin, f"{where}: an end has no interface on its device")
            continue
        if a.speed != b.speed:
            yield link_mismatch.finding(
                link.origin,
                f"{where}: speed {a.speed}G vs {b.speed}G",
                "use matching port groups or a breakout on the faster side",
            )
        if a.mtu != b.mtu:
            yield link_mismatch.finding(
                link.origin, f"{where}: MTU {a.mtu} vs {b.mtu}", "set the same mtu on both devices (check overrides)"
            )
