"""Golden files: rendered configs compared byte for byte with tests/golden/<design>/<device file>.

A renderer or template change that alters output fails here until the goldens are regenerated on
purpose and the diff reviewed:

    python -m tests.golden --update
    pytest tests/test_golden.py --update-golden     (same, from pytest)

Designs: stacks/lab (FRR + SR Linux) and tests/golden/designs/*.yaml (a small AI back-end per NOS and
a mixed-NOS EVPN leaf-spine).
"""

from __future__ import annotations

import pytest

from tests.golden import DESIGNS, HERE, rendered, update


@pytest.mark.parametrize("design", sorted(DESIGNS))
def test_golden(design: str, request: pytest.FixtureRequest) -> None:
    if request.config.getoption("--update-golden"):
        update(design)
    directory = HERE / design
    expected = {p.name: p.read_text() for p in directory.iterdir()} if directory.is_dir() else {}
    actual = rendered(design)
    assert sorted(actual) == sorted(expected), "device files differ; run python -m tests.golden --update"
    for name, text in actual.items():
        assert text == expected[name], f"{design}/{name} differs from its golden file (python -m tests.golden --update)"


def test_every_nos_has_a_golden() -> None:
    nos = {name.split(".", 1)[1] for design in DESIGNS for name in (p.name for p in (HERE / design).iterdir())}
    assert {"frr.conf", "srlinux.json", "eos.cfg", "config_db.json", "sonic-frr.conf", "nvue.yaml", "sros.cfg"} <= nos
