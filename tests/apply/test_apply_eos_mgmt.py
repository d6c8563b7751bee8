"""A full replace keeps netweave connected to Arista EOS: the rendered config keeps eAPI (which the NAPALM
`eos` driver talks to) on in the management VRF, and the next call after the commit connects.

The switch is the eAPI fake of tests/apply/test_apply_eos.py, made to run the config a session commits and
to honour its `management api http-commands` block as Arista's EOS User Manual documents eAPI ("Command API",
chapter "eAPI"): the HTTP API server is shut down by default and runs only after `no shutdown` under
`management api http-commands`, and it listens in a VRF only when that VRF's sub-mode says `no shutdown`;
`configure replace`/`rollback clean-config` start from that default. Simplification: the fake serves plain
HTTP on one port whatever `protocol` the config names (the driver is given `transport: http` here).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

import netweave
from netweave.apply import rendered
from netweave.apply.desired import session_peers
from netweave.cli import app
from tests.apply.httpfake import serve
from tests.apply.test_apply_eos import EosFake
from tests.conftest import LAB_DESIGN

MGMT_VRF = "MGMT"


class EosManagedFake(EosFake):
    """EosFake whose running config is what the last committed session held (after `rollback clean-config`),
    and whose eAPI serves only while that config enables it in the management VRF."""

    def __init__(self, peers: list[str]) -> None:
        super().__init__(peers, healthy=True)
        self.running = f"management api http-commands\n   no shutdown\n   !\n   vrf {MGMT_VRF}\n      no shutdown\n"
        self.session: list[str] | None = None
        self.staged: list[str] | None = None

    def run(self, cmd: str) -> Any:
        if cmd == "rollback clean-config":
            self.session = []
            return {}
        committing = re.fullmatch(r"configure session \S+ commit( timer \S+)?", cmd) is not None
        if committing and self.staged is not None:
            self.running, self.staged = "\n".join(self.staged) + "\n", None
        if self.session is not None:
            if cmd == "end":
                self.staged, self.session = self.session, None
                return {}
            self.session.append(cmd)
            return {}
        return super().run(cmd)

    def serving(self) -> bool:
        """eAPI on, and on in the management VRF. The driver sends config lines without indentation, so the
        `management api http-commands` mode is read as EOS does: its sub-commands follow it until a
        command that is not one of them."""
        commands = [line.strip() for line in self.running.splitlines() if line.strip() and line.strip() != "!"]
        if "management api http-commands" not in commands:
            return False
        mode = commands[commands.index("management api http-commands") + 1 :]
        on, vrf_on, in_vrf = False, False, False
        for command in mode:
            if command == f"vrf {MGMT_VRF}":
                in_vrf = True
            elif command in ("no shutdown", "shutdown"):
                if in_vrf:
                    vrf_on = command == "no shutdown"
                else:
                    on = command == "no shutdown"
            elif not command.startswith("protocol "):
                break
        return on and vrf_on


@pytest.fixture
def eos_net(tmp_path: Path) -> netweave.Network:
    """The lab design with EOS spines (as tests/apply/test_apply_eos.py), written to tmp_path/design.yaml."""
    data = yaml.safe_load(LAB_DESIGN.read_text())
    data["sites"][0]["fabrics"][0]["spines"].update(platform="arista-7050cx3-32s", nos="eos")
    path = tmp_path / "design.yaml"
    path.write_text(yaml.safe_dump(data))
    return netweave.expand(netweave.load(path))


def _apply(design: Path, port: int, tmp_path: Path, command: str = "apply") -> Any:
    path = tmp_path / "inventory.yaml"
    path.write_text(f"nos:\n  eos: {{host: 127.0.0.1, port: {port}, transport: http}}\n")
    extra = ["--yes", "--health-timeout", "2", "--settle", "0", "--output", str(tmp_path / "build")]
    args = [command, str(design), "--only", "spine1", "--inventory", str(path), "--format", "json"]
    return CliRunner().invoke(app, args + (extra if command == "apply" else []), catch_exceptions=False)


def test_after_a_full_replace_the_next_call_still_connects(
    eos_net: netweave.Network, tmp_path: Path, credentials: str
) -> None:
    design = tmp_path / "design.yaml"  # written by the eos_net fixture
    config = rendered(eos_net, ["spine1"]).devices["spine1"].config
    assert "management api http-commands" in config
    fake = EosManagedFake([key for key, _ in session_peers(eos_net, "spine1")])
    with serve(fake, fake.serving) as recorder:
        applied = _apply(design, recorder.port, tmp_path)
        assert applied.exit_code == 0, applied.output
        assert "router bgp 65100" in fake.running and fake.serving()
        calls = len(recorder.requests)
        again = _apply(design, recorder.port, tmp_path, "plan")
    assert again.exit_code == 0, again.output
    assert len(recorder.requests) > calls


def test_a_config_without_eapi_in_the_management_vrf_cuts_the_driver_off(
    eos_net: netweave.Network, tmp_path: Path, credentials: str
) -> None:
    """The fake is not lenient: a replace whose eAPI block is shut leaves the next call unreachable."""
    fake = EosManagedFake([key for key, _ in session_peers(eos_net, "spine1")])
    original = rendered

    def without_eapi(network: Any, names: Any, secrets: Any = None) -> Any:
        out = original(network, names)
        for name, desired in out.devices.items():
            text = desired.config.replace("   vrf MGMT\n      no shutdown", "   vrf MGMT\n      shutdown")
            out.devices[name] = type(desired)(device=name, config=text, peers=desired.peers)
        return out

    with pytest.MonkeyPatch.context() as patch, serve(fake, fake.serving) as recorder:
        patch.setattr("netweave.apply.rendered", without_eapi)
        applied = _apply(tmp_path / "design.yaml", recorder.port, tmp_path)
        assert not fake.serving()
        again = _apply(tmp_path / "design.yaml", recorder.port, tmp_path, "plan")
    assert applied.exit_code != 0 or again.exit_code != 0
    assert "unreachable" in again.output, again.output
