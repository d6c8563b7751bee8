"""Validate Nokia SR Linux JSON configs with ``yanglint`` against Nokia's published YANG models.

Product code (``netweave check``) since issue #14; it was a test helper before. The validator judges
each ``*.srlinux.json`` with the feature profile of the device's platform (the catalogue's
``srlinux_chassis``), and with ``virtual`` (the containerlab SR Linux, ``platform-vsrl``) for lab nodes,
because a config that loads on a 7220 IXR-H4 can still be refused by the container (e.g. BFD intervals
below one second).

The input is the JSON tree that napalm-srlinux loads with ``replace /`` (the top-level JSON of the
running datastore, e.g. ``{"srl_nokia-interfaces:interface": [...], ...}``); a startup
``config.json`` with a ``_preamble`` is accepted too (the preamble is stripped).

Why it is not a plain ``yanglint`` call (findings from SR Linux v25.3.1 models + yanglint 2.1.30):

* **Features are per platform.** The models gate nodes and enum values with ``if-feature`` on
  ``srl_nokia-features`` (574 features, incl. ``platform-7220-d3``, ``trident3``, ``tomahawk4``,
  ``platform-vsrl``...). The models do NOT publish which features each platform has; a device
  reports its set in ``config.json`` ``_preamble.header.enabled-yang-features``. We therefore ship
  approximate *profiles* (see :data:`PLATFORM_PROFILES`) and accept an explicit feature list (the
  device's own list is the ground truth: pass it when you have it).
* **Nokia's ``srl_nokia-ext:if-feature`` extension** sits inside 98 ``must`` statements to make a
  constraint platform-specific (e.g. "BFD min interval >= 1 s" only on ``platform-vsrl``). libyang
  ignores unknown extensions, so it would enforce every such ``must`` on every platform. We build a
  patched copy of the models per feature set (cached under ``$XDG_CACHE_HOME/netweave``; the shared
  reference tree is never modified) without the ``must`` statements whose condition is false.
* **XPath as the device evaluates it.** libyang follows XPath 1.0 strictly where SR Linux does not,
  and rejected valid configs (the sample leaf) in three ways; the patched copy rewrites ``must``
  and ``when`` expressions so they mean what the device enforces:

  - ``<path> != 'x'`` on an absent leaf is false in XPath 1.0 (``ipv4 admin-state enable`` on
    ``mgmt0.0``/``system0.0``/``irb1.x``, whose ``type`` cannot even be set, was rejected):
    rewritten to ``not(<path> = 'x')``;
  - ``<path> = true()`` converts the node-set to "exists", so ``leading-only = false`` matched
    ``. = true()``: rewritten to compare the leaf's string value (absent counts as false);
  - unprefixed identities (``afi-safi[afi-safi-name='ipv4-unicast']``) resolve in the module of
    the expression, where they do not exist, so the comparison was always false ("One of the
    address families must be enabled"): the defining module's import prefix is added, only for
    leaves that are identityrefs in every module that has a leaf of that name.

* **Speed.** Loading all 306 SR Linux modules takes ~9-17 s; we load only the modules whose
  prefixes occur in the data (module-qualified JSON names and identityref values) plus
  ``srl_nokia-features``: ~0.5 s per run. ``yanglint`` validates several files per invocation but
  stops at the first file that fails, so :func:`check_srlinux_many` runs once for the whole batch
  and only re-runs for the files after a failure.
* yanglint reports one error per failing file (libyang stops parsing at the first error).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Iterable, Mapping
from functools import lru_cache
from pathlib import Path

from netweave.check.problems import CheckProblem, ValidatorUnavailable
from netweave.check.srlinux_models import _eval_feature_expr, _patched_models

__all__ = [
    "PLATFORM_PROFILES",
    "check_srlinux",
    "check_srlinux_many",
    "feature_set",
    "features_from_startup",
    "profile_for",
    "srlinux_models_dir",
    "validate",
]

SHARED_ENV = "NETWEAVE_SHARED"
MODELS_SUBDIR = Path("srlinux-v25.3.1/srlinux-yang-models")
"""Where the SR Linux models sit inside a YANG folder (``reference/yang`` of the shared reference data)."""
_REPO = Path(__file__).resolve().parents[3]
"""The repository root of a source checkout (src/netweave/check/ is three levels below it)."""
FEATURES_MODULE = "srl_nokia-features"

# ASIC / platform family features: exactly one family (plus one platform) is true on a device.
_ASIC_FEATURES = frozenset(
    {
        "ac5x",
        "fpcx",
        "ixr-dnx",
        "jericho2",
        "jericho2cp",
        "jericho3",
        "qumran2cp",
        "tomahawk3",
        "tomahawk4",
        "tomahawk5",
        "trident3",
        "trident4",
    }
)
# Features that describe hardware we never render for (chassis, other silicon families) or are
# "future"/unreleased; suffix rules catch the per-family variants such as qos-pfc-dnx.
_EXCLUDED_FEATURES = frozenset({"future-0-0", "bgp-labeled-unicast-future", "chassis", "chassis-vertical-orientation"})
_EXCLUDED_SUFFIXES = ("-dnx", "-fpcx", "-j2", "-future")
# Features that change validation of plain configs in ways a fabric config never wants (MAC-swap
# loopback test facilities: with them on, the model demands loopback-mode settings).
_NEVER = frozenset({"loopback-mode-facility", "vlan-loopback"})
# QoS features of the 7250 (DNX, forwarding-plane/VOQ based) QoS model, off on 7220 (XGS) profiles:
# there a forwarding class maps to one ``queue`` (qos-multi-traffic-queue), not to unicast and
# multicast VOQs with slope policies. Judgement from the model descriptions, not a Nokia list.
_NOT_ON_XGS = frozenset(
    {
        "qos-unicast-queue",
        "qos-multicast-queue",
        "qos-virtual-output-queue",
        "qos-slope-policy",
        "qos-fp-pool-policy",
        "qos-forwarding-complexes",
        "qos-interface-pool-policy",
    }
)
# PFC is off unless a profile turns it on: srl_nokia-features says qos-pfc-xgs is "PFC support on
# XGS platforms, 7220 D5/D4 and 7220 H4 variants" (qos-pfc-dnx: 7250 IXR-6e/10e/X1b/X3b).
_PFC = (
    "qos-pfc",
    "qos-pfc-xgs",
    "qos-pfc-buffer",
    "qos-pfc-headroom-buffer",
    "qos-pfc-system-headroom-buffer",
)

# Profile name -> features added to the common base. Platform and ASIC pairs: Nokia 7220 IXR
# datasheets (D2L/D3L: Broadcom Trident3; H4: Tomahawk4, 64x400G; H5: Tomahawk5). "virtual" is the
# SR Linux container (containerlab, platform-vsrl) emulating its default type, a 7220 IXR-D2L.
# D4/D5 (also PFC-capable per the model) are left out until their ASIC feature is confirmed.
PLATFORM_PROFILES: dict[str, tuple[str, ...]] = {
    "7220-ixr-d2l": ("platform-7220-d2", "trident3"),
    "7220-ixr-d3l": ("platform-7220-d3", "trident3"),
    "7220-ixr-h4": ("platform-7220-h4", "tomahawk4", *_PFC),
    "7220-ixr-h4-32d": ("platform-7220-h4-32d", "tomahawk4", *_PFC),
    "7220-ixr-h5-32d": ("platform-7220-h5-32d", "tomahawk5"),
    "7220-ixr-h5-64d": ("platform-7220-h5-64d", "tomahawk5"),
    "7220-ixr-h5-64o": ("platform-7220-h5-64o", "tomahawk5"),
    "virtual": ("platform-vsrl", "platform-7220-d2", "trident3"),
}

_PROFILE_ALIASES = {
    "ixr-d2l": "7220-ixr-d2l",
    "ixr-d3l": "7220-ixr-d3l",
    "ixr-h4": "7220-ixr-h4",
    "ixr-h5-64d": "7220-ixr-h5-64d",
    "ixr-h5-32d": "7220-ixr-h5-32d",
    "ixr-h5-64o": "7220-ixr-h5-64o",
    "vsrl": "virtual",
    "containerlab": "virtual",
}

_YANGLINT_TIMEOUT_S = 120
_ERR_RE = re.compile(
    r"^libyang err : (?P<msg>.*?)"
    r"(?: \(Data location \"(?P<path>[^\"]*)\"(?:, line number (?P<line>\d+))?\.\)"
    r"| \(Schema location \"(?P<spath>[^\"]*)\"\.\))?$"
)
_FAILED_FILE_RE = re.compile(r"^YANGLINT\[E\]: Failed to parse input data file \"(?P<file>[^\"]+)\"")
_PREFIX_RE = re.compile(r"^([A-Za-z_][\w.-]*):[A-Za-z_]")
_FEATURE_RE = re.compile(r"^\s*feature\s+([\w.-]+)\s*(;|\{)", re.M)
_IF_FEATURE_IN_FEATURE_RE = re.compile(r"feature\s+([\w.-]+)\s*\{[^{}]*?if-feature\s+\"([^\"]+)\"", re.S)


def srlinux_models_dir(models: Path | None = None) -> Path:
    """The SR Linux v25.3.1 model tree, or ValidatorUnavailable naming where it was looked for.

    ``models`` is the folder ``--models`` names: the YANG folder holding ``srlinux-v25.3.1/`` (or the
    model tree itself). Without it: ``$NETWEAVE_SHARED/reference/yang`` when that variable is set, else
    ``../shared/reference/yang`` beside the repository (the two places the project keeps reference data).
    """
    if models is not None:
        candidates = [models / MODELS_SUBDIR, models]
        how = f"--models {models}"
    elif os.environ.get(SHARED_ENV):
        candidates = [Path(os.environ[SHARED_ENV]).expanduser() / "reference" / "yang" / MODELS_SUBDIR]
        how = f"${SHARED_ENV}"
    else:
        candidates = [_REPO.parent / "shared" / "reference" / "yang" / MODELS_SUBDIR]
        how = "../shared/reference/yang beside the repository"
    for candidate in candidates:
        if (candidate / "srl_nokia/models/common/srl_nokia-features.yang").is_file():
            return candidate
    raise ValidatorUnavailable(
        f"SR Linux YANG models (v25.3.1) not found via {how}: pass --models DIR with DIR holding {MODELS_SUBDIR} "
        f"(Nokia's published srlinux-yang-models), or set {SHARED_ENV}"
    )


@lru_cache(maxsize=4)
def _all_features(models: Path) -> tuple[tuple[str, ...], dict[str, str]]:
    """Feature names of srl_nokia-features, and the if-feature expression of those that have one."""
    text = (models / "srl_nokia/models/common/srl_nokia-features.yang").read_text()
    names = tuple(m[0] for m in _FEATURE_RE.findall(text))
    deps = {m.group(1): m.group(2) for m in _IF_FEATURE_IN_FEATURE_RE.finditer(text)}
    return names, deps


def feature_set(platform_features: str | Iterable[str], models: Path | None = None) -> frozenset[str]:
    """Resolve a profile name (see :data:`PLATFORM_PROFILES`) or an explicit feature list.

    An explicit list may use the device's ``srl_nokia-features:x`` spelling. For a profile the
    set is: every feature except ASIC/platform features, DNX/FPcx-only, 7250-style QoS, PFC and
    future features, plus the profile's own features (platform, ASIC, PFC where listed); features whose own
    ``if-feature`` is then false are dropped (libyang refuses to enable them).
    """
    models = models or srlinux_models_dir()
    names, deps = _all_features(models)
    if isinstance(platform_features, str):
        key = _PROFILE_ALIASES.get(platform_features.lower(), platform_features.lower())
        if key not in PLATFORM_PROFILES:
            raise ValueError(
                f"unknown SR Linux platform profile {platform_features!r}; "
                f"known: {', '.join(sorted(PLATFORM_PROFILES))} (or pass a feature list)"
            )
        chosen = {
            n
            for n in names
            if not n.startswith("platform-")
            and n not in _ASIC_FEATURES
            and n not in _EXCLUDED_FEATURES
            and n not in _NEVER
            and n not in _NOT_ON_XGS
            and not n.startswith("qos-pfc")
            and not n.endswith(_EXCLUDED_SUFFIXES)
        }
        chosen.update(PLATFORM_PROFILES[key])
    else:
        chosen = {f.split(":")[-1] for f in platform_features}
        unknown = chosen - set(names)
        if unknown:
            raise ValueError(f"features not in {FEATURES_MODULE}: {', '.join(sorted(unknown))}")
    enabled = frozenset(chosen)
    while True:  # drop features whose if-feature is unsatisfied, until stable
        bad = {f for f in enabled if f in deps and not _eval_feature_expr(deps[f], enabled)}
        if not bad:
            return enabled
        enabled = enabled - bad


def features_from_startup(config_json: str) -> list[str]:
    """The feature list a real device wrote into its ``config.json`` preamble.

    SR Linux saves ``_preamble.header.enabled-yang-features`` (``srl_nokia-features:x`` names)
    with every startup config; pass the result to :func:`check_srlinux` to validate against the
    exact platform instead of a profile. Returns [] when the preamble has no such list.
    """
    try:
        header = json.loads(config_json).get("_preamble", {}).get("header", {})
    except (json.JSONDecodeError, AttributeError):
        return []
    features = header.get("enabled-yang-features", []) if isinstance(header, dict) else []
    return [f for f in features if isinstance(f, str) and f.startswith(f"{FEATURES_MODULE}:")]


@lru_cache(maxsize=8)
def _module_index(models: Path) -> tuple[tuple[str, ...], dict[str, Path]]:
    """Search-path dirs (every folder holding .yang files) and module name -> file of the tree."""
    dirs: set[str] = set()
    index: dict[str, Path] = {}
    for path in models.rglob("*.yang"):
        dirs.add(str(path.parent))
        name = path.stem.split("@")[0]
        head = path.read_text(errors="replace")[:200]
        if not head.lstrip().startswith("submodule"):
            index[name] = path
    return tuple(sorted(dirs)), index


def _prefixes(data: object, keys: set[str], values: set[str]) -> None:
    """Collect module names used in member names (``keys``) and in string values (``values``).

    Values are only candidates (an identityref such as ``srl_nokia-common:evpn``, but also a
    description like ``spine1:ethernet-1/1``), so only names that are real modules are used.
    """
    if isinstance(data, dict):
        for key, value in data.items():
            m = _PREFIX_RE.match(key)
            if m:
                keys.add(m.group(1))
            _prefixes(value, keys, values)
    elif isinstance(data, list):
        for item in data:
            _prefixes(item, keys, values)
    elif isinstance(data, str):
        m = _PREFIX_RE.match(data)
        if m:
            values.add(m.group(1))


def _yanglint() -> str:
    exe = shutil.which("yanglint")
    if exe is None:
        raise ValidatorUnavailable("yanglint not found: install it (Debian package libyang2-tools)")
    return exe


def _parse_output(stderr: str, names: Mapping[str, str]) -> tuple[list[CheckProblem], str | None]:
    """Turn yanglint stderr into problems; return them and the data file that failed (if any).

    yanglint names the failing file only after its errors, so errors are collected first and labelled
    once the ``Failed to parse input data file`` line says whose they are.
    """
    failed: str | None = None
    pending: list[tuple[int | None, str, str]] = []
    for line in stderr.splitlines():
        fm = _FAILED_FILE_RE.match(line)
        if fm:
            failed = fm.group("file")
            continue
        m = _ERR_RE.match(line)
        if m:
            number = int(m.group("line")) if m.group("line") else None
            pending.append((number, m.group("path") or m.group("spath") or "", m.group("msg")))
        elif line.startswith("YANGLINT[E]"):
            pending.append((None, "", line.removeprefix("YANGLINT[E]: ")))
    label = names.get(failed, failed) if failed else "srlinux"
    return [CheckProblem(label, msg, line=number, path=where) for number, where, msg in pending], failed


def _stage(name: str, text: str, tmp: Path, index: int) -> tuple[Path | None, set[str], set[str], list[CheckProblem]]:
    """Write one config for yanglint; returns its path (None when unusable), module prefixes and problems."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        return None, set(), set(), [CheckProblem(name, f"invalid JSON: {exc.msg}", line=exc.lineno, path="")]
    if not isinstance(data, dict):
        return None, set(), set(), [CheckProblem(name, "top level must be a JSON object", line=1, path="/")]
    preamble = data.pop("_preamble", None) is not None
    keys: set[str] = set()
    values: set[str] = set()
    _prefixes(data, keys, values)
    path = tmp / f"{index}.json"
    # re-serialise only when the preamble was removed, so line numbers match the input otherwise
    path.write_text(json.dumps(data, indent=2) if preamble else text)
    return path, keys, values, []


