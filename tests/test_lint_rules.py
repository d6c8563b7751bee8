"""Every lint rule: a design that trips it (with the right path) and the lab design that passes it."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import pytest

import netweave
from netweave.lint import RULES
from netweave.network.model import Network
from tests.conftest import LAB_DESIGN, fabric


def _second_fabric_same_pools(d: dict[str, Any]) -> None:
    other = copy.deepcopy(fabric(d))
    other.update(name="fabric2", hostname_prefix="b-")
    other["leaves"]["overrides"] = {}
    d["sites"].append({"name": "dc2", "fabrics": [other]})


def _tiny_spine(d: dict[str, Any]) -> None:
    d["platforms"] = {
        "tiny": {"vendor": "Acme", "model": "Tiny-2", "nos": ["frr"], "ports": [{"count": 2, "speed": 100}]}
    }
    fabric(d)["spines"].update(platform="tiny", nos="frr")


def _spine_uplinks_overlap_downlinks(d: dict[str, Any]) -> None:
    f = fabric(d)
    f.update(
        pods=2, super_spines={"count": 2, "platform": "nokia-7220-ixr-d3l"}, capacity={"max_spines": 4, "max_leaves": 8}
    )
    f["spines"]["uplink_first_port"] = 2
    f["leaves"]["overrides"] = {}
    f["addressing"]["p2p"] = "10.1.0.0/20"


# rule id -> (edit that breaks it, fragment of the expected message, expected design path prefix)
FAILING: dict[str, tuple[Callable[[dict[str, Any]], None], str, str]] = {
    "management-driver-reachable": (
        lambda d: d.update(management={"api": {"json_rpc": False}}),
        "which this management section turns off",
        "management.api.json_rpc",
    ),
    "bgp-auth-algorithm": (
        lambda d: d.update(management={"bgp_auth": {"key": {"secret": "bgp_key"}, "algorithm": "tcp-ao"}}),
        "which has no tcp-ao form for BGP sessions",
        "management.bgp_auth.algorithm",
    ),
    "asn-range": (lambda d: fabric(d)["asn"].update(leaf_base=100), "not a private ASN", "sites[0].fabrics[0].leaves"),
    "asn-leaf-unique": (
        lambda d: fabric(d)["leaves"]["overrides"].update(leaf1={"asn": 4200000099}, leaf2={"asn": 4200000099}),
        "share ASN 4200000099",
        "sites[0].fabrics[0].leaves",
    ),
    "asn-spine-shared": (
        lambda d: fabric(d)["spines"].update(overrides={"spine2": {"asn": 65101}}),
        "several ASNs",
        "sites[0].fabrics[0].spines",
    ),
    "ip-duplicate": (_second_fabric_same_pools, "is assigned to", "sites[0].fabrics[0]"),
    "pool-overlap": (
        lambda d: fabric(d)["addressing"].update(p2p="10.0.0.0/22"),
        "overlaps",
        "sites[0].fabrics[0].addressing",
    ),
    "pool-exhausted": (
        lambda d: fabric(d)["addressing"].update(p2p="10.1.0.0/28"),
        "needs 100",
        "sites[0].fabrics[0].addressing.p2p",
    ),
    "mgmt-address": (
        lambda d: fabric(d)["addressing"].update(management={"prefix": "172.20.0.0/27", "first_host": 20}),
        "gateway 172.20.0.1 is not in 172.20.0.32/27",
        "sites[0].fabrics[0]",
    ),
    "port-range": (_tiny_spine, "but Tiny-2 has 2", "sites[0].fabrics[0].spines"),
    "port-unique": (_spine_uplinks_overlap_downlinks, "used twice", "sites[0].fabrics[0].spines"),
    "platform-nos": (
        lambda d: fabric(d)["spines"].update(nos="eos"),
        "7220 IXR-D3L does not run eos",
        "sites[0].fabrics[0].spines",
    ),
    "link-mismatch": (
        lambda d: fabric(d)["leaves"]["overrides"].update(leaf1={"mtu": 9000}),
        "MTU 9000 vs 9216",
        "sites[0].fabrics[0].leaves",
    ),
    "leaf-spine-mesh": (
        lambda d: fabric(d)["leaves"]["overrides"].update(leaf2={"uplinks": ["spine1"]}),
        "leaf2 has no link to spine2",
        "sites[0].fabrics[0].leaves",
    ),
    "oversubscription": (
        lambda d: fabric(d)["leaves"].update(server_ports=40),
        "exceeds 3:1",
        "sites[0].fabrics[0].leaves",
    ),
}

NETWORK_ONLY = {"p2p-subnet", "maximum-paths"}
"""Rules the leaf-spine module cannot violate from YAML; they guard third-party modules, tested on a Network."""

AI_AND_OVERLAY = {
    "rail-rule",
    "radix-tiers",
    "qos-consistent",
    "qos-pfc",
    "qos-ecn",
    "cable-length",
    "evpn-vni-unique",
    "evpn-rt-consistent",
    "evpn-l3vni-per-vrf",
    "name-unique",
    "qos-platform-support",
}
"""Rules over rail-optimized fabrics, QoS and EVPN: their failing and passing cases are in test_lint_ai_rules.py
(qos-platform-support: tests/test_render_sros.py)."""

OPTICAL = {
    "optical-margin",
    "optical-cd",
    "optical-reach",
    "optical-span-gain",
    "optical-grid",
    "optical-blocked",
    "optical-mode-mismatch",
    "optical-downgrade",
    "optical-diversity",
}
"""DCI/optical rules: their failing and passing cases are in tests/optical/test_dci_design.py."""

SCALE_ACROSS = {"dci-unattached", "dci-fabric-unreached", "dci-capacity", "dci-stretched-vrf"}
"""Fabric-to-DCI attachment rules: their failing and passing cases are in tests/dci/test_attach.py
(dci-stretched-vrf: tests/dci/test_stretch.py)."""

POLICY = {"policy-unowned-prefix"}
"""Underlay routing policy rules: their failing and passing cases are in tests/lint/test_policy_rules.py."""

BGP_AUTH = {"bgp-auth-mismatch"}
"""Needs two management scopes on one session (a DCI carrier between sites): its failing and passing cases are in
tests/test_bgp_auth.py."""
MANAGEMENT = {"management-users-not-rendered"}
"""Management rules that need a NOS the lab design has not (SONiC): cases in tests/test_management.py."""


def test_every_rule_has_a_failing_case() -> None:
    netweave.lint(Network(name="empty"))
    covered = set(FAILING) | NETWORK_ONLY | AI_AND_OVERLAY | OPTICAL | SCALE_ACROSS | POLICY | BGP_AUTH | MANAGEMENT
    assert set(RULES) >= covered
    assert set(RULES) - covered == set(), "a rule without a failing-design test"


@pytest.fixture(scope="module")
def lab_network() -> Network:
    return netweave.expand(netweave.load(LAB_DESIGN))


@pytest.mark.parametrize("rule_id", sorted(set(FAILING) | NETWORK_ONLY | AI_AND_OVERLAY | OPTICAL | MANAGEMENT))
def test_rule_passes_on_lab(rule_id: str, lab_network: Network) -> None:
    assert netweave.lint(lab_network, only=[rule_id]) == []


@pytest.mark.parametrize("rule_id", sorted(FAILING))
def test_rule_fails_on_broken_design(rule_id: str, lab_data: dict, write_design: Callable, cli: Callable) -> None:
    edit, fragment, path = FAILING[rule_id]
    edit(lab_data)
    design_file = write_design(lab_data)
    network = netweave.expand(netweave.load(design_file))
    findings = netweave.lint(network, only=[rule_id])
    assert findings, f"{rule_id} did not fire"
    assert any(fragment in f.message for f in findings), [f.message for f in findings]
    assert all(f.path.startswith(path) for f in findings), [f.path for f in findings]
    assert all(f.rule == rule_id and f.severity == "error" for f in findings)
    # and the CLI reports it located, with exit code 2
    result = cli("validate", design_file)
    assert result.exit_code == 2
    assert f"[{rule_id}]" in result.stderr
    located = next(ln for ln in result.stderr.splitlines() if f"[{rule_id}]" in ln)
    assert located.split(":")[1].isdigit(), located


def test_p2p_subnet_rule(lab_network: Network) -> None:
    broken = Network.from_json(lab_network.to_json())
    broken.devices[2].interfaces[0].ipv4 = "10.9.9.9/31"
    findings = netweave.lint(broken, only=["p2p-subnet"])
    assert len(findings) == 1 and "not the two ends of one /31" in findings[0].message


def test_maximum_paths_rule(lab_network: Network) -> None:
    broken = Network.from_json(lab_network.to_json())
    broken.device_by_name["leaf1"].maximum_paths = 1
    findings = netweave.lint(broken, only=["maximum-paths"])
    assert [f.device for f in findings] == ["leaf1"]
    assert "2 uplinks but maximum-paths 1" in findings[0].message
