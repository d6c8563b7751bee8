"""A ROADM node as a carrier sees it: add, drop or express.

Why these fields: the add and drop stages (WSS, mux/demux, and the amplifiers inside the node) each
add loss and a little noise, summarised as an add/drop OSNR contribution; an express pass adds loss
(made up by the node's amplifiers) and optionally its own noise term.
"""

from __future__ import annotations

from typing import Literal

from pydantic import ConfigDict, Field

from netweave.text import CheckedText


class Roadm(CheckedText):
    """A reconfigurable optical add/drop multiplexer.

    In a path the first ROADM (before any fibre) is where the carrier is added, the last (after all
    fibre) is where it is dropped, every other ROADM is passed in express.

    Bounds: OSNR contributions up to 60 dB and losses up to 40 dB (real WSS ROADM stages: 30-40 dB
    OSNR, 5-18 dB loss), so no value can overflow the dB arithmetic.
    """

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)

    kind: Literal["roadm"] = Field(default="roadm", description="discriminator")
    name: str = Field(default="", description="node name; two consecutive elements with one name are one node")
    add_drop_osnr_db: float = Field(default=38.0, gt=0, le=60, description="OSNR of one add or one drop stage, dB")
    express_osnr_db: float | None = Field(default=None, gt=0, le=60, description="OSNR of an express pass, dB")
    add_loss_db: float = Field(default=10.0, ge=0, le=40, description="loss from the add port to the line, dB")
    drop_loss_db: float = Field(default=10.0, ge=0, le=40, description="loss from the line to the drop port, dB")
    express_loss_db: float = Field(default=15.0, ge=0, le=40, description="loss line in to line out, dB")
