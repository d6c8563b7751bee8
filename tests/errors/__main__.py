"""`python -m tests.errors --update`: regenerate every `<case>.log` (review the git diff afterwards)."""

from __future__ import annotations

import sys

from tests.errors import CASES, HERE, update


def main(argv: list[str]) -> int:
    if argv != ["--update"]:
        print("usage: python -m tests.errors --update", file=sys.stderr)
        return 2
    for case in CASES:
        update(case)
    stale = [p for p in HERE.glob("*.log") if p.stem not in CASES]
    for path in stale:
        path.unlink()
    print(f"{len(CASES)} error log(s) written, {len(stale)} stale removed")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
