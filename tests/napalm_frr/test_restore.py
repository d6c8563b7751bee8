"""How the driver judges a restore (after a failed commit, and rollback()) without root or FRR.

The device is a scripted stand-in for the FRR host, ``ScriptedFRR``: its ``frr-reload.py`` answers follow
FRR 8.4's tools/frr-reload.py (``--test`` prints the commands it would run under "Lines To Delete" /
"Lines To Add", nothing under them when the files match; ``--reload`` exits 1 when vtysh refused a line and
logs it as ERROR/WARNING), with the lines measured on a fresh FRR 8.4.4 node (Debian 12) in
tests/apply/test_apply_frr_restore.py. The real behaviour end to end is that real-lab test.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import pytest
from napalm.base.exceptions import CommitError

import netweave.napalm_frr.driver as driver_module
from netweave.napalm_frr import FRRDriver, confirm
from netweave.napalm_frr.transport import CommandResult, Held, Transport

FRESH = "frr version 8.4.4\nfrr defaults traditional\nhostname leaf1\n!\nend\n"

RELOAD_EXIT_1 = """\
2026-11-30 05:09:00,879 \x1b[91m  ERROR\x1b[0m: "interface eth0 --  no" we failed to remove this command
% Refusing to remove a non-existent route
2026-11-30 05:09:01,403  WARNING: frr-reload.py failed due to
"""
"""What frr-reload.py --reload printed restoring a fresh node that did return to its config (measured)."""

BFD_LEFT = "Lines To Delete\n===============\nno bfd\n\nLines To Add\n============\n"
"""--test after one restore pass: bfdd still shows an empty `bfd` node (measured; gone after a second pass)."""

DEFAULTS_LEFT = "Lines To Delete\n===============\n\nLines To Add\n============\nfrr defaults traditional\n"


@dataclass
class ScriptedFRR(Transport):
    """The FRR host: each ``--reload``/``--test`` of rollback.conf answers the next scripted result."""

    reloads: list[tuple[int, str]]
    tests: list[str]
    calls: list[str] = field(default_factory=list)

    def hold(self, argv: Sequence[str], ready: str, timeout: float) -> Held:
        return Held(ok=True)

    def open(self) -> None:
        return None

    def close(self) -> None:
        return None

    def is_alive(self) -> bool:
        return True

    def run(self, argv: Sequence[str], *, input_text: str | None = None, timeout: float | None = None) -> CommandResult:
        args = tuple(argv)
        rc, out = 0, ""
        if "--reload" in args and args[-1].endswith(confirm.ROLLBACK):
            self.calls.append("reload")
            rc, out = self.reloads.pop(0)
        elif "--test" in args:
            self.calls.append("test")
            out = self.tests.pop(0)
        elif "show running-config no-header" in args:
            out = FRESH
        elif "write memory" in " ".join(args):
            self.calls.append("write")
        return CommandResult(args, rc, out, "")

    def write_file(self, path: str, content: str) -> None:
        return None

    def read_file(self, path: str) -> str | None:
        return FRESH


def driver_on(host: ScriptedFRR, monkeypatch: pytest.MonkeyPatch) -> FRRDriver:
    monkeypatch.setattr(driver_module, "RETRY_DELAY", 0.0)
    driver = FRRDriver("leaf1", "", "", optional_args={"netns": "nw-x-leaf1"})
    driver._transport = host
    return driver


def test_rollback_that_converged_succeeds_although_frr_reload_exited_1(monkeypatch: pytest.MonkeyPatch) -> None:
    host = ScriptedFRR(reloads=[(1, RELOAD_EXIT_1)], tests=[""])
    driver_on(host, monkeypatch).rollback()
    assert host.calls == ["reload", "test", "write"]


def test_a_remainder_gets_a_second_pass(monkeypatch: pytest.MonkeyPatch) -> None:
    host = ScriptedFRR(reloads=[(0, ""), (0, "")], tests=[BFD_LEFT, ""])
    driver_on(host, monkeypatch).rollback()
    assert host.calls == ["reload", "test", "reload", "test", "write"]


def test_a_real_remainder_is_reported_never_hidden(monkeypatch: pytest.MonkeyPatch) -> None:
    host = ScriptedFRR(reloads=[(0, ""), (1, RELOAD_EXIT_1)], tests=[DEFAULTS_LEFT, DEFAULTS_LEFT])
    with pytest.raises(CommitError) as info:
        driver_on(host, monkeypatch).rollback()
    message = str(info.value)
    assert message.startswith("leaf1: rollback failed; still different from ")
    assert "+ frr defaults traditional" in message
    assert 'frr-reload.py: ERROR: "interface eth0 --  no" we failed to remove this command' in message
    assert "write" not in host.calls  # the startup file keeps what it had


def test_failed_commit_reports_restored_only_when_nothing_differs(monkeypatch: pytest.MonkeyPatch) -> None:
    host = ScriptedFRR(reloads=[(1, RELOAD_EXIT_1)], tests=[""])
    with pytest.raises(CommitError, match=r"^leaf1: commit failed, running config restored\. Applying the"):
        driver_on(host, monkeypatch)._restore("Applying the candidate failed")
    assert host.calls == ["reload", "test", "write"]
    host = ScriptedFRR(reloads=[(0, ""), (0, "")], tests=[BFD_LEFT, BFD_LEFT])
    with pytest.raises(
        CommitError, match=r"(?s)restoring the previous config failed.*still different from it:\n- bfd\n$"
    ):
        driver_on(host, monkeypatch)._restore("Applying the candidate failed")
