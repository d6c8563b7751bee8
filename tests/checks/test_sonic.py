"""SONiC config_db checker: tables, keys, value formats and references from the sonic-yang models."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from typing import Any

import pytest
from tests.support.checks.sonic import check_config_db


@pytest.fixture
def db(sample: Callable[[str], str]) -> dict[str, Any]:
    return json.loads(sample("sonic/config_db.json"))


def test_reference_sample_passes(db: dict[str, Any]) -> None:
    assert check_config_db(db) == []


def test_json_text_is_accepted(sample: Callable[[str], str]) -> None:
    assert check_config_db(sample("sonic/config_db.json")) == []


def _set(path: str, value: Any) -> Callable[[dict[str, Any]], None]:
    *parents, last = path.split("::")

    def apply(d: dict[str, Any]) -> None:
        for p in parents:
            d = d[p]
        if value is _DELETE:
            del d[last]
        else:
            d[last] = value

    return apply


_DELETE = object()


@pytest.mark.parametrize(
    ("mutate", "where", "fragment"),
    [
        (_set("PORT::Ethernet0::mtu", "9300"), "PORT|Ethernet0/mtu", "outside 68..9216"),
        (_set("PORT::Ethernet0::mtu", 9216), "PORT|Ethernet0/mtu", "must be a string"),
        (_set("PORT::Ethernet0::admin_stauts", "up"), "PORT|Ethernet0/admin_stauts", "unknown field"),
        (_set("DEVICE_METADATA::localhost::hostname", _DELETE), "DEVICE_METADATA|localhost", "hostname"),
        (_set("DEVICE_METADATA::localhost::docker_routing_config_mode", "unified"), None, "split"),
        (_set("DEVICE_METADATA::localhost::type", "Leaf"), None, "not a SONiC device type"),
        (
            _set("INTERFACE::Ethernet12|10.1.0.5/31", {}),
            "INTERFACE|Ethernet12|10.1.0.5/31",
            "not found in PORT",
        ),
        (_set("INTERFACE::Ethernet0|10.1.0.1", {}), None, "no prefix length"),
        (_set("VXLAN_TUNEL", {}), "VXLAN_TUNEL", "unknown SONiC table"),
        (_set("VRF::blue", {"vni": "10001"}), "VRF|blue", "starting with 'Vrf'"),
        (_set("PFC_WD::Ethernet4", _DELETE), "PORT_QOS_MAP|Ethernet4", "no PFC_WD entry"),
        (_set("QUEUE::Ethernet0|3::wred_profile", "NOPE"), None, "not found in WRED_PROFILE"),
        (_set("VXLAN_TUNNEL_MAP::vtep|map_10001_Vlan3001", _DELETE), "VRF|Vrf-blue/vni", "L3VNI 10001"),
        (_set("WRED_PROFILE::ROCE_LOSSLESS::green_min_threshold", "4000000"), None, "below the max"),
        (_set("MGMT_PORT", _DELETE), None, "MGMT_PORT"),
        (_set("SAG", _DELETE), None, "SAG|GLOBAL"),
        (_set("INTERFACE::Ethernet4", _DELETE), "INTERFACE|Ethernet4|10.1.0.3/31", "needs the entry"),
        (_set("PORT::Ethernet4::lanes", "3,4,5,6"), "PORT|Ethernet4/lanes", "lane 3 already used"),
    ],
)
def test_broken_variants_fail(
    db: dict[str, Any], mutate: Callable[[dict[str, Any]], None], where: str | None, fragment: str
) -> None:
    broken = copy.deepcopy(db)
    mutate(broken)
    problems = check_config_db(broken)
    assert any(fragment in p.message and (where is None or p.where == where) for p in problems), problems


@pytest.mark.parametrize("bad", ["{", "[]", '{"PORT": []}', '{"PORT": {"Ethernet0": 5}}'])
def test_garbage_does_not_raise(bad: str) -> None:
    assert check_config_db(bad)
