"""The SONiC driver against fake switches (tests/support/sonic_fake: SONiC's documented config/show
commands over a CONFIG_DB file, real FRR in a namespace as the bgp container), over real SSH."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from napalm.base.exceptions import CommitConfirmException, CommitError, ConnectionException, ReplaceConfigException

from netweave.napalm_sonic import SONiCDriver, bundle
from tests.napalm_sonic.conftest import SECRET, USER, desired, driver
from tests.support.sonic_fake.lab import SonicLab

pytestmark = pytest.mark.real

REPO = Path(__file__).resolve().parents[2]


def test_wrong_password_is_refused_without_echoing_it(fabric: SonicLab) -> None:
    conn = driver(fabric, "leaf1", password="wrong-" + SECRET)
    with pytest.raises(ConnectionException) as caught:
        conn.open()
    assert SECRET not in str(caught.value) and "127.0.0.1" in str(caught.value)


def test_getters(fabric: SonicLab, leaf1: SONiCDriver) -> None:
    facts = leaf1.get_facts()
    assert facts["vendor"] == "SONiC" and facts["serial_number"] == "SNLEAF1" and facts["uptime"] > 0
    assert facts["os_version"].startswith("SONiC.") and facts["interface_list"] == ["Ethernet64", "Ethernet124"]
    assert leaf1.get_lldp_neighbors() == {"Ethernet64": [{"hostname": "spine1", "port": "Ethernet0"}]}
    assert leaf1.get_interfaces()["Ethernet64"]["is_enabled"] is False  # factory: admin down


def test_candidate_with_bad_frr_is_refused_and_nothing_changes(fabric: SonicLab, leaf1: SONiCDriver) -> None:
    before = leaf1.get_config(retrieve="running")["running"]
    broken = bundle.parse(desired(fabric, "leaf1"))
    with pytest.raises(ReplaceConfigException, match="rejected by FRR's parser"):
        leaf1.load_replace_candidate(
            config=bundle.Bundle(broken.config_db, broken.frr + "router bgp nonsense\n").text()
        )
    with pytest.raises(ReplaceConfigException, match="CONFIG_DB JSON"):
        leaf1.load_replace_candidate(config='{"PORT": [1]}\n')
    assert leaf1.get_config(retrieve="running")["running"] == before


def test_commit_confirm_then_save_and_second_load_is_empty(fabric: SonicLab, leaf1: SONiCDriver) -> None:
    fake = fabric.switches["leaf1"]
    saved_before = fake.saved_db()
    leaf1.load_replace_candidate(config=desired(fabric, "leaf1"))
    diff = leaf1.compare_config()
    assert "+ LOOPBACK_INTERFACE|Loopback0|10.0.0.17/32" in diff and "+ router bgp 4200000001" in diff
    leaf1.commit_config(revert_in=60)
    assert leaf1.has_pending_commit()
    assert fake.saved_db() == saved_before  # nothing saved while unconfirmed
    startup = bundle.parse(leaf1.get_config(retrieve="startup")["startup"])
    assert startup.config_db == saved_before and "router bgp" not in startup.frr  # a reboot now boots the old
    assert fake.running_db()["DEVICE_METADATA"]["localhost"]["hostname"] == "leaf1"
    leaf1.confirm_commit()
    assert not leaf1.has_pending_commit() and fake.saved_db() == fake.running_db()
    startup = bundle.parse(leaf1.get_config(retrieve="startup")["startup"])
    assert startup.config_db == fake.running_db() and "router bgp 4200000001" in startup.frr
    with pytest.raises(CommitConfirmException):
        leaf1.confirm_commit()
    leaf1.load_replace_candidate(config=desired(fabric, "leaf1"))
    assert leaf1.compare_config() == ""
    # rollback returns to the checkpoint taken before the last commit (the factory config)
    leaf1.discard_config()
    leaf1.rollback()
    assert fake.running_db()["DEVICE_METADATA"]["localhost"]["hostname"] == "sonic"
    assert "router bgp" not in leaf1.get_config(retrieve="running")["running"]


def test_failed_frr_apply_restores_config_db_too(fabric: SonicLab, leaf1: SONiCDriver) -> None:
    """FRR's parser accepts a peer-group that does not exist, bgpd refuses it when applied: by then CONFIG_DB
    was already replaced, and the commit must put both back (all-or-nothing)."""
    fake = fabric.switches["leaf1"]
    before_db, before = fake.running_db(), leaf1.get_config(retrieve="running")["running"]
    good = bundle.parse(desired(fabric, "leaf1"))
    frr = good.frr.replace(
        " bgp router-id 10.0.0.17\n", " bgp router-id 10.0.0.17\n neighbor 10.9.9.9 peer-group NOPE\n"
    )
    assert frr != good.frr
    leaf1.load_replace_candidate(config=bundle.Bundle(good.config_db, frr).text())
    with pytest.raises(CommitError, match="previous config restored"):
        leaf1.commit_config()
    assert fake.running_db() == before_db
    assert leaf1.get_config(retrieve="running")["running"] == before
    assert not leaf1.has_pending_commit()


CLIENT = """
import sys, time, napalm
args = dict(port=int(sys.argv[1]), ssh_strict=False, container_state_dir=sys.argv[2], frr_config=sys.argv[3])
conn = napalm.get_network_driver("sonic")("127.0.0.1", sys.argv[4], sys.stdin.read(), timeout=20, optional_args=args)
conn.open()
conn.load_replace_candidate(filename=sys.argv[5])
conn.commit_config(revert_in=4)
print("committed", flush=True)
time.sleep(600)
"""


def test_confirm_timer_reverts_when_the_client_dies(fabric: SonicLab, leaf1: SONiCDriver, tmp_path: Path) -> None:
    """A netweave process commits with revert_in and is killed: the switch-side timer restores both configs."""
    fake = fabric.switches["leaf1"]
    before = leaf1.get_config(retrieve="running")["running"]
    candidate = tmp_path / "leaf1.cfg"
    candidate.write_text(desired(fabric, "leaf1"))
    opts = fabric.options("leaf1")
    proc = subprocess.Popen(
        [
            sys.executable,
            "-c",
            CLIENT,
            str(opts["port"]),
            opts["container_state_dir"],
            opts["frr_config"],
            USER,
            str(candidate),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        cwd=REPO,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )
    assert proc.stdin is not None and proc.stdout is not None
    proc.stdin.write(SECRET)  # the password goes over a pipe, never into argv or the environment
    proc.stdin.close()
    assert proc.stdout.readline().strip() == "committed"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert fake.running_db()["DEVICE_METADATA"]["localhost"]["hostname"] == "leaf1"
    deadline = time.monotonic() + 30
    while fake.running_db()["DEVICE_METADATA"]["localhost"]["hostname"] != "sonic" and time.monotonic() < deadline:
        time.sleep(0.5)
    while leaf1.has_pending_commit() or leaf1._timer_state() == "reverting":
        time.sleep(0.2)
    assert leaf1.get_config(retrieve="running")["running"] == before
    assert not [p for p in fake.processes() if b"netweave-sonic-revert" in Path(f"/proc/{p}/cmdline").read_bytes()]
    assert json.loads(json.dumps(fake.saved_db())) == fake.saved_db()
