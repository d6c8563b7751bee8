"""Names of everything the lab creates on the host, derived deterministically from lab and node names.

Why this matters: ``down`` must find a lab's leftovers with no state file at all (after a crash, a
``kill -9`` or a full disk), so every host object is named from the lab name alone:

* network namespace of a node: ``nw-<lab>-<node>``. When that is longer than ``MAX_NETNS_LEN`` (40)
  characters the node part is shortened deterministically to ``<node prefix>-<8 hex of sha256(node)>``
  so the name still starts with ``nw-<lab>-`` and stays unique. 40 keeps FRR's per-namespace socket
  paths (``/var/run/frr/<netns>/staticd.vty``) far below the 108-byte Unix socket limit.
* lab names are ``[a-z0-9][a-z0-9_]{0,19}``: no ``-``, so the prefix ``nw-<lab>-`` of one lab can never
  be the prefix of another lab's namespaces (``nw-a-`` would otherwise match lab ``a-b``).
* veth pairs are created directly inside their two namespaces with their final names (never in the
  root namespace), so they need no host-wide names and vanish with the namespaces.
* FRR path space (``-N``) is the netns name, so vty sockets and pid files live in
  ``/var/run/frr/<netns>/``.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

NETNS_PREFIX = "nw-"
MAX_NETNS_LEN = 40
MAX_LAB_LEN = 20
IFNAMSIZ = 15  # Linux interface names are at most 15 bytes (IFNAMSIZ 16 including the NUL).
FRR_RUN_DIR = Path("/var/run/frr")

LAB_NAME_RE = re.compile(r"^[a-z0-9][a-z0-9_]{0,19}$")
NODE_NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$")
# Linux accepts almost any bytes; we accept what every tool (ip, FRR, vtysh) handles without quoting.
IFNAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,14}$")


def _hex(text: str, n: int) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:n]


def lab_name_problem(lab: str) -> str | None:
    """Return why ``lab`` is not a usable lab name, or None when it is."""
    if LAB_NAME_RE.match(lab):
        return None
    suggestion = re.sub("[^a-z0-9_]", "_", lab.lower())[:MAX_LAB_LEN] or "lab1"
    return (
        f"lab name {lab!r} must match [a-z0-9][a-z0-9_]{{0,19}} (lowercase, digits, '_'; no '-' so one "
        f"lab's namespace prefix never matches another's); e.g. {suggestion!r}"
    )


def node_name_problem(node: str) -> str | None:
    """Return why ``node`` is not a usable node name, or None when it is."""
    if NODE_NAME_RE.match(node):
        return None
    return f"node name {node!r} must match [A-Za-z0-9][A-Za-z0-9_.-]{{0,62}}"


def ifname_problem(ifname: str) -> str | None:
    """Return why ``ifname`` is not a valid Linux interface name for a lab link, or None when it is."""
    if len(ifname.encode()) > IFNAMSIZ:
        return f"interface name {ifname!r} is {len(ifname.encode())} characters; Linux allows at most {IFNAMSIZ}"
    if ifname == "lo":
        return "interface name 'lo' is the namespace's loopback; links need another name such as 'eth1'"
    if not IFNAME_RE.match(ifname):
        return (
            f"interface name {ifname!r} is not a Linux interface name we accept: use letters, digits, "
            f"'_', '.', '-' (no '/', ':' or spaces), starting with a letter or digit, e.g. 'eth1'"
        )
    return None


def netns_prefix(lab: str) -> str:
    """The prefix shared by every namespace of ``lab`` (and by nothing else)."""
    return f"{NETNS_PREFIX}{lab}-"


def netns_name(lab: str, node: str) -> str:
    """The network namespace (and FRR path space) of ``node`` in ``lab``; see the module docstring."""
    name = f"{netns_prefix(lab)}{node}"
    if len(name) <= MAX_NETNS_LEN:
        return name
    keep = MAX_NETNS_LEN - len(netns_prefix(lab)) - 9
    return f"{netns_prefix(lab)}{node[:keep]}-{_hex(node, 8)}"


def frr_run_dir(netns: str) -> Path:
    """Where FRR started with ``-N <netns>`` keeps its vty sockets, zserv socket and pid files."""
    return FRR_RUN_DIR / netns
