"""Nornir plumbing: our inventory as a Nornir inventory, and the per-device tasks plan/apply run.

Nornir finds the NAPALM driver by name (`platform` -> `napalm.get_network_driver`), so `frr` resolves
to netweave's driver through the `napalm_frr` shim like any third-party driver. Connections stay open
on the Nornir hosts between runs: the commit of a batch, its health check and its confirm (or
rollback) use the same driver instance, which EOS (config session) and SR Linux (checkpoint) need.

Every task catches its own exceptions and returns a result object with a redacted message, so
Nornir never records a traceback that could carry a credential or a library internal.
"""

from __future__ import annotations

import contextlib
import math
from collections.abc import Callable
from typing import Any

from nornir.core import Nornir
from nornir.core.task import Result, Task

from netweave.apply.desired import Desired
from netweave.apply.health import Health, sessions_down, wait_healthy
from netweave.apply.inventory import Inventory, Target
from netweave.apply.results import DeviceApply, DevicePlan
from netweave.nos import napalm_drivers

CONNECTION = "napalm"


def make_nornir(inventory: Inventory, workers: int) -> Nornir:
    """A Nornir with one host per target and the threaded runner (`workers` devices at a time)."""
    from nornir.core.configuration import Config, LoggingConfig
    from nornir.core.inventory import ConnectionOptions, Defaults, Groups, Host, Hosts
    from nornir.core.inventory import Inventory as NornirInventory
    from nornir.core.plugins.connections import ConnectionPluginRegister
    from nornir.plugins.runners import ThreadedRunner

    ConnectionPluginRegister.auto_register()  # nornir_napalm registers "napalm" through an entry point
    hosts = Hosts()
    for name, target in inventory.targets.items():
        extras: dict[str, Any] = {"optional_args": dict(target.optional_args), "timeout": target.timeout}
        hosts[name] = Host(
            name=name,
            hostname=target.host,
            port=target.port,
            platform=target.driver,
            username=target.credentials.username,
            password=target.credentials.password,
            connection_options={CONNECTION: ConnectionOptions(extras=extras)},
        )
    config = Config(logging=LoggingConfig(enabled=False))  # nornir would otherwise log to ./nornir.log
    return Nornir(
        inventory=NornirInventory(hosts=hosts, groups=Groups(), defaults=Defaults()),
        runner=ThreadedRunner(num_workers=max(1, workers)),
        config=config,
    )


def _error(exc: BaseException, redact: Callable[[str], str]) -> str:
    text = str(exc).strip() or type(exc).__name__
    return redact(f"{type(exc).__name__}: {text}" if type(exc).__name__ not in text else text)


def _connection(task: Task) -> Any:
    return task.host.get_connection(CONNECTION, task.nornir.config)


def confirm_seconds(target: Target, confirm: int) -> int | None:
    """`revert_in` for this target: None when its driver has no commit-confirm, else rounded up to the
    driver's timer granularity (Junos counts minutes)."""
    step = target.confirm_step
    if step is None:
        return None
    return int(math.ceil(confirm / step) * step)


def napalm_keep(driver: str) -> Callable[[str, str], str] | None:
    """`Napalm.keep` of the NOS profile whose driver is `driver` (None for a driver no profile describes)."""
    napalm = napalm_drivers().get(driver)
    return napalm.keep if napalm is not None else None


def _candidate(task: Task, conn: Any, config: str, running: str | None = None) -> str:
    """The config to load: the rendering, plus what its NOS keeps from the running config (`Napalm.keep`,
    e.g. SR Linux's TLS profile key); the running config is read only for a NOS that keeps something."""
    keep = napalm_keep(str(task.host.platform))
    if keep is None:
        return config
    if running is None:
        running = conn.get_config(retrieve="running")["running"]
    return keep(running, config)


