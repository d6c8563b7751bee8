"""Module registry: design modules are plugins found through the `netweave.modules` entry-point group.

A third-party package adds a fabric kind by declaring, in its own pyproject.toml:

    [project.entry-points."netweave.modules"]
    my-fabric = "my_package.fabric:MODULE"

where MODULE satisfies `netweave.fabric.FabricModule` (and is built from the `netweave.fabric` kit). The
concrete `Design` model is assembled from whatever is registered, so the new intent appears in validation
and in the JSON schema without editing netweave.
"""

from __future__ import annotations

from functools import cache
from typing import Annotated, Any, Union

from pydantic import Field, create_model

from netweave.fabric.module import FabricModule
from netweave.intent.design import Design, Site
from netweave.plugins import Registry

ENTRY_POINT_GROUP = "netweave.modules"


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
