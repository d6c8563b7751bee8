"""Unit tests of the pure parts: command construction/quoting, diff parsing, JSON mapping.

No FRR needed; captured outputs below come from FRR 8.4.4 (Debian bookworm).
"""

from __future__ import annotations

import shlex

import pytest

from netweave.napalm_frr import FRRDriver, confirm
from netweave.napalm_frr.commands import FRRInstance
from netweave.napalm_frr.parsers import bgp_neighbors, configured_hostname, os_version, strip_running_header
from netweave.napalm_frr.redact import MASK, redact
from netweave.napalm_frr.reload_diff import (
    dryrun_errors,
    parse_reload_test,
    reload_errors,
    render_diff,
)
from netweave.napalm_frr.transport import NetnsTransport, SSHTransport, ssh_command_string, wrap_argv

NASTY = ["vtysh", "-c", "show run; rm -rf / $(id) `x` 'q' \"dq\" \\ \n newline", "a b"]


def test_wrap_argv_netns_and_sudo() -> None:
    assert wrap_argv(["vtysh"], netns="nw-lab-leaf1", sudo=True) == [
        "sudo", "-n", "ip", "netns", "exec", "nw-lab-leaf1", "vtysh",
    ]  # fmt: skip
    assert wrap_argv(["vtysh"]) == ["vtysh"]


@pytest.mark.parametrize("sudo", [False, True])
@pytest.mark.parametrize("netns", [None, "nw lab"])
def test_ssh_command_string_round_trips_through_a_shell(sudo: bool, netns: str | None) -> None:
    command = ssh_command_string(NASTY, netns=netns, sudo=sudo)
    assert shlex.split(command) == wrap_argv(NASTY, netns=netns, sudo=sudo)


def test_ssh_transport_never_puts_password_in_commands() -> None:
    transport = SSHTransport("r1.example", username="admin", password="pw-XYZ", sudo=True, netns="ns1")
    command = transport.command_string(["vtysh", "-N", "ns1", "-c", "show version"])
    assert command == "sudo -n ip netns exec ns1 vtysh -N ns1 -c 'show version'"
    assert "pw-XYZ" not in command and "pw-XYZ" not in repr(transport)


def test_driver_defaults_follow_lab_convention() -> None:
    lab = FRRDriver("nw-lab-leaf1", "", "", optional_args={"transport": "netns"})
    assert lab.instance.pathspace == "nw-lab-leaf1"
    assert lab.instance.run_dir == "/var/run/frr/nw-lab-leaf1"
    assert lab.instance.config_file == "/etc/frr/nw-lab-leaf1/frr.conf"
    remote = FRRDriver("10.1.1.1", "admin", "pw-XYZ", optional_args={"port": 2222})
    assert remote.transport_name == "ssh"
    assert remote.instance.pathspace is None
    assert remote.instance.config_file == "/etc/frr/frr.conf"
    assert "pw-XYZ" not in repr(remote) and "pw-XYZ" not in str(vars(remote).get("password"))
    with pytest.raises(ValueError, match="transport"):
        FRRDriver("x", "", "", optional_args={"transport": "telnet"})


def test_frr_reload_argv_addresses_the_pathspace() -> None:
    instance = FRRInstance(pathspace="p1", state_root="/st")
    argv = instance.frr_reload("/st/p1/candidate.conf", test=True)
    assert argv[:3] == ["python3", "/usr/lib/frr/frr-reload.py", "--test"]
    assert argv[argv.index("--pathspace") + 1] == "p1"
    assert argv[argv.index("--rundir") + 1] == "/st/p1"
    assert argv[-1] == "/st/p1/candidate.conf"
    assert instance.vtysh("show version") == ["/usr/bin/vtysh", "-N", "p1", "-c", "show version"]


def test_timer_argv_is_a_quoted_detached_script() -> None:
    instance = FRRInstance(pathspace="p 1", state_root="/st ate")
    argv = confirm.timer_argv(instance, 7)
    i = argv.index("sh")
    assert argv[i : i + 2] == ["sh", "-c"] and "setsid -f" in argv[i + 2]
    script = argv[i + 4]
    assert "sleep 7" in script
    assert shlex.quote("/st ate/p 1/pending.pid") in script
    assert "--reload" in script and shlex.quote("/st ate/p 1/rollback.conf") in script
    # two reload passes: bfdd removes a profile asynchronously and keeps an empty `bfd` node after the first
    reload_lines = [line for line in script.splitlines() if "--reload" in line]
    assert len(reload_lines) == 2 and reload_lines[0].endswith("2>&1") and ">>" in reload_lines[1]
    with pytest.raises(ValueError):
        confirm.timer_argv(instance, 0)


