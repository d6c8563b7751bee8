"""Fake SONiC switches for every device of a design: real FRR namespaces cabled as the design says.

Each switch gets a network namespace from netweave's own lab runner (veths named like the design's
SONiC ports, so ``Ethernet64`` of leaf1 is cabled to ``Ethernet0`` of spine1), FRR daemons as SONiC's
bgp container runs them (zebra, bgpd, staticd, bfdd) with only a hostname configured, a factory CONFIG_DB
(the device's hardware facts and its cabled ports, admin down), the LLDP table its cables would produce,
and an SSH server on 127.0.0.1. :meth:`SonicLab.stop` removes all of it.
"""

from __future__ import annotations

import contextlib
import hashlib
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from unittest import mock

from netweave.lab import LabLink, LabNode, LabTopology, down, existing_leftovers, up
from netweave.lab.naming import netns_name
from netweave.network.model import Device, Network
from tests.support.sonic_fake.mgmt import ManagementNetwork
from tests.support.sonic_fake.server import FakeSonic

FRR_ETC = Path("/etc/frr")
DAEMONS = ("zebra", "bgpd", "staticd", "bfdd")
ZEBRA_MODULES = ("-M", "dplane_fpm_nl")
"""SONiC's bgp container starts zebra with the netlink FPM module (dockers/docker-fpm-frr supervisord.conf:
``zebra -A 127.0.0.1 -s 90000000 -M dplane_fpm_nl -M snmp``); it owns the ``fpm address`` commands that
SONiC's frr.conf carries. The SNMP module is left out: no agentx master runs here."""
PROFILE = ("-F", "datacenter")
"""The container's daemons read frr.conf at start, so its ``frr defaults datacenter`` is their defaults
profile; these daemons start without a config (netweave's lab pushes it with vtysh), so they are told."""


def _with_fpm(original: Callable[..., list[str]]) -> Callable[..., list[str]]:
    def argv(daemon: str, netns: str, run_dir: Path) -> list[str]:
        out = [*original(daemon, netns, run_dir), *PROFILE]
        return [*out, *ZEBRA_MODULES] if daemon == "zebra" else out

    return argv


def factory_config_db(device: Device, static_management: bool = False) -> dict[str, Any]:
    """What a freshly installed switch holds: hardware facts, default hostname, its ports admin down
    (the cabled ones and a spare the design does not use); with `static_management`, the eth0 address and
    gateway an operator gave it at first boot (`config interface ip add eth0 ...`), else eth0 runs DHCP."""
    mac = "52:54:00:" + ":".join(hashlib.sha256(device.name.encode()).hexdigest()[i : i + 2] for i in (0, 2, 4))
    ports = {
        iface.name: {
            "alias": f"etp{iface.port}",
            "index": str(iface.port),
            "speed": str(iface.speed * 1000),
            "admin_status": "down",
            "mtu": "9100",
        }
        for iface in device.interfaces
    }
    spare = "Ethernet124"  # the last cage of the 32-port platform, unused by the test designs
    ports.setdefault(spare, {"alias": "etp32", "index": "32", "speed": "100000", "admin_status": "down", "mtu": "9100"})
    factory: dict[str, Any] = {}
    if static_management:
        factory["MGMT_INTERFACE"] = {f"eth0|{device.mgmt_ipv4}": {"gwaddr": device.mgmt_gateway}}
    return {
        **factory,
        "DEVICE_METADATA": {
            "localhost": {
                "hostname": "sonic",
                "mac": mac,
                "platform": "x86_64-dellemc_s5232f_c3538-r0",
                "hwsku": "DellEMC-S5232f-C32",
                "type": "LeafRouter",
            }
        },
        "PORT": ports,
    }


