"""A failed or undone FRR commit leaves a fresh node (started with only its hostname) exactly as it was.

Real FRR 8.4 daemons in network namespaces (tests/apply/conftest.py), reached with netweave's NAPALM FRR
driver; the candidate is the config netweave renders for leaf1 of the 2x2 fabric. On such a node
frr-reload.py exits 1 when it restores the hostname-only config although the node did return to it (its
second pass re-sends `vrf mgmt` / `no ip route 0.0.0.0/0 ...`, and zebra answers `no ip address` on the
kernel-less eth0 with an error), and bfdd keeps an empty `bfd` node after the first pass: the driver used
to report "commit failed AND restoring the previous config failed" and leave `bfd` behind.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from pathlib import Path

import napalm
import pytest
from napalm.base.exceptions import CommitError, ReplaceConfigException

from netweave.lab.naming import netns_name
from netweave.napalm_frr import FRRDriver
from tests.apply.conftest import Labs, fabric_data, write

pytestmark = pytest.mark.real

PID = os.getpid() % 100000
SELF_PEER = "router bgp 4200000001\n neighbor 10.1.0.1 remote-as 65009\n"
"""leaf1's own eth33 address as a BGP peer: valid syntax, refused by bgpd in the middle of the apply."""


@pytest.fixture
def fresh_leaf(labs: Labs, tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[tuple[FRRDriver, str]]:
    """An open driver on leaf1 of a fresh lab (hostname-only config), and leaf1's rendered config."""
    design = write(tmp_path / "design.yaml", fabric_data())
    name = f"aps{PID}{request.node.name[-1]}"  # one lab per test, unique per process
    lab = labs.design_lab(design, name)
    rendered = next(node.frr_conf for node in lab.topology.nodes if node.name == "leaf1")
    labs.up(lab, fresh=True)
    driver = napalm.get_network_driver("frr")("leaf1", "", "", optional_args={"netns": netns_name(name, "leaf1")})
    driver.open()
    try:
        yield driver, rendered
    finally:
        driver.close()


def running(driver: FRRDriver) -> str:
    return str(driver.get_config(retrieve="running")["running"])


def test_failed_commit_on_fresh_node_restores_it_exactly_1(fresh_leaf: tuple[FRRDriver, str]) -> None:
    driver, rendered = fresh_leaf
    before = running(driver)
    assert "router bgp" not in before and "frr defaults traditional" in before
    driver.load_replace_candidate(config=rendered.replace("router bgp 4200000001\n", SELF_PEER, 1))
    with pytest.raises(CommitError) as info:
        driver.commit_config()
    message = str(info.value)
    assert "running config restored" in message, message
    assert "Can not configure the local system as neighbor" in message
    assert running(driver) == before


def test_rollback_of_a_full_config_on_fresh_node_restores_it_exactly_2(fresh_leaf: tuple[FRRDriver, str]) -> None:
    """What `netweave apply` does when the post-commit health check fails: commit, then rollback()."""
    driver, rendered = fresh_leaf
    before = running(driver)
    driver.load_replace_candidate(config=rendered)
    driver.commit_config()
    after = running(driver)
    assert "frr defaults datacenter" in after and "vrf mgmt" in after and "router bgp 4200000001" in after
    driver.rollback()
    assert running(driver) == before


def test_profile_change_under_existing_bgp_is_refused_before_touching_it_3(
    fresh_leaf: tuple[FRRDriver, str],
) -> None:
    driver, rendered = fresh_leaf
    driver.load_replace_candidate(config=rendered)
    driver.commit_config()
    configured = running(driver)
    with pytest.raises(ReplaceConfigException) as info:
        driver.load_replace_candidate(config=rendered.replace("frr defaults datacenter", "frr defaults traditional"))
    assert "candidate line 2: `frr defaults traditional` differs" in str(info.value)
    assert driver.get_config(retrieve="candidate")["candidate"] == ""
    assert running(driver) == configured


def test_unconfirmed_commit_on_fresh_node_reverts_it_exactly_4(fresh_leaf: tuple[FRRDriver, str]) -> None:
    driver, rendered = fresh_leaf
    before = running(driver)
    driver.load_replace_candidate(config=rendered)
    driver.commit_config(revert_in=2)
    assert "router bgp 4200000001" in running(driver)
    deadline = time.monotonic() + 60
    while driver.has_pending_commit() or Path(driver.instance.state_file("reverting.pid")).exists():
        assert time.monotonic() < deadline, "the commit-confirm timer never finished"
        time.sleep(0.5)
    assert running(driver) == before
