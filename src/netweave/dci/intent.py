"""Intent for optical transport and DCI: the top-level `optical:` section of a design.

Why a top-level section and not a fabric module: a DCI joins two sites (and may reuse a device of a
fabric by name), while design modules expand one fabric inside one site without seeing the others.
The section is added to the design model by `netweave.registry.design_model`, so it is in the JSON
schema and validated once at the edge like everything else.

Shape (see stacks/prod/design.yaml):

    optical:
      addressing: {loopbacks: ..., p2p: ..., management: {...}}
      routers:       DCI routers per site: new (platform, nos, asn) or an existing device (`existing: true`)
      line_systems:  fibre spans, amplifiers and ROADMs between two sites (both directions)
      demands:       capacity between two routers over a route of line systems, with an optic family
      frequencies:   pinned carrier id -> centre MHz (what `netweave optical report --format yaml` prints)
"""

from __future__ import annotations

import ipaddress
from typing import Literal

from pydantic import Field, field_validator, model_validator

from netweave.intent.base import Asn, Name, Nos, StrictModel
from netweave.intent.design import ManagementPool
from netweave.intent.evpn import RT_PATTERN
from netweave.optical.amplifier import Amplifier
from netweave.optical.band import FrequencyBand
from netweave.optical.fiber import FiberSpan
from netweave.optical.line_system import LineElement, WdmLoad
from netweave.optical.modes import CoherentMode
from netweave.optical.roadm import Roadm

OpticFamily = Literal["400zr", "openzr+", "800zr"]
"""Pluggable families: which catalogue modes the optic in the router port can run."""

#: Catalogue modes per optic family in order of preference: fastest first, and at one rate the
#: interoperable OIF 400ZR before OpenZR+ 400G (an OpenZR+ pluggable also runs 400ZR, the MSA requires it),
#: so a short route uses 400ZR and a longer one is flagged as needing OpenZR+.
OPTIC_MODES: dict[str, tuple[str, ...]] = {
    "400zr": ("400ZR",),
    "openzr+": ("400ZR", "OpenZR+ 400G", "OpenZR+ 300G", "OpenZR+ 200G", "OpenZR+ 100G"),
    "800zr": ("800ZR",),
}


class DciAddressing(StrictModel):
    """Pools for DCI routers (loopbacks, management) and the /31 of every carrier link."""

    p2p: ipaddress.IPv4Network = Field(description="one /31 per DCI carrier link")
    loopbacks: ipaddress.IPv4Network | None = Field(default=None, description="one /32 per new DCI router")
    management: ManagementPool | None = Field(default=None, description="management addresses of new routers")
    max_ports_per_router: int = Field(
        default=64,
        ge=1,
        le=1024,
        description="/31 stride per router: link index = router index x this + port - 1 (stable slots)",
    )
    attachments: ipaddress.IPv4Network | None = Field(
        default=None, description="one /31 per fabric-to-DCI-router link (needed when `attachments:` are given)"
    )
    max_links_per_attachment: int = Field(
        default=64,
        ge=1,
        le=4096,
        description="/31 stride per attachment: index = attachment x this + device rank x links + n - 1",
    )


class DciRouter(StrictModel):
    """A router that terminates DCI carriers: a new DCI router, or an existing device by name."""

    name: str = Field(pattern=r"^[a-z][a-z0-9-]{0,62}$", description="device name")
    site: Name
    existing: bool = Field(default=False, description="true: a device of a fabric (e.g. a border spine)")
    platform: str | None = Field(default=None, description="new routers: platform, e.g. nokia-7750-sr-1x-48d")
    nos: Nos | None = Field(default=None, description="new routers: default the platform's first NOS")
    asn: Asn | None = Field(default=None, description="new routers: BGP ASN")
    ports: list[int] | None = Field(
        default=None, description="front-panel ports DCI carriers may use, in order (default: every port)"
    )

    @model_validator(mode="after")
    def _new_or_existing(self) -> DciRouter:
        if self.existing:
            extra = [k for k in ("platform", "nos", "asn") if getattr(self, k) is not None]
            if extra:
                raise ValueError(f"router {self.name}: an existing device keeps its own {', '.join(extra)}")
            if not self.ports:
                raise ValueError(f"router {self.name}: an existing device needs `ports:` (which cages are free)")
        elif self.platform is None or self.asn is None:
            raise ValueError(f"router {self.name}: a new DCI router needs `platform` and `asn`")
        return self


