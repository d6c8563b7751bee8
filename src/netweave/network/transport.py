"""Optical and DCI records of the Network: per-carrier QoT, spectrum and span checks per line system, and the
DCI routing between sites (attachments, site summaries, latency-ranked paths, policies).

Plain slotted dataclasses like the rest of the Network, kept apart from `model` so each module holds one
concept; `netweave.network.model` imports them for `Network`'s fields.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from netweave.network.endpoint import Endpoint


@dataclass(slots=True, kw_only=True)
class CarrierDirection:
    """QoT of one carrier in one fibre direction (a DCI carrier is bidirectional; each way is its own path)."""

    direction: Literal["a_to_b", "b_to_a"]
    path: str
    """Path name, e.g. 'ams1->fra1'."""
    osnr_ase_db: float
    osnr_nli_db: float
    gsnr_db: float
    """Generalised SNR in 0.1 nm: Tx, ASE, NLI and ROADM terms combined (1/GSNR = sum 1/OSNR_i)."""
    required_osnr_db: float
    margin_db: float
    """GSNR - required OSNR - system margin - penalties; >= 0 passes."""
    rx_power_dbm: float
    cd_ps_nm: float
    length_km: float
    latency_us: float
    issues: list[str] = field(default_factory=list)
    """Clamped amplifier gains, saturated amplifiers, out-of-band carrier (from the QoT engine)."""


@dataclass(slots=True, kw_only=True)
class CarrierReport:
    """One DCI wavelength: where it runs, in which mode and at which frequency, and how well it propagates.

    The numbers are those of the worse direction; `directions` holds both, and `explanation` the per-element
    QoT (`QotResult.explain()`) so every figure in a report can be traced back to a span or amplifier.
    """

    carrier: str
    """Carrier id `<demand>/<n>`; the key of `optical.frequencies` in the design."""
    demand: str
    a: Endpoint
    b: Endpoint
    sections: list[str]
    """Line systems crossed from a to b (the spectrum sections the carrier occupies)."""
    path: str
    mode: str
    operational_mode: int
    bit_rate_gbps: float
    width_ghz: float
    frequency_mhz: int | None
    """Centre frequency (flexgrid); None when no slot was free (verdict 'blocked')."""
    kept: bool
    """True when the frequency was pinned in the design (`optical.frequencies`) and kept."""
    tx_power_dbm: float
    osnr_db: float
    """GSNR of the worse direction, dB in 0.1 nm."""
    margin_db: float
    min_margin_db: float
    """Margin the design requires on top of the system margin (lint threshold)."""
    cd_ps_nm: float
    cd_tolerance_ps_nm: float
    length_km: float
    max_reach_km: float
    latency_us: float
    verdict: Literal["pass", "fail", "blocked"]
    reasons: list[str] = field(default_factory=list)
    """Why the verdict is not 'pass' (mode checks that failed, spectrum that was not free)."""
    preferred_mode: str | None = None
    """The optic's fastest mode when a slower one was chosen (a downgrade), else None."""
    rejected: dict[str, list[str]] = field(default_factory=dict)
    """Modes faster than the chosen one and why each was rejected."""
    diverse_from: list[str] = field(default_factory=list)
    """Demands this carrier's demand must share no line system with."""
    directions: list[CarrierDirection] = field(default_factory=list)
    explanation: str = ""
    origin: str = ""


@dataclass(slots=True, kw_only=True)
class SpectrumUse:
    """A slot in use on a section: [low, high] MHz and what occupies it."""

    low_mhz: int
    high_mhz: int
    carrier: str


@dataclass(slots=True, kw_only=True)
class SpanCheck:
    """The gain an amplifier must provide to make up the loss before it, against its settable range."""

    direction: Literal["a_to_b", "b_to_a"]
    span: str
    amplifier: str
    loss_db: float
    gain_min_db: float
    gain_max_db: float


@dataclass(slots=True, kw_only=True)
class SectionReport:
    """One optical line system (a spectrum section): its band, the spectrum carriers use, its spans."""

    name: str
    site_a: str
    site_b: str
    length_km: float
    band_low_mhz: int
    band_high_mhz: int
    """Usable band: the line's band limited by every amplifier's band."""
    used: list[SpectrumUse] = field(default_factory=list)
    spans: list[SpanCheck] = field(default_factory=list)
    origin: str = ""

    @property
    def used_ghz(self) -> float:
        """Spectrum occupied by carriers, GHz."""
        return sum(u.high_mhz - u.low_mhz for u in self.used) / 1000

    @property
    def band_ghz(self) -> float:
        """Usable band width, GHz."""
        return (self.band_high_mhz - self.band_low_mhz) / 1000


@dataclass(slots=True, kw_only=True)
class DciRouterInfo:
    """A router that terminates DCI carriers: a new `dci` router, or a fabric device (`existing`)."""

    name: str
    site: str
    existing: bool
    origin: str


@dataclass(slots=True, kw_only=True)
class DciAttachmentInfo:
    """How one fabric reaches one DCI router of its site (`optical.attachments[]`): the links it added."""

    fabric: str
    site: str
    router: str
    tier: str
    devices: list[str]
    """Fabric devices cabled to the router, in rank order."""
    links: int
    capacity_gbps: int
    """Sum of the attachment links' speeds (one direction)."""
    origin: str


