"""How to reach each device: driver, host, port and driver options, plus the credentials to log in.

The design already knows most of it (every device has a management address and a NOS); what it cannot
know lives in an inventory file or the environment:

```yaml
defaults:                 # every device
  timeout: 30
nos:                      # per NOS (overrides defaults)
  srlinux: {tls_ca: ca.pem, jsonrpc_port: 8443}   # HTTPS unless the design says json_rpc_scheme: http
devices:                  # per device (overrides nos)
  leaf1: {host: 192.0.2.11, transport: ssh, sudo: true}
```

Known keys are `host`, `port`, `driver`, `timeout`, `username` and `optional_args`; any other key is a
driver optional argument (so `transport: netns, netns: nw-lab-leaf1` reads like the FRR driver's docs).

Credentials never come from a file: a key that looks like a secret is refused. The password comes from
`NETWEAVE_<DEVICE>_PASSWORD`, `NETWEAVE_<NOS>_PASSWORD` or `NETWEAVE_PASSWORD` (first set wins; the same
for `_USERNAME`), from a prompt the CLI asks, or (for Pulumi) from a stack secret. `Credentials` masks
itself in `repr`, and every message leaving the apply stage passes through `Inventory.redact`.

This module is shared by `netweave plan/apply/rollback` and the Pulumi provider, so it sits above both.
"""

from __future__ import annotations

import base64
import os
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from netweave.errors import DesignError, Problem
from netweave.network.model import Network
from netweave.nos import find, napalm_drivers, profiles
from netweave.nos.base import NosProfile
from netweave.secrets import placeholder_form

ENV_PREFIX = "NETWEAVE"
MASK = "********"
KNOWN_KEYS = frozenset({"host", "port", "driver", "timeout", "username", "optional_args"})
_SECRET_KEY = re.compile(r"pass|pwd|secret|token|private_?key|api_?key|auth|credential|psk|community", re.IGNORECASE)
"""Inventory keys refused as credentials (`pwd`, `api_key`, `auth_token`, `enable_password`, ...).
Driver options that merely point at a credential (`key_file`) stay allowed."""
_CREDENTIAL_LINE = re.compile(
    r"pass|pwd|secret|key|token|auth|credential|community|psk|hash|encrypted|cipher", re.IGNORECASE
)
"""A config line that names a credential: the only place a login secret is used in a config."""
DEFAULT_TIMEOUT = 60


@dataclass(frozen=True)
class Credentials:
    """A login. `repr` and `str` never show the password."""

    username: str = ""
    password: str = field(default="", repr=False)

    def __str__(self) -> str:
        return f"{self.username or '<no user>'}:{MASK if self.password else ''}"

    def secrets(self) -> list[str]:
        """Every form of the password that could end up in text: itself and HTTP Basic auth."""
        if not self.password:
            return []
        basic = base64.b64encode(f"{self.username}:{self.password}".encode()).decode()
        return [self.password, basic]


@dataclass(frozen=True)
class Target:
    """One device as the appliers reach it."""

    name: str
    nos: str
    """The NOS the pushed config is written for (`frr` for every device of a lab)."""
    driver: str
    host: str
    port: int | None = None
    timeout: int = DEFAULT_TIMEOUT
    optional_args: Mapping[str, Any] = field(default_factory=dict)
    credentials: Credentials = field(default_factory=Credentials, repr=False)

    @property
    def confirm_step(self) -> int | None:
        """Granularity of the driver's commit-confirm timer, or None when it has none (or no NOS profile
        describes the driver: then netweave commits plainly and rolls back explicitly, which is always safe)."""
        napalm = napalm_drivers().get(self.driver)
        return napalm.confirm_step if napalm is not None else None


