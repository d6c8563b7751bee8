"""`netweave optical`: DCI carrier reports and OpenConfig terminal-device output from a design."""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path

import typer

from netweave.cli.app import EXIT_FAILED, EXIT_INVALID, app, emit_json, reports_problems, stderr

optical_app = typer.Typer(
    help="Optical transport and DCI: QoT report, pinned frequencies, OpenConfig.", no_args_is_help=True
)
app.add_typer(optical_app, name="optical")


class ReportFormat(StrEnum):
    text = "text"
    markdown = "markdown"
    json = "json"
    yaml = "yaml"


@optical_app.command("report")
@reports_problems
def report_cmd(
    design: Path = typer.Argument(..., help="design YAML file", show_default=False),
    output_format: ReportFormat = typer.Option(
        ReportFormat.text, "--format", "-f", help="text, markdown, json, or yaml (the frequencies: map)"
    ),
    explain: bool = typer.Option(False, "--explain", help="text: add each carrier's per-element QoT"),
) -> None:
    """Per DCI carrier: path, mode, frequency, OSNR, margin, CD, latency, verdict; spectrum per section.

    Exit 2 when a carrier fails (margin, CD, reach, spectrum), so CI can gate on it.

    Example: netweave optical report stacks/prod/design.yaml --format markdown

    Example: netweave optical report stacks/prod/design.yaml --format yaml >> frequencies.yaml
    """
    from netweave.dci import report  # each command imports its stages when it runs, not for `--help`
    from netweave.pipeline import validate

    network = validate(design).network
    if not network.optical:
        stderr.print(f"{design}: no optical demands (add an `optical:` section)", markup=False)
    if output_format is ReportFormat.json:
        emit_json(report.report_data(network))
    elif output_format is ReportFormat.markdown:
        sys.stdout.write(report.markdown(network))
    elif output_format is ReportFormat.yaml:
        sys.stdout.write(report.lock_yaml(network))
    else:
        sys.stdout.write(report.text(network, explain=explain))
    if any(c.verdict != "pass" or c.margin_db < c.min_margin_db for c in network.optical):
        raise typer.Exit(EXIT_INVALID)


@optical_app.command("openconfig")
@reports_problems
def openconfig_cmd(
    design: Path = typer.Argument(..., help="design YAML file", show_default=False),
    only: list[str] = typer.Option([], "--only", help="just this device (repeatable; default: every DCI device)"),
    output: Path | None = typer.Option(None, "--output", "-o", help="write <device>.json files here (default: stdout)"),
) -> None:
    """OpenConfig terminal-device JSON (optical-channel frequency, target-output-power, operational-mode).

    Example: netweave optical openconfig stacks/prod/design.yaml -o build/openconfig
    """
    from netweave.dci.openconfig import dci_devices, terminal_device
    from netweave.optical.openconfig import render_json
    from netweave.output.writer import write_atomic  # (and its `secrets`/hashlib imports): not for `--help`
    from netweave.pipeline import validate

    network = validate(design).network
    names = only or dci_devices(network)
    for name in names:
        try:
            document = render_json(terminal_device(network, name))
        except (KeyError, ValueError) as exc:
            stderr.print(f"{name}: {exc}", markup=False)
            raise typer.Exit(EXIT_FAILED) from None
        if output is None:
            sys.stdout.write(document if len(names) == 1 else f"// {name}\n{document}")
        else:
            output.mkdir(parents=True, exist_ok=True)
            write_atomic(output / f"{name}.json", document)
            stderr.print(f"wrote {output / f'{name}.json'}", markup=False)
