"""Naming rules: every device and server name is unique across the design."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

from netweave.lint import Finding, rule
from netweave.network.model import Network


@rule("name-unique", "error", "device and server names are unique across all fabrics")
def name_unique(network: Network) -> Iterator[Finding]:
    """Two fabrics of one module name their switches alike (spine1, su1-leaf-r1); without a
    hostname_prefix they collide, and every later stage (configs, inventory, cabling) mixes them up."""
    owners: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for device in network.devices:
        owners[device.name].append((device.fabric, device.origin))
    for server in network.servers:
        owners[server.name].append((server.fabric, server.origin))
    clashes: dict[tuple[str, ...], list[str]] = defaultdict(list)
    for name, users in owners.items():
        if len(users) > 1:
            clashes[tuple(sorted({fabric for fabric, _ in users}))].append(name)
    origin = {fabric: where for users in owners.values() for fabric, where in users}
    for fabrics, names in clashes.items():
        more = f" and {len(names) - 3} more" if len(names) > 3 else ""
        where = origin[fabrics[-1]]
        detail = f"fabrics {', '.join(fabrics)}" if len(fabrics) > 1 else f"fabric {fabrics[0]}"
        yield name_unique.finding(
            where,
            f"{len(names)} name(s) used twice in {detail}: {', '.join(names[:3])}{more}",
            "give each fabric its own hostname_prefix",
        )
