"""Starting FRR daemons inside a namespace, loading their config, and talking to them with vtysh.

How config is loaded (FRR 8.4): each daemon starts with ``-f /dev/null`` and the node's integrated
``frr.conf`` is then pushed with ``vtysh -N <netns> -f <file>``. Why not ``-f`` per daemon: a daemon
rejects the other daemons' commands, so that would need the config split per daemon, while our renderers
(like a real FRR box with ``service integrated-vtysh-config``) produce one file; vtysh routes every line to
the daemon that owns it and exits non-zero on any rejected line. Why not ``vtysh -b``: it reads
``/etc/frr/<netns>/frr.conf``, which would spread lab files into /etc. ``/dev/null`` also stops daemons
from reading a stray ``/etc/frr/<netns>/<daemon>.conf``.

Every daemon gets ``-N <netns>`` (path space: sockets and pid files in ``/var/run/frr/<netns>/``), an
explicit ``-i`` pid file, ``-u frr -g frr``, and a log file in that directory. ``-d`` returns only once
the daemon is ready (its vty socket exists), so zebra can be started before the others without polling.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from netweave.lab.errors import LabCommandError, LabEnvironmentError
from netweave.lab.host import netns_exec, run

FRR_BIN_DIR = Path("/usr/lib/frr")
FRR_USER = "frr"
FRR_GROUP = "frr"
# vtysh -N looks for /etc/frr/<netns>/vtysh.conf and complains on stderr when it is absent; harmless.
_VTYSH_NOISE = "Can't open configuration file"


def check_environment(daemons: set[str]) -> None:
    """Raise ``LabEnvironmentError`` saying what to install or how to run when the lab cannot start."""
    problems: list[str] = []
    if os.geteuid() != 0:
        problems.append("network namespaces and FRR need root: run as root (e.g. sudo)")
    for daemon in sorted(daemons):
        if not (FRR_BIN_DIR / daemon).is_file():
            problems.append(f"{FRR_BIN_DIR / daemon} is missing: install Debian package 'frr'")
    tools = (("vtysh", "frr"), ("ip", "iproute2"), ("sysctl", "procps"), ("unshare", "util-linux"))
    for tool, package in tools:
        if shutil.which(tool) is None:
            problems.append(f"`{tool}` is missing: install Debian package '{package}'")
    if problems:
        raise LabEnvironmentError("cannot run an FRR lab here:\n" + "\n".join(f"  - {p}" for p in problems))


def prepare_run_dir(run_dir: Path) -> None:
    """Create the path-space directory owned by frr (daemons drop privileges before writing to it)."""
    run_dir.mkdir(parents=True, exist_ok=True)
    shutil.chown(run_dir, FRR_USER, FRR_GROUP)
    run_dir.chmod(0o755)


def daemon_argv(daemon: str, netns: str, run_dir: Path) -> list[str]:
    """The command line starting ``daemon`` for path space ``netns`` (run inside the namespace)."""
    return [
        str(FRR_BIN_DIR / daemon),
        "-d",
        "-N", netns,
        "-i", str(run_dir / f"{daemon}.pid"),
        "-u", FRR_USER,
        "-g", FRR_GROUP,
        "-f", "/dev/null",
        "--log", f"file:{run_dir / f'{daemon}.log'}",
    ]  # fmt: skip


def as_host(hostname: str, argv: list[str]) -> list[str]:
    """`argv` run in a UTS namespace of its own called `hostname` (what FRR takes its host name from)."""
    return ["unshare", "--uts", "--", "sh", "-c", 'hostname "$0" && exec "$@"', hostname, *argv]


def start_daemon(daemon: str, netns: str, run_dir: Path, hostname: str) -> int:
    """Start ``daemon`` inside ``netns`` with its own UTS namespace named ``hostname``; return its pid.

    Why a UTS namespace: FRR 8.4 ignores ``hostname`` from the config pushed by vtysh and takes the
    kernel host name, so every node would call itself after the host and BGP peers (``show bgp summary
    json`` -> ``hostname``) could not be told apart. ``unshare --uts`` + ``hostname`` fixes it per daemon.
    """
    run(netns_exec(netns, as_host(hostname, daemon_argv(daemon, netns, run_dir))), timeout=30)
    pid_file = run_dir / f"{daemon}.pid"
    try:
        return int(pid_file.read_text().strip())
    except (OSError, ValueError) as exc:
        raise LabCommandError(f"{daemon} in {netns} started but wrote no pid file {pid_file}: {exc}") from exc


def _clean_stderr(text: str) -> str:
    return "\n".join(line for line in text.splitlines() if _VTYSH_NOISE not in line).strip()


def check_config(conf_path: Path) -> str | None:
    """Syntax-check an integrated config without any daemon (``vtysh --dryrun``); None when it is fine."""
    proc = run(["vtysh", "--dryrun", "-f", str(conf_path)], check=False)
    if proc.returncode == 0:
        return None
    return (_clean_stderr(proc.stderr) or proc.stdout.strip() or f"exit code {proc.returncode}")[-2000:]


def apply_config(netns: str, conf_path: Path) -> None:
    """Push an integrated config to the running daemons of ``netns``; raise with vtysh's complaint."""
    proc = run(["vtysh", "-N", netns, "-f", str(conf_path)], check=False, timeout=60)
    if proc.returncode != 0:
        detail = (_clean_stderr(proc.stderr) or proc.stdout.strip())[-2000:]
        raise LabCommandError(f"loading {conf_path} into {netns} failed (vtysh exit {proc.returncode}): {detail}")


def vtysh_command(netns: str, command: str, timeout: float = 15.0, hostname: str | None = None) -> str:
    """Run one vtysh command against the daemons of path space ``netns`` and return its output.

    With ``hostname`` vtysh runs under the node's host name too: vtysh adds its *own* ``hostname`` line to
    ``show running-config``, so run on the host it would report the machine's name next to the node's."""
    argv = ["vtysh", "-N", netns, "-c", command]
    proc = run(as_host(hostname, argv) if hostname else argv, check=False, timeout=timeout)
    if proc.returncode != 0:
        detail = (_clean_stderr(proc.stderr) or proc.stdout.strip())[-2000:]
        raise LabCommandError(f"vtysh -N {netns} -c {command!r} exited {proc.returncode}: {detail}")
    return proc.stdout
