"""Two fake NVUE switches (spine1, leaf1, cabled spine1:swp1 - leaf1:swp33) and configs for them.

The fake (tests/support/nvue_fake.py) implements NVUE's revision API as NVIDIA documents it; the
driver under test is the real one, found through NAPALM's own lookup.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import napalm
import pytest

from tests.support.nvue_fake import FakeFabric, fabric

USER = "netops"
SECRET = "Sentinel-nvue-7d1e"


def config(name: str, asn: int, address: str, peer: str, peer_asn: int | str, loopback: str, **extra: str) -> str:
    """A small NVUE startup file in the shape netweave renders (one routed uplink, one BGP neighbor)."""
    port = "swp1" if name.startswith("spine") else "swp33"
    lines = [
        f"# {name}",
        "- header:",
        "    model: SN5600",
        "    nvue-api-version: nvue_v1",
        "- set:",
        "    system:",
        f"      hostname: {name}",
        "    interface:",
        "      lo:",
        "        type: loopback",
        "        ip:",
        "          address:",
        f"            {loopback}/32: {{}}",
        f"      {port}:",
        "        type: swp",
        f'        description: "uplink {port}"',
        "        link:",
        "          mtu: 9216",
        "          speed: 400G",
        "        ip:",
        "          address:",
        f"            {address}: {{}}",
    ]
    lines += [f"      {iface}:\n        type: swp" for iface in extra.get("more", "").split(",") if iface]
    lines += [
        "    router:",
        "      bgp:",
        "        enable: on",
        f"        autonomous-system: {asn}",
    ]
    if not extra.get("no_router_id"):
        lines.append(f"        router-id: {loopback}")
    lines += [
        "    service:",
        "      lldp:",
        "        state: enabled",
        "    vrf:",
        "      default:",
        "        router:",
        "          bgp:",
        "            enable: on",
        "            neighbor:",
        f"              {peer}:",
        "                type: numbered",
        f"                remote-as: {peer_asn}",
        f'                description: "peer of {name}"',
    ]
    return "\n".join(lines) + "\n"


def spine_config(**extra: Any) -> str:
    return config("spine1", 65100, "10.1.0.0/31", "10.1.0.1", extra.pop("peer_asn", 4200000001), "10.0.0.1", **extra)


def leaf_config(**extra: Any) -> str:
    return config("leaf1", 4200000001, "10.1.0.1/31", "10.1.0.0", extra.pop("peer_asn", 65100), "10.0.0.33", **extra)


@pytest.fixture
def switches(tmp_path: Path) -> Iterator[FakeFabric]:
    """spine1 and leaf1 serving NVUE's API on 127.0.0.1 (HTTPS, basic auth); always stopped."""
    with fabric(tmp_path, ["spine1", "leaf1"], USER, SECRET, apply_delay=0.1, minute_s=1.0) as fake:
        fake.links.append((("spine1", "swp1"), ("leaf1", "swp33")))
        yield fake


@pytest.fixture
def connect(switches: FakeFabric) -> Iterator[Callable[..., Any]]:
    """Open the real driver (`napalm.get_network_driver("nvue")`) to a fake switch; closed at teardown."""
    opened: list[Any] = []

    def open_driver(name: str, password: str = SECRET, **options: Any) -> Any:
        args = {"port": switches.port(name), "ca_file": str(switches.cert), "poll_interval": 0.05, **options}
        driver = napalm.get_network_driver("nvue")("127.0.0.1", USER, password, timeout=10, optional_args=args)
        driver.open()
        opened.append(driver)
        return driver

    yield open_driver
    for driver in opened:
        driver.close()
