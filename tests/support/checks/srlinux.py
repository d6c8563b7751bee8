"""Validate Nokia SR Linux JSON configs with ``yanglint`` against Nokia's published YANG models.

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

import hashlib
import json
import os
import re
import shutil
import subprocess
import tempfile
import threading
from collections.abc import Iterable, Mapping
from functools import lru_cache
from pathlib import Path

from tests.support.checks import CheckerUnavailable, CheckProblem
from tests.support.reference import find_shared_dir

__all__ = [
    "PLATFORM_PROFILES",
    "check_srlinux",
    "check_srlinux_many",
    "feature_set",
    "features_from_startup",
    "srlinux_models_dir",
]

MODELS_SUBDIR = Path("reference/yang/srlinux-v25.3.1/srlinux-yang-models")
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
_EXT_IF_FEATURE_RE = re.compile(r"srl_nokia-ext:if-feature\s+\"([^\"]+)\"\s*;")
_MUST_START_RE = re.compile(r"\bmust\s+(\"(?:[^\"\\]|\\.)*\"|'[^']*')\s*\{")
_IDENT_COMPARE_RE = re.compile(r"((?<![\w.-])(?:[\w.-]+:)?([\w.-]+))(\s*!?=\s*)(['\"])([\w.-]+)\4")
_STEP_PAT = r"[\w.:-]+(?:\[[^\[\]]*\])*"
_BOOL_LHS_RE = re.compile(
    rf"((?<![\w/.:\])-])(?:current\(\))?(?:\.\./|/)*{_STEP_PAT}(?:/{_STEP_PAT})*|(?<![\w.])\.)(\s*!?=\s*)(true|false)\(\)"
)
_BOOL_RHS_RE = re.compile(rf"\b(true|false)\(\)(\s*!?=\s*)((?:\.\./|/)*{_STEP_PAT}(?:/{_STEP_PAT})*)")
_MODULE_RE = re.compile(r"^\s*(?:module|submodule)\s+([\w.-]+)", re.M)
_OWN_PREFIX_RE = re.compile(r"^\s{0,2}(?:prefix\s+\"?([\w.-]+)\"?\s*;)", re.M)
_BELONGS_RE = re.compile(r"belongs-to\s+([\w.-]+)\s*\{\s*prefix\s+\"?([\w.-]+)\"?\s*;")
_IMPORT_RE = re.compile(r"import\s+([\w.-]+)\s*\{[^{}]*?prefix\s+\"?([\w.-]+)\"?\s*;")
_IDENTITY_RE = re.compile(r"^\s*identity\s+([\w.-]+)", re.M)
_LEAF_TYPE_RE = re.compile(r"\bleaf(?:-list)?\s+([\w.-]+)\s*\{[^{}]*?\btype\s+([\w.:-]+)")
# a must/when argument: one quoted YANG string (concatenations keep their first part only)
_XPATH_ARG_RE = re.compile(r"""(\b(?:must|when)\s+)("(?:[^"\\]|\\.)*"|'[^']*')""")
_STEP = r"[\w.:-]+(?:\[[^\[\]]*\])*"
_NEQ_RE = re.compile(
    rf"(?<![\w/.:\])-])((?:current\(\))?(?:\.\./|/)*{_STEP}(?:/{_STEP})*)"
    r""" != ('[^']*'|"[^"]*")"""
)


def srlinux_models_dir() -> Path:
    """Return the SR Linux v25.3.1 model tree in the shared reference dir, or raise.

    Raises CheckerUnavailable (not a config problem) when the shared dir is missing.
    """
    shared = find_shared_dir()
    if shared is None or not (shared / MODELS_SUBDIR).is_dir():
        raise CheckerUnavailable(
            f"SR Linux YANG models not found: set NETWEAVE_SHARED to the dir holding {MODELS_SUBDIR}"
        )
    return shared / MODELS_SUBDIR


