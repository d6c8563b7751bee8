"""NAPALM driver for NVIDIA Cumulus Linux 5.x through NVUE's REST API (revisions).

Config workflow (see :mod:`.client` for the documented calls):

- ``load_replace_candidate`` parses the NVUE YAML (``- set: {...}``), creates a revision, clears the
  revision's root and patches the whole tree in. This is the replace semantics the driver relies on: the
  revision starts as a copy of the applied config, the root DELETE empties it, so after the PATCH the
  revision holds exactly the new tree, and applying it removes every key absent from the new tree.
  ``load_merge_candidate`` patches without clearing (``nv config patch``).
- ``compare_config`` reads the applied config and the candidate revision back from the switch (so NVUE's
  own normalisation applies) and returns the leaves that differ as ``-``/``+`` ``nv set`` lines.
- ``commit_config`` applies the revision with ``auto-prompt: ays_yes`` and polls its state until it is
  ``applied``; an ``invalid``/``*_fail`` revision is a `CommitError` with NVUE's issue messages, and if the
  applied config moved anyway it is restored. Without ``revert_in`` the applied config is saved to startup.
- ``revert_in=N`` asks NVUE itself for a confirmed apply (``nv config apply --confirm``): the switch
  rolls the change back unless it is confirmed in time, so the safety net does not depend on netweave
  staying connected. NVUE counts that time in minutes (NVUE reference, "Config Commands": "nv config apply
  --confirm 60 requires you to confirm within one hour"), so N seconds are rounded up to whole minutes
  (`confirm_minutes`); the NVUE profile declares a 60 s confirm step so `netweave apply` asks for whole
  minutes in the first place. ``confirm_commit`` confirms it (and saves), ``rollback`` restores the
  config that was applied before the last commit made by this driver instance.
  NVIDIA's user guide documents ``--confirm`` for the CLI only; its REST form used here (apply with
  ``"state-controls": {"confirm": N}`` and ``"auto-prompt": {"confirm": "confirm_yes"}``, the revision
  reading ``confirm`` until a second apply PATCH confirms it) is the one public NVUE API clients use, and
  must be checked against a real switch of the release in use.

optional_args: ``port`` (8765), ``insecure`` (skip TLS verification; off by default), ``ca_file`` (CA
bundle that signed the switch certificate), ``poll_interval`` (seconds between revision polls, 0.5),
``preserve`` (dotted paths a replace keeps from the applied config when the candidate lacks them; default
``["system.aaa", "system.api"]``, ``[]`` for a pure replace; see `DEFAULT_PRESERVE`).
"""

from __future__ import annotations

import contextlib
import logging
import time
from typing import Any
from urllib.parse import quote

from napalm.base import NetworkDriver
from napalm.base.exceptions import (
    CommitConfirmException,
    CommitError,
    ConnectionException,
    MergeConfigException,
    ReplaceConfigException,
)

import netweave.napalm_nvue.getters as getters
from netweave.napalm_frr.redact import redact
from netweave.napalm_nvue.client import DEFAULT_PORT, NvueClient, NvueError
from netweave.napalm_nvue.tree import NvueYamlError, Tree, diff, dump_config, parse_config
from netweave.napalm_nvue.tree import sanitized as sanitize_tree

log = logging.getLogger(__name__)

APPLY = {"state": "apply", "auto-prompt": {"ays": "ays_yes"}}
SAVE = {"state": "save", "auto-prompt": {"ays": "ays_yes"}}
WAITING = frozenset({"confirm"})
"""Revision state while an apply with confirm waits for its confirmation."""
FAILED = frozenset({"invalid", "apply_fail", "ays_fail", "ignore_fail", "confirm_fail"})
IN_PROGRESS = frozenset({"pending", "apply", "applying", "ays", "ignore"})
DEFAULT_PRESERVE = ("system.aaa", "system.api")
"""Subtrees a replace keeps from the applied config when the candidate has none: the user accounts and
the API settings. NVIDIA's guide warns that replacing the config without the ``cumulus`` account deletes
it; without its own account and API, the replace would lock netweave (and the operator) out."""


