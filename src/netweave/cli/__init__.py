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
from netweave.cli.app import app, tidy_help


def main() -> None:
    """Console-script entry point: the command tree with one help vocabulary (`tidy_help`)."""
    import typer

    tidy_help(typer.main.get_command(app))(prog_name="netweave")


__all__ = ["app", "main"]
