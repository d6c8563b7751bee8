"""FRR and SONiC's FRR render the underlay policy as route-maps over prefix-lists, with RFC 8212 kept on."""

from __future__ import annotations

import re

import pytest
from tests.conftest import REPO

import netweave
from netweave.network.policy import underlay_policies
from netweave.render import render_device

DESIGNS = ["ai-frr", "ai-sonic", "evpn-mixed"]


def _frr_files(design: str) -> list[tuple[str, str, netweave.Network]]:
    network = netweave.expand(netweave.load(REPO / "tests" / "golden" / "designs" / f"{design}.yaml"))
    out = []
    for device in network.devices:
        for name, text in render_device(network, device).files.items():
            if name.endswith("frr.conf"):
                out.append((device.name, text, network))
    return out


@pytest.mark.parametrize("design", DESIGNS)
def test_every_session_has_policy_both_ways_and_a_prefix_limit(design: str) -> None:
    files = _frr_files(design)
    assert files
    for device, text, network in files:
        policy = underlay_policies(network)[device]
        assert "no bgp ebgp-requires-policy" not in text
        assert " bgp ebgp-requires-policy\n" in text  # `frr defaults datacenter` would turn it off
        assert " bgp graceful-restart\n" in text and " bgp suppress-fib-pending\n" in text
        for n in network.neighbors(device):
            key = n.peer_address or n.local_interface
            session = policy.session(n)
            assert f"  neighbor {key} route-map {session.import_set} in\n" in text
            assert f"  neighbor {key} route-map UNDERLAY-OUT out\n" in text
            assert f"  neighbor {key} maximum-prefix {session.max_prefix}\n" in text
            assert f"route-map {session.import_set} permit 10\n" in text


def test_a_spines_prefix_list_for_a_leaf_lists_that_leafs_prefixes_exactly() -> None:
    _device, text, network = next(f for f in _frr_files("ai-frr") if f[0] == "spine1")
    leaf = network.device_by_name["su1-leaf-r1"]
    listed = re.findall(r"^ip prefix-list FROM-SU1-LEAF-R1 seq \d+ permit (\S+)$", text, re.M)
    assert listed[0] == f"{leaf.loopback}/32" and len(listed) == 1 + sum(i.kind == "server" for i in leaf.interfaces)


def test_evpn_sessions_are_filtered_to_the_designs_route_targets() -> None:
    _device, text, network = next(f for f in _frr_files("evpn-mixed") if f[0] == "leaf4")
    assert "  neighbor FABRIC route-map EVPN-RT in\n  neighbor FABRIC route-map EVPN-RT out\n" in text
    targets = re.findall(r"^bgp extcommunity-list standard EVPN-RT seq \d+ permit rt (\S+)$", text, re.M)
    assert targets == underlay_policies(network)["leaf4"].route_targets and targets
