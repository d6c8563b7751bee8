"""`netweave plan`, `netweave apply`, `netweave rollback`: the design onto devices through NAPALM.

Everything here is presentation: resolving options into an inventory and desired configs, asking for
confirmation, drawing the progress bar and rendering the per-device results as text, JSON or markdown.
The work itself is `netweave.apply`.
"""

from __future__ import annotations

import dataclasses
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from netweave.cli.app import (
    EXIT_FAILED,
    EXIT_INVALID,
    app,
    emit_json,
    noun_for,
    plural,
    real_console,
    reports_problems,
    stderr,
    stdout,
)
from netweave.errors import DesignError, Problem

if TYPE_CHECKING:  # the apply stage imports Nornir and NAPALM: load them only when a command runs
    from netweave.apply import ApplyOptions, DesiredSet, PlanReport
    from netweave.apply.inventory import Inventory
    from netweave.pipeline import Validated

STATUS_STYLE = {
    "changed": "yellow",
    "unchanged": "green",
    "applied": "green",
    "unreachable": "red",
    "failed": "red",
    "rolled-back": "magenta",
    "skipped": "dim",
}


class ReportFormat(StrEnum):
    text = "text"
    json = "json"
    markdown = "markdown"


class OnFailure(StrEnum):
    stop = "stop"
    rollback = "rollback"
    continue_ = "continue"


DesignArg = typer.Argument(..., help="design YAML file", show_default=False)
OnlyOpt = typer.Option(None, "--only", help="just this device (repeatable)")
InventoryOpt = typer.Option(
    None, "--inventory", "-i", help="inventory YAML (default: $NETWEAVE_INVENTORY; else the design's mgmt addresses)"
)
LabOpt = typer.Option(None, "--lab", help="target the running FRR lab of this name (netweave lab up)")
BuildOpt = typer.Option(None, "--output", "-o", help="where backups go (default: build/<design name>)")
FormatOpt = typer.Option(ReportFormat.text, "--format", "-f", help="text, json or markdown")
AskOpt = typer.Option(False, "--ask-password", help="prompt for the password (instead of $NETWEAVE_PASSWORD)")
WorkersOpt = typer.Option(20, "--workers", help="devices worked on in parallel")
LockWaitOpt = typer.Option(
    0.0, "--lock-wait", help="seconds to wait for another netweave run holding one of the devices (default: refuse)"
)


@dataclass
class Setup:
    """What a command works on: the validated design, the inventory and the configs to push."""

    result: Validated
    inventory: Inventory
    desired: DesiredSet | None
    build_dir: Path


def _require_apply_extra() -> None:
    """plan/apply/rollback need NAPALM and Nornir (the `napalm` extra); say so instead of a traceback."""
    try:
        import napalm  # noqa: F401
        import nornir  # noqa: F401
        import nornir_napalm  # noqa: F401
    except ImportError as exc:
        stderr.print(
            f"this command needs the NAPALM extra ({exc.name} is missing): pip install 'netweave[napalm]'", markup=False
        )
        raise typer.Exit(EXIT_FAILED) from None


def _setup(
    design: Path,
    only: list[str] | None,
    inventory_file: Path | None,
    lab: str | None,
    build_dir: Path | None,
    ask_password: bool,
    backups_only: bool = False,
) -> Setup:
    """Resolve the common options; `DesignError` (exit 2) for anything the user must fix."""
    _require_apply_extra()
    from netweave.apply import lab_rendered, rendered
    from netweave.apply.desired import Desired, login_problem
    from netweave.apply.inventory import build_inventory, lab_inventory, load_inventory_file
    from netweave.pipeline import require_clean, validate

    result = require_clean(validate(design))
    network = result.network
    names = [d.name for d in network.devices]
    if only:
        unknown = [n for n in only if n not in network.device_by_name]
        if unknown:
            raise DesignError(
                [
                    Problem(
                        f"--only names unknown {noun_for(len(unknown), 'device')}: {', '.join(unknown)}",
                        file=str(design),
                        hint=f"devices: {', '.join(names)}",
                    )
                ]
            )
        names = [n for n in names if n in set(only)]
    inventory_file = inventory_file or (
        Path(os.environ["NETWEAVE_INVENTORY"]) if os.environ.get("NETWEAVE_INVENTORY") and lab is None else None
    )
    if lab is not None and inventory_file is not None:
        raise DesignError(
            [
                Problem(
                    "--lab and --inventory are alternatives: a lab is reached through its "
                    "namespaces, devices through the inventory",
                    hint="drop one of them",
                )
            ]
        )
    directory = build_dir or Path("build") / result.design.name
    if lab is not None:
        from netweave.lab.naming import lab_name_problem

        if (problem := lab_name_problem(lab)) is not None:
            raise DesignError([Problem(problem, hint="the name given to `netweave lab up --name`")])
        desired, emulated = lab_rendered(network, names, lab)
        return Setup(result, lab_inventory(network, names, lab, emulated), desired, directory)
    password = None
    if ask_password:
        password = typer.prompt("password", hide_input=True, default="", show_default=False, err=True)
    file = load_inventory_file(inventory_file) if inventory_file is not None else None
    inventory = build_inventory(network, names, file, password=password)
    if backups_only:
        return Setup(result, inventory, None, directory)
    desired = rendered(network, names, design_secret)
    for name, target in inventory.targets.items():
        problem = login_problem(network, name, target.credentials.username)
        if problem and name in desired.devices:
            desired.devices[name] = Desired(device=name, error=problem)
    masked = dataclasses.replace(inventory, design_secrets=dict(desired.secret_values))
    return Setup(result, masked, desired, directory)


