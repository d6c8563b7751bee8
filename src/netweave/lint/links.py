"""Link rules: both ends of a cable agree on speed and MTU."""

from __future__ import annotations

from collections.abc import Iterator

from netweave.lint import Finding, rule
from netweave.network.model import Network


@rule("link-mismatch", "error", "link ends agree on speed and MTU")
def link_mismatch(network: Network) -> Iterator[Finding]:
    # Lookups in the network's shared indexes, one comprehension per side: this rule used to copy the
    # million-entry interface index and make an Interface per GPU NIC port (0.54 s at 100k GPUs).
    for link, a, b in zip(network.links, _speed_mtu(network, "a"), _speed_mtu(network, "b"), strict=True):
        if a == b and a is not None:
            continue
        la, lb = link.a, link.b
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


def _speed_mtu(network: Network, side: str) -> list[tuple[int, int] | None]:
    """(speed, MTU) at end `side` of every link, in link order, None for an end with no interface. A GPU NIC port
    has its own speed and its leaf port's MTU (hosts run a smaller one: not compared), 0 without that port."""
    ends = network.interface_by_end
    nics = network.nic_by_end
    keys = [(end.device, end.interface) for end in (link.a if side == "a" else link.b for link in network.links)]
    found = [nics.get(key) for key in keys]
    switch = [ends.get(key) if nic is None else None for key, nic in zip(keys, found, strict=True)]
    return [
        ((iface.speed, iface.mtu) if iface is not None else None)
        if nic is None
        else (nic.speed, peer.mtu if (peer := ends.get((nic.leaf, nic.leaf_interface))) is not None else 0)
        for nic, iface in zip(found, switch, strict=True)
    ]
