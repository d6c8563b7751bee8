"""The Fabric component: a design, rendered, as one DeviceConfig resource per device.

    fabric = Fabric("dc", "design.yaml", FabricOptions(lab="pulab", batch=2), password=cfg.get_secret("password"))

`plan_fabric` does the work without Pulumi (load, expand, lint, render, target, batch), so tests and the
policies can look at exactly the inputs the stack will register. `Fabric` only turns that plan into
resources:

* one `DeviceConfig` per device, named by device, child of the component;
* batches (`FabricOptions.batch` devices each, in design order) become `depends_on` chains, so Pulumi
  changes one batch at a time like `netweave apply --batch` does, and each device's health check can
  count on the sessions to devices of earlier batches (`settledPeers`);
* lint findings ride on every device (`lintErrors`, `lintWarnings`): the policy pack blocks a preview
  on them and the provider's check refuses them, so a design with errors never reaches a switch;
* a device that cannot be rendered still gets its resource, carrying `renderError`, so the preview
  names every such device instead of stopping at the first one.

With `lab` set, every device is a node of the running FRR lab of that name: the config is the lab's
FRR rendering (`netweave.lab.emulate`) and the device is reached with the FRR driver in its namespace,
as `netweave apply --lab` does. Otherwise targets come from the design's management addresses and an
optional inventory file (`netweave.inventory`); credentials only ever come from the secret inputs.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pulumi

from netweave.errors import DesignError
from netweave.intent.design import Design
from netweave.pipeline import Validated, validate
from netweave.pulumi.inputs import config_hash
from netweave.pulumi.provider import DeviceConfig

MAX_LINT_IN_INPUTS = 20
"""Lint errors copied into each device's inputs (the count is always exact in the lint summary)."""


@dataclass(frozen=True)
class FabricOptions:
    """How the stack applies: the same knobs as `netweave apply`, plus the Pulumi-only ones."""

    lab: str | None = None
    """Target the running FRR lab of this name over its network namespaces."""
    inventory: str | None = None
    """Inventory YAML for real devices (hosts, ports, driver options; never credentials)."""
    dry_run: bool = False
    """Plan only: create/update compare and record the diff, and commit nothing."""
    confirm_seconds: int = 120
    batch: int = 1
    health: bool = True
    health_timeout: float = 60.0
    settle: float = 3.0
    on_delete: str = "forget"
    """`forget` (default: the device keeps its config) or `restore` (the config it had before Pulumi)."""
    backup_dir: str | None = None
    """Where running-config backups go (default: build/<design name> under the working directory)."""
    only: tuple[str, ...] = ()
    """Just these devices (default: all)."""


@dataclass
class FabricPlan:
    """Every device's DeviceConfig inputs (credentials excluded), in apply order, plus the lint summary."""

    design: str
    devices: dict[str, dict[str, Any]] = field(default_factory=dict)
    batches: list[list[str]] = field(default_factory=list)
    lint: dict[str, Any] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


def _validated(design: str | Path | Design) -> Validated:
    if isinstance(design, Design):
        from netweave.expand.expander import expand
        from netweave.lint import lint

        network = expand(design)
        return Validated(design=design, network=network, findings=lint(network))
    return validate(design)


