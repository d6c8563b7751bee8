"""Time the optical QoT engine on 5,000 carriers (not a test; run with `python benchmarks/optical_qot.py`).

Carriers are spread over 64 C-band frequencies and paths of 1-12 x 80 km spans between an add and a
drop ROADM, the shape of a DCI/regional plan. Reports the wall time for QoT alone and for QoT plus
mode choice over the 400ZR/OpenZR+ family (which runs QoT once per mode).
"""

from __future__ import annotations

import argparse
import time

from netweave.optical.amplifier import Amplifier
from netweave.optical.fiber import FiberSpan
from netweave.optical.line_system import LineElement, OpticalPath
from netweave.optical.mode_choice import choose_mode
from netweave.optical.modes import default_catalogue
from netweave.optical.qot import evaluate_qot
from netweave.optical.roadm import Roadm


def make_path(spans: int) -> OpticalPath:
    """Add ROADM + booster, ``spans`` x (80 km + amplifier), drop ROADM."""
    elements: list[LineElement] = [Roadm(name="A"), Amplifier(name="boost")]
    for i in range(spans):
        elements += [FiberSpan(name=f"s{i}", length_km=80.0 + (i % 3) * 5), Amplifier(name=f"a{i}")]
    elements.append(Roadm(name="Z"))
    return OpticalPath(name=f"{spans}-span", elements=tuple(elements))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--carriers", type=int, default=5000)
    args = parser.parse_args()
    catalogue = default_catalogue()
    paths = [make_path(n) for n in range(1, 13)]
    mode = catalogue["OpenZR+ 400G"]
    family = [catalogue[n] for n in ("400ZR", "OpenZR+ 400G", "OpenZR+ 300G", "OpenZR+ 200G", "OpenZR+ 100G")]
    work = [(paths[i % len(paths)], 191_337_500 + (i % 64) * 75_000) for i in range(args.carriers)]

    start = time.perf_counter()
    results = [evaluate_qot(p, mode, frequency_mhz=f, carrier_id=str(i)) for i, (p, f) in enumerate(work)]
    qot_s = time.perf_counter() - start
    elements = sum(len(r.steps) for r in results)

    start = time.perf_counter()
    bulk = [evaluate_qot(p, mode, frequency_mhz=f, detail=False) for p, f in work]
    bulk_s = time.perf_counter() - start
    assert [r.gsnr_db for r in bulk] == [r.gsnr_db for r in results]

    start = time.perf_counter()
    choices = [choose_mode(p, family, frequency_mhz=f) for p, f in work]
    choice_s = time.perf_counter() - start

    print(
        f"QoT: {args.carriers} carriers, {elements} element steps in {qot_s * 1e3:.1f} ms "
        f"({qot_s / args.carriers * 1e6:.1f} us/carrier)"
    )
    print(f"QoT without per-element steps (detail=False): {bulk_s * 1e3:.1f} ms")
    print(
        f"QoT + mode choice over {len(family)} modes: {choice_s * 1e3:.1f} ms "
        f"({sum(c.chosen is not None for c in choices)} carriers placed)"
    )


if __name__ == "__main__":
    main()
