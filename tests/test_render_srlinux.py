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


# -- defects found against the published models (issue "Deployable configs", defect 4) ------------------------


def test_routed_subinterfaces_carry_the_port_mtu_as_ip_mtu() -> None:
    """srl_nokia-interfaces (v25.3.1) `subinterface ip-mtu`: "The default IP MTU for a subinterface is taken from
    /system/mtu/default-ip-mtu" (1500), and it "excludes Ethernet encapsulation"; so a 9216-byte port needs
    ip-mtu 9202 on its routed subinterface or RoCE and VXLAN packets above 1500 bytes are dropped."""
    network = netweave.expand(netweave.load(LAB_DESIGN))
    for config in render(network):
        if config.nos != "srlinux":
            continue
        tree = json.loads(config.files[f"{config.device}.srlinux.json"])
        device = network.device_by_name[config.device]
        interfaces = {i["name"]: i for i in tree["srl_nokia-interfaces:interface"]}
        for iface in device.interfaces:
            subif = interfaces[iface.name]["subinterface"][0]
            assert subif["ip-mtu"] == iface.mtu - 14 == 9202, (config.device, iface.name)
        assert "ip-mtu" not in interfaces["system0"]["subinterface"][0]  # "not configurable for loopback"


def test_ip_mtu_stays_in_the_7220_range() -> None:
    """The same leaf's description: 7220 IXR systems "support a maximum IP MTU of 9398 bytes"; range 1280..9486."""
    from netweave.nos.srlinux import srlinux_ip_mtu

    assert srlinux_ip_mtu(9216) == 9202
    assert srlinux_ip_mtu(9500) == 9398
    assert srlinux_ip_mtu(1500) == 1486


def _evpn_srlinux_spines(lab_data: dict[str, Any], write_design: Callable[[Any], Any]) -> netweave.Network:
    fabric(lab_data)["evpn"] = {
        "anycast_gateway_mac": "00:00:5e:00:01:01",
        "rt_asn": 65100,
        "vrfs": [{"name": "blue", "l3vni": 10001, "vlan": 3001}],
        "l2vnis": [{"name": "blue-100", "vni": 10100, "vlan": 100, "vrf": "blue", "gateway": "10.100.0.1/24"}],
    }
    return netweave.expand(netweave.load(write_design(lab_data)))


def test_ebgp_evpn_spines_keep_and_pass_on_evpn_routes(lab_data: dict, write_design: Callable) -> None:
    """srl_nokia-bgp `afi-safi evpn evpn inter-as-vpn`: "When set to true, received EVPN routes that are not
    imported by any network-instance are retained in the BGP RIB and considered 'used' so that they can be
    propagated to any EBGP or IBGP peer" (keep-all-routes false: "dropped"). An eBGP spine is no VTEP and
    imports EVPN routes into no network-instance, so without it leaves never learn each other's routes."""
    network = _evpn_srlinux_spines(lab_data, write_design)
    for name in ("spine1", "leaf3"):
        tree = json.loads(render(network, only=[name])[0].files[f"{name}.srlinux.json"])
        default = next(n for n in tree["srl_nokia-network-instance:network-instance"] if n["name"] == "default")
        families = {f["afi-safi-name"]: f for f in default["protocols"]["srl_nokia-bgp:bgp"]["afi-safi"]}
        evpn = families["srl_nokia-common:evpn"]
        if name == "spine1":
            assert evpn["evpn"] == {"inter-as-vpn": True}
        else:  # a VTEP imports its own routes into its mac-vrf/ip-vrf; it re-advertises nothing
            assert "evpn" not in evpn


@pytest.mark.real
def test_ebgp_evpn_spines_pass_yanglint(lab_data: dict, write_design: Callable) -> None:
    problems = _check_all(_evpn_srlinux_spines(lab_data, write_design))
    assert problems and all(found == [] for found in problems.values()), problems


def test_port_speeds_are_values_of_the_published_enumeration() -> None:
    """Every speed netweave may write as `port-speed` is an enum value of srl_nokia-interfaces.yang (v25.3.1),
    read from the model itself; 300G is not one (a 300G coherent mode is 3 x 100GAUI-2 host lanes)."""
    import re

    from netweave.check.srlinux import srlinux_models_dir
    from netweave.nos.srlinux import SRLINUX_PORT_SPEEDS, SrlinuxUnsupported, srlinux_speed

    try:
        models = srlinux_models_dir()
    except CheckerUnavailable as exc:
        require(False, str(exc))
    text = (models / "srl_nokia/models/interfaces/srl_nokia-interfaces.yang").read_text()
    leaf = text[text.index("leaf port-speed {") :]
    leaf = leaf[: leaf.index("must ")]
    published = set(re.findall(r"enum (\w+) \{", leaf))
    assert {srlinux_speed(gbps) for gbps in SRLINUX_PORT_SPEEDS} <= published
    assert "300G" not in published
    with pytest.raises(SrlinuxUnsupported, match="no 300G port speed"):
        srlinux_speed(300)


@pytest.mark.real
def test_containerlab_srlinux_nodes_are_valid_on_the_virtual_platform() -> None:
    """containerlab runs SR Linux as the `virtual` platform (feature platform-vsrl), where srl_nokia-bfd
    requires desired-minimum-transmit-interval and required-minimum-receive >= 1000000 us ("Minimum value is
    1000000 on this platform"); the hardware config keeps 300 ms, the lab export's startup configs use 1 s and
    validate with the virtual feature profile."""
    from netweave.lab.clab import export

    network = netweave.expand(netweave.load(LAB_DESIGN))
    result = export(network)
    files = {
        path.removeprefix("configs/"): text for path, text in result.files.items() if path.endswith(".srlinux.json")
    }
    assert len(files) == 4
    for text in files.values():
        for session in json.loads(text)["srl_nokia-bfd:bfd"]["subinterface"]:
            assert session["desired-minimum-transmit-interval"] == session["required-minimum-receive"] == 1_000_000
    hardware = json.loads(render(network, only=["spine1"])[0].files["spine1.srlinux.json"])
    assert hardware["srl_nokia-bfd:bfd"]["subinterface"][0]["desired-minimum-transmit-interval"] == 300_000
    assert result.topology["topology"]["nodes"]["spine1"]["type"] == "ixrd3l"  # the emulated chassis stays
    try:
        problems = check_srlinux_many(files, "virtual")
        hardware_on_virtual = check_srlinux_many({"spine1.srlinux.json": json.dumps(hardware)}, "virtual")
    except CheckerUnavailable as exc:
        require(False, str(exc))
    assert all(found == [] for found in problems.values()), problems
    assert hardware_on_virtual["spine1.srlinux.json"]  # the model has teeth: 300 ms is refused on virtual
