"""Keep credentials out of anything a human or a log collector will read.

The driver never puts a password on a command line, but error text can still come from
places we do not control (paramiko, a remote shell echoing input). Every message the driver
raises or logs passes through :func:`redact` with the secrets it knows about, so a password
that leaks into such text is masked before it leaves the driver.
"""

from __future__ import annotations

from collections.abc import Iterable

MASK = "********"


def redact(text: str, secrets: Iterable[str | None]) -> str:
    """Return ``text`` with every non-empty secret replaced by a fixed mask.

    Longer secrets are replaced first so that a secret containing another one is masked whole.
    """
    for secret in sorted((s for s in secrets if s), key=len, reverse=True):
        text = text.replace(secret, MASK)
    return text
