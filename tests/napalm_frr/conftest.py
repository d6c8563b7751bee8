"""Real FRR for the driver tests: two namespaces, a veth pair and eBGP between them.

``nw-drvtest-r1`` is the device under test, ``nw-drvtest-r2`` its eBGP peer. Each runs zebra,
bgpd and staticd with ``-N <namespace>`` (path space == namespace name, netweave's lab
convention), their own pid files, as user/group frr. Everything is removed in finalizers, also
when a test fails. Without root or FRR the tests skip; with ``CI=true`` they fail instead, so a
CI runner that silently lost its FRR install cannot go green.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from netweave.napalm_frr import FRRDriver, confirm
from netweave.napalm_frr.commands import FRRInstance

# per-process names: several checkouts may run this suite on one machine at the same time
R1, R2 = f"nw-drv{os.getpid()}-r1", f"nw-drv{os.getpid()}-r2"
VETH_R1, VETH_R2 = "nwdt-r1", "nwdt-r2"
DAEMONS = ("zebra", "bgpd", "staticd")
FRR_BIN = Path("/usr/lib/frr")
RELOAD = FRR_BIN / "frr-reload.py"

R1_BASE = """\
frr defaults traditional
service integrated-vtysh-config
!
interface lo
 ip address 10.0.0.1/32
exit
!
router bgp 65001
 bgp router-id 10.0.0.1
 no bgp ebgp-requires-policy
 neighbor 192.0.2.2 remote-as 65002
 neighbor 192.0.2.2 description r2
 neighbor 192.0.2.2 timers 3 9
 !
 address-family ipv4 unicast
  network 10.0.0.1/32
 exit-address-family
exit
!
"""

R2_BASE = """\
frr defaults traditional
service integrated-vtysh-config
!
interface lo
 ip address 10.0.0.2/32
exit
!
router bgp 65002
 bgp router-id 10.0.0.2
 no bgp ebgp-requires-policy
 neighbor 192.0.2.1 remote-as 65001
 neighbor 192.0.2.1 timers 3 9
 !
 address-family ipv4 unicast
  network 10.0.0.2/32
 exit-address-family
