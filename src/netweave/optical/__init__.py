"""Optical core: fibre/amplifier/ROADM models, QoT, mode choice, spectrum assignment, OpenConfig rendering.

Standalone on purpose: it knows nothing of the design or network models, which call into it. Nothing
here imports gnpy; gnpy is only an optional cross-check in the tests.

Public API (the thin, typed entry points; everything else is an implementation detail):

- models: ``FiberSpan``, ``Amplifier``, ``Roadm``, ``LineSystem``, ``OpticalPath``, ``WdmLoad``,
  ``FrequencyBand``, ``build_path(hops)``
- catalogue: ``CoherentMode``, ``ModeCatalogue``, ``default_catalogue()``, ``load_catalogue(*extra)``
- QoT: ``evaluate_qot(path, mode, ...) -> QotResult``
- mode choice: ``choose_mode(path, modes, ...) -> ModeChoice``, ``check_mode(path, mode, ...)``
- spectrum: ``Section``, ``SpectrumDemand``, ``Reservation``,
  ``assign_spectrum(sections, demands, previous, ...) -> SpectrumPlan``
- OpenConfig: ``OpticalChannelConfig``, ``TransceiverConfig``, ``render_components(...)``, ``render_json``
- units: ``netweave.optical.units`` (generic) and ``netweave.optical.vendor_units`` (per-NOS tokens)
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from netweave.lazy import lazy_exports

if TYPE_CHECKING:
    from netweave.optical.amplifier import Amplifier
    from netweave.optical.band import C_BAND, FrequencyBand
    from netweave.optical.fiber import FiberSpan
    from netweave.optical.line_system import LineSystem, OpticalPath, WdmLoad, build_path
    from netweave.optical.mode_choice import ModeChoice, ModeVerdict, check_mode, choose_mode
    from netweave.optical.modes import CoherentMode, ModeCatalogue, default_catalogue, load_catalogue
    from netweave.optical.openconfig import (
        OpticalChannelConfig,
        TransceiverConfig,
        render_components,
        render_json,
    )
    from netweave.optical.qot import ElementStep, QotResult, evaluate_qot
    from netweave.optical.roadm import Roadm
    from netweave.optical.spectrum import (
        Assignment,
        Reservation,
        Section,
        Slot,
        SpectrumDemand,
        SpectrumPlan,
        assign_spectrum,
    )

_WHERE: dict[str, str] = {
    "Amplifier": "netweave.optical.amplifier",
    "Assignment": "netweave.optical.spectrum",
    "C_BAND": "netweave.optical.band",
    "CoherentMode": "netweave.optical.modes",
    "ElementStep": "netweave.optical.qot",
    "FiberSpan": "netweave.optical.fiber",
    "FrequencyBand": "netweave.optical.band",
    "LineSystem": "netweave.optical.line_system",
    "ModeCatalogue": "netweave.optical.modes",
    "ModeChoice": "netweave.optical.mode_choice",
    "ModeVerdict": "netweave.optical.mode_choice",
    "OpticalChannelConfig": "netweave.optical.openconfig",
    "OpticalPath": "netweave.optical.line_system",
    "QotResult": "netweave.optical.qot",
    "Reservation": "netweave.optical.spectrum",
    "Roadm": "netweave.optical.roadm",
    "Section": "netweave.optical.spectrum",
    "Slot": "netweave.optical.spectrum",
    "SpectrumDemand": "netweave.optical.spectrum",
    "SpectrumPlan": "netweave.optical.spectrum",
    "TransceiverConfig": "netweave.optical.openconfig",
    "WdmLoad": "netweave.optical.line_system",
    "assign_spectrum": "netweave.optical.spectrum",
    "build_path": "netweave.optical.line_system",
    "check_mode": "netweave.optical.mode_choice",
    "choose_mode": "netweave.optical.mode_choice",
    "default_catalogue": "netweave.optical.modes",
    "evaluate_qot": "netweave.optical.qot",
    "load_catalogue": "netweave.optical.modes",
    "render_components": "netweave.optical.openconfig",
    "render_json": "netweave.optical.openconfig",
}
"""Public name -> the module that defines it, imported on first use (PEP 562): every NOS profile imports
`netweave.optical.vendor_units`, and this package's eager imports then loaded the whole optical core (~0.05 s)
into builds without a single optical link."""

__all__ = [
    "C_BAND",
    "Amplifier",
    "Assignment",
    "CoherentMode",
    "ElementStep",
    "FiberSpan",
    "FrequencyBand",
    "LineSystem",
    "ModeCatalogue",
    "ModeChoice",
    "ModeVerdict",
    "OpticalChannelConfig",
    "OpticalPath",
    "QotResult",
    "Reservation",
    "Roadm",
    "Section",
    "Slot",
    "SpectrumDemand",
    "SpectrumPlan",
    "TransceiverConfig",
    "WdmLoad",
    "assign_spectrum",
    "build_path",
    "check_mode",
    "choose_mode",
    "default_catalogue",
    "evaluate_qot",
    "load_catalogue",
    "render_components",
    "render_json",
]


__getattr__, __dir__ = lazy_exports(__name__, _WHERE, globals())
