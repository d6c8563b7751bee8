"""Validate a containerlab topology (as a dict) against containerlab's published JSON schema, plus links.

Two gaps of plain ``jsonschema`` with that schema are closed here:

* Its ``pattern`` strings use ``\\p{L}``/``\\p{N}`` (Unicode classes), which Python's ``re`` rejects; the
  validator below compiles patterns (and the ``regex`` format) with the ``regex`` module instead.
* It describes short-form link endpoints with ``prefixItems`` (draft 2020-12), which a draft-07
  validator ignores. So ``link_problems`` checks every ``"node:interface"`` endpoint itself: the node
  exists (or is one of containerlab's pseudo nodes ``host``/``mgmt-net``/``macvlan``), the interface name
  is one that node's kind accepts, and no endpoint is used twice.

Interface names per kind, from the containerlab kind pages and Nokia's SR-SIM docs:

* ``nokia_srlinux``: ``e<slot>-<port>`` or breakout ``e<slot>-<port>-<channel>`` (container names);
  containerlab also accepts the SR Linux aliases ``ethernet-<slot>/<port>[/<channel>]``.
* ``nokia_srsim``: ``e<card>-<mda>-<port>``, ``e<card>-<mda>-c<connector>-<port>`` and the XIOM forms
  ``e<card>-x<xiom>-<mda>-[c<connector>-]<port>`` (SR OS port ``1/1/c1/1`` is ``e1-1-c1-1``).
* ``arista_ceos``, ``sonic-vs``: ``eth<N>`` with N >= 1 (``eth0`` is the management interface).
* ``nvidia_cumulusvx``: ``swp<N>`` with N >= 1, breakouts ``swp<N>s<M>``.
* ``linux`` (FRR images) and ``bridge``/``ovs-bridge``: any Linux interface name (at most 15 characters,
  no ``/``, ``:`` or whitespace) other than ``eth0`` for ``linux``.
* other kinds: not checked (their VM-backed names such as ``GigabitEthernet0/0/0/1`` vary by kind).
"""

from __future__ import annotations

import difflib
import functools
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

import jsonschema
import regex
from jsonschema.exceptions import ValidationError

from tests.support.reference import ReferenceNotFound, reference_file

SCHEMA_RELATIVE = Path("containerlab/clab.schema.json")
"""Where the schema is inside the shared `reference/` directory."""
PSEUDO_NODES = frozenset({"host", "mgmt-net", "macvlan"})

_LINUX_IFNAME = regex.compile(r"^[^/:\s]{1,15}$")
_KIND_IFNAME: dict[str, tuple[regex.Pattern[str], str]] = {
    "nokia_srlinux": (
        regex.compile(r"^(e[1-9][0-9]*-[1-9][0-9]*(-[1-9][0-9]*)?|ethernet-[1-9][0-9]*/[1-9][0-9]*(/[1-9][0-9]*)?)$"),
        "e<slot>-<port>[-<breakout>] such as 'e1-1' (or 'ethernet-1/1')",
    ),
    "nokia_srsim": (
        regex.compile(r"^e[1-9][0-9]*-(x[1-9][0-9]*-)?[1-9][0-9]*-(c[1-9][0-9]*-)?[1-9][0-9]*$"),
        "e<card>-<mda>-<port> or e<card>-<mda>-c<connector>-<port> such as 'e1-1-c1-1'",
    ),
    "arista_ceos": (regex.compile(r"^eth[1-9][0-9]*(_[1-9][0-9]*)?$"), "eth<N>[_<lane>] such as 'eth1' or 'eth1_1'"),
    "sonic-vs": (regex.compile(r"^eth[1-9][0-9]*$"), "eth<N> with N >= 1 such as 'eth1'"),
    "nvidia_cumulusvx": (regex.compile(r"^swp[1-9][0-9]*(s[0-9]+)?$"), "swp<N> with N >= 1 such as 'swp1'"),
}
_ANY_LINUX_KINDS = frozenset({"linux", "bridge", "ovs-bridge"})


