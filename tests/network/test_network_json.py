"""`Network.to_json` (orjson straight from the dataclasses) writes exactly what pydantic's serialiser wrote,
and the neighbour index is built with the cyclic garbage collector paused (issue #19)."""

from __future__ import annotations

import gc
from typing import Any

import pytest
from pydantic import TypeAdapter

import netweave
from netweave.network import model
from netweave.network.model import Network
from tests.conftest import LAB_DESIGN, REPO

DESIGNS = [LAB_DESIGN, REPO / "stacks" / "prod" / "design.yaml"]


@pytest.mark.parametrize("design", DESIGNS, ids=lambda p: p.parent.name)
@pytest.mark.parametrize("indent", [2, None])
def test_to_json_is_pydantics_text(design: Any, indent: int | None) -> None:
    network = netweave.expand(netweave.load(design))
    network.neighbors(network.devices[0].name)  # cached indexes must not leak into the JSON
    expected = TypeAdapter(Network).dump_json(network, indent=indent).decode()
    assert network.to_json(indent=indent) == expected


def test_to_json_refuses_an_indent_it_cannot_write() -> None:
    with pytest.raises(ValueError, match="indent"):
        Network(name="n").to_json(indent=4)


def test_neighbour_index_is_built_with_gc_paused(monkeypatch: pytest.MonkeyPatch) -> None:
    network = netweave.expand(netweave.load(LAB_DESIGN))
    seen: list[bool] = []
    real = model.Neighbor

    def recording(**kwargs: Any) -> model.Neighbor:
        seen.append(gc.isenabled())
        return real(**kwargs)

    monkeypatch.setattr(model, "Neighbor", recording)
    assert gc.isenabled()
    assert network.neighbors(network.devices[0].name)
    assert seen and not any(seen)
    assert gc.isenabled()


def test_to_json_bytes_is_the_file() -> None:
    """network.json is written from these bytes (no str copy): to_json's text, UTF-8, with the newline."""
    network = netweave.expand(netweave.load(LAB_DESIGN))
    assert network.to_json_bytes(newline=True) == (network.to_json() + "\n").encode("utf-8")
    assert network.to_json_bytes(indent=None) == network.to_json(indent=None).encode("utf-8")
