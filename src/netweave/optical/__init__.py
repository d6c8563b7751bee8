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