def plan_task(task: Task, desired: Desired, redact: Callable[[str], str]) -> Result:
    """Load the desired config as a replace candidate, ask the device for the diff, discard."""
    plan = DevicePlan(device=task.host.name, driver=str(task.host.platform), status="failed")
    if desired.error:
        plan.error = desired.error
        return Result(host=task.host, result=plan)
    try:
        conn = _connection(task)
    except Exception as exc:
        plan.status, plan.error = "unreachable", _error(exc, redact)
        return Result(host=task.host, result=plan)
    try:
        conn.load_replace_candidate(config=_candidate(task, conn, desired.config))
        plan.diff = redact(conn.compare_config() or "")
        plan.status = "changed" if plan.diff.strip() else "unchanged"
    except Exception as exc:
        plan.error = _error(exc, redact)
    finally:
        try:
            conn.discard_config()
        except Exception as exc:
            plan.error = plan.error or f"discarding the candidate failed: {_error(exc, redact)}"
    return Result(host=task.host, result=plan)


def push_task(
    task: Task,
    desired: Desired,
    outcome: DeviceApply,
    revert_in: int | None,
    backup: Callable[[str], str],
    redact: Callable[[str], str],
) -> Result:
    """Back up the running config, load the desired one, diff, and commit (with confirm when possible).

    Leaves `outcome.pending` set when a commit was made: the caller health-checks, then confirms or
    rolls back. Nothing is committed when the diff is empty (a second apply changes nothing).
    """
    if desired.error:
        outcome.status, outcome.error = "failed", desired.error
        return Result(host=task.host, result=outcome)
    try:
        conn = _connection(task)
    except Exception as exc:
        outcome.status, outcome.error = "unreachable", _error(exc, redact)
        return Result(host=task.host, result=outcome)
    stage = "reading the BGP sessions"
    try:
        outcome.up_before = sessions_up(conn, [key for key, _ in desired.peers])
        stage = "reading the running config"
        running = conn.get_config(retrieve="running")["running"]
        outcome.backup = backup(running)
        stage = "loading the candidate"
        conn.load_replace_candidate(config=_candidate(task, conn, desired.config, running))
        stage = "comparing"
        outcome.diff = redact(conn.compare_config() or "")
        if not outcome.diff.strip():
            conn.discard_config()
            outcome.status = "unchanged"
            return Result(host=task.host, result=outcome)
        stage = "committing"
        if revert_in is not None:
            conn.commit_config(revert_in=revert_in)
            outcome.commit_confirm = True
        else:
            conn.commit_config()
        outcome.pending = True
    except Exception as exc:
        outcome.status, outcome.error = "failed", f"{stage}: {_error(exc, redact)}"
        with contextlib.suppress(Exception):  # the candidate may be gone; the error above is what matters
            conn.discard_config()
    return Result(host=task.host, result=outcome)


def sessions_up(conn: Any, expected: list[str]) -> list[str]:
    """Which of `expected` are up right now: the sessions a change must not break.

    A device that cannot report its sessions yet (no BGP configured: FRR answers nothing) has none up.
    """
    if not expected:
        return []
    down = set(sessions_down(conn.get_bgp_neighbors() or {}, expected))
    return [key for key in expected if key not in down]


def health_task(task: Task, expected: list[str], timeout: float, settle: float, redact: Callable[[str], str]) -> Result:
    """Wait for the device's expected BGP sessions (see `health.wait_healthy`)."""
    try:
        conn = _connection(task)
        health = wait_healthy(conn.get_bgp_neighbors, expected, timeout=timeout, settle=settle)
    except Exception as exc:
        health = Health(ok=False, expected=expected, error=f"health check failed: {_error(exc, redact)}")
    return Result(host=task.host, result=health)


def confirm_task(task: Task, outcome: DeviceApply, redact: Callable[[str], str]) -> Result:
    """Confirm a commit-confirm commit (a plain commit needs nothing)."""
    if not outcome.commit_confirm:
        return Result(host=task.host, result="")
    try:
        _connection(task).confirm_commit()
    except Exception as exc:
        return Result(
            host=task.host, result=f"confirm failed (the device reverts when its timer expires): {_error(exc, redact)}"
        )
    return Result(host=task.host, result="")


def rollback_task(task: Task, outcome: DeviceApply, redact: Callable[[str], str]) -> Result:
    """Undo this run's commit: reject a pending confirm, or restore the driver's pre-commit state."""
    try:
        _connection(task).rollback()
    except Exception as exc:
        timer = " the commit-confirm timer reverts it when it expires;" if outcome.commit_confirm else ""
        return Result(host=task.host, result=f"rollback failed;{timer} {_error(exc, redact)}")
    return Result(host=task.host, result="")
