"""The ssh transport against a real OpenSSH server on 127.0.0.1 driving the namespaced FRR.

A private sshd (own host key, own authorized_keys, key auth only, bound to 127.0.0.1 on a free
port) is started for the session and stopped in a finalizer; the system's ssh service is not
touched. The driver logs in as root with a throwaway key and runs the same vtysh/frr-reload
commands inside ``nw-drvtest-r1`` via ``ip netns exec``, as it would on a remote FRR host.
"""

from __future__ import annotations

import logging
import os
import shutil
import signal
import socket
import subprocess
import time
import traceback
from collections.abc import Iterator
from pathlib import Path

import pytest
from napalm.base.exceptions import ConnectionException

from netweave.napalm_frr import FRRDriver

from .conftest import R1_BASE, Lab

pytestmark = [pytest.mark.real]

SSHD = Path("/usr/sbin/sshd")
SECRET = "Ssh-S3cret-pw!"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="session")
def sshd(lab: Lab, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, object]]:
    """A throwaway sshd on 127.0.0.1; yields the optional_args the driver needs to reach it."""
    if not SSHD.exists() or shutil.which("ssh-keygen") is None:
        reason = "ssh transport test needs openssh-server (/usr/sbin/sshd) and ssh-keygen"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"CI=true but {reason}")
        pytest.skip(reason)
    tmp = tmp_path_factory.mktemp("sshd")
    os.chmod(tmp, 0o700)
    host_key, client_key = tmp / "host_ed25519", tmp / "client_ed25519"
    for key in (host_key, client_key):
        subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(key)], check=True)
    (tmp / "authorized_keys").write_text(Path(f"{client_key}.pub").read_text())
    port = _free_port()
    known_hosts = tmp / "known_hosts"
    known_hosts.write_text(f"[127.0.0.1]:{port} {Path(f'{host_key}.pub').read_text()}")
    config = tmp / "sshd_config"
    config.write_text(
        f"Port {port}\nListenAddress 127.0.0.1\nHostKey {host_key}\nPidFile {tmp}/sshd.pid\n"
        f"AuthorizedKeysFile {tmp}/authorized_keys\nPermitRootLogin prohibit-password\n"
        "PasswordAuthentication no\nKbdInteractiveAuthentication no\nUsePAM no\nStrictModes no\n"
    )
    # sshd's privilege-separation directory; left in place afterwards, because another sshd (or a
    # concurrent run of this suite) may be using it and an empty directory harms nobody
    Path("/run/sshd").mkdir(mode=0o755, exist_ok=True)
    proc = subprocess.Popen([str(SSHD), "-D", "-e", "-f", str(config)], stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 10
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"sshd did not start: {proc.stderr.read() if proc.stderr else ''}") from None
                time.sleep(0.1)
        yield {
            "transport": "ssh",
            "port": port,
            "key_file": str(client_key),
            "known_hosts": str(known_hosts),
            "netns": lab.r1,
            "pathspace": lab.r1,
            "state_dir": str(lab.state_root),
        }
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        if proc.stderr:
            proc.stderr.close()


@pytest.fixture
def ssh_r1(lab: Lab, r1: FRRDriver, sshd: dict[str, object]) -> Iterator[FRRDriver]:
    """r1 reset to its base config (via the r1 fixture) and reached over SSH.

    The r1 session is closed first: one session per FRR instance (the driver's lock).
    """
    r1.close()
    driver = FRRDriver("127.0.0.1", "root", "", timeout=30, optional_args=dict(sshd))
    driver.open()
    try:
        yield driver
    finally:
        driver.close()


def test_ssh_getters_and_commit(ssh_r1: FRRDriver) -> None:
    assert ssh_r1.is_alive() == {"is_alive": True}
    assert "nwdt-r1" in ssh_r1.get_facts()["interface_list"]
    before = ssh_r1.get_config(retrieve="running")["running"]
    candidate = R1_BASE.replace("description r2", "description 'over ssh' $(id)")
    ssh_r1.load_replace_candidate(config=candidate)
    assert ssh_r1.compare_config() == (
        "router bgp 65001\n-  neighbor 192.0.2.2 description r2\n+  neighbor 192.0.2.2 description 'over ssh' $(id)\n"
    )
    ssh_r1.commit_config()
    assert "description 'over ssh' $(id)" in ssh_r1.get_config(retrieve="running")["running"]
    ssh_r1.rollback()
    assert ssh_r1.get_config(retrieve="running")["running"] == before


def test_ssh_commit_confirm_timer_survives_the_session(ssh_r1: FRRDriver, sshd: dict[str, object]) -> None:
    before = ssh_r1.get_config(retrieve="running")["running"]
    ssh_r1.load_replace_candidate(config=R1_BASE.replace("description r2", "description pending"))
    ssh_r1.commit_config(revert_in=3)
    ssh_r1.close()  # the operator's session goes away; the device-side timer must not
    time.sleep(5)
    again = FRRDriver("127.0.0.1", "root", "", timeout=30, optional_args=dict(sshd))
    again.open()
    try:
        assert not again.has_pending_commit()
        assert again.get_config(retrieve="running")["running"] == before
    finally:
        again.close()


def test_ssh_auth_failure_hides_password(sshd: dict[str, object], caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    args = {k: v for k, v in sshd.items() if k != "key_file"}
    driver = FRRDriver("127.0.0.1", "nobody", SECRET, timeout=10, optional_args=args)
    with pytest.raises(ConnectionException) as info:
        driver.open()
    assert "cannot open SSH session to nobody@127.0.0.1" in str(info.value)
    assert SECRET not in str(info.value) and SECRET not in repr(info.value)
    # also nothing in the chained exceptions a traceback would print
    assert SECRET not in "".join(traceback.format_exception(info.value))
    assert SECRET not in caplog.text
    assert SECRET not in repr(driver)


def test_ssh_session_is_refused_while_a_local_session_holds_the_instance(
    r1: FRRDriver, sshd: dict[str, object]
) -> None:
    """The lock is on the FRR host, so it also stops a session that arrives over SSH (issue #20 item 1)."""
    driver = FRRDriver("127.0.0.1", "root", "", timeout=30, optional_args=dict(sshd))
    with pytest.raises(ConnectionException, match="locked by another session"):
        driver.open()
    assert not driver.is_alive()["is_alive"]
