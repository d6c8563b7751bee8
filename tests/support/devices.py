"""A `Device` for tests that need one without a design: every required field filled with a neutral value.

Lint and render tests that build networks by hand (thousands of address spellings, stand-in peers) used to spell
out all fifteen fields each time; they override only what they test.
"""

from __future__ import annotations

from typing import Any

from netweave.network.model import Device

NEUTRAL: dict[str, Any] = {
    "role": "leaf",
    "site": "s",
    "fabric": "f",
    "platform": "p",
    "vendor": "v",
    "model": "m",
    "nos": "frr",
    "asn": 65000,
    "loopback": "10.255.0.1",
    "mgmt_ipv4": "172.16.0.1/24",
    "mgmt_gateway": "172.16.0.254",
    "mgmt_interface": "eth0",
    "slot": 0,
    "origin": "x",
}


def bare_device(name: str, **fields: Any) -> Device:
    """A Device named `name` with `fields` over `NEUTRAL`."""
    return Device(name=name, **(NEUTRAL | fields))
