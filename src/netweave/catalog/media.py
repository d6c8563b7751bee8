"""Which cable or optic a link of a given speed and planned length needs: what a field technician orders.

The reach classes are IEEE 802.3's physical layers per speed, shortest first, with the length each is
specified for (copper twinax, multimode on OM4, single-mode): netweave picks the shortest class whose reach
covers the planned cable length (`cable_m`), since the shorter class is the cheaper part. A link without a
planned length gets no pick (the table says so instead of guessing), and a DCI port names its coherent mode.
Sources, per speed (IEEE Std 802.3-2022 and amendments): 25G CR/SR/LR clauses 110/112/114; 40G CR4/SR4/LR4
85/86/87; 50G CR/SR/FR/LR 136/138/139; 100G CR4/SR4/DR/FR1/LR4 92/95/140/140/88; 200G CR4/SR4/DR4/FR4/LR4
136/138/121/122/122; 400G CR4/SR8/DR4/FR4/LR8 162 (802.3ck)/138/124/151/122; 800G CR8/SR8/DR8/FR4
162 (802.3df)/167 (802.3df, OM4)/124/183 (802.3dj).
"""

from __future__ import annotations

REACH_CLASSES: dict[int, tuple[tuple[float, str], ...]] = {
    10: ((7.0, "10G DAC (SFP+ twinax)"), (400.0, "10GBASE-SR (OM4)"), (10_000.0, "10GBASE-LR")),
    25: ((5.0, "25GBASE-CR (DAC)"), (100.0, "25GBASE-SR (OM4)"), (10_000.0, "25GBASE-LR")),
    40: ((7.0, "40GBASE-CR4 (DAC)"), (150.0, "40GBASE-SR4 (OM4)"), (10_000.0, "40GBASE-LR4")),
    50: ((3.0, "50GBASE-CR (DAC)"), (100.0, "50GBASE-SR (OM4)"), (2_000.0, "50GBASE-FR"), (10_000.0, "50GBASE-LR")),
    100: (
        (5.0, "100GBASE-CR4 (DAC)"),
        (100.0, "100GBASE-SR4 (OM4)"),
        (500.0, "100GBASE-DR"),
        (2_000.0, "100GBASE-FR1"),
        (10_000.0, "100GBASE-LR4"),
    ),
    200: (
        (3.0, "200GBASE-CR4 (DAC)"),
        (100.0, "200GBASE-SR4 (OM4)"),
        (500.0, "200GBASE-DR4"),
        (2_000.0, "200GBASE-FR4"),
        (10_000.0, "200GBASE-LR4"),
    ),
    400: (
        (2.0, "400GBASE-CR4 (DAC)"),
        (100.0, "400GBASE-SR8 (OM4)"),
        (500.0, "400GBASE-DR4"),
        (2_000.0, "400GBASE-FR4"),
        (10_000.0, "400GBASE-LR8"),
    ),
    800: (
        (2.0, "800GBASE-CR8 (DAC)"),
        (50.0, "800GBASE-SR8 (OM4)"),
        (500.0, "800GBASE-DR8"),
        (2_000.0, "800GBASE-FR4"),
    ),
}
"""Speed (Gb/s) -> (reach in metres, physical layer) from shortest to longest reach."""


def media_for(speed_gbps: int, cable_m: float | None, coherent_mode: str | None = None) -> str:
    """The cable or optic to order for one link: its coherent mode on a DCI port, else the shortest IEEE
    reach class covering `cable_m`; a message instead of a guess when the length or speed is unknown."""
    if coherent_mode:
        return coherent_mode
    classes = REACH_CLASSES.get(speed_gbps)
    if classes is None:
        return f"no IEEE reach table for {speed_gbps}G"
    if cable_m is None:
        return "unknown length (set cable_m)"
    for reach, name in classes:
        if cable_m <= reach:
            return name
    return f"longer than {classes[-1][1]} reaches ({classes[-1][0]:g} m)"
