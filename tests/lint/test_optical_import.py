"""The optical lint rules judge `Network.optical`; a design without DCI carriers must not pay for importing the
spectrum models (~6 ms of every `netweave validate`/`build` of a leaf-spine fabric, issue #19)."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import LAB_DESIGN, REPO


def test_validating_a_design_without_optics_does_not_import_the_spectrum_models() -> None:
    code = (
        "import sys\n"
        "from netweave.pipeline import validate\n"
        f"result = validate({str(LAB_DESIGN)!r})\n"
        "assert not result.network.optical, 'the lab design has no DCI carriers'\n"
        "print(sorted(m for m in ('netweave.optical.spectrum', 'netweave.dci.intent') if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=REPO)
    assert out.stdout.strip() == "[]"
