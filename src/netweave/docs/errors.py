"""Why the documentation site cannot be written: a component it draws with is not installed.

Both are operational failures (exit 1), not bad input, and each message says how to install the piece.
"""

from __future__ import annotations

from netweave.errors import NetweaveError


class MissingComponent(NetweaveError):
    """A tool or library the site writer needs is not installed."""


class GraphvizMissing(MissingComponent):
    """`dot` is not installed: the topology diagrams cannot be laid out."""


class MatplotlibMissing(MissingComponent):
    """matplotlib is not installed: the optical charts cannot be drawn."""
