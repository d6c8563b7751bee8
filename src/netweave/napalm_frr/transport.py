"""How the driver reaches an FRR instance: locally inside a network namespace, or over SSH.

Both transports run the *same* argv lists (vtysh, frr-reload.py, sh helpers); only the way the
argv is delivered differs. Keeping command construction in one place (:func:`wrap_argv`) means
the namespace and sudo wrapping, and the shell quoting used over SSH, are tested once and behave
identically everywhere.

Credentials are only ever handed to paramiko's ``connect``; they never appear in an argv, a
command string, a log record or an exception message.
"""

from __future__ import annotations

import contextlib
import logging
import os
import select
import shlex
import subprocess
import tempfile
from abc import ABC, abstractmethod
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import IO, TYPE_CHECKING, Any

from netweave.errors import NetweaveError
from netweave.napalm_frr.redact import redact

if TYPE_CHECKING:  # paramiko is only needed for the ssh transport
    import paramiko

log = logging.getLogger(__name__)


CREDENTIAL_PREFIX = "NETWEAVE_"
"""Prefix of every variable netweave takes credentials from (`NETWEAVE_PASSWORD`, `NETWEAVE_<DEVICE>_PASSWORD`,
`NETWEAVE_SECRET_<NAME>`: BGP keys, user passwords): none of them is passed on to a child process."""


def child_environment() -> dict[str, str]:
    """This process's environment without netweave's credential variables, for every local child.

    Why: `netweave apply` runs with the login password and the design's secrets (the BGP MD5 key among them)
    in its environment, and a child inherits it whole: vtysh, frr-reload.py and sh would each carry the
    values in /proc/<pid>/environ while they run. None of them needs a netweave variable."""
    return {k: v for k, v in os.environ.items() if not k.startswith(CREDENTIAL_PREFIX)}


def _readline(stream: IO[str], timeout: float) -> str:
    """One line from a child's stdout, or "" when none comes within ``timeout`` s (or it exits)."""
    ready, _, _ = select.select([stream], [], [], timeout)
    return stream.readline() if ready else ""


class TransportError(NetweaveError):
    """The transport could not run a command at all (connection lost, binary missing, timeout)."""


@dataclass(frozen=True)
class CommandResult:
    """Outcome of one command; results are data so callers decide what counts as failure."""

    argv: tuple[str, ...]
    returncode: int
    stdout: str
    stderr: str

    @property
    def ok(self) -> bool:
        """True when the command exited with status 0."""
        return self.returncode == 0

    def describe(self) -> str:
        """Short human-readable summary for error messages (command, status, stderr/stdout tail)."""
        detail = (self.stderr.strip() or self.stdout.strip())[-2000:]
        return f"`{shlex.join(self.argv)}` exited with status {self.returncode}: {detail}"


def wrap_argv(argv: Sequence[str], *, netns: str | None = None, sudo: bool = False) -> list[str]:
    """Return ``argv`` wrapped to run inside ``netns`` and/or through non-interactive sudo.

    ``sudo -n`` never prompts: the driver has no way to answer a prompt without sending the
    password somewhere it could be logged, so passwordless sudo for the FRR tools is required.
    """
    wrapped = list(argv)
    if netns:
        wrapped = ["ip", "netns", "exec", netns, *wrapped]
    if sudo:
        wrapped = ["sudo", "-n", *wrapped]
    return wrapped


def ssh_command_string(argv: Sequence[str], *, netns: str | None = None, sudo: bool = False) -> str:
    """Render ``argv`` as the single string SSH hands to the remote login shell.

    Every element is quoted with :func:`shlex.join`, so config text, paths with spaces or shell
    metacharacters reach the remote program as the exact same argv they would locally.
    """
    return shlex.join(wrap_argv(argv, netns=netns, sudo=sudo))


@dataclass
class Held:
    """A process on the FRR host that holds something (a lock) for as long as its stdin stays open.

    ``ok`` when it printed its ready line; otherwise ``result`` says why it exited. ``release`` closes
    its stdin and waits for it to exit (safe to call twice).
    """

    ok: bool
    result: CommandResult | None = None
    _release: Callable[[], None] | None = None

    def release(self) -> None:
        if self._release is not None:
            release, self._release = self._release, None
            release()


