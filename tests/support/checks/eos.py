"""Structural checks for Arista EOS CLI configs (no EOS parser can run on these machines).

What we can prove without a switch: the text parses into the hierarchy hier_config 3 builds for
``Platform.ARISTA_EOS`` (the same tree netweave's diff/remediation uses), the sections the model
says must exist are there, and a few facts every rendered leaf/spine must satisfy. What we cannot
prove: that each command is valid EOS syntax (cEOS would be needed; see the open question in the
report). Rules and their reasons:

* Indentation: EOS ``show running-config`` indents by 3 spaces per level, no tabs; a line may go
  at most one level deeper than the previous line. Anything else changes the tree hier_config
  builds, so a remediation diff would be wrong.
* No duplicate line under the same parent (hier_config itself refuses duplicates with
  ``DuplicateChildError``; we report them with their line numbers).
* ``hostname`` present; ``mtu`` on interfaces within 68..9214 (EOS IP MTU range on 7050/7280
  series; the fabric's 9216-byte frames correspond to ``mtu 9214``).
* ``router bgp`` needs ``ip routing`` (EOS does not route without it) and a ``router-id``.
* EVPN (``address-family evpn``) needs ``service routing protocols model multi-agent``
  (the ribd model has no EVPN; Arista AVD renders this line for every EVPN device).
* ``rd`` and ``route-target`` values must be ``ASN:NN`` or ``IPv4:NN`` with the field sizes BGP
  allows (RFC 4360 / 5668), because those are what make EVPN routes import across vendors.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from tests.support.checks import CheckProblem, valid_ext_community

__all__ = ["check_eos"]

INDENT = 3
_IFACE_RE = re.compile(
    r"^(Ethernet\d+(/\d+){0,2}(\.\d+)?|Loopback\d+|Management\d+(/\d+)?|Vlan\d+|Vxlan1"
    r"|Port-Channel\d+(\.\d+)?|Tunnel\d+|Recirc-Channel\d+)$"
)
_RD_RE = re.compile(r"^rd\s+(?:(?:evpn|vpn-ipv4|vpn-ipv6)\s+)?(?:domain\s+\S+\s+)?(\S+)$")
_RT_RE = re.compile(r"^route-target\s+(?:import|export|both)\s+(?:(?:evpn|vpn-ipv4|vpn-ipv6)\s+)?(\S+)$")
_MTU_MIN, _MTU_MAX = 68, 9214


def _lines(text: str) -> list[tuple[int, int, str]]:
    """(line number, indent, stripped text) for every line that carries a command."""
    out: list[tuple[int, int, str]] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        stripped = raw.strip()
        if not stripped or stripped.startswith("!") or stripped == "end":
            continue
        out.append((number, len(raw) - len(raw.lstrip(" \t")), stripped))
    return out


def _structure(name: str, text: str) -> tuple[list[CheckProblem], dict[tuple[str, ...], int]]:
    """Indentation and duplicate checks; also returns every section path -> its line number."""
    problems: list[CheckProblem] = []
    paths: dict[tuple[str, ...], int] = {}
    stack: list[str] = []
    duplicated: set[tuple[str, ...]] = set()
    prev_level = -1
    raw_lines = text.splitlines()
    for number, indent, stripped in _lines(text):
        raw = raw_lines[number - 1]
        if "\t" in raw[: len(raw) - len(raw.lstrip())]:
            problems.append(CheckProblem(name, str(number), "tab in indentation (EOS uses 3 spaces)"))
            continue
        if indent % INDENT:
            problems.append(CheckProblem(name, str(number), f"indent of {indent} spaces is not a multiple of {INDENT}"))
            continue
        level = indent // INDENT
        if level > prev_level + 1:
            problems.append(
                CheckProblem(name, str(number), f"indented {level - prev_level} levels below the previous line")
            )
            continue
        del stack[level:]
        path = (*stack, " ".join(stripped.split()))
        if path in paths:
            duplicated.add(path)
            if not any(path[:i] in duplicated for i in range(1, len(path))):  # report the outermost only
                where = " > ".join(path)
                problems.append(CheckProblem(name, str(number), f"duplicate {where!r} (first at line {paths[path]})"))
        else:
            paths[path] = number
        stack.append(path[-1])
        prev_level = level
    return problems, paths


def _parse_hier_config(name: str, text: str) -> list[CheckProblem]:
    """Parse with hier_config as the diff stage will; any exception becomes a problem."""
    try:
        from hier_config import Platform, get_hconfig
    except ImportError:  # hier_config is an optional dependency of the checks
        return []
    try:
        get_hconfig(Platform.ARISTA_EOS, text)
    except Exception as exc:  # hier_config raises plain exceptions for bad input
        return [CheckProblem(name, "", f"hier_config cannot parse the config: {exc}")]
    return []


def _semantics(name: str, paths: dict[tuple[str, ...], int]) -> list[CheckProblem]:
    problems: list[CheckProblem] = []
    top = {p[0]: n for p, n in paths.items() if len(p) == 1}
    if not any(t.startswith("hostname ") for t in top):
        problems.append(CheckProblem(name, "", "no 'hostname' line"))
    bgp = [t for t in top if t.startswith("router bgp ")]
    for section in bgp:
        asn = section.split()[2]
        if not (asn.isdigit() and 1 <= int(asn) <= 0xFFFFFFFF) and not re.fullmatch(r"\d+\.\d+", asn):
            problems.append(CheckProblem(name, str(top[section]), f"invalid BGP AS number {asn!r}"))
        if "ip routing" not in top:
            problems.append(CheckProblem(name, str(top[section]), "'router bgp' without 'ip routing'"))
        if not any(len(p) == 2 and p[0] == section and p[1].startswith("router-id ") for p in paths):
            problems.append(CheckProblem(name, str(top[section]), "'router bgp' without 'router-id'"))
        evpn = (section, "address-family evpn")
        if evpn in paths and "service routing protocols model multi-agent" not in top:
            problems.append(
                CheckProblem(
                    name,
                    str(paths[evpn]),
                    "EVPN needs 'service routing protocols model multi-agent'",
                )
            )
    for path, number in paths.items():
        last = path[-1]
        if len(path) == 1 and last.startswith("interface "):
            for iface in last.split()[1:]:
                if not _IFACE_RE.match(iface.rstrip(",")):
                    problems.append(CheckProblem(name, str(number), f"unknown EOS interface name {iface!r}"))
        if len(path) == 2 and path[0].startswith("interface ") and last.startswith("mtu "):
            value = last.split()[1]
            if not value.isdigit() or not _MTU_MIN <= int(value) <= _MTU_MAX:
                problems.append(
                    CheckProblem(name, str(number), f"mtu {value} outside EOS range {_MTU_MIN}..{_MTU_MAX}")
                )
        m = _RD_RE.match(last)
        if m and m.group(1) != "auto" and not valid_ext_community(m.group(1), allow_wildcard=False):
            problems.append(CheckProblem(name, str(number), f"invalid route distinguisher {m.group(1)!r}"))
        m = _RT_RE.match(last)
        if m and m.group(1) != "auto" and not valid_ext_community(m.group(1), allow_wildcard=False):
            problems.append(CheckProblem(name, str(number), f"invalid route target {m.group(1)!r}"))
    return problems


def check_eos(
    text: str, expected_sections: Iterable[str | Sequence[str]] = (), name: str = "eos.cfg"
) -> list[CheckProblem]:
    """Check an EOS running-config text.

    ``expected_sections`` lists lines that must exist: a string is a top-level line
    (``"interface Ethernet1"``, ``"router bgp 65101"``, ``"vrf instance MGMT"``), a sequence is a
    path into the hierarchy (``("router bgp 65101", "address-family evpn")``). Whitespace is
    normalised before comparing. Returns problems (line number as ``where``); never raises for
    a bad config.
    """
    problems, paths = _structure(name, text)
    problems.extend(_parse_hier_config(name, text))
    for expected in expected_sections:
        path = (expected,) if isinstance(expected, str) else tuple(expected)
        path = tuple(" ".join(p.split()) for p in path)
        if path not in paths:
            problems.append(CheckProblem(name, "", f"missing section {' > '.join(path)!r}"))
    problems.extend(_semantics(name, paths))
    return problems
