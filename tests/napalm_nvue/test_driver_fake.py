"""The NVUE driver against fake switches that implement NVUE's documented revision API.

Covers the config workflow (replace semantics, diff, invalid config, commit-confirm and its timer,
rollback), the getters' NAPALM shapes, and the connection failures (auth, TLS, unreachable).
"""

from __future__ import annotations

import socket
import time
from collections.abc import Callable
from typing import Any, get_type_hints

import napalm
import pytest
from napalm.base import models
from napalm.base.exceptions import CommitConfirmException, CommitError, ConnectionException, ReplaceConfigException

from netweave.napalm_nvue.tree import parse_config
from tests.napalm_nvue.conftest import SECRET, USER, leaf_config, spine_config
from tests.support.nvue_fake import FakeFabric


def without_accounts(tree: dict[str, Any]) -> dict[str, Any]:
    """`tree` minus what the driver preserves by default (system aaa and api)."""
    system = {k: v for k, v in tree.get("system", {}).items() if k not in ("aaa", "api")}
    return {**tree, "system": system}


def commit(driver: Any, text: str, **kwargs: Any) -> str:
    driver.load_replace_candidate(config=text)
    change = driver.compare_config()
    driver.commit_config(**kwargs)
    return str(change)


def test_fresh_switch_plans_the_whole_config_then_nothing(connect: Callable[..., Any], switches: FakeFabric) -> None:
    """A factory switch: the diff is every leaf of the new tree; after commit the diff is empty and the
    applied and startup configs (auto-save) are the candidate's tree."""
    leaf = connect("leaf1")
    leaf.load_replace_candidate(config=leaf_config())
    change = leaf.compare_config()
    assert "- nv set system hostname cumulus" in change.splitlines()
    for line in (
        "+ nv set system hostname leaf1",
        "+ nv set router bgp autonomous-system 4200000001",
        "+ nv set interface swp33 ip address 10.1.0.1/31",
        "+ nv set vrf default router bgp neighbor 10.1.0.0 remote-as 65100",
        "+ nv set router bgp enable on",
    ):
        assert line in change.splitlines(), line
    assert not any(" aaa " in line or " api " in line for line in change.splitlines())  # preserved
    leaf.commit_config()
    assert without_accounts(switches.devices["leaf1"].applied) == parse_config(leaf_config())
    assert switches.devices["leaf1"].startup == switches.devices["leaf1"].applied
    leaf.load_replace_candidate(config=leaf_config())
    assert leaf.compare_config() == ""
    leaf.discard_config()
    running = leaf.get_config(retrieve="running")["running"]
    assert parse_config(running) == parse_config(leaf_config())  # a backup loads back as is, minus the accounts


def test_replace_removes_keys_absent_from_the_new_tree(connect: Callable[..., Any], switches: FakeFabric) -> None:
    """The replace semantics the driver relies on: an interface only the old config has is gone after
    committing a config without it, and the diff says exactly that."""
    leaf = connect("leaf1")
    commit(leaf, leaf_config(more="swp40,swp41"))
    assert {"swp40", "swp41"} <= set(switches.devices["leaf1"].applied["interface"])
    change = commit(leaf, leaf_config(more="swp41"))
    assert change.splitlines() == ["- nv set interface swp40 type swp"]
    assert "swp40" not in switches.devices["leaf1"].applied["interface"]


def test_secrets_are_masked_in_diffs_and_left_out_of_backups(connect: Callable[..., Any]) -> None:
    """A password hash in the candidate shows as a masked change; the running config a backup stores has
    no account hashes (preserved on the switch) and, sanitized, no other secret either."""
    leaf = connect("leaf1")
    hashed = "$6$rounds=656000$abcdefgh$SomeHashValue"
    accounts = f"      aaa:\n        user:\n          netops:\n            hashed-password: '{hashed}'\n"
    password = "Bgp-Secret-42"
    text = leaf_config().replace("      hostname: leaf1\n", "      hostname: leaf1\n" + accounts)
    text = text.replace(
        "                type: numbered\n", f"                type: numbered\n                password: {password}\n"
    )
    leaf.load_replace_candidate(config=text)
    change = leaf.compare_config()
    assert "+ nv set system aaa user netops hashed-password ********" in change.splitlines()
    assert hashed not in change and password not in change
    leaf.commit_config()
    running = leaf.get_config(retrieve="running")["running"]
    assert hashed not in running and "aaa" not in running and password in running
    clean = leaf.get_config(retrieve="all", sanitized=True)
    assert all(password not in text and hashed not in text for text in clean.values())


