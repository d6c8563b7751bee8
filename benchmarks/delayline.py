"""What the user-space fibre delay line adds to a round trip (needs root and FRR's zebra; not a test).

Two namespaces `a` and `b` joined two ways: a direct veth (the floor) and through the `wan` namespace's delay
line (`netweave.lab.delayline`) at 0, 1,000 and 2,000 us one-way. Prints min / median / p90 RTT of 100 pings
each and the excess of the median over 2 x the delay, with the load average (the machine is rarely idle).

    sudo .venv/bin/python benchmarks/delayline.py [DELAY_US ...]
"""

from __future__ import annotations

import os
import re
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import TypedDict

from netweave.lab import LabLink, LabNode, LabTopology, down, up
from netweave.lab.sites import WAN, WAN_CONF, LabLine, SiteLab, start_lines

CONF = "frr version 8.4\nfrr defaults datacenter\nhostname {h}\n!\n{ifaces}!\nend\n"
IFACE = "interface {n}\n ip address {a}\nexit\n"


def _rtts(netns: str, dest: str, count: int = 100) -> list[float]:
    argv = ["ip", "netns", "exec", netns, "ping", "-n", "-c", str(count), "-i", "0.02", dest]
    out = subprocess.run(argv, capture_output=True, text=True, timeout=120, check=False).stdout
    return sorted(float(x) for x in re.findall(r"time=([0-9.]+) ms", out))


class Figures(TypedDict):
    """What `measure` returns: the load it ran under, the direct veth's RTTs and one row per delay."""

    load: float
    cpus: int
    direct: dict[str, float]
    lines: list[dict[str, float]]


def _stats(rtts: list[float], expected_ms: float) -> dict[str, float]:
    """Min / median / p90 of sorted RTTs (ms) and the median's excess over `expected_ms` (us)."""
    median = statistics.median(rtts)
    return {
        "min_ms": rtts[0],
        "median_ms": round(median, 3),
        "p90_ms": rtts[int(len(rtts) * 0.9) - 1],
        "expected_ms": expected_ms,
        "excess_us": round((median - expected_ms) * 1000),
    }


def _row(label: str, stats: dict[str, float]) -> str:
    return (
        f"{label:<28} min {stats['min_ms']:.3f}  median {stats['median_ms']:.3f}  p90 {stats['p90_ms']:.3f} ms  "
        f"(+{stats['excess_us']:.0f} us over {stats['expected_ms']:.3f} ms)"
    )


def measure(delays: list[float]) -> Figures:
    """Min / median / p90 RTT (ms) of a direct veth and of the delay line at each one-way delay (us).

    `benchmarks/lab_figures.py` records this for the README; `main` prints it."""
    name = f"bdl{os.getpid() % 100000}"
    a_ifaces = IFACE.format(n="eth1", a="192.0.2.1/30") + IFACE.format(n="eth2", a="192.0.2.5/30")
    b_ifaces = IFACE.format(n="eth1", a="192.0.2.2/30") + IFACE.format(n="eth2", a="192.0.2.6/30")
    topology = LabTopology(
        name=name,
        nodes=[
            LabNode(name="a", frr_conf=CONF.format(h="a", ifaces=a_ifaces), daemons=("zebra",)),
            LabNode(name="b", frr_conf=CONF.format(h="b", ifaces=b_ifaces), daemons=("zebra",)),
            LabNode(name=WAN, frr_conf=WAN_CONF, daemons=("zebra",)),
        ],
        links=[LabLink("a", "eth1", WAN, "c1a"), LabLink("b", "eth1", WAN, "c1b"), LabLink("a", "eth2", "b", "eth2")],
    )
    rows: list[dict[str, float]] = []
    with tempfile.TemporaryDirectory() as tmp:
        state = up(topology, Path(tmp))
        try:
            load = os.getloadavg()[0]
            direct = _stats(_rtts(state.node("a").netns, "192.0.2.6"), 0.0)
            for delay in delays:
                pid = start_lines(state, SiteLab(lines=[LabLine("x/1", "x", "c1a", "c1b", delay, ("x",))]))
                _rtts(state.node("a").netns, "192.0.2.2", count=3)  # ARP through the line
                stats = _stats(_rtts(state.node("a").netns, "192.0.2.2"), 2 * delay / 1000)
                rows.append({"delay_us": delay, **stats})
                if pid is not None:
                    os.kill(pid, 15)
        finally:
            down(name, Path(tmp))
    return {"load": round(load, 2), "cpus": os.cpu_count() or 0, "direct": direct, "lines": rows}


def main(delays: list[float]) -> int:
    figures = measure(delays)
    print(f"load average {figures['load']:.2f} on {figures['cpus']} CPUs")
    print(_row("direct veth", figures["direct"]))
    for row in figures["lines"]:
        print(_row(f"delay line {row['delay_us']:g} us", row))
    return 0


if __name__ == "__main__":
    raise SystemExit(main([float(x) for x in sys.argv[1:]] or [0.0, 1000.0, 2000.0]))