def plan_fabric(design: str | Path | Design, options: FabricOptions | None = None) -> FabricPlan:
    """Load, lint, render and target every device of `design`; raises `DesignError` for a design that
    does not load (a Pulumi program cannot usefully continue), keeps lint errors as data."""
    from netweave.apply.desired import lab_rendered, rendered
    from netweave.apply.inventory import Inventory, Target, build_inventory, lab_inventory, load_inventory_file

    options = options or FabricOptions()
    result = _validated(design)
    network = result.network
    names = [d.name for d in network.devices if not options.only or d.name in options.only]
    errors = [f"[{f.rule}] {f.path}: {f.message}" for f in result.errors]
    warnings = [f for f in result.findings if f.severity != "error"]
    plan = FabricPlan(
        design=result.design.name,
        lint={"errors": len(errors), "warnings": len(warnings), "messages": errors[:MAX_LINT_IN_INPUTS]},
    )
    unreachable: dict[str, str] = {}
    if options.lab:
        desired, emulated = lab_rendered(network, names, options.lab)
        inventory = lab_inventory(network, names, options.lab, emulated)
    else:
        desired = rendered(network, names)
        file = load_inventory_file(Path(options.inventory)) if options.inventory else None
        build_inventory(network, [], file, environ={})  # the file itself (unknown devices) must be right
        inventory = Inventory(targets={})
        for name in names:  # one at a time: a device without a driver is reported on its own resource
            try:  # credentials: the stack's secrets only, never the provider host's environment
                inventory.targets.update(build_inventory(network, [name], file, environ={}).targets)
            except DesignError as exc:
                unreachable[name] = "; ".join(p.message for p in exc.problems)
    plan.notes = list(inventory.notes)
    plan.batches = [names[i : i + max(1, options.batch)] for i in range(0, len(names), max(1, options.batch))]
    batch_of = {name: n for n, batch in enumerate(plan.batches) for name in batch}
    backup_dir = options.backup_dir or str(Path("build") / result.design.name)
    for name in names:
        wanted, device = desired.devices[name], desired.network.device_by_name[name]
        target = inventory.targets.get(name) or Target(
            name=name, nos=device.nos, driver="", host=device.mgmt_ipv4.split("/")[0]
        )
        peers = [key for key, _ in wanted.peers]
        settled = [key for key, peer in wanted.peers if batch_of.get(peer, -1) < batch_of[name]]
        plan.devices[name] = {
            "device": name,
            "nos": target.nos,
            "driver": target.driver,
            "host": target.host,
            "port": target.port,
            "timeout": target.timeout,
            "optionalArgs": dict(target.optional_args),
            "config": wanted.config,
            "configHash": config_hash(wanted.config) if wanted.config else "",
            "renderError": wanted.error,
            "targetError": unreachable.get(name, ""),
            "peers": peers,
            "settledPeers": settled,
            "fabricInterfaces": [i.name for i in device.interfaces if i.kind == "fabric"],
            "confirmSeconds": options.confirm_seconds,
            "health": options.health,
            "healthTimeout": options.health_timeout,
            "settle": options.settle,
            "dryRun": options.dry_run,
            "onDelete": options.on_delete,
            "lab": options.lab or "",
            "backupDir": str(Path(backup_dir).absolute()),
            "lintErrors": errors[:MAX_LINT_IN_INPUTS],
            "lintWarnings": len(warnings),
        }
    return plan


class Fabric(pulumi.ComponentResource):
    """A fabric as Pulumi resources: one `DeviceConfig` child per device (see the module docstring).

    Outputs: `devices` (name -> DeviceConfig), `config_hashes` (name -> desired config sha256),
    `devices_changed` (names whose last create/update changed the device), `lint` (error/warning counts).
    """

    devices: dict[str, DeviceConfig]
    config_hashes: pulumi.Output[Mapping[str, str]]
    devices_changed: pulumi.Output[list[str]]
    lint: dict[str, Any]

    def __init__(
        self,
        name: str,
        design: str | Path | Design,
        options: FabricOptions | None = None,
        *,
        username: pulumi.Input[str] | None = None,
        password: pulumi.Input[str] | None = None,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        super().__init__("netweave:index:Fabric", name, None, opts)
        self.plan = plan_fabric(design, options)
        self.lint = self.plan.lint
        for note in self.plan.notes:
            pulumi.log.info(note, resource=self)
        secret = pulumi.Output.secret(password) if password is not None else None
        self.devices = {}
        previous: list[DeviceConfig] = []
        for batch in self.plan.batches:
            current = []
            for device in batch:
                props = dict(self.plan.devices[device])
                if username is not None:
                    props["username"] = username
                if secret is not None:
                    props["password"] = secret
                resource = DeviceConfig(device, props, pulumi.ResourceOptions(parent=self, depends_on=previous))
                self.devices[device] = resource
                current.append(resource)
            previous = current
        self.config_hashes = pulumi.Output.from_input(
            {device: spec["configHash"] for device, spec in self.plan.devices.items()}
        )
        names = list(self.devices)
        self.devices_changed = pulumi.Output.all(*[self.devices[n].changed for n in names]).apply(
            lambda changed: [n for n, c in zip(names, changed, strict=True) if c]
        )
        self.register_outputs(
            {"configHashes": self.config_hashes, "devicesChanged": self.devices_changed, "lint": self.lint}
        )