class SchemaNotFoundError(ReferenceNotFound):
    """The containerlab schema could not be located; the message says where we looked."""


def find_clab_schema() -> Path:
    """containerlab's published schema in the shared reference data (see `tests.support.reference`)."""
    try:
        return reference_file(SCHEMA_RELATIVE)
    except ReferenceNotFound as exc:
        raise SchemaNotFoundError(str(exc)) from None


@functools.lru_cache(maxsize=256)
def _compile(pattern: str) -> regex.Pattern[str]:
    return regex.compile(pattern)


def _pattern(validator: Any, pattern: str, instance: Any, schema: Mapping[str, Any]) -> Iterator[ValidationError]:
    """The draft-07 ``pattern`` keyword, matched with ``regex`` (which knows ``\\p{L}``)."""
    if validator.is_type(instance, "string") and not _compile(pattern).search(instance):
        yield ValidationError(f"{instance!r} does not match {pattern!r}")


def _format_checker() -> jsonschema.FormatChecker:
    checker = jsonschema.FormatChecker()

    @checker.checks("regex", raises=regex.error)
    def is_regex(instance: object) -> bool:
        if isinstance(instance, str):
            regex.compile(instance)
        return True

    return checker


_ClabValidator: Callable[..., Any] = jsonschema.validators.extend(jsonschema.Draft7Validator, {"pattern": _pattern})


@functools.lru_cache(maxsize=4)
def _load_schema(path: str) -> dict[str, Any]:
    import json

    with open(path, encoding="utf-8") as fh:
        return json.load(fh)


def _path_text(path: Iterator[Any] | Any) -> str:
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "(top level)"


def _specific_errors(error: ValidationError) -> list[ValidationError]:
    """For anyOf/oneOf errors, every error of the branch the author most likely meant.

    ``node: {kind: typo}`` fails ``oneOf [null, node-config]``; jsonschema's ``best_match`` picks
    "is not of type 'null'", while the useful messages are those inside the other branch. The branch
    whose errors reach deepest into the instance wins; at equal depth a non-``type`` error wins.
    """
    if not error.context:
        return [error]
    branches: dict[object, list[ValidationError]] = {}
    for sub in error.context:
        branches.setdefault(sub.relative_schema_path[0], []).append(sub)

    def score(errors: list[ValidationError]) -> tuple[int, bool]:
        return max((len(e.absolute_path), e.validator != "type") for e in errors)

    chosen = max(branches.values(), key=score)
    return [leaf for sub in chosen for leaf in _specific_errors(sub)]


def _message(error: ValidationError) -> str:
    """jsonschema's message, shortened where it would dump a 60-item enum or a 1,000-character regex."""
    if error.validator == "enum" and isinstance(error.validator_value, list):
        allowed = [str(v) for v in error.validator_value]
        close = difflib.get_close_matches(str(error.instance), allowed, n=3)
        hint = f"did you mean {' or '.join(map(repr, close))}?" if close else f"allowed: {', '.join(allowed)}"
        return f"{error.instance!r} is not an allowed value; {hint}"
    if error.validator == "pattern":
        pattern = str(error.validator_value)
        shown = pattern if len(pattern) <= 80 else pattern[:77] + "..."
        return f"{error.instance!r} does not match the required pattern {shown!r}"
    return error.message


def schema_problems(topo: Mapping[str, Any], schema: Mapping[str, Any]) -> list[str]:
    """Schema violations of ``topo``, each as ``"<path>: <message>"``."""
    validator = _ClabValidator(schema, format_checker=_format_checker())
    problems: list[str] = []
    for error in sorted(validator.iter_errors(topo), key=lambda e: list(map(str, e.absolute_path))):
        for specific in _specific_errors(error):
            problems.append(f"{_path_text(specific.absolute_path)}: {_message(specific)}")
    return problems


