"""The FRR driver refuses, at load time, a candidate line bgpd never displays (so frr-reload never converges on it).

The display forms below follow FRR's bgpd source, `bgp_config_write_peer_global` in bgpd/bgp_vty.c (FRR 8.4.4,
Debian 12's package; the same branches in 10.x): an interface neighbor in a peer-group is written as
`neighbor IF interface [v6only] peer-group PG`, then `neighbor IF remote-as AS` only when the group has no
remote-as of its own; `neighbor IF interface [v6only] remote-as AS` only for a neighbor outside any group.
No FRR needed; the lab proof is tests/apply/test_apply_frr_unnumbered_lab.py.
"""

from __future__ import annotations

from typing import Any

import pytest
from napalm.base.exceptions import MergeConfigException, ReplaceConfigException

from netweave.napalm_frr import FRRDriver
from netweave.napalm_frr.display_form import undisplayable_lines

ONE_LINE_FORM = """\
frr version 8.4
hostname spine1
!
router bgp 65100
 neighbor FABRIC peer-group
 neighbor eth1 interface remote-as 4200000001
 neighbor eth1 interface peer-group FABRIC
 neighbor eth2 interface v6only remote-as 4200000002
 neighbor eth2 peer-group FABRIC
exit
!
end
"""


def test_peer_group_members_in_the_one_line_form_are_found_with_the_form_frr_shows() -> None:
    found = undisplayable_lines(ONE_LINE_FORM)
    assert [(u.line_number, u.line, u.display_form) for u in found] == [
        (
            6,
            " neighbor eth1 interface remote-as 4200000001",
            ("neighbor eth1 interface peer-group FABRIC", "neighbor eth1 remote-as 4200000001"),
        ),
        (
            8,
            " neighbor eth2 interface v6only remote-as 4200000002",
            ("neighbor eth2 interface v6only peer-group FABRIC", "neighbor eth2 remote-as 4200000002"),
        ),
    ]
    assert found[0].message().startswith("line 6: `neighbor eth1 interface remote-as 4200000001`: ")
    assert "`neighbor eth1 interface peer-group FABRIC` then `neighbor eth1 remote-as 4200000001`" in found[0].message()


def test_a_group_with_its_own_remote_as_shows_only_the_membership() -> None:
    config = (
        "router bgp 65100\n neighbor FABRIC peer-group\n neighbor FABRIC remote-as external\n"
        " neighbor eth1 interface remote-as external\n neighbor eth1 interface peer-group FABRIC\nexit\n"
    )
    (found,) = undisplayable_lines(config)
    assert found.line_number == 4 and found.display_form == ("neighbor eth1 interface peer-group FABRIC",)


@pytest.mark.parametrize(
    "config",
    [
        # the display form itself (what netweave renders for FRR and SONiC)
        "router bgp 65100\n neighbor FABRIC peer-group\n neighbor eth1 interface peer-group FABRIC\n"
        " neighbor eth1 remote-as 4200000001\nexit\n",
        # outside a peer-group FRR shows exactly the one-line form
        "router bgp 65100\n neighbor eth1 interface remote-as external\n neighbor eth1 description x\nexit\n",
        # membership in another BGP instance's block is another neighbor
        "router bgp 65100\n neighbor eth1 interface remote-as external\nexit\n!\n"
        "router bgp 65100 vrf blue\n neighbor G peer-group\n neighbor eth1 interface peer-group G\n"
        " neighbor eth1 remote-as external\nexit\n",
        # numbered neighbors are displayed as written
        "router bgp 65100\n neighbor FABRIC peer-group\n neighbor 10.1.0.1 remote-as 65001\n"
        " neighbor 10.1.0.1 peer-group FABRIC\nexit\n",
    ],
)
def test_forms_frr_displays_as_written_are_accepted(config: str) -> None:
    assert undisplayable_lines(config) == []


class Untouchable:
    """A transport that fails the test if the driver sends anything to the device."""

    def __getattr__(self, name: str) -> Any:
        raise AssertionError(f"the driver used the transport ({name}) for a candidate it must refuse")


@pytest.mark.parametrize(
    ("load", "error"),
    [("load_replace_candidate", ReplaceConfigException), ("load_merge_candidate", MergeConfigException)],
)
def test_driver_refuses_the_candidate_before_touching_the_device(
    load: str, error: type[Exception], monkeypatch: pytest.MonkeyPatch
) -> None:
    driver = FRRDriver("spine1", "", "", optional_args={"transport": "netns"})
    monkeypatch.setattr(driver, "_transport", Untouchable())
    with pytest.raises(error) as raised:
        getattr(driver, load)(config=ONE_LINE_FORM)
    text = str(raised.value)
    assert text.startswith("spine1: candidate config can never converge, nothing was changed:")
    assert "line 6: `neighbor eth1 interface remote-as 4200000001`" in text
    assert "line 8: `neighbor eth2 interface v6only remote-as 4200000002`" in text
    assert driver.get_config(retrieve="candidate")["candidate"] == ""
