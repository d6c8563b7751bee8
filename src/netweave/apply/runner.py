"""The apply run: batches of devices, each backed up, committed with confirm, health-checked, confirmed.

One batch at a time::

    push (parallel)   back up running -> load replace candidate -> diff -> commit(revert_in=confirm)
    health (parallel) every expected BGP session up and staying up, within health_timeout
    confirm           when the whole batch is healthy
    rollback          when any device of the batch failed to commit or is unhealthy: every device of
                      the batch that committed is rolled back (explicitly; a device we cannot reach
                      any more reverts on its own when its commit-confirm timer expires)

Which sessions a device must have up: those to peers that are settled, i.e. outside this run (assumed
configured) or already applied in it (earlier batches and healthy devices of this one). Sessions to
peers still waiting for a later batch, unreachable or failed are not held against a device, so a
fresh fabric can be brought up in batches and one unreachable leaf does not roll its spines back.

After a failed batch, `on_failure` decides: `stop` (default: later batches are skipped), `rollback`
(also roll back the batches already confirmed in this run, then stop) or `continue`.
Unreachable devices are reported and change nothing; they do not fail their batch.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from nornir.core import Nornir
from nornir.core.filter import F
from nornir.core.task import AggregatedResult, Result, Task

from netweave.apply import backups
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

    def problems(self) -> list[str]:
        """Why these options cannot work (empty when they can)."""
        out = []
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


def plan(inventory: Inventory, desired: DesiredSet, workers: int = 20) -> PlanReport:
    """Diff every target's running config against its desired config; changes nothing."""
    nornir = make_nornir(inventory, workers)
    report = PlanReport(notes=list(inventory.notes))
    with redacted_logging(inventory.redact):
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
    """Apply `desired` to every target in batches (see the module docstring); returns per-device results."""
    with redacted_logging(inventory.redact):
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
                masked = inventory.redact(text)
                saved = backups.save(
                    self.build_dir,
                    inventory.scope,
                    self.run,
                    name,
                    target.driver,
                    target.nos,
                    masked,
                    redacted=masked != text,
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
        expected = {n: [key for key, peer in self.desired.devices[n].peers if peer in ready] for n in pending}
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