def design_secret(token: str) -> str | None:
    """A design secret's value at apply time: the environment variable named like its placeholder
    (`NETWEAVE_SECRET_ADMIN_PASSWORD`), else a hidden prompt when a person is at the terminal."""
    value = os.environ.get(token)
    if value or not sys.stdin.isatty():
        return value or None
    answer: str = typer.prompt(f"secret {token}", hide_input=True, default="", show_default=False, err=True)
    return answer or None


def _notes(notes: list[str]) -> None:
    for note in notes:
        stderr.print(f"note: {note}", markup=False)


def _status(status: str) -> str:
    style = STATUS_STYLE.get(status, "")
    return f"[{style}]{status}[/{style}]" if style else status


@app.command("plan")
@reports_problems
def plan_cmd(
    design: Path = DesignArg,
    only: list[str] = OnlyOpt,
    inventory: Path = InventoryOpt,
    lab: str = LabOpt,
    output_format: ReportFormat = FormatOpt,
    ask_password: bool = AskOpt,
    workers: int = WorkersOpt,
    lock_wait: float = LockWaitOpt,
) -> None:
    """Show what `apply` would change on each device (load as replace candidate, compare, discard).

    Unreachable devices are reported and do not stop the others. Exit 0 when every device was compared,
    1 when some could not be, 2 for invalid input.

    Design secrets come from $NETWEAVE_SECRET_<NAME> as for `apply`; the diff shows them masked.

    Example: netweave plan stacks/lab/design.yaml --lab lab --format markdown
    """
    from netweave.apply import ApplyOptions, plan

    if problems := ApplyOptions(workers=workers, lock_wait=lock_wait).problems():
        raise DesignError([Problem(p, path=p.split()[0]) for p in problems])
    setup = _setup(design, only, inventory, lab, None, ask_password)
    with stderr.status(f"comparing {plural(len(setup.inventory.targets), 'device')}", spinner="dots"), _busy_fails():
        assert setup.desired is not None
        report = plan(setup.inventory, setup.desired, workers=workers, lock_wait=lock_wait)
    if output_format is ReportFormat.json:
        emit_json(report.as_dict())
    elif output_format is ReportFormat.markdown:
        sys.stdout.write(_plan_markdown(report, design))
    else:
        _print_plan(report)
    if not report.ok:
        raise typer.Exit(EXIT_FAILED)


def _print_plan(report: PlanReport) -> None:
    """The human view of a plan: each changed device's diff, each unreachable device's error, a summary."""
    from rich.markup import escape  # rich loads when something is printed, not for `--help`

    _notes(report.notes)
    for device in report.devices:
        if device.status == "changed":
            stdout.print(f"[bold yellow]~ {escape(device.device)}[/] ({escape(device.driver)})")
            stdout.print(device.diff.rstrip("\n"), markup=False, highlight=False)
        elif device.status in ("unreachable", "failed"):
            stdout.print(f"[bold red]! {escape(device.device)}[/] {device.status}: {escape(device.error)}")
    stdout.print(", ".join(f"{n} {status}" for status, n in report.counts.items()), markup=False)


def _plan_markdown(report: PlanReport, design: Path) -> str:
    counts = report.counts
    lines = [f"### netweave plan `{design}`", "", " · ".join(f"**{n}** {status}" for status, n in counts.items()), ""]
    lines += [f"> {note}" for note in report.notes] + ([""] if report.notes else [])
    lines += ["| device | driver | status |", "|---|---|---|"]
    lines += [f"| {d.device} | {d.driver} | {d.status} |" for d in report.devices]
    for d in report.devices:
        if d.status == "changed":
            lines += [
                "",
                f"<details><summary>{d.device}</summary>",
                "",
                "```diff",
                d.diff.rstrip("\n"),
                "```",
                "",
                "</details>",
            ]
        elif d.error:
            lines += ["", f"**{d.device}** {d.status}: {d.error}"]
    return "\n".join(lines) + "\n"


