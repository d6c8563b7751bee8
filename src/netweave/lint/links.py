"""Link rules: both ends of a cable agree on speed and MTU."""

from __future__ import annotations

from collections.abc import Iterator

from netweave.lint import Finding, rule
from netweave.network.model import Network


@rule("link-mismatch", "error", "link ends agree on speed and MTU")
def link_mismatch(network: Network) -> Iterator[Finding]:
    # Lookups in the network's shared indexes: this rule used to copy the million-entry interface index and make
    # an Interface per GPU NIC port (0.54 s at 100k GPUs); a NIC end is now read where it is.
    ends = network.interface_by_end
    nics = network.nic_by_end

    def speed_mtu(device: str, interface: str) -> tuple[int, int] | None:
        """(speed, MTU) of a link end; a GPU NIC port takes its leaf port's MTU (hosts run a smaller one: not
        compared), 0 when that leaf port is missing."""
        nic = nics.get((device, interface))
        if nic is not None:
            peer = ends.get((nic.leaf, nic.leaf_interface))
            return nic.speed, peer.mtu if peer is not None else 0
        iface = ends.get((device, interface))
        return (iface.speed, iface.mtu) if iface is not None else None

    for link in network.links:
        la, lb = link.a, link.b
        a = speed_mtu(la.device, la.interface)
        b = speed_mtu(lb.device, lb.interface)
        if a == b and a is not None:
            continue
        where = f"{la.device} {la.interface} - {lb.device} {lb.interface}"
        if a is None or b is None:
            yield link_mismatch.finding(link.origin, f"{where}: an end has no interface on its device")
            continue
        if a[0] != b[0]:
            yield link_mismatch.finding(
                link.origin,
                f"{where}: speed {a[0]}G vs {b[0]}G",
                "use matching port groups or a breakout on the faster side",
            )
        if a[1] != b[1]:
            yield link_mismatch.finding(
                link.origin, f"{where}: MTU {a[1]} vs {b[1]}", "set the same mtu on both devices (check overrides)"
            )
