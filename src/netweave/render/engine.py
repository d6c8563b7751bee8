"""The rendering engine: pick a NOS renderer, build the context, fill its Jinja templates."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import jinja2

from netweave.network.model import Device, Network
from netweave.render.context import RenderError, RenderIndex, device_context
from netweave.render.eos import eos_context
from netweave.render.frr import frr_context
from netweave.render.nvue import nvue_context
from netweave.render.sonic import sonic_context
from netweave.render.srlinux import canonical_json, srlinux_context
from netweave.render.sros import sros_context
from netweave.text import one_line

TEMPLATES = Path(__file__).resolve().parent / "templates"
"""templates/<nos>/ inside the package (a wheel and a checkout read the same folder)."""


class UnsupportedNos(RenderError):
    """A device's NOS has no renderer (yet)."""


@dataclass(frozen=True)
class NosRenderer:
    """How one NOS is rendered: output file suffix -> template, relative to templates/<nos>/."""

    nos: str
    files: dict[str, str]
    """e.g. {'.conf': 'frr.conf.j2'}; a device gets one output file per entry: <device><suffix>."""
    extra_context: Callable[[Network, Device, dict[str, Any]], dict[str, object]] | None = None
    """NOS-specific names and units, computed from the network, the device and the common context."""
    postprocess: dict[str, Callable[[str], str]] = field(default_factory=dict)
    """Suffix -> canonicaliser of the rendered text (e.g. re-dump JSON)."""
    includes: tuple[str, ...] = ()
    """Other template folders searched after templates/<nos>/ (SONiC reuses FRR's BGP part)."""


@dataclass
class RenderedConfig:
    """A device's rendered configuration files: file name -> content."""

    device: str
    nos: str
    files: dict[str, str] = field(default_factory=dict)


RENDERERS: dict[str, NosRenderer] = {
    "frr": NosRenderer("frr", {".frr.conf": "frr.conf.j2"}, extra_context=frr_context),
    "srlinux": NosRenderer(
        "srlinux",
        {".srlinux.json": "config.json.j2"},
        extra_context=srlinux_context,
        postprocess={".srlinux.json": canonical_json},
    ),
    "eos": NosRenderer("eos", {".eos.cfg": "eos.cfg.j2"}, extra_context=eos_context),
    "sonic": NosRenderer(
        "sonic",
        {".config_db.json": "config_db.json.j2", ".sonic-frr.conf": "frr.conf.j2"},
        extra_context=sonic_context,
        postprocess={".config_db.json": canonical_json},
        includes=("frr",),
    ),
    "nvue": NosRenderer("nvue", {".nvue.yaml": "startup.yaml.j2"}, extra_context=nvue_context),
    "sros": NosRenderer("sros", {".sros.cfg": "config.cfg.j2"}, extra_context=sros_context),
}


@cache
def _environment(nos: str, includes: tuple[str, ...] = ()) -> jinja2.Environment:
    root = TEMPLATES
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader([str(root / folder) for folder in (nos, *includes)]),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        autoescape=False,
    )
    env.policies["json.dumps_kwargs"] = {"sort_keys": False}  # keep the order Python built (names first)
    env.filters["one_line"] = one_line  # design text in a text config: one line whatever it holds
    return env


def render_device(network: Network, device: Device, index: RenderIndex | None = None) -> RenderedConfig:
    """Render every file of `device` for its NOS. Raises UnsupportedNos for a NOS without templates.

    Pass the `index` built once for the network when rendering many devices (see `render`)."""
    renderer = RENDERERS.get(device.nos)
    if renderer is None:
        raise UnsupportedNos(
            f"{device.name}: no renderer for NOS '{device.nos}' (available: {', '.join(sorted(RENDERERS))})"
        )
    try:
        context = device_context(network, device, index)
        if renderer.extra_context is not None:
            context.update(renderer.extra_context(network, device, context))
    except RenderError as exc:  # name the device, once
        if str(exc).startswith(f"{device.name}:"):
            raise
        raise type(exc)(f"{device.name}: {exc}") from exc
    env = _environment(device.nos, renderer.includes)
    out = RenderedConfig(device=device.name, nos=device.nos)
    for suffix, template in renderer.files.items():
        text = env.get_template(template).render(context)
        post = renderer.postprocess.get(suffix)
        out.files[f"{device.name}{suffix}"] = post(text) if post else text
    return out


def render(network: Network, only: Iterable[str] | None = None) -> list[RenderedConfig]:
    """Render all devices (or just `only`), in the network's canonical device order."""
    wanted = set(only) if only is not None else None
    index = RenderIndex(network)  # fresh: the network may have been edited since an earlier render
    return [render_device(network, d, index) for d in network.devices if wanted is None or d.name in wanted]
