"""Secrets by reference: a design names a secret, rendered files hold a placeholder, apply fills it in.

A password, AAA key or SNMP community in a design file would end up in git, build/, diffs, plans,
backups and Pulumi state. So the design says `{secret: admin_password}`, every rendered file holds the
placeholder `NETWEAVE_SECRET_ADMIN_PASSWORD` (which is also the name of the environment variable that
holds the value), and only the last step before a config leaves for the device swaps placeholders for
values (`resolve`). Anything that shows a config to a person or stores it shows the placeholder.

The placeholder is a plain word of letters, digits and '_' so every NOS syntax (EOS and SR OS CLI,
SR Linux JSON, NVUE YAML, SONiC CONFIG_DB) takes it where a password goes, and the vendor models still
judge the rendered file.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Mapping

from netweave.errors import NetweaveError

PREFIX = "NETWEAVE_SECRET_"
PLACEHOLDER_RE = re.compile(r"NETWEAVE_SECRET_[A-Z][A-Z0-9_]{0,39}")
"""A placeholder: the prefix and the secret's name upper-cased (names match `SECRET_NAME_RE`)."""


class SecretError(NetweaveError):
    """A secret a config references has no value (the message names the variable to set); exit code 1."""


def placeholder(name: str) -> str:
    """The token a rendered file holds for secret `name`, and the environment variable holding its value."""
    return PREFIX + name.upper()


def referenced(text: str) -> list[str]:
    """Placeholders in `text`, sorted and without repeats."""
    return sorted(set(PLACEHOLDER_RE.findall(text)))


def from_environment(token: str) -> str | None:
    """The value of one placeholder from the process environment (None when unset or empty)."""
    return os.environ.get(token) or None


def resolve(text: str, lookup: Callable[[str], str | None] = from_environment) -> str:
    """`text` with every placeholder replaced by its value; raises SecretError naming every missing one.

    Values are inserted verbatim: a value with a newline or a quote could change the config's structure, so
    such values are refused (the message names the variable, never the value)."""
    values: dict[str, str] = {}
    missing: list[str] = []
    for token in referenced(text):
        value = lookup(token)
        if value is None:
            missing.append(token)
            continue
        if re.search(r"[\s\"'\\{}]", value) or not value.isprintable():
            raise SecretError(f"secret {token} holds whitespace, a quote, a brace or a control character")
        values[token] = value
    if missing:
        raise SecretError(f"secrets without a value: {', '.join(missing)} (set these environment variables)")
    return PLACEHOLDER_RE.sub(lambda m: values[m.group()], text)


def redact(text: str, values: Mapping[str, str]) -> str:
    """`text` with every secret value (token -> value) put back to its placeholder: for anything read back
    from a device (running config, backups, diffs) before it is shown or stored.

    One pass, longest value first at each position: a placeholder already put in is never searched again, so a
    short value that happens to occur inside a token name (`SECRET`) cannot corrupt it."""
    wanted = {value: token for token, value in values.items() if value}
    if not wanted:
        return text
    pattern = re.compile("|".join(re.escape(value) for value in sorted(wanted, key=len, reverse=True)))
    return pattern.sub(lambda m: wanted[m.group()], text)


def placeholder_form(text: str, values: Mapping[str, str]) -> str | None:
    """`text` with the values of `values` (token -> value) as their placeholders, when `resolve` with the same
    values gives `text` back exactly; else None.

    What a backup stores instead of a masked value: `netweave rollback` fills the placeholders in from the
    environment as `apply` does, so the backup restores the config the device ran without holding the secret.
    None when that is not an exact round trip (the text already held a placeholder-like word, or a value too
    odd to be inserted back): the caller masks instead, and such a backup is not restorable."""
    form = redact(text, values)
    try:
        back = resolve(form, values.get)
    except SecretError:
        return None
    return form if back == text else None
