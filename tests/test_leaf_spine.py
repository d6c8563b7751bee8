"""leaf-spine expansion: counts, naming, addressing, ASNs, ports, determinism and stability."""

from __future__ import annotations

import copy
import ipaddress
from collections.abc import Callable
from typing import Any

import netweave
from netweave.network.model import Network
from tests.conftest import LAB_DESIGN, fabric


def expand(data: dict[str, Any], write_design: Callable) -> Network:
    return netweave.expand(netweave.load(write_design(data)))


def allocations(network: Network) -> dict[str, Any]:
    """Everything allocated per device: what must never change when the fabric grows."""
    out: dict[str, Any] = {}
    for d in network.devices:
        out[d.name] = {
            "asn": d.asn,
            "loopback": d.loopback,
            "mgmt": d.mgmt_ipv4,
            "interfaces": {i.name: (i.port, i.ipv4, i.peer_device, i.peer_interface) for i in d.interfaces},
        }
    return out


def test_lab_expands_to_expected_fabric() -> None:
    network = netweave.expand(netweave.load(LAB_DESIGN))
    names = [d.name for d in network.devices]
    assert names == ["spine1", "spine2", "leaf1", "leaf2", "leaf3", "leaf4"]
    assert len(network.links) == 8 and len(network.sessions) == 8
    by = network.device_by_name
    assert {by["leaf1"].nos, by["leaf3"].nos, by["spine1"].nos} == {"frr", "srlinux"}
    assert by["spine1"].asn == by["spine2"].asn == 65100
    assert len({by[f"leaf{i}"].asn for i in range(1, 5)}) == 4
    assert by["leaf3"].interfaces[0].name == "ethernet-1/49"
    assert by["leaf1"].interfaces[0].name == "eth49"
    assert by["spine1"].mgmt_interface == "mgmt0"
    # both ends of every link share one /31 and each session uses those addresses
    for link, session in zip(network.links, network.sessions, strict=True):
        net = ipaddress.ip_network(link.subnet)
        assert net.prefixlen == 31
        assert {session.a.address, session.b.address} == {str(net[0]), str(net[1])}


def test_expansion_is_deterministic(lab_data: dict, write_design: Callable) -> None:
    assert expand(lab_data, write_design).to_json() == expand(copy.deepcopy(lab_data), write_design).to_json()


def test_network_json_round_trip() -> None:
    network = netweave.expand(netweave.load(LAB_DESIGN))
    again = Network.from_json(network.to_json())
    assert again == network
    assert again.to_json() == network.to_json()


def _is_superset(before: dict[str, Any], after: dict[str, Any]) -> None:
    for name, alloc in before.items():
        assert name in after, f"{name} disappeared"
        assert after[name]["asn"] == alloc["asn"], name
        assert after[name]["loopback"] == alloc["loopback"], name
        assert after[name]["mgmt"] == alloc["mgmt"], name
        for iface, value in alloc["interfaces"].items():
            assert after[name]["interfaces"][iface] == value, f"{name} {iface} changed"


def test_adding_a_leaf_changes_no_existing_allocation(lab_data: dict, write_design: Callable) -> None:
    before = allocations(expand(lab_data, write_design))
    fabric(lab_data)["leaves"]["count"] = 5
    after = allocations(expand(lab_data, write_design))
    _is_superset(before, after)
    assert set(after) - set(before) == {"leaf5"}
    # only the new leaf and the spines gain interfaces
    grown = {n for n in before if after[n]["interfaces"] != before[n]["interfaces"]}
    assert grown == {"spine1", "spine2"}


def test_adding_a_spine_changes_no_existing_allocation(lab_data: dict, write_design: Callable) -> None:
    before = allocations(expand(lab_data, write_design))
    fabric(lab_data)["spines"]["count"] = 3
    after = allocations(expand(lab_data, write_design))
    _is_superset(before, after)
    assert set(after) - set(before) == {"spine3"}


def _podded(data: dict[str, Any], pods: int) -> dict[str, Any]:
    f = fabric(data)
    f["pods"] = pods
    f["super_spines"] = {"count": 2, "platform": "nokia-7220-ixr-d3l", "nos": "srlinux"}
    f["spines"]["uplink_first_port"] = 17
    f["leaves"]["overrides"] = {}
    f["capacity"] = {"max_pods": 8, "max_spines": 4}
    f["addressing"]["p2p"] = "10.1.0.0/20"
    return data