class Transport(ABC):
    """Run argv lists on the FRR host and move small files there."""

    @abstractmethod
    def hold(self, argv: Sequence[str], ready: str, timeout: float) -> Held:
        """Start ``argv``, wait up to ``timeout`` s for it to print ``ready``, and keep it running."""

    @abstractmethod
    def open(self) -> None:
        """Establish whatever session the transport needs (may be a no-op)."""

    @abstractmethod
    def close(self) -> None:
        """Release the session; safe to call twice."""

    @abstractmethod
    def is_alive(self) -> bool:
        """True while commands can be sent."""

    @abstractmethod
    def run(self, argv: Sequence[str], *, input_text: str | None = None, timeout: float | None = None) -> CommandResult:
        """Run ``argv`` on the FRR host and return its result (never raises for a non-zero exit)."""

    def write_file(self, path: str, content: str) -> None:
        """Atomically write ``content`` to ``path`` on the FRR host with owner-only permissions.

        The default goes through :meth:`run` with the content on stdin (never in argv), which
        works the same through sudo and namespaces.
        """
        script = 'umask 077 && cat > "$1.tmp" && mv -f "$1.tmp" "$1"'
        result = self.run(["sh", "-c", script, "sh", path], input_text=content)
        if not result.ok:
            raise TransportError(f"could not write {path}: {result.describe()}")

    def read_file(self, path: str) -> str | None:
        """Return the content of ``path`` on the FRR host, or None when it does not exist."""
        result = self.run(["sh", "-c", 'test -f "$1" && cat "$1"', "sh", path])
        return result.stdout if result.ok else None


class NetnsTransport(Transport):
    """Run commands on this machine, inside network namespace ``netns`` when one is given.

    This is how netweave's lab talks to FRR daemons started with ``-N <pathspace>`` inside
    ``ip netns`` namespaces; no network connection is involved.
    """

    def __init__(self, netns: str | None, *, sudo: bool = False, timeout: float = 60.0) -> None:
        self.netns = netns
        self.sudo = sudo
        self.timeout = timeout
        self._open = False

    def open(self) -> None:
        """Check that the namespace exists, so a typo fails at open() instead of at first use."""
        if self.netns:
            result = self._exec(["ip", "netns", "exec", self.netns, "true"], None, self.timeout)
            if not result.ok:
                raise TransportError(f"network namespace {self.netns!r} is not usable: {result.describe()}")
        self._open = True

    def close(self) -> None:
        """Nothing to release locally; just mark the transport closed."""
        self._open = False

    def is_alive(self) -> bool:
        """Alive while open and the namespace still exists."""
        if not self._open:
            return False
        if self.netns is None:
            return True
        return os.path.exists(f"/run/netns/{self.netns}")

    def run(self, argv: Sequence[str], *, input_text: str | None = None, timeout: float | None = None) -> CommandResult:
        """Run ``argv`` (wrapped for the namespace/sudo) without a shell."""
        return self._exec(wrap_argv(argv, netns=self.netns, sudo=self.sudo), input_text, timeout)

    def write_file(self, path: str, content: str) -> None:
        """Write locally: the namespace shares this machine's filesystem, so no subprocess is needed."""
        if self.sudo:  # an unprivileged user may not own the state dir; go through sudo
            super().write_file(path, content)
            return
        directory = os.path.dirname(path) or "."
        fd, tmp = tempfile.mkstemp(dir=directory, prefix=".nw-")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(content)
            os.replace(tmp, path)
        except BaseException:
            if os.path.exists(tmp):
                os.unlink(tmp)
            raise

    def hold(self, argv: Sequence[str], ready: str, timeout: float) -> Held:
        """A local process (in the namespace) with a pipe on its stdin; it exits when the pipe closes."""
        full = wrap_argv(argv, netns=self.netns, sudo=self.sudo)
        try:
            proc = subprocess.Popen(
                full,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
                env=child_environment(),
            )
        except FileNotFoundError as exc:
            raise TransportError(f"command not found: {full[0]}") from exc
        assert proc.stdout is not None and proc.stdin is not None
        line = _readline(proc.stdout, timeout)

        def release() -> None:
            assert proc.stdin is not None
            with contextlib.suppress(OSError):
                proc.stdin.close()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()

        if line.strip() == ready:
            return Held(ok=True, _release=release)
        release()
        err = proc.stderr.read() if proc.stderr is not None else ""
        return Held(ok=False, result=CommandResult(tuple(full), proc.returncode or 1, line, err))

    def _exec(self, argv: list[str], input_text: str | None, timeout: float | None) -> CommandResult:
        log.debug("run %s", shlex.join(argv))
        try:
            proc = subprocess.run(
                argv,
                input=input_text,
                capture_output=True,
                text=True,
                timeout=timeout or self.timeout,
                check=False,
                env=child_environment(),
            )
        except FileNotFoundError as exc:
            raise TransportError(f"command not found: {argv[0]}") from exc
        except subprocess.TimeoutExpired as exc:
            raise TransportError(f"`{shlex.join(argv)}` timed out after {exc.timeout} s") from None
        return CommandResult(tuple(argv), proc.returncode, proc.stdout, proc.stderr)


