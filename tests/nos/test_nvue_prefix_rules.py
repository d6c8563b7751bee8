"""NVUE prefix-list rules: one flow-mapping line per rule, parsed as NVUE's block form would be, and written once
per prefix-list object (a leaf's list is shared by every spine that hears it)."""

from __future__ import annotations

import yaml

from netweave.network.policy import PoolPrefix, PrefixSet
from netweave.nos import nvue


def test_exact_and_ranged_rules_parse_to_the_block_forms_tree() -> None:
    prefixes = PrefixSet("FROM-LEAF1", [PoolPrefix("exact", "10.0.0.1/32", 32), PoolPrefix("gpu", "10.1.0.0/16", 31)])
    text = nvue.nvue_prefix_rules(prefixes)
    assert text.splitlines() == [
        "              '10': {action: permit, match: {10.0.0.1/32: {max-prefix-len: 32}}}",
        "              '20': {action: permit, match: {10.1.0.0/16: {min-prefix-len: 31, max-prefix-len: 31}}}",
    ]
    assert yaml.safe_load("rule:\n" + text.replace(" " * 14, "  ")) == {
        "rule": {
            "10": {"action": "permit", "match": {"10.0.0.1/32": {"max-prefix-len": 32}}},
            "20": {"action": "permit", "match": {"10.1.0.0/16": {"min-prefix-len": 31, "max-prefix-len": 31}}},
        }
    }


def test_text_is_kept_per_list_object_and_bounded() -> None:
    first = PrefixSet("A", [PoolPrefix("exact", "10.0.0.1/32", 32)])
    other = PrefixSet("A", [PoolPrefix("exact", "10.0.0.2/32", 32)])
    text = nvue.nvue_prefix_rules(first)
    assert nvue.nvue_prefix_rules(first) is text  # kept
    assert "10.0.0.2/32" in nvue.nvue_prefix_rules(other)  # another list object: its own text
    for n in range(nvue.RULES_MEMO_MAX + 1):
        nvue.nvue_prefix_rules(PrefixSet("B", [PoolPrefix("exact", f"10.2.{n // 256}.{n % 256}/32", 32)]))
    assert len(nvue._RULES) <= nvue.RULES_MEMO_MAX
