"""DCI from intent: the design's `optical:` section expanded into routers, carriers, links and QoT reports.

Public API:

- ``OpticalIntent`` (and its parts): the `optical:` section of a design;
- ``expand_optical(intent, network, platforms) -> OpticalPart``: called by `netweave.expand`;
- ``terminal_device(network, device) -> dict``: OpenConfig components of a DCI device's carriers;
- ``netweave.dci.report``: text / markdown / JSON / YAML views of `Network.optical`.

It sits between the design/network models and the standalone optical core (`netweave.optical`), which
knows nothing about designs.
"""

from netweave.dci.expand import OpticalPart, expand_optical, optical_intent
from netweave.dci.intent import OPTIC_MODES, DciDemand, DciRouter, LineSystemIntent, OpticalIntent
from netweave.dci.openconfig import terminal_device

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