exit
!
"""


def require_real_frr() -> None:
    """Skip (or fail under CI=true) unless root with FRR, frr-reload.py and iproute2 present."""
    missing = []
    if os.geteuid() != 0:
        missing.append("root")
    for path in [*(FRR_BIN / d for d in DAEMONS), RELOAD, Path("/usr/bin/vtysh")]:
        if not path.exists():
            missing.append(str(path))
    if shutil.which("ip") is None:
        missing.append("ip (iproute2)")
    if missing:
        reason = "real FRR test needs: " + ", ".join(missing)
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"CI=true but {reason}")
        pytest.skip(reason)


def sh(*argv: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    """Run a setup/teardown command; failures during setup are test errors, not skips."""
    return subprocess.run(argv, capture_output=True, text=True, check=check, timeout=60)


@dataclass
class Lab:
    """Handles the tests need: namespace names, the state root, and the base configs."""

    r1: str
    r2: str
    state_root: Path
    r1_base: str = R1_BASE

    def vtysh(self, ns: str, *commands: str) -> str:
        argv = ["ip", "netns", "exec", ns, "vtysh", "-N", ns]
        for command in commands:
            argv += ["-c", command]
        return sh(*argv).stdout

    def running(self, ns: str) -> str:
        return self.vtysh(ns, "show running-config no-header")

    def reset(self, ns: str, config: str) -> None:
        """Force ``ns`` back to ``config`` with frr-reload.py directly (not through the driver)."""
        path = self.state_root / f"reset-{ns}.conf"
        path.write_text(config)
        sh(
            "ip",
            "netns",
            "exec",
            ns,
            "python3",
            str(RELOAD),
            "--reload",
            "--stdout",
            "--pathspace",
            ns,
            "--rundir",
            str(self.state_root),
            str(path),
        )

    def driver(self, **optional_args: object) -> FRRDriver:
        args = {"transport": "netns", "netns": self.r1, "state_dir": str(self.state_root), **optional_args}
        return FRRDriver(self.r1, "", "", timeout=30, optional_args=args)


def _start(ns: str, config: str, tmp: Path) -> None:
    run_dir, conf_dir = Path("/var/run/frr") / ns, Path("/etc/frr") / ns
    for directory in (run_dir, conf_dir):
        directory.mkdir(parents=True, exist_ok=True)
        shutil.chown(directory, "frr", "frr")
    (conf_dir / "vtysh.conf").write_text("service integrated-vtysh-config\n")
    conf = conf_dir / "frr.conf"
    conf.write_text("")
    shutil.chown(conf, "frr", "frr")
    sh("ip", "-n", ns, "link", "set", "lo", "up")
    for daemon in DAEMONS:
        sh(
            "ip",
            "netns",
            "exec",
            ns,
            str(FRR_BIN / daemon),
            "-d",
            "-N",
            ns,
            "-u",
            "frr",
            "-g",
            "frr",
            "-i",
            str(run_dir / f"{daemon}.pid"),
            "-A",
            "127.0.0.1",
        )
    deadline = time.monotonic() + 10
    while not all((run_dir / f"{d}.vty").exists() for d in DAEMONS):
        if time.monotonic() > deadline:
            raise RuntimeError(f"FRR daemons in {ns} did not create their vty sockets")
        time.sleep(0.1)
    initial = tmp / f"initial-{ns}.conf"
    initial.write_text(config)
    sh("ip", "netns", "exec", ns, "vtysh", "-N", ns, "-f", str(initial))


def _stop(ns: str) -> None:
    run_dir = Path("/var/run/frr") / ns
    pids = []
    for daemon in DAEMONS:
        pidfile = run_dir / f"{daemon}.pid"
        try:
            pids.append(int(pidfile.read_text().strip()))
        except (OSError, ValueError):
            continue
    for pid in pids:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + 10
    while any(Path(f"/proc/{pid}").exists() and "zombie" not in _state(pid) for pid in pids):
        if time.monotonic() > deadline:
            for pid in pids:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)
            break
        time.sleep(0.1)
    sh("ip", "netns", "del", ns, check=False)
    shutil.rmtree(run_dir, ignore_errors=True)
    shutil.rmtree(Path("/etc/frr") / ns, ignore_errors=True)


def _state(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/status").read_text().split("State:")[1].split("\n")[0].lower()
    except (OSError, IndexError):
        return "zombie"


def _kill_timer(state_root: Path, ns: str) -> None:
    """Stop a commit-confirm timer left by a failed test so it cannot revert a later test's config."""
    for name in (confirm.PENDING, confirm.REVERTING):
        pidfile = state_root / ns / name
        try:
            pid = int(pidfile.read_text().strip())
            os.killpg(pid, signal.SIGTERM)
        except (OSError, ValueError):
            pass
        pidfile.unlink(missing_ok=True)


@pytest.fixture(scope="session")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Lab]:
    """Two FRR namespaces with eBGP between them, torn down at the end of the session."""
    require_real_frr()
    tmp = tmp_path_factory.mktemp("frr-lab")
    state_root = tmp / "state"
    state_root.mkdir()
    try:
        for ns in (R1, R2):
            sh("ip", "netns", "del", ns, check=False)  # leftovers of a killed earlier run
            sh("ip", "netns", "add", ns)
        sh("ip", "link", "add", VETH_R1, "netns", R1, "type", "veth", "peer", "name", VETH_R2, "netns", R2)
        sh("ip", "-n", R1, "addr", "add", "192.0.2.1/30", "dev", VETH_R1)
        sh("ip", "-n", R2, "addr", "add", "192.0.2.2/30", "dev", VETH_R2)
        sh("ip", "-n", R1, "link", "set", VETH_R1, "up")
        sh("ip", "-n", R2, "link", "set", VETH_R2, "up")
        _start(R1, R1_BASE, tmp)
        _start(R2, R2_BASE, tmp)
        yield Lab(R1, R2, state_root)
    finally:
        for ns in (R1, R2):
            _kill_timer(state_root, ns)
            _stop(ns)


@pytest.fixture
def r1(lab: Lab) -> Iterator[FRRDriver]:
    """An open driver for r1, whose running config starts at the base config for every test."""
    _kill_timer(lab.state_root, lab.r1)
    lab.reset(lab.r1, R1_BASE)
    driver = lab.driver()
    driver.open()
    try:
        yield driver
    finally:
        driver.close()
        _kill_timer(lab.state_root, lab.r1)


@pytest.fixture
def instance(lab: Lab) -> FRRInstance:
    """The FRRInstance r1's driver addresses (for asserting on state files)."""
    return lab.driver().instance
