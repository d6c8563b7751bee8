"""Query and fault primitives over a running lab, the building blocks of ``lab verify`` and tests.

They take the ``LabState`` returned by ``up`` (or ``load_state``) and a node name, so callers never
handle namespace names or socket paths themselves.
"""

from __future__ import annotations

import json
import shutil
import time
from collections.abc import Callable
from typing import Any, TypeVar

import netweave.lab.frr as frr
import netweave.lab.host as host
from netweave.lab.errors import LabCommandError, LabTimeoutError
from netweave.lab.state import LabState

T = TypeVar("T")


def vtysh(state: LabState, node: str, command: str, timeout: float = 15.0) -> str:
    """Run one vtysh command (e.g. ``show bgp summary``) on ``node`` and return its text output."""
    return frr.vtysh_command(state.node(node).netns, command, timeout=timeout, hostname=node)


def vtysh_json(state: LabState, node: str, command: str, timeout: float = 15.0) -> dict[str, Any]:
    """Run a ``... json`` vtysh command on ``node`` and return the parsed object.

    ``json`` is appended when the command does not end with it. An empty answer (FRR prints nothing for
    some commands when there is nothing to show) is returned as ``{}``.
    """
    if not command.rstrip().endswith(" json"):
        command = f"{command.rstrip()} json"
    out = vtysh(state, node, command, timeout=timeout).strip()
    if not out:
        return {}
    try:
        data = json.loads(out)
    except json.JSONDecodeError as exc:
        raise LabCommandError(f"{node}: {command!r} did not return JSON ({exc}): {out[:500]}") from exc
    if not isinstance(data, dict):
        raise LabCommandError(f"{node}: {command!r} returned {type(data).__name__}, expected an object")
    return data


def ping(state: LabState, node: str, source_ip: str, dest_ip: str, count: int = 1, timeout: float = 2.0) -> bool:
    """True when ``dest_ip`` answers ``count`` pings sent from ``node`` with source ``source_ip``.

    A timeout or loss is a normal ``False`` (verify reports it); a missing ``ping`` binary raises.
    """
    if shutil.which("ping") is None:
        raise LabCommandError("ping is not installed: install Debian package iputils-ping")
    wait = max(1, round(timeout))
    argv = host.netns_exec(
        state.node(node).netns,
        ["ping", "-n", "-q", "-c", str(count), "-W", str(wait), "-I", source_ip, dest_ip],
    )
    proc = host.run(argv, check=False, timeout=timeout * count + 5)
    return proc.returncode == 0


def set_link_state(state: LabState, node: str, ifname: str, up: bool) -> None:
    """Set ``node``'s interface ``ifname`` administratively up or down (the veth peer loses carrier)."""
    host.run(host.netns_exec(state.node(node).netns, ["ip", "link", "set", "dev", ifname, "up" if up else "down"]))


def wait_for(predicate: Callable[[], T], timeout: float = 30.0, interval: float = 0.25, what: str | None = None) -> T:
    """Call ``predicate`` until it returns something truthy and return that; ``LabTimeoutError`` otherwise.

    Exceptions from ``predicate`` count as "not yet" (a daemon still starting may refuse a vty
    connection); the last one is chained to the timeout error to explain why it never became true.
    """
    deadline = time.monotonic() + timeout
    last_exc: Exception | None = None
    last: T | None = None
    while True:
        try:
            last = predicate()
            if last:
                return last
            last_exc = None
        except Exception as exc:
            last_exc = exc
        if time.monotonic() >= deadline:
            label = what or getattr(predicate, "__name__", "condition")
            detail = f"; last error: {last_exc}" if last_exc else f"; last value: {last!r}"
            raise LabTimeoutError(f"{label} not reached within {timeout:g} s{detail}") from last_exc
        time.sleep(interval)
