"""`AddressPool.pair` writes the upper end of a /31 by swapping the lower end's last octet; it must give what
formatting the upper address in full gives, also where the upper end carries into the next octet."""

from __future__ import annotations

import ipaddress

from netweave.network.allocate import AddressPool, ntoa


def _pool(prefix: str) -> AddressPool:
    return AddressPool("p", "p2p", ipaddress.IPv4Network(prefix), "x")


def test_pair_is_both_ends_of_the_index_th_slash31() -> None:
    pool = _pool("10.1.0.0/16")
    for index in (0, 1, 127, 128, 255, 32767):
        low = int(ipaddress.IPv4Address("10.1.0.0")) + 2 * index
        assert pool.pair(index) == (ntoa(low), ntoa(low + 1), f"{ntoa(low)}/31")
    assert pool.pair(127) == ("10.1.0.254", "10.1.0.255", "10.1.0.254/31")


def test_pair_carries_when_the_pool_starts_on_an_odd_address() -> None:
    # a /32 pool starts wherever its address is; its "pairs" straddle octets (lint reports the exhausted pool)
    pool = _pool("10.1.0.255/32")
    assert pool.pair(0) == ("10.1.0.255", "10.1.1.0", "10.1.0.255/31")
    assert _pool("10.1.255.255/32").pair(0) == ("10.1.255.255", "10.2.0.0", "10.1.255.255/31")


def test_pair_past_the_end_of_the_address_space_wraps_like_ntoa() -> None:
    pool = _pool("255.255.255.254/31")
    assert pool.pair(1) == ("0.0.0.0", "0.0.0.1", "0.0.0.0/31")


def test_pair_records_two_addresses_used_and_the_highest_offset() -> None:
    pool = _pool("10.1.0.0/24")
    pool.pair(3)
    pool.pair(1)
    usage = pool.usage()
    assert (usage.used, usage.needed) == (4, 8)  # two /31s = four addresses; offset 7 is the highest
