"""The underlay policy computed from the Network (`netweave.network.policy`): what each session may carry."""

from __future__ import annotations

from pathlib import Path

import pytest

import netweave
from netweave.network.model import Network
from netweave.network.policy import (
    FABRIC_SET,
    MAX_PREFIX_MIN_SPARE,
    PoolPrefix,
    UnderlayPolicy,
    max_prefix,
    originated,
    session_key,
    set_name,
    underlay_policies,
)
from netweave.render.context import render_inputs
from tests.conftest import REPO
from tests.designs import ai_design, build, leaf_spine_design

BUNDLED = [REPO / "stacks" / "lab" / "design.yaml", REPO / "stacks" / "prod" / "design.yaml"]


def _accepts(entries: list[PoolPrefix], prefix: str) -> bool:
    return any(e.covers(prefix) for e in entries)


def test_a_spine_accepts_from_a_leaf_exactly_that_leafs_prefixes() -> None:
    network = build(leaf_spine_design())
    policies = underlay_policies(network)
    spine = next(d for d in network.devices if d.role == "spine")
    leaf = next(d for d in network.devices if d.role == "leaf")
    other = [d for d in network.devices if d.role == "leaf"][1]
    session = next(policies[spine.name].session(n) for n in network.neighbors(spine.name) if n.peer_device == leaf.name)
    entries = policies[spine.name].import_entries(session.import_set or "")
    assert session.import_set == set_name(leaf.name)
    assert sorted(e.prefix for e in entries) == sorted(originated(leaf))
    assert all(e.exact for e in entries)
    assert not _accepts(entries, f"{other.loopback}/32")  # a leaf cannot speak for another leaf
    assert not _accepts(entries, "0.0.0.0/0")
    assert session.expected == len(originated(leaf)) and session.max_prefix == max_prefix(session.expected)


def test_a_leaf_accepts_from_a_spine_the_design_owned_sets_only() -> None:
    network = build(ai_design())
    policies = underlay_policies(network)
    leaf = next(d for d in network.devices if d.role == "leaf")
    policy = policies[leaf.name]
    assert {policy.session(n).import_set for n in network.neighbors(leaf.name)} == {FABRIC_SET}
    entries = policy.import_entries(FABRIC_SET)
    others = [d for d in network.devices if d.name != leaf.name]
    assert all(_accepts(entries, p) for d in others for p in originated(d))
    p2p = next(i.ipv4 for i in leaf.interfaces if i.kind == "fabric" and i.ipv4)
    assert p2p is not None and not _accepts(entries, p2p.split("/")[0] + "/31")  # p2p links stay out
    assert not _accepts(entries, "10.0.0.0/16")  # the loopback block itself is no member


def test_a_super_spine_accepts_from_a_spine_the_design_owned_sets() -> None:
    """A spine is transit: the leaves below it are filtered exactly at the spine, so the super-spine takes the
    design-owned sets from it (listing the whole pod exactly made super-spine configs megabytes at 16k GPUs)."""
    network = build(ai_design(gpus=4096))
    policies = underlay_policies(network)
    top = next(d for d in network.devices if d.role == "super-spine")
    n = network.neighbors(top.name)[0]
    spine = network.device_by_name[n.peer_device]
    policy = policies[top.name]
    assert policy.session(n).import_set == FABRIC_SET
    entries = policy.import_entries(FABRIC_SET)
    below = {
        p
        for m in network.neighbors(spine.name)
        if network.device_by_name[m.peer_device].role == "leaf"
        for p in originated(network.device_by_name[m.peer_device])
    }
    assert below and all(_accepts(entries, p) for p in below | set(originated(spine)))
    assert not _accepts(entries, "192.0.2.0/24")
    leaf = next(m for m in network.neighbors(spine.name) if network.device_by_name[m.peer_device].role == "leaf")
    assert policies[spine.name].session(leaf).import_set != FABRIC_SET  # the leaf edge is exact


def test_max_prefix_doubles_with_a_floor_of_spare_prefixes_rounded_to_a_power_of_two() -> None:
    assert max_prefix(1) == 32  # 1 + MAX_PREFIX_MIN_SPARE, rounded up to a power of two
    assert max_prefix(16) == 32 and max_prefix(17) == 64
    assert max_prefix(1000) == 2048
    assert all(max_prefix(n) >= max(2 * n, n + MAX_PREFIX_MIN_SPARE) for n in range(1, 5000))


@pytest.mark.parametrize("design", BUNDLED, ids=lambda p: p.parent.name)
def test_every_session_passes_what_the_sender_originates(design: Path) -> None:
    """Exported by the sender and imported by the receiver: no owned prefix is lost to the policy, so the
    fabric converges with RFC 8212 on (the DCI routers' own sessions excepted: `netweave.dci.routing`)."""
    network = netweave.expand(netweave.load(design))
    policies = underlay_policies(network)
    _assert_sessions_pass_own_prefixes(network, policies)