def stdin_is_terminal() -> bool:
    """Whether someone can answer a prompt (a function so tests can stand in for a terminal)."""
    return sys.stdin.isatty()


@contextmanager
def _busy_fails() -> Iterator[None]:
    """A device locked by another run: say so and exit 1 (nothing was touched)."""
    from netweave.hostlock import LockBusy

    try:
        yield
    except LockBusy as exc:
        stderr.print(str(exc), markup=False)
        raise typer.Exit(EXIT_FAILED) from None


def _confirm_or_refuse(setup: Setup, what: str, yes: bool, options: ApplyOptions) -> None:
    """Show the plan and ask on a terminal; refuse (exit 2) when nobody can answer, so a pipeline never
    changes devices by accident. With nothing to change, say so and stop (exit 0)."""
    if yes:
        return
    if not stdin_is_terminal():
        stderr.print(
            "refusing to change devices without confirmation: stdin is not a terminal "
            "(pass --yes to apply non-interactively)",
            markup=False,
        )
        raise typer.Exit(EXIT_INVALID)
    from netweave.apply import plan

    assert setup.desired is not None
    with stderr.status("comparing with the running configs", spinner="dots"), _busy_fails():
        report = plan(setup.inventory, setup.desired, workers=options.workers, lock_wait=options.lock_wait)
    _print_plan(report)
    changed = report.counts["changed"]
    if not changed:
        stdout.print("nothing to change", markup=False)
        raise typer.Exit(0 if report.ok else EXIT_FAILED)
    if not typer.confirm(f"{what} {plural(changed, 'changed device')}?", default=False, err=True):
        stderr.print("nothing changed", markup=False)
        raise typer.Exit(EXIT_FAILED)


def _run_apply(setup: Setup, options: ApplyOptions, output_format: ReportFormat, title: str, yes: bool) -> None:
    from rich.progress import Progress  # rich's live widgets: imported when a command runs, not for `--help`

    from netweave.apply import apply

    total = len(setup.inventory.targets)
    assert setup.desired is not None
    if output_format is ReportFormat.text and yes:  # (without --yes the plan already showed them)
        _notes(setup.inventory.notes)
    with Progress(console=real_console(stderr), transient=True, disable=not stderr.is_terminal) as bar, _busy_fails():
        task = bar.add_task(title, total=total)
        report = apply(
            setup.inventory,
            setup.desired,
            setup.build_dir,
            options,
            progress=lambda outcome: bar.update(
                task, advance=1, description=f"{title}: {outcome.device} {outcome.status}"
            ),
        )
    if output_format is ReportFormat.json:
        emit_json(report.as_dict())
    elif output_format is ReportFormat.markdown:
        lines = [
            f"### netweave {title}",
            "",
            " · ".join(f"**{n}** {s}" for s, n in report.counts.items() if n),
            "",
            "| device | batch | status | health | detail |",
            "|---|---|---|---|---|",
        ]
        lines += [
            f"| {d.device} | {d.batch} | {d.status} | {d.health.describe() if d.health else ''} | "
            f"{'; '.join(filter(None, [d.error, *d.notes])).replace('|', '/')} |"
            for d in report.devices
        ]
        sys.stdout.write("\n".join(lines) + "\n")
    else:
        from rich.markup import escape
        from rich.table import Table

        table = Table(title=f"{title} (backups: run {report.run})")
        for column in ("device", "batch", "status", "confirmed", "health", "detail"):
            table.add_column(column)
        for d in report.devices:
            table.add_row(
                escape(d.device),
                str(d.batch),
                _status(d.status),
                "yes" if d.confirmed else "",
                escape(d.health.describe()) if d.health else "",
                escape("; ".join(filter(None, [d.error, *d.notes]))),
            )
        stdout.print(table)
        stdout.print(", ".join(f"{n} {s}" for s, n in report.counts.items() if n), markup=False)
    if not report.ok:
        raise typer.Exit(EXIT_FAILED)


def _options(
    confirm: int,
    batch: int,
    on_failure: OnFailure,
    health: bool,
    health_timeout: float,
    settle: float,
    workers: int,
    lock_wait: float,
) -> ApplyOptions:
    from netweave.apply import ApplyOptions

    options = ApplyOptions(
        confirm=confirm,
        batch=batch,
        on_failure=on_failure.value,
        health=health,
        health_timeout=health_timeout,
        settle=settle,
        workers=workers,
        lock_wait=lock_wait,
    )
    if problems := options.problems():
        raise DesignError([Problem(p, path=p.split()[0]) for p in problems])
    return options


