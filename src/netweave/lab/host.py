"""Thin wrappers over the host tools the lab drives: iproute2, sysctl, and /proc.

Everything goes through ``run`` so a failure always raises ``LabCommandError`` quoting the command and
its stderr, never a bare ``CalledProcessError``. Functions here know nothing about plans or state.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import time
from collections.abc import Iterable, Sequence
from pathlib import Path

from netweave.lab.errors import LabCommandError

NETNS_DIR = Path("/var/run/netns")
# Kernel defaults for a router namespace: forward, do not drop asymmetric (ECMP) return traffic, hash
# ECMP on L4 ports like a fabric switch, and skip IPv6 DAD so link-local BGP can start at once.
ROUTER_SYSCTLS: dict[str, str] = {
    "net.ipv4.ip_forward": "1",
    "net.ipv6.conf.all.forwarding": "1",
    "net.ipv4.conf.all.rp_filter": "0",
    "net.ipv4.conf.default.rp_filter": "0",
    "net.ipv4.fib_multipath_hash_policy": "1",
    "net.ipv6.conf.default.accept_dad": "0",
    "net.ipv6.conf.all.accept_dad": "0",
}


def run(
    argv: Sequence[str], *, input: str | None = None, timeout: float = 30.0, check: bool = True
) -> subprocess.CompletedProcess[str]:
    """Run ``argv``; on a non-zero exit (when ``check``) raise ``LabCommandError`` with its stderr."""
    try:
        proc = subprocess.run(list(argv), input=input, capture_output=True, text=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired as exc:
        raise LabCommandError(f"`{' '.join(argv)}` did not finish within {timeout:g} s") from exc
    except FileNotFoundError as exc:
        raise LabCommandError(f"`{argv[0]}` is not installed ({exc})") from exc
    if check and proc.returncode != 0:
        detail = (proc.stderr.strip() or proc.stdout.strip())[-2000:]
        raise LabCommandError(f"`{' '.join(argv)}` exited {proc.returncode}: {detail}")
    return proc


def ip_batch(commands: Iterable[str], netns: str | None = None) -> None:
    """Run many ``ip`` commands in one process (one fork instead of hundreds for a large lab)."""
    lines = "\n".join(commands)
    if not lines:
        return
    argv = ["ip", *(["-n", netns] if netns else []), "-batch", "-"]
    run(argv, input=lines + "\n")


def list_netns() -> list[str]:
    """Names of all named network namespaces on the host (``ip netns list``)."""
    out = run(["ip", "netns", "list"]).stdout
    return sorted(line.split()[0] for line in out.splitlines() if line.strip())


def add_netns(name: str) -> None:
    """Create a named network namespace."""
    run(["ip", "netns", "add", name])


def delete_netns(name: str) -> None:
    """Delete a named network namespace (its interfaces, and their veth peers, go with it)."""
    run(["ip", "netns", "delete", name], check=False)
    # `ip netns delete` leaves the mount point when something still holds it; remove a stale file.
    path = NETNS_DIR / name
    if path.exists():
        subprocess.run(["umount", str(path)], capture_output=True, check=False)
        path.unlink(missing_ok=True)


def netns_exec(netns: str, argv: Sequence[str]) -> list[str]:
    """The argv that runs ``argv`` inside ``netns``."""
    return ["ip", "netns", "exec", netns, *argv]


def set_sysctls(netns: str, values: dict[str, str]) -> None:
    """Set kernel parameters inside ``netns`` (one sysctl process for all of them)."""
    run(netns_exec(netns, ["sysctl", "-q", "-w", *(f"{k}={v}" for k, v in values.items())]))


def netns_inode(name: str) -> int | None:
    """The inode identifying namespace ``name`` (what /proc/<pid>/ns/net links to), if it exists."""
    try:
        return (NETNS_DIR / name).stat().st_ino
    except OSError:
        return None


def _cmdline(pid: int) -> list[str]:
    try:
        raw = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return []
    return [part.decode(errors="replace") for part in raw.split(b"\0") if part]


def _pid_netns_inode(pid: int) -> int | None:
    try:
        link = os.readlink(f"/proc/{pid}/ns/net")  # "net:[4026532177]"
    except OSError:
        return None
    try:
        return int(link[link.index("[") + 1 : link.index("]")])
    except ValueError:
        return None


def pathspace_of(argv: Sequence[str]) -> str | None:
    """The FRR path space (``-N x``, ``-Nx``, ``--pathspace x``/``=x``) in a daemon's argv, if any."""
    for i, arg in enumerate(argv):
        if arg in ("-N", "--pathspace") and i + 1 < len(argv):
            return argv[i + 1]
        if arg.startswith("--pathspace="):
            return arg.split("=", 1)[1]
        if arg.startswith("-N") and len(arg) > 2:
            return arg[2:]
    return None


