"""The address lint rules decide the common case without ipaddress objects (netweave diff lints two
revisions per run); these property tests hold the fast paths to ipaddress's answers."""

from __future__ import annotations

import ipaddress
import random

from netweave.lint.addressing import _one_p2p_subnet, mgmt_address
from netweave.network import Device, Network


def test_p2p_fast_path_agrees_with_ipaddress() -> None:
    rng = random.Random(7)
    for _ in range(20_000):
        base = rng.randrange(0, 2**32)
        len_a = rng.choice([29, 30, 31, 32])
        len_b = rng.choice([len_a, len_a, rng.choice([29, 30, 31, 32])])
        a = f"{ipaddress.IPv4Address(base)}/{len_a}"
        b = f"{ipaddress.IPv4Address(base ^ rng.randrange(0, 8))}/{len_b}"
        net_a, net_b = ipaddress.ip_interface(a).network, ipaddress.ip_interface(b).network
        assert _one_p2p_subnet(a, b) == (net_a == net_b and net_a.prefixlen in (30, 31) and a != b), (a, b)


def test_mgmt_fast_path_agrees_with_ipaddress() -> None:
    rng = random.Random(8)
    devices = []
    for n in range(5_000):
        length = rng.choice([8, 16, 24, 29, 30, 31, 32])
        address = ipaddress.IPv4Address(rng.randrange(0, 2**32))
        gateway = ipaddress.IPv4Address(int(address) ^ rng.choice([0, 1, 2, 255, 1 << 12, 1 << 20]))
        devices.append(Device(name=f"d{n}", role="leaf", site="s", fabric="f", platform="p", vendor="v", model="m",
                              nos="frr", asn=65000, loopback="10.0.0.1", mgmt_ipv4=f"{address}/{length}",
                              mgmt_gateway=str(gateway), mgmt_interface="eth0", slot=n, origin="x"))
    flagged = {f.device for f in mgmt_address.check(Network(name="n", devices=devices))}
    for device in devices:
        iface = ipaddress.ip_interface(device.mgmt_ipv4)
        bad = (ipaddress.ip_address(device.mgmt_gateway) not in iface.network
               or iface.ip in (iface.network.network_address, iface.network.broadcast_address))
        assert (device.name in flagged) == bad, device.mgmt_ipv4
