"""The ai-backend module against published reference sizings, the rail rule, stability and scale shape."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from typing import Any

import pytest
import yaml

from netweave.catalog import platforms_for
from netweave.catalog.platform import Platform
from netweave.errors import DesignError
from netweave.load.loader import loads
from netweave.modules.ai_backend import size_fabric
from netweave.network.model import Network
from tests.designs import R64_PLATFORM, ai_design, build, findings


def roles(network: Network) -> Counter[str]:
    return Counter(device.role for device in network.devices)


def ports_used(network: Network, name: str) -> int:
    return len(network.device_by_name[name].interfaces)


def test_dgx_h100_superpod_4_su() -> None:
    """NVIDIA DGX H100 SuperPOD: 4 SU x 32 node slots, 8 rails -> 127 nodes (1,016 GPUs), 32 leaves, 16 spines;
    every leaf 32 x 400G down and 32 up (2 to each spine), every spine's 64 ports used."""
    network = build(ai_design(gpus=1016))
    assert roles(network) == {"leaf": 32, "spine": 16}
    info = network.fabrics[0]
    assert (info.tiers, info.sus, info.nodes, info.gpus, info.radix) == (2, 4, 127, 1016, 64)
    leaf = network.device_by_name["su1-leaf-r1"]
    kinds = Counter(iface.kind for iface in leaf.interfaces)
    assert kinds == {"server": 32, "fabric": 32}
    assert Counter(iface.peer_device for iface in leaf.interfaces if iface.kind == "fabric") == {
        f"spine{j}": 2 for j in range(1, 17)
    }
    assert all(ports_used(network, f"spine{j}") == 64 for j in range(1, 17))
    assert not findings(network, "oversubscription") and not findings(network, "leaf-spine-mesh")


def test_dgx_b200_16_su_needs_three_tiers() -> None:
    """DGX B200: 2 tiers up to 8 SU (2,048 GPUs: 64 leaves, 32 spines); 16 SU = 128 leaves, 128 spines, 64 core."""
    eight = build(ai_design(gpus=2048))
    assert roles(eight) == {"leaf": 64, "spine": 32} and eight.fabrics[0].tiers == 2
    sixteen = build(ai_design(gpus=4096))
    assert roles(sixteen) == {"leaf": 128, "spine": 128, "super-spine": 64}
    assert sixteen.fabrics[0].tiers == 3
    assert all(len(d.interfaces) == 64 for d in sixteen.devices if d.role != "leaf")


def test_b300_twin_planar_spectrum_x() -> None:
    """DGX B300 on Spectrum-X 800G: 1 SU = 64 nodes, 512 GPUs; 8 rails x 2 planes = 16 leaves, 8 spines.
    SN5600 800G cages broken out 2x400G face the NICs; uplinks run at 800G."""
    network = build(ai_design(nodes=64, gpus=None, nodes_per_su=64, planes=2, leaves={"platform": "nvidia-sn5600"}))
    assert roles(network) == {"leaf": 16, "spine": 8}
    leaf = network.device_by_name["su1-leaf-r1-p2"]
    server_ifs = [i for i in leaf.interfaces if i.kind == "server"]
    assert [(i.name, i.port, i.lane, i.speed) for i in server_ifs[:3]] == [
        ("swp1s0", 1, 1, 400),
        ("swp1s1", 1, 2, 400),
        ("swp2s0", 2, 1, 400),
    ]
    assert {i.breakout for i in server_ifs} == {"2x400"}
    uplinks = [i for i in leaf.interfaces if i.kind == "fabric"]
    assert len(uplinks) == 32 and {i.speed for i in uplinks} == {800} and uplinks[0].name == "swp33"
    assert {i.breakout for i in uplinks} == {None}
    assert {d.asn for d in network.devices if d.role == "spine" and d.plane == 1} == {65100}
    assert {d.asn for d in network.devices if d.role == "spine" and d.plane == 2} == {65101}
    assert not findings(network, "leaf-spine-mesh") and not findings(network, "asn-spine-shared")


