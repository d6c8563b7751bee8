"""A full replace keeps netweave connected to SR OS: `netweave apply` pushes the rendered MD-CLI config through
napalm-sros (NETCONF getters, MD-CLI `edit-config exclusive` / `delete configure` / paste / `compare` /
`commit`), and the next call still connects, because the config keeps NETCONF listening, the SSH server on,
the management default route and the user netweave logs in as.

The routers are tests/support/sros_fake (RFC 6241/6242 NETCONF and the MD-CLI as Nokia documents them for
SR OS 25.x), which answer a new connection only while their running config keeps that path. Not real: the
router (no SR OS image runs here) and BGP (the fake reports every configured neighbor Established).
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import napalm
import pytest
import yaml
from typer.testing import CliRunner

import netweave
from netweave.cli import app
from netweave.network.model import Network
from netweave.render import render_device
from tests.apply.conftest import SECRET, USER, write
from tests.conftest import require
from tests.designs import leaf_spine_design
from tests.support.reference import reference_file
from tests.support.sros_fake.server import FakeSros, SrosRouter, factory_config
from tests.support.sros_fake.tree import leaf, parse

pytestmark = pytest.mark.real

FAST = ["--health-timeout", "20", "--settle", "1"]
ROUTER = {"platform": "nokia-7750-sr-1x-48d", "nos": "sros"}


def design_data(**management: Any) -> dict[str, Any]:
    data = leaf_spine_design(spines={"count": 1, **ROUTER}, leaves={"count": 2, **ROUTER, "server_ports": 1})
    data["sites"][0]["fabrics"][0]["addressing"]["management"]["gateway"] = "172.20.0.1"
    data["management"] = {
        "ntp": ["172.20.255.11"],
        "dns": {"servers": ["172.20.255.53"]},
        "banner": "Authorised access only.",
        "users": [{"name": USER, "role": "admin", "password": {"secret": "netops_password"}}],
        **management,
    }
    return data


class Routers:
    """One fake router per device of a network, stopped at the end of the test."""

    def __init__(self) -> None:
        self.fakes: dict[str, FakeSros] = {}

    def start(self, network: Network, names: list[str] | None = None) -> dict[str, FakeSros]:
        yang = reference_file("yang") / "sros-25.10"
        for device in network.devices:
            if names is None or device.name in names:
                factory = factory_config(device.name, device.mgmt_gateway, USER, SECRET)
                self.fakes[device.name] = FakeSros(SrosRouter(device.name, device.mgmt_gateway, yang, factory))
        return self.fakes

    def inventory(self, path: Path) -> Path:
        devices = {name: {"host": fake.address, "port": fake.netconf_port} for name, fake in self.fakes.items()}
        path.write_text(yaml.safe_dump({"defaults": {"timeout": 20}, "devices": devices}))
        return path

    def stop(self) -> None:
        for fake in self.fakes.values():
            fake.stop()


@pytest.fixture
def routers(credentials: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[Routers]:
    """Fake routers (MD-CLI on port 22 of a loopback address of their own: root only); the design's user is
    the one netweave logs in as, with the same password."""
    require(os.geteuid() == 0, "the fake SR OS binds port 22 (napalm-sros's fixed MD-CLI port): needs root")
    monkeypatch.setenv("NETWEAVE_SECRET_NETOPS_PASSWORD", SECRET)
    fleet = Routers()
    yield fleet
    fleet.stop()


def run(*args: object) -> Any:
    return CliRunner().invoke(app, [str(a) for a in args], catch_exceptions=False)


def statuses(result: Any) -> dict[str, str]:
    assert result.stdout.strip(), result.output
    try:
        report = json.loads(result.stdout)
    except json.JSONDecodeError:
        pytest.fail(f"not JSON on stdout:\n{result.stdout}")
    return {d["device"]: d["status"] for d in report["devices"]}


def test_after_a_full_replace_the_next_call_still_connects(
    routers: Routers, tmp_path: Path, no_secret: Callable[..., None]
) -> None:
    """`netweave apply` replaces each router's whole config through napalm-sros; the routers then run exactly
    the rendered config (secrets filled in), and `netweave plan`, new NETCONF and MD-CLI sessions to every
    router, connects and finds nothing to change."""
    design = write(tmp_path / "design.yaml", design_data())
    network = netweave.expand(netweave.load(design))
    fakes = routers.start(network)
    inventory = routers.inventory(tmp_path / "inventory.yaml")
    common = ["--inventory", inventory, "--format", "json"]
    build = tmp_path / "build"

    applied = run("apply", design, *common, "--yes", "--batch", "3", "--output", build, *FAST)
    assert applied.exit_code == 0, applied.output
    assert set(statuses(applied).values()) == {"applied"}
    for name, fake in fakes.items():
        (text,) = render_device(network, network.device_by_name[name]).files.values()
        assert fake.router.running == parse(text.replace("NETWEAVE_SECRET_NETOPS_PASSWORD", SECRET))
        system = fake.router.configure["system"]
        assert isinstance(system, dict)
        assert leaf(system, "management-interface", "netconf", "listen", "admin-state") == "enable"
    before = {name: len(fake.router.sessions) for name, fake in fakes.items()}

    again = run("plan", design, *common)
    assert again.exit_code == 0, again.output
    assert set(statuses(again).values()) == {"unchanged"}
    for name, fake in fakes.items():
        assert fake.router.refused == []
        assert {"netconf netops", "cli netops"} <= set(fake.router.sessions[before[name] :])
    no_secret(applied.output, again.output, directory=build)


def test_lint_refuses_a_design_that_turns_netconf_off(routers: Routers, tmp_path: Path) -> None:
    """`api: {netconf: false}` would leave napalm-sros nothing to connect through: `netweave apply` stops at
    lint (exit 2, the design file's line and path) and touches no router."""
    design = write(tmp_path / "design.yaml", design_data(api={"netconf": False}))
    fakes = routers.start(netweave.expand(netweave.load(design)), ["spine1"])
    before = fakes["spine1"].router.running
    result = run("apply", design, "--inventory", routers.inventory(tmp_path / "inv.yaml"), "--yes", *FAST)
    assert result.exit_code == 2, result.output
    line = next(ln for ln in result.output.splitlines() if "[management-driver-reachable]" in ln)
    assert line.startswith(f"{design}:") and line.split(":")[1].isdigit(), line
    assert "management.api.netconf" in line and "full replace" in line, line
    assert fakes["spine1"].router.running == before and fakes["spine1"].router.sessions == []


def _netconf_off(text: str) -> str:
    return text.replace(
        "listen {\n                    admin-state enable", "listen {\n                    admin-state disable"
    )


def _ssh_off(text: str) -> str:
    return text.replace("server-admin-state enable", "server-admin-state disable")


def _no_management_route(text: str) -> str:
    return text.replace('next-hop "172.20.0.1"', 'next-hop "172.20.0.254"')


def _obsolete_netconf_switch(text: str) -> str:
    """What netweave rendered before: the 25.10-obsolete `netconf admin-state`, no `listen`."""
    return text.replace("listen {\n                    admin-state enable\n                }", "admin-state enable")


@pytest.mark.parametrize(
    ("edit", "refused"),
    [
        (_netconf_off, "netconf listen admin-state is not enable"),
        (_obsolete_netconf_switch, "netconf listen admin-state is not enable"),
        (_ssh_off, "ssh server-admin-state is disable"),
        (_no_management_route, "no default route to 172.20.0.1"),
    ],
)
def test_a_forced_config_that_cuts_the_management_path_loses_the_driver(
    routers: Routers, tmp_path: Path, edit: Callable[[str], str], refused: str
) -> None:
    """The negative the lint rule prevents, forced past it: napalm-sros commits a config that cuts its own
    path; the next `netweave apply` cannot use the router (napalm-sros only prints a failed NETCONF open, so
    apply fails at its first NETCONF read, the backup) and the router refused the connection."""
    design = write(tmp_path / "design.yaml", design_data())
    network = netweave.expand(netweave.load(design))
    fake = routers.start(network, ["spine1"])["spine1"]
    (text,) = render_device(network, network.device_by_name["spine1"]).files.values()
    forced = edit(text.replace("NETWEAVE_SECRET_NETOPS_PASSWORD", SECRET))
    assert forced != text
    conn = napalm.get_network_driver("sros")(fake.address, USER, SECRET, optional_args={"port": fake.netconf_port})
    conn.open()
    try:
        conn.load_replace_candidate(config=forced)
        conn.commit_config()
    finally:
        conn.close()
    assert fake.router.running == parse(forced)

    inventory = routers.inventory(tmp_path / "inv.yaml")
    again = run("apply", design, "--inventory", inventory, "--format", "json", "--yes", *FAST)
    assert again.exit_code == 1, again.output
    # napalm-sros print()s its failed opens: netweave keeps them off stdout, which stays one JSON report
    assert statuses(again)["spine1"] in ("failed", "unreachable"), again.output
    assert "Error in opening" in again.stderr and "Error in opening" not in again.stdout
    assert any(refused in reason for reason in fake.router.refused), fake.router.refused
    assert fake.router.running == parse(forced)  # nothing got through
