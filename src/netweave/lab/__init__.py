"""A local lab of real FRR daemons in Linux network namespaces, run from an already-rendered topology.

Public API::

    topology = LabTopology(name="demo", nodes=[LabNode("s1", conf), ...], links=[LabLink("s1", "eth1", "l1", "eth1")])
    state = up(topology, state_dir)                  # namespaces nw-demo-<node>, veths, zebra/bgpd/staticd
    vtysh_json(state, "l1", "show bgp summary")  # query a node
    ping(state, "l1", "10.0.0.3", "10.0.0.4")
    set_link_state(state, "l1", "eth1", up=False)
    down("demo", state_dir)                      # also without a state file; idempotent

See ``naming`` for how host objects are named, ``frr`` for how daemons are started and configured.
"""

from netweave.lab.errors import (
    LabCommandError,
    LabEnvironmentError,
    LabError,
    LabExistsError,
    LabNotFoundError,
    LabStartError,
    LabTimeoutError,
    LabTopologyError,
    UnknownNodeError,
)
from netweave.lab.naming import netns_name
from netweave.lab.query import ping, set_link_state, vtysh, vtysh_json, wait_for
from netweave.lab.runtime import Teardown, down, existing_leftovers, up
from netweave.lab.state import LabState, LinkState, NodeState, load_state
from netweave.lab.topology import LabLink, LabNode, LabTopology, default_daemons, topology_problems, validate_topology

__all__ = [
    "LabCommandError",
    "LabEnvironmentError",
    "LabError",
    "LabExistsError",
    "LabLink",
    "LabNode",
    "LabNotFoundError",
    "LabStartError",
    "LabState",
    "LabTimeoutError",
    "LabTopology",
    "LabTopologyError",
    "LinkState",
    "NodeState",
    "Teardown",
    "UnknownNodeError",
    "default_daemons",
    "down",
    "existing_leftovers",
    "load_state",
    "netns_name",
    "ping",
    "set_link_state",
    "topology_problems",
    "up",
    "validate_topology",
    "vtysh",
    "vtysh_json",
    "wait_for",
]
