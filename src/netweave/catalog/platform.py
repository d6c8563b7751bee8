"""A switch platform as its datasheet describes it: ports, cages, lanes, breakouts and where the facts come from.

Everything about a platform lives here; everything about the NOS running on it lives in its `netweave.nos`
profile. The shipped catalogue (`platforms.yaml`) and a design's own `platforms:` use the same models.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, model_validator

from netweave.intent.base import MAX_PLATFORM_PORTS, Nos, Speed, StrictModel


class PortGroup(StrictModel):
    """A run of identical front-panel ports, numbered consecutively after the previous group."""

    count: int = Field(ge=1, le=1024)
    speed: Speed
    form: str = Field(default="", description="cage type, e.g. QSFP28, QSFP-DD, OSFP")
    lanes: int = Field(default=1, ge=1, le=16, description="electrical lanes per cage")
    breakouts: list[Annotated[str, Field(pattern=r"^[1-9]x[0-9]+$")]] = Field(
        default_factory=list, description="supported breakouts, e.g. '4x100' = four 100G ports per cage"
    )


class SonicLayout(StrictModel):
    """How SONiC's files for this platform's HwSKU spell its ports (sonic-buildimage device/<vendor>/<platform>/
    platform.json and port_config.ini): lane numbering, aliases and the breakout-mode keys DPB accepts.

    Port names stay `Ethernet<first lane counted from 0>` on every platform; what differs is the lane numbers
    themselves (Broadcom HwSKUs count from 1: Dell S5232F-ON Ethernet64 = lanes 65,66,67,68), the aliases, and
    the breakout key, which must be the platform.json key verbatim (e.g. '2x400G[200G,100G,50G,40G,25G,10G]')."""

    lane_base: int = Field(default=0, ge=0, le=1, description="number of the first SerDes lane (0 or 1)")
    alias: str = Field(default="etp{port}", description="alias of a whole cage; {port} = front-panel number")
    lane_alias: str = Field(
        default="etp{port}{letter}",
        description="alias of a breakout port: {port}, {lane} (1-based), {letter} (a, b, ...), {gbps_word} "
        "(Dell's 'twentyfive', 'fifty', ...)",
    )
    breakout_modes: dict[Annotated[str, Field(pattern=r"^[1-9]x[0-9]+$")], str] = Field(
        default_factory=dict, description="netweave breakout (e.g. '2x400') -> platform.json breakout_modes key"
    )
    buffer_model: Literal["dynamic", "traditional"] = Field(
        default="traditional",
        description="DEVICE_METADATA buffer_model (sonic-device_metadata.yang: dynamic 'is used by Mellanox so far', "
        "traditional 'is the default model used by all other vendors')",
    )
    egress_lossless_pool: int | None = Field(
        default=None,
        ge=1,
        description="dynamic buffer model: BUFFER_POOL egress_lossless_pool size in bytes (the ASIC's shared "
        "buffer), from the HwSKU's buffers_defaults_t1.j2; buffermgrd sizes the other pools, not this one",
    )
    source: str = Field(default="", description="the platform.json these facts come from")


class Platform(StrictModel):
    """A switch model from a datasheet: who makes it, what NOS it runs and what ports it has."""

    vendor: str
    model: str
    nos: list[Nos] = Field(min_length=1)
    ports: list[PortGroup] = Field(min_length=1)
    srlinux_chassis: str | None = Field(default=None, description="SR Linux chassis type (YANG feature set)")
    cumulus_release: str | None = Field(
        default=None,
        pattern=r"^5\.[0-9]{1,2}$",
        description="Cumulus Linux release NVUE configs are written for, e.g. '5.14' (default: netweave's NVUE "
        "default release); the startup.yaml header, the tree's spelling and the containerlab image follow it",
    )
    sonic: SonicLayout | None = Field(default=None, description="SONiC's lane numbering, aliases and breakout keys")
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

    def first_serdes_lane(self, port: int) -> tuple[int, int]:
        """(first SerDes lane of cage `port`, lanes per cage), lanes numbered from 0 across the cages in
        front-panel order (the numbering SONiC's port_config.ini uses and names ports by). Ports past the
        last cage keep counting with the last group's lanes (the `port-range` lint rule reports them)."""
        first = 0
        remaining = port
        for group in self.ports:
            if remaining <= group.count:
                return first + (remaining - 1) * group.lanes, group.lanes
            first += group.count * group.lanes
            remaining -= group.count
        return first + (remaining - 1) * self.ports[-1].lanes, self.ports[-1].lanes
