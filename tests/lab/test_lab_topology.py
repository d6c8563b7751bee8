"""Plan validation, naming rules and the state file: pure Python, no root needed."""

from __future__ import annotations

import json

import pytest

from netweave.lab import (
    LabLink,
    LabNode,
    LabTopology,
    LabTopologyError,
    default_daemons,
    topology_problems,
    validate_topology,
)
from netweave.lab.naming import MAX_NETNS_LEN, netns_name, netns_prefix
from netweave.lab.runtime import _initial_state
from netweave.lab.state import load_state, save_state

CONF = "router bgp 65001\nexit\n"


def test_valid_plan_has_no_problems() -> None:
    topology = LabTopology("dc1", [LabNode("s1", CONF), LabNode("l1", CONF)], [LabLink("s1", "eth1", "l1", "eth1")])
    assert topology_problems(topology) == []


def test_every_problem_is_reported_with_its_path() -> None:
    topology = LabTopology(
        "dc-1",
        [
            LabNode("s1", CONF),
            LabNode("s1", "", loopbacks=("10.0.0.1", "10.0.0/32")),
            LabNode("bad name", CONF, daemons=("zebra", "ldpd")),
        ],
        [
            LabLink("s1", "eth1", "ghost", "eth1"),
            LabLink("s1", "eth1", "s1", "ethernet-1/1"),
            LabLink("s1", "eth3", "s1", "this-name-is-too-long", mtu=10),
        ],
    )
    problems = topology_problems(topology)
    text = "\n".join(problems)
    assert "name: lab name 'dc-1'" in text and "'dc_1'" in text
    assert "nodes[1] ('s1').name: duplicate node name" in text
    assert "nodes[1] ('s1').frr_conf: empty" in text
    assert "nodes[1] ('s1').loopbacks[1]: '10.0.0/32'" in text and "loopbacks[0]" not in text
    assert "nodes[2] ('bad name').name" in text
    assert "nodes[2] ('bad name').daemons: unsupported ['ldpd']" in text
    assert "links[0].b: unknown node 'ghost'" in text
    assert "links[1].a_ifname: s1:eth1 is already used by links[0].a" in text
    assert "links[1].b_ifname: interface name 'ethernet-1/1'" in text
    assert "links[2].b_ifname: interface name 'this-name-is-too-long' is 21 characters" in text
    assert "links[2].mtu: 10" in text
    with pytest.raises(LabTopologyError, match="lab topology 'dc-1' is invalid"):
        validate_topology(topology)


def test_bfdd_is_added_when_the_config_uses_bfd() -> None:
    assert default_daemons(CONF) == ("zebra", "bgpd", "staticd")
    assert default_daemons(CONF + "bfd\n peer 10.0.0.1\n").count("bfdd") == 1
    assert "bfdd" in default_daemons("router bgp 1\n neighbor 10.0.0.1 bfd\n")
    assert LabNode("x", CONF, daemons=("bgpd", "zebra")).resolved_daemons == ("zebra", "bgpd")


def test_netns_names_are_prefixed_and_shortened_deterministically() -> None:
    assert netns_name("dc1", "leaf1") == "nw-dc1-leaf1"
    long_node = "leaf-pod01-rack12-unit-42-a-very-long-name"
    short = netns_name("dc1", long_node)
    assert len(short) == MAX_NETNS_LEN
    assert short.startswith(netns_prefix("dc1"))
    assert short == netns_name("dc1", long_node)  # deterministic
    assert short != netns_name("dc1", long_node + "b")  # still unique


def test_state_file_round_trips_and_is_written_atomically(tmp_path) -> None:
    topology = LabTopology("dc1", [LabNode("s1", CONF), LabNode("l1", CONF)], [LabLink("s1", "eth1", "l1", "eth1")])
    state = _initial_state(topology, tmp_path)
    state.nodes["s1"].pids["zebra"] = 1234
    save_state(state)
    assert [p.name for p in state.path.parent.iterdir()] == ["state.json"]  # no temp file left
    assert json.loads(state.path.read_text())["nodes"]["s1"]["netns"] == "nw-dc1-s1"
    assert load_state("dc1", tmp_path) == state


def test_real_component_policy_skips_locally_and_fails_under_ci(policy) -> None:
    assert policy([], "true") is None
    assert policy(["not root"], None) == ("skip", "real FRR lab unavailable: not root")
    assert policy(["not root"], "false")[0] == "skip"
    action, reason = policy(["not root"], "true")
    assert action == "fail" and "CI=true" in reason and "not root" in reason
