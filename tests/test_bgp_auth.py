"""BGP session authentication (`management.bgp_auth`): scopes, each NOS's own form holding only the secret's
placeholder, the vendor models' verdict on those forms, and the lint rules that refuse an algorithm a NOS has
no form for and a session whose two ends disagree."""

from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

import netweave
from netweave.apply.desired import rendered
from netweave.render import render
from netweave.secrets import referenced
from tests.designs import build, findings, leaf_spine_design
from tests.golden import DESIGNS

PROD = Path(__file__).resolve().parents[1] / "stacks" / "prod" / "design.yaml"
KEY = "NETWEAVE_SECRET_BGP_KEY"

FORMS = {
    "spine1.eos.cfg": ["   neighbor LEAVES password 0 NETWEAVE_SECRET_BGP_KEY"],
    "leaf1.eos.cfg": ["   neighbor SPINES password 0 NETWEAVE_SECRET_BGP_KEY"],
    "leaf2.sonic-frr.conf": [" neighbor FABRIC password NETWEAVE_SECRET_BGP_KEY"],
    "leaf4.frr.conf": [" neighbor FABRIC password NETWEAVE_SECRET_BGP_KEY"],
    "leaf3.nvue.yaml": ["                password: NETWEAVE_SECRET_BGP_KEY"],
    "leaf5.srlinux.json": [
        '"type": "tcp-md5", "key": [{"index": 1, "algorithm": "md5", "authentication-key": "NETWEAVE_SECRET_BGP_KEY"}]',
        '"authentication": {"keychain": "NETWEAVE-BGP"}',
    ],
}
"""Each NOS's form of TCP MD5 in the evpn-mixed golden design (its `management.bgp_auth`), as the templates write
it; the files themselves are judged by the vendor models in tests/check/test_bundled_designs.py."""


def _mixed() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(Path(DESIGNS["evpn-mixed"]).read_text())
    return data


def _files(data: dict[str, Any]) -> dict[str, str]:
    return {name: text for c in render(build(data)) for name, text in c.files.items()}


def _srlinux_text(text: str) -> str:
    """SR Linux JSON as one line per object (the renderer re-dumps it with indent): whitespace collapsed."""
    return " ".join(text.split()).replace("{ ", "{").replace(" }", "}").replace("[ ", "[").replace(" ]", "]")


def test_every_nos_authenticates_its_sessions_with_the_placeholder_only() -> None:
    files = _files(_mixed())
    for name, forms in FORMS.items():
        text = _srlinux_text(files[name]) if name.endswith(".json") else files[name]
        for form in forms:
            assert (_srlinux_text(form) if name.endswith(".json") else form) in text, (name, form)
    # the SR Linux keychain belongs to every peer group: each group references it
    srl = _srlinux_text(files["leaf5.srlinux.json"])
    assert srl.count('"authentication": {"keychain": "NETWEAVE-BGP"}') == srl.count('"group-name"') >= 1


def test_without_bgp_auth_no_session_is_authenticated() -> None:
    data = _mixed()
    del data["management"]["bgp_auth"]
    for name, text in _files(data).items():
        assert KEY not in text and "NETWEAVE-BGP" not in text and "authentication-key" not in text, name
        assert not [line for line in text.splitlines() if line.lstrip().startswith("neighbor") and " password" in line]


def test_sros_authenticates_each_group() -> None:
    data = yaml.safe_load(Path(DESIGNS["ai-sros"]).read_text())
    data["management"] = {"bgp_auth": {"key": {"secret": "bgp_key"}}}
    for name, text in _files(data).items():
        assert text.count(f'authentication-key "{KEY}"') == text.count('\n            group "') >= 1, name


def test_narrower_scope_overrides_and_null_turns_it_off() -> None:
    data = leaf_spine_design()
    data["management"] = {"bgp_auth": {"key": {"secret": "design_key"}}}
    second = copy.deepcopy(data["sites"][0]["fabrics"][0])
    second.update(name="storage", hostname_prefix="st-", management={"bgp_auth": None})
    second["addressing"] = {"loopbacks": "10.2.0.0/24", "p2p": "10.3.0.0/22", "management": {"prefix": "172.21.0.0/24"}}
    data["sites"][0]["fabrics"].append(second)
    data["sites"][0]["management"] = {"bgp_auth": {"key": {"secret": "site_key"}, "algorithm": "tcp-ao"}}
    network = build(data)
    assert network.management["design"].bgp_auth_key == "design_key"
    site = network.management["site/dc1"]
    assert (site.bgp_auth_key, site.bgp_auth_algorithm) == ("site_key", "tcp-ao")
    assert network.management["fabric/storage"].bgp_auth_key is None
    files = {name: text for c in render(network) for name, text in c.files.items()}
    assert "NETWEAVE_SECRET_SITE_KEY" in files["leaf1.eos.cfg"] and "password shared-secret" in files["leaf1.eos.cfg"]
    assert not any("NETWEAVE_SECRET_" in text for name, text in files.items() if name.startswith("st-"))


def test_eos_tcp_ao_is_a_shared_secret_profile_the_eos_judge_accepts() -> None:
    from netweave.check.eos import check_eos

    data = leaf_spine_design(
        spines={"count": 2, "platform": "arista-7050cx3-32s", "nos": "eos"},
        leaves={"count": 2, "platform": "arista-7050cx3-32s", "nos": "eos", "uplink_first_port": 31},
    )
    data["management"] = {"bgp_auth": {"key": {"secret": "bgp_key"}, "algorithm": "tcp-ao"}}
    network = build(data)
    assert findings(network, "bgp-auth-algorithm") == []
    for config in render(network):
        for name, text in config.files.items():
            assert (
                "management security\n   session shared-secret profile NETWEAVE-BGP\n"
                f"      secret 1 0 {KEY} receive-lifetime infinite transmit-lifetime infinite\n" in text
            )
            assert "password shared-secret profile NETWEAVE-BGP algorithm aes-128-cmac-96" in text
            assert " password 0 " not in text
            platform = network.platforms[network.device_by_name[config.device].platform]
            assert check_eos(text, name, platform) == [], name