def test_adding_a_pod_changes_no_existing_allocation(lab_data: dict, write_design: Callable) -> None:
    two = expand(_podded(copy.deepcopy(lab_data), 2), write_design)
    three = expand(_podded(copy.deepcopy(lab_data), 3), write_design)
    _is_superset(allocations(two), allocations(three))
    new = set(allocations(three)) - set(allocations(two))
    assert new == {"pod3-spine1", "pod3-spine2", *(f"pod3-leaf{i}" for i in range(1, 5))}
    assert not netweave.lint(three, only=["ip-duplicate", "asn-leaf-unique", "port-unique"])


def test_super_spine_tier_wiring(lab_data: dict, write_design: Callable) -> None:
    network = expand(_podded(lab_data, 2), write_design)
    by = network.device_by_name
    assert by["superspine1"].asn == 65000
    assert by["pod1-spine1"].asn == 65100 and by["pod2-spine1"].asn == 65101
    # each spine has one link to each super-spine; each super-spine sees 2 pods x 2 spines
    assert sum(1 for i in by["pod2-spine2"].interfaces if i.peer_device and "superspine" in i.peer_device) == 2
    assert len(by["superspine2"].interfaces) == 4
    assert not [f for f in netweave.lint(network) if f.severity == "error"]


def test_unnumbered_fabric_has_interface_sessions(lab_data: dict, write_design: Callable) -> None:
    fabric(lab_data)["addressing"]["p2p"] = "unnumbered"
    network = expand(lab_data, write_design)
    assert all(link.subnet is None for link in network.links)
    assert all(s.a.address is None and s.b.address is None for s in network.sessions)
    assert all(i.unnumbered for d in network.devices for i in d.interfaces)
    assert not [f for f in netweave.lint(network) if f.severity == "error"]


def test_vendor_interface_names() -> None:
    from netweave.catalog import builtin_platforms
    from netweave.nos.naming import interface_name

    sn5600 = builtin_platforms()["nvidia-sn5600"]
    d2l = builtin_platforms()["nokia-7220-ixr-d2l"]
    assert interface_name("nvue", sn5600, 3) == "swp3"
    assert interface_name("nvue", sn5600, 3, 2, 2) == "swp3s1"
    assert interface_name("sonic", sn5600, 1) == "Ethernet0"
    assert interface_name("sonic", sn5600, 3) == "Ethernet16"
    assert interface_name("sonic", sn5600, 3, 2, 2) == "Ethernet20"
    assert interface_name("sonic", d2l, 49) == "Ethernet48"  # 48 single-lane SFP28 cages first
    assert interface_name("sonic", d2l, 50) == "Ethernet52"
    assert interface_name("srlinux", d2l, 49) == "ethernet-1/49"
    assert interface_name("srlinux", sn5600, 7, 1, 2) == "ethernet-1/7/1"
    assert interface_name("eos", d2l, 1) == "Ethernet1"
    assert interface_name("sros", d2l, 5) == "1/1/c5/1"
    assert interface_name("frr", d2l, 5) == "eth5"


def test_platform_catalogue_cites_datasheets() -> None:
    from netweave.catalog import builtin_platforms

    platforms = builtin_platforms()
    assert len(platforms) >= 10
    for name, platform in platforms.items():
        assert platform.source, f"{name} has no source"
    assert platforms["nvidia-sn5600"].port_count == 64
    assert "2x400" in platforms["nvidia-sn5600"].ports[0].breakouts


def test_design_adds_its_own_platform(lab_data: dict, write_design: Callable) -> None:
    lab_data["platforms"] = {
        "acme-x1": {"vendor": "Acme", "model": "X1", "nos": ["frr"], "ports": [{"count": 8, "speed": 100}]}
    }
    fabric(lab_data)["spines"].update(platform="acme-x1", nos="frr")
    network = expand(lab_data, write_design)
    assert network.device_by_name["spine1"].model == "X1"
    assert network.platforms["acme-x1"].port_count == 8
