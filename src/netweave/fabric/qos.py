"""QoS attachment: a fabric's `QosIntent` expanded into one `QosProfile` that every switch references.

The intent model stays in `netweave.intent.qos`; turning it into network objects is expansion, so it lives
in the kit every module uses.
"""

from __future__ import annotations

from netweave.fabric.module import FabricPart
from netweave.intent.qos import QosIntent
from netweave.network.model import EcnProfile, QosProfile, Quantity


def expand_qos(intent: QosIntent, fabric: str, origin: str) -> tuple[str, QosProfile]:
    """The profile key (`<fabric>/<name>`) and the plain profile every switch of the fabric references.

    Order-sensitive fields are sorted so two fabrics with the same intent produce equal profiles."""
    ecn = EcnProfile(
        traffic_classes=sorted(set(intent.pfc_priorities)),
        min_threshold=Quantity(value=intent.ecn.min.value, unit=intent.ecn.min.unit),
        max_threshold=Quantity(value=intent.ecn.max.value, unit=intent.ecn.max.unit),
        probability=intent.ecn.probability,
    )
    profile = QosProfile(
        name=intent.name,
        trust=intent.trust,
        dscp_to_tc=dict(sorted(intent.dscp_to_tc.items())),
        default_tc=intent.default_tc,
        pfc_priorities=sorted(set(intent.pfc_priorities)),
        link_pause=intent.link_pause,
        strict_priority_tcs=sorted(set(intent.strict_priority)),
        ets_weights=dict(sorted(intent.ets_weights.items())),
        ecn=ecn,
        pfc_watchdog_detect_ms=intent.pfc_watchdog.detect_ms,
        pfc_watchdog_restore_ms=intent.pfc_watchdog.restore_ms,
        origin=origin,
    )
    return f"{fabric}/{intent.name}", profile


def attach_qos(part: FabricPart, intent: QosIntent | None, fabric: str, origin: str) -> str | None:
    """Add the fabric's profile to `part` and point every device of `part` at it; returns the key (None
    without QoS intent). Call it after the devices exist."""
    if intent is None:
        return None
    key, profile = expand_qos(intent, fabric, origin)
    part.qos_profiles[key] = profile
    for device in part.devices:
        device.qos = key
    return key
