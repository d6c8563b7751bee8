"""The `netweave` command. Each command group lives in its own module and registers on `app`."""

from __future__ import annotations

from netweave.cli import (  # noqa: F401  (register commands)
    apply_cmd,
    build_cmd,
    check_cmd,
    diff_cmd,
    docs_cmd,
    init_cmd,
    lab_cmd,
    optical_cmd,
    schema_cmd,
    show,
    validate,
)
from netweave.cli.app import app


def main() -> None:
    """Console-script entry point."""
    app()


__all__ = ["app", "main"]