@dataclass(slots=True, kw_only=True)
class SiteSummary:
    """What one site announces to the others: its attached fabrics' loopback and server (GPU) pools."""

    site: str
    prefixes: list[str]
    routers: list[str]
    """The site's DCI routers (they originate the summaries)."""


@dataclass(slots=True, kw_only=True)
class DciPath:
    """One route between two sites (a demand over its line systems) and the BGP preference it gets."""

    name: str
    """The demand."""
    site_a: str
    site_b: str
    line_systems: list[str]
    carriers: list[str]
    latency_us: float
    """One-way fibre latency from the optical model (length x group index / c)."""
    capacity_gbps: float
    margin_db: float
    """Least OSNR margin of its carriers."""
    med: int
    """MED its carriers' sessions announce: the latency band above the site pair's fastest path (0 = fastest)."""
    origin: str
    lab_loss: float = 0.0
    """Share of frames the lab's delay line drops on its carriers (`demands[].lab_loss`)."""


@dataclass(slots=True, kw_only=True)
class DciCarrierPolicy:
    """A DCI router's carrier session and the MED it announces the site's summaries with."""

    peer_address: str
    peer_device: str
    interface: str
    path: str
    med: int


@dataclass(slots=True, kw_only=True)
class StretchedVrfSite:
    """Where a stretched VRF lives in one site: the attached fabric whose EVPN overlay has it, and its numbering
    there (each site numbers its own; the DCI edge translates)."""

    site: str
    fabric: str
    l3vni: int
    route_target: str


@dataclass(slots=True, kw_only=True)
class StretchedVrf:
    """A tenant VRF carried between sites (`optical.stretched_vrfs`): re-originated by the DCI routers with the
    interconnect's own L3 VNI and route target (`netweave.dci.stretch`)."""

    name: str
    l3vni: int
    """Interconnect L3 VNI (carriers side)."""
    route_target: str
    """Interconnect route target (carriers side)."""
    sites: list[StretchedVrfSite]
    missing: list[str] = field(default_factory=list)
    """Sites with DCI routers where no attached fabric has the VRF (lint refuses: it would not be carried)."""
    origin: str


@dataclass(slots=True, kw_only=True)
class DciVrf:
    """One stretched VRF on one DCI router: its fabric side (the site's numbering) and its interconnect side,
    two VRFs that import each other's routes so each side re-originates what the other learnt."""

    name: str
    """Fabric-side VRF (the tenant's own name)."""
    l3vni: int
    route_target: str
    dci_name: str
    """Interconnect-side VRF on the router (`<name>-dci`)."""
    dci_l3vni: int
    dci_route_target: str


@dataclass(slots=True, kw_only=True)
class DciRouting:
    """Routing policy of one DCI router, computed once so every NOS renders the same decisions in its idiom.

    Towards other sites: only `announce` (the site's summaries, aggregated summary-only, and the router's own
    loopback) with the path's MED, never a p2p link; from them: only `remote`. From the fabric: only
    more-specifics of the site's own summaries (`aggregates`)."""

    site: str
    aggregates: list[str]
    """The site's summaries, originated as aggregates while a more-specific is learnt from the fabric, so a
    site whose fabrics are down withdraws them instead of black-holing the other sites' traffic."""
    announce: list[str]
    remote: list[str]
    """Other sites' summaries and the other DCI routers' loopbacks: what the carriers may bring in."""
    carriers: list[DciCarrierPolicy] = field(default_factory=list)
    fabric_peers: list[str] = field(default_factory=list)
    """Addresses of the attachment sessions (the site's fabric devices)."""
    vrfs: list[DciVrf] = field(default_factory=list)
    """Stretched VRFs this router re-originates between its site's fabric and the other sites."""

    def meds(self) -> list[int]:
        """The distinct MEDs its carrier sessions announce (one export policy each), lowest first."""
        return sorted({c.med for c in self.carriers})

    def carrier_med(self, peer_address: str | None) -> int | None:
        """The MED announced to the carrier session with `peer_address`, None when it is not a carrier peer."""
        return next((c.med for c in self.carriers if c.peer_address == peer_address), None)


@dataclass(slots=True, kw_only=True)
class DciInfo:
    """The scale-across part of a design: who terminates DCI, how every site's fabrics reach it, what each site
    announces, the paths between sites and every DCI router's routing policy.

    One field on `Network` (None without an `optical:` section), so a design without DCI serialises as before
    but for one `null`."""

    routers: list[DciRouterInfo] = field(default_factory=list)
    attachments: list[DciAttachmentInfo] = field(default_factory=list)
    sites: list[SiteSummary] = field(default_factory=list)
    paths: list[DciPath] = field(default_factory=list)
    policies: dict[str, DciRouting] = field(default_factory=dict)
    """DCI router name -> its routing policy."""
    stretched: list[StretchedVrf] = field(default_factory=list)
    """Tenant VRFs carried between sites (`optical.stretched_vrfs`)."""
