"""Intent models: what a design file may say, validated once at the edge.

A design has a name and sites; each site holds fabrics; each fabric is an instance of a module
(leaf-spine, ai-backend, ...) whose own intent model extends `FabricIntent`. The concrete `Design`
class is assembled from the registered modules (see `netweave.registry.design_model`), so adding a
module adds its intent to the schema without editing this file.
"""

from __future__ import annotations

import ipaddress
import re
from typing import Annotated, Any, Literal

from pydantic import ConfigDict, Field, PrivateAttr, field_validator, model_validator

from netweave.text import CheckedText

Nos = Literal["frr", "srlinux", "sros", "eos", "sonic", "nvue"]
"""Network operating systems netweave renders for."""

NAME_RE = r"^[a-z][a-z0-9-]{0,39}$"
Name = Annotated[str, Field(pattern=NAME_RE, description="lower-case name: letters, digits, '-'")]
MAX_PLATFORM_PORTS = 1024
"""Front-panel cages of one platform. The largest real switch is a 16-slot modular chassis with 576
cages (Arista 7816R); fixed switches have 32-128. Every per-port loop of expansion is bounded by this."""

MAX_FABRIC_SWITCHES = 16_384
"""Switches in one leaf-spine fabric (pods x (spines + leaves) + super-spines). The largest fabrics
built today (100,000-GPU clusters, hyperscale DC fabrics) have under 10,000 switches; 16,384 leaves
headroom without letting 1,024 pods x 4,096 leaves (4 million switches) start expanding."""

MAX_GPUS = 262_144
"""GPUs in one ai-backend fabric: twice the largest cluster announced (about 200,000 GPUs in one
fabric) and 2.6x the largest size the benchmarks measure (100,000: seconds to expand). 10 million GPUs on
a big custom platform passed the old limit and expanded until memory ran out."""

MAX_SITES = 256
"""Sites in one design: a design file describes one region or one operator's estate."""

MAX_FABRICS_PER_SITE = 64
"""Fabrics per site: a data center hall has a handful (front-end, back-end, storage, management)."""

MAX_FABRICS = 128
"""Fabrics in one design, over all sites (a region of 8 sites x 8 fabrics is 64). Lint compares address
pools pairwise, so 400 fabrics sharing one pool produced 240,000 findings and a 73 s run (a 1 MiB file
holds 5,000 minimal fabrics); at 128 the worst case is 25,000 findings in 5 s."""

Speed = Annotated[int, Field(ge=1, le=1600, description="port speed in Gb/s")]
Asn = Annotated[int, Field(ge=1, le=4294967295, description="BGP autonomous system number")]


class StrictModel(CheckedText):
    """Base for intent: unknown keys are errors (a typo must never be silently ignored), and every float
    is finite: NaN compares false with every bound, so a NaN dispersion made a failing optical path pass
    (margin inf, verdict pass). `allow_inf_nan=False` refuses NaN and +-inf in every float field of every
    subclass, so no field can forget it."""

    model_config = ConfigDict(extra="forbid", validate_default=True, allow_inf_nan=False)


class PortGroup(StrictModel):
    """A run of identical front-panel ports, numbered consecutively after the previous group."""

    count: int = Field(ge=1, le=1024)
    speed: Speed
    form: str = Field(default="", description="cage type, e.g. QSFP28, QSFP-DD, OSFP")
    lanes: int = Field(default=1, ge=1, le=16, description="electrical lanes per cage")
    breakouts: list[Annotated[str, Field(pattern=r"^[1-9]x[0-9]+$")]] = Field(
        default_factory=list, description="supported breakouts, e.g. '4x100' = four 100G ports per cage"
    )


