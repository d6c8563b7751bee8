"""The apply run: batches of devices, each backed up, committed with confirm, health-checked, confirmed.

One batch at a time::

    push (parallel)   back up running -> load replace candidate -> diff -> commit(revert_in=confirm)
    health (parallel) every expected BGP session up and staying up, within health_timeout
    confirm           when the whole batch is healthy
    rollback          when any device of the batch failed to commit or is unhealthy: every device of
                      the batch that committed is rolled back (explicitly; a device we cannot reach
                      any more reverts on its own when its commit-confirm timer expires)

Which sessions a device must have up: those that were up before its change (read just before the
backup), and those to peers that are settled, i.e. outside this run (assumed configured), unchanged by
it (a later batch's device whose running config already is the desired one: compared once before the
first batch), or already applied in it (earlier batches and healthy devices of this one). A full apply puts the
spines first; their leaves are configured and Established, so a spine change that breaks them is caught
(it used to be confirmed with "no session to check yet"). Sessions that were not up and go to peers still
waiting for a later batch, unreachable or failed are not held against a device, so a fresh fabric can be
brought up in batches and one unreachable leaf does not roll its spines back. A change that needs both
ends of an up session at once (renumbering an ASN) therefore needs both devices in one batch.

After a failed batch, `on_failure` decides: `stop` (default: later batches are skipped), `rollback`
(also roll back the batches already confirmed in this run, then stop) or `continue`.
Unreachable devices are reported and change nothing; they do not fail their batch.
"""

from __future__ import annotations

import io
import logging
import math
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager, redirect_stdout
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from nornir.core import Nornir
from nornir.core.filter import F
from nornir.core.task import AggregatedResult, Result, Task

import netweave.apply.backups as backups
from netweave.apply.desired import DesiredSet
from netweave.apply.fleet import (
    confirm_seconds,
    confirm_task,
    health_task,
    make_nornir,
    plan_task,
    push_task,
    rollback_task,
)
from netweave.apply.health import Health
from netweave.apply.inventory import Inventory
from netweave.apply.results import ApplyReport, DeviceApply, DevicePlan, PlanReport
from netweave.hostlock import host_locks

OnFailure = Literal["stop", "rollback", "continue"]


@dataclass(frozen=True)
class ApplyOptions:
    confirm: int = 120
    """Seconds a commit may stay unconfirmed before the device reverts it (drivers with commit-confirm)."""
    batch: int = 1
    on_failure: OnFailure = "stop"
    health: bool = True
    health_timeout: float = 60.0
    settle: float = 3.0
    workers: int = 20
    lock_wait: float = 0.0
    """Seconds to wait for another netweave run that holds one of the devices (0: refuse at once)."""

    def problems(self) -> list[str]:
        """Why these options cannot work (empty when they can)."""
        out = []
        if self.workers < 1:
            out.append(f"--workers must be at least 1, not {self.workers}")
        timings = (
            ("--health-timeout", self.health_timeout),
            ("--settle", self.settle),
            ("--lock-wait", self.lock_wait),
        )
        for option, value in timings:
            if not math.isfinite(value) or value < 0:
                out.append(f"{option} must be a finite number of seconds, 0 or more, not {value!r}")
        if out:
            return out  # the comparison below means nothing with these values
        if self.batch < 1:
            out.append("--batch must be at least 1")
        if self.confirm < 1:
            out.append("--confirm must be a positive number of seconds")
        if self.health and self.confirm <= self.health_timeout + self.settle:
            out.append(
                f"--confirm ({self.confirm} s) must exceed the health check time "
                f"({self.health_timeout:g} s timeout + {self.settle:g} s settle), or every change "
                "would revert before it is confirmed"
            )
        return out


Progress = Callable[[DeviceApply], None]


