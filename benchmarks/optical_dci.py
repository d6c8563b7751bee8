"""Time the DCI expansion of a design (mode choice both ways, stable spectrum, per-carrier QoT, lint).

Usage: .venv/bin/python benchmarks/optical_dci.py [DESIGN] [REPEATS]   (default stacks/prod/design.yaml, 50)
"""

from __future__ import annotations

import statistics
import sys
import time

from netweave.catalog import platforms_for
from netweave.dci import expand_optical, optical_intent
from netweave.lint import lint
from netweave.load.loader import load
from netweave.network.model import Network


def main() -> None:
    path = sys.argv[1] if len(sys.argv) > 1 else "stacks/prod/design.yaml"
    repeats = int(sys.argv[2]) if len(sys.argv) > 2 else 50
    design = load(path)
    intent = optical_intent(design)
    if intent is None:
        raise SystemExit(f"{path} has no optical: section")
    platforms = platforms_for(design.platforms)
    sites = {site.name for site in design.sites}
    started = time.perf_counter()
    part = expand_optical(intent, Network(name="cold"), platforms, sites)
    cold = time.perf_counter() - started
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        part = expand_optical(intent, Network(name="warm"), platforms, sites)
        times.append(time.perf_counter() - started)
    network = Network(
        name="lint", devices=part.devices, links=part.links, optical=part.carriers, optical_sections=part.sections
    )
    lint(network)  # load the rules once
    started = time.perf_counter()
    findings = lint(
        network,
        only=[
            r
            for r in (
                "optical-margin",
                "optical-cd",
                "optical-reach",
                "optical-span-gain",
                "optical-grid",
                "optical-blocked",
                "optical-mode-mismatch",
                "optical-downgrade",
                "optical-diversity",
            )
        ],
    )
    linted = time.perf_counter() - started
    print(f"{path}: {len(part.carriers)} carriers on {len(part.sections)} section(s), {len(intent.demands)} demand(s)")
    print(
        f"  expansion cold {cold * 1e3:.1f} ms (catalogue parse included); warm median "
        f"{statistics.median(times) * 1e3:.2f} ms, min {min(times) * 1e3:.2f} ms over {repeats}"
    )
    print(f"  optical lint {linted * 1e3:.2f} ms, {len(findings)} finding(s)")


if __name__ == "__main__":
    main()
