"""Problems a user can act on: what is wrong, where, and what would fix it.

Every netweave error derives from `NetweaveError`, so a caller (the CLI, a Pulumi program, a notebook)
catches one class to handle them all, and anything else that escapes is a bug, not a user's mistake.
Every stage that rejects input raises `DesignError` carrying one or more `Problem`s. The CLI turns them
into `FILE:LINE: PATH: message` lines and exit code 2, and any other `NetweaveError` into its message
and its `exit_code`; nothing below the CLI prints or exits.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar

EXIT_FAILED = 1
"""Exit code of an operation that failed (a device, a lab, a renderer, a plugin)."""
EXIT_INVALID = 2
"""Exit code of input the user must fix (the design, an option, a topology)."""


@dataclass(frozen=True, slots=True)
class Problem:
    """One located finding in a design file."""

    message: str
    path: str = ""
    file: str = ""
    line: int | None = None
    hint: str = ""

    def located(self) -> str:
        """Render as `FILE:LINE: PATH: message (hint)`, the form editors and CI annotations understand."""
        where = self.file or "<design>"
        if self.line is not None:
            where = f"{where}:{self.line}"
        text = f"{where}: {self.path}: {self.message}" if self.path else f"{where}: {self.message}"
        return f"{text} (hint: {self.hint})" if self.hint else text

    def as_dict(self) -> dict[str, object]:
        return {"file": self.file, "line": self.line, "path": self.path, "message": self.message, "hint": self.hint}


class NetweaveError(Exception):
    """Base of every error netweave raises on purpose: catch this one to handle them all."""

    exit_code: ClassVar[int] = EXIT_FAILED
    """What the CLI exits with: 1 for a failed operation; subclasses about bad input say 2."""
    hint: ClassVar[str] = ""
    """What usually fixes this kind of error, shown after the message."""


@dataclass
class DesignError(NetweaveError):
    """The design cannot be used as written; `problems` says where and why."""

    exit_code: ClassVar[int] = EXIT_INVALID
    problems: list[Problem] = field(default_factory=list)

    def __str__(self) -> str:
        return "\n".join(p.located() for p in self.problems)


def format_path(parts: tuple[str | int, ...] | list[str | int]) -> str:
    """Design path in the dotted form users see: `sites[0].fabrics[1].leaves.count`."""
    out = ""
    for part in parts:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out
