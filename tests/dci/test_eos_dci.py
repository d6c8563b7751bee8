"""EOS as a DCI router: the policy of `netweave.dci.routing` in EOS's own commands (prefix-lists, route-maps
with `set metric` for the path's MED and EOS's implicit deny, `aggregate-address ... summary-only`, per-neighbour
route-maps), judged by the command forms of Arista's AVD templates (netweave.check.eos) and the platform's
interface layout."""

from __future__ import annotations

import pytest
import yaml

from netweave.catalog import builtin_platforms
from netweave.check.eos import check_eos
from netweave.check.problems import ValidatorUnavailable
from netweave.expand.expander import expand
from netweave.load.loader import loads
from netweave.render import render
from tests.support.check_env import require
from tests.support.scale import two_sites

PLATFORM = "arista-7060x6-64pe"


def _config(device: str = "dc1-dci") -> str:
    data = two_sites()
    for router in data["optical"]["routers"]:
        router.update(platform=PLATFORM, nos="eos")
    network = expand(loads(yaml.safe_dump(data, sort_keys=False)))
    return render(network, only=[device])[0].files[f"{device}.eos.cfg"]


def _block(text: str, head: str) -> list[str]:
    """The lines of the top-level block starting with `head` (up to the next `!`)."""
    lines = text.splitlines()
    start = lines.index(head)
    end = lines.index("!", start)
    return lines[start:end]


def test_dci_router_policy_in_eos_commands() -> None:
    text = _config()
    assert _block(text, "ip prefix-list DCI-SITE") == ["ip prefix-list DCI-SITE", "   seq 10 permit 10.1.0.0/24 le 32"]
    assert _block(text, "ip prefix-list DCI-LOCAL")[1:] == [
        "   seq 10 permit 10.1.0.0/24",
        "   seq 20 permit 10.90.0.1/32",
    ]
    assert _block(text, "ip prefix-list DCI-REMOTE")[1:] == [
        "   seq 10 permit 10.2.0.0/24",
        "   seq 20 permit 10.90.0.2/32",
    ]
    assert _block(text, "route-map DCI-OUT-MED5 permit 10") == [
        "route-map DCI-OUT-MED5 permit 10",
        "   match ip address prefix-list DCI-LOCAL",
        "   set metric 5",
    ]
    bgp = text[text.index("router bgp 65401") :]
    assert "   aggregate-address 10.1.0.0/24 summary-only\n" in bgp
    # carriers: north (MED 0) and south (MED 5, a latency band slower); the fabric: more-specifics only
    for peer, med in (("10.90.1.0", 0), ("10.90.1.2", 0), ("10.90.1.4", 5), ("10.90.1.6", 5)):
        assert f"   neighbor {peer} route-map DCI-IN in\n   neighbor {peer} route-map DCI-OUT-MED{med} out\n" in bgp
    assert [line for line in bgp.splitlines() if "DCI-FABRIC-IN" in line] == [
        f"   neighbor 10.90.2.{n} route-map DCI-FABRIC-IN in" for n in (1, 3, 5, 7)
    ]


def test_fabric_eos_devices_carry_no_dci_policy() -> None:
    data = two_sites()
    data["sites"][0]["fabrics"][0]["spines"].update(platform=PLATFORM, nos="eos")
    network = expand(loads(yaml.safe_dump(data, sort_keys=False)))
    text = render(network, only=["dc1-spine1"])[0].files["dc1-spine1.eos.cfg"]
    assert "route-map DCI-" not in text and "prefix-list DCI-" not in text and "aggregate-address" not in text


@pytest.mark.real
def test_dci_router_matches_avd_command_forms() -> None:
    text = _config()
    platform = builtin_platforms()[PLATFORM]
    try:
        problems = check_eos(text, "dc1-dci.eos.cfg", platform)
    except ValidatorUnavailable as exc:
        require(False, str(exc))
        return
    assert problems == []
    broken = text.replace("route-map DCI-IN in", "route-map DCI-IN inbound", 1)
    assert len(check_eos(broken, "dc1-dci.eos.cfg", platform)) == 1  # the judge reads the DCI lines
