"""The fake switch's SSH server: paramiko on 127.0.0.1, every exec request run by ``/bin/sh``.

An SSH exec on SONiC hands the command line to the login shell of the admin user; the fake does the
same with ``/bin/sh -c``, in a home directory of its own, with ``config``/``show``/``docker``/``sudo``
first on PATH (they run :mod:`tests.support.sonic_fake.cli`). So shell built-ins, redirections and
detached background processes (``setsid``) behave as on the switch, and a process started by one
session survives that session's end, as a switch-side timer must.

Password authentication only, with the login the test chooses. Every process the fake ever started
is found again by a marker in its environment and killed by :meth:`FakeSonic.stop`.

A new connection is answered only while the running CONFIG_DB keeps the management path the driver uses
(:mod:`tests.support.sonic_fake.mgmt`: eth0's address, gateway and admin state, sshd's port and password
logins); otherwise the fake closes it at once, as a switch that no longer answers on that address would.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import signal
import socket
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import paramiko

from tests.support.sonic_fake.mgmt import ManagementNetwork, password_logins, unreachable

REPO = Path(__file__).resolve().parents[3]
SERVER_LOG = "tests.sonic_fake.sshd"
logging.getLogger(SERVER_LOG).setLevel(logging.CRITICAL)
SHIMS = ("config", "show", "docker")


class _Server(paramiko.ServerInterface):
    def __init__(self, fake: FakeSonic) -> None:
        self.fake = fake
        self.commands: dict[int, bytes] = {}
        self.arrived = threading.Condition()

    def check_auth_password(self, username: str, password: str) -> int:
        ok = username == self.fake.username and password == self.fake.password and self.fake.takes_passwords()
        return int(paramiko.common.AUTH_SUCCESSFUL if ok else paramiko.common.AUTH_FAILED)

    def get_allowed_auths(self, username: str) -> str:
        return "password" if self.fake.takes_passwords() else "publickey"

    def check_channel_request(self, kind: str, chanid: int) -> int:
        ok = kind == "session"
        return int(paramiko.common.OPEN_SUCCEEDED if ok else paramiko.common.OPEN_FAILED_ADMINISTRATIVELY_PROHIBITED)

    def check_channel_exec_request(self, channel: paramiko.Channel, command: bytes) -> bool:
        with self.arrived:
            self.commands[channel.get_id()] = command
            self.arrived.notify_all()
        return True

    def command_of(self, channel: paramiko.Channel, timeout: float) -> bytes | None:
        """The command an exec request on ``channel`` asked for (it arrives after the channel opens)."""
        with self.arrived:
            self.arrived.wait_for(lambda: channel.get_id() in self.commands, timeout)
            return self.commands.pop(channel.get_id(), None)


class FakeSonic:
    """One fake switch: device directory, SSH server thread, and the namespace of its bgp container."""

    def __init__(
        self,
        root: Path,
        netns: str,
        username: str,
        password: str,
        facts: dict[str, str],
        management: ManagementNetwork,
    ) -> None:
        self.root = root
        self.management = management
        self.refused: list[str] = []
        """Why each connection the fake did not answer was refused (its running config cut the path)."""
        self.commands: list[str] = []
        """Every command line an SSH session ran, in order (what the switch's `ps` would have shown)."""
        self.netns = netns
        self.username = username
        self.password = password
        self.marker = f"{os.getpid()}-{id(self)}"
        self.home = root / "home"
        self.bin = root / "bin"
        for directory in (self.home, self.bin, root / "etc" / "sonic"):
            directory.mkdir(parents=True, exist_ok=True)
        (root / "device.json").write_text(json.dumps({"netns": netns, **facts}))
        for name in SHIMS:
            shim = self.bin / name
            shim.write_text(f'#!/bin/sh\nexec {sys.executable} -m tests.support.sonic_fake.cli {name} "$@"\n')
            shim.chmod(0o755)
        sudo = self.bin / "sudo"
        sudo.write_text('#!/bin/sh\n[ "$1" = -n ] && shift\nexec "$@"\n')
        sudo.chmod(0o755)
        self._key = paramiko.RSAKey.generate(2048)
        self._sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._sock.bind(("127.0.0.1", 0))
        self.port: int = self._sock.getsockname()[1]
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)

    def set_config_db(self, data: dict[str, Any]) -> None:
        """Put a CONFIG_DB in place as the switch's running and saved config (as after a reboot)."""
        from tests.support.sonic_fake.cli import sync_kernel

        text = json.dumps(data, indent=4, sort_keys=True) + "\n"
        (self.root / "config_db.json").write_text(text)
        (self.root / "etc" / "sonic" / "config_db.json").write_text(text)
        sync_kernel({}, data, netns=self.netns)  # what intfmgrd/portmgrd do at boot

    def write_lldp(self, neighbors: list[dict[str, str]]) -> None:
        """What lldpd learned over the cables (``show lldp table`` prints it)."""
        (self.root / "lldp.json").write_text(json.dumps(neighbors))

    def running_db(self) -> dict[str, Any]:
        return json.loads((self.root / "config_db.json").read_text())  # type: ignore[no-any-return]

    def saved_db(self) -> dict[str, Any]:
        return json.loads((self.root / "etc" / "sonic" / "config_db.json").read_text())  # type: ignore[no-any-return]

    def takes_passwords(self) -> bool:
        return password_logins(self.running_db())

    def start(self) -> FakeSonic:
        self._sock.listen(8)
        self._sock.settimeout(0.2)
        self._thread.start()
        return self

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self._sock.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            threading.Thread(target=self._session, args=(conn,), daemon=True).start()

    def _session(self, conn: socket.socket) -> None:
        reason = unreachable(self.running_db(), self.management)
        if reason is not None:
            self.refused.append(reason)
            conn.close()
            return
        transport = paramiko.Transport(conn)
        # a client that closes its connection is normal here; keep the server side's socket errors quiet
        transport.set_log_channel(SERVER_LOG)
        transport.add_server_key(self._key)
        server = _Server(self)
        try:
            transport.start_server(server=server)
            while not self._stop.is_set() and transport.is_active():
                channel = transport.accept(timeout=0.5)
                if channel is not None:
                    threading.Thread(target=self._exec, args=(channel, server), daemon=True).start()
        except (paramiko.SSHException, EOFError, OSError):
            return
        finally:
            transport.close()

    def _exec(self, channel: paramiko.Channel, server: _Server) -> None:
        command = server.command_of(channel, 10)
        if command is None:
            channel.close()
            return
        self.commands.append(command.decode())
        data = bytearray()
        while chunk := channel.recv(65536):
            data += chunk
        env = {
            "PATH": f"{self.bin}:/usr/sbin:/usr/bin:/sbin:/bin",
            "HOME": str(self.home),
            "SONIC_FAKE_ROOT": str(self.root),
            "SONIC_FAKE_MARKER": self.marker,
            "PYTHONPATH": str(REPO),
            "LANG": "C.UTF-8",
        }
        proc = subprocess.run(
            ["/bin/sh", "-c", command.decode()],
            input=bytes(data),
            capture_output=True,
            cwd=self.home,
            env=env,
            check=False,
        )
        channel.sendall(proc.stdout)
        channel.sendall_stderr(proc.stderr)
        channel.send_exit_status(proc.returncode)
        channel.close()

    def stop(self) -> None:
        """Stop serving and kill every process a session of this fake started (e.g. revert timers)."""
        self._stop.set()
        with contextlib.suppress(OSError):
            self._sock.close()
        self._thread.join(timeout=5)
        for pid in self.processes():
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.kill(pid, signal.SIGKILL)

    def processes(self) -> list[int]:
        """Pids of live processes started by this fake's sessions."""
        needle = f"SONIC_FAKE_MARKER={self.marker}".encode()
        found = []
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                if needle in (entry / "environ").read_bytes().split(b"\0"):
                    found.append(int(entry.name))
            except OSError:
                continue
        return found