@dataclass(frozen=True)
class Inventory:
    """Targets by device name, plus notes the CLI shows (e.g. that a lab emulates every NOS)."""

    targets: dict[str, Target]
    notes: list[str] = field(default_factory=list)
    lab: str | None = None
    """Set when every target is a device of the running FRR lab of that name."""
    design_secrets: Mapping[str, str] = field(default_factory=dict)
    """The design's secrets filled into the configs being pushed, placeholder -> value
    (`DesiredSet.secret_values`): masked like credentials in messages; in a backup they go back to their
    placeholders (see `backup_text`)."""

    def redact(self, text: str) -> str:
        """`text` with every credential of every target masked (messages, diffs and logs)."""
        return redact(text, self._secrets())

    def redact_config(self, text: str) -> str:
        """A config with every credential masked where one is used (see `redact_config`)."""
        creds = [t.credentials for t in self.targets.values()]
        anywhere = [s for c in creds for s in c.secrets()[1:]] + list(self.design_secrets.values())
        return redact_config(text, [c.password for c in creds], anywhere)

    def backup_text(self, text: str) -> tuple[str, bool]:
        """What a backup of running config `text` stores, and whether a credential in it had to be masked.

        The design's secrets (BGP keys, AAA keys, communities: whatever apply filled in) go back to their
        placeholders, exactly as the rendered config holds them, so `netweave rollback` can fill them in again
        from the environment; before, they were masked and the backup of any device with a BGP key was
        refused. Login credentials are masked (the backup is then not restorable: a login password is not the
        design's to fill in). When the placeholder form would not give `text` back exactly (see
        `placeholder_form`), the design's secrets are masked too."""
        form = placeholder_form(text, self.design_secrets)
        if form is None:
            masked = self.redact_config(text)
            return masked, masked != text
        creds = [t.credentials for t in self.targets.values()]
        masked = redact_config(form, [c.password for c in creds], [s for c in creds for s in c.secrets()[1:]])
        return masked, masked != form

    def _secrets(self) -> list[str]:
        return [s for t in self.targets.values() for s in t.credentials.secrets()] + list(self.design_secrets.values())

    @property
    def scope(self) -> str:
        """What these targets are, for keeping backups apart: `devices` or `lab-<name>`."""
        return f"lab-{self.lab}" if self.lab else "devices"


def redact(text: str, secrets: Iterable[str]) -> str:
    """`text` with every non-empty secret masked, longest first (a secret containing another is masked whole).

    (The same rule as the FRR driver's; kept here so the inventory needs no NAPALM import.)
    """
    for secret in sorted((s for s in secrets if s), key=len, reverse=True):
        text = text.replace(secret, MASK)
    return text


def redact_config(text: str, secrets: Iterable[str], anywhere: Iterable[str] = ()) -> str:
    """A config (running-config backup) with secrets masked only on the lines where one is used.

    Why not everywhere, as in messages: a short password (`bgp`) also occurs in ordinary config words
    (`router bgp 65001`); masking those rewrote the config and silently made its backup unusable. A login
    secret is used on a line that names a credential (`username admin secret ...`, `"password": ...`,
    `neighbor X password ...`), so it is masked there, whole or inside a token; HTTP Basic forms are long
    and never part of a config word, so they are masked anywhere.
    """
    text = redact(text, anywhere)
    wanted = sorted((s for s in secrets if s), key=len, reverse=True)
    if not any(s in text for s in wanted):
        return text
    lines = text.splitlines(keepends=True)
    for i, line in enumerate(lines):
        if _CREDENTIAL_LINE.search(line):
            lines[i] = redact(line, wanted)
    return "".join(lines)


def _env_key(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9]", "_", name).upper()


def credentials_from_env(
    device: str, nos: str, environ: Mapping[str, str] | None = None, username: str | None = None
) -> Credentials:
    """Device, then NOS, then global environment variables; `username` from the inventory is the
    fallback for the user name only."""
    env = os.environ if environ is None else environ

    def first(suffix: str) -> str | None:
        for scope in (f"{ENV_PREFIX}_{_env_key(device)}", f"{ENV_PREFIX}_{_env_key(nos)}", ENV_PREFIX):
            value = env.get(f"{scope}_{suffix}")
            if value is not None:
                return value
        return None

    return Credentials(username=first("USERNAME") or username or "", password=first("PASSWORD") or "")