def test_merge_keeps_what_is_not_mentioned(connect: Callable[..., Any], switches: FakeFabric) -> None:
    leaf = connect("leaf1")
    commit(leaf, leaf_config())
    leaf.load_merge_candidate(config="- set:\n    interface:\n      swp50:\n        type: swp\n")
    assert leaf.compare_config().splitlines() == ["+ nv set interface swp50 type swp"]
    leaf.commit_config()
    assert {"swp33", "swp50"} <= set(switches.devices["leaf1"].applied["interface"])


def test_invalid_config_is_refused_with_nvues_reason_and_nothing_changes(
    connect: Callable[..., Any], switches: FakeFabric
) -> None:
    leaf = connect("leaf1")
    commit(leaf, leaf_config())
    before = switches.devices["leaf1"].applied
    leaf.load_replace_candidate(config=leaf_config(no_router_id="yes"))
    with pytest.raises(CommitError, match="BGP requires router-id to be set globally or in the VRF"):
        leaf.commit_config()
    assert switches.devices["leaf1"].applied == before


def test_bad_yaml_is_refused_before_touching_the_switch(connect: Callable[..., Any], switches: FakeFabric) -> None:
    leaf = connect("leaf1")
    calls = len(switches.devices["leaf1"].requests)
    with pytest.raises(ReplaceConfigException, match="not an NVUE config file"):
        leaf.load_replace_candidate(config="set: {system: {hostname: x}}\n")
    with pytest.raises(ReplaceConfigException, match="not valid YAML"):
        leaf.load_replace_candidate(config="- set: [unclosed\n")
    assert len(switches.devices["leaf1"].requests) == calls


def test_confirm_timer_reverts_when_the_client_disappears(connect: Callable[..., Any], switches: FakeFabric) -> None:
    """commit_config(revert_in=1) and then the client is gone (closed, never confirms): the switch
    restores the previous config by itself; a new session sees the old config and nothing pending."""
    leaf = connect("leaf1")
    commit(leaf, leaf_config())
    before = switches.devices["leaf1"].applied
    commit(leaf, leaf_config(more="swp60"), revert_in=1)
    assert "swp60" in switches.devices["leaf1"].applied["interface"]
    assert leaf.has_pending_commit()
    leaf.close()
    time.sleep(1.5)
    again = connect("leaf1")
    assert not again.has_pending_commit()
    assert switches.devices["leaf1"].applied == before
    with pytest.raises(CommitConfirmException, match="already reverted"):
        again.confirm_commit()


def test_confirmed_change_stays_and_is_saved(connect: Callable[..., Any], switches: FakeFabric) -> None:
    leaf = connect("leaf1")
    commit(leaf, leaf_config())
    commit(leaf, leaf_config(more="swp61"), revert_in=2)
    saved = switches.devices["leaf1"].startup
    assert without_accounts(saved) == parse_config(leaf_config())  # not saved while pending
    with pytest.raises(CommitError, match="waiting"):
        commit(leaf, leaf_config(more="swp62"))
    leaf.confirm_commit()
    assert not leaf.has_pending_commit()
    time.sleep(2.5)  # past the timer: nothing reverts any more
    assert "swp61" in switches.devices["leaf1"].applied["interface"]
    assert switches.devices["leaf1"].startup == switches.devices["leaf1"].applied


@pytest.mark.parametrize("revert_in", [None, 30])
def test_rollback_restores_the_config_before_the_commit(
    connect: Callable[..., Any], switches: FakeFabric, revert_in: int | None
) -> None:
    """Rollback after a plain commit, and of a commit still waiting for confirmation."""
    leaf = connect("leaf1")
    commit(leaf, leaf_config())
    before = switches.devices["leaf1"].applied
    commit(leaf, leaf_config(more="swp63"), revert_in=revert_in)
    leaf.rollback()
    assert switches.devices["leaf1"].applied == before
    assert not leaf.has_pending_commit()
    with pytest.raises(CommitError, match="nothing to roll back"):
        leaf.rollback()


def test_a_pure_replace_without_the_accounts_locks_netweave_out_until_the_timer_reverts(
    connect: Callable[..., Any], switches: FakeFabric
) -> None:
    """Why the accounts are preserved by default: with `preserve: []` the replace deletes the login user (as
    NVIDIA's guide warns), netweave cannot confirm, and only the switch's confirm timer brings it back."""
    leaf = connect("leaf1", preserve=[])
    leaf.load_replace_candidate(config=leaf_config())
    assert "- nv set system aaa user netops role system-admin" in leaf.compare_config().splitlines()
    with pytest.raises(ConnectionException, match="login refused"):
        leaf.commit_config(revert_in=1)  # the apply went through; its own state can no longer be read
    assert switches.devices["leaf1"].confirm_pending
    time.sleep(1.5)
    assert "aaa" in switches.devices["leaf1"].applied["system"]
    assert connect("leaf1").get_facts()["hostname"] == "cumulus"


