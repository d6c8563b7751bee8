"""A full replace with netweave's rendered frr.conf keeps netweave connected to an FRR host.

FRR's management plane is the host's own sshd: FRR's configuration cannot turn it on or off, so no rendering
can cut the SSH server itself. What a full replace *can* cut is the path to it, and that path is in frr.conf:
the management interface's address (`interface eth0` / `ip address`, which zebra puts on the kernel interface
and removes again when a replace drops it) and the management VRF's default route (`vrf mgmt` /
`ip route 0.0.0.0/0 <gateway>`). So this proves, with real daemons and the real driver over real SSH, what can
be proved: the rendered config keeps both, the driver's next call (a new SSH session, as the next
`netweave apply` opens) still succeeds, and the same replace without the management interface block cuts the
driver off.

Limit of this machine: its kernel has no VRF device support (`ip link add mgmt type vrf` answers "Unknown
device type"), so eth0 stays in the device namespace's main table and the test process reaches it on the
management subnet itself; the `vrf mgmt` route is proven kept in FRR's running config, not in a kernel VRF
table. Namespaces, veths and sshd are per process and removed afterwards.
"""

from __future__ import annotations

import contextlib
import copy
import os
import shutil
import signal
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml
from napalm.base.exceptions import ConnectionException

import netweave
from netweave.napalm_frr import FRRDriver
from netweave.render import render_device
from tests.apply.conftest import fabric_data

from .conftest import FRR_BIN, _kill_timer, _start, _stop, require_real_frr, sh

pytestmark = [pytest.mark.real]

PID = os.getpid()
DEV = f"nw-mg{PID}-dev"
"""Namespace names unique per process (the FRR path space of the device is its namespace name)."""
VETH_DEV, VETH_UP = f"nwmg{PID}d", f"nwmg{PID}r"
MGMT_NET = f"100.{64 + PID % 62}.{(PID >> 6) % 256}"
"""The design's management /24 (CGNAT space, per process so parallel runs do not share a route)."""
SSHD = Path("/usr/sbin/sshd")
SSH_PORT = 2222


@dataclass
class Host:
    driver_args: dict[str, Any]
    address: str
    gateway: str
    rendered: str
    state_root: Path


def _design_config(tmp: Path) -> tuple[str, str, str]:
    """leaf1's rendered frr.conf of the all-FRR test fabric with this run's management subnet."""
    data = copy.deepcopy(fabric_data())
    data["sites"][0]["fabrics"][0]["addressing"]["management"] = {
        "prefix": f"{MGMT_NET}.0/24",
        "gateway": f"{MGMT_NET}.1",
    }
    path = tmp / "design.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    network = netweave.expand(netweave.load(path))
    device = network.device_by_name["leaf1"]
    (config,) = render_device(network, device).files.values()
    return config, device.mgmt_ipv4, f"{MGMT_NET}.1"


def _require_sshd() -> None:
    if not SSHD.exists() or shutil.which("ssh-keygen") is None:
        reason = "the management test needs openssh-server (/usr/sbin/sshd) and ssh-keygen"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"CI=true but {reason}")
        pytest.skip(reason)


def _network(gateway: str) -> None:
    """The device namespace's eth0 (no address yet: FRR gives it one) and, in the test's namespace, the other
    end of the management link with the design's gateway address."""
    sh("ip", "netns", "del", DEV, check=False)  # leftovers of a killed earlier run of this pid
    sh("ip", "link", "del", VETH_UP, check=False)
    sh("ip", "netns", "add", DEV)
    sh("ip", "link", "add", VETH_UP, "type", "veth", "peer", "name", VETH_DEV, "netns", DEV)
    sh("ip", "-n", DEV, "link", "set", VETH_DEV, "name", "eth0")
    sh("ip", "-n", DEV, "link", "set", "eth0", "up")
    sh("ip", "addr", "add", f"{gateway}/24", "dev", VETH_UP)
    sh("ip", "link", "set", VETH_UP, "up")


def _sshd(tmp: Path, address: str) -> tuple[subprocess.Popen[bytes], dict[str, Any]]:
    host_key, client_key = tmp / "host_ed25519", tmp / "client_ed25519"
    for key in (host_key, client_key):
        subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(key)], check=True)
    (tmp / "authorized_keys").write_text(Path(f"{client_key}.pub").read_text())
    known_hosts = tmp / "known_hosts"
    known_hosts.write_text(f"[{address}]:{SSH_PORT} {Path(f'{host_key}.pub').read_text()}")
    config = tmp / "sshd_config"
    config.write_text(
        f"Port {SSH_PORT}\nListenAddress 0.0.0.0\nHostKey {host_key}\nPidFile {tmp}/sshd.pid\n"
        f"AuthorizedKeysFile {tmp}/authorized_keys\nPermitRootLogin prohibit-password\n"
        "PasswordAuthentication no\nKbdInteractiveAuthentication no\nUsePAM no\nStrictModes no\n"
    )
    Path("/run/sshd").mkdir(mode=0o755, exist_ok=True)  # privilege separation (left: others may use it)
    proc = subprocess.Popen(["ip", "netns", "exec", DEV, str(SSHD), "-D", "-e", "-f", str(config)])
    args = {
        "transport": "ssh",
        "port": SSH_PORT,
        "key_file": str(client_key),
        "known_hosts": str(known_hosts),
        "pathspace": DEV,
        "state_dir": str(tmp / "state"),
    }
    return proc, args


