"""One vocabulary on the command line: every command spells the same thing the same way.

Walks the real command tree (`netweave.cli.main` builds it with `tidy_help`): output directories are
`-o/--output`, machine output is `-f/--format`, device subsets are `--only`, and no help shows Python-ish
metavars (`<bool>`, `<list[str]>`).
"""

from __future__ import annotations

import subprocess
import sys
from typing import Any

import typer

from netweave.cli import app, tidy_help


def _commands() -> list[tuple[str, Any]]:
    root = tidy_help(typer.main.get_command(app))
    out, stack = [], [("", root)]
    while stack:
        path, command = stack.pop()
        children = getattr(command, "commands", {})
        stack.extend((f"{path} {name}".strip(), sub) for name, sub in children.items())
        if not children:
            out.append((path, command))
    return sorted(out, key=lambda item: item[0])


def test_same_option_names_everywhere() -> None:
    seen = []
    for path, command in _commands():
        for param in command.params:
            opts = set(param.opts)
            if param.name in ("output", "directory") or "--out" in opts or "--build-dir" in opts or "--dir" in opts:
                assert opts == {"--output", "-o"}, (path, param.opts)
            if "--format" in opts:
                assert opts == {"--format", "-f"}, (path, param.opts)
            if param.name in ("device", "devices", "only"):
                assert opts == {"--only"}, (path, param.opts)
            seen.append(path)
    assert {"build", "optical openconfig", "apply", "rollback", "lab export", "schema", "docs"} <= set(seen)


def test_help_shows_classic_metavars_and_an_example() -> None:
    for path, _command in _commands():
        help_text = subprocess.run(
            [sys.executable, "-m", "netweave", *path.split(), "--help"], capture_output=True, text=True, timeout=120
        ).stdout
        assert "<bool>" not in help_text and "<list[" not in help_text, path
        assert "Example" in help_text or "example" in help_text, f"{path} --help has no example"


def test_version() -> None:
    done = subprocess.run([sys.executable, "-m", "netweave", "--version"], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0 and done.stdout.startswith("netweave ")
