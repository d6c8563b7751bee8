"""Rendering: one configuration per device, in the form its NOS loads as a full replacement.

Templates live in `templates/<nos>/` (each NOS profile in `netweave.nos` names its folders); Python builds
the context (names, units, address math) and the templates only format it. Output is deterministic: no
timestamps, canonical order.
"""

from netweave.render.context import RenderError
from netweave.render.engine import RenderedConfig, UnsupportedNos, render, render_device, renderable

__all__ = ["RenderError", "RenderedConfig", "UnsupportedNos", "render", "render_device", "renderable"]
