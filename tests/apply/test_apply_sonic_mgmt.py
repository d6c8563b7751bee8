"""A full replace keeps netweave connected to SONiC: the rendered CONFIG_DB carries the management plane the
driver comes in through (eth0's address and gateway in MGMT_INTERFACE, the `mgmt` VRF, sshd untouched), and
the next connection after the commit succeeds.

The switches are the fakes of tests/support/sonic_fake (SONiC's documented config/show commands over a
CONFIG_DB file, real FRR as the bgp container), which answer a new SSH connection only while their running
CONFIG_DB keeps that path as SONiC documents it (tests/support/sonic_fake/mgmt.py: sonic-mgmt_interface,
sonic-mgmt_port, sonic-mgmt_vrf and sonic-ssh-server YANG, interfaces.j2, hostcfgd, the Management VRF
design). The management network here has no DHCP server, so a switch whose config drops its eth0 address is
gone. Not real: the switch image (none runs here).
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import napalm
import pytest
from napalm.base.exceptions import ConnectionException
from typer.testing import CliRunner

import netweave
from netweave.cli import app
from netweave.napalm_sonic.bundle import join
from netweave.render import render_device
from tests.apply.conftest import SECRET, USER, write
from tests.napalm_sonic.conftest import DESIGN
from tests.support.sonic_fake.lab import SonicLab, SonicLabs

pytestmark = pytest.mark.real

FAST = ["--health-timeout", "40", "--settle", "1", "--confirm", "90"]
TACACS_KEY = "Tacacs-key-61d0"
MANAGEMENT: dict[str, Any] = {
    "ntp": ["172.20.255.11"],
    "syslog": [{"host": "172.20.255.20"}],
    "dns": {"servers": ["172.20.255.53"], "domain": "dc1.example.net"},
    "banner": "Authorised access only.",
    "tacacs": [{"host": "172.20.255.40", "key": {"secret": "tacacs_key"}}],
}


@pytest.fixture
def sonic_labs(require_lab: None, tmp_path: Path) -> Iterator[SonicLabs]:
    labs = SonicLabs(tmp_path / "sonic", USER, SECRET)
    yield labs
    left = labs.stop()
    if left:
        pytest.fail(f"fake SONiC teardown left something behind: {left}")


def design_data(**management: Any) -> dict[str, Any]:
    data = copy.deepcopy(DESIGN)
    data["management"] = {**MANAGEMENT, **management}
    return data


def run(*args: object) -> Any:
    return CliRunner().invoke(app, [str(a) for a in args], catch_exceptions=False)


def statuses(result: Any) -> dict[str, str]:
    assert result.stdout.strip(), result.output
    return {d["device"]: d["status"] for d in json.loads(result.stdout)["devices"]}


def test_after_a_full_replace_with_management_the_next_call_still_connects(
    sonic_labs: SonicLabs,
    tmp_path: Path,
    credentials: str,
    monkeypatch: pytest.MonkeyPatch,
    no_secret: Callable[..., None],
) -> None:
    """Factory switches reached at a static eth0 address; `netweave apply` replaces every CONFIG_DB with the
    design's management plane (mgmt VRF on, NTP/syslog/DNS/TACACS+ in it) and commits with confirm, and a
    second call (`plan`, a fresh connection to every switch) still connects and finds nothing to change."""
    monkeypatch.setenv("NETWEAVE_SECRET_TACACS_KEY", TACACS_KEY)
    design = write(tmp_path / "design.yaml", design_data())
    network = netweave.expand(netweave.load(design))
    lab = sonic_labs.start(network, dhcp=False)
    inventory = sonic_labs.inventory(lab, tmp_path / "inventory.yaml")
    common = ["--inventory", inventory, "--format", "json"]
    build = tmp_path / "build"

    applied = run("apply", design, *common, "--yes", "--batch", "3", "--output", build, *FAST)
    assert applied.exit_code == 0, applied.output
    assert set(statuses(applied).values()) == {"applied"}
    for name, fake in lab.switches.items():
        db = fake.running_db()
        device = network.device_by_name[name]
        assert db["MGMT_VRF_CONFIG"] == {"vrf_global": {"mgmtVrfEnabled": "true"}}
        assert db["MGMT_INTERFACE"] == {f"eth0|{device.mgmt_ipv4}": {"gwaddr": device.mgmt_gateway}}
        assert db["TACPLUS_SERVER"]["172.20.255.40"]["passkey"] == TACACS_KEY  # resolved on the way only
        assert db["NTP"]["global"]["vrf"] == "mgmt" and "172.20.255.53" in db["DNS_NAMESERVER"]

    again = run("plan", design, *common)
    assert again.exit_code == 0, again.output
    assert set(statuses(again).values()) == {"unchanged"}
    assert all(fake.refused == [] for fake in lab.switches.values())
    no_secret(applied.output, again.output, directory=build)
    assert TACACS_KEY not in applied.output + again.output


def test_lint_refuses_a_design_that_turns_ssh_off(
    sonic_labs: SonicLabs, tmp_path: Path, credentials: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`api: {ssh: false}` would leave the SONiC driver nothing to connect through: `netweave apply` stops at
    lint (exit 2, the design file's line and path) and touches no switch."""
    monkeypatch.setenv("NETWEAVE_SECRET_TACACS_KEY", TACACS_KEY)
    data = design_data(api={"ssh": False})
    design = write(tmp_path / "design.yaml", data)
    lab = sonic_labs.start(netweave.expand(netweave.load(design)), devices=["spine1"], dhcp=False)
    before = lab.switches["spine1"].running_db()
    inventory = sonic_labs.inventory(lab, tmp_path / "inventory.yaml")
    result = run("apply", design, "--inventory", inventory, "--only", "spine1", "--yes", *FAST)
    assert result.exit_code == 2, result.output
    line = next(ln for ln in result.output.splitlines() if "[management-driver-reachable]" in ln)
    assert line.startswith(f"{design}:") and line.split(":")[1].isdigit(), line
    assert "management.api.ssh" in line and "full replace" in line, line
    assert lab.switches["spine1"].running_db() == before


