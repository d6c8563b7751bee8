"""The underlay policy (`netweave.network.policy`) in each NOS's own idiom: the sets a device's rendered config
filters with are the computed ones, every session has an import policy and a prefix limit."""

from __future__ import annotations

import json
from typing import Any

from tests.conftest import REPO

import netweave
from netweave.network.model import Network
from netweave.network.policy import underlay_policies
from netweave.render import render_device


def _network(design: str) -> Network:
    return netweave.expand(netweave.load(REPO / "tests" / "golden" / "designs" / f"{design}.yaml"))


def _file(network: Network, device: str, suffix: str) -> str:
    files = render_device(network, network.device_by_name[device]).files
    return next(text for name, text in files.items() if name.endswith(suffix))


def test_srlinux_groups_import_only_their_peers_set_with_a_prefix_limit_and_reject_the_rest() -> None:
    network = _network("ai-srlinux")
    policies = underlay_policies(network)
    for device in network.devices:
        tree: dict[str, Any] = json.loads(_file(network, device.name, ".srlinux.json"))
        rpol = tree["srl_nokia-routing-policy:routing-policy"]
        sets = {s["name"]: s["prefix"] for s in rpol["prefix-set"]}
        by_name = {p["name"]: p for p in rpol["policy"]}
        default = next(n for n in tree["srl_nokia-network-instance:network-instance"] if n["name"] == "default")
        bgp = default["protocols"]["srl_nokia-bgp:bgp"]
        assert bgp["ebgp-default-policy"] == {"import-reject-all": True, "export-reject-all": True}
        policy = policies[device.name]
        for group in bgp["group"]:
            sessions = [policy.session(n) for n in network.neighbors(device.name) if n.peer_asn == group["peer-as"]]
            (imported,) = group["import-policy"]
            assert by_name[imported]["default-action"] == {"policy-result": "reject"}
            matched = {s["match"]["prefix"]["prefix-set"] for s in by_name[imported]["statement"]}
            assert matched == {s.import_set for s in sessions}
            for name in matched:
                entries = policy.import_entries(name)
                assert [p["ip-prefix"] for p in sets[name]] == [e.prefix for e in entries]
            limit = group["afi-safi"][0]["ipv4-unicast"]["prefix-limit-received"]["max-received-routes"]
            assert limit == max(s.max_prefix or 0 for s in sessions)


def test_eos_filters_each_numbered_neighbor_with_its_own_set_and_denies_missing_policy() -> None:
    network = _network("evpn-mixed")
    policies = underlay_policies(network)
    text = _file(network, "spine1", ".eos.cfg")
    policy = policies["spine1"]
    assert "   update wait-install\n   graceful-restart restart-time 300\n   graceful-restart\n" in text
    assert "   neighbor LEAVES missing-policy address-family all direction in action deny\n" in text
    for n in network.neighbors("spine1"):
        session = policy.session(n)
        assert f"      neighbor {n.peer_address} route-map {session.import_set} in\n" in text
        assert f"   neighbor {n.peer_address} maximum-routes {session.max_prefix}\n" in text
        leaf = network.device_by_name[n.peer_device]
        assert f"ip prefix-list {session.import_set}\n   seq 10 permit {leaf.loopback}/32\n" in text
    # unnumbered members of one group could only share the group's route-map: it accepts any member's set
    assert text.count("route-map IN-LEAVES permit") == len(policy.imports)
    assert "      neighbor LEAVES route-map EVPN-RT in\n" in text
    for rt in policy.route_targets:
        assert f"ip extcommunity-list EVPN-RT permit rt {rt}\n" in text


def test_sros_neighbors_import_their_peers_policy_with_a_prefix_limit_and_reject_by_default() -> None:
    network = _network("ai-sros")
    policies = underlay_policies(network)
    for device in network.devices:
        text = _file(network, device.name, ".sros.cfg")
        policy = policies[device.name]
        assert "ebgp-default-reject-policy {\n                import true\n                export true\n" in text
        assert "            graceful-restart {\n            }\n" in text
        for n in network.neighbors(device.name):
            session = policy.session(n)
            block = text.split(f'neighbor "{n.peer_address}" {{', 1)[1].split("\n            }\n", 1)[0]
            assert f'policy ["{session.import_set}"]' in block
            assert f"prefix-limit ipv4 {{\n                    maximum {session.max_prefix}\n" in block
        for s in policy.imports:
            statement = text.split(f'policy-statement "{s.name}" {{', 1)[1].split("\n        }\n", 1)[0]
            assert "default-action {\n                action-type reject" in statement


def test_nvue_neighbors_carry_route_maps_both_ways_and_an_inbound_prefix_limit() -> None:
    import yaml

    network = _network("ai-nvue")
    policies = underlay_policies(network)
    for device in network.devices:
        doc = yaml.safe_load(_file(network, device.name, ".yaml"))
        body = doc[1]["set"]
        policy = policies[device.name]
        assert body["router"]["bgp"]["graceful-restart"] == {"mode": "full"}
        assert body["router"]["bgp"]["wait-for-install"] is True  # YAML 1.1 reads `on` as true
        lists = body["router"]["policy"]["prefix-list"]
        neighbors = body["vrf"]["default"]["router"]["bgp"]["neighbor"]
        for n in network.neighbors(device.name):
            session = policy.session(n)
            afi = neighbors[n.peer_address or n.local_interface]["address-family"]["ipv4-unicast"]
            assert afi["policy"] == {
                "inbound": {"route-map": session.import_set},
                "outbound": {"route-map": "UNDERLAY-OUT"},
            }
            assert afi["prefix-limits"] == {"inbound": {"maximum": session.max_prefix}}
            rules = lists[session.import_set]["rule"].values()
            assert [next(iter(r["match"])) for r in rules] == [
                e.prefix for e in policy.import_entries(session.import_set or "")
            ]


def test_nvue_prefix_list_rules_are_one_line_each_with_the_block_forms_tree() -> None:
    """A spine's per-leaf import lists are most of its NVUE file at 100,000 GPUs: each rule is one flow-mapping
    line (half the bytes of the five-line block form), and it parses to the same rule NVUE's block form gives."""
    import yaml

    network = _network("ai-nvue")
    policies = underlay_policies(network)
    for device in network.devices:
        text = _file(network, device.name, ".yaml")
        lists = yaml.safe_load(text)[1]["set"]["router"]["policy"]["prefix-list"]
        policy = policies[device.name]
        for entries in [policy.export, *policy.imports]:
            rules = lists[entries.name]["rule"]
            assert len(rules) == len(entries.entries)
            for number, entry in zip(rules, entries.entries, strict=True):
                lengths = {"max-prefix-len": entry.member_length}
                if not entry.exact:
                    lengths = {"min-prefix-len": entry.member_length, **lengths}
                assert rules[number] == {"action": "permit", "match": {entry.prefix: lengths}}
                assert f"\n              '{number}': {{action: permit, match: {{{entry.prefix}: {{" in text