def _assert_sessions_pass_own_prefixes(network: Network, policies: dict[str, UnderlayPolicy]) -> None:
    for receiver in network.devices:
        policy = policies[receiver.name]
        for n in network.neighbors(receiver.name):
            sender = network.device_by_name[n.peer_device]
            session = policy.sessions[session_key(n)]
            if session.import_set is None:
                assert receiver.role == "dci"
                continue
            entries = policy.import_entries(session.import_set)
            for prefix in originated(sender):
                assert _accepts(entries, prefix), (receiver.name, sender.name, prefix)
                assert _accepts(policies[sender.name].export.entries, prefix)
            if session.import_set != FABRIC_SET:
                assert session.expected == len(entries)
            assert session.max_prefix is not None and session.max_prefix > session.expected


def test_prefixes_a_dci_router_brings_in_are_accepted_on_the_way_to_every_leaf() -> None:
    """The other sites' summaries enter a fabric where the design attaches the DCI router and must pass
    every hop below it (the DCI sessions' own policy is `netweave.dci.routing`'s)."""
    network = netweave.expand(netweave.load(REPO / "stacks" / "prod" / "design.yaml"))
    assert network.dci is not None
    policies = underlay_policies(network)
    for name, dci in network.dci.policies.items():
        for n in network.neighbors(name):
            attached = network.device_by_name[n.peer_device]
            if attached.role == "dci":
                continue
            back = next(m for m in network.neighbors(attached.name) if m.peer_device == name)
            entries = policies[attached.name].import_entries(policies[attached.name].session(back).import_set or "")
            for prefix in dci.remote:
                assert _accepts(entries, prefix), (attached.name, prefix)
                for m in network.neighbors(attached.name):  # and the tier below hears it from `attached`
                    below = network.device_by_name[m.peer_device]
                    if below.role in ("leaf", "spine") and below.role != attached.role:
                        up = next(k for k in network.neighbors(below.name) if k.peer_device == attached.name)
                        set_ = policies[below.name].session(up).import_set or ""
                        assert _accepts(policies[below.name].import_entries(set_), prefix), (below.name, prefix)


def test_evpn_sessions_carry_the_designs_route_targets() -> None:
    network = netweave.expand(netweave.load(REPO / "tests" / "golden" / "designs" / "evpn-mixed.yaml"))
    policies = underlay_policies(network)
    targets = {
        rt
        for d in network.devices
        if d.evpn
        for rt in [*(v.route_target for v in d.evpn.vrfs), *(s.route_target for s in d.evpn.l2vnis)]
    }
    assert targets
    for device in network.devices:
        evpn = any("l2vpn-evpn" in n.afi for n in network.neighbors(device.name))
        assert set(policies[device.name].route_targets) == (targets if evpn else set())


PLATFORM = "arista-7060x6-64pe"


def test_adding_a_leaf_leaves_the_other_leaves_render_inputs_equal() -> None:
    """Only the new leaf and its spines re-render in `netweave diff`: the session's expected count moves with
    every leaf, but it is not a render input (the rounded max-prefix is, and it does not move here)."""
    before, after = build(leaf_spine_design()), build(leaf_spine_design(leaves={"count": 9, "platform": PLATFORM}))
    changed = {
        d.name
        for d in after.devices
        if d.name not in before.device_by_name
        or render_inputs(after, d) != render_inputs(before, before.device_by_name[d.name])
    }
    assert changed == {"leaf9"} | {d.name for d in after.devices if d.role == "spine"}


def test_equal_session_policies_are_one_object_with_each_sessions_values() -> None:
    """Sessions with the same peer, import set and expected count share one frozen SessionPolicy; each still
    carries what its own session needs (the values the per-session construction gave)."""
    network = build(ai_design())
    policies = underlay_policies(network)
    everything = len({p for d in network.devices if d.role != "dci" for p in originated(d)})
    shared = 0
    for device in network.devices:
        policy = policies[device.name]
        by_peer: dict[str, list[object]] = {}
        for neighbor in network.neighbors(device.name):
            session = policy.session(neighbor)
            assert session.peer_device == neighbor.peer_device
            if session.import_set == FABRIC_SET:
                assert session.expected == everything and session.max_prefix == max_prefix(everything)
            else:
                entries = policy.import_entries(session.import_set or "")
                assert session.expected == len(entries) and session.max_prefix == max_prefix(len(entries))
            by_peer.setdefault(neighbor.peer_device, []).append(session)
        for sessions in by_peer.values():
            assert all(s is sessions[0] for s in sessions)
            shared += len(sessions) - 1
    assert shared > 0  # the design has several links between some pairs
