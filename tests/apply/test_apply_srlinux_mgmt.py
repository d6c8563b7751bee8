"""A full replace keeps netweave connected to SR Linux: the rendered config carries the JSON-RPC server the
driver (napalm-srlinux) reaches the device through, and the next connection after the commit succeeds.

The device is the JSON-RPC fake of tests/apply/test_apply_srlinux.py, made to honour the JSON-RPC server
settings of the config it runs as SR Linux documents them in its published YANG model
(srl_nokia-json-rpc.yang, v25.3.1, reference/yang/srlinux-v25.3.1): `json-rpc-server admin-state` and
`network-instance <name> http admin-state` both default to `disable`, and the HTTP server "requires the JSON
RPC server to be globally enabled". A config whose tree leaves either off stops the server when it is
committed (`set` with confirm-timeout makes it running at once), so the next connection is refused.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import napalm
import pytest
import yaml
from napalm.base.exceptions import ConnectionException

import netweave
from netweave.render import render_device
from tests.apply.httpfake import serve
from tests.apply.test_apply_srlinux import SrlFake, _run, summary
from tests.conftest import LAB_DESIGN

FACTORY = {
    "srl_nokia-system:system": {
        "srl_nokia-json-rpc:json-rpc-server": {
            "admin-state": "enable",
            "network-instance": [{"name": "mgmt", "http": {"admin-state": "enable"}}],
        }
    }
}
"""What the device runs before netweave's first apply: JSON-RPC over HTTP in `mgmt` (as containerlab's SR
Linux nodes start), so the driver can connect once."""


class SrlManagedFake(SrlFake):
    """SrlFake whose running config is what was last `set` (replace /), and whose JSON-RPC HTTP server
    serves only while that config enables it (srl_nokia-json-rpc.yang)."""

    def __init__(self, peers: list[str]) -> None:
        super().__init__(peers, healthy=True)
        self.running: dict[str, Any] = FACTORY

    def __call__(self, body: dict[str, Any]) -> Any:
        if body["method"] == "set":
            (command,) = body["params"]["commands"]
            assert (command["action"], command["path"]) == ("replace", "/")
            self.running = command["value"]
        return super().__call__(body)

    def get(self, path: str) -> Any:
        return self.running if path == "/" else super().get(path)

    def serving(self) -> bool:
        system = self.running.get("srl_nokia-system:system", {})
        server = system.get("srl_nokia-json-rpc:json-rpc-server", {})
        if server.get("admin-state", "disable") != "enable":
            return False
        mgmt = [i for i in server.get("network-instance", []) if i.get("name") == "mgmt"]
        return bool(mgmt) and mgmt[0].get("http", {}).get("admin-state", "disable") == "enable"


def _inventory(tmp_path: Path, port: int) -> Path:
    path = tmp_path / "inventory.yaml"
    path.write_text(
        f"nos:\n  srlinux: {{insecure: true}}\ndevices:\n  spine1: {{host: 127.0.0.1, jsonrpc_port: {port}}}\n"
    )
    return path


def test_after_a_full_replace_the_next_call_still_connects(tmp_path: Path, credentials: str) -> None:
    network = netweave.expand(netweave.load(LAB_DESIGN))
    peers = [n.peer_address for n in network.neighbors("spine1") if n.peer_address]
    fake = SrlManagedFake(peers)
    with serve(fake, fake.serving) as recorder:
        inventory = _inventory(tmp_path, recorder.port)
        common = ["--only", "spine1", "--inventory", inventory]
        applied = _run(
            "apply",
            LAB_DESIGN,
            *common,
            "--yes",
            "--confirm",
            "30",
            "--health-timeout",
            "2",
            "--settle",
            "0",
            "--output",
            tmp_path / "build",
            "--format",
            "json",
        )
        assert applied.exit_code == 0, applied.output
        assert fake.running != FACTORY and fake.serving()  # the replaced tree keeps JSON-RPC on in mgmt
        calls = len(recorder.requests)
        again = _run("plan", LAB_DESIGN, *common)
    assert again.exit_code == 0, again.output
    assert summary(recorder)[calls:] == ["HEAD", "validate replace /", "diff replace /"]


def test_a_config_without_the_json_rpc_server_cuts_the_driver_off(tmp_path: Path, write_design: Callable) -> None:
    """The fake is not lenient: pushing a tree with JSON-RPC off through the real driver makes the next
    `open()` fail. This is the config lint refuses (management-driver-reachable)."""
    data = yaml.safe_load(LAB_DESIGN.read_text())
    data["management"] = {"api": {"json_rpc": False}}
    network = netweave.expand(netweave.load(write_design(data)))
    config = next(iter(render_device(network, network.device_by_name["spine1"]).files.values()))
    assert (
        json.loads(config)["srl_nokia-system:system"]["srl_nokia-json-rpc:json-rpc-server"]["admin-state"] == "disable"
    )
    fake = SrlManagedFake([])
    driver = napalm.get_network_driver("srlinux")
    with serve(fake, fake.serving) as recorder:
        args = {"insecure": True, "jsonrpc_port": recorder.port}
        device = driver("127.0.0.1", "u", "p", timeout=2, optional_args=args)
        device.open()
        device.load_replace_candidate(config=config)
        device.commit_config()
        device.close()
        assert not fake.serving()
        with pytest.raises(ConnectionException):
            driver("127.0.0.1", "u", "p", timeout=2, optional_args=args).open()


def test_apply_refuses_a_design_that_turns_the_drivers_server_off(
    tmp_path: Path, credentials: str, write_design: Callable
) -> None:
    data = yaml.safe_load(LAB_DESIGN.read_text())
    data["management"] = {"api": {"json_rpc": False}}
    fake = SrlManagedFake([])
    with serve(fake, fake.serving) as recorder:
        result = _run(
            "apply",
            write_design(data),
            "--only",
            "spine1",
            "--inventory",
            _inventory(tmp_path, recorder.port),
            "--yes",
            "--output",
            tmp_path / "build",
        )
    assert result.exit_code == 2 and "management-driver-reachable" in result.output, result.output
    assert recorder.requests == []  # refused before any device was contacted


def test_design_secrets_reach_the_device_and_no_output(
    tmp_path: Path, credentials: str, write_design: Callable, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`{secret: netops_password}` is filled in from NETWEAVE_SECRET_NETOPS_PASSWORD only in what the driver
    sends; the report, the build directory (configs, backups, run records) never hold the value. The fake
    echoes the value back in its diff, as a device answering with the candidate would."""
    value = "Srl-user-pw-7e21c9"
    monkeypatch.setenv("NETWEAVE_SECRET_NETOPS_PASSWORD", value)
    data = yaml.safe_load(LAB_DESIGN.read_text())
    data["management"] = {"users": [{"name": "netops", "role": "admin", "password": {"secret": "netops_password"}}]}
    design = write_design(data)
    network = netweave.expand(netweave.load(design))
    peers = [n.peer_address for n in network.neighbors("spine1") if n.peer_address]

    class Echoing(SrlManagedFake):
        def __call__(self, body: dict[str, Any]) -> Any:
            if body["method"] == "diff":
                return [f'+ password "{value}"']
            return super().__call__(body)

    fake = Echoing(peers)
    build = tmp_path / "build"
    with serve(fake, fake.serving) as recorder:
        inventory = _inventory(tmp_path, recorder.port)
        result = _run(
            "apply",
            design,
            "--only",
            "spine1",
            "--inventory",
            inventory,
            "--yes",
            "--confirm",
            "30",
            "--health-timeout",
            "2",
            "--settle",
            "0",
            "--output",
            build,
            "--format",
            "json",
        )
        planned = _run("plan", design, "--only", "spine1", "--inventory", inventory)
    assert result.exit_code == 0, result.output
    (user,) = fake.running["srl_nokia-system:system"]["srl_nokia-aaa:aaa"]["authentication"]["user"]
    assert user == {"username": "netops", "password": value, "superuser": True}
    for text in (result.output, planned.output):
        assert value not in text
    files = [p for p in build.rglob("*") if p.is_file()]
    assert files and not any(value in p.read_text(errors="replace") for p in files)
