"""The rendering engine: look up the device's NOS profile, build the context, fill the profile's Jinja templates.

What is rendered for a NOS (files, template folders, its context function, postprocessing) is its
`netweave.nos` profile's `Rendering`; this module only runs it.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from contextvars import ContextVar
from dataclasses import dataclass, field
from functools import cache
from json.encoder import encode_basestring_ascii
from pathlib import Path
from typing import Any

import jinja2
import orjson
from jinja2 import nodes
from jinja2.utils import htmlsafe_json_dumps
from markupsafe import Markup

from netweave.errors import NetweaveError
from netweave.network.model import Device, Network
from netweave.nos import find, nos_names
from netweave.render.context import RenderError, RenderIndex, device_context
from netweave.render.postprocess import canonical_json
from netweave.render.template_cache import template_cache
from netweave.text import one_line


class UnsupportedNos(RenderError):
    """A device's NOS has no installed profile, or its profile renders no configuration."""


@dataclass
class RenderedConfig:
    """A device's rendered configuration files: file name -> content."""

    device: str
    nos: str
    files: dict[str, str] = field(default_factory=dict)


def renderable(nos: str) -> bool:
    """Whether an installed profile renders configurations for `nos`."""
    found = find(nos)
    return found is not None and found.render is not None


SYNTAX: dict[str, Any] = {
    "trim_blocks": True,
    "lstrip_blocks": True,
    "keep_trailing_newline": True,
    "autoescape": False,
}
"""The environment's options that shape the compiled templates (also the compiled-template cache's key)."""


@cache
def _environment(folders: tuple[Path, ...], parsed: bool = False) -> jinja2.Environment:
    """One Jinja environment per template search path (shared by every device of a NOS); `parsed`: for
    files their profile parses and re-dumps (`canonical_json`), whose `tojson` is `tojson_parsed`."""
    env = make_environment(folders)
    if parsed:
        env.filters["tojson"] = tojson_parsed
    return env


def make_environment(folders: tuple[Path, ...]) -> jinja2.Environment:
    """A Jinja environment over `folders` with netweave's filters, loading compiled templates from the
    user's template cache when it has them (see `netweave.render.template_cache`)."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader([str(folder) for folder in folders]),
        undefined=jinja2.StrictUndefined,
        bytecode_cache=template_cache({**SYNTAX, "undefined": "StrictUndefined"}),
        **SYNTAX,
    )
    env.policies["json.dumps_kwargs"] = {"sort_keys": False}  # keep the order Python built (names first)
    env.filters["one_line"] = one_line  # design text in a text config: one line whatever it holds
    env.filters["tojson"] = tojson
    return env


_HTML_UNSAFE = str.maketrans({"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "'": "\\u0027"})


def tojson(value: Any, indent: int | None = None) -> Markup:
    """Jinja's `tojson`, byte for byte, without its per-call cost for a string.

    Jinja's filter builds a new `json.JSONEncoder` for every value (our `sort_keys=False` policy is not the
    default) and runs four `str.replace` calls for its HTML escaping; the NVUE template pipes 505,568
    descriptions through it at 100,000 GPUs (~2.4 s profiled). A string's JSON with `ensure_ascii` is exactly
    `encode_basestring_ascii` (what `json.dumps` itself calls), and the HTML escaping is kept (so the output
    does not change) but done only when one of its four characters occurs. Anything else takes Jinja's path."""
    if indent is None and type(value) is str:
        text = encode_basestring_ascii(value)
        if "<" in text or ">" in text or "&" in text or "'" in text:
            text = text.translate(_HTML_UNSAFE)
        return Markup(text)
    kwargs: dict[str, Any] = {"sort_keys": False} if indent is None else {"sort_keys": False, "indent": indent}
    return htmlsafe_json_dumps(value, **kwargs)


_ORJSON_ONLY_NATIVE = (
    orjson.OPT_PASSTHROUGH_DATACLASS | orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_PASSTHROUGH_SUBCLASS
)


