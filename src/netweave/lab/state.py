"""The record of a running lab, kept as one JSON file so ``down`` and ``verify`` can find everything.

Layout under the caller's ``state_dir``::

    <state_dir>/<lab>/state.json          this record (written atomically: temp file + fsync + rename)
    <state_dir>/<lab>/nodes/<node>/frr.conf   the config each node was started with
    <state_dir>/<lab>/logs/<node>/*.log   FRR daemon logs, copied there by ``down``

``up`` writes the record *before* it creates anything (status ``starting``, every declared name) and
again after each phase, so even a ``kill -9`` in the middle leaves a file that names what may exist.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Literal

from netweave.lab.errors import LabNotFoundError, UnknownNodeError
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


def load_state(name: str, state_dir: Path) -> LabState:
    """Read the state of lab ``name``; ``LabNotFoundError`` with a hint when there is none."""
    path = state_file(name, Path(state_dir))
    try:
        data = json.loads(path.read_text())
    except FileNotFoundError:
        raise LabNotFoundError(
            f"lab {name!r} has no state file at {path}: it is not up, or it was started with another "
            f"state directory (leftovers can still be removed with down({name!r}, ...))"
        ) from None
    except json.JSONDecodeError as exc:
        raise LabNotFoundError(f"state file {path} is not valid JSON ({exc}); run down({name!r}, ...)") from exc
    return LabState.from_json(data)
