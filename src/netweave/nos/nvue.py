"""NVIDIA Cumulus Linux NVUE: the startup YAML (`/etc/nvue.d/startup.yaml`), written with Jinja, not a YAML dumper.

NVUE reads YAML 1.2 (`on` stays a string, `65100:10` stays a string), which PyYAML's 1.1 dumper would
mangle; the template writes scalars verbatim and quotes every free-text string as JSON (a YAML subset).
RoCE QoS is NVIDIA's own `qos roce mode lossless` profile (DSCP 26 -> priority 3 lossless, 48 -> 6 strict,
ECN on the RoCE queue in bytes) plus the PFC watchdog per port; see tests/checks/samples/NOTES.md.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from netweave.catalog.platform import Platform
from netweave.intent.qos import to_bytes
from netweave.network.model import Device, Network, QosProfile, Quantity
from netweave.network.policy import PrefixSet
from netweave.nos.base import Containerlab, Napalm, NosProfile, PortNames, Rendering, builtin_templates

SWP = PortNames(port="swp{port}", lane="swp{port}s{lane0}")
"""Cumulus names cages swp<port> and their breakout lanes swp<port>s<0-based lane>, on the switch and in Cumulus VX."""

DEFAULT_RELEASE = "5.14"
"""The Cumulus Linux release an NVUE config is written for unless its platform names one (`cumulus_release`):
the newest release whose schema (NVIDIA's OpenAPI, PyPI `nvueschema`) accepts the tree as netweave wrote it
before releases were chosen, so existing designs render the same tree under a truthful header."""
RELEASES = tuple(f"5.{minor}" for minor in range(9, 15))
"""Releases whose NVUE schema every rendered tree is tested against (nvueschema.models.v5_9 .. v5_14). 5.15
moved interface `ip` to `ipv4`/`ipv6`/`vrf` and turned several on/off leaves into enabled/disabled: not
rendered yet, so refused rather than written in a shape that release rejects."""
CONTAINERLAB_IMAGE = "networkop/cx:{release}.0"
"""containerlab `cumulus_cvx` image, tagged by Cumulus release (its docs use networkop/cx:<x.y.z>)."""


@dataclass(frozen=True, slots=True)
class NvueRelease:
    """What differs in the NVUE tree between Cumulus releases, read off NVIDIA's schema per release."""

    release: str
    """e.g. '5.14'."""

    @property
    def minor(self) -> int:
        return int(self.release.split(".")[1])

    @property
    def header(self) -> str:
        """`header: version:` of startup.yaml: the release, as `nv config show` prints it."""
        return f"Cumulus Linux {self.release}.0"

    @property
    def lldp_state(self) -> bool:
        """`service lldp state` exists from 5.11 (5.9 and 5.10 reject the key; LLDP runs by default there)."""
        return self.minor >= 11

    @property
    def system_snmp(self) -> bool:
        """`system snmp-server` from 5.11; 5.9 and 5.10 have it as `service snmp-server` (enable: on)."""
        return self.minor >= 11

    @property
    def system_syslog(self) -> bool:
        """`system syslog server <host> vrf` from 5.13; before, `service syslog <vrf> server <host>`."""
        return self.minor >= 13

    @property
    def tacacs_priority(self) -> bool:
        """`system aaa tacacs server <host> priority` from 5.12 (5.9 to 5.11 reject the key)."""
        return self.minor >= 12


NVUE_API_PORT = 8765
"""The NVUE REST API's port (NVIDIA's NVUE API guide: `https://<switch>:8765/nvue_v1/`), the driver's default."""


def nvue_api_listen(device: Device) -> list[str]:
    """Where the NVUE REST API listens (`system api listening-address`): the device's management address only.

    Why: the API otherwise listens on every address of the switch, data-plane VRFs included; the management
    address is on eth0, which is in the management VRF, so binding the reverse proxy to it keeps the API (what
    netweave's driver connects to) in the management VRF and off the fabric. Empty when the device has no
    management address (then NVUE's default, every address, applies)."""
    return [device.mgmt_ipv4.split("/")[0]] if device.mgmt_ipv4 else []


NVUE_ROLES = {"admin": "system-admin", "operator": "nvue-monitor"}
"""netweave's user roles as Cumulus Linux's built-in roles (sudo and every `nv` command / `nv show` only)."""


def nvue_release(platform: Platform) -> NvueRelease:
    """The release NVUE configs for `platform` are written for (its `cumulus_release`, else DEFAULT_RELEASE)."""
    from netweave.render.context import RenderError  # render-time only: validate skips it (~7 ms)

    release = platform.cumulus_release or DEFAULT_RELEASE
    if release not in RELEASES:
        raise RenderError(
            f"platform {platform.model}: cumulus_release {release} is not one netweave renders NVUE for "
            f"(one of {', '.join(RELEASES)})"
        )
    return NvueRelease(release)


def nvue_image(platform: Platform) -> str:
    """The containerlab image of a Cumulus VX node: the release its startup.yaml is written for."""
    return CONTAINERLAB_IMAGE.format(release=nvue_release(platform).release)


NVUE_MULTIPATHS_MAX = 128
"""`nv set vrf <vrf> router bgp address-family ipv4-unicast multipaths ebgp` accepts 1-128."""


def nvue_multipaths(maximum_paths: int) -> int:
    """ECMP width NVUE accepts (1..128)."""
    return max(1, min(maximum_paths, NVUE_MULTIPATHS_MAX))


def nvue_speed(gbps: int) -> str:
    """`link speed` value: 400 -> '400G'."""
    return f"{gbps}G"


def nvue_breakout(mode: str) -> str:
    """`link breakout` value of a cage: '2x400' -> '2x' (the lane speed follows from the cage and count)."""
    from netweave.render.context import breakout_parts  # render-time only: validate skips it (~7 ms)

    count, _ = breakout_parts(mode)
    return f"{count}x"


def nvue_ecn_bytes(quantity: Quantity) -> int | None:
    """Cumulus ECN thresholds are bytes: bytes/kbytes convert, other units give None."""
    value = to_bytes(quantity)
    return int(value) if value is not None else None


PFC_WATCHDOG_POLL_MS = 100
"""`qos pfc-watchdog polling-interval` (ms, 100 is the schema minimum): the same poll EOS and SONiC get."""


def nvue_qos(qos: QosProfile) -> dict[str, object]:
    """The design's RoCE values as NVUE writes them, instead of the `qos roce` profile's built-in ones:
    a congestion-control profile (ECN thresholds in bytes, probability), an egress-scheduler profile (DWRR
    weights, strict queues) and the PFC watchdog detection time as polling-interval x robustness.

    Refuses what NVUE cannot express rather than dropping it: ECN thresholds not in bytes, and a detection
    time that is not a whole number of 100 ms polls. NVUE has no separate restoration time; the design's
    value is named in the file's comment so that the difference is visible."""
    from netweave.render.context import RenderError  # render-time only: validate skips it (~7 ms)

    low, high = nvue_ecn_bytes(qos.ecn.min_threshold), nvue_ecn_bytes(qos.ecn.max_threshold)
    if low is None or high is None:
        raise RenderError(f"QoS profile {qos.name}: NVUE ECN thresholds are bytes; give bytes or kbytes")
    robustness, rest = divmod(qos.pfc_watchdog_detect_ms, PFC_WATCHDOG_POLL_MS)
    if rest or not robustness:
        raise RenderError(
            f"QoS profile {qos.name}: NVUE detects a PFC storm after robustness x {PFC_WATCHDOG_POLL_MS} ms; "
            f"pfc_watchdog.detect_ms {qos.pfc_watchdog_detect_ms} is not a multiple of {PFC_WATCHDOG_POLL_MS}"
        )
    scheduler = {str(tc): {"mode": "dwrr", "bw-percent": w} for tc, w in sorted(qos.ets_weights.items())}
    scheduler |= {str(tc): {"mode": "strict"} for tc in sorted(qos.strict_priority_tcs) if tc not in qos.ets_weights}
    return {
        "profile": qos.name,
        "ecn": {"min": low, "max": high, "probability": qos.ecn.probability},
        "scheduler": dict(sorted(scheduler.items(), key=lambda kv: int(kv[0]))),
        "watchdog": {"polling": PFC_WATCHDOG_POLL_MS, "robustness": robustness},
    }


RULES_MEMO_MAX = 4096
"""Prefix-lists whose rule lines are kept per process (a 100,000-GPU fabric has 1,568 per-leaf lists of ~4.5 KB)."""
_RULES: dict[int, tuple[PrefixSet, str]] = {}


def nvue_prefix_rules(prefixes: PrefixSet) -> str:
    """The `rule:` entries of an NVUE prefix-list (indented for startup.yaml, no final newline), one YAML flow
    mapping per rule: `'10': {action: permit, match: {10.1.0.0/31: {max-prefix-len: 31}}}` matches exactly the
    prefix (max-prefix-len = its length), and `min-prefix-len: n, max-prefix-len: n` every /n inside the block.

    A leaf's import list is the same object for every spine that hears it (`netweave.network.policy`): its text
    is kept per list object, so a render worker writes it once, not once per spine (most of a spine's render
    time at 100,000 GPUs went to these lines). Policies are not changed once `underlay_policies` has built them."""
    key = id(prefixes)
    kept = _RULES.get(key)
    if kept is not None and kept[0] is prefixes:
        return kept[1]
    lines = []
    for number, entry in enumerate(prefixes.entries, start=1):
        m = entry.member_length
        lengths = f"max-prefix-len: {m}" if entry.exact else f"min-prefix-len: {m}, max-prefix-len: {m}"
        lines.append(f"              '{number * 10}': {{action: permit, match: {{{entry.prefix}: {{{lengths}}}}}}}")
    text = "\n".join(lines)
    if len(_RULES) >= RULES_MEMO_MAX:
        _RULES.clear()
    _RULES[key] = (prefixes, text)  # the list object is held, so its id is not reused while it is kept
    return text


def nvue_context(network: Network, device: Device, context: dict[str, Any]) -> dict[str, object]:
    """NVUE values: ECN thresholds in bytes, ECMP width, speeds and the breakout of each parent cage."""
    qos = context["qos"]
    platform = network.platforms[device.platform]
    return {
        "ecn_bytes": {"min": nvue_ecn_bytes(qos.ecn.min_threshold), "max": nvue_ecn_bytes(qos.ecn.max_threshold)}
        if qos
        else {},
        "multipaths": nvue_multipaths(device.maximum_paths),
        "speed": {i.name: nvue_speed(i.speed) for i in device.interfaces},
        "breakout_parents": {
            SWP.name(platform, cage): nvue_breakout(mode) for cage, mode in context["breakouts"].items()
        },
        "vtep": context["evpn"] is not None,
        "nvue": nvue_release(platform),
        "nvue_roles": NVUE_ROLES,
        "nvue_api": {"port": NVUE_API_PORT, "listen": nvue_api_listen(device)},
        "nvue_qos": nvue_qos(qos) if qos else None,
        "nvue_rules": nvue_prefix_rules,
    }


PROFILE = NosProfile(
    name="nvue",
    title="NVIDIA Cumulus Linux (NVUE)",
    interfaces=SWP,
    management_interface="eth0",
    render=Rendering(
        files={".nvue.yaml": "startup.yaml.j2"}, templates=builtin_templates("nvue"), context=nvue_context
    ),
    clab=Containerlab(
        kind="nvidia_cumulusvx",
        image=CONTAINERLAB_IMAGE.format(release=DEFAULT_RELEASE),
        interfaces=SWP,
        image_for=nvue_image,
    ),
    # netweave.napalm_nvue (REST); --confirm counts minutes
    napalm=Napalm(driver="nvue", confirm_step=60, connects_through="nvue_api"),
)
"""NVIDIA Cumulus Linux 5.x configured through NVUE's startup YAML."""
