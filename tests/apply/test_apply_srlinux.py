"""plan / apply to Nokia SR Linux through the real napalm-srlinux driver, Nornir and `netweave apply`.

SR Linux cannot run here, so its JSON-RPC management API is served from a local HTTP server on
127.0.0.1 (tests/apply/httpfake.py) with handwritten answers in SR Linux's JSON-RPC format; the tests
assert the requests the driver sent: replace of `/` with the rendered config, commit with
`confirm-timeout` (revert_in), then confirmed-accept, or confirmed-reject when the health check fails.
"""

from __future__ import annotations

import base64
import dataclasses
import json
import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

import netweave
from netweave.cli import app
from netweave.nos import profiles
from netweave.nos.base import Napalm
from netweave.render import render_device
from tests.apply.conftest import SECRET, USER
from tests.apply.httpfake import serve
from tests.conftest import LAB_DESIGN

RUNNING = {
    "system": {
        "name": {"host-name": "spine1"},
        "tls": {"server-profile": [{"name": "clab-profile", "key": "$hashed$0a1b", "certificate": "PEM"}]},
    }
}
"""The running config as a containerlab SR Linux node has it: its TLS profile `clab-profile` (the key as SR
Linux shows it, hashed), which the rendered tree names and netweave keeps through `replace /`."""
DIFF_TEXT = "+     interface ethernet-1/1 {\n+         admin-state enable\n+     }"


class SrlFake:
    """SR Linux's JSON-RPC answers for one device, with the commit-confirm state the driver polls."""

    def __init__(self, peers: list[str], healthy: bool) -> None:
        self.peers = peers
        self.healthy = healthy
        self.unconfirmed = False

    def __call__(self, body: dict[str, Any]) -> Any:
        method, params = body["method"], body["params"]
        if method == "get":
            return [self.get(c["path"]) for c in params["commands"]]
        if method == "validate":
            return [{}]
        if method == "diff":
            return [DIFF_TEXT]
        if method == "set":
            self.unconfirmed = "confirm-timeout" in params
            return [{}]
        if method == "cli":
            for command in params["commands"]:
                if command.endswith(("confirmed-accept", "confirmed-reject")):
                    self.unconfirmed = False
            return [{} for _ in params["commands"]]
        raise AssertionError(f"unexpected JSON-RPC method {method}")

    def get(self, path: str) -> Any:
        if path == "/":
            return RUNNING
        if path.startswith("/system/configuration/commit"):
            return {"commit": [{"id": 7, "status": "unconfirmed" if self.unconfirmed else "complete"}]}
        if path == "/system/information":
            return {"current-datetime": "2026-11-25T14:00:00.000Z"}
        if path.startswith("/network-instance"):
            neighbors = [
                {
                    "peer-address": peer,
                    "peer-as": 4200000001 + i,
                    "admin-state": "enable",
                    "session-state": "established" if self.healthy or i else "active",
                }
                for i, peer in enumerate(self.peers)
            ]
            return {
                "network-instance": [
                    {
                        "name": "default",
                        "protocols": {
                            "bgp": {"autonomous-system": 65100, "router-id": "10.0.0.1", "neighbor": neighbors}
                        },
                    }
                ]
            }
        raise AssertionError(f"unexpected path {path}")


def summary(recorder: Any) -> list[str]:
    """The exchange as short lines: `get /`, `set replace / confirm-timeout=30`, `cli <command>` ..."""
    out = []
    for request in recorder.requests:
        if request.method == "HEAD":
            out.append("HEAD")
            continue
        body = request.body
        params = body["params"]
        if body["method"] == "get":
            out.append("get " + " ".join(c["path"] for c in params["commands"]))
        elif body["method"] in ("set", "validate", "diff"):
            commands = " ".join(f"{c['action']} {c['path']}" for c in params["commands"])
            extra = f" confirm-timeout={params['confirm-timeout']}" if "confirm-timeout" in params else ""
            out.append(f"{body['method']} {commands}{extra}")
        else:
            out.append("cli " + "; ".join(c.split(" name ")[0] for c in params["commands"]))
    return out


@pytest.fixture
def inventory(tmp_path: Path) -> Callable[[int], Path]:
    def write(port: int) -> Path:
        path = tmp_path / "inventory.yaml"
        path.write_text(
            f"nos:\n  srlinux: {{insecure: true}}\ndevices:\n  spine1: {{host: 127.0.0.1, jsonrpc_port: {port}}}\n"
        )
        return path

    return write


def _run(*args: Any) -> Any:
    return CliRunner().invoke(app, [str(a) for a in args], catch_exceptions=False)


