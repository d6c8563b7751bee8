"""Apply: push rendered configs to devices through NAPALM drivers, fanned out with Nornir.

    inventory = netweave.inventory.build_inventory(network, names, file)   # how to reach each device
    desired = rendered(network, names)                                     # what each should run
    report = plan(inventory, desired)                                      # diffs, changes nothing
    report = apply(inventory, desired, build_dir, ApplyOptions(confirm=120, batch=2))
    desired = desired_from_backups(network, names, build_dir, inventory.scope)   # rollback = apply backups

One concept per module: `desired` (configs and expected sessions), `backups`, `health`, `fleet` (Nornir
and the per-device tasks), `runner` (plan and the batched apply), `results` (per-device result data).
"""

from netweave.apply.backups import BackupMissing, desired_from_backups
from netweave.apply.desired import Desired, DesiredSet, lab_rendered, rendered
from netweave.apply.results import ApplyReport, DeviceApply, DevicePlan, PlanReport
from netweave.apply.runner import ApplyOptions, apply, plan

__all__ = [
    "ApplyOptions",
    "ApplyReport",
    "BackupMissing",
    "Desired",
    "DesiredSet",
    "DeviceApply",
    "DevicePlan",
    "PlanReport",
    "apply",
    "desired_from_backups",
    "lab_rendered",
    "plan",
    "rendered",
]
