"""Vendor interface names: the same front-panel port is called differently by every NOS.

Thin lookups of the NOS's profile (`netweave.nos.<nos>.PROFILE`), kept as two functions because the
fabric modules name every port through exactly these. Port numbers are 1-based cage numbers as printed
on the front panel; `lane` is the 1-based breakout lane when a cage is broken out into `breakout` ports.
"""

from __future__ import annotations

from netweave.catalog.platform import Platform
from netweave.nos import UnknownNos, profile


def management_interface(nos: str) -> str:
    """The out-of-band management interface of `nos` (in the management VRF)."""
    return profile(nos).management_interface


def interface_name(
    nos: str, platform: Platform, port: int, lane: int | None = None, breakout: int | None = None
) -> str:
    """Name of front-panel `port` (and breakout `lane`) on `nos`.

    Ports beyond the platform still get a name, so that one run reports every problem (the
    `port-range` lint rule flags them). Raises ValueError for a port below 1 or an unknown NOS.

    >>> from netweave.catalog import builtin_platforms
    >>> d2l = builtin_platforms()["nokia-7220-ixr-d2l"]
    >>> interface_name("srlinux", d2l, 49), interface_name("eos", d2l, 49, 2, 4)
    ('ethernet-1/49', 'Ethernet49/2')
    """
    try:
        nos_profile = profile(nos)
    except UnknownNos as exc:
        raise ValueError(f"no interface naming for NOS '{nos}': {exc}") from None
    return nos_profile.interfaces.name(platform, port, lane, breakout)
