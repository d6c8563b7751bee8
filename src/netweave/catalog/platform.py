"""A switch platform as its datasheet describes it: ports, cages, lanes, breakouts and where the facts come from.

Everything about a platform lives here; everything about the NOS running on it lives in its `netweave.nos`
profile. The shipped catalogue (`platforms.yaml`) and a design's own `platforms:` use the same models.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from netweave.intent.base import Nos, Speed, StrictModel


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
