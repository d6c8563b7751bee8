"""The rendering engine: pick a NOS renderer, build the context, fill its Jinja templates."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import jinja2

from netweave.network import Device, Network
from netweave.render.context import device_context
from netweave.render.frr import frr_context
from netweave.render.srlinux import canonical_json, srlinux_context
from netweave.resources import resource_dir


class UnsupportedNos(ValueError):
    """A device's NOS has no renderer (yet)."""


@dataclass(frozen=True)
class NosRenderer:
    """How one NOS is rendered: output file suffix -> template, relative to templates/<nos>/."""

    nos: str
    files: dict[str, str]
    """e.g. {'.conf': 'frr.conf.j2'}; a device gets one output file per entry: <device><suffix>."""
    extra_context: Callable[[Network, Device], dict[str, object]] | None = None
    postprocess: Callable[[str], str] | None = None
    """Canonicalise the rendered text (e.g. re-dump JSON)."""


@dataclass
class RenderedConfig:
    """A device's rendered configuration files: file name -> content."""

    device: str
    nos: str
    files: dict[str, str] = field(default_factory=dict)


RENDERERS: dict[str, NosRenderer] = {
    "frr": NosRenderer("frr", {".frr.conf": "frr.conf.j2"}, extra_context=frr_context),
    "srlinux": NosRenderer("srlinux", {".srlinux.json": "config.json.j2"}, extra_context=srlinux_context,
                           postprocess=canonical_json),
}


@cache
def _environment(nos: str) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(Path(resource_dir("templates")) / nos)),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        autoescape=False,
    )
    return env


def render_device(network: Network, device: Device) -> RenderedConfig:
    """Render every file of `device` for its NOS. Raises UnsupportedNos for a NOS without templates."""
    renderer = RENDERERS.get(device.nos)
    if renderer is None:
        raise UnsupportedNos(f"{device.name}: no renderer for NOS '{device.nos}' "
                             f"(available: {', '.join(sorted(RENDERERS))})")
    context = device_context(network, device)
    if renderer.extra_context is not None:
        context.update(renderer.extra_context(network, device))
    env = _environment(device.nos)
    out = RenderedConfig(device=device.name, nos=device.nos)
    for suffix, template in renderer.files.items():
        text = env.get_template(template).render(context)
        out.files[f"{device.name}{suffix}"] = renderer.postprocess(text) if renderer.postprocess else text
    return out


def render(network: Network, only: Iterable[str] | None = None) -> list[RenderedConfig]:
    """Render all devices (or just `only`), in the network's canonical device order."""
    wanted = set(only) if only is not None else None
    return [render_device(network, d) for d in network.devices if wanted is None or d.name in wanted]
