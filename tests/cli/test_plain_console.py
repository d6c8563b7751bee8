"""The commands' consoles write a plain line without rich exactly as rich would have written it.

`netweave.cli.app._LazyConsole` skips rich's ~15 ms import for a line that rich would write unchanged to a stream
that is no terminal. These tests print the same texts through the lazy console and through rich's own
`SafeConsole` with the same options, into streams that are no terminal, and require the same bytes (or the same
error); they also show when rich is still used (a terminal, forced colour) and that a piped `validate` and
`build` import no rich at all.
"""

from __future__ import annotations

import importlib
import io
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from netweave.cli.console import SafeConsole
from tests.cli.test_lazy_imports import imported_by, loaded
from tests.conftest import LAB_DESIGN, REPO

cli_app = importlib.import_module("netweave.cli.app")  # the module (the package's `app` is the Typer application)

TEXTS = [
    "",
    "a",
    "built 258 device configs (256 eos, 2 eos) in build/bench-evpn-256",
    "x" * 300 + " y " + "z" * 300,
    "  leading and trailing  ",
    "tab\there",
    "new\nline",
    "carriage\rreturn",
    "bell\x07 backspace\x08 vt\x0b ff\x0c",
    "esc\x1b[31mred",
    "bidi \u202e override",
    "zero\u200bwidth",
    "soft\xadhyphen",
    "wide 漢字 and combining e\u0301 and emoji 😀",
    ":smile: :100: emoji codes",
    "brackets [x] and sites[0].fabrics[1]",
    "design.yaml:17: sites[0].fabrics[0].leaves.platform: unknown platform 'linux-fr' (hint: did you mean 'x'?)",
    "stacks/lab/design.yaml: [green]valid[/green]: 8 devices, 12 links, 12 BGP sessions; 0 errors, 0 warnings",
    "d.yaml: [red]invalid[/red]: 1 device",
    "[bold]b[/bold] [dim]d[/dim] [yellow]y[/yellow]",
    "a[/green]b",
    "[red]x[/green]",
    "[red][green]x[/red][/green]",
    "odd [green]path[/green].yaml: [green]valid[/green]",
    "back\\slash [green]x[/green]",
    "escaped \\[green] tag",
    "[link=http://example.com]l[/link]",
    "100% @{} <b> & done",
]


def _through(console: Any, text: str, markup: bool | None, stream: io.StringIO) -> tuple[str, str | None]:
    """What printing `text` writes to `stream` (installed as stdout and stderr), and the error it raises if any."""
    saved = sys.stdout, sys.stderr
    sys.stdout = sys.stderr = stream
    try:
        console.print(text, markup=markup)
        error = None
    except Exception as exc:
        error = type(exc).__name__
    finally:
        sys.stdout, sys.stderr = saved
    return stream.getvalue(), error


@pytest.fixture
def plain_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in cli_app._RICH_ENVIRONMENT:
        monkeypatch.delenv(name, raising=False)


@pytest.mark.parametrize("markup", [None, False])
@pytest.mark.parametrize("stderr", [False, True])
@pytest.mark.parametrize("text", TEXTS)
def test_plain_lines_are_what_rich_writes(
    text: str, markup: bool | None, stderr: bool, plain_environment: None
) -> None:
    options: dict[str, Any] = {"highlight": False, "soft_wrap": True, "emoji": False}
    options.update({"stderr": True} if stderr else {"width": 250})
    expected = _through(SafeConsole(**options), text, markup, io.StringIO())
    assert _through(cli_app._LazyConsole(**options), text, markup, io.StringIO()) == expected


def test_common_lines_take_the_plain_path(plain_environment: None) -> None:
    console = cli_app._LazyConsole(highlight=False, soft_wrap=True, emoji=False, width=250)
    for text in (TEXTS[2], TEXTS[16], TEXTS[17]):
        _through(console, text, markup=None if "[green]" in text else False, stream=io.StringIO())
    assert console._console is None  # rich's console was never made


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize(
    ("stream", "environment"),
    [(_Terminal(), {}), (io.StringIO(), {"FORCE_COLOR": "1"}), (io.StringIO(), {"TTY_COMPATIBLE": "1"})],
    ids=["terminal", "force-color", "tty-compatible"],
)
def test_rich_prints_to_a_terminal_and_when_colour_is_forced(
    stream: io.StringIO, environment: dict[str, str], plain_environment: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    console = cli_app._LazyConsole(highlight=False, soft_wrap=True, emoji=False)
    written, _error = _through(console, "d.yaml: [green]valid[/green]", None, stream)
    assert console._console is not None and "\x1b[" in written  # rich's colours, as before


def _run(argv: list[str], environment: dict[str, str]) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in cli_app._RICH_ENVIRONMENT} | environment
    probe = "import sys; from netweave.cli import main; sys.argv = ['netweave', *sys.argv[1:]]; main()"
    return subprocess.run(
        [sys.executable, "-c", probe, *argv], capture_output=True, text=True, cwd=REPO, env=env, timeout=120
    )


@pytest.mark.parametrize("command", ["validate", "build"])
def test_piped_commands_print_the_same_with_and_without_rich(
    command: str, tmp_path: Path, make_argv: Callable[[str, Path], list[str]]
) -> None:
    """The same run with rich forced in (TTY_COMPATIBLE=0 keeps rich's output plain, but makes the lazy console
    hand every line to rich) and with the plain path: identical stdout and stderr."""
    plain = _run(make_argv(command, tmp_path / "a"), {})
    rich = _run(make_argv(command, tmp_path / "a"), {"TTY_COMPATIBLE": "0"})
    assert plain.returncode == rich.returncode == 0, plain.stderr
    assert (plain.stdout, plain.stderr) == (rich.stdout, rich.stderr)
    assert plain.stdout.strip()


@pytest.fixture
def make_argv() -> Callable[[str, Path], list[str]]:
    def argv(command: str, out: Path) -> list[str]:
        return ["validate", str(LAB_DESIGN)] if command == "validate" else ["build", str(LAB_DESIGN), "-o", str(out)]

    return argv


def test_piped_validate_and_build_import_no_rich(tmp_path: Path) -> None:
    assert loaded(imported_by("validate", str(LAB_DESIGN)), ("rich",)) == []
    assert loaded(imported_by("build", str(LAB_DESIGN), "-o", str(tmp_path / "out")), ("rich",)) == []


@pytest.mark.parametrize(
    "options",
    [
        {"highlight": False, "soft_wrap": False, "emoji": False},  # rich would wrap long lines
        {"highlight": False, "soft_wrap": True, "emoji": True},  # rich would turn :codes: into emoji
        {"highlight": True, "soft_wrap": True, "emoji": False},
        {"highlight": False, "soft_wrap": True, "emoji": False, "record": True},  # anything else: rich decides
    ],
)
def test_a_console_whose_options_change_text_always_goes_through_rich(options: dict[str, Any]) -> None:
    assert cli_app._LazyConsole(**options)._plain_stream() is None
