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

from netweave.lab import LabLink, LabNode, LabTopology, down, up
from netweave.lab.sites import WAN, WAN_CONF, LabLine, SiteLab, start_lines

CONF = "frr version 8.4\nfrr defaults datacenter\nhostname {h}\n!\n{ifaces}!\nend\n"
IFACE = "interface {n}\n ip address {a}\nexit\n"


def _rtts(netns: str, dest: str, count: int = 100) -> list[float]:
    argv = ["ip", "netns", "exec", netns, "ping", "-n", "-c", str(count), "-i", "0.02", dest]
    out = subprocess.run(argv, capture_output=True, text=True, timeout=120, check=False).stdout
    return sorted(float(x) for x in re.findall(r"time=([0-9.]+) ms", out))


def _row(label: str, rtts: list[float], expected_ms: float) -> str:
    median = statistics.median(rtts)
    p90 = rtts[int(len(rtts) * 0.9) - 1]
    return (
        f"{label:<28} min {rtts[0]:.3f}  median {median:.3f}  p90 {p90:.3f} ms  "
        f"(+{(median - expected_ms) * 1000:.0f} us over {expected_ms:.3f} ms)"
    )


def main(delays: list[float]) -> int:
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
    with tempfile.TemporaryDirectory() as tmp:
        state = up(topology, Path(tmp))
        try:
            print(f"load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs")
            print(_row("direct veth", _rtts(state.node("a").netns, "192.0.2.6"), 0.0))
            for delay in delays:
                pid = start_lines(state, SiteLab(lines=[LabLine("x/1", "x", "c1a", "c1b", delay, ("x",))]))
                _rtts(state.node("a").netns, "192.0.2.2", count=3)  # ARP through the line
                print(_row(f"delay line {delay:g} us", _rtts(state.node("a").netns, "192.0.2.2"), 2 * delay / 1000))
                if pid is not None:
                    os.kill(pid, 15)
        finally:
            down(name, Path(tmp))
    return 0


if __name__ == "__main__":
    raise SystemExit(main([float(x) for x in sys.argv[1:]] or [0.0, 1000.0, 2000.0]))