RELOAD_TEST_OUTPUT = """
Lines To Delete
===============
no hostname vm
ip forwarding
interface lo
 no ip address 10.0.0.1/32
router bgp 65001
 no neighbor 192.0.2.2 description r2

Lines To Add
============
hostname r1
interface lo
 ip address 10.0.0.9/32
router bgp 65001
 neighbor 192.0.2.2 description r2-changed
router bgp 65001
 address-family ipv4 unicast
router bgp 65001
 address-family ipv4 unicast
  network 10.0.0.9/32
"""


def test_parse_and_render_reload_test_output() -> None:
    diff = parse_reload_test(RELOAD_TEST_OUTPUT)
    assert [c.line for c in diff.deletes] == ["no ip forwarding", " ip address 10.0.0.1/32",
                                              " neighbor 192.0.2.2 description r2"]  # fmt: skip
    assert render_diff(diff) == (
        "- no ip forwarding\n"
        "interface lo\n"
        "-  ip address 10.0.0.1/32\n"
        "router bgp 65001\n"
        "-  neighbor 192.0.2.2 description r2\n"
        "interface lo\n"
        "+  ip address 10.0.0.9/32\n"
        "router bgp 65001\n"
        "+  neighbor 192.0.2.2 description r2-changed\n"
        "+  address-family ipv4 unicast\n"
        "+   network 10.0.0.9/32\n"
    )
    assert any(c.line == "hostname r1" for c in parse_reload_test(RELOAD_TEST_OUTPUT, keep_unmanaged=True).adds)


def test_empty_reload_output_renders_empty() -> None:
    assert render_diff(parse_reload_test("")) == ""
    assert not parse_reload_test("\nLines To Delete\n===============\nno hostname vm\n")


def test_lines_frr_never_displays_are_not_differences() -> None:
    """`frr version` is FRR's own stamp and `service integrated-vtysh-config` lives in vtysh.conf: a
    rendered config that carries them must still compare equal to the running config (idempotent apply)."""
    output = "\nLines To Add\n============\nfrr version 8.4\nservice integrated-vtysh-config\n"
    assert not parse_reload_test(output)
    assert len(parse_reload_test(output, keep_unmanaged=True).adds) == 2


def test_dryrun_errors_deduplicated() -> None:
    stderr = (
        "line 3: % Unknown command[17]:  ip adress 10.9.9.9/32\n"
        "line 6: % Unknown command[25]:  neighbor 192.0.2.2 remote-az 65002\n"
        "line 3: % Unknown command:  ip adress 10.9.9.9/32\n"
    )
    assert dryrun_errors(stderr) == [
        "line 3: % Unknown command:  ip adress 10.9.9.9/32",
        "line 6: % Unknown command:  neighbor 192.0.2.2 remote-az 65002",
    ]


def test_reload_errors_strip_colour_and_repeats() -> None:
    out = (
        "% Can not configure the local system as neighbor\n"
        "% Can not configure the local system as neighbor\n"
        "2026-11-25 13:25:07,331 \x1b[91mWARNING\x1b[0m: frr-reload.py failed due to\n"
        "2026-11-25 13:25:07,100  INFO: Executed x\n"
    )
    assert reload_errors(out) == [
        "% Can not configure the local system as neighbor",
        "WARNING: frr-reload.py failed due to",
    ]


SUMMARY = {
    "default": {
        "ipv4Unicast": {
            "routerId": "10.0.0.1",
            "as": 65001,
            "peers": {
                "192.0.2.2": {"remoteAs": 65002, "localAs": 65001, "peerUptimeMsec": 4000, "pfxRcd": 1,
                              "pfxSnt": 2, "state": "Established", "peerState": "OK", "desc": "to-r2"},
                "192.0.2.9": {"remoteAs": 65009, "localAs": 65001, "peerUptimeMsec": 0, "pfxRcd": 0,
                              "pfxSnt": 0, "state": "Idle (Admin)", "peerState": "Admin"},
            },
        },
        "ipv6Unicast": {
            "routerId": "10.0.0.1",
            "as": 65001,
            "peers": {"192.0.2.2": {"remoteAs": 65002, "localAs": 65001, "pfxRcd": 0, "pfxSnt": 0,
                                    "state": "Established", "peerUptimeMsec": 4000}},
        },
    },
    "blue": {},
}  # fmt: skip
NEIGHBORS = {
    "default": {
        "vrfId": 0,
        "192.0.2.2": {"remoteRouterId": "10.0.0.2", "nbrDesc": "to-r2"},
        "192.0.2.9": {"remoteRouterId": "0.0.0.0", "adminShutDown": True},
    }
}