@dataclass
class InventoryFile:
    """The parsed inventory file: override layers with the file and line of each for messages."""

    defaults: dict[str, Any] = field(default_factory=dict)
    nos: dict[str, dict[str, Any]] = field(default_factory=dict)
    devices: dict[str, dict[str, Any]] = field(default_factory=dict)
    file: str = ""
    lines: dict[tuple[str | int, ...], int] = field(default_factory=dict)

    def line(self, *path: str | int) -> int | None:
        for cut in range(len(path), -1, -1):
            if (found := self.lines.get(tuple(path[:cut]))) is not None:
                return found
        return None


def load_inventory_file(path: Path) -> InventoryFile:
    """Read and check an inventory file; `DesignError` with file:line for anything wrong in it."""
    from netweave.load.yamlsource import load_yaml

    doc = load_yaml(path)
    data = doc.data if doc.data is not None else {}
    inv = InventoryFile(file=str(path), lines=doc.lines)
    problems: list[Problem] = []

    def problem(message: str, where: tuple[str | int, ...], hint: str = "") -> None:
        problems.append(
            Problem(message, path=".".join(map(str, where)), file=str(path), line=inv.line(*where), hint=hint)
        )

    if not isinstance(data, dict):
        raise DesignError([Problem("an inventory is a mapping with defaults, nos and devices", file=str(path))])
    for key in data:
        if key not in ("defaults", "nos", "devices"):
            problem(f"unknown key '{key}'", (key,), hint="top-level keys are defaults, nos, devices")
    inv.defaults = _entry(data.get("defaults") or {}, ("defaults",), problem)
    for section in ("nos", "devices"):
        block = data.get(section) or {}
        if not isinstance(block, dict):
            problem(f"{section} must map names to settings", (section,))
            continue
        parsed = {str(name): _entry(entry or {}, (section, str(name)), problem) for name, entry in block.items()}
        setattr(inv, section, parsed)
    if problems:
        raise DesignError(problems)
    return inv


def _entry(entry: Any, where: tuple[str, ...], problem: Callable[..., None]) -> dict[str, Any]:
    """One override layer, with flat driver options folded into `optional_args`."""
    if not isinstance(entry, dict):
        problem("must be a mapping of settings", where)
        return {}
    out: dict[str, Any] = {}
    optional: dict[str, Any] = {}
    for key, value in entry.items():
        key = str(key)
        if _SECRET_KEY.search(key):
            problem(
                f"'{key}' looks like a credential; credentials are never read from files",
                (*where, key),
                hint=f"set {ENV_PREFIX}_PASSWORD (or {ENV_PREFIX}_<DEVICE>_PASSWORD) in the environment, "
                "or use --ask-password",
            )
        elif key == "optional_args":
            optional.update(_optional_args(value, (*where, key), problem))
        elif key in ("port", "timeout"):
            if not isinstance(value, int) or isinstance(value, bool) or value <= 0:
                problem(f"{key} must be a positive integer, not {value!r}", (*where, key))
            else:
                out[key] = value
        elif key in KNOWN_KEYS:
            out[key] = str(value)
        else:
            optional[key] = value
    if optional:
        out["optional_args"] = optional
    return out


def _optional_args(value: Any, where: tuple[str, ...], problem: Callable[..., None]) -> dict[str, Any]:
    """A layer's `optional_args` (driver options), refusing any that looks like a credential."""
    if not isinstance(value, dict):
        problem("optional_args must be a mapping", where)
        return {}
    for opt in value:
        if _SECRET_KEY.search(str(opt)):
            problem(
                f"'{opt}' looks like a credential; credentials are never read from files",
                (*where, str(opt)),
                hint=f"set it through {ENV_PREFIX}_* environment variables",
            )
    return {str(k): v for k, v in value.items() if not _SECRET_KEY.search(str(k))}


