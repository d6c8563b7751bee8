"""BGP authentication on real FRR: `netweave apply` fills the key in from the environment, the sessions come up
with TCP MD5 (RFC 2385) between the lab's namespaces, and a session whose ends hold different keys stays down.

A 1-spine/2-leaf all-FRR lab (namespaces named after this process, `apk<pid>`), reached through netweave's
NAPALM FRR driver exactly as `netweave apply` and `netweave rollback` run. Linux implements TCP MD5 in the
kernel (CONFIG_TCP_MD5SIG); without it the test skips with that reason (fails under CI=true), as without root or FRR.
"""

from __future__ import annotations

import json
import os
import socket
import struct
from collections.abc import Callable
from pathlib import Path
from typing import Any

import napalm
import pytest
from typer.testing import CliRunner

from netweave.apply.inventory import MASK
from netweave.cli import app
from netweave.lab.frr import apply_config
from netweave.lab.naming import netns_name
from netweave.lab.query import vtysh_json, wait_for
from netweave.lab.state import LabState
from netweave.lab.verify import verify
from netweave.network.model import Network
from tests.apply.conftest import Labs, fabric_data, fabric_of, write
from tests.conftest import assert_secret_absent, require

pytestmark = pytest.mark.real

PID = os.getpid() % 100000
LAB = f"apk{PID}"
KEY_VAR = "NETWEAVE_SECRET_BGP_KEY"
KEY = "Md5-key-7c41e9"
"""The key the test puts in the environment: it must reach FRR and no output, file or backup."""
WRONG = "Other-key-2b9d"
TCP_MD5SIG = 14
"""Linux `TCP_MD5SIG` socket option (include/uapi/linux/tcp.h)."""


def kernel_has_tcp_md5() -> bool:
    """Whether this kernel accepts a TCP MD5 key on a socket (struct tcp_md5sig: a sockaddr_storage, flags,
    prefix length, key length, ifindex, an 80-byte key; tcp(7)); ENOPROTOOPT without CONFIG_TCP_MD5SIG."""
    sockaddr = (struct.pack("=H", socket.AF_INET) + struct.pack("!H", 0) + socket.inet_aton("127.0.0.1")).ljust(
        128, b"\0"
    )
    option = sockaddr + struct.pack("=BBHI", 0, 0, 1, 0) + b"k".ljust(80, b"\0")
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        try:
            probe.setsockopt(socket.IPPROTO_TCP, TCP_MD5SIG, option)
        except OSError:
            return False
    return True


def run(*args: str | Path) -> Any:
    return CliRunner().invoke(app, [str(a) for a in args], catch_exceptions=False)


def established(state: LabState, node: str) -> dict[str, bool]:
    """Peer address -> whether `node`'s session to it is Established."""
    peers = vtysh_json(state, node, "show bgp ipv4 unicast summary").get("peers", {})
    return {address: peer.get("state") == "Established" for address, peer in peers.items()}


def running(device: str) -> str:
    driver = napalm.get_network_driver("frr")(device, "", "", optional_args={"netns": netns_name(LAB, device)})
    driver.open()
    try:
        return str(driver.get_config(retrieve="running")["running"])
    finally:
        driver.close()


