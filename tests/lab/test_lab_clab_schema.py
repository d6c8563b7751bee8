"""The containerlab topology validator, against the real published schema (containerlab v0.79.0)."""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path
from typing import Any

import pytest
from tests.support.clab_schema import (
    SchemaNotFoundError,
    find_clab_schema,
    interface_problem,
    validate_topology,
)


@pytest.fixture(scope="module")
def schema_path() -> Path:
    return find_clab_schema()


def fabric() -> dict[str, Any]:
    """A valid topology mixing the kinds netweave exports, in short and extended link form."""
    return {
        "name": "ai-fabric",
        "topology": {
            "kinds": {"linux": {"image": "quay.io/frrouting/frr:8.4.1"}},
            "groups": {"srl": {"kind": "nokia_srlinux", "image": "ghcr.io/nokia/srlinux"}},
            "nodes": {
                "spine1": {"group": "srl", "startup-config": "configs/spine1.json"},
                "leaf1": {"kind": "arista_ceos", "image": "ceos:4.32.0F", "mgmt-ipv4": "172.20.20.11"},
                "leaf2": {"kind": "sonic-vs", "image": "docker-sonic-vs:latest"},
                "leaf3": {"kind": "nvidia_cumulusvx", "image": "networkop/cx:5.3.0"},
                "pe1": {"kind": "nokia_srsim", "image": "nokia_srsim:25.7.R1"},
                "frr1": {"kind": "linux", "binds": ["configs/frr1:/etc/frr"], "labels": {"role": "leaf"}},
            },
            "links": [
                {"endpoints": ["spine1:e1-1", "leaf1:eth1"]},
                {"endpoints": ["spine1:e1-2", "leaf2:eth1"]},
                {"endpoints": ["spine1:ethernet-1/3", "leaf3:swp1"], "mtu": 9000},
                {"endpoints": ["spine1:e1-4-1", "pe1:e1-1-c1-1"]},
                {
                    "type": "veth",
                    "endpoints": [
                        {"node": "spine1", "interface": "e1-5"},
                        {"node": "frr1", "interface": "eth1"},
                    ],
                },
                {"endpoints": ["frr1:eth2", "host:frr1-eth2"]},
            ],
        },
    }


def test_python_re_cannot_compile_the_schema_patterns(schema_path: Path) -> None:
    # Why the validator uses the `regex` module: the published schema has \p{..} classes.
    text = schema_path.read_text()
    assert r"\\p{L}" in text
    pattern = next(p for p in re.findall(r'"pattern": "([^"]*\\\\p\{[^"]*)"', text))
    with pytest.raises(re.error):
        re.compile(json.loads(f'"{pattern}"'))


def test_valid_topology_passes(schema_path: Path) -> None:
    assert validate_topology(fabric(), schema_path) == []


def test_bad_kind_is_reported_with_a_suggestion(schema_path: Path) -> None:
    topo = fabric()
    topo["topology"]["nodes"]["leaf2"]["kind"] = "sonic_vs"
    problems = validate_topology(topo, schema_path)
    assert any(p.startswith("topology.nodes.leaf2.kind: 'sonic_vs'") and "'sonic-vs'" in p for p in problems)


def test_unicode_pattern_fields_are_checked(schema_path: Path) -> None:
    topo = fabric()
    topo["topology"]["nodes"]["leaf1"]["mgmt-ipv4"] = "172.20.20"
    problems = validate_topology(topo, schema_path)
    assert problems and problems[0].startswith("topology.nodes.leaf1.mgmt-ipv4: '172.20.20' does not match")


def test_endpoint_on_unknown_node_fails(schema_path: Path) -> None:
    topo = fabric()
    topo["topology"]["links"].append({"endpoints": ["spine1:e1-9", "leaf9:eth1"]})
    assert validate_topology(topo, schema_path) == [
        "topology.links[6].endpoints[1]: node 'leaf9' is not defined in topology.nodes "
        "(known: frr1, leaf1, leaf2, leaf3, pe1, spine1)"
    ]


def test_reused_endpoint_fails(schema_path: Path) -> None:
    topo = fabric()
    topo["topology"]["links"].append(
        {
            "type": "veth",
            "endpoints": [{"node": "leaf1", "interface": "eth1"}, {"node": "leaf2", "interface": "eth2"}],
        }
    )
    problems = validate_topology(topo, schema_path)
    assert problems == [
        "topology.links[6].endpoints[0]: endpoint leaf1:eth1 is already used by topology.links[0].endpoints[1]"
    ]


@pytest.mark.parametrize(
    ("node", "ifname", "expected"),
    [
        ("spine1", "ethernet1", "nokia_srlinux"),
        ("spine1", "e1/1", "nokia_srlinux"),
        ("leaf1", "Ethernet1", "arista_ceos"),
        ("leaf1", "eth0", "arista_ceos"),
        ("leaf2", "Ethernet0", "sonic-vs"),
        ("leaf3", "eth1", "nvidia_cumulusvx"),
        ("pe1", "1/1/c1/1", "nokia_srsim"),
        ("frr1", "eth0", "management interface"),
        ("frr1", "an-interface-name-too-long", "Linux interface name"),
    ],
)
def test_bad_interface_name_fails(schema_path: Path, node: str, ifname: str, expected: str) -> None:
    topo = fabric()
    topo["topology"]["links"].append({"endpoints": [f"{node}:{ifname}", "frr1:eth9"]})
    problems = validate_topology(topo, schema_path)
    assert len(problems) == 1, problems
    assert problems[0].startswith("topology.links[6].endpoints[0]: ") and expected in problems[0]


def test_malformed_short_endpoint_and_extended_link_errors_name_the_path(schema_path: Path) -> None:
    topo = copy.deepcopy(fabric())
    topo["topology"]["links"].append({"endpoints": ["spine1-e1-9", "frr1:eth9"]})
    topo["topology"]["links"].append({"type": "veth", "endpoints": [{"node": "frr1"}]})
    problems = validate_topology(topo, schema_path)
    assert "topology.links[6].endpoints[0]: 'spine1-e1-9' is not of the form 'node:interface'" in problems
    assert "topology.links[7].endpoints[0]: 'interface' is a required property" in problems


def test_interface_rules_of_other_kinds_are_not_guessed() -> None:
    assert interface_problem("cisco_xrv9k", "GigabitEthernet0/0/0/0") is None


def test_schema_is_found_from_the_env_var(monkeypatch: pytest.MonkeyPatch, schema_path: Path, tmp_path: Path) -> None:
    shared = schema_path.parents[2]
    monkeypatch.setenv("NETWEAVE_SHARED", str(shared))
    assert find_clab_schema() == schema_path
    monkeypatch.setenv("NETWEAVE_SHARED", str(tmp_path))
    with pytest.raises(SchemaNotFoundError, match="NETWEAVE_SHARED"):
        find_clab_schema()
