"""`netweave docs`: a static documentation site of a network (topology diagrams, plans, optical charts).

One concept per module: `gather` (what the pages show, from the Network and lint findings), `topology`
(graphviz diagrams in collapsed tiers), `charts` (matplotlib spectrum and OSNR margin charts), `pages`
(Jinja templates in `templates/`), `site` (the writer). Only the Network is read, never the YAML.
"""

from __future__ import annotations

from netweave.docs.errors import GraphvizMissing, MatplotlibMissing, MissingComponent
from netweave.docs.site import Progress, SiteResult, write_site

__all__ = ["GraphvizMissing", "MatplotlibMissing", "MissingComponent", "Progress", "SiteResult", "write_site"]
