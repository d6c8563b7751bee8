"""A user-space fibre delay line: frames cross between two interfaces after the fibre's one-way latency.

Why in user space: this machine's kernel has no netem (CONFIG_NET_SCH_NETEM is off; only tbf, htb, ingress
and u32/bpf classifiers), so a DCI carrier cannot be delayed with `tc qdisc ... netem delay`. Instead a
carrier's veth pair is cut in two: each router's end is paired with an end in the lab's `wan` namespace,
and this process moves every frame from one `wan` end to the other after `delay_us` (dropping a share
`loss` of them), in both directions.

How: one AF_PACKET socket per end with PACKET_VNET_HDR, so a frame is read and re-sent with its virtio-net
header (checksum-offload and GSO metadata): a TCP segment whose checksum the sending veth left to "the
hardware", or a 64 KB GSO super-frame, crosses intact instead of arriving with a bad checksum or being
refused as larger than the MTU. PACKET_IGNORE_OUTGOING keeps a socket from reading back what it sent.
Frames wait in a heap ordered by due time; `select` (microsecond timeouts, unlike epoll's milliseconds)
sleeps until the next frame is due or one arrives, with the timer slack cut to 1 us.

Run inside the `wan` namespace: `python -m netweave.lab.delayline SPEC.json`, SPEC a list of
`{"a": ifname, "b": ifname, "delay_us": float, "loss": float}`. It runs until killed (lab down ends every
process of the lab's namespaces).
"""

from __future__ import annotations

import contextlib
import ctypes
import heapq
import json
import os
import random
import select
import socket
import struct
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

SOL_PACKET = 263
PACKET_VNET_HDR = 15
PACKET_IGNORE_OUTGOING = 23
ETH_P_ALL = 0x0003
PR_SET_TIMERSLACK = 29
MAX_FRAME = 65536 + 10 + 14
"""Largest read: a 64 KB GSO frame, its Ethernet header and the 10-byte virtio-net header."""
SPIN_S = 200e-6
"""The last stretch before a frame is due is polled, not slept: a sleeping wake-up came ~120 us late on this
machine (measured), which alone would add 240 us to a round trip."""
SO_TIMESTAMPNS = 35
_CMSG_SPACE = socket.CMSG_SPACE(16)
READY = "ready"
"""What the process prints once every socket is open: frames sent before that would be lost."""


@dataclass(frozen=True, slots=True)
class Line:
    """One carrier: the two `wan` ends it joins, its one-way latency and its loss (0..1)."""

    a: str
    b: str
    delay_us: float
    loss: float = 0.0


def load_spec(path: Path) -> list[Line]:
    """The lines of a spec file (see the module docstring)."""
    return [
        Line(str(x["a"]), str(x["b"]), float(x["delay_us"]), float(x.get("loss", 0.0)))
        for x in json.loads(path.read_text())
    ]


def open_end(ifname: str) -> socket.socket:
    """A raw socket on `ifname` that reads and writes frames with their virtio-net header."""
    sock = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P_ALL))
    sock.setsockopt(SOL_PACKET, PACKET_VNET_HDR, 1)
    sock.setsockopt(SOL_PACKET, PACKET_IGNORE_OUTGOING, 1)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4 << 20)
    sock.setsockopt(socket.SOL_SOCKET, SO_TIMESTAMPNS, 1)
    sock.bind((ifname, ETH_P_ALL))
    sock.setblocking(False)
    return sock


