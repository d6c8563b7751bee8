"""Time the whole pipeline at growing sizes: load+validate, expand, lint, render, write (not a test).

Two series, each size in its own process (so peak RSS is that size's own):
  evpn   leaf-spine with EVPN tenants: 2 spines and 16 / 64 / 256 leaves, 4 VRFs x 8 SVIs and 16 L2 VLANs
         on every leaf (the pyavd / netlab comparison point)
  ai     ai-backend from `netweave init ai-backend --gpus N` for 1,024 / 16,384 / 100,000 GPUs

Also timed, not part of the total: `netweave diff` (in-process) of a one-leaf change against the same design.
"floor" is what the machine cannot beat for the same output (benchmarks/floor.py: the same files written plainly
plus orjson of the network; no interpreter start, as the phases are timed in-process) and "xfloor" the total's
ratio to it. For whole-process figures against the floor see benchmarks/targets.py.

Usage (from the repository root):
  .venv/bin/python benchmarks/pipeline_scale.py                 # both series, table
  .venv/bin/python benchmarks/pipeline_scale.py --series evpn --json results.json
  .venv/bin/python benchmarks/pipeline_scale.py --series ai --sizes 1024 16384
Options: --nos NOS (EVPN series leaf/spine NOS, default srlinux), --workers N (render processes; 1 = serial).
"""

from __future__ import annotations

import argparse
import itertools
import json
import math
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import yaml

if __package__:
    from benchmarks.floor import case_floor
else:  # run as a script: benchmarks/ is this file's folder
    from floor import case_floor  # type: ignore[no-redef,import-not-found]

REPO = Path(__file__).resolve().parents[1]
SERIES = {"evpn": [16, 64, 256], "ai": [1024, 16384, 100000]}


def evpn_design(leaves: int, nos: str) -> dict[str, Any]:
    """2 spines, `leaves` leaves, 4 VRFs x 8 SVIs + 16 L2-only VLANs on every leaf."""
    vrfs = [{"name": f"tenant{v}", "l3vni": 50000 + v, "vlan": 3000 + v} for v in range(1, 5)]
    l2vnis = []
    for v in range(1, 5):
        for s in range(1, 9):
            vlan = v * 100 + s
            l2vnis.append(
                {
                    "name": f"t{v}-svi{s}",
                    "vni": 10000 + vlan,
                    "vlan": vlan,
                    "vrf": f"tenant{v}",
                    "gateway": f"10.{100 + v}.{s}.1/24",
                }
            )
    l2vnis += [{"name": f"l2-{i}", "vni": 20000 + i, "vlan": 2000 + i} for i in range(1, 17)]
    return {
        "name": f"bench-evpn-{leaves}",
        "platforms": {
            "bench-chassis": {
                "vendor": "Generic",
                "model": "chassis 576x100G (e.g. a 16-slot modular spine)",
                "nos": ["srlinux", "eos", "sonic", "nvue", "frr"],
                "ports": [{"count": 576, "speed": 100}],
            }
        },
        "sites": [
            {
                "name": "dc1",
                "fabrics": [
                    {
                        "name": "fabric1",
                        "module": "leaf-spine",
                        "spines": {"count": 2, "platform": "bench-chassis", "nos": nos},
                        "leaves": {
                            "count": leaves,
                            "platform": "bench-chassis",
                            "nos": nos,
                            "uplink_first_port": 49,
                            "server_ports": 48,
                        },
                        "capacity": {"max_spines": 4, "max_leaves": 512},
                        "addressing": {
                            "loopbacks": "10.0.0.0/20",
                            "p2p": "10.64.0.0/16",
                            "management": {"prefix": "172.16.0.0/20"},
                        },
                        "evpn": {
                            "anycast_gateway_mac": "00:00:5e:00:01:01",
                            "rt_asn": 65100,
                            "vrfs": vrfs,
                            "l2vnis": l2vnis,
                        },
                    }
                ],
            }
        ],
    }


def one_leaf_change(series: str, text: str) -> str:
    """The head revision for the diff phase: one leaf's ASN pinned (evpn; touches it and its spines),
    or one GPU node fewer (ai; frees one server port on the leaf of each rail). Adding a node to a full
    last SU would add a whole SU instead: a fabric-size change, not a one-leaf one."""
    data = yaml.safe_load(text)
    fabric = data["sites"][0]["fabrics"][0]
    if series == "evpn":
        fabric["leaves"].setdefault("overrides", {})["leaf1"] = {"asn": 4200099999}
    else:
        fabric["gpus"] = fabric["gpus"] - fabric.get("gpus_per_node", 8)
    return yaml.safe_dump(data, sort_keys=False)


def ai_design(gpus: int, tmp: Path) -> Path:
    path = tmp / f"ai-{gpus}.yaml"
    subprocess.run(
        [sys.executable, "-m", "netweave", "init", "ai-backend", "--gpus", str(gpus), "-o", str(path), "--force"],
        check=True,
        capture_output=True,
    )
    return path


