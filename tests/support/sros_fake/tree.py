"""The fake SR OS router's configuration: MD-CLI `info` text <-> a tree, `compare` output, and NETCONF XML.

Built from Nokia's SR OS 25.x MD-CLI documentation (MD-CLI Command Reference / "MD-CLI User Guide":
`info` prints a context as nested ``name {`` ... ``}`` blocks, 4 spaces per level, leaves as ``name value``,
leaf-lists as ``name ["a" "b"]``, list entries as ``list key1 key2-name key2 {`` with the first key unnamed;
that text can be pasted back in a configuration mode; `compare` prints the candidate's changes against the
baseline in the same layout with ``+``/``-`` in front of added and removed lines) and from the published
SR OS 25.10 YANG (nokia-conf, reference/yang/sros-25.10), whose list `key` statements name the XML elements
of a list entry's keys in NETCONF replies (RFC 6241 / RFC 7950 XML encoding).

Not emulated: validation against the YANG model (the rendered files are judged by yanglint in tests/check),
flat `path value` commands, `insert`, and `info` options.
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path
from xml.sax.saxutils import escape

Tree = dict[str, "Tree | str"]
"""A context: child header (``router "Base"``, ``bgp``) -> its context, or leaf name -> its value text."""
CONF_NS = "urn:nokia.com:sros:ns:yang:sr:conf"
INDENT = "    "


class MdCliError(ValueError):
    """A line the MD-CLI parser refuses (printed as a `MINOR: CLI` error by the shell)."""


def parse_into(stack: list[Tree], line: str) -> None:
    """Apply one pasted line of `info` text to the context `stack` (whose last element is current)."""
    text = line.strip()
    if not text or text.startswith("#"):
        return
    if text == "}":
        if len(stack) == 1:
            raise MdCliError("unexpected '}'")
        stack.pop()
        return
    if text.endswith("{"):
        header = " ".join(text[:-1].split())
        child = stack[-1].setdefault(header, {})
        if not isinstance(child, dict):
            raise MdCliError(f"'{header}' is a leaf, not a context")
        stack.append(child)
        return
    name, _, value = text.partition(" ")
    if not value:
        raise MdCliError(f"'{name}' needs a value")
    stack[-1][name] = value.strip()


def parse(text: str) -> Tree:
    """A whole `info` text (e.g. ``configure { ... }``) as a tree."""
    tree: Tree = {}
    stack = [tree]
    for line in text.splitlines():
        parse_into(stack, line)
    if len(stack) != 1:
        raise MdCliError("unbalanced braces")
    return tree


def info(tree: Tree, depth: int = 0) -> list[str]:
    """The `info` lines of a context, children in the order they were configured."""
    lines: list[str] = []
    for key, value in tree.items():
        if isinstance(value, dict):
            lines.append(f"{INDENT * depth}{key} {{")
            lines += info(value, depth + 1)
            lines.append(f"{INDENT * depth}}}")
        else:
            lines.append(f"{INDENT * depth}{key} {value}")
    return lines


def compare(baseline: Tree, candidate: Tree, depth: int = 0) -> list[str]:
    """MD-CLI `compare` lines: changed contexts with their headers, ``+``/``-`` on added and removed lines."""
    lines: list[str] = []
    pad = INDENT * depth
    for key in [*baseline, *(k for k in candidate if k not in baseline)]:
        old, new = baseline.get(key), candidate.get(key)
        if old == new:
            continue
        if isinstance(old, dict) and isinstance(new, dict):
            lines += [f"  {pad}{key} {{", *compare(old, new, depth + 1), f"  {pad}}}"]
            continue
        for mark, value in (("-", old), ("+", new)):
            if isinstance(value, dict):
                lines += [f"{mark} {line}" for line in info({key: value}, depth)]
            elif value is not None:
                lines.append(f"{mark} {pad}{key} {value}")
    return lines


def _words(text: str) -> list[str]:
    return shlex.split(text) if text else []


class ListKeys:
    """List name -> its key leaves, from the `list NAME { key "..."; }` statements of nokia-conf's YANG."""

    STATEMENT = re.compile(r'\blist ([\w-]+) \{\s*key "([^"]+)";')

    def __init__(self, yang_dir: Path) -> None:
        self.keys: dict[str, list[tuple[str, ...]]] = {}
        for path in sorted(yang_dir.rglob("nokia-conf*.yang")):
            for name, keys in self.STATEMENT.findall(path.read_text(errors="replace")):
                options = self.keys.setdefault(name, [])
                if tuple(keys.split()) not in options:
                    options.append(tuple(keys.split()))

    def element(self, header: str) -> tuple[str, list[tuple[str, str]]]:
        """(element name, [(key leaf, value)]) of a context header; no keys for a container."""
        name, *values = _words(header)
        if not values:
            return name, []
        named = dict(zip(values[1::2], values[2::2], strict=False))
        for keys in self.keys.get(name, []):
            if len(keys) == 1 + len(named) and set(keys[1:]) == set(named):
                return name, [(keys[0], values[0]), *((k, named[k]) for k in keys[1:])]
        return name, [(self.keys[name][0][0] if name in self.keys else "name", values[0]), *named.items()]


def to_xml(tree: Tree, keys: ListKeys) -> str:
    """The XML encoding of a context's children (a leaf-list is one element per value)."""
    out: list[str] = []
    for header, value in tree.items():
        if isinstance(value, dict):
            name, key_leaves = keys.element(header)
            inner = "".join(f"<{k}>{escape(v)}</{k}>" for k, v in key_leaves)
            out.append(f"<{name}>{inner}{to_xml(value, keys)}</{name}>")
        elif value.startswith("["):
            out += [f"<{header}>{escape(v)}</{header}>" for v in _words(value[1:-1])]
        else:
            out += [f"<{header}>{escape(v)}</{header}>" for v in _words(value)[:1]]
    return "".join(out)


def child(tree: Tree, *path: str) -> Tree:
    """The context at `path` (headers), empty when absent."""
    for header in path:
        value = tree.get(header)
        if not isinstance(value, dict):
            return {}
        tree = value
    return tree


def leaf(tree: Tree, *path: str, default: str = "") -> str:
    """A leaf's value without quotes, or `default` when it is not configured."""
    *context, name = path
    value = child(tree, *context).get(name)
    return _words(value)[0] if isinstance(value, str) and value else default
