"""Pure functions from FRR's JSON/text output to NAPALM's documented getter structures.

Kept free of I/O so the mapping (which FRR field feeds which NAPALM key) is unit-testable with
captured output, and the driver methods stay one command plus one parse.
"""

from __future__ import annotations

import re
from typing import Any

# `show bgp vrf all summary json` keys per address family -> NAPALM's address_family names
_AFI_NAMES = {
    "ipv4Unicast": "ipv4",
    "ipv6Unicast": "ipv6",
    "ipv4Multicast": "ipv4_multicast",
    "ipv6Multicast": "ipv6_multicast",
    "ipv4Vpn": "ipv4_vpn",
    "ipv6Vpn": "ipv6_vpn",
    "l2VpnEvpn": "l2vpn_evpn",
    "ipv4Flowspec": "ipv4_flowspec",
    "ipv6Flowspec": "ipv6_flowspec",
    "ipv4LabeledUnicast": "ipv4_labeled_unicast",
    "ipv6LabeledUnicast": "ipv6_labeled_unicast",
}


def os_version(show_version: str) -> str:
    """``FRRouting 8.4.4 (vm) on Linux(...)`` -> ``8.4.4`` (whole first line if unrecognised)."""
    first = show_version.strip().splitlines()[0] if show_version.strip() else ""
    match = re.match(r"FRRouting (\S+)", first)
    return match.group(1) if match else first


def configured_hostname(running_config: str) -> str:
    """The ``hostname`` line of a running config, or empty string when none is set."""
    for line in running_config.splitlines():
        if line.startswith("hostname "):
            return line.split(None, 1)[1].strip()
    return ""


def strip_running_header(text: str) -> str:
    """Drop vtysh's ``Building configuration...`` / ``Current configuration:`` preamble."""
    lines = text.splitlines()
    while lines and (
        not lines[0].strip()
        or lines[0].startswith("Building configuration")
        or lines[0].startswith("Current configuration")
    ):
        lines.pop(0)
    return "\n".join(lines) + ("\n" if lines else "")


# FRR commands whose last word is a secret (BGP/OSPF/ISIS/RIP auth, key chains, vty passwords)
_SECRET_LINES = re.compile(
    r"^(\s*(?:"
    r"(?:enable )?password(?: 8)?"
    r"|neighbor \S+ password"
    r"|ip ospf authentication-key"
    r"|ip ospf message-digest-key \d+ md5"
    r"|ipv6 ospf6 authentication key-id \d+ hash-algo \S+ key"
    r"|isis password (?:clear|md5)"
    r"|(?:area|domain)-password (?:clear|md5)"
    r"|key-string"
    r"|ip rip authentication string"
    r"|snmp-server community"
    r")\s+)\S+(.*)$"
)
SANITIZED = "<removed>"


def sanitize_config(text: str) -> str:
    """Replace the secret word of every known secret-bearing FRR command (NAPALM ``sanitized``)."""
    return "\n".join(_SECRET_LINES.sub(rf"\g<1>{SANITIZED}\g<2>", line) for line in text.split("\n"))


def _vrf_name(name: str) -> str:
    return "global" if name == "default" else name


def bgp_neighbors(summary: dict[str, Any], neighbors: dict[str, Any]) -> dict[str, Any]:
    """Build NAPALM's ``get_bgp_neighbors`` result.

    ``summary`` is ``show bgp vrf all summary json`` (per VRF, per address family, peers with
    state, uptime and prefix counts); ``neighbors`` is ``show bgp vrf all neighbors json`` (per
    VRF, per peer: remote router id, description, admin shutdown), which the summary lacks.
    FRR's ``pfxRcd`` counts prefixes accepted after inbound policy; FRR does not report the
    pre-policy count unless soft-reconfiguration inbound is on, so received == accepted here.
    """
    result: dict[str, Any] = {}
    for vrf, families in summary.items():
        if not isinstance(families, dict):
            continue
        vrf_detail = neighbors.get(vrf, {}) if isinstance(neighbors.get(vrf), dict) else {}
        entry: dict[str, Any] = {"router_id": "", "peers": {}}
        for afi_key, afi in families.items():
            if not isinstance(afi, dict) or "peers" not in afi:
                continue
            entry["router_id"] = entry["router_id"] or str(afi.get("routerId", ""))
            for address, peer in afi["peers"].items():
                detail = vrf_detail.get(address, {}) if isinstance(vrf_detail, dict) else {}
                state = str(peer.get("state", ""))
                admin_down = bool(detail.get("adminShutDown")) or peer.get("peerState") == "Admin"
                napalm_peer = entry["peers"].setdefault(
                    address,
                    {
                        "local_as": int(peer.get("localAs", afi.get("as", 0))),
                        "remote_as": int(peer.get("remoteAs", 0)),
                        "remote_id": str(detail.get("remoteRouterId", "")),
                        "is_up": state == "Established",
                        "is_enabled": not admin_down,
                        "description": str(peer.get("desc", detail.get("nbrDesc", ""))),
                        "uptime": int(peer.get("peerUptimeMsec", 0)) // 1000,
                        "address_family": {},
                    },
                )
                received = int(peer.get("pfxRcd", 0))
                napalm_peer["address_family"][_AFI_NAMES.get(afi_key, afi_key)] = {
                    "received_prefixes": received,
                    "accepted_prefixes": received,
                    "sent_prefixes": int(peer.get("pfxSnt", 0)),
                }
        if entry["peers"] or entry["router_id"]:
            result[_vrf_name(vrf)] = entry
    return result
