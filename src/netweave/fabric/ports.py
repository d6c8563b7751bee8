"""Logical ports of a platform at one speed, natively or by breakout, and their vendor names.

Radix math counts ports at the link speed after breakout (an 800G cage broken out 2x400G is two 400G
ports), so a module asks for "the ports at 400G" (`port_run`) and gets cages, lanes and the breakout mode.
"""

from __future__ import annotations

from dataclasses import dataclass

from netweave.intent.design import Platform
from netweave.nos.naming import interface_name


@dataclass(frozen=True, slots=True)
class PortRun:
    """Logical ports at one speed on a platform: `cages` cages from `first_cage`, `per_cage` lanes each."""

    first_cage: int
    cages: int
    per_cage: int
    speed: int

    @property
    def ports(self) -> int:
        """Logical ports in the run (cages x lanes)."""
        return self.cages * self.per_cage

    @property
    def breakout(self) -> str | None:
        """The cage's breakout mode, e.g. '2x400', or None at native speed."""
        return f"{self.per_cage}x{self.speed}" if self.per_cage > 1 else None

    def locate(self, index: int) -> tuple[int, int | None]:
        """(cage, lane or None) of the `index`-th (0-based) logical port."""
        if self.per_cage == 1:
            return self.first_cage + index, None
        return self.first_cage + index // self.per_cage, index % self.per_cage + 1


def port_run(platform: Platform, speed: int, after_cage: int = 0) -> PortRun | None:
    """The first port group that runs at `speed` natively or by breakout, starting after `after_cage`."""
    first = 1
    for group in platform.ports:
        last = first + group.count - 1
        start = max(first, after_cage + 1)
        if start <= last:
            per_cage = 1 if group.speed == speed else breakout_fanout(group.breakouts, speed)
            if per_cage:
                return PortRun(first_cage=start, cages=last - start + 1, per_cage=per_cage, speed=speed)
        first = last + 1
    return None


def breakout_fanout(breakouts: list[str], speed: int) -> int:
    """Lanes per cage of the breakout mode (e.g. '2x400') that runs at `speed`; 0 when none does."""
    for item in breakouts:
        count, lane_speed = item.split("x")
        if int(lane_speed) == speed:
            return int(count)
    return 0


def speed_at(platform: Platform, port: int) -> int:
    """Native speed of front-panel `port`; ports past the end keep the last group's speed (lint flags them)."""
    return platform.group_at(port).speed


def run_names(nos: str, platform: Platform, run: PortRun, count: int) -> list[str]:
    """Interface names of the first `count` logical ports of `run`, computed once per expansion so the
    wiring loops (hundreds of thousands of cables at 100k GPUs) only index a list."""
    return [run_name(nos, platform, run, index) for index in range(count)]


def run_name(nos: str, platform: Platform, run: PortRun, index: int) -> str:
    """Interface name of the `index`-th logical port of `run`. A cage past the platform (a forced tier count
    beyond the radix, which lint `radix-tiers` explains) gets a placeholder name instead of an error."""
    cage, lane = run.locate(index)
    if cage > platform.port_count:
        return f"port{cage}" + (f"/{lane}" if lane else "")
    return interface_name(nos, platform, cage, lane, run.per_cage if lane else None)
