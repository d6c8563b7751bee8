"""What a validator reports: located problems, and the error for a validator that cannot run here.

Kept apart from the runner so every validator module (SONiC, SR OS, and the NVUE/EOS/SR Linux/FRR ones) can
import these two types without importing each other.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from netweave.errors import EXIT_FAILED, NetweaveError


@dataclass(frozen=True, slots=True)
class CheckProblem:
    """One problem a vendor's model found in one rendered file.

    ``line`` is set when the problem can be traced to a line of the rendered file (what an editor jumps to);
    ``path`` is the model's data path (``/sonic-port:sonic-port/PORT/PORT_LIST[name='Ethernet0']/mtu``), kept
    even when a line is known because it names the exact node the vendor's model rejected.
    """

    file: str
    message: str
    line: int | None = None
    path: str = ""

    def located(self) -> str:
        """``FILE:LINE: message`` (or ``FILE: PATH: message`` when no line is known), as editors and CI read it."""
        if self.line is not None:
            return f"{self.file}:{self.line}: {self.message}"
        if self.path:
            return f"{self.file}: {self.path}: {self.message}"
        return f"{self.file}: {self.message}"

    def as_dict(self) -> dict[str, object]:
        return {"file": self.file, "line": self.line, "path": self.path, "message": self.message}

    def __str__(self) -> str:
        return self.located()


class ValidatorUnavailable(NetweaveError):
    """A validator cannot run here: its tool (yanglint, vtysh, ...) or its model set is missing.

    Exit code 1 (a failed operation, not bad input): the configs were not judged, so "clean" must not be
    claimed. The message names what to install or which option points at the models.
    """

    exit_code: ClassVar[int] = EXIT_FAILED
