"""Stable allocation from address pools: an object's address is a pure function of its slot.

Nothing is handed out "next free", so adding a device never renumbers an existing one. Allocation
past the end of a pool still yields an address (so every problem in a design can be reported at
once); the pool records how much it needed and the `pool-exhausted` lint rule reports the shortfall.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass


@dataclass(slots=True, kw_only=True)
class PoolUsage:
    """How much of a pool a fabric needs (for lint and `netweave show addresses`)."""

    name: str
    site: str | None = None
    """Site the pool belongs to; None for pools that span sites (the DCI pools)."""
    fabric: str | None = None
    """Fabric the pool belongs to ('dci' for the DCI pools). Readers use these fields, never the name."""
    purpose: str
    """What the pool numbers: 'loopbacks', 'p2p', 'management', ... (renderers build prefix lists from it)."""
    prefix: str
    size: int
    """Addresses in the pool."""
    needed: int
    """Addresses needed: highest offset used + 1 (stable slots leave gaps on purpose)."""
    used: int
    """Addresses actually assigned."""
    origin: str


class AddressPool:
    """An IPv4 prefix handing out addresses and /31s by offset."""

    def __init__(
        self,
        name: str,
        purpose: str,
        prefix: ipaddress.IPv4Network,
        origin: str,
        *,
        site: str | None = None,
        fabric: str | None = None,
    ) -> None:
        self.name = name
        self.site = site
        self.fabric = fabric
        self.purpose = purpose
        self.prefix = prefix
        self.origin = origin
        self._base = int(prefix.network_address)
        self._highest = -1
        self._used = 0

    def address(self, offset: int) -> str:
        """Address at `offset` from the start of the pool."""
        self._note(offset)
        return _ntoa(self._base + offset)

    def pair(self, index: int) -> tuple[str, str, str]:
        """The `index`-th /31: (lower address, upper address, subnet with length)."""
        upper = 2 * index + 1  # `_note(upper)` and one more use, inline: a call per fabric cable saved
        if upper > self._highest:
            self._highest = upper
        self._used += 2
        low = self._base + 2 * index
        lower = _ntoa(low)  # once: a pair per fabric cable (100k at 100k GPUs)
        last = low & 255
        if last == 255:  # only a pool that does not start on an even address: the upper end carries
            return lower, _ntoa(low + 1), lower + "/31"
        # the upper end differs in the last octet only: swap it instead of formatting four octets again
        return lower, lower[: lower.rfind(".") + 1] + OCTET_TEXT[last + 1], lower + "/31"

    def block(self, offset: int, size: int) -> int:
        """Reserve `size` addresses from `offset` (e.g. a /31 or /30 per GPU NIC) and return the first as
        an int, for callers that format many addresses from one block (see `ntoa`)."""
        last = offset + size - 1
        if last > self._highest:
            self._highest = last
        self._used += size
        return self._base + offset

    def usage(self) -> PoolUsage:
        """What the pool handed out so far (lint compares `needed` with `size`)."""
        return PoolUsage(
            name=self.name,
            site=self.site,
            fabric=self.fabric,
            purpose=self.purpose,
            prefix=str(self.prefix),
            size=self.prefix.num_addresses,
            needed=self._highest + 1,
            used=self._used,
            origin=self.origin,
        )

    def _note(self, offset: int) -> None:
        self._used += 1
        if offset > self._highest:
            self._highest = offset


def ntoa(value: int) -> str:
    """Int -> dotted IPv4 address (wraps at 2^32; the pool-exhausted rule reports overflows)."""
    value &= 0xFFFFFFFF
    return f"{value >> 24}.{(value >> 16) & 255}.{(value >> 8) & 255}.{value & 255}"


_ntoa = ntoa
OCTET_TEXT = [str(value) for value in range(256)]
"""Octet value -> its decimal text, as `ntoa` writes it (to change the last octet of a formatted address)."""


CANONICAL_OCTETS = {str(value): value for value in range(256)}
"""Decimal octet as `ntoa` writes it -> its value: one dict lookup tells an octet that formats back to itself
(hot string paths at 100k GPUs use it; anything else, e.g. a leading zero, takes the general parse)."""


def aton(address: str) -> int:
    """Dotted IPv4 address -> int, without `ipaddress` objects (lint runs this per link at 100k-GPU scale)."""
    a, b, c, d = address.split(".")
    return (int(a) << 24) | (int(b) << 16) | (int(c) << 8) | int(d)


def split_interface(text: str) -> tuple[int, int]:
    """'10.0.0.1/31' -> (address as int, prefix length)."""
    address, _, length = text.partition("/")
    return aton(address), int(length) if length else 32