@lru_cache(maxsize=4)
def _all_features(models: Path) -> tuple[tuple[str, ...], dict[str, str]]:
    """Feature names of srl_nokia-features, and the if-feature expression of those that have one."""
    text = (models / "srl_nokia/models/common/srl_nokia-features.yang").read_text()
    names = tuple(m[0] for m in _FEATURE_RE.findall(text))
    deps = {m.group(1): m.group(2) for m in _IF_FEATURE_IN_FEATURE_RE.finditer(text)}
    return names, deps


def _eval_feature_expr(expr: str, enabled: frozenset[str]) -> bool:
    """Evaluate a YANG 1.1 if-feature expression (and/or/not/parentheses, prefixes ignored)."""
    tokens = re.findall(r"\(|\)|[\w.:-]+", expr)
    pos = 0

    def parse_or() -> bool:
        nonlocal pos
        value = parse_and()
        while pos < len(tokens) and tokens[pos] == "or":
            pos += 1
            rhs = parse_and()
            value = value or rhs
        return value

    def parse_and() -> bool:
        nonlocal pos
        value = parse_not()
        while pos < len(tokens) and tokens[pos] == "and":
            pos += 1
            rhs = parse_not()
            value = value and rhs
        return value

    def parse_not() -> bool:
        nonlocal pos
        tok = tokens[pos]
        if tok == "not":
            pos += 1
            return not parse_not()
        if tok == "(":
            pos += 1
            value = parse_or()
            pos += 1  # ")"
            return value
        pos += 1
        return tok.split(":")[-1] in enabled

    return parse_or()


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


def _patch_module_text(text: str, enabled: frozenset[str], idref: _IdentityInfo | None = None) -> str:
    """Apply the model fixes described in the module docstring to one .yang file's text."""
    if "srl_nokia-ext:if-feature" in text:
        out: list[str] = []
        pos = 0
        for m in _MUST_START_RE.finditer(text):
            if m.start() < pos:
                continue
            depth, i = 1, m.end()
            while depth and i < len(text):
                c = text[i]
                if c in "\"'":  # skip quoted strings (XPath may contain braces)
                    j = text.find(c, i + 1)
                    i = len(text) if j < 0 else j
                elif c == "{":
                    depth += 1
                elif c == "}":
                    depth -= 1
                i += 1
            body = text[m.end() : i]
            ext = _EXT_IF_FEATURE_RE.search(body)
            if ext and not _eval_feature_expr(ext.group(1), enabled):
                out.append(text[pos : m.start()])
                pos = i
        out.append(text[pos:])
        text = "".join(out)
    if "must" in text or "when" in text:
        text = _XPATH_ARG_RE.sub(lambda m: m.group(1) + _rewrite_xpath(m.group(2), text, idref), text)
    return text


class _IdentityInfo:
    """What the identity-literal fix needs to know about the whole model tree.

    Why: SR Linux models compare identityref leaves with unprefixed literals
    (``afi-safi[afi-safi-name='ipv4-unicast']``). In YANG XPath an unprefixed identity belongs to
    the module of the expression, so libyang finds no such identity and the comparison is false
    (it only warns); the device matches by name. We add the defining module's import prefix.
    """

    def __init__(self, texts: Mapping[Path, str]) -> None:
        self.identities: dict[str, set[str]] = {}
        leaf_types: dict[str, set[str]] = {}
        for text in texts.values():
            mod = _MODULE_RE.search(text)
            if not mod:
                continue
            belongs = _BELONGS_RE.search(text)
            owner = belongs.group(1) if belongs else mod.group(1)
            for ident in _IDENTITY_RE.findall(text):
                self.identities.setdefault(ident, set()).add(owner)
            for leaf, typ in _LEAF_TYPE_RE.findall(text):
                leaf_types.setdefault(leaf, set()).add(typ)
        # only names that are identityref wherever they occur: "type" or "encapsulation-type"
        # are enumerations in other modules, and a prefixed literal would break those compares
        leaves = {n for n, t in leaf_types.items() if "identityref" in t and t <= {"identityref", "leafref"}}
        self.leaves = frozenset(leaves)


