"""Every invalid design under tests/errors/ exits 2 and prints exactly its `<case>.log` (see tests/errors)."""

from __future__ import annotations

import pytest

from tests.errors import CASES, HERE, run, update

STAGES = ("yaml", "schema", "model", "cross", "expand", "lint")
"""Case name prefixes: where in the pipeline the design is rejected."""


@pytest.mark.parametrize("case", CASES)
def test_error_golden(case: str, request: pytest.FixtureRequest) -> None:
    if request.config.getoption("--update-golden"):
        update(case)
    outcome = run(case)
    assert outcome.crashed is None, f"{case}: {outcome.crashed!r}"
    assert outcome.exit_code == 2, outcome.output
    log = HERE / f"{case}.log"
    assert log.is_file(), f"no {log.name}; run python -m tests.errors --update"
    assert outcome.output == log.read_text(), f"{case}: messages changed (python -m tests.errors --update, review)"


def test_cases_cover_every_stage_and_name_no_machine_path() -> None:
    assert len(CASES) >= 15
    assert {case.split("-", 1)[0] for case in CASES} == set(STAGES)
    assert sorted(p.stem for p in HERE.glob("*.log")) == CASES
    for log in HERE.glob("*.log"):
        for line in log.read_text().splitlines():
            assert not line.startswith("/") and f"{HERE}" not in line, f"{log.name}: {line}"
