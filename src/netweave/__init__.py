"""netweave: network-as-code for AI data centers.

The public API is a handful of typed functions over the pipeline (see `netweave.pipeline`):

    >>> import netweave
    >>> design = netweave.load("stacks/lab/design.yaml")      # validated intent
    >>> network = netweave.expand(design)                      # devices, links, addresses, sessions
    >>> findings = netweave.lint(network)                      # rule findings, errors first
"""

from netweave.errors import DesignError, Problem
from netweave.expand.expander import expand
from netweave.intent.design import Design
from netweave.lint import Finding, lint
from netweave.load.loader import load, loads
from netweave.network.model import Network
from netweave.pipeline import Validated, validate

__all__ = [
    "Design",
    "DesignError",
    "Finding",
    "Network",
    "Problem",
    "Validated",
    "expand",
    "lint",
    "load",
    "loads",
    "validate",
]
__version__ = "0.1.0"
