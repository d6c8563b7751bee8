"""NAPALM driver for SONiC: CONFIG_DB through the generic config updater, FRR through the bgp container.

How a commit works (the semantics each command has are in :mod:`.commands`, the config text and the
replace rules in :mod:`.bundle`):

1. ``config checkpoint netweave-pre-commit`` and FRR's running config saved in the container: the
   state rollback and the confirm timer return to;
2. ``config replace`` with the whole target CONFIG_DB (only when CONFIG_DB changes);
3. ``frr-reload.py --reload`` of the candidate FRR config in the bgp container, checked afterwards
   with ``--test`` (a second pass for removals FRR applies in two steps, as the FRR driver does);
   neighbor passwords that change or go away are removed first through a file of key-less
   ``no neighbor X password`` lines, because frr-reload.py would delete them with the key on a vtysh
   command line (:mod:`netweave.napalm_frr.passwords`); the revert timer and rollback do the same;
4. on any failure: ``config rollback`` to the checkpoint and a reload of the saved FRR config, so the
   operator sees all-or-nothing. The FRR restore counts as done when ``frr-reload.py --test`` finds
   nothing left between the running config and the saved one (one more pass after a second if something
   is), whatever frr-reload's exit status, as in the FRR driver's ``_restore_backup``; CONFIG_DB counts as
   restored when it equals the one read just after the checkpoint;
5. without ``revert_in``: ``config save -y`` (CONFIG_DB to ``/etc/sonic/config_db.json``; frr-reload
   already wrote ``frr.conf``). With ``revert_in``: nothing is saved (FRR's ``frr.conf`` is put back),
   and a detached timer on the switch rolls both back unless :meth:`confirm_commit` comes in time; the
   timer is on the device so it fires even when the new config cut netweave off.

optional_args (all optional): ``port`` ``key_file`` ``ssh_strict`` ``known_hosts`` (SSH as the FRR
driver), ``sudo`` (default True), ``state_dir`` (host, default ``~/.cache/netweave-sonic``),
``container`` (default ``bgp``), ``container_state_dir`` (default ``/etc/frr/netweave``, the host's
``/etc/sonic/frr/netweave``), ``frr_config`` (default ``/etc/frr/frr.conf`` in the container),
``startup_config_db`` (default ``/etc/sonic/config_db.json``), ``reload_script``.

Credentials are handed to paramiko only (see :mod:`netweave.napalm_frr.transport`); every message
the driver raises passes through the same redaction as the FRR driver's.
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

import netweave.napalm_sonic.bundle as bundle
import netweave.napalm_sonic.parsers as parsers
from netweave.napalm_frr.confirm import REVERT_PASSWORDS
from netweave.napalm_frr.parsers import bgp_neighbors, sanitize_config, strip_running_header
from netweave.napalm_frr.passwords import password_removals
from netweave.napalm_frr.redact import redact
from netweave.napalm_frr.reload_diff import dryrun_errors, parse_reload_test, reload_errors, render_diff
from netweave.napalm_frr.transport import CommandResult, SSHTransport, Transport, TransportError
from netweave.napalm_sonic.commands import (
    CHECKPOINT,
    FRR_CANDIDATE,
    FRR_PASSWORD_REMOVALS,
    FRR_ROLLBACK,
    FRR_STARTUP_BACKUP,
    TARGET,
    SonicHost,
)

log = logging.getLogger(__name__)

RETRY_DELAY = 1.0


class SONiCDriver(NetworkDriver):
    """NAPALM driver for one SONiC switch reached over SSH."""

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
        self._secrets: tuple[str, ...] = tuple(s for s in (password,) if s)
        defaults = SonicHost()
        self.host = SonicHost(
            state_dir=str(args.get("state_dir", defaults.state_dir)),
            container=str(args.get("container", defaults.container)),
            container_state_dir=str(args.get("container_state_dir", defaults.container_state_dir)),
            frr_config=str(args.get("frr_config", defaults.frr_config)),
            reload_script=str(args.get("reload_script", defaults.reload_script)),
            startup_config_db=str(args.get("startup_config_db", defaults.startup_config_db)),
            sudo=bool(args.get("sudo", True)),
        )
        self._transport: Transport = SSHTransport(
            hostname,
            username=username,
            password=password,
            port=int(args.get("port", 22)),
            key_file=args.get("key_file"),
            strict_host_key=bool(args.get("ssh_strict", True)),
            known_hosts=args.get("known_hosts"),
            timeout=timeout,
        )
        self._candidate: bundle.Bundle | None = None

    def __repr__(self) -> str:
        return f"SONiCDriver({self.hostname!r})"

    # ------------------------------------------------------------------ plumbing

    def _err(self, cls: type[Exception], text: str) -> Exception:
        """An exception of ``cls`` naming this device, with any credential masked."""
        return cls(redact(f"{self.hostname}: {text}", self._secrets))

    def _run(self, argv: Sequence[str], *, input_text: str | None = None) -> CommandResult:
        try:
            return self._transport.run(argv, input_text=input_text)
        except TransportError as exc:
            raise self._err(ConnectionException, str(exc)) from None

    def _must(self, argv: Sequence[str], what: str, cls: type[Exception] = CommitError, **kw: Any) -> CommandResult:
        result = self._run(argv, **kw)
        if not result.ok:
            raise self._err(cls, f"{what} failed: {_tail(result)}")
        return result

    def _running_db(self) -> bundle.ConfigDb:
        result = self._must(self.host.show("runningconfiguration", "all"), "reading CONFIG_DB", ConnectionException)
        try:
            data = json.loads(result.stdout)
        except json.JSONDecodeError as exc:
            raise self._err(ConnectionException, f"`show runningconfiguration all` is not JSON: {exc}") from None
        if bundle.shape_problems(data):
            raise self._err(ConnectionException, "`show runningconfiguration all` is not a CONFIG_DB object")
        return data

    def _running_frr(self) -> str:
        result = self._must(self.host.vtysh("show running-config no-header"), "reading FRR", ConnectionException)
        return strip_running_header(result.stdout)

    def _vtysh_json(self, command: str) -> dict[str, Any]:
        result = self._run(self.host.vtysh(command))
        try:
            data = json.loads(result.stdout) if result.ok and result.stdout.strip() else {}
        except json.JSONDecodeError:
            return {}
        return data if isinstance(data, dict) else {}

    def _write_host(self, name: str, content: str) -> str:
        path = self.host.host_file(name)
        try:
            self._transport.write_file(path, content)
        except TransportError as exc:
            raise self._err(ConnectionException, str(exc)) from None
        return path

    def _write_bgp(self, name: str, content: str) -> str:
        path = self.host.container_file(name)
        self._must(
            self.host.write_in_bgp(path),
            f"writing {path} in the {self.host.container} container",
            ConnectionException,
            input_text=content,
        )
        return path

    def _read_bgp(self, name: str) -> str | None:
        """Content of one driver file in the bgp container; None when it is missing or unreadable."""
        result = self._run(self.host.in_bgp("cat", self.host.container_file(name)))
        return result.stdout if result.ok else None

    # ------------------------------------------------------------------ session

    def open(self) -> None:
        """Connect, check that this is SONiC with a bgp container, and create the host state dir."""
        try:
            self._transport.open()
        except TransportError as exc:
            raise self._err(ConnectionException, str(exc)) from None
        version = self._run(self.host.show("version"))
        if not version.ok or "SONiC Software Version" not in version.stdout:
            self._transport.close()
            raise self._err(ConnectionException, f"`show version` does not describe a SONiC switch: {_tail(version)}")
        mkdir = self._run(["mkdir", "-p", "-m", "0700", self.host.state_dir])
        if not mkdir.ok:
            self._transport.close()
            raise self._err(ConnectionException, f"cannot create {self.host.state_dir}: {_tail(mkdir)}")

    def close(self) -> None:
        """Close the SSH session; a pending commit-confirm timer keeps running on the switch."""
        self._transport.close()

    def is_alive(self) -> dict[str, bool]:
        """NAPALM's ``{"is_alive": bool}``."""
        return {"is_alive": self._transport.is_alive()}

    # ------------------------------------------------------------------ getters

    def get_facts(self) -> dict[str, Any]:
        """From ``show version`` (platform, HwSKU, serial, uptime) and CONFIG_DB (hostname, ports)."""
        fields = parsers.version_fields(
            self._must(self.host.show("version"), "show version", ConnectionException).stdout
        )
        db = self._running_db()
        hostname = str(db.get("DEVICE_METADATA", {}).get("localhost", {}).get("hostname", "")) or self.hostname
        return {
            "uptime": parsers.uptime_seconds(fields.get("Uptime", "")),
            "vendor": "SONiC",
            "model": fields.get("HwSKU", "") or fields.get("Platform", ""),
            "hostname": hostname,
            "fqdn": hostname,
            "os_version": fields.get("SONiC Software Version", ""),
            "serial_number": fields.get("Serial Number", ""),
            "interface_list": sorted(db.get("PORT", {}), key=_port_order),
        }

    def get_interfaces(self) -> dict[str, dict[str, Any]]:
        """From ``show interfaces status`` and the PORT table (descriptions), see :func:`parsers.interfaces`."""
        status = self._must(self.host.show("interfaces", "status"), "show interfaces status", ConnectionException)
        db = self._running_db()
        mac = str(db.get("DEVICE_METADATA", {}).get("localhost", {}).get("mac", ""))
        return parsers.interfaces(status.stdout, db.get("PORT", {}), mac)

    def get_lldp_neighbors(self) -> dict[str, list[dict[str, str]]]:
        """From ``show lldp table``."""
        result = self._must(self.host.show("lldp", "table"), "show lldp table", ConnectionException)
        return parsers.lldp_neighbors(result.stdout)

    def get_bgp_neighbors(self) -> dict[str, Any]:
        """NAPALM's per-VRF BGP neighbors from FRR's JSON in the bgp container (the FRR driver's mapping)."""
        summary = self._vtysh_json("show bgp vrf all summary json")
        if not summary:
            return {}
        return bgp_neighbors(summary, self._vtysh_json("show bgp vrf all neighbors json"))

    def get_config(
        self, retrieve: str = "all", full: bool = False, sanitized: bool = False, format: str = "text"
    ) -> dict[str, str]:
        """Running, candidate and startup configs as bundle text (:mod:`.bundle`).

        Startup is what the switch boots with: the saved CONFIG_DB (``config save``) and FRR's
        integrated ``frr.conf`` in the bgp container; "" when the switch has no saved CONFIG_DB.

        ``sanitized`` masks FRR secrets (CONFIG_DB carries none that netweave renders).
        """
        if retrieve not in ("all", "running", "candidate", "startup"):
            raise ValueError("retrieve must be one of all, running, candidate, startup")
        out = {"running": "", "candidate": "", "startup": ""}
        if retrieve in ("all", "running"):
            out["running"] = bundle.Bundle(self._running_db(), self._running_frr()).text()
        if retrieve in ("all", "candidate") and self._candidate is not None:
            out["candidate"] = self._candidate.text()
        if retrieve in ("all", "startup"):
            out["startup"] = self._startup()
        if sanitized:
            out = {key: sanitize_config(value) for key, value in out.items()}
        return out

    def _startup(self) -> str:
        saved = self._transport.read_file(self.host.startup_config_db)
        if saved is None:
            return ""
        try:
            data = json.loads(saved)
        except json.JSONDecodeError:
            raise self._err(ConnectionException, f"{self.host.startup_config_db} is not JSON") from None
        frr = self._run(self.host.in_bgp("sh", "-c", 'test -f "$1" && cat "$1" || true', "sh", self.host.frr_config))
        return bundle.Bundle(data, strip_running_header(frr.stdout) if frr.ok else "").text()

    # ------------------------------------------------------------------ candidate

    def load_replace_candidate(self, filename: str | None = None, config: str | None = None) -> None:
        """Load a bundle (CONFIG_DB JSON, then optional FRR text); FRR's parser checks the FRR part now."""
        if (filename is None) == (config is None):
            raise ReplaceConfigException("pass exactly one of filename= or config=")
        if filename is not None:
            with open(filename, encoding="utf-8") as handle:
                config = handle.read()
        assert config is not None
        try:
            candidate = bundle.parse(config)
        except bundle.BundleError as exc:
            raise self._err(ReplaceConfigException, f"candidate refused, nothing was changed: {exc}") from None
        if candidate.frr:
            path = self._write_bgp(FRR_CANDIDATE, candidate.frr)
            check = self._run(self.host.vtysh_dryrun(path))
            if not check.ok:
                errors = dryrun_errors(check.stderr, check.stdout) or [_tail(check)]
                raise self._err(
                    ReplaceConfigException,
                    "candidate FRR config rejected by FRR's parser, nothing was changed:\n  " + "\n  ".join(errors),
                )
        self._candidate = candidate

    def load_merge_candidate(self, filename: str | None = None, config: str | None = None) -> None:
        """Not supported: netweave pushes whole configs, and a merge has no defined meaning for CONFIG_DB tables."""
        raise MergeConfigException(f"{self.hostname}: the SONiC driver only replaces (load_replace_candidate)")

    def _plan(self) -> tuple[bundle.ConfigDb, bundle.ConfigDb, str]:
        """(running CONFIG_DB, target CONFIG_DB, FRR diff text) for the loaded candidate."""
        assert self._candidate is not None
        running = self._running_db()
        wanted = bundle.target(running, self._candidate.config_db)
        frr_diff = self._frr_test(FRR_CANDIDATE) if self._candidate.frr else ""
        return running, wanted, frr_diff

    def _frr_test(self, name: str) -> str:
        """What FRR's running config still lacks or has beyond the container file ``name`` ("" when equal)."""
        result = self._run(self.host.frr_reload(self.host.container_file(name), test=True))
        if not result.ok:
            raise self._err(CommitError, f"frr-reload.py --test failed:\n  {_reload_errors(result)}")
        return render_diff(parse_reload_test(result.stdout))

    def compare_config(self) -> str:
        """CONFIG_DB changes (``config_db:`` section) and FRR changes (``frr:`` section); "" when none."""
        if self._candidate is None:
            return ""
        running, wanted, frr_diff = self._plan()
        return _sections(bundle.diff(running, wanted), frr_diff)

    def discard_config(self) -> None:
        """Forget the loaded candidate (nothing on the switch changes)."""
        self._candidate = None

    # ------------------------------------------------------------------ commit

    def _timer_state(self) -> str:
        return self._run(self.host.timer_status()).stdout.strip() or "none"

    def _restore_frr(self) -> tuple[str, str]:
        """Reload the saved FRR config; return (what still differs from it, frr-reload's complaints).

        Judged by comparison (``--test`` against the backup), not by frr-reload's exit status, for the
        reasons the FRR driver's ``_restore_backup`` gives: FRR 8.4 exits 1 after a restore that did converge
        (its second pass re-sends lines the first already applied) and 0 after one that left an empty
        ``bfd`` node. A remainder gets one more pass after :data:`RETRY_DELAY`.
        """
        backup = self._read_bgp(FRR_ROLLBACK)
        restored = self._reload(FRR_ROLLBACK, backup)
        leftover = self._frr_test(FRR_ROLLBACK)
        if leftover:
            time.sleep(RETRY_DELAY)
            restored = self._reload(FRR_ROLLBACK, backup)
            leftover = self._frr_test(FRR_ROLLBACK)
        complaints = "" if restored.ok else _reload_errors(restored)
        if complaints and not leftover:
            log.info(
                "%s: frr-reload.py reported errors, but FRR's running config equals the backup again: %s",
                self.hostname,
                redact(complaints, self._secrets),
            )
        return leftover, complaints

    def _restore(self, reason: str, before_db: bundle.ConfigDb) -> None:
        """Roll CONFIG_DB back to the checkpoint and reload the saved FRR config; always raises CommitError.

        Both are judged by comparison: CONFIG_DB with ``before_db`` (read just after the checkpoint was
        taken), FRR with its saved config (:meth:`_restore_frr`)."""
        saved = self.host.container_file(FRR_ROLLBACK)
        db = self._run(self.host.config("rollback", CHECKPOINT))
        db_left = (
            "" if self._running_db() == before_db else f"CONFIG_DB still differs after config rollback ({_tail(db)})\n"
        )
        try:
            leftover, complaints = self._restore_frr()
        except CommitError as exc:  # frr-reload.py --test itself failed: the FRR result cannot be judged
            leftover, complaints = "(frr-reload.py --test could not compare it)\n", str(exc)
        if not db_left and not leftover:
            self._run(self.host.vtysh("write memory"))
            raise self._err(CommitError, f"commit failed, previous config restored. {reason}")
        frr_left = f"FRR still different from {saved}:\n{leftover}" if leftover else ""
        details = f"\nfrr-reload.py: {complaints}" if complaints and leftover else ""
        raise self._err(
            CommitError,
            f"commit failed AND restoring failed (checkpoint {CHECKPOINT}, FRR {saved} in the "
            f"{self.host.container} container). {reason}\n{db_left}{frr_left}{details}",
        )

    def commit_config(self, message: str = "", revert_in: int | None = None) -> None:
        """Apply the candidate all-or-nothing; with ``revert_in`` arm the switch-side revert timer."""
        if self._candidate is None:
            raise CommitError(f"{self.hostname}: no candidate loaded; call load_replace_candidate() first")
        state = self._timer_state()
        if state != "none":
            raise CommitError(f"{self.hostname}: a commit-confirm is {state}; confirm_commit() or rollback() it first")
        if message:
            log.info("%s: commit: %s", self.hostname, message)
        candidate = self._candidate
        self._must(self.host.config("checkpoint", CHECKPOINT), "config checkpoint")
        rollback = self._running_frr()
        self._write_bgp(FRR_ROLLBACK, rollback)
        if revert_in is not None:
            keep = 'if [ -f "$1" ]; then cp -p "$1" "$2"; else rm -f "$2"; fi'
            backup = self.host.container_file(FRR_STARTUP_BACKUP)
            self._must(self.host.in_bgp("sh", "-c", keep, "sh", self.host.frr_config, backup), "backing up frr.conf")
        running = self._running_db()
        wanted = bundle.target(running, candidate.config_db)
        if running != wanted:
            path = self._write_host(TARGET, json.dumps(wanted, indent=4, sort_keys=True) + "\n")
            replaced = self._run(self.host.config("replace", path))
            if not replaced.ok:
                self._restore(f"config replace refused the CONFIG_DB:\n  {_tail(replaced)}", running)
        if candidate.frr:
            self._apply_frr(candidate.frr, running)
        if revert_in is None:
            saved = self._run(self.host.config("save", "-y"))
            if not saved.ok:
                log.warning("%s: config save failed: %s", self.hostname, redact(_tail(saved), self._secrets))
        else:
            self._arm_timer(int(revert_in), rollback, running)
        self._candidate = None

    def _reload(self, name: str, target: str | None) -> CommandResult:
        """``frr-reload.py --reload`` of the container file ``name`` (whose text is ``target``), after removing
        through a file the neighbor passwords it would otherwise delete with the key on a vtysh command
        line (:mod:`netweave.napalm_frr.passwords`). An unknown ``target`` removes nothing: frr-reload.py
        then fails on the unreadable file, changing nothing."""
        removals = password_removals(self._running_frr(), target) if target is not None else ""
        if removals:
            removed = self._run(self.host.vtysh_apply_file(self._write_bgp(FRR_PASSWORD_REMOVALS, removals)))
            if not removed.ok:
                return removed
        return self._run(self.host.frr_reload(self.host.container_file(name), test=False))

    def _apply_frr(self, frr: str, before_db: bundle.ConfigDb) -> None:
        applied = self._reload(FRR_CANDIDATE, frr)
        if not applied.ok:
            self._restore(f"frr-reload.py --reload failed:\n  {_reload_errors(applied)}", before_db)
        leftover = self._frr_test(FRR_CANDIDATE)
        if leftover:  # removals FRR applies in two steps (e.g. `no bfd` while a neighbor still uses it)
            time.sleep(RETRY_DELAY)
            self._reload(FRR_CANDIDATE, frr)
            leftover = self._frr_test(FRR_CANDIDATE)
        if leftover:
            self._restore(f"FRR did not converge to the candidate; still different:\n{leftover}", before_db)

    def _arm_timer(self, revert_in: int, rollback: str, before_db: bundle.ConfigDb) -> None:
        # the revert deletes what this commit added with frr-reload.py: the timer removes the new neighbor
        # passwords first, from this file, so the new key never reaches a command line (napalm_frr.passwords)
        removals = password_removals(self._running_frr(), rollback)
        self._write_bgp(REVERT_PASSWORDS, removals)
        # frr-reload.py --reload wrote the new frr.conf; put the old one back until confirm_commit()
        put_back = 'if [ -f "$2" ]; then cat "$2" > "$1"; else rm -f "$1"; fi'
        backup = self.host.container_file(FRR_STARTUP_BACKUP)
        self._run(self.host.in_bgp("sh", "-c", put_back, "sh", self.host.frr_config, backup))
        started = self._run(self.host.timer(revert_in, remove_passwords=bool(removals)))
        deadline = time.monotonic() + 5
        while started.ok and time.monotonic() < deadline:
            if self._timer_state() == "pending":
                log.info("%s: commit pending, reverts in %s s unless confirmed", self.hostname, revert_in)
                return
            time.sleep(0.05)
        self._restore(f"could not start the commit-confirm timer: {_tail(started)}", before_db)

    def has_pending_commit(self) -> bool:
        """True while a commit-confirm timer waits on the switch."""
        return self._timer_state() == "pending"

    def confirm_commit(self) -> None:
        """Disarm the revert timer and save both configs (``config save -y``, ``write memory``)."""
        if not self._run(self.host.cancel()).ok:
            raise CommitConfirmException(
                f"{self.hostname}: no commit is pending confirmation (never armed, or it already reverted)"
            )
        self._must(self.host.config("save", "-y"), "confirmed, but config save", CommitConfirmException)
        self._must(self.host.vtysh("write memory"), "confirmed, but FRR write memory", CommitConfirmException)

    def rollback(self) -> None:
        """Return to the state before the last commit (cancelling a pending confirm) and save it."""
        self._run(self.host.cancel())  # exit 3: nothing was pending
        listed = self._run(self.host.config("list-checkpoints"))
        try:
            names = json.loads(listed.stdout) if listed.ok else []
        except json.JSONDecodeError:
            names = []
        if CHECKPOINT not in names:
            raise self._err(CommitError, "nothing to roll back to (no commit made through this driver)")
        self._must(self.host.config("rollback", CHECKPOINT), "config rollback")
        leftover, complaints = self._restore_frr()
        if leftover:
            details = f"\nfrr-reload.py: {complaints}" if complaints else ""
            saved = self.host.container_file(FRR_ROLLBACK)
            raise self._err(CommitError, f"FRR rollback failed; still different from {saved}:\n{leftover}{details}")
        self._must(self.host.config("save", "-y"), "rolled back, but config save")
        self._must(self.host.vtysh("write memory"), "rolled back, but FRR write memory")


def _tail(result: CommandResult) -> str:
    """The end of what a failed command said (stderr first), without the argv (it names no secret, but is long)."""
    text = (result.stderr.strip() or result.stdout.strip())[-1500:]
    return f"status {result.returncode}: {text}" if text else f"status {result.returncode}"


def _reload_errors(result: CommandResult) -> str:
    return "\n  ".join(reload_errors(result.stdout + "\n" + result.stderr)) or _tail(result)


def _sections(db_lines: list[str], frr_diff: str) -> str:
    parts = []
    if db_lines:
        parts.append("config_db:\n" + "\n".join(db_lines) + "\n")
    if frr_diff.strip():
        parts.append("frr:\n" + frr_diff)
    return "".join(parts)


def _port_order(name: str) -> tuple[str, int]:
    """Ethernet8 before Ethernet64 (numeric, as SONiC lists ports)."""
    head = name.rstrip("0123456789")
    tail = name[len(head) :]
    return head, int(tail) if tail else -1
