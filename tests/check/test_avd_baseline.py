"""Our EOS rendering against Arista AVD's for the same roles: no management baseline item AVD renders is
missing on our side.

AVD's `eos_designs` (PyPI pyavd, a test dependency) is given an l3ls-evpn fabric of one spine and one leaf
with the same management plane a netweave design states (management VRF, NTP, syslog, DNS, SNMP, TACACS+
AAA, a local admin, eAPI over HTTPS, SSH), and `eos_cli_config_gen` renders each device's running-config.
The baseline items below are matched line by line in both configs (top-level commands, so a value differs
where the two designs differ; the keyword must be there). The test asserts AVD renders every item (the
comparison means something) and that ours has every one AVD has.

The BGP baseline (`BGP_ITEMS`) is compared the same way, with BGP authentication on in both designs (AVD:
`bgp_peer_groups.*.password`, ours: `management.bgp_auth`) and AVD's graceful restart enabled: every item AVD's
l3ls-evpn output has for its BGP sessions is asserted on our spine and leaf. Where the two differ in form only,
the item has one pattern per side (see `BGP_ITEMS`).
"""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

import netweave
from netweave.render import render
from tests.support.check_env import require

MANAGEMENT_ITEMS = {
    "management VRF": r"^vrf instance MGMT$",
    "management default route": r"^ip route vrf MGMT 0\.0\.0\.0/0 ",
    "NTP server in the management VRF": r"^ntp server vrf MGMT \S+",
    "NTP source interface": r"^ntp local-interface vrf MGMT Management1$",
    "syslog host in the management VRF": r"^logging vrf MGMT host \S+",
    "syslog trap level": r"^logging trap \w+$",
    "DNS server in the management VRF": r"^ip name-server vrf MGMT \S+$",
    "DNS domain": r"^dns domain \S+$",
    "SNMP community (read-only)": r"^snmp-server community \S+ ro$",
    "SNMP contact": r"^snmp-server contact ",
    "SNMP location": r"^snmp-server location ",
    "SNMP in the management VRF": r"^snmp-server vrf MGMT$",
    "TACACS+ server in the management VRF": r"^tacacs-server host \S+ vrf MGMT ",
    "AAA login authentication": r"^aaa authentication login default group \S+ local$",
    "local admin user": r"^username \S+ privilege 15 role network-admin secret ",
    "eAPI": r"^management api http-commands$",
    "SSH server": r"^management ssh$",
}
"""Baseline management items: name -> regex of the top-level line that carries it."""

BGP_ITEMS: dict[str, tuple[str, str | None]] = {
    "router-id": (r"^   router-id \S+$", None),
    "IPv4 unicast not activated by default": (r"^   no bgp default ipv4-unicast$", None),
    "update wait-install": (r"^   update wait-install$", None),
    "graceful restart": (r"^   graceful-restart$", None),
    "graceful restart time": (r"^   graceful-restart restart-time \d+$", None),
    "ECMP": (r"^   maximum-paths \d+", None),
    "peer-group password": (r"^   neighbor (?!\d)\S+ password [078] \S+$", None),
    "maximum-routes per peer group": (r"^   neighbor (?!\d)\S+ maximum-routes [1-9]\d*$", None),
    "send-community per peer group": (r"^   neighbor (?!\d)\S+ send-community$", None),
    "BFD on BGP sessions": (r"^   neighbor (?!\d)\S+ bfd$", None),
    # AVD filters what it redistributes (`redistribute connected route-map RM-CONN-2-BGP`, a prefix-list of its
    # loopbacks); netweave originates its prefixes with `network` and filters every session's export by route-map
    # (`UNDERLAY-OUT`, the design-owned prefixes), with RFC 8212 kept on by `missing-policy ... deny`
    "filtered announcements": (
        r"^   redistribute connected route-map \S+$",
        r"^      neighbor (?!\d)\S+ route-map UNDERLAY-OUT out$",
    ),
}
"""AVD's BGP baseline: name -> (regex of the line in AVD's config, regex in ours where the form differs, else None)."""

MGMT = {
    "ntp": ["172.20.0.11"],
    "syslog": [{"host": "172.20.0.20"}],
    "dns": {"servers": ["172.20.0.53"], "domain": "dc1.example.net"},
    "snmp": {"community": {"secret": "snmp_ro"}, "location": "dc1", "contact": "noc@example.net"},
    "users": [{"name": "netops", "role": "admin", "password": {"secret": "netops_password"}}],
    "tacacs": [{"host": "172.20.0.40", "key": {"secret": "tacacs_key"}}],
    "bgp_auth": {"key": {"secret": "bgp_key"}},
}

