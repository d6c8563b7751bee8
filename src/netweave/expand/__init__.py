"""Expand: hand each fabric of a design to its module and gather the parts into one Network."""

from netweave.expand.expander import expand

__all__ = ["expand"]
