"""Judge Arista EOS running-configs against the command forms Arista's own AVD renders, and the platform layout.

EOS has no public parser or schema. The closest published source of what EOS accepts is Arista AVD's
`eos_cli_config_gen` templates (PyPI `pyavd`, shipped as compiled Jinja: `pyavd/_eos_cli_config_gen/
j2templates/compiled_templates/eos__*.py`): every command AVD can put in a running-config, each under the
section it belongs to, written by Arista and tested against EOS. This module derives command patterns from
them and checks every rendered line, in its parent context, against those forms:

* **Derivation.** Each template's output is read from its Python AST in order: literal text is kept, every
  value (`str(...)`, a filter, a variable) becomes "one or more words"; text yielded inside an `if` while a
  line is already open is optional, and so is each piece a `*_cli` variable gains after its first
  assignment (`paths_cli = 'maximum-paths ' ~ n`, then `paths_cli ~ ' ecmp ' ~ m`). The indentation of the
  literal gives the level (3 spaces per level, as `show running-config`), and the last form emitted one level
  up is its parent. The result is a superset of what AVD renders; values are not judged (AVD's templates
  print whatever its schema accepted), keywords and their order are. A line that is one value alone (AVD's
  `tx-queue` prints its `priority` field as the whole line) has no keyword of its own: its keywords are the
  values AVD's schema allows for that field (`Priority: TypeAlias = Literal["priority strict", "no priority"]`
  in `pyavd/_eos_cli_config_gen/schema`), so the form is those values.
* **Matching.** A rendered line must match a form of its level whose parent form matches the line's parent;
  the message names the line and its parent section.
* **Layout.** Interface names anywhere in the config (`interface X`, `neighbor interface X`, ...) must exist
  on the device's platform as the catalogue describes it: on Arista, a multi-lane (breakout-capable) cage N is
  `EthernetN/M` with M in 1..lanes (an 8-lane OSFP is Ethernet1/1..1/8, 2x400G uses /1 and /5), a
  single-lane cage is `EthernetN`; `speed <g>g-<k>` on `EthernetN/M` needs k lanes starting at lane M on a
  boundary of k, within the cage.
* Route distinguishers / targets are checked for BGP encodability (netweave.check.communities), which
  neither AVD's templates nor its schema do.

pyavd is a test/optional dependency: without it the validator raises ValidatorUnavailable naming it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from pathlib import Path

from netweave.check.communities import valid_ext_community
from netweave.check.eos_forms import INDENT, CommandForms, command_forms
from netweave.check.problems import CheckProblem

__all__ = ["CommandForms", "check_eos", "command_forms", "interface_problems", "validate"]

_ETH_RE = re.compile(r"\bEthernet(\d+)(?:/(\d+))?(?:/(\d+))?(?:\.\d+)?\b")
_SPEED_RE = re.compile(r"^speed (?:forced )?(\d+)g-(\d+)$")
_RD_RE = re.compile(r"^rd\s+(?:(?:evpn|vpn-ipv4|vpn-ipv6)\s+)?(?:domain\s+\S+\s+)?(\S+)$")
_RT_RE = re.compile(r"^route-target\s+(?:import|export|both)\s+(?:(?:evpn|vpn-ipv4|vpn-ipv6)\s+)?(\S+)$")


def _lines(text: str) -> Iterator[tuple[int, int, str]]:
    """(line number, level, command) of every line that carries a command. A banner's text (after `banner
    login|motd`, up to its `EOF` line, as AVD's banners.j2 writes it) is free text, not commands."""
    in_banner = False
    for number, raw in enumerate(text.splitlines(), start=1):
        stripped = raw.strip()
        if in_banner:
            in_banner = stripped != "EOF"
            continue
        in_banner = stripped in ("banner login", "banner motd")
        if not stripped or stripped.startswith("!") or stripped == "end":
            continue
        yield number, (len(raw) - len(raw.lstrip(" "))), " ".join(stripped.split())


def form_problems(text: str, name: str, forms: CommandForms) -> list[CheckProblem]:
    """Every line that matches no AVD command form in its parent context (children of such a line are not
    judged: their context is unknown)."""
    problems: list[CheckProblem] = []
    stack: list[tuple[str, frozenset[int]]] = []  # per level: the line and the forms it matched
    for number, indent, command in _lines(text):
        if indent % INDENT or indent // INDENT > len(stack):
            problems.append(CheckProblem(name, f"indentation of {indent} spaces does not nest", line=number, path=""))
            continue
        level = indent // INDENT
        del stack[level:]
        parents = frozenset({-1}) if level == 0 else stack[-1][1]
        if not parents:  # the parent matched nothing: already reported
            stack.append((command, frozenset()))
            continue
        # AVD renders only what differs from the default; EOS takes the negated form of every command too
        negated = command.removeprefix("no ") if command.startswith("no ") else f"no {command}"
        found = forms.matches(command, level, parents) or forms.matches(negated, level, parents)
        if not found:
            where = " > ".join(line for line, _ in stack)
            context = f" under {where!r}" if where else " at top level"
            problems.append(CheckProblem(name, f"no EOS command form {command!r}{context}", line=number, path=where))
        stack.append((command, found))
    return problems


def _cage(platform: object, port: int) -> tuple[int, int] | None:
    """(lanes, cage speed in Gb/s) of front-panel port `port`, or None past the last cage."""
    ports = getattr(platform, "ports", [])
    remaining = port
    for group in ports:
        if remaining <= group.count:
            return group.lanes, int(group.speed)
        remaining -= group.count
    return None


def interface_problems(text: str, name: str, platform: object) -> list[CheckProblem]:
    """Ethernet names and lane speeds against the platform's cages (Arista naming: EthernetN/M on multi-lane
    cages)."""
    problems: list[CheckProblem] = []
    current: tuple[int, int | None] | None = None
    for number, indent, command in _lines(text):
        if indent == 0:
            current = None
        if command.startswith("description ") or " description " in command:
            continue  # a description names the peer's ports, on the peer's platform
        for match in _ETH_RE.finditer(command):
            port, sub = int(match.group(1)), match.group(2)
            cage = _cage(platform, port)
            label = match.group(0)
            if cage is None:
                problems.append(
                    CheckProblem(name, f"{label}: the platform has no port {port}", line=number, path=command)
                )
                continue
            lanes, _speed = cage
            if lanes > 1 and sub is None:
                problems.append(
                    CheckProblem(
                        name,
                        f"{label}: port {port} is a {lanes}-lane cage, named {label}/1..{lanes}",
                        line=number,
                        path=command,
                    )
                )
            elif lanes == 1 and sub is not None:
                problems.append(
                    CheckProblem(name, f"{label}: port {port} has one lane, no /{sub}", line=number, path=command)
                )
            elif sub is not None and not 1 <= int(sub) <= lanes:
                problems.append(
                    CheckProblem(name, f"{label}: port {port} has lanes 1..{lanes}", line=number, path=command)
                )
            elif indent == 0 and command.startswith("interface "):
                current = (port, int(sub) if sub else None)
        problems.extend(_speed_problems(number, indent, command, current, platform, name))
    return problems


def _speed_problems(
    number: int, indent: int, command: str, current: tuple[int, int | None] | None, platform: object, name: str
) -> list[CheckProblem]:
    """`speed <g>g-<k>`: k lanes from lane M, on a k boundary, inside the cage, at most the cage's lane rate."""
    match = _SPEED_RE.match(command)
    if indent == 0 or current is None or match is None:
        return []
    port, sub = current
    cage = _cage(platform, port)
    if cage is None:
        return []
    lanes, cage_speed = cage
    gbps, used = int(match.group(1)), int(match.group(2))
    first = sub or 1
    if used > lanes or (first - 1) % used or first - 1 + used > lanes:
        return [
            CheckProblem(
                name,
                f"speed {gbps}g-{used} uses {used} lanes from lane {first}: a {lanes}-lane cage has {used}-lane "
                f"ports only at lanes {', '.join(str(i + 1) for i in range(0, lanes - used + 1, used)) or 'none'}",
                line=number,
                path=command,
            )
        ]
    if gbps * lanes > cage_speed * used:
        return [
            CheckProblem(name, f"{gbps}G over {used} lanes exceeds the cage's lane rate", line=number, path=command)
        ]
    return []


def _community_problems(text: str, name: str) -> list[CheckProblem]:
    problems: list[CheckProblem] = []
    for number, _indent, command in _lines(text):
        for regex, kind in ((_RD_RE, "route distinguisher"), (_RT_RE, "route target")):
            match = regex.match(command)
            if match and match.group(1) != "auto" and not valid_ext_community(match.group(1), allow_wildcard=False):
                problems.append(CheckProblem(name, f"invalid {kind} {match.group(1)!r}", line=number, path=""))
    return problems


def check_eos(text: str, name: str = "eos.cfg", platform: object | None = None) -> list[CheckProblem]:
    """Judge one EOS running-config: AVD command forms, RD/RT values, and (with a catalogue `Platform`) the
    interface layout. Raises ValidatorUnavailable without pyavd."""
    problems = form_problems(text, name, command_forms())
    problems.extend(_community_problems(text, name))
    if platform is not None:
        problems.extend(interface_problems(text, name, platform))
    return sorted(problems, key=lambda p: (p.line or 0, p.message))


def validate(files: list[Path], platform_of: Mapping[str, str], models: Path | None) -> list[CheckProblem]:
    """Judge every EOS config in `files`; `platform_of` gives each device's catalogue platform for the layout.

    A device whose platform is not in the shipped catalogue is reported (its names cannot be judged).
    Raises ValidatorUnavailable when pyavd is missing.
    """
    del models
    from netweave.catalog import builtin_platforms

    command_forms()
    catalogue = builtin_platforms()
    problems: list[CheckProblem] = []
    for path in files:
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            problems.append(CheckProblem(str(path), f"cannot read: {exc}", line=None, path=""))
            continue
        key = platform_of.get(path.name) or platform_of.get(path.name.split(".", 1)[0])
        platform = catalogue.get(key) if key else None
        if platform is None:
            problems.append(
                CheckProblem(
                    str(path), f"platform {key!r} is not in the catalogue: names not checked", line=None, path=""
                )
            )
        problems.extend(check_eos(text, str(path), platform))
    return problems
