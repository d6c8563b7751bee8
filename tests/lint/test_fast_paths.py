"""The 100k-GPU fast paths of the address rules give the answers of the general definitions they replace.

p2p-subnet checks a /31 on the strings with a table of canonical octets, link-mismatch and p2p-subnet read GPU
NIC ends from the network's shared NIC index, and policy-unowned-prefix parses each pool once: each test below
holds one of them to the plain definition (ipaddress, `PoolPrefix.covers`), including the spellings the fast
path does not take (leading zeros, no dot), and to the findings on a broken server link.
"""

from __future__ import annotations

import dataclasses
import ipaddress
import itertools
import random

import pytest

from netweave.lint.addressing import _one_slash31, _one_subnet, mgmt_address
from netweave.lint.policy import _coverage
from netweave.network.model import Endpoint, Interface, Link, Network
from netweave.network.policy import PoolPrefix, _subnet
from tests.designs import ai_design, build, findings
from tests.support.devices import bare_device


def _ends_of_one_slash31(a: str, b: str) -> bool:
    """The definition: two different addresses of one /31 (ipaddress; leading zeros are not an address)."""
    try:
        ia, ib = ipaddress.ip_interface(a), ipaddress.ip_interface(b)
    except ValueError:
        return False
    return ia.network == ib.network and ia.network.prefixlen == 31 and ia.ip != ib.ip


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("10.0.0.0/31", "10.0.0.1/31"),
        ("10.0.0.1/31", "10.0.0.0/31"),
        ("10.0.0.2/31", "10.0.0.1/31"),  # adjacent, not one /31
        ("10.0.0.1/31", "10.0.0.1/31"),  # the same address twice
        ("10.0.1.0/31", "10.0.0.1/31"),  # differ before the last octet
        ("10.0.0.254/31", "10.0.0.255/31"),
        ("10.0.0.0/30", "10.0.0.1/30"),  # /30: the general check decides
        ("10.0.0.0/31", "10.0.0.1/30"),
    ],
)
def test_one_slash31_or_the_general_check_agrees_with_ipaddress(a: str, b: str) -> None:
    fast = _one_slash31(a, b) or _one_subnet(a, b)
    if a.endswith("/30") and b.endswith("/30"):
        assert fast == (ipaddress.ip_interface(a).network == ipaddress.ip_interface(b).network and a != b)
    else:
        assert fast == _ends_of_one_slash31(a, b)


def test_spellings_outside_the_octet_table_take_the_old_string_test() -> None:
    """Leading zeros still compare by value, out-of-range octets and non-numbers are not ends of one /31, and
    without any dot both "networks" are empty (what `rpartition` gave the original test)."""
    assert _one_slash31("10.0.0.006/31", "10.0.0.7/31")
    assert not _one_slash31("10.0.0.256/31", "10.0.0.257/31")
    assert not _one_slash31("10.0.0.x/31", "10.0.0.1/31")
    assert _one_slash31("4/31", "5/31") and _one_slash31("255/31", ".254/31")
    assert not _one_slash31("1.4/31", "5/31")


def test_coverage_agrees_with_pool_prefix_covers() -> None:
    owned = [
        PoolPrefix("loopbacks", "10.0.0.0/16", 32),
        PoolPrefix("gpu", "10.200.0.0/15", 31),
        PoolPrefix("dci-summaries", "172.16.0.0/12", 12),
        PoolPrefix("dci-summaries", "0.0.0.0/0", 0),
    ]
    covered = _coverage(owned)
    addresses = ["10.0.0.1", "10.0.255.255", "10.1.0.0", "10.200.3.4", "10.201.255.254", "10.202.0.0", "172.16.0.0"]
    for address, length in itertools.product(addresses, [0, 12, 16, 30, 31, 32]):
        prefix = f"{address}/{length}"
        assert covered(prefix) == any(pool.covers(prefix) for pool in owned), prefix
    assert not _coverage([])("10.0.0.1/32")