def tojson_parsed(value: Any, indent: int | None = None) -> Markup:
    """`tojson` for a file that is parsed and re-dumped (`canonical_json`) before anyone reads it: there only
    the value the JSON parses to reaches the file, so orjson's compact text (~5x faster than `json.dumps`
    for the SR Linux interface and network-instance trees, ~0.15 s of a 2+256 EVPN build) gives the same
    file as Jinja's. Whatever orjson would write differently falls back to `tojson`: values it only passes
    through (dataclasses, datetimes, subclasses of str/int/dict/list such as Markup), what it
    refuses (non-str keys, integers beyond 64 bits, lone surrogates), and any `null` in its output, since
    orjson writes NaN and infinities as null where `json.dumps` writes NaN (which the re-parse rejects)."""
    if indent is None:
        parked = _PARKED.get()
        if parked is not None and (type(value) is dict or type(value) is list):
            parked.append(value)  # `render_parked` writes the value itself where this placeholder lands
            return Markup(f'"{_PARK_TAG}{len(parked) - 1}"')
        try:
            text = orjson.dumps(value, option=_ORJSON_ONLY_NATIVE)
        except TypeError:  # orjson.JSONEncodeError, and the passed-through types
            pass
        else:
            if b"null" not in text:
                return Markup(text.decode())
    return tojson(value, indent)


_PARKED: ContextVar[list[Any] | None] = ContextVar("netweave_parked_json", default=None)
"""While `render_parked` renders: the dicts and lists `tojson_parsed` was given, in order (else None)."""
_PARK_TAG = f"netweave-parked-{secrets.token_hex(8)}-"
"""What a placeholder string starts with: random per process, so neither design text nor a template can write it."""
_READ_ONLY_CALLS = frozenset({"items", "keys", "values", "get"})
"""The only calls a template may make for its values to be parked: methods that read a dict."""


class _Unparkable(NetweaveError):
    """The placeholders are not each exactly once a whole value in the re-dumped text: take the text path.
    (Caught where it is raised, never shown; a NetweaveError like every exception netweave defines.)"""


@cache
def parkable(env: jinja2.Environment, name: str) -> bool:
    """Whether template `name` may be rendered by `render_parked`: it calls nothing but the read-only dict
    methods and includes, imports and extends nothing, so no value it gives `tojson` can change before the
    end of the render (a parked value is written then, not when `tojson` saw it). Attribute reads are taken to
    change nothing, as everywhere in rendering: the context is built before the template runs, which only
    formats it (DESIGN.md)."""
    assert env.loader is not None
    source = env.loader.get_source(env, name)[0]
    for node in env.parse(source).find_all((nodes.Call, nodes.Include, nodes.Extends, nodes.Import, nodes.FromImport)):
        if not (
            isinstance(node, nodes.Call) and isinstance(node.node, nodes.Getattr) and node.node.attr in _READ_ONLY_CALLS
        ):
            return False
    return True


def render_parked(template: jinja2.Template, context: dict[str, Any]) -> str:
    """`canonical_json(template.render(context))`, byte for byte, without parsing the text of its big values.

    An SR Linux leaf's file is ~96 KB of JSON, ~90% of it dicts and lists the NOS profile built in Python
    (interfaces, network instances) that the template passes through `tojson`: written as text, parsed back by
    `canonical_json` and written again. Here `tojson_parsed` parks each dict or list and writes a placeholder
    string instead; the rest (~9 KB) is parsed and written indented, and each placeholder is replaced by its
    value written by orjson at the placeholder's depth (inside as many one-item lists, which are then cut
    off: orjson's indented form of a value depends only on its depth). 2+256 EVPN fabric, SR Linux, template
    and canonical JSON: 0.183 s -> 0.140 s of CPU.

    Whatever could make the two paths differ takes the text path instead (the template rendered again, its text
    parsed and re-dumped, with its bytes or its error): a placeholder that is not found exactly once as a whole
    value (a key, inside another string, dropped by a duplicate key), a value orjson would not write natively
    (`tojson_parsed`'s fallbacks), and any `null` in the file (orjson writes NaN as null, where the text path
    fails on it)."""
    parked: list[Any] = []
    token = _PARKED.set(parked)
    try:
        text = template.render(context)
    finally:
        _PARKED.reset(token)
    if not parked:
        return canonical_json(text)
    try:
        out = _unpark(orjson.dumps(orjson.loads(text), option=orjson.OPT_INDENT_2), parked)
    except (ValueError, TypeError, _Unparkable):  # orjson's decode/encode errors are ValueError/TypeError
        out = b"null"
    if b"null" in out:
        return canonical_json(template.render(context))
    return out.decode() + "\n"


