"""QoS and EVPN intent: defaults from the reference, overrides per fabric, located errors for bad values."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from netweave.fabric import expand_qos
from netweave.intent.qos import QosIntent
from tests.designs import ai_design, build, leaf_spine_design


def test_roce_defaults_match_the_reference() -> None:
    key, profile = expand_qos(QosIntent(), "fabric", "sites[0].fabrics[0].qos")
    assert key == "fabric/roce-lossless"
    assert profile.dscp_to_tc == {26: 3, 48: 6} and profile.pfc_priorities == [3]
    assert profile.strict_priority_tcs == [6] and profile.link_pause is False
    assert (profile.ecn.min_threshold.value, profile.ecn.min_threshold.unit) == (150_000, "bytes")
    assert (profile.ecn.max_threshold.value, profile.ecn.max_threshold.unit) == (1_500_000, "bytes")
    assert (profile.pfc_watchdog_detect_ms, profile.pfc_watchdog_restore_ms) == (200, 400)


def test_qos_override_per_fabric_and_off_switch() -> None:
    eda = {
        "name": "eda",
        "pfc_watchdog": {"detect_ms": 750, "restore_ms": 750},
        "ecn": {"min": {"value": 10, "unit": "percent"}, "max": {"value": 80, "unit": "percent"}},
    }
    network = build(ai_design(gpus=64, qos=eda))
    profile = network.qos_profiles["backend/eda"]
    assert profile.pfc_watchdog_detect_ms == 750 and profile.ecn.max_threshold.unit == "percent"
    assert {d.qos for d in network.devices} == {"backend/eda"}
    lossy = build(ai_design(gpus=64, qos=None))
    assert lossy.qos_profiles == {} and {d.qos for d in lossy.devices} == {None}


def test_leaf_spine_qos_and_cables_reach_every_tier() -> None:
    data = leaf_spine_design(
        pods=2,
        super_spines={"count": 2, "platform": "arista-7060x6-64pe"},
        spines={"count": 2, "platform": "arista-7060x6-64pe"},
        qos={},
        cable_m={"leaf_spine": 15, "spine_super_spine": 120},
    )
    network = build(data)
    assert {d.qos for d in network.devices} == {"frontend/roce-lossless"}
    assert {(lk.origin.rsplit(".", 1)[1], lk.cable_m) for lk in network.links} == {
        ("leaves", 15),
        ("super_spines", 120),
    }
    assert all(s.afi == ["ipv4-unicast"] for s in network.sessions)  # no overlay, no EVPN family


@pytest.mark.parametrize(
    ("qos", "fragment"),
    [
        ({"dscp_to_tc": {64: 3}}, "DSCP 64 is outside 0-63"),
        ({"dscp_to_tc": {26: 9}}, "traffic class 9"),
        ({"ets_weights": {3: 60, 0: 60}}, "sum to 120"),
        ({"pfc_priorities": [8]}, "outside priorities 0-7"),
        ({"ecn": {"min": {"value": 10}}}, "unit"),
        ({"ecn": {"min": {"value": 10, "unit": "cells"}}}, "cells"),
    ],
)
def test_bad_qos_intent_is_located(qos: dict[str, Any], fragment: str, write_design: Callable, cli: Callable) -> None:
    result = cli("validate", write_design(ai_design(gpus=64, qos=qos)))
    assert result.exit_code == 2 and fragment in result.stderr, result.stderr
    assert "sites[0].fabrics[0].qos" in result.stderr and "Traceback" not in result.output


@pytest.mark.parametrize(
    ("evpn", "fragment"),
    [
        ({"vrfs": [{"name": "red", "l3vni": 0}]}, "out of range"),
        ({"l2vnis": [{"name": "web", "vni": 10, "vlan": 10, "gateway": "10.0.0.1/24"}]}, "needs a vrf"),
        ({"vrfs": [{"name": "red", "l3vni": 5, "route_target": "65000-5"}]}, "does not match"),
        ({"anycast_gateway_mac": "00:1C:73:00:00:99"}, "does not match"),
    ],
)
def test_bad_evpn_intent_is_located(evpn: dict[str, Any], fragment: str, write_design: Callable, cli: Callable) -> None:
    result = cli("validate", write_design(leaf_spine_design(evpn=evpn)))
    assert result.exit_code == 2 and fragment in result.stderr, result.stderr
    assert "sites[0].fabrics[0].evpn" in result.stderr
