"""NAPALM's read-only getters of the FRR driver (facts, configs, BGP neighbors), apart from its
candidate/commit/restore machinery in :mod:`.driver`: they only read, through the driver's vtysh and file
access, so they change nothing and take no part in the commit protocol."""

from __future__ import annotations

from typing import Any, Protocol

from netweave.napalm_frr.commands import FRRInstance
from netweave.napalm_frr.parsers import bgp_neighbors, configured_hostname, os_version, sanitize_config
from netweave.napalm_frr.transport import CommandResult, Transport


class _Reads(Protocol):
    """What the getters use of the driver."""

    instance: FRRInstance
    hostname: str
    _candidate: str | None
    _transport: Transport

    def _run(self, argv: list[str], *, input_text: str | None = None) -> CommandResult: ...
    def _vtysh(self, *commands: str) -> CommandResult: ...
    def _vtysh_json(self, command: str) -> dict[str, Any]: ...
    def _running(self) -> str: ...


class FRRGetters:
    """Mixed into :class:`~netweave.napalm_frr.driver.FRRDriver` ahead of NAPALM's ``NetworkDriver``."""

    def get_facts(self: _Reads) -> dict[str, Any]:
        """Facts from ``show version``, the running config and zebra's interface list.

        ``uptime`` is the age of the zebra process (the routing stack's uptime; a namespace has
        no boot time of its own). FRR exposes no serial number or hardware model.
        """
        version = self._vtysh("show version").stdout
        hostname = configured_hostname(self._running()) or self.hostname
        interfaces = sorted(self._vtysh_json("show interface json"))
        pidfile = f"{self.instance.run_dir}/zebra.pid"
        age = self._run(["sh", "-c", 'ps -o etimes= -p "$(cat "$1")"', "sh", pidfile])
        uptime = float(age.stdout.strip()) if age.ok and age.stdout.strip().isdigit() else -1.0
        return {
            "uptime": uptime,
            "vendor": "FRRouting",
            "model": "FRR",
            "hostname": hostname,
            "fqdn": hostname,
            "os_version": os_version(version),
            "serial_number": "",
            "interface_list": interfaces,
        }

    def get_config(
        self: _Reads, retrieve: str = "all", full: bool = False, sanitized: bool = False, format: str = "text"
    ) -> dict[str, str]:
        """Running (``show running-config``), candidate (loaded, uncommitted) and startup
        (the integrated config file) configs; unrequested ones are empty strings.

        ``sanitized=True`` replaces passwords/keys of known secret-bearing commands. ``full`` and
        ``format`` are accepted for API compatibility; FRR has only one text format.
        """
        if retrieve not in ("all", "running", "candidate", "startup"):
            raise ValueError("retrieve must be one of all, running, candidate, startup")
        result = {"running": "", "candidate": "", "startup": ""}
        if retrieve in ("all", "running"):
            result["running"] = self._running()
        if retrieve in ("all", "candidate"):
            result["candidate"] = self._candidate or ""
        if retrieve in ("all", "startup"):
            result["startup"] = self._transport.read_file(self.instance.config_file) or ""
        if sanitized:
            result = {key: sanitize_config(value) for key, value in result.items()}
        return result

    def get_bgp_neighbors(self: _Reads) -> dict[str, Any]:
        """NAPALM's per-VRF BGP neighbor structure from FRR's summary and neighbor JSON."""
        summary = self._vtysh_json("show bgp vrf all summary json")
        if not summary:
            return {}
        return bgp_neighbors(summary, self._vtysh_json("show bgp vrf all neighbors json"))
