"""EOS validator (netweave.check.eos): command forms from Arista AVD's eos_cli_config_gen templates (pyavd), in
their parent context, and Ethernet names / lane speeds against the catalogue's cage layout."""

from __future__ import annotations

import ast
import importlib.util
from pathlib import Path

import pytest

from netweave.catalog import builtin_platforms
from netweave.check import eos_forms
from netweave.check.eos import check_eos, command_forms, interface_problems, validate
from netweave.check.problems import ValidatorUnavailable
from tests.support.check_env import require

OSFP = builtin_platforms()["arista-7060x6-64pe"]  # 64 x 800G OSFP, 8 lanes per cage
QSFP = builtin_platforms()["arista-7050cx3-32s"]  # 32 x 100G QSFP100, 4 lanes per cage

LEAF = """\
! leaf1
service routing protocols model multi-agent
!
hostname leaf1
!
vrf instance MGMT
!
interface Ethernet1/1
   description to spine1 Ethernet1/1
   mtu 9214
   speed 400g-4
   no switchport
   ip address 10.1.0.1/31
   qos trust dscp
   priority-flow-control on
   priority-flow-control priority 3 no-drop
!
interface Ethernet1/5
   speed 400g-4
   no switchport
   ip address 10.1.0.3/31
!
interface Loopback0
   ip address 10.0.0.3/32
!
interface Vxlan1
   vxlan source-interface Loopback0
   vxlan vlan 100 vni 10100
!
ip routing
!
router bgp 4200000001
   router-id 10.0.0.3
   maximum-paths 64 ecmp 64
   neighbor SPINES peer group
   neighbor SPINES remote-as 65100
   neighbor SPINES bfd
   neighbor 10.1.0.0 peer group SPINES
   !
   vlan 100
      rd 10.0.0.3:10100
      route-target both 65100:10100
      redistribute learned
   !
   address-family evpn
      neighbor SPINES activate
!
lldp run
!
end
"""


@pytest.fixture(autouse=True)
def pyavd_present() -> None:
    require(importlib.util.find_spec("pyavd") is not None, "pyavd not installed (pip install -e '.[dev]')")


def test_a_config_of_avd_forms_on_its_platform_passes() -> None:
    assert check_eos(LEAF, "leaf1.eos.cfg", OSFP) == []


def test_forms_come_from_the_templates() -> None:
    forms = command_forms()
    assert len(forms.patterns) > 1000  # ~2,800 from pyavd 6.4
    top = forms.matches("router bgp 65100", 0, frozenset({-1}))
    assert top and forms.matches("neighbor SPINES remote-as 65100", 1, top)
    assert not forms.matches("vxlan vlan 100 vni 10100", 1, top)  # a Vxlan1 command, not a router bgp one


@pytest.mark.parametrize(
    ("old", "new", "line", "fragment"),
    [
        ("   neighbor SPINES bfd\n", "   neighbor SPINES bogus-keyword\n", 37, "'neighbor SPINES bogus-keyword'"),
        ("   vxlan vlan 100 vni 10100\n", "   vxlan vlan 100 vnix 10100\n", 28, "under 'interface Vxlan1'"),
        ("      redistribute learned\n", "      redistribut learned\n", 43, "under 'router bgp 4200000001 > vlan 100'"),
        ("ip routing\n", "ip routeing\n", 30, "at top level"),
        ("      route-target both 65100:10100\n", "      route-target both 70000:70000\n", 42, "invalid route target"),
        ("      rd 10.0.0.3:10100\n", "      rd leaf1\n", 41, "invalid route distinguisher"),
    ],
)
def test_broken_lines_are_rejected_with_line_and_context(old: str, new: str, line: int, fragment: str) -> None:
    assert old in LEAF
    problems = check_eos(LEAF.replace(old, new, 1), "leaf1.eos.cfg", OSFP)
    assert [p.line for p in problems] == [line], problems
    assert fragment in str(problems[0]) and str(problems[0]).startswith(f"leaf1.eos.cfg:{line}: ")


