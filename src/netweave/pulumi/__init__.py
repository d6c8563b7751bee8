"""netweave under Pulumi: `pulumi up` on a stack applies the fabric, one resource per device config.

    from netweave.pulumi import Fabric, FabricOptions
    Fabric("dc", "design.yaml", FabricOptions(batch=2), username=..., password=cfg.require_secret("password"))

Modules: `inputs` (the DeviceConfig schema and diff rule, no Pulumi), `device` (one device through the
apply stage), `provider` (the dynamic provider and resource), `fabric` (the component), `stack` (the
program stacks run), `policies` (the policy pack's policies). Needs the `pulumi` extra.
"""

from netweave.pulumi.fabric import Fabric, FabricOptions, FabricPlan, plan_fabric
from netweave.pulumi.provider import DeviceConfig, DeviceConfigProvider

__all__ = ["DeviceConfig", "DeviceConfigProvider", "Fabric", "FabricOptions", "FabricPlan", "plan_fabric"]
