"""One base exception: every error class netweave defines derives from `NetweaveError`, and the CLI turns
any of them into a message and the class's exit code (2 invalid input, 1 failed operation), never a traceback.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import typer

import netweave
from netweave.cli.app import reports_problems
from netweave.errors import EXIT_FAILED, EXIT_INVALID, DesignError, NetweaveError, Problem
from netweave.lab.errors import LabNotFoundError, LabTopologyError
from netweave.plugins import PluginError
from netweave.render import RenderError
from tests.conftest import LAB_DESIGN


def _netweave_exceptions() -> list[type[BaseException]]:
    """Every exception class defined in a netweave module (all modules imported; `__main__` only runs)."""
    for info in pkgutil.walk_packages(netweave.__path__, "netweave."):
        if not info.name.endswith("__main__"):
            importlib.import_module(info.name)
    found: set[type[BaseException]] = set()
    pending: list[type[BaseException]] = [BaseException]
    while pending:
        for sub in pending.pop().__subclasses__():
            if sub not in found:
                found.add(sub)
                pending.append(sub)
    return sorted((c for c in found if c.__module__.startswith("netweave.")), key=lambda c: c.__qualname__)


def test_every_netweave_error_derives_from_the_base() -> None:
    classes = _netweave_exceptions()
    assert {"DesignError", "RenderError", "LabError", "BackupMissing", "TransportError", "DeviceError"} <= {
        c.__name__ for c in classes
    }
    strays = [f"{c.__module__}.{c.__qualname__}" for c in classes if not issubclass(c, NetweaveError)]
    assert strays == []


@pytest.mark.parametrize(
    ("error", "code"),
    [
        (DesignError([Problem("bad", path="name", file="d.yaml", line=1)]), EXIT_INVALID),
        (LabTopologyError("lab", ["link a:eth1 names no node"]), EXIT_INVALID),
        (LabNotFoundError("lab 'x' is not up"), EXIT_FAILED),
        (RenderError("leaf1: VNI 70000 does not fit"), EXIT_FAILED),
        (PluginError("lint rule module 'acme' failed to load"), EXIT_FAILED),
    ],
    ids=lambda v: type(v).__name__ if isinstance(v, BaseException) else str(v),
)
def test_cli_exit_code_comes_from_the_error_class(
    error: NetweaveError, code: int, capsys: pytest.CaptureFixture[str]
) -> None:
    @reports_problems
    def command() -> None:
        raise error

    with pytest.raises(typer.Exit) as exited:
        command()
    assert exited.value.exit_code == code
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert (str(error.problems[0].located()) if isinstance(error, DesignError) else f"error: {error}") in err


def test_a_bug_is_not_disguised_as_a_user_error() -> None:
    """Only netweave's own errors are turned into messages; anything else keeps its traceback."""

    @reports_problems
    def command() -> None:
        raise ZeroDivisionError("bug")

    with pytest.raises(ZeroDivisionError):
        command()


def test_lab_verify_without_a_lab_fails_with_a_message(tmp_path: Path, cli: Callable[..., Any]) -> None:
    """`lab verify` handles no LabError itself: the shared handler prints it and exits 1."""
    result = cli("lab", "verify", LAB_DESIGN, "--state-dir", tmp_path)
    assert result.exit_code == EXIT_FAILED, result.output
    assert result.stderr.startswith("error: ") and "Traceback" not in result.output


def test_errors_keep_their_builtin_bases() -> None:
    """Callers that caught the builtin bases before (ValueError, LookupError) still catch them."""
    from netweave.apply.backups import BackupMissing
    from netweave.lab.errors import UnknownNodeError

    assert issubclass(RenderError, ValueError) and issubclass(BackupMissing, LookupError)
    assert issubclass(UnknownNodeError, KeyError)
