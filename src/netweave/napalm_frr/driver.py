"""NAPALM driver for FRRouting: candidate/commit/confirm/rollback on top of frr-reload.py.

FRR has no candidate datastore or commit history of its own. This driver builds one:

- the candidate is a file in the instance's state directory, checked by vtysh's parser when
  loaded (``vtysh -C -f``), so a syntax error is refused before anything touches the daemons;
- ``compare_config`` asks ``frr-reload.py --test`` for the real difference FRR would apply;
- ``commit_config`` saves the running config (``rollback.conf``), applies the candidate with
  ``frr-reload.py --reload`` (replace) or ``vtysh -f`` (merge), verifies that nothing is left to
  apply, and on any failure reloads the saved config so the operator sees all-or-nothing; a restore
  (and ``rollback``) counts as done only when ``frr-reload.py --test`` finds nothing left between the
  running config and the saved one, whatever frr-reload's exit status (see ``_restore_backup``);
- a candidate whose ``frr defaults`` differs from the running one under existing routing instances is
  refused at load time (see :mod:`.profile`): FRR cannot carry that change out, nor undo it;
- the committed config is persisted with ``write memory`` to the integrated config file
  ``<confdir>/<pathspace>/frr.conf`` (``/etc/frr/<pathspace>/frr.conf`` by default), which is
  what the daemons/vtysh -b load on restart;
- ``revert_in`` starts a detached timer on the FRR host (see :mod:`.confirm`).

optional_args (all optional):

``transport``     ``"netns"`` (commands run locally via ``ip netns exec``) or ``"ssh"``;
                  default ``"netns"`` when ``netns`` is given, else ``"ssh"``.
``netns``         network namespace to run in (netns default: ``hostname``; ssh default: none).
``pathspace``     FRR path space (``-N``) of the daemons (netns default: the namespace name).
``vty_socket``    vty socket directory when not the path space default.
``confdir`` ``bindir`` ``reload_script`` ``python`` ``state_dir``  tool and file locations.
``port`` ``key_file`` ``sudo`` ``ssh_strict`` ``known_hosts``  ssh transport settings.
``verify_commit`` re-run the diff after applying and treat leftovers as failure (default True).
``lock_wait``     seconds ``open()`` waits for another session's lock on the instance (default 0: refuse).

One session at a time per instance: ``open()`` takes an exclusive ``flock`` on ``<state_dir>/lock`` on the
FRR host, held by a process (``flock ... cat``) that lives until ``close()`` closes its stdin or the
connection drops. The candidate, ``rollback.conf`` and the commit-confirm timer files are per instance,
so two sessions interleaving load/commit/confirm would mix two changes; the second is refused instead.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Sequence
from typing import Any

from napalm.base import NetworkDriver
from napalm.base.exceptions import (
    CommitConfirmException,
    CommitError,
    ConnectionException,
    MergeConfigException,
    ReplaceConfigException,
)

import netweave.napalm_frr.confirm as confirm
from netweave.napalm_frr.commands import DEFAULT_STATE_ROOT, FRRInstance
from netweave.napalm_frr.display_form import undisplayable_lines
from netweave.napalm_frr.getters import FRRGetters
from netweave.napalm_frr.parsers import strip_running_header
from netweave.napalm_frr.passwords import password_removals
from netweave.napalm_frr.profile import profile_change_refusal
from netweave.napalm_frr.redact import redact
from netweave.napalm_frr.reload_diff import (
    dryrun_errors,
    parse_reload_test,
    reload_errors,
    render_diff,
)
from netweave.napalm_frr.transport import (
    CommandResult,
    Held,
    NetnsTransport,
    SSHTransport,
    Transport,
    TransportError,
)

log = logging.getLogger(__name__)

CANDIDATE = "candidate.conf"
MERGE_FULL = "candidate-merged.conf"
STARTUP_BACKUP = "startup-before-confirm.conf"
PASSWORD_REMOVALS = "password-removals.conf"
LOCK = "lock"
RETRY_DELAY = 1.0  # seconds before the second apply pass of a commit that did not fully converge


class FRRDriver(FRRGetters, NetworkDriver):
    """NAPALM driver for one FRR instance (one path space), reached locally in a netns or over SSH."""

    def __init__(
        self,
        hostname: str,
        username: str,
        password: str,
        timeout: int = 60,
        optional_args: dict[str, Any] | None = None,
    ) -> None:
        args = dict(optional_args or {})
        self.hostname = hostname
        self.username = username
        self.timeout = timeout
        # kept only to mask it in messages; the transport alone uses it to authenticate
        self._secrets: tuple[str, ...] = tuple(s for s in (password,) if s)
        self.transport_name: str = args.get("transport") or ("netns" if "netns" in args else "ssh")
        if self.transport_name not in ("netns", "ssh"):
            raise ValueError(f"optional_args['transport'] must be 'netns' or 'ssh', not {self.transport_name!r}")
        netns: str | None = args.get("netns")
        if self.transport_name == "netns" and not netns:
            netns = hostname
        pathspace: str | None = args.get("pathspace", netns if self.transport_name == "netns" else None)
        self.instance = FRRInstance(
            pathspace=pathspace or None,
            vty_socket=args.get("vty_socket"),
            confdir=args.get("confdir", "/etc/frr"),
            bindir=args.get("bindir", "/usr/bin"),
            reload_script=args.get("reload_script", "/usr/lib/frr/frr-reload.py"),
            python=args.get("python", "python3"),
            state_root=args.get("state_dir", DEFAULT_STATE_ROOT),
        )
        self.verify_commit: bool = bool(args.get("verify_commit", True))
        self._transport: Transport
        if self.transport_name == "netns":
            self._transport = NetnsTransport(netns, sudo=bool(args.get("sudo", False)), timeout=timeout)
        else:
            self._transport = SSHTransport(
                hostname,
                username=username,
                password=password,
                port=int(args.get("port", 22)),
                key_file=args.get("key_file"),
                netns=netns,
                sudo=bool(args.get("sudo", False)),
                strict_host_key=bool(args.get("ssh_strict", True)),
                known_hosts=args.get("known_hosts"),
                timeout=timeout,
            )
        self._candidate: str | None = None
        self._candidate_mode: str | None = None  # "replace" | "merge"
        self.lock_wait: float = float(args.get("lock_wait", 0.0))
        if not 0 <= self.lock_wait < float("inf"):
            raise ValueError(f"optional_args['lock_wait'] must be 0 or more seconds, not {self.lock_wait!r}")
        self._lock: Held | None = None

    def __repr__(self) -> str:
        return f"FRRDriver({self.hostname!r}, transport={self.transport_name!r}, pathspace={self.instance.pathspace!r})"

    # ------------------------------------------------------------------ plumbing

    def _redact(self, text: str) -> str:
        return redact(text, self._secrets)

    def _err(self, cls: type[Exception], text: str) -> Exception:
        """An exception of ``cls`` naming this device, with any credential masked."""
        return cls(self._redact(f"{self.hostname}: {text}"))

    @staticmethod
    def _errors_of(result: CommandResult) -> str:
        """The lines of a failed frr-reload/vtysh run worth showing, one per line."""
        return "\n  ".join(reload_errors(result.stdout + "\n" + result.stderr)) or result.describe()

    def _run(self, argv: Sequence[str], *, input_text: str | None = None) -> CommandResult:
        try:
            return self._transport.run(argv, input_text=input_text)
        except TransportError as exc:
            raise self._err(ConnectionException, f"{exc}") from None

    def _vtysh(self, *commands: str) -> CommandResult:
        return self._run(self.instance.vtysh(*commands))

    def _vtysh_json(self, command: str) -> dict[str, Any]:
        result = self._vtysh(command)
        if not result.ok or not result.stdout.strip():
            return {}
        try:
            data = json.loads(result.stdout)
        except json.JSONDecodeError:
            return {}
        return data if isinstance(data, dict) else {}

    def _write(self, name: str, content: str) -> str:
        path = self.instance.state_file(name)
        try:
            self._transport.write_file(path, content)
        except TransportError as exc:
            raise self._err(ConnectionException, f"{exc}") from None
        return path

    def _running(self) -> str:
        result = self._vtysh("show running-config no-header")
        if not result.ok:
            raise self._err(ConnectionException, f"cannot read running config: {result.describe()}")
        return strip_running_header(result.stdout)

    # ------------------------------------------------------------------ session

    def open(self) -> None:
        """Open the transport, check that FRR answers and create the per-instance state dir."""
        try:
            self._transport.open()
        except TransportError as exc:
            raise self._err(ConnectionException, f"{exc}") from None
        probe = self._vtysh("show version")
        if not probe.ok:
            self._transport.close()
            raise self._err(
                ConnectionException,
                f"FRR does not answer on vty sockets in {self.instance.run_dir} "
                f"(are zebra/bgpd running with -N {self.instance.pathspace}?): {probe.describe()}",
            )
        mkdir = self._run(["mkdir", "-p", "-m", "0700", self.instance.state_dir])
        if not mkdir.ok:
            self._transport.close()
            raise self._err(ConnectionException, f"cannot create state dir: {mkdir.describe()}")
        try:
            self._take_lock()
        except Exception:
            self._transport.close()
            raise

    def _take_lock(self) -> None:
        """Hold the instance's lock until close() (see the module docstring)."""
        path = self.instance.state_file(LOCK)
        wait = ["-n"] if self.lock_wait <= 0 else ["-w", f"{self.lock_wait:g}"]
        # the holder records its pid in the file (informational) and then waits for EOF on stdin
        script = 'echo "$PPID" > "$1" && echo locked && exec cat >/dev/null'
        try:
            held = self._transport.hold(
                ["flock", *wait, path, "sh", "-c", script, "sh", path], "locked", self.lock_wait + 10
            )
        except TransportError as exc:
            raise self._err(ConnectionException, f"{exc}") from None
        if held.ok:
            self._lock = held
            return
        if held.result is not None and held.result.returncode != 1:  # flock exits 1 only when the lock is taken
            raise self._err(
                ConnectionException,
                f"cannot take the instance lock {path} (needs `flock`, util-linux): {held.result.describe()}",
            )
        holder = (self._transport.read_file(path) or "").strip() or "?"
        raise self._err(
            ConnectionException,
            f"FRR instance {self.instance.pathspace or 'default'} is locked by another session (pid {holder} "
            f"on the FRR host, lock {path}): another netweave run or NAPALM user is changing it; retry when it "
            f"has finished{', or raise lock_wait' if self.lock_wait <= 0 else ''}",
        )

    def close(self) -> None:
        """Release the instance's lock and close the transport. A pending commit-confirm timer keeps running."""
        if self._lock is not None:
            self._lock.release()
            self._lock = None
        self._transport.close()

    def is_alive(self) -> dict[str, bool]:
        """NAPALM's ``{"is_alive": bool}`` from the transport's state."""
        return {"is_alive": self._transport.is_alive()}

    # ------------------------------------------------------------------ candidate

    def _load(self, filename: str | None, config: str | None, mode: str) -> None:
        error = ReplaceConfigException if mode == "replace" else MergeConfigException
        if (filename is None) == (config is None):
            raise error("pass exactly one of filename= or config=")
        if filename is not None:
            with open(filename, encoding="utf-8") as handle:
                config = handle.read()
        assert config is not None
        if not config.strip():
            raise error(f"{self.hostname}: the candidate config is empty")
        if undisplayable := undisplayable_lines(config):  # before anything reaches the device (display_form)
            raise self._err(
                error,
                "candidate config can never converge, nothing was changed:\n  "
                + "\n  ".join(u.message() for u in undisplayable),
            )
        path = self._write(CANDIDATE, config if config.endswith("\n") else config + "\n")
        check = self._run(self.instance.vtysh_dryrun(path))
        if not check.ok:
            self._drop_candidate()
            errors = dryrun_errors(check.stderr, check.stdout) or [check.describe()]
            raise self._err(
                error,
                "candidate config rejected by FRR's parser, nothing was changed:\n  " + "\n  ".join(errors),
            )
        refusal = profile_change_refusal(config, self._running())
        if refusal:
            self._drop_candidate()
            raise self._err(error, refusal)
        self._candidate = config
        self._candidate_mode = mode

    def load_replace_candidate(self, filename: str | None = None, config: str | None = None) -> None:
        """Load a full config that will replace the running config on commit."""
        self._load(filename, config, "replace")

    def load_merge_candidate(self, filename: str | None = None, config: str | None = None) -> None:
        """Load config lines that will be added to the running config on commit (``vtysh -f``)."""
        self._load(filename, config, "merge")

    def _target_file(self) -> str:
        """The full config the candidate stands for, as a file frr-reload.py can compare."""
        assert self._candidate is not None
        if self._candidate_mode == "replace":
            return self.instance.state_file(CANDIDATE)
        running = [line for line in self._running().splitlines() if line.strip() != "end"]
        return self._write(MERGE_FULL, "\n".join([*running, "!", self._candidate.rstrip("\n"), ""]))

    def _reload_test(self, path: str) -> str:
        result = self._run(self.instance.frr_reload(path, test=True))
        if not result.ok:
            details = self._errors_of(result)
            raise self._err(CommitError, f"frr-reload.py --test failed:\n  {details}")
        return render_diff(parse_reload_test(result.stdout))

    def compare_config(self) -> str:
        """Diff lines (``-``/``+`` with context headers) of what committing would change; "" if nothing."""
        if self._candidate is None:
            return ""
        return self._reload_test(self._target_file())

    def _drop_candidate(self) -> None:
        self._candidate = None
        self._candidate_mode = None
        self._run(["rm", "-f", self.instance.state_file(CANDIDATE), self.instance.state_file(MERGE_FULL)])

    def discard_config(self) -> None:
        """Forget the loaded candidate (running config is untouched)."""
        self._drop_candidate()

    # ------------------------------------------------------------------ commit

    def _timer_state(self) -> str:
        result = self._run(confirm.status_argv(self.instance))
        return result.stdout.strip() or "none"

    def _reload(self, path: str) -> CommandResult:
        """`frr-reload.py --reload path`, after removing through a file the neighbor passwords it would
        otherwise delete with the key on a vtysh command line (see `passwords`)."""
        target = self._transport.read_file(path)
        removals = password_removals(self._running(), target) if target is not None else ""
        if removals:  # an unreadable target removes nothing: frr-reload.py then fails on it, changing nothing
            removed = self._run(self.instance.vtysh_apply_file(self._write(PASSWORD_REMOVALS, removals)))
            if not removed.ok:
                return removed
        return self._run(self.instance.frr_reload(path, test=False))

    def _apply(self, path: str, mode: str) -> CommandResult:
        if mode == "replace":
            return self._reload(path)
        return self._run(self.instance.vtysh_apply_file(path))

    def _restore_backup(self) -> tuple[str, str]:
        """Reload rollback.conf and return (what still differs from it, frr-reload's complaints).

        Success is judged by comparing the result with the backup (``frr-reload.py --test``, which hides
        only the lines FRR never converges on: see ``_UNMANAGED_TOP_LEVEL``), not by frr-reload's exit
        status: on FRR 8.4 it exits 1 after a restore that did fully converge, because its second pass
        re-sends every first-pass line (``vrf mgmt`` / ``no ip route ...`` a second time: "% Refusing to
        remove a non-existent route") and because zebra answers ``no ip address`` on an interface the
        kernel lacks with an error while still removing the address from its config. Conversely a zero
        exit does not prove convergence (bfdd drops a profile asynchronously, leaving an empty ``bfd``
        node until a second pass), so a remainder gets one more pass, like a commit.
        """
        backup = self.instance.state_file(confirm.ROLLBACK)
        restored = self._reload(backup)
        leftover = self._reload_test(backup)
        if leftover:
            time.sleep(RETRY_DELAY)
            restored = self._reload(backup)
            leftover = self._reload_test(backup)
        complaints = "" if restored.ok else self._errors_of(restored)
        if complaints and not leftover:
            log.info(
                "%s: frr-reload.py reported errors, but the running config equals the backup again: %s",
                self.hostname,
                self._redact(complaints),
            )
        return leftover, complaints

    def _restore(self, reason: str) -> None:
        """Reload rollback.conf after a failed apply and raise CommitError explaining both."""
        backup = self.instance.state_file(confirm.ROLLBACK)
        try:
            leftover, complaints = self._restore_backup()
        except CommitError as exc:  # frr-reload.py --test itself failed: the result cannot be judged
            raise self._err(
                CommitError,
                f"commit failed AND the restored config could not be checked against the pre-commit config "
                f"saved at {backup} on the FRR host. {reason}\nrestore: {exc}",
            ) from None
        if not leftover:
            self._run(self.instance.write_memory())
            raise self._err(CommitError, f"commit failed, running config restored. {reason}")
        details = f"\nfrr-reload.py: {complaints}" if complaints else ""
        raise self._err(
            CommitError,
            f"commit failed AND restoring the previous config failed; the pre-commit "
            f"config is saved at {backup} on the FRR host. {reason}\nrestore: still different from it:\n"
            f"{leftover}{details}",
        )

    def commit_config(self, message: str = "", revert_in: int | None = None) -> None:
        """Apply the candidate atomically; with ``revert_in`` arm a device-side rollback timer.

        Without ``revert_in`` the result is persisted to the integrated config file at once.
        With it, the file keeps the previous config until :meth:`confirm_commit`, so a reboot
        inside the confirm window also comes back with the old config.
        """
        if self._candidate is None or self._candidate_mode is None:
            raise CommitError(f"{self.hostname}: no candidate loaded; call load_replace_candidate() first")
        state = self._timer_state()
        if state != "none":
            raise CommitError(f"{self.hostname}: a commit-confirm is {state}; confirm_commit() or rollback() it first")
        if message:
            log.info("%s: commit: %s", self.hostname, message)
        mode = self._candidate_mode
        candidate_path = self.instance.state_file(CANDIDATE)
        rollback = self._running()
        self._write(confirm.ROLLBACK, rollback)
        if revert_in is not None:
            keep = self._run(
                [
                    "sh",
                    "-c",
                    'if [ -f "$1" ]; then cp -p "$1" "$2"; else rm -f "$2"; fi',
                    "sh",
                    self.instance.config_file,
                    self.instance.state_file(STARTUP_BACKUP),
                ]
            )
            if not keep.ok:
                raise self._err(CommitError, f"cannot back up startup config: {keep.describe()}")
        target = self._target_file()

        applied = self._apply(candidate_path if mode == "merge" else target, mode)
        if not applied.ok:
            errors = self._errors_of(applied)
            self._restore(f"Applying the candidate failed:\n  {errors}")
        if self.verify_commit:
            leftover = self._reload_test(target)
            if leftover:
                # Some removals take effect asynchronously or only once a dependent line is gone (`no bfd`
                # while bgpd still has `neighbor X bfd`), so one pass can leave a remainder that a second
                # pass applies; only what is left after that is a real failure.
                log.info("%s: candidate not fully applied after one pass; applying again", self.hostname)
                time.sleep(RETRY_DELAY)
                again = self._apply(candidate_path if mode == "merge" else target, mode)
                leftover = self._reload_test(target) if again.ok else leftover
            if leftover:
                self._restore(f"FRR did not converge to the candidate; still different:\n{leftover}")

        if revert_in is None:
            saved = self._run(self.instance.write_memory())
            if not saved.ok:
                log.warning("%s: write memory failed: %s", self.hostname, self._redact(saved.describe()))
        else:
            self._arm_timer(int(revert_in), rollback)
        self._drop_candidate()

    def _arm_timer(self, revert_in: int, rollback: str) -> None:
        # the revert deletes what this commit added with frr-reload.py: the timer removes the new neighbor
        # passwords first, from this file, so the new key is never on a command line (see `passwords`)
        self._write(confirm.REVERT_PASSWORDS, password_removals(self._running(), rollback))
        # frr-reload.py --reload already wrote the new config to frr.conf; put the old file back
        # so only confirm_commit() persists the new one.
        self._run(
            [
                "sh",
                "-c",
                'if [ -f "$2" ]; then cat "$2" > "$1"; else rm -f "$1"; fi',
                "sh",
                self.instance.config_file,
                self.instance.state_file(STARTUP_BACKUP),
            ]
        )
        started = self._run(confirm.timer_argv(self.instance, revert_in))
        deadline = time.monotonic() + 5
        while started.ok and time.monotonic() < deadline:
            if self._timer_state() == "pending":
                log.info("%s: commit pending, reverts in %s s unless confirmed", self.hostname, revert_in)
                return
            time.sleep(0.05)
        self._restore(f"could not start the commit-confirm timer: {started.describe()}")

    def confirm_commit(self) -> None:
        """Disarm the revert timer and persist the confirmed config."""
        cancelled = self._run(confirm.cancel_argv(self.instance))
        if not cancelled.ok:
            raise CommitConfirmException(
                f"{self.hostname}: no commit is pending confirmation (never armed, or it already reverted)"
            )
        saved = self._run(self.instance.write_memory())
        if not saved.ok:
            raise self._err(CommitConfirmException, f"confirmed, but write memory failed: {saved.describe()}")

    def has_pending_commit(self) -> bool:
        """True while a commit-confirm timer waits on the FRR host."""
        return self._timer_state() == "pending"

    def rollback(self) -> None:
        """Restore the config saved before the last commit (cancelling a pending confirm)."""
        self._run(confirm.cancel_argv(self.instance))  # exit 3 just means nothing was pending
        backup = self.instance.state_file(confirm.ROLLBACK)
        if self._transport.read_file(backup) is None:
            raise self._err(CommitError, "nothing to roll back to (no commit made through this driver)")
        leftover, complaints = self._restore_backup()
        if leftover:
            details = f"\nfrr-reload.py: {complaints}" if complaints else ""
            raise self._err(CommitError, f"rollback failed; still different from {backup}:\n{leftover}{details}")
        self._run(self.instance.write_memory())
