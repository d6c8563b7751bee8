"""cabling.csv gives a field technician a label per cable and the part to order (IEEE reach classes)."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable

import pytest
from tests.conftest import REPO

from netweave.catalog.media import media_for


@pytest.mark.parametrize(
    ("speed", "length", "expected"),
    [
        (400, 1.5, "400GBASE-CR4 (DAC)"),  # 802.3ck copper: 2 m
        (400, 30.0, "400GBASE-SR8 (OM4)"),  # Clause 138: 100 m on OM4
        (400, 100.0, "400GBASE-SR8 (OM4)"),  # the reach itself still fits
        (400, 150.0, "400GBASE-DR4"),  # Clause 124: 500 m single-mode
        (800, 60.0, "800GBASE-DR8"),  # past SR8's 50 m
        (100, 1_500.0, "100GBASE-FR1"),
        (100, 20_000.0, "longer than 100GBASE-LR4 reaches (10000 m)"),
        (100, None, "unknown length (set cable_m)"),
        (7, 3.0, "no IEEE reach table for 7G"),
    ],
)
def test_shortest_reach_class_that_covers_the_length(speed: int, length: float | None, expected: str) -> None:
    assert media_for(speed, length) == expected


def test_a_dci_port_names_its_coherent_mode() -> None:
    assert media_for(400, None, "400ZR") == "400ZR"


def test_cabling_rows_carry_a_unique_stable_label_and_the_media(cli: Callable) -> None:
    out = cli("show", REPO / "stacks" / "prod" / "design.yaml", "cabling", "--format", "csv").stdout
    rows = list(csv.DictReader(io.StringIO(out)))
    ids = [row["cable_id"] for row in rows]
    assert len(ids) == len(set(ids)), "two cables share a label"
    first_dci = next(row for row in rows if row["device"] == "ams1-dci1")
    assert first_dci["cable_id"] == "ams1-dci1.1" and first_dci["media"].startswith(("400ZR", "OpenZR+"))
    server = rows[0]
    assert server["cable_id"] == f"{server['device']}.{server['interface']}" and server["media"].startswith("400G")


def test_the_media_of_each_distinct_link_kind_is_looked_up_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """200,000 links at 100k GPUs share a handful of (speed, length, optics) kinds: one lookup per kind, and the
    same rows as a lookup per link."""
    import netweave
    from netweave.output import views

    network = netweave.expand(netweave.load(REPO / "stacks" / "prod" / "design.yaml"))
    expected = views.cabling(network)
    calls: list[tuple[object, ...]] = []

    def counting(speed: int, cable_m: float | None, mode: str | None = None) -> str:
        calls.append((speed, cable_m, mode))
        return media_for(speed, cable_m, mode)

    monkeypatch.setattr(views, "media_for", counting)
    assert views.cabling(network) == expected
    assert len(calls) == len(set(calls)) < len(network.links)


def test_csv_writes_a_missing_value_as_an_empty_field() -> None:
    from netweave.output import views

    assert views.to_csv((["a", "b", "c"], [[None, 1, "x,y"], [None, None, None]])) == 'a,b,c\n,1,"x,y"\n,,\n'