@contextmanager
def redacted_logging(redact: Callable[[str], str]) -> Iterator[None]:
    """Mask credentials in every log record created meanwhile, whichever library logs it.

    Drivers log device responses at debug level (pyeapi logs whole eAPI answers), and a device may echo
    what it was sent. Records are redacted where they are created, so no handler (file, syslog, pytest)
    ever sees the secret.
    """
    previous = logging.getLogRecordFactory()

    def factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record = previous(*args, **kwargs)
        try:
            message = record.getMessage()
        except Exception:  # a malformed record stays as the library made it, minus its arguments
            message = str(record.msg)
        masked = redact(message)
        if masked != message or record.args:
            record.msg, record.args = masked, ()
        return record

    logging.setLogRecordFactory(factory)
    try:
        yield
    finally:
        logging.setLogRecordFactory(previous)


class _RedactedStderr(io.TextIOBase):
    """A text stream that masks credentials and writes to the stderr of the moment it was made."""

    def __init__(self, redact: Callable[[str], str]) -> None:
        self.redact = redact
        self.target = sys.stderr

    def write(self, text: str) -> int:
        self.target.write(self.redact(text))
        return len(text)

    def flush(self) -> None:
        self.target.flush()


@contextmanager
def driver_prints_to_stderr(redact: Callable[[str], str]) -> Iterator[None]:
    """While drivers run, what they print goes to stderr, redacted, instead of stdout.

    napalm-sros print()s every failed NETCONF/SSH open and getter ("Error in opening netconf connection :
    ..."), which on stdout corrupted `--format json` exactly when a device was unreachable. netweave's own
    progress is on stderr and its report is printed after the run, so stdout carries only the report.
    """
    with redirect_stdout(_RedactedStderr(redact)):
        yield


def device_locks(inventory: Inventory) -> list[tuple[str, str]]:
    """One host-wide lock per target device: (key, name in messages).

    The key is how the device is reached (driver, address, port, namespace), so two runs of different
    designs, or of a design and a lab, that reach the same device share its lock. A driver's own port option
    (napalm-srlinux's `jsonrpc_port`, ...) is part of the address: without it every SR Linux device behind one
    address (a port-forwarded lab) shared one lock.
    """
    out = []
    for name, target in inventory.targets.items():
        args = target.optional_args
        ports = ",".join(f"{key}={value}" for key, value in sorted(args.items()) if key.endswith("port"))
        where = (
            f"{target.driver}|{target.host}|{target.port or ''}|{ports}|{args.get('netns', '')}|"
            f"{args.get('pathspace', '')}"
        )
        out.append((f"device|{where}", f"device {name}"))
    return out


def plan(inventory: Inventory, desired: DesiredSet, workers: int = 20, lock_wait: float = 0.0) -> PlanReport:
    """Diff every target's running config against its desired config; changes nothing.

    Holds every target's lock (`netweave.hostlock`): loading a candidate on a device another run is
    changing would overwrite that run's candidate. `LockBusy` when one is held beyond `lock_wait` s.
    """
    nornir = make_nornir(inventory, workers)
    report = PlanReport(notes=list(inventory.notes))
    with (
        host_locks(device_locks(inventory), lock_wait),
        redacted_logging(inventory.redact),
        driver_prints_to_stderr(inventory.redact),
    ):
        try:
            results = nornir.run(task=_plan_one, desired=desired, redact=inventory.redact, on_failed=True)
        finally:
            nornir.close_connections(on_failed=True)
    for name in inventory.targets:
        report.devices.append(_result(results, name, DevicePlan(name, inventory.targets[name].driver, "failed")))
    return report


def _plan_one(task: Task, desired: DesiredSet, redact: Callable[[str], str]) -> Result:
    return plan_task(task, desired.devices[task.host.name], redact)


def _result(results: AggregatedResult, name: str, fallback: Any) -> Any:
    """The task's own result object, or `fallback` when the task itself broke (our tasks catch their
    errors, so this only guards against bugs; the exception text is not shown: it is not redacted)."""
    multi = results.get(name)
    if multi is None or not len(multi):
        return fallback
    first = multi[0]
    if first.exception is not None:
        if isinstance(fallback, DevicePlan | DeviceApply):
            fallback.error = f"internal error: {type(first.exception).__name__}"
        return fallback
    return first.result


