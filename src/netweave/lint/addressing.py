"""Addressing rules: no duplicate IPs, no overlapping pools, pools big enough, /31 ends match."""

from __future__ import annotations

import ipaddress
import socket
from collections import defaultdict
from collections.abc import Iterator

from netweave.lint import Finding, rule
from netweave.network import Network


@rule("ip-duplicate", "error", "no address is assigned twice (loopback, link or management)")
def ip_duplicate(network: Network) -> Iterator[Finding]:
    owners: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for device in network.devices:
        owners[device.loopback].append((device.name, "loopback", device.origin))
        owners[device.mgmt_ipv4.split("/")[0]].append((device.name, "management", device.origin))
        for iface in device.interfaces:
            if iface.ipv4:
                owners[iface.ipv4.split("/")[0]].append((device.name, iface.name, device.origin))
    for address, users in owners.items():
        if len(users) > 1:
            who = ", ".join(f"{name} {what}" for name, what, _ in users[:6])
            more = f" and {len(users) - 6} more" if len(users) > 6 else ""
            yield ip_duplicate.finding(users[0][2], f"{address} is assigned to {who}{more}",
                                       "give each fabric its own pools (check addressing.*)")


@rule("pool-overlap", "error", "address pools of different purposes or fabrics do not overlap")
def pool_overlap(network: Network) -> Iterator[Finding]:
    pools = sorted(((ipaddress.ip_network(p.prefix), p) for p in network.pools),
                   key=lambda item: (int(item[0].network_address), -item[0].prefixlen))
    for index, (net, pool) in enumerate(pools):
        for other_net, other in pools[index + 1:]:
            if int(other_net.network_address) > int(net.broadcast_address):
                break
            if net.overlaps(other_net):
                yield pool_overlap.finding(other.origin, f"{other.name} {other.prefix} overlaps "
                                           f"{pool.name} {pool.prefix}", "use disjoint prefixes")


@rule("pool-exhausted", "error", "every pool holds the addresses its fabric's slots need")
def pool_exhausted(network: Network) -> Iterator[Finding]:
    for pool in network.pools:
        if pool.needed > pool.size:
            bits = max(0, (pool.needed - 1).bit_length())
            yield pool_exhausted.finding(
                pool.origin, f"{pool.name} {pool.prefix} has {pool.size} addresses but needs {pool.needed} "
                f"({pool.used} assigned; stable slots reserve room for the fabric's capacity)",
                f"use at least a /{32 - bits} or lower capacity.*")


@rule("p2p-subnet", "error", "both ends of a link share one /31, or both are unnumbered")
def p2p_subnet(network: Network) -> Iterator[Finding]:
    address: dict[tuple[str, str], str | None] = {}
    for device in network.devices:
        for iface in device.interfaces:
            address[(device.name, iface.name)] = iface.ipv4
    for link in network.links:
        a = address.get((link.a.device, link.a.interface))
        b = address.get((link.b.device, link.b.interface))
        where = f"{link.a.device} {link.a.interface} - {link.b.device} {link.b.interface}"
        if (a is None) != (b is None):
            yield p2p_subnet.finding(link.origin, f"{where}: one end numbered, the other unnumbered")
        elif a and b and not _one_p2p_subnet(a, b):
            yield p2p_subnet.finding(link.origin, f"{where}: {a} and {b} are not the two ends of one /31")


@rule("mgmt-address", "error", "every device has an out-of-band management address in its pool")
def mgmt_address(network: Network) -> Iterator[Finding]:
    for device in network.devices:
        if not device.mgmt_ipv4:
            yield mgmt_address.finding(device.origin, f"{device.name} has no management address",
                                       device=device.name)
            continue
        address, gateway = _v4(device.mgmt_ipv4), _v4(device.mgmt_gateway)
        if address is not None and gateway is not None and gateway[1] == 32:
            ip, host_bits = address[0], 32 - address[1]
            host = ip & ((1 << host_bits) - 1)
            if ip >> host_bits == gateway[0] >> host_bits and host not in (0, (1 << host_bits) - 1):
                continue  # the common case, decided without ipaddress objects; messages below use them
        iface = ipaddress.ip_interface(device.mgmt_ipv4)
        if ipaddress.ip_address(device.mgmt_gateway) not in iface.network:
            yield mgmt_address.finding(device.origin, f"{device.name}: gateway {device.mgmt_gateway} is not in "
                                       f"{iface.network}", device=device.name)
        elif iface.ip in (iface.network.network_address, iface.network.broadcast_address):
            yield mgmt_address.finding(device.origin, f"{device.name}: {iface} is not a usable host address",
                                       "enlarge addressing.management.prefix", device.name)


def _one_p2p_subnet(a: str, b: str) -> bool:
    """Whether `a` and `b` (address/length) are two different ends of one /31 (or /30)."""
    address_a, _, length_a = a.partition("/")
    address_b, _, length_b = b.partition("/")
    if length_a == length_b and length_a in ("30", "31") and address_a != address_b:
        # the common case by string: a /30 or /31 never spans two values of the last octet's prefix
        net_a, _, last_a = address_a.rpartition(".")
        net_b, _, last_b = address_b.rpartition(".")
        if net_a == net_b and net_a.count(".") == 2 and last_a.isdigit() and last_b.isdigit() \
                and int(last_a) < 256 and int(last_b) < 256 and int(last_a) >> (32 - int(length_a)) == \
                int(last_b) >> (32 - int(length_a)):
            return True
    fast_a, fast_b = _v4(a), _v4(b)
    if fast_a is not None and fast_b is not None:
        (ip_a, len_a), (ip_b, len_b) = fast_a, fast_b
        return len_a == len_b and len_a in (30, 31) and ip_a >> (32 - len_a) == ip_b >> (32 - len_b) and a != b
    net_a, net_b = ipaddress.ip_interface(a).network, ipaddress.ip_interface(b).network
    return net_a == net_b and net_a.prefixlen in (30, 31) and a != b


def _v4(text: str) -> tuple[int, int] | None:
    """(address as int, prefix length) of a dotted-quad IPv4 `a.b.c.d[/len]`, else None.

    `netweave diff` lints two revisions per run; building ipaddress objects for every interface made these
    two rules most of the lint time on 1,000-switch designs. Anything unusual falls back to ipaddress.
    """
    address, slash, length = text.partition("/")
    if address.count(".") != 3 or (slash and not length.isdigit()):
        return None
    try:
        packed = socket.inet_aton(address)
    except OSError:
        return None
    prefix = int(length) if slash else 32
    return (int.from_bytes(packed, "big"), prefix) if prefix <= 32 else None