class Platform(StrictModel):
    """A switch model from a datasheet: who makes it, what NOS it runs and what ports it has."""

    vendor: str
    model: str
    nos: list[Nos] = Field(min_length=1)
    ports: list[PortGroup] = Field(min_length=1)
    srlinux_chassis: str | None = Field(default=None, description="SR Linux chassis type (YANG feature set)")
    source: str = Field(default="", description="where the port facts come from (datasheet)")

    @model_validator(mode="after")
    def _bounded_ports(self) -> Platform:
        if self.port_count > MAX_PLATFORM_PORTS:
            raise ValueError(
                f"platform has {self.port_count} front-panel ports; at most {MAX_PLATFORM_PORTS} "
                "(the largest modular chassis has 576)"
            )
        return self

    @property
    def port_count(self) -> int:
        return sum(group.count for group in self.ports)

    def group_at(self, port: int) -> PortGroup:
        """The port group front-panel `port` (1-based) belongs to. Ports past the last cage count as the
        last group, so one run can report every problem (the `port-range` lint rule flags them)."""
        remaining = port
        for group in self.ports:
            if remaining <= group.count:
                return group
            remaining -= group.count
        return self.ports[-1]


class ManagementPool(StrictModel):
    """Out-of-band management addressing; devices sit in a management VRF."""

    prefix: ipaddress.IPv4Network
    gateway: ipaddress.IPv4Address | None = Field(default=None, description="default: first host")
    first_host: int = Field(default=10, ge=1, description="offset of the first device address")

    @model_validator(mode="after")
    def _gateway_inside(self) -> ManagementPool:
        if self.gateway is not None and self.gateway not in self.prefix:
            raise ValueError(f"gateway {self.gateway} is outside {self.prefix}")
        return self

    @property
    def gateway_address(self) -> ipaddress.IPv4Address:
        return self.gateway or self.prefix.network_address + 1


class Addressing(StrictModel):
    """Address pools of one fabric. Allocation is by stable slot, never by position in a list."""

    loopbacks: ipaddress.IPv4Network = Field(description="one /32 per device")
    p2p: ipaddress.IPv4Network | Literal["unnumbered"] = Field(
        description="/31 per fabric link, or 'unnumbered' (IPv6 link-local, RFC 5549)"
    )
    management: ManagementPool


class AsnPlan(StrictModel):
    """RFC 7938 ASN scheme: one ASN per spine layer (per pod/plane), one for the super-spines,
    a unique ASN per leaf counted up from `leaf_base`."""

    super_spine: Asn = 65000
    spine_base: Asn = 65100
    leaf_base: Asn = 4200000000


class FabricIntent(StrictModel):
    """What every fabric has, whatever module expands it."""

    name: Name
    module: str
    hostname_prefix: str = Field(
        default="", pattern=r"^([a-z][a-z0-9-]{0,20})?$", description="prepended to every device name of this fabric"
    )
    mtu: int = Field(default=9216, ge=1280, le=9216, description="switch port MTU in bytes")


class Site(StrictModel):
    """A data center: a name and the fabrics built in it."""

    name: Name
    description: str = ""
    fabrics: list[FabricIntent] = Field(default_factory=list, max_length=MAX_FABRICS_PER_SITE)


class Design(StrictModel):
    """A whole design file. At run time `sites[].fabrics[]` hold the module-specific subclasses."""

    name: Name
    description: str = ""
    platforms: dict[str, Platform] = Field(
        default_factory=dict, description="platforms added to (or replacing) the shipped catalogue"
    )
    sites: list[Site] = Field(min_length=1, max_length=MAX_SITES)
    _source: Any = PrivateAttr(default=None)
    """The parsed file this design came from (line numbers for messages), when loaded from one."""

    @field_validator("platforms")
    @classmethod
    def _platform_keys(cls, value: dict[str, Platform]) -> dict[str, Platform]:
        for key in value:
            if not re.fullmatch(r"[a-z0-9][a-z0-9._-]{0,63}", key):
                raise ValueError(f"platform name '{key}' must be lower-case letters, digits, '.', '_', '-'")
        return value

    @model_validator(mode="after")
    def _unique_names(self) -> Design:
        seen: set[str] = set()
        for site in self.sites:
            if site.name in seen:
                raise ValueError(f"site name '{site.name}' is used twice")
            seen.add(site.name)
        total = sum(len(site.fabrics) for site in self.sites)
        if total > MAX_FABRICS:
            raise ValueError(f"{total} fabrics; one design is limited to {MAX_FABRICS}")
        fabrics: set[str] = set()
        for site in self.sites:
            for fabric in site.fabrics:
                if fabric.name in fabrics:
                    raise ValueError(f"fabric name '{fabric.name}' is used twice")
                fabrics.add(fabric.name)
        return self
