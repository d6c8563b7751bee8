"""`netweave check`: judge a build directory's rendered configs with each vendor's published model."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from netweave.cli.app import EXIT_INVALID, OutputFormat, app, emit_json, plural, reports_problems, stderr, stdout
from netweave.errors import DesignError, Problem

if TYPE_CHECKING:  # the validators load YANG models and libyang: only `check` and `build --check` need them
    from netweave.check import CheckReport


def check_directory(build_dir: Path, models: Path | None) -> CheckReport:
    """Run the validators; a build directory without configs is bad input (exit 2), not a crash."""
    from netweave.check import run_checks

    try:
        return run_checks(build_dir, models)
    except FileNotFoundError as exc:
        raise DesignError([Problem(str(exc), file=str(build_dir))]) from None


def report_check(report: CheckReport, build_dir: Path, output_format: OutputFormat) -> None:
    """Print the problems (FILE:LINE: message) or JSON, and exit 2 when there is any problem."""
    if output_format is OutputFormat.json:
        emit_json(
            {
                "valid": not report.problems,
                "directory": str(build_dir),
                "checked": len(report.checked),
                "unchecked": [str(f.path) for f in report.unchecked],
                "problems": [p.as_dict() for p in report.problems],
            }
        )
    else:
        for problem in report.problems:
            stderr.print(problem.located(), markup=False)
        missing = Counter(f.validator for f in report.unchecked)
        if missing:
            detail = ", ".join(f"{n} {name}" for name, n in sorted(missing.items()))
            stderr.print(f"not checked (no validator installed for): {detail}", markup=False)
        verdict = plural(len(report.problems), "problem") if report.problems else "all valid"
        stdout.print(f"checked {plural(len(report.checked), 'file')} in {build_dir}: {verdict}", markup=False)
    if report.problems:
        raise typer.Exit(EXIT_INVALID)


@app.command()
@reports_problems
def check(
    build_dir: Path = typer.Argument(..., help="build directory (holds configs/ and network.json)", show_default=False),
    models: Path = typer.Option(
        None,
        "--models",
        help="folder holding the YANG model folders (sonic-yang-models/, sros-25.10/, ...); "
        "default $NETWEAVE_SHARED/reference/yang or ../shared/reference/yang beside the repository",
    ),
    output_format: OutputFormat = typer.Option(OutputFormat.text, "--format", "-f", help="text or json"),
) -> None:
    """Judge every rendered config in BUILD_DIR/configs with its vendor's published model.

    SONiC config_db.json against sonic-yang-models and SR OS MD-CLI against SR OS 25.10 YANG (yanglint, from
    Debian's libyang2-tools). Each problem is printed as FILE:LINE: message. Exit 0 when every file is valid,
    2 on any problem, 1 when a validator or its models are missing (the message says what to install).

    Example: netweave build stacks/prod/design.yaml -o build/prod && netweave check build/prod
    """
    report_check(check_directory(build_dir, models), build_dir, output_format)
