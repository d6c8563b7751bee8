"""SR Linux validator (netweave.check.srlinux): yanglint against Nokia's v25.3.1 models, per-platform features."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from netweave.check.problems import ValidatorUnavailable
from netweave.check.srlinux import (
    PLATFORM_PROFILES,
    check_srlinux,
    check_srlinux_many,
    feature_set,
    features_from_startup,
    profile_for,
    srlinux_models_dir,
    validate,
)
from netweave.check.srlinux_models import _eval_feature_expr, _rewrite_xpath
from tests.support.check_env import require, require_tool, sample

SAMPLE_PLATFORM = "7220-ixr-h4"  # PFC-capable per srl_nokia-features (qos-pfc-xgs)


@pytest.fixture
def srlinux_ready() -> None:
    """yanglint and the SR Linux models are both present (skip, or fail under CI, otherwise)."""
    require_tool("yanglint", "libyang2-tools")
    try:
        srlinux_models_dir()
    except ValidatorUnavailable as exc:
        require(False, str(exc))


@pytest.mark.real
def test_reference_sample_passes(srlinux_ready: None) -> None:
    assert check_srlinux(sample("srlinux.json"), SAMPLE_PLATFORM) == []


@pytest.mark.real
def test_pfc_sample_rejected_on_platform_without_pfc(srlinux_ready: None) -> None:
    problems = check_srlinux(sample("srlinux.json"), "7220-ixr-d3l")
    assert problems and "pfc-queue" in problems[0].message


@pytest.mark.real
def test_virtual_platform_enforces_one_second_bfd(srlinux_ready: None) -> None:
    # Nokia marks this must with srl_nokia-ext:if-feature platform-vsrl: only the virtual one has it.
    # Without QoS (no PFC on the virtual profile) the BFD interval is the first problem.
    data = json.loads(sample("srlinux.json"))
    del data["srl_nokia-qos:qos"]
    problems = check_srlinux(json.dumps(data, indent=2), "virtual")
    assert any("Minimum value is 1000000 on this platform" in p.message for p in problems)


@pytest.mark.real
@pytest.mark.parametrize(
    ("old", "new", "fragment"),
    [
        ('"mtu": 9216', '"mtu": 99999', "out of type uint16"),
        ('"host-name"', '"hostname"', 'Node "hostname" not found'),
        ('"100G"', '"101G"', "Invalid enumeration value"),
        ('"target:65100:10001"', '"65100:10001"', "no matching subtype"),
        ('"peer-as": 65100', '"peer-as": "x"', "Invalid"),
    ],
)
def test_broken_variants_fail(srlinux_ready: None, old: str, new: str, fragment: str) -> None:
    text = sample("srlinux.json")
    assert old in text
    problems = check_srlinux(text.replace(old, new, 1), SAMPLE_PLATFORM)
    assert any(fragment in p.message for p in problems), problems


@pytest.mark.real
def test_mtu_error_carries_json_line_number(srlinux_ready: None) -> None:
    text = sample("srlinux.json")
    line = text[: text.index('"mtu": 9216')].count("\n") + 1
    problems = check_srlinux(text.replace('"mtu": 9216', '"mtu": 99999', 1), SAMPLE_PLATFORM)
    assert problems[0].line == line


@pytest.mark.real
def test_batch_reports_each_file_and_continues_after_a_failure(srlinux_ready: None) -> None:
    good = sample("srlinux.json")
    bad = good.replace('"mtu": 9216', '"mtu": 99999', 1)
    results = check_srlinux_many({"a": good, "b": bad, "c": good, "d": bad, "e": "{"}, SAMPLE_PLATFORM)
    assert results["a"] == [] and results["c"] == []
    assert results["b"] and results["d"] and all(p.file in "bd" for p in results["b"] + results["d"])
    assert "invalid JSON" in results["e"][0].message


@pytest.mark.real
def test_unknown_module_prefix(srlinux_ready: None) -> None:
    problems = check_srlinux(sample("srlinux.json").replace("srl_nokia-bfd:bfd", "srl_nokia-bfdx:bfd"), "virtual")
    assert any("srl_nokia-bfdx" in p.message for p in problems)


@pytest.mark.real
def test_startup_config_preamble_is_ignored(srlinux_ready: None) -> None:
    data = json.loads(sample("srlinux.json"))
    startup = {"_preamble": {"header": {"generated-by": "SRLINUX", "release": "v25.3.1"}}, **data}
    assert check_srlinux(json.dumps(startup, indent=2), SAMPLE_PLATFORM) == []


@pytest.mark.real
def test_profiles_resolve_and_unknown_profile_is_an_error(srlinux_ready: None) -> None:
    for profile in PLATFORM_PROFILES:
        enabled = feature_set(profile)
        assert "msdp" not in enabled  # its if-feature future-0-0 is never on
        assert all(f in enabled for f in PLATFORM_PROFILES[profile])
    assert "qos-pfc" in feature_set("7220-ixr-h4") and "qos-pfc" not in feature_set("7220-ixr-d3l")
    with pytest.raises(ValueError, match="unknown SR Linux platform profile"):
        feature_set("7250-ixr-99")
    explicit = feature_set(["srl_nokia-features:bfd", "vxlan"])
    assert explicit == {"bfd", "vxlan"}
    with pytest.raises(ValueError, match="not in srl_nokia-features"):
        feature_set(["no-such-feature"])


def test_feature_expression_evaluation() -> None:
    on = frozenset({"a", "b"})
    assert _eval_feature_expr("srl_nokia-feat:a and (b or c)", on)
    assert not _eval_feature_expr("not a", on)
    assert _eval_feature_expr("not (c and a) or c", on)


def test_xpath_rewrites_match_device_semantics() -> None:
    assert _rewrite_xpath("'../../type != \"bridged\"'", "", None) == "'not(../../type = \"bridged\")'"
    assert "not(string(.) = string(true()))" in _rewrite_xpath('". = false() or x"', "", None)
    assert "string(../a) = string(true())" in _rewrite_xpath('"../a = true()"', "", None)


@pytest.mark.real
def test_device_feature_list_from_startup_preamble(srlinux_ready: None) -> None:
    enabled = sorted(feature_set("7220-ixr-h4"))
    data = json.loads(sample("srlinux.json"))
    header = {"enabled-yang-features": [f"srl_nokia-features:{f}" for f in enabled], "release": "v25.3.1"}
    startup = json.dumps({"_preamble": {"header": header}, **data}, indent=2)
    features = features_from_startup(startup)
    assert len(features) == len(enabled)
    assert check_srlinux(startup, features) == []
    assert features_from_startup("{") == [] and features_from_startup("{}") == []


@pytest.mark.real
def test_validate_judges_each_file_by_its_platform_and_locates_the_problem(srlinux_ready: None, tmp_path: Path) -> None:
    good = sample("srlinux.json")
    (tmp_path / "leaf1.srlinux.json").write_text(good)
    (tmp_path / "leaf2.srlinux.json").write_text(good.replace('"mtu": 9216', '"mtu": 99999', 1))
    (tmp_path / "leaf3.srlinux.json").write_text(good)
    files = sorted(tmp_path.glob("*.json"))
    platform_of = {"leaf1": "nokia-7220-ixr-h4", "leaf2": "nokia-7220-ixr-h4", "leaf3": "nokia-7220-ixr-d3l"}
    problems = validate(files, platform_of, None)
    by_file = {Path(p.file).name for p in problems}
    # leaf2: bad MTU; leaf3: the same PFC config on a platform without PFC; leaf1 passes
    assert by_file == {"leaf2.srlinux.json", "leaf3.srlinux.json"}, problems
    mtu = next(p for p in problems if p.file.endswith("leaf2.srlinux.json"))
    assert mtu.line == good[: good.index('"mtu": 9216')].count("\n") + 1 and "uint16" in mtu.message
    assert str(mtu).startswith(f"{tmp_path / 'leaf2.srlinux.json'}:{mtu.line}: ")


@pytest.mark.real
def test_validate_judges_lab_nodes_on_the_virtual_platform(srlinux_ready: None, tmp_path: Path) -> None:
    # the containerlab node refuses BFD below 1 s (Nokia's must with srl_nokia-ext:if-feature platform-vsrl)
    data = json.loads(sample("srlinux.json"))
    del data["srl_nokia-qos:qos"]
    path = tmp_path / "leaf1.srlinux.json"
    path.write_text(json.dumps(data, indent=2))
    assert validate([path], {"leaf1": "nokia-7220-ixr-h4"}, None) == []
    for platform_of in ({"leaf1": "virtual"}, {}):  # explicit, and the default for a node without a platform
        problems = validate([path], platform_of, None)
        assert any("Minimum value is 1000000 on this platform" in p.message for p in problems), problems


def test_profile_for_catalogue_names_and_aliases() -> None:
    assert profile_for("nokia-7220-ixr-h5-64d") == "7220-ixr-h5-64d"
    assert profile_for("containerlab") == "virtual" and profile_for("ixr-d3l") == "7220-ixr-d3l"
    with pytest.raises(ValueError, match="no SR Linux feature profile for platform 'arista-7050cx3-32s'"):
        profile_for("arista-7050cx3-32s")


def test_missing_models_name_what_to_pass(tmp_path: Path) -> None:
    with pytest.raises(ValidatorUnavailable, match="--models DIR"):
        srlinux_models_dir(tmp_path)
