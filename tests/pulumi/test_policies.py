"""The policy pack's validate functions called directly (PolicyPack itself starts a server and blocks,
and runs only under the Pulumi CLI): passing and violating DeviceConfig resources."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from pulumi_policy import EnforcementLevel, PolicyResourceOptions, ResourceValidationArgs
from pulumi_policy.policy import PolicyCustomTimeouts

from netweave.pulumi import policies
from netweave.pulumi.fabric import FabricOptions, plan_fabric
from tests.apply.conftest import fabric_data, write
from tests.conftest import LAB_DESIGN, REPO


def args(
    props: dict[str, Any], config: dict[str, Any] | None = None, resource_type: str = policies.DEVICE_CONFIG_TYPE
) -> ResourceValidationArgs:
    opts = PolicyResourceOptions(
        protect=False,
        ignore_changes=[],
        delete_before_replace=None,
        aliases=[],
        custom_timeouts=PolicyCustomTimeouts(0, 0, 0),
        additional_secret_outputs=[],
    )
    return ResourceValidationArgs(
        resource_type=resource_type,
        props=props,
        urn=f"urn:x::{props.get('device')}",
        name=str(props.get("device")),
        opts=opts,
        provider=None,
        config=config,
    )


def violations(
    validate: policies.ValidateFn,
    props: dict[str, Any],
    config: dict[str, Any] | None = None,
    resource_type: str = policies.DEVICE_CONFIG_TYPE,
) -> list[str]:
    found: list[str] = []
    validate(args(props, config, resource_type), lambda message, urn=None: found.append(message))
    return found


@pytest.fixture(scope="module")
def lab_devices() -> dict[str, dict[str, Any]]:
    """The bundled lab design as its lab stack registers it (FRR text everywhere)."""
    return plan_fabric(LAB_DESIGN, FabricOptions(lab="pupolicy")).devices


def test_clean_designs_pass_both_policies(lab_devices: dict[str, dict[str, Any]]) -> None:
    native = plan_fabric(LAB_DESIGN).devices  # FRR text and SR Linux JSON
    for props in [*lab_devices.values(), *native.values()]:
        assert violations(policies.validate_no_lint_errors, props) == []
        assert violations(policies.validate_forbidden_commands, props) == [], props["device"]


def test_lint_errors_block_every_device(tmp_path: Path) -> None:
    data = fabric_data()
    data["sites"][0]["fabrics"][0]["asn"]["leaf_base"] = 65100  # leaves collide with the spines' ASN space
    plan = plan_fabric(write(tmp_path / "bad.yaml", data), FabricOptions(lab="pupolicy"))
    assert plan.lint["errors"]
    for props in plan.devices.values():
        (message,) = violations(policies.validate_no_lint_errors, props)
        assert "lint errors" in message and props["device"] in message


def test_forbidden_commands_are_reported(lab_devices: dict[str, dict[str, Any]]) -> None:
    leaf1 = lab_devices["leaf1"]
    port = leaf1["fabricInterfaces"][0]
    bad = leaf1["config"].replace(f"interface {port}\n", f"interface {port}\n shutdown\n")
    bad += "no router bgp 4200000001\nwrite erase\nreload\n"
    found = violations(policies.validate_forbidden_commands, {**leaf1, "config": bad})
    assert any("`no router bgp 4200000001`" in m for m in found)
    assert any("`write erase`" in m for m in found) and any("`reload`" in m for m in found)
    assert any(f"fabric port {port}" in m for m in found)
    assert len(found) == 4


def test_shutdown_on_a_non_fabric_port_is_allowed(lab_devices: dict[str, dict[str, Any]]) -> None:
    leaf1 = lab_devices["leaf1"]
    config = leaf1["config"] + "interface eth9\n shutdown\nexit\n"
    assert violations(policies.validate_forbidden_commands, {**leaf1, "config": config}) == []


def test_the_list_is_configurable(lab_devices: dict[str, dict[str, Any]]) -> None:
    leaf1 = lab_devices["leaf1"]
    config = {"forbidden": [r"^bgp bestpath as-path multipath-relax$"], "fabricPortShutdown": False}
    (message,) = violations(policies.validate_forbidden_commands, leaf1, config)
    assert "multipath-relax" in message


def test_srlinux_json_admin_state_disable_on_a_fabric_port() -> None:
    spine1 = plan_fabric(LAB_DESIGN).devices["spine1"]
    data = json.loads(spine1["config"])
    port = spine1["fabricInterfaces"][0]
    for iface in policies._json_interfaces(data):
        if iface.get("name") == port:
            iface["admin-state"] = "disable"
    found = violations(policies.validate_forbidden_commands, {**spine1, "config": json.dumps(data)})
    assert found == [f"spine1: the config shuts down fabric port {port} (a link to another switch)"]


def test_other_resource_types_are_ignored() -> None:
    props = {"device": "x", "config": "reload\n", "lintErrors": ["e"]}
    for validate in (policies.validate_no_lint_errors, policies.validate_forbidden_commands):
        assert violations(validate, props, resource_type="aws:s3/bucket:Bucket") == []


def test_the_pack_is_mandatory_and_wired_to_these_policies() -> None:
    assert all(p.enforcement_level is EnforcementLevel.MANDATORY for p in policies.POLICIES)
    assert {p.name for p in policies.POLICIES} == {"netweave-no-lint-errors", "netweave-forbidden-commands"}
    main = (REPO / "policy" / "__main__.py").read_text()
    assert "policy_pack()" in main and (REPO / "policy" / "PulumiPolicy.yaml").is_file()
