"""One text for a SONiC device's whole configuration: its CONFIG_DB and its FRR config.

A SONiC switch has two configurations, and netweave renders both (``DEVICE.config_db.json`` and
``DEVICE.sonic-frr.conf``): the CONFIG_DB tables that swss turns into ports, addresses and VLANs, and
the routing config of FRR in the ``bgp`` container (``docker_routing_config_mode: split-unified``, so
FRR keeps its own integrated ``frr.conf``). NAPALM's config API carries one string, so the driver's
config text is the CONFIG_DB JSON object followed by the FRR text::

    {"DEVICE_METADATA": {...}, "PORT": {...}, ...}
    ! frr (bgp container)
    frr defaults datacenter
    ...

The JSON object ends where :meth:`json.JSONDecoder.raw_decode` says it does, so no separator can be
confused with content; the marker line is an FRR comment. ``get_config`` returns the running config in
this form and ``load_replace_candidate`` takes it, so a backup of the running config is a valid
candidate (``netweave rollback`` relies on that).

Replace semantics (what the driver asks ``config replace`` for): the sonic-utilities help of
``config replace`` warns that its target "should be the whole config, not just the part intended to
be updated". netweave renders only the tables it manages, so the driver builds the whole target from
the running CONFIG_DB:

- a table named in the candidate is owned by it: every entry absent from the candidate is deleted,
  every entry present gets exactly the candidate's fields, except the :data:`PLATFORM_FIELDS` that the
  image writes from the hardware at first boot (system MAC, platform, HwSKU), which are kept;
- except in :data:`HARDWARE_TABLES` (``PORT``): a port exists whether netweave uses it or not, and
  deleting its entry would remove the port from the switch (that is how dynamic port breakout retires
  ports), so entries the candidate does not name stay as the device has them;
- a table the candidate does not name is left as the device has it (FEATURE, CRM, FLEX_COUNTER ...);
- a table the candidate names as ``{}`` is removed, and no table of the target is empty: the generic
  config updater refuses a target with empty tables ("empty tables ... not allowed in ConfigDb",
  generic_config_updater/generic_updater.py) because Redis cannot hold one.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from netweave.errors import NetweaveError

FRR_MARKER = "! frr (bgp container)"
PLATFORM_FIELDS: dict[str, dict[str, frozenset[str]]] = {
    "DEVICE_METADATA": {"localhost": frozenset({"mac", "platform", "hwsku"})},
}
"""Fields of the device's own hardware facts, kept from the running CONFIG_DB whatever the candidate says."""

HARDWARE_TABLES = frozenset({"PORT"})
"""Tables whose entries are the switch's hardware: entries the candidate leaves out are kept, never deleted."""

ConfigDb = dict[str, dict[str, dict[str, Any]]]


class BundleError(NetweaveError, ValueError):
    """The text is not a CONFIG_DB JSON object (optionally followed by FRR config)."""


@dataclass(frozen=True)
class Bundle:
    """A device configuration: CONFIG_DB tables and the FRR config text ("" when not managed)."""

    config_db: ConfigDb
    frr: str = ""

    def text(self) -> str:
        """The canonical text (sorted keys, 4-space indent like ``show runningconfiguration all``)."""
        out = json.dumps(self.config_db, indent=4, sort_keys=True) + "\n"
        if self.frr.strip():
            out += FRR_MARKER + "\n" + self.frr.rstrip("\n") + "\n"
        return out


def parse(text: str) -> Bundle:
    """Split a config text into CONFIG_DB and FRR parts; :class:`BundleError` says what is wrong and where."""
    stripped = text.lstrip()
    if not stripped.startswith("{"):
        raise BundleError("a SONiC config starts with the CONFIG_DB JSON object ('{')")
    try:
        data, end = json.JSONDecoder().raw_decode(stripped)
    except json.JSONDecodeError as exc:
        raise BundleError(f"CONFIG_DB JSON: line {exc.lineno} column {exc.colno}: {exc.msg}") from None
    problems = shape_problems(data)
    if problems:
        raise BundleError("CONFIG_DB JSON: " + "; ".join(problems[:5]))
    frr = stripped[end:].lstrip("\n")
    if frr.startswith(FRR_MARKER):
        frr = frr[len(FRR_MARKER) :].lstrip("\n")
    return Bundle(config_db=data, frr=frr if frr.strip() else "")


def shape_problems(data: Any) -> list[str]:
    """Why ``data`` is not CONFIG_DB shaped: tables of entries of fields (strings or lists of strings)."""
    if not isinstance(data, dict):
        return ["the top level must be an object of tables"]
    problems = []
    for table, entries in data.items():
        if not isinstance(entries, dict):
            problems.append(f"/{table} must be an object of entries")
            continue
        for key, fields in entries.items():
            if not isinstance(fields, dict):
                problems.append(f"/{table}/{key} must be an object of fields")
                continue
            for name, value in fields.items():
                ok = isinstance(value, str) or (isinstance(value, list) and all(isinstance(v, str) for v in value))
                if not ok:
                    problems.append(f"/{table}/{key}/{name} must be a string or a list of strings, not {value!r}")
    return problems


def join(config_db_json: str, frr: str) -> str:
    """The bundle text of netweave's two rendered files (what apply pushes to a SONiC device)."""
    return Bundle(config_db=json.loads(config_db_json), frr=frr).text()


def target(running: ConfigDb, candidate: ConfigDb) -> ConfigDb:
    """The whole CONFIG_DB ``config replace`` must produce (see the module docstring for the rules)."""
    out: ConfigDb = {table: entries for table, entries in running.items() if table not in candidate}
    for table, entries in candidate.items():
        kept = PLATFORM_FIELDS.get(table, {})
        merged: dict[str, dict[str, Any]] = dict(running.get(table, {})) if table in HARDWARE_TABLES else {}
        for key, fields in entries.items():
            facts = {f: v for f, v in running.get(table, {}).get(key, {}).items() if f in kept.get(key, ())}
            merged[key] = {**fields, **facts}
        out[table] = merged
    return {table: entries for table, entries in sorted(out.items()) if entries}


def _value(value: Any) -> str:
    return json.dumps(value)


def diff(running: ConfigDb, wanted: ConfigDb) -> list[str]:
    """Readable lines of what turns ``running`` into ``wanted``, sorted by table and key.

    A new entry is ``+ TABLE|key`` followed by its fields; a deleted one ``- TABLE|key``; a changed
    entry is its ``TABLE|key`` line (unmarked context) followed by ``-``/``+`` field lines.
    """
    lines: list[str] = []
    for table in sorted(set(running) | set(wanted)):
        old_entries, new_entries = running.get(table, {}), wanted.get(table, {})
        for key in sorted(set(old_entries) | set(new_entries)):
            old, new = old_entries.get(key), new_entries.get(key)
            if old == new:
                continue
            if old is None or new is None:
                sign, fields = ("+", new or {}) if old is None else ("-", old)
                lines.append(f"{sign} {table}|{key}")
                lines.extend(f"{sign}   {name}: {_value(fields[name])}" for name in sorted(fields))
                continue
            lines.append(f"  {table}|{key}")
            for name in sorted(set(old) | set(new)):
                if old.get(name) == new.get(name):
                    continue
                if name in old:
                    lines.append(f"-   {name}: {_value(old[name])}")
                if name in new:
                    lines.append(f"+   {name}: {_value(new[name])}")
    return lines
