"""Time the DCI expansion of a design (mode choice both ways, stable spectrum, per-carrier QoT, lint).

Usage: .venv/bin/python benchmarks/optical_dci.py [DESIGN] [REPEATS] [--json FILE]
(default stacks/prod/design.yaml, 20 repeats). The README quotes prod's warm median from
`benchmarks/optical_dci.json`, which `--json benchmarks/optical_dci.json` rewrites (tests/readme checks the quote).

The DCI part is expanded after the fabrics (attachments cable fabric devices to the DCI routers), so the fabrics
are expanded first, outside the timing, and each timed run gets its own copy of them.
"""

from __future__ import annotations

import copy
import json
import os
import statistics
import sys
import time
from pathlib import Path

from netweave.catalog import platforms_for
from netweave.dci import expand_optical, optical_intent
from netweave.expand import expand
from netweave.lint import lint, rules
from netweave.load.loader import load
from netweave.network.model import Network


def measure(path: str, repeats: int) -> dict[str, object]:
    """Cold and warm DCI expansion times (ms) and the optical lint time of the design at `path`."""
    design = load(path)
    intent = optical_intent(design)
    if intent is None:
        raise SystemExit(f"{path} has no optical: section")
    fabrics = expand(design.model_copy(update={"optical": None}))
    platforms = platforms_for(design.platforms)
    sites = {site.name for site in design.sites}
    copies = [copy.deepcopy(fabrics) for _ in range(repeats + 1)]
    started = time.perf_counter()
    part = expand_optical(intent, copies[0], platforms, sites)
    cold = time.perf_counter() - started
    times = []
    for network in copies[1:]:
        started = time.perf_counter()
        part = expand_optical(intent, network, platforms, sites)
        times.append(time.perf_counter() - started)
    network = Network(
        name="lint", devices=part.devices, links=part.links, optical=part.carriers, optical_sections=part.sections
    )
    lint(network)  # load the rules once
    started = time.perf_counter()
    optical = [r.id for r in rules().values() if r.check.__module__ == "netweave.lint.optical"]  # its lint rules
    findings = lint(network, only=optical)
    linted = time.perf_counter() - started
    return {
        "design": path,
        "carriers": len(part.carriers),
        "sections": len(part.sections),
        "demands": len(intent.demands),
        "repeats": repeats,
        "cold_ms": round(cold * 1e3, 2),
        "warm_median_ms": round(statistics.median(times) * 1e3, 2),
        "warm_min_ms": round(min(times) * 1e3, 2),
        "lint_ms": round(linted * 1e3, 2),
        "findings": len(findings),
        "load": round(os.getloadavg()[0], 2),
        "cpus": os.cpu_count() or 0,
    }


def main(argv: list[str]) -> int:
    out = None
    if "--json" in argv:
        at = argv.index("--json")
        out = Path(argv[at + 1])
        argv = argv[:at] + argv[at + 2 :]
    path = argv[0] if argv else "stacks/prod/design.yaml"
    repeats = int(argv[1]) if len(argv) > 1 else 20
    r = measure(path, repeats)
    print(f"{path}: {r['carriers']} carriers on {r['sections']} section(s), {r['demands']} demand(s)")
    print(
        f"  expansion cold {r['cold_ms']:.1f} ms (catalogue parse included); warm median "
        f"{r['warm_median_ms']:.2f} ms, min {r['warm_min_ms']:.2f} ms over {repeats}"
    )
    print(f"  optical lint {r['lint_ms']:.2f} ms, {r['findings']} finding(s)  (load {r['load']} on {r['cpus']} CPUs)")
    if out is not None:
        out.write_text(json.dumps(r, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
