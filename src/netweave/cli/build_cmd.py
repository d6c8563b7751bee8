"""`netweave build`: render every device's configuration into a build directory."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import typer

from netweave.cli.app import (
    EXIT_INVALID,
    OutputFormat,
    app,
    emit_json,
    noun_for,
    plural,
    real_console,
    reports_problems,
    stage_status,
    stderr,
    stdout,
)
from netweave.cli.check_cmd import check_directory, report_check
from netweave.cli.process_exit import keep_until_exit
from netweave.errors import DesignError, Problem


@app.command()
@reports_problems
def build(
    design: Path = typer.Argument(..., help="design YAML file", show_default=False),
    output: Path = typer.Option(None, "--output", "-o", help="build directory (default: build/<design name>)"),
    only: list[str] = typer.Option(None, "--only", help="render just this device (repeatable)"),
    output_format: OutputFormat = typer.Option(OutputFormat.text, "--format", "-f", help="text or json"),
    check: bool = typer.Option(False, "--check", help="then judge the written configs as `netweave check` does"),
    models: Path = typer.Option(None, "--models", help="YANG model folders for --check (see `netweave check`)"),
) -> None:
    """Render every device's configuration to DIR/configs/, plus network.json and cabling.csv.

    The directory holds the old build or the new one, never a mix (a lock per directory, a staged tree
    committed at once); only files an earlier build wrote are ever deleted. The same design always
    gives byte-identical files.

    With --check the written configs are then judged by the vendors' published models (exit 2 on any
    problem, 1 when a validator is missing), exactly as `netweave check DIR` would.

    Example: netweave build stacks/lab/design.yaml -o build/lab --only leaf1
    """
    from netweave.output.build import build as run_build  # each command imports its stages when it runs
    from netweave.pipeline import require_clean, validate

    with stage_status(f"validating {design}") as progress:
        result = require_clean(validate(design, progress, parallel_lint=True))
    keep_until_exit(result)  # freed by the OS at exit, not object by object (cli/process_exit.py)
    network = result.network
    if only:
        unknown = [name for name in only if name not in network.device_by_name]
        if unknown:
            raise DesignError(
                [
                    Problem(
                        f"--only names unknown {noun_for(len(unknown), 'device')}: {', '.join(unknown)}",
                        file=str(design),
                    )
                ]
            )
    directory = output or Path("build") / result.design.name
    total = len(only) if only else len(network.devices)
    if stderr.is_terminal and total > 20:
        from rich.progress import Progress  # only a terminal shows it: not imported for a pipe or `--help`

        with Progress(console=real_console(stderr), transient=True) as bar:
            task = bar.add_task("rendering", total=total)
            built = run_build(network, directory, only, progress=lambda _: bar.advance(task))
    else:
        built = run_build(network, directory, only)  # a RenderError (exit 1) leaves the directory as it was
    by_nos = Counter(cfg.nos for cfg in built.configs)
    report = check_directory(directory, models) if check else None
    if output_format is OutputFormat.json:
        payload: dict[str, object] = {
            "directory": str(directory),
            "devices": len(built.configs),
            "by_nos": dict(sorted(by_nos.items())),
            "files": [str(p) for p in built.written],
            "removed": [str(p) for p in built.removed],
        }
        if report is not None:
            payload["check"] = {
                "valid": not report.problems,
                "checked": len(report.checked),
                "unchecked": [str(f.path) for f in report.unchecked],
                "problems": [p.as_dict() for p in report.problems],
            }
        emit_json(payload)
        if report is not None and report.problems:
            raise typer.Exit(EXIT_INVALID)
        return
    summary = ", ".join(f"{n} {nos}" for nos, n in sorted(by_nos.items()))
    stdout.print(f"built {plural(len(built.configs), 'device config')} ({summary}) in {directory}", markup=False)
    if report is not None:
        report_check(report, directory, output_format)
