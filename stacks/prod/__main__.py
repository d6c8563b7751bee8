"""Apply this directory's design.yaml: one DeviceConfig per device (config keys: netweave.pulumi.stack)."""

from netweave.pulumi.stack import run

run()
