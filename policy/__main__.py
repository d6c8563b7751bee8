"""The netweave policy pack: `pulumi preview --policy-pack policy` (policies: netweave.pulumi.policies)."""

from netweave.pulumi.policies import policy_pack

policy_pack()
