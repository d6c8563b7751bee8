"""SR Linux YANG as the device evaluates it: the feature-gated, XPath-corrected copy yanglint validates against.

Split from `netweave.check.srlinux` (which runs yanglint and reports problems) because this is its own
concern: which `if-feature` conditions hold for a platform, and how Nokia's models are rewritten so libyang
enforces what SR Linux enforces (see that module's docstring for the three XPath differences). The copy is
cached per feature set under `$XDG_CACHE_HOME/netweave`; the shared reference tree is never modified.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import tempfile
import threading
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path


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
