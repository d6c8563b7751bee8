"""Mode choice: the best passing mode, and a reason for every failing one."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest

from netweave.optical.amplifier import Amplifier
from netweave.optical.fiber import FiberSpan
from netweave.optical.line_system import OpticalPath
from netweave.optical.mode_choice import check_mode, choose_mode
from netweave.optical.modes import ModeCatalogue

Chain = Callable[..., OpticalPath]


def test_too_long_for_400zr_offers_a_lower_openzr_mode(chain: Chain, catalogue: ModeCatalogue) -> None:
    """4 x 80 km between ROADMs: 400ZR fails on OSNR, CD and reach; OpenZR+ 200G is offered."""
    pluggable = [catalogue["400ZR"], catalogue["OpenZR+ 200G"], catalogue["OpenZR+ 100G"]]
    choice = choose_mode(chain(4, roadms=True), pluggable)
    assert choice.chosen is not None and choice.chosen.name == "OpenZR+ 200G"
    reasons = choice.rejected["400ZR"]
    assert re.fullmatch(
        r"400ZR: OSNR margin -\d+\.\d dB \(needs 26\.0 dB \+ 2\.0 dB margin, path gives \d+\.\d dB\)",
        reasons[0],
    )
    assert "400ZR: chromatic dispersion 5344 ps/nm exceeds its tolerance 2400 ps/nm" in reasons
    assert "400ZR: path length 320 km exceeds the reach guidance 120 km" in reasons
    assert "OpenZR+ 200G" not in choice.rejected
    assert choice.chosen_qot is not None and choice.chosen_qot.margin_db >= 0
    assert "no mode fits" not in choice.explain()


def test_short_amplified_link_takes_400zr(catalogue: ModeCatalogue) -> None:
    """Booster + 80 km + preamp, the 400ZR amplified point-to-point case."""
    path = OpticalPath(
        name="dci",
        elements=(
            Amplifier(name="booster", gain_min_db=5, gain_max_db=20),
            FiberSpan(length_km=80),
            Amplifier(name="preamp", target_channel_output_dbm=-2.0),
        ),
    )
    pluggable = [catalogue["OpenZR+ 200G"], catalogue["400ZR"]]
    choice = choose_mode(path, pluggable)
    assert choice.chosen is not None and choice.chosen.name == "400ZR"
    assert choice.chosen_qot is not None and choice.chosen_qot.issues == ()
    assert [v.mode.name for v in choice.verdicts] == ["400ZR", "OpenZR+ 200G"]


def test_highest_rate_wins_across_the_catalogue(chain: Chain, catalogue: ModeCatalogue) -> None:
    choice = choose_mode(chain(8, roadms=True), catalogue)
    assert choice.chosen is not None and choice.chosen.name == "OpenZR+ 300G"
    assert set(choice.rejected) == {"800ZR", "OpenZR+ 400G", "400ZR"}


def test_nothing_fits_is_explained(chain: Chain, catalogue: ModeCatalogue) -> None:
    choice = choose_mode(chain(40, roadms=True), [catalogue["400ZR"]])
    assert choice.chosen is None
    assert choice.explain().splitlines()[0] == "40x80km: no mode fits"


def test_receive_power_window_and_tx_range(catalogue: ModeCatalogue) -> None:
    """Unamplified 60 km: -10 dBm - 13 dB = -23 dBm is below 400ZR's -21 dBm receiver minimum."""
    path = OpticalPath(elements=(FiberSpan(length_km=60),))
    verdict = check_mode(path, catalogue["400ZR"])
    assert verdict.reasons == ("400ZR: received power -23.0 dBm is outside the receiver window -21.0 to 0.0 dBm",)
    loud = check_mode(path, catalogue["400ZR"], tx_power_dbm=0.0)
    assert "400ZR: transmit power 0.0 dBm is outside the transmitter range -13.0 to -9.0 dBm" in loud.reasons
    short = check_mode(OpticalPath(elements=(FiberSpan(length_km=40),)), catalogue["400ZR"])
    assert short.passed


def test_penalties_reduce_the_margin_and_are_named(chain: Chain, catalogue: ModeCatalogue) -> None:
    path = chain(4, roadms=True)
    clean = check_mode(path, catalogue["OpenZR+ 300G"])
    penalised = check_mode(path, catalogue["OpenZR+ 300G"], penalty_db=3.0)
    assert penalised.qot.margin_db == pytest.approx(clean.qot.margin_db - 3.0)
    assert penalised.qot.gsnr_db == clean.qot.gsnr_db
    assert re.fullmatch(
        r"OpenZR\+ 300G: OSNR margin -\d\.\d dB \(needs 21\.0 dB \+ 2\.0 dB margin \+ 3\.0 dB penalties, "
        r"path gives \d+\.\d dB\)",
        penalised.reasons[0],
    )
