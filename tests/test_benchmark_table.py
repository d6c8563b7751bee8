"""The README's benchmark table is the one `python -m benchmarks.report --readme` makes from
benchmarks/results.json: a figure edited by hand, or results not carried into the README, fail here."""

from __future__ import annotations

import json

from benchmarks.report import README, RESULTS, block, readme_block, table


def test_readme_table_is_generated_from_the_results_file() -> None:
    results = json.loads(RESULTS.read_text(encoding="utf-8"))
    assert readme_block(README.read_text(encoding="utf-8")) == block(results), (
        "README.md's benchmark table differs from benchmarks/results.json: run `python -m benchmarks.report --readme`"
    )


def test_every_target_case_has_a_floor_ratio() -> None:
    results = json.loads(RESULTS.read_text(encoding="utf-8"))
    timed = [case for case in results["cases"] if "figure_s" in case]
    assert timed, "no timed case in benchmarks/results.json"
    for case in timed:
        ratio = case["figure_s"] / case["floor_s"]  # both rounded in the file: agree to 1%
        assert case["floor_s"] > 0 and abs(case["x_floor"] - ratio) <= 0.01 * ratio + 0.05, case["case"]
        assert f"{case['x_floor']:.1f}" in table(results)


def test_a_hand_edited_figure_is_caught() -> None:
    results = json.loads(RESULTS.read_text(encoding="utf-8"))
    results["cases"][0]["figure_s"] = results["cases"][0]["figure_s"] / 10
    assert readme_block(README.read_text(encoding="utf-8")) != block(results)
