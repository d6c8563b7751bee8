"""apply to Arista EOS through NAPALM's real `eos` driver (pyeapi over HTTP), Nornir and netweave's runner.

EOS cannot run here, so eAPI is served from a local HTTP server on 127.0.0.1 (tests/apply/httpfake.py)
with handwritten answers in eAPI's JSON-RPC format. The runner-level tests push a short handwritten EOS
config; the command-level test pushes the design's own EOS rendering. They assert the eAPI commands
the driver sent: a config session with `rollback clean-config` (replace), `commit timer` (revert_in),
then the confirming session commit, or the session abort when the health check fails.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

import netweave
from netweave.apply import ApplyOptions, Desired, DesiredSet, apply
from netweave.apply.desired import session_peers
from netweave.apply.inventory import build_inventory, load_inventory_file
from tests.apply.conftest import SECRET
from tests.apply.httpfake import RpcError, serve
from tests.conftest import LAB_DESIGN

CONFIG = "hostname spine1\n!\nrouter bgp 65100\n   router-id 10.0.0.1\n!\nend\n"
RUNNING = "! device: spine1 (vEOS, EOS-4.30.0F)\nhostname old-name\n!\nend\n"
UPTIME = 5000.0


class EosFake:
    """eAPI answers for one switch, tracking the config session's commit timer."""

    def __init__(self, peers: list[str], healthy: bool) -> None:
        self.peers = peers
        self.healthy = healthy
        self.pending: str | None = None

    def __call__(self, body: dict[str, Any]) -> list[Any]:
        assert body["method"] == "runCmds" and body["params"]["version"] == 1
        return [self.run(c["cmd"] if isinstance(c, dict) else c) for c in body["params"]["cmds"]]

    def run(self, cmd: str) -> Any:
        if cmd == "show version":
            return {"version": "4.30.0F", "uptime": UPTIME, "modelName": "vEOS"}
        if cmd == "show running-config":
            return {"output": RUNNING}
        if cmd == "show configuration sessions":
            return {"sessions": {}}
        if cmd == "show configuration sessions detail":
            if self.pending is None:
                return {"sessions": {}}
            return {"sessions": {self.pending: {"state": "pendingCommitTimer", "commitBy": UPTIME + 100}}}
        if re.fullmatch(r"show session-config named \S+ diffs", cmd):
            return {
                "output": "--- system:/running-config\n+++ session:/s-session-config\n-hostname old-name\n"
                "+hostname spine1\n"
            }
        if match := re.fullmatch(r"configure session (\S+) commit timer (\S+)", cmd):
            self.pending = match.group(1)
            return {"output": ""}
        if re.fullmatch(r"configure session \S+ (commit|abort)", cmd):
            self.pending = None
            return {"output": ""}
        if cmd in ("show ip bgp summary vrf all", "show ipv6 bgp summary vrf all"):
            return {"vrfs": {"default": {"routerId": "10.0.0.1", "peers": {}}}}
        if cmd == "show ipv6 bgp peers vrf all":
            return {"vrfs": {"default": {"peerList": []}}}
        if cmd == "show ip bgp neighbors vrf all":
            peers = [
                {
                    "peerAddress": peer,
                    "localAsn": "65100",
                    "asn": str(4200000001 + i),
                    "routerId": "10.0.0.9",
                    "state": "Established" if self.healthy or i else "Active",
                    "idleReason": "",
                    "prefixesReceived": 1,
                    "prefixesSent": 1,
                    "v6PrefixesReceived": 0,
                    "v6PrefixesSent": 0,
                }
                for i, peer in enumerate(self.peers)
            ]
            return {"vrfs": {"default": {"peerList": peers}}}
        return {}  # enable, configuration lines, end, copy, write memory


def config_commands(recorder: Any) -> list[str]:
    """Every eAPI command sent, except the getters the runner polls, in order."""
    out = []
    for body in recorder.rpc:
        for cmd in body["params"]["cmds"]:
            text = cmd["cmd"] if isinstance(cmd, dict) else cmd
            if text != "enable" and not text.startswith(("show ip", "show ipv6")):
                out.append(re.sub(r"napalm_\d+", "SESSION", text))
    return out


@pytest.fixture
def eos_network(tmp_path: Path) -> netweave.Network:
    data = yaml.safe_load(LAB_DESIGN.read_text())
    data["sites"][0]["fabrics"][0]["spines"].update(platform="arista-7050cx3-32s", nos="eos")
    path = tmp_path / "design.yaml"
    path.write_text(yaml.safe_dump(data))
    return netweave.expand(netweave.load(path))


