"""The expanded Network of every bundled design, compared byte for byte with tests/golden/network/<design>.json.

The Network is the contract between expansion and everything after it (renderers, lint, lab, apply), so a
change to a module or to the model that alters it fails here until the goldens are regenerated on purpose
and the diff reviewed:

    python -m tests.golden --update
    pytest tests/test_golden_network.py --update-golden     (same, from pytest)
"""

from __future__ import annotations

import pytest

from netweave.network.model import Network
from tests.golden import NETWORK_DESIGNS, NETWORK_DIR, network_json, update_network


@pytest.mark.parametrize("design", sorted(NETWORK_DESIGNS))
def test_network_golden(design: str, request: pytest.FixtureRequest) -> None:
    if request.config.getoption("--update-golden"):
        update_network(design)
    golden = NETWORK_DIR / f"{design}.json"
    assert golden.is_file(), f"no golden for {design}; run python -m tests.golden --update"
    actual = network_json(design)
    expected = golden.read_text()
    if actual != expected:  # name the first differing line instead of dumping megabytes
        for number, (got, want) in enumerate(zip(actual.splitlines(), expected.splitlines(), strict=False), 1):
            assert got == want, f"{golden.name}:{number} differs (python -m tests.golden --update, then review)"
        pytest.fail(f"{golden.name}: length differs (python -m tests.golden --update, then review)")
    assert Network.from_json(expected).to_json() + "\n" == expected, "network.json does not round-trip"


def test_every_bundled_design_has_a_network_golden() -> None:
    """Adding a stack or a golden design without its network.json (or leaving a stale one) fails."""
    assert {"lab", "prod"} <= set(NETWORK_DESIGNS)
    assert sorted(p.stem for p in NETWORK_DIR.glob("*.json")) == sorted(NETWORK_DESIGNS)
