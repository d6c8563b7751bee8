"""The fabric-port policy reads SONiC configs: the SONiC driver's text is CONFIG_DB JSON then FRR text."""

from __future__ import annotations

from netweave.napalm_sonic.bundle import Bundle
from netweave.pulumi.policies import fabric_port_shutdowns


def test_sonic_port_admin_down_on_a_fabric_port_is_found() -> None:
    ports = {"Ethernet0": {"admin_status": "down"}, "Ethernet4": {"admin_status": "up"}, "Ethernet8": {}}
    text = Bundle({"PORT": ports}, "router bgp 65001\n").text()
    assert fabric_port_shutdowns(text, ["Ethernet0", "Ethernet4"]) == ["Ethernet0"]
    assert fabric_port_shutdowns(text, ["Ethernet4", "Ethernet8"]) == []
