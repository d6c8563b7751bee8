"""OpenConfig (RFC 7951 JSON) for a coherent carrier: platform components with optical-channel config.

Why a function and not a template: RFC 7951 has encoding rules a template would get wrong silently
(uint64 and decimal64 are JSON strings, identities carry their module prefix, augmented nodes carry
their module name). The output is validated against the published OpenConfig models with yanglint
in the tests.

Paths produced (reference/optical.md, "Configuration models"):
  /components/component[name]/config/name
  /components/component[name]/optical-channel/config/{frequency, target-output-power,
      operational-mode, line-port}                       (openconfig-terminal-device augment)
  /components/component[name]/transceiver/config/{enabled, fec-mode}
                                                          (openconfig-platform-transceiver augment)
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

from netweave.optical.vendor_units import format_decimal

PLATFORM = "openconfig-platform"
TERMINAL_DEVICE = "openconfig-terminal-device"
TRANSCEIVER = "openconfig-platform-transceiver"
PLATFORM_TYPES = "openconfig-platform-types"

FecMode = Literal["FEC_ENABLED", "FEC_DISABLED", "FEC_AUTO"]

#: decimal64 fraction-digits 2 bounds (int64 / 100).
_DECIMAL64_2_LIMIT = 92233720368547758.07
_UINT64_MAX = 2**64 - 1


@dataclass(frozen=True, slots=True)
class OpticalChannelConfig:
    """What a coherent carrier needs on the device: one OPTICAL_CHANNEL component."""

    component: str
    frequency_mhz: int
    target_output_power_dbm: float
    operational_mode: int
    line_port: str | None = None

    def __post_init__(self) -> None:
        if not self.component:
            raise ValueError("optical channel component name is empty")
        if not 0 < self.frequency_mhz <= _UINT64_MAX:
            raise ValueError(f"{self.component}: frequency {self.frequency_mhz} MHz is not a positive uint64")
        if not 0 <= self.operational_mode <= 65535:
            raise ValueError(f"{self.component}: operational-mode {self.operational_mode} is not a uint16")
        if abs(self.target_output_power_dbm) > _DECIMAL64_2_LIMIT:
            raise ValueError(f"{self.component}: target-output-power out of decimal64 range")


@dataclass(frozen=True, slots=True)
class TransceiverConfig:
    """The pluggable holding the carrier: powered on, with its FEC mode."""

    component: str
    enabled: bool = True
    fec_mode: FecMode | None = None


def optical_channel_component(channel: OpticalChannelConfig) -> dict[str, Any]:
    """One ``component`` list entry (RFC 7951) carrying the optical-channel config."""
    config: dict[str, Any] = {
        "frequency": str(int(channel.frequency_mhz)),  # uint64 -> string (RFC 7951 s6.1)
        "target-output-power": format_decimal(channel.target_output_power_dbm, 2),  # decimal64 -> string
        "operational-mode": int(channel.operational_mode),  # uint16 -> number
    }
    if channel.line_port is not None:
        config["line-port"] = channel.line_port
    return {
        "name": channel.component,
        "config": {"name": channel.component},
        f"{TERMINAL_DEVICE}:optical-channel": {"config": config},
    }


def transceiver_component(transceiver: TransceiverConfig) -> dict[str, Any]:
    """One ``component`` list entry (RFC 7951) with the transceiver augment."""
    config: dict[str, Any] = {"enabled": transceiver.enabled}
    if transceiver.fec_mode is not None:
        config["fec-mode"] = f"{PLATFORM_TYPES}:{transceiver.fec_mode}"
    return {
        "name": transceiver.component,
        "config": {"name": transceiver.component},
        f"{TRANSCEIVER}:transceiver": {"config": config},
    }


def render_components(
    channels: Sequence[OpticalChannelConfig], transceivers: Sequence[TransceiverConfig] = ()
) -> dict[str, Any]:
    """The ``openconfig-platform:components`` document for ``channels`` (and their transceivers).

    Components are sorted by name (stable diffs). A ``line-port`` that names no rendered component gets
    a bare component entry, because ``line-port`` is a leafref that must resolve in the document.
    """
    entries: dict[str, dict[str, Any]] = {}
    for transceiver in transceivers:
        entries[transceiver.component] = transceiver_component(transceiver)
    for channel in channels:
        if channel.component in entries:
            raise ValueError(f"component {channel.component!r} is rendered twice")
        entries[channel.component] = optical_channel_component(channel)
    for channel in channels:
        port = channel.line_port
        if port is not None and port not in entries:
            entries[port] = {"name": port, "config": {"name": port}}
    return {f"{PLATFORM}:components": {"component": [entries[name] for name in sorted(entries)]}}


def render_json(document: dict[str, Any]) -> str:
    """Deterministic JSON text (2-space indent, trailing newline)."""
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
