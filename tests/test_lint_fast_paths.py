"""mgmt-address decides the common case without ipaddress objects (netweave diff lints two revisions per
run); this property test holds the fast path to ipaddress's answers."""

from __future__ import annotations

import ipaddress
import random

from netweave.lint.addressing import mgmt_address
from netweave.network.model import Device, Network


def test_mgmt_fast_path_agrees_with_ipaddress() -> None:
    rng = random.Random(8)
    devices = []
    for n in range(5_000):
        length = rng.choice([8, 16, 24, 29, 30, 31, 32])
        address = ipaddress.IPv4Address(rng.randrange(0, 2**32))
        gateway = ipaddress.IPv4Address(int(address) ^ rng.choice([0, 1, 2, 255, 1 << 12, 1 << 20]))
        devices.append(
            Device(
                name=f"d{n}",
                role="leaf",
                site="s",
                fabric="f",
                platform="p",
                vendor="v",
                model="m",
                nos="frr",
                asn=65000,
                loopback="10.0.0.1",
                mgmt_ipv4=f"{address}/{length}",
                mgmt_gateway=str(gateway),
                mgmt_interface="eth0",
                slot=n,
                origin="x",
            )
        )
    flagged = {f.device for f in mgmt_address.check(Network(name="n", devices=devices))}
    for device in devices:
        iface = ipaddress.ip_interface(device.mgmt_ipv4)
        bad = ipaddress.ip_address(device.mgmt_gateway) not in iface.network or iface.ip in (
            iface.network.network_address,
            iface.network.broadcast_address,
        )
        assert (device.name in flagged) == bad, device.mgmt_ipv4


def test_p2p_fast_path_agrees_with_ipaddress() -> None:
    """p2p-subnet checks a /31 differing in the last octet on the strings; its answer must be ipaddress's."""
    from netweave.lint.addressing import _one_slash31, _one_subnet

    rng = random.Random(31)
    for _ in range(20_000):
        base = rng.randrange(0, 2**32)
        length = rng.choice([30, 31, 31, 31, 29])
        other = base ^ rng.choice([0, 1, 2, 3, 256, 1 << 16])
        a = f"{ipaddress.IPv4Address(base)}/{length}"
        b = f"{ipaddress.IPv4Address(other)}/{rng.choice([length, length, 30, 31])}"
        net_a = ipaddress.IPv4Interface(a).network
        net_b = ipaddress.IPv4Interface(b).network
        expected = net_a == net_b and net_a.prefixlen in (30, 31) and base != other
        assert (_one_slash31(a, b) or _one_subnet(a, b)) == expected, (a, b)
        if _one_slash31(a, b):
            assert net_a.prefixlen == 31 and expected, (a, b)
