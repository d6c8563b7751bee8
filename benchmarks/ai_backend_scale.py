"""Time `netweave init ai-backend --gpus N` + validate (load, expand, lint) at growing sizes.

Each size runs in its own process so peak RSS is that size's own. Wall times (s) per stage and the
process CPU time (cpu s, less sensitive to a busy machine). Not a test: prints a table.

    .venv/bin/python benchmarks/ai_backend_scale.py [N ...]      (default: 1024 16384 100000)
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SIZES = [1024, 16384, 100_000]


def measure(gpus: int) -> dict[str, float | int]:
    """Scaffold a design for `gpus`, then time each pipeline stage in this process."""
    from netweave.expand.expander import expand
    from netweave.lint import lint
    from netweave.load.loader import load

    with tempfile.TemporaryDirectory() as tmp:
        design = Path(tmp) / "design.yaml"
        subprocess.run(
            [sys.executable, "-m", "netweave", "init", "ai-backend", "--gpus", str(gpus), "-o", str(design)],
            check=True,
            capture_output=True,
        )
        cpu_start = time.process_time()
        start = time.perf_counter()
        loaded = load(design)
        loaded_at = time.perf_counter()
        network = expand(loaded)
        expanded_at = time.perf_counter()
        findings = lint(network)
        linted_at = time.perf_counter()
        cpu = time.process_time() - cpu_start
    errors = sum(1 for f in findings if f.severity == "error")
    return {
        "gpus": gpus,
        "devices": len(network.devices),
        "servers": len(network.servers),
        "links": len(network.links),
        "errors": errors,
        "load_s": loaded_at - start,
        "expand_s": expanded_at - loaded_at,
        "lint_s": linted_at - expanded_at,
        "total_s": linted_at - start,
        "cpu_s": cpu,
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def main(argv: list[str]) -> int:
    if argv[:1] == ["--one"]:
        print(json.dumps(measure(int(argv[1]))))
        return 0
    sizes = [int(a) for a in argv] or SIZES
    print(
        f"{'GPUs':>8} {'devices':>8} {'servers':>8} {'links':>8} {'load s':>7} {'expand s':>9} {'lint s':>7} "
        f"{'total s':>8} {'cpu s':>6} {'peak RSS MB':>12} {'errors':>6}"
    )
    for gpus in sizes:
        out = subprocess.run(
            [sys.executable, __file__, "--one", str(gpus)], check=True, capture_output=True, text=True
        ).stdout
        r = json.loads(out)
        print(
            f"{r['gpus']:>8} {r['devices']:>8} {r['servers']:>8} {r['links']:>8} {r['load_s']:>7.2f} "
            f"{r['expand_s']:>9.2f} {r['lint_s']:>7.2f} {r['total_s']:>8.2f} {r['cpu_s']:>6.2f} "
            f"{r['peak_rss_mb']:>12.0f} "
            f"{r['errors']:>6}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
