"""QoS rules for lossless RoCEv2: one DSCP map and PFC set on every hop, sane ECN, cable lengths known."""

from __future__ import annotations

from collections.abc import Iterator

from netweave.intent.qos import to_bytes
from netweave.lint import Finding, rule
from netweave.network.model import Device, Network, QosProfile
from netweave.nos import find


@rule("qos-consistent", "error", "both ends of every link share one DSCP->TC map and PFC priorities")
def qos_consistent(network: Network) -> Iterator[Finding]:
    """A RoCE packet re-classified or paused on a different priority one hop later is dropped or
    deadlocks; PFC must be identical end to end. Reported once per pair of profiles."""
    by_name = network.device_by_name
    reported: set[tuple[str | None, str | None]] = set()
    for link in network.links:
        a, b = by_name.get(link.a.device), by_name.get(link.b.device)
        if a is None or b is None or (a.qos is None and b.qos is None):
            continue
        key = (a.qos, b.qos)
        if key in reported or a.qos == b.qos:
            continue
        problem = _difference(network, a, b)
        if problem:
            reported.add(key)
            yield qos_consistent.finding(
                link.origin, f"{a.name} - {b.name}: {problem}", "give both tiers the same qos profile", a.name
            )


def _difference(network: Network, a: Device, b: Device) -> str:
    pa = network.qos_profiles.get(a.qos or "")
    pb = network.qos_profiles.get(b.qos or "")
    if pa is None or pb is None:
        missing = a if pa is None else b
        return f"{missing.name} has no QoS profile while its peer runs {(pb or pa).name}"  # type: ignore[union-attr]
    if pa.dscp_to_tc != pb.dscp_to_tc or pa.default_tc != pb.default_tc:
        return f"DSCP->TC maps differ ({_dscp(pa)} vs {_dscp(pb)})"
    if pa.pfc_priorities != pb.pfc_priorities:
        return f"PFC priorities differ ({pa.pfc_priorities} vs {pb.pfc_priorities})"
    return ""


def _dscp(profile: QosProfile) -> str:
    return ", ".join(f"{d}->{t}" for d, t in profile.dscp_to_tc.items())


@rule("qos-pfc", "error", "PFC only on lossless priorities that traffic is classified into; no 802.3x pause")
def qos_pfc(network: Network) -> Iterator[Finding]:
    for key, profile in network.qos_profiles.items():
        used = set(profile.dscp_to_tc.values())
        unused = [p for p in profile.pfc_priorities if p not in used]
        if unused:
            yield qos_pfc.finding(
                profile.origin,
                f"{key}: PFC on priority {unused} but no DSCP maps to it",
                "map the RoCE DSCP (26) to the lossless priority, or drop it from pfc_priorities",
            )
        strict = sorted(set(profile.pfc_priorities) & set(profile.strict_priority_tcs))
        if strict:
            yield qos_pfc.finding(
                profile.origin,
                f"{key}: priority {strict} is both lossless (PFC) and strict priority",
                "CNP (TC 6) is strict priority and lossy; RoCE (TC 3) is lossless",
            )
        if profile.link_pause and profile.pfc_priorities:
            yield qos_pfc.finding(
                profile.origin, f"{key}: 802.3x link pause is on together with PFC", "set link_pause: false"
            )


@rule("qos-ecn", "error", "ECN on every lossless queue, min threshold < max, units declared and comparable")
def qos_ecn(network: Network) -> Iterator[Finding]:
    for key, profile in network.qos_profiles.items():
        ecn = profile.ecn
        where = f"{profile.origin}.ecn"
        missing = [p for p in profile.pfc_priorities if p not in ecn.traffic_classes]
        if missing:
            yield qos_ecn.finding(
                where, f"{key}: no ECN on lossless priority {missing}", "DCQCN needs ECN marking on the RoCE queue"
            )
        low, high = ecn.min_threshold, ecn.max_threshold
        low_b, high_b = to_bytes(low), to_bytes(high)
        if low_b is not None and high_b is not None:
            ordered = low_b < high_b
        elif low.unit == high.unit:
            ordered = low.value < high.value
        else:
            yield qos_ecn.finding(
                where, f"{key}: ECN min is in {low.unit} but max in {high.unit}", "give both thresholds the same unit"
            )
            continue
        if not ordered:
            yield qos_ecn.finding(
                where,
                f"{key}: ECN min {low.value:g} {low.unit} is not below max {high.value:g} {high.unit}",
                "min must be lower than max",
            )
        for name, q in (("min", low), ("max", high)):
            if q.unit == "percent" and q.value > 100:
                yield qos_ecn.finding(where, f"{key}: ECN {name} {q.value:g} percent is above 100")


@rule("cable-length", "error", "every lossless link has a cable length (PFC headroom depends on it)")
def cable_length(network: Network) -> Iterator[Finding]:
    """PFC headroom = what is in flight when a pause is sent: it grows with speed and cable length,
    so a lossless link without a length cannot be given a correct buffer."""
    by_name = network.device_by_name
    lossless = {key for key, profile in network.qos_profiles.items() if profile.pfc_priorities}
    missing: dict[str, list[str]] = {}
    for link in network.links:
        if link.cable_m is not None:
            continue
        ends = [by_name.get(link.a.device), by_name.get(link.b.device)]
        if any(d is not None and d.qos in lossless for d in ends):
            missing.setdefault(link.origin, []).append(f"{link.a.device}-{link.b.device}")
    for origin, names in missing.items():
        more = f" and {len(names) - 3} more" if len(names) > 3 else ""
        yield cable_length.finding(
            origin,
            f"{len(names)} lossless link(s) without cable length: {', '.join(names[:3])}{more}",
            "set cable_m for this tier in the design",
        )


@rule("qos-platform-support", "warning", "the switch's NOS/platform supports the QoS profile it is given (PFC)")
def qos_platform_support(network: Network) -> Iterator[Finding]:
    """Some NOS have PFC only on some platforms (the NOS profile's `capabilities.pfc`; SR Linux: the chassis
    with srl_nokia-features `qos-pfc-xgs`, 7220 D4/D5/H4); elsewhere the renderer leaves PFC out (DSCP
    classification and ECN stay) and the fabric is not lossless on that hop. Reported once per (fabric, platform)."""
    reported: set[tuple[str, str]] = set()
    for device in network.devices:
        profile = network.qos_profiles.get(device.qos or "")
        nos = find(device.nos)
        platform = network.platforms.get(device.platform)
        if profile is None or not profile.pfc_priorities or nos is None or platform is None:
            continue
        if nos.capabilities.pfc(platform) or (device.fabric, device.platform) in reported:
            continue
        reported.add((device.fabric, device.platform))
        capable = f" ({nos.capabilities.pfc_platforms})" if nos.capabilities.pfc_platforms else ""
        yield qos_platform_support.finding(
            device.origin,
            f"{device.name}: {nos.title} on {device.model} has no PFC; PFC priority "
            f"{profile.pfc_priorities} is not rendered (RoCE on this hop is lossy, ECN only)",
            f"use a PFC-capable platform{capable} or accept ECN-only congestion control",
            device.name,
        )
