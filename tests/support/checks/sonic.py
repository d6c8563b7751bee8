"""SONiC config_db.json for the test suite: judged by SONiC's own YANG models through `netweave.check.sonic`.

The hand-written table/field/value rules that used to live here (written from the sonic-yang models) are gone:
the models themselves now judge every value, key, unknown field and leafref (`netweave check`). What the models
cannot express is kept, once, in `netweave.check.sonic.cross_table_rules` (lane overlap, PFC watchdog per PFC
port, VXLAN map names, L3VNI mapping, split routing mode). This module only adapts that validator to the
per-text `CheckProblem` interface the other test checkers share.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

from netweave.check import ValidatorUnavailable
from netweave.check.sonic import check_sonic
from tests.support.checks import CheckerUnavailable, CheckProblem
from tests.support.reference import find_shared_dir

__all__ = ["check_config_db", "check_config_dbs"]


def check_config_db(obj: Any, name: str = "config_db.json") -> list[CheckProblem]:
    """Judge a parsed config_db (or its JSON text) with sonic-yang-models; `where` is the line, else the path.

    Raises CheckerUnavailable when yanglint or the shared models are missing, like the other checkers.
    """
    return check_config_dbs([obj], [name])[0]


def check_config_dbs(objs: list[Any], names: list[str] | None = None) -> list[list[CheckProblem]]:
    """Judge many config_dbs in one yanglint run (the 146 sonic-yang modules load once); problems per object."""
    shared = find_shared_dir()
    if shared is None:
        raise CheckerUnavailable("shared reference data not found (../shared/reference or $NETWEAVE_SHARED)")
    labels = names or [f"config_db{i}.json" for i in range(len(objs))]
    with tempfile.TemporaryDirectory(prefix="netweave-test-sonic-") as tmp:
        paths = []
        for index, obj in enumerate(objs):
            path = Path(tmp) / f"{index}.config_db.json"
            path.write_text(obj if isinstance(obj, str) else json.dumps(obj, indent=4))
            paths.append(path)
        try:
            found = check_sonic(paths, shared / "reference" / "yang")
        except ValidatorUnavailable as exc:
            raise CheckerUnavailable(str(exc)) from exc
    return [
        [
            CheckProblem(label, str(p.line) if p.line is not None else p.path, p.message)
            for p in found
            if p.file == str(path)
        ]
        for label, path in zip(labels, paths, strict=True)
    ]