@pytest.mark.parametrize("healthy", [True, False], ids=["healthy-confirmed", "unhealthy-aborted"])
def test_eos_config_session_commit_timer_then_confirm_or_abort(
    healthy: bool, eos_network: netweave.Network, tmp_path: Path, credentials: str, no_secret: Callable[..., None]
) -> None:
    peers = session_peers(eos_network, "spine1")
    desired = DesiredSet(network=eos_network, devices={"spine1": Desired("spine1", CONFIG, peers)})
    build = tmp_path / "build"
    with serve(EosFake([key for key, _ in peers], healthy)) as fake:
        path = tmp_path / "inventory.yaml"
        path.write_text(f"devices:\n  spine1: {{host: 127.0.0.1, port: {fake.port}, transport: http}}\n")
        inventory = build_inventory(eos_network, ["spine1"], load_inventory_file(path))
        report = apply(inventory, desired, build, ApplyOptions(confirm=150, health_timeout=2, settle=0))
    (spine1,) = report.devices
    sent = config_commands(fake)
    assert sent[:2] == ["show version", "show running-config"]  # open, then the backup
    session = sent.index("configure session SESSION")
    assert sent[session : session + 6] == [
        "configure session SESSION",
        "rollback clean-config",
        "hostname spine1",
        "router bgp 65100",
        "router-id 10.0.0.1",
        "end",
    ]
    commit = sent.index("configure session SESSION commit timer 00:02:30")  # revert_in=150
    assert "show session-config named SESSION diffs" in sent[session:commit]
    assert sent[commit - 1] == "copy startup-config flash:rollback-0"
    if healthy:
        assert report.ok and spine1.status == "applied" and spine1.confirmed
        assert sent[-2:] == ["configure session SESSION commit", "write memory"]
    else:
        assert spine1.status == "rolled-back" and spine1.health is not None
        assert spine1.health.down == [peers[0][0]]
        assert sent[-2:] == ["configure session SESSION abort", "write memory"]
    assert spine1.diff == "-hostname old-name\n+hostname spine1"
    assert Path(spine1.backup).read_text() == RUNNING
    assert all(r.headers.get("Authorization", "").startswith("Basic ") for r in fake.requests)
    no_secret(repr(report), repr(inventory), str(report.as_dict()), directory=build)
    assert SECRET not in repr(inventory.targets["spine1"])


class EchoingEosFake(EosFake):
    """A device whose error message echoes what it was sent, including the login (worst case)."""

    def __init__(self, secret: str) -> None:
        super().__init__([], True)
        self.secret = secret

    def run(self, cmd: str) -> Any:
        if cmd == "rollback clean-config":
            raise RpcError(
                f"CLI command 2 of 6 'rollback clean-config' failed: could not run (user secret {self.secret})"
            )
        return super().run(cmd)


def test_a_device_error_echoing_the_password_is_redacted(
    eos_network: netweave.Network,
    tmp_path: Path,
    credentials: str,
    no_secret: Callable[..., None],
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    desired = DesiredSet(network=eos_network, devices={"spine1": Desired("spine1", CONFIG, ())})
    with serve(EchoingEosFake(credentials)) as fake:
        path = tmp_path / "inventory.yaml"
        path.write_text(f"devices:\n  spine1: {{host: 127.0.0.1, port: {fake.port}, transport: http}}\n")
        inventory = build_inventory(eos_network, ["spine1"], load_inventory_file(path))
        report = apply(inventory, desired, tmp_path / "build", ApplyOptions(confirm=150, health=False))
    (spine1,) = report.devices
    assert spine1.status == "failed" and spine1.error.startswith("loading the candidate: ReplaceConfigException")
    assert "user secret ********" in spine1.error
    assert not any("commit" in c for c in config_commands(fake))  # nothing was committed
    no_secret(spine1.error, json.dumps(report.as_dict()), caplog.text, directory=tmp_path / "build")


def test_netweave_apply_pushes_the_rendered_eos_config(
    eos_network: netweave.Network, tmp_path: Path, credentials: str, no_secret: Callable[..., None]
) -> None:
    """The whole command: the design's own EOS rendering goes into one config session as a replace."""
    from typer.testing import CliRunner

    from netweave.apply import rendered
    from netweave.cli import app

    config = rendered(eos_network, ["spine1"]).devices["spine1"].config
    design = tmp_path / "design.yaml"  # written by the eos_network fixture
    peers = [key for key, _ in session_peers(eos_network, "spine1")]
    with serve(EosFake(peers, True)) as fake:
        path = tmp_path / "inventory.yaml"
        path.write_text(f"nos:\n  eos: {{host: 127.0.0.1, port: {fake.port}, transport: http}}\n")
        result = CliRunner().invoke(
            app,
            [
                "apply",
                str(design),
                "--only",
                "spine1",
                "--inventory",
                str(path),
                "--yes",
                "--health-timeout",
                "2",
                "--settle",
                "0",
                "--output",
                str(tmp_path / "build"),
                "--format",
                "json",
            ],
            catch_exceptions=False,
        )
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["devices"][0]["status"] == "applied"
    sent = [c for c in config_commands(fake) if c]
    start, end = sent.index("rollback clean-config") + 1, sent.index("end")
    lines = [line.strip() for line in config.splitlines() if line.strip() and not line.strip().startswith("!")]
    assert sent[start:end] == [line for line in lines if line != "end"]
    assert "configure session SESSION commit timer 00:02:00" in sent and sent[-1] == "write memory"
    no_secret(result.output, directory=tmp_path / "build")
