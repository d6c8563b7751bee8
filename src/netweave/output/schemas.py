"""JSON Schemas generated from the models, committed under schemas/ (CI fails when they are stale)."""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import TypeAdapter

from netweave.load.loader import design_schema
from netweave.network.model import Network
from netweave.output.writer import write_atomic


def generated_schemas() -> dict[str, str]:
    """File name -> JSON text of every schema netweave publishes."""
    network = TypeAdapter(Network).json_schema()
    network["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    return {
        "design.schema.json": _dump(design_schema()),
        "network.schema.json": _dump(network),
    }


def schema_dir() -> Path:
    """`schemas/` of the repository netweave runs in (the published artifact lives at its root)."""
    return Path("schemas")


def stale_schemas(directory: Path) -> list[str]:
    """Names of schema files in `directory` that differ from what the models generate."""
    stale = []
    for name, text in generated_schemas().items():
        path = directory / name
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            stale.append(name)
    return stale


def write_schemas(directory: Path) -> list[Path]:
    directory.mkdir(parents=True, exist_ok=True)
    return [write_atomic(directory / name, text) for name, text in generated_schemas().items()]


def _dump(schema: dict[str, object]) -> str:
    return json.dumps(schema, indent=2, sort_keys=True) + "\n"
