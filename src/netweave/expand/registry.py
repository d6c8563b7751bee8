"""Module registry: design modules are plugins found through the `netweave.modules` entry-point group.

A third-party package adds a fabric kind by declaring, in its own pyproject.toml:

    [project.entry-points."netweave.modules"]
    my-fabric = "my_package.fabric:MODULE"

where MODULE satisfies `FabricModule`. The concrete `Design` model is assembled from whatever is
registered, so the new intent appears in validation and in the JSON schema without editing netweave.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from typing import Annotated, Any, Protocol, Union

from pydantic import Field, create_model

from netweave.catalog.platform import Platform
from netweave.intent.design import Design, FabricIntent, Site
from netweave.network.allocate import PoolUsage
from netweave.network.model import BgpSession, Device, EvpnOverlay, FabricInfo, Link, QosProfile, Server
from netweave.plugins import Registry

ENTRY_POINT_GROUP = "netweave.modules"


@dataclass
class ExpansionContext:
    """What a module may read while expanding one fabric."""

    design: Design
    site: Site
    platforms: dict[str, Platform]
    path: str
    """Design path of the fabric, e.g. 'sites[0].fabrics[1]' (for messages)."""


@dataclass
class FabricPart:
    """What one fabric contributes to the Network, in canonical order."""

    devices: list[Device] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    sessions: list[BgpSession] = field(default_factory=list)
    pools: list[PoolUsage] = field(default_factory=list)
    servers: list[Server] = field(default_factory=list)
    qos_profiles: dict[str, QosProfile] = field(default_factory=dict)
    evpn: dict[str, EvpnOverlay] = field(default_factory=dict)
    info: FabricInfo | None = None


class FabricModule(Protocol):
    """A blueprint that turns one kind of fabric intent into devices, links and sessions."""

    name: str
    """The value of `module:` in a design, e.g. 'leaf-spine'."""
    intent: type[FabricIntent]
    """Its intent model; must declare `module: Literal[<name>]`."""
    summary: str
    """One line for `--help` and docs."""

    def expand(self, intent: Any, ctx: ExpansionContext) -> FabricPart:
        """Derive the fabric. Must be deterministic and keep existing allocations when the intent grows.
        Raise `netweave.errors.DesignError` for intent that cannot be built (e.g. pool exhausted)."""
        ...


MODULES: Registry[FabricModule] = Registry(
    ENTRY_POINT_GROUP, "design module", required=("name", "intent", "expand"), key=lambda _ep, module: str(module.name)
)
"""Every installed fabric module, by the `module:` value it expands."""


def registered_modules() -> dict[str, FabricModule]:
    """All installed modules by name (loaded once per process)."""
    return MODULES.load()


@cache
def design_model() -> type[Design]:
    """The `Design` class whose fabrics are a tagged union (on `module`) of every registered intent."""
    intents = tuple(module.intent for module in registered_modules().values())
    if len(intents) == 1:
        fabric_type: Any = intents[0]
    else:
        fabric_type = Annotated[Union[intents], Field(discriminator="module")]  # noqa: UP007
    site = create_model(
        "Site", __base__=Site, __doc__=Site.__doc__, fabrics=(list[fabric_type], Field(default_factory=list))
    )
    from netweave.dci.intent import OpticalIntent  # the optical section spans sites: not a fabric module

    return create_model(
        "Design",
        __base__=Design,
        __doc__=Design.__doc__,
        sites=(list[site], Field(min_length=1)),  # type: ignore[valid-type]
        optical=(
            OpticalIntent | None,
            Field(default=None, description="optical line systems and DCI demands between sites"),
        ),
    )