def _forced(lab: SonicLab, name: str, edit: Callable[[dict[str, Any]], None]) -> str:
    """netweave's rendered bundle for `name`, edited the way no design can make it (lint or the model)."""
    device = lab.network.device_by_name[name]
    files = render_device(lab.network, device).files
    config_db = json.loads(next(t for n, t in files.items() if n.endswith(".config_db.json")))
    edit(config_db)
    return str(join(json.dumps(config_db), next(t for n, t in files.items() if n.endswith(".sonic-frr.conf"))))


def _drop_eth0_address(db: dict[str, Any]) -> None:
    db["MGMT_INTERFACE"] = {}  # a table named empty is removed (netweave.napalm_sonic.bundle)


def _other_gateway(db: dict[str, Any]) -> None:
    (key,) = db["MGMT_INTERFACE"]
    db["MGMT_INTERFACE"][key]["gwaddr"] = "172.20.0.254"


def _eth0_down(db: dict[str, Any]) -> None:
    db["MGMT_PORT"]["eth0"]["admin_status"] = "down"


def _sshd_elsewhere(db: dict[str, Any]) -> None:
    db["SSH_SERVER"] = {"POLICIES": {"ports": "2222"}}


def _no_passwords(db: dict[str, Any]) -> None:
    db["SSH_SERVER"] = {"POLICIES": {"password_authentication": "false"}}


@pytest.mark.parametrize(
    ("edit", "refused"),
    [
        (_drop_eth0_address, "no MGMT_INTERFACE address"),
        (_other_gateway, "not the management gateway"),
        (_eth0_down, "admin down"),
        (_sshd_elsewhere, "port(s) 2222"),
        (_no_passwords, None),  # the connection is answered, the driver's password login is refused
    ],
)
def test_a_forced_config_that_cuts_the_management_path_loses_the_driver(
    sonic_labs: SonicLabs,
    tmp_path: Path,
    credentials: str,
    edit: Callable[[dict[str, Any]], None],
    refused: str | None,
) -> None:
    """The negative the lint rule prevents, forced past it: the driver commits a CONFIG_DB that cuts its own
    path (no commit-confirm), and its next `open()` fails, so the positive test above can fail."""
    data = design_data()
    del data["management"]["tacacs"]  # no secret needed here
    network = netweave.expand(netweave.load(write(tmp_path / "design.yaml", data)))
    lab = sonic_labs.start(network, devices=["spine1"], dhcp=False)
    fake = lab.switches["spine1"]
    driver = napalm.get_network_driver("sonic")
    conn = driver("127.0.0.1", USER, SECRET, optional_args=lab.options("spine1"))
    conn.open()
    try:
        conn.load_replace_candidate(config=_forced(lab, "spine1", edit))
        conn.commit_config()
    finally:
        conn.close()
    again = driver("127.0.0.1", USER, SECRET, timeout=5, optional_args=lab.options("spine1"))
    with pytest.raises(ConnectionException):
        again.open()
    if refused is not None:
        assert fake.refused and refused in fake.refused[-1], fake.refused
    else:
        assert fake.refused == [] and not fake.takes_passwords()