def _unpark(skeleton: bytes, parked: list[Any]) -> bytes:
    """`skeleton` (indented JSON) with each placeholder string replaced by its parked value, written at the
    placeholder's depth. Raises `_Unparkable` unless every placeholder stands exactly once as a whole value:
    after a key (`": "` before it) or as a list item (only indentation before it), then `,`, newline or end."""
    pieces = skeleton.split(b'"' + _PARK_TAG.encode())
    if len(pieces) != len(parked) + 1:
        raise _Unparkable
    out = [pieces[0]]
    seen = [False] * len(parked)
    option = orjson.OPT_INDENT_2 | _ORJSON_ONLY_NATIVE
    for piece in pieces[1:]:
        before = out[-1]
        line = before[before.rfind(b"\n") + 1 :]
        indent = len(line) - len(line.lstrip(b" "))
        if indent % 2 or not (line.endswith(b'": ') or len(line) == indent):
            raise _Unparkable
        end = piece.find(b'"')
        number = piece[:end]
        if end < 1 or not number.isdigit() or piece[end + 1 : end + 2] not in (b",", b"\n", b""):
            raise _Unparkable
        index = int(number)
        if index >= len(parked) or seen[index]:
            raise _Unparkable
        seen[index] = True
        depth = indent // 2
        value = parked[index]
        for _ in range(depth):
            value = [value]
        written = orjson.dumps(value, option=option)
        # depth d: d opening lines and 2d spaces before the value, d closing lines after it
        out.append(written[depth * depth + 3 * depth : len(written) - depth * depth - depth])
        out.append(piece[end + 1 :])
    return b"".join(out)


def render_device(network: Network, device: Device, index: RenderIndex | None = None) -> RenderedConfig:
    """Render every file of `device` for its NOS. Raises UnsupportedNos for a NOS without templates.

    Pass the `index` built once for the network when rendering many devices (see `render`)."""
    nos = find(device.nos)
    renderer = nos.render if nos is not None else None
    if renderer is None:
        available = ", ".join(name for name in nos_names() if renderable(name))
        raise UnsupportedNos(f"{device.name}: no renderer for NOS '{device.nos}' (available: {available})")
    try:
        context = device_context(network, device, index)
        if renderer.context is not None:
            context.update(renderer.context(network, device, context))
    except RenderError as exc:  # name the device, once
        if str(exc).startswith(f"{device.name}:"):
            raise
        raise type(exc)(f"{device.name}: {exc}") from exc
    out = RenderedConfig(device=device.name, nos=device.nos)
    for suffix, template in renderer.files.items():
        post = renderer.postprocess.get(suffix)
        parsed = post is canonical_json
        env = _environment(renderer.templates, parsed)
        if parsed and parkable(env, template):
            out.files[f"{device.name}{suffix}"] = render_parked(env.get_template(template), context)
            continue
        text = env.get_template(template).render(context)
        out.files[f"{device.name}{suffix}"] = post(text) if post else text
    return out


def render(network: Network, only: Iterable[str] | None = None) -> list[RenderedConfig]:
    """Render all devices (or just `only`), in the network's canonical device order."""
    wanted = set(only) if only is not None else None
    index = RenderIndex(network)  # fresh: the network may have been edited since an earlier render
    return [render_device(network, d, index) for d in network.devices if wanted is None or d.name in wanted]
