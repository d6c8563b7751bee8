"""Rules the underlay routing policy (`netweave.network.policy`) needs from a Network.

The policy exports and accepts only what the design owns: loopback pools at /32, server pools at the
fabric's NIC subnet length, DCI summaries. A prefix a device originates outside those sets is dropped by its
own export policy and by every peer that imports the design-owned set, so it would be unreachable from
the rest of the fabric, silently. This happens when a module (a third-party one, or a fabric whose servers
mix subnet sizes) gives a device a loopback or a server subnet outside the pools it declares.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from netweave.lint import Finding, rule
from netweave.network.allocate import aton
from netweave.network.model import Network
from netweave.network.policy import PoolPrefix, originated, owned_pools


@rule("policy-unowned-prefix", "error", "every prefix a device originates is one the underlay policy carries")
def policy_unowned_prefix(network: Network) -> Iterator[Finding]:
    owned = owned_pools(network)
    covered = _coverage(owned)
    for device in network.devices:
        if device.role == "dci":  # a DCI router's announcements follow netweave.dci.routing
            continue
        for prefix in originated(device):
            if covered(prefix):
                continue
            blocks = ", ".join(f"{p.prefix} (/{p.member_length})" for p in owned) or "none"
            yield policy_unowned_prefix.finding(
                device.origin,
                f"{device.name}: originates {prefix}, which no loopback, server or DCI pool of the design holds "
                f"at that length; the underlay policy would drop it at every hop",
                f"allocate it from a pool the design owns (owned: {blocks}), or give the servers of one fabric "
                "one subnet size",
                device.name,
            )


def _coverage(owned: list[PoolPrefix]) -> Callable[[str], bool]:
    """`any(pool.covers(prefix) for pool in owned)` with each pool's block parsed once and the prefix once,
    not once per pool (0.46 s of lint at 100k GPUs: 100k server subnets against every pool)."""
    if not owned:
        return lambda _prefix: False
    by_length: dict[int, list[tuple[int, int]]] = {}
    for pool in owned:  # member length -> (shift, block >> shift), in `owned` order
        shift = 32 - pool.length
        top = 0 if shift == 32 else aton(pool.prefix.partition("/")[0]) >> shift
        by_length.setdefault(pool.member_length, []).append((shift, top))

    def covered(prefix: str) -> bool:
        address, _, length = prefix.partition("/")
        value = -1
        for shift, top in by_length.get(int(length), ()):
            if shift == 32:
                return True
            if value < 0:
                value = aton(address)
            if value >> shift == top:
                return True
        return False

    return covered
