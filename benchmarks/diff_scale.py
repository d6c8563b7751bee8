"""Time `netweave diff` on a 1,000-leaf FRR fabric against rendering both revisions fully (not a test).

Builds a temporary git repository with two commits of one design (a one-leaf change between them, or
none), then times:

    diff         netweave.diff.diff_revisions: identical text is expanded once; otherwise both sides are
                 expanded and linted, and only devices whose render inputs differ are rendered
    full diff    the same comparison with reuse=False (every device rendered and diffed on both sides)
    build both   what `netweave build` does per revision, minus writing files: load, expand, lint,
                 render every device; once per revision. The bar the diff must not exceed.
    render both  the same without lint (load, expand, render), for reference

Times are the best of --repeat runs, as CPU seconds of this process and its git children (stable on a
shared machine) and as wall-clock seconds.

Usage: .venv/bin/python benchmarks/diff_scale.py [--leaves N] [--repeat N] [--json]
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

import netweave
from netweave.diff.configs import diff_revisions
from netweave.render import render

IDENTITY = ["-c", "user.name=bench", "-c", "user.email=bench@netweave.invalid", "-c", "commit.gpgsign=false"]


def design(leaves: int, overrides: dict[str, Any] | None = None, extra_leaves: int = 0) -> dict[str, Any]:
    """Two FRR spines with enough ports for every leaf, `leaves` FRR leaves."""
    return {
        "name": "bench",
        "platforms": {
            "frr-spine-1024": {
                "vendor": "FRRouting",
                "model": "Linux FRR spine",
                "nos": ["frr"],
                "ports": [{"count": 1024, "speed": 100}],
                "source": "virtual, for the benchmark",
            }
        },
        "sites": [
            {
                "name": "dc1",
                "fabrics": [
                    {
                        "name": "fabric1",
                        "module": "leaf-spine",
                        "spines": {"count": 2, "platform": "frr-spine-1024", "nos": "frr"},
                        "leaves": {
                            "count": leaves + extra_leaves,
                            "platform": "linux-frr",
                            "nos": "frr",
                            "uplink_first_port": 49,
                            "server_ports": 6,
                            "overrides": overrides or {},
                        },
                        "addressing": {
                            "loopbacks": "10.0.0.0/16",
                            "p2p": "10.64.0.0/12",
                            "management": {"prefix": "172.16.0.0/16"},
                        },
                    }
                ],
            }
        ],
    }


def git(repo: Path, *args: str) -> None:
    subprocess.run(["git", *IDENTITY, *args], cwd=repo, check=True, capture_output=True)


def timed(func: Callable[[], Any], repeat: int) -> tuple[float, float, Any]:
    """(best CPU seconds incl. child processes, best wall seconds, last result) over `repeat` runs."""
    best_cpu = best_wall = float("inf")
    result = None
    for _ in range(repeat):
        before, start = _cpu(), time.perf_counter()
        result = func()
        wall, cpu = time.perf_counter() - start, _cpu() - before
        best_cpu, best_wall = min(best_cpu, cpu), min(best_wall, wall)
    return best_cpu, best_wall, result


def _cpu() -> float:
    """CPU seconds used so far by this process and its finished children (the git commands)."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


def render_both(texts: list[str], with_lint: bool) -> int:
    """Render every device of both revisions (after lint, as `netweave build` does, when `with_lint`)."""
    rendered = 0
    for text in texts:
        network = netweave.expand(netweave.loads(text))
        if with_lint:
            netweave.lint(network)
        rendered += len(render(network))
    return rendered


def scenario(name: str, leaves: int, head: dict[str, Any], repeat: int) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp:
        repo = Path(tmp)
        git(repo, "init", "-q", "-b", "main")
        path = repo / "design.yaml"
        base_text = yaml.safe_dump(design(leaves), sort_keys=False)
        head_text = yaml.safe_dump(head, sort_keys=False)
        for text, message in ((base_text, "base"), (head_text, "head")):
            path.write_text(text)
            git(repo, "add", "design.yaml")
            git(repo, "commit", "-q", "--allow-empty", "-m", message)
        diff_cpu, diff_wall, report = timed(lambda: diff_revisions(path, "HEAD~1", "HEAD"), repeat)
        full_cpu, full_wall, full = timed(lambda: diff_revisions(path, "HEAD~1", "HEAD", reuse=False), repeat)
        build_cpu, build_wall, rendered = timed(lambda: render_both([base_text, head_text], True), repeat)
        render_cpu, render_wall, _ = timed(lambda: render_both([base_text, head_text], False), repeat)
    assert report.as_dict()["devices"] == full.as_dict()["devices"], "reuse changed the result"
    return {
        "scenario": name,
        "devices": report.unchanged + len(report.devices),
        "changed": len(report.devices),
        "diff_cpu_s": diff_cpu,
        "full_diff_cpu_s": full_cpu,
        "build_both_cpu_s": build_cpu,
        "render_both_cpu_s": render_cpu,
        "diff_wall_s": diff_wall,
        "full_diff_wall_s": full_wall,
        "build_both_wall_s": build_wall,
        "render_both_wall_s": render_wall,
        "rendered_by_diff": report.stats.rendered,
        "rendered_by_build_both": rendered,
        "diff_vs_build_both": diff_cpu / max(build_cpu, 1e-9),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--leaves", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    n = args.leaves
    scenario("warm-up", 8, design(8, extra_leaves=1), 1)  # imports, schema validator, template compilation
    middle = f"leaf{n // 2}"
    rows = [
        scenario("one leaf ASN changed", n, design(n, overrides={middle: {"asn": 4200099999}}), args.repeat),
        scenario("one leaf added", n, design(n, extra_leaves=1), args.repeat),
        scenario("identical design", n, design(n), args.repeat),
    ]
    if args.json:
        print(json.dumps(rows, indent=2))
        return
    print(f"best of {args.repeat}; CPU seconds (wall seconds)")
    print(
        f"{'scenario':<21} {'devices':>7} {'changed':>7} {'diff':>14} {'full diff':>14} {'build both':>14} "
        f"{'render both':>14} {'rendered':>8} {'diff/build':>10}"
    )
    for r in rows:
        cells = [
            f"{r[k + '_cpu_s']:.3f} ({r[k + '_wall_s']:.3f})"
            for k in ("diff", "full_diff", "build_both", "render_both")
        ]
        print(
            f"{r['scenario']:<21} {r['devices']:>7} {r['changed']:>7} {cells[0]:>14} {cells[1]:>14} {cells[2]:>14} "
            f"{cells[3]:>14} {r['rendered_by_diff']:>8} {r['diff_vs_build_both']:>10.2f}"
        )


if __name__ == "__main__":
    main()
