"""check and diff through Pulumi's own dynamic-provider host (`pulumi.dynamic.__main__`), fed protobuf
requests as the engine sends them: the provider is unpickled from `__provider` there, and every value
crosses the wire as protobuf (numbers as doubles, unknowns as a sentinel). No device is needed; the
engine itself (the CLI) cannot be installed here, so the requests are built by hand."""

from __future__ import annotations

import asyncio
import importlib.util
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from google.protobuf import struct_pb2
from pulumi.dynamic.dynamic import serialize_provider
from pulumi.runtime import proto, rpc

from netweave.pulumi.fabric import FabricOptions, plan_fabric
from netweave.pulumi.provider import DeviceConfigProvider
from tests.apply.conftest import fabric_data, write
from tests.pulumi.conftest import SECRET, USER, assert_no_secret


def load_host() -> ModuleType:
    """`pulumi.dynamic.__main__` without its last line: importing it as is starts the gRPC server and
    blocks (`main()` at module level). Everything else is Pulumi's code, unchanged."""
    spec = importlib.util.find_spec("pulumi.dynamic.__main__")
    assert spec is not None and spec.loader is not None and spec.origin is not None
    source = spec.loader.get_source(spec.name)  # type: ignore[attr-defined]
    assert source is not None
    body, tail = source.rstrip().rsplit("\n", 1)
    assert tail == "main()", "pulumi.dynamic.__main__ changed shape; update load_host()"
    module = ModuleType("pulumi_dynamic_host")
    exec(compile(body, spec.origin, "exec"), module.__dict__)
    return module


host = load_host()
URN = "urn:pulumi:lab::netweave-lab::netweave:index:Fabric$pulumi-python:dynamic/netweave:DeviceConfig::leaf1"


class Context:
    """The bits of a gRPC servicer context the host uses: abort() with the traceback text."""

    def __init__(self) -> None:
        self.aborted: str | None = None

    def abort(self, code: Any, details: str) -> None:
        self.aborted = details
        raise RuntimeError(details)


def wire(props: dict[str, Any]) -> struct_pb2.Struct:
    loop = asyncio.new_event_loop()
    try:
        return loop.run_until_complete(rpc.serialize_properties(props, {}))
    finally:
        loop.close()


@pytest.fixture
def leaf1(tmp_path: Path) -> dict[str, Any]:
    plan = plan_fabric(write(tmp_path / "d.yaml", fabric_data()), FabricOptions(lab="puhost", confirm_seconds=90))
    provider = serialize_provider(DeviceConfigProvider())
    return {**plan.devices["leaf1"], "username": USER, "password": SECRET, host.PROVIDER_KEY: provider}


def test_check_and_diff_through_the_provider_host(leaf1: dict[str, Any]) -> None:
    servicer = host.DynamicResourceProviderServicer()
    checked = servicer.Check(proto.CheckRequest(urn=URN, olds=wire({}), news=wire(leaf1)), Context())
    assert list(checked.failures) == []
    inputs = rpc.deserialize_properties(checked.inputs)
    assert inputs["confirmSeconds"] == 90 and inputs["onDelete"] == "forget"

    outputs = {**inputs, "status": "applied", "inSync": True, "changed": True, "diff": "+ x"}
    same = servicer.Diff(proto.DiffRequest(id="leaf1", urn=URN, olds=wire(outputs), news=wire(leaf1)), Context())
    assert same.changes == proto.DiffResponse.DIFF_NONE and list(same.replaces) == []

    moved = {**leaf1, "host": "10.9.9.9"}
    changed = servicer.Diff(proto.DiffRequest(id="leaf1", urn=URN, olds=wire(outputs), news=wire(moved)), Context())
    assert changed.changes == proto.DiffResponse.DIFF_SOME and list(changed.replaces) == []

    renamed = {**leaf1, "device": "leaf9"}
    replaced = servicer.Diff(proto.DiffRequest(id="leaf1", urn=URN, olds=wire(outputs), news=wire(renamed)), Context())
    assert replaced.changes == proto.DiffResponse.DIFF_SOME and list(replaced.replaces) == ["device"]

    preview = {**leaf1, "config": rpc.UNKNOWN, "configHash": rpc.UNKNOWN}
    unknown = servicer.Diff(proto.DiffRequest(id="leaf1", urn=URN, olds=wire(outputs), news=wire(preview)), Context())
    assert unknown.changes == proto.DiffResponse.DIFF_SOME


def test_check_failures_reach_the_engine_without_the_password(leaf1: dict[str, Any]) -> None:
    bad = {**leaf1, "lintErrors": ["[asn] fabric1: duplicate ASN"], "optionalArgs": {"token": SECRET}}
    checked = host.DynamicResourceProviderServicer().Check(
        proto.CheckRequest(urn=URN, olds=wire({}), news=wire(bad)), Context()
    )
    failures = {f.property: f.reason for f in checked.failures}
    assert set(failures) == {"lintErrors", "optionalArgs"}
    assert_no_secret(*failures.values())


def test_a_failing_create_reaches_the_engine_without_the_password(leaf1: dict[str, Any]) -> None:
    """The host sends a provider's traceback to the engine (which prints it): it must not carry the login."""
    broken = {**leaf1, "optionalArgs": {"transport": "netns", "netns": f"pu-missing-{SECRET}"}}
    context = Context()
    with pytest.raises(RuntimeError):
        host.DynamicResourceProviderServicer().Create(proto.CreateRequest(urn=URN, properties=wire(broken)), context)
    assert context.aborted is not None and "leaf1" in context.aborted
    assert_no_secret(context.aborted)