def check_srlinux_many(
    configs: Mapping[str, str], platform_features: str | Iterable[str], models: Path | None = None
) -> dict[str, list[CheckProblem]]:
    """Validate several SR Linux JSON configs (name -> JSON text) of one platform in few runs.

    Returns name -> problems for every name. JSON syntax errors are reported without running
    yanglint. Raises ValidatorUnavailable if yanglint or the models are missing.
    """
    exe = _yanglint()
    tree = srlinux_models_dir(models)
    enabled = feature_set(platform_features, tree)
    patched = _patched_models(tree, enabled)
    dirs, index = _module_index(patched)
    results: dict[str, list[CheckProblem]] = {name: [] for name in configs}
    modules: set[str] = {FEATURES_MODULE}
    with tempfile.TemporaryDirectory(prefix="netweave-srl-data-") as tmp:
        files: list[str] = []
        names: dict[str, str] = {}
        for i, (name, text) in enumerate(configs.items()):
            path, keys, values, problems = _stage(name, text, Path(tmp), i)
            results[name].extend(problems)
            if path is None:
                continue
            for p in sorted(keys - index.keys()):
                results[name].append(
                    CheckProblem(name, f"unknown YANG module {p!r} in a member name", line=None, path="/")
                )
            modules.update(p for p in keys | values if p in index)
            files.append(str(path))
            names[str(path)] = name
        ordered = [str(index[FEATURES_MODULE]), *sorted(str(index[m]) for m in modules - {FEATURES_MODULE})]
        base = [exe, "-Q", "-D"]
        for d in dirs:
            base += ["-p", d]
        base += ["-F", f"{FEATURES_MODULE}:{','.join(sorted(enabled))}", "-t", "config", *ordered]
        remaining = files
        while remaining:
            proc = subprocess.run([*base, *remaining], capture_output=True, text=True, timeout=_YANGLINT_TIMEOUT_S)
            if proc.returncode == 0:
                break
            found, failed = _parse_output(proc.stderr, names)
            if failed is None or failed not in remaining:
                # schema-level failure (no data file named): report it on every config and stop
                detail = found or [
                    CheckProblem("", proc.stderr.strip() or f"exit {proc.returncode}", line=None, path="")
                ]
                for f in remaining:
                    results[names[f]].extend(
                        CheckProblem(names[f], p.message, line=p.line, path=p.path) for p in detail
                    )
                break
            results[names[failed]].extend(found)
            remaining = remaining[remaining.index(failed) + 1 :]
    return results