def apply(
    inventory: Inventory, desired: DesiredSet, build_dir: Path, options: ApplyOptions, progress: Progress | None = None
) -> ApplyReport:
    """Apply `desired` to every target in batches (see the module docstring); returns per-device results.

    Every target's lock is held from before the first backup until after the last confirm or rollback,
    so a second run on any of these devices waits `options.lock_wait` s, then gets `LockBusy` having
    touched nothing.
    """
    with (
        host_locks(device_locks(inventory), options.lock_wait),
        redacted_logging(inventory.redact),
        driver_prints_to_stderr(inventory.redact),
    ):
        return _apply(inventory, desired, build_dir, options, progress)


def _apply(
    inventory: Inventory, desired: DesiredSet, build_dir: Path, options: ApplyOptions, progress: Progress | None
) -> ApplyReport:
    run = backups.run_id()
    report = ApplyReport(notes=list(inventory.notes), run=run)
    names = list(inventory.targets)
    outcomes = {n: DeviceApply(device=n, driver=inventory.targets[n].driver) for n in names}
    report.devices = [outcomes[n] for n in names]
    batches = [names[i : i + options.batch] for i in range(0, len(names), options.batch)]
    for number, batch in enumerate(batches, start=1):
        for name in batch:
            outcomes[name].batch = number
    confirmed_batches: list[list[str]] = []
    state = _Run(
        make_nornir(inventory, options.workers),
        inventory,
        desired,
        build_dir,
        options,
        run,
        outcomes,
        settled=set(desired.network.device_by_name) - set(names),
    )
    try:
        if options.health and len(batches) > 1:
            state.settled |= _unchanged(state.nornir, inventory, desired, batches[1:])
        for index, batch in enumerate(batches):
            failed = state.run_batch(batch)
            _report_progress(progress, [outcomes[name] for name in batch])
            if not failed:
                confirmed_batches.append([n for n in batch if outcomes[n].status == "applied"])
            elif options.on_failure != "continue":
                _stop_after_failure(state, confirmed_batches, batches[index + 1 :], progress)
                break
    finally:
        state.nornir.close_connections(on_failed=True)
    return report


def _unchanged(nornir: Nornir, inventory: Inventory, desired: DesiredSet, later: list[list[str]]) -> set[str]:
    """Devices of later batches whose running config already is the desired one.

    Why: the run leaves them as they are, so a session to them must come up when an earlier batch is
    healthy, even one that was down before the change (a spine fixed while its unchanged leaves wait).
    Costs one compare per later device, under the run's locks.
    """
    names = [n for batch in later for n in batch]
    results = nornir.filter(F(name__in=names)).run(
        task=_plan_one, desired=desired, redact=inventory.redact, on_failed=True
    )
    found = (_result(results, n, DevicePlan(n, inventory.targets[n].driver, "failed")) for n in names)
    return {plan.device for plan in found if plan.status == "unchanged"}


def _report_progress(progress: Progress | None, outcomes: list[DeviceApply]) -> None:
    if progress is not None:
        for outcome in outcomes:
            progress(outcome)


def _stop_after_failure(
    state: _Run, confirmed_batches: list[list[str]], later: list[list[str]], progress: Progress | None
) -> None:
    """After a failed batch: with `rollback`, undo the batches confirmed earlier; skip every later batch."""
    on_failure = state.options.on_failure
    if on_failure == "rollback":
        for earlier in reversed(confirmed_batches):
            _rollback(state.nornir, state.inventory, earlier, state.outcomes, reason="a later batch failed")
    for batch in later:
        for name in batch:
            state.outcomes[name].error = f"skipped: an earlier batch failed (--on-failure {on_failure})"
        _report_progress(progress, [state.outcomes[name] for name in batch])


