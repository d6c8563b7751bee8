"""Module registry: design modules are plugins found through the `netweave.modules` entry-point group.

A third-party package adds a fabric kind by declaring, in its own pyproject.toml:

    [project.entry-points."netweave.modules"]
    my-fabric = "my_package.fabric:MODULE"

where MODULE satisfies `netweave.fabric.FabricModule` (and is built from the `netweave.fabric` kit). The
concrete `Design` model is assembled from whatever is registered, so the new intent appears in validation
and in the JSON schema without editing netweave.
"""

from __future__ import annotations

from collections.abc import Mapping
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


def registered_modules() -> Mapping[str, FabricModule]:
    """The installed modules by name (each loaded once per process): looking one up by name imports that module
    only, listing them imports all (`Registry.view`). A leaf-spine design no longer imports the ai-backend module
    (its intent, sizing and build code: ~6 ms of CPU of a `netweave validate`)."""
    return MODULES.view()


@cache
def design_model() -> type[Design]:
    """The `Design` class whose fabrics are a tagged union (on `module`) of every registered intent."""
    return _assemble(tuple(module.intent for module in registered_modules().values()), optical=True)


def design_model_for(data: object) -> type[Design]:
    """A `Design` class that validates `data` exactly as `design_model()` does, built only from the modules its
    fabrics name (and the optical section only when it has one).

    Building pydantic's validator for every registered intent (the ai-backend module, the optical/DCI models) cost
    ~27 ms of CPU in every run of a design that uses none of them. A fabric is validated by the intent its
    `module:` names in both classes (the tagged union dispatches on it), so for such a document the two accept and
    produce the same thing. Anything this narrower class cannot judge that way (a fabric naming no registered
    module, `module:` missing or not a string) gets the full class; `load` also re-validates with the full class
    when this one fails, so error messages are the full class's."""
    modules = registered_modules()
    named: set[str] = set()
    if not isinstance(data, dict) or not isinstance(data.get("sites"), list):
        return design_model()
    optical = "optical" in data
    for site in data["sites"]:
        fabrics = site.get("fabrics", []) if isinstance(site, dict) else None
        if not isinstance(fabrics, list):
            return design_model()
        for fabric in fabrics:
            module = fabric.get("module") if isinstance(fabric, dict) else None
            if not isinstance(module, str) or module not in modules:
                return design_model()
            named.add(module)
    if not named:
        return design_model()
    # in name order, the registry's for netweave's own modules (registered under their entry-point names), so a
    # design naming every module gets the full class itself from `_assemble`'s cache; listing the registry's
    # order instead would import every module, which is what looking each one up by name avoids
    return _assemble(tuple(modules[name].intent for name in sorted(named)), optical=optical)


@cache
def _assemble(intents: tuple[Any, ...], optical: bool) -> type[Design]:
    """The `Design` class whose fabrics are `intents` (keyed by the classes themselves, so a registry rebuilt in a
    test never gets a stale class); `optical`: with the optical section, else the section accepts only null."""
    if len(intents) == 1:
        fabric_type: Any = intents[0]
    else:
        fabric_type = Annotated[Union[intents], Field(discriminator="module")]  # noqa: UP007
    site = create_model(
        "Site", __base__=Site, __doc__=Site.__doc__, fabrics=(list[fabric_type], Field(default_factory=list))
    )
    optical_type: Any = None
    if optical:
        from netweave.dci.intent import OpticalIntent  # the optical section spans sites: not a fabric module

        optical_type = OpticalIntent | None
    return create_model(
        "Design",
        __base__=Design,
        __doc__=Design.__doc__,
        sites=(list[site], Field(min_length=1)),  # type: ignore[valid-type]
        optical=(
            optical_type,
            Field(default=None, description="optical line systems and DCI demands between sites"),
        ),
    )
