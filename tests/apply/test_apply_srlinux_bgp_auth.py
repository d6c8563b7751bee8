"""The BGP key reaches an SR Linux device through `netweave apply` and no output: `{secret: bgp_key}` is filled
in from NETWEAVE_SECRET_BGP_KEY only in the JSON tree napalm-srlinux sends (`replace /` over JSON-RPC), where
the `system authentication keychain` holds it and every BGP group names the keychain.

The device is the JSON-RPC fake of tests/apply/test_apply_srlinux_mgmt.py (SR Linux's published YANG model
v25.3.1 for the JSON-RPC server it honours); it keeps the tree it was given, so the test reads what the device
would run. It echoes the key back in its diff, as a device answering with the candidate would, so the test also
shows netweave masks what a device says.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

import netweave
from tests.apply.test_apply_srlinux import _run
from tests.apply.test_apply_srlinux_mgmt import SrlManagedFake, _inventory, device
from tests.conftest import LAB_DESIGN

KEY = "Srl-bgp-key-4f2a"


def test_the_bgp_key_reaches_the_keychain_and_no_output(
    tmp_path: Path, credentials: str, write_design: Callable, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NETWEAVE_SECRET_BGP_KEY", KEY)
    data = yaml.safe_load(LAB_DESIGN.read_text())
    data["management"] = {"bgp_auth": {"key": {"secret": "bgp_key"}}}
    design = write_design(data)
    network = netweave.expand(netweave.load(design))
    peers = [n.peer_address for n in network.neighbors("spine1") if n.peer_address]

    class Echoing(SrlManagedFake):
        def __call__(self, body: dict[str, Any]) -> Any:
            if body["method"] == "diff":
                return [f'+ authentication-key "{KEY}"']
            return super().__call__(body)

    build = tmp_path / "build"
    fast = ["--yes", "--confirm", "30", "--health-timeout", "2", "--settle", "0"]
    with device(tmp_path, peers, fake_class=Echoing) as dev:
        fake = dev.fake
        inventory = _inventory(tmp_path, dev)
        result = _run(
            "apply", design, "--only", "spine1", "--inventory", inventory, *fast, "--output", build, "--format", "json"
        )
        planned = _run("plan", design, "--only", "spine1", "--inventory", inventory)
    assert result.exit_code == 0, result.output
    system = fake.running["srl_nokia-system:system"]
    (keychain,) = system["srl_nokia-keychains:authentication"]["keychain"]
    assert (keychain["name"], keychain["type"]) == ("NETWEAVE-BGP", "tcp-md5")
    assert keychain["key"] == [{"index": 1, "algorithm": "md5", "authentication-key": KEY}]
    (default,) = [i for i in fake.running["srl_nokia-network-instance:network-instance"] if i["name"] == "default"]
    groups = default["protocols"]["srl_nokia-bgp:bgp"]["group"]
    assert groups and all(g["authentication"] == {"keychain": "NETWEAVE-BGP"} for g in groups)
    for text in (result.output, planned.output):
        assert KEY not in text
    files = [p for p in build.rglob("*") if p.is_file()]
    assert files and not any(KEY in p.read_text(errors="replace") for p in files)
