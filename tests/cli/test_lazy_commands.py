"""A run builds only the command it names (issue #19: every run imported all eleven command modules and built
all seventeen commands), with the same help and behaviour as the whole tree."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
import typer

import netweave.cli
from tests.cli.test_lazy_imports import imported_by, loaded
from tests.conftest import LAB_DESIGN, REPO

ROOT = typer.main.get_command(netweave.cli.app)
LAZY = "import sys; from netweave.cli import main; sys.argv[0] = 'netweave'; main()"
WHOLE = "import sys, netweave.cli as cli; cli.register(); sys.argv[0] = 'netweave'; cli.main()"


def _help(program: str, *argv: str) -> str:
    env = {**os.environ, "COLUMNS": "100"}
    out = subprocess.run(
        [sys.executable, "-c", program, *argv], capture_output=True, text=True, cwd=REPO, env=env, timeout=120
    )
    return f"{out.returncode}\n{out.stdout}{out.stderr}"


def test_the_table_names_every_command_and_its_module() -> None:
    assert set(netweave.cli.COMMANDS) == set(ROOT.commands)  # type: ignore[attr-defined]
    assert set(netweave.cli.COMMANDS.values()) == set(netweave.cli.MODULES)
    for name, command in ROOT.commands.items():  # type: ignore[attr-defined]
        callback = command.callback if command.callback is not None else None
        if callback is not None:  # a command (groups have none): registered by the module the table names
            module = getattr(callback, "__wrapped__", callback).__module__
            assert module == f"netweave.cli.{netweave.cli.COMMANDS[name]}", name


@pytest.mark.parametrize("name", sorted(netweave.cli.COMMANDS))
def test_a_command_alone_has_the_same_help_as_in_the_whole_tree(name: str) -> None:
    assert _help(LAZY, name, "--help") == _help(WHOLE, name, "--help")


def test_validate_imports_no_other_command() -> None:
    modules = imported_by("validate", str(LAB_DESIGN))
    others = tuple(f"netweave.cli.{m}" for m in netweave.cli.MODULES if m != "validate")
    assert loaded(modules, others) == []


def test_a_misspelt_command_still_gets_suggestions() -> None:
    out = _help(LAZY, "biuld")
    assert out.startswith("2\n") and "No such command 'biuld'. Did you mean 'build'?" in out
