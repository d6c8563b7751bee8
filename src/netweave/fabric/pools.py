"""Address pools of one fabric, tagged with their site and fabric.

Pools are named `<site>/<fabric> <purpose>` for people (`netweave show pools`, lint messages), but later
stages read the `site` and `fabric` fields of `PoolUsage`: a name is for reading, not for parsing back.
"""

from __future__ import annotations

import ipaddress

from netweave.intent.design import Addressing, ManagementPool
from netweave.network.allocate import AddressPool, PoolUsage


def fabric_pool(site: str, fabric: str, purpose: str, prefix: ipaddress.IPv4Network, origin: str) -> AddressPool:
    """A pool of `fabric` in `site` numbering `purpose` ('loopbacks', 'p2p', 'gpu', ...) from `prefix`."""
    return AddressPool(f"{site}/{fabric} {purpose}", purpose, prefix, origin, site=site, fabric=fabric)


class FabricPools:
    """The pools every fabric has (loopbacks, management, p2p unless unnumbered) plus any a module adds.

    `usages()` lists them in creation order, which is the order `network.pools` keeps: loopbacks,
    management, p2p, then the module's own (e.g. ai-backend's `gpu`).
    """

    def __init__(self, site: str, fabric: str, addressing: Addressing, path: str) -> None:
        """`path` is the fabric's design path; each pool's origin is `<path>.addressing.<purpose>`."""
        self.site = site
        self.fabric = fabric
        self._where = f"{path}.addressing"
        self.management_spec: ManagementPool = addressing.management
        self.loopbacks = fabric_pool(site, fabric, "loopbacks", addressing.loopbacks, f"{self._where}.loopbacks")
        self.management = fabric_pool(
            site, fabric, "management", addressing.management.prefix, f"{self._where}.management"
        )
        self.p2p: AddressPool | None = (
            None
            if addressing.p2p == "unnumbered"
            else fabric_pool(site, fabric, "p2p", addressing.p2p, f"{self._where}.p2p")
        )
        self._extra: list[AddressPool] = []

    def add(self, purpose: str, prefix: ipaddress.IPv4Network) -> AddressPool:
        """A module-specific pool, e.g. `add('gpu', addressing.gpu)`; origin `<path>.addressing.<purpose>`."""
        pool = fabric_pool(self.site, self.fabric, purpose, prefix, f"{self._where}.{purpose}")
        self._extra.append(pool)
        return pool

    def usages(self) -> list[PoolUsage]:
        """Every pool's usage, in canonical order (for `FabricPart.pools`)."""
        pools = [self.loopbacks, self.management, *([self.p2p] if self.p2p else []), *self._extra]
        return [pool.usage() for pool in pools]
