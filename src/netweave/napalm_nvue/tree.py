"""NVUE configuration trees: the YAML netweave renders, the JSON the REST API speaks, and diffs between them.

An NVUE config file (``nv config show``, ``/etc/nvue.d/startup.yaml``, netweave's ``startup.yaml.j2``) is a
YAML list of documents: ``- header: {...}`` (ignored here), ``- set: {<tree>}`` and ``- unset: {<tree>}``.
The tree is what the REST API's root (``/nvue_v1/``) takes and returns as JSON.

NVUE's values ``on``/``off``/``yes``/``no`` are strings (``enable: on``), but YAML 1.1 (PyYAML's default)
reads them as booleans, and the API would then receive ``true`` where its schema wants ``"on"``. So the
loader here resolves only ``true``/``false`` as booleans, as YAML 1.2 does.

Diffs are written as NVUE CLI commands (``nv set interface lo ip address 10.0.0.1/32``), one per leaf, with
``-`` for what goes and ``+`` for what comes: the form operators read in ``nv config diff -o commands``,
and one line per changed fact, so a design change reviews as exactly that change.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import yaml

from netweave.errors import NetweaveError

Tree = dict[str, Any]
MASK = "********"
SECRET_KEY = re.compile(r"pass(word|phrase)?|secret|(^|-)key$|community|token", re.IGNORECASE)
"""NVUE keys whose values are credentials (``hashed-password``, ``secret``, ``key``, SNMP ``community``)."""


class NvueYamlError(NetweaveError, ValueError):
    """The text is not an NVUE config file (not YAML, or not a list of set/unset/header documents)."""


class _Loader(yaml.SafeLoader):
    """SafeLoader with YAML 1.2 booleans: only true/false, so NVUE's on/off/yes/no stay strings."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


def _stringify_keys(value: Any) -> Any:
    """NVUE keys are strings (VLAN ``'10'``, rule ``10``); YAML may have read some as numbers."""
    if isinstance(value, dict):
        return {str(k): _stringify_keys(v) for k, v in value.items()}
    return value


def _merge(into: Tree, patch: Tree) -> None:
    """``nv set`` semantics: mappings merge key by key, anything else replaces."""
    for key, value in patch.items():
        if isinstance(value, dict) and isinstance(into.get(key), dict):
            _merge(into[key], value)
        else:
            into[key] = _copy(value)


def _unset(into: Tree, patch: Tree) -> None:
    """``nv unset`` semantics: a leaf or an empty mapping in the patch removes that key."""
    for key, value in patch.items():
        if key not in into:
            continue
        if isinstance(value, dict) and value and isinstance(into[key], dict):
            _unset(into[key], value)
        else:
            del into[key]


def _copy(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _copy(v) for k, v in value.items()}
    return value


def parse_config(text: str) -> Tree:
    """The full tree an NVUE config file describes (its set documents applied in order, then unsets).

    Raises `NvueYamlError` with the YAML problem's line for anything that is not such a file.
    """
    try:
        docs = yaml.load(text, Loader=_Loader)
    except yaml.YAMLError as exc:
        raise NvueYamlError(f"not valid YAML: {exc}") from None
    if not isinstance(docs, list):
        raise NvueYamlError("an NVUE config file is a YAML list of '- set:' (and '- header:'/'- unset:') documents")
    tree: Tree = {}
    for index, doc in enumerate(docs):
        if not isinstance(doc, dict) or len(doc) != 1:
            raise NvueYamlError(f"document {index + 1}: expected one of '- header:', '- set:', '- unset:'")
        ((kind, body),) = doc.items()
        if kind == "header":
            continue
        if kind not in ("set", "unset") or not isinstance(body, dict):
            raise NvueYamlError(f"document {index + 1}: '{kind}' is not 'set' or 'unset' with a mapping")
        (_merge if kind == "set" else _unset)(tree, _stringify_keys(body))
    return tree


def dump_config(tree: Tree) -> str:
    """The tree as an NVUE config file (``- set: {...}``), keys sorted so equal trees dump equal."""
    return str(yaml.safe_dump([{"set": tree}], sort_keys=True, default_flow_style=False, width=1000))


def _word(value: Any) -> str:
    text = str(value).lower() if isinstance(value, bool) else str(value)
    return f'"{text}"' if (not text or any(c.isspace() for c in text) or '"' in text) else text


def _leaves(tree: Tree, prefix: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], Any]]:
    """(path, value) of every leaf; an empty mapping is a leaf with value None (``nv set <path>``)."""
    for key, value in tree.items():
        path = (*prefix, str(key))
        if isinstance(value, dict) and value:
            yield from _leaves(value, path)
        else:
            yield path, None if isinstance(value, dict) else value


def _command(path: tuple[str, ...], value: Any, mask: bool) -> str:
    words = [_word(k) for k in path]
    if value is not None:
        words.append(MASK if mask and SECRET_KEY.search(path[-1]) else _word(value))
    return "nv set " + " ".join(words)


def commands(tree: Tree, mask: bool = False) -> Iterator[str]:
    """Every leaf of `tree` as an ``nv set`` command, in tree order; `mask` hides secret values."""
    for path, value in _leaves(tree):
        yield _command(path, value, mask)


def sanitized(tree: Tree) -> Tree:
    """`tree` with the value of every secret-looking key (passwords, hashes, keys, communities) masked."""
    out: Tree = {}
    for key, value in tree.items():
        if isinstance(value, dict):
            out[key] = sanitized(value)
        else:
            out[key] = MASK if SECRET_KEY.search(str(key)) else value
    return out


def diff(running: Tree, candidate: Tree) -> str:
    """``-``/``+`` lines of the leaves that differ (removed first, then added, each sorted); "" when equal.

    Leaves are compared in clear, but secret values are shown masked: a changed password still shows as
    a change (two lines), without showing the password or its hash in a plan or a pull request.
    """
    old = {_command(p, v, False): _command(p, v, True) for p, v in _leaves(running)}
    new = {_command(p, v, False): _command(p, v, True) for p, v in _leaves(candidate)}
    lines = [f"- {old[c]}" for c in sorted(set(old) - set(new))] + [f"+ {new[c]}" for c in sorted(set(new) - set(old))]
    return "\n".join(lines) + ("\n" if lines else "")
