"""Secrets by reference: designs name them, rendered files and build output hold placeholders, only the
configs handed to a driver carry values, and every diff, message and backup masks them again."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

import netweave
from netweave.apply.desired import rendered
from netweave.apply.inventory import MASK, Credentials, Inventory, Target
from netweave.secrets import SecretError, placeholder, placeholder_form, redact, referenced, resolve
from tests.golden import DESIGNS

VALUES = {
    "NETWEAVE_SECRET_NETOPS_PASSWORD": "Pw-9f3c1e77d2",
    "NETWEAVE_SECRET_TACACS_KEY": "Tk-51aa09be44",
    "NETWEAVE_SECRET_RADIUS_KEY": "Rk-0c6e2f8a13",
    "NETWEAVE_SECRET_SNMP_RO": "Snmp-7d1b3c5e",
    "NETWEAVE_SECRET_VIEWER_PASSWORD": "Vw-3e8d0a6b21",
    "NETWEAVE_SECRET_BGP_KEY": "Bgp-6a2f90c1d7",
}
"""The evpn-mixed design's secrets with values that occur nowhere else."""


def test_placeholder_is_the_environment_variable() -> None:
    assert placeholder("netops_password") == "NETWEAVE_SECRET_NETOPS_PASSWORD"
    text = "a NETWEAVE_SECRET_A_B b NETWEAVE_SECRET_A c NETWEAVE_SECRET_A_B"
    assert referenced(text) == ["NETWEAVE_SECRET_A", "NETWEAVE_SECRET_A_B"]
    # a name that is a prefix of another is replaced whole, not inside the longer one
    assert resolve(text, {"NETWEAVE_SECRET_A": "x", "NETWEAVE_SECRET_A_B": "y"}.get) == "a y b x c y"


def test_values_go_back_to_placeholders_in_one_pass_and_round_trip_exactly() -> None:
    values = {"NETWEAVE_SECRET_A": "SECRET", "NETWEAVE_SECRET_B": "k-SECRET-1"}
    text = "key k-SECRET-1 community SECRET"
    # a value inside a token name (`SECRET` in NETWEAVE_SECRET_B) is not replaced again once the token is in
    assert redact(text, values) == "key NETWEAVE_SECRET_B community NETWEAVE_SECRET_A"
    assert placeholder_form(text, values) == "key NETWEAVE_SECRET_B community NETWEAVE_SECRET_A"
    assert resolve(redact(text, values), values.get) == text
    assert placeholder_form("key SECRET NETWEAVE_SECRET_C", values) is None  # a word it cannot give back


def test_missing_secrets_are_named_and_values_never_shown() -> None:
    with pytest.raises(SecretError, match="NETWEAVE_SECRET_B") as info:
        resolve("NETWEAVE_SECRET_A NETWEAVE_SECRET_B", {"NETWEAVE_SECRET_A": "s3cr3t"}.get)
    assert "s3cr3t" not in str(info.value)


@pytest.mark.parametrize("value", ["two words", 'a"quote', "line\nbreak", "brace}", "tab\there"])
def test_values_that_could_change_the_config_structure_are_refused(value: str) -> None:
    with pytest.raises(SecretError, match="NETWEAVE_SECRET_A") as info:
        resolve("password NETWEAVE_SECRET_A", {"NETWEAVE_SECRET_A": value}.get)
    assert value not in str(info.value)


def test_build_output_holds_placeholders_never_values(
    monkeypatch: pytest.MonkeyPatch, cli: Callable, tmp_path: Path
) -> None:
    for token, value in VALUES.items():
        monkeypatch.setenv(token, value)
    out = tmp_path / "build"
    result = cli("build", DESIGNS["evpn-mixed"], "-o", out)
    assert result.exit_code == 0, result.output
    texts = {p: p.read_text() for p in out.rglob("*") if p.is_file()}
    assert len(texts) > 8
    for path, text in texts.items():
        for value in VALUES.values():
            assert value not in text, path
    joined = "".join(texts.values())
    assert all(token in joined for token in VALUES)
    assert not any(value in result.output for value in VALUES.values())


def test_apply_fills_values_and_the_inventory_masks_them(monkeypatch: pytest.MonkeyPatch) -> None:
    network = netweave.expand(netweave.load(DESIGNS["evpn-mixed"]))
    names = ["leaf1", "leaf3", "leaf5"]
    monkeypatch.delenv("NETWEAVE_SECRET_RADIUS_KEY", raising=False)
    partial = rendered(network, names, {k: v for k, v in VALUES.items() if "RADIUS" not in k}.get)
    assert all("NETWEAVE_SECRET_RADIUS_KEY" in partial.devices[n].error for n in names)
    assert all(partial.devices[n].config == "" for n in names)  # nothing half-resolved is pushed
    desired = rendered(network, names, VALUES.get)
    for name in names:
        config = desired.devices[name].config
        assert "NETWEAVE_SECRET_" not in config and VALUES["NETWEAVE_SECRET_TACACS_KEY"] in config
        assert VALUES["NETWEAVE_SECRET_BGP_KEY"] in config  # the BGP session key, in each NOS's own form
    assert desired.secret_values == VALUES
    inventory = Inventory(
        targets={
            "leaf1": Target(name="leaf1", nos="eos", host="192.0.2.1", driver="eos", credentials=Credentials("u", "p"))
        },
        design_secrets=dict(desired.secret_values),
    )
    password, community = VALUES["NETWEAVE_SECRET_NETOPS_PASSWORD"], VALUES["NETWEAVE_SECRET_SNMP_RO"]
    diff = f"+username netops secret 0 {password}\n+snmp-server community {community} ro"
    masked = inventory.redact(diff)
    assert not any(v in masked for v in VALUES.values()) and MASK in masked
    backup = inventory.redact_config(
        f"snmp-server community {VALUES['NETWEAVE_SECRET_SNMP_RO']} ro\nrouter bgp 65001\n"
    )
    assert VALUES["NETWEAVE_SECRET_SNMP_RO"] not in backup and "router bgp 65001" in backup
