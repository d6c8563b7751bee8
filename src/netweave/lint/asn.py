"""ASN rules from RFC 6996/7938: private, not reserved, unique per leaf, shared per spine layer."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

from netweave.lint import Finding, rule
from netweave.network.model import Network

PRIVATE_RANGES = ((64512, 65534), (4200000000, 4294967294))
RESERVED = {0, 23456, 65535, 4294967295}


def is_private(asn: int) -> bool:
    return any(low <= asn <= high for low, high in PRIVATE_RANGES)


@rule("asn-range", "error", "ASNs are private (RFC 6996) and never reserved")
def asn_range(network: Network) -> Iterator[Finding]:
    for device in network.devices:
        if device.asn in RESERVED:
            yield asn_range.finding(
                device.origin,
                f"{device.name}: ASN {device.asn} is reserved",
                "pick a base in 64512-65534 or 4200000000-4294967294",
                device.name,
            )
        elif not is_private(device.asn):
            yield asn_range.finding(
                device.origin,
                f"{device.name}: ASN {device.asn} is not a private ASN",
                "use 64512-65534 or 4200000000-4294967294 (RFC 6996)",
                device.name,
            )


@rule("asn-leaf-unique", "error", "every leaf has its own ASN")
def asn_leaf_unique(network: Network) -> Iterator[Finding]:
    owners: dict[int, list[str]] = defaultdict(list)
    origin: dict[int, str] = {}
    for device in network.devices:
        if device.role in ("leaf", "border-leaf"):
            owners[device.asn].append(device.name)
            origin.setdefault(device.asn, device.origin)
    other_roles = {d.asn for d in network.devices if d.role not in ("leaf", "border-leaf")}
    for asn, names in owners.items():
        if len(names) > 1:
            yield asn_leaf_unique.finding(
                origin[asn],
                f"leaves {', '.join(names)} share ASN {asn}",
                "leaf ASNs must be unique (RFC 7938); check asn.leaf_base of fabrics whose ranges overlap",
            )
        if asn in other_roles:
            yield asn_leaf_unique.finding(
                origin[asn],
                f"leaf ASN {asn} is also used by a spine tier",
                "move asn.leaf_base away from asn.spine_base/super_spine",
            )


@rule("asn-spine-shared", "error", "spines of one pod (or plane) share one ASN")
def asn_spine_shared(network: Network) -> Iterator[Finding]:
    groups: dict[tuple[str, int | None, int | None], set[int]] = defaultdict(set)
    origin: dict[tuple[str, int | None, int | None], str] = {}
    for device in network.devices:
        if device.role == "spine":
            key = (device.fabric, device.plane, device.pod)
            groups[key].add(device.asn)
            origin.setdefault(key, device.origin)
    for (fabric, plane, pod), asns in groups.items():
        if len(asns) > 1:
            where = (f"pod {pod} of " if pod else "") + (f"plane {plane} of " if plane else "") + fabric
            yield asn_spine_shared.finding(
                origin[(fabric, plane, pod)],
                f"spines of {where} use several ASNs: {sorted(asns)}",
                "RFC 7938 gives one ASN per spine layer",
            )