def _shape(value: dict[str, Any], typed: Any) -> None:
    hints = get_type_hints(typed)
    assert set(value) == set(hints), (set(value) ^ set(hints), typed)
    for key, hint in hints.items():
        origin = getattr(hint, "__origin__", hint)
        if origin in (int, float, str, bool, list, dict):
            assert isinstance(value[key], origin), (key, value[key], hint)


def test_getters_return_napalms_documented_shapes(connect: Callable[..., Any], switches: FakeFabric) -> None:
    """With both ends configured, the session is up, LLDP sees the peer, and every getter returns
    the keys and types of NAPALM's models (napalm.base.models)."""
    spine, leaf = connect("spine1"), connect("leaf1")
    commit(spine, spine_config())
    commit(leaf, leaf_config())

    facts = leaf.get_facts()
    _shape(facts, models.FactsDict)
    assert facts["hostname"] == "leaf1" and facts["vendor"] == "NVIDIA" and "Cumulus Linux 5" in facts["os_version"]
    assert facts["interface_list"] == ["lo", "swp33"]

    interfaces = leaf.get_interfaces()
    for entry in interfaces.values():
        _shape(entry, models.InterfaceDict)
    assert interfaces["swp33"]["speed"] == 400000.0 and interfaces["swp33"]["mtu"] == 9216
    assert interfaces["swp33"]["is_up"] and interfaces["swp33"]["description"] == "uplink swp33"

    assert leaf.get_lldp_neighbors() == {"swp33": [{"hostname": "spine1", "port": "swp1"}]}
    for entries in leaf.get_lldp_neighbors().values():
        for entry in entries:
            _shape(entry, models.LLDPNeighborDict)

    bgp = leaf.get_bgp_neighbors()
    assert set(bgp) == {"global"} and bgp["global"]["router_id"] == "10.0.0.33"
    peer = bgp["global"]["peers"]["10.1.0.0"]
    _shape(peer, models.BGPStateNeighborDict)
    assert peer["is_up"] and peer["remote_as"] == 65100 and peer["local_as"] == 4200000001

    config = leaf.get_config()
    _shape(config, models.ConfigDict)


def test_wrong_asn_leaves_the_session_down(connect: Callable[..., Any]) -> None:
    spine, leaf = connect("spine1"), connect("leaf1")
    commit(spine, spine_config(peer_asn=4200000099))
    commit(leaf, leaf_config())
    assert not leaf.get_bgp_neighbors()["global"]["peers"]["10.1.0.0"]["is_up"]
    assert not spine.get_bgp_neighbors()["global"]["peers"]["10.1.0.1"]["is_up"]


def test_wrong_password_is_a_connection_error_that_does_not_show_it(switches: FakeFabric) -> None:
    wrong = "Wrong-" + SECRET
    driver = napalm.get_network_driver("nvue")(
        "127.0.0.1", USER, wrong, optional_args={"port": switches.port("leaf1"), "ca_file": str(switches.cert)}
    )
    with pytest.raises(ConnectionException, match="HTTP 401, login refused") as caught:
        driver.open()
    assert wrong not in str(caught.value) and SECRET not in str(caught.value)


def test_switch_certificate_is_verified_by_default(switches: FakeFabric) -> None:
    """Without `ca_file` (or `insecure: true`) the self-signed certificate is refused: no credentials
    are sent to a server that did not prove who it is."""
    port = switches.port("leaf1")
    driver = napalm.get_network_driver("nvue")("127.0.0.1", USER, SECRET, optional_args={"port": port})
    with pytest.raises(ConnectionException, match="TLS error"):
        driver.open()
    assert not any(switches.devices["leaf1"].auth_headers)
    insecure = napalm.get_network_driver("nvue")(
        "127.0.0.1", USER, SECRET, optional_args={"port": switches.port("leaf1"), "insecure": True}
    )
    insecure.open()
    insecure.close()


def test_unreachable_switch_is_a_connection_error() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # bound, never listening: connection refused
        driver = napalm.get_network_driver("nvue")("127.0.0.1", USER, SECRET, optional_args={"port": port})
        with pytest.raises(ConnectionException, match="cannot reach"):
            driver.open()
