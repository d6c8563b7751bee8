"""The underlay policy on real FRR: a leaf that announces a prefix it does not own (another leaf's loopback,
a block outside the design) has it filtered, and `lab verify` reports the session that carried it.

Needs root and Debian frr (``lab_session`` skips otherwise, or fails under CI=true); namespaces are named
after this process (``pol<pid>``) and removed by the fixture's teardown, which also asserts nothing is left.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

import netweave
from netweave.lab import up
from netweave.lab.emulate import design_lab
from netweave.lab.frr import apply_config
from netweave.lab.query import vtysh_json
from netweave.lab.state import LabState
from netweave.lab.verify import _policy_check, policy_ends, verify
from netweave.network.policy import underlay_policies

REPO = Path(__file__).resolve().parents[2]
PID = os.getpid() % 100000
LAB_DESIGN = REPO / "stacks" / "lab" / "design.yaml"


def _inject(state: LabState, node: str, asn: int, prefixes: list[str], tmp_path: Path) -> None:
    """Originate `prefixes` from `node` (a blackhole route, so FRR's import check lets `network` through)."""
    lines = [f"ip route {p} blackhole" for p in prefixes]
    lines += [f"router bgp {asn}", " address-family ipv4 unicast", *(f"  network {p}" for p in prefixes)]
    lines += [" exit-address-family", "exit", ""]
    conf = tmp_path / f"{node}-inject.conf"
    conf.write_text("\n".join(lines))
    apply_config(state.node(node).netns, conf)


@pytest.mark.real
def test_a_leaf_announcing_what_it_does_not_own_is_filtered_and_reported(lab_session: Any, tmp_path: Path) -> None:
    lab = design_lab(netweave.expand(netweave.load(LAB_DESIGN)), f"pol{PID}")
    lab_session.track(lab.topology)
    state = up(lab.topology, lab_session.state_dir)
    clean = verify(state, lab.network, timeout=60)
    assert clean.ok, clean.failures
    policy_rows = [c for c in clean.checks if c.kind == "policy"]
    assert len(policy_rows) == 2 * len(lab.network.sessions)  # both ends of every session

    devices = lab.network.device_by_name
    leaf1, leaf2 = devices["leaf1"], devices["leaf2"]
    hijack = f"{leaf2.loopback}/32"  # inside the design's loopback pool, but leaf2's
    foreign = "192.0.2.0/24"  # outside every pool the design owns (RFC 5737 documentation block)
    _inject(state, "leaf1", leaf1.asn, [hijack, foreign], tmp_path)

    outcome = verify(state, lab.network, timeout=10, interval=1)
    failed = {(c.kind, c.device, c.subject): c.actual for c in outcome.failures}
    spine_ends = [e for e in policy_ends(lab.network, underlay_policies(lab.network)) if e.peer_device == "leaf1"]
    assert spine_ends and {e.device for e in spine_ends} == {"spine1", "spine2"}
    for end in spine_ends:
        actual = failed[("policy", end.device, f"{end.peer} ({end.peer_device})")]
        assert f"filtered: {hijack}" in actual and "outside the set" not in actual
        # the spine kept leaf2 as the only origin of leaf2's loopback
        route = vtysh_json(state, end.device, f"show bgp ipv4 unicast {hijack}")
        assert {p["aspath"]["string"] for p in route["paths"]} == {str(leaf2.asn)}
        assert vtysh_json(state, end.device, f"show bgp ipv4 unicast {foreign}") == {}
        # the foreign block never left leaf1: its export policy holds only what the design owns
        advertised = vtysh_json(state, "leaf1", f"show bgp ipv4 unicast neighbors {end.sender_key} advertised-routes")
        assert hijack in advertised["advertisedRoutes"] and foreign not in advertised["advertisedRoutes"]
    # the rest of the fabric is unaffected; only leaf1 itself now sends leaf2's loopback to its blackhole
    others = {key for key in failed if key[0] != "policy"}
    assert others <= {
        ("route", "leaf1", f"{hijack} (leaf2)"),
        ("ping", "leaf1", f"{leaf1.loopback} -> {leaf2.loopback} (leaf2)"),
    }
    assert {key[1] for key in failed if key[0] == "policy"} == {"spine1", "spine2"}


def test_the_policy_check_names_leaks_filtered_and_missing_prefixes() -> None:
    """Without a lab: the three ways a session can carry other than the design intends."""
    network = netweave.expand(netweave.load(LAB_DESIGN))
    policies = underlay_policies(network)
    end = next(e for e in policy_ends(network, policies) if e.device == "spine1" and e.peer_device == "leaf1")
    own = f"{network.device_by_name['leaf1'].loopback}/32"
    other = f"{network.device_by_name['leaf2'].loopback}/32"
    policy = policies["spine1"]
    assert _policy_check(end, policy, {own}, {own}).ok
    leak = _policy_check(end, policy, {own, other}, {own, other})
    assert not leak.ok and leak.actual == f"2 accepted; outside the set: {other}"
    stopped = _policy_check(end, policy, {own}, {own, other, "192.0.2.0/24"})
    assert not stopped.ok and stopped.actual == f"1 accepted; filtered: {other}, 192.0.2.0/24"
    lost = _policy_check(end, policy, set(), set())
    assert not lost.ok and lost.actual == f"0 accepted; missing: {own}"
    up_end = next(e for e in policy_ends(network, policies) if e.device == "leaf1")
    assert _policy_check(up_end, policies["leaf1"], set(), set()).ok  # a block has no member that must arrive
