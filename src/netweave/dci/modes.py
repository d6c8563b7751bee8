"""Mode choice for DCI demands: the fastest coherent mode that passes both directions of the route.

`choose_demand_mode` builds the two optical paths of a demand from its line systems and tries the candidate
modes fastest first; the reasons every faster mode was rejected are kept so lint and `optical report` can say
why. (`netweave.optical.mode_choice.choose_mode` judges one path; this judges a demand, both directions.)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from netweave.dci.intent import OPTIC_MODES, DciDemand, OpticalIntent
from netweave.network.model import Device
from netweave.optical import CoherentMode, LineSystem, ModeCatalogue, OpticalPath, build_path, check_mode
from netweave.optical.mode_choice import ModeVerdict


@dataclass
class ModeChoice:
    """The mode decision for one demand (not a "plan": in netweave a plan is what apply would change)."""

    mode: CoherentMode
    passed: bool
    """False when no candidate passes: `mode` is then the most robust one, and its carriers fail."""
    preferred: str | None
    """The optic's first-choice mode when another was chosen."""
    rejected: dict[str, list[str]]
    """Why each candidate before `mode` failed."""
    paths: tuple[OpticalPath, OpticalPath]
    """a->b and b->a."""


def _hops(
    demand: DciDemand, routers: dict[str, Device], lines: dict[str, LineSystem], reverse: bool
) -> list[tuple[LineSystem, str]]:
    """The route's line systems with the site each is entered from, a->b (or b->a when `reverse`)."""
    site = routers[demand.b if reverse else demand.a].site
    hops = []
    for name in reversed(demand.route) if reverse else demand.route:
        line = lines[name]
        hops.append((line, site))
        site = line.site_b if site == line.site_a else line.site_a
    return hops


def _candidates(demand: DciDemand, catalogue: ModeCatalogue) -> list[CoherentMode]:
    """The modes to try: the pinned one, the listed ones, or every mode of the demand's optic."""
    if demand.mode is not None:
        return [catalogue[demand.mode]]
    names = demand.modes if demand.modes is not None else list(OPTIC_MODES[demand.optic])
    # fastest first; at one rate keep the listed order, which puts interoperable 400ZR before OpenZR+ 400G
    return sorted((catalogue[n] for n in names), key=lambda m: -m.bit_rate_gbps)


def choose_demand_mode(
    intent: OpticalIntent,
    demand: DciDemand,
    routers: dict[str, Device],
    lines: dict[str, LineSystem],
    catalogue: ModeCatalogue,
) -> ModeChoice:
    """The first candidate (fastest, then preferred) that passes both directions; else the most robust one,
    marked failed. `preferred` names the first candidate when another was chosen, so lint can say why."""
    a_site, b_site = routers[demand.a].site, routers[demand.b].site
    forward = build_path(_hops(demand, routers, lines, False), name=f"{a_site}->{b_site}")
    backward = build_path(_hops(demand, routers, lines, True), name=f"{b_site}->{a_site}")
    candidates = _candidates(demand, catalogue)
    rejected: dict[str, list[str]] = {}
    for mode in candidates:
        verdicts = tuple(
            check_mode(
                path, mode, tx_power_dbm=demand.tx_power_dbm, system_margin_db=intent.system_margin_db, detail=False
            )
            for path in (forward, backward)
        )
        if verdicts[0].passed and verdicts[1].passed:
            preferred = candidates[0].name if mode is not candidates[0] else None
            return ModeChoice(mode, True, preferred, rejected, (forward, backward))
        rejected[mode.name] = _merge_reasons(mode.name, ((forward.name, verdicts[0]), (backward.name, verdicts[1])))
    mode = candidates[-1]  # nothing passes: the most robust candidate, reported as failing
    rejected.pop(mode.name, None)
    return ModeChoice(mode, False, None, rejected, (forward, backward))


def _merge_reasons(mode: str, verdicts: Sequence[tuple[str, ModeVerdict]]) -> list[str]:
    """Reasons without the repeated mode name; a reason true in both directions is listed once."""
    per_direction = [(path, [r.removeprefix(f"{mode}: ") for r in v.reasons]) for path, v in verdicts]
    everywhere = [r for r in per_direction[0][1] if all(r in rs for _, rs in per_direction[1:])]
    out = list(everywhere)
    for path, reasons in per_direction:
        out += [f"{path} only: {r}" for r in reasons if r not in everywhere]
    return out
