"""Addressing rules: no duplicate IPs, no overlapping pools, pools big enough, /31 ends match."""

from __future__ import annotations

import ipaddress
from collections import defaultdict
from collections.abc import Iterator

from netweave.lint import Finding, rule
from netweave.lint.shared import link_ends, shared
from netweave.network.allocate import CANONICAL_OCTETS, aton, split_interface
from netweave.network.model import Interface, Network, Nic


@rule("ip-duplicate", "error", "no address is assigned twice (loopback, link or management)")
def ip_duplicate(network: Network) -> Iterator[Finding]:
    if not _any_duplicate(network):  # the usual answer, from one flat list and a set: no owner tuples
        return
    # first owner per address in a flat dict; lists only for the (rare) addresses used twice, so a
    # 100k-GPU network does not allocate half a million lists
    first: dict[str, tuple[str, str, str]] = {}
    extra: dict[str, list[tuple[str, str, str]]] = defaultdict(list)

    def claim(address: str, owner: tuple[str, str, str]) -> None:
        if first.setdefault(address, owner) is not owner:
            extra[address].append(owner)

    for device in network.devices:
        claim(device.loopback, (device.name, "loopback", device.origin))
        claim(device.mgmt_ipv4.split("/")[0], (device.name, "management", device.origin))
        for iface in device.interfaces:
            if iface.ipv4:
                claim(iface.ipv4.split("/")[0], (device.name, iface.name, device.origin))
    for server in network.servers:
        for nic in server.nics:
            claim(nic.address, (server.name, nic.name, server.origin))
    for address, others in extra.items():
        users = [first[address], *others]
        who = ", ".join(f"{name} {what}" for name, what, _ in users[:6])
        more = f" and {len(users) - 6} more" if len(users) > 6 else ""
        yield ip_duplicate.finding(
            users[0][2], f"{address} is assigned to {who}{more}", "give each fabric its own pools (check addressing.*)"
        )


def _any_duplicate(network: Network) -> bool:
    """Whether any address is claimed twice, over the same addresses `ip_duplicate` claims (a third of its
    0.32 s at 100k GPUs went to making an owner tuple per address, needed only to name the owners of a
    duplicate)."""
    addresses = [a for d in network.devices for a in (d.loopback, d.mgmt_ipv4.split("/")[0])]
    addresses += [i.ipv4.split("/")[0] for d in network.devices for i in d.interfaces if i.ipv4]
    addresses += [nic.address for server in network.servers for nic in server.nics]
    return len(set(addresses)) != len(addresses)


@rule("pool-overlap", "error", "address pools of different purposes or fabrics do not overlap")
def pool_overlap(network: Network) -> Iterator[Finding]:
    pools = sorted(
        ((ipaddress.ip_network(p.prefix), p) for p in network.pools),
        key=lambda item: (int(item[0].network_address), -item[0].prefixlen),
    )
    for index, (net, pool) in enumerate(pools):
        for other_net, other in pools[index + 1 :]:
            if int(other_net.network_address) > int(net.broadcast_address):
                break
            if net.overlaps(other_net):
                yield pool_overlap.finding(
                    other.origin,
                    f"{other.name} {other.prefix} overlaps {pool.name} {pool.prefix}",
                    "use disjoint prefixes",
                )


@rule("pool-exhausted", "error", "every pool holds the addresses its fabric's slots need")
def pool_exhausted(network: Network) -> Iterator[Finding]:
    for pool in network.pools:
        if pool.needed > pool.size:
            bits = max(0, (pool.needed - 1).bit_length())
            yield pool_exhausted.finding(
                pool.origin,
                f"{pool.name} {pool.prefix} has {pool.size} addresses but needs {pool.needed} "
                f"({pool.used} assigned; stable slots reserve room for the fabric's capacity)",
                f"use at least a /{32 - bits} or lower capacity.*",
            )


