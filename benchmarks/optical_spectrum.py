"""Time stable spectrum assignment (not a test; run with `python benchmarks/optical_spectrum.py`).

5,000 demands of 50/75/150 GHz over 60 chained sections (each demand crosses 1-4 of them), planned from
empty, then re-planned with one extra demand given the first plan as ``previous`` (the every-commit case).
"""

from __future__ import annotations

import argparse
import random
import time

from netweave.optical.spectrum import Section, SpectrumDemand, assign_spectrum


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--demands", type=int, default=5000)
    parser.add_argument("--sections", type=int, default=60)
    args = parser.parse_args()
    rng = random.Random(1)
    sections = [Section(name=f"s{i}") for i in range(args.sections)]
    demands = []
    for i in range(args.demands):
        first = rng.randrange(args.sections)
        last = min(args.sections, first + rng.randint(1, 4))
        crossed = tuple(f"s{k}" for k in range(first, last))
        demands.append(SpectrumDemand(id=f"d{i:05d}", sections=crossed, width_ghz=rng.choice([50, 75, 75, 150])))

    start = time.perf_counter()
    plan = assign_spectrum(sections, demands)
    first_s = time.perf_counter() - start

    extra = SpectrumDemand(id="new", sections=("s1", "s2"), width_ghz=50)
    start = time.perf_counter()
    again = assign_spectrum(sections, [*demands, extra], previous=plan.frequencies())
    replan_s = time.perf_counter() - start
    unchanged = all(again.frequencies()[cid] == f for cid, f in plan.frequencies().items())

    print(
        f"plan from empty: {len(demands)} demands in {first_s * 1e3:.0f} ms "
        f"({len(plan.assignments)} placed, {len(plan.blocked)} blocked: the band is full)"
    )
    print(f"re-plan with one more demand: {replan_s * 1e3:.0f} ms; existing frequencies unchanged: {unchanged}")


if __name__ == "__main__":
    main()
