"""A local lab of real FRR daemons in Linux network namespaces, run from an already-rendered plan.

Public API::

    plan = LabPlan(name="demo", nodes=[LabNode("s1", conf), ...], links=[LabLink("s1", "eth1", "l1", "eth1")])
    state = up(plan, state_dir)                  # namespaces nw-demo-<node>, veths, zebra/bgpd/staticd
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
    LabPlanError,
    LabStartError,
    LabTimeoutError,
    UnknownNodeError,
)
from netweave.lab.naming import netns_name
from netweave.lab.plan import LabLink, LabNode, LabPlan, default_daemons, plan_problems, validate_plan
from netweave.lab.query import ping, set_link_state, vtysh, vtysh_json, wait_for
from netweave.lab.runtime import Teardown, down, existing_leftovers, up
from netweave.lab.state import LabState, LinkState, NodeState, load_state

__all__ = [
    "LabCommandError",
    "LabEnvironmentError",
    "LabError",
    "LabExistsError",
    "LabLink",
    "LabNode",
    "LabNotFoundError",
    "LabPlan",
    "LabPlanError",
    "LabStartError",
    "LabState",
    "LabTimeoutError",
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
    "plan_problems",
    "set_link_state",
    "up",
    "validate_plan",
    "vtysh",
    "vtysh_json",
    "wait_for",
]