def test_a_command_in_the_wrong_section_is_rejected() -> None:
    text = LEAF.replace("   router-id 10.0.0.3\n", "   router-id 10.0.0.3\n   vxlan source-interface Loopback0\n")
    problems = check_eos(text, "x", OSFP)
    assert len(problems) == 1
    assert "'vxlan source-interface Loopback0' under 'router bgp 4200000001'" in problems[0].message


def test_children_of_an_unknown_section_are_not_reported_twice() -> None:
    problems = check_eos(LEAF.replace("interface Vxlan1\n", "interfase Vxlan1\n"), "x", OSFP)
    assert [p.line for p in problems] == [26]


def test_defect_1_unbroken_name_on_a_breakout_cage() -> None:
    # issue #14: 'Ethernet25' on an OSFP platform; Arista names the cage's ports Ethernet25/1..25/8
    problems = interface_problems("interface Ethernet25\n   no switchport\n", "x", OSFP)
    assert [(p.line, p.message) for p in problems] == [
        (1, "Ethernet25: port 25 is a 8-lane cage, named Ethernet25/1..8")
    ]


def test_defect_1_neighbor_interface_names_are_judged_too() -> None:
    text = "router bgp 65100\n   neighbor interface Ethernet33 peer-group SPINES\n"
    problems = interface_problems(text, "x", OSFP)
    assert [p.line for p in problems] == [2] and "Ethernet33/1..8" in problems[0].message


def test_defect_1_400g_over_4_lanes_starts_on_lane_1_or_5() -> None:
    # 2x400G on an 8-lane OSFP uses Ethernet1/1 and Ethernet1/5 (issue #14); Ethernet1/2 cannot carry 400g-4
    assert interface_problems("interface Ethernet1/5\n   speed 400g-4\n", "x", OSFP) == []
    problems = interface_problems("interface Ethernet1/2\n   speed 400g-4\n", "x", OSFP)
    assert [p.line for p in problems] == [2] and "only at lanes 1, 5" in problems[0].message


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("interface Ethernet65/1\n", "has no port 65"),
        ("interface Ethernet1/9\n", "lanes 1..8"),
        ("interface Ethernet1/1\n   speed 800g-4\n", "exceeds the cage's lane rate"),
        ("interface Ethernet1/1\n   speed 100g-8\n", None),
        ("interface Ethernet32\n", "Ethernet32/1..4"),
    ],
)
def test_layout_rules(text: str, fragment: str | None) -> None:
    platform = QSFP if "32\n" in text else OSFP
    problems = interface_problems(text, "x", platform)
    if fragment is None:
        assert problems == []
    else:
        assert len(problems) == 1 and fragment in problems[0].message, problems


def test_descriptions_name_the_peers_ports_and_are_not_judged() -> None:
    assert interface_problems("interface Ethernet1/1\n   description to spine1 Ethernet7\n", "x", OSFP) == []


def test_validate_uses_each_devices_platform(tmp_path: Path) -> None:
    good = tmp_path / "leaf1.eos.cfg"
    good.write_text(LEAF)
    on_qsfp = tmp_path / "leaf2.eos.cfg"
    on_qsfp.write_text(LEAF)
    problems = validate([good, on_qsfp], {"leaf1": "arista-7060x6-64pe", "leaf2": "arista-7050cx3-32s"}, None)
    # on a 4-lane QSFP100 cage, 400g-4 exceeds the lane rate and Ethernet1/5 does not exist
    assert [(p.file, p.line) for p in problems] == [(str(on_qsfp), 11), (str(on_qsfp), 18)]
    unknown = validate([good], {"leaf1": "no-such-platform"}, None)
    assert [p.message for p in unknown] == ["platform 'no-such-platform' is not in the catalogue: names not checked"]


