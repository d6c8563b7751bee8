"""The module contract: what a fabric module is given (`ExpansionContext`) and what it returns (`FabricPart`).

A fabric module is any object with `name`, `intent` and `expand` (`FabricModule`), registered under the
`netweave.modules` entry-point group (`netweave.expand.registry`). Built-in modules use the same door as
third-party ones, so this protocol and the rest of `netweave.fabric` are all a module may rely on.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol

from netweave.intent.design import Design, FabricIntent, Platform, Site
from netweave.network.allocate import PoolUsage
from netweave.network.model import BgpSession, Device, EvpnOverlay, FabricInfo, Link, QosProfile, Server


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
