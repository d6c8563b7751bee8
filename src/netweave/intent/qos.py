"""RoCEv2 lossless QoS as intent: one profile per fabric, expanded (by `netweave.fabric.qos`) into the
`QosProfile` every switch runs.

Defaults are the common RoCEv2 recipe (reference/ai-fabric.md): trust DSCP, DSCP 26 -> traffic class 3
(RoCE, lossless, PFC + ECN), DSCP 48 -> TC 6 (CNP, strict priority), PFC on priority 3 only, 802.3x
pause off, PFC watchdog on. ECN thresholds always carry a unit because vendors disagree (Cumulus and
SONiC count bytes, Arista segments, SR Linux percent of the queue); a bare number would be a bug
waiting for the next renderer.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from netweave.intent.base import StrictModel
from netweave.network.model import Quantity

Unit = Literal["bytes", "kbytes", "segments", "percent"]

Dscp = int
TrafficClass = int


class QuantityIntent(StrictModel):
    """A threshold with its unit, e.g. `{value: 150000, unit: bytes}`."""

    value: float = Field(ge=0)
    unit: Unit


class EcnIntent(StrictModel):
    """ECN marking on the lossless queue(s): start marking at `min`, mark `probability`% at `max`.
    Defaults: Cumulus `nv set qos roce` (150,000 / 1,500,000 bytes, probability 100)."""

    min: QuantityIntent = Field(default_factory=lambda: QuantityIntent(value=150_000, unit="bytes"))
    max: QuantityIntent = Field(default_factory=lambda: QuantityIntent(value=1_500_000, unit="bytes"))
    probability: int = Field(default=100, ge=1, le=100, description="marking probability (%) at max")


class PfcWatchdogIntent(StrictModel):
    """PFC storm/deadlock detection on lossless ports (SONiC example values: 200 ms / 400 ms)."""

    detect_ms: int = Field(default=200, ge=1, le=60_000)
    restore_ms: int = Field(default=400, ge=1, le=60_000)


class QosIntent(StrictModel):
    """A fabric's QoS profile. Every field has the RoCEv2 default; override only what differs."""

    name: str = Field(default="roce-lossless", pattern=r"^[a-z][a-z0-9-]{0,39}$")
    trust: Literal["dscp"] = "dscp"
    dscp_to_tc: dict[int, int] = Field(
        default_factory=lambda: {26: 3, 48: 6},
        description="DSCP -> traffic class; DSCP 0-63, TC 0-7 (unlisted DSCPs use default_tc)",
    )
    default_tc: int = Field(default=0, ge=0, le=7)
    pfc_priorities: list[int] = Field(default_factory=lambda: [3], description="lossless priorities (PFC on)")
    link_pause: bool = Field(default=False, description="802.3x global pause (off for RoCE: PFC instead)")
    strict_priority: list[int] = Field(default_factory=lambda: [6], description="strict-priority TCs (CNP)")
    ets_weights: dict[int, int] = Field(
        default_factory=lambda: {3: 50, 0: 50}, description="DWRR percent per non-strict TC (sum 100)"
    )
    ecn: EcnIntent = Field(default_factory=EcnIntent)
    pfc_watchdog: PfcWatchdogIntent = Field(default_factory=PfcWatchdogIntent)

    @model_validator(mode="after")
    def _ranges(self) -> QosIntent:
        for dscp, tc in self.dscp_to_tc.items():
            if not 0 <= dscp <= 63:
                raise ValueError(f"dscp_to_tc: DSCP {dscp} is outside 0-63")
            if not 0 <= tc <= 7:
                raise ValueError(f"dscp_to_tc: traffic class {tc} (for DSCP {dscp}) is outside 0-7")
        for what, values in (
            ("pfc_priorities", self.pfc_priorities),
            ("strict_priority", self.strict_priority),
            ("ets_weights", list(self.ets_weights)),
        ):
            bad = [v for v in values if not 0 <= v <= 7]
            if bad:
                raise ValueError(f"{what}: {bad} outside priorities 0-7")
        if self.ets_weights and sum(self.ets_weights.values()) != 100:
            raise ValueError(f"ets_weights sum to {sum(self.ets_weights.values())}, not 100")
        return self


def to_bytes(quantity: Quantity) -> float | None:
    """Bytes for byte-based units, None for units that need the queue or MSS to convert."""
    if quantity.unit == "bytes":
        return quantity.value
    if quantity.unit == "kbytes":
        return quantity.value * 1024
    return None
