"""Every netweave command the README and ARCHITECTURE.md show exists, with the options and choices they use.

The tour test (`tests/test_readme_tour.py`) runs the tour; this one reads every other command line and inline
`netweave ...` span of both documents and checks it against the real command tree: the subcommand path, every
option name, the value of every option or argument that has fixed choices (`-f markdown`, `show ... sites`).
A renamed option or a dropped format in the CLI then fails here instead of leaving the README wrong.
"""

from __future__ import annotations

import enum
import re
from typing import Any

import pytest
import typer

from netweave.cli import app, tidy_help
from netweave.expand.registry import registered_modules
from tests.support import readme

ROOT = tidy_help(typer.main.get_command(app))


def _choices(param: Any) -> list[str] | None:
    """The fixed values a parameter accepts (its annotation is an Enum), or None."""
    annotation = param.type_descriptor.annotation
    if isinstance(annotation, type) and issubclass(annotation, enum.Enum):
        return [str(member.value) for member in annotation]
    return None


def _resolve(argv: list[str]) -> tuple[Any, list[str], str]:
    """The leaf command an argv names, the words after it, and its path ('lab up')."""
    command: Any = ROOT
    path: list[str] = []
    words = list(argv)
    while hasattr(command, "commands") and words and words[0] in command.commands:
        path.append(words[0])
        command = command.commands[words.pop(0)]
    return command, words, " ".join(path)


def _check(command: Any, words: list[str]) -> list[str]:
    """Problems with `words` as arguments of `command`: unknown options, values outside an option's choices."""
    by_opt = {opt: param for param in command.params for opt in (*param.opts, *param.secondary_opts)}
    problems: list[str] = []
    positional: list[str] = []
    i = 0
    while i < len(words):
        word = words[i]
        if word.startswith("-") and word not in ("-", "--"):
            name, _, inline = word.partition("=")
            param = by_opt.get(name)
            if name in ("-h", "--help"):
                i += 1
                continue
            if param is None:
                problems.append(f"unknown option {name}")
                i += 1
                continue
            if getattr(param, "is_flag", False) or getattr(param, "count", False):
                i += 1
                continue
            values = [inline] if inline else words[i + 1 : i + 1 + max(param.nargs, 1)]
            choices = _choices(param)
            if choices is not None and values and values[0] not in choices:
                problems.append(f"{name} {values[0]}: not one of {choices}")
            i += 1 + (0 if inline else max(param.nargs, 1))
            continue
        positional.append(word)
        i += 1
    arguments = [param for param in command.params if param.param_type_name == "argument"]
    for param, value in zip(arguments, positional, strict=False):
        choices = _choices(param)
        if choices is not None and value not in choices:
            problems.append(f"{param.name} {value}: not one of {choices}")
    return problems


INVOCATIONS = [(doc, line, argv) for doc in readme.DOCUMENTS for line, argv in readme.netweave_invocations(doc)]


def test_the_documents_show_commands() -> None:
    """The extraction finds the README's commands (a broken extractor would pass every test below)."""
    paths = {_resolve(argv)[2] for _doc, _line, argv in INVOCATIONS}
    assert len(INVOCATIONS) >= 40
    assert {"validate", "show", "build", "check", "diff", "lab up", "lab verify", "optical report", "apply"} <= paths


@pytest.mark.parametrize(("document", "line", "argv"), INVOCATIONS, ids=[line for _d, line, _a in INVOCATIONS])
def test_command_exists_with_its_options(document: str, line: str, argv: list[str]) -> None:
    command, words, path = _resolve(argv)
    if not path:
        assert argv[:1] == ["--version"], f"{document}: `{line}` names no netweave command"
        return
    assert not hasattr(command, "commands"), f"{document}: `{line}` names the group {path!r}, not a command"
    assert _check(command, words) == [], f"{document}: `{line}`"


def test_checker_catches_a_wrong_command_option_and_choice() -> None:
    """The checker itself fails on what it is meant to catch."""
    show, words, _ = _resolve(["show", "d.yaml", "sitez", "--format", "yaml", "--out", "x"])
    assert len(_check(show, words)) == 3
    assert _resolve(["frobnicate", "d.yaml"])[2] == "" and _resolve(["lab", "d.yaml"])[2] == "lab"


def test_show_views_in_the_tour_comment_are_the_real_ones() -> None:
    """The tour's `show` comment lists the views; together with `sites` (shown in its own line) that is all."""
    show = _resolve(["show"])[0]
    view = next(p for p in show.params if p.name == "view")
    choices = _choices(view)
    assert choices is not None
    match = re.search(r"show stacks/lab/design.yaml devices\s+# ([a-z|]+)", readme.section("Quick tour"))
    assert match is not None
    assert set(match.group(1).split("|")) | {"sites"} == set(choices)
    assert "design.yaml sites" in readme.section("Quick tour")


def test_init_modules_named_in_the_tour_are_installed() -> None:
    named = set(re.findall(r"init ([a-z-]+)", readme.section("Quick tour")))
    assert named == {"ai-backend", "leaf-spine"} and named <= set(registered_modules())


def _all_options() -> set[str]:
    options: set[str] = set()
    stack: list[Any] = [ROOT]
    while stack:
        command = stack.pop()
        stack.extend(getattr(command, "commands", {}).values())
        options |= {opt for param in command.params for opt in (*param.opts, *param.secondary_opts)}
    return options


def test_options_named_in_prose_exist() -> None:
    """An option named on its own in the prose (`--lock-wait`, `--to RUN`) is an option of some netweave
    command; spans of other programs (`vtysh --dryrun`, `frr-reload.py --test`, `python -m tests.golden --update`)
    are left out."""
    named = {
        option
        for document in readme.DOCUMENTS
        for span in readme.inline_spans(document)
        if not re.match(r"(pulumi|pip|git|apt|vtysh|nv|python|config|frr-reload\.py) ", span)
        for option in re.findall(r"(?<![\w-])--[a-z][a-z-]+", span)
    }
    assert {"--lock-wait", "--health-timeout", "--on-failure"} <= named
    assert named - _all_options() == set()
