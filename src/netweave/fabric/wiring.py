"""Wiring one cable: both interfaces, the link and the single-hop eBGP session over it.

Every fabric cable becomes the same four objects, so they are made in one place: the lower end (leaf,
spine towards its super-spine, DCI a-end) gets the upper address of its /31 and the upper end the lower
one, as netweave has always numbered them (changing it would renumber every deployed link). Without a
p2p pool the cable is unnumbered (IPv6 link-local, RFC 5549): no addresses, the session runs on the
interface.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from netweave.intent.design import Platform
from netweave.network.allocate import AddressPool
from netweave.network.construct import new_interface, new_link, new_session
from netweave.network.model import BgpSession, Device, InterfaceKind, Link, Optics
from netweave.nos.naming import interface_name


class Cabling(Protocol):
    """Where cables go: a `FabricPart`, or any part with `links` and `sessions` (the DCI part)."""

    links: list[Link]
    sessions: list[BgpSession]


@dataclass(slots=True)
class CableEnd:
    """One end of a cable: the device, its interface (vendor name) and what the interface runs at.

    Not frozen: a frozen dataclass sets each field through `object.__setattr__`, and two ends are made per
    cable (about 200k at 100k GPUs); frozen ends plus a loop over the two ends in `connect` made ai-backend's
    expand about 15% slower (CPU 1.73 s vs 1.50 s at 100k GPUs), unfrozen and unrolled it is back at 1.54 s."""

    device: Device
    interface: str
    port: int
    """Front-panel cage, 1-based."""
    speed: int
    mtu: int
    lane: int | None = None
    """Breakout lane (1-based), None at native speed."""
    breakout: str | None = None
    """The cage's breakout mode, e.g. '2x400', None at native speed."""
    optics: Optics | None = None
    """Coherent optics settings of a DCI interface."""


def cable_end(device: Device, platform: Platform, port: int, speed: int, mtu: int) -> CableEnd:
    """The end of a cable on front-panel `port` at native speed, named the way the device's NOS names it."""
    return CableEnd(device, interface_name(device.nos, platform, port), port, speed, mtu)


class Wiring:
    """Adds cables to a `FabricPart`: interfaces on both devices, the link and the eBGP session."""

    def __init__(
        self, part: Cabling, p2p: AddressPool | None, *, bfd: bool, afi: Sequence[str] = ("ipv4-unicast",)
    ) -> None:
        """`p2p` numbers cables by index (/31 #index); None wires every cable unnumbered. `afi` are the
        address families of every session (add 'l2vpn-evpn' for an EVPN overlay)."""
        self.part = part
        self.p2p = p2p
        self.bfd = bfd
        self.afi = list(afi)

    def connect(
        self,
        lower: CableEnd,
        upper: CableEnd,
        index: int,
        *,
        origin: str,
        cable_m: float | None = None,
        kind: InterfaceKind = "fabric",
        label: str = "",
    ) -> None:
        """Wire `lower` to `upper` with /31 #`index` of the p2p pool (a stable slot the module computes).

        The link runs at the lower end's speed and the smaller MTU; `label` starts both descriptions
        (e.g. 'DCI dc1-dc2/1 '), `origin` is the design path lint findings point at."""
        self.connect_ports(
            lower.device,
            lower.interface,
            lower.port,
            lower.lane,
            lower.breakout,
            upper.device,
            upper.interface,
            upper.port,
            upper.lane,
            upper.breakout,
            lower.speed,
            lower.mtu,
            index,
            origin,
            cable_m,
            upper_speed=upper.speed,
            upper_mtu=upper.mtu,
            lower_optics=lower.optics,
            upper_optics=upper.optics,
            kind=kind,
            label=label,
        )

    def connect_ports(
        self,
        lower: Device,
        lower_interface: str,
        lower_port: int,
        lower_lane: int | None,
        lower_breakout: str | None,
        upper: Device,
        upper_interface: str,
        upper_port: int,
        upper_lane: int | None,
        upper_breakout: str | None,
        speed: int,
        mtu: int,
        index: int,
        origin: str,
        cable_m: float | None,
        *,
        upper_speed: int | None = None,
        upper_mtu: int | None = None,
        lower_optics: Optics | None = None,
        upper_optics: Optics | None = None,
        kind: InterfaceKind = "fabric",
        label: str = "",
    ) -> None:
        """`connect` with the two ends given field by field, for a module's hot loop: ai-backend wires 100k cables
        this way at 100k GPUs without two CableEnds and their attribute reads per cable (0.44 s -> 0.33 s CPU).

        `speed` and `mtu` are the lower end's, and the upper end's unless `upper_speed`/`upper_mtu` say otherwise;
        the link runs at `speed` and the smaller MTU. Positional constructors (netweave.network.construct):
        keyword-only dataclass calls were about half of this function's time."""
        if self.p2p is None:
            lower_ip = upper_ip = subnet = None
        else:
            upper_ip, lower_ip, subnet = self.p2p.pair(index)  # `subnet` is the pool's lower address + "/31"
        other_speed = speed if upper_speed is None else upper_speed
        other_mtu = mtu if upper_mtu is None else upper_mtu
        lower_name, upper_name = lower.name, upper.name
        lower.interfaces.append(
            new_interface(
                lower_interface,
                lower_port,
                lower_lane,
                speed,
                mtu,
                kind,
                f"{label}to {upper_name} {upper_interface}",
                f"{lower_ip}/31" if lower_ip else None,
                lower_ip is None,
                upper_name,
                upper_interface,
                cable_m,
                lower_optics,
                lower_breakout,
            )
        )
        upper.interfaces.append(
            new_interface(
                upper_interface,
                upper_port,
                upper_lane,
                other_speed,
                other_mtu,
                kind,
                f"{label}to {lower_name} {lower_interface}",
                subnet,  # this end holds the pool's lower address: the /31 as pair() wrote it, no second string
                upper_ip is None,
                lower_name,
                lower_interface,
                cable_m,
                upper_optics,
                upper_breakout,
            )
        )
        self.part.links.append(
            new_link(
                lower_name,
                lower_interface,
                upper_name,
                upper_interface,
                speed,
                min(mtu, other_mtu),
                kind,
                subnet,
                cable_m,
                origin,
            )
        )
        self.part.sessions.append(
            new_session(
                lower_name,
                lower_interface,
                lower_ip,
                lower.asn,
                upper_name,
                upper_interface,
                upper_ip,
                upper.asn,
                self.bfd,
                list(self.afi),
            )
        )
