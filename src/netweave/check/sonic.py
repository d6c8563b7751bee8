"""SONiC `config_db.json` judged by SONiC's own YANG models (sonic-yang-models), through yanglint.

config_db is not in YANG shape: it is Redis tables of `"KEY|PART": {field: "string"}`. The translation to
instance data is mechanical and read off the schema (the same rules as sonic-yang-mgmt's sonic_yang_ext.py,
which is not on PyPI; nothing of it is copied here):

* table `T` is container `T` of the module whose top container holds it (`sonic-port:sonic-port/PORT`);
* an entry key `a|b` is an entry of the list under `T` whose `key` has that many parts (INTERFACE has
  `INTERFACE_LIST [name]` and `INTERFACE_IPPREFIX_LIST [name ip-prefix]`), or the container named after the
  key (`DEVICE_METADATA/localhost`, `LLDP/GLOBAL`);
* a field is the leaf of that name; a leaf-list field is a JSON array (or `name@` with commas); when the list
  holds a nested list (`DSCP_TO_TC_MAP [dscp]`, `CABLE_LENGTH [port]`) every field is one entry of it:
  `"26": "3"` is `<DSCP_TO_TC_MAP><dscp>26</dscp><tc>3</tc></DSCP_TO_TC_MAP>`.

The data is written as XML, where every value is text as in config_db, so no type guessing is needed; libyang
then checks types, ranges, patterns, enumerations, leafrefs across tables and `must` rules. Every message is
traced back to the config_db.json line of the table, entry and field the data path names.

Hand-written rules stay only for what the models cannot express (see `cross_table_rules`).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from netweave.check.problems import CheckProblem
from netweave.check.yang import (
    SchemaNode,
    module_namespace,
    require_models,
    schema_tree,
    validate_texts,
)

__all__ = ["check_sonic", "cross_table_rules", "json_key_lines", "to_yang_xml"]

MODELS_FOLDER = "sonic-yang-models"
STRING_LEAF_LISTS: dict[tuple[str, str], str] = {
    ("BUFFER_PORT_EGRESS_PROFILE_LIST", "profile_list"): ",",
    ("BUFFER_PORT_INGRESS_PROFILE_LIST", "profile_list"): ",",
    ("MIRROR_SESSION", "src_ip"): ",",
    ("NTP", "src_intf"): ";",
    ("BGP_ALLOWED_PREFIXES", "prefixes_v4"): ",",
    ("BGP_ALLOWED_PREFIXES", "prefixes_v6"): ",",
    ("PORT", "adv_speeds"): ",",
    ("PORT", "adv_interface_types"): ",",
}
"""(table, field) of YANG leaf-lists that config_db keeps as one string with a separator, not as `field@`: the
daemons split them themselves (buffermgrd reads `profile_list: "a,b"`), and SONiC's own translator splits these
fields by name (sonic-yang-mgmt's table of leaf-lists with string values), so this one does too."""


class SonicSchema:
    """Which module and container hold each config_db table, read from the compiled models once."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        modules = sorted(p.stem for p in folder.glob("sonic-*.yang"))
        self.tree = schema_tree([folder], modules)
        self.modules = [m for m in modules if m in self.tree]
        self.tables: dict[str, tuple[str, str, SchemaNode]] = {}  # table -> (module, top container, node)
        for module, nodes in self.tree.items():
            for top, node in nodes.items():
                for table, child in node.children.items():
                    if child.kind == "container":
                        self.tables.setdefault(table, (module, top, child))
        self._ns: dict[str, str] = {}

    def namespace(self, module: str) -> str:
        if module not in self._ns:
            self._ns[module] = module_namespace([self.folder], module)
        return self._ns[module]


Origin = tuple[str, ...]
"""The config_db path (table, key, field) an XML line was written from."""


def to_yang_xml(db: dict[str, Any], schema: SonicSchema) -> tuple[str, list[Origin], list[tuple[str, str]]]:
    """config_db as YANG instance data (XML), the config_db path of every XML line, and (where, message) for
    tables no model defines.

    One key or field per XML line, so the line libyang names in a parse error leads to the exact config_db
    table, entry and field.
    """
    unknown: list[tuple[str, str]] = []
    by_top: dict[tuple[str, str], list[tuple[str, Origin]]] = {}
    for table, content in db.items():
        found = schema.tables.get(table)
        if found is None:
            unknown.append((table, f"unknown SONiC table {table!r}: no sonic-yang model defines it"))
            continue
        module, top, node = found
        if not isinstance(content, dict):
            unknown.append((table, "table must be a JSON object keyed by entry key"))
            continue
        by_top.setdefault((module, top), []).extend(_table_xml(table, node, content, unknown))
    out: list[tuple[str, Origin]] = []
    for (module, top), parts in by_top.items():
        out.append((f'<{top} xmlns="{schema.namespace(module)}">', ()))
        out.extend(parts)
        out.append((f"</{top}>", ()))
    return "\n".join(text for text, _ in out) + "\n", [origin for _, origin in out], unknown


def _table_xml(
    table: str, node: SchemaNode, content: dict[str, Any], unknown: list[tuple[str, str]]
) -> list[tuple[str, Origin]]:
    lists = [child for child in node.children.items() if child[1].kind == "list"]
    out: list[tuple[str, Origin]] = [(f"<{table}>", (table,))]
    for key, entry in content.items():
        fields = entry if isinstance(entry, dict) else {}
        if not isinstance(entry, dict):
            unknown.append((f"{table}|{key}", "entry must be a JSON object of fields"))
        where = (table, key)
        container = node.children.get(key)
        if container is not None and container.kind == "container":
            out.append((f"<{key}>", where))
            out.extend(_fields_xml(container, fields, (), where))
            out.append((f"</{key}>", where))
            continue
        parts = key.split("|")
        match = next(((name, lst) for name, lst in lists if len(lst.keys) == len(parts)), None)
        if match is None:
            shapes = " or ".join(f"{name} [{' '.join(lst.keys)}]" for name, lst in lists) or "no list"
            unknown.append((f"{table}|{key}", f"key {key!r} fits no list of {table} ({shapes})"))
            continue
        name, lst = match
        out.append((f"<{name}>", where))
        out.extend((f"<{k}>{escape(v)}</{k}>", where) for k, v in zip(lst.keys, parts, strict=True))
        out.extend(_fields_xml(lst, fields, lst.keys, where))
        out.append((f"</{name}>", where))
    out.append((f"</{table}>", (table,)))
    return out


def _fields_xml(
    node: SchemaNode, fields: dict[str, Any], keys: tuple[str, ...], where: Origin
) -> list[tuple[str, Origin]]:
    nested = [(name, child) for name, child in node.children.items() if child.kind == "list"]
    out: list[tuple[str, Origin]] = []
    for field, value in fields.items():
        name = field.removesuffix("@")
        child = node.children.get(name)
        at = (*where, field)
        if child is None and len(nested) == 1:  # a map table: each field is an entry of the nested list
            list_name, inner = nested[0]
            value_leaf = next((n for n, c in inner.children.items() if n not in inner.keys and c.kind == "leaf"), "")
            item = f"<{inner.keys[0]}>{escape(field)}</{inner.keys[0]}>"
            if value_leaf:
                item += f"<{value_leaf}>{escape(_text(value))}</{value_leaf}>"
            out.append((f"<{list_name}>{item}</{list_name}>", at))
            continue
        if name in keys:
            continue  # a key repeated as a field is the key itself
        separator = STRING_LEAF_LISTS.get((where[0], name)) if child is not None and child.kind == "leaf-list" else None
        if isinstance(value, list) or field.endswith("@") or (separator and isinstance(value, str)):
            items = value if isinstance(value, list) else [i.strip() for i in str(value).split(separator or ",")]
            out.extend((f"<{name}>{escape(_text(item))}</{name}>", at) for item in items)
        else:
            out.append((f"<{name}>{escape(_text(value))}</{name}>", at))
    return out


def _text(value: Any) -> str:
    """config_db stores strings; a JSON number or bool is written as its config_db string form."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return value if isinstance(value, str) else json.dumps(value)


_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[{}\[\]:,]|[^\s{}\[\]:,"]+')


def json_key_lines(text: str) -> dict[tuple[str, ...], int]:
    """The line of every object key in a JSON text, by its path of keys: ("PORT", "Ethernet0", "mtu") -> 12.

    json.loads keeps no positions, and problem messages must name the line a user edits.
    """
    lines: dict[tuple[str, ...], int] = {}
    stack: list[tuple[str, ...]] = []  # path of each open object/array
    path: tuple[str, ...] = ()
    pending: tuple[str, int] | None = None
    last_string: tuple[str, int] | None = None
    for match in _TOKEN.finditer(text):
        token = match.group()
        if token in "{[":
            stack.append(path)
            path = (*path, pending[0]) if pending else path
            pending = None
        elif token in "}]":
            path = stack.pop() if stack else ()
            pending = None
        elif token == ":":
            if last_string is not None:
                pending = last_string
                lines.setdefault((*path, pending[0]), pending[1])
        elif token == ",":
            pending = None
        elif token.startswith('"'):
            last_string = (json.loads(token), text.count("\n", 0, match.start()) + 1)
            continue
        last_string = None if token != ":" else last_string
    return lines


_SEGMENT = re.compile(r"([^/\[]+)((?:\[[^\]]*\])*)")
_PREDICATE = re.compile(r"\[[^=\]]+='([^']*)'\]|\[[^=\]]+=\"([^\"]*)\"\]")


def _config_db_path(data_path: str) -> tuple[str, ...]:
    """`/sonic-port:sonic-port/PORT/PORT_LIST[name='Ethernet0']/mtu` -> ("PORT", "Ethernet0", "mtu")."""
    segments = [m for m in _SEGMENT.finditer(data_path.strip("/"))]
    if len(segments) < 2:
        return ()
    out: list[str] = [segments[1].group(1)]
    if len(segments) > 2:
        seg = segments[2]
        keys = [a or b for a, b in _PREDICATE.findall(seg.group(2))]
        out.append("|".join(keys) if keys else seg.group(1))
    if len(segments) > 3:
        seg = segments[3]
        keys = [a or b for a, b in _PREDICATE.findall(seg.group(2))]
        leaf_list_item = seg.group(2).startswith("[.=")  # `profile_list[.='x']`: the field, not a list key
        out.append(keys[0] if keys and not leaf_list_item else seg.group(1))
    return tuple(out)


def _line_for(lines: dict[tuple[str, ...], int], path: tuple[str, ...]) -> int | None:
    for end in range(len(path), 0, -1):
        if path[:end] in lines:
            return lines[path[:end]]
    return None


def cross_table_rules(db: dict[str, Any]) -> Iterator[tuple[tuple[str, ...], str]]:
    """Rules the sonic-yang models cannot express, as (config_db path, message).

    Everything else the former hand-written checker judged (value ranges, patterns, enumerations, unknown
    fields, leafrefs between tables, the bare `X` entry an `X|prefix` address needs, vlanid matching its key,
    SAG for static anycast gateways, WRED min below max) is in the models' types, leafrefs and `must` rules.

    * two PORT entries must not share a lane: lanes is a free string in sonic-port.yang;
    * a PORT_QOS_MAP with `pfc_enable` needs a PFC_WD entry for the port: a PFC storm otherwise stalls the
      lossless queue fabric-wide; no model ties the two tables;
    * VXLAN_TUNNEL_MAP names are `map_<vni>_<vlan>` of their own fields (SONiC's CLI and vxlanmgrd convention);
    * an L3VNI on a VRF must be mapped to a VLAN in VXLAN_TUNNEL_MAP, or the VRF's routes never reach VXLAN;
    * `docker_routing_config_mode` must be split or split-unified: netweave renders BGP as a separate frr.conf,
      which SONiC ignores in the other modes.
    """
    for rule in (_lanes, _pfc_watchdog, _vxlan_maps, _routing_mode):
        yield from rule(db)


Rule = Iterator[tuple[tuple[str, ...], str]]


def _lanes(db: dict[str, Any]) -> Rule:
    owner: dict[str, str] = {}
    for key, entry in _entries(db, "PORT"):
        for lane in str(entry.get("lanes", "")).split(","):
            lane = lane.strip()
            if lane and lane in owner:
                yield ("PORT", key, "lanes"), f"lane {lane} already used by {owner[lane]}"
            elif lane:
                owner[lane] = key


def _pfc_watchdog(db: dict[str, Any]) -> Rule:
    watchdog = {key.split("|")[0] for key, _ in _entries(db, "PFC_WD")}
    for key, entry in _entries(db, "PORT_QOS_MAP"):
        if entry.get("pfc_enable") and key != "global" and key not in watchdog:
            yield ("PORT_QOS_MAP", key, "pfc_enable"), f"PFC enabled on {key} but no PFC_WD entry (watchdog) for it"


def _vxlan_maps(db: dict[str, Any]) -> Rule:
    mapped: set[str] = set()
    for key, entry in _entries(db, "VXLAN_TUNNEL_MAP"):
        mapname = key.partition("|")[2]
        if "vlan" in entry and mapname != f"map_{entry.get('vni')}_{entry['vlan']}":
            yield ("VXLAN_TUNNEL_MAP", key), "map name must be map_<vni>_<vlan> of its own vni and vlan"
        mapped.add(str(entry.get("vni")))
    for key, entry in _entries(db, "VRF"):
        vni = entry.get("vni")
        if vni and vni != "0" and vni not in mapped:
            yield ("VRF", key, "vni"), f"L3VNI {vni} must be mapped to a VLAN in VXLAN_TUNNEL_MAP"


def _routing_mode(db: dict[str, Any]) -> Rule:
    meta = db.get("DEVICE_METADATA")
    local = meta.get("localhost") if isinstance(meta, dict) else None
    if isinstance(local, dict) and local.get("docker_routing_config_mode") not in (None, "split", "split-unified"):
        yield (
            ("DEVICE_METADATA", "localhost", "docker_routing_config_mode"),
            "must be 'split' or 'split-unified': netweave renders BGP as a separate frr.conf",
        )


def _entries(db: dict[str, Any], table: str) -> list[tuple[str, dict[str, Any]]]:
    content = db.get(table)
    if not isinstance(content, dict):
        return []
    return [(k, v) for k, v in content.items() if isinstance(v, dict)]


def check_sonic(files: Sequence[Path], models: Path) -> list[CheckProblem]:
    """Judge every config_db.json in `files` with the sonic-yang models, in one yanglint run."""
    schema = _schema(require_models(models, MODELS_FOLDER, "SONiC"))
    problems: list[CheckProblem] = []
    to_validate: list[tuple[Path, dict[tuple[str, ...], int], list[Origin]]] = []
    xml_texts: list[str] = []
    for file in files:
        text = file.read_text()
        try:
            db = json.loads(text)
        except json.JSONDecodeError as exc:
            problems.append(CheckProblem(str(file), f"invalid JSON: {exc.msg}", line=exc.lineno))
            continue
        if not isinstance(db, dict):
            problems.append(CheckProblem(str(file), "config_db must be a JSON object of tables", line=1))
            continue
        lines = json_key_lines(text)
        xml, origins, unknown = to_yang_xml(db, schema)
        for where, message in unknown:
            path = tuple(where.split("|", 1))
            problems.append(CheckProblem(str(file), message, _line_for(lines, path), where))
        for path, message in cross_table_rules(db):
            problems.append(CheckProblem(str(file), message, _line_for(lines, path), "/".join(path)))
        to_validate.append((file, lines, origins))
        xml_texts.append(xml)
    if not to_validate:
        return problems
    results = validate_texts([schema.folder], schema.modules, xml_texts, present_only=True)
    for (file, lines, origins), messages in zip(to_validate, results, strict=True):
        for msg in messages:
            line = None
            if msg.line is not None and 0 < msg.line <= len(origins):
                line = _line_for(lines, origins[msg.line - 1])  # a parse error: the XML line says which field
            if line is None and msg.path and not msg.schema_path:
                line = _line_for(lines, _config_db_path(msg.path))
            problems.append(CheckProblem(str(file), msg.message, line, msg.path))
    return problems


_SCHEMAS: dict[Path, SonicSchema] = {}


def _schema(folder: Path) -> SonicSchema:
    if folder not in _SCHEMAS:
        _SCHEMAS[folder] = SonicSchema(folder)
    return _SCHEMAS[folder]