AVD_COMMON: dict[str, Any] = {
    "fabric_name": "DC1",
    "mgmt_interface_vrf": "MGMT",
    "mgmt_gateway": "172.20.0.1",
    "aaa_settings": {
        "local_users": [{"name": "netops", "privilege": 15, "role": "network-admin", "sha512_password": "$6$x"}],
        "tacacs": {"servers": [{"host": "172.20.0.40", "vrf": "MGMT", "key": "071B245F5A"}]},
        "authentication": {"login": {"default": "group tacacs+ local"}},
    },
    "dns_settings": {"domain": "dc1.example.net", "servers": [{"ip_address": "172.20.0.53", "vrf": "MGMT"}]},
    "ntp_settings": {"server_vrf": "use_mgmt_interface_vrf", "servers": [{"name": "172.20.0.11", "iburst": True}]},
    "logging_settings": {"hosts": [{"name": "172.20.0.20", "vrf": "MGMT"}], "trap": "informational"},
    "snmp_settings": {
        "contact": "noc@example.net",
        "location": True,
        "communities": [{"name": "ro", "access": "ro"}],
        "vrfs": [{"name": "MGMT", "enable": True}],
    },
    "management_eapi": {"enabled": True, "enable_https": True},
    "ssh_settings": {"vrfs": [{"name": "MGMT", "enabled": True}]},
    "bgp_peer_groups": {  # arbitrary type-7 strings: AVD prints them as given; neither encodes a real key
        "ipv4_underlay_peers": {"password": "AQQvKeimxJu+uGQ/yYvv9w=="},
        "evpn_overlay_peers": {"password": "q+VNViP5i4rVjW1cxFv2wA=="},
    },
    "bgp_graceful_restart": {"enabled": True},
    "spine": {
        "defaults": {"platform": "7050CX3", "loopback_ipv4_pool": "10.0.0.0/24", "bgp_as": "65100"},
        "nodes": [{"name": "spine1", "id": 1, "mgmt_ip": "172.20.0.11/24"}],
    },
    "l3leaf": {
        "defaults": {
            "platform": "7050CX3",
            "loopback_ipv4_pool": "10.0.0.0/24",
            "vtep_loopback_ipv4_pool": "10.0.1.0/24",
            "uplink_interfaces": ["Ethernet49"],
            "uplink_switches": ["spine1"],
            "uplink_ipv4_pool": "10.1.0.0/24",
        },
        "node_groups": [
            {
                "group": "L1",
                "bgp_as": "4200000001",
                "nodes": [
                    {"name": "leaf1", "id": 1, "mgmt_ip": "172.20.0.21/24", "uplink_switch_interfaces": ["Ethernet1"]}
                ],
            }
        ],
    },
}


@pytest.fixture(scope="module")
def avd() -> dict[str, str]:
    """AVD's running-config of the spine and the leaf."""
    require(importlib.util.find_spec("pyavd") is not None, "pyavd not installed (pip install -e '.[dev]')")
    import pyavd

    inputs = {"spine1": {**AVD_COMMON, "type": "spine"}, "leaf1": {**AVD_COMMON, "type": "l3leaf"}}
    for host, data in inputs.items():
        errors = pyavd.validate_inputs(data).validation_result.violations
        assert not errors, (host, [(e.path, e.message) for e in errors])
    facts = pyavd.get_avd_facts(inputs)
    return {h: pyavd.get_device_config(pyavd.get_device_structured_config(h, inputs[h], facts)) for h in inputs}


@pytest.fixture(scope="module")
def ours() -> dict[str, str]:
    """Our rendering of the same roles: the evpn-mixed golden design on EOS everywhere, with MGMT above."""
    from tests.golden import DESIGNS

    data = yaml.safe_load(Path(DESIGNS["evpn-mixed"]).read_text())
    data["sites"][0]["fabrics"][0]["leaves"].pop("overrides")
    data["management"] = MGMT
    network = netweave.expand(netweave.loads(yaml.safe_dump(data)))
    files = {n: t for c in render(network) for n, t in c.files.items()}
    return {"spine1": files["spine1.eos.cfg"], "leaf1": files["leaf1.eos.cfg"]}


def _has(text: str, pattern: str) -> bool:
    return re.search(pattern, text, re.MULTILINE) is not None


@pytest.mark.parametrize("role", ["spine1", "leaf1"])
def test_no_management_baseline_item_of_avd_is_missing(role: str, avd: dict[str, str], ours: dict[str, str]) -> None:
    missing_in_avd = [item for item, pattern in MANAGEMENT_ITEMS.items() if not _has(avd[role], pattern)]
    assert missing_in_avd == [], f"AVD's {role} lacks items the comparison relies on: {missing_in_avd}"
    missing = [item for item, pattern in MANAGEMENT_ITEMS.items() if not _has(ours[role], pattern)]
    assert missing == [], f"our {role} lacks AVD baseline items: {missing}"


@pytest.mark.parametrize("role", ["spine1", "leaf1"])
def test_no_bgp_baseline_item_of_avd_is_missing(role: str, avd: dict[str, str], ours: dict[str, str]) -> None:
    missing_in_avd = [item for item, (pattern, _) in BGP_ITEMS.items() if not _has(avd[role], pattern)]
    assert missing_in_avd == [], f"AVD's {role} lacks items the comparison relies on: {missing_in_avd}"
    missing = [item for item, (avd_form, our_form) in BGP_ITEMS.items() if not _has(ours[role], our_form or avd_form)]
    assert missing == [], f"our {role} lacks AVD BGP baseline items: {missing}"


@pytest.mark.parametrize("role", ["spine1", "leaf1"])
def test_every_peer_group_is_authenticated_like_avds(role: str, avd: dict[str, str], ours: dict[str, str]) -> None:
    """Not one group with a password and another without: each peer group AVD or we declare carries one."""
    for config in (avd[role], ours[role]):
        groups = re.findall(r"^   neighbor (\S+) peer group$", config, re.MULTILINE)
        assert groups, config
        assert all(_has(config, rf"^   neighbor {re.escape(g)} password [078] \S+$") for g in groups), groups
    assert "password 0 NETWEAVE_SECRET_BGP_KEY" in ours[role]  # the placeholder, filled in at apply time only