class SSHTransport(Transport):
    """Run commands on a remote FRR host over SSH (paramiko).

    The password (or key passphrase) is kept only for ``connect`` and never put in a command.
    Host keys: unknown keys are rejected unless ``optional_args["ssh_strict"]`` is false, the
    same trade-off netmiko offers.
    """

    def __init__(
        self,
        host: str,
        *,
        username: str,
        password: str | None,
        port: int = 22,
        key_file: str | None = None,
        netns: str | None = None,
        sudo: bool = False,
        strict_host_key: bool = True,
        known_hosts: str | None = None,
        timeout: float = 60.0,
    ) -> None:
        self.host = host
        self.port = port
        self.username = username
        self._password = password
        self.key_file = key_file
        self.netns = netns
        self.sudo = sudo
        self.strict_host_key = strict_host_key
        self.known_hosts = known_hosts
        self.timeout = timeout
        self._client: paramiko.SSHClient | None = None

    def __repr__(self) -> str:
        return f"SSHTransport({self.username}@{self.host}:{self.port})"

    def open(self) -> None:
        """Connect and authenticate; failures become TransportError without any credential text."""
        import paramiko

        client = paramiko.SSHClient()
        client.load_system_host_keys()
        if self.known_hosts:
            client.load_host_keys(self.known_hosts)
        policy: Any = paramiko.RejectPolicy() if self.strict_host_key else paramiko.AutoAddPolicy()
        client.set_missing_host_key_policy(policy)
        try:
            client.connect(
                self.host,
                port=self.port,
                username=self.username,
                password=self._password,
                key_filename=self.key_file,
                timeout=self.timeout,
                banner_timeout=self.timeout,
                auth_timeout=self.timeout,
                allow_agent=False,
                look_for_keys=self.key_file is None and not self._password,
            )
        except Exception as exc:  # paramiko raises many unrelated types; all mean "cannot connect"
            client.close()
            message = redact(f"{type(exc).__name__}: {exc}", [self._password])
            # `from None`: the chained exception could carry library internals we cannot vet.
            raise TransportError(
                f"cannot open SSH session to {self.username}@{self.host}:{self.port}: {message}"
            ) from None
        self._client = client

    def close(self) -> None:
        """Close the SSH connection if open."""
        if self._client is not None:
            self._client.close()
            self._client = None

    def is_alive(self) -> bool:
        """True while the underlying SSH transport is active."""
        if self._client is None:
            return False
        transport = self._client.get_transport()
        return bool(transport and transport.is_active())

    def hold(self, argv: Sequence[str], ready: str, timeout: float) -> Held:
        """A remote process on its own SSH channel; closing the channel (or losing the connection) ends it."""
        if self._client is None:
            raise TransportError("SSH session is not open; call open() first")
        command = self.command_string(argv)
        try:
            _stdin, stdout, stderr = self._client.exec_command(command, timeout=timeout)
            line = stdout.readline()
        except Exception as exc:  # socket.timeout, SSHException, EOFError ...
            message = redact(f"{type(exc).__name__}: {exc}", [self._password])
            raise TransportError(f"SSH command failed on {self.host}: {message}") from None
        channel = stdout.channel

        def release() -> None:
            with contextlib.suppress(Exception):
                channel.shutdown_write()
                channel.recv_exit_status()
            channel.close()

        if str(line).strip() == ready:
            return Held(ok=True, _release=release)
        status = channel.recv_exit_status()
        err = stderr.read().decode("utf-8", errors="replace")
        release()
        return Held(
            ok=False,
            result=CommandResult(tuple(wrap_argv(argv, netns=self.netns, sudo=self.sudo)), status or 1, str(line), err),
        )

    def command_string(self, argv: Sequence[str]) -> str:
        """The exact remote command line for ``argv`` (exposed for tests and debug logs)."""
        return ssh_command_string(argv, netns=self.netns, sudo=self.sudo)

    def run(self, argv: Sequence[str], *, input_text: str | None = None, timeout: float | None = None) -> CommandResult:
        """Run one command over a fresh SSH channel; stdin carries ``input_text`` if given."""
        if self._client is None:
            raise TransportError("SSH session is not open; call open() first")
        command = self.command_string(argv)
        log.debug("ssh %s:%s run %s", self.host, self.port, command)
        try:
            stdin, stdout, stderr = self._client.exec_command(command, timeout=timeout or self.timeout)
            if input_text is not None:
                stdin.write(input_text)
            stdin.channel.shutdown_write()
            out = stdout.read().decode("utf-8", errors="replace")
            err = stderr.read().decode("utf-8", errors="replace")
            status = stdout.channel.recv_exit_status()
        except Exception as exc:  # socket.timeout, SSHException, EOFError ...
            message = redact(f"{type(exc).__name__}: {exc}", [self._password])
            raise TransportError(f"SSH command failed on {self.host}: {message}") from None
        return CommandResult(tuple(wrap_argv(argv, netns=self.netns, sudo=self.sudo)), status, out, err)
