"""OpenConfig rendering: RFC 7951 encoding rules, and validation by yanglint against the real models."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from netweave.optical.openconfig import (
    OpticalChannelConfig,
    TransceiverConfig,
    optical_channel_component,
    render_components,
    render_json,
)


def _yanglint(dirs: dict[str, Path], document: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    """Validate ``document`` as a config datastore.

    Modules: openconfig-platform (components), openconfig-terminal-device (optical-channel augment),
    openconfig-platform-transceiver (transceiver augment) and openconfig-platform-types, which must be
    *implemented* (listed), not only imported, or libyang cannot resolve identityref values such as
    FEC_ENABLED. Search dirs: each OpenConfig directory the imports reach (platform, optical-transport,
    types, interfaces, lldp, system for alarm types, the root for openconfig-extensions) plus
    ietf-interfaces and iana-if-type, which openconfig-public does not ship (taken from the SR Linux
    model bundle in the shared reference). No YANG features need enabling.
    """
    models = dirs["models"]
    search = [
        models,
        *(models / d for d in ("platform", "optical-transport", "types", "interfaces", "lldp", "system")),
    ]
    search += [dirs["ietf"], dirs["iana"]]
    modules = [
        models / "platform/openconfig-platform.yang",
        models / "platform/openconfig-platform-types.yang",
        models / "platform/openconfig-platform-transceiver.yang",
        models / "optical-transport/openconfig-terminal-device.yang",
    ]
    data = tmp_path / "components.json"
    data.write_text(document, encoding="utf-8")
    command = ["yanglint", "-t", "config"]
    for directory in search:
        command += ["-p", str(directory)]
    command += [*map(str, modules), str(data)]
    return subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)


CARRIER = OpticalChannelConfig(
    component="OCH-1/1/1",
    frequency_mhz=193_106_250,
    target_output_power_dbm=-10.0,
    operational_mode=1,
    line_port="Ethernet1/1",
)


def test_encoding_rules() -> None:
    entry = optical_channel_component(CARRIER)
    config = entry["openconfig-terminal-device:optical-channel"]["config"]
    assert config == {
        "frequency": "193106250",  # uint64 as a string
        "target-output-power": "-10.00",  # decimal64 as a string
        "operational-mode": 1,  # uint16 as a number
        "line-port": "Ethernet1/1",
    }
    assert entry["config"] == {"name": "OCH-1/1/1"}


def test_document_is_sorted_and_resolves_line_port() -> None:
    document = render_components([CARRIER])
    names = [c["name"] for c in document["openconfig-platform:components"]["component"]]
    assert names == ["Ethernet1/1", "OCH-1/1/1"]
    assert render_json(document) == render_json(render_components([CARRIER]))
    assert json.loads(render_json(document)) == document


def test_rejects_values_the_model_cannot_hold() -> None:
    with pytest.raises(ValueError, match="not a uint16"):
        OpticalChannelConfig("OCH-1", 193_100_000, 0.0, 70000)
    with pytest.raises(ValueError, match="positive uint64"):
        OpticalChannelConfig("OCH-1", 0, 0.0, 1)
    with pytest.raises(ValueError, match="rendered twice"):
        render_components([CARRIER, CARRIER])


@pytest.mark.real
def test_yanglint_accepts_rendered_components(yang_search_dirs: dict[str, Path], tmp_path: Path) -> None:
    document = render_components(
        [CARRIER, OpticalChannelConfig("OCH-1/1/2", 196_087_500, 0.5, 2)],
        [TransceiverConfig("Ethernet1/1", enabled=True, fec_mode="FEC_ENABLED")],
    )
    result = _yanglint(yang_search_dirs, render_json(document), tmp_path)
    assert result.returncode == 0, result.stderr


@pytest.mark.real
def test_yanglint_rejects_a_bare_number_for_uint64(yang_search_dirs: dict[str, Path], tmp_path: Path) -> None:
    """Proves the validation is real: RFC 7951 forbids a JSON number for uint64."""
    document = render_components([CARRIER])
    entry = document["openconfig-platform:components"]["component"][1]
    entry["openconfig-terminal-device:optical-channel"]["config"]["frequency"] = 193_106_250
    result = _yanglint(yang_search_dirs, render_json(document), tmp_path)
    assert result.returncode != 0
    assert "uint64" in result.stderr


@pytest.mark.real
def test_yanglint_rejects_dangling_line_port(yang_search_dirs: dict[str, Path], tmp_path: Path) -> None:
    document = render_components([CARRIER])
    components = document["openconfig-platform:components"]["component"]
    document["openconfig-platform:components"]["component"] = [c for c in components if c["name"] != "Ethernet1/1"]
    result = _yanglint(yang_search_dirs, render_json(document), tmp_path)
    assert result.returncode != 0
