"""Judge NVIDIA Cumulus Linux NVUE `startup.yaml` files with NVIDIA's own object model, per release.

The model is the PyPI package `nvueschema`: pydantic models generated from the NVUE OpenAPI document of
each Cumulus Linux 5.x release (`nvueschema.models.v5_11` ...). The file's header names its release
(`version: Cumulus Linux 5.11.0`) and the `set:` tree is judged by exactly that release's model, because
the tree changes between releases (`service lldp state` exists from 5.11 on; 5.15 drops keys older trees
use), so a tree valid for one release is refused by the switch running another.

Two things the published models do not do by themselves, and that this module adds:

* **Unknown keys are forbidden.** The generated models ignore extra keys (pydantic's default), so a
  misspelt `adress:` would pass; NVUE refuses it at `nv config apply`. Each release's models are loaded
  as a private copy (the installed package is not touched) with `extra="forbid"` on every model.
* **YAML 1.2.** NVUE reads startup.yaml as YAML 1.2: `on` is a string, `65100:10` is a string (no base-60
  numbers), `010` is the integer 10 (YAML 1.1 reads it as octal 8). PyYAML implements 1.1, so files are
  loaded with ruamel.yaml in its default 1.2 mode, which also gives the line of every key.

What the schema cannot express stays hand-written here (:func:`cross_references`): references between
branches (an interface's VRF, a neighbor's peer-group, VNIs needing a VXLAN source and EVPN, `ip vrr`
needing `router vrr`) and the syntax of values that the models type as free-form mapping keys (route
targets, route distinguishers: `route-target: {65100:10001: {}}` has no key pattern in the models).
"""

from __future__ import annotations

import importlib.util
import re
import sys
import threading
from collections.abc import Iterator, Mapping
from functools import lru_cache
from pathlib import Path
from types import ModuleType
from typing import Any

from netweave.check.communities import valid_ext_community
from netweave.check.problems import CheckProblem, ValidatorUnavailable

__all__ = ["check_nvue", "cross_references", "load_nvue_yaml", "release_of", "validate"]

Located = dict[tuple[str | int, ...], int]
"""Path of a node in the loaded YAML -> its 1-based line."""

_INSTALL_HINT = "pip install 'netweave[check]' (PyPI packages nvueschema and ruamel.yaml)"
_RELEASE_RE = re.compile(r"\b(\d+)\.(\d+)(?:\.\d+)*\b")
_load_lock = threading.Lock()


def _ruamel() -> Any:
    try:
        from ruamel.yaml import YAML
    except ImportError as exc:
        raise ValidatorUnavailable(f"the NVUE validator needs ruamel.yaml (YAML 1.2): {_INSTALL_HINT}") from exc
    yaml = YAML(typ="rt")  # round-trip: YAML 1.2 scalars and the line of every node
    yaml.version = (1, 2)
    return yaml


def _json_key(key: object) -> str:
    """A mapping key as NVUE sees it: the tree is JSON to NVUE's API, whose object keys are strings
    (`100: {}` is the key "100", `true: {}` the key "true")."""
    if isinstance(key, bool):
        return "true" if key else "false"
    return "null" if key is None else str(key)