def test_bgp_neighbors_mapping() -> None:
    result = bgp_neighbors(SUMMARY, NEIGHBORS)
    assert set(result) == {"global"}
    up = result["global"]["peers"]["192.0.2.2"]
    assert up == {
        "local_as": 65001,
        "remote_as": 65002,
        "remote_id": "10.0.0.2",
        "is_up": True,
        "is_enabled": True,
        "description": "to-r2",
        "uptime": 4,
        "address_family": {
            "ipv4": {"received_prefixes": 1, "accepted_prefixes": 1, "sent_prefixes": 2},
            "ipv6": {"received_prefixes": 0, "accepted_prefixes": 0, "sent_prefixes": 0},
        },
    }
    down = result["global"]["peers"]["192.0.2.9"]
    assert down["is_up"] is False and down["is_enabled"] is False


def test_small_parsers() -> None:
    assert os_version("FRRouting 8.4.4 (vm) on Linux(6.1).\nCopyright") == "8.4.4"
    assert configured_hostname("frr version 8.4.4\nhostname leaf1\n!") == "leaf1"
    text = "Building configuration...\n\nCurrent configuration:\n!\nfrr version 8.4.4\nend\n"
    assert strip_running_header(text) == "!\nfrr version 8.4.4\nend\n"


def test_redact_masks_every_secret() -> None:
    assert redact("user admin pw hunter2 and hunter2x", ["hunter2", "hunter2x", None, ""]) == (
        f"user admin pw {MASK} and {MASK}"
    )


def test_real_tests_skip_locally_but_fail_under_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    from .conftest import require_real_frr

    monkeypatch.setattr("os.geteuid", lambda: 1000)
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match="root"):
        require_real_frr()
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="CI=true"):
        require_real_frr()


def test_sanitize_config_masks_secrets_only() -> None:
    from netweave.napalm_frr.parsers import SANITIZED, sanitize_config

    text = (
        "router bgp 65001\n neighbor 192.0.2.2 password s3cr3t\n neighbor 192.0.2.2 remote-as 65002\n"
        "key chain k\n key 1\n  key-string abc123\npassword zebra\n"
    )
    clean = sanitize_config(text)
    assert "s3cr3t" not in clean and "abc123" not in clean and "zebra" not in clean
    assert f" neighbor 192.0.2.2 password {SANITIZED}" in clean
    assert " neighbor 192.0.2.2 remote-as 65002" in clean


def test_password_removals_name_peers_only_and_keep_unchanged_keys() -> None:
    from netweave.napalm_frr.passwords import password_removals

    running = (
        "router bgp 65001\n neighbor FABRIC password Old-1\n neighbor 192.0.2.2 password Same-2\nexit\n"
        "router bgp 65001 vrf red\n neighbor 198.51.100.1 password Gone-3\nexit\n"
    )
    target = "router bgp 65001\n neighbor FABRIC password New-1\n neighbor 192.0.2.2 password Same-2\nexit\n"
    removals = password_removals(running, target)
    assert removals == (
        "router bgp 65001\n no neighbor FABRIC password\nexit\n"
        "router bgp 65001 vrf red\n no neighbor 198.51.100.1 password\nexit\n"
    )
    assert password_removals(target, target) == ""


def test_local_children_get_no_netweave_credential_variables(monkeypatch: pytest.MonkeyPatch) -> None:
    """vtysh, frr-reload.py and sh started by the driver do not carry the login password or a design secret
    (NETWEAVE_SECRET_BGP_KEY: the MD5 key) in their environment; the rest of it they keep."""
    monkeypatch.setenv("NETWEAVE_PASSWORD", "Login-pw-77c1")
    monkeypatch.setenv("NETWEAVE_SECRET_BGP_KEY", "Md5-key-3f9a")
    monkeypatch.setenv("NW_TEST_KEPT", "kept")
    transport = NetnsTransport(None)
    transport.open()
    ran = transport.run(["env"])
    assert ran.ok and "NW_TEST_KEPT=kept" in ran.stdout
    assert "Login-pw-77c1" not in ran.stdout and "Md5-key-3f9a" not in ran.stdout
    held = transport.hold(["sh", "-c", "env | grep -q Md5-key-3f9a || echo clean; cat >/dev/null"], "clean", 5)
    assert held.ok
    held.release()
