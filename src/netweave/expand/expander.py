"""Expansion: hand each fabric to its module and gather the parts into one Network."""

from __future__ import annotations

from collections.abc import Callable

from netweave.catalog import platforms_for
from netweave.catalog.platform import Platform
from netweave.errors import DesignError, Problem
from netweave.expand.registry import registered_modules
from netweave.fabric.management import attach_management
from netweave.fabric.module import ExpansionContext
from netweave.intent.design import Design
from netweave.network.gcpause import gc_paused
from netweave.network.model import Network


def expand(design: Design) -> Network:
    """Derive devices, interfaces, links, addresses, ASNs and sessions from a validated design.

    Deterministic: the same design always gives an equal Network, in canonical order. Raises
    `DesignError` (with design paths) for intent that cannot be built, e.g. an unknown platform.
    """
    with gc_paused():  # only live objects are created: cycle scans would be wasted time
        return _expand(design)


def _expand(design: Design) -> Network:
    # deferred: load imports the module registry, whose package imports this module (a cycle once
    # `import netweave` stopped importing expand before load)
    from netweave.load.loader import locate

    platforms = platforms_for(design.platforms)
    modules = registered_modules()
    network = Network(name=design.name)
    problems: list[Problem] = []
    for s, site in enumerate(design.sites):
        for f, fabric in enumerate(site.fabrics):
            ctx = ExpansionContext(design=design, site=site, platforms=platforms, path=f"sites[{s}].fabrics[{f}]")
            try:
                part = modules[fabric.module].expand(fabric, ctx)
            except DesignError as exc:
                for problem in exc.problems:
                    file, line = locate(design, problem.path)
                    problems.append(
                        Problem(problem.message, path=problem.path, file=file, line=line, hint=problem.hint)
                    )
                continue
            network.devices.extend(part.devices)
            network.links.extend(part.links)
            network.sessions.extend(part.sessions)
            network.pools.extend(part.pools)
            network.servers.extend(part.servers)
            network.qos_profiles.update(part.qos_profiles)
            network.evpn.update(part.evpn)
            if part.info is not None:
                network.fabrics.append(part.info)
    if problems:
        raise DesignError(problems)
    _expand_optical(design, network, platforms, locate)
    attach_management(design, network)
    used = sorted({device.platform for device in network.devices})
    network.platforms = {name: platforms[name] for name in used}
    return network


def _expand_optical(
    design: Design,
    network: Network,
    platforms: dict[str, Platform],
    locate: Callable[[Design, str], tuple[str, int | None]],
) -> None:
    """Add the DCI part after every fabric, so a DCI demand may terminate on a fabric's device."""
    if getattr(design, "optical", None) is None:
        return  # no `optical:` section: the DCI expansion and the optical core are not even imported
    from netweave.dci import expand_optical, optical_intent

    intent = optical_intent(design)
    if intent is None:
        return
    try:
        part = expand_optical(intent, network, platforms, {site.name for site in design.sites})
    except DesignError as exc:
        located = []
        for problem in exc.problems:
            file, line = locate(design, problem.path)
            located.append(Problem(problem.message, path=problem.path, file=file, line=line, hint=problem.hint))
        raise DesignError(located) from None
    except (ArithmeticError, ValueError) as exc:
        # The schema bounds every optical number to physical ranges; a combination that still breaks
        # the link-budget arithmetic (log of a negative power, an overflowing exponent, a zero width)
        # is bad input, so it is reported against the design, not as a traceback.
        file, line = locate(design, "optical")
        reason = str(exc) or type(exc).__name__
        raise DesignError(
            [
                Problem(
                    f"optical link budget cannot be computed: {reason}",
                    path="optical",
                    file=file,
                    line=line,
                    hint="a value in optical: is outside what the physics allows; check powers, gains and losses",
                )
            ]
        ) from None
    network.devices.extend(part.devices)
    network.links.extend(part.links)
    network.sessions.extend(part.sessions)
    network.pools.extend(part.pools)
    network.optical = part.carriers
    network.optical_sections = part.sections
    network.dci = part.dci
