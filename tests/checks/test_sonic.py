"""SONiC config_db judged by the sonic-yang models (plus the cross-table rules they cannot express): the
reference sample passes, and every broken variant is rejected with the model's (or the rule's) message at the
line of the broken table, entry or field."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from tests.conftest import require
from tests.support.checks import CheckerUnavailable, CheckProblem
from tests.support.checks.sonic import check_config_db, check_config_dbs

pytestmark = pytest.mark.real


def _check(obj: Any) -> list[CheckProblem]:
    try:
        return check_config_db(obj)
    except CheckerUnavailable as exc:
        require(False, str(exc))
        raise


@pytest.fixture
def db(sample: Callable[[str], str]) -> dict[str, Any]:
    return json.loads(sample("sonic/config_db.json"))


def test_reference_sample_passes(db: dict[str, Any]) -> None:
    assert _check(db) == []


def test_json_text_is_accepted(sample: Callable[[str], str]) -> None:
    assert _check(sample("sonic/config_db.json")) == []


_DELETE = object()


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


VARIANTS: list[tuple[Callable[[dict[str, Any]], None], str, str]] = [
    # judged by the models
    (_set("PORT::Ethernet0::mtu", "9300"), '"mtu": "9300"', 'value "9300" is out of the allowed range'),
    (_set("PORT::Ethernet0::admin_stauts", "up"), '"admin_stauts"', 'Node "admin_stauts" not found'),
    (_set("DEVICE_METADATA::localhost::type", "Leaf"), '"type": "Leaf"', 'Unsatisfied pattern - "Leaf"'),
    (_set("INTERFACE::Ethernet12|10.1.0.5/31", {}), '"Ethernet12|10.1.0.5/31"', 'leafref value "Ethernet12"'),
    (_set("INTERFACE::Ethernet0|10.1.0.1", {}), '"Ethernet0|10.1.0.1"', 'Invalid union value "10.1.0.1"'),
    (_set("VXLAN_TUNEL", {}), '"VXLAN_TUNEL"', "unknown SONiC table 'VXLAN_TUNEL'"),
    (_set("VRF::blue", {"vni": "10001"}), '"blue"', "Invalid VRF name"),
    (_set("QUEUE::Ethernet0|3::wred_profile", "NOPE"), '"wred_profile": "NOPE"', 'leafref value "NOPE"'),
    (
        _set("WRED_PROFILE::ROCE_LOSSLESS::green_min_threshold", "4000000"),
        '"green_max_threshold"',
        "Green max threshold must be greater than or equal to min threshold",
    ),
    (_set("MGMT_PORT", _DELETE), '"eth0|', 'leafref value "eth0"'),
    (_set("SAG", _DELETE), '"static_anycast_gateway"', "static_anycast_gateway requires SAG"),
    (_set("INTERFACE::Ethernet4", _DELETE), '"Ethernet4|10.1.0.3/31"', "Must condition not satisfied"),
    (_set("VLAN::Vlan100::vlanid", "101"), '"vlanid": "101"', "The vlanid must correspond to the VLAN name"),
    # the cross-table rules the models cannot express (netweave.check.sonic.cross_table_rules)
    (_set("DEVICE_METADATA::localhost::docker_routing_config_mode", "unified"), '"unified"', "split"),
    (_set("PFC_WD::Ethernet4", _DELETE), '"pfc_enable"', "PFC enabled on Ethernet4 but no PFC_WD"),
    (_set("VXLAN_TUNNEL_MAP::vtep|map_10001_Vlan3001", _DELETE), '"vni": "10001"', "L3VNI 10001"),
    (_set("PORT::Ethernet4::lanes", "3,4,5,6"), '"lanes": "3,4,5,6"', "lane 3 already used by Ethernet0"),
]


@pytest.fixture(scope="module")
def judged() -> list[tuple[list[CheckProblem], list[str]]]:
    """Every variant (and the garbage inputs) judged in one yanglint run: (problems, the variant's JSON lines)."""
    base = json.loads((Path(__file__).parent / "samples" / "sonic" / "config_db.json").read_text())
    variants = []
    for mutate, _, _ in VARIANTS:
        broken = copy.deepcopy(base)
        mutate(broken)
        variants.append(broken)
    try:
        found = check_config_dbs([*variants, *GARBAGE])
    except CheckerUnavailable as exc:
        require(False, str(exc))
        raise
    return [
        (problems, json.dumps(obj, indent=4).splitlines())
        for problems, obj in zip(found, [*variants, *GARBAGE], strict=True)
    ]


GARBAGE = ["{", "[]", '{"PORT": []}', '{"PORT": {"Ethernet0": 5}}']


@pytest.mark.parametrize(("index", "line_of", "fragment"), [(i, v[1], v[2]) for i, v in enumerate(VARIANTS)])
def test_broken_variants_fail(
    judged: list[tuple[list[CheckProblem], list[str]]], index: int, line_of: str, fragment: str
) -> None:
    problems, text = judged[index]
    found = [p for p in problems if fragment in p.message]
    assert found, problems
    line = int(found[0].where)
    assert line_of in text[line - 1] or any(line_of in t for t in text[line - 1 : line + 2]), (text[line - 1], found)


@pytest.mark.parametrize("index", range(len(GARBAGE)))
def test_garbage_does_not_raise(judged: list[tuple[list[CheckProblem], list[str]]], index: int) -> None:
    assert judged[len(VARIANTS) + index][0]
