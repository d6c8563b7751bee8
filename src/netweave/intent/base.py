"""Field types every intent model shares: the strict base model, names, speeds, ASNs and NOS names.

They sit apart from `design.py` so the platform catalogue (`netweave.catalog`) can use them without
importing the design model, which itself refers to the catalogue's `Platform`.
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, GetCoreSchemaHandler, GetJsonSchemaHandler
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import core_schema

NAME_RE = r"^[a-z][a-z0-9-]{0,39}$"
Name = Annotated[str, Field(pattern=NAME_RE, description="lower-case name: letters, digits, '-'")]
Speed = Annotated[int, Field(ge=1, le=1600, description="port speed in Gb/s")]
Asn = Annotated[int, Field(ge=1, le=4294967295, description="BGP autonomous system number")]


class StrictModel(BaseModel):
    """Base for intent: unknown keys are errors (a typo must never be silently ignored)."""

    model_config = ConfigDict(extra="forbid", validate_default=True)


def _registered_nos(value: str) -> str:
    """Accept the name of any installed NOS profile (entry-point group `netweave.nos`)."""
    from netweave.nos import nos_names  # profiles import the render stage: load them only when judging a name

    names = nos_names()
    if value not in names:
        raise ValueError(f"unknown NOS '{value}' (registered NOS profiles: {', '.join(names)})")
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
