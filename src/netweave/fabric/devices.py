"""The device factory: one switch or router with its platform facts, NOS, ASN and stable-slot addresses.

A device's loopback is address `slot + 1` of the loopback pool and its management address is host
`first_host + slot` of the management pool, so both depend only on the slot a module computes from the
device's position and fixed capacities: adding a device never renumbers an existing one.
"""

from __future__ import annotations

from netweave.fabric.pools import FabricPools
from netweave.intent.design import ManagementPool, Platform
from netweave.network.allocate import AddressPool
from netweave.network.model import Device, Role
from netweave.nos.naming import management_interface


class DeviceFactory:
    """Builds the devices of one fabric (or of the DCI routers) from shared pools and defaults."""

    def __init__(
        self,
        *,
        site: str | None,
        fabric: str,
        platforms: dict[str, Platform],
        loopbacks: AddressPool,
        management: AddressPool,
        management_spec: ManagementPool,
        bfd: bool,
    ) -> None:
        """`platforms` is the catalogue; every platform name passed to `device` must be in it (check names
        first with `netweave.fabric.unknown_platform`, so a typo is reported with a hint, not a KeyError).
        `site` None (devices spread over sites, like DCI routers) makes `site` a required argument of `device`."""
        self.site = site
        self.fabric = fabric
        self.platforms = platforms
        self.loopbacks = loopbacks
        self.management = management
        self.management_spec = management_spec
        self.bfd = bfd
        self._gateway = str(management_spec.gateway_address)
        self._first_host = management_spec.first_host
        self._mgmt_length = management_spec.prefix.prefixlen

    @classmethod
    def for_fabric(cls, pools: FabricPools, platforms: dict[str, Platform], *, bfd: bool) -> DeviceFactory:
        """The factory of a fabric whose pools are `pools` (site and fabric name come from them)."""
        return cls(
            site=pools.site,
            fabric=pools.fabric,
            platforms=platforms,
            loopbacks=pools.loopbacks,
            management=pools.management,
            management_spec=pools.management_spec,
            bfd=bfd,
        )

    def device(
        self,
        name: str,
        role: Role,
        platform: str,
        *,
        slot: int,
        asn: int,
        origin: str,
        nos: str | None = None,
        pod: int | None = None,
        plane: int | None = None,
        site: str | None = None,
    ) -> Device:
        """A device at `slot`; `nos` defaults to the platform's first NOS, `site` to the factory's."""
        facts = self.platforms[platform]
        nos = nos or facts.nos[0]
        site = site or self.site
        if site is None:
            raise ValueError(f"device {name}: this factory has no default site, pass site=")
        return Device(
            name=name,
            role=role,
            site=site,
            fabric=self.fabric,
            pod=pod,
            platform=platform,
            vendor=facts.vendor,
            model=facts.model,
            nos=nos,
            asn=asn,
            loopback=self.loopbacks.address(slot + 1),
            mgmt_ipv4=f"{self.management.address(self._first_host + slot)}/{self._mgmt_length}",
            mgmt_gateway=self._gateway,
            mgmt_interface=management_interface(nos),
            slot=slot,
            origin=origin,
            bfd=self.bfd,
            plane=plane,
        )
