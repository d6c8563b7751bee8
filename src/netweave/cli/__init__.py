"""The `netweave` command. Each command group lives in its own module and registers on `app`.

A run loads only the module of the command it names (`netweave build ...` imports `build_cmd`, which
imports `check_cmd` for `--check`): importing all eleven command modules and building all seventeen commands'
parameters was ~15-20 ms of every run, for commands it never runs. `--help`, no command, or a word that is no
command get the whole tree, so the root help and click's "No such command" suggestions are as before.
`netweave.cli.app` (the attribute) is always the whole tree.
"""

from __future__ import annotations

import sys
from importlib import import_module
from types import ModuleType
from typing import Any

MODULES = (
    "apply_cmd",
    "build_cmd",
    "check_cmd",
    "diff_cmd",
    "docs_cmd",
    "init_cmd",
    "lab_cmd",
    "optical_cmd",
    "schema_cmd",
    "show",
    "validate",
)
"""Every command module, in the order they register (the order the root help lists the commands)."""

COMMANDS = {
    "plan": "apply_cmd",
    "apply": "apply_cmd",
    "rollback": "apply_cmd",
    "check": "check_cmd",
    "build": "build_cmd",
    "diff": "diff_cmd",
    "docs": "docs_cmd",
    "init": "init_cmd",
    "lab": "lab_cmd",
    "optical": "optical_cmd",
    "schema": "schema_cmd",
    "show": "show",
    "validate": "validate",
}
"""Top-level command -> the module that registers it (`tests/cli/test_lazy_commands.py` holds it to the tree)."""

VALIDATING = frozenset({"build", "validate"})
"""Commands that validate a design before anything else: their start-up runs without the cyclic collector
(`netweave.network.gcpause.pause_startup`). Only these: a command that never validated would keep it off."""


class _Package(ModuleType):
    """This package, whose `app` stays the Typer application: importing the submodule `netweave.cli.app`
    binds it on the package, which would hide the application behind the module of the same name."""

    def __setattr__(self, name: str, value: Any) -> None:
        if name == "app" and isinstance(value, ModuleType):
            return
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package


def register(*commands: str) -> None:
    """Import the modules of `commands` (every command module when none is named), registering them on the
    application. Importing a module twice is a no-op, so this is safe to call again."""
    modules = [COMMANDS[name] for name in commands] if commands else MODULES
    for module in modules:
        import_module(f"{__name__}.{module}")


def __getattr__(name: str) -> Any:
    """`app`: the application with every command registered; `tidy_help` from `netweave.cli.app` (not imported
    with the package, so `main` can pause the collector before typer and the application are imported)."""
    if name == "tidy_help":
        from netweave.cli.app import tidy_help

        return tidy_help
    if name != "app":
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    register()
    return sys.modules[f"{__name__}.app"].app


def main() -> None:
    """Console-script entry point: the command tree with one help vocabulary (`tidy_help`), holding only the
    command named on the command line when it names one."""
    first = sys.argv[1] if len(sys.argv) > 1 else ""
    if first in VALIDATING:
        from netweave.network.gcpause import pause_startup

        pause_startup()  # until the design is validated (`netweave.pipeline.validate` ends it)
    import typer

    from netweave.cli.app import tidy_help
    from netweave.network.gcpause import freeze_after_pause

    freeze_after_pause()  # one-shot process: objects built in bulk are never scanned for cycles again
    register(*([first] if first in COMMANDS else []))
    tidy_help(typer.main.get_command(sys.modules[f"{__name__}.app"].app))(prog_name="netweave")


def run() -> None:
    """The `netweave` console script: `main`, then an exit that leaves the heap to the OS (see
    `netweave.cli.process_exit`). An exception other than SystemExit propagates as usual."""
    from netweave.cli.process_exit import arm, exit_without_teardown

    arm()
    try:
        main()
    except SystemExit as exc:
        exit_without_teardown(exc.code)
    exit_without_teardown(0)


__all__ = ["COMMANDS", "MODULES", "app", "main", "register", "run", "tidy_help"]
