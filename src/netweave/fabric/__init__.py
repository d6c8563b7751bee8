"""The public kit for fabric modules: everything a module needs to build devices, cables, sessions and pools.

Built-in modules (`leaf-spine`, `ai-backend`), the DCI expansion and third-party modules are all built from
these pieces, one concept per module (as pyavd's `shared_utils` groups building blocks by topic):

- `module`: the contract (`FabricModule`, `ExpansionContext`, `FabricPart`);
- `platforms`: catalogue lookup with a "did you mean" hint, NOS checks and defaults;
- `pools`: the fabric's address pools, tagged with site and fabric (`FabricPools`);
- `devices`: the device factory (stable-slot loopback and management addresses, `DeviceFactory`);
- `ports`: logical ports at a speed after breakout (`PortRun`) and their vendor names;
- `wiring`: one cable = two interfaces + link + eBGP session, numbered or unnumbered (`Wiring`);
- `finish`: the last pass over the devices (ECMP width, interface order);
- `qos`, `evpn`: QoS profile and EVPN overlay attachment.

A module imports from `netweave.fabric` only, so its code does not change when netweave's internals move:
the intent base models (`FabricIntent`, `Addressing`, `StrictModel`, `AsnPlan`, `Nos`), the error type
(`DesignError`, `Problem`) and `FabricInfo` are re-exported here for that reason.
"""

from netweave.errors import DesignError, Problem
from netweave.fabric.devices import DeviceFactory
from netweave.fabric.evpn import attach, attach_overlay, expand_overlay
from netweave.fabric.finish import finish_devices, sort_interfaces
from netweave.fabric.module import ExpansionContext, FabricModule, FabricPart
from netweave.fabric.platforms import default_nos, unknown_platform, unsupported_nos
from netweave.fabric.pools import FabricPools, fabric_pool
from netweave.fabric.ports import PortRun, breakout_fanout, port_run, run_name, run_names, speed_at
from netweave.fabric.qos import attach_qos, expand_qos
from netweave.fabric.wiring import CableEnd, Wiring, cable_end
from netweave.intent.design import Addressing, AsnPlan, FabricIntent, Nos, StrictModel
from netweave.network.model import FabricInfo

__all__ = [
    "Addressing",
    "AsnPlan",
    "CableEnd",
    "DesignError",
    "DeviceFactory",
    "ExpansionContext",
    "FabricInfo",
    "FabricIntent",
    "FabricModule",
    "FabricPart",
    "FabricPools",
    "Nos",
    "PortRun",
    "Problem",
    "StrictModel",
    "Wiring",
    "attach",
    "attach_overlay",
    "attach_qos",
    "breakout_fanout",
    "cable_end",
    "default_nos",
    "expand_overlay",
    "expand_qos",
    "fabric_pool",
    "finish_devices",
    "port_run",
    "run_name",
    "run_names",
    "sort_interfaces",
    "speed_at",
    "unknown_platform",
    "unsupported_nos",
]
