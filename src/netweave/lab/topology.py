"""The input contract of the lab runtime: a fully rendered topology of nodes, their FRR configs and links.

The lab does not read the design or the Network model; whoever builds a ``LabTopology`` (the CLI from a
rendered Network, a test by hand, a benchmark generator) hands over finished FRR configuration text.
That keeps the runtime usable before, and independently of, the rest of the pipeline.

The dataclasses are frozen and plain so they can be built from trusted data cheaply;
``validate_topology`` checks the whole topology once, at the edge, and reports every problem together.
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass, field

from netweave.lab.errors import LabTopologyError
from netweave.lab.naming import ifname_problem, lab_name_problem, netns_name, node_name_problem

BASE_DAEMONS: tuple[str, ...] = ("zebra", "bgpd", "staticd")
SUPPORTED_DAEMONS: frozenset[str] = frozenset(
    {"zebra", "bgpd", "staticd", "bfdd", "ospfd", "ospf6d", "isisd", "pimd", "pbrd", "vrrpd", "fabricd"}
)
_BFD_RE = re.compile(r"^\s*(bfd\b|neighbor\s+\S+\s+bfd\b)", re.MULTILINE)
MIN_MTU, MAX_MTU = 68, 65535


def default_daemons(frr_conf: str) -> tuple[str, ...]:
    """zebra, bgpd and staticd, plus bfdd when the config has a ``bfd`` block or ``neighbor X bfd``."""
    return (*BASE_DAEMONS, "bfdd") if _BFD_RE.search(frr_conf) else BASE_DAEMONS


@dataclass(frozen=True, slots=True)
class LabNode:
    """One router: a network namespace running FRR with ``frr_conf`` (integrated frr.conf text).

    ``daemons`` defaults to ``default_daemons(frr_conf)``; zebra is always started first.
    ``loopbacks`` are CIDR addresses put on ``lo`` by the kernel before FRR starts (optional: the config
    may also carry them under ``interface lo``).
    """

    name: str
    frr_conf: str
    daemons: tuple[str, ...] | None = None
    loopbacks: tuple[str, ...] = ()

    @property
    def resolved_daemons(self) -> tuple[str, ...]:
        """The daemons to start, zebra first, without duplicates."""
        wanted = self.daemons if self.daemons is not None else default_daemons(self.frr_conf)
        ordered = ["zebra", *(d for d in wanted if d != "zebra")]
        return tuple(dict.fromkeys(ordered))


@dataclass(frozen=True, slots=True)
class LabLink:
    """A point-to-point link: a veth pair from ``a``'s ``a_ifname`` to ``b``'s ``b_ifname``."""

    a: str
    a_ifname: str
    b: str
    b_ifname: str
    mtu: int = 1500


@dataclass(frozen=True, slots=True)
class LabTopology:
    """A lab to bring up: its name (which names every host object, see ``netweave.lab.naming``)."""

    name: str
    nodes: list[LabNode] = field(default_factory=list)
    links: list[LabLink] = field(default_factory=list)

    def node(self, name: str) -> LabNode:
        """The node called ``name``; KeyError naming the known nodes otherwise."""
        for node in self.nodes:
            if node.name == name:
                return node
        raise KeyError(f"lab {self.name!r} has no node {name!r}; nodes: {sorted(n.name for n in self.nodes)}")


def topology_problems(topology: LabTopology) -> list[str]:
    """Every problem of ``topology`` as a message naming the path at fault (empty list: the topology is valid)."""
    problems: list[str] = []
    if (p := lab_name_problem(topology.name)) is not None:
        problems.append(f"name: {p}")
    if not topology.nodes:
        problems.append("nodes: a lab needs at least one node")
    seen_nodes: set[str] = set()
    seen_netns: dict[str, str] = {}
    for i, node in enumerate(topology.nodes):
        where = f"nodes[{i}] ({node.name!r})"
        problems += _node_name_problems(where, topology.name, node, seen_nodes, seen_netns)
        problems += _node_field_problems(where, node)
    problems += _link_problems(topology, seen_nodes)
    return problems


def _node_name_problems(
    where: str, lab: str, node: LabNode, seen_nodes: set[str], seen_netns: dict[str, str]
) -> list[str]:
    """A node's name: valid, unique, and mapping to its own network namespace (records it in the seen sets)."""
    problems: list[str] = []
    name_problem = node_name_problem(node.name)
    if name_problem is not None:
        problems.append(f"{where}.name: {name_problem}")
    if node.name in seen_nodes:
        problems.append(f"{where}.name: duplicate node name {node.name!r}")
    seen_nodes.add(node.name)
    if lab_name_problem(lab) is None and name_problem is None:
        ns = netns_name(lab, node.name)
        if ns in seen_netns and seen_netns[ns] != node.name:
            problems.append(f"{where}.name: namespace {ns!r} collides with node {seen_netns[ns]!r}")
        seen_netns[ns] = node.name
    return problems


def _node_field_problems(where: str, node: LabNode) -> list[str]:
    """One node's daemons, configuration and loopback addresses."""
    problems: list[str] = []
    unknown = [d for d in node.resolved_daemons if d not in SUPPORTED_DAEMONS]
    if unknown:
        problems.append(f"{where}.daemons: unsupported {unknown}; supported: {sorted(SUPPORTED_DAEMONS)}")
    if not node.frr_conf.strip():
        problems.append(f"{where}.frr_conf: empty configuration")
    for j, address in enumerate(node.loopbacks):
        try:
            ipaddress.ip_interface(address)
        except ValueError:
            problems.append(f"{where}.loopbacks[{j}]: {address!r} is not an address/prefix (10.0.0.1/32)")
    return problems


def _link_problems(topology: LabTopology, nodes: set[str]) -> list[str]:
    """Links: known nodes, valid interface names each used once, MTU in range."""
    problems: list[str] = []
    used: dict[tuple[str, str], str] = {}
    for i, link in enumerate(topology.links):
        for side, node_name, ifname in (("a", link.a, link.a_ifname), ("b", link.b, link.b_ifname)):
            where = f"links[{i}].{side}"
            if node_name not in nodes:
                problems.append(f"{where}: unknown node {node_name!r}; nodes: {sorted(nodes)}")
            if (p := ifname_problem(ifname)) is not None:
                problems.append(f"{where}_ifname: {p}")
            key = (node_name, ifname)
            if key in used:
                problems.append(f"{where}_ifname: {node_name}:{ifname} is already used by {used[key]}")
            else:
                used[key] = f"links[{i}].{side}"
        if not MIN_MTU <= link.mtu <= MAX_MTU:
            problems.append(f"links[{i}].mtu: {link.mtu} is outside {MIN_MTU}..{MAX_MTU}")
    return problems


def validate_topology(topology: LabTopology) -> None:
    """Raise ``LabTopologyError`` listing every problem of ``topology``; return None when it is valid."""
    problems = topology_problems(topology)
    if problems:
        raise LabTopologyError(topology.name, problems)