@rule("p2p-subnet", "error", "both ends of a link share one /31, or both are unnumbered")
def p2p_subnet(network: Network) -> Iterator[Finding]:
    # ~45% of lint at 100k GPUs before round 1, 0.41 s CPU before round 2: the link ends are now resolved once for
    # this rule and link-mismatch (`netweave.lint.shared.link_ends`), and the usual /31 (the ends differ in the
    # last octet only, as allocation writes them) is recognised inline, without a call per link; anything else
    # takes `_one_slash31` and `_one_subnet` as before. 0.41 s -> 0.31 s CPU at 100k GPUs, of which ~0.15 s builds
    # the link-end table that link-mismatch then reads for free.
    ends = shared(network, link_ends)
    pairs = _SLASH31_LAST_OCTETS
    addresses_a, addresses_b = _addresses(ends.nic_a, ends.iface_a), _addresses(ends.nic_b, ends.iface_b)
    for link, a, b in zip(network.links, addresses_a, addresses_b, strict=True):
        if a is None or b is None:
            if a is not b:
                la, lb = link.a, link.b
                where = f"{la.device} {la.interface} - {lb.device} {lb.interface}"
                yield p2p_subnet.finding(link.origin, f"{where}: one end numbered, the other unnumbered")
            continue
        if not (a and b):
            continue
        dot = a.rfind(".") + 1
        if a[:dot] == b[:dot] and (a[dot:], b[dot:]) in pairs:
            continue
        if not _one_slash31(a, b) and not _one_subnet(a, b):
            la, lb = link.a, link.b
            where = f"{la.device} {la.interface} - {lb.device} {lb.interface}"
            yield p2p_subnet.finding(link.origin, f"{where}: {a} and {b} are not the two ends of one /31")


_SLASH31_LAST_OCTETS = {(f"{x}/31", f"{x ^ 1}/31") for x in range(256)}
"""Last octet + '/31' of two addresses that are the ends of one /31 when everything before it is equal (both
canonical, differing in the lowest bit): `_one_slash31`'s answer for what allocation writes, as a set lookup."""


def _addresses(nics: list[Nic | None], ifaces: list[Interface | None]) -> list[str | None]:
    """The address (with length) at one end of every link: a GPU NIC port is the host end of its /31 (or /30)
    with its leaf, a switch port its ipv4, None when unnumbered or missing."""
    return [
        nic.address + nic.subnet[nic.subnet.rfind("/") :]
        if nic is not None
        else (iface.ipv4 if iface is not None else None)
        for nic, iface in zip(nics, ifaces, strict=True)
    ]


def _one_slash31(a: str, b: str) -> bool:
    """True when `a` and `b` are the two ends of one /31 and differ only in the last octet; False means
    "not shown this way" (the general check decides)."""
    if not (a.endswith("/31") and b.endswith("/31")):
        return False
    dot, dot_b = a.rfind("."), b.rfind(".")
    if dot != dot_b:
        if dot > 0 or dot_b > 0:  # the parts before the last dot differ (both empty only at index -1 or 0)
            return False
    elif dot > 0 and a[:dot] != b[:dot]:
        return False
    octet_a, octet_b = a[dot + 1 : -3], b[dot_b + 1 : -3]
    x, y = CANONICAL_OCTETS.get(octet_a), CANONICAL_OCTETS.get(octet_b)
    if x is None or y is None:  # leading zeros or not a number: the slow spelling of the same test
        if not (octet_a.isdigit() and octet_b.isdigit() and octet_a.isascii() and octet_b.isascii()):
            return False
        x, y = int(octet_a), int(octet_b)
        if x > 255 or y > 255:
            return False
    return x != y and x >> 1 == y >> 1


def _one_subnet(a: str, b: str) -> bool:
    """Both ends of one /31 or /30 (any representation): the general check."""
    (int_a, len_a), (int_b, len_b) = split_interface(a), split_interface(b)
    mask = (0xFFFFFFFF << (32 - len_a)) & 0xFFFFFFFF
    return len_a == len_b and len_a in (30, 31) and int_a & mask == int_b & mask and int_a != int_b


@rule("mgmt-address", "error", "every device has an out-of-band management address in its pool")
def mgmt_address(network: Network) -> Iterator[Finding]:
    for device in network.devices:
        if not device.mgmt_ipv4:
            yield mgmt_address.finding(device.origin, f"{device.name} has no management address", device=device.name)
            continue
        # the common case without ipaddress objects (netweave diff lints two revisions per run); the
        # messages below use them
        ip, length = split_interface(device.mgmt_ipv4)
        host_bits = 32 - length
        host = ip & ((1 << host_bits) - 1)
        if ip >> host_bits == aton(device.mgmt_gateway) >> host_bits and host not in (0, (1 << host_bits) - 1):
            continue
        iface = ipaddress.ip_interface(device.mgmt_ipv4)
        if ipaddress.ip_address(device.mgmt_gateway) not in iface.network:
            yield mgmt_address.finding(
                device.origin,
                f"{device.name}: gateway {device.mgmt_gateway} is not in {iface.network}",
                device=device.name,
            )
        elif iface.ip in (iface.network.network_address, iface.network.broadcast_address):
            yield mgmt_address.finding(
                device.origin,
                f"{device.name}: {iface} is not a usable host address",
                "enlarge addressing.management.prefix",
                device.name,
            )
