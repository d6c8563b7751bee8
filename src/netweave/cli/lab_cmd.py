"""`netweave lab`: export containerlab topologies; run, verify and tear down an FRR lab in namespaces."""

from __future__ import annotations

import errno
import math
import os
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from netweave.cli.app import (
    EXIT_FAILED,
    EXIT_INVALID,
    OutputFormat,
    app,
    emit_json,
    plural,
    reports_problems,
    stderr,
    stdout,
)
from netweave.errors import DesignError, Problem

if TYPE_CHECKING:
    from netweave.lab.emulate import DesignLab
    from netweave.lab.state import LabState
    from netweave.pipeline import Validated

lab_app = typer.Typer(
    help="Labs: containerlab export, or real FRR daemons in network namespaces.", no_args_is_help=True
)
app.add_typer(lab_app, name="lab")

DEFAULT_STATE = Path("/var/lib/netweave/labs")


class ExportFormat(StrEnum):
    containerlab = "containerlab"


def _design(design: Path, allow_errors: bool) -> Validated:
    from netweave.pipeline import require_clean, validate  # when a command runs, not for `--help`

    result = validate(design)
    return result if allow_errors else require_clean(result)


def _name(result: Validated | None, name: str | None) -> str:
    """The lab name from --name (checked by the lab's naming rules: exit 2) or derived from the design."""
    from netweave.lab.emulate import lab_name
    from netweave.lab.naming import lab_name_problem

    if name is not None:
        if (problem := lab_name_problem(name)) is not None:
            raise DesignError([Problem(problem, path="--name")])
        return name
    assert result is not None
    return lab_name(result.design.name)


def _state_dir(state_dir: Path, create: bool) -> Path:
    """--state-dir as a usable directory (made when `create`); a located exit-2 problem otherwise."""
    from netweave.output.writer import output_problem

    try:
        if create:
            state_dir.mkdir(parents=True, exist_ok=True)
        existing = next(p for p in (state_dir, *state_dir.parents) if p.exists())
        if not existing.is_dir():
            raise NotADirectoryError(errno.ENOTDIR, os.strerror(errno.ENOTDIR), str(state_dir))
    except OSError as exc:
        raise output_problem(exc, option="--state-dir", action="cannot use the state directory") from None
    return state_dir


@lab_app.command("export")
@reports_problems
def export_cmd(
    design: Path = typer.Argument(..., help="design YAML file", show_default=False),
    fmt: ExportFormat = typer.Option(ExportFormat.containerlab, "--format", "-f", help="topology format"),
    output: Path = typer.Option(None, "--output", "-o", help="directory (default: build/<design>/clab)"),
) -> None:
    """Write a containerlab topology (<name>.clab.yml) with each node's rendered startup config.

    Example: netweave lab export stacks/lab/design.yaml --format containerlab -o build/lab/clab
    """
    from netweave.lab.clab import export, write_export

    result = _design(design, allow_errors=False)
    directory = output or Path("build") / result.design.name / "clab"
    exported = export(result.network)
    written = write_export(exported, directory)
    for note in exported.notes:
        stderr.print(f"note: {note}", markup=False)
    stdout.print(
        f"wrote {written[-1]} ({len(exported.topology['topology']['nodes'])} nodes, "
        f"{len(exported.topology['topology']['links'])} links) for {fmt.value}",
        markup=False,
    )


@lab_app.command("up")
@reports_problems
def up_cmd(
    design: Path = typer.Argument(..., help="design YAML file", show_default=False),
    name: str = typer.Option(None, "--name", help="lab name (default: from the design name)"),
    state_dir: Path = typer.Option(DEFAULT_STATE, "--state-dir", help="where lab state is recorded"),
    allow_errors: bool = typer.Option(False, "--allow-errors", help="run a design with lint errors (to see it fail)"),
) -> None:
    """Start one namespace and FRR per switch, veth pairs per link. Needs root and Debian's frr.

    Devices whose NOS cannot run here are emulated by FRR with the same addresses, ASNs and sessions.

    Example: sudo netweave lab up stacks/lab/design.yaml && sudo netweave lab verify stacks/lab/design.yaml
    """
    from netweave.lab import up
    from netweave.lab.emulate import design_lab

    result = _design(design, allow_errors)
    lab = design_lab(result.network, _name(result, name))
    state_dir = _state_dir(state_dir, create=True)
    for device, nos in sorted(lab.emulated.items()):
        stderr.print(f"{device}: {nos} emulated by FRR (same addressing, ASNs and sessions)", markup=False)
    with stderr.status(f"starting {len(lab.topology.nodes)} nodes", spinner="dots"):
        state = up(lab.topology, state_dir)
    if lab.sites.lines:
        _start_delay_lines(state, lab)
    stdout.print(
        f"lab '{state.name}' is up: {plural(len(state.nodes), 'node')}, {plural(len(state.links), 'link')} "
        f"(state in {state.path})",
        markup=False,
    )


def _start_delay_lines(state: LabState, lab: DesignLab) -> None:
    """Start the DCI carriers' delay lines; a lab whose lines cannot start is taken down again."""
    from netweave.lab import LabStartError, down
    from netweave.lab.sites import start_lines

    try:
        start_lines(state, lab.sites)
    except (OSError, RuntimeError) as exc:
        down(state.name, Path(state.state_dir))
        raise LabStartError(f"the DCI delay lines of lab {state.name!r} did not start, lab removed: {exc}") from exc
    for line in lab.sites.lines:
        loss = f", {line.loss:.1%} loss" if line.loss else ""
        stderr.print(f"{line.carrier}: delay line {line.delay_us:.0f} us one-way{loss}", markup=False)


