"""The `ai-backend` intent: how many GPUs (or nodes), what they plug into, and the fabric's pools.

See `netweave.modules.ai_backend` for the shape the module builds from it.
"""

from __future__ import annotations

import ipaddress
from typing import Literal

from pydantic import Field, model_validator

from netweave.intent.design import Addressing, AsnPlan, FabricIntent, Nos, Speed, StrictModel
from netweave.intent.qos import QosIntent


class SwitchSpec(StrictModel):
    """The switches of one tier: which platform, which NOS."""

    platform: str
    nos: Nos | None = Field(default=None, description="default: the platform's first NOS")


class AiAddressing(Addressing):
    """Fabric pools plus the GPU pool: one subnet per GPU NIC port (no two NICs share a subnet: no ARP flux)."""

    gpu: ipaddress.IPv4Network = Field(description="GPU NIC subnets are carved from here")
    gpu_prefix_length: Literal[30, 31] = Field(default=31, description="subnet per NIC port: /31 or /30")


class AiCapacity(StrictModel):
    """What the spine layer is built for; pin before the first deployment to grow without re-cabling."""

    max_sus: int | None = Field(
        default=None, ge=1, le=100_000, description="SUs the spines (and super-spines) are sized for; default: sus"
    )


class AiCableLengths(StrictModel):
    """Planned cable lengths per tier in metres; PFC headroom on lossless ports depends on them."""

    server_leaf: float = Field(default=10.0, gt=0, le=100_000)
    leaf_spine: float = Field(default=30.0, gt=0, le=100_000)
    spine_super_spine: float = Field(default=100.0, gt=0, le=100_000)


class AiBackendIntent(FabricIntent):
    """A rail-optimized GPU fabric: say how many GPUs (or nodes) and what they plug into."""

    module: Literal["ai-backend"]
    gpus: int | None = Field(default=None, ge=1, le=10_000_000, description="GPUs to connect (or give nodes)")
    nodes: int | None = Field(default=None, ge=1, le=1_000_000, description="GPU nodes (or give gpus)")
    gpus_per_node: int = Field(default=8, ge=1, le=64)
    nics_per_node: int | None = Field(
        default=None, ge=1, le=64, description="back-end NICs per node (default: gpus_per_node)"
    )
    rails: int | None = Field(
        default=None, ge=1, le=64, description="default: nics_per_node (NIC i -> rail i; must equal nics_per_node)"
    )
    nodes_per_su: int | None = Field(
        default=None, ge=1, le=1024, description="default: half the leaf's ports at nic_speed (1:1 leaf)"
    )
    planes: int = Field(default=1, ge=1, le=8, description="independent planes; each NIC has a port in each")
    nic_speed: Speed = Field(default=400, description="Gb/s of one NIC port (per plane)")
    uplink_speed: Speed | None = Field(default=None, description="leaf/spine link speed; default: native cage speed")
    tiers: Literal["auto", 2, 3] = Field(default="auto", description="auto: 2 when the radix allows, else 3")
    leaves: SwitchSpec
    spines: SwitchSpec | None = Field(default=None, description="default: same as leaves")
    super_spines: SwitchSpec | None = Field(default=None, description="default: same as spines")
    oversubscription: float = Field(default=1.0, gt=0, le=16, description="max downlink:uplink per leaf")
    addressing: AiAddressing
    asn: AsnPlan = Field(default_factory=AsnPlan)
    bfd: bool = True
    cable_m: AiCableLengths = Field(default_factory=AiCableLengths)
    qos: QosIntent | None = Field(default_factory=QosIntent, description="lossless RoCEv2 profile (null: none)")
    capacity: AiCapacity = Field(default_factory=AiCapacity)

    @model_validator(mode="after")
    def _size_given_once(self) -> AiBackendIntent:
        if (self.gpus is None) == (self.nodes is None):
            raise ValueError("give exactly one of gpus or nodes")
        nics = self.nics_per_node or self.gpus_per_node
        if self.rails is not None and self.rails != nics:
            raise ValueError(f"rails ({self.rails}) must equal nics_per_node ({nics}): NIC i goes to rail i")
        return self
