"""The Typer application and the conventions every command shares.

Exit codes: 0 success, 2 invalid input (design errors, lint errors, bad arguments), 1 failed operation.
Bad input is reported as `FILE:LINE: PATH: message`, never as a traceback. Commands do not catch errors
one by one: `reports_problems` catches netweave's one base exception and lets each class say its exit code.
"""

from __future__ import annotations

import builtins
import contextlib
import functools
import json
import os
import re
import sys
from collections.abc import Callable, Iterator
from enum import StrEnum
from typing import TYPE_CHECKING, Any, TypeVar, cast

import typer

from netweave.errors import EXIT_FAILED as EXIT_FAILED  # re-exported: the commands' exit codes
from netweave.errors import EXIT_INVALID as EXIT_INVALID
from netweave.errors import DesignError, NetweaveError, Problem

if TYPE_CHECKING:
    from rich.console import Console

app = typer.Typer(
    name="netweave",
    help="Network-as-code for AI data centers: validate intent, expand it into a fabric, render configs.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,  # plain help: no `<bool>` column for flags, stable in CI logs and pipes
    add_completion=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


_RICH_ENVIRONMENT = ("FORCE_COLOR", "TTY_COMPATIBLE", "TTY_INTERACTIVE", "JUPYTER_COLUMNS", "JUPYTER_LINES")
"""Variables that change what rich writes to a stream that is no terminal (colours forced on, a notebook)."""

_PLAIN_TAGS = r"\[(/?)(red|green|yellow|bold|dim)\]"
"""The markup the commands' fixed texts use; with no colour system rich writes only the text between the tags.
(A pattern, compiled by `re` on first use: `netweave --help` prints nothing through these consoles.)"""


class _LazyConsole:
    """A `SafeConsole` made on first use, with the options given here.

    rich's console and its dependencies are ~15 ms of CPU to import (measured), and `netweave --help` (target 0.1 s
    whole process) prints through click, never through these. A line printed to a stream that is no terminal,
    holding nothing rich would change or escape, is written as rich would write it (the text, a newline, a flush)
    without importing rich: `netweave build`/`validate` into a pipe or a file print only such lines (the stage
    spinner asks `is_terminal` and shows nothing there). Anything else, or any environment that changes rich's
    output (`_RICH_ENVIRONMENT`), goes to rich as before; `tests/cli/test_plain_console.py` compares the two.
    """

    def __init__(self, **options: Any) -> None:
        self._options = options
        self._console: Console | None = None
        self._may_write_plain = (
            options.get("soft_wrap") is True
            and options.get("emoji") is False
            and options.get("highlight") is False
            and not options.keys() - {"soft_wrap", "emoji", "highlight", "stderr", "width"}
        )
        """Only a console whose options leave a plain line as it is (no wrapping, no emoji codes, no highlighting,
        its own stream) may skip rich; any other options go through rich."""

    def made(self) -> Console:
        if self._console is None:
            from netweave.cli.console import SafeConsole

            self._console = SafeConsole(**self._options)
        return self._console

    def __getattr__(self, name: str) -> Any:
        return getattr(self.made(), name)

    def _stream(self) -> Any:
        return sys.stderr if self._options.get("stderr") else sys.stdout

    def _plain_stream(self) -> Any | None:
        """The stream when rich would write plain text to it (no terminal, no notebook, nothing forcing colour),
        else None. Read at each print, as rich resolves `sys.stdout`/`sys.stderr` at each print."""
        if not self._may_write_plain or self._console is not None or sys.platform == "win32":
            return None
        if any(v in os.environ for v in _RICH_ENVIRONMENT):
            return None
        if "get_ipython" in vars(builtins) or getattr(sys.stdin, "__module__", "").startswith("idlelib"):
            return None
        stream = self._stream()
        isatty = getattr(stream, "isatty", None)
        try:
            return None if isatty is None or isatty() else stream
        except ValueError:  # closed: let rich say what it says
            return None

    @property
    def is_terminal(self) -> bool:
        return False if self._plain_stream() is not None else bool(self.made().is_terminal)

    def print(self, *objects: Any, markup: bool | None = None, **options: Any) -> None:
        """`Console.print`: plain when `_plain_text` says rich's output would be the text itself."""
        stream = self._plain_stream() if len(objects) == 1 and not options else None
        text = _plain_text(objects[0], markup is not False) if stream is not None else None
        if stream is None or text is None:
            self.made().print(*objects, markup=markup, **options)
            return
        stream.write(text + "\n")
        stream.flush()


def _plain_text(value: object, markup: bool) -> str | None:
    """What rich writes for `value` on a stream with no colour system, when that is the text (with `markup`, minus
    the plain style tags) and nothing in it is stripped, escaped or read as markup: else None."""
    from netweave.text import terminal_safe  # its pattern compiles on import: not for `--help`

    if not isinstance(value, str):
        return None
    if markup and not _balanced(value):
        return None
    text = re.sub(_PLAIN_TAGS, "", value) if markup else value
    if (markup and ("[" in text or "\\" in text)) or text != terminal_safe(text) or not text.isprintable():
        return None
    return text


def _balanced(markup: str) -> bool:
    """True when every closing tag closes an open one (rich raises `MarkupError` for the others)."""
    opened: list[str] = []
    for closing, name in re.findall(_PLAIN_TAGS, markup):
        if not closing:
            opened.append(name)
        elif name in opened:
            del opened[len(opened) - 1 - opened[::-1].index(name)]
        else:
            return False
    return True


def real_console(console: Console) -> Console:
    """The console itself behind `stdout`/`stderr`, for rich objects that keep the console they are given
    (Progress, Live) rather than only calling its methods."""
    return console.made() if isinstance(console, _LazyConsole) else console


def __getattr__(name: str) -> Any:
    """`SafeConsole` stays importable from here (it lives in `netweave.cli.console`, which imports rich)."""
    if name == "SafeConsole":
        from netweave.cli.console import SafeConsole

        return SafeConsole
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


# piped output keeps whole table cells (rich would otherwise squeeze tables into 80 columns)
# emoji=False: rich turns ":100:" into an emoji even with markup=False, so "design.yaml:100: path" lost its line
stdout: Console = cast(
    "Console",
    _LazyConsole(highlight=False, soft_wrap=True, emoji=False, width=None if sys.stdout.isatty() else 250),
)
stderr: Console = cast("Console", _LazyConsole(stderr=True, highlight=False, soft_wrap=True, emoji=False))


class OutputFormat(StrEnum):
    text = "text"
    json = "json"


class TableFormat(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"


F = TypeVar("F", bound=Callable[..., Any])


def reports_problems(func: F) -> F:
    """Report netweave's own errors without a traceback: a `DesignError` as located lines (or JSON) and
    exit code 2, any other `NetweaveError` as its message and its class's `exit_code`.

    Anything else that escapes is a bug in netweave and keeps its traceback, so it gets reported.

    An OSError that reaches here is a path the OS refused (a file where a directory goes, read-only,
    /proc, no permission): located, exit 2; a full disk or an I/O error is a failed operation, exit 1.
    """

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except DesignError as exc:
            fmt = kwargs.get("output_format")
            print_problems(exc.problems, as_json=fmt is not None and fmt.value == "json")
            raise typer.Exit(exc.exit_code) from None
        except NetweaveError as exc:
            stderr.print(f"error: {exc}" + (f" (hint: {exc.hint})" if exc.hint else ""), markup=False)
            raise typer.Exit(exc.exit_code) from None
        except OSError as exc:
            from netweave.output.writer import FAILED_OPERATION_ERRNOS, output_problem

            problem = output_problem(exc, option="", action="cannot use this path").problems[0]
            if exc.errno in FAILED_OPERATION_ERRNOS:
                stderr.print(problem.located(), markup=False)
                raise typer.Exit(EXIT_FAILED) from None
            print_problems([problem])
            raise typer.Exit(EXIT_INVALID) from None

    return wrapper  # type: ignore[return-value]


def print_problems(problems: list[Problem], as_json: bool = False) -> None:
    if as_json:
        print(json.dumps({"valid": False, "problems": [p.as_dict() for p in problems]}, indent=2))
        return
    for problem in problems:
        stderr.print(problem.located(), markup=False)
    stderr.print(plural(len(problems), "problem"), style="red", markup=False)


def emit_json(data: Any) -> None:
    """Machine output on stdout: stable key order, no colour."""
    sys.stdout.write(json.dumps(data, indent=2, sort_keys=False) + "\n")


@contextlib.contextmanager
def stage_status(first: str) -> Iterator[Callable[[str], None]]:
    """A spinner on a terminal naming the stage at work (quiet when stderr is piped); yields the callback
    that moves it to the next stage (`netweave.pipeline.validate(progress=...)` takes it)."""
    if not stderr.is_terminal:
        yield lambda _stage: None
        return
    with stderr.status(first, spinner="dots") as status:
        yield lambda stage: status.update(stage)


def version_callback(value: bool) -> None:
    """`netweave --version`: the installed distribution's version."""
    if value:
        from importlib.metadata import version

        stdout.print(f"netweave {version('netweave')}", markup=False)
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(
        False, "--version", callback=version_callback, is_eager=True, help="print the version and exit"
    ),
) -> None:
    """Network-as-code for AI data centers: validate intent, expand it into a fabric, render configs."""


_METAVARS = {
    "<path>": "PATH",
    "<str>": "TEXT",
    "<int>": "INTEGER",
    "<int range>": "INTEGER",
    "<float>": "NUMBER",
    "<list[str]>": "TEXT",
}
"""Typer's type labels -> the classic click metavars every command shows (one vocabulary)."""


def tidy_help(command: Any) -> Any:
    """Give every option of `command` (a click command tree) a classic metavar: flags none, lists their
    element type, choices `[a|b]`. Typer's own labels (`<bool>`, `<list[str]>`) read like Python, not a CLI."""
    from typer._click import Context  # typer's own click: a bare context, no argument parsing

    # not `make_context`: parsing (even of no arguments) coerces --help's default through a pydantic TypeAdapter,
    # which imported pydantic (~60 ms) for `netweave --help`; display_type only reads the context's normaliser
    ctx = Context(command, info_name="netweave")
    stack = [command]
    while stack:
        current = stack.pop()
        stack.extend(getattr(current, "commands", {}).values())
        for param in getattr(current, "params", []):
            if param.param_type_name != "option":
                continue
            shown = param.display_type(ctx)
            if getattr(param, "is_flag", False):
                param.metavar = ""
            elif shown in _METAVARS:
                param.metavar = _METAVARS[shown]
            elif shown and re.fullmatch(r"<[a-z0-9|-]+>", shown):
                param.metavar = f"[{shown[1:-1]}]"
    return command


def plural(count: int, noun: str) -> str:
    """'1 error', '2 errors', '0 errors': counts in messages read as English."""
    return f"{count} {noun_for(count, noun)}"


def noun_for(count: int, noun: str) -> str:
    """`noun` in the number `count` asks for: 'device' for 1, 'devices' otherwise."""
    return noun if count == 1 else _plural(noun)


def _plural(noun: str) -> str:
    if noun.endswith(("s", "x", "ch", "sh")):
        return noun + "es"
    if noun.endswith("y") and noun[-2:-1] not in "aeiou":
        return noun[:-1] + "ies"
    return noun + "s"
