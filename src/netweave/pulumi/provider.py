"""The DeviceConfig dynamic resource and its provider: one device's config, applied through NAPALM.

Pulumi pickles the provider instance with dill into the stack state and unpickles it in the provider
host for every later operation. Hence the rules this module keeps:

* the provider class lives in an importable module (pickled by reference: the stack's virtualenv must
  have netweave installed, and this module path must not move, or existing stacks cannot be updated);
* the instance has no attributes at all: no client, socket, credential or cache can be pickled;
* network libraries (NAPALM, Nornir, paramiko) are imported inside the methods, through
  `netweave.pulumi.device`, so unpickling needs none of them;
* credentials arrive as (secret) inputs per operation, are listed in `additional_secret_outputs`, and
  every message that can leave a method is redacted first (Pulumi prints provider exceptions).

In `diff(id, olds, news)` Pulumi passes the previous *outputs* as `olds`, so create/update return the
inputs inside their outputs (see `netweave.pulumi.inputs` for the diff rule).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pulumi
from pulumi.dynamic import (
    CheckFailure,
    CheckResult,
    CreateResult,
    DiffResult,
    ReadResult,
    ResourceProvider,
    UpdateResult,
)

import netweave.pulumi.inputs as schema


def _redacted(props: Mapping[str, Any], text: str) -> str:
    """`text` with this resource's credentials masked (every message a method raises goes through it)."""
    from netweave.apply.inventory import Credentials, redact

    creds = Credentials(str(props.get("username") or ""), str(props.get("password") or ""))
    return redact(text, [s for s in creds.secrets() if s != schema.UNKNOWN])


class DeviceConfigProvider(ResourceProvider):
    """CRUD for one device's configuration. Stateless: see the module docstring for why."""

    def check(self, _olds: dict[str, Any], news: dict[str, Any]) -> CheckResult:
        """Inputs valid? (config rendered and hashed, no lint errors, options that can work)."""
        failures = [CheckFailure(prop, _redacted(news, reason)) for prop, reason in schema.problems(news)]
        return CheckResult(schema.with_defaults(news), failures)

    def diff(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> DiffResult:
        """Changed when the config hash, the connection target or the sync state says so; replaced only
        for another device identity (name, NOS)."""
        changes, replaces = schema.diff(olds, news)
        return DiffResult(changes=changes, replaces=replaces, stables=[], delete_before_replace=False)

    def create(self, props: dict[str, Any]) -> CreateResult:
        """Apply the config (or only plan it under dryRun); the id is the device name."""
        outs = self._apply(props, keep_baseline=True)
        return CreateResult(id_=str(props["device"]), outs=outs)

    def update(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> UpdateResult:
        """Apply the new config. The baseline is the config before the first real apply: carried over,
        or recorded now when create was a dry run. Sessions the previous successful apply configured
        must stay up (see `netweave.pulumi.device`)."""
        settled = (olds.get("peers") or []) if olds.get("status") in ("applied", "unchanged") else []
        outs = self._apply(news, keep_baseline=not olds.get("baseline"), also_expect=list(settled))
        outs["baseline"] = olds.get("baseline") or outs.get("baseline", "")
        return UpdateResult(outs=outs)

    def read(self, id_: str, props: dict[str, Any]) -> ReadResult:
        """Refresh: the running config's hash, and whether the device still runs the desired config."""
        from netweave.pulumi import device

        inputs = schema.inputs_of(props)
        try:
            outcome = device.plan(inputs)
        except device.DeviceError as exc:
            raise RuntimeError(_redacted(props, str(exc))) from None
        outs = {**props, "runningHash": outcome.running_hash, "inSync": outcome.in_sync, "diff": outcome.diff}
        return ReadResult(id_=id_, outs={k: v for k, v in outs.items() if not k.startswith("__")})

    def delete(self, _id: str, props: dict[str, Any]) -> None:
        """Never wipes a switch: forget the resource (default), or restore the baseline recorded at
        create when onDelete is `restore`."""
        p = schema.with_defaults(props)
        if p["onDelete"] != "restore" or p["dryRun"]:
            pulumi.log.info(f"{p['device']}: removed from the stack; the device keeps its running config")
            return
        if not p.get("baseline"):
            raise RuntimeError(
                f"{p['device']}: onDelete is restore but no baseline was recorded at create "
                "(the running config then was masked or never read); the device was not changed"
            )
        from netweave.pulumi import device

        restore = {**schema.inputs_of(p), "config": p["baseline"], "health": False}
        try:
            device.apply(restore)
        except device.DeviceError as exc:
            raise RuntimeError(_redacted(props, str(exc))) from None

    def _apply(
        self, props: Mapping[str, Any], keep_baseline: bool, also_expect: list[str] | None = None
    ) -> dict[str, Any]:
        from netweave.pulumi import device

        inputs = schema.inputs_of(props)
        if failures := schema.problems(inputs):
            raise ValueError(_redacted(props, "; ".join(f"{k}: {r}" for k, r in failures)))
        try:
            outcome = (
                device.plan(inputs) if inputs["dryRun"] else device.apply(inputs, keep_baseline, also_expect or [])
            )
        except device.DeviceError as exc:
            raise RuntimeError(_redacted(props, str(exc))) from None
        return {**inputs, **outcome.outputs(), "baseline": outcome.baseline}


class DeviceConfig(pulumi.dynamic.Resource, module="netweave", name="DeviceConfig"):
    """One device's configuration, applied through NAPALM (see `DeviceConfigProvider`).

    Inputs are the keys of `netweave.pulumi.inputs` (device, nos, driver, host, config, configHash, ...);
    `password` is forced secret and, with the recorded baseline, kept encrypted in the state.
    """

    device: pulumi.Output[str]
    configHash: pulumi.Output[str]
    status: pulumi.Output[str]
    diff: pulumi.Output[str]
    changed: pulumi.Output[bool]
    inSync: pulumi.Output[bool]
    runningHash: pulumi.Output[str]
    password: pulumi.Output[str]

    def __init__(self, name: str, props: Mapping[str, Any], opts: pulumi.ResourceOptions | None = None) -> None:
        args: dict[str, Any] = {**props}
        if args.get("password"):
            args["password"] = pulumi.Output.secret(args["password"])
        for key in schema.OUTPUTS:
            args.setdefault(key, None)
        secret = pulumi.ResourceOptions(additional_secret_outputs=list(schema.SECRET_OUTPUTS))
        super().__init__(DeviceConfigProvider(), name, args, pulumi.ResourceOptions.merge(opts, secret))