def test_two_tier_radix_limit_is_r_squared_over_two() -> None:
    """64-port switches: 2 tiers top out at 64^2/2 = 2,048 endpoints, 3 tiers at 64^3/4 = 65,536."""
    catalog = platforms_for({"r64": Platform.model_validate(R64_PLATFORM)})

    def sized(gpus: int) -> Any:
        design = loads(yaml.safe_dump(ai_design(gpus=gpus)))
        return size_fabric(design.sites[0].fabrics[0], catalog)  # type: ignore[arg-type]

    at_limit = sized(2048)
    assert at_limit.max_endpoints == {2: 64**2 // 2, 3: 64**3 // 4}
    assert at_limit.tiers == 2
    assert sized(2049).tiers == 3
    assert sized(65536).tiers == 3
    with pytest.raises(DesignError, match="3 tiers"):
        sized(65537)


def test_rail_rule_on_the_cabling() -> None:
    """NIC i of every node goes to the rail-i leaf of its SU (and plane); each leaf sees one NIC per node."""
    network = build(ai_design(gpus=1016, planes=2, nodes_per_su=16, leaves={"platform": "nvidia-sn5600"}))
    by_name = network.device_by_name
    for server in network.servers:
        assert len(server.nics) == 16
        for nic in server.nics:
            leaf = by_name[nic.leaf]
            assert (leaf.su, leaf.rail, leaf.plane) == (server.su, nic.index + 1, nic.plane)
            iface = next(i for i in leaf.interfaces if i.name == nic.leaf_interface)
            assert (iface.peer_device, iface.peer_interface, iface.kind) == (server.name, nic.name, "server")
            assert iface.ipv4 == f"{nic.gateway}/31" and nic.subnet == f"{nic.gateway}/31"
        assert len({nic.leaf for nic in server.nics}) == len(server.nics)
    for leaf in (d for d in network.devices if d.role == "leaf"):
        peers = [i.peer_device for i in leaf.interfaces if i.kind == "server"]
        assert len(peers) == len(set(peers))
        assert all(by_name_server.su == leaf.su for by_name_server in network.servers if by_name_server.name in peers)
    assert not findings(network, "rail-rule")


def test_partial_su_gets_all_leaves_and_uplinks() -> None:
    network = build(ai_design(gpus=1016))  # 127 nodes: SU 4 has 31
    leaf = network.device_by_name["su4-leaf-r8"]
    assert sum(1 for i in leaf.interfaces if i.kind == "server") == 31
    assert sum(1 for i in leaf.interfaces if i.kind == "fabric") == 32
    assert 32 not in {i.port for i in leaf.interfaces}  # node 32's port stays free
    assert network.servers[-1].name == "su4-node31" and network.servers[-1].gpus == 8


def _contains(small: Network, big: Network) -> None:
    """Everything in `small` exists unchanged in `big` (devices may only gain interfaces)."""
    big_devices = big.device_by_name
    for device in small.devices:
        other = big_devices[device.name]
        for iface in device.interfaces:
            assert iface in other.interfaces, (device.name, iface)
        assert (device.loopback, device.mgmt_ipv4, device.asn, device.slot) == (
            other.loopback,
            other.mgmt_ipv4,
            other.asn,
            other.slot,
        ), device.name
        assert replace(device, interfaces=[]) == replace(other, interfaces=[]), device.name
    big_servers = {s.name: s for s in big.servers}
    assert all(server == big_servers[server.name] for server in small.servers)
    big_links = {(lk.a.device, lk.a.interface, lk.b.device, lk.b.interface, lk.subnet) for lk in big.links}
    assert all((lk.a.device, lk.a.interface, lk.b.device, lk.b.interface, lk.subnet) in big_links for lk in small.links)
    big_sessions = {(s.a.device, s.a.address, s.b.device, s.b.address) for s in big.sessions}
    assert all((s.a.device, s.a.address, s.b.device, s.b.address) in big_sessions for s in small.sessions)


@pytest.mark.parametrize(("small", "big", "tiers"), [(512, 768, 2), (1016, 2048, 2), (8192, 10240, 3)])
def test_adding_an_su_changes_nothing_that_existed(small: int, big: int, tiers: int) -> None:
    capacity = {"max_sus": 8 if tiers == 2 else 64}
    before = build(ai_design(gpus=small, capacity=capacity))
    after = build(ai_design(gpus=big, capacity=capacity))
    assert before.fabrics[0].tiers == after.fabrics[0].tiers == tiers
    assert len(after.devices) > len(before.devices)
    _contains(before, after)


def test_growth_within_default_sizing_is_stable_too() -> None:
    """3 -> 4 SU of 64-port spines keeps 2 links per spine, so even unpinned growth appends only."""
    _contains(build(ai_design(gpus=768)), build(ai_design(gpus=1016)))


def test_unnumbered_underlay_and_slash30_gpu_subnets() -> None:
    data = ai_design(gpus=64)
    data["sites"][0]["fabrics"][0]["addressing"].update(p2p="unnumbered", gpu_prefix_length=30)
    network = build(data)
    assert all(s.a.address is None and s.b.address is None for s in network.sessions)
    assert all(i.unnumbered for d in network.devices for i in d.interfaces if i.kind == "fabric")
    nic = network.servers[0].nics[1]
    assert (nic.subnet, nic.gateway, nic.address) == ("10.128.0.4/30", "10.128.0.5", "10.128.0.6")
    assert not findings(network, "p2p-subnet") and not findings(network, "ip-duplicate")


def test_cable_lengths_and_qos_on_every_switch() -> None:
    network = build(ai_design(gpus=4096, cable_m={"server_leaf": 3, "leaf_spine": 25, "spine_super_spine": 80}))
    by_kind = {
        (lk.kind, network.device_by_name.get(lk.b.device).role): lk.cable_m  # type: ignore[union-attr]
        for lk in network.links
    }
    assert by_kind == {("server", "leaf"): 3, ("fabric", "spine"): 25, ("fabric", "super-spine"): 80}
    assert {d.qos for d in network.devices} == {"backend/roce-lossless"}
    assert not findings(network, "cable-length") and not findings(network, "qos-consistent")


def test_network_json_round_trip_keeps_servers_and_qos() -> None:
    network = build(ai_design(gpus=64))
    text = network.to_json()
    again = Network.from_json(text)
    assert again.to_json() == text
    assert again.servers == network.servers and again.qos_profiles == network.qos_profiles
    assert again.qos_profiles["backend/roce-lossless"].dscp_to_tc == {26: 3, 48: 6}


@pytest.mark.parametrize(
    ("edit", "path", "fragment"),
    [
        ({"nodes": 4}, "fabrics[0]", "exactly one of gpus or nodes"),
        ({"rails": 4}, "fabrics[0]", "must equal nics_per_node"),
        ({"nodes_per_su": 64}, "fabrics[0].nodes_per_su", "cannot carry 64 nodes"),
        ({"nic_speed": 25}, "fabrics[0].nic_speed", "no 25G ports"),
        ({"leaves": {"platform": "sn5600"}}, "fabrics[0].leaves.platform", "did you mean 'nvidia-sn5600'"),
    ],
)
def test_bad_intent_is_a_located_error(edit: dict[str, Any], path: str, fragment: str) -> None:
    with pytest.raises(DesignError) as caught:
        build(ai_design(**edit))
    problem = caught.value.problems[0]
    assert path in problem.path and fragment in (problem.message + problem.hint), problem
