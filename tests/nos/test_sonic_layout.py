"""SONiC port lanes, aliases and breakout modes per platform, as the HwSKU's own files in sonic-buildimage spell
them (the device refuses a PORT entry whose lanes it does not have, and Dynamic Port Breakout refuses a
`brkout_mode` that is not a key of the port's `breakout_modes` in platform.json).

Expected values are copied from those files, not from our code:
- Dell S5232F-ON: device/dell/x86_64-dellemc_s5232f_c3538-r0/DellEMC-S5232f-C32/platform.json: "Ethernet64":
  lanes "65,66,67,68", breakout_modes "1x100G[40G]": ["hundredGigE1/17"], "4x25G": ["twentyfiveGigE1/17/1", ...],
  "2x50G": ["fiftyGigE1/17/1", "fiftyGigE1/17/2"].
- NVIDIA SN5600: device/mellanox/x86_64-nvidia_sn5600-r0/platform.json: "Ethernet64": lanes "64,...,71",
  "2x400G[200G,100G,50G,40G,25G,10G]": ["etp9a", "etp9b"], "4x200G[100G,50G,25G,10G]".
- NVIDIA SN2700: device/mellanox/x86_64-mlnx_msn2700-r0/platform.json: "Ethernet64": lanes "64,65,66,67",
  "2x50G[25G,10G]": ["etp17a", "etp17b"] (no 4x25G key).
"""

from __future__ import annotations

import pytest

import netweave
from netweave.catalog import builtin_platforms
from netweave.network.model import Interface
from netweave.nos.naming import interface_name
from netweave.nos.sonic import port_lanes, sonic_alias, sonic_breakout
from netweave.render import RenderError, render
from tests.golden import DESIGNS


def _iface(port: int, lane: int | None = None, speed: int = 100, breakout: str | None = None) -> Interface:
    return Interface(name="x", port=port, lane=lane, speed=speed, mtu=9216, breakout=breakout)


@pytest.mark.parametrize(
    ("platform", "port", "lane", "breakout", "speed", "name", "lanes", "alias"),
    [
        ("dell-s5232f-on", 17, None, None, 100, "Ethernet64", [65, 66, 67, 68], "hundredGigE1/17"),
        ("dell-s5232f-on", 1, None, None, 100, "Ethernet0", [1, 2, 3, 4], "hundredGigE1/1"),
        ("dell-s5232f-on", 17, 2, "4x25", 25, "Ethernet65", [66], "twentyfiveGigE1/17/2"),
        ("dell-s5232f-on", 17, 2, "2x50", 50, "Ethernet66", [67, 68], "fiftyGigE1/17/2"),
        ("nvidia-sn5600", 9, None, None, 800, "Ethernet64", list(range(64, 72)), "etp9"),
        ("nvidia-sn5600", 9, 2, "2x400", 400, "Ethernet68", [68, 69, 70, 71], "etp9b"),
        ("nvidia-sn2700", 17, 1, "2x50", 50, "Ethernet64", [64, 65], "etp17a"),
    ],
)
def test_lanes_and_aliases_follow_the_platform(
    platform: str,
    port: int,
    lane: int | None,
    breakout: str | None,
    speed: int,
    name: str,
    lanes: list[int],
    alias: str,
) -> None:
    chassis = builtin_platforms()[platform]
    fanout = int(breakout.split("x")[0]) if breakout else None
    assert interface_name("sonic", chassis, port, lane, fanout) == name
    assert port_lanes(chassis, port, lane, breakout) == lanes
    assert sonic_alias(chassis, _iface(port, lane, speed, breakout)) == alias


@pytest.mark.parametrize(
    ("platform", "mode", "key"),
    [
        ("nvidia-sn5600", "2x400", "2x400G[200G,100G,50G,40G,25G,10G]"),
        ("nvidia-sn5600", "4x200", "4x200G[100G,50G,25G,10G]"),
        ("nvidia-sn2700", "2x50", "2x50G[25G,10G]"),
        ("dell-s5232f-on", "4x25", "4x25G"),
        ("dell-s5232f-on", "2x50", "2x50G"),
    ],
)
def test_breakout_mode_is_the_platform_json_key(platform: str, mode: str, key: str) -> None:
    assert sonic_breakout(builtin_platforms()[platform], mode) == key


def test_a_breakout_the_platform_json_lacks_is_refused_with_the_fix() -> None:
    with pytest.raises(RenderError, match=r"SONiC on Spectrum SN2700: no platform\.json breakout mode for 4x25.*2x50"):
        sonic_breakout(builtin_platforms()["nvidia-sn2700"], "4x25")


def test_rendered_config_db_uses_the_platform_spelling() -> None:
    """End to end: evpn-mixed's Dell leaf (uplinks on cages 31, 32) and ai-sonic's SN5600 leaves (2x400G)."""
    network = netweave.expand(netweave.load(DESIGNS["evpn-mixed"]))
    import json

    dell = json.loads(render(network, only=["leaf2"])[0].files["leaf2.config_db.json"])
    assert dell["PORT"]["Ethernet120"]["lanes"] == "121,122,123,124"
    assert dell["PORT"]["Ethernet120"]["alias"] == "hundredGigE1/31"
    network = netweave.expand(netweave.load(DESIGNS["ai-sonic"]))
    leaf = json.loads(render(network, only=["su1-leaf-r1"])[0].files["su1-leaf-r1.config_db.json"])
    assert leaf["BREAKOUT_CFG"]["Ethernet0"]["brkout_mode"] == "2x400G[200G,100G,50G,40G,25G,10G]"
    assert leaf["PORT"]["Ethernet4"]["alias"] == "etp1b"


def test_buffer_model_is_the_platforms_and_dynamic_lossless_pgs_are_listed() -> None:
    """sonic-device_metadata.yang `buffer_model`: dynamic "is used by Mellanox so far", traditional "is the default
    model used by all other vendors" (it was 'dynamic' for every platform, Dell included). With the dynamic model
    each lossless PG is a BUFFER_PG entry whose profile is "NULL" (sonic-buffer-pg.yang: a BUFFER_PROFILE name or
    "NULL"), sized by buffermgrd from speed, cable length and MTU; the lossy PGs are not listed."""
    import json

    network = netweave.expand(netweave.load(DESIGNS["evpn-mixed"]))
    dell = json.loads(render(network, only=["leaf2"])[0].files["leaf2.config_db.json"])
    assert dell["DEVICE_METADATA"]["localhost"]["buffer_model"] == "traditional"
    assert "BUFFER_PG" not in dell  # buffermgrd derives them from CABLE_LENGTH + speed (pg_profile_lookup.ini)
    assert dell["CABLE_LENGTH"]["AZURE"]
    network = netweave.expand(netweave.load(DESIGNS["ai-sonic"]))
    leaf = json.loads(render(network, only=["su1-leaf-r1"])[0].files["su1-leaf-r1.config_db.json"])
    assert leaf["DEVICE_METADATA"]["localhost"]["buffer_model"] == "dynamic"
    pgs = leaf["BUFFER_PG"]
    assert set(pgs) == {f"{port}|3" for port in leaf["PORT"]}
    assert all(entry == {"profile": "NULL"} for entry in pgs.values())