@dataclass
class SonicLab:
    """The running fake switches of one design, by device name."""

    name: str
    network: Network
    root: Path
    username: str
    password: str
    switches: dict[str, FakeSonic] = field(default_factory=dict)
    dhcp: bool = True
    """Whether the management network leases each switch its design address (ZTP); without it a factory
    switch is reached through the MGMT_INTERFACE entry `factory_config_db` then gives it."""

    def start(self, devices: list[str] | None = None) -> SonicLab:
        """Bring up the namespaces and FRR, then one fake switch per device (all devices by default)."""
        names = devices if devices is not None else [d.name for d in self.network.devices]
        nodes = [LabNode(n, f"hostname {n}\n", daemons=DAEMONS) for n in names]
        links = [
            LabLink(link.a.device, link.a.interface, link.b.device, link.b.interface, mtu=9100)
            for link in self.network.links
            if link.a.device in names and link.b.device in names
        ]
        import netweave.lab.frr as lab_frr

        with mock.patch.object(lab_frr, "daemon_argv", _with_fpm(lab_frr.daemon_argv)):
            up(LabTopology(name=self.name, nodes=nodes, links=links), self.root / "labstate")
        for name in names:
            ns = netns_name(self.name, name)
            etc = FRR_ETC / ns  # where `write memory` of path space ns goes (the container's /etc/frr)
            etc.mkdir(parents=True, exist_ok=True)
            shutil.chown(etc, "frr", "frr")
            (etc / "vtysh.conf").write_text("service integrated-vtysh-config\n")
            device = self.network.device_by_name[name]
            facts = {
                "version": "SONiC.202411.1-5fd5b9a3f",
                "platform": "x86_64-dellemc_s5232f_c3538-r0",
                "hwsku": "DellEMC-S5232f-C32",
                "serial": f"SN{name.upper()}",
                "model": "S5232F-ON",
            }
            mgmt = ManagementNetwork(device.mgmt_ipv4.split("/")[0], device.mgmt_gateway, dhcp=self.dhcp)
            fake = FakeSonic(self.root / name, ns, self.username, self.password, facts, mgmt)
            fake.set_config_db(factory_config_db(device, static_management=not self.dhcp))
            fake.write_lldp(self._lldp(name, names))
            self.switches[name] = fake.start()
        return self

    def _lldp(self, name: str, running: list[str]) -> list[dict[str, str]]:
        out = []
        for link in self.network.links:
            for local, remote in ((link.a, link.b), (link.b, link.a)):
                if local.device == name and remote.device in running:
                    out.append(
                        {
                            "local": local.interface,
                            "remote_device": remote.device,
                            "remote_port_id": remote.interface,
                            "remote_port_descr": "",
                        }
                    )
        return out

    def options(self, name: str) -> dict[str, Any]:
        """Driver optional_args that reach ``name``'s fake (files of its bgp container in its own directory)."""
        fake = self.switches[name]
        return {
            "port": fake.port,
            "ssh_strict": False,
            "container_state_dir": str(fake.root / "bgp-netweave"),
            "frr_config": str(FRR_ETC / fake.netns / "frr.conf"),
            "startup_config_db": str(fake.root / "etc" / "sonic" / "config_db.json"),
        }

    def stop(self) -> list[str]:
        """Stop every fake and tear the lab down; returns what was left behind (empty when clean)."""
        for fake in self.switches.values():
            fake.stop()
        down(self.name, self.root / "labstate")
        left: list[str] = list(existing_leftovers(self.name))
        for fake in self.switches.values():
            with contextlib.suppress(FileNotFoundError):
                shutil.rmtree(FRR_ETC / fake.netns)
            left += [f"pid {pid}" for pid in fake.processes()]
        return left


class SonicLabs:
    """Starts fake SONiC labs for a test and tears every one down (checking nothing is left) at the end."""

    def __init__(self, root: Path, username: str, password: str) -> None:
        self.root = root
        self.username = username
        self.password = password
        self.started: list[SonicLab] = []

    def start(self, network: Network, devices: list[str] | None = None, dhcp: bool = True) -> SonicLab:
        """A lab named uniquely for this process (several test runs share the machine)."""
        import os

        name = f"sn{os.getpid() % 1000000}x{len(self.started)}"
        lab = SonicLab(name, network, self.root / name, self.username, self.password, dhcp=dhcp)
        self.started.append(lab)
        return lab.start(devices)

    def stop(self) -> list[str]:
        left: list[str] = []
        for lab in self.started:
            try:
                left += [f"{lab.name}: {item}" for item in lab.stop()]
            except Exception as exc:  # keep tearing the others down, then report
                left.append(f"{lab.name}: {exc!r}")
        return left

    def inventory(self, lab: SonicLab, path: Path, absent: dict[str, int] | None = None) -> Path:
        """An inventory file reaching every fake of ``lab`` (and ``absent`` devices at closed ports)."""
        import yaml

        devices: dict[str, Any] = {name: {"host": "127.0.0.1", **lab.options(name)} for name in lab.switches}
        for name, port in (absent or {}).items():
            devices[name] = {"host": "127.0.0.1", "port": port, "ssh_strict": False}
        path.write_text(yaml.safe_dump({"defaults": {"timeout": 20}, "devices": devices}))
        return path


def closed_port() -> int:
    """A local TCP port nothing listens on (bound, then released)."""
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])
