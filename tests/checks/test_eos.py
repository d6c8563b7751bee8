"""EOS checker: hier_config parse, expected sections and structural sanity."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from tests.support.checks.eos import check_eos

EXPECTED: list[str | tuple[str, ...]] = [
    "hostname leaf1",
    "interface Ethernet49/1",
    "interface Ethernet50/1",
    "router bgp 4200000011",
    "vrf instance MGMT",
    ("router bgp 4200000011", "address-family evpn"),
    ("interface Management1", "vrf MGMT"),
]


def test_reference_sample_passes(sample: Callable[[str], str]) -> None:
    assert check_eos(sample("eos.cfg"), EXPECTED) == []


@pytest.mark.parametrize(
    ("old", "new", "fragment"),
    [
        ("   mtu 9214\n   speed", "   mtu 9216\n   speed", "mtu 9216 outside EOS range"),
        ("interface Ethernet50/1", "interface Ethernet49/1", "duplicate 'interface Ethernet49/1'"),
        ("   router-id 10.0.0.11", "  router-id 10.0.0.11", "not a multiple of 3"),
        ("service routing protocols model multi-agent\n", "", "multi-agent"),
        ("route-target both 65100:10100", "route-target both 65100", "invalid route target"),
        ("vrf instance MGMT\n", "", "missing section 'vrf instance MGMT'"),
        ("hostname leaf1\n", "", "no 'hostname' line"),
        ("interface Loopback0", "interface Lo0", "unknown EOS interface name"),
        ("\nip routing\n", "\n", "without 'ip routing'"),
    ],
)
def test_broken_variants_fail(sample: Callable[[str], str], old: str, new: str, fragment: str) -> None:
    text = sample("eos.cfg")
    assert old in text
    problems = check_eos(text.replace(old, new, 1), EXPECTED)
    assert any(fragment in p.message for p in problems), problems


def test_duplicate_is_reported_once_with_both_lines(sample: Callable[[str], str]) -> None:
    problems = check_eos(sample("eos.cfg").replace("interface Ethernet50/1", "interface Ethernet49/1", 1))
    dups = [p for p in problems if p.message.startswith("duplicate")]
    assert len(dups) == 1 and "(first at line" in dups[0].message


def test_indent_jump_and_tabs() -> None:
    problems = check_eos("hostname x\ninterface Ethernet1\n      mtu 9000\n\tshutdown\n")
    assert {p.where for p in problems} >= {"3", "4"}


def test_garbage_does_not_raise() -> None:
    assert check_eos("\x00\t\t {{{\n   }}}\n", ["hostname x"])
