"""Time `netweave docs` (load, expand, lint, then the documentation site) at growing sizes.

Each size runs in its own process (peak RSS is that size's own) on a design made by
`netweave init ai-backend --gpus N`, as benchmarks/ai_backend_scale.py does. Prints wall seconds per
step of the site writer (from its progress callback), the total, the process CPU seconds (less
sensitive to a busy machine) and that of the forked page and config workers, files and megabytes
written. Not a test: prints a table. Target: the 100,000-GPU design in under 30 s on a 2-core machine.

    .venv/bin/python benchmarks/docs_scale.py [N ...]       (default: 1024 16384 100000)
    .venv/bin/python benchmarks/docs_scale.py --no-configs 100000
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


def measure(gpus: int, configs: bool) -> dict[str, object]:
    """Scaffold a design for `gpus`, then time validate and write_site in this process."""
    from netweave.docs import write_site
    from netweave.pipeline import validate

    with tempfile.TemporaryDirectory() as tmp:
        design = Path(tmp) / "design.yaml"
        subprocess.run(
            [sys.executable, "-m", "netweave", "init", "ai-backend", "--gpus", str(gpus), "-o", str(design)],
            check=True,
            capture_output=True,
        )
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu_start = time.process_time()
        start = time.perf_counter()
        result = validate(design)
        validated = time.perf_counter()
        steps: dict[str, float] = {}
        current_step, since = [""], [validated]

        def progress(step: str, done: int, total: int) -> None:
            """Charge the time since the previous step change to the previous step."""
            if step != current_step[0]:
                now = time.perf_counter()
                if current_step[0]:
                    steps[current_step[0]] = now - since[0]
                current_step[0], since[0] = step, now

        site = write_site(result.network, result.findings, Path(tmp) / "docs", configs=configs, progress=progress)
        end = time.perf_counter()
        steps[current_step[0]] = end - since[0]
        children = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = time.process_time() - cpu_start
        size = sum(p.stat().st_size for p in site.written)
    return {
        "gpus": gpus,
        "devices": len(result.network.devices),
        "validate_s": validated - start,
        "docs_s": end - validated,
        "total_s": end - start,
        "cpu_s": cpu,
        "children_cpu_s": children.ru_utime + children.ru_stime - before.ru_utime - before.ru_stime,
        "steps": steps,
        "files": len(site.written),
        "mb": size / 1e6,
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def main(argv: list[str]) -> int:
    if argv[:1] == ["--one"]:
        print(json.dumps(measure(int(argv[1]), argv[2] == "configs")))
        return 0
    configs = "--no-configs" not in argv
    sizes = [int(a) for a in argv if not a.startswith("--")] or SIZES
    print(
        f"{'GPUs':>7} {'devices':>7} {'validate s':>10} {'docs s':>7} {'total s':>8} {'cpu s':>6} "
        f"{'workers cpu s':>13} {'files':>6} {'MB':>6} {'RSS MB':>7}  docs steps (s)"
    )
    for gpus in sizes:
        out = subprocess.run(
            [sys.executable, __file__, "--one", str(gpus), "configs" if configs else "none"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        r = json.loads(out)
        steps = ", ".join(f"{k} {v:.2f}" for k, v in r["steps"].items())
        print(
            f"{r['gpus']:>7} {r['devices']:>7} {r['validate_s']:>10.2f} {r['docs_s']:>7.2f} {r['total_s']:>8.2f} "
            f"{r['cpu_s']:>6.2f} {r['children_cpu_s']:>13.2f} {r['files']:>6} {r['mb']:>6.1f} "
            f"{r['peak_rss_mb']:>7.0f}  {steps}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