AttachTier = Literal["border-leaf", "leaf", "spine", "super-spine"]
"""The fabric tier whose devices cable to a DCI router (role names of `netweave.network.model.Role`); `leaf`
with `devices:` names the leaves that act as border leaves in a fabric without a border-leaf tier."""


class AttachmentPorts(StrictModel):
    """Pinned cages of an attachment: on every fabric device of the tier, and on the router, in order."""

    fabric: list[int] = Field(default_factory=list, description="cages on each fabric device (same on every one)")
    router: list[int] = Field(default_factory=list, description="cages on the DCI router, in link order")


class DciAttachment(StrictModel):
    """How one fabric reaches a DCI router of its site: which tier cables to it, how many links, how fast.

    Every device of `tier` in `fabric` gets `links_per_device` routed links to `router`, each a /31 of
    `optical.addressing.attachments` with a single-hop eBGP session (the fabric device keeps its ASN, the
    router its own). A fabric whose own device is the DCI router (`existing: true`) needs no attachment.
    """

    fabric: Name = Field(description="a fabric of the router's site")
    router: str = Field(description="a DCI router (optical.routers[].name) of the fabric's site")
    tier: AttachTier = Field(default="spine", description="devices that cable to the router")
    devices: list[str] | None = Field(
        default=None, description="only these devices of the tier (e.g. two leaves acting as border leaves)"
    )
    links_per_device: int = Field(default=1, ge=1, le=16, description="links from each device of the tier")
    speed: int | None = Field(
        default=None, ge=1, le=1600, description="Gb/s per link (default: the lower native speed of both ends)"
    )
    cable_m: float | None = Field(
        default=None, gt=0, le=10_000, description="cable length in metres (PFC headroom on lossless devices)"
    )
    ports: AttachmentPorts | None = Field(
        default=None, description="pinned cages (default: the highest free cages, so fabric growth keeps the low ones)"
    )


class AmplifierSpec(StrictModel):
    """The EDFA placed after every span (and as booster) when a line system is given as `spans:`."""

    gain_min_db: float = Field(default=15.0, ge=0, le=50)
    gain_max_db: float = Field(default=26.0, ge=0, le=50)
    noise_figure_db: float = Field(default=5.5, gt=0, le=20)
    max_total_output_dbm: float = Field(default=21.0, ge=-10, le=30)


class RoadmSpec(StrictModel):
    """The ROADM at each end of a line system given as `spans:`."""

    add_drop_osnr_db: float = Field(default=38.0, gt=0, le=60)
    add_loss_db: float = Field(default=10.0, ge=0, le=40)
    drop_loss_db: float = Field(default=10.0, ge=0, le=40)
    express_loss_db: float = Field(default=15.0, ge=0, le=40)
    express_osnr_db: float | None = Field(default=None, gt=0, le=60)


class SpanSpec(StrictModel):
    """One fibre span of a `spans:` line system (SSMF defaults)."""

    length_km: float = Field(gt=0, le=300)
    loss_db_per_km: float = Field(default=0.20, ge=0, le=2)
    connector_db: float = Field(default=0.5, ge=0, le=10, description="connector loss at each end, dB")
    splices: int = Field(default=0, ge=0, le=1000)
    ageing_margin_db: float = Field(default=0.0, ge=0, le=20)
    dispersion_ps_nm_km: float = Field(default=16.7, ge=-200, le=200)
    amplifier: AmplifierSpec | None = Field(default=None, description="amplifier after this span (default: line's)")


