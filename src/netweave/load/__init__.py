"""Load: YAML with a line for every value, then JSON Schema, then the models (located errors)."""

from netweave.load.loader import load, loads, locate

__all__ = ["load", "loads", "locate"]
