"""`load` validates with a `Design` class built only from the modules a design uses (`design_model_for`).

Building pydantic's validators for every registered intent (ai-backend, the optical/DCI section) cost every run of
a leaf-spine design ~27 ms of CPU. These tests hold the narrower class to the full one: the same designs, the same
error messages, and the full class whenever the document names something the narrow class cannot judge.
"""

from __future__ import annotations

import subprocess
import sys
from typing import Any

import pytest
import yaml

from netweave.errors import DesignError
from netweave.expand.registry import design_model, design_model_for
from netweave.load.loader import loads
from tests.conftest import LAB_DESIGN, REPO
from tests.designs import ai_design, leaf_spine_design


def _dump_with(model: type[Any], data: dict[str, Any]) -> dict[str, Any]:
    return dict(model.model_validate(data).model_dump(mode="json"))


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(yaml.safe_load(LAB_DESIGN.read_text()), id="lab"),
        pytest.param(yaml.safe_load((REPO / "stacks" / "prod" / "design.yaml").read_text()), id="prod-optical"),
        pytest.param(leaf_spine_design(), id="leaf-spine"),
        pytest.param(ai_design(), id="ai-backend"),
    ],
)
def test_narrow_model_validates_as_the_full_one(data: dict[str, Any]) -> None:
    assert _dump_with(design_model_for(data), data) == _dump_with(design_model(), data)


def test_a_leaf_spine_design_gets_a_class_without_the_other_modules() -> None:
    fields = design_model_for(leaf_spine_design()).model_fields
    assert "ai-backend" not in str(fields["sites"].annotation)
    assert fields["optical"].annotation is type(None)
    with_optical = {**leaf_spine_design(), "optical": None}
    assert design_model_for(with_optical).model_fields["optical"].annotation is not type(None)


@pytest.mark.parametrize(
    "data",
    [
        {"name": "x", "sites": [{"name": "dc1", "fabrics": [{"module": "no-such-module"}]}]},
        {"name": "x", "sites": [{"name": "dc1", "fabrics": [{"name": "f"}]}]},
        {"name": "x", "sites": [{"name": "dc1", "fabrics": "leaf-spine"}]},
        {"name": "x", "sites": [{"name": "dc1"}]},
        {"name": "x", "sites": "dc1"},
        ["not", "a", "mapping"],
    ],
)
def test_what_the_narrow_class_cannot_judge_gets_the_full_one(data: object) -> None:
    assert design_model_for(data) is design_model()


def test_errors_are_the_full_models() -> None:
    """A fault only pydantic sees (a model validator) is located and worded as before the narrow class came in
    (`load` re-judges a rejected design with the full class, whose tagged union adds the module's tag to each
    error location; `_pydantic_problems` happens to drop it, so this guards the message rather than the re-run)."""
    data = leaf_spine_design(pods=2)
    with pytest.raises(DesignError) as narrow:
        loads(yaml.safe_dump(data, sort_keys=False), "d.yaml")
    with pytest.raises(Exception) as full:
        design_model().model_validate(data)
    assert "pods > 1 needs a super_spines tier" in str(full.value)
    assert [(p.path, p.line, p.message) for p in narrow.value.problems] == [
        ("sites[0].fabrics[0]", 5, "pods > 1 needs a super_spines tier to join them")
    ]


def test_loading_a_leaf_spine_design_does_not_import_the_optical_models() -> None:
    """The optical/DCI intent models (and their validators) are only built for a design with an optical section."""
    code = (
        "import sys\n"
        "from netweave.load.loader import load\n"
        f"load({str(LAB_DESIGN)!r})\n"
        "print('netweave.dci.intent' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=REPO)
    assert out.stdout.strip() == "False"
