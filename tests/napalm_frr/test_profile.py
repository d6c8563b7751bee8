"""`frr defaults` changes the driver refuses before touching the device (see netweave.napalm_frr.profile)."""

from __future__ import annotations

from netweave.napalm_frr.profile import defaults_profile, profile_change_refusal, routing_instances

FRESH_RUNNING = "frr version 8.4.4\nfrr defaults traditional\nhostname leaf1\n!\nend\n"
"""`show running-config no-header` of an FRR 8.4.4 node started with only its hostname (measured)."""

CONFIGURED_RUNNING = (
    "frr version 8.4.4\nfrr defaults traditional\nhostname leaf1\n!\ninterface lo\n ip address 10.0.0.1/32\nexit\n!\n"
    "router bgp 65001\n neighbor 192.0.2.2 remote-as 65002\nexit\n!\nrouter ospf\nexit\n!\nend\n"
)

DATACENTER_CANDIDATE = "frr version 8.4\nfrr defaults datacenter\nhostname leaf1\n!\nrouter bgp 65001\nexit\n"


def test_profile_and_instances_are_read_from_top_level_lines() -> None:
    assert defaults_profile(DATACENTER_CANDIDATE) == (2, "datacenter")
    assert defaults_profile("hostname x\n") is None
    assert defaults_profile(" frr defaults datacenter\n") is None  # only a top-level line counts
    assert routing_instances(CONFIGURED_RUNNING) == ["router bgp 65001", "router ospf"]
    assert routing_instances(FRESH_RUNNING) == []


def test_changing_the_profile_under_existing_instances_is_refused_with_the_line() -> None:
    message = profile_change_refusal(DATACENTER_CANDIDATE, CONFIGURED_RUNNING)
    assert message is not None
    assert message.startswith("candidate line 2: `frr defaults datacenter` differs from the running daemons' ")
    assert "`frr defaults traditional`" in message
    assert "`router bgp 65001`, `router ospf` already exist" in message
    assert "Nothing was changed" in message and "restart FRR" in message


def test_a_fresh_node_or_the_same_profile_or_no_profile_line_is_accepted() -> None:
    # a node without routing instances gets every instance under the new profile, as a restart would
    assert profile_change_refusal(DATACENTER_CANDIDATE, FRESH_RUNNING) is None
    same = DATACENTER_CANDIDATE.replace("datacenter", "traditional")
    assert profile_change_refusal(same, CONFIGURED_RUNNING) is None
    # frr-reload.py never removes `frr defaults`, so a candidate without it keeps the running profile
    assert profile_change_refusal("router bgp 65001\nexit\n", CONFIGURED_RUNNING) is None