class LineSystemIntent(StrictModel):
    """An optical line system between two sites (both fibre directions).

    Give either `spans:` (the common symmetric build: ROADM, booster, then span + EDFA each, ROADM) or
    explicit `a_to_b` (and optionally `b_to_a`) element lists for anything else.
    """

    name: Name
    site_a: Name
    site_b: Name
    spans: list[SpanSpec] | None = Field(default=None, min_length=1)
    amplifier: AmplifierSpec = Field(default_factory=AmplifierSpec)
    roadm: RoadmSpec | None = Field(default_factory=RoadmSpec, description="null = no ROADM at the ends")
    a_to_b: list[LineElement] | None = Field(default=None, min_length=1)
    b_to_a: list[LineElement] | None = Field(default=None, min_length=1)
    launch_power_dbm: float = Field(default=0.0, ge=-10, le=10, description="per-channel launch power, dBm")
    band: FrequencyBand | None = Field(default=None, description="default: C-band 191.3-196.1 THz")
    wdm_load: WdmLoad | None = Field(default=None, description="full-load NLI assumption (default 75 GHz comb)")

    @model_validator(mode="after")
    def _one_shape(self) -> LineSystemIntent:
        if (self.spans is None) == (self.a_to_b is None):
            raise ValueError(f"line system {self.name}: give either `spans` or `a_to_b`")
        if self.b_to_a is not None and self.a_to_b is None:
            raise ValueError(f"line system {self.name}: `b_to_a` needs `a_to_b`")
        if self.site_a == self.site_b:
            raise ValueError(f"line system {self.name}: site_a and site_b are both {self.site_a}")
        return self

    def elements(self) -> tuple[tuple[LineElement, ...], tuple[LineElement, ...] | None]:
        """(a_to_b, b_to_a) element tuples; b_to_a None = the reverse of a_to_b."""
        if self.a_to_b is not None:
            return tuple(self.a_to_b), tuple(self.b_to_a) if self.b_to_a is not None else None
        assert self.spans is not None

        def amp(spec: AmplifierSpec, name: str) -> Amplifier:
            return Amplifier(
                name=name,
                gain_min_db=spec.gain_min_db,
                gain_max_db=spec.gain_max_db,
                noise_figure_db=spec.noise_figure_db,
                max_total_output_dbm=spec.max_total_output_dbm,
            )

        def roadm(site: str) -> list[LineElement]:
            if self.roadm is None:
                return []
            r = self.roadm
            return [
                Roadm(
                    name=f"{site}-roadm",
                    add_drop_osnr_db=r.add_drop_osnr_db,
                    add_loss_db=r.add_loss_db,
                    drop_loss_db=r.drop_loss_db,
                    express_loss_db=r.express_loss_db,
                    express_osnr_db=r.express_osnr_db,
                )
            ]

        def direction(start: str, end: str, spans: list[SpanSpec], tag: str) -> tuple[LineElement, ...]:
            out: list[LineElement] = [*roadm(start)]
            if self.roadm is not None:
                out.append(amp(self.amplifier, f"{self.name}-{tag}-booster"))
            for i, span in enumerate(spans, 1):
                out.append(
                    FiberSpan(
                        name=f"{self.name}-{tag}-span{i}",
                        length_km=span.length_km,
                        loss_db_per_km=span.loss_db_per_km,
                        connector_in_db=span.connector_db,
                        connector_out_db=span.connector_db,
                        splice_count=span.splices,
                        ageing_margin_db=span.ageing_margin_db,
                        dispersion_ps_nm_km=span.dispersion_ps_nm_km,
                    )
                )
                out.append(amp(span.amplifier or self.amplifier, f"{self.name}-{tag}-amp{i}"))
            return (*out, *roadm(end))

        forward = direction(self.site_a, self.site_b, self.spans, "ab")
        backward = direction(self.site_b, self.site_a, list(reversed(self.spans)), "ba")
        return forward, backward


class DemandPorts(StrictModel):
    """Pinned router ports of a demand (one per carrier, in carrier order)."""

    a: list[int] = Field(default_factory=list)
    b: list[int] = Field(default_factory=list)