def check_srlinux(
    json_text: str, platform_features: str | Iterable[str], name: str = "srlinux", models: Path | None = None
) -> list[CheckProblem]:
    """Validate one SR Linux JSON config for a platform profile name or explicit feature list.

    Returns a list of problems (empty = valid); ``line`` is the JSON line when yanglint knows it and
    ``where`` the data path.
    """
    return check_srlinux_many({name: json_text}, platform_features, models)[name]


def profile_for(platform: str) -> str:
    """The feature profile that judges a device of catalogue platform ``platform``.

    ``platform`` is a catalogue name (``nokia-7220-ixr-h4``: its ``srlinux_chassis``), a profile name
    or alias (``7220-ixr-h4``, ``virtual``, ``containerlab``), as the runner's ``platform_of`` gives it.
    Raises ValueError for a platform without an SR Linux profile (the runner reports it as a problem).
    """
    from netweave.catalog import builtin_platforms

    key = platform.lower()
    key = _PROFILE_ALIASES.get(key, key)
    if key in PLATFORM_PROFILES:
        return key
    known = builtin_platforms().get(platform)
    if known is not None and known.srlinux_chassis:
        return _PROFILE_ALIASES.get(known.srlinux_chassis, known.srlinux_chassis)
    raise ValueError(
        f"no SR Linux feature profile for platform {platform!r}; known profiles: {', '.join(sorted(PLATFORM_PROFILES))}"
    )


