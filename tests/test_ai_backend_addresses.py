"""ai-backend formats a node's GPU subnets from its first address, changing only the last octet
(`gpu_subnets`); every address must be what formatting it in full gives, also for a block that crosses an octet."""

from __future__ import annotations

import ipaddress

import pytest

from netweave.modules.ai_backend.build import gpu_subnets
from netweave.network.allocate import ntoa


def _definition(first: int, count: int, length: int) -> list[tuple[str, str, str]]:
    size = 2 if length == 31 else 4
    out = []
    for k in range(count):
        net = ipaddress.IPv4Network(((first + size * k) & 0xFFFFFFFF, length))
        if length == 31:
            out.append((str(net[0]), str(net[1]), str(net)))
        else:
            out.append((str(net[1]), str(net[2]), str(net)))
    return out


@pytest.mark.parametrize("length", [31, 30])
@pytest.mark.parametrize(
    "first",
    [
        int(ipaddress.IPv4Address("10.200.0.0")),
        int(ipaddress.IPv4Address("10.200.0.240")),  # the last block that fits in the octet (16 addresses)
        int(ipaddress.IPv4Address("10.200.0.248")),  # crosses into 10.200.1.x
        int(ipaddress.IPv4Address("10.200.255.248")),  # crosses two octets
        int(ipaddress.IPv4Address("255.255.255.248")),  # wraps past the end of the address space, as ntoa does
    ],
)
def test_gpu_subnets_are_the_subnets_formatted_in_full(first: int, length: int) -> None:
    assert gpu_subnets(first, 8, length) == _definition(first, 8, length)
    assert gpu_subnets(first, 1, length) == _definition(first, 1, length)
    assert gpu_subnets(first, 0, length) == []


def test_a_block_within_one_octet_changes_only_the_last_octet() -> None:
    first = int(ipaddress.IPv4Address("10.201.7.16"))
    assert gpu_subnets(first, 2, 31) == [
        ("10.201.7.16", "10.201.7.17", "10.201.7.16/31"),
        ("10.201.7.18", "10.201.7.19", "10.201.7.18/31"),
    ]
    assert gpu_subnets(first, 1, 30) == [("10.201.7.17", "10.201.7.18", f"{ntoa(first)}/30")]
