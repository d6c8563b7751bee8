"""`netweave validate`: load, schema-check, expand and lint a design."""

from __future__ import annotations

from pathlib import Path

import typer

from netweave.cli.app import (
    EXIT_INVALID,
    OutputFormat,
    app,
    emit_json,
    plural,
    reports_problems,
    stage_status,
    stderr,
    stdout,
)
from netweave.cli.process_exit import keep_until_exit


@app.command()
@reports_problems
def validate(
    design: Path = typer.Argument(..., help="design YAML file", show_default=False),
    output_format: OutputFormat = typer.Option(OutputFormat.text, "--format", "-f", help="text or json"),
) -> None:
    """Validate a design: YAML, JSON Schema, models, expansion and lint.

    Exit 0 when valid, 2 when anything is wrong (each problem as FILE:LINE: PATH: message).

    Example: netweave validate stacks/lab/design.yaml --format json
    """
    from netweave.pipeline import validate as run_validate  # imported when the command runs, not for `--help`

    with stage_status(f"validating {design}") as progress:
        result = run_validate(design, progress, parallel_lint=True)
    keep_until_exit(result)  # freed by the OS at exit, not object by object (cli/process_exit.py)
    problems = result.problems()
    errors = result.errors
    summary = {
        "devices": len(result.network.devices),
        "links": len(result.network.links),
        "sessions": len(result.network.sessions),
        "errors": len(errors),
        "warnings": len(result.findings) - len(errors),
    }
    if output_format is OutputFormat.json:
        emit_json(
            {
                "valid": not errors,
                "file": str(design),
                "summary": summary,
                "findings": [
                    {**f.as_dict(), "file": p.file, "line": p.line}
                    for f, p in zip(result.findings, problems, strict=True)
                ],
            }
        )
    else:
        for problem in problems:
            stderr.print(problem.located(), markup=False)
        verdict = "[red]invalid[/red]" if errors else "[green]valid[/green]"
        stdout.print(
            f"{design}: {verdict}: {plural(summary['devices'], 'device')}, {plural(summary['links'], 'link')}, "
            f"{plural(summary['sessions'], 'BGP session')}; {plural(summary['errors'], 'error')}, "
            f"{plural(summary['warnings'], 'warning')}"
        )
    if errors:
        raise typer.Exit(EXIT_INVALID)
