"""network.json in pieces (`netweave build` streams it into its stage) is `Network.to_json_bytes`, byte for byte."""

from __future__ import annotations

from typing import Any

import pytest
from tests.conftest import LAB_DESIGN, REPO

import netweave
from netweave.output.network_json import network_json_chunks

DESIGNS = [LAB_DESIGN, REPO / "stacks" / "prod" / "design.yaml"]


@pytest.mark.parametrize("design", DESIGNS, ids=lambda p: p.parent.name)
@pytest.mark.parametrize("batch", [1, 2, 3, 1000])
def test_json_chunks_join_to_the_whole_file(design: Any, batch: int) -> None:
    """network.json written in pieces (long lists `batch` items at a time) is the one-piece file byte for byte,
    with and without its newline; empty lists and one-item batches included."""
    network = netweave.expand(netweave.load(design))
    assert any(type(v) is list and len(v) > batch for v in vars(network).values()) or batch == 1000
    for newline in (True, False):
        pieces = list(network_json_chunks(network, newline=newline, batch=batch))
        assert b"".join(pieces) == network.to_json_bytes(newline=newline)
        if batch == 1:
            assert len(pieces) > len(network.devices) + len(network.links)  # an item at a time, never all at once
