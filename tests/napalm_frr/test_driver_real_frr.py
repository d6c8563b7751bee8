"""The driver against real FRR daemons in network namespaces (see conftest.py for the lab)."""

from __future__ import annotations

import logging
import time
import traceback
from pathlib import Path

import napalm
import pytest
from napalm.base.exceptions import (
    CommitConfirmException,
    CommitError,
    ConnectionException,
    ReplaceConfigException,
)

from netweave.napalm_frr import FRRDriver, confirm

from .conftest import R1_BASE, Lab

pytestmark = [pytest.mark.real]

NEW_LOOPBACK = R1_BASE.replace(" ip address 10.0.0.1/32\n", " ip address 10.0.0.1/32\n ip address 10.0.0.101/32\n")
NEW_DESCRIPTION = R1_BASE.replace("description r2", "description r2-changed")


def test_get_network_driver_finds_frr() -> None:
    assert napalm.get_network_driver("frr") is FRRDriver


def test_get_facts(r1: FRRDriver) -> None:
    facts = r1.get_facts()
    assert facts["vendor"] == "FRRouting"
    assert facts["os_version"].split(".")[0].isdigit()
    assert {"lo", "nwdt-r1"} <= set(facts["interface_list"])
    assert facts["uptime"] >= 0
    assert isinstance(facts["hostname"], str) and facts["hostname"]
    assert r1.is_alive() == {"is_alive": True}


def test_compare_shows_exactly_the_change(r1: FRRDriver) -> None:
    r1.load_replace_candidate(config=NEW_LOOPBACK)
    assert r1.compare_config() == "interface lo\n+  ip address 10.0.0.101/32\n"
    assert r1.get_config(retrieve="candidate")["candidate"] == NEW_LOOPBACK


def test_compare_shows_changed_line_as_minus_plus(r1: FRRDriver) -> None:
    r1.load_replace_candidate(config=NEW_DESCRIPTION)
    assert r1.compare_config() == (
        "router bgp 65001\n-  neighbor 192.0.2.2 description r2\n+  neighbor 192.0.2.2 description r2-changed\n"
    )


def test_commit_applies_persists_and_second_compare_is_empty(r1: FRRDriver, lab: Lab) -> None:
    r1.load_replace_candidate(config=NEW_LOOPBACK)
    r1.commit_config(message="add second loopback")
    assert "ip address 10.0.0.101/32" in r1.get_config(retrieve="running")["running"]
    assert not r1.has_pending_commit()
    assert r1.get_config(retrieve="candidate")["candidate"] == ""
    # persisted: the integrated config file a restart loads
    startup = Path(r1.instance.config_file).read_text()
    assert r1.instance.config_file == f"/etc/frr/{lab.r1}/frr.conf"
    assert "ip address 10.0.0.101/32" in startup
    assert r1.get_config(retrieve="startup")["startup"] == startup
    r1.load_replace_candidate(config=NEW_LOOPBACK)
    assert r1.compare_config() == ""


def test_commit_confirm_reverts_without_confirm(r1: FRRDriver) -> None:
    before = r1.get_config(retrieve="running")["running"]
    r1.load_replace_candidate(config=NEW_LOOPBACK)
    r1.commit_config(revert_in=3)
    assert r1.has_pending_commit()
    assert "10.0.0.101/32" in r1.get_config(retrieve="running")["running"]
    # unconfirmed config is not persisted: a reboot inside the window comes back with the old one
    assert "10.0.0.101/32" not in r1.get_config(retrieve="startup")["startup"]
    time.sleep(5)
    assert not r1.has_pending_commit()
    assert r1.get_config(retrieve="running")["running"] == before
    backup = Path(r1.instance.state_file(confirm.ROLLBACK)).read_text()
    assert backup == before
    with pytest.raises(CommitConfirmException, match="no commit is pending"):
        r1.confirm_commit()


def test_commit_confirm_kept_when_confirmed(r1: FRRDriver) -> None:
    r1.load_replace_candidate(config=NEW_LOOPBACK)
    r1.commit_config(revert_in=3)
    with pytest.raises(CommitError, match="commit-confirm is pending"):
        r1.load_replace_candidate(config=NEW_DESCRIPTION)
        r1.commit_config()
    r1.discard_config()
    r1.confirm_commit()
    assert not r1.has_pending_commit()
    time.sleep(4.5)
    running = r1.get_config(retrieve="running")["running"]
    assert "10.0.0.101/32" in running
    assert "10.0.0.101/32" in r1.get_config(retrieve="startup")["startup"]


def test_rollback_restores_previous_config(r1: FRRDriver) -> None:
    before = r1.get_config(retrieve="running")["running"]
    r1.load_replace_candidate(config=NEW_DESCRIPTION)
    r1.commit_config()
    assert "r2-changed" in r1.get_config(retrieve="running")["running"]
    r1.rollback()
    assert r1.get_config(retrieve="running")["running"] == before
    assert "r2-changed" not in r1.get_config(retrieve="startup")["startup"]


def test_rollback_cancels_pending_commit(r1: FRRDriver) -> None:
    before = r1.get_config(retrieve="running")["running"]
    r1.load_replace_candidate(config=NEW_LOOPBACK)
    r1.commit_config(revert_in=30)
    assert r1.has_pending_commit()
    r1.rollback()
    assert not r1.has_pending_commit()
    assert r1.get_config(retrieve="running")["running"] == before


