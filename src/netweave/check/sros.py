"""SR OS MD-CLI configs judged by Nokia's SR OS 25.10 YANG (`nokia-conf`), through yanglint.

netweave renders the MD-CLI `info` text an operator pastes or loads. The same text read with the schema is the
YANG tree of `configure`: MD-CLI's brace structure is the schema's containers and lists, with one difference a
parser must know the schema for, which is how list keys are written. The first key of a list is positional
(`port 1/1/c1 {`, `router "Base" {`), the others are named (`prefix 10.0.0.0/24 type range {`), and an entry
may carry no braces at all when it has no other children. A leaf-list is `name ["a" "b"]`.

So the text is read against the compiled schema (the shape printed once by yanglint, see `check.yang`) into
elements that remember their line, written as XML of `configure` one element per line, and yanglint judges the
XML; each message is traced back to the MD-CLI line through the XML line it names, or through its data path.
A name the schema does not have under its parent is reported from the text directly, with its line.
`to_md_cli` prints the XML back as MD-CLI text: the round trip is what shows the text and the tree describe the
same configuration.
"""

from __future__ import annotations

import contextlib
import ipaddress
import re
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import escape

from netweave.check.problems import CheckProblem, ValidatorUnavailable
from netweave.check.yang import SchemaNode, module_namespace, require_models, schema_tree, validate_texts

__all__ = ["Element", "check_sros", "cross_rules", "parse_md_cli", "sros_search_path", "to_md_cli", "to_xml"]

MODELS_FOLDER = "sros-25.10"
STUBS_FOLDER = "sros-stubs"
MODULE = "nokia-conf"


def sros_search_path(models: Path) -> list[Path]:
    """The yanglint search path for SR OS 25.10: the release, its submodules, ietf, openconfig and the stubs.

    The stub stands in for the `nokia-conf-groups` submodule, which the shared copy leaves out for its size
    (netweave renders no configuration groups); see reference/yang/README.md.
    """
    release = require_models(models, MODELS_FOLDER, "SR OS 25.10")
    stubs = require_models(models, STUBS_FOLDER, "SR OS stub")
    return [release, release / "nokia-submodule", release / "ietf", release / "openconfig", stubs]


@dataclass(slots=True)
class Element:
    """One node of the MD-CLI tree: its name, value (leaves), values (leaf-lists), children and text line."""

    name: str
    line: int
    value: str | None = None
    values: list[str] | None = None
    children: list[Element] = field(default_factory=list)
    known: bool = True
    """False for a name the schema does not have there: reported from the text, left out of the XML."""


