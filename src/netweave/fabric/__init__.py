"""The public kit for fabric modules: everything a module needs to build devices, cables, sessions and pools."""
