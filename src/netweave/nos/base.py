"""`NosProfile`: everything netweave knows about one network operating system, in one typed, frozen object.

A profile is data plus the few functions that are genuinely code (the render context, a platform
predicate). Every stage that used to keep its own per-NOS table now asks the profile: expansion for
interface and management names, the renderer for templates and context, the containerlab export for kind,
image, node type and interface names, the appliers for the NAPALM driver and its commit-confirm
behaviour, lint for capabilities. So adding a NOS is one module defining `PROFILE` plus its templates
folder, registered through the `netweave.nos` entry-point group (as netlab keeps one file per device).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

from netweave.catalog.platform import Platform
from netweave.network.model import Device, ManagementProfile, Network

BUILTIN_TEMPLATES = Path(__file__).resolve().parents[1] / "render" / "templates"
"""render/templates/ inside the package: the built-in profiles' template folders (a wheel reads the same)."""

ContextFunction = Callable[[Network, Device, dict[str, Any]], dict[str, object]]
"""(network, device, NOS-independent context) -> the NOS's own names and units, merged into the context."""


def builtin_templates(*folders: str) -> tuple[Path, ...]:
    """Template folders of a built-in profile, e.g. ('sonic', 'frr') -> render/templates/sonic, .../frr."""
    return tuple(BUILTIN_TEMPLATES / folder for folder in folders)


