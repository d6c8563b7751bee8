"""The optical core end to end, as the DCI expansion will use it (models -> QoT/mode -> spectrum -> config).

No design/network model is involved: this shows the call sequence and that the pieces agree with each
other (the chosen mode's width is what spectrum assigns, the assigned centre is what gets rendered).
"""

from __future__ import annotations

from netweave.optical import (
    Amplifier,
    FiberSpan,
    LineSystem,
    OpticalChannelConfig,
    Roadm,
    Section,
    SpectrumDemand,
    assign_spectrum,
    build_path,
    choose_mode,
    default_catalogue,
    render_components,
)
from netweave.optical.vendor_units import eos_frequency_ghz, sros_frequency_mhz, sros_target_power


def _line(name: str, a: str, b: str, spans_km: list[float]) -> LineSystem:
    elements: list = [Roadm(name=a), Amplifier(name=f"{a}-boost")]
    for i, km in enumerate(spans_km):
        elements += [FiberSpan(name=f"{name}-s{i}", length_km=km), Amplifier(name=f"{name}-a{i}")]
    elements.append(Roadm(name=b))
    return LineSystem(name=name, site_a=a, site_b=b, a_to_b=tuple(elements))


def test_plan_two_dci_carriers_through_an_express_roadm() -> None:
    catalogue = default_catalogue()
    pluggable = [catalogue[n] for n in ("400ZR", "OpenZR+ 400G", "OpenZR+ 300G", "OpenZR+ 200G")]
    dc1_dc2 = _line("dc1-dc2", "dc1", "dc2", [60.0])
    dc2_dc3 = _line("dc2-dc3", "dc2", "dc3", [80.0, 80.0, 75.0])

    short = build_path([(dc1_dc2, "dc1")], name="dc1->dc2")
    long = build_path([(dc1_dc2, "dc1"), (dc2_dc3, "dc2")], name="dc1->dc3")
    back = build_path([(dc2_dc3, "dc3"), (dc1_dc2, "dc2")], name="dc3->dc1")  # the other direction
    assert [e.name for e in long.elements if isinstance(e, Roadm)] == ["dc1", "dc2", "dc3"]

    short_choice = choose_mode(short, pluggable)
    long_choice = choose_mode(long, pluggable)
    back_choice = choose_mode(back, pluggable)
    assert short_choice.chosen is not None and short_choice.chosen.bit_rate_gbps == 400
    assert long_choice.chosen is not None and back_choice.chosen is not None
    assert "400ZR" in long_choice.rejected  # 295 km is beyond 400ZR's reach and CD tolerance
    # a carrier runs one mode in both directions: take the one both directions support
    long_mode = min((long_choice.chosen, back_choice.chosen), key=lambda m: m.bit_rate_gbps)

    sections = [Section.from_line_system(dc1_dc2), Section.from_line_system(dc2_dc3)]
    demands = [
        SpectrumDemand(id="dc1-dc2/1", sections=("dc1-dc2",), width_ghz=short_choice.chosen.channel_width_ghz),
        SpectrumDemand(id="dc1-dc3/1", sections=("dc1-dc2", "dc2-dc3"), width_ghz=long_mode.channel_width_ghz),
    ]
    plan = assign_spectrum(sections, demands)
    assert plan.blocked == {}
    centre = plan.assignments["dc1-dc3/1"].centre_mhz

    document = render_components(
        [OpticalChannelConfig("OCH-1/1/1", centre, long_mode.tx_power_typical_dbm, long_mode.operational_mode_id)]
    )
    config = document["openconfig-platform:components"]["component"][0]["openconfig-terminal-device:optical-channel"]
    assert config["config"]["frequency"] == str(centre)
    assert sros_frequency_mhz(centre) == centre
    assert float(eos_frequency_ghz(centre)) * 1000 == centre
    assert sros_target_power(long_mode.tx_power_typical_dbm) == "-10.00"
