"""Each new lint rule: a passing case and a failing case (from a design where one can express the
mistake, else by editing the expanded Network the way a buggy module or hand edit would)."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from netweave.network.model import Network
from tests.designs import ai_design, build, findings, leaf_spine_design

EVPN: dict[str, Any] = {
    "vrfs": [{"name": "red", "l3vni": 50001, "vlan": 4001}, {"name": "blue", "l3vni": 50002, "vlan": 4002}],
    "l2vnis": [
        {"name": "web", "vni": 10010, "vlan": 10, "vrf": "red", "gateway": "10.10.10.1/24"},
        {"name": "db", "vni": 10020, "vlan": 20, "vrf": "blue", "gateway": "10.10.20.1/24"},
    ],
}


def small_ai() -> Network:
    return build(ai_design(gpus=128))


def frontend(**fabric: Any) -> Network:
    return build(leaf_spine_design(**{"evpn": EVPN, "qos": {}, "cable_m": {"leaf_spine": 20}, **fabric}))


# rail-rule ------------------------------------------------------------------------------------------------


def test_rail_rule_passes_on_expanded_cabling() -> None:
    assert findings(small_ai(), "rail-rule") == []


def test_rail_rule_catches_swapped_cable_and_shared_leaf() -> None:
    network = small_ai()
    node = network.servers[3]
    node.nics[0].leaf, node.nics[1].leaf = node.nics[1].leaf, node.nics[0].leaf  # rails 1 and 2 swapped
    network.servers[4].nics[2].leaf = network.servers[4].nics[3].leaf  # two NICs on one leaf
    messages = [f.message for f in findings(network, "rail-rule")]
    assert any("su1-node4 rail1" in m and "su1-leaf-r2" in m for m in messages)
    assert any("su1-node5: rail3, rail4 all land on su1-leaf-r4" in m for m in messages)


# radix-tiers ----------------------------------------------------------------------------------------------


def test_radix_tiers_passes_when_auto() -> None:
    assert findings(build(ai_design(gpus=4096)), "radix-tiers") == []


def test_radix_tiers_suggests_three_tiers_for_forced_two() -> None:
    network = build(ai_design(gpus=4096, tiers=2))
    [finding] = findings(network, "radix-tiers")
    assert "4096 endpoints per plane exceed the 2-tier limit of 2048" in finding.message
    assert finding.hint.startswith("use tiers: 3") and finding.path == "sites[0].fabrics[0].tiers"


# oversubscription (existing rule, reused for AI leaves) ---------------------------------------------------


def test_oversubscription_of_ai_leaves() -> None:
    assert findings(small_ai(), "oversubscription") == []
    network = build(ai_design(gpus=128, oversubscription=2.0))  # half the uplinks...
    for device in network.devices:
        device.oversubscription_max = 1.0 if device.role == "leaf" else None  # ...judged against 1:1
    assert "2.00:1 exceeds 1:1" in findings(network, "oversubscription")[0].message


# qos-consistent -------------------------------------------------------------------------------------------


def test_qos_consistent_passes_with_one_profile() -> None:
    assert findings(small_ai(), "qos-consistent") == []


def test_qos_consistent_catches_a_hop_with_another_dscp_map() -> None:
    network = small_ai()
    profile = network.qos_profiles["backend/roce-lossless"]
    network.qos_profiles["other/remarked"] = replace(profile, name="remarked", dscp_to_tc={24: 3, 48: 6})
    network.device_by_name["spine1"].qos = "other/remarked"
    [finding] = findings(network, "qos-consistent")
    assert "DSCP->TC maps differ (26->3, 48->6 vs 24->3, 48->6)" in finding.message


def test_qos_consistent_catches_a_hop_without_qos() -> None:
    network = small_ai()
    network.device_by_name["spine2"].qos = None
    assert "spine2 has no QoS profile" in findings(network, "qos-consistent")[0].message


# qos-pfc --------------------------------------------------------------------------------------------------


def test_qos_pfc() -> None:
    assert findings(small_ai(), "qos-pfc") == []
    network = build(ai_design(gpus=128, qos={"pfc_priorities": [3, 4], "link_pause": True}))
    messages = " | ".join(f.message for f in findings(network, "qos-pfc"))
    assert "PFC on priority [4] but no DSCP maps to it" in messages and "802.3x" in messages


# qos-ecn --------------------------------------------------------------------------------------------------


def test_qos_ecn_defaults_and_vendor_units_pass() -> None:
    assert findings(small_ai(), "qos-ecn") == []
    arista = {"min": {"value": 2000, "unit": "segments"}, "max": {"value": 10000, "unit": "segments"}}
    mixed_bytes = {"min": {"value": 100, "unit": "kbytes"}, "max": {"value": 1_048_576, "unit": "bytes"}}
    for ecn in (arista, mixed_bytes):
        assert findings(build(ai_design(gpus=128, qos={"ecn": ecn})), "qos-ecn") == []


def test_qos_ecn_min_not_below_max_and_mixed_units() -> None:
    inverted = {"min": {"value": 2, "unit": "kbytes"}, "max": {"value": 1500, "unit": "bytes"}}
    [finding] = findings(build(ai_design(gpus=128, qos={"ecn": inverted})), "qos-ecn")
    assert "ECN min 2 kbytes is not below max 1500 bytes" in finding.message
    assert finding.path == "sites[0].fabrics[0].qos.ecn"
    mixed = {"min": {"value": 2000, "unit": "segments"}, "max": {"value": 1_500_000, "unit": "bytes"}}
    assert (
        "min is in segments but max in bytes"
        in findings(build(ai_design(gpus=128, qos={"ecn": mixed})), "qos-ecn")[0].message
    )


# cable-length ---------------------------------------------------------------------------------------------


def test_cable_length_required_on_lossless_links() -> None:
    assert findings(frontend(), "cable-length") == []
    assert findings(build(leaf_spine_design()), "cable-length") == []  # lossy fabric: no headroom to size
    [finding] = findings(frontend(cable_m={}), "cable-length")
    assert "32 lossless link(s) without cable length" in finding.message
    assert finding.path == "sites[0].fabrics[0].leaves"


# evpn-vni-unique ------------------------------------------------------------------------------------------


def test_evpn_vni_unique() -> None:
    assert findings(frontend(), "evpn-vni-unique") == []
    clash = {**EVPN, "l2vnis": [*EVPN["l2vnis"], {"name": "app", "vni": 50001, "vlan": 30}]}
    shared_rt = {**EVPN, "l2vnis": [{**EVPN["l2vnis"][0], "route_target": "65000:50002"}]}
    messages = [f.message for f in findings(frontend(evpn=clash), "evpn-vni-unique")]
    assert messages == ["frontend: VNI 50001 is used by L3VNI of vrf red, L2VNI app"]
    assert (
        "route target 65000:50002 is shared by VNIs [10010, 50002]"
        in findings(frontend(evpn=shared_rt), "evpn-vni-unique")[0].message
    )


# evpn-rt-consistent ---------------------------------------------------------------------------------------


def test_evpn_rt_consistent() -> None:
    network = frontend()
    assert findings(network, "evpn-rt-consistent") == []
    leaf = network.device_by_name["leaf3"]
    assert leaf.evpn is not None
    leaf.evpn.l2vnis = [replace(leaf.evpn.l2vnis[0], route_target="4200000002:10010"), *leaf.evpn.l2vnis[1:]]
    [finding] = findings(network, "evpn-rt-consistent")
    assert "VNI 10010 has several route targets" in finding.message and "4200000002:10010 on leaf3" in finding.message


# evpn-l3vni-per-vrf ---------------------------------------------------------------------------------------


def test_evpn_one_l3vni_per_vrf() -> None:
    assert findings(frontend(), "evpn-l3vni-per-vrf") == []
    twice = {**EVPN, "vrfs": [*EVPN["vrfs"], {"name": "red", "l3vni": 50009}]}
    [finding] = findings(frontend(evpn=twice), "evpn-l3vni-per-vrf")
    assert finding.message == "frontend: vrf red has L3VNIs [50001, 50009]"


def test_evpn_expansion_gives_every_leaf_a_vtep_and_sessions_the_evpn_afi() -> None:
    network = frontend()
    leaves = [d for d in network.devices if d.role == "leaf"]
    assert all(d.evpn is not None and d.evpn.vtep == d.loopback for d in leaves)
    assert all(d.evpn is None for d in network.devices if d.role == "spine")
    assert all(s.afi == ["ipv4-unicast", "l2vpn-evpn"] for s in network.sessions)
    overlay = network.evpn["frontend"]
    assert [(v.name, v.l3vni, v.route_target) for v in overlay.vrfs] == [
        ("red", 50001, "65000:50001"),
        ("blue", 50002, "65000:50002"),
    ]
    assert overlay.l2vnis[0].gateway == "10.10.10.1/24"
    assert Network.from_json(network.to_json()).evpn == network.evpn


def test_evpn_unknown_vrf_is_a_located_error() -> None:
    import pytest

    from netweave.errors import DesignError

    bad = {**EVPN, "l2vnis": [{**EVPN["l2vnis"][0], "vrf": "green"}]}
    with pytest.raises(DesignError) as caught:
        frontend(evpn=bad)
    assert caught.value.problems[0].path == "sites[0].fabrics[0].evpn.l2vnis[0].vrf"


# name-unique ----------------------------------------------------------------------------------------------


def test_name_unique_across_fabrics() -> None:
    data = ai_design(gpus=64)
    second = {
        **data["sites"][0]["fabrics"][0],
        "name": "backend2",
        "addressing": {
            "loopbacks": "10.1.0.0/16",
            "p2p": "10.80.0.0/12",
            "management": {"prefix": "172.17.0.0/16"},
            "gpu": "10.192.0.0/10",
        },
        "asn": {"leaf_base": 4200010000, "spine_base": 65200},
    }
    data["sites"].append({"name": "dc2", "fabrics": [second]})
    [finding] = findings(build(data), "name-unique")
    assert "used twice in fabrics backend, backend2: spine1" in finding.message
    second["hostname_prefix"] = "b2-"
    assert findings(build(data), "name-unique") == []


def test_ip_duplicate_sees_gpu_nic_addresses() -> None:
    network = small_ai()
    assert findings(network, "ip-duplicate") == []
    network.servers[1].nics[0].address = network.servers[0].nics[0].address
    [finding] = findings(network, "ip-duplicate")
    assert "su1-node1 rail1, su1-node2 rail1" in finding.message
