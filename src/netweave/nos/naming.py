"""Vendor interface names: the same front-panel port is called differently by every NOS.

Port numbers are 1-based cage numbers as printed on the front panel; `lane` is the 1-based breakout
lane when a cage is broken out into `breakout` ports.
"""

from __future__ import annotations

from netweave.intent.design import Platform

MANAGEMENT_INTERFACE = {
    "frr": "eth0",
    "srlinux": "mgmt0",
    "sros": "A/1",
    "eos": "Management1",
    "sonic": "eth0",
    "nvue": "eth0",
}


def management_interface(nos: str) -> str:
    """The out-of-band management interface of `nos` (in the management VRF)."""
    return MANAGEMENT_INTERFACE[nos]


def interface_name(
    nos: str, platform: Platform, port: int, lane: int | None = None, breakout: int | None = None
) -> str:
    """Name of front-panel `port` (and breakout `lane`) on `nos`.

    Ports beyond the platform still get a name, so that one run reports every problem (the
    `port-range` lint rule flags them).

    >>> from netweave.catalog import builtin_platforms
    >>> d2l = builtin_platforms()["nokia-7220-ixr-d2l"]
    >>> interface_name("srlinux", d2l, 49), interface_name("eos", d2l, 49, 2, 4)
    ('ethernet-1/49', 'Ethernet49/2')
    """
    if port < 1:
        raise ValueError(f"port numbers start at 1, got {port}")
    if nos == "srlinux":
        return f"ethernet-1/{port}" + (f"/{lane}" if lane else "")
    if nos == "eos":
        return f"Ethernet{port}" + (f"/{lane}" if lane else "")
    if nos == "nvue":
        return f"swp{port}" + (f"s{lane - 1}" if lane else "")
    if nos == "sros":
        return f"1/1/c{port}/{lane or 1}"
    if nos == "sonic":
        first_lane, lanes = _lane_of(platform, port)
        if lane is None:
            return f"Ethernet{first_lane}"
        if breakout is None:
            raise ValueError("SONiC breakout port names need the breakout fan-out")
        return f"Ethernet{first_lane + (lane - 1) * max(lanes // breakout, 1)}"
    if nos == "frr":
        if lane is None:
            return f"eth{port}"
        return f"eth{port}-{lane}"
    raise ValueError(f"no interface naming for NOS '{nos}'")


def _lane_of(platform: Platform, port: int) -> tuple[int, int]:
    """First SONiC lane index of `port` and lanes per cage (SONiC names ports by first lane)."""
    first = 0
    remaining = port
    for group in platform.ports:
        if remaining <= group.count:
            return first + (remaining - 1) * group.lanes, group.lanes
        first += group.count * group.lanes
        remaining -= group.count
    # past the last cage (lint's port-range rule reports it): keep counting with the last group's lanes
    return first + (remaining - 1) * platform.ports[-1].lanes, platform.ports[-1].lanes
