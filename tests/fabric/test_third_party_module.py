"""A third-party fabric module, built from `netweave.fabric` alone and installed the way pip would install it.

The README promises that a package outside netweave can add a fabric kind. This test writes such a package
(a `ring` of routers, each in its own ASN with eBGP to both neighbours) into a temporary directory with a
`*.dist-info/entry_points.txt`, puts it on sys.path so `importlib.metadata` finds its `netweave.modules`
entry point, and then loads, validates, expands, lints and renders a design that uses it.
"""

from __future__ import annotations

import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from netweave.cli import app
from netweave.expand.registry import MODULES, design_model
from netweave.load import loader
from netweave.pipeline import require_clean, validate
from netweave.render.engine import render

RING_MODULE = '''
"""`ring`: routers in a ring, each in its own ASN, eBGP to both neighbours (a third-party module)."""

from typing import Literal

from pydantic import Field

from netweave.fabric import (
    Addressing,
    DesignError,
    DeviceFactory,
    ExpansionContext,
    FabricInfo,
    FabricIntent,
    FabricPart,
    FabricPools,
    Nos,
    Wiring,
    cable_end,
    finish_devices,
    unknown_platform,
)


class RingIntent(FabricIntent):
    """A ring of `routers` routers on one platform."""

    module: Literal["ring"]
    routers: int = Field(ge=3, le=64)
    platform: str
    nos: Nos | None = None
    asn_base: int = Field(default=64512, ge=1, le=4294967295)
    bfd: bool = True
    addressing: Addressing


class RingModule:
    name = "ring"
    intent = RingIntent
    summary = "routers in a ring with eBGP to both neighbours"

    def expand(self, intent: RingIntent, ctx: ExpansionContext) -> FabricPart:
        if intent.platform not in ctx.platforms:
            raise DesignError([unknown_platform(intent.platform, f"{ctx.path}.platform", ctx.platforms)])
        pools = FabricPools(ctx.site.name, intent.name, intent.addressing, ctx.path)
        factory = DeviceFactory.for_fabric(pools, ctx.platforms, bfd=intent.bfd)
        routers = [
            factory.device(
                f"{intent.hostname_prefix}ring{i + 1}",
                "border-leaf",
                intent.platform,
                slot=i,
                asn=intent.asn_base + i,
                origin=ctx.path,
                nos=intent.nos,
            )
            for i in range(intent.routers)
        ]
        part = FabricPart(devices=routers)
        wiring = Wiring(part, pools.p2p, bfd=intent.bfd)
        platform = ctx.platforms[intent.platform]
        for i, router in enumerate(routers):  # port 1 east to the next router's port 2 (west)
            east = routers[(i + 1) % len(routers)]
            wiring.connect(
                cable_end(router, platform, 1, 100, intent.mtu),
                cable_end(east, platform, 2, 100, intent.mtu),
                i,
                origin=ctx.path,
            )
        finish_devices(routers)
        part.pools = pools.usages()
        part.info = FabricInfo(name=intent.name, site=ctx.site.name, module=self.name, tiers=1, origin=ctx.path)
        return part


MODULE = RingModule()
'''

DESIGN = """\
name: ring-demo
sites:
  - name: dc1
    fabrics:
      - name: core
        module: ring
        routers: 4
        platform: {platform}
        addressing:
          loopbacks: 10.0.0.0/24
          p2p: 10.1.0.0/24
          management: {{prefix: 172.16.0.0/24}}
"""


def _forget_installed_modules() -> None:
    """The registry and the models/schema derived from it are built once per process: rebuild them."""
    MODULES.clear()
    design_model.cache_clear()
    loader.design_schema.cache_clear()
    loader._validator.cache_clear()


@pytest.fixture
def ring_installed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """`ring_fabric` installed as a distribution (module + dist-info with its entry point) on sys.path."""
    site = tmp_path / "site-packages"
    dist = site / "ring_fabric-0.1.dist-info"
    dist.mkdir(parents=True)
    (site / "ring_fabric.py").write_text(textwrap.dedent(RING_MODULE))
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: ring-fabric\nVersion: 0.1\n")
    (dist / "entry_points.txt").write_text("[netweave.modules]\nring = ring_fabric:MODULE\n")
    monkeypatch.syspath_prepend(str(site))
    _forget_installed_modules()
    yield tmp_path
    monkeypatch.undo()  # leave sys.path first, so the rebuilt registry no longer sees the ring
    sys.modules.pop("ring_fabric", None)
    _forget_installed_modules()


def test_a_module_built_from_the_kit_loads_validates_expands_and_renders(ring_installed: Path) -> None:
    design = ring_installed / "ring.yaml"
    design.write_text(DESIGN.format(platform="linux-frr"))
    result = require_clean(validate(design))
    network = result.network
    assert [d.name for d in network.devices] == ["ring1", "ring2", "ring3", "ring4"]
    assert [(d.asn, d.loopback, d.nos) for d in network.devices][:2] == [
        (64512, "10.0.0.1", "frr"),
        (64513, "10.0.0.2", "frr"),
    ]
    assert [(link.a.device, link.b.device, link.subnet) for link in network.links][-1] == (
        "ring4",
        "ring1",
        "10.1.0.6/31",
    )
    first_pool = network.pools[0]
    assert (first_pool.site, first_pool.fabric, first_pool.purpose) == ("dc1", "core", "loopbacks")
    configs = {config.device: "".join(config.files.values()) for config in render(network)}
    assert set(configs) == {"ring1", "ring2", "ring3", "ring4"}
    ring1 = configs["ring1"]  # east 10.1.0.1 to ring2 (AS 64513), west 10.1.0.6 to ring4 (AS 64515)
    assert "router bgp 64512" in ring1
    assert "neighbor 10.1.0.0 remote-as 64513" in ring1 and "neighbor 10.1.0.7 remote-as 64515" in ring1


def test_bad_input_to_a_third_party_module_is_a_located_error_with_exit_code_2(ring_installed: Path) -> None:
    design = ring_installed / "typo.yaml"
    design.write_text(DESIGN.format(platform="linux-fr"))
    result = CliRunner().invoke(app, ["validate", str(design)])
    assert result.exit_code == 2, result.output
    assert f"{design}:8: sites[0].fabrics[0].platform: unknown platform 'linux-fr'" in result.output
    assert "did you mean 'linux-frr'?" in result.output
    assert "Traceback" not in result.output


def test_without_the_distribution_the_module_is_unknown() -> None:
    """The ring is found through its entry point only: not installed, a design naming it does not validate."""
    assert "ring" not in MODULES.load()
