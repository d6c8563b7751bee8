"""Intent models: what a design file may say, validated once at the edge.

A design has a name and sites; each site holds fabrics; each fabric is an instance of a module
(leaf-spine, ai-backend, ...) whose own intent model extends `FabricIntent`. The concrete `Design`
class is assembled from the registered modules (see `netweave.registry.design_model`), so adding a
module adds its intent to the schema without editing this file.
"""

from __future__ import annotations

import ipaddress
import re
from typing import Any, Literal

from pydantic import Field, PrivateAttr, field_validator, model_validator

from netweave.catalog.platform import Platform
from netweave.intent.base import (
    MAX_FABRICS,
    MAX_FABRICS_PER_SITE,
    MAX_SITES,
    NAME_RE,
    Asn,
    Name,
    Nos,
    Speed,
    StrictModel,
)
from netweave.intent.management import ManagementIntent

__all__ = [  # the shared field types and Platform are re-exported for the fabric modules that import them here
    "NAME_RE",
    "Addressing",
    "Asn",
    "AsnPlan",
    "Design",
    "FabricIntent",
    "ManagementIntent",
    "ManagementPool",
    "Name",
    "Nos",
    "Platform",
    "Site",
    "Speed",
    "StrictModel",
]


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
    management: ManagementIntent | None = Field(
        default=None, description="overrides of the site's and design's management keys for this fabric"
    )


class Site(StrictModel):
    """A data center: a name and the fabrics built in it."""

    name: Name
    description: str = ""
    fabrics: list[FabricIntent] = Field(default_factory=list, max_length=MAX_FABRICS_PER_SITE)
    management: ManagementIntent | None = Field(
        default=None, description="overrides of the design's management keys for this site"
    )


class Design(StrictModel):
    """A whole design file. At run time `sites[].fabrics[]` hold the module-specific subclasses."""

    name: Name
    description: str = ""
    platforms: dict[str, Platform] = Field(
        default_factory=dict, description="platforms added to (or replacing) the shipped catalogue"
    )
    sites: list[Site] = Field(min_length=1, max_length=MAX_SITES)
    management: ManagementIntent | None = Field(
        default=None,
        description="management plane of every device: NTP, syslog, DNS, SNMP/gNMI, users, AAA, API servers",
    )
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
