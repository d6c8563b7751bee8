"""The program every stack runs: read the stack's config, build the Fabric, export the outputs.

A stack's `__main__.py` is just::

    from netweave.pulumi.stack import run
    run()

Config keys (namespaced by the project, e.g. `netweave-lab:dryRun`):

    design          design file, relative to the stack directory (default design.yaml)
    lab             name of the running FRR lab to target over its namespaces (lab stacks)
    inventory       inventory YAML for real devices (hosts, ports, driver options; no credentials)
    dryRun          true: plan only, nothing is committed (default false)
    confirmSeconds  commit-confirm window (default 120)
    batchSize       devices changed together, then health-checked (default 1)
    health          check BGP sessions before confirming (default true)
    healthTimeout   seconds for sessions to come up (default 60)
    settle          seconds sessions must stay up (default 3)
    onDelete        forget (default) or restore (the config a device had before Pulumi)
    only            list of devices to manage (default all)
    username        login user
    password        login password: `pulumi config set --secret password` (never in plain text)

Stack outputs: `devicesChanged`, `configHashes` (device -> sha256 of its desired config), `lint`.
"""

from __future__ import annotations

from pathlib import Path
from typing import TypeVar

import pulumi

from netweave.pulumi.fabric import Fabric, FabricOptions

T = TypeVar("T")


def _or_default(value: T | None, default: T) -> T:
    """`value` unless the key is unset (unlike `or`, keeps an explicit false or 0)."""
    return default if value is None else value


def options_from_config(config: pulumi.Config) -> FabricOptions:
    """FabricOptions from the stack's config (defaults as `netweave apply`)."""
    return FabricOptions(
        lab=config.get("lab") or None,
        inventory=config.get("inventory") or None,
        dry_run=config.get_bool("dryRun") or False,
        confirm_seconds=config.get_int("confirmSeconds") or 120,
        batch=config.get_int("batchSize") or 1,
        health=_or_default(config.get_bool("health"), True),
        health_timeout=config.get_float("healthTimeout") or 60.0,
        settle=_or_default(config.get_float("settle"), 3.0),
        on_delete=config.get("onDelete") or "forget",
        backup_dir=config.get("backupDir") or None,
        only=tuple(config.get_object("only") or ()),
    )


def run(name: str | None = None, config: pulumi.Config | None = None) -> Fabric:
    """Build the stack's Fabric from its config and export the stack outputs; returns the Fabric."""
    config = config or pulumi.Config()
    design = Path(config.get("design") or "design.yaml")
    fabric = Fabric(
        name or pulumi.get_stack(),
        design,
        options_from_config(config),
        username=config.get("username"),
        password=config.get_secret("password"),
    )
    pulumi.export("devicesChanged", fabric.devices_changed)
    pulumi.export("configHashes", fabric.config_hashes)
    pulumi.export("lint", fabric.lint)
    return fabric
