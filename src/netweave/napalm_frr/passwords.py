"""Remove BGP neighbor passwords before frr-reload.py does, so no key ever reaches a command line.

frr-reload.py writes the lines it adds to a file (`vtysh -f`), but it removes each line it deletes with
`vtysh -c configure -c 'router bgp N' -c 'no neighbor X password KEY'`: the whole line, key included, is
an argument of a process that every user of the FRR host can read in `ps` (/proc/<pid>/cmdline) while it
runs. That happens whenever a TCP MD5 key changes (rotation: the old key) or goes away, and when a
commit-confirm or rollback reverts one (the new key). So before every `frr-reload.py --reload` the driver
removes those lines itself through a file of `no neighbor X password` lines (FRR's `no` form takes no key),
and frr-reload.py finds nothing with a key left to delete. A password line that stays exactly as it is
is left alone, so an unchanged key never resets a session.
"""

from __future__ import annotations

import re

PASSWORD = re.compile(r"^ neighbor (?P<peer>\S+) password \S")
"""`neighbor <peer|group> password <key>` one level inside `router bgp` (FRR's running-config form)."""
ROUTER_BGP = re.compile(r"^router bgp \d+(?: vrf \S+)?$")
"""The BGP instance a password belongs to (the default instance or one per VRF)."""


def _passwords(config: str) -> dict[tuple[str, str], str]:
    """(router bgp line, peer) -> the whole password line, for every neighbor password in `config`."""
    found: dict[tuple[str, str], str] = {}
    context: str | None = None
    for line in config.splitlines():
        line = line.rstrip()
        if line and not line.startswith(" "):
            context = line if ROUTER_BGP.match(line) else None
            continue
        match = PASSWORD.match(line)
        if context is not None and match is not None:
            found[(context, match["peer"])] = line
    return found


def password_removals(running: str, target: str) -> str:
    """vtysh input that removes every neighbor password of `running` that `target` does not hold verbatim;
    "" when there is none. The input names peers only, never a key."""
    kept = _passwords(target)
    blocks = [
        f"{context}\n no neighbor {peer} password\nexit\n"
        for (context, peer), line in sorted(_passwords(running).items())
        if kept.get((context, peer)) != line
    ]
    return "".join(blocks)
