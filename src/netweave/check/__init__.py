"""`netweave check`: rendered configs judged by each vendor's published model.

One validator per NOS, registered in `runner.VALIDATORS`: SONiC config_db.json against sonic-yang-models and
SR OS MD-CLI against SR OS 25.10 YANG (both through yanglint), and the NVUE, EOS, SR Linux and FRR validators.
Hand-written rules remain only for what no published model expresses (cross-table, cross-device).
"""

from __future__ import annotations

from netweave.check.problems import CheckProblem, ValidatorUnavailable
from netweave.check.runner import VALIDATORS, CheckReport, RenderedFile, check_build, rendered_files, run_checks

__all__ = [
    "VALIDATORS",
    "CheckProblem",
    "CheckReport",
    "RenderedFile",
    "ValidatorUnavailable",
    "check_build",
    "rendered_files",
    "run_checks",
]
