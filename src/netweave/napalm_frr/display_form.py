"""Candidate lines FRR never shows back, so a replace through frr-reload.py can never converge on them.

frr-reload.py compares the candidate with ``show running-config`` as text. Where bgpd accepts a command but
displays the resulting state in another form, the comparison keeps finding a difference: every commit re-sends
the line, and the driver's verify pass reports "did not converge" and restores the old config.

The one such form found in a real lab (BGP unnumbered): an interface neighbor that is a member of a peer-group.
bgpd's ``bgp_config_write_peer_global`` (FRR 8.4.4 as Debian 12 ships it, unchanged through 10.x) writes it as::

    neighbor swp1 interface peer-group FABRIC
    neighbor swp1 remote-as 65100

and prints ``neighbor swp1 interface remote-as 65100`` only for an interface neighbor outside any peer-group.
Given the one-line form for a group member, frr-reload sends ``no neighbor swp1 remote-as 65100`` ("it deletes
the peer", frr-reload.py's own comment) and then the candidate's line, on every commit: measured on FRR 8.4.4,
an Established unnumbered session goes Idle and reconnects (connectionsDropped 0 -> 1) at each re-commit of an
unchanged config. So this is not an equivalence the comparison may hide (applying it is not a no-op); the
driver refuses such a candidate when it is loaded, naming the line and the form to write instead.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_ROUTER_BGP = re.compile(r"^router bgp \S+( vrf \S+)?\s*$")
_INTERFACE_REMOTE_AS = re.compile(r"^ neighbor (?P<peer>\S+) interface(?: v6only)? remote-as (?P<asn>\S+)\s*$")
_INTERFACE_PEER_GROUP = re.compile(r"^ neighbor (?P<peer>\S+) interface(?: v6only)? peer-group (?P<group>\S+)\s*$")
_PEER_GROUP = re.compile(r"^ neighbor (?P<peer>\S+) peer-group (?P<group>\S+)\s*$")
_REMOTE_AS = re.compile(r"^ neighbor (?P<peer>\S+) remote-as \S+\s*$")


@dataclass(frozen=True)
class Undisplayable:
    """One candidate line bgpd will show in another form: where it is and what to write instead."""

    line_number: int
    line: str
    display_form: tuple[str, ...]

    def message(self) -> str:
        shown = "` then `".join(self.display_form)
        return (
            f"line {self.line_number}: `{self.line.strip()}`: FRR shows a peer-group member's interface neighbor as "
            f"`{shown}` and frr-reload compares text, so this line is re-applied (resetting the session) on every "
            f"commit and never converges; write those lines instead"
        )


def undisplayable_lines(config: str) -> list[Undisplayable]:
    """The ``neighbor IF interface [v6only] remote-as AS`` lines of ``config`` whose neighbor is also a member of
    a peer-group in the same ``router bgp`` block (by ``neighbor IF interface [v6only] peer-group PG`` or
    ``neighbor IF peer-group PG``), each with the two lines FRR displays for it. Empty when there are none."""
    found: list[Undisplayable] = []
    block: list[tuple[int, str]] = []
    in_bgp = False
    for number, raw in enumerate([*config.splitlines(), "end"], 1):
        line = raw.rstrip()
        if line and not line.startswith(" "):  # a top-level line ends any router bgp block
            if in_bgp:
                found.extend(_in_block(block))
            in_bgp, block = bool(_ROUTER_BGP.match(line)), []
        elif in_bgp:
            block.append((number, line))
    return found


def _in_block(block: list[tuple[int, str]]) -> list[Undisplayable]:
    groups: dict[str, str] = {}
    with_remote_as: set[str] = set()
    for _, line in block:
        member = _INTERFACE_PEER_GROUP.match(line) or _PEER_GROUP.match(line)
        if member:
            groups[member["peer"]] = member["group"]
        elif remote := _REMOTE_AS.match(line):
            with_remote_as.add(remote["peer"])
    found = []
    for number, line in block:
        remote = _INTERFACE_REMOTE_AS.match(line)
        if remote and remote["peer"] in groups:
            peer, group = remote["peer"], groups[remote["peer"]]
            v6only = " v6only" if " interface v6only " in line else ""
            display = [f"neighbor {peer} interface{v6only} peer-group {group}"]
            if group not in with_remote_as:  # a group's own remote-as is the member's; bgpd prints none for it
                display.append(f"neighbor {peer} remote-as {remote['asn']}")
            found.append(Undisplayable(number, line, tuple(display)))
    return found