def _start_bfdd() -> None:
    """bfdd as well: the rendered leaf config has BFD profiles (the shared fixture starts zebra, bgpd, staticd)."""
    run_dir = Path("/var/run/frr") / DEV
    sh("ip", "netns", "exec", DEV, str(FRR_BIN / "bfdd"), "-d", "-N", DEV, "-u", "frr", "-g", "frr")
    deadline = time.monotonic() + 10
    while not (run_dir / "bfdd.vty").exists():
        if time.monotonic() > deadline:
            raise RuntimeError(f"bfdd in {DEV} did not create its vty socket")
        time.sleep(0.1)


def _stop_bfdd() -> None:
    pidfile = Path("/var/run/frr") / DEV / "bfdd.pid"
    with contextlib.suppress(OSError, ValueError):
        os.kill(int(pidfile.read_text().strip()), signal.SIGTERM)


def _stop_sshd(proc: subprocess.Popen[bytes]) -> None:
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def _initial(address: str, gateway: str) -> str:
    """What the host runs before netweave's first apply: its management address and route (as provisioning,
    e.g. ZTP, leaves it), so the driver can connect once."""
    return (
        "frr defaults datacenter\nservice integrated-vtysh-config\n!\n"
        f"vrf mgmt\n ip route 0.0.0.0/0 {gateway}\nexit-vrf\n!\n"
        f"interface eth0\n ip address {address}\nexit\n!\n"
    )


@pytest.fixture(scope="module")
def host(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Host]:
    require_real_frr()
    _require_sshd()
    tmp = tmp_path_factory.mktemp("frr-mgmt")
    os.chmod(tmp, 0o700)
    rendered, address, gateway = _design_config(tmp)
    (tmp / "state").mkdir()
    proc: subprocess.Popen[bytes] | None = None
    try:
        _network(gateway)
        _start(DEV, _initial(address, gateway), tmp)
        _start_bfdd()
        proc, args = _sshd(tmp, address.split("/")[0])
        yield Host(args, address.split("/")[0], gateway, rendered, tmp / "state")
    finally:
        if proc is not None:
            _stop_sshd(proc)
        _kill_timer(tmp / "state", DEV)
        _stop_bfdd()
        _stop(DEV)
        sh("ip", "link", "del", VETH_UP, check=False)


def _driver(host: Host, timeout: int = 30) -> FRRDriver:
    return FRRDriver(host.address, "root", "", timeout=timeout, optional_args=dict(host.driver_args))


def _connect(host: Host, timeout: int = 30) -> FRRDriver:
    """Open a new session, retrying briefly while sshd starts (it has no readiness signal here)."""
    deadline = time.monotonic() + 15
    while True:
        driver = _driver(host, timeout)
        try:
            driver.open()
            return driver
        except ConnectionException:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.3)


def _eth0() -> str:
    return sh("ip", "-n", DEV, "-4", "addr", "show", "dev", "eth0").stdout


def test_the_rendered_full_replace_keeps_the_management_path_and_the_next_call_connects(host: Host) -> None:
    assert f"vrf mgmt\n ip route 0.0.0.0/0 {host.gateway}\nexit-vrf\n" in host.rendered
    first = _connect(host)
    try:
        first.load_replace_candidate(config=host.rendered)
        assert "router bgp" in first.compare_config()  # a real, whole replacement
        first.commit_config()
    finally:
        first.close()
    again = _connect(host)  # the next call: a new SSH session to the management address
    try:
        running = again.get_config(retrieve="running")["running"]
        assert "router bgp 4200000001" in running
        assert f"vrf mgmt\n ip route 0.0.0.0/0 {host.gateway}\nexit-vrf" in running
        assert f"interface eth0\n description out-of-band management\n ip address {host.address}/24" in running
        assert again.compare_config() == ""  # nothing loaded: the session is healthy and idle
    finally:
        again.close()
    assert f"inet {host.address}/24" in _eth0()


def test_the_same_replace_without_the_management_interface_cuts_the_driver_off(host: Host) -> None:
    """Not lenient: FRR owns the address the driver connects to, and a replace without it removes it from
    the kernel. Runs last in this module (it cuts access); the host is torn down afterwards."""
    start = host.rendered.index("interface eth0\n")
    block = host.rendered[start : host.rendered.index("exit\n!\n", start) + len("exit\n!\n")]
    assert f"ip address {host.address}/24" in block
    first = _connect(host, timeout=8)
    try:
        first.load_replace_candidate(config=host.rendered.replace(block, ""))
        # the commit's own session may lose its answers half-way (the address it runs over goes); whatever it
        # reports then, what decides is the kernel state and the next connection below
        with contextlib.suppress(Exception):
            first.commit_config()
    finally:
        first.close()
    deadline = time.monotonic() + 15
    while host.address in _eth0() and time.monotonic() < deadline:
        time.sleep(0.2)
    assert host.address not in _eth0()
    with pytest.raises(ConnectionException):
        _driver(host, timeout=5).open()
