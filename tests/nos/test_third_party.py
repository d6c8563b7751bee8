"""Adding a NOS is one module plus its templates folder, installed the way any third-party package is.

The test writes a small distribution into a temporary folder: a module `acme_nos` defining `PROFILE`, its
`templates/` folder, and `acme_nos-1.0.dist-info/entry_points.txt` declaring it in the `netweave.nos` group.
With that folder on sys.path, importlib.metadata finds the entry point exactly as it would for a wheel, and
a design naming the NOS validates, builds and exports to containerlab, with netweave's code unchanged.
"""

from __future__ import annotations

import re
import sys
import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

import netweave
from netweave.lab.clab import export
from netweave.load.loader import _validator, design_schema
from netweave.nos import PROFILES, nos_names, profile
from netweave.plugins import PluginError
from netweave.render import render
from tests.conftest import REPO, fabric

ACME_MODULE = '''
"""Acme OS: a NOS outside netweave, for the plugin test."""

from pathlib import Path

from netweave.nos.base import Containerlab, Napalm, NosProfile, PortNames, Rendering


def acme_context(network, device, context):
    """Acme spells speeds in Mb/s."""
    return {"speed_mbps": {i.name: i.speed * 1000 for i in device.interfaces}}


PROFILE = NosProfile(
    name="acme",
    title="Acme OS",
    interfaces=PortNames(port="xe-0/0/{port}", lane="xe-0/0/{port}:{lane0}"),
    management_interface="fxp0",
    render=Rendering(
        files={".acme.conf": "acme.conf.j2"},
        templates=(Path(__file__).parent / "templates",),
        context=acme_context,
    ),
    clab=Containerlab(
        kind="linux", image="acme/acme-os:1.0", interfaces=PortNames(port="et{port}", lane="et{port}_{lane}")
    ),
    napalm=Napalm(driver="acme", confirm_step=60),
)
'''

ACME_TEMPLATE = """\
hostname {{ device.name }}
management {{ mgmt.interface }} {{ mgmt.address }}
{% for iface in interfaces %}
interface {{ iface.name }} speed {{ speed_mbps[iface.name] }} address {{ iface.ipv4 }}
{% endfor %}
router bgp {{ bgp.asn }}
"""


