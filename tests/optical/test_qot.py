"""QoT engine: each noise term, the 58 dB sanity rule, clamps, ROADMs, CD and latency."""

from __future__ import annotations

import math
from collections.abc import Callable

import pytest

from netweave.optical.amplifier import Amplifier
from netweave.optical.fiber import FiberSpan
from netweave.optical.line_system import OpticalPath, WdmLoad
from netweave.optical.modes import ModeCatalogue
from netweave.optical.nli import nli_eta, whole_band_nli_psd
from netweave.optical.qot import evaluate_qot, osnr_rule_of_thumb_db
from netweave.optical.roadm import Roadm

Chain = Callable[..., OpticalPath]


@pytest.mark.parametrize("spans", [1, 2, 4, 8])
def test_ase_osnr_matches_the_58_db_rule(spans: int, chain: Chain, catalogue: ModeCatalogue) -> None:
    """The engine's exact ASE formula and the rule of thumb agree within 0.1 dB (58 is a rounding)."""
    path = chain(spans)
    result = evaluate_qot(path, catalogue["OpenZR+ 400G"], tx_power_dbm=0.0)
    p_in = -17.0  # 0 dBm launch - 16 dB fibre - 2 x 0.5 dB connectors
    assert result.osnr_ase_db == pytest.approx(osnr_rule_of_thumb_db(p_in, 5.5, spans), abs=0.1)
    assert result.amplifier_count == spans


def test_terms_combine_as_inverse_sum(chain: Chain, catalogue: ModeCatalogue) -> None:
    result = evaluate_qot(chain(4, roadms=True), catalogue["400ZR"])
    inverse = sum(10 ** (-x / 10) for x in (result.osnr_tx_db, result.osnr_ase_db, result.osnr_nli_db))
    inverse += 10 ** (-result.osnr_roadm_db / 10)
    assert result.gsnr_db == pytest.approx(-10 * math.log10(inverse))
    assert result.osnr_roadm_db == pytest.approx(38.0 - 10 * math.log10(2))  # one add + one drop
    assert result.margin_db == pytest.approx(result.gsnr_db - 26.0 - 2.0)
    # every per-element contribution is in the steps, and they add up to the totals
    ase = [s.osnr_ase_db for s in result.steps if s.osnr_ase_db is not None]
    assert -10 * math.log10(sum(10 ** (-x / 10) for x in ase)) == pytest.approx(result.osnr_ase_db)
    assert [s.role for s in result.steps][:2] == ["roadm-add", "amplifier"]
    assert result.steps[-1].role == "roadm-drop"


def test_booster_reaches_launch_power_and_rx_follows_drop_loss(chain: Chain, catalogue: ModeCatalogue) -> None:
    result = evaluate_qot(chain(2, roadms=True), catalogue["400ZR"])
    booster = result.steps[1]
    assert booster.power_in_dbm == pytest.approx(-20.0)  # -10 dBm Tx - 10 dB add loss
    assert booster.gain_db == pytest.approx(20.0)
    assert result.rx_power_dbm == pytest.approx(-10.0)  # 0 dBm preamp output - 10 dB drop
    assert result.issues == ()


def test_cd_latency_and_counts(chain: Chain, catalogue: ModeCatalogue) -> None:
    result = evaluate_qot(chain(3, 100.0), catalogue["OpenZR+ 200G"])
    assert result.cd_ps_nm == pytest.approx(3 * 100 * 16.7)
    assert result.length_km == 300
    assert result.latency_us == pytest.approx(1470.0)
    assert result.span_count == 3


def test_gain_out_of_range_is_clamped_and_reported(chain: Chain, catalogue: ModeCatalogue) -> None:
    path = OpticalPath(elements=(FiberSpan(name="long", length_km=150), Amplifier(name="inline")))
    result = evaluate_qot(path, catalogue["OpenZR+ 200G"], tx_power_dbm=0.0)
    assert result.steps[1].gain_wanted_db == pytest.approx(31.0)
    assert result.steps[1].gain_db == 26.0
    assert result.rx_power_dbm == pytest.approx(-5.0)
    assert "inline: needs 31.0 dB gain, outside its range 15-26 dB; set to 26.0 dB" in result.issues


def test_total_output_limit_is_enforced(chain: Chain, catalogue: ModeCatalogue) -> None:
    path = OpticalPath(
        elements=(FiberSpan(length_km=80), Amplifier(name="hot", max_total_output_dbm=17.0)),
        launch_power_dbm=0.0,
    )
    result = evaluate_qot(path, catalogue["400ZR"], tx_power_dbm=0.0)
    limit = 17.0 - 10 * math.log10(64)
    assert result.rx_power_dbm == pytest.approx(limit)
    assert any("exceeds its 17 dBm total output" in issue for issue in result.issues)