def without(tree: Tree, paths: tuple[tuple[str, ...], ...]) -> Tree:
    """`tree` minus the subtrees at `paths` (copies only along those paths)."""
    out = dict(tree)
    for path in paths:
        parent = out
        for key in path[:-1]:
            child = parent.get(key)
            if not isinstance(child, dict):
                break
            parent[key] = child = dict(child)
            parent = child
        else:
            parent.pop(path[-1], None)
    return out


def preserved(applied: Tree, candidate: Tree, paths: tuple[tuple[str, ...], ...]) -> Tree:
    """`candidate` plus every `paths` subtree of `applied` that the candidate does not define itself."""
    out = dict(candidate)
    for path in paths:
        source: Any = applied
        for key in path:
            source = source.get(key) if isinstance(source, dict) else None
        if source is None:
            continue
        target = out
        for key in path[:-1]:
            child = target.get(key)
            child = dict(child) if isinstance(child, dict) else {}
            target[key] = child
            target = child
        target.setdefault(path[-1], source)
    return out


def confirm_minutes(revert_in: int) -> int:
    """`revert_in` seconds as the whole minutes NVUE's confirm timer counts, rounded up (never shorter)."""
    return max(1, -(-int(revert_in) // 60))


class NVUEDriver(NetworkDriver):
    """NAPALM driver for one Cumulus Linux 5.x switch, over NVUE's REST API."""

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
        self._password = password
        # kept only to mask them in messages; the HTTP session alone uses the password
        self._secrets: tuple[str, ...] = tuple(s for s in (password,) if s)
        self.port = int(args.get("port") or DEFAULT_PORT)
        ca_file = args.get("ca_file")
        self.verify: bool | str = False if args.get("insecure") else (str(ca_file) if ca_file else True)
        self.poll_interval = float(args.get("poll_interval", 0.5))
        preserve = args.get("preserve", DEFAULT_PRESERVE)
        if isinstance(preserve, str) or not all(isinstance(p, str) and p for p in preserve):
            raise ValueError("optional_args['preserve'] must be a list of dotted NVUE paths, e.g. ['system.aaa']")
        self.preserve: tuple[tuple[str, ...], ...] = tuple(tuple(p.split(".")) for p in preserve)
        self._client: NvueClient | None = None
        self._candidate: str | None = None
        self._candidate_rev: str | None = None
        self._pending_rev: str | None = None
        self._before_commit: Tree | None = None

    def __repr__(self) -> str:
        return f"NVUEDriver({self.hostname!r}, port={self.port})"

    # ------------------------------------------------------------------ plumbing

    def _err(self, cls: type[Exception], text: str) -> Exception:
        """An exception of ``cls`` naming this device, with any credential masked."""
        return cls(redact(f"{self.hostname}: {text}", self._secrets))

    @property
    def client(self) -> NvueClient:
        if self._client is None:
            raise self._err(ConnectionException, "not connected; call open() first")
        return self._client

    def _call(self, error: type[Exception], what: str, func: Any, *args: Any) -> Any:
        """Run a client call; an unreachable switch is a ConnectionException, an API error `error`."""
        try:
            return func(*args)
        except NvueError as exc:
            cls = ConnectionException if exc.status in (0, 401, 403) else error
            raise self._err(cls, f"{what}: {exc}") from None

    # ------------------------------------------------------------------ session

    def open(self) -> None:
        """Open the HTTPS session and prove it with an authenticated read of ``/system``."""
        self._client = NvueClient(
            self.hostname, self.username, self._password, port=self.port, verify=self.verify, timeout=self.timeout
        )
        try:
            self._client.show("/system")
        except NvueError as exc:
            self._client.close()
            self._client = None
            raise self._err(ConnectionException, str(exc)) from None

    def close(self) -> None:
        """Close the session. A pending confirmed apply keeps its timer on the switch."""
        if self._client is not None:
            self._client.close()
            self._client = None

    def is_alive(self) -> dict[str, bool]:
        if self._client is None:
            return {"is_alive": False}
        try:
            self._client.show("/system")
        except NvueError:
            return {"is_alive": False}
        return {"is_alive": True}

    # ------------------------------------------------------------------ getters

    def get_facts(self) -> dict[str, Any]:
        """From ``/system`` (hostname, build, uptime), ``/platform`` and the interface list."""
        system = self._call(ConnectionException, "reading /system", self.client.show, "/system") or {}
        try:
            platform = self.client.show("/platform") or {}
        except NvueError:
            platform = {}
        names = sorted(self._call(ConnectionException, "reading /interface", self.client.show, "/interface") or {})
        hostname = str(system.get("hostname") or self.hostname)
        uptime = system.get("uptime")
        return {
            "uptime": float(uptime) if isinstance(uptime, int | float) else -1.0,
            "vendor": "NVIDIA",
            "model": str(platform.get("product-name") or platform.get("model") or ""),
            "hostname": hostname,
            "fqdn": hostname,
            "os_version": str(system.get("build") or ""),
            "serial_number": str(platform.get("serial-number") or ""),
            "interface_list": names,
        }

    def get_interfaces(self) -> dict[str, dict[str, Any]]:
        data = self._call(ConnectionException, "reading /interface", self.client.show, "/interface") or {}
        return getters.interfaces(data)

    def get_lldp_neighbors(self) -> dict[str, list[dict[str, str]]]:
        """LLDP neighbors of every interface that is up (one request per such interface)."""
        up = [name for name, info in self.get_interfaces().items() if info["is_up"] and name != "lo"]
        per_interface: dict[str, dict[str, Any]] = {}
        for name in up:
            try:
                per_interface[name] = self.client.show(f"/interface/{quote(name, safe='')}/lldp/neighbor") or {}
            except NvueError as exc:
                if exc.status in (0, 401, 403):
                    raise self._err(ConnectionException, str(exc)) from None
        return getters.lldp_neighbors(per_interface)

    def get_bgp_neighbors(self) -> dict[str, Any]:
        """Per-VRF BGP peers (the default VRF as NAPALM's ``global``)."""
        vrfs = self._call(ConnectionException, "reading /vrf", self.client.show, "/vrf") or {}
        system_bgp: dict[str, Any] = {}
        with contextlib.suppress(NvueError):  # no global BGP: per-VRF values only
            system_bgp = self.client.show("/router/bgp") or {}
        out: dict[str, Any] = {}
        for vrf in sorted(vrfs):
            try:
                bgp = self.client.show(f"/vrf/{vrf}/router/bgp") or {}
                neighbors = self.client.show(f"/vrf/{vrf}/router/bgp/neighbor") or {}
            except NvueError as exc:
                if exc.status in (0, 401, 403):
                    raise self._err(ConnectionException, str(exc)) from None
                continue
            if not neighbors:
                continue
            entry = getters.bgp_vrf(bgp, neighbors, system_bgp.get("autonomous-system"))
            if not entry["router_id"]:
                entry["router_id"] = str(system_bgp.get("router-id") or "")
            out["global" if vrf == "default" else vrf] = entry
        return out

    def get_config(
        self, retrieve: str = "all", full: bool = False, sanitized: bool = False, format: str = "text"
    ) -> dict[str, str]:
        """Applied (``running``) and startup configs as NVUE YAML, and the loaded candidate's text.

        The running and startup trees leave out the preserved subtrees (user accounts with their password
        hashes, API settings): a replace keeps those from the switch anyway, so a backup restores the same
        config without carrying a password hash to disk. ``sanitized=True`` also masks every other
        secret-looking value (BGP and SNMP secrets). ``full`` is accepted for API compatibility (the trees
        are read without defaults); ``format`` is always NVUE YAML.
        """
        if retrieve not in ("all", "running", "candidate", "startup"):
            raise ValueError("retrieve must be one of all, running, candidate, startup")
        out = {"running": "", "candidate": "", "startup": ""}
        clean = sanitize_tree if sanitized else (lambda tree: tree)
        if retrieve in ("all", "running"):
            out["running"] = dump_config(clean(without(self._tree("applied"), self.preserve)))
        if retrieve in ("all", "startup"):
            out["startup"] = dump_config(clean(without(self._tree("startup"), self.preserve)))
        if retrieve in ("all", "candidate"):
            candidate = self._candidate or ""
            out["candidate"] = dump_config(clean(parse_config(candidate))) if candidate and sanitized else candidate
        return out

    def _tree(self, revision: str) -> Tree:
        return dict(self._call(ConnectionException, f"reading revision {revision}", self.client.tree, revision))

    # ------------------------------------------------------------------ candidate

    def _load(self, filename: str | None, config: str | None, replace: bool) -> None:
        error = ReplaceConfigException if replace else MergeConfigException
        if (filename is None) == (config is None):
            raise error("pass exactly one of filename= or config=")
        if filename is not None:
            with open(filename, encoding="utf-8") as handle:
                config = handle.read()
        assert config is not None
        try:
            tree = parse_config(config)
        except NvueYamlError as exc:
            raise self._err(error, f"candidate is not an NVUE config file, nothing was changed: {exc}") from None
        if replace and not tree:
            raise self._err(error, "the candidate config is empty; replacing with it would erase the switch")
        if replace and self.preserve:
            tree = preserved(self._tree("applied"), tree, self.preserve)
        self.discard_config()
        revision = self._call(error, "creating a revision", self.client.create_revision)
        if replace:
            self._call(
                error, f"loading the candidate into revision {revision}", self.client.replace_tree, revision, tree
            )
        else:
            self._call(error, f"patching revision {revision}", self.client.patch_tree, revision, tree)
        self._candidate, self._candidate_rev = config, revision

    def load_replace_candidate(self, filename: str | None = None, config: str | None = None) -> None:
        """Stage a full config in a new revision; committing removes whatever it does not contain."""
        self._load(filename, config, replace=True)

    def load_merge_candidate(self, filename: str | None = None, config: str | None = None) -> None:
        """Stage a config patched over the applied one (``nv config patch``)."""
        self._load(filename, config, replace=False)

    def compare_config(self) -> str:
        """``-``/``+`` ``nv set`` lines from the applied config to the candidate; "" when nothing changes."""
        if self._candidate_rev is None:
            return ""
        return diff(self._tree("applied"), self._tree(self._candidate_rev))

    def discard_config(self) -> None:
        """Forget the candidate. Its revision stays unapplied on the switch (NVUE keeps pending revisions)."""
        self._candidate = None
        self._candidate_rev = None

    # ------------------------------------------------------------------ commit

    def _wait(self, revision: str, done: frozenset[str], error: type[Exception]) -> str:
        """Poll the revision until its state is in `done`; raise `error` on a failed state or timeout."""
        deadline = time.monotonic() + self.timeout
        while True:
            state, issues = self._call(error, f"reading revision {revision}", self.client.revision_state, revision)
            if state in done:
                return str(state)
            if state == "applied" and done == WAITING:
                raise self._err(error, f"revision {revision} was applied without a confirm timer (not supported here?)")
            if state in FAILED or (state not in IN_PROGRESS and state not in WAITING and state != "applied"):
                details = "; ".join(issues) or "no reason given"
                raise self._err(error, f"revision {revision} is {state or 'in no state'}: {details}")
            if time.monotonic() >= deadline:
                raise self._err(error, f"revision {revision} still '{state}' after {self.timeout} s")
            time.sleep(self.poll_interval)

    def _apply_tree(self, tree: Tree) -> None:
        """Replace the applied config with `tree` through a fresh revision (no confirm), then save it."""
        revision = self._call(CommitError, "creating a revision", self.client.create_revision)
        self._call(CommitError, "loading the restore config", self.client.replace_tree, revision, tree)
        self._call(CommitError, f"applying revision {revision}", self.client.set_state, revision, APPLY)
        self._wait(revision, frozenset({"applied"}), CommitError)
        self._save()

    def _save(self) -> None:
        try:
            self.client.set_state("applied", SAVE)
        except NvueError as exc:
            log.warning("%s: saving the applied config failed: %s", self.hostname, redact(str(exc), self._secrets))

    def commit_config(self, message: str = "", revert_in: int | None = None) -> None:
        """Apply the candidate revision; with ``revert_in`` the switch reverts it unless confirmed in time."""
        revision = self._candidate_rev
        if revision is None:
            raise self._err(CommitError, "no candidate loaded; call load_replace_candidate() first")
        if self.has_pending_commit():
            raise self._err(CommitError, "a confirmed apply is waiting; confirm_commit() or rollback() it first")
        if revert_in is not None and int(revert_in) <= 0:
            raise ValueError("revert_in must be a positive number of seconds")
        if message:
            log.info("%s: commit: %s", self.hostname, message)
        before = self._tree("applied")
        body: dict[str, Any] = {"state": "apply", "auto-prompt": {"ays": "ays_yes"}}
        if revert_in is not None:
            body["auto-prompt"]["confirm"] = "confirm_yes"
            body["state-controls"] = {"confirm": confirm_minutes(revert_in)}
        self._call(CommitError, f"applying revision {revision}", self.client.set_state, revision, body)
        done = WAITING if revert_in is not None else frozenset({"applied"})
        try:
            self._wait(revision, done, CommitError)
        except CommitError as failure:
            if self._tree("applied") != before:
                self._apply_tree(before)
                raise self._err(CommitError, f"{failure}; the previous config was restored") from None
            raise
        self._before_commit = before
        self.discard_config()
        if revert_in is None:
            self._save()
        else:
            self._pending_rev = revision
            log.info(
                "%s: commit pending, reverts in %d min unless confirmed", self.hostname, confirm_minutes(revert_in)
            )

    def _waiting_revision(self) -> str | None:
        revisions = self._call(ConnectionException, "listing revisions", self.client.revisions)
        if self._pending_rev is not None and revisions.get(self._pending_rev) in WAITING:
            return self._pending_rev
        return next((rev for rev, state in sorted(revisions.items()) if state in WAITING), None)

    def has_pending_commit(self) -> bool:
        """True while a confirmed apply waits for its confirmation on the switch."""
        return self._waiting_revision() is not None

    def confirm_commit(self) -> None:
        """Confirm the waiting apply (it then stays) and save it to the startup config."""
        revision = self._waiting_revision()
        if revision is None:
            raise self._err(
                CommitConfirmException, "no apply is waiting for confirmation (never made, or it already reverted)"
            )
        self._call(CommitConfirmException, f"confirming revision {revision}", self.client.set_state, revision, APPLY)
        self._wait(revision, frozenset({"applied"}), CommitConfirmException)
        self._pending_rev = None
        self._save()

    def rollback(self) -> None:
        """Restore the config applied before this driver's last commit.

        A change still waiting for confirmation is confirmed first and then replaced by the previous
        config, using only the apply and confirm operations the commit itself used.
        """
        if self._before_commit is None:
            raise self._err(CommitError, "nothing to roll back to (no commit made through this driver)")
        if self._waiting_revision() is not None:
            self.confirm_commit()
        self._apply_tree(self._before_commit)
        self._before_commit = None
