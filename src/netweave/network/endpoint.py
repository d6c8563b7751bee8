"""One end of a cable or carrier: a device and its interface (shared by links and DCI carriers)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(slots=True, kw_only=True)
class Endpoint:
    device: str
    interface: str
