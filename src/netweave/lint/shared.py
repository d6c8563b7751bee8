"""Tables several lint rules read, built once per `lint()` run instead of once per rule.

`shared(network, build)` returns `build(network)`, computed once while `lint()` runs on that network and shared
by every rule that asks for the same `build`; called outside a run (a rule's `check` used on its own) it simply
builds. Nothing is kept after the run: a network edited between two runs is read afresh.

`link_ends` is the table of the link rules: p2p-subnet and link-mismatch both resolve each link's two ends to a
GPU NIC port or a switch interface. Each did it on its own, with a (device, interface) tuple per end: 400k tuples
and lookups per rule at 100k GPUs. Now it is done once, by device then interface name (no key tuples).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, TypeVar, cast

from netweave.network.model import Interface, Network, Nic

T = TypeVar("T")

_network: Network | None = None
"""The network `lint()` is running on, or None outside a run."""
_tables: dict[Callable[[Network], Any], Any] = {}


@contextmanager
def run(network: Network) -> Iterator[None]:
    """Share tables among the rules run inside the block on `network` (`lint()` opens it); dropped on exit."""
    global _network  # one run at a time per process, like the rules' own registry
    outer = _network, dict(_tables)
    _network = network
    _tables.clear()
    try:
        yield
    finally:
        _network = outer[0]
        _tables.clear()
        _tables.update(outer[1])


def shared(network: Network, build: Callable[[Network], T]) -> T:
    """`build(network)`, computed once per `lint()` run on `network` (every time outside one)."""
    if network is not _network:
        return build(network)
    if build not in _tables:
        _tables[build] = build(network)
    return cast(T, _tables[build])


@dataclass(slots=True)
class LinkEnds:
    """Both ends of every link, in `network.links` order: the GPU NIC port when the end names one, else the
    switch interface, else None (an end with no interface on its device)."""

    nic_a: list[Nic | None]
    iface_a: list[Interface | None]
    """The switch interface of end a; None where `nic_a` holds the end (or nothing does)."""
    nic_b: list[Nic | None]
    iface_b: list[Interface | None]
    interfaces: dict[str, dict[str, Interface]]
    """Device name -> interface name -> switch interface (a NIC's leaf port is found here)."""


_NONE: dict[str, Any] = {}


def link_ends(network: Network) -> LinkEnds:
    """Resolve every link end once. An end is the NIC port when a server of that name has one of that name (a
    NIC end wins over a switch port of the same name, as both rules always resolved it), else the switch
    interface. With a name used twice (lint's name-unique reports it), the last device or NIC of that
    (device, interface) pair wins, as in `Network.interface_by_end`."""
    interfaces: dict[str, dict[str, Interface]] = {}
    for device in network.devices:
        own = {iface.name: iface for iface in device.interfaces}
        if interfaces.setdefault(device.name, own) is not own:
            interfaces[device.name].update(own)
    nics: dict[str, dict[str, Nic]] = {}
    for server in network.servers:
        mine = {nic.name: nic for nic in server.nics}
        if nics.setdefault(server.name, mine) is not mine:
            nics[server.name].update(mine)
    links = network.links
    none = _NONE
    ends_a = [link.a for link in links]
    ends_b = [link.b for link in links]
    nic_a = [nics.get(end.device, none).get(end.interface) for end in ends_a]
    nic_b = [nics.get(end.device, none).get(end.interface) for end in ends_b]
    iface_a = [
        None if nic is not None else interfaces.get(end.device, none).get(end.interface)
        for end, nic in zip(ends_a, nic_a, strict=True)
    ]
    iface_b = [
        None if nic is not None else interfaces.get(end.device, none).get(end.interface)
        for end, nic in zip(ends_b, nic_b, strict=True)
    ]
    return LinkEnds(nic_a, iface_a, nic_b, iface_b, interfaces)
