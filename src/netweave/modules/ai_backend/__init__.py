"""`ai-backend`: a rail-optimized GPU back-end fabric (2 or 3 tiers, 1 or more planes) from one intent.

The shape (NVIDIA DGX SuperPOD / Spectrum-X reference architectures, reference/ai-fabric.md):

- Nodes are grouped into scalable units (SU). Every SU has one leaf per (rail, plane); NIC i of every
  node of the SU plugs into the leaf of rail i, one port per plane (the rail rule). A partially filled
  SU still gets all its leaves and uplinks; the missing nodes leave free server ports.
- 2 tiers: in each plane every leaf connects to every spine with `L` parallel links.
- 3 tiers: SUs are grouped into pods (as many as half a spine's ports can hold); each pod and plane
  has its own spines, and spine j of every pod meets the super-spine group j of its plane.

The tier count comes from radix math (2 when the plane's leaves fit the spines' ports, else 3) unless
forced with `tiers:`. Ports are counted at the link speed after breakout (an 800G cage broken out
2x400G is two 400G ports).

Stability: every address, ASN and port derives from a slot computed from (SU, plane, rail, node) and
fixed sizes, in SU-major order, so adding an SU only appends. The one number that depends on the size
is how many spines (and super-spines) a plane gets; it is sized for `capacity.max_sus` (default: the
SUs of this intent, which matches the published sizings). Pin `capacity.max_sus` to the size the
fabric will grow to before first deployment, and growth never re-cables a spine.

Slots (U = leaf uplinks, V = spine uplinks in 3 tiers, P = planes, R = rails, spp = SUs per pod):

    2 tiers  spine (p, j)        slot = p*U + j
             leaf (su, p, r)     slot = P*U + (su*P + p)*R + r
    3 tiers  super (p, j, g)     slot = (p*U + j)*V + g                      (region S = P*U*V)
             spine (pod, p, j)   slot = S + pod*B + p*U + j                  (B = P*U + spp*P*R)
             leaf (su, p, r)     slot = S + pod*B + P*U + ((su % spp)*P + p)*R + r
    GPU NIC port (node slot n, rail r, plane p): subnet #((n*R + r)*P + p) of addressing.gpu

Parts: `intent` (the models), `sizing` (radix math, `size_fabric`), `build` (devices and cabling on the
`netweave.fabric` kit).
"""

from netweave.modules.ai_backend.build import AiBackendModule
from netweave.modules.ai_backend.intent import (
    AiAddressing,
    AiBackendIntent,
    AiCableLengths,
    AiCapacity,
    SwitchSpec,
)
from netweave.modules.ai_backend.sizing import Sizing, size_fabric

MODULE = AiBackendModule()
"""The module registered under the `netweave.modules` entry point `ai-backend`."""

__all__ = [
    "MODULE",
    "AiAddressing",
    "AiBackendIntent",
    "AiBackendModule",
    "AiCableLengths",
    "AiCapacity",
    "Sizing",
    "SwitchSpec",
    "size_fabric",
]
