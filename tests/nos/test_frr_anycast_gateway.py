"""FRR on Linux: the anycast gateway MAC reaches the node (defect 7: it was dropped).

frr.conf cannot set an interface MAC; zebra takes SVIs, VXLAN devices and VRFs from the kernel (FRR user guide,
EVPN: "Linux interface configuration" - FRR expects the bridge, VXLAN and SVI devices to exist). The containerlab
export therefore runs the kernel side on the FRR node (`exec`, containerlab node option) with the design's
anycast gateway MAC on each gateway SVI, the same MAC on every VTEP.
"""

from __future__ import annotations

import shutil
import subprocess

import netweave
from netweave.lab.clab import export
from netweave.nos.frr import frr_kernel_commands
from netweave.render import render
from tests.conftest import require, require_kernel
from tests.golden import DESIGNS
from tests.support.clab_schema import find_clab_schema, validate_topology


def _network() -> netweave.Network:
    return netweave.expand(netweave.load(DESIGNS["evpn-mixed"]))


def test_frr_vtep_gets_the_anycast_gateway_mac_on_its_gateway_svi() -> None:
    network = _network()
    leaf4 = network.device_by_name["leaf4"]
    commands = frr_kernel_commands(network, leaf4)
    assert "ip link set vlan100 address 00:00:5e:00:01:01" in commands
    assert "ip link set vlan100 master blue" in commands
    assert "ip link add vxlan10100 type vxlan id 10100 local " + leaf4.evpn.vtep + " dstport 4789 nolearning" in (  # type: ignore[union-attr]
        commands
    )
    assert not any("vlan200 address" in c for c in commands)  # the L2-only segment has no gateway
    conf = render(network, only=["leaf4"])[0].files["leaf4.frr.conf"]
    assert "interface vlan100 vrf blue\n" in conf  # the SVI the kernel side creates is the one FRR addresses
    assert frr_kernel_commands(network, network.device_by_name["spine1"]) == []


def test_containerlab_export_runs_the_kernel_side_and_stays_schema_valid() -> None:
    result = export(_network())
    nodes = result.topology["topology"]["nodes"]
    assert "ip link set vlan100 address 00:00:5e:00:01:01" in nodes["leaf4"]["exec"]
    assert "exec" not in nodes["leaf1"]  # EOS sets its MAC in its own config (ip virtual-router mac-address)
    assert validate_topology(result.topology, find_clab_schema()) == []


def test_kernel_commands_run_on_linux() -> None:
    """The commands are real iproute2: run them in a private network namespace (needs the bridge, vrf and vxlan
    kernel modules) and read the SVI's MAC back."""
    unshare = shutil.which("unshare")
    require(unshare is not None, "unshare (util-linux) is not installed")
    network = _network()
    script = "set -e\n" + "\n".join(frr_kernel_commands(network, network.device_by_name["leaf4"]))
    script += "\ncat /sys/class/net/vlan100/address\n"
    probe = subprocess.run(
        [unshare, "-n", "sh", "-c", "ip link add nwprobe type bridge && ip link add nwvrf type vrf table 9"],
        capture_output=True,
        text=True,
    )
    require_kernel(probe.returncode == 0, f"bridge/vrf link types ({probe.stderr.strip()})")
    done = subprocess.run([unshare, "-n", "sh", "-c", script], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "00:00:5e:00:01:01"