@pytest.fixture
def install(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[[str], Path]]:
    """Install the Acme distribution, with the given `netweave.nos` entry points, into the running process
    (and forget it afterwards)."""

    def install_acme(entry_points: str) -> Path:
        site = tmp_path / "site"
        package = site / "acme_nos"
        (package / "templates").mkdir(parents=True)
        (package / "__init__.py").write_text(textwrap.dedent(ACME_MODULE))
        (package / "templates" / "acme.conf.j2").write_text(ACME_TEMPLATE)
        dist = site / "acme_nos-1.0.dist-info"
        dist.mkdir()
        (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: acme-nos\nVersion: 1.0\n")
        (dist / "entry_points.txt").write_text(f"[netweave.nos]\n{entry_points}\n")
        monkeypatch.syspath_prepend(str(site))  # also invalidates importlib's path caches
        _forget()
        return site

    yield install_acme
    _forget()  # the next use reloads the profiles after monkeypatch has taken the folder off sys.path again
    sys.modules.pop("acme_nos", None)


@pytest.fixture
def acme(install: Callable[[str], Path]) -> Path:
    """Acme installed as its author would declare it."""
    return install("acme = acme_nos:PROFILE")


def _forget() -> None:
    """Drop what was loaded and derived from the installed profiles (registry, JSON Schema, validator)."""
    PROFILES.clear()
    design_schema.cache_clear()
    _validator.cache_clear()


ACME_PLATFORM = {
    "vendor": "Acme",
    "model": "A-32",
    "nos": ["acme"],
    "ports": [{"count": 32, "speed": 100, "lanes": 4, "breakouts": ["4x25"]}],
    "source": "test platform",
}


def _acme_design(lab_data: dict[str, Any]) -> dict[str, Any]:
    lab_data["platforms"] = {"acme-32": ACME_PLATFORM}
    fabric(lab_data)["leaves"]["overrides"]["leaf4"] = {"platform": "acme-32", "nos": "acme"}
    fabric(lab_data)["leaves"]["uplink_first_port"] = 17
    return lab_data


def test_a_third_party_nos_is_registered_validated_rendered_and_exported(
    acme: Path, lab_data: dict[str, Any], write_design: Callable[[dict[str, Any]], Path]
) -> None:
    assert "acme" in nos_names() and profile("acme").title == "Acme OS"
    assert "acme" in design_schema()["$defs"]["Platform"]["properties"]["nos"]["items"]["enum"]
    network = netweave.expand(netweave.load(write_design(_acme_design(lab_data))))
    leaf4 = network.device_by_name["leaf4"]
    assert leaf4.nos == "acme" and leaf4.mgmt_interface == "fxp0"
    assert [i.name for i in leaf4.interfaces][:2] == ["xe-0/0/17", "xe-0/0/18"]  # uplinks from port 17

    [config] = render(network, only=["leaf4"])
    text = config.files["leaf4.acme.conf"]
    assert text.startswith("hostname leaf4\nmanagement fxp0 172.20.0.")
    assert "interface xe-0/0/17 speed 100000 address 10.1." in text and f"router bgp {leaf4.asn}" in text
    [spine1] = render(network, only=["spine1"])  # its peer is named the Acme way; the built-ins are untouched
    assert any(i.peer_interface == "xe-0/0/17" for i in network.device_by_name["spine1"].interfaces)
    assert "to leaf4 xe-0/0/17" in spine1.files["spine1.srlinux.json"]

    clab = export(network)
    node = clab.topology["topology"]["nodes"]["leaf4"]
    assert node["kind"] == "linux" and node["image"] == "acme/acme-os:1.0"
    assert node["startup-config"] == "configs/leaf4.acme.conf" and clab.files["configs/leaf4.acme.conf"] == text
    assert any("leaf4:et17" in link["endpoints"] for link in clab.topology["topology"]["links"])


def test_unknown_nos_error_lists_the_registered_profiles_including_third_party(
    acme: Path, lab_data: dict[str, Any], write_design: Callable[[dict[str, Any]], Path], cli: Callable[..., Any]
) -> None:
    data = _acme_design(lab_data)
    fabric(data)["leaves"]["overrides"]["leaf3"] = {"platform": "acme-32", "nos": "acmee"}
    path = write_design(data)
    result = cli("validate", path)
    assert result.exit_code == 2 and "Traceback" not in result.output
    line = next(n for n, text in enumerate(path.read_text().splitlines(), 1) if "acmee" in text)
    assert (
        f"{path}:{line}: sites[0].fabrics[0].leaves.overrides.leaf3.nos: unknown NOS 'acmee' "
        "(hint: did you mean 'acme'? registered NOS profiles: acme, eos, frr, nvue, sonic, srlinux, sros)"
    ) in result.output


def test_without_the_distribution_the_nos_is_unknown(
    lab_data: dict[str, Any], write_design: Callable[[dict[str, Any]], Path], cli: Callable[..., Any]
) -> None:
    """The same design fails, located, when Acme is not installed: a design platform cannot name a missing NOS."""
    path = write_design(_acme_design(lab_data))
    result = cli("validate", path)
    assert result.exit_code == 2 and "Traceback" not in result.output
    line = next(n for n, text in enumerate(path.read_text().splitlines(), 1) if text.strip() == "- acme")
    assert (
        f"{path}:{line}: platforms.acme-32.nos[0]: unknown NOS 'acme' "
        "(hint: registered NOS profiles: eos, frr, nvue, sonic, srlinux, sros)"
    ) in result.output


@pytest.mark.parametrize(
    ("entry_points", "message"),
    [
        (
            "acme = acme_nos:PROFILE\nacme-os = acme_nos:PROFILE",
            "NOS profile 'acme-os' (acme_nos:PROFILE) is a second NOS profile named 'acme'",
        ),
        ("acme = acme_nos:PROFLE", "NOS profile 'acme' (acme_nos:PROFLE) failed to load"),
        ("acme = acme_nos:acme_context", "NOS profile 'acme' (acme_nos:acme_context) has no 'name'"),
    ],
)
def test_a_broken_or_clashing_nos_plugin_is_named_without_a_traceback(
    install: Callable[[str], Path], entry_points: str, message: str, cli: Callable[..., Any], lab_data: dict[str, Any]
) -> None:
    """A profile must never silently replace another (a clash would re-route every device of that NOS)."""
    install(entry_points)
    with pytest.raises(PluginError, match=re.escape(message)):
        nos_names()
    _forget()
    result = cli("validate", REPO / "stacks" / "lab" / "design.yaml")
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert f"error: {message}" in result.output and "fix or uninstall the package" in result.output
