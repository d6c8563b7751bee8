"""The rich consoles every command prints through (imported on first print: `netweave --help` loads no rich)."""

from __future__ import annotations

from collections.abc import Iterable

from rich.console import Console
from rich.segment import Segment


class SafeConsole(Console):
    """A rich Console that never writes a control character it did not make itself.

    Rich passes ESC, bidi overrides and other controls in printed text through to the terminal, so
    design text (a device name, a quoted key in a problem) could recolour, move the cursor or reorder
    what a reviewer reads. Every text segment is escaped with `terminal_safe` at the last step, where
    tables, problems and plain prints all pass; rich's own style and cursor codes are added after it.
    """

    def _render_buffer(self, buffer: Iterable[Segment]) -> str:
        from netweave.text import (
            terminal_safe,
        )  # here, not at import: text.py loads pydantic, `--help` does not need it

        safe = (
            segment if segment.control else Segment(terminal_safe(segment.text), segment.style, segment.control)
            for segment in buffer
        )
        return super()._render_buffer(safe)