def find_processes(netns_names: Iterable[str], pathspace_prefix: str) -> list[int]:
    """Pids of processes inside any of ``netns_names`` or started with an FRR path space under a prefix.

    Scanning /proc is what lets ``down`` work without a state file: a daemon whose namespace was
    already deleted is still found by its ``-N`` argument.
    """
    inodes = {ino for ino in (netns_inode(n) for n in netns_names) if ino is not None}
    me = os.getpid()
    found: list[int] = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == me:
            continue
        pid = int(entry.name)
        if _pid_netns_inode(pid) in inodes:
            found.append(pid)
            continue
        space = pathspace_of(_cmdline(pid))
        if space is not None and space.startswith(pathspace_prefix):
            found.append(pid)
    return sorted(found)


def pid_alive(pid: int) -> bool:
    """True while ``pid`` exists and is not a zombie."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[-1].split()[0] != "Z"


def terminate(pids: Iterable[int], grace: float = 5.0) -> list[int]:
    """SIGTERM ``pids``, wait up to ``grace`` seconds, SIGKILL survivors; return the pids signalled."""
    signalled: list[int] = []
    for pid in pids:
        try:
            os.kill(pid, signal.SIGTERM)
            signalled.append(pid)
        except ProcessLookupError:
            continue
    deadline = time.monotonic() + grace
    while time.monotonic() < deadline and any(pid_alive(p) for p in signalled):
        time.sleep(0.05)
    for pid in signalled:
        if pid_alive(pid):
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
    deadline = time.monotonic() + grace
    while time.monotonic() < deadline and any(pid_alive(p) for p in signalled):
        time.sleep(0.05)
    return signalled


def _reap_if_our_child(pid: int) -> None:
    """Collect `pid`'s exit status when it is our exited child (a zombie only we can remove)."""
    with contextlib.suppress(ChildProcessError):  # not our child: its own parent (init for daemons) reaps it
        os.waitpid(pid, os.WNOHANG)


def wait_gone(pids: Iterable[int], timeout: float) -> list[int]:
    """Wait until ``pids`` have left the process table (exited *and* reaped); return those still there.

    Why: ``terminate`` counts a zombie as stopped, but a daemon's pid, its namespace reference and its
    entry in ``ps`` stay until its parent reaps it, and ``lab down`` used to report the lab stopped
    while its daemons were still listed for seconds. FRR daemons are re-parented to init (they
    daemonise), so the wait is for init to reap them. A process that is this process's own child (the
    delay line that `lab up` started when it ran in-process, e.g. under a test runner) has only us to reap
    it, so it is reaped here.
    """
    waiting = list(pids)
    deadline = time.monotonic() + timeout
    while True:
        for pid in waiting:
            _reap_if_our_child(pid)
        waiting = [pid for pid in waiting if Path(f"/proc/{pid}").exists()]
        if not waiting or time.monotonic() >= deadline:
            return waiting
        time.sleep(0.05)