@dataclass(frozen=True, slots=True)
class PortNames:
    """How a NOS spells a front-panel port and a breakout lane, as `str.format` templates.

    Fields a template may use: `{port}` (1-based cage number as printed on the front panel), `{lane}`
    (1-based breakout lane), `{lane0}` (the same, 0-based: Cumulus counts `swp1s0`), `{first}` (the 1-based
    first electrical lane of the port inside its cage: lane 2 of a 2x400G OSFP is `5`, as Arista numbers
    `Ethernet1/5`), and `{serdes}`, the first SerDes lane of the port or breakout lane counted from 0 across
    the platform's cages (SONiC names ports by it, which is what makes SONiC names platform-dependent).
    """

    port: str
    """A whole cage, e.g. 'ethernet-1/{port}'."""
    lane: str
    """One lane of a broken-out cage, e.g. 'ethernet-1/{port}/{lane}'."""
    multilane: str | None = None
    """A whole cage with more than one electrical lane, when the NOS names it apart from a single-lane port
    (Arista: an OSFP cage exposes Ethernet1/1..1/8, so the unbroken cage is 'Ethernet1/1', while an SFP or
    RJ45 port is 'Ethernet49'); None: `port` names every whole cage."""

    def name(self, platform: Platform, port: int, lane: int | None = None, breakout: int | None = None) -> str:
        """The name of cage `port` (or its breakout `lane` when the cage is split into `breakout` ports).

        Raises ValueError for a port below 1, or for a `{serdes}`/`{first}` lane name without the fan-out."""
        if port < 1:
            raise ValueError(f"port numbers start at 1, got {port}")
        template = self.lane if lane else self.port
        if self.multilane is None and "{serdes}" not in template and "{first}" not in template:
            # the common case: no walk over the platform's port groups
            return template.format(port=port, lane=lane, lane0=(lane or 1) - 1)
        first, lanes = platform.first_serdes_lane(port)
        if not lane and self.multilane is not None and lanes > 1:
            template = self.multilane
        offset = 0
        if lane:
            if breakout is None:
                raise ValueError(f"breakout port names of the form '{template}' need the breakout fan-out")
            offset = (lane - 1) * max(lanes // breakout, 1)
        return template.format(port=port, lane=lane, lane0=(lane or 1) - 1, serdes=first + offset, first=offset + 1)


@dataclass(frozen=True, slots=True)
class Rendering:
    """How a device of this NOS becomes its configuration files."""

    files: Mapping[str, str]
    """Output file suffix -> template, e.g. {'.frr.conf': 'frr.conf.j2'}: one file <device><suffix> each."""
    templates: tuple[Path, ...]
    """Folders the templates are looked up in, in order (SONiC's second folder is FRR's, for the BGP part)."""
    context: ContextFunction | None = None
    """The NOS's names and units, computed from the network, the device and the NOS-independent context."""
    postprocess: Mapping[str, Callable[[str], str]] = field(default_factory=dict)
    """Suffix -> canonicaliser of the rendered text (e.g. parse and re-dump JSON)."""

    def __post_init__(self) -> None:
        # read-only views: a profile is shared by every render in the process and must not be edited in place
        object.__setattr__(self, "files", MappingProxyType(dict(self.files)))
        object.__setattr__(self, "postprocess", MappingProxyType(dict(self.postprocess)))


@dataclass(frozen=True, slots=True)
class ClabFile:
    """A file a containerlab node needs besides its config, bound into the container."""

    name: str
    """File name under the export's configs/ folder."""
    content: str
    path: str
    """Where the container reads it."""


@dataclass(frozen=True, slots=True)
class Containerlab:
    """How containerlab runs this NOS (kinds: containerlab.dev/manual/kinds/)."""

    kind: str
    image: str
    """Default public image tag; users override it with `--image`."""
    interfaces: PortNames | None = None
    """How the kind names the container's data interfaces; None: the NOS's own names (Linux nodes)."""
    node_type: Callable[[Platform], str | None] | None = None
    """The node `type` for a platform (SR Linux: the chassis), or None to leave it out."""
    config_path: str | None = None
    """Bind the main rendered file to this path instead of passing it as `startup-config`."""
    extra_files: tuple[ClabFile, ...] = ()
    """Further files bound into the node, after the config (e.g. FRR's daemons file)."""
    exec_for: Callable[[Network, Device], list[str]] | None = None
    """Commands the node runs once started (containerlab `exec`), for what the rendered config cannot set
    itself (FRR on Linux: the kernel's bridge, VXLAN, VRF and SVI devices, with the anycast gateway MAC)."""
    image_for: Callable[[Platform], str] | None = None
    """The image for a platform when it depends on it (Cumulus VX: the release the config is written for, so
    the container loads the tree it was rendered for); None: `image` for every node."""
    lab_platform: Callable[[Platform], Platform] | None = None
    """The platform the container really is, when its config must differ from the hardware's (SR Linux: the
    `virtual` feature set, whose BFD minimum is 1 s); the export renders the node's config for it."""

    def interface(
        self, platform: Platform, port: int, lane: int | None, own_name: str, breakout: int | None = None
    ) -> str:
        """The name containerlab wires for a port whose NOS name is `own_name` (`breakout`: the cage's fan-out
        when `lane` is set, for kinds that name a lane by its first electrical lane, as cEOS does)."""
        if self.interfaces is None:
            return own_name
        return self.interfaces.name(platform, port, lane, breakout)


@dataclass(frozen=True, slots=True)
class Napalm:
    """The NAPALM driver that reaches this NOS and what its commit-confirm does."""

    driver: str
    """What `napalm.get_network_driver` and Nornir's `platform` take."""
    confirm_step: int | None
    """Granularity in seconds of the device-side revert timer `commit_config(revert_in=...)` arms, or None
    when the driver has no device-side confirm (it refuses or ignores `revert_in`): such devices are
    committed plainly and rolled back explicitly by netweave."""
    bundle: Callable[[Mapping[str, str]], str | None] | None = None
    """How the rendered files (name -> text) become the one text the driver loads, for a NOS that renders
    several; None: the device renders one file and that file is loaded as it is."""
    connects_through: str | None = None
    """The management server the driver reaches the device through, named as the `ManagementProfile` flag
    that turns it on (`json_rpc`, `eapi`, `nvue_api`, `ssh`, `netconf`); None when the rendered config does
    not carry it (FRR: sshd is the host's). Lint refuses a design that turns it off (a full replace would
    cut netweave off the device)."""
    options: Callable[[ManagementProfile], dict[str, Any]] | None = None
    """Driver options that follow from the device's management plane (SR Linux: `insecure` for plain-HTTP
    JSON-RPC), so the driver speaks what the rendered config serves; the inventory file overrides them."""
    keep: Callable[[str, str], str] | None = None
    """(running, candidate) -> the candidate to load: what the rendering names but the operator owns, copied
    from the running config (SR Linux: the TLS server profile's key and certificate); None: loaded as is."""


def _always(_platform: Platform) -> bool:
    return True


@dataclass(frozen=True, slots=True)
class Capabilities:
    """What the NOS can do on a given platform, where it depends on the platform."""

    pfc: Callable[[Platform], bool] = _always
    """Whether PFC (lossless priorities) can be configured on the platform."""
    pfc_platforms: str = ""
    """Which platforms have PFC, for the lint hint when a design puts PFC on one that has not."""
    bgp_auth: frozenset[str] = frozenset({"md5"})
    """BGP session authentication algorithms (`management.bgp_auth.algorithm`) the renderer has a form for:
    TCP MD5 everywhere; TCP-AO only where the NOS has it and netweave renders it (lint refuses the others)."""
    no_local_users: str | None = None
    """Why the rendered config cannot carry `management.users` (None: it renders them). Lint warns, located,
    when a design gives users to such a NOS, instead of the template silently dropping them."""
    bgp_auth_key_chars: int | None = None
    """How many characters of a cleartext BGP key the NOS uses (None: all). `netweave apply` refuses a longer
    key on a session with such a device: the other end would use all of it, and the session never comes up."""


@dataclass(frozen=True, slots=True)
class NosProfile:
    """One network operating system. Registered under `name` in the `netweave.nos` entry-point group."""

    name: str
    """The value of `nos:` in a design, e.g. 'srlinux'."""
    title: str
    """The product name for messages, e.g. 'SR Linux'."""
    interfaces: PortNames
    management_interface: str
    """The out-of-band management interface (in the management VRF)."""
    clab: Containerlab
    render: Rendering | None = None
    """None: netweave cannot render configs for it (devices are reported, not rendered)."""
    napalm: Napalm | None = None
    """None: no NAPALM driver (apply needs `driver:` from the inventory)."""
    capabilities: Capabilities = field(default_factory=Capabilities)

    def interface_name(
        self, platform: Platform, port: int, lane: int | None = None, breakout: int | None = None
    ) -> str:
        """Name of front-panel `port` (and breakout `lane` of a cage split `breakout` ways) on this NOS.

        Ports beyond the platform still get a name, so that one run reports every problem (the
        `port-range` lint rule flags them)."""
        return self.interfaces.name(platform, port, lane, breakout)