def test_tcp_ao_is_refused_where_the_nos_has_no_form_for_it(write_design: Callable, cli: Callable) -> None:
    data = _mixed()
    data["management"]["bgp_auth"]["algorithm"] = "tcp-ao"
    found = findings(build(data), "bgp-auth-algorithm")
    assert sorted(f.device or "" for f in found) == ["leaf2", "leaf3", "leaf4", "leaf5"]  # EOS has TCP-AO
    assert {f.path for f in found} == {"management.bgp_auth.algorithm"}
    path = write_design(data)
    result = cli("build", path, "-o", path.parent / "out")
    assert result.exit_code == 2, result.output
    line = next(i for i, text in enumerate(path.read_text().splitlines(), 1) if "algorithm: tcp-ao" in text)
    assert (
        f"{path}:{line}: management.bgp_auth.algorithm: [bgp-auth-algorithm] error: leaf4 runs FRR, "
        "which has no tcp-ao form for BGP sessions (it has: md5)"
    ) in result.stderr, result.stderr
    assert "Traceback" not in result.output


def test_a_session_whose_ends_disagree_is_refused() -> None:
    """Where two scopes meet on a session: the prod DCI carrier between ams1's and fra1's routers."""
    data = yaml.safe_load(PROD.read_text())
    assert findings(build(data), "bgp-auth-mismatch") == []
    data["sites"][1]["management"]["bgp_auth"] = {"key": {"secret": "fra1_key"}}
    found = findings(build(data), "bgp-auth-mismatch")
    assert len(found) == 1, found
    assert found[0].message.startswith("session ams1-dci1 - fra1-dci1: ")
    assert "'bgp_key' (management)" in found[0].message and "'fra1_key' (sites[1].management)" in found[0].message
    assert "stay down" in found[0].message and found[0].path == "sites[1].management.bgp_auth"
    data["sites"][1]["management"]["bgp_auth"] = None  # fra1 without authentication: as much a mismatch
    assert "no authentication" in findings(build(data), "bgp-auth-mismatch")[0].message


@pytest.mark.parametrize(
    ("bgp_auth", "path", "fragment"),
    [
        ({"key": "plain-text-key"}, "management.bgp_auth.key", "expected object"),
        ({"key": {"secret": "k"}, "algorithm": "sha1"}, "management.bgp_auth.algorithm", "sha1"),
        ({"algorithm": "md5"}, "management.bgp_auth", "key"),
        ({"key": {"secret": "k"}, "password": "x"}, "management.bgp_auth", "password"),
    ],
)
def test_bad_bgp_auth_is_located(
    bgp_auth: dict[str, Any], path: str, fragment: str, write_design: Callable, cli: Callable
) -> None:
    data = leaf_spine_design()
    data["management"] = {"bgp_auth": bgp_auth}
    result = cli("validate", write_design(data))
    assert result.exit_code == 2 and fragment in result.stderr and path in result.stderr, result.stderr
    assert "Traceback" not in result.output


def test_the_key_never_reaches_build_output(monkeypatch: pytest.MonkeyPatch, cli: Callable, tmp_path: Path) -> None:
    """The key's value set in the environment (as for `netweave apply`) stays out of everything `build` writes."""
    value = "Bgp-e41c07d95a"
    monkeypatch.setenv(KEY, value)
    result = cli("build", DESIGNS["evpn-mixed"], "-o", tmp_path / "build")
    assert result.exit_code == 0, result.output
    texts = [p.read_text() for p in (tmp_path / "build").rglob("*") if p.is_file()]
    assert sum(KEY in t for t in texts) >= 7 and not any(value in t for t in texts) and value not in result.output


def test_netweave_network_json_names_the_secret_never_a_value() -> None:
    network = netweave.expand(netweave.load(DESIGNS["evpn-mixed"]))
    text = network.to_json()
    assert '"bgp_auth_key": "bgp_key"' in text and '"bgp_auth_algorithm": "md5"' in text


def test_apply_refuses_a_key_longer_than_sr_linux_uses_on_both_ends_of_its_sessions() -> None:
    """SR Linux uses the first 20 characters of a cleartext key (srl_nokia-common `routing-password`); the EOS
    spines use all of it, so with a 21-character key the sessions to leaf5 would never come up."""
    network = netweave.expand(netweave.load(DESIGNS["evpn-mixed"]))
    names = ["leaf1", "leaf5", "spine1"]
    others = {t: "v" for c in render(network) for text in c.files.values() for t in referenced(text)}
    long_key = "K" * 21
    desired = rendered(network, names, {**others, KEY: long_key}.get)
    for name in ("leaf5", "spine1"):  # SR Linux itself, and an EOS spine peering with it
        error = desired.devices[name].error
        assert KEY in error and "21 characters" in error and "first 20" in error, error
        assert long_key not in error and desired.devices[name].config == ""
    assert desired.devices["leaf1"].error == ""  # leaf1 peers with the EOS spines only
    fits = rendered(network, names, {**others, KEY: "K" * 20}.get)
    assert not any(d.error for d in fits.devices.values()), fits.devices
