"""What every validator returns: located problems, and the one error for "cannot judge here".

Shared by all validators (one module per NOS in this package) and the runner, so a problem from yanglint,
vtysh, the NVUE schema or the EOS command index prints the same way (`FILE:LINE: message`) and a missing
tool is told apart from a bad config.
"""

from __future__ import annotations

from dataclasses import dataclass

from netweave.errors import NetweaveError

__all__ = ["CheckProblem", "ValidatorUnavailable"]


@dataclass(frozen=True, slots=True)
class CheckProblem:
    """One problem in one rendered file.

    `line` is the 1-based line of the file when the validator knows it (text configs, JSON/YAML nodes);
    `where` is the design-independent path inside the config (`/set/interface/swp1/link/mtu`, a YANG data
    path, or the CLI parent context) so a problem stays findable when no line is known.
    """

    file: str
    line: int | None
    where: str
    message: str

    def __str__(self) -> str:
        loc = f"{self.file}:{self.line}" if self.line is not None else self.file
        at = f" (at {self.where})" if self.where else ""
        return f"{loc}: {self.message}{at}"


class ValidatorUnavailable(NetweaveError):
    """The tool, package or model set a validator needs is missing; the message names what to install."""
