"""The SONiC driver's FRR side against the fake switch's real FRR (its bgp container): BGP keys stay off
command lines, and a restore is judged by comparing with the saved config, not by frr-reload's exit status.

frr-reload.py deletes a line with `vtysh -c ... -c 'no neighbor X password KEY'`, readable by every user of
the switch in `ps`. The first test runs the driver with a `reload_script` that starts the real frr-reload.py
with `--bindir` at a `vtysh` that appends its argv to a log and then runs the real one, and also keeps every
command line the driver's SSH sessions ran (tests/support/sonic_fake/server.py), and checks that no key is in
either, through a key rotation (old key deleted), a rollback (new key deleted) and a commit-confirm that the
switch-side timer reverts (new key deleted by the timer).

The other tests put an address on an interface the switch does not have into FRR's config: zebra keeps it
in its config, and answers its removal with an error while still removing it, so frr-reload.py exits 1
from a restore that did converge (the FRR driver measured the same on FRR 8.4.4 with a kernel-less eth0,
tests/apply/test_apply_frr_restore.py), and the first pass also leaves the empty `bfd` node bfdd drops only
on a second pass.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from napalm.base.exceptions import CommitError

from netweave.napalm_sonic import SONiCDriver, bundle
from netweave.napalm_sonic.commands import REVERTING, SonicHost
from tests.napalm_sonic.conftest import desired, driver
from tests.support.recording_vtysh import recording_vtysh
from tests.support.sonic_fake.lab import SonicLab, factory_config_db

pytestmark = pytest.mark.real

OLD, NEW, NEWER = "Old-md5-key-41a7", "New-md5-key-9c02", "Newer-md5-key-5e13"
KEYS = (OLD, NEW, NEWER)
GROUP = " neighbor FABRIC peer-group\n"
GHOST = "interface Ethernet200\n ip address 192.0.2.1/31\nexit\n!\n"
"""An address on a port this switch does not have (a breakout port of a bigger platform): no netdev."""
NOPE = " bgp router-id 10.0.0.17\n neighbor 10.9.9.9 peer-group NOPE\n"
"""A peer-group FRR's parser accepts and bgpd refuses when the config is applied."""


def frr_of(fabric: SonicLab) -> bundle.Bundle:
    """leaf1's rendered bundle."""
    return bundle.parse(desired(fabric, "leaf1"))


def with_frr(fabric: SonicLab, frr: str) -> str:
    """leaf1's rendered CONFIG_DB with ``frr`` as its FRR part."""
    return bundle.Bundle(frr_of(fabric).config_db, frr).text()


def with_key(fabric: SonicLab, key: str) -> str:
    frr = frr_of(fabric).frr
    assert GROUP in frr
    return with_frr(fabric, frr.replace(GROUP, f"{GROUP} neighbor FABRIC password {key}\n"))


def commit(conn: SONiCDriver, config: str, revert_in: int | None = None) -> None:
    conn.load_replace_candidate(config=config)
    conn.commit_config(revert_in=revert_in)


def running_frr(conn: SONiCDriver) -> str:
    return bundle.parse(conn.get_config(retrieve="running")["running"]).frr


@pytest.fixture
def recorded(fabric: SonicLab, tmp_path: Path) -> Iterator[tuple[SONiCDriver, Path]]:
    """leaf1's driver whose frr-reload.py runs a vtysh that appends its argv to a log; leaf1 factory-reset after."""
    bindir, log = recording_vtysh(tmp_path)
    # named like the real script: the fake's `docker exec` adds the path space after a word ending so
    reload_script = tmp_path / "recording-frr-reload.py"
    reload_script.write_text(
        "import os, sys\n"
        f"real = {SonicHost().reload_script!r}\n"
        f"os.execv(sys.executable, [sys.executable, real, '--bindir', {str(bindir)!r}, *sys.argv[1:]])\n"
    )
    conn = driver(fabric, "leaf1", reload_script=str(reload_script))
    conn.open()
    try:
        yield conn, log
    finally:
        factory = factory_config_db(fabric.network.device_by_name["leaf1"])
        commit(conn, bundle.Bundle(factory, "hostname leaf1\n").text())
        conn.close()


def test_no_bgp_key_on_any_command_line_through_rotation_rollback_and_revert(
    fabric: SonicLab, recorded: tuple[SONiCDriver, Path]
) -> None:
    conn, log = recorded
    fake = fabric.switches["leaf1"]
    sent = len(fake.commands)
    commit(conn, with_key(fabric, OLD))
    commit(conn, with_key(fabric, NEW))  # rotation: the OLD line goes
    assert f"neighbor FABRIC password {NEW}" in running_frr(conn)
    conn.rollback()  # the NEW line goes
    assert f"neighbor FABRIC password {OLD}" in running_frr(conn)
    commit(conn, with_key(fabric, NEWER), revert_in=2)  # the timer removes the NEWER line
    assert f"neighbor FABRIC password {NEWER}" in running_frr(conn)
    deadline = time.monotonic() + 30
    while conn.has_pending_commit() or Path(fake.home, conn.host.host_file(REVERTING)).exists():
        assert time.monotonic() < deadline, "the revert timer did not finish"
        time.sleep(0.5)
    frr = running_frr(conn)
    assert f"neighbor FABRIC password {OLD}" in frr and NEWER not in frr, frr
    argv = log.read_text()
    assert argv.strip(), "frr-reload.py's vtysh was not recorded"
    assert not [key for key in KEYS if key in argv], argv
    lines = "\n".join(fake.commands[sent:])
    assert "revert" in lines and not [key for key in KEYS if key in lines], lines


def test_failed_commit_leaves_frr_and_config_db_as_before(fabric: SonicLab, leaf1: SONiCDriver) -> None:
    """bgpd refuses NOPE after CONFIG_DB was replaced and FRR half-applied; the restore's frr-reload.py
    exits 1 (the ghost interface) and leaves `bfd` after its first pass, yet both configs are back."""
    fake = fabric.switches["leaf1"]
    before_db, before = fake.running_db(), leaf1.get_config(retrieve="running")["running"]
    frr = frr_of(fabric).frr.replace("!\nend", "!\n" + GHOST + "end").replace(" bgp router-id 10.0.0.17\n", NOPE)
    assert GHOST in frr and NOPE in frr
    with pytest.raises(CommitError, match="previous config restored") as caught:
        commit(leaf1, with_frr(fabric, frr))
    assert "Configure the peer-group first" in str(caught.value)
    assert fake.running_db() == before_db
    assert leaf1.get_config(retrieve="running")["running"] == before
    assert not leaf1.has_pending_commit()


def test_rollback_is_judged_by_comparison(fabric: SonicLab, leaf1: SONiCDriver) -> None:
    fake = fabric.switches["leaf1"]
    before_db, before = fake.running_db(), leaf1.get_config(retrieve="running")["running"]
    commit(leaf1, with_frr(fabric, frr_of(fabric).frr.replace("!\nend", "!\n" + GHOST + "end")))
    assert "interface Ethernet200" in running_frr(leaf1)
    leaf1.rollback()
    assert fake.running_db() == before_db
    assert leaf1.get_config(retrieve="running")["running"] == before
    assert fake.saved_db() == before_db