@pytest.mark.parametrize("healthy", [True, False], ids=["healthy-confirmed", "unhealthy-rejected"])
def test_apply_replaces_commits_with_confirm_then_confirms_or_rejects(
    healthy: bool,
    tmp_path: Path,
    inventory: Callable[[int], Path],
    credentials: str,
    no_secret: Callable[..., None],
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)  # whatever the drivers and httpx log must not carry the login either
    network = netweave.expand(netweave.load(LAB_DESIGN))
    peers = [n.peer_address for n in network.neighbors("spine1")]
    rendered = json.loads(next(iter(render_device(network, network.device_by_name["spine1"]).files.values())))
    build = tmp_path / "build"
    with serve(SrlFake([p for p in peers if p], healthy)) as fake:
        result = _run(
            "apply",
            LAB_DESIGN,
            "--only",
            "spine1",
            "--inventory",
            inventory(fake.port),
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
    report = json.loads(result.stdout)
    (spine1,) = report["devices"]
    calls = summary(fake)
    pre = [
        "HEAD",
        "get /network-instance[name=*]/protocols/bgp /system/information",  # sessions up before the change
        "get /",
        "validate replace /",
        "diff replace /",
        "get /system/configuration/commit[id=*]",
        "cli /tools system configuration generate-checkpoint",
        "set replace / confirm-timeout=30",
    ]
    assert calls[: len(pre)] == pre
    health = [c for c in calls[len(pre) :] if c.startswith("get /network-instance")]
    assert health, calls
    (set_request,) = [r for r in fake.rpc if r["method"] == "set"]
    assert set_request["params"]["datastore"] == "candidate"
    # the rendering, with the device's own TLS profile (named only in the rendering) filled in from its running config
    rendered["srl_nokia-system:system"]["srl_nokia-tls:tls"] = RUNNING["system"]["tls"]
    assert set_request["params"]["commands"] == [{"action": "replace", "path": "/", "value": rendered}]
    if healthy:
        assert result.exit_code == 0, result.output
        assert spine1["status"] == "applied" and spine1["confirmed"] and spine1["diff"] == DIFF_TEXT
        assert calls[-2:] == [
            "get /system/configuration/commit[id=*]",
            "cli /tools system configuration confirmed-accept",
        ]
    else:
        assert result.exit_code == 1
        assert spine1["status"] == "rolled-back" and spine1["health"]["down"] == [peers[0]]
        assert calls[-2:] == [
            "get /system/configuration/commit[id=*]",
            "cli /tools system configuration confirmed-reject",
        ]
    assert json.loads(Path(spine1["backup"]).read_text()) == RUNNING
    # the credentials went to the device (HTTP Basic) and nowhere else
    basic = base64.b64encode(f"{USER}:{SECRET}".encode()).decode()
    assert all(r.headers.get("Authorization") == f"Basic {basic}" for r in fake.requests)
    no_secret(result.output, caplog.text, directory=build)
    assert caplog.text  # the libraries did log


def test_plan_diffs_without_committing(
    tmp_path: Path, inventory: Callable[[int], Path], credentials: str, no_secret: Callable[..., None]
) -> None:
    with serve(SrlFake([], True)) as fake:
        result = _run("plan", LAB_DESIGN, "--only", "spine1", "--inventory", inventory(fake.port))
    assert result.exit_code == 0, result.output
    assert "~ spine1 (srlinux)" in result.stdout and "admin-state enable" in result.stdout
    assert summary(fake) == ["HEAD", "get /", "validate replace /", "diff replace /"]  # get: the TLS profile kept
    no_secret(result.output)


def test_unreachable_device_error_carries_no_credential(
    tmp_path: Path, credentials: str, no_secret: Callable[..., None]
) -> None:
    """Nothing listens on the port: both devices are reported unreachable (plan exits 1, no traceback) and the
    error message, which quotes the driver's exception, shows no credential."""
    with serve(SrlFake([], True)) as fake:
        port = fake.port
    path = tmp_path / "inventory.yaml"
    path.write_text(f"nos:\n  srlinux: {{insecure: true, host: 127.0.0.1, jsonrpc_port: {port}}}\n")
    result = _run("plan", LAB_DESIGN, "--only", "spine1", "--only", "spine2", "--inventory", path, "--format", "json")
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert [d["status"] for d in report["devices"]] == ["unreachable", "unreachable"]
    assert "ConnectionException" in report["devices"][0]["error"]
    no_secret(result.output)


@pytest.mark.parametrize("on_failure, first", [("stop", "applied"), ("rollback", "rolled-back")])
def test_on_failure_after_an_unhealthy_batch(on_failure: str, first: str, tmp_path: Path, credentials: str) -> None:
    """spine1 (batch 1) is healthy, spine2 (batch 2) is not and is rolled back. `stop` leaves spine1 applied
    and skips leaf3 (batch 3); `rollback` also rolls spine1 back through its checkpoint."""
    network = netweave.expand(netweave.load(LAB_DESIGN))
    fakes = {
        name: SrlFake([n.peer_address for n in network.neighbors(name) if n.peer_address], name != "spine2")
        for name in ("spine1", "spine2", "leaf3")
    }
    with serve(fakes["spine1"]) as one, serve(fakes["spine2"]) as two, serve(fakes["leaf3"]) as three:
        path = tmp_path / "inventory.yaml"
        path.write_text(
            "nos:\n  srlinux: {insecure: true, host: 127.0.0.1}\ndevices:\n"
            f"  spine1: {{jsonrpc_port: {one.port}}}\n  spine2: {{jsonrpc_port: {two.port}}}\n"
            f"  leaf3: {{jsonrpc_port: {three.port}}}\n"
        )
        result = _run(
            "apply",
            LAB_DESIGN,
            "--only",
            "spine1",
            "--only",
            "spine2",
            "--only",
            "leaf3",
            "--inventory",
            path,
            "--yes",
            "--confirm",
            "30",
            "--health-timeout",
            "1",
            "--settle",
            "0",
            "--on-failure",
            on_failure,
            "--output",
            tmp_path / "build",
            "--format",
            "json",
        )
    assert result.exit_code == 1
    status = {d["device"]: d["status"] for d in json.loads(result.stdout)["devices"]}
    assert status == {"spine1": first, "spine2": "rolled-back", "leaf3": "skipped"}
    # leaf3 is only compared before the first batch (is it unchanged? then sessions to it are checked),
    # never changed: validate and diff, no set, no commit
    assert {r["method"] for r in three.rpc} <= {"get", "validate", "diff"}
    if on_failure == "rollback":
        (checkpoint,) = [c for c in one.rpc[-1]["params"]["commands"] if c.startswith("load checkpoint")]
        assert (
            checkpoint.startswith("load checkpoint name NAPALM-")
            and one.rpc[-1]["params"]["commands"][-1] == "commit now"
        )


@pytest.mark.parametrize("answer", ["n", "y"])
def test_apply_shows_the_plan_and_asks_on_a_terminal(
    answer: str, tmp_path: Path, inventory: Callable[[int], Path], credentials: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("netweave.cli.apply_cmd.stdin_is_terminal", lambda: True)
    with serve(SrlFake([], True)) as fake:
        result = CliRunner().invoke(
            app,
            [
                "apply",
                str(LAB_DESIGN),
                "--only",
                "spine1",
                "--inventory",
                str(inventory(fake.port)),
                "--output",
                str(tmp_path / "build"),
                "--no-health",
            ],
            input=f"{answer}\n",
            catch_exceptions=False,
        )
    assert "~ spine1 (srlinux)" in result.stdout and "1 changed" in result.stdout
    assert "Apply" in result.stderr and "1 changed device?" in result.stderr
    sets = [r for r in fake.rpc if r["method"] == "set"]
    if answer == "n":
        assert result.exit_code == 1 and sets == [] and "nothing changed" in result.stderr
    else:
        assert result.exit_code == 0, result.output
        assert len(sets) == 1 and "applied" in result.stdout


def test_driver_without_commit_confirm_gets_an_explicit_rollback(
    tmp_path: Path, inventory: Callable[[int], Path], credentials: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """As if SR Linux had no commit-confirm (like nxos, or sros which ignores revert_in): a plain commit,
    then, on a failed health check, NAPALM's rollback() (SR Linux: load the pre-commit checkpoint)."""
    srlinux = profiles()["srlinux"]
    monkeypatch.setitem(profiles(), "srlinux", dataclasses.replace(srlinux, napalm=Napalm("srlinux", None)))
    network = netweave.expand(netweave.load(LAB_DESIGN))
    with serve(SrlFake([n.peer_address for n in network.neighbors("spine1") if n.peer_address], False)) as fake:
        result = _run(
            "apply",
            LAB_DESIGN,
            "--only",
            "spine1",
            "--inventory",
            inventory(fake.port),
            "--yes",
            "--health-timeout",
            "1",
            "--settle",
            "0",
            "--output",
            tmp_path / "build",
            "--format",
            "json",
        )
    assert result.exit_code == 1
    (spine1,) = json.loads(result.stdout)["devices"]
    assert spine1["status"] == "rolled-back" and not spine1["confirmed"]
    calls = summary(fake)
    assert "set replace /" in calls and not any("confirm-timeout" in c for c in calls)
    assert "load checkpoint name NAPALM-" in str(fake.rpc[-1]["params"]["commands"])
    assert not any("confirmed-" in c for c in calls)
