"""`netweave diff` loads the base revision in a forked process and compares devices by digests of their render
inputs: the report is exactly the one comparing both sides in one process (`compare_sides`), including removed
devices' neighbourhoods, lint changes and which side's error is reported."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest
import yaml

from netweave.diff.configs import DiffReport, _Inputs, compare_sides, compare_texts, load_side
from netweave.diff.gitrev import RevisionText
from netweave.errors import DesignError
from tests.conftest import REPO


def _revisions(base: dict[str, Any], head: dict[str, Any]) -> tuple[RevisionText, RevisionText]:
    return (
        RevisionText("main", "0" * 40, "design.yaml", yaml.safe_dump(base, sort_keys=False)),
        RevisionText(None, None, "design.yaml", yaml.safe_dump(head, sort_keys=False)),
    )


def _ai_nvue() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load((REPO / "tests" / "golden" / "designs" / "ai-nvue.yaml").read_text())
    return data


def _fabric(data: dict[str, Any]) -> dict[str, Any]:
    fabric: dict[str, Any] = data["sites"][0]["fabrics"][0]
    return fabric


def _same(base: RevisionText, head: RevisionText) -> DiffReport:
    forked = compare_texts(base, head, design="design.yaml")
    serial = compare_sides(load_side(base), load_side(head), design="design.yaml")
    assert forked.as_dict() | {"stats": None} == serial.as_dict() | {"stats": None}
    assert forked.unchanged == serial.unchanged and forked.stats.rendered == serial.stats.rendered
    assert forked.neighbourhood == serial.neighbourhood
    return forked


def test_one_gpu_node_fewer_gives_the_serial_report() -> None:
    base = _ai_nvue()
    head = _ai_nvue()
    _fabric(head)["gpus"] -= _fabric(head).get("gpus_per_node", 8)
    _same(*_revisions(base, head))


def test_removed_and_added_devices_with_their_neighbourhood() -> None:
    base = _ai_nvue()
    fewer = _ai_nvue()
    _fabric(fewer)["gpus"] //= 2  # whole scalable units go: leaves removed, spines changed
    removed = _same(*_revisions(base, fewer))
    assert removed.count("removed") and removed.count("changed")
    assert removed.neighbourhood is not None and removed.neighbourhood.cables
    added = _same(*_revisions(fewer, base))
    assert added.count("added") == removed.count("removed")


def test_the_base_revisions_error_is_reported_first_located_at_its_revision() -> None:
    broken = _ai_nvue()
    _fabric(broken)["gpus"] = "many"
    also_broken = _ai_nvue()
    _fabric(also_broken)["gpus_per_node"] = "eight"
    with pytest.raises(DesignError) as caught:
        compare_texts(*_revisions(broken, also_broken), design="design.yaml")
    assert str(caught.value).startswith("main:design.yaml:")
    with pytest.raises(DesignError) as caught:
        compare_texts(*_revisions(_ai_nvue(), also_broken), design="design.yaml")
    assert str(caught.value).startswith("design.yaml:")


def test_digests_are_equal_exactly_when_render_inputs_are() -> None:
    """Across two expansions of one design every digest matches; a session's `expected` count (not compared,
    see SessionPolicy) does not change a digest, and its `max_prefix` does."""
    base, head = _revisions(_ai_nvue(), _ai_nvue())
    one, two = _Inputs(load_side(base).network), _Inputs(load_side(head).network)
    for a, b in zip(one.network.devices, two.network.devices, strict=True):
        assert one.of(a) == two.of(b) and one.digest(a) == two.digest(b)
    device = two.network.devices[-1]
    policy = two.index.policy(device)
    assert policy is not None and policy.sessions
    key, session = next(iter(policy.sessions.items()))
    before = two.digest(device)
    policy.sessions[key] = dataclasses.replace(session, expected=session.expected + 1)
    assert two.digest(device) == before
    policy.sessions[key] = dataclasses.replace(session, max_prefix=(session.max_prefix or 0) + 1)
    assert two.digest(device) != before
