"""The SONiC driver's pure parts: the config bundle, the replace target, the diff, the show parsers.

Parser inputs are the examples of sonic-utilities' doc/Command-Reference.md (show version, show lldp
table, show interfaces status), not output of our fake.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import napalm
import pytest

import netweave
from netweave.apply.desired import rendered
from netweave.napalm_sonic import SONiCDriver, bundle, parsers
from netweave.napalm_sonic.commands import SonicHost

SHOW_VERSION = """\
SONiC Software Version: SONiC.HEAD.32-21ea29a
Distribution: Debian 9.8
Kernel: 4.9.0-8-amd64
Build commit: 21ea29a
Build date: Fri Mar 22 01:55:48 UTC 2019
Built by: johnar@jenkins-worker-4

Platform: x86_64-mlnx_msn2700-r0
HwSKU: Mellanox-SN2700
ASIC: mellanox
ASIC Count: 1
Serial Number: MT1822K07815
Model Number: MSN2700-CS2FO
Hardware Rev: A1
Uptime: 14:40:15 up 3 min,  1 user,  load average: 1.26, 1.45, 0.66
Date: Fri 22 Mar 2019 14:40:15

Docker images:
REPOSITORY                 TAG                 IMAGE ID            SIZE
docker-syncd-brcm          HEAD.32-21ea29a     434240daff6e        362MB
"""

LLDP_TABLE = """\
Capability codes: (R) Router, (B) Bridge, (O) Other
LocalPort    RemoteDevice       RemotePortID         Capability    RemotePortDescr
-----------  -----------------  -------------------  ------------  --------------------
Ethernet112  T1-1               hundredGigE1/2       BR            T0-2:hundredGigE1/29
Ethernet116  T1-2               hundredGigE1/2       BR            T0-2:hundredGigE1/30
eth0         swtor-b2lab2-1610  GigabitEthernet 0/2  OBR
--------------------------------------------------
Total entries displayed:  3
"""

INTERFACES_STATUS = """\
Interface            Lanes    Speed    MTU            Alias    Oper    Admin    Type    Asym PFC
-----------  ---------------  -------  -----  ---------------  ------  -------  ------  ----------
  Ethernet0      49,50,51,52     100G   9100   hundredGigE1/1    down       up     N/A         off
  Ethernet4      53,54,55,56     100G   9100   hundredGigE1/2      up       up     N/A         off
  Ethernet8      57,58,59,60     100G   9100   hundredGigE1/3    down     down     N/A         off
