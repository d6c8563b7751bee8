"""The record of a running lab, kept as one JSON file so ``down`` and ``verify`` can find everything.

Layout under the caller's ``state_dir``::

    <state_dir>/<lab>/state.json          this record (written atomically: temp file + fsync + rename)
    <state_dir>/<lab>/nodes/<node>/frr.conf   the config each node was started with
    <state_dir>/<lab>/logs/<node>/*.log   FRR daemon logs, copied there by ``down``

``up`` writes the record *before* it creates anything (status ``starting``, every declared name) and
again after each phase, so even a ``kill -9`` in the middle leaves a file that names what may exist.

The record is not trusted: ``down`` kills the processes in the namespaces it names and removes the
directories it names, so a crafted file could make it kill processes in another namespace and delete an
arbitrary directory. ``load_state`` therefore accepts a record only when every name in it is the one
netweave's own rules give (``naming``): the lab name, namespaces ``nw-<lab>-<node>``, FRR run directories
``/var/run/frr/<netns>``, node configs under ``<state_dir>/<lab>/nodes/``, known daemons.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Literal

from netweave.lab.errors import LabNotFoundError, LabStateError, LabTopologyError, UnknownNodeError
from netweave.lab.naming import frr_run_dir, ifname_problem, lab_name_problem, netns_name, node_name_problem
from netweave.lab.topology import SUPPORTED_DAEMONS
from netweave.output.writer import write_atomic

STATE_VERSION = 1
Status = Literal["starting", "up", "failed"]


@dataclass(slots=True)
class NodeState:
    """What exists for one node: its namespace, FRR path space directory, config, daemons and pids."""

    name: str
    netns: str
    run_dir: str
    conf_path: str
    daemons: list[str]
    pids: dict[str, int] = field(default_factory=dict)
    loopbacks: list[str] = field(default_factory=list)


@dataclass(slots=True)
class LinkState:
    """One veth pair between ``a``'s ``a_ifname`` and ``b``'s ``b_ifname`` (names inside the namespaces)."""

    a: str
    a_ifname: str
    b: str
    b_ifname: str
    mtu: int


@dataclass(slots=True)
class LabState:
    """A lab as ``up`` left it; the handle every query primitive takes."""

    name: str
    state_dir: str
    status: Status
    nodes: dict[str, NodeState]
    links: list[LinkState]
    version: int = STATE_VERSION

    def node(self, name: str) -> NodeState:
        """The node called ``name``; ``UnknownNodeError`` (a KeyError) naming the lab's nodes otherwise."""
        try:
            return self.nodes[name]
        except KeyError:
            known = ", ".join(sorted(self.nodes))
            raise UnknownNodeError(f"lab {self.name!r} has no node {name!r}; nodes: {known}") from None

    @property
    def path(self) -> Path:
        """The state file of this lab."""
        return state_file(self.name, Path(self.state_dir))

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict of the whole state."""
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> LabState:
        """Rebuild a state from ``to_json`` output."""
        return cls(
            name=data["name"],
            state_dir=data["state_dir"],
            status=data["status"],
            nodes={k: NodeState(**v) for k, v in data["nodes"].items()},
            links=[LinkState(**link) for link in data["links"]],
            version=data.get("version", STATE_VERSION),
        )


def lab_dir(name: str, state_dir: Path) -> Path:
    """The directory holding everything of lab ``name`` under ``state_dir``."""
    return Path(state_dir) / name


def state_file(name: str, state_dir: Path) -> Path:
    """The JSON state file of lab ``name``."""
    return lab_dir(name, state_dir) / "state.json"


def save_state(state: LabState) -> None:
    """Write ``state`` atomically, so a reader never sees half a file even if we die mid-write."""
    write_atomic(state.path, json.dumps(state.to_json(), indent=2, sort_keys=True) + "\n")


def state_problems(data: Any, name: str, state_dir: Path) -> list[str]:
    """Why ``data`` is not a state record netweave wrote for lab ``name`` under ``state_dir`` (empty: it is)."""
    if (problem := lab_name_problem(name)) is not None:
        return [problem]
    if not isinstance(data, dict):
        return ["it is not a JSON object"]
    problems: list[str] = []
    if data.get("name") != name:
        problems.append(f"name {data.get('name')!r} is not the lab's name {name!r}")
    if not isinstance(data.get("state_dir"), str) or Path(data["state_dir"]).resolve() != Path(state_dir).resolve():
        problems.append(f"state_dir {data.get('state_dir')!r} is not {str(state_dir)!r}")
    if data.get("status") not in ("starting", "up", "failed"):
        problems.append(f"status {data.get('status')!r} is not starting, up or failed")
    nodes = data.get("nodes")
    if not isinstance(nodes, dict):
        return [*problems, "nodes is not a mapping"]
    nodes_dir = lab_dir(name, Path(state_dir)) / "nodes"
    for key, node in nodes.items():
        problems += _node_problems(str(key), node, name, nodes_dir)
    links = data.get("links")
    if not isinstance(links, list):
        return [*problems, "links is not a list"]
    for i, link in enumerate(links):
        problems += _link_problems(i, link, nodes)
    return problems


def _link_problems(i: int, link: Any, nodes: dict[str, Any]) -> list[str]:
    """Why `links[i]` of a state record is not a link between two of its nodes (empty: it is)."""
    if not isinstance(link, dict) or set(link) != {"a", "a_ifname", "b", "b_ifname", "mtu"}:
        return [f"links[{i}] is not a link record"]
    problems = []
    for end in ("a", "b"):
        if link[end] not in nodes:
            problems.append(f"links[{i}].{end} {link[end]!r} is not a node of the lab")
        if not isinstance(link[f"{end}_ifname"], str) or ifname_problem(link[f"{end}_ifname"]) is not None:
            problems.append(f"links[{i}].{end}_ifname {link[f'{end}_ifname']!r} is not an interface name")
    if not isinstance(link["mtu"], int) or isinstance(link["mtu"], bool):
        problems.append(f"links[{i}].mtu is not an integer")
    return problems


def _node_problems(key: str, node: Any, lab: str, nodes_dir: Path) -> list[str]:
    fields = {"name", "netns", "run_dir", "conf_path", "daemons", "pids", "loopbacks"}
    if not isinstance(node, dict) or set(node) != fields:
        return [f"nodes[{key!r}] is not a node record"]
    if node["name"] != key or node_name_problem(key) is not None:
        return [f"nodes[{key!r}] has an invalid name {node['name']!r}"]
    problems = []
    netns = netns_name(lab, key)
    if node["netns"] != netns:
        problems.append(f"nodes[{key!r}].netns {node['netns']!r} is not netweave's {netns!r}")
    if node["run_dir"] != str(frr_run_dir(netns)):
        problems.append(f"nodes[{key!r}].run_dir {node['run_dir']!r} is not {str(frr_run_dir(netns))!r}")
    if node["conf_path"] != str(nodes_dir / key / "frr.conf"):
        problems.append(f"nodes[{key!r}].conf_path {node['conf_path']!r} is not under {str(nodes_dir)!r}")
    daemons = node["daemons"]
    if not isinstance(daemons, list) or not all(d in SUPPORTED_DAEMONS for d in daemons):
        problems.append(f"nodes[{key!r}].daemons {daemons!r} are not FRR daemons the lab starts")
    pids = node["pids"]
    if not isinstance(pids, dict) or not all(
        k in SUPPORTED_DAEMONS and isinstance(v, int) and not isinstance(v, bool) and v > 1 for k, v in pids.items()
    ):
        problems.append(f"nodes[{key!r}].pids is not a map of daemon to pid")
    if not isinstance(node["loopbacks"], list) or not all(isinstance(a, str) for a in node["loopbacks"]):
        problems.append(f"nodes[{key!r}].loopbacks is not a list of addresses")
    return problems


def load_state(name: str, state_dir: Path) -> LabState:
    """Read the state of lab ``name``; ``LabNotFoundError`` with a hint when there is none, ``LabStateError``
    when the file is not a record netweave wrote for this lab (see the module docstring)."""
    path = state_file(name, Path(state_dir))
    if (problem := lab_name_problem(name)) is not None:
        raise LabTopologyError(name, [problem])
    try:
        data = json.loads(path.read_text())
    except FileNotFoundError:
        raise LabNotFoundError(
            f"lab {name!r} has no state file at {path}: it is not up, or it was started with another "
            f"state directory (leftovers can still be removed with down({name!r}, ...))"
        ) from None
    except json.JSONDecodeError as exc:
        raise LabNotFoundError(f"state file {path} is not valid JSON ({exc}); run down({name!r}, ...)") from exc
    except (NotADirectoryError, IsADirectoryError, PermissionError) as exc:
        raise LabNotFoundError(f"cannot read state file {path}: {exc.strerror}") from None
    if problems := state_problems(data, name, Path(state_dir)):
        raise LabStateError(
            f"state file {path} is not a record netweave wrote for lab {name!r}, so nothing in it is used: "
            + "; ".join(problems[:5])
            + (f"; ... {len(problems) - 5} more" if len(problems) > 5 else "")
        )
    return LabState.from_json(data)
