"""network.json written in pieces: the bytes of `Network.to_json_bytes`, never whole in memory."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import fields

import orjson

from netweave.network.model import Network, json_default

JSON_BATCH = 32
"""List items written at a time: up to ~8 MB of the 100,000-GPU fabric's spines (248 KB each), 10 KB of its links
(the per-call overhead is a dict and a slice); 256 held 63 MB of spines at once."""


def network_json_chunks(
    network: Network, newline: bool = False, batch: int = JSON_BATCH
) -> Iterator[bytes | memoryview]:
    """`network.to_json_bytes(indent=2, newline)` in pieces whose concatenation is exactly those bytes, so a writer
    never holds the whole text. Each field is written as the one-field object `{name: value}`, whose inner
    lines are the field's lines in the whole object (same depth, so the same indentation); a long list is
    written `batch` items at a time the same way, keeping only the items' lines. Pieces cut from orjson's output
    are views of it (no copy).

    network.json is 287 MB at 100,000 GPUs: one buffer of it was ~67,000 page faults (a fifth of a build's)
    and 287 MB of the writer's peak memory; pieces of a few MB reuse the same memory."""
    option = orjson.OPT_NON_STR_KEYS | orjson.OPT_INDENT_2
    yield b"{"
    for number, item in enumerate(fields(network)):
        value = getattr(network, item.name)
        joint = b",\n" if number else b"\n"
        if type(value) is not list or len(value) <= batch:
            # '{\n  "name": value\n}' -> '  "name": value'
            yield joint
            yield memoryview(orjson.dumps({item.name: value}, default=json_default, option=option))[2:-2]
            continue
        head = b"  " + orjson.dumps(item.name) + b": ["
        yield joint + head
        for start in range(0, len(value), batch):
            text = orjson.dumps({item.name: value[start : start + batch]}, default=json_default, option=option)
            # '{\n  "name": [\n    item,\n    item\n  ]\n}' -> '    item,\n    item'
            yield b",\n" if start else b"\n"
            yield memoryview(text)[len(head) + 3 : -6]
        yield b"\n  ]"
    yield b"\n}\n" if newline else b"\n}"
