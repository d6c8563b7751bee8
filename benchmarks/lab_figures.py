"""Record the lab figures the README quotes, so a test can hold the README to them (needs root and FRR; not a test).

The README states how long the bundled lab takes to come up and verify, how fast a larger fabric converges and
what the multi-site lab's fibre delay line adds to a round trip. Those are measurements, so they cannot be
recomputed by a test; this script measures them and writes `benchmarks/lab_figures.json`, and
`tests/test_readme_claims.py` checks every such README number against that file. Re-run it after a change to
the lab (and update the README if the figures moved):

    sudo .venv/bin/python benchmarks/lab_figures.py [--out benchmarks/lab_figures.json]

What it measures, with the machine's load average beside it (the 2-core machine is rarely idle):
- `stacks_lab`: `netweave lab up stacks/lab/design.yaml` then `netweave lab verify --format json`, each as the
  user runs it (a fresh process, so Python's start-up counts), under a lab name unique to this process.
- `fabric`: `benchmarks/lab_scale.py`'s generated 4 spines x 16 leaves eBGP fabric: up, every session
  Established, every leaf holding a 4-way ECMP route to every other leaf's loopback.
- `delay_line`: `benchmarks/delayline.py`'s median round trips through the delay line at 0, 1,000 and 2,000 us.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import delayline
import lab_scale

REPO = Path(__file__).resolve().parents[1]
DEFAULT_OUT = REPO / "benchmarks" / "lab_figures.json"
FABRIC = (4, 16)
"""Spines x leaves of the convergence figure (the README's "4 spines x 16 leaves")."""


def _netweave(*args: str) -> tuple[float, subprocess.CompletedProcess[str]]:
    """Run one netweave command as a user would, returning its wall time and result (raises on failure)."""
    start = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-m", "netweave", *args], cwd=REPO, capture_output=True, text=True, timeout=600
    )
    elapsed = time.monotonic() - start
    if done.returncode != 0:
        raise RuntimeError(f"netweave {' '.join(args)} exited {done.returncode}: {done.stderr[-2000:]}")
    return elapsed, done


def stacks_lab() -> dict[str, float | int]:
    """Up and verify the bundled lab design under a per-process lab name; always tears it down."""
    design = "stacks/lab/design.yaml"
    name = f"rdme{os.getpid() % 100000}"
    with tempfile.TemporaryDirectory(prefix="nw-figures-") as tmp:
        where = ["--name", name, "--state-dir", tmp]
        try:
            up_s, _ = _netweave("lab", "up", design, *where)
            verify_s, verified = _netweave("lab", "verify", design, *where, "--format", "json")
        finally:
            subprocess.run(
                [sys.executable, "-m", "netweave", "lab", "down", "--name", name, "--state-dir", tmp],
                cwd=REPO,
                capture_output=True,
                timeout=300,
                check=False,
            )
    report = json.loads(verified.stdout)
    checks = report["checks"]
    nodes = json.loads(_netweave("show", design, "devices", "--format", "json")[1].stdout)
    return {
        "nodes": len(nodes),
        "checks": len(checks),
        "passed": sum(1 for check in checks if check["ok"]),
        "up_s": round(up_s, 2),
        "verify_s": round(verify_s, 2),
        "total_s": round(up_s + verify_s, 2),
    }


def fabric() -> dict[str, float | int]:
    """lab_scale's generated fabric: time to up, to all Established, and to full ECMP."""
    spines, leaves = FABRIC
    figures = lab_scale.run(spines, leaves)
    return {
        "spines": spines,
        "leaves": leaves,
        "nodes": int(figures["nodes"]),
        "links": int(figures["links"]),
        "ecmp_width": spines,
        "up_s": round(figures["up_s"], 2),
        "established_s": round(figures["established_s"], 2),
        "ecmp_s": round(figures["ecmp_s"], 2),
    }


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="where to write the figures (JSON)")
    args = parser.parse_args(argv)
    figures: dict[str, object] = {
        "script": "benchmarks/lab_figures.py",
        "cpus": os.cpu_count(),
        "load_before": round(os.getloadavg()[0], 2),
        "stacks_lab": stacks_lab(),
        "fabric": fabric(),
        "delay_line": delayline.measure([0.0, 1000.0, 2000.0]),
        "load_after": round(os.getloadavg()[0], 2),
    }
    args.out.write_text(json.dumps(figures, indent=2) + "\n")
    print(json.dumps(figures, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