def measure_one(series: str, size: int, nos: str, workers: int) -> dict[str, Any]:
    """Run every phase once in this process; report wall times and this process's peak RSS."""
    import netweave
    from netweave.diff.configs import compare_texts
    from netweave.diff.gitrev import RevisionText
    from netweave.output.build import write_configs
    from netweave.render.parallel import render_all

    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        if series == "evpn":
            path = tmp / "design.yaml"
            path.write_text(yaml.safe_dump(evpn_design(size, nos), sort_keys=False))
        else:
            path = ai_design(size, tmp)
        times: dict[str, float] = {}
        t = time.perf_counter()
        design = netweave.load(path)
        times["load"] = time.perf_counter() - t
        t = time.perf_counter()
        network = netweave.expand(design)
        times["expand"] = time.perf_counter() - t
        t = time.perf_counter()
        findings = netweave.lint(network)
        times["lint"] = time.perf_counter() - t
        t = time.perf_counter()
        configs = render_all(network, workers=workers)
        times["render"] = time.perf_counter() - t
        t = time.perf_counter()
        write_configs(configs, tmp / "out" / "configs")
        times["write"] = time.perf_counter() - t
        floor = case_floor(0.0, network, tmp / "out", repeat=2, near=tmp)
        base_text = path.read_text()
        head_text = one_leaf_change(series, base_text)
        t = time.perf_counter()
        report = compare_texts(
            RevisionText(ref="base", commit=None, path=path.name, text=base_text),
            RevisionText(ref=None, commit=None, path=path.name, text=head_text),
            design=path.name,
        )
        diff_s = time.perf_counter() - t
    total = sum(times.values())
    devices = len(network.devices)
    peak = max(resource.getrusage(who).ru_maxrss for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN))
    return {
        "series": series,
        "size": size,
        "devices": devices,
        "links": len(network.links),
        "errors": sum(f.severity == "error" for f in findings),
        **{f"{k}_s": v for k, v in times.items()},
        "total_s": total,
        "ms_per_device": 1000 * total / devices,
        "diff_s": diff_s,
        "diff_devices_changed": len(report.devices),
        "peak_rss_mib": peak / 1024,
        "floor_s": floor.total_s,
        "x_floor": floor.ratio(total),
    }


def run(series: str, sizes: list[int], nos: str, workers: int) -> list[dict[str, Any]]:
    rows = []
    for size in sizes:
        out = subprocess.run(
            [sys.executable, __file__, "--one", series, str(size), "--nos", nos, "--workers", str(workers)],
            capture_output=True,
            text=True,
            cwd=REPO,
        )
        if out.returncode != 0:
            raise SystemExit(f"{series} {size} failed:\n{out.stderr}")
        rows.append(json.loads(out.stdout))
    for small, big in itertools.pairwise(rows):
        growth = math.log(big["total_s"] / small["total_s"])
        big["growth_exponent"] = growth / math.log(big["devices"] / small["devices"])
    return rows


def table(rows: list[dict[str, Any]]) -> str:
    head = (
        f"{'series':<6} {'size':>7} {'devices':>7} {'load':>6} {'expand':>7} {'lint':>6} {'render':>7} "
        f"{'write':>6} {'total':>7} {'floor':>6} {'xfloor':>6} {'ms/dev':>7} {'RSS MiB':>8} {'exp':>5} {'diff':>6} "
        f"{'chg':>4}"
    )
    lines = [head]
    for r in rows:
        lines.append(
            f"{r['series']:<6} {r['size']:>7} {r['devices']:>7} {r['load_s']:>6.2f} {r['expand_s']:>7.2f} "
            f"{r['lint_s']:>6.2f} {r['render_s']:>7.2f} {r['write_s']:>6.2f} {r['total_s']:>7.2f} "
            f"{r['floor_s']:>6.2f} {r['x_floor']:>6.1f} "
            f"{r['ms_per_device']:>7.2f} {r['peak_rss_mib']:>8.0f} "
            f"{r.get('growth_exponent', float('nan')):>5.2f} {r['diff_s']:>6.2f} "
            f"{r['diff_devices_changed']:>4}"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--series", choices=sorted(SERIES), action="append")
    parser.add_argument("--sizes", type=int, nargs="+")
    parser.add_argument("--nos", default="srlinux")
    parser.add_argument("--workers", type=int, default=0, help="render processes (0: automatic, 1: serial)")
    parser.add_argument("--json", type=Path, help="also write the results here")
    parser.add_argument("--one", nargs=2, metavar=("SERIES", "SIZE"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(measure_one(args.one[0], int(args.one[1]), args.nos, args.workers)))
        return
    rows = []
    for series in args.series or sorted(SERIES):
        rows += run(series, args.sizes or SERIES[series], args.nos, args.workers)
    print(table(rows))
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2) + "\n")


if __name__ == "__main__":
    main()