def test_a_server_link_whose_leaf_port_runs_another_speed_or_mtu_is_reported_once_each() -> None:
    """link-mismatch reads the NIC end from the shared index: the NIC's speed, its leaf port's MTU."""
    network = build(ai_design())
    leaf = next(d for d in network.devices if d.role == "leaf")
    index, port = next((i, x) for i, x in enumerate(leaf.interfaces) if x.kind == "server")
    leaf.interfaces[index] = dataclasses.replace(port, speed=port.speed // 2)
    found = findings(network, "link-mismatch")
    assert len(found) == 1 and f"speed {port.speed}G vs {port.speed // 2}G" in found[0].message
    assert f"{leaf.name} {port.name}" in found[0].message


def test_a_server_link_with_a_missing_nic_end_is_reported() -> None:
    network = build(ai_design())
    server = network.servers[0]
    server.nics[0] = dataclasses.replace(server.nics[0], name="renamed")
    assert any("an end has no interface" in f.message for f in findings(network, "link-mismatch"))
    assert any("one end numbered, the other unnumbered" in f.message for f in findings(network, "p2p-subnet"))


@pytest.mark.parametrize("source", ["loopback", "management", "interface", "nic"])
def test_the_duplicate_precheck_sees_every_kind_of_address(source: str) -> None:
    """ip-duplicate names owners only after a flat set finds a repeat: each kind of address must be in it."""
    network = build(ai_design())
    leaf, spine = (next(d for d in network.devices if d.role == role) for role in ("leaf", "spine"))
    iface = next(i for i in spine.interfaces if i.ipv4)
    if source == "loopback":
        spine.loopback = leaf.loopback
    elif source == "management":
        spine.mgmt_ipv4 = leaf.mgmt_ipv4
    elif source == "interface":
        iface.ipv4 = f"{leaf.loopback}/31"
    else:
        network.servers[0].nics[0].address = leaf.loopback
    (finding,) = findings(network, "ip-duplicate")
    assert finding.message.startswith(leaf.mgmt_ipv4.split("/")[0] if source == "management" else leaf.loopback)


def test_subnet_fast_path_agrees_with_ipaddress_and_normalises_other_spellings() -> None:
    """`originated` names each server subnet by `_subnet`: an address that is already its canonical subnet is
    returned as written, everything else is computed (and leading zeros normalised, as before)."""
    rng = random.Random(19)
    for _ in range(20000):
        value, length = rng.getrandbits(32), rng.choice([0, 8, 16, 23, 24, 25, 29, 30, 31, 32])
        if rng.random() < 0.5:  # half of them with the host bits already clear (the fast path)
            value &= (0xFFFFFFFF << (32 - length)) & 0xFFFFFFFF
        address = f"{ipaddress.IPv4Address(value)}/{length}"
        assert _subnet(address) == str(ipaddress.ip_interface(address).network), address
    assert _subnet("010.1.2.4/31") == "10.1.2.4/31"
    assert _subnet("10.1.2.04/31") == "10.1.2.4/31"
    assert _subnet("10.1.2.5/031") == "10.1.2.4/031"
    with pytest.raises(ValueError):
        _subnet("10.1.2.3.4/31")


def test_a_nic_end_wins_over_a_switch_port_of_the_same_name() -> None:
    """Both rules resolved a link end to the GPU NIC first (link-mismatch's old index let NICs override switch
    ports): a switch that shares a server's name and a NIC's interface name does not change the answer."""
    network = build(ai_design())
    server, nic = network.servers[0], network.servers[0].nics[0]
    spine = next(d for d in network.devices if d.role == "spine")
    port = Interface(name=nic.name, port=99, speed=nic.speed * 2, mtu=1234, ipv4="192.0.2.7/31")
    network.devices.append(dataclasses.replace(spine, name=server.name, interfaces=[port]))
    assert findings(network, "link-mismatch") == []
    assert findings(network, "p2p-subnet") == []


def test_the_rule_s_inline_slash31_test_agrees_with_the_general_one() -> None:
    """p2p-subnet accepts the usual /31 (equal up to the last dot, last octets x and x^1) without calling
    `_one_slash31`; on any pair of spellings the rule must flag exactly what those two functions reject."""
    rng = random.Random(1931)
    octets = ["0", "1", "2", "3", "254", "255", "06", "7", "x", ""]
    spellings = []
    for _ in range(8000):
        head = rng.choice(["10.0.0", "10.0.1", "10.00.0", "", "1.2", "10.0.0.0"])
        a = f"{head}.{rng.choice(octets)}" if head else rng.choice(octets)
        b = f"{rng.choice([head, '10.0.0', '10.0.1'])}.{rng.choice(octets)}" if rng.random() < 0.9 else "5"
        pair = (f"{a}/{rng.choice(['31', '31', '30', '031'])}", f"{b}/{rng.choice(['31', '31', '30'])}")
        if rng.random() < 0.2:  # what allocation writes: the fast path's own case
            x = rng.randrange(256)
            pair = (f"10.{x}.7.{x}/31", f"10.{x}.7.{x ^ 1}/31")
        if _valid(*pair) is not None:
            spellings.append(pair)
    left = Interface(name="x", port=1, speed=400, mtu=9000)
    devices = []
    links = []
    for n, (a, b) in enumerate(spellings):
        for side, address in (("a", a), ("b", b)):
            devices.append(bare_device(f"{side}{n}", slot=n, interfaces=[dataclasses.replace(left, ipv4=address)]))
        links.append(
            Link(
                a=Endpoint(device=f"a{n}", interface="x"),
                b=Endpoint(device=f"b{n}", interface="x"),
                speed=400,
                mtu=9000,
            )
        )
    flagged = {f.message.split(":")[0] for f in findings(Network(name="n", devices=devices, links=links), "p2p-subnet")}
    accepted = sum(bool(_valid(a, b)) for a, b in spellings)
    assert len(spellings) > 2000 and 500 < accepted < len(spellings) - 500  # both answers, many times
    for n, (a, b) in enumerate(spellings):
        assert (f"a{n} x - b{n} x" in flagged) == (not _valid(a, b)), (a, b)


def _valid(a: str, b: str) -> bool | None:
    """The definition p2p-subnet applies; None when it cannot parse the pair (the rule raises there, before and
    after its fast path, so such pairs are left out)."""
    try:
        return _one_slash31(a, b) or _one_subnet(a, b)
    except ValueError:
        return None


def test_lint_of_a_network_without_dci_links_builds_no_interface_by_end_index() -> None:
    """optical-mode-mismatch reads the (device, interface) index only for DCI links; the link rules resolve ends
    through their shared table. A back-end has none: its million-entry index (0.1 s at 100k GPUs) is not built."""
    network = build(ai_design())
    assert findings(network, "optical-mode-mismatch") == []
    from netweave.lint import lint

    lint(network)
    assert "interface_by_end" not in vars(network)


def test_coverage_kept_per_first_three_octets_agrees_with_pool_prefix_covers() -> None:
    """Server pools (all /24 or shorter) answer by the "a.b.c" text: every address of a /24 gets the answer
    covers() gives it, whichever address of that /24 was asked first, and spellings aton reads differently (a
    leading zero in the last octet) or cannot read take the full test."""
    owned = [PoolPrefix("gpu", "10.200.0.0/15", 31), PoolPrefix("gpu", "10.203.4.0/24", 31)]
    covered = _coverage(owned)
    rng = random.Random(24)
    heads = ["10.200.0", "10.201.255", "10.202.0", "10.203.4", "10.203.5", "010.200.1", "9.200.0"]
    for _ in range(5000):
        prefix = f"{rng.choice(heads)}.{rng.choice(['0', '1', '128', '254', '255', '007'])}/31"
        assert covered(prefix) == any(pool.covers(prefix) for pool in owned), prefix
    with pytest.raises(ValueError):
        covered("10.200.x.0/31")
    with pytest.raises(ValueError):  # a head that aton cannot read fails each time, not only the first
        covered("10.200.0.9.1/31")
    with pytest.raises(ValueError):
        covered("10.200.0.9.2/31")


def test_mgmt_fast_path_agrees_with_ipaddress() -> None:
    rng = random.Random(8)
    devices = []
    for n in range(5_000):
        length = rng.choice([8, 16, 24, 29, 30, 31, 32])
        address = ipaddress.IPv4Address(rng.randrange(0, 2**32))
        gateway = ipaddress.IPv4Address(int(address) ^ rng.choice([0, 1, 2, 255, 1 << 12, 1 << 20]))
        devices.append(
            bare_device(
                f"d{n}", loopback="10.0.0.1", mgmt_ipv4=f"{address}/{length}", mgmt_gateway=str(gateway), slot=n
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
