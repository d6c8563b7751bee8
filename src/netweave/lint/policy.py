"""Rules the underlay routing policy (`netweave.network.policy`) needs from a Network.

The policy exports and accepts only what the design owns: loopback pools at /32, server pools at the
fabric's NIC subnet length, DCI summaries. A prefix a device originates outside those sets is dropped by its
own export policy and by every peer that imports the design-owned set, so it would be unreachable from
the rest of the fabric, silently. This happens when a module (a third-party one, or a fabric whose servers
mix subnet sizes) gives a device a loopback or a server subnet outside the pools it declares.
"""

from __future__ import annotations

from collections.abc import Iterator

from netweave.lint import Finding, rule
from netweave.network.model import Network
from netweave.network.policy import originated, owned_pools


@rule("policy-unowned-prefix", "error", "every prefix a device originates is one the underlay policy carries")
def policy_unowned_prefix(network: Network) -> Iterator[Finding]:
    owned = owned_pools(network)
    for device in network.devices:
        if device.role == "dci":  # a DCI router's announcements follow netweave.dci.routing
            continue
        for prefix in originated(device):
            if any(pool.covers(prefix) for pool in owned):
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
