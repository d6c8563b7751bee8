"""Fixtures for the lab tests, including the one policy for real-component tests (``require_frr``).

Real-component tests skip with a reason when this machine cannot run them (not root, FRR or ping
missing), except under CI (``CI=true``), where a skip would hide that the lab never ran: there they fail.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from netweave.lab import LabTopology, down, existing_leftovers
from netweave.lab.host import find_processes, list_netns, run
from netweave.lab.naming import netns_prefix


def _missing_for_frr_lab() -> list[str]:
    missing: list[str] = []
    if os.geteuid() != 0:
        missing.append("not running as root (network namespaces need root)")
    for daemon in ("zebra", "bgpd", "staticd"):
        if not Path("/usr/lib/frr", daemon).is_file():
            missing.append(f"/usr/lib/frr/{daemon} missing (Debian package frr)")
    for tool, pkg in (("vtysh", "frr"), ("ip", "iproute2"), ("ping", "iputils-ping"), ("sysctl", "procps")):
        if shutil.which(tool) is None:
            missing.append(f"`{tool}` missing (Debian package {pkg})")
    return missing


def real_component_policy(missing: list[str], ci: str | None) -> tuple[str, str] | None:
    """What to do when a real component is missing: None (run), ("skip", why) or ("fail", why).

    The one place that decides it: skip locally with the reason, fail under CI=true so a CI machine
    without FRR or root cannot turn the lab tests into silent skips.
    """
    if not missing:
        return None
    reason = "real FRR lab unavailable: " + "; ".join(missing)
    if (ci or "").strip().lower() in ("true", "1", "yes"):
        return "fail", f"{reason} (CI=true: real-component tests must run in CI, not skip)"
    return "skip", reason


@pytest.fixture(scope="session")
def require_frr() -> None:
    """Skip (or, with CI=true, fail) the test when a real FRR lab cannot run on this machine."""
    decision = real_component_policy(_missing_for_frr_lab(), os.environ.get("CI"))
    if decision is None:
        return
    action, reason = decision
    if action == "fail":
        pytest.fail(reason)
    pytest.skip(reason)


@pytest.fixture
def policy() -> object:
    """``real_component_policy`` for the test that pins the skip/fail rule."""
    return real_component_policy


def assert_nothing_left(name: str) -> None:
    """Fail when any namespace (and so veth), FRR run dir or process of lab ``name`` remains."""
    prefix = netns_prefix(name)
    assert existing_leftovers(name) == []
    assert [n for n in list_netns() if n.startswith(prefix)] == []
    assert find_processes([], prefix) == []


@pytest.fixture
def nothing_left() -> object:
    """The ``assert_nothing_left`` check, as a fixture so test modules need not import conftest."""
    return assert_nothing_left


def root_veths() -> set[str]:
    """Names of the veth interfaces in the root namespace."""
    out = run(["ip", "-o", "link", "show", "type", "veth"]).stdout
    return {line.split(":", 2)[1].strip().split("@", 1)[0] for line in out.splitlines() if ":" in line}


class LabSession:
    """Tracks the labs a test starts so the finalizer tears them down even when the test fails."""

    def __init__(self, state_dir: Path) -> None:
        self.state_dir = state_dir
        self.names: list[str] = []
        self.ifnames: set[str] = set()
        self.veths_before = root_veths()

    def track(self, plan_or_name: LabTopology | str) -> str:
        name = plan_or_name if isinstance(plan_or_name, str) else plan_or_name.name
        if name not in self.names:
            self.names.append(name)
        if isinstance(plan_or_name, LabTopology):
            self.ifnames |= {i for link in plan_or_name.links for i in (link.a_ifname, link.b_ifname)}
        return name


@pytest.fixture
def lab_session(require_frr: None, tmp_path: Path) -> Iterator[LabSession]:
    """A state dir plus a finalizer that downs every tracked lab and asserts nothing of it is left."""
    session = LabSession(tmp_path / "labstate")
    yield session
    errors: list[str] = []
    for name in session.names:
        try:
            down(name, session.state_dir)
            assert_nothing_left(name)
        except Exception as exc:  # keep tearing the other labs down, then report
            errors.append(f"{name}: {exc!r}")
    # Our veths live inside the namespaces; none may have ended up in the root namespace. (Other
    # processes on a shared host may add veths meanwhile, so only names from our plans count.)
    stray = sorted((root_veths() - session.veths_before) & session.ifnames)
    if stray:
        errors.append(f"veths left in the root namespace: {stray}")
    if errors:
        pytest.fail("lab teardown left something behind: " + "; ".join(errors))
