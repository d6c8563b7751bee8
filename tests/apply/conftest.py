"""Fixtures for the apply tests: a 2-spine/2-leaf all-FRR design, real FRR labs that are always torn
down, and the credential sentinel every test checks never leaks.

Lab names start with `ap` so they never collide with labs other test runs on this machine start.
"""

from __future__ import annotations

import copy
import os
import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import yaml

import netweave
from netweave.lab import LabNode, LabState, LabTopology, down, existing_leftovers, up
from netweave.lab.emulate import DesignLab, design_lab
from netweave.network.policy import underlay_policies
from tests.conftest import assert_secret_absent, require
from tests.support.nvue_fake import FakeFabric, fabric

SECRET = "Sentinel-pw-9f3c2"
"""The password tests put in the environment; it must appear in no output, file or exception."""
USER = "netops"

FABRIC: dict[str, Any] = {
    "name": "apfab",
    "sites": [
        {
            "name": "dc1",
            "fabrics": [
                {
                    "name": "fabric1",
                    "module": "leaf-spine",
                    "spines": {"count": 2, "platform": "linux-frr", "nos": "frr"},
                    "leaves": {"count": 2, "platform": "linux-frr", "nos": "frr", "server_ports": 4},
                    "addressing": {
                        "loopbacks": "10.0.0.0/24",
                        "p2p": "10.1.0.0/22",
                        "management": {"prefix": "172.20.0.0/24", "gateway": "172.20.0.1"},
                    },
                    "asn": {"spine_base": 65100, "leaf_base": 4200000001},
                }
            ],
        }
    ],
}


def fabric_data() -> dict[str, Any]:
    """A fresh copy of the 2x2 all-FRR design (tests edit it)."""
    return copy.deepcopy(FABRIC)


def fabric_of(data: dict[str, Any]) -> dict[str, Any]:
    return data["sites"][0]["fabrics"][0]


def write(path: Path, data: dict[str, Any]) -> Path:
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    return path


def nvue_design(data: dict[str, Any]) -> dict[str, Any]:
    """The shared 2x2 design with NVIDIA SN5600 switches running NVUE."""
    fabric_of(data)["spines"] = {"count": 2, "platform": "nvidia-sn5600", "nos": "nvue"}
    fabric_of(data)["leaves"] = {"count": 2, "platform": "nvidia-sn5600", "nos": "nvue", "server_ports": 4}
    return data


@contextmanager
def nvue_switches(tmp_path: Path, user: str, secret: str) -> Iterator[FakeFabric]:
    """The four fake NVUE switches of `nvue_design`, cabled as its links (so BGP, and health checks, come up)."""
    network = netweave.expand(netweave.load(write(tmp_path / "cabling.yaml", nvue_design(fabric_data()))))
    with fabric(
        tmp_path, ["spine1", "spine2", "leaf1", "leaf2"], user, secret, apply_delay=0.05, minute_s=12.0
    ) as fake:
        fake.links += [((link.a.device, link.a.interface), (link.b.device, link.b.interface)) for link in network.links]
        yield fake


def missing_for_lab() -> list[str]:
    missing = [] if os.geteuid() == 0 else ["root"]
    for binary in ("/usr/lib/frr/zebra", "/usr/lib/frr/bgpd", "/usr/lib/frr/bfdd", "/usr/lib/frr/frr-reload.py"):
        if not Path(binary).exists():
            missing.append(binary)
    missing += [tool for tool in ("vtysh", "ip") if shutil.which(tool) is None]
    return missing


@pytest.fixture
def require_lab() -> None:
    """Skip without root/FRR; fail instead under CI=true (a CI runner must run the real lab)."""
    missing = missing_for_lab()
    require(not missing, "real FRR lab needs: " + ", ".join(missing))


@dataclass
class Labs:
    """Starts labs from designs and remembers them so the finalizer tears every one down."""

    state_dir: Path
    started: list[str] = field(default_factory=list)

    def design_lab(self, design: Path, name: str) -> DesignLab:
        return design_lab(netweave.expand(netweave.load(design)), name)

    def up(self, lab: DesignLab, fresh: bool = False) -> LabState:
        """Start `lab`; `fresh` starts every node with only its hostname (same daemons, same links)."""
        topology = lab.topology
        if fresh:
            topology = LabTopology(
                name=topology.name,
                links=topology.links,
                nodes=[LabNode(n.name, f"hostname {n.name}\n", daemons=n.resolved_daemons) for n in topology.nodes],
            )
        self.started.append(topology.name)
        return up(topology, self.state_dir)


@pytest.fixture
def labs(require_lab: None, tmp_path: Path) -> Iterator[Labs]:
    """Labs for one test; ALWAYS torn down, also when the test fails, and checked to leave nothing."""
    tracker = Labs(tmp_path / "labstate")
    yield tracker
    errors = []
    for name in tracker.started:
        try:
            down(name, tracker.state_dir)  # also removes the FRR driver's per-namespace state
            if leftovers := existing_leftovers(name):
                errors.append(f"{name}: {leftovers}")
        except Exception as exc:  # keep tearing the others down, then fail
            errors.append(f"{name}: {exc!r}")
    if errors:
        pytest.fail("lab teardown left something behind: " + "; ".join(errors))


@pytest.fixture
def credentials(monkeypatch: pytest.MonkeyPatch) -> str:
    """Put a sentinel login in the environment (the only place netweave reads credentials from)."""
    monkeypatch.setenv("NETWEAVE_USERNAME", USER)
    monkeypatch.setenv("NETWEAVE_PASSWORD", SECRET)
    monkeypatch.delenv("NETWEAVE_INVENTORY", raising=False)
    return SECRET


def assert_no_secret(*texts: str, directory: Path | None = None) -> None:
    """Neither this suite's password nor its HTTP Basic form in any text or file under `directory`."""
    assert_secret_absent(SECRET, USER, *texts, directory=directory)


@pytest.fixture
def no_secret() -> Callable[..., None]:
    return assert_no_secret


def _range(exact: bool, length: int) -> str:
    return "" if exact else f" ge {length} le {length}"


def prefix_list_lines(network: netweave.Network) -> dict[str, set[str]]:
    """Device -> its underlay prefix-list entries as FRR writes them (`NAME seq N permit P[ ge L le L]`)."""
    out: dict[str, set[str]] = {}
    for name, policy in underlay_policies(network).items():
        out[name] = {
            f"{s.name} seq {i * 5} permit {e.prefix}"
            + ("" if e.exact else f" ge {e.member_length} le {e.member_length}")
            for s in [policy.export, *policy.imports]
            for i, e in enumerate(s.entries, 1)
        }
    return out