def test_discard_config_clears_candidate(r1: FRRDriver) -> None:
    r1.load_replace_candidate(config=NEW_LOOPBACK)
    r1.discard_config()
    assert r1.get_config(retrieve="candidate")["candidate"] == ""
    assert r1.compare_config() == ""
    with pytest.raises(CommitError, match="no candidate"):
        r1.commit_config()


def test_merge_candidate_adds_lines(r1: FRRDriver) -> None:
    r1.load_merge_candidate(config="interface lo\n ip address 10.0.0.102/32\nexit\n")
    assert r1.compare_config() == "interface lo\n+  ip address 10.0.0.102/32\n"
    r1.commit_config()
    running = r1.get_config(retrieve="running")["running"]
    assert "ip address 10.0.0.102/32" in running
    assert "ip address 10.0.0.1/32" in running


def test_syntax_error_is_refused_and_running_unchanged(r1: FRRDriver) -> None:
    before = r1.get_config(retrieve="running")["running"]
    broken = R1_BASE.replace(" ip address 10.0.0.1/32\n", " ip address 10.0.0.1/32\n ip adress 10.9.9.9/32\n")
    with pytest.raises(ReplaceConfigException) as info:
        r1.load_replace_candidate(config=broken)
    message = str(info.value)
    assert "rejected by FRR's parser" in message
    assert "line 6" in message and "ip adress 10.9.9.9/32" in message
    assert r1.get_config(retrieve="candidate")["candidate"] == ""
    assert r1.get_config(retrieve="running")["running"] == before


def test_failed_apply_restores_running_config(r1: FRRDriver) -> None:
    """Valid syntax that FRR refuses mid-apply (peer = own address) must leave nothing behind."""
    before = r1.get_config(retrieve="running")["running"]
    refused = NEW_LOOPBACK.replace(
        " neighbor 192.0.2.2 timers 3 9\n",
        " neighbor 192.0.2.2 timers 3 9\n neighbor 192.0.2.1 remote-as 65009\n",
    )
    r1.load_replace_candidate(config=refused)
    with pytest.raises(CommitError) as info:
        r1.commit_config()
    assert "running config restored" in str(info.value)
    assert "Can not configure the local system as neighbor" in str(info.value)
    assert r1.get_config(retrieve="running")["running"] == before


def test_get_bgp_neighbors_established(r1: FRRDriver) -> None:
    deadline = time.monotonic() + 60
    neighbors = r1.get_bgp_neighbors()
    while not neighbors.get("global", {}).get("peers", {}).get("192.0.2.2", {}).get("is_up"):
        assert time.monotonic() < deadline, f"eBGP session to r2 never came up: {neighbors}"
        time.sleep(1)
        neighbors = r1.get_bgp_neighbors()
    assert set(neighbors) == {"global"}
    assert neighbors["global"]["router_id"] == "10.0.0.1"
    peer = neighbors["global"]["peers"]["192.0.2.2"]
    assert peer["local_as"] == 65001
    assert peer["remote_as"] == 65002
    assert peer["remote_id"] == "10.0.0.2"
    assert peer["is_enabled"] is True
    assert peer["description"] == "r2"
    assert isinstance(peer["uptime"], int) and peer["uptime"] >= 0
    ipv4 = peer["address_family"]["ipv4"]
    assert set(ipv4) == {"received_prefixes", "accepted_prefixes", "sent_prefixes"}
    deadline = time.monotonic() + 30
    while ipv4["received_prefixes"] < 1 and time.monotonic() < deadline:
        time.sleep(1)
        ipv4 = r1.get_bgp_neighbors()["global"]["peers"]["192.0.2.2"]["address_family"]["ipv4"]
    assert ipv4["received_prefixes"] == 1  # r2's loopback
    assert ipv4["sent_prefixes"] >= 1


SECRET = "Sup3r-S3cret-pw!"


def test_password_never_in_errors_or_logs(lab: Lab, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    # netns transport: a namespace that does not exist
    bad = FRRDriver("nw-drvtest-missing", "admin", SECRET, optional_args={"transport": "netns"})
    with pytest.raises(ConnectionException) as info:
        bad.open()
    assert SECRET not in "".join(traceback.format_exception(info.value))
    assert SECRET not in repr(bad)
    # a refused commit on a working device, password set
    driver = FRRDriver(lab.r1, "admin", SECRET, optional_args={"transport": "netns", "state_dir": str(lab.state_root)})
    driver.open()
    with pytest.raises(ReplaceConfigException) as info:
        driver.load_replace_candidate(config="router bgp 65001\n neighbor x remote-az 1\n")
    assert SECRET not in str(info.value)
    driver.close()
    assert caplog.records, "expected the driver to log its commands at DEBUG"
    assert SECRET not in caplog.text


def test_a_second_session_on_one_instance_is_refused_until_the_first_closes(r1: FRRDriver, lab: Lab) -> None:
    """Issue #20 item 1: two sessions shared candidate, rollback.conf and the confirm timer's files."""
    r1.load_replace_candidate(config=NEW_LOOPBACK)
    second = lab.driver()
    started = time.monotonic()
    with pytest.raises(ConnectionException, match="locked by another session"):
        second.open()
    assert time.monotonic() - started < 5  # lock_wait 0: refused at once, not after a timeout
    assert r1.compare_config()  # the first session's candidate is still its own
    waiting = lab.driver(lock_wait=0.5)
    with pytest.raises(ConnectionException, match="locked by another session"):
        waiting.open()
    r1.discard_config()
    r1.close()
    second.open()  # released on close
    second.close()
    r1.open()  # the fixture closes it again