def _rewrite_xpath(expr: str, module_text: str, idref: _IdentityInfo | None) -> str:
    """Rewrite one must/when argument (quotes included) to the semantics SR Linux applies."""
    if " != " in expr:
        expr = _NEQ_RE.sub(r"not(\1 = \2)", expr)
    if "true()" in expr or "false()" in expr:
        expr = _BOOL_LHS_RE.sub(lambda m: _bool_compare(m.group(1), m.group(2), m.group(3)), expr)
        expr = _BOOL_RHS_RE.sub(lambda m: _bool_compare(m.group(3), m.group(2), m.group(1)), expr)
    if idref is not None and idref.leaves and "=" in expr:
        expr = _prefix_identity_literals(expr, module_text, idref)
    return expr


def _bool_compare(path: str, op: str, literal: str) -> str:
    """``path = true()`` as SR Linux means it: compare the leaf's value, absent counts as false.

    XPath 1.0 converts the node-set to a boolean (exists?) instead. The result is quote-free
    because the expression sits inside a '...' or "..." YANG string.
    """
    is_true = f"string({path}) = string(true())"
    wants_true = (literal == "true") == ("!" not in op)
    return is_true if wants_true else f"not({is_true})"


@lru_cache(maxsize=1024)
def _module_prefixes(module_text: str) -> dict[str, str]:
    """Module name -> prefix usable inside this module (its imports and itself)."""
    mod = _MODULE_RE.search(module_text)
    if not mod:
        return {}
    belongs = _BELONGS_RE.search(module_text)
    own_module, own_prefix = (belongs.group(1), belongs.group(2)) if belongs else (mod.group(1), None)
    if own_prefix is None:
        pm = _OWN_PREFIX_RE.search(module_text)
        own_prefix = pm.group(1) if pm else own_module
    prefixes = {m.group(1): m.group(2) for m in _IMPORT_RE.finditer(module_text)}
    prefixes[own_module] = own_prefix
    return prefixes


def _prefix_identity_literals(text: str, module_text: str, info: _IdentityInfo) -> str:
    """Qualify unprefixed identity literals compared with identityref leaves (see _IdentityInfo)."""
    prefixes = _module_prefixes(module_text)
    if not prefixes:
        return text

    def fix(m: re.Match[str]) -> str:
        if m.group(2) not in info.leaves:
            return m.group(0)
        owners = info.identities.get(m.group(5), set())
        usable = sorted(o for o in owners if o in prefixes)
        if len(usable) != 1:
            return m.group(0)
        q = m.group(4)
        return f"{m.group(1)}{m.group(3)}{q}{prefixes[usable[0]]}:{m.group(5)}{q}"

    return _IDENT_COMPARE_RE.sub(fix, text)


_patch_lock = threading.Lock()
# bump when _patch_module_text changes, so cached copies from older code are not reused
_PATCH_VERSION = "2"


def _cache_root() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "netweave" / "srlinux-yang"


@lru_cache(maxsize=8)
def _patched_models(models: Path, enabled: frozenset[str]) -> Path:
    """The patched model tree for one feature set, built once and cached on disk.

    Building reads and rewrites ~9 MB of YANG (about 1-3 s), so the result is kept under
    ``$XDG_CACHE_HOME/netweave/srlinux-yang/<digest>`` (digest over the models path, the
    feature set and :data:`_PATCH_VERSION`) and reused by later runs and test processes.
    It is written to a temporary sibling first and renamed, so concurrent builds are safe.
    """
    key = "\n".join([_PATCH_VERSION, str(models.resolve()), *sorted(enabled)])
    digest = hashlib.sha256(key.encode()).hexdigest()[:16]
    root = _cache_root() / digest
    if (root / ".complete").exists():
        return root
    with _patch_lock:
        if (root / ".complete").exists():
            return root
        root.parent.mkdir(parents=True, exist_ok=True)
        build = Path(tempfile.mkdtemp(prefix=f".{digest}-", dir=root.parent))
        try:
            texts = {src: src.read_text() for src in models.rglob("*.yang")}
            info = _IdentityInfo(texts)
            for src, text in texts.items():
                dst = build / src.relative_to(models)
                dst.parent.mkdir(parents=True, exist_ok=True)
                dst.write_text(_patch_module_text(text, enabled, info))
            (build / ".complete").write_text(key)
            try:
                build.rename(root)
            except OSError:  # another process won the race; use its copy
                shutil.rmtree(build, ignore_errors=True)
        except BaseException:
            shutil.rmtree(build, ignore_errors=True)
            raise
    return root


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
        raise CheckerUnavailable("yanglint not found (Debian package libyang2-tools)")
    return exe


