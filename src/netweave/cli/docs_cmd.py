"""`netweave docs`: write a static documentation site of a design (diagrams, plans, optical charts)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import typer

from netweave.cli.app import (
    EXIT_FAILED,
    OutputFormat,
    app,
    emit_json,
    plural,
    real_console,
    reports_problems,
    stderr,
    stdout,
)
from netweave.errors import NetweaveError

if TYPE_CHECKING:  # the site needs matplotlib and graphviz: imported when `docs` runs, not for every command
    from netweave.docs import SiteResult
    from netweave.lint import Finding
    from netweave.network.model import Network


@app.command()
@reports_problems
def docs(
    design: Path = typer.Argument(..., help="design YAML file", show_default=False),
    output: Path = typer.Option(None, "--output", "-o", help="site directory (default: build/<design name>/docs)"),
    configs: bool = typer.Option(True, "--configs/--no-configs", help="render device configs and link them"),
    output_format: OutputFormat = typer.Option(OutputFormat.text, "--format", "-f", help="text or json"),
) -> None:
    """Write a static HTML site of the network; open DIR/index.html in a browser (no server needed).

    Per site: the topology in tiers, big tiers collapsed per scalable unit or pod, and the DCI between sites.

    Per fabric: ASN and address plans, pools, oversubscription, rails and planes, QoS, EVPN, lint findings.

    Per device: interfaces with peers and cabling, BGP sessions, the rendered config.

    Optical: spectrum occupancy and OSNR margin per line system, both directions, failing carriers red.

    Lint errors are shown on the pages, not fatal. Same design, byte-identical files. Needs graphviz.

    Example: netweave docs stacks/prod/design.yaml -o build/prod/docs
    """
    from netweave.docs import MissingComponent
    from netweave.pipeline import validate

    if stderr.is_terminal:  # 5 s at 100,000 GPUs before the first page: say what is happening
        with stderr.status(f"loading, expanding and linting {design}", spinner="dots"):
            result = validate(design)
    else:
        result = validate(design)
    directory = output or Path("build") / result.design.name / "docs"
    try:
        site = _write(result.network, result.findings, directory, configs)
    except MissingComponent as exc:
        stderr.print(f"{design}: {exc}", markup=False)
        raise typer.Exit(EXIT_FAILED) from None
    except (NetweaveError, OSError) as exc:
        stderr.print(f"{design}: cannot write the documentation to {directory}: {exc}", markup=False)
        raise typer.Exit(EXIT_FAILED) from None
    if output_format is OutputFormat.json:
        emit_json(
            {
                "directory": str(directory),
                "index": str(directory / "index.html"),
                "pages": site.pages,
                "configs": site.configs,
                "files": len(site.written),
                "unchanged": site.unchanged,
                "removed": [str(p) for p in site.removed],
                "unrendered": site.unrendered,
            }
        )
        return
    kept = f" ({site.unchanged} of {len(site.written)} files were already up to date)" if site.unchanged else ""
    stdout.print(
        f"wrote {plural(site.pages, 'page')} and {plural(site.configs, 'device config')} to {directory}{kept}; "
        f"open {directory / 'index.html'}",
        markup=False,
    )
    for device, why in sorted(site.unrendered.items()):
        stderr.print(f"{device}: no config linked ({why})", markup=False)


def _write(network: Network, findings: list[Finding], directory: Path, configs: bool) -> SiteResult:
    """Write the site, with a progress bar in a terminal (a 100,000-GPU fabric takes tens of seconds)."""
    from netweave.docs import write_site

    if not stderr.is_terminal:
        return write_site(network, findings, directory, configs=configs)
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=real_console(stderr), transient=True) as bar:
        task = bar.add_task("documenting", total=None)

        def advance(step: str, done: int, total: int) -> None:
            bar.update(task, description=step, completed=done, total=total or None)

        return write_site(network, findings, directory, configs=configs, progress=advance)