def test_md5_sessions_come_up_with_the_key_from_the_environment_a_wrong_key_stays_down_and_rollback_restores_it(
    labs: Labs, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, credentials: str, no_secret: Callable[..., None]
) -> None:
    require(kernel_has_tcp_md5(), "the kernel has no TCP MD5 signatures (CONFIG_TCP_MD5SIG)")
    data = fabric_data()
    fabric_of(data)["spines"]["count"] = 1  # the smallest fabric with two sessions: 1 spine, 2 leaves
    fabric_of(data)["leaves"]["server_ports"] = 2  # 2:1 over the one uplink (lint allows 3:1)
    data["management"] = {"bgp_auth": {"key": {"secret": "bgp_key"}, "algorithm": "md5"}}
    design = write(tmp_path / "design.yaml", data)
    lab = labs.design_lab(design, LAB)
    state = labs.up(lab, fresh=True)  # hostname only: `netweave apply` brings the whole config, key included
    inventory = tmp_path / "inventory.yaml"
    inventory.write_text(
        "devices:\n" + "".join(f"  {n}: {{transport: netns, netns: {netns_name(LAB, n)}}}\n" for n in state.nodes)
    )
    build = tmp_path / "build"
    common = ["--inventory", inventory, "--format", "json"]
    fast = ["--health-timeout", "40", "--settle", "1", "--confirm", "90"]

    monkeypatch.delenv(KEY_VAR, raising=False)
    refused = run("apply", design, *common, "--yes", "--output", build, *fast)
    assert refused.exit_code != 0 and KEY_VAR in refused.output  # no value: nothing is pushed, the variable named
    monkeypatch.setenv(KEY_VAR, KEY)
    planned = run("plan", design, *common)
    assert planned.exit_code == 0, planned.output
    diff = next(d["diff"] for d in json.loads(planned.stdout)["devices"] if d["device"] == "leaf1")
    assert f"+  neighbor FABRIC password {MASK}" in diff.splitlines() and KEY not in diff, diff  # masked in plans
    applied = run("apply", design, *common, "--yes", "--output", build, *fast)
    assert applied.exit_code == 0, applied.output
    outcome = verify(state, lab.network, timeout=60)
    assert outcome.ok, outcome.failures  # every session Established, with MD5 on both ends
    assert f" neighbor FABRIC password {KEY}" in running("leaf1")  # the value reached FRR, not the placeholder
    again = run("apply", design, *common, "--yes", "--output", build, *fast)  # backs up a running config with the key
    assert again.exit_code == 0, again.output
    assert {d["status"] for d in json.loads(again.stdout)["devices"]} == {"unchanged"}
    assert_secret_absent(KEY, "bgp", planned.output, applied.output, again.output, refused.output, directory=build)
    no_secret(applied.output, again.output, directory=build)

    wrong_key_then_rollback(state, lab.network, [*common, "--output", build], design, tmp_path, monkeypatch)
    assert_secret_absent(KEY, "bgp", directory=build)


def wrong_key_then_rollback(
    state: LabState, network: Network, common: list[Any], design: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """leaf2 given another key loses its session; `netweave rollback` of its backup brings the design's back."""
    # leaf2 with another key: its session to the spine drops and stays down; leaf1's is untouched
    leaf2 = network.device_by_name["leaf2"]
    spine_side = {n.peer_address for n in network.neighbors("leaf2")}
    wrong = tmp_path / "leaf2-wrong-key.conf"
    wrong.write_text(f"router bgp {leaf2.asn}\n neighbor FABRIC password {WRONG}\nexit\n")
    apply_config(state.node("leaf2").netns, wrong)
    wait_for(lambda: not any(established(state, "leaf2").values()), timeout=60, what="leaf2's sessions down")
    with pytest.raises(Exception, match="not reached"):
        wait_for(lambda: any(established(state, "leaf2").values()), timeout=15, interval=1, what="a wrong-key session")
    spine = established(state, "spine1")
    leaf1_side = {n.peer_address for n in network.neighbors("spine1") if n.peer_device == "leaf1"}
    assert all(spine[a] for a in leaf1_side) and not any(established(state, "leaf2").values()), spine
    assert spine_side <= set(established(state, "leaf2"))
    wrong.unlink()

    # `netweave rollback` restores leaf2's last backup, which holds the key as its placeholder: without the
    # variable it is refused (nothing pushed, the variable named); with it the key goes back in and the session
    # returns, so the key was the only thing keeping it down
    monkeypatch.delenv(KEY_VAR)
    rollback = ["rollback", design, *common, "--only", "leaf2", "--yes"]
    refused = run(*rollback)
    assert refused.exit_code == 1 and KEY_VAR in refused.output, refused.output
    assert f"password {WRONG}" in running("leaf2")
    monkeypatch.setenv(KEY_VAR, KEY)
    restored = run(*rollback)
    assert restored.exit_code == 0, restored.output
    wait_for(lambda: all(established(state, "leaf2").values()), timeout=90, interval=1, what="leaf2 back up")
    assert f" neighbor FABRIC password {KEY}" in running("leaf2")
    assert_secret_absent(KEY, "bgp", refused.output, restored.output)
