"""`netweave diff` skips rendering devices whose RenderInputs are equal on both revisions. That is only safe
if renderers read nothing outside RenderInputs. This test enforces it: every device of every bundled
design is rendered again from a network rebuilt from its RenderInputs alone (peers reduced to stubs that
carry only their name and role, every other network-wide table empty) and must give the same bytes.
A renderer that starts reading, say, a peer's loopback from the network fails here."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

import netweave
from netweave.network.model import BgpSession, DciInfo, Device, Network, SessionEnd
from netweave.render import render_device
from netweave.render.context import RenderIndex, RenderInputs, render_inputs
from tests.conftest import REPO
from tests.support.devices import bare_device

DESIGNS = [
    REPO / "stacks" / "lab" / "design.yaml",
    REPO / "stacks" / "prod" / "design.yaml",
    *sorted((REPO / "tests" / "golden" / "designs").glob("*.yaml")),
]


class _FixedIndex(RenderIndex):
    """A RenderIndex that knows only the advertised pools recorded in the inputs."""

    def __init__(self, network: Network, inputs: RenderInputs) -> None:
        self.network = network
        self._pools = list(inputs.advertised_pools)
        self._policies = {inputs.device.name: inputs.policy} if inputs.policy is not None else {}


def _stub(name: str, role: str) -> Device:
    return bare_device(name, role=role)


def _from_inputs(inputs: RenderInputs) -> Network:
    device = dataclasses.replace(inputs.device)
    network = Network(name="contract", devices=[device, *(_stub(n, r) for n, r in inputs.peer_roles.items())])
    for n in inputs.neighbors:
        network.sessions.append(
            BgpSession(
                a=SessionEnd(device=device.name, interface=n.local_interface, address=n.local_address, asn=device.asn),
                b=SessionEnd(device=n.peer_device, interface=n.peer_interface, address=n.peer_address, asn=n.peer_asn),
                bfd=n.bfd,
                afi=n.afi,
            )
        )
    if inputs.platform is not None:
        network.platforms[device.platform] = inputs.platform
    if inputs.qos is not None and device.qos:
        network.qos_profiles[device.qos] = inputs.qos
    if inputs.management is not None:
        network.management[device.management] = inputs.management
    if inputs.dci is not None:  # a DCI router's policy; summaries reach other devices via advertised_pools
        network.dci = DciInfo(policies={device.name: inputs.dci})
    return network


@pytest.mark.parametrize("design", DESIGNS, ids=[f"{p.parent.name}/{p.stem}" for p in DESIGNS])
def test_rendering_reads_nothing_outside_render_inputs(design: Path) -> None:
    network = netweave.expand(netweave.load(design))
    for device in network.devices:
        inputs = render_inputs(network, device)
        alone = _from_inputs(inputs)
        expected = render_device(network, device).files
        assert render_device(alone, alone.devices[0], _FixedIndex(alone, inputs)).files == expected, device.name