def test_express_roadm_adds_loss_and_optional_noise(chain: Chain, catalogue: ModeCatalogue) -> None:
    path = OpticalPath(
        elements=(
            Roadm(name="a"),
            Amplifier(),
            FiberSpan(length_km=80),
            Amplifier(),
            Roadm(name="b", express_osnr_db=40.0),
            Amplifier(),
            FiberSpan(length_km=80),
            Amplifier(),
            Roadm(name="c"),
        )
    )
    result = evaluate_qot(path, catalogue["400ZR"])
    roles = [s.role for s in result.steps if s.role.startswith("roadm")]
    assert roles == ["roadm-add", "roadm-express", "roadm-drop"]
    assert result.osnr_roadm_db == pytest.approx(-10 * math.log10(2 * 10**-3.8 + 10**-4.0))


def test_unamplified_path_has_no_ase_and_power_budget(chain: Chain, catalogue: ModeCatalogue) -> None:
    path = OpticalPath(elements=(FiberSpan(length_km=40),))
    result = evaluate_qot(path, catalogue["400ZR"])
    assert result.osnr_ase_db == math.inf
    assert result.rx_power_dbm == pytest.approx(-10.0 - 9.0)


def test_nli_grows_with_the_cube_of_power(chain: Chain, catalogue: ModeCatalogue) -> None:
    low = evaluate_qot(chain(1), catalogue["400ZR"], tx_power_dbm=0.0)
    high = evaluate_qot(chain(1, launch_power_dbm=3.0), catalogue["400ZR"], tx_power_dbm=3.0)
    # NLI power ~ P^3, signal ~ P: OSNR_NLI falls 2 dB per dB of launch power
    assert low.osnr_nli_db - high.osnr_nli_db == pytest.approx(6.0, abs=1e-9)


def test_nli_sum_reduces_to_the_whole_band_closed_form(chain: Chain, catalogue: ModeCatalogue) -> None:
    """Nyquist comb (spacing = baud rate): the per-channel sum equals the whole-band GN formula."""
    span = FiberSpan(length_km=80)
    rs, n = 32.0, 101
    p_w = 1e-3
    eta = nli_eta(span, rs, rs, rs, n)
    closed = whole_band_nli_psd(span, p_w / (rs * 1e9), rs * n)
    assert eta * p_w**3 == pytest.approx(closed, rel=0.01)


def test_nli_reference_value_for_ssmf(chain: Chain, catalogue: ModeCatalogue) -> None:
    """64 x 75 GHz, 0 dBm/ch, 80 km SSMF: about 41-42 dB OSNR_NLI (0.1 nm) per span, the textbook range
    that puts the optimum launch power near +1 dBm per channel for 80 km spans."""
    result = evaluate_qot(chain(1, wdm_load=WdmLoad()), catalogue["OpenZR+ 400G"], tx_power_dbm=0.0)
    assert 40.0 < result.osnr_nli_db < 43.0


def test_detail_false_gives_identical_totals(chain: Chain, catalogue: ModeCatalogue) -> None:
    path = chain(5, roadms=True)
    full = evaluate_qot(path, catalogue["OpenZR+ 300G"], frequency_mhz=192_000_000)
    bulk = evaluate_qot(path, catalogue["OpenZR+ 300G"], frequency_mhz=192_000_000, detail=False)
    assert bulk.steps == () and len(full.steps) == 13
    assert (bulk.gsnr_db, bulk.rx_power_dbm, bulk.issues) == (full.gsnr_db, full.rx_power_dbm, full.issues)


def test_ase_depends_on_carrier_frequency(chain: Chain, catalogue: ModeCatalogue) -> None:
    """h*nu grows with frequency: 196.1 vs 191.3 THz is 10 log10(196.1/191.3) = 0.108 dB less OSNR_ASE."""
    path = chain(3)
    low = evaluate_qot(path, catalogue["400ZR"], frequency_mhz=191_337_500)
    high = evaluate_qot(path, catalogue["400ZR"], frequency_mhz=196_062_500)
    assert low.osnr_ase_db - high.osnr_ase_db == pytest.approx(10 * math.log10(196_062_500 / 191_337_500))


def test_explain_lists_every_element_and_the_combination(chain: Chain, catalogue: ModeCatalogue) -> None:
    result = evaluate_qot(chain(2, roadms=True), catalogue["400ZR"], carrier_id="dc1-dc2/1")
    text = result.explain()
    lines = text.splitlines()
    assert lines[0] == "dc1-dc2/1 on 2x80km: 400ZR at 193100000 MHz, Tx -10.0 dBm"
    assert len(lines) == 1 + len(result.steps) + 3
    assert "roadm-add" in lines[1] and "OSNR_ROADM 38.00 dB" in lines[1]
    assert f"GSNR {result.gsnr_db:.2f} dB (1/GSNR = sum of 1/OSNR_i)" in text
    assert "margin -0.99 dB = GSNR 27.01 - required 26.00 - system margin 2.00" in text


def test_carrier_outside_the_amplifier_band_is_reported(chain: Chain, catalogue: ModeCatalogue) -> None:
    result = evaluate_qot(chain(1), catalogue["400ZR"], tx_power_dbm=0.0, frequency_mhz=197_000_000)
    assert result.issues[0] == (
        "carrier at 197000000 MHz is outside the path's amplifier band (between 191.3 and 196.1 THz)"
    )