def _merge(*layers: Mapping[str, Any]) -> dict[str, Any]:
    merged: dict[str, Any] = {"optional_args": {}}
    for layer in layers:
        for key, value in layer.items():
            if key == "optional_args":
                merged["optional_args"] = {**merged["optional_args"], **value}
            else:
                merged[key] = value
    return merged


def _design_options(network: Network, management: str, nos: NosProfile | None) -> dict[str, Any]:
    """The driver options the device's management plane implies (`Napalm.options`), below every file layer."""
    profile = network.management.get(management)
    if nos is None or nos.napalm is None or nos.napalm.options is None or profile is None:
        return {}
    return {"optional_args": nos.napalm.options(profile)}


def build_inventory(
    network: Network,
    devices: Iterable[str],
    file: InventoryFile | None = None,
    environ: Mapping[str, str] | None = None,
    password: str | None = None,
) -> Inventory:
    """Targets for `devices` of `network`: design facts, then the file's layers, then credentials.

    `password` (from a prompt) is used for every device whose environment names none.
    Raises `DesignError` when the file names unknown devices or a device's NOS has no driver.
    """
    file = file or InventoryFile()
    problems: list[Problem] = []
    for name in file.devices:
        if name not in network.device_by_name:
            problems.append(
                Problem(
                    f"unknown device '{name}'",
                    path=f"devices.{name}",
                    file=file.file,
                    line=file.line("devices", name),
                    hint="devices are named as in the design",
                )
            )
    targets: dict[str, Target] = {}
    for name in devices:
        device = network.device_by_name[name]
        nos = find(device.nos)
        merged = _merge(
            _design_options(network, device.management, nos),
            file.defaults,
            file.nos.get(device.nos, {}),
            file.devices.get(name, {}),
        )
        driver = merged.get("driver") or (nos.napalm.driver if nos is not None and nos.napalm is not None else None)
        if driver is None:
            with_driver = [p.name for p in profiles().values() if p.napalm is not None]
            problems.append(
                Problem(
                    f"{name}: no NAPALM driver for NOS '{device.nos}'",
                    path=device.origin,
                    hint=f"drivers exist for {', '.join(with_driver)}; set `driver:` "
                    "for it in the inventory if you have one",
                )
            )
            continue
        creds = credentials_from_env(name, device.nos, environ, merged.get("username"))
        if password is not None and not creds.password:
            creds = Credentials(creds.username, password)
        targets[name] = Target(
            name=name,
            nos=device.nos,
            driver=str(driver),
            host=str(merged.get("host") or device.mgmt_ipv4.split("/")[0]),
            port=merged.get("port"),
            timeout=int(merged.get("timeout", DEFAULT_TIMEOUT)),
            optional_args=merged["optional_args"],
            credentials=creds,
        )
    if problems:
        raise DesignError(problems)
    return Inventory(targets=targets)


def lab_inventory(network: Network, devices: Iterable[str], lab: str, emulated: Mapping[str, str]) -> Inventory:
    """Every device of the running FRR lab `lab`, reached with the FRR driver inside its namespace.

    The lab emulates every NOS with FRR, so the driver is `frr` whatever the design says, and the
    namespace (= FRR path space) comes from the lab's naming rule. No credentials are involved.
    """
    from netweave.lab.naming import netns_name

    targets = {
        name: Target(
            name=name,
            nos="frr",
            driver="frr",
            host=name,
            optional_args={"transport": "netns", "netns": netns_name(lab, name)},
        )
        for name in devices
    }
    notes = [
        f"lab {lab}: every device is reached with the FRR driver over its network namespace, and the "
        "config pushed is the lab's FRR rendering (netweave.lab.emulate), not the device's own NOS config"
    ]
    notes += [f"{device}: {nos} emulated by FRR" for device, nos in sorted(emulated.items()) if device in targets]
    return Inventory(targets=targets, notes=notes, lab=lab)
