"""The DeviceConfig resource's properties: names, defaults, validation and the diff rule, without Pulumi.

Pulumi hands a dynamic provider plain dicts (inputs on check/create, previous *outputs* as `olds` on
diff/update), so the schema lives here as functions over dicts: the provider, the Fabric component and
the policies share one definition, and all of it is testable without the Pulumi engine.

Why the diff rule is what it is: a device is changed when what it should run changes (the config hash),
when the way it is reached changes (driver, host, port, driver options, login) or when the last apply
or refresh found it out of sync (dry run, drift). Only a different device identity (name, NOS) replaces
the resource: a replace is create-new-then-delete-old, and "delete" never wipes a switch anyway, but a
replace for a mere address change would read as "a new switch" in a preview and mislead the reviewer.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from typing import Any

from netweave.nos import napalm_drivers

UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"
"""What Pulumi puts in place of a value not known during preview (pulumi.runtime.rpc.UNKNOWN)."""

IDENTITY = ("device", "nos")
"""Properties whose change means another device: the resource is replaced."""
TARGET = ("driver", "host", "port", "optionalArgs", "username", "password")
"""How the device is reached (a change re-applies the same config over the new connection)."""
SECRET_INPUTS = ("password",)
SECRET_OUTPUTS = ("password", "baseline")
"""Kept encrypted in the state: the login, and the device's pre-Pulumi running config (it may carry
keys of routing protocols that no redaction knows about)."""

ON_DELETE = ("forget", "restore")
_SECRET_KEY = re.compile(r"pass(word|phrase)?|secret|token|private_key", re.IGNORECASE)

DEFAULTS: dict[str, Any] = {
    "port": None,
    "timeout": 60,
    "optionalArgs": {},
    "peers": [],
    "settledPeers": [],
    "fabricInterfaces": [],
    "username": "",
    "password": "",
    "confirmSeconds": 120,
    "health": True,
    "healthTimeout": 60.0,
    "settle": 3.0,
    "dryRun": False,
    "onDelete": "forget",
    "lab": "",
    "backupDir": "build/pulumi",
    "lintErrors": [],
    "lintWarnings": 0,
    "renderError": "",
    "targetError": "",
}
"""Optional inputs and their defaults (required: device, nos, driver, host, config, configHash)."""

OUTPUTS = (
    "status",
    "diff",
    "changed",
    "inSync",
    "runningHash",
    "backup",
    "confirmed",
    "healthCheck",
    "error",
    "baseline",
)
"""Properties only the provider sets (create/update/read); everything else is an input echoed back."""


def config_hash(config: str) -> str:
    """sha256 of a config text: what the state, the diff and the stack outputs compare."""
    return hashlib.sha256(config.encode()).hexdigest()


def with_defaults(props: Mapping[str, Any]) -> dict[str, Any]:
    """`props` with every optional input filled in (and provider-internal keys dropped)."""
    out = {**DEFAULTS, **{k: v for k, v in props.items() if not k.startswith("__")}}
    return out


def inputs_of(props: Mapping[str, Any]) -> dict[str, Any]:
    """The inputs inside a property dict (outputs hold the inputs too: olds in diff are outputs)."""
    return {k: v for k, v in with_defaults(props).items() if k not in OUTPUTS}


def _known(value: Any) -> bool:
    return bool(value != UNKNOWN)


def problems(props: Mapping[str, Any]) -> list[tuple[str, str]]:
    """(property, reason) for every input that cannot work; empty when the resource can be applied.

    Never includes a credential's value in a reason (reasons are shown by `pulumi preview`).
    """
    p = with_defaults(props)
    return [
        *_identity_problems(p),
        *_config_problems(p),
        *_setting_problems(p),
        *_optional_args_problems(p["optionalArgs"]),
        *_confirm_problems(p),
    ]


Problems = list[tuple[str, str]]


def _identity_problems(p: Mapping[str, Any]) -> Problems:
    """Which device, NOS and driver, and how to reach it."""
    out: Problems = []
    for key in ("device", "nos", "driver", "host"):
        if key in ("driver", "host") and p["targetError"]:
            continue
        if _known(p.get(key)) and not (isinstance(p.get(key), str) and p.get(key)):
            out.append((key, f"{key} is required (a non-empty string)"))
    if p["targetError"]:
        out.append(("driver", f"cannot be reached: {p['targetError']}"))
    return out


def _config_problems(p: Mapping[str, Any]) -> Problems:
    """The config to push: rendered, not empty, and hashed from the same rendering."""
    if p["renderError"]:
        return [("config", f"no config could be rendered: {p['renderError']}")]
    config = p.get("config")
    if _known(config) and not (isinstance(config, str) and config.strip()):
        return [("config", "config is empty; a full replace with nothing would wipe the device")]
    if _known(config) and _known(p.get("configHash")) and p.get("configHash") != config_hash(p["config"]):
        return [("configHash", "configHash is not the sha256 of config (set both from one rendering)")]
    return []


def _setting_problems(p: Mapping[str, Any]) -> Problems:
    """Lint errors of the design, an unknown driver, an unknown onDelete policy."""
    out: Problems = []
    if p["lintErrors"]:
        out.append(
            (
                "lintErrors",
                f"the design has {len(p['lintErrors'])} lint error(s); first: "
                f"{p['lintErrors'][0]} (run `netweave validate` and fix them)",
            )
        )
    drivers = napalm_drivers()  # the drivers of the installed NOS profiles, as the inventory uses them
    if _known(p.get("driver")) and p.get("driver") and p["driver"] not in drivers:
        out.append(("driver", f"unknown NAPALM driver {p['driver']!r}; known: {', '.join(sorted(drivers))}"))
    if p["onDelete"] not in ON_DELETE:
        out.append(("onDelete", f"onDelete must be one of {', '.join(ON_DELETE)}, not {p['onDelete']!r}"))
    return out


def _optional_args_problems(args: Any) -> Problems:
    """Driver options: a mapping, and no credential among them (those are secret inputs)."""
    if not _known(args):
        return []
    if not isinstance(args, Mapping):
        return [("optionalArgs", "optionalArgs must be a mapping of driver options")]
    return [
        (
            "optionalArgs",
            f"driver option {key!r} looks like a credential; pass credentials as the secret username/password inputs",
        )
        for key in args
        if _SECRET_KEY.search(str(key))
    ]


def _confirm_problems(p: Mapping[str, Any]) -> Problems:
    """The commit-confirm window: whole seconds, and longer than the health check that must precede it."""
    confirm, timeout, settle = p["confirmSeconds"], p["healthTimeout"], p["settle"]
    # numbers cross the engine as protobuf doubles: 60 arrives as 60.0
    if isinstance(confirm, bool) or not isinstance(confirm, int | float) or confirm != int(confirm) or confirm < 1:
        return [("confirmSeconds", "confirmSeconds must be a positive number of seconds")]
    if p["health"] and confirm <= float(timeout) + float(settle):
        return [
            (
                "confirmSeconds",
                f"confirmSeconds ({confirm}) must exceed healthTimeout + settle "
                f"({float(timeout):g} + {float(settle):g} s), or every change would "
                "revert before it is confirmed",
            )
        ]
    return []


def changed_properties(olds: Mapping[str, Any], news: Mapping[str, Any]) -> list[str]:
    """Inputs whose value differs between the previous outputs and the new inputs (unknown = differs)."""
    old, new = inputs_of(olds), inputs_of(news)
    watched = (*IDENTITY, *TARGET, "configHash")
    return [k for k in watched if not _known(new.get(k)) or old.get(k) != new.get(k)]


def diff(olds: Mapping[str, Any], news: Mapping[str, Any]) -> tuple[bool, list[str]]:
    """(changes, replaces) for Pulumi: see the module docstring for the rule."""
    changed = changed_properties(olds, news)
    replaces = [k for k in changed if k in IDENTITY]
    out_of_sync = olds.get("inSync") is False  # a dry run, a failed apply, or drift found by refresh
    undone = not inputs_of(news)["dryRun"] and olds.get("status") not in ("applied", "unchanged")
    return bool(changed) or out_of_sync or undone, replaces