_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|\[|\]|\{|\}|[^\s\[\]{}"]+')


def _tokens(line: str) -> list[str]:
    return _TOKEN.findall(line)


def _unquote(token: str) -> str:
    if len(token) >= 2 and token[0] == token[-1] == '"':
        return re.sub(r"\\(.)", r"\1", token[1:-1])
    return token


def parse_md_cli(text: str, schema: SchemaNode, file: str = "") -> tuple[Element, list[CheckProblem]]:
    """Read MD-CLI `info` text (from `configure {`) into an Element tree, using `schema` for list keys.

    Returns the `configure` element and the problems found while reading: a name the schema does not have
    under its parent, a list entry without its keys, unbalanced braces. Reading continues after a problem
    (the unknown block is kept without a schema) so one run reports every such line.
    """
    root = Element("configure", 0)
    problems: list[CheckProblem] = []
    stack: list[tuple[Element, SchemaNode | None]] = []
    started = False
    for number, raw in enumerate(text.splitlines(), start=1):
        stripped = raw.strip()
        if not stripped or stripped.startswith("#"):
            continue
        tokens = _tokens(stripped)
        if not started:
            if tokens == ["configure", "{"]:
                started = True
                root.line = number
                stack.append((root, schema))
            else:
                problems.append(CheckProblem(file, "expected 'configure {' before any configuration", number))
        elif tokens == ["}"] and stack:
            stack.pop()
        elif not stack:
            problems.append(CheckProblem(file, f"text after the closing brace of configure: {stripped!r}", number))
        else:
            problems.extend(_statement(tokens, number, stack, file))
    if stack:
        problems.append(CheckProblem(file, f"{len(stack)} unclosed brace(s) at the end", len(text.splitlines())))
    return root, problems


def _statement(
    tokens: list[str], number: int, stack: list[tuple[Element, SchemaNode | None]], file: str
) -> list[CheckProblem]:
    """One MD-CLI line below `configure {`: add its element to the open parent, push it when it opens a block."""
    parent, node = stack[-1]
    opens = tokens[-1] == "{"
    words = tokens[:-1] if opens else tokens
    name, args = words[0], words[1:]
    child = node.children.get(name) if node is not None else None
    problems: list[CheckProblem] = []
    if node is not None and child is None:
        problems.append(CheckProblem(file, f"'{name}' is not a configuration element under {_where(stack)}", number))
    element = Element(name, number, known=child is not None)
    if child is not None and child.kind == "list":
        problem = _list_keys(element, child, args, file, number)
        problems.extend([problem] if problem else [])
    elif child is not None and child.kind == "leaf-list":
        element.values = [_unquote(t) for t in args if t not in "[]"]
    elif child is not None and child.kind == "leaf":
        if len(args) != 1:
            problems.append(CheckProblem(file, f"'{name}' takes one value, got {len(args)}", number))
        element.value = _unquote(args[0]) if args else ""
    elif child is not None and args:
        problems.append(CheckProblem(file, f"container '{name}' takes no value", number))
    parent.children.append(element)
    if opens:
        stack.append((element, child))
    return problems


def _where(stack: list[tuple[Element, SchemaNode | None]]) -> str:
    return "/" + "/".join(element.name for element, _ in stack)


def _list_keys(element: Element, schema: SchemaNode, args: list[str], file: str, line: int) -> CheckProblem | None:
    """Turn `key1 k2name k2 ...` into the key leaves of a list entry (first key positional, others named)."""
    if not schema.keys:
        return None
    if not args:
        return CheckProblem(file, f"list '{element.name}' needs its key {schema.keys[0]}", line)
    element.children.append(Element(schema.keys[0], line, value=_unquote(args[0])))
    rest = args[1:]
    for key in schema.keys[1:]:
        if len(rest) >= 2 and rest[0] == key:
            element.children.append(Element(key, line, value=_unquote(rest[1])))
            rest = rest[2:]
        else:
            return CheckProblem(file, f"list '{element.name}' needs its key '{key}' ({key} VALUE)", line)
    if rest:
        return CheckProblem(file, f"unexpected words after the keys of '{element.name}': {' '.join(rest)}", line)
    return None


def to_xml(root: Element, namespace: str) -> tuple[str, dict[int, int]]:
    """The tree as XML of `configure`, one element per line, and {XML line: MD-CLI line}."""
    lines: list[str] = []
    origin: dict[int, int] = {}

    def emit(element: Element, depth: int) -> None:
        if not element.known:
            return
        pad = "  " * depth
        attrs = f' xmlns="{namespace}"' if depth == 0 else ""
        if element.values is not None:
            for value in element.values:
                lines.append(f"{pad}<{element.name}>{escape(value)}</{element.name}>")
                origin[len(lines)] = element.line
            return
        if element.value is not None:
            lines.append(f"{pad}<{element.name}{attrs}>{escape(element.value)}</{element.name}>")
            origin[len(lines)] = element.line
            return
        lines.append(f"{pad}<{element.name}{attrs}>")
        origin[len(lines)] = element.line
        for child in element.children:
            emit(child, depth + 1)
        lines.append(f"{pad}</{element.name}>")
        origin[len(lines)] = element.line

    emit(root, 0)
    return "\n".join(lines) + "\n", origin


def to_md_cli(xml: str, schema: SchemaNode) -> str:
    """Print XML of `configure` as MD-CLI `info` text (first key positional, other keys named, leaf-lists in []).

    `schema` is the `configure` node; it says which children are keys, leaves, leaf-lists and lists.
    """
    root = ET.fromstring(xml)
    out: list[str] = []

    def local(tag: str) -> str:
        return tag.rsplit("}", 1)[-1]

    def quote(value: str) -> str:
        return f'"{value}"' if (not value or re.search(r'[\s"{}\[\]#]', value)) else value

    def emit(element: ET.Element, node: SchemaNode, depth: int) -> None:
        pad = "    " * depth
        seen_leaf_lists: set[str] = set()
        for child in element:
            name = local(child.tag)
            spec = node.children.get(name, SchemaNode("leaf"))
            if name in node.keys:
                continue
            if spec.kind == "leaf-list":
                if name in seen_leaf_lists:
                    continue
                seen_leaf_lists.add(name)
                items = [quote(c.text or "") for c in element if local(c.tag) == name]
                out.append(f"{pad}{name} [{' '.join(items)}]")
            elif spec.kind == "leaf":
                out.append(f"{pad}{name} {quote(child.text or '')}")
            else:
                head = name
                if spec.kind == "list":
                    values = {local(c.tag): c.text or "" for c in child if local(c.tag) in spec.keys}
                    head += " " + quote(values.get(spec.keys[0], ""))
                    head += "".join(f" {k} {quote(values.get(k, ''))}" for k in spec.keys[1:])
                if len(child) == len(spec.keys) and spec.kind == "list":
                    out.append(f"{pad}{head} {{\n{pad}}}")
                    continue
                out.append(f"{pad}{head} {{")
                emit(child, spec, depth + 1)
                out.append(f"{pad}}}")

    out.append("configure {")
    emit(root, schema, 1)
    out.append("}")
    return "\n".join(out) + "\n"


_SEGMENT = re.compile(r"([^/\[]+)((?:\[[^\]]*\])*)")
_PREDICATE = re.compile(r"\[([^=\]]+)=(?:'([^']*)'|\"([^\"]*)\")\]")


def _line_of_path(root: Element, path: str) -> int | None:
    """The MD-CLI line of the deepest element a libyang data path names (`/nokia-conf:configure/port[port-id='x']`)."""
    element = root
    best: int | None = None
    for index, seg in enumerate(_SEGMENT.finditer(path.strip("/"))):
        name = seg.group(1).split(":")[-1]
        if index == 0:
            if name != "configure":
                return None
            best = root.line
            continue
        wanted = {k.split(":")[-1]: a or b for k, a, b in _PREDICATE.findall(seg.group(2))}
        nxt = None
        for child in element.children:
            if child.name != name:
                continue
            keys = {c.name: c.value for c in child.children if c.name in wanted}
            if keys == wanted:
                nxt = child
                break
        if nxt is None:
            return best
        element, best = nxt, nxt.line
    return best


def _child(element: Element, name: str) -> Element | None:
    return next((c for c in element.children if c.name == name), None)


def _leaf(element: Element | None, *path: str) -> str | None:
    for name in path:
        if element is None:
            return None
        element = _child(element, name)
    return element.value if element is not None else None


def cross_rules(root: Element) -> list[tuple[int, str]]:
    """Rules the SR OS YANG cannot express, as (line, message).

    * a BGP neighbor with `bfd-liveness` (its own or its group's) needs BFD on the IP interface it is reached
      over (`router interface ipv4 bfd`): SR OS takes the BFD session's intervals from the interface, and
      without them the session never comes up, so the liveness the design asked for is silently absent.
      The models allow either alone.
    * a router interface on a LAG (`port lag-3`) needs that LAG configured (`lag "lag-3"`): the interface's
      `port` is a plain string in the model (port, LAG or SAP), not a reference, so a missing LAG passes it.
    """
    problems: list[tuple[int, str]] = []
    lags = {_leaf(c, "lag-name") for c in root.children if c.name == "lag"}
    for router in (c for c in root.children if c.name == "router"):
        for interface in (c for c in router.children if c.name == "interface"):
            bound = (_leaf(interface, "port") or "").split(":")[0]
            if bound.startswith("lag-") and bound not in lags:
                name = _leaf(interface, "interface-name")
                problems.append((interface.line, f"interface {name!r} is on {bound}, which is not configured"))
        subnets: list[tuple[ipaddress.IPv4Network, Element]] = []
        for interface in (c for c in router.children if c.name == "interface"):
            address = _leaf(interface, "ipv4", "primary", "address")
            length = _leaf(interface, "ipv4", "primary", "prefix-length")
            if address and length and length.isdigit():
                with contextlib.suppress(ValueError):
                    subnets.append((ipaddress.IPv4Network(f"{address}/{length}", strict=False), interface))
        bgp = _child(router, "bgp")
        if bgp is None:
            continue
        groups = {_leaf(g, "group-name"): g for g in bgp.children if g.name == "group"}
        for neighbor in (c for c in bgp.children if c.name == "neighbor"):
            group = groups.get(_leaf(neighbor, "group"))
            liveness = _leaf(neighbor, "bfd-liveness") or (_leaf(group, "bfd-liveness") if group else None)
            if liveness != "true":
                continue
            peer = _leaf(neighbor, "ip-address") or ""
            with contextlib.suppress(ValueError):
                peer_address = ipaddress.ip_address(peer)
                via = next((i for net, i in subnets if peer_address in net), None)
                if via is not None and _child(_child(via, "ipv4") or via, "bfd") is None:
                    name = _leaf(via, "interface-name")
                    problems.append(
                        (
                            neighbor.line,
                            f"neighbor {peer} has bfd-liveness but interface {name!r} has no ipv4 bfd: "
                            "the BFD session never comes up",
                        )
                    )
    return problems


class SrosSchema:
    """The compiled shape of `nokia-conf` and its namespace, read once per model folder."""

    def __init__(self, models: Path) -> None:
        self.search = sros_search_path(models)
        tree = schema_tree(self.search, [MODULE])
        configure = tree.get(MODULE, {}).get("configure")
        if configure is None:
            raise ValidatorUnavailable(f"{MODULE} in {self.search[0]} has no 'configure' container")
        self.configure = configure
        self.namespace = module_namespace(self.search, MODULE)


_SCHEMAS: dict[Path, SrosSchema] = {}


def sros_schema(models: Path) -> SrosSchema:
    """The SR OS schema for a model folder (built once per process; its shape is cached on disk)."""
    key = models.resolve()
    if key not in _SCHEMAS:
        _SCHEMAS[key] = SrosSchema(models)
    return _SCHEMAS[key]


def check_sros(files: Sequence[Path], models: Path) -> list[CheckProblem]:
    """Judge every SR OS MD-CLI file with the SR OS 25.10 YANG (one yanglint run), plus `cross_rules`."""
    schema = sros_schema(models)
    problems: list[CheckProblem] = []
    parsed: list[tuple[Path, Element, dict[int, int], str]] = []
    for file in files:
        root, found = parse_md_cli(file.read_text(), schema.configure, str(file))
        problems.extend(found)
        problems.extend(CheckProblem(str(file), message, line) for line, message in cross_rules(root))
        xml, origin = to_xml(root, schema.namespace)
        parsed.append((file, root, origin, xml))
    results = validate_texts(schema.search, [MODULE], [xml for _, _, _, xml in parsed])
    for (file, root, origin, _), messages in zip(parsed, results, strict=True):
        for msg in messages:
            line = origin.get(msg.line) if msg.line is not None else None
            if line is None and msg.path and not msg.schema_path:
                line = _line_of_path(root, msg.path)
            problems.append(CheckProblem(str(file), msg.message, line, msg.path))
    return problems
