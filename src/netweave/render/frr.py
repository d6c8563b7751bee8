"""FRR: context that depends on what FRR shows in its running config.

FRR never displays a setting that equals its default, and `frr-reload.py` compares text. A rendered
config that spells a default out therefore never compares equal to the running config, and every
`netweave plan` would report a change that cannot be applied. So the FRR context carries only the
settings that differ from FRR's defaults; the template formats what it is given.
"""

from __future__ import annotations

from netweave.network import Device, Network
from netweave.render.context import BFD_INTERVAL_MS, BFD_MULTIPLIER

# bfdd's defaults (FRR 8.x `bfd profile`): what `show running-config` leaves out
FRR_BFD_DEFAULTS: dict[str, int] = {"detect-multiplier": 3, "receive-interval": 300, "transmit-interval": 300}


def bfd_profile_settings(interval_ms: int, multiplier: int) -> list[str]:
    """The `bfd profile` lines that differ from FRR's defaults, in FRR's display order."""
    wanted = {"detect-multiplier": multiplier, "receive-interval": interval_ms, "transmit-interval": interval_ms}
    return [f"{key} {value}" for key, value in wanted.items() if FRR_BFD_DEFAULTS[key] != value]


def frr_context(network: Network, device: Device) -> dict[str, object]:
    """Extra template variables for FRR (see the module docstring)."""
    return {"frr_bfd_profile": bfd_profile_settings(BFD_INTERVAL_MS, BFD_MULTIPLIER)}