@lab_app.command("verify")
@reports_problems
def verify_cmd(
    design: Path = typer.Argument(..., help="design YAML file", show_default=False),
    name: str = typer.Option(None, "--name", help="lab name (default: from the design name)"),
    state_dir: Path = typer.Option(DEFAULT_STATE, "--state-dir", help="where lab state is recorded"),
    timeout: float = typer.Option(60.0, "--timeout", help="seconds to wait for convergence"),
    output_format: OutputFormat = typer.Option(OutputFormat.text, "--format", "-f", help="text or json"),
    allow_errors: bool = typer.Option(False, "--allow-errors", help="verify a design with lint errors"),
    fault: tuple[str, str] | None = typer.Option(
        None, "--fault", help="cut a line system (`--fault line-system NAME`): traffic must move to the diverse path"
    ),
) -> None:
    """Check the running lab against the design: sessions Established, loopback routes with the
    expected ECMP width, loopback pings; across sites: ECMP over the preferred carriers, leaf-to-leaf pings,
    RTT within 10% of 2 x the path latency, and with --fault the move to the diverse path.
    Exit 0 only when every check passes.

    Example: netweave lab verify stacks/lab/design.yaml --timeout 30 --format json

    Example: netweave lab verify design.yaml --fault line-system north
    """
    from netweave.lab import load_state
    from netweave.lab.emulate import design_lab
    from netweave.lab.sites import same_site, verify_sites
    from netweave.lab.verify import verify

    if not math.isfinite(timeout) or timeout < 0:
        raise DesignError(
            [Problem(f"must be a finite number of seconds, 0 or more, not {timeout!r}", path="--timeout")]
        )
    result = _design(design, allow_errors)
    lab_name = _name(result, name)
    state_dir = _state_dir(state_dir, create=False)
    state = load_state(lab_name, state_dir)
    if fault is not None and fault[0] != "line-system":
        stderr.print(f"--fault {fault[0]}: only `--fault line-system NAME` is supported", markup=False)
        raise typer.Exit(EXIT_INVALID)
    lab = design_lab(result.network, lab_name)
    network = lab.network
    with stderr.status("waiting for the lab to converge", spinner="dots") as status:
        outcome = verify(
            state,
            network,
            timeout=timeout,
            progress=lambda ok, total: status.update(f"converging: {ok}/{total} checks pass"),
            route_scope=same_site(network),
        )
        status.update("checking across sites")
        outcome.checks += verify_sites(state, network, lab.sites, fault[1] if fault else None, timeout=timeout)
    if output_format is OutputFormat.json:
        emit_json(
            {
                "lab": lab_name,
                "ok": outcome.ok,
                "waited_s": round(outcome.waited_s, 2),
                "checks": [c.as_dict() for c in outcome.checks],
            }
        )
    else:
        from rich.table import Table  # imported when the command prints it, not for `--help`

        table = Table(
            title=f"{len(outcome.checks) - len(outcome.failures)}/{len(outcome.checks)} checks pass in lab "
            f"'{lab_name}' (waited {outcome.waited_s:.1f} s)"
        )
        for column in ("check", "device", "subject", "expected", "actual", "result"):
            table.add_column(column)
        rows = outcome.failures + [c for c in outcome.checks if c.ok] if outcome.failures else outcome.checks
        for c in rows:
            table.add_row(
                c.kind, c.device, c.subject, c.expected, c.actual, "[green]ok[/green]" if c.ok else "[red]FAIL[/red]"
            )
        stdout.print(table)
    if not outcome.ok:
        raise typer.Exit(EXIT_FAILED)


@lab_app.command("down")
@reports_problems
def down_cmd(
    design: Path = typer.Argument(None, help="design YAML file (or use --name)", show_default=False),
    name: str = typer.Option(None, "--name", help="lab name (default: from the design name)"),
    state_dir: Path = typer.Option(DEFAULT_STATE, "--state-dir", help="where lab state is recorded"),
) -> None:
    """Stop every daemon and remove every namespace and veth of the lab, with or without a state file.

    Example: netweave lab down stacks/lab/design.yaml
    """
    from netweave.errors import DesignError
    from netweave.lab import down
    from netweave.lab.emulate import lab_name as derive
    from netweave.lab.state import lab_dir
    from netweave.pipeline import validate

    if name is None:
        if design is None:
            stderr.print("give the design file or --name", markup=False)
            raise typer.Exit(EXIT_INVALID)
        try:
            name = derive(validate(design).design.name)
        except DesignError as exc:
            stderr.print(f"{exc}\n(use --name to tear down a lab whose design no longer loads)", markup=False)
            raise typer.Exit(EXIT_INVALID) from None
    name = _name(None, name)
    state_dir = _state_dir(state_dir, create=False)
    removed = down(name, state_dir)
    if removed.untrusted_state:
        stderr.print(f"note: {removed.untrusted_state}; the lab was found by its names instead", markup=False)
    if removed.lingering:
        stderr.print(
            f"lab {name}: daemon(s) {', '.join(map(str, removed.lingering))} were stopped but are still in the "
            "process table (not yet reaped by their parent)",
            markup=False,
        )
        raise typer.Exit(EXIT_FAILED)
    stdout.print(
        f"lab '{name}' is down: stopped {plural(len(removed.pids), 'daemon')}, "
        f"removed {plural(len(removed.namespaces), 'namespace')}",
        markup=False,
    )
    kept = lab_dir(name, state_dir)
    if kept.is_dir():
        stdout.print(
            f"kept {kept} (node configs and daemon logs) for post-mortems; remove it with: rm -r {kept}", markup=False
        )
