"""A full replace keeps netweave connected to Cumulus Linux (NVUE): the rendered tree keeps the REST API on
and, when the design lists local users, lists the account netweave logs in with; the next call connects.

The switches are the NVUE fake (tests/support/nvue_fake.py, from NVIDIA's NVUE API guide and object model):
an account the applied config no longer lists cannot log in (the guide's warning on replacing the config),
`system api state disabled` leaves no REST API to connect to, and `system api listening-address` that does not
list the switch's eth0 (management VRF) address leaves none where netweave connects.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import napalm
import pytest
from napalm.base.exceptions import ConnectionException

import netweave
from netweave.render import render_device
from tests.apply.conftest import SECRET, USER, fabric_data, nvue_design, nvue_switches, write
from tests.apply.test_apply_nvue_fake import FAST, body, run, statuses
from tests.support.nvue_fake import FakeFabric, inventory_file


@pytest.fixture
def switch(tmp_path: Path) -> Iterator[FakeFabric]:
    """The four cabled fake NVUE switches (tests/apply/conftest.nvue_switches); always stopped."""
    with nvue_switches(tmp_path, USER, SECRET) as fake:
        yield fake


def _design(tmp_path: Path, users: list[dict[str, Any]], api: dict[str, bool] | None = None) -> Path:
    data = nvue_design(fabric_data())
    data["management"] = {"ntp": ["172.20.0.11"], "users": users, **({"api": api} if api else {})}
    return write(tmp_path / "design.yaml", data)


def test_users_listing_the_login_account_keep_netweave_connected(
    switch: FakeFabric, tmp_path: Path, credentials: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NETWEAVE_SECRET_NETOPS_PASSWORD", SECRET)
    design = _design(tmp_path, [{"name": USER, "role": "admin", "password": {"secret": "netops_password"}}])
    inv = inventory_file(tmp_path / "inventory.yaml", switch)
    common: list[str | Path] = ["-i", inv, "--format", "json"]
    applied = run("apply", design, *common, "--yes", "--batch", "4", "--output", tmp_path / "build", *FAST)
    assert applied.exit_code == 0, applied.output
    assert set(statuses(body(applied)).values()) == {"applied"}
    device = switch.devices["spine1"]
    assert list(device.applied["system"]["aaa"]["user"]) == [USER]  # the factory `cumulus` account is gone
    address = switch.devices["spine1"].applied["interface"]["eth0"]["ip"]["address"]
    (mgmt,) = (a.split("/")[0] for a in address)
    # the API listens on the management address only (eth0, in VRF mgmt), on its documented port
    assert device.applied["system"]["api"] == {"state": "enabled", "port": 8765, "listening-address": {mgmt: {}}}
    calls = len(device.requests)
    again = run("plan", design, *common)
    assert again.exit_code == 0, again.output
    assert set(statuses(body(again)).values()) == {"unchanged"} and len(device.requests) > calls
    assert SECRET not in applied.output + again.output


def test_users_without_the_login_account_are_refused_before_the_push(
    switch: FakeFabric, tmp_path: Path, credentials: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NETWEAVE_SECRET_OPS", "Ops-pw-51c0")
    design = _design(tmp_path, [{"name": "ops", "role": "admin", "password": {"secret": "ops"}}])
    inv = inventory_file(tmp_path / "inventory.yaml", switch)
    result = run("apply", design, "--only", "spine1", "-i", inv, "--yes", "--format", "json", *FAST)
    (device,) = body(result)["devices"]
    assert result.exit_code == 1 and device["status"] == "failed"
    assert f"does not list '{USER}'" in device["error"] and "management.users" in device["error"]
    assert switch.devices["spine1"].applied["system"]["hostname"] == "cumulus"  # nothing was pushed


def test_a_tree_with_the_api_off_cuts_the_driver_off(switch: FakeFabric, tmp_path: Path) -> None:
    """The fake is not lenient: the real driver pushes a tree with `system api state disabled` and can
    then no longer connect. This is the design lint refuses (management-driver-reachable)."""
    design = _design(tmp_path, [{"name": USER, "role": "admin", "password": {"secret": "p"}}], {"nvue_api": False})
    network = netweave.expand(netweave.load(design))
    config = next(iter(render_device(network, network.device_by_name["spine1"]).files.values()))
    config = config.replace("NETWEAVE_SECRET_P", SECRET)
    driver = napalm.get_network_driver("nvue")
    args = {"port": switch.port("spine1"), "ca_file": str(switch.cert), "poll_interval": 0.05}
    device = driver("127.0.0.1", USER, SECRET, timeout=5, optional_args=args)
    device.open()
    device.load_replace_candidate(config=config)
    with pytest.raises(ConnectionException):  # the apply itself loses the API it was polling
        device.commit_config()
    assert switch.devices["spine1"].applied["system"]["api"] == {"state": "disabled"}
    with pytest.raises(ConnectionException) as info:
        driver("127.0.0.1", USER, SECRET, timeout=5, optional_args=args).open()
    assert SECRET not in str(info.value)


@pytest.mark.parametrize(
    ("listen", "reachable"),
    [(None, True), ("elsewhere", False), ("localhost", False)],
    ids=["management-address", "another-address", "localhost-only"],
)
def test_the_api_listens_where_the_driver_connects(
    switch: FakeFabric, tmp_path: Path, listen: str | None, reachable: bool
) -> None:
    """The rendered listening address (the eth0 address) keeps the next call connected; the same tree binding
    the API to any other address, pushed through the real driver, leaves nothing where netweave connects."""
    design = _design(tmp_path, [{"name": USER, "role": "admin", "password": {"secret": "p"}}])
    network = netweave.expand(netweave.load(design))
    config = next(iter(render_device(network, network.device_by_name["spine1"]).files.values()))
    config = config.replace("NETWEAVE_SECRET_P", SECRET)
    mgmt = network.device_by_name["spine1"].mgmt_ipv4.split("/")[0]
    assert f"        listening-address:\n          {mgmt}: {{}}\n" in config
    if listen is not None:
        config = config.replace(
            f"          {mgmt}: {{}}\n", f"          {'10.255.0.9' if listen == 'elsewhere' else listen}: {{}}\n"
        )
    driver = napalm.get_network_driver("nvue")
    args = {"port": switch.port("spine1"), "ca_file": str(switch.cert), "poll_interval": 0.05}
    device = driver("127.0.0.1", USER, SECRET, timeout=5, optional_args=args)
    device.open()
    device.load_replace_candidate(config=config)
    if reachable:
        device.commit_config()
        device.close()
        again = driver("127.0.0.1", USER, SECRET, timeout=5, optional_args=args)
        again.open()
        assert again.get_facts()["hostname"] == "spine1"
        again.close()
        return
    with pytest.raises(ConnectionException):  # the apply itself loses the API it was polling
        device.commit_config()
    with pytest.raises(ConnectionException):
        driver("127.0.0.1", USER, SECRET, timeout=5, optional_args=args).open()
