"""Pure parts of the NVUE driver: YAML reading, diff lines, and getter mappings."""

from __future__ import annotations

import pytest

from netweave.napalm_nvue.getters import bgp_vrf, interfaces, speed_mbps
from netweave.napalm_nvue.tree import NvueYamlError, diff, dump_config, parse_config


def test_on_off_stay_strings_and_keys_are_strings() -> None:
    """YAML 1.1 would send booleans where NVUE's schema wants "on"/"off"; VLAN keys must be strings."""
    text = "- set:\n    router:\n      bgp:\n        enable: on\n    bridge:\n      vlan:\n        10: {}\n"
    tree = parse_config(text)
    assert tree == {"router": {"bgp": {"enable": "on"}}, "bridge": {"vlan": {"10": {}}}}
    assert parse_config(dump_config(tree)) == tree


def test_set_then_unset_documents_apply_in_order() -> None:
    text = "- set:\n    system: {hostname: a, timezone: UTC}\n- unset:\n    system: {timezone: {}}\n"
    assert parse_config(text) == {"system": {"hostname": "a"}}


@pytest.mark.parametrize("text", ["{}", "- header: {}\n- bogus: {}\n", "- set: [1]\n"])
def test_not_an_nvue_file(text: str) -> None:
    with pytest.raises(NvueYamlError):
        parse_config(text)


def test_diff_is_one_line_per_changed_leaf() -> None:
    old = {"system": {"hostname": "a"}, "interface": {"lo": {"ip": {"address": {"10.0.0.1/32": {}}}}}}
    new = {"system": {"hostname": "b"}, "interface": {"lo": {"ip": {"address": {"10.0.0.1/32": {}}}}}}
    assert diff(old, new) == "- nv set system hostname a\n+ nv set system hostname b\n"
    assert diff(new, new) == ""


def test_getter_mappings() -> None:
    assert speed_mbps("800G") == 800000.0 and speed_mbps("100M") == 100.0 and speed_mbps("auto") == -1.0
    data = {"swp1": {"link": {"oper-status": "down", "admin-status": "up", "mtu": 9216, "speed": "400G"}}}
    assert interfaces(data)["swp1"] == {
        "is_up": False,
        "is_enabled": True,
        "description": "",
        "last_flapped": -1.0,
        "speed": 400000.0,
        "mtu": 9216,
        "mac_address": "",
    }
    vrf = bgp_vrf({"autonomous-system": 65100, "router-id": "10.0.0.1"}, {"swp1": {"state": "Idle", "remote-as": 1}})
    assert vrf["peers"]["swp1"]["is_up"] is False and vrf["peers"]["swp1"]["local_as"] == 65100


def test_confirm_time_goes_to_nvue_in_whole_minutes_never_shorter() -> None:
    """NVUE's `nv config apply --confirm <time>` counts minutes (NVUE reference, Config Commands: "--confirm 60
    requires you to confirm within one hour"): seconds round up, so the window is never shorter than asked."""
    from netweave.napalm_nvue.driver import confirm_minutes
    from netweave.nos import profile

    assert [confirm_minutes(s) for s in (1, 59, 60, 61, 120, 600)] == [1, 1, 1, 2, 2, 10]
    napalm = profile("nvue").napalm
    assert napalm is not None and (napalm.driver, napalm.confirm_step) == ("nvue", 60)
