"""`python -m tests.golden --update`: regenerate every golden directory (review the git diff afterwards)."""

from __future__ import annotations

import sys

from tests.golden import DESIGNS, update


def main(argv: list[str]) -> int:
    if argv != ["--update"]:
        print("usage: python -m tests.golden --update", file=sys.stderr)
        return 2
    for design in DESIGNS:
        print(f"{design}: {len(update(design))} file(s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
