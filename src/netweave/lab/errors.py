"""Exceptions raised by the lab runtime.

Every error carries a message a user can act on: what went wrong, which lab/node/link, and what to do
next (usually "run down first" or "fix this field of the topology"). They derive from netweave's one base
exception, so the CLI prints the message without a traceback and exits with each class's `exit_code`.
"""

from __future__ import annotations

from typing import ClassVar

from netweave.errors import EXIT_INVALID, NetweaveError


class LabError(NetweaveError):
    """Base class of every lab runtime error (a failed operation: CLI exit code 1)."""


class LabTopologyError(LabError):
    """The topology itself is invalid (bad names, dangling links, duplicate interfaces: exit code 2).

    ``problems`` lists every problem found, so a user fixes them all in one pass rather than one per run.
    """

    exit_code: ClassVar[int] = EXIT_INVALID

    def __init__(self, lab: str, problems: list[str]) -> None:
        self.lab = lab
        self.problems = list(problems)
        lines = "\n".join(f"  - {p}" for p in self.problems)
        super().__init__(f"lab topology {lab!r} is invalid:\n{lines}")


class LabEnvironmentError(LabError):
    """This machine cannot run a lab (not root, FRR or iproute2 missing)."""


class LabExistsError(LabError):
    """A lab of the same name is already up (or left over from an interrupted run)."""


class LabStartError(LabError):
    """``up`` failed halfway; everything it had created was removed before this was raised."""


class LabNotFoundError(LabError):
    """No state file for the lab: it is not up, or its state directory is a different one."""


class LabCommandError(LabError):
    """A command run inside a lab node (vtysh, ip) failed; the message carries its stderr."""


class LabTimeoutError(LabError, TimeoutError):
    """A condition awaited with ``wait_for`` did not become true in time."""


class UnknownNodeError(LabError, KeyError):
    """A query named a node the lab does not have."""

    def __str__(self) -> str:  # KeyError would print the message with quotes around it
        return str(self.args[0]) if self.args else ""
