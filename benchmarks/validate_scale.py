"""Time load+validate, expand and lint of leaf-spine fabrics at growing sizes (not a test).

Usage: .venv/bin/python benchmarks/validate_scale.py [--json]
"""

from __future__ import annotations

import itertools
import json
import math
import resource
import sys
import tempfile
import time
from pathlib import Path

import yaml

import netweave


def design(leaves: int) -> dict[str, object]:
    return {"name": "bench", "sites": [{"name": "dc1", "fabrics": [{
        "name": "fabric1", "module": "leaf-spine",
        "spines": {"count": 2, "platform": "nvidia-sn5600", "nos": "sonic"},
        "leaves": {"count": leaves, "platform": "nokia-7220-ixr-d2l", "nos": "srlinux",
                   "uplink_first_port": 49, "server_ports": 48},
        "capacity": {"max_spines": 8, "max_leaves": max(leaves, 64)},
        "addressing": {"loopbacks": "10.0.0.0/16", "p2p": "10.64.0.0/12",
                       "management": {"prefix": "172.16.0.0/16"}},
    }]}]}


def measure(leaves: int) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "design.yaml"
        path.write_text(yaml.safe_dump(design(leaves)))
        t0 = time.perf_counter()
        loaded = netweave.load(path)
        t1 = time.perf_counter()
        network = netweave.expand(loaded)
        t2 = time.perf_counter()
        findings = netweave.lint(network)
        t3 = time.perf_counter()
    devices = len(network.devices)
    return {"leaves": leaves, "devices": devices, "load_s": t1 - t0, "expand_s": t2 - t1, "lint_s": t3 - t2,
            "total_s": t3 - t0, "ms_per_device": 1000 * (t3 - t0) / devices, "errors": len(findings)}


def main() -> None:
    rows = [measure(n) for n in (16, 64, 256, 1024)]
    for small, big in itertools.pairwise(rows):
        growth = math.log(big["total_s"] / small["total_s"])
        big["growth_exponent"] = growth / math.log(big["devices"] / small["devices"])
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    if "--json" in sys.argv:
        print(json.dumps({"rows": rows, "peak_rss_mib": peak_mib}, indent=2))
        return
    print(f"{'leaves':>7} {'devices':>8} {'load':>8} {'expand':>8} {'lint':>8} {'total':>8} {'ms/dev':>7} {'exp':>5}")
    for r in rows:
        print(f"{r['leaves']:>7} {r['devices']:>8} {r['load_s']:>8.3f} {r['expand_s']:>8.3f} {r['lint_s']:>8.3f} "
              f"{r['total_s']:>8.3f} {r['ms_per_device']:>7.3f} {r.get('growth_exponent', float('nan')):>5.2f}")
    print(f"peak RSS {peak_mib:.0f} MiB")


if __name__ == "__main__":
    main()