def _parse_output(stderr: str, names: Mapping[str, str]) -> tuple[list[CheckProblem], str | None]:
    """Turn yanglint stderr into problems; return them and the data file that failed (if any)."""
    problems: list[CheckProblem] = []
    failed: str | None = None
    pending: list[tuple[str, str]] = []
    for line in stderr.splitlines():
        fm = _FAILED_FILE_RE.match(line)
        if fm:
            failed = fm.group("file")
            continue
        m = _ERR_RE.match(line)
        if m:
            where = m.group("line") or m.group("path") or m.group("spath") or ""
            msg = m.group("msg")
            if m.group("line") and m.group("path"):
                msg = f"{msg} (at {m.group('path')})"
            elif m.group("path") and not m.group("line"):
                where = m.group("path")
            pending.append((where, msg))
        elif line.startswith("YANGLINT[E]"):
            pending.append(("", line.removeprefix("YANGLINT[E]: ")))
    label = names.get(failed, failed or "") if failed else ""
    problems.extend(CheckProblem(label or "srlinux", w, msg) for w, msg in pending)
    return problems, failed


def check_srlinux_many(
    configs: Mapping[str, str], platform_features: str | Iterable[str]
) -> dict[str, list[CheckProblem]]:
    """Validate several SR Linux JSON configs (name -> JSON text) of one platform in few runs.

    Returns name -> problems for every name. JSON syntax errors are reported without running
    yanglint. Raises CheckerUnavailable if yanglint or the models are missing.
    """
    exe = _yanglint()
    models = srlinux_models_dir()
    enabled = feature_set(platform_features, models)
    patched = _patched_models(models, enabled)
    dirs, index = _module_index(patched)
    results: dict[str, list[CheckProblem]] = {name: [] for name in configs}
    modules: set[str] = {FEATURES_MODULE}
    with tempfile.TemporaryDirectory(prefix="netweave-srl-data-") as tmp:
        files: list[str] = []
        names: dict[str, str] = {}
        for i, (name, text) in enumerate(configs.items()):
            try:
                data = json.loads(text)
            except json.JSONDecodeError as exc:
                results[name].append(CheckProblem(name, str(exc.lineno), f"invalid JSON: {exc.msg}"))
                continue
            if not isinstance(data, dict):
                results[name].append(CheckProblem(name, "/", "top level must be a JSON object"))
                continue
            data.pop("_preamble", None)
            keys: set[str] = set()
            values: set[str] = set()
            _prefixes(data, keys, values)
            for p in sorted(keys - index.keys()):
                results[name].append(CheckProblem(name, "/", f"unknown YANG module {p!r} in a member name"))
            modules.update(p for p in keys | values if p in index)
            path = Path(tmp) / f"{i}.json"
            # re-serialise only when the preamble was removed, so line numbers match the input
            path.write_text(text if "_preamble" not in text else json.dumps(data, indent=2))
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
            problems, failed = _parse_output(proc.stderr, names)
            if failed is None or failed not in remaining:
                # schema-level failure (no data file named): report it on every config and stop
                detail = problems or [CheckProblem("", "", proc.stderr.strip() or f"exit {proc.returncode}")]
                for f in remaining:
                    results[names[f]].extend(CheckProblem(names[f], p.where, p.message) for p in detail)
                break
            results[names[failed]].extend(problems)
            remaining = remaining[remaining.index(failed) + 1 :]
    return results


def check_srlinux(json_text: str, platform_features: str | Iterable[str], name: str = "srlinux") -> list[CheckProblem]:
    """Validate one SR Linux JSON config for a platform profile name or explicit feature list.

    Returns a list of problems (empty = valid); the ``where`` of a problem is the JSON line
    number when yanglint knows it, else the data path.
    """
    return check_srlinux_many({name: json_text}, platform_features)[name]
