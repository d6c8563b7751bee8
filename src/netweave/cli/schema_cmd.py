"""`netweave schema`: regenerate or check the committed JSON Schemas."""

from __future__ import annotations

from pathlib import Path

import typer

from netweave.cli.app import EXIT_FAILED, app, reports_problems, stderr, stdout
from netweave.errors import DesignError, Problem


@app.command()
@reports_problems
def schema(
    check: bool = typer.Option(False, "--check", help="fail (exit 1) when schemas/ is stale"),
    directory: Path = typer.Option(
        None, "--output", "-o", help="where the schemas live (default: ./schemas, the repository's published copy)"
    ),
) -> None:
    """Regenerate schemas/ from the models, or check it is current.

    Example: netweave schema --check
    """
    from netweave.output.schemas import schema_dir, stale_schemas, write_schemas  # the models: when it runs

    target = directory or schema_dir()
    if target.exists() and not target.is_dir():
        raise DesignError([Problem("is not a directory", path="--output", file=str(target), hint="give a directory")])
    if check:
        stale = stale_schemas(target)
        if stale:
            stderr.print(f"stale schemas in {target}: {', '.join(stale)}; run `netweave schema`", markup=False)
            raise typer.Exit(EXIT_FAILED)
        stdout.print(f"schemas in {target} are current", markup=False)
        return
    for path in write_schemas(target):
        stdout.print(f"wrote {path}", markup=False)