class DciDemand(StrictModel):
    """Capacity between two DCI routers over a route of line systems."""

    name: Name
    a: str = Field(description="router (optical.routers[].name) at one end")
    b: str = Field(description="router at the other end")
    capacity_gbps: int = Field(ge=1, le=102_400, description="capacity to carry; carriers = ceil(capacity / rate)")
    route: list[Name] = Field(min_length=1, description="line systems from a's site to b's site, in order")
    optic: OpticFamily = Field(default="openzr+", description="pluggable family in both router ports")
    modes: list[str] | None = Field(
        default=None, min_length=1, description="restrict to these catalogue modes (default: every mode of the optic)"
    )
    mode: str | None = Field(default=None, description="force this mode (checks still run and report)")
    tx_power_dbm: float | None = Field(
        default=None, ge=-30, le=30, description="target output power (default: mode typical)"
    )
    diverse_from: list[Name] = Field(default_factory=list, description="demands that must share no line system")
    lab_loss: float = Field(
        default=0.0, ge=0, lt=1, description="lab only: share of frames its carriers' delay lines drop (0 = none)"
    )
    ports: DemandPorts | None = Field(default=None, description="pinned ports (default: first free, in order)")

    @model_validator(mode="after")
    def _distinct_ends(self) -> DciDemand:
        if self.a == self.b:
            raise ValueError(f"demand {self.name}: both ends are {self.a}")
        return self


class StretchedVrfIntent(StrictModel):
    """A tenant VRF carried between sites: re-originated at the DCI edge (RFC 9014's gateway model) with the
    interconnect's own L3 VNI and route target, so each site keeps its own numbering (`netweave.dci.stretch`)."""

    name: Name = Field(description="the VRF, as the sites' fabrics name it (sites[].fabrics[].evpn.vrfs[].name)")
    l3vni: int = Field(ge=1, le=16_777_215, description="interconnect L3 VNI (differs from every site's VNIs)")
    route_target: str = Field(
        pattern=RT_PATTERN, description="interconnect route target (differs from every site's route targets)"
    )


class OpticalIntent(StrictModel):
    """Optical line systems, DCI routers and the demands between them."""

    addressing: DciAddressing
    routers: list[DciRouter] = Field(min_length=1)
    line_systems: list[LineSystemIntent] = Field(min_length=1)
    demands: list[DciDemand] = Field(default_factory=list)
    attachments: list[DciAttachment] = Field(
        default_factory=list, description="how each site's fabrics reach its DCI routers (links and eBGP)"
    )
    frequencies: dict[str, int] = Field(
        default_factory=dict,
        description="pinned carrier id -> centre frequency (MHz); existing carriers keep these on re-plan",
    )
    modes: list[CoherentMode] = Field(default_factory=list, description="catalogue entries added or replaced")
    system_margin_db: float = Field(default=2.0, ge=0, le=10, description="kept on top of the required OSNR")
    min_margin_db: float = Field(default=0.0, ge=-10, le=20, description="lint: least margin left after that")
    centre_step_ghz: float = Field(
        default=6.25, ge=6.25, le=100, multiple_of=6.25, description="raster for new carriers (6.25 = flexgrid)"
    )
    mtu: int = Field(default=9216, ge=1280, le=9216)
    bfd: bool = True
    stretched_vrfs: list[StretchedVrfIntent] = Field(
        default_factory=list, description="tenant VRFs carried between sites by the DCI routers"
    )
    latency_band_us: float = Field(
        default=100.0,
        gt=0,
        le=100_000,
        description="MED step: paths between two sites within one band of one-way latency share a MED (ECMP)",
    )

    @field_validator("frequencies")
    @classmethod
    def _positive(cls, value: dict[str, int]) -> dict[str, int]:
        for carrier, mhz in value.items():
            if mhz <= 0:
                raise ValueError(f"frequency of {carrier} must be positive MHz, got {mhz}")
        return value

    @model_validator(mode="after")
    def _unique(self) -> OpticalIntent:
        for label, names in (
            ("router", [r.name for r in self.routers]),
            ("line system", [ls.name for ls in self.line_systems]),
            ("demand", [d.name for d in self.demands]),
            ("stretched VRF", [v.name for v in self.stretched_vrfs]),
        ):
            twice = sorted({n for n in names if names.count(n) > 1})
            if twice:
                raise ValueError(f"{label} name(s) used twice: {', '.join(twice)}")
        return self
