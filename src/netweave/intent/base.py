"""Field types every intent model shares: the strict base model, names, speeds, ASNs and NOS names.

They sit apart from `design.py` so the platform catalogue (`netweave.catalog`) can use them without
importing the design model, which itself refers to the catalogue's `Platform`.
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import ConfigDict, Field, GetCoreSchemaHandler, GetJsonSchemaHandler
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import core_schema

from netweave.text import CheckedText

NAME_RE = r"^[a-z][a-z0-9-]{0,39}$"
Name = Annotated[str, Field(pattern=NAME_RE, description="lower-case name: letters, digits, '-'")]
Speed = Annotated[int, Field(ge=1, le=1600, description="port speed in Gb/s")]
Asn = Annotated[int, Field(ge=1, le=4294967295, description="BGP autonomous system number")]

MAX_PLATFORM_PORTS = 1024
"""Front-panel cages of one platform. The largest real switch is a 16-slot modular chassis with 576
cages (Arista 7816R); fixed switches have 32-128. Every per-port loop of expansion is bounded by this."""

MAX_FABRIC_SWITCHES = 16_384
"""Switches in one leaf-spine fabric (pods x (spines + leaves) + super-spines). The largest fabrics
built today (100,000-GPU clusters, hyperscale DC fabrics) have under 10,000 switches; 16,384 leaves
headroom without letting 1,024 pods x 4,096 leaves (4 million switches) start expanding."""

MAX_GPUS = 262_144
"""GPUs in one ai-backend fabric: twice the largest cluster announced (about 200,000 GPUs in one
fabric) and 2.6x the largest size the benchmarks measure (100,000: seconds to expand). 10 million GPUs on
a big custom platform passed the old limit and expanded until memory ran out."""

MAX_SITES = 256
"""Sites in one design: a design file describes one region or one operator's estate."""

MAX_FABRICS_PER_SITE = 64
"""Fabrics per site: a data center hall has a handful (front-end, back-end, storage, management)."""

MAX_FABRICS = 128
"""Fabrics in one design, over all sites (a region of 8 sites x 8 fabrics is 64). Lint compares address
pools pairwise, so 400 fabrics sharing one pool produced 240,000 findings and a 73 s run (a 1 MiB file
holds 5,000 minimal fabrics); at 128 the worst case is 25,000 findings in 5 s."""


class StrictModel(CheckedText):
    """Base for intent: unknown keys are errors (a typo must never be silently ignored), and every float
    is finite: NaN compares false with every bound, so a NaN dispersion made a failing optical path pass
    (margin inf, verdict pass). `allow_inf_nan=False` refuses NaN and +-inf in every float field of every
    subclass, so no field can forget it. Strings are held to `netweave.text.check_text` (CheckedText).

    `defer_build`: a model's validator is built when it first validates, not when its class is defined. A
    design is validated once, by the registry's `Design` (whose validator holds every nested model's), so the
    ~30 validators each intent class built for itself at import were never used by `netweave build`."""

    model_config = ConfigDict(extra="forbid", validate_default=True, allow_inf_nan=False, defer_build=True)


def _registered_nos(value: str) -> str:
    """Accept the name of any installed NOS profile (entry-point group `netweave.nos`)."""
    from netweave.nos import nos_names, registered  # profiles import the render stage: load them only when needed

    if not registered(value):  # imports no built-in profile; the message lists (and so imports) them all
        raise ValueError(f"unknown NOS '{value}' (registered NOS profiles: {', '.join(nos_names())})")
    return value


class _NosName:
    """A NOS name: checked against the registered profiles, and listed as an enum in the JSON Schema.

    Both are computed when used, not when the model class is built, so a NOS profile installed by
    another package is accepted (and appears in `netweave schema`) without a change to netweave.
    """

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: GetCoreSchemaHandler) -> core_schema.CoreSchema:
        return core_schema.no_info_after_validator_function(_registered_nos, core_schema.str_schema())

    @classmethod
    def __get_pydantic_json_schema__(
        cls, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        from netweave.nos import nos_names

        return {"enum": nos_names(), "type": "string"}


Nos = Annotated[str, _NosName]
"""Network operating systems netweave renders for: the names of the registered NOS profiles."""
