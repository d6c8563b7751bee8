"""One device, one operation: the apply layer (`netweave.apply`) driven for a single DeviceConfig.

`netweave apply` runs batches over a whole fabric; under Pulumi the engine owns ordering (batches are
`depends_on` chains set by the Fabric component) and each resource applies its own device. So this
module reuses the apply stage's per-device pieces unchanged (the one-host Nornir of `fleet.make_nornir`,
`push_task` with its backup and commit-confirm, `health_task`, `confirm_task`, `rollback_task`,
`plan_task`, the redaction of `Inventory`) and only decides which BGP sessions must be up:

    sessions to peers applied before this device (earlier batches: `settled`)
    + sessions that were up before the change (a change must not break what worked)
    + on an update, sessions its previous apply configured (both ends were applied then)
    (only sessions the new config still has: a removed peer is not expected)

Sessions to peers still waiting for a later batch are not held against the device, so a fresh fabric
comes up batch by batch, and an update of a spine still has to keep every leaf's session up.

Everything here connects, works and disconnects within one call: nothing outlives it, so the pickled
provider never holds a client.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Mapping
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import netweave.apply.backups as backups
from netweave.apply.desired import Desired
from netweave.apply.fleet import (
    CONNECTION,
    confirm_seconds,
    confirm_task,
    health_task,
    make_nornir,
    plan_task,
    push_task,
    rollback_task,
)
from netweave.apply.health import Health, sessions_down
from netweave.apply.inventory import Credentials, Inventory, Target
from netweave.apply.results import DeviceApply, DevicePlan
from netweave.errors import NetweaveError
from netweave.pulumi.inputs import config_hash, with_defaults
from netweave.secrets import SecretError, from_environment, resolve


class DeviceError(NetweaveError, RuntimeError):
    """An operation on a device failed; the message is already redacted (safe to show and to log)."""


@dataclass
class Outcome:
    """What create/update/read/delete report back as outputs (all text redacted)."""

    status: str
    diff: str = ""
    changed: bool = False
    in_sync: bool = False
    running_hash: str = ""
    backup: str = ""
    confirmed: bool = False
    health: dict[str, Any] = field(default_factory=dict)
    error: str = ""
    baseline: str = ""
    """The running config before the change, when it could be kept unmasked (for onDelete: restore)."""

    def outputs(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "diff": self.diff,
            "changed": self.changed,
            "inSync": self.in_sync,
            "runningHash": self.running_hash,
            "backup": self.backup,
            "confirmed": self.confirmed,
            "healthCheck": self.health,
            "error": self.error,
        }


def inventory_of(props: Mapping[str, Any]) -> Inventory:
    """A one-target inventory from DeviceConfig inputs (credentials only in memory, masked in repr)."""
    p = with_defaults(props)
    target = Target(
        name=p["device"],
        nos=p["nos"],
        driver=p["driver"],
        host=p["host"],
        port=int(p["port"]) if p["port"] else None,
        timeout=int(p["timeout"]),
        optional_args=dict(p["optionalArgs"] or {}),
        credentials=Credentials(str(p["username"] or ""), str(p["password"] or "")),
    )
    return Inventory(targets={target.name: target}, lab=p["lab"] or None)


def _one(results: Any, name: str) -> Any:
    """The single result of a one-host run, raising on a broken task (message without the exception
    text: it is not redacted)."""
    multi = results.get(name)
    if multi is None or not len(multi):
        raise DeviceError(f"{name}: the task did not run")
    if multi[0].exception is not None:
        raise DeviceError(f"{name}: internal error: {type(multi[0].exception).__name__}")
    return multi[0].result


class Session:
    """A one-device Nornir session: every step of one operation runs on the same driver connection
    (FRR's commit-confirm and EOS's config sessions need that), under the device's lock, the one
    `netweave apply` takes (`netweave.hostlock`), so a `pulumi up` and an apply never interleave on it."""

    def __init__(self, props: Mapping[str, Any]) -> None:
        self.inventory = inventory_of(props)
        self.name = next(iter(self.inventory.targets))
        self.target = self.inventory.targets[self.name]
        self.nornir = make_nornir(self.inventory, workers=1)
        self._lock = ExitStack()

    def __enter__(self) -> Session:
        from netweave.apply.runner import device_locks
        from netweave.hostlock import LockBusy, host_locks

        try:
            self._lock.enter_context(host_locks(device_locks(self.inventory)))
        except LockBusy as exc:
            raise DeviceError(self.redact(str(exc))) from None
        return self

    def desired(self, config: str) -> Desired:
        """The config to push with its design secrets filled in from the provider's environment (the
        `pulumi up` process's: `NETWEAVE_SECRET_<NAME>`), so Pulumi state keeps the placeholders only; the
        values are masked like the login in everything this session reports."""
        values: dict[str, str] = {}

        def lookup(token: str) -> str | None:
            value = from_environment(token)
            if value is not None:
                values[token] = value
            return value

        try:
            text = resolve(config, lookup)
        except SecretError as exc:
            raise DeviceError(f"{self.name}: {exc}") from None
        self.inventory = dataclasses.replace(self.inventory, design_secrets=values)
        return Desired(device=self.name, config=text)

    def __exit__(self, *exc: object) -> None:
        try:
            self.nornir.close_connections(on_failed=True)
        finally:
            self._lock.close()

    def redact(self, text: str) -> str:
        return self.inventory.redact(text)

    def run(self, task: Callable[..., Any]) -> Any:
        return _one(self.nornir.run(task=task, on_failed=True), self.name)

    def call(self, method: str, *args: Any, **kwargs: Any) -> Any:
        """Call a driver method; DeviceError (redacted) when it or the connection fails."""
        from nornir.core.task import Result

        def task(t):  # type: ignore[no-untyped-def]
            try:
                conn = t.host.get_connection(CONNECTION, t.nornir.config)
                return Result(host=t.host, result=("ok", getattr(conn, method)(*args, **kwargs)))
            except Exception as exc:
                return Result(host=t.host, result=("error", f"{type(exc).__name__}: {exc}"))

        kind, value = self.run(task)
        if kind == "error":
            raise DeviceError(self.redact(f"{self.name}: {method} failed: {value}"))
        return value

    def running(self) -> str:
        return str(self.call("get_config", retrieve="running")["running"])


def up_peers(neighbors: Mapping[str, Any], peers: Iterable[str]) -> list[str]:
    """Which of `peers` (addresses or interfaces) have an established session now."""
    wanted = list(peers)
    down = set(sessions_down(dict(neighbors), wanted))
    return [p for p in wanted if p not in down]


def plan(props: Mapping[str, Any]) -> Outcome:
    """Compare the desired config with the running one; changes nothing (dry run, and read/refresh)."""
    p = with_defaults(props)
    with Session(p) as session:
        desired = session.desired(p["config"])
        result: DevicePlan = session.run(lambda task: plan_task(task, desired, session.redact))
        if result.status in ("unreachable", "failed"):
            raise DeviceError(session.redact(f"{session.name}: {result.status}: {result.error}"))
        running = session.running()
    return Outcome(
        status="planned",
        diff=result.diff,
        changed=False,
        in_sync=result.status == "unchanged",
        running_hash=config_hash(running),
    )


def apply(props: Mapping[str, Any], keep_baseline: bool = False, also_expect: Iterable[str] = ()) -> Outcome:
    """Back up, replace with commit-confirm, health-check, confirm (or roll back) one device.

    `also_expect`: more sessions that must be up afterwards (an update passes the peers its previous,
    successful apply configured: both ends of those were applied then, so they must survive the change
    even if one is flapping at the moment it starts).

    Raises `DeviceError` when the device is unreachable, the commit fails or the change was rolled
    back: Pulumi then records the operation as failed and leaves the previous state in place.
    """
    p = with_defaults(props)
    build_dir = Path(p["backupDir"])
    with Session(p) as session:
        desired = session.desired(p["config"])
        target, name = session.target, session.name
        outcome = DeviceApply(device=name, driver=target.driver)
        run = backups.run_id()
        baseline: list[str] = []
        expected_before: list[str] = []
        if p["health"]:
            expected_before = up_peers(session.call("get_bgp_neighbors"), p["peers"])

        def backup(text: str) -> str:
            stored, masked = session.inventory.backup_text(text)
            if not masked:  # the design's secrets as placeholders: restoring fills them in, as `desired` does
                baseline.append(stored)
            saved = backups.save(
                build_dir, session.inventory.scope, run, name, target.driver, target.nos, stored, redacted=masked
            )
            return str(saved.path)

        revert_in = confirm_seconds(target, int(p["confirmSeconds"]))
        session.run(lambda task: push_task(task, desired, outcome, revert_in, backup, session.redact))
        if outcome.status in ("unreachable", "failed"):
            raise DeviceError(session.redact(f"{name}: {outcome.status}: {outcome.error}"))
        health = Health(ok=True)
        if outcome.pending and p["health"]:
            wanted = set(p["peers"])
            expected = sorted((set(p["settledPeers"]) | set(expected_before) | set(also_expect)) & wanted)
            health = session.run(
                lambda task: health_task(task, expected, float(p["healthTimeout"]), float(p["settle"]), session.redact)
            )
        if outcome.pending and not health.ok:
            message = session.run(lambda task: rollback_task(task, outcome, session.redact))
            state = "rollback FAILED: " + message if message else "rolled back to the backup"
            raise DeviceError(
                session.redact(
                    f"{name}: {health.describe()}; {state} ({outcome.backup}); "
                    f"the attempted change was:\n{outcome.diff}"
                )
            )
        if outcome.pending:
            message = session.run(lambda task: confirm_task(task, outcome, session.redact))
            if message:
                raise DeviceError(session.redact(f"{name}: {message}"))
            outcome.status, outcome.confirmed = "applied", outcome.commit_confirm
        running = session.running()
    return Outcome(
        status=outcome.status,
        diff=outcome.diff,
        changed=bool(outcome.diff.strip()),
        in_sync=True,
        running_hash=config_hash(running),
        backup=outcome.backup,
        confirmed=outcome.confirmed,
        health=health.as_dict(),
        baseline=baseline[0] if keep_baseline and baseline else "",
    )