"""


def test_napalm_finds_the_driver_by_name() -> None:
    assert napalm.get_network_driver("sonic") is SONiCDriver


def test_show_version_facts_and_uptime() -> None:
    fields = parsers.version_fields(SHOW_VERSION)
    assert fields["HwSKU"] == "Mellanox-SN2700" and fields["Serial Number"] == "MT1822K07815"
    assert fields["SONiC Software Version"] == "SONiC.HEAD.32-21ea29a"
    assert parsers.uptime_seconds(fields["Uptime"]) == 180.0
    assert (
        parsers.uptime_seconds("10:00:00 up 2 days,  3:04,  2 users,  load average: 0.1") == 2 * 86400 + 3 * 3600 + 240
    )
    assert parsers.uptime_seconds("garbage") == -1.0


def test_lldp_table_keeps_port_ids_with_spaces() -> None:
    assert parsers.lldp_neighbors(LLDP_TABLE) == {
        "Ethernet112": [{"hostname": "T1-1", "port": "hundredGigE1/2"}],
        "Ethernet116": [{"hostname": "T1-2", "port": "hundredGigE1/2"}],
        "eth0": [{"hostname": "swtor-b2lab2-1610", "port": "GigabitEthernet 0/2"}],
    }


def test_interfaces_status_to_napalm() -> None:
    ports = {"Ethernet4": {"description": "to spine1"}}
    out = parsers.interfaces(INTERFACES_STATUS, ports, "00:11:22:33:44:55")
    assert set(out) == {"Ethernet0", "Ethernet4", "Ethernet8"}
    assert out["Ethernet4"] == {
        "is_up": True,
        "is_enabled": True,
        "description": "to spine1",
        "last_flapped": -1.0,
        "speed": 100000.0,
        "mtu": 9100,
        "mac_address": "00:11:22:33:44:55",
    }
    assert not out["Ethernet0"]["is_up"] and out["Ethernet0"]["is_enabled"]
    assert not out["Ethernet8"]["is_enabled"]


def test_bundle_round_trip_and_errors() -> None:
    text = bundle.Bundle({"PORT": {"Ethernet0": {"mtu": "9100"}}}, "router bgp 65001\n").text()
    assert text.startswith("{") and bundle.FRR_MARKER in text
    parsed = bundle.parse(text)
    assert parsed.config_db == {"PORT": {"Ethernet0": {"mtu": "9100"}}} and parsed.frr == "router bgp 65001\n"
    assert bundle.parse('{"PORT": {}}').frr == ""
    with pytest.raises(bundle.BundleError, match="starts with the CONFIG_DB JSON"):
        bundle.parse("hostname x\n")
    with pytest.raises(bundle.BundleError, match="line 1 column"):
        bundle.parse('{"PORT": ')
    with pytest.raises(bundle.BundleError, match="/PORT/Ethernet0/mtu must be a string"):
        bundle.parse('{"PORT": {"Ethernet0": {"mtu": 9100}}}')


def test_target_owns_named_tables_keeps_others_and_hardware_facts() -> None:
    running: bundle.ConfigDb = {
        "DEVICE_METADATA": {"localhost": {"hostname": "sonic", "mac": "aa", "platform": "p", "hwsku": "h"}},
        "INTERFACE": {"Ethernet0": {}, "Ethernet0|10.0.0.0/31": {}},
        "FEATURE": {"bgp": {"state": "enabled"}},
        "VLAN": {"Vlan10": {"vlanid": "10"}},
    }
    candidate: bundle.ConfigDb = {
        "DEVICE_METADATA": {"localhost": {"hostname": "leaf1", "mac": "evil"}},
        "INTERFACE": {"Ethernet0": {}, "Ethernet0|10.0.0.2/31": {}},
        "VLAN": {},
    }
    assert bundle.target(running, candidate) == {
        "DEVICE_METADATA": {"localhost": {"hostname": "leaf1", "mac": "aa", "platform": "p", "hwsku": "h"}},
        "FEATURE": {"bgp": {"state": "enabled"}},  # not named: the device keeps it
        "INTERFACE": {"Ethernet0": {}, "Ethernet0|10.0.0.2/31": {}},  # the old address is gone
    }  # VLAN named empty: removed, and no empty table is left for config replace to refuse


def test_target_keeps_ports_the_candidate_does_not_use() -> None:
    """Deleting a PORT entry removes the port from the switch; an unused port keeps its entry as it is."""
    running: bundle.ConfigDb = {"PORT": {"Ethernet0": {"mtu": "9100"}, "Ethernet4": {"admin_status": "down"}}}
    candidate: bundle.ConfigDb = {"PORT": {"Ethernet0": {"mtu": "9216", "admin_status": "up"}}}
    assert bundle.target(running, candidate) == {
        "PORT": {"Ethernet0": {"mtu": "9216", "admin_status": "up"}, "Ethernet4": {"admin_status": "down"}}
    }


def test_diff_lines() -> None:
    old: bundle.ConfigDb = {"PORT": {"Ethernet0": {"mtu": "9100", "admin_status": "up"}, "Ethernet4": {"mtu": "9100"}}}
    new: bundle.ConfigDb = {"PORT": {"Ethernet0": {"mtu": "9216", "admin_status": "up"}, "Ethernet8": {"mtu": "9100"}}}
    assert bundle.diff(old, new) == [
        "  PORT|Ethernet0",
        '-   mtu: "9100"',
        '+   mtu: "9216"',
        "- PORT|Ethernet4",
        '-   mtu: "9100"',
        "+ PORT|Ethernet8",
        '+   mtu: "9100"',
    ]
    assert bundle.diff(new, new) == []


def test_commands_use_sudo_and_the_bgp_container() -> None:
    host = SonicHost()
    assert host.config("replace", "t.json") == ["sudo", "-n", "config", "replace", "t.json"]
    assert host.vtysh("show version") == ["sudo", "-n", "docker", "exec", "-i", "bgp", "vtysh", "-c", "show version"]
    assert SonicHost(sudo=False).config("save", "-y") == ["config", "save", "-y"]
    with pytest.raises(ValueError):
        host.timer(0)


def test_the_revert_timer_removes_the_commits_passwords_from_a_file_before_its_first_reload() -> None:
    """frr-reload.py would delete the commit's new `neighbor X password KEY` lines with the key on a vtysh
    command line; the timer applies the key-less removals (revert-passwords.conf) first, once."""
    host = SonicHost(sudo=False)
    script = host.timer(5, remove_passwords=True)[-1]
    remove = "docker exec -i bgp vtysh -f /etc/frr/netweave/revert-passwords.conf"
    reload = "docker exec -i bgp python3 /usr/lib/frr/frr-reload.py --reload --stdout /etc/frr/netweave/rollback.conf"
    assert script.count(remove) == 1 and script.index("config rollback") < script.index(remove) < script.index(reload)
    assert remove not in host.timer(5)[-1]


def test_apply_pushes_a_sonic_device_as_one_bundle(
    write_design: Callable[[dict[str, Any] | str], Path], lab_data: dict[str, Any]
) -> None:
    """netweave renders two files for SONiC; apply's desired config is their bundle, which parses back."""
    from tests.conftest import fabric

    data = lab_data
    fabric(data)["leaves"]["overrides"] = {"leaf1": {"platform": "dell-s5232f-on", "nos": "sonic"}}
    network = netweave.expand(netweave.load(write_design(data)))
    desired = rendered(network, ["leaf1"]).devices["leaf1"]
    assert not desired.error, desired.error
    parsed = bundle.parse(desired.config)
    assert parsed.config_db["DEVICE_METADATA"]["localhost"]["hostname"] == "leaf1"
    assert "router bgp" in parsed.frr and json.loads(json.dumps(parsed.config_db)) == parsed.config_db
