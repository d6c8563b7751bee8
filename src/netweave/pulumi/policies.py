"""Policies a preview must pass before a fabric change can reach a switch (pulumi_policy).

Two mandatory policies over every `DeviceConfig`:

* `netweave-no-lint-errors`: the design's lint found errors (they ride on every device's inputs);
* `netweave-forbidden-commands`: a rendered config contains a command that must never be pushed by
  automation: by default `no router bgp`, `reload`, `write erase`, `erase startup-config`, and
  `shutdown` inside the stanza of a fabric port (a port facing another switch). The list is policy
  config (`forbidden`, regular expressions matched against each stripped line) so a team can extend it.

The validate functions are plain functions of (args, report_violation) so tests call them directly;
`policy/__main__.py` only builds the pack (`PolicyPack(...)` starts a server and blocks).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from pulumi_policy import (
    EnforcementLevel,
    PolicyConfigSchema,
    PolicyPack,
    ReportViolation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
)

DEVICE_CONFIG_TYPE = "pulumi-python:dynamic/netweave:DeviceConfig"
"""The resource type of `netweave.pulumi.provider.DeviceConfig` as the engine reports it."""

DEFAULT_FORBIDDEN: tuple[str, ...] = (r"^no router bgp\b", r"^reload\b", r"^write erase\b", r"^erase startup-config\b")
"""Line patterns never allowed in a pushed config (fabric-port shutdown is checked separately)."""

PACK_NAME = "netweave"


def _is_device(args: ResourceValidationArgs) -> bool:
    return args.resource_type == DEVICE_CONFIG_TYPE


def validate_no_lint_errors(args: ResourceValidationArgs, report_violation: ReportViolation) -> None:
    """Block a device whose design has lint errors (what `netweave validate` would exit 2 on)."""
    if not _is_device(args):
        return
    errors = list(args.props.get("lintErrors") or [])
    if errors:
        shown = "; ".join(errors[:3]) + (f" (+{len(errors) - 3} more)" if len(errors) > 3 else "")
        report_violation(
            f"{args.props.get('device', args.name)}: the design has lint errors: {shown}. "
            "Run `netweave validate` on the design and fix them.",
            None,
        )


def fabric_port_shutdowns(config: str, fabric_ports: Iterable[str]) -> list[str]:
    """Fabric ports the config shuts down: `shutdown` in an `interface X` stanza (FRR, EOS, IOS-style
    text), `admin-state: disable` on an interface of a JSON config (SR Linux), or a SONiC CONFIG_DB
    `PORT` entry with `admin_status: down` (the SONiC driver's config is that JSON followed by FRR text)."""
    ports = set(fabric_ports)
    text = config.lstrip()
    if text.startswith("{"):
        try:
            data, _ = json.JSONDecoder().raw_decode(text)
        except json.JSONDecodeError:
            data = None
        if data is not None:
            found = []
            for iface in _json_interfaces(data):
                if iface.get("name") in ports and iface.get("admin-state") == "disable":
                    found.append(str(iface["name"]))
            sonic_ports = data.get("PORT") if isinstance(data, Mapping) else None
            if isinstance(sonic_ports, Mapping):
                for name, port in sonic_ports.items():
                    if name in ports and isinstance(port, Mapping) and port.get("admin_status") == "down":
                        found.append(str(name))
            return found
    found, current = [], None
    for raw in config.splitlines():
        line = raw.strip()
        if not raw.startswith((" ", "\t")):
            match = re.match(r"interface\s+(\S+)", line)
            current = match.group(1) if match else None
        elif current in ports and line == "shutdown":
            found.append(current)
    return found


def _json_interfaces(data: Any) -> list[Mapping[str, Any]]:
    """Every object of an `interface` list anywhere in a JSON config (namespace prefixes ignored)."""
    out: list[Mapping[str, Any]] = []
    if isinstance(data, Mapping):
        for key, value in data.items():
            if key.split(":")[-1] == "interface" and isinstance(value, list):
                out += [v for v in value if isinstance(v, Mapping)]
            else:
                out += _json_interfaces(value)
    elif isinstance(data, list):
        for value in data:
            out += _json_interfaces(value)
    return out


def forbidden_lines(config: str, patterns: Sequence[str] = DEFAULT_FORBIDDEN) -> list[str]:
    """Lines of `config` (stripped) matching any forbidden pattern."""
    compiled = [re.compile(p) for p in patterns]
    return [line.strip() for line in config.splitlines() if any(c.search(line.strip()) for c in compiled)]


def validate_forbidden_commands(args: ResourceValidationArgs, report_violation: ReportViolation) -> None:
    """Block a device whose rendered config contains a forbidden command (see the module docstring)."""
    if not _is_device(args):
        return
    config = str(args.props.get("config") or "")
    settings = args.get_config() or {}
    patterns = list(settings.get("forbidden") or DEFAULT_FORBIDDEN)
    device = args.props.get("device", args.name)
    for line in forbidden_lines(config, patterns):
        report_violation(f"{device}: the config contains the forbidden command `{line}`", None)
    if settings.get("fabricPortShutdown", True):
        for port in fabric_port_shutdowns(config, args.props.get("fabricInterfaces") or []):
            report_violation(f"{device}: the config shuts down fabric port {port} (a link to another switch)", None)


ValidateFn = Callable[[ResourceValidationArgs, ReportViolation], None]

NO_LINT_ERRORS = ResourceValidationPolicy(
    name="netweave-no-lint-errors",
    description="A design with lint errors must not be applied.",
    enforcement_level=EnforcementLevel.MANDATORY,
    validate=validate_no_lint_errors,
)

FORBIDDEN_COMMANDS = ResourceValidationPolicy(
    name="netweave-forbidden-commands",
    description="Rendered configs must not contain commands automation may never push.",
    enforcement_level=EnforcementLevel.MANDATORY,
    validate=validate_forbidden_commands,
    config_schema=PolicyConfigSchema(
        properties={
            "forbidden": {
                "type": "array",
                "items": {"type": "string"},
                "default": list(DEFAULT_FORBIDDEN),
                "description": "regular expressions matched against each stripped config line",
            },
            "fabricPortShutdown": {
                "type": "boolean",
                "default": True,
                "description": "also forbid `shutdown` on ports facing another switch",
            },
        }
    ),
)

POLICIES = [NO_LINT_ERRORS, FORBIDDEN_COMMANDS]


def policy_pack() -> PolicyPack:
    """Start the pack (blocks: this is what `policy/__main__.py` runs under `pulumi preview --policy-pack`)."""
    return PolicyPack(name=PACK_NAME, policies=list(POLICIES), enforcement_level=EnforcementLevel.MANDATORY)
