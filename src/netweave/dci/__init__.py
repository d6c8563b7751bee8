"""DCI from intent: the design's `optical:` section expanded into routers, carriers, links and QoT reports.

Public API:

- ``OpticalIntent`` (and its parts): the `optical:` section of a design;
- ``expand_optical(intent, network, platforms) -> OpticalPart``: called by `netweave.expand`;
- ``terminal_device(network, device) -> dict``: OpenConfig components of a DCI device's carriers;
- ``netweave.dci.report``: text / markdown / JSON / YAML views of `Network.optical`.

It sits between the design/network models and the standalone optical core (`netweave.optical`), which
knows nothing about designs.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from netweave.lazy import lazy_exports

if TYPE_CHECKING:
    from netweave.dci.expand import OpticalPart, expand_optical, optical_intent
    from netweave.dci.intent import OPTIC_MODES, DciDemand, DciRouter, LineSystemIntent, OpticalIntent
    from netweave.dci.openconfig import terminal_device

_WHERE: dict[str, str] = {
    "DciDemand": "netweave.dci.intent",
    "DciRouter": "netweave.dci.intent",
    "LineSystemIntent": "netweave.dci.intent",
    "OPTIC_MODES": "netweave.dci.intent",
    "OpticalIntent": "netweave.dci.intent",
    "OpticalPart": "netweave.dci.expand",
    "expand_optical": "netweave.dci.expand",
    "optical_intent": "netweave.dci.expand",
    "terminal_device": "netweave.dci.openconfig",
}
"""Public name -> the module that defines it, imported on first use (PEP 562): the design model imports
`netweave.dci.intent` for every design, and this package's eager imports then loaded the DCI expansion and the
whole optical core too (~0.05 s of a 2+256 EVPN build without an `optical:` section)."""

__all__ = [
    "OPTIC_MODES",
    "DciDemand",
    "DciRouter",
    "LineSystemIntent",
    "OpticalIntent",
    "OpticalPart",
    "expand_optical",
    "optical_intent",
    "terminal_device",
]


__getattr__, __dir__ = lazy_exports(__name__, _WHERE, globals())
