"""NVUE: the Cumulus Linux release a config is written for is chosen by the platform (a design overrides it under
`platforms:`), and the header, the tree and the containerlab image all follow that one release.

The judge is NVIDIA's own schema for each release (its OpenAPI as pydantic models, PyPI `nvueschema`,
`nvueschema.models.v5_<minor>`), with keys the release does not know reported (pydantic would ignore them) and
the file read as YAML 1.2, as NVUE reads it (ruamel.yaml: `on` stays a string, `010` is 10).
"""

from __future__ import annotations

import importlib
from typing import Any

import pytest

import netweave
from netweave.catalog.platform import Platform
from netweave.lab.clab import export
from netweave.network.model import Network
from netweave.nos.nvue import DEFAULT_RELEASE, RELEASES, nvue_release
from netweave.render import RenderError, render
from tests.conftest import require
from tests.golden import DESIGNS


def _schema(release: str) -> Any:
    try:
        return importlib.import_module(f"nvueschema.models.v{release.replace('.', '_')}").NvueConfig
    except ImportError as exc:
        require(False, f"nvueschema is not installed (pip install nvueschema): {exc}")


def _unknown_keys(given: Any, kept: Any, path: str = "") -> list[str]:
    """Keys of `given` that the validated model dropped (pydantic's default is to ignore unknown keys)."""
    if not isinstance(given, dict):
        return []
    if not isinstance(kept, dict):
        return [f"{path or '/'}: not a mapping in the schema"]
    kept_keys = {str(k): k for k in kept}
    problems = []
    for key, value in given.items():
        if str(key) not in kept_keys:
            problems.append(f"{path}/{key}: not in the schema")
        else:
            problems += _unknown_keys(value, kept[kept_keys[str(key)]], f"{path}/{key}")
    return problems


def nvue_problems(text: str, release: str) -> list[str]:
    """What `release`'s NVUE schema says about a rendered startup.yaml (empty: valid)."""
    from pydantic import ValidationError
    from ruamel.yaml import YAML

    document = YAML(typ="safe").load(text)  # YAML 1.2, as NVUE loads it
    header, tree = document[0]["header"], document[1]["set"]
    problems = [] if header["version"] == f"Cumulus Linux {release}.0" else [f"header names {header['version']}"]
    try:
        model = _schema(release).model_validate(tree)
    except ValidationError as exc:
        return problems + [f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors()]
    return problems + _unknown_keys(tree, model.model_dump(by_alias=True, exclude_unset=True))


def _on_release(network: Network, release: str | None) -> Network:
    for name, platform in list(network.platforms.items()):
        network.platforms[name] = platform.model_copy(update={"cumulus_release": release})
    return network


def _nvue_files(network: Network) -> dict[str, str]:
    return {name: text for c in render(network) if c.nos == "nvue" for name, text in c.files.items()}


def test_the_old_header_did_not_match_its_tree() -> None:
    """The defect: the header said 5.9 while `service lldp state` exists only from 5.11 (5.9's schema drops it)."""
    text = _nvue_files(netweave.expand(netweave.load(DESIGNS["ai-nvue"])))["spine1.nvue.yaml"]
    assert "service:\n      lldp:\n        state: enabled" in text
    assert any("/service/lldp/state" in p for p in nvue_problems(text, "5.9"))


@pytest.mark.parametrize("release", RELEASES)
@pytest.mark.parametrize("design", ["ai-nvue", "evpn-mixed"])
def test_every_release_gets_a_tree_its_schema_accepts(design: str, release: str) -> None:
    network = _on_release(netweave.expand(netweave.load(DESIGNS[design])), release)
    files = _nvue_files(network)
    assert files
    problems = {name: nvue_problems(text, release) for name, text in files.items()}
    assert all(found == [] for found in problems.values()), problems


def test_default_release_renders_a_valid_tree_and_says_so() -> None:
    files = _nvue_files(netweave.expand(netweave.load(DESIGNS["evpn-mixed"])))
    for name, text in files.items():
        assert f"version: Cumulus Linux {DEFAULT_RELEASE}.0\n" in text
        assert nvue_problems(text, DEFAULT_RELEASE) == [], name


def test_a_design_chooses_the_release_under_platforms(write_design: Any) -> None:
    """A design's `platforms:` entry overrides the catalogue's, so it names the release its switches run."""
    import yaml

    data = yaml.safe_load(DESIGNS["evpn-mixed"].read_text())
    sn2700 = netweave.catalog.builtin_platforms()["nvidia-sn2700"].model_dump(exclude_none=True)
    data["platforms"] = {"nvidia-sn2700": {**sn2700, "cumulus_release": "5.10"}}
    files = _nvue_files(netweave.expand(netweave.load(write_design(data))))
    text = files["leaf3.nvue.yaml"]
    assert "version: Cumulus Linux 5.10.0" in text and "lldp" not in text
    assert nvue_problems(text, "5.10") == []


def test_an_unrendered_release_is_refused() -> None:
    platform = Platform(vendor="NVIDIA", model="SN2700", nos=["nvue"], ports=[{"count": 1, "speed": 100}])
    with pytest.raises(RenderError, match=r"cumulus_release 5\.15 is not one netweave renders NVUE for"):
        nvue_release(platform.model_copy(update={"cumulus_release": "5.15"}))


def test_containerlab_image_is_the_release_of_the_rendered_tree() -> None:
    """containerlab `cumulus_cvx` kind: the image's Cumulus release is what loads the startup config; it was
    networkop/cx:5.3.0 for a tree headed 5.9 (defect 8). Now the tag is the rendered release."""
    for release in ("5.10", DEFAULT_RELEASE):
        network = _on_release(netweave.expand(netweave.load(DESIGNS["evpn-mixed"])), release)
        result = export(network)
        node = result.topology["topology"]["nodes"]["leaf3"]
        assert node["image"] == f"networkop/cx:{release}.0"
        assert f"version: Cumulus Linux {release}.0" in result.files[node["startup-config"]]
    overridden = export(network, images={"nvue": "networkop/cx:5.3.0"})
    assert overridden.topology["topology"]["nodes"]["leaf3"]["image"] == "networkop/cx:5.3.0"
    assert any("networkop/cx:5.3.0 replaces" in note for note in overridden.notes)