def _plain(node: Any, path: tuple[str | int, ...], lines: Located) -> Any:
    """ruamel's round-trip tree as plain dict/list/scalars, recording the line of every key and item."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    if isinstance(node, CommentedMap):
        out: dict[Any, Any] = {}
        for key, value in node.items():
            line, _col = node.lc.key(key)
            plain_key = _json_key(key)
            lines[(*path, plain_key)] = line + 1
            out[plain_key] = _plain(value, (*path, plain_key), lines)
        return out
    if isinstance(node, CommentedSeq):
        items = []
        for i, value in enumerate(node):
            line, _col = node.lc.item(i)
            lines[(*path, i)] = line + 1
            items.append(_plain(value, (*path, i), lines))
        return items
    if isinstance(node, bool):
        return bool(node)
    if isinstance(node, int):
        return int(node)
    if isinstance(node, float):
        return float(node)
    if isinstance(node, str):
        return str(node)
    return node


def load_nvue_yaml(text: str) -> tuple[Any, Located]:
    """Parse NVUE YAML as NVUE does (YAML 1.2); returns plain data and the line of every node.

    Raises ValidatorUnavailable when ruamel.yaml is missing, and ruamel's YAMLError for bad YAML.
    """
    lines: Located = {}
    return _plain(_ruamel().load(text), (), lines), lines


def release_of(header: object) -> str | None:
    """The Cumulus Linux release (`5.11`) a startup.yaml header names in `version`, or None."""
    version = header.get("version") if isinstance(header, Mapping) else None
    match = _RELEASE_RE.search(str(version)) if version is not None else None
    return f"{match.group(1)}.{match.group(2)}" if match else None


def _available_releases() -> tuple[str, ...]:
    try:
        from nvueschema.models._versions import VERSIONS
    except ImportError as exc:
        raise ValidatorUnavailable(f"the NVUE validator needs NVIDIA's NVUE models: {_INSTALL_HINT}") from exc
    return tuple(VERSIONS)


@lru_cache(maxsize=4)
def _strict_models(release: str) -> ModuleType:
    """A private copy of one release's models with unknown keys forbidden on every model (~1.5 s).

    Loaded under a netweave-owned module name, so other users of `nvueschema` in the process keep the
    package's own lenient models.
    """
    import nvueschema.models as package
    from pydantic import BaseModel

    source = Path(package.__file__).with_name(f"v{release.replace('.', '_')}.py")
    name = f"netweave.check._nvue_v{release.replace('.', '_')}"
    with _load_lock:
        spec = importlib.util.spec_from_file_location(name, source)
        if spec is None or spec.loader is None:
            raise ValidatorUnavailable(f"nvueschema has no models for Cumulus Linux {release}: {_INSTALL_HINT}")
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
        classes = [
            obj
            for obj in vars(module).values()
            if isinstance(obj, type) and issubclass(obj, BaseModel) and obj.__module__ == name
        ]
        for cls in classes:
            cls.model_config["extra"] = "forbid"
        for cls in classes:  # definition order: a model's nested models are rebuilt before it
            cls.model_rebuild(force=True)
    return module


def _line(path: tuple[str | int, ...], lines: Located) -> int | None:
    """Line of the deepest node of `path` that exists in the file (a missing key: its parent's line)."""
    for end in range(len(path), 0, -1):
        if path[:end] in lines:
            return lines[path[:end]]
    return None


def _where(path: tuple[str | int, ...]) -> str:
    """`/set/interface/swp1/link/mtu` for the path below a document's list index."""
    return "/" + "/".join(str(p) for p in path)


def _schema_problems(
    model: Any, body: Any, base: tuple[str | int, ...], name: str, lines: Located
) -> list[CheckProblem]:
    """Validate `body` with one pydantic model; one problem per location (union branches folded)."""
    from pydantic import ValidationError

    try:
        model.model_validate(body)
    except ValidationError as exc:
        seen: dict[tuple[str | int, ...], list[str]] = {}
        for error in exc.errors():
            # union/validator branches add tags such as 'literal[...]' or 'function-after[...]' to loc
            loc = tuple(p for p in error["loc"] if not (isinstance(p, str) and "[" in p))
            message = f"unknown key {loc[-1]!r}" if error["type"] == "extra_forbidden" and loc else error["msg"]
            if "input" in error and error["type"] != "extra_forbidden":
                got = repr(error["input"])
                message = f"{message} (got {got if len(got) <= 60 else got[:57] + '...'})"
            messages = seen.setdefault(loc, [])
            if message not in messages:
                messages.append(message)
        return [
            CheckProblem(name, "; ".join(messages), line=_line((*base, *loc), lines), path=_where((*base[1:], *loc)))
            for loc, messages in seen.items()
        ]
    return []


def _get(node: Any, *path: str) -> Any:
    """Walk mappings; None as soon as a step is missing or not a mapping."""
    for step in path:
        if not isinstance(node, Mapping):
            return None
        node = node.get(step)
    return node


def _items(node: Any) -> list[tuple[Any, Any]]:
    return list(node.items()) if isinstance(node, Mapping) else []


def _community_keys(config: Mapping[str, Any]) -> Iterator[tuple[tuple[str, ...], str, str]]:
    """(path, key, kind) of every route target / distinguisher written as a mapping key or value."""
    for vni, body in _items(_get(config, "evpn", "vni")):
        rd = _get(body, "rd")
        if rd is not None:
            yield ("evpn", "vni", str(vni), "rd"), str(rd), "route distinguisher"
        for direction, targets in _items(_get(body, "route-target")):
            for rt, _ in _items(targets):
                yield ("evpn", "vni", str(vni), "route-target", str(direction), str(rt)), str(rt), "route target"
    for vrf, body in _items(config.get("vrf")):
        bgp = _get(body, "router", "bgp")
        for branch in (("route-export", "to-evpn"), ("route-import", "from-evpn")):
            for rt, _ in _items(_get(bgp, *branch, "route-target")):
                path = ("vrf", str(vrf), "router", "bgp", *branch, "route-target", str(rt))
                yield path, str(rt), "route target"


def _vxlan_problems(config: Mapping[str, Any], vrfs: dict[Any, Any]) -> list[tuple[tuple[str, ...], str]]:
    out: list[tuple[tuple[str, ...], str]] = []
    l2vni = any(
        _get(vlan, "vni")
        for _, domain in _items(_get(config, "bridge", "domain"))
        for _, vlan in _items(_get(domain, "vlan"))
    )
    l3vni = any(_get(vrf, "evpn", "vni") for vrf in vrfs.values())
    if (l2vni or l3vni) and not _get(config, "nve", "vxlan", "source", "address"):
        out.append((("nve", "vxlan", "source", "address"), "VNIs configured but no VXLAN source address"))
    if (l2vni or l3vni) and _get(config, "evpn", "enable") not in ("on", "enabled"):
        out.append((("evpn", "enable"), "VNIs configured but EVPN not enabled"))
    return out


def cross_references(config: Mapping[str, Any]) -> list[tuple[tuple[str, ...], str]]:
    """Rules across branches and mapping-key syntax that no release's schema expresses: (path, message)."""
    out: list[tuple[tuple[str, ...], str]] = []
    if not _get(config, "system", "hostname"):
        out.append((("system", "hostname"), "missing hostname"))
    vrfs = dict(_items(config.get("vrf")))
    for ifname, iface in _items(config.get("interface")):
        vrf = _get(iface, "ip", "vrf")
        if vrf and vrf not in vrfs and vrf != "mgmt":  # mgmt exists by default on Cumulus Linux
            out.append((("interface", str(ifname), "ip", "vrf"), f"VRF {vrf!r} is not defined"))
    out.extend(_vxlan_problems(config, vrfs))
    for vrf_name, vrf in vrfs.items():
        groups = _get(vrf, "router", "bgp", "peer-group") or {}
        for peer, neighbor in _items(_get(vrf, "router", "bgp", "neighbor")):
            group = _get(neighbor, "peer-group")
            if group and group not in groups:
                path = ("vrf", str(vrf_name), "router", "bgp", "neighbor", str(peer), "peer-group")
                out.append((path, f"peer-group {group!r} is not defined in this VRF"))
    if any(_get(iface, "ip", "vrr") for _, iface in _items(config.get("interface"))) and _get(
        config, "router", "vrr", "enable"
    ) not in ("on", "enabled"):
        out.append((("router", "vrr", "enable"), "interfaces use ip vrr but router vrr is not enabled"))
    if any(_get(vrf, "router", "bgp") for vrf in vrfs.values()) and not _get(
        config, "router", "bgp", "autonomous-system"
    ):
        out.append((("router", "bgp", "autonomous-system"), "BGP in a VRF but no global ASN"))
    for where, value, kind in _community_keys(config):
        if value != "auto" and not valid_ext_community(value, allow_wildcard=False):
            out.append((where, f"{value!r} is not a valid {kind} (ASN:NN or IPv4:NN)"))
    return out


def _documents(data: Any, name: str, lines: Located) -> tuple[Any, list[tuple[int, Any]], list[CheckProblem]]:
    """Split the startup list into its header and `set` bodies (with their list index)."""
    if not isinstance(data, list) or not data:
        return None, [], [CheckProblem(name, "expected a YAML list: - header: ... then - set: ...", line=1, path="/")]
    header: Any = None
    sets: list[tuple[int, Any]] = []
    problems: list[CheckProblem] = []
    for i, doc in enumerate(data):
        if not isinstance(doc, Mapping) or len(doc) != 1:
            problems.append(
                CheckProblem(name, "each list item must be one of header, set", line=lines.get((i,)), path=f"/{i}")
            )
            continue
        ((kind, body),) = doc.items()
        if kind == "header":
            header = body
        elif kind == "set":
            sets.append((i, body))
        else:
            problems.append(CheckProblem(name, f"unknown document {kind!r}", line=lines.get((i,)), path=f"/{kind}"))
    if not sets:
        problems.append(CheckProblem(name, "no '- set:' document", line=None, path="/"))
    return header, sets, problems


def check_nvue(text: str, name: str = "startup.yaml") -> list[CheckProblem]:
    """Judge one startup.yaml with the NVUE model of the release its header names.

    Problems carry the file line and the NVUE path (`/set/interface/swp1/link/mtu`); empty means NVIDIA's
    model of that release accepts the tree. Raises ValidatorUnavailable when nvueschema or ruamel.yaml
    is missing; never raises for a bad file.
    """
    from ruamel.yaml.error import YAMLError

    available = _available_releases()
    try:
        data, lines = load_nvue_yaml(text)
    except YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        reason = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        return [CheckProblem(name, f"invalid YAML: {reason}", line=mark.line + 1 if mark else None, path="")]
    header, sets, problems = _documents(data, name, lines)
    if not sets:
        return problems
    release = release_of(header)
    if release is None or release not in available:
        named = "no header version" if release is None else f"Cumulus Linux {release}"
        problems.append(
            CheckProblem(
                name,
                f"{named}: the header must name a release NVIDIA publishes a model for ({', '.join(available)})",
                line=lines.get((0,)),
                path="/header/version",
            )
        )
        return problems
    module = _strict_models(release)
    if header is not None:
        problems.extend(_schema_problems(module.NvueConfigHeader, header, (0, "header"), name, lines))
    for index, body in sets:
        found = _schema_problems(module.NvueConfig, body, (index, "set"), name, lines)
        suffix = f"(NVUE model of Cumulus Linux {release})"
        problems.extend(CheckProblem(p.file, f"{p.message} {suffix}", line=p.line, path=p.path) for p in found)
        if isinstance(body, Mapping):
            for path, message in cross_references(body):
                line = _line((index, "set", *path), lines)
                problems.append(CheckProblem(name, message, line=line, path=_where(("set", *path))))
    return problems


def validate(files: list[Path], platform_of: Mapping[str, str], models: Path | None) -> list[CheckProblem]:
    """Judge every NVUE startup.yaml in `files`; the release comes from each file's header.

    The platform does not change the NVUE object model and no model folder is needed (the models ship in
    the nvueschema package). Raises ValidatorUnavailable when nvueschema or ruamel.yaml is missing.
    """
    del platform_of, models
    _available_releases()
    _ruamel()
    problems: list[CheckProblem] = []
    for path in files:
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            problems.append(CheckProblem(str(path), f"cannot read: {exc}", line=None, path=""))
            continue
        problems.extend(check_nvue(text, str(path)))
    return problems
