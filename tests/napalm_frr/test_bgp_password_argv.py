"""A BGP neighbor password (TCP MD5 key) never reaches a command line while the driver changes it.

frr-reload.py deletes lines with `vtysh -c ... -c 'no neighbor X password KEY'`, readable by every user of the
FRR host in `ps`. These tests run the driver against real FRR with `bindir` pointing at a `vtysh` that records
its argv and then runs the real one, and check that no recorded argv holds a key, for a key rotation (old key
deleted), a commit-confirm that reverts (new key deleted by the timer) and a rollback.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from netweave.napalm_frr import FRRDriver, confirm
from tests.support.recording_vtysh import recording_vtysh

from .conftest import R1_BASE, Lab

pytestmark = [pytest.mark.real]

OLD, NEW, NEWER = "Old-md5-key-41a7", "New-md5-key-9c02", "Newer-md5-key-5e13"
PEER = " neighbor 192.0.2.2 timers 3 9\n"


def with_key(key: str) -> str:
    return R1_BASE.replace(PEER, f"{PEER} neighbor 192.0.2.2 password {key}\n")


@pytest.fixture
def recorded(lab: Lab, tmp_path: Path) -> Iterator[tuple[FRRDriver, Path]]:
    """r1's driver whose vtysh (also frr-reload.py's, through --bindir) appends its argv to a log."""
    bindir, log = recording_vtysh(tmp_path)
    lab.reset(lab.r1, with_key(OLD))
    driver = lab.driver(bindir=str(bindir))
    driver.open()
    try:
        yield driver, log
    finally:
        driver.close()
        lab.reset(lab.r1, lab.r1_base)


def commit(driver: FRRDriver, config: str, revert_in: int | None = None) -> None:
    driver.load_replace_candidate(config=config)
    driver.commit_config(revert_in=revert_in)


def test_a_rotated_key_is_never_on_a_vtysh_command_line(recorded: tuple[FRRDriver, Path], lab: Lab) -> None:
    driver, log = recorded
    commit(driver, with_key(NEW))
    assert f"neighbor 192.0.2.2 password {NEW}" in lab.running(lab.r1)
    argv = log.read_text()
    assert argv.strip(), "the recording vtysh was not used"
    assert OLD not in argv and NEW not in argv, argv


def test_a_reverted_or_rolled_back_key_is_never_on_a_vtysh_command_line(
    recorded: tuple[FRRDriver, Path], lab: Lab
) -> None:
    driver, log = recorded
    commit(driver, with_key(NEWER), revert_in=2)
    deadline = time.monotonic() + 20
    reverting = Path(driver.instance.state_file(confirm.REVERTING))
    while driver.has_pending_commit() or reverting.exists():
        assert time.monotonic() < deadline, lab.running(lab.r1)
        time.sleep(0.5)
    running = lab.running(lab.r1)
    assert f"password {OLD}" in running and f"password {NEWER}" not in running  # the timer reverted the key
    commit(driver, with_key(NEW))
    driver.rollback()
    assert f"neighbor 192.0.2.2 password {OLD}" in lab.running(lab.r1)
    argv = log.read_text()
    assert argv.strip(), "the recording vtysh was not used"
    assert not any(key in argv for key in (OLD, NEW, NEWER)), argv
