"""Pure functions from SONiC ``show`` output to NAPALM's getter structures.

The formats are those of sonic-utilities' ``doc/Command-Reference.md`` (``show version``, ``show lldp
table``, ``show interfaces status``): tabulate tables whose dash line under the header gives each
column's extent (values such as an LLDP port id "GigabitEthernet 0/2" contain spaces, so splitting on
whitespace would misread them).
"""

from __future__ import annotations

import re
from typing import Any

_SPEED = re.compile(r"^(\d+(?:\.\d+)?)([GM])$")


def table(text: str) -> list[dict[str, str]]:
    """Rows of the first dash-ruled table in ``text`` as header -> cell text; stops at the next rule."""
    lines = text.splitlines()
    for index, line in enumerate(lines):
        if index and re.fullmatch(r"\s*-+(\s+-+)*\s*", line):
            spans = [m.span() for m in re.finditer(r"-+", line)]
            header = lines[index - 1]
            names = [_cell(header, spans, i) for i in range(len(spans))]
            rows = []
            for row in lines[index + 1 :]:
                if not row.strip() or set(row.strip()) == {"-"}:
                    break
                rows.append({name: _cell(row, spans, i) for i, name in enumerate(names)})
            return rows
    return []


def _cell(line: str, spans: list[tuple[int, int]], i: int) -> str:
    """Cell ``i``: from the end of column i-1 to the start of column i+1, so right/left alignment both work."""
    start = spans[i - 1][1] if i else 0
    end = spans[i + 1][0] if i + 1 < len(spans) else len(line)
    return line[start:end].strip()


def version_fields(show_version: str) -> dict[str, str]:
    """``Key: value`` lines of ``show version`` (before the docker image table)."""
    fields: dict[str, str] = {}
    for line in show_version.splitlines():
        if line.startswith("Docker images"):
            break
        key, sep, value = line.partition(":")
        if sep and key.strip() and key.strip() not in fields:
            fields[key.strip()] = value.strip()
    return fields


def uptime_seconds(uptime: str) -> float:
    """Seconds from the ``uptime`` line in ``show version`` (``14:40:15 up 3 days, 2:01, ...``); -1 if unreadable."""
    match = re.search(r"up\s+(.*?),\s+\d+\s+users?", uptime) or re.search(r"up\s+(.*?),\s+load", uptime)
    if not match:
        return -1.0
    total = 0.0
    for part in (p.strip() for p in match.group(1).split(",")):
        if m := re.fullmatch(r"(\d+) days?", part):
            total += int(m.group(1)) * 86400
        elif m := re.fullmatch(r"(\d+):(\d+)", part):
            total += int(m.group(1)) * 3600 + int(m.group(2)) * 60
        elif m := re.fullmatch(r"(\d+) min", part):
            total += int(m.group(1)) * 60
        else:
            return -1.0
    return total


def speed_mbps(speed: str) -> float:
    """``100G`` -> 100000.0, ``25G`` -> 25000.0, ``N/A`` -> 0.0 (NAPALM counts Mbit/s)."""
    match = _SPEED.match(speed.strip())
    if not match:
        return 0.0
    value = float(match.group(1))
    return value * 1000 if match.group(2) == "G" else value


def lldp_neighbors(show_lldp_table: str) -> dict[str, list[dict[str, str]]]:
    """NAPALM ``get_lldp_neighbors``: local port -> [{hostname, port}] from ``show lldp table``."""
    out: dict[str, list[dict[str, str]]] = {}
    for row in table(show_lldp_table):
        local = row.get("LocalPort", "")
        if local:
            out.setdefault(local, []).append(
                {"hostname": row.get("RemoteDevice", ""), "port": row.get("RemotePortID", "")}
            )
    return out


def interfaces(show_status: str, ports: dict[str, dict[str, Any]], mac: str) -> dict[str, dict[str, Any]]:
    """NAPALM ``get_interfaces`` from ``show interfaces status`` plus the PORT table's descriptions.

    SONiC gives every front-panel port the system MAC (DEVICE_METADATA ``mac``) and keeps no flap time
    in ``show`` output, so ``last_flapped`` is -1.0 (NAPALM's "unknown").
    """
    out: dict[str, dict[str, Any]] = {}
    for row in table(show_status):
        name = row.get("Interface", "")
        if not name:
            continue
        mtu = row.get("MTU", "")
        out[name] = {
            "is_up": row.get("Oper", "") == "up",
            "is_enabled": row.get("Admin", "") == "up",
            "description": str(ports.get(name, {}).get("description", "")),
            "last_flapped": -1.0,
            "speed": speed_mbps(row.get("Speed", "")),
            "mtu": int(mtu) if mtu.isdigit() else 0,
            "mac_address": mac,
        }
    return out
