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


def test_buffer_model_is_the_platforms_and_dynamic_buffers_are_complete() -> None:
    """sonic-device_metadata.yang `buffer_model`: dynamic "is used by Mellanox so far", traditional "is the default
    model used by all other vendors". The dynamic model's tables are rendered whole, as NVIDIA's HwSKUs define them
    (ACS-MSN2700/buffers_defaults_objects.j2, `dynamic_mode`; files/build_templates/buffers_config.j2): the
    pools (only egress_lossless_pool sized: ACS-SN5600/buffers_defaults_t1.j2 '158229504'), the five profiles,
    each port's profile lists, PG 0 lossy and the lossless PGs on "NULL" (headroom sized by buffermgrd), queues
    0-6 with the lossless ones on egress_lossless_profile, and the lossless defaults. Before, only the lossless
    PGs were listed: under `config replace` that deleted PG 0 and left the pools, profiles and queues out."""
    import json

    network = netweave.expand(netweave.load(DESIGNS["evpn-mixed"]))
    dell = json.loads(render(network, only=["leaf2"])[0].files["leaf2.config_db.json"])
    assert dell["DEVICE_METADATA"]["localhost"]["buffer_model"] == "traditional"
    assert not [t for t in dell if t.startswith("BUFFER_")]  # the HwSKU's own tables stay (see lossless_buffers)
    assert dell["CABLE_LENGTH"]["AZURE"]
    network = netweave.expand(netweave.load(DESIGNS["ai-sonic"]))
    leaf = json.loads(render(network, only=["su1-leaf-r1"])[0].files["su1-leaf-r1.config_db.json"])
    assert leaf["DEVICE_METADATA"]["localhost"]["buffer_model"] == "dynamic"
    assert leaf["BUFFER_POOL"] == {
        "ingress_lossless_pool": {"type": "ingress", "mode": "dynamic"},
        "ingress_lossy_pool": {"type": "ingress", "mode": "dynamic"},
        "egress_lossless_pool": {"type": "egress", "mode": "dynamic", "size": "158229504"},
        "egress_lossy_pool": {"type": "egress", "mode": "dynamic"},
    }
    assert leaf["BUFFER_PROFILE"]["egress_lossy_profile"] == {
        "pool": "egress_lossy_pool",
        "size": "9216",
        "dynamic_th": "7",
    }
    ports = set(leaf["PORT"])
    assert set(leaf["BUFFER_PG"]) == {f"{p}|{pg}" for p in ports for pg in (0, 3)}
    assert {e["profile"] for k, e in leaf["BUFFER_PG"].items() if k.endswith("|3")} == {"NULL"}
    assert {e["profile"] for k, e in leaf["BUFFER_PG"].items() if k.endswith("|0")} == {"ingress_lossy_profile"}
    queues = leaf["BUFFER_QUEUE"]
    assert set(queues) == {f"{p}|{q}" for p in ports for q in range(7)}
    assert {k.split("|")[1] for k, e in queues.items() if e["profile"] == "egress_lossless_profile"} == {"3"}
    assert set(leaf["BUFFER_PORT_INGRESS_PROFILE_LIST"]) == ports == set(leaf["BUFFER_PORT_EGRESS_PROFILE_LIST"])
    assert leaf["DEFAULT_LOSSLESS_BUFFER_PARAMETER"] == {"AZURE": {"default_dynamic_th": "0"}}
    assert leaf["LOSSLESS_TRAFFIC_PATTERN"] == {"AZURE": {"mtu": "1024", "small_packet_percentage": "50"}}


def test_a_dynamic_platform_without_its_pool_size_is_refused() -> None:
    from netweave.nos.sonic import lossless_buffers

    network = netweave.expand(netweave.load(DESIGNS["ai-sonic"]))
    device = network.device_by_name["su1-leaf-r1"]
    platform = network.platforms[device.platform]
    assert platform.sonic is not None and device.qos is not None
    bare = platform.model_copy(update={"sonic": platform.sonic.model_copy(update={"egress_lossless_pool": None})})
    with pytest.raises(RenderError, match=r"add `sonic\.egress_lossless_pool`"):
        lossless_buffers(bare, network.qos_profiles[device.qos], device)


def test_sn4700_layout_is_its_platform_json() -> None:
    """device/mellanox/x86_64-mlnx_msn4700-r0/platform.json.a1: "Ethernet64": lanes "64,...,71",
    "2x200G[100G,50G,40G,25G,10G,1G]": ["etp9a", "etp9b"], "4x100G[50G,25G,10G,1G]" (no 8x50G key)."""
    sn4700 = builtin_platforms()["nvidia-sn4700"]
    assert port_lanes(sn4700, 9, None, None) == list(range(64, 72))
    assert sonic_alias(sn4700, _iface(9, 2, 200, "2x200")) == "etp9b"
    assert sonic_breakout(sn4700, "2x200") == "2x200G[100G,50G,40G,25G,10G,1G]"
    assert sonic_breakout(sn4700, "4x100") == "4x100G[50G,25G,10G,1G]"
    with pytest.raises(RenderError, match=r"no platform\.json breakout mode for 8x50"):
        sonic_breakout(sn4700, "8x50")


def test_every_sonic_platform_has_its_layout() -> None:
    """Each catalogue platform that runs SONiC carries the spelling of its published platform.json; the IXR-D2L and
    D3L have none in sonic-buildimage, so they do not list SONiC (the Mellanox-style fallback guessed lanes)."""
    catalogue = builtin_platforms()
    assert all(p.sonic is not None for p in catalogue.values() if "sonic" in p.nos)
    assert "sonic" not in catalogue["nokia-7220-ixr-d2l"].nos and "sonic" not in catalogue["nokia-7220-ixr-d3l"].nos
