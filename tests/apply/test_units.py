"""Unit tests of the apply stage's parts: inventory and credentials, driver mapping, health, backups,
options, and the CLI's refusals (all without devices)."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import napalm
import pytest
from typer.testing import CliRunner

import netweave
from netweave.apply import ApplyOptions, BackupMissing, desired_from_backups
from netweave.apply import backups as bk
from netweave.apply.fleet import confirm_seconds
from netweave.apply.health import sessions_down, wait_healthy
from netweave.apply.inventory import (
    MASK,
    Credentials,
    Inventory,
    Target,
    build_inventory,
    credentials_from_env,
    lab_inventory,
    load_inventory_file,
)
from netweave.cli import app
from netweave.errors import DesignError
from netweave.napalm_frr import FRRDriver
from netweave.nos import profile, profiles
from netweave.nos.base import Napalm
from netweave.nos.frr import bfd_profile_settings
from netweave.secrets import SecretError
from tests.apply.conftest import SECRET, fabric_data, fabric_of, write
from tests.conftest import LAB_DESIGN


@pytest.fixture
def network() -> netweave.Network:
    return netweave.expand(netweave.load(LAB_DESIGN))


def run(*args: Any) -> Any:
    return CliRunner().invoke(app, [str(a) for a in args], catch_exceptions=False)


def test_napalm_and_nornir_find_every_mapped_driver_by_name() -> None:
    def driver(nos: str) -> str:
        napalm_profile = profile(nos).napalm
        assert napalm_profile is not None
        return napalm_profile.driver

    assert napalm.get_network_driver(driver("frr")) is FRRDriver
    assert napalm.get_network_driver(driver("srlinux")).__name__ == "NokiaSRLinuxDriver"
    assert napalm.get_network_driver(driver("eos")).__name__ == "EOSDriver"


def test_credentials_device_then_nos_then_global() -> None:
    env = {
        "NETWEAVE_USERNAME": "ops",
        "NETWEAVE_PASSWORD": "global",
        "NETWEAVE_SRLINUX_PASSWORD": "nos",
        "NETWEAVE_SPINE_1_PASSWORD": "device",
    }
    assert credentials_from_env("spine-1", "srlinux", env) == Credentials("ops", "device")
    assert credentials_from_env("spine2", "srlinux", env) == Credentials("ops", "nos")
    assert credentials_from_env("leaf1", "frr", env, username="admin") == Credentials("ops", "global")
    assert credentials_from_env("leaf1", "frr", {}, username="admin") == Credentials("admin", "")


def test_credentials_never_show_themselves() -> None:
    creds = Credentials("ops", SECRET)
    target = Target(name="leaf1", nos="frr", driver="frr", host="h", credentials=creds)
    for text in (repr(creds), str(creds), repr(target)):
        assert SECRET not in text
    assert len(creds.secrets()) == 2  # the password and its HTTP Basic form


def test_inventory_layers_design_file_and_environment(network: netweave.Network, tmp_path: Path) -> None:
    path = tmp_path / "inv.yaml"
    path.write_text(
        "defaults: {timeout: 30}\nnos:\n  srlinux: {insecure: true, port: 8080}\n"
        "devices:\n  spine1: {host: 192.0.2.1, jsonrpc_port: 9000}\n  leaf1: {transport: netns, "
        "netns: nw-lab-leaf1, optional_args: {sudo: true}}\n"
    )
    inventory = build_inventory(
        network,
        ["spine1", "spine2", "leaf1"],
        load_inventory_file(path),
        environ={"NETWEAVE_PASSWORD": SECRET},
        password="prompted",
    )
    spine1, spine2, leaf1 = (inventory.targets[n] for n in ("spine1", "spine2", "leaf1"))
    assert (spine1.host, spine1.driver, spine1.port, spine1.timeout) == ("192.0.2.1", "srlinux", 8080, 30)
    assert spine1.optional_args == {"insecure": True, "jsonrpc_port": 9000}
    assert spine2.host == network.device_by_name["spine2"].mgmt_ipv4.split("/")[0]
    assert leaf1.driver == "frr" and leaf1.optional_args == {
        "transport": "netns",
        "netns": "nw-lab-leaf1",
        "sudo": True,
    }
    assert leaf1.credentials.password == SECRET  # the environment wins over the prompt
    assert inventory.redact(f"failed for {SECRET}") == "failed for ********"
    assert inventory.scope == "devices"


@pytest.mark.parametrize(
    "text, where",
    [
        ("devices:\n  leaf1:\n    password: {}\n", "inv.yaml:3: devices.leaf1.password"),
        ("nos:\n  srlinux:\n    optional_args: {{tls_key_password: {}}}\n", "inv.yaml:3"),
    ],
)
def test_inventory_refuses_credentials_in_files(
    text: str, where: str, network: netweave.Network, tmp_path: Path
) -> None:
    path = tmp_path / "inv.yaml"
    path.write_text(text.format(SECRET))
    with pytest.raises(DesignError) as caught:
        load_inventory_file(path)
    assert where in str(caught.value) and "never read from files" in str(caught.value)
    assert SECRET not in str(caught.value)


def test_inventory_names_unknown_devices_and_nos_without_driver(network: netweave.Network, tmp_path: Path) -> None:
    path = tmp_path / "inv.yaml"
    path.write_text("devices:\n  leaf9: {host: 192.0.2.9}\n")
    with pytest.raises(DesignError, match=r"inv.yaml:2: devices.leaf9: unknown device 'leaf9'"):
        build_inventory(network, ["leaf1"], load_inventory_file(path))
    network.device_by_name["leaf1"].nos = "vyos"  # a NOS no driver exists for
    with pytest.raises(DesignError, match="no NAPALM driver for NOS 'vyos'"):
        build_inventory(network, ["leaf1"])


def test_lab_inventory_reaches_every_device_with_frr_over_its_namespace(network: netweave.Network) -> None:
    inventory = lab_inventory(network, ["spine1", "leaf1"], "aplab", {"spine1": "srlinux"})
    assert inventory.targets["spine1"].driver == "frr" and inventory.scope == "lab-aplab"
    assert inventory.targets["spine1"].optional_args == {"transport": "netns", "netns": "nw-aplab-spine1"}
    assert any("spine1: srlinux emulated by FRR" in note for note in inventory.notes)


def test_nornir_is_built_with_logging_off(network: netweave.Network) -> None:
    """Nornir's Config keeps whatever it is given: a plain dict (not a LoggingConfig) would break any
    plugin that reads `config.logging.enabled`, and nornir would log to ./nornir.log when it is not off."""
    from netweave.apply.fleet import make_nornir

    nornir = make_nornir(lab_inventory(network, ["leaf1"], "aplab", {}), workers=2)
    assert nornir.config.logging.enabled is False
    assert list(nornir.inventory.hosts) == ["leaf1"]


def test_commit_confirm_seconds_per_driver() -> None:
    def target(driver: str) -> Target:
        return Target(name="d", nos="x", driver=driver, host="h")

    assert confirm_seconds(target("frr"), 45) == 45
    assert confirm_seconds(target("sros"), 45) is None  # napalm-sros ignores revert_in: explicit rollback
    assert confirm_seconds(target("nxos"), 45) is None  # no installed profile describes it: explicit rollback


def test_commit_confirm_granularity_comes_from_the_nos_profile(monkeypatch: pytest.MonkeyPatch) -> None:
    """A profile whose driver's revert timer counts minutes (as Junos's `commit confirmed` does) rounds up."""
    minutes = dataclasses.replace(profile("eos"), name="junos", napalm=Napalm(driver="junos", confirm_step=60))
    monkeypatch.setitem(profiles(), "junos", minutes)
    assert confirm_seconds(Target(name="d", nos="junos", driver="junos", host="h"), 61) == 120


def test_sessions_down_and_a_session_that_drops_during_settle() -> None:
    up = {"global": {"peers": {"10.1.0.1": {"is_up": True}, "swp1": {"is_up": True}}}}
    assert sessions_down(up, ["10.1.0.1", "swp1"]) == []
    assert sessions_down(up, ["10.1.0.3"]) == ["10.1.0.3"]
    answers = iter([up, {"global": {"peers": {"10.1.0.1": {"is_up": False}}}}] * 10)
    health = wait_healthy(lambda: next(answers), ["10.1.0.1"], timeout=0.05, interval=0.01, settle=0.01)
    assert not health.ok and health.down == ["10.1.0.1"]
    assert wait_healthy(lambda: {}, [], timeout=0).ok


def test_backups_latest_per_device_specific_run_and_redacted(tmp_path: Path, network: netweave.Network) -> None:
    first = bk.save(tmp_path, "devices", "20260101T000000.000000Z", "leaf1", "frr", "frr", "old\n")
    bk.save(tmp_path, "devices", "20260102T000000.000000Z", "leaf1", "frr", "frr", "new\n")
    bk.save(tmp_path, "devices", "20260102T000000.000000Z", "leaf2", "frr", "frr", "x\n", redacted=True)
    assert first.path.stat().st_mode & 0o077 == 0
    assert bk.latest(tmp_path, "devices", "leaf1").read() == "new\n"  # type: ignore[union-attr]
    assert bk.latest(tmp_path, "lab-x", "leaf1") is None
    desired = desired_from_backups(network, ["leaf1"], tmp_path, "devices", to="20260101T000000.000000Z")
    assert desired.devices["leaf1"].config == "old\n"
    by_path = bk.from_run(tmp_path, "devices", str(first.path.parent), "leaf1")  # --to DIRECTORY works too
    assert by_path is not None and by_path.read() == "old\n"
    assert desired.devices["leaf1"].peers  # rollback can still be health-checked
    with pytest.raises(BackupMissing, match=r"leaf2: backup .* masked"):
        desired_from_backups(network, ["leaf2"], tmp_path, "devices")
    with pytest.raises(BackupMissing, match="spine1: no backup"):
        desired_from_backups(network, ["spine1"], tmp_path, "devices")


def test_a_backup_holds_design_secrets_as_placeholders_and_rollback_fills_them_in(
    tmp_path: Path, network: netweave.Network
) -> None:
    """A running config with the BGP key apply pushed is stored with the key's placeholder, restorable; a login
    password in it is still masked (not restorable); `rollback` fills the placeholder in from its lookup."""
    key, token = "Bgp-6a2f90c1d7", "NETWEAVE_SECRET_BGP_KEY"
    target = Target(name="leaf1", nos="frr", host="h", driver="frr", credentials=Credentials("u", "pw-1"))
    inventory = Inventory(targets={"leaf1": target}, design_secrets={token: key})
    running = f"router bgp 65001\n neighbor FABRIC password {key}\nexit\n"
    stored, masked = inventory.backup_text(running)
    assert not masked and key not in stored and f"neighbor FABRIC password {token}" in stored
    bk.save(tmp_path, "devices", "20260101T000000.000000Z", "leaf1", "frr", "frr", stored, redacted=masked)
    desired = desired_from_backups(network, ["leaf1"], tmp_path, "devices", secrets={token: key}.get)
    assert desired.devices["leaf1"].config == running and desired.secret_values == {token: key}
    with pytest.raises(SecretError, match=token) as info:
        desired_from_backups(network, ["leaf1"], tmp_path, "devices", secrets={}.get)
    assert key not in str(info.value)
    stored, masked = inventory.backup_text(running + "username u password pw-1\n")
    assert masked and "pw-1" not in stored  # a login credential: masked, so this backup is refused
    # a config that already holds a placeholder-like word cannot round-trip: the key is masked instead
    odd = running + "description NETWEAVE_SECRET_OTHER\n"
    stored, masked = inventory.backup_text(odd)
    assert masked and key not in stored and MASK in stored


def test_options_refuse_a_confirm_window_shorter_than_the_health_check() -> None:
    assert ApplyOptions().problems() == []
    assert "must exceed" in ApplyOptions(confirm=30, health_timeout=60).problems()[0]
    assert ApplyOptions(confirm=30, health=False).problems() == []
    assert ApplyOptions(batch=0).problems() == ["--batch must be at least 1"]


def test_frr_bfd_profile_renders_only_non_default_timers() -> None:
    assert bfd_profile_settings(300, 3) == []
    assert bfd_profile_settings(100, 5) == ["detect-multiplier 5", "receive-interval 100", "transmit-interval 100"]


@pytest.mark.parametrize(
    "args, message",
    [
        (["--lab", "aplab", "--inventory", "x.yaml"], "--lab and --inventory are alternatives"),
        (["--lab", "Bad-Name"], "lab name 'Bad-Name'"),
        (["--only", "leaf9"], "--only names unknown device: leaf9"),
        (["--confirm", "10"], "must exceed the health check time"),
    ],
)
def test_apply_refuses_invalid_input_with_exit_2(args: list[str], message: str, tmp_path: Path) -> None:
    result = run("apply", LAB_DESIGN, *args, "--yes")
    assert result.exit_code == 2 and message in result.stderr, result.output


def test_apply_without_yes_refuses_when_stdin_is_not_a_terminal(tmp_path: Path) -> None:
    result = run("apply", LAB_DESIGN, "--lab", "apnotty", "--output", tmp_path)
    assert result.exit_code == 2 and "stdin is not a terminal" in result.stderr and "--yes" in result.stderr
    assert not (tmp_path / "backups").exists()


def test_rollback_without_backups(tmp_path: Path) -> None:
    data = fabric_data()
    fabric_of(data)["bfd"] = True
    design = write(tmp_path / "d.yaml", data)
    result = run("rollback", design, "--lab", "apnone", "--yes", "--output", tmp_path)
    assert result.exit_code == 1 and "no backup" in result.stderr
    result = run("rollback", design, "--lab", "apnone", "--yes", "--output", tmp_path, "--to", "20200101")
    assert result.exit_code == 2


def test_plan_json_of_unreachable_lab_devices(tmp_path: Path, no_secret: Callable[..., None]) -> None:
    """No such lab: every device is reported unreachable (namespace missing), as data, exit 1."""
    design = write(tmp_path / "d.yaml", fabric_data())
    result = run("plan", design, "--lab", "apnosuchlab", "--format", "json")
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert report["summary"]["unreachable"] == 4 and not report["ok"]
    assert "nw-apnosuchlab-spine1" in report["devices"][0]["error"]


def test_the_commands_are_registered() -> None:
    help_text = run("--help").stdout
    for command in ("plan", "apply", "rollback"):
        assert command in help_text
    assert "--on-failure" in run("apply", "--help").stdout


def test_device_locks_tell_devices_apart_by_their_driver_port_option() -> None:
    """Two SR Linux devices behind one address (a port-forwarded lab) are reached through napalm-srlinux's
    `jsonrpc_port`, not the target port: each must get its own lock, and one device named twice the same one."""
    from netweave.apply.inventory import Inventory, Target
    from netweave.apply.runner import device_locks

    def target(name: str, port: int) -> Target:
        return Target(name, "srlinux", "srlinux", "127.0.0.1", optional_args={"jsonrpc_port": port})

    locks = device_locks(Inventory({"a": target("a", 8443), "b": target("b", 9443), "c": target("c", 8443)}))
    keys = {name: key for key, name in locks}
    assert keys["device a"] != keys["device b"]
    assert keys["device a"] == keys["device c"]
