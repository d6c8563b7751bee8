"""`python -m tests.golden --update`: regenerate every golden directory and network.json (review the git diff)."""

from __future__ import annotations

import sys

from tests.golden import DESIGNS, NETWORK_DESIGNS, NETWORK_DIR, update, update_network


def main(argv: list[str]) -> int:
    if argv != ["--update"]:
        print("usage: python -m tests.golden --update", file=sys.stderr)
        return 2
    for design in DESIGNS:
        print(f"{design}: {len(update(design))} file(s)")
    for design in NETWORK_DESIGNS:
        update_network(design)
    stale = [p for p in NETWORK_DIR.glob("*.json") if p.stem not in NETWORK_DESIGNS]
    for path in stale:
        path.unlink()
    print(f"network: {len(NETWORK_DESIGNS)} network.json file(s), {len(stale)} stale removed")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
