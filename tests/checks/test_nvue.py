"""NVUE checker: startup.yaml structure and the object model netweave renders."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from tests.support.checks.nvue import check_nvue, load_nvue_yaml


def test_reference_sample_passes(sample: Callable[[str], str]) -> None:
    assert check_nvue(sample("nvue.yaml")) == []


def test_parsed_object_is_accepted(sample: Callable[[str], str]) -> None:
    assert check_nvue(load_nvue_yaml(sample("nvue.yaml"))) == []


def test_yaml12_scalars() -> None:
    data = load_nvue_yaml("a: on\nb: 65100:10\nc: true\nd: 9216\ne: 00:00:00:00:00:10\n")
    assert data == {"a": "on", "b": "65100:10", "c": True, "d": 9216, "e": "00:00:00:00:00:10"}


@pytest.mark.parametrize(
    ("old", "new", "where", "fragment"),
    [
        ("mtu: 9216", "mtu: 9300", "/set/interface/swp1/link/mtu", "outside 552..9216"),
        ("hostname: leaf1", "hostnam: leaf1", "/set/system/hostnam", "unknown key"),
        ("multipaths:", "multipath:", None, "unknown key 'multipath'"),
        ("65100:10001: {}", "65100: {}", None, "not a route target"),
        ("address: 10.0.0.11", "address: 10.0.0.300", "/set/nve/vxlan/source/address", "not an IPv4"),
        ("mode: lossless", "mode: lossles", "/set/qos/roce/mode", "not one of"),
        ("vrf: blue", "vrf: red", "/set/interface/vlan100/ip/vrf", "not defined"),
        ("- header:", "- heder:", None, "unknown document"),
        (
            "      enable: on\n      vni:\n        '10100'",
            "      enable: off\n      vni:\n        '10100'",
            None,
            "EVPN",
        ),
        ("speed: 100G", "speed: 100g", None, "not one of"),
        (
            "peer-group: spines\n                description: spine2",
            "peer-group: spine\n                description: spine2",
            None,
            "not defined in this VRF",
        ),
        (
            "      vrr:\n        enable: on\n",
            "      vrr:\n        enable: off\n",
            "/set/router/vrr/enable",
            "router vrr",
        ),
    ],
)
def test_broken_variants_fail(
    sample: Callable[[str], str], old: str, new: str, where: str | None, fragment: str
) -> None:
    text = sample("nvue.yaml")
    assert old in text
    problems = check_nvue(text.replace(old, new, 1))
    assert any(fragment in p.message and (where is None or p.where == where) for p in problems), problems


def test_missing_hostname(sample: Callable[[str], str]) -> None:
    problems = check_nvue(sample("nvue.yaml").replace("    system:\n      hostname: leaf1\n", ""))
    assert [p.message for p in problems] == ["missing hostname"]


@pytest.mark.parametrize("bad", ["", "a: [", "- set: 5", "{}", "- header: {}", "- set:\n    interface: [1]"])
def test_garbage_does_not_raise(bad: str) -> None:
    assert check_nvue(bad)