def node_kinds(topo: Mapping[str, Any]) -> dict[str, str | None]:
    """Each node's effective kind: its own ``kind``, else its group's, else ``topology.defaults``."""
    topology = topo.get("topology") or {}
    groups = topology.get("groups") or {}
    default_kind = (topology.get("defaults") or {}).get("kind")
    kinds: dict[str, str | None] = {}
    for name, node in (topology.get("nodes") or {}).items():
        node = node or {}
        group = groups.get(node.get("group") or "") or {}
        kinds[name] = node.get("kind") or group.get("kind") or default_kind
    return kinds


def interface_problem(kind: str | None, ifname: str) -> str | None:
    """Why ``ifname`` is not an interface name containerlab accepts for ``kind`` (None: it is fine)."""
    if kind in _KIND_IFNAME:
        pattern, expected = _KIND_IFNAME[kind]
        return (
            None if pattern.match(ifname) else f"{ifname!r} is not a valid {kind} interface name; expected {expected}"
        )
    if kind in _ANY_LINUX_KINDS:
        if not _LINUX_IFNAME.match(ifname):
            return f"{ifname!r} is not a Linux interface name (at most 15 characters, no '/', ':' or spaces)"
        if kind == "linux" and ifname == "eth0":
            return "'eth0' is the management interface of a linux node; data links start at 'eth1'"
    return None


def _endpoints(link: Mapping[str, Any]) -> Iterator[tuple[str, Any]]:
    """(path suffix, endpoint) pairs of one link in either the short or the extended format."""
    endpoints = link.get("endpoints")
    if isinstance(endpoints, list):
        for i, ep in enumerate(endpoints):
            yield f"endpoints[{i}]", ep
    if "endpoint" in link:
        yield "endpoint", link["endpoint"]


def _node_interface(ep: Any) -> tuple[str, str] | None:
    """(node, interface) of a short ``"node:interface"`` endpoint or an extended ``{node, interface}`` one."""
    if isinstance(ep, str):
        node, sep, ifname = ep.partition(":")
        return (node, ifname) if sep and node and ifname and ":" not in ifname else None
    if isinstance(ep, Mapping) and isinstance(ep.get("node"), str) and isinstance(ep.get("interface"), str):
        return ep["node"], ep["interface"]
    return None


def link_problems(topo: Mapping[str, Any]) -> list[str]:
    """Endpoint checks draft-07 cannot express: known node, interface valid for its kind, used once."""
    topology = topo.get("topology") or {}
    links = topology.get("links") or []
    kinds = node_kinds(topo)
    problems: list[str] = []
    used: dict[tuple[str, str], str] = {}
    if not isinstance(links, list):
        return problems
    for i, link in enumerate(links):
        if not isinstance(link, Mapping):
            continue
        for suffix, ep in _endpoints(link):
            where = f"topology.links[{i}].{suffix}"
            parsed = _node_interface(ep)
            if parsed is None:
                if isinstance(ep, str):  # the schema reports malformed endpoint objects
                    problems.append(f"{where}: {ep!r} is not of the form 'node:interface'")
                continue
            node, ifname = parsed
            if node in PSEUDO_NODES and node not in kinds:
                continue  # host:/mgmt-net:/macvlan: name host interfaces, not lab nodes
            if node not in kinds:
                known = ", ".join(sorted(kinds))
                problems.append(f"{where}: node {node!r} is not defined in topology.nodes (known: {known})")
                continue
            if (p := interface_problem(kinds[node], ifname)) is not None:
                problems.append(f"{where}: {p}")
            key = (node, ifname)
            if key in used:
                problems.append(f"{where}: endpoint {node}:{ifname} is already used by {used[key]}")
            else:
                used[key] = where
    return problems


def validate_topology(topo: dict[str, Any], schema_path: Path | None = None) -> list[str]:
    """Every problem of containerlab topology ``topo``; an empty list means it is valid.

    ``schema_path`` defaults to ``find_clab_schema()``. Messages start with the path at fault, e.g.
    ``topology.links[2].endpoints[1]: node 'leaf9' is not defined in topology.nodes``.
    """
    schema = _load_schema(str(schema_path if schema_path is not None else find_clab_schema()))
    return schema_problems(topo, schema) + link_problems(topo)
