"""Checks of one DCI demand before it is expanded: the routers, modes and demands it names exist, and its route's
line systems join the two routers' sites in order. Problems are collected (every one reported), not raised."""

from __future__ import annotations

import difflib

from netweave.dci.intent import DciDemand, OpticalIntent
from netweave.errors import Problem
from netweave.network.model import Device
from netweave.optical import LineSystem, ModeCatalogue


def check_demand(
    intent: OpticalIntent,
    demand: DciDemand,
    where: str,
    routers: dict[str, Device],
    lines: dict[str, LineSystem],
    catalogue: ModeCatalogue,
    problems: list[Problem],
) -> None:
    """Append to `problems` what is wrong with one demand (at design path `where`), located."""
    _check_demand_names(intent, demand, where, routers, catalogue, problems)
    _check_demand_route(intent, demand, where, routers, lines, problems)


def _check_demand_names(
    intent: OpticalIntent,
    demand: DciDemand,
    where: str,
    routers: dict[str, Device],
    catalogue: ModeCatalogue,
    problems: list[Problem],
) -> None:
    """The routers, modes and `diverse_from` demands a demand names exist."""
    for end in ("a", "b"):
        name = getattr(demand, end)
        if name not in routers:
            close = difflib.get_close_matches(name, sorted(routers), n=1)
            problems.append(
                Problem(
                    f"unknown DCI router '{name}'",
                    path=f"{where}.{end}",
                    hint=f"did you mean '{close[0]}'?" if close else "list it under optical.routers",
                )
            )
    for name in [*(demand.modes or []), *([demand.mode] if demand.mode else [])]:
        try:
            catalogue[name]
        except KeyError:
            problems.append(
                Problem(
                    f"unknown mode '{name}'",
                    path=f"{where}.modes",
                    hint=f"catalogue modes: {', '.join(m.name for m in catalogue.by_rate())}",
                )
            )
    others = {d.name for d in intent.demands}
    for other in demand.diverse_from:
        if other not in others or other == demand.name:
            problems.append(Problem(f"diverse_from names no other demand: '{other}'", path=f"{where}.diverse_from"))


def _check_demand_route(
    intent: OpticalIntent,
    demand: DciDemand,
    where: str,
    routers: dict[str, Device],
    lines: dict[str, LineSystem],
    problems: list[Problem],
) -> None:
    """The route's line systems exist and join, in order, the site of `a` to the site of `b`."""
    unknown = [name for name in demand.route if name not in lines]
    if unknown:
        known = {ls.name for ls in intent.line_systems}
        for name in unknown:
            if name not in known:
                problems.append(
                    Problem(
                        f"unknown line system '{name}'",
                        path=f"{where}.route",
                        hint=f"line systems: {', '.join(sorted(known))}",
                    )
                )
        return
    if demand.a not in routers or demand.b not in routers:
        return
    site, end = routers[demand.a].site, routers[demand.b].site
    for name in demand.route:
        line = lines[name]
        if site not in (line.site_a, line.site_b):
            problems.append(
                Problem(
                    f"route is broken at line system {name}: it joins {line.site_a} and "
                    f"{line.site_b}, but the route is at {site}",
                    path=f"{where}.route",
                    hint=f"list line systems in order from {routers[demand.a].site} to {end}",
                )
            )
            return
        site = line.site_b if site == line.site_a else line.site_a
    if site != end:
        problems.append(Problem(f"route ends at {site}, but {demand.b} is in {end}", path=f"{where}.route"))