@dataclass
class _Run:
    """What every batch of one apply run shares: the connections, the configs, and each device's outcome."""

    nornir: Nornir
    inventory: Inventory
    desired: DesiredSet
    build_dir: Path
    options: ApplyOptions
    run: str
    outcomes: dict[str, DeviceApply]
    settled: set[str]
    """Devices whose sessions a device must have up: outside this run, or applied in it."""
    bad: set[str] = field(default_factory=set)
    """Devices unreachable, failed or rolled back in this run (their sessions are not held against others)."""

    def run_batch(self, batch: list[str]) -> bool:
        """Push, check and confirm (or roll back) one batch; True when the batch failed."""
        self._push(batch)
        pending = [n for n in batch if self.outcomes[n].pending]
        committed_failed = any(self.outcomes[n].status == "failed" for n in batch)
        unhealthy = bool(pending) and self.options.health and not committed_failed and not self._healthy(batch, pending)
        if committed_failed or unhealthy:
            why = "health check failed in this batch" if unhealthy else "another device of this batch failed"
            _rollback(self.nornir, self.inventory, pending, self.outcomes, reason=why)
            self.bad.update(batch)
            return True
        if pending:
            self._confirm(pending)
        self.settled.update(n for n in batch if n not in self.bad)
        return any(self.outcomes[n].status == "failed" for n in batch)

    def _push(self, batch: list[str]) -> None:
        """Back up, load and commit (with confirm) every device of the batch in parallel."""
        inventory, options = self.inventory, self.options

        def push(task: Task) -> Result:
            name = task.host.name
            target = inventory.targets[name]

            def backup(text: str) -> str:
                stored, masked = inventory.backup_text(text)
                saved = backups.save(
                    self.build_dir, inventory.scope, self.run, name, target.driver, target.nos, stored, redacted=masked
                )
                if saved.redacted:
                    self.outcomes[name].notes.append(
                        f"backup {saved.path} has a credential masked, so `netweave rollback` cannot restore it; "
                        "keep another way back to this device's previous config"
                    )
                return str(saved.path)

            return push_task(
                task,
                self.desired.devices[name],
                self.outcomes[name],
                confirm_seconds(target, options.confirm),
                backup,
                inventory.redact,
            )

        self.nornir.filter(F(name__in=batch)).run(task=push, on_failed=True)
        self.bad.update(n for n in batch if self.outcomes[n].status in ("unreachable", "failed"))

    def _healthy(self, batch: list[str], pending: list[str]) -> bool:
        """Whether every committed device has its expected BGP sessions up (recorded on each outcome)."""
        ready = self.settled | {n for n in batch if n not in self.bad}
        expected = {
            n: [
                key for key, peer in self.desired.devices[n].peers if peer in ready or key in self.outcomes[n].up_before
            ]
            for n in pending
        }
        options, redact = self.options, self.inventory.redact

        def check(task: Task) -> Result:
            return health_task(task, expected[task.host.name], options.health_timeout, options.settle, redact)

        results = self.nornir.filter(F(name__in=pending)).run(task=check, on_failed=True)
        healthy = True
        for name in pending:
            health = _result(results, name, Health(ok=False, error="health check did not run"))
            self.outcomes[name].health = health
            healthy &= health.ok
        return healthy

    def _confirm(self, pending: list[str]) -> None:
        """Confirm the batch's commits; a device whose confirm fails is failed (its timer reverts it)."""
        outcomes, redact = self.outcomes, self.inventory.redact

        def confirm(task: Task) -> Result:
            return confirm_task(task, outcomes[task.host.name], redact)

        results = self.nornir.filter(F(name__in=pending)).run(task=confirm, on_failed=True)
        for name in pending:
            message = _result(results, name, "confirm did not run")
            outcome = outcomes[name]
            outcome.pending = False
            if message:
                outcome.status, outcome.error = "failed", message
                self.bad.add(name)
            else:
                outcome.status, outcome.confirmed = "applied", outcome.commit_confirm


def _rollback(
    nornir: Nornir, inventory: Inventory, names: list[str], outcomes: dict[str, DeviceApply], reason: str
) -> None:
    if not names:
        return

    def undo(task: Task) -> Result:
        return rollback_task(task, outcomes[task.host.name], inventory.redact)

    results = nornir.filter(F(name__in=names)).run(task=undo, on_failed=True)
    for name in names:
        outcome = outcomes[name]
        message = _result(results, name, "rollback did not run")
        outcome.pending = False
        outcome.confirmed = False
        if message:
            outcome.status = "failed"
            outcome.error = "; ".join(filter(None, [outcome.error, message]))
        else:
            outcome.status = "rolled-back"
            detail = outcome.health.describe() if outcome.health and not outcome.health.ok else reason
            outcome.error = "; ".join(filter(None, [outcome.error, f"rolled back: {detail}"]))
