"""EVPN-VXLAN overlay intent: tenant VRFs with one L3 VNI each (symmetric IRB), L2 VNIs with a VLAN and
an anycast gateway, explicit route targets, one anycast gateway MAC for the fabric.

Route targets default to `<rt_asn>:<vni>` with one fabric-wide ASN, because auto-derived RTs differ
between vendors (and between leaves when every leaf has its own ASN, RFC 7938) and then silently
fail to import (reference/ai-fabric.md).

Only the intent lives here; `netweave.fabric.evpn` expands it into the overlay and attaches the VTEPs.
"""

from __future__ import annotations

import ipaddress

from pydantic import Field, model_validator

from netweave.intent.base import Name, StrictModel

Vni = int
RT_PATTERN = r"^[0-9]{1,10}:[0-9]{1,10}$"


class VrfIntent(StrictModel):
    """A tenant VRF; `l3vni` carries its routed traffic between VTEPs (symmetric IRB)."""

    name: Name
    l3vni: int = Field(ge=1, le=16_777_215)
    vlan: int | None = Field(
        default=None, ge=2, le=4094, description="VLAN for the L3 VNI where the NOS needs one (EOS, NVUE)"
    )
    route_target: str | None = Field(default=None, pattern=RT_PATTERN, description="default: <rt_asn>:<l3vni>")


class L2VniIntent(StrictModel):
    """A layer-2 segment stretched over the fabric, optionally routed by an anycast gateway in a VRF."""

    name: Name
    vni: int = Field(ge=1, le=16_777_215)
    vlan: int = Field(ge=2, le=4094)
    vrf: str | None = Field(default=None, description="VRF of the anycast gateway (one of vrfs[].name)")
    gateway: ipaddress.IPv4Interface | None = Field(
        default=None, description="anycast gateway address with prefix length, e.g. 10.10.1.1/24"
    )
    route_target: str | None = Field(default=None, pattern=RT_PATTERN, description="default: <rt_asn>:<vni>")

    @model_validator(mode="after")
    def _gateway_needs_vrf(self) -> L2VniIntent:
        if self.gateway is not None and self.vrf is None:
            raise ValueError(f"vni {self.vni}: an anycast gateway needs a vrf")
        return self


class EvpnIntent(StrictModel):
    """The overlay of a leaf-spine fabric: every leaf is a VTEP with every VRF and VNI listed here."""

    anycast_gateway_mac: str = Field(
        default="00:1c:73:00:00:99",
        pattern=r"^[0-9a-f]{2}(:[0-9a-f]{2}){5}$",
        description="one virtual MAC for every anycast gateway of the fabric",
    )
    rt_asn: int = Field(
        default=65000, ge=1, le=65535, description="ASN part of default route targets (2-byte, so the VNI fits)"
    )
    vrfs: list[VrfIntent] = Field(default_factory=list)
    l2vnis: list[L2VniIntent] = Field(default_factory=list)