@app.command("apply")
@reports_problems
def apply_cmd(
    design: Path = DesignArg,
    only: list[str] = OnlyOpt,
    inventory: Path = InventoryOpt,
    lab: str = LabOpt,
    confirm: int = typer.Option(120, "--confirm", help="seconds before an unconfirmed commit reverts on the device"),
    batch: int = typer.Option(1, "--batch", help="devices changed together (then health-checked and confirmed)"),
    on_failure: OnFailure = typer.Option(
        OnFailure.stop, "--on-failure", help="after a failed batch: stop, rollback (earlier batches too), continue"
    ),
    health_timeout: float = typer.Option(60.0, "--health-timeout", help="seconds for expected BGP sessions to come up"),
    settle: float = typer.Option(3.0, "--settle", help="seconds sessions must stay up before a batch is confirmed"),
    no_health: bool = typer.Option(False, "--no-health", help="confirm without checking BGP sessions"),
    yes: bool = typer.Option(False, "--yes", "-y", help="do not ask for confirmation"),
    build_dir: Path = BuildOpt,
    output_format: ReportFormat = FormatOpt,
    ask_password: bool = AskOpt,
    workers: int = WorkersOpt,
    lock_wait: float = LockWaitOpt,
) -> None:
    """Back up, then replace each device's config in batches with commit-confirm; check BGP health;
    confirm, or roll the batch back. A second apply of the same design changes nothing.

    Exit 0 when every device is applied or unchanged, 1 otherwise, 2 for invalid input.

    Design secrets (`{secret: bgp_key}`: passwords, AAA and BGP keys) come from $NETWEAVE_SECRET_<NAME>
    (exported from your secret store, never typed on the command line) or a hidden prompt, and are masked
    in every diff, report, log and backup.

    Example: netweave apply stacks/lab/design.yaml --lab lab --batch 2 --confirm 120 --yes
    """
    options = _options(confirm, batch, on_failure, not no_health, health_timeout, settle, workers, lock_wait)
    setup = _setup(design, only, inventory, lab, build_dir, ask_password)
    _confirm_or_refuse(setup, f"Apply {design} to", yes, options)
    _run_apply(setup, options, output_format, "apply", yes)


@app.command("rollback")
@reports_problems
def rollback_cmd(
    design: Path = DesignArg,
    only: list[str] = OnlyOpt,
    inventory: Path = InventoryOpt,
    lab: str = LabOpt,
    to: str = typer.Option(None, "--to", help="backup run id (or its directory); default: latest per device"),
    confirm: int = typer.Option(120, "--confirm", help="seconds before an unconfirmed commit reverts on the device"),
    batch: int = typer.Option(1, "--batch", help="devices restored together"),
    check_health: bool = typer.Option(
        False, "--check-health", help="require the design's BGP sessions after restoring"
    ),
    health_timeout: float = typer.Option(60.0, "--health-timeout", help="seconds for BGP sessions to come up"),
    yes: bool = typer.Option(False, "--yes", "-y", help="do not ask for confirmation"),
    build_dir: Path = BuildOpt,
    output_format: ReportFormat = FormatOpt,
    ask_password: bool = AskOpt,
    workers: int = WorkersOpt,
    lock_wait: float = LockWaitOpt,
) -> None:
    """Restore running-config backups taken by `apply` (the latest per device, or those of run --to).

    The restore is itself an apply (backed up, commit-confirmed, confirmed), so it can be undone too.

    Example: netweave rollback stacks/lab/design.yaml --lab lab --only leaf1 --yes
    """
    from netweave.apply import BackupMissing, desired_from_backups
    from netweave.secrets import SecretError

    options = _options(confirm, batch, OnFailure.continue_, check_health, health_timeout, 3.0, workers, lock_wait)
    setup = _setup(design, only, inventory, lab, build_dir, ask_password, backups_only=True)
    network = setup.desired.network if setup.desired is not None else setup.result.network
    try:
        setup.desired = desired_from_backups(
            network, list(setup.inventory.targets), setup.build_dir, setup.inventory.scope, to, design_secret
        )
    except BackupMissing as exc:
        stderr.print(f"cannot roll back: {exc}", markup=False)
        raise typer.Exit(EXIT_INVALID if to else EXIT_FAILED) from None
    except SecretError as exc:
        stderr.print(f"cannot roll back: {exc}", markup=False)
        raise typer.Exit(EXIT_FAILED) from None
    setup.inventory = dataclasses.replace(setup.inventory, design_secrets=dict(setup.desired.secret_values))
    _confirm_or_refuse(setup, "Restore the backups of", yes, options)
    _run_apply(setup, options, output_format, "rollback", yes)
