"""Rendering: one configuration per device, in the form its NOS loads as a full replacement.

Templates live in `templates/<nos>/` (each NOS profile in `netweave.nos` names its folders); Python builds
the context (names, units, address math) and the templates only format it. Output is deterministic: no
timestamps, canonical order.

The public names load on first use (PEP 562): every NOS profile imports `netweave.render.context` for its
context functions, and this package's eager import of the engine then loaded Jinja (~15-25 ms) into
`netweave validate` and `show`, which render nothing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from netweave.lazy import lazy_exports

if TYPE_CHECKING:
    from netweave.render.context import RenderError
    from netweave.render.engine import RenderedConfig, UnsupportedNos, render, render_device, renderable

_WHERE: dict[str, str] = {
    "RenderError": "netweave.render.context",
    "RenderedConfig": "netweave.render.engine",
    "UnsupportedNos": "netweave.render.engine",
    "render": "netweave.render.engine",
    "render_device": "netweave.render.engine",
    "renderable": "netweave.render.engine",
}
"""Public name -> the module that defines it."""

__all__ = ["RenderError", "RenderedConfig", "UnsupportedNos", "render", "render_device", "renderable"]


__getattr__, __dir__ = lazy_exports(__name__, _WHERE, globals())
