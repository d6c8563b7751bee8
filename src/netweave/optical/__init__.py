"""Optical core: fibre/amplifier/ROADM models, QoT, mode choice, spectrum assignment, OpenConfig rendering.

Standalone on purpose: it knows nothing of the design or network models, which call into it. Nothing
here imports gnpy; gnpy is only an optional cross-check in the tests.
"""
