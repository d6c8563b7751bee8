"""NVUE operational JSON (``nv show ... -o json`` / REST GET) to NAPALM's documented getter shapes.

Pure functions, so each mapping is tested on its own. Field names follow the NVUE show output documented
in NVIDIA's Cumulus Linux 5.x user guide and NVUE command reference; where a field is absent, the NAPALM
"unknown" value is used (-1 for numbers, "" for text) rather than a guess.
"""

from __future__ import annotations

import re
from typing import Any

_SPEED = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([KMGT]?)(?:b(?:ps)?)?\s*$", re.IGNORECASE)
_FACTOR = {"": 1e-6, "K": 1e-3, "M": 1.0, "G": 1e3, "T": 1e6}


def speed_mbps(value: Any) -> float:
    """``800G`` / ``100000`` (Mb/s as a number) -> Mb/s as NAPALM reports it; -1.0 when unknown."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    match = _SPEED.match(str(value or ""))
    if not match:
        return -1.0
    number, unit = match.groups()
    return float(number) * _FACTOR[unit.upper()] if unit else float(number)


def _state_word(link: dict[str, Any], key: str) -> str | None:
    value = link.get(key)
    return str(value).lower() if isinstance(value, str) else None


def interfaces(data: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """`GET /nvue_v1/interface` -> NAPALM `get_interfaces`."""
    out: dict[str, dict[str, Any]] = {}
    for name, iface in sorted(data.items()):
        if not isinstance(iface, dict):
            continue
        link = iface.get("link") or {}
        state = link.get("state") or {}
        oper = _state_word(link, "oper-status")
        admin = _state_word(link, "admin-status")
        is_up = oper == "up" if oper is not None else "up" in state
        is_enabled = admin == "up" if admin is not None else "down" not in state
        mtu = link.get("mtu")
        out[name] = {
            "is_up": bool(is_up),
            "is_enabled": bool(is_enabled),
            "description": str(iface.get("description") or ""),
            "last_flapped": -1.0,
            "speed": speed_mbps(link.get("speed")),
            "mtu": int(mtu) if isinstance(mtu, int) else -1,
            "mac_address": str(link.get("mac-address") or link.get("mac") or ""),
        }
    return out


def lldp_neighbors(per_interface: dict[str, dict[str, Any]]) -> dict[str, list[dict[str, str]]]:
    """`{interface: GET /nvue_v1/interface/<if>/lldp/neighbor}` -> NAPALM `get_lldp_neighbors`.

    Neighbors are keyed by their id (the remote system name in ``nv show interface <if> lldp neighbor``);
    the remote port comes from the neighbor's ``port`` (``name``, else ``description``).
    """
    out: dict[str, list[dict[str, str]]] = {}
    for local, neighbors in sorted(per_interface.items()):
        entries = []
        for neighbor_id, neighbor in sorted((neighbors or {}).items()):
            neighbor = neighbor if isinstance(neighbor, dict) else {}
            chassis = neighbor.get("chassis") or {}
            port = neighbor.get("port") or {}
            hostname = str(chassis.get("system-name") or neighbor_id)
            remote_port = str(port.get("name") or port.get("description") or "")
            entries.append({"hostname": hostname, "port": remote_port})
        if entries:
            out[local] = entries
    return out


def _as_number(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return -1


def bgp_vrf(bgp: dict[str, Any], neighbors: dict[str, Any], fallback_asn: Any = None) -> dict[str, Any]:
    """One VRF's ``router bgp`` and ``router bgp neighbor`` show output -> NAPALM's per-VRF entry.

    A peer is up when its ``state`` is ``established`` (case-insensitive), the BGP FSM state NVUE shows.
    Prefix counters are not part of the neighbor summary, so they are reported as unknown (-1).
    """
    local_as = _as_number(bgp.get("autonomous-system", fallback_asn))
    peers: dict[str, Any] = {}
    for peer, info in sorted(neighbors.items()):
        info = info if isinstance(info, dict) else {}
        state = str(info.get("state") or "").lower()
        uptime = info.get("uptime")
        enabled = str(info.get("enable", "on")).lower() != "off"
        peers[str(peer)] = {
            "local_as": _as_number(info.get("local-as", local_as)),
            "remote_as": _as_number(info.get("remote-as")),
            "remote_id": str(info.get("peer-router-id") or info.get("router-id") or ""),
            "is_up": state == "established",
            "is_enabled": enabled,
            "description": str(info.get("description") or ""),
            "uptime": int(uptime) if isinstance(uptime, int | float) and state == "established" else -1,
            "address_family": {
                "ipv4": {"received_prefixes": -1, "accepted_prefixes": -1, "sent_prefixes": -1},
            },
        }
    return {"router_id": str(bgp.get("router-id") or ""), "peers": peers}
