"""The coherent mode catalogue: what each pluggable mode needs from a path.

Why data, not code: mode values (required OSNR, CD tolerance, power windows) differ by vendor and by
firmware; the shipped catalogue (``netweave/catalog/optical_modes.yaml``) carries the public reference
values with their source and marks the ones that are guidance only, and users layer their own YAML on
top to match the optics they actually deploy.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from pydantic import ConfigDict, Field, model_validator

from netweave.optical.band import C_BAND, FrequencyBand
from netweave.text import CheckedText

CATALOGUE_RESOURCE = "catalog/optical_modes.yaml"


class CoherentMode(CheckedText):
    """One operational mode of a coherent pluggable (e.g. 400ZR, OpenZR+ 200G).

    Bounds are physical, from the pluggables that exist (100G-1.6T coherent, 30-150 GBd, 37.5-150 GHz
    slots) with wide headroom: a design-supplied mode is untrusted, and a 1e-9 Gb/s mode once asked for
    10^14 carriers (carriers = ceil(capacity / bit rate)).
    """

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)

    name: str = Field(min_length=1)
    bit_rate_gbps: float = Field(ge=10, le=3200, description="client payload rate, Gb/s")
    baud_rate_gbd: float = Field(gt=0, le=300, description="symbol rate, GBd")
    modulation: str = Field(description="e.g. DP-16QAM")
    fec: str = Field(description="FEC, e.g. cFEC, oFEC")
    channel_width_ghz: float = Field(ge=12.5, le=1000, description="spectral slot width, GHz (multiple of 12.5)")
    required_osnr_db: float = Field(ge=0, le=60, description="OSNR at the FEC threshold, 0.1 nm reference, dB")
    cd_tolerance_ps_nm: float = Field(gt=0, le=1_000_000, description="tolerated accumulated |CD|, ps/nm")
    tx_power_min_dbm: float = Field(ge=-50, le=30)
    tx_power_max_dbm: float = Field(ge=-50, le=30)
    tx_power_typical_dbm: float = Field(ge=-50, le=30)
    tx_osnr_db: float = Field(default=34.0, gt=0, le=60, description="transmitter OSNR (0.1 nm), dB")
    rx_power_min_dbm: float = Field(ge=-50, le=30)
    rx_power_max_dbm: float = Field(ge=-50, le=30)
    max_reach_km: float = Field(gt=0, le=20_000, description="reach guidance, km")
    operational_mode_id: int = Field(ge=0, le=65535, description="OpenConfig operational-mode (uint16)")
    tuning_range: FrequencyBand = Field(default=C_BAND, description="laser tuning range")
    source: str = Field(min_length=1, description="where the values come from")
    unverified: tuple[str, ...] = Field(default=(), description="fields that are guidance, not sourced")
    notes: str = ""

    @model_validator(mode="after")
    def _consistent(self) -> CoherentMode:
        if (self.channel_width_ghz * 1000) % 12_500:
            raise ValueError(f"{self.name}: channel_width_ghz {self.channel_width_ghz} is not a multiple of 12.5")
        if not self.tx_power_min_dbm <= self.tx_power_typical_dbm <= self.tx_power_max_dbm:
            raise ValueError(f"{self.name}: typical Tx power is outside tx_power_min_dbm..tx_power_max_dbm")
        if self.rx_power_max_dbm < self.rx_power_min_dbm:
            raise ValueError(f"{self.name}: rx_power_max_dbm is below rx_power_min_dbm")
        unknown = set(self.unverified) - set(type(self).model_fields)
        if unknown:
            raise ValueError(f"{self.name}: unverified names unknown fields {sorted(unknown)}")
        return self


class ModeCatalogue(CheckedText):
    """Modes by name; iteration is from the highest bit rate down (the order mode choice tries them)."""

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)

    modes: tuple[CoherentMode, ...]

    @model_validator(mode="after")
    def _unique(self) -> ModeCatalogue:
        names = [m.name for m in self.modes]
        duplicates = sorted({n for n in names if names.count(n) > 1})
        if duplicates:
            raise ValueError(f"mode names must be unique; repeated: {duplicates}")
        return self

    def __getitem__(self, name: str) -> CoherentMode:
        for mode in self.modes:
            if mode.name == name:
                return mode
        raise KeyError(f"no mode {name!r}; known: {', '.join(m.name for m in self.modes)}")

    def __iter__(self) -> Iterator[CoherentMode]:  # type: ignore[override]
        return iter(self.by_rate())

    def __len__(self) -> int:
        return len(self.modes)

    def by_rate(self) -> list[CoherentMode]:
        """Highest bit rate first; at equal rate the lower required OSNR first, then by name."""
        return sorted(self.modes, key=lambda m: (-m.bit_rate_gbps, m.required_osnr_db, m.name))

    def merged(self, overrides: Iterable[CoherentMode]) -> ModeCatalogue:
        """A new catalogue where each override replaces the mode of the same name or is added."""
        by_name = {m.name: m for m in self.modes}
        for mode in overrides:
            by_name[mode.name] = mode
        return ModeCatalogue(modes=tuple(by_name.values()))


def _parse(document: Mapping[str, Any] | None, origin: str) -> list[CoherentMode]:
    if not document or "modes" not in document:
        raise ValueError(f"{origin}: expected a mapping with a 'modes' list")
    return [CoherentMode.model_validate(entry) for entry in document["modes"]]


@cache
def default_catalogue() -> ModeCatalogue:
    """The catalogue shipped with netweave (parsed once per process: it is frozen, and parsing the YAML
    costs ~10x more than planning a DCI)."""
    text = resources.files("netweave").joinpath(CATALOGUE_RESOURCE).read_text(encoding="utf-8")
    return ModeCatalogue(modes=tuple(_parse(yaml.safe_load(text), CATALOGUE_RESOURCE)))


def load_catalogue(*extra: Path | str | Mapping[str, Any]) -> ModeCatalogue:
    """The shipped catalogue with user files (paths or already-loaded mappings) layered on top in order."""
    catalogue = default_catalogue()
    for item in extra:
        if isinstance(item, Mapping):
            modes = _parse(item, "mode overrides")
        else:
            path = Path(item)
            modes = _parse(yaml.safe_load(path.read_text(encoding="utf-8")), str(path))
        catalogue = catalogue.merged(modes)
    return catalogue
