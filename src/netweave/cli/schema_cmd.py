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

    Also regenerates (or checks) the design validator generated from the design schema, which `load` uses
    before jsonschema.

    Example: netweave schema --check
    """
    from netweave.load.schemacode import MODULE, generate, module_is_current
    from netweave.output.schemas import generated_schemas, schema_dir, stale_schemas, write_schemas
    from netweave.output.writer import write_atomic

    target = directory or schema_dir()
    if target.exists() and not target.is_dir():
        raise DesignError([Problem("is not a directory", path="--output", file=str(target), hint="give a directory")])
    design_schema = generated_schemas()["design.schema.json"]
    if check:
        stale = stale_schemas(target) + ([] if module_is_current(design_schema) else [str(MODULE)])
        if stale:
            stderr.print(f"stale schemas in {target}: {', '.join(stale)}; run `netweave schema`", markup=False)
            raise typer.Exit(EXIT_FAILED)
        stdout.print(f"schemas in {target} are current", markup=False)
        return
    for path in write_schemas(target):
        stdout.print(f"wrote {path}", markup=False)
    if not module_is_current(design_schema):  # an installed copy is current, so it is never rewritten
        stdout.print(f"wrote {write_atomic(MODULE, generate(design_schema))}", markup=False)
