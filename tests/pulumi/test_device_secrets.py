"""Pulumi keeps design secrets out of its state: a DeviceConfig's `config` input holds the placeholders, and
the provider fills the values in from its environment only for the driver, masking them in what it reports."""

from __future__ import annotations

import pytest

from netweave.pulumi.device import DeviceError, Session

PROPS = {
    "device": "leaf1",
    "nos": "eos",
    "driver": "eos",
    "host": "192.0.2.1",
    "config": "hostname leaf1\nusername netops secret 0 NETWEAVE_SECRET_NETOPS_PASSWORD\n",
    "configHash": "x",
}


def test_the_provider_fills_secrets_from_its_environment_and_masks_them(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NETWEAVE_SECRET_NETOPS_PASSWORD", "Pulumi-pw-4c1d")
    session = Session(PROPS)
    desired = session.desired(PROPS["config"])
    assert "secret 0 Pulumi-pw-4c1d" in desired.config and "NETWEAVE_SECRET_" not in desired.config
    assert "Pulumi-pw-4c1d" not in session.redact("diff: +username netops secret 0 Pulumi-pw-4c1d")


def test_a_missing_secret_fails_the_resource_naming_the_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NETWEAVE_SECRET_NETOPS_PASSWORD", raising=False)
    with pytest.raises(DeviceError, match="NETWEAVE_SECRET_NETOPS_PASSWORD"):
        Session(PROPS).desired(PROPS["config"])
