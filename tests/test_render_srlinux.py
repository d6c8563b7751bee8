"""SR Linux rendering: every rendered JSON tree validates with yanglint against Nokia's published models
(feature set of the rendered platform), and carries the designed addressing and sessions."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable
from typing import Any

import pytest

import netweave
from netweave.render import render
from tests.conftest import LAB_DESIGN, fabric, require
from tests.support.checks import CheckerUnavailable
from tests.support.checks.srlinux import check_srlinux_many


def _check_all(network: netweave.Network) -> dict[str, list[Any]]:
    by_platform: dict[str, dict[str, str]] = defaultdict(dict)
    for config in render(network):
        if config.nos != "srlinux":
            continue
        chassis = network.platforms[network.device_by_name[config.device].platform].srlinux_chassis
        assert chassis, f"{config.device}: platform without srlinux_chassis"
        by_platform[chassis].update(config.files)
    problems: dict[str, list[Any]] = {}
    for chassis, files in by_platform.items():
        try:
            problems.update(check_srlinux_many(files, chassis))
        except CheckerUnavailable as exc:
            require(False, str(exc))
    return problems


@pytest.mark.real
def test_lab_srlinux_configs_pass_yanglint() -> None:
    problems = _check_all(netweave.expand(netweave.load(LAB_DESIGN)))
    assert len(problems) == 4
    assert all(found == [] for found in problems.values()), problems


@pytest.mark.real
def test_yanglint_rejects_a_broken_rendering() -> None:
    network = netweave.expand(netweave.load(LAB_DESIGN))
    network.device_by_name["spine1"].interfaces[0].mtu = 99999
    problems = _check_all(network)
    assert problems["spine1.srlinux.json"], "an out-of-range MTU must be caught"
    assert "uint16" in problems["spine1.srlinux.json"][0].message


@pytest.mark.real
def test_other_srlinux_platforms_pass(lab_data: dict, write_design: Callable) -> None:
    fabric(lab_data)["spines"].update(platform="nokia-7220-ixr-h4", count=2)
    fabric(lab_data)["leaves"]["overrides"] = {}
    fabric(lab_data)["leaves"].update(platform="nokia-7220-ixr-d2l", nos="srlinux")
    network = netweave.expand(netweave.load(write_design(lab_data)))
    problems = _check_all(network)
    assert len(problems) == 6 and all(found == [] for found in problems.values()), problems


def test_srlinux_tree_content() -> None:
    network = netweave.expand(netweave.load(LAB_DESIGN))
    config = render(network, only=["leaf3"])[0]
    tree = json.loads(config.files["leaf3.srlinux.json"])
    assert tree["srl_nokia-system:system"]["srl_nokia-system-name:name"]["host-name"] == "leaf3"
    interfaces = {i["name"]: i for i in tree["srl_nokia-interfaces:interface"]}
    assert set(interfaces) == {"mgmt0", "ethernet-1/49", "ethernet-1/50", "system0"}
    uplink = interfaces["ethernet-1/49"]
    assert uplink["subinterface"][0]["ipv4"]["address"][0]["ip-prefix"] == "10.1.0.65/31"
    assert uplink["mtu"] == 9216 and uplink["ethernet"]["port-speed"] == "100G"
    instances = {n["name"]: n for n in tree["srl_nokia-network-instance:network-instance"]}
    assert instances["mgmt"]["interface"] == [{"name": "mgmt0.0"}]
    bgp = instances["default"]["protocols"]["srl_nokia-bgp:bgp"]
    assert bgp["autonomous-system"] == 4200000003 and bgp["router-id"] == "10.0.0.19"
    assert [(n["peer-address"], n["peer-group"]) for n in bgp["neighbor"]] == [
        ("10.1.0.64", "spines-65100"),
        ("10.1.0.66", "spines-65100"),
    ]
    assert bgp["afi-safi"][0]["multipath"] == {"allow-multiple-as": True, "maximum-paths": 64}


def test_same_design_describes_the_same_network_in_frr_and_srlinux(lab_data: dict, write_design: Callable) -> None:
    """leaf1 rendered as FRR and as SR Linux carries the same addresses, ASN and neighbors."""
    frr_net = netweave.expand(netweave.load(write_design(lab_data)))
    fabric(lab_data)["leaves"]["overrides"]["leaf1"] = {"platform": "nokia-7220-ixr-d2l", "nos": "srlinux"}
    srl_net = netweave.expand(netweave.load(write_design(lab_data)))
    frr_text = render(frr_net, only=["leaf1"])[0].files["leaf1.frr.conf"]
    tree = json.loads(render(srl_net, only=["leaf1"])[0].files["leaf1.srlinux.json"])
    bgp = next(n for n in tree["srl_nokia-network-instance:network-instance"] if n["name"] == "default")["protocols"][
        "srl_nokia-bgp:bgp"
    ]
    assert f"router bgp {bgp['autonomous-system']}" in frr_text
    for neighbor in bgp["neighbor"]:
        assert f" neighbor {neighbor['peer-address']} remote-as 65100" in frr_text
    addresses = sorted(
        i["subinterface"][0]["ipv4"]["address"][0]["ip-prefix"]
        for i in tree["srl_nokia-interfaces:interface"]
        if i["name"].startswith("ethernet")
    )
    assert addresses == sorted(
        line.split()[-1] for line in frr_text.splitlines() if line.startswith(" ip address 10.1.")
    )
