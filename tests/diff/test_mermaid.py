"""The Mermaid diagram in `netweave diff --format markdown`: which devices and cables it shows, that it
stays inside its budget and the comment limit for any size of change, and that mermaid's own parser
(npm `mermaid` under node with jsdom, tests/support/mermaid/) accepts every diagram we write."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest
import yaml

from netweave.diff.configs import DiffReport, compare_texts
from netweave.diff.gitrev import RevisionText
from netweave.diff.markdown import GITHUB_COMMENT_LIMIT, MERMAID_MAX, to_markdown
from netweave.diff.mermaid import MAX_NODES, Neighbourhood, diagram
from tests.support.mermaid_parser import mermaid_blocks, parse_mermaid
from tests.test_diff import frr_design, synthetic


def compare(base: dict[str, Any], head: dict[str, Any]) -> DiffReport:
    return compare_texts(
        RevisionText("main", "0" * 40, "d.yaml", yaml.safe_dump(base)),
        RevisionText(None, None, "d.yaml", yaml.safe_dump(head)),
        design="d.yaml",
    )


def ai_design(gpus: int) -> dict[str, Any]:
    """A small rail-optimized fabric (FRR on every switch, so it renders here) with GPU servers."""
    fabric: dict[str, Any] = {
        "name": "backend",
        "module": "ai-backend",
        "gpus": gpus,
        "gpus_per_node": 8,
        "nodes_per_su": 4,
        "nic_speed": 100,
        "leaves": {"platform": "linux-frr", "nos": "frr"},
        "addressing": {
            "loopbacks": "10.0.0.0/24",
            "p2p": "10.1.0.0/20",
            "management": {"prefix": "172.20.0.0/24", "gateway": "172.20.0.1"},
            "gpu": "10.100.0.0/16",
        },
    }
    return {"name": "ai", "sites": [{"name": "dc1", "fabrics": [fabric]}]}


def test_a_new_leaf_shows_with_the_spines_it_changes_and_their_cables() -> None:
    report = compare(frr_design(leaves=3), frr_design(leaves=4))
    nb = report.neighbourhood
    assert nb is not None
    assert nb.changed == {"spine1": "changed", "spine2": "changed", "leaf4": "added"}
    # every leaf is a neighbour of the changed spines; one 100G-class cable per leaf-spine pair
    assert set(nb.roles) == {"spine1", "spine2", "leaf1", "leaf2", "leaf3", "leaf4"}
    assert all(sum(c.values()) == 1 for c in nb.cables.values()) and len(nb.cables) == 8
    text = diagram(nb, MERMAID_MAX)
    assert '["leaf4<br/>added"]:::added' in text and '["spine1<br/>changed"]:::changed' in text
    assert text.count(" ---|") == 8 and "not drawn" not in text


def test_a_removed_leaf_is_drawn_from_the_base_revision() -> None:
    report = compare(frr_design(leaves=4), frr_design(leaves=3))
    nb = report.neighbourhood
    assert nb is not None and nb.changed["leaf4"] == "removed"
    assert ("spine1", "leaf4") in nb.cables and ("spine2", "leaf4") in nb.cables
    assert ":::removed" in diagram(nb, MERMAID_MAX)


def test_gpu_servers_on_a_changed_leaf_are_one_node() -> None:
    """Growing from one full SU (4 nodes) to 5 nodes adds SU 2 (8 rail leaves, one node on each so far)."""
    report = compare(ai_design(32), ai_design(40))
    nb = report.neighbourhood
    assert nb is not None and nb.changed["su2-leaf-r1"] == "added"
    assert nb.servers["su2-leaf-r1"] == 1 and "su1-leaf-r1" not in nb.servers
    text = diagram(nb, MERMAID_MAX)
    assert '[("1 server")]' in text
    assert not any("node" in name for name in nb.roles)


def test_identical_design_has_no_diagram() -> None:
    design = frr_design()
    report = compare(design, design)
    assert report.neighbourhood is None and "```mermaid" not in to_markdown(report)


def big_neighbourhood(devices: int) -> Neighbourhood:
    """`devices` changed leaves, each cabled to 4 spines (what a renumbering of a large fabric looks like)."""
    nb = Neighbourhood()
    for i in range(devices):
        nb.changed[f"leaf{i}"] = "changed"
        nb.roles[f"leaf{i}"] = "leaf"
        for s in range(4):
            nb.roles[f"spine{s}"] = "spine"
            nb.cables[(f"spine{s}", f"leaf{i}")] = Counter({400: 2})
    return nb


@pytest.mark.parametrize("budget", [300, 2_000, MERMAID_MAX])
def test_a_huge_change_is_drawn_within_its_budget_and_says_what_it_left_out(budget: int) -> None:
    nb = big_neighbourhood(3_000)
    text = diagram(nb, budget)
    assert len(text) <= budget
    if text:
        nodes = [line for line in text.splitlines() if line.startswith("  n") and '["' in line]
        assert 0 < len(nodes) <= MAX_NODES
        assert "more are not drawn" in text and "more not drawn" in text


def test_the_comment_keeps_githubs_limit_with_a_diagram() -> None:
    report = synthetic(5_000, 3)
    report.neighbourhood = big_neighbourhood(5_000)
    text = to_markdown(report)
    assert len(text) <= GITHUB_COMMENT_LIMIT
    assert len(mermaid_blocks(text)) == 1 and "Table trimmed" in text


def test_every_diagram_parses_with_mermaids_own_parser() -> None:
    """GitHub renders ```mermaid with mermaid.js: its parser must accept what we write, labels with
    quotes, brackets and '#' included (names are restricted in designs, but the diagram must not rely on it)."""
    odd = Neighbourhood(
        changed={'we"ird<b>#1': "added", "x]y": "removed", "plain": "changed"},
        roles={'we"ird<b>#1': "leaf", "x]y": "leaf", "plain": "spine", "n": "super-spine"},
        cables={("plain", 'we"ird<b>#1'): Counter({100: 2, 400: 1}), ("n", "plain"): Counter({800: 4})},
        servers={"x]y": 12},
    )
    texts = [
        to_markdown(compare(frr_design(leaves=3), frr_design(leaves=4))),
        to_markdown(compare(frr_design(leaves=4), frr_design(leaves=2))),
        to_markdown(compare(ai_design(32), ai_design(40))),
        diagram(big_neighbourhood(500), MERMAID_MAX),
        diagram(odd, MERMAID_MAX),
    ]
    blocks = [block for text in texts for block in mermaid_blocks(text)]
    assert len(blocks) == len(texts)
    results = parse_mermaid(blocks)
    assert results == [{"ok": True, "type": "flowchart-v2"}] * len(blocks), results


def test_the_parser_rejects_a_broken_diagram() -> None:
    """The parser is a real judge: a diagram with an unclosed label fails."""
    assert parse_mermaid(['graph TD\n  n0["open --- n1\n'])[0]["ok"] is False
