"""Each stack's `__main__.py` run in-process under Pulumi mocks (the Pulumi CLI cannot be installed on
these machines; `pulumi.runtime.set_mocks` is the engine stand-in): one DeviceConfig per device of the
stack's design, with the inputs the provider needs, batches as dependencies, and secret credentials."""

from __future__ import annotations

import base64
import json
import runpy
from typing import Any

import pulumi
import pytest
import yaml
from pulumi.runtime import rpc

import netweave
import netweave.pulumi.stack as stack_module
from netweave.pulumi.fabric import Fabric
from netweave.pulumi.inputs import config_hash
from tests.conftest import REPO
from tests.pulumi.conftest import SECRET, USER, Mocks

DEVICE_TYPE = "pulumi-python:dynamic/netweave:DeviceConfig"


def stack_config(env: str, overrides: dict[str, str]) -> dict[str, str]:
    """The stack's Pulumi.<env>.yaml config (as the CLI would pass it: strings), then `overrides`."""
    directory = REPO / "stacks" / env
    project = yaml.safe_load((directory / "Pulumi.yaml").read_text())["name"]
    assert project == f"netweave-{env}"
    stored = yaml.safe_load((directory / f"Pulumi.{env}.yaml").read_text())["config"]
    config = {k: v if isinstance(v, str) else json.dumps(v) for k, v in stored.items()}
    config.update({f"{project}:{k}": v for k, v in overrides.items()})
    return config


def run_stack(
    env: str, overrides: dict[str, str], monkeypatch: pytest.MonkeyPatch, mocks: Mocks | None = None
) -> tuple[Mocks, Fabric]:
    """Run stacks/<env>/__main__.py with its stack config plus `overrides` (password secret) under mocks;
    the Fabric's `devicesChanged` ends up in `mocks.outputs`."""
    directory = REPO / "stacks" / env
    project = f"netweave-{env}"
    monkeypatch.chdir(directory)
    mocks = mocks if mocks is not None else Mocks()
    pulumi.runtime.set_mocks(mocks, project=project, stack=env, preview=False)
    pulumi.runtime.set_all_config(stack_config(env, overrides), secret_keys=[f"{project}:password"])
    built: list[Fabric] = []
    real_run = stack_module.run

    def recording_run(*args: Any, **kwargs: Any) -> Fabric:
        built.append(real_run(*args, **kwargs))
        return built[-1]

    monkeypatch.setattr(stack_module, "run", recording_run)

    @pulumi.runtime.test
    def program() -> pulumi.Output[Any]:
        runpy.run_path(str(directory / "__main__.py"), run_name="__main__")
        fabric = built[0]
        checks = [d.password.is_secret() for d in fabric.devices.values()]
        return pulumi.Output.all(fabric.devices_changed, *[pulumi.Output.from_input(c) for c in checks]).apply(
            lambda values: (secret_flags.extend(values[1:]), mocks.outputs.update(devicesChanged=values[0]))
        )

    secret_flags: list[bool] = []
    program()
    assert secret_flags and all(secret_flags), "every device's password must be a secret Output"
    return mocks, built[0]


def is_secret(value: Any, plain: str) -> bool:
    """`value` as the engine received it is a secret wrapping `plain` (the state keeps it encrypted)."""
    return (
        isinstance(value, dict)
        and value.get(rpc._special_sig_key) == rpc._special_secret_sig
        and value.get("value") == plain
    )


def design_devices(env: str) -> list[str]:
    return [d.name for d in netweave.expand(netweave.load(REPO / "stacks" / env / "design.yaml")).devices]


def test_lab_stack_one_device_config_per_device(monkeypatch: pytest.MonkeyPatch) -> None:
    """The lab stack targets the FRR lab named in its config over namespaces, in batches of batchSize."""
    mocks, fabric = run_stack("lab", {"lab": "pumock", "username": USER, "password": SECRET}, monkeypatch)
    devices = mocks.of_type(":DeviceConfig")
    assert sorted(r.name for r in devices) == sorted(design_devices("lab"))  # registration order is async
    assert len(devices) == len(design_devices("lab"))
    assert all(r.typ == DEVICE_TYPE for r in devices)
    assert len(mocks.of_type(":Fabric")) == 1
    by_name = {r.name: r.inputs for r in devices}
    spine1, leaf1 = by_name["spine1"], by_name["leaf1"]
    assert spine1["nos"] == "frr" and spine1["driver"] == "frr"  # SR Linux spines emulated by FRR in the lab
    assert spine1["optionalArgs"] == {"transport": "netns", "netns": "nw-pumock-spine1"}
    assert "router bgp 65100" in spine1["config"] and spine1["configHash"] == config_hash(spine1["config"])
    assert leaf1["settledPeers"] == leaf1["peers"] and len(leaf1["peers"]) == 2  # spines are batch 1
    assert spine1["settledPeers"] == []
    assert (leaf1["confirmSeconds"], leaf1["healthTimeout"], leaf1["settle"], leaf1["dryRun"]) == (60, 20, 1, False)
    assert leaf1["lintErrors"] == [] and leaf1["renderError"] == "" and leaf1["lab"] == "pumock"
    assert leaf1["username"] == USER and is_secret(leaf1["password"], SECRET)
    provider = base64.b64decode(leaf1["__provider"]["value"])  # the pickled provider: a class reference
    assert SECRET.encode() not in provider and USER.encode() not in provider and len(provider) < 200
    assert fabric.plan.batches == [["spine1", "spine2"], ["leaf1", "leaf2"], ["leaf3", "leaf4"]]
    assert fabric.lint == {"errors": 0, "warnings": 0, "messages": []}


def test_prod_stack_one_device_config_per_device(monkeypatch: pytest.MonkeyPatch) -> None:
    """The prod stack targets real devices at their management addresses with the stack's login, every one
    with a NAPALM driver (NVUE switches through netweave's own `nvue` driver), so check refuses none."""
    mocks, fabric = run_stack("prod", {"username": USER, "password": SECRET, "batchSize": "4"}, monkeypatch)
    devices = mocks.of_type(":DeviceConfig")
    names = design_devices("prod")
    assert sorted(r.name for r in devices) == sorted(names) and len(devices) == len(names) == 70
    network = netweave.expand(netweave.load(REPO / "stacks" / "prod" / "design.yaml"))
    for r in devices:
        device = network.device_by_name[r.name]
        assert r.inputs["host"] == device.mgmt_ipv4.split("/")[0]
        assert r.inputs["nos"] == device.nos and r.inputs["username"] == USER
        assert r.inputs["dryRun"] is True and r.inputs["confirmSeconds"] == 300  # from Pulumi.prod.yaml
        assert r.inputs["optionalArgs"] == {}
        assert r.inputs["driver"] == {"eos": "eos", "sros": "sros", "nvue": "nvue"}[device.nos], r.name
        assert r.inputs["renderError"] == "" and r.inputs["config"]
        assert is_secret(r.inputs["password"], SECRET)
    assert len(fabric.plan.batches) == 18