def test_missing_pyavd_names_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    eos_forms.command_forms.cache_clear()
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None)  # as if pyavd were not installed
    try:
        with pytest.raises(ValidatorUnavailable, match="pip install pyavd"):
            validate([], {}, None)
    finally:
        monkeypatch.undo()
        eos_forms.command_forms.cache_clear()


def test_forms_cached_on_disk_are_the_derived_forms(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    derived = command_forms()  # this process's forms (derived once, or read from the user's cache)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.setattr(
        eos_forms, "_derive", lambda folder: derived
    )  # deriving again costs seconds; its output is given
    eos_forms.command_forms.cache_clear()
    try:
        assert command_forms() is derived  # nothing cached under tmp_path yet: "derived", then written
        assert len(list((tmp_path / "netweave" / "eos-forms").glob("*.json"))) == 1
        eos_forms.command_forms.cache_clear()
        cached = command_forms()  # read back from tmp_path
        assert cached is not derived
        assert [p.pattern for p in cached.patterns] == [p.pattern for p in derived.patterns]
        assert cached.parent == derived.parent and cached.level == derived.level
    finally:
        eos_forms.command_forms.cache_clear()


QOS_PROFILE = """\
qos profile ROCE-LOSSLESS
   qos trust dscp
   !
   tx-queue 0
      bandwidth percent 40
      no priority
   !
   tx-queue 6
      priority strict
!
end
"""


def test_tx_queue_priority_lines_are_the_schema_values() -> None:
    """AVD prints a tx-queue's `priority` field as the whole line; its schema allows exactly 'priority strict' and
    'no priority' there (pyavd's `Priority: TypeAlias = Literal[...]`), so both pass and a misspelling fails.
    Before the forms read the schema, such a value-only line had no form at all and both were rejected."""
    assert check_eos(QOS_PROFILE, "x") == []
    problems = check_eos(QOS_PROFILE.replace("priority strict", "priority strikt"), "x")
    assert [(p.line, p.path) for p in problems] == [(9, "qos profile ROCE-LOSSLESS > tx-queue 6")]
    # another model's `priority` values (e.g. 'high') are not a tx-queue's: the enumeration is the model's own
    assert [p.line for p in check_eos(QOS_PROFILE.replace("priority strict", "high"), "x")] == [9]


def test_schema_enumerations_are_read_from_pyavd() -> None:
    enums = eos_forms._schema_enums(eos_forms._templates_dir())
    assert enums["TxQueuesItem.priority"] == ("no priority", "priority strict")
    assert {"priority strict", "no priority"} < set(enums["priority"])  # the union over every model is wider
    printed = ast.parse("str(environment.getattr(q, 'priority'))").body[0]
    assert isinstance(printed, ast.Expr) and eos_forms._field_name(printed.value) == "priority"


SPINE_EVPN = """\
router bgp 65100
   neighbor LEAVES peer group
   !
   address-family evpn
      bgp next-hop-unchanged
      neighbor LEAVES activate
!
end
"""


def test_evpn_next_hop_unchanged_is_the_address_family_form() -> None:
    """The spine keeps the leaf VTEP as EVPN next hop with AVD's address-family form; the per-neighbor form under
    address-family evpn (what netweave rendered before) is not an AVD form there."""
    assert check_eos(SPINE_EVPN, "x") == []
    old = SPINE_EVPN.replace("      bgp next-hop-unchanged\n", "      neighbor LEAVES next-hop-unchanged\n")
    assert [p.line for p in check_eos(old, "x")] == [5]


def test_a_banner_is_free_text_up_to_its_eof_line() -> None:
    """AVD's banners.j2 writes `banner login`, the text, then `EOF`: the text is not judged as commands, and
    judging resumes after EOF (a bad command there is still found)."""
    text = (
        "hostname leaf1\n!\nbanner login\nAuthorised access only. Activity is logged.\nEOF\n!\nbogus command\n!\nend\n"
    )
    problems = check_eos(text, "x", OSFP)
    assert [(p.line, p.message) for p in problems] == [(7, "no EOS command form 'bogus command' at top level")]
