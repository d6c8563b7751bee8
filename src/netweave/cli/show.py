"""`netweave show`: the expanded network as tables, JSON or CSV."""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path

import typer

from netweave.cli.app import TableFormat, app, emit_json, reports_problems, stage_status, stdout


class View(StrEnum):
    devices = "devices"
    links = "links"
    sessions = "sessions"
    addresses = "addresses"
    cabling = "cabling"
    pools = "pools"
    servers = "servers"
    summary = "summary"
    sites = "sites"


@app.command()
@reports_problems
def show(
    design: Path = typer.Argument(..., help="design YAML file", show_default=False),
    view: View = typer.Argument(..., help="what to show", show_default=False),
    output_format: TableFormat = typer.Option(TableFormat.table, "--format", "-f", help="table, json or csv"),
) -> None:
    """Show devices, links, BGP sessions, addresses, pools, cabling, GPU servers, a capacity summary, or the
    paths between sites (latency, RTT, capacity, carriers, margin, MED).

    Example: netweave show stacks/lab/design.yaml cabling --format csv > cabling.csv

    Example: netweave show stacks/prod/design.yaml summary --format json
    """
    from netweave.output import views  # imported when the command runs: `--help` needs neither
    from netweave.pipeline import validate

    with stage_status(f"validating {design}") as progress:
        result = validate(design, progress)
    if view is View.summary and output_format is TableFormat.json:
        emit_json(views.summary_data(result.network))
        return
    table = views.VIEWS[view.value](result.network)
    if output_format is TableFormat.json:
        emit_json(views.to_records(table))
    elif output_format is TableFormat.csv:
        sys.stdout.write(views.to_csv(table))
    else:
        columns, rows = table
        from rich.table import Table as RichTable  # imported when a table is printed, not for `--help`

        rich_table = RichTable(title=f"{result.network.name}: {view.value} ({len(rows)})")
        for column in columns:
            rich_table.add_column(column)
        for row in rows:
            rich_table.add_row(*("" if v is None else str(v) for v in row))
        stdout.print(rich_table)