def _platform_key(path: Path, platform_of: Mapping[str, str]) -> str | None:
    """The platform_of entry of a file: by file name, else by device name (the part before the first dot)."""
    return platform_of.get(path.name) or platform_of.get(path.name.split(".", 1)[0])


def validate(files: list[Path], platform_of: Mapping[str, str], models: Path | None) -> list[CheckProblem]:
    """Judge every SR Linux JSON config in ``files`` with yanglint, grouped by feature profile.

    ``platform_of`` maps a device (or file) name to its platform; a device without an entry is judged
    as ``virtual`` (the containerlab node, whose rules are the strictest we know of). Files of one
    profile go to yanglint together (one model load per profile, ~0.5 s).
    Raises ValidatorUnavailable when yanglint or the models are missing.
    """
    problems: list[CheckProblem] = []
    groups: dict[str, dict[str, str]] = {}
    for path in files:
        platform = _platform_key(path, platform_of) or "virtual"
        try:
            profile = profile_for(platform)
        except ValueError as exc:
            problems.append(CheckProblem(str(path), str(exc), line=None, path=""))
            continue
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            problems.append(CheckProblem(str(path), f"cannot read: {exc}", line=None, path=""))
            continue
        groups.setdefault(profile, {})[str(path)] = text
    for profile in sorted(groups):
        for found in check_srlinux_many(groups[profile], profile, models).values():
            problems.extend(found)
    return problems
