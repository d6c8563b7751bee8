"""OpenConfig terminal-device configuration of a DCI device, produced from the Network.

Why from the Network and not the design: the Network is the contract every later stage reads; the
carrier's frequency, power and operational mode are already in `Interface.optics`, so this only maps
them onto `netweave.optical.openconfig` (which owns the RFC 7951 encoding and is yanglint-tested).

Component names: the port's own interface name is the transceiver (and the optical channel's
`line-port`), and `och-<interface>` is its OPTICAL_CHANNEL component.
"""

from __future__ import annotations

from typing import Any

from netweave.network.model import Network
from netweave.optical.openconfig import OpticalChannelConfig, TransceiverConfig, render_components


def channel_component(interface: str) -> str:
    """Name of the OPTICAL_CHANNEL component of the coherent optic in `interface`."""
    return f"och-{interface}"


def terminal_device(network: Network, device: str) -> dict[str, Any]:
    """`openconfig-platform:components` with one optical channel (and transceiver) per DCI carrier port.

    Raises KeyError for an unknown device and ValueError for a device without DCI optics.
    """
    found = network.device_by_name[device]
    channels: list[OpticalChannelConfig] = []
    transceivers: list[TransceiverConfig] = []
    for iface in found.interfaces:
        if iface.optics is None:
            continue
        channels.append(
            OpticalChannelConfig(
                component=channel_component(iface.name),
                frequency_mhz=iface.optics.frequency_mhz,
                target_output_power_dbm=iface.optics.target_power_dbm,
                operational_mode=iface.optics.operational_mode,
                line_port=iface.name,
            )
        )
        transceivers.append(TransceiverConfig(component=iface.name, enabled=True, fec_mode="FEC_ENABLED"))
    if not channels:
        raise ValueError(f"{device} has no DCI carrier with optics")
    return render_components(channels, transceivers)


def dci_devices(network: Network) -> list[str]:
    """Devices with at least one coherent DCI port, in Network order."""
    return [d.name for d in network.devices if any(i.optics is not None for i in d.interfaces)]