def run(lines: list[Line], stop_after_s: float | None = None) -> None:
    """Forward frames between the ends of every line, each after its delay, until killed (or `stop_after_s`)."""
    peer: dict[int, tuple[socket.socket, float, float]] = {}
    socks: list[socket.socket] = []
    for line in lines:
        a, b = open_end(line.a), open_end(line.b)
        socks += [a, b]
        peer[a.fileno()] = (b, line.delay_us / 1e6, line.loss)
        peer[b.fileno()] = (a, line.delay_us / 1e6, line.loss)
    by_fd = {s.fileno(): s for s in socks}
    print(READY, flush=True)
    queue: list[tuple[float, int, socket.socket, bytes]] = []
    seq = 0
    rng = random.Random(0)
    end = None if stop_after_s is None else time.time() + stop_after_s
    while end is None or time.time() < end:
        now = time.time()
        while queue and queue[0][0] <= now:
            _, _, out, frame = heapq.heappop(queue)
            with contextlib.suppress(OSError):  # the far end is down (a fault) or full: the fibre loses the frame
                out.send(frame)
            now = time.time()
        timeout = max(0.0, queue[0][0] - now - SPIN_S) if queue else 0.5
        readable, _, _ = select.select(socks, [], [], timeout)
        for sock in readable:
            out, delay, loss = peer[sock.fileno()]
            for _ in range(64):  # drain a burst, then look at the clock again
                try:
                    frame, ancillary, _, _ = by_fd[sock.fileno()].recvmsg(MAX_FRAME, _CMSG_SPACE)
                except (BlockingIOError, OSError):  # drained, or the interface went down under us (a fault)
                    break
                if loss and rng.random() < loss:
                    continue
                seq += 1
                heapq.heappush(queue, (_arrival(ancillary) + delay, seq, out, frame))


def start(netns: str, spec: Path, python: str = sys.executable, timeout_s: float = 30.0) -> int:
    """Start the delay line of `spec` inside `netns`; returns its pid once every socket is open.

    The process lives in the lab's namespace, so `lab down` finds and ends it with the FRR daemons."""
    proc = subprocess.Popen(
        ["ip", "netns", "exec", netns, python, "-m", "netweave.lab.delayline", str(spec)],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        stdin=subprocess.DEVNULL,
        start_new_session=True,
        text=True,
    )
    assert proc.stdout is not None
    ready, _, _ = select.select([proc.stdout], [], [], timeout_s)
    line = proc.stdout.readline().strip() if ready else ""
    if line != READY:
        proc.kill()
        proc.wait()
        raise RuntimeError(f"delay line in {netns} did not start within {timeout_s:g} s (exit {proc.poll()})")
    proc.stdout.close()
    return proc.pid


def _arrival(ancillary: list[tuple[int, int, bytes]]) -> float:
    """When the kernel received the frame (SO_TIMESTAMPNS, on the `time.time` clock): the delay counts from
    the wire, not from when this process got to run; the time now when no timestamp came with it."""
    for level, kind, data in ancillary:
        if level == socket.SOL_SOCKET and kind == SO_TIMESTAMPNS and len(data) >= 16:
            sec, nsec = struct.unpack("qq", data[:16])
            return sec + nsec / 1e9
    return time.time()


def _realtime() -> None:
    """Run as a real-time (SCHED_FIFO) task when allowed: on a loaded machine a normal task wakes up
    milliseconds late, which would be added to the fibre latency (measured: +17% RTT at load 9 on 2 cores).
    SCHED_RESET_ON_FORK: nothing it might start inherits the real-time class (an FRR daemon that did would
    starve the machine)."""
    with contextlib.suppress(OSError, AttributeError):
        os.sched_setscheduler(0, os.SCHED_FIFO | os.SCHED_RESET_ON_FORK, os.sched_param(10))


def _tight_timer_slack() -> None:
    """Wake-ups at 1 us slack instead of the default 50 us: the delay is what the design says, not later."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_TIMERSLACK, 1000, 0, 0, 0)
    except (OSError, AttributeError):  # not Linux glibc: the default slack only adds ~50 us
        pass


def main(argv: list[str]) -> int:
    """`python -m netweave.lab.delayline SPEC.json`."""
    if len(argv) != 1:
        print("usage: python -m netweave.lab.delayline SPEC.json", file=sys.stderr)
        return 2
    _tight_timer_slack()  # here, not in run(): only the delay-line process itself may change how it is scheduled
    _realtime()
    run(load_spec(Path(argv[0])))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
