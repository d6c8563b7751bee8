"""Reliability of input handling (issue #20, items 5-8): hostile or careless designs end in a located
message and exit code 2, within a bounded time and memory, never in a traceback or a hang.

Every case runs the real CLI in a subprocess whose address space is capped with RLIMIT_AS and whose run
time is capped with a timeout, so a regression (an alias bomb expanding, a FIFO blocking, an expansion
looping over a billion ports) fails the test instead of taking the test run down with it.
"""

from __future__ import annotations

import json
import math
import os
import resource
import subprocess
import sys
import time
import typing
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from pydantic import BaseModel, ValidationError

from netweave.load.yamlsource import LIMITS

MEMORY_LIMIT = 1536 * 1024 * 1024
"""Address-space cap of each CLI run: netweave validating the lab design maps about 400 MB."""

TIMEOUT_S = 60.0
"""Wall-clock cap of each CLI run; every refused case here finishes in a few seconds."""


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def run_cli(*args: str, cwd: Path, timeout: float = TIMEOUT_S) -> subprocess.CompletedProcess[str]:
    """Run `netweave ARGS` in a child with capped memory and time (a hang fails the test, not the run)."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("NETWEAVE_PASSWORD")}
    env["COLUMNS"] = "250"
    return subprocess.run(
        [sys.executable, "-m", "netweave", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        preexec_fn=_limit_memory,
        check=False,
    )


def assert_refused(proc: subprocess.CompletedProcess[str], located: str, words: str) -> None:
    """Exit 2, no traceback, and a message that starts with `located` (FILE:LINE) and says `words`."""
    output = proc.stdout + proc.stderr
    assert "Traceback" not in output, output[-3000:]
    assert proc.returncode == 2, output[-3000:]
    lines = [line for line in proc.stderr.splitlines() if line.startswith(located)]
    assert lines, f"no line starts with {located!r}:\n{proc.stderr[-3000:]}"
    assert any(words in line for line in lines), f"{words!r} not in {lines}"


@pytest.fixture
def lab(lab_data: dict[str, Any]) -> dict[str, Any]:
    return lab_data


# ---------------------------------------------------------------- item 5: bounded YAML input


def _alias_bomb() -> str:
    """About 500 bytes that expand to 9**9 (387 million) scalars when every alias is followed."""
    lines = ["name: lab", 'a0: &a0 ["x","x","x","x","x","x","x","x","x"]']
    for level in range(1, 9):
        prev = f"*a{level - 1}"
        lines.append(f"a{level}: &a{level} [{','.join([prev] * 9)}]")
    return "\n".join(lines) + "\n"


def _prod_span_with(setting: str) -> tuple[str, int]:
    """stacks/prod with `setting` added to its first optical span, and the line it is on."""
    text = (Path(__file__).resolve().parents[1] / "stacks/prod/design.yaml").read_text()
    span = "{length_km: 80, splices: 16, ageing_margin_db: 1.0}"
    assert span in text
    line = text[: text.index(span)].count("\n") + 1
    return text.replace(span, span[:-1] + ", " + setting + "}", 1), line


YAML_CASES: dict[str, tuple[str, int, str]] = {
    # name: (text, line of the message, words in it)
    "alias-bomb": (_alias_bomb(), 7, "expands to more than"),
    "self-alias": ("name: lab\nsites: &a [*a]\n", 2, "endless loop"),
    "merge-key": ("name: lab\nbase: &b {name: dc1}\nsites:\n  - <<: *b\n    fabrics: []\n", 4, "merge keys"),
    "huge-int": ("name: lab\nsites:\n  - name: dc1\n    x: " + "9" * 5000 + "\n", 4, "more than 20 digits"),
    "deep-nesting": ("name: lab\nsites:\n" + "".join("  " * i + "  -\n" for i in range(60)), 34, "nesting deeper"),
    # the case: a NaN dispersion made a failing optical path pass (margin inf, verdict pass)
    "nan": (*_prod_span_with("dispersion_ps_nm_km: .nan"), "not a finite number"),
    "inf": (*_prod_span_with("dispersion_ps_nm_km: -.inf"), "not a finite number"),
    "overflowing-float": (*_prod_span_with("connector_db: 1.0e+999"), "not a finite number"),
    "many-aliases": (
        "name: lab\nx: &x 1\nsites: [" + ", ".join(["*x"] * (LIMITS.max_aliases + 1)) + "]\n",
        3,
        "aliases",
    ),
}


@pytest.mark.parametrize("case", sorted(YAML_CASES))
def test_hostile_yaml_is_refused_with_a_located_message(case: str, tmp_path: Path) -> None:
    text, line, words = YAML_CASES[case]
    (tmp_path / "design.yaml").write_text(text)
    assert_refused(run_cli("validate", "design.yaml", cwd=tmp_path), f"design.yaml:{line}:", words)


def test_fifo_is_refused_without_blocking(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "design.yaml")
    assert_refused(run_cli("validate", "design.yaml", cwd=tmp_path, timeout=20), "design.yaml:", "FIFO")


def test_endless_device_is_refused_before_reading(tmp_path: Path) -> None:
    assert_refused(run_cli("validate", "/dev/zero", cwd=tmp_path, timeout=20), "/dev/zero:", "not a regular file")


def test_oversized_file_is_refused_before_reading(tmp_path: Path) -> None:
    """A sparse file of 4 GiB: reading it whole (what the old code did) hits the memory cap."""
    with (tmp_path / "design.yaml").open("wb") as handle:
        handle.truncate(4 * 1024**3)
    assert_refused(run_cli("validate", "design.yaml", cwd=tmp_path), "design.yaml:", "bytes are refused")


def _flow_list(count: int) -> str:
    fabrics = ", ".join(f"{{name: f{i}, module: leaf-spine}}" for i in range(count))
    return f"name: lab\nsites:\n  - name: dc1\n    fabrics: [{fabrics}]\n"


def test_two_megabyte_flow_list_is_refused_fast(tmp_path: Path) -> None:
    (tmp_path / "design.yaml").write_text(_flow_list(60_000))
    assert (tmp_path / "design.yaml").stat().st_size > 2_000_000
    started = time.monotonic()
    assert_refused(run_cli("validate", "design.yaml", cwd=tmp_path), "design.yaml:", "bytes are refused")
    assert time.monotonic() - started < 15


def test_flow_list_under_the_size_limit_reports_a_bounded_number_of_problems(tmp_path: Path) -> None:
    """Just under the byte limit: every fabric is wrong, yet the run reports at most `max_problems`
    problems and stays fast (it judged and printed all 180,000 before: 30 s)."""
    text = _flow_list(28_000)
    assert len(text) < LIMITS.max_bytes
    (tmp_path / "design.yaml").write_text(text)
    started = time.monotonic()
    proc = run_cli("validate", "design.yaml", cwd=tmp_path)
    assert_refused(proc, "design.yaml:4:", "missing required key")
    assert time.monotonic() - started < 20
    assert len([line for line in proc.stderr.splitlines() if line.startswith("design.yaml:")]) <= LIMITS.max_problems


def test_the_bundled_designs_are_far_inside_the_limits() -> None:
    """The limits leave room: the shipped designs use a small fraction of every bound."""
    from netweave.load.yamlsource import load_yaml

    repo = Path(__file__).resolve().parents[1]
    for path in [repo / "stacks/lab/design.yaml", repo / "stacks/prod/design.yaml"]:
        assert path.stat().st_size < LIMITS.max_bytes // 50
        assert len(load_yaml(path).lines) < LIMITS.max_nodes // 50


# ---------------------------------------------------------------- items 6 and 7: absurd counts and numbers

REPO = Path(__file__).resolve().parents[1]


def _prod() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load((REPO / "stacks/prod/design.yaml").read_text())
    return data


def _lab() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load((REPO / "stacks/lab/design.yaml").read_text())
    return data


def _custom_mode(**changes: Any) -> dict[str, Any]:
    mode: dict[str, Any] = {
        "name": "x-mode",
        "bit_rate_gbps": 400,
        "baud_rate_gbd": 60,
        "modulation": "DP-16QAM",
        "fec": "oFEC",
        "channel_width_ghz": 75,
        "required_osnr_db": 24,
        "cd_tolerance_ps_nm": 20000,
        "tx_power_min_dbm": -10,
        "tx_power_max_dbm": 1,
        "tx_power_typical_dbm": 0,
        "rx_power_min_dbm": -20,
        "rx_power_max_dbm": 0,
        "max_reach_km": 1000,
        "operational_mode_id": 4000,
        "source": "test",
    }
    return mode | changes


def _server_ports(d: dict[str, Any]) -> None:
    d["sites"][0]["fabrics"][0]["leaves"]["server_ports"] = 1_000_000_000


def _pods_x_leaves(d: dict[str, Any]) -> None:
    fabric = d["sites"][0]["fabrics"][0]
    fabric.update(pods=1024, super_spines={"count": 4, "platform": "nokia-7220-ixr-d3l"})
    fabric["leaves"]["count"] = 4096


def _ten_million_gpus(d: dict[str, Any]) -> None:
    d["platforms"] = {
        "huge": {"vendor": "x", "model": "x", "nos": ["frr"], "ports": [{"count": 1024, "speed": 400}]},
    }
    d["sites"][0]["fabrics"] = [
        {
            "name": "gpu",
            "module": "ai-backend",
            "gpus": 10_000_000,
            "leaves": {"platform": "huge"},
            "addressing": {
                "loopbacks": "10.0.0.0/16",
                "p2p": "10.1.0.0/16",
                "management": {"prefix": "172.20.0.0/16"},
                "gpu": "10.128.0.0/9",
            },
        }
    ]


def _huge_platform(d: dict[str, Any]) -> None:
    d["platforms"] = {
        "huge": {"vendor": "x", "model": "x", "nos": ["frr"], "ports": [{"count": 1024, "speed": 400}] * 64},
    }


def _tiny_bit_rate(d: dict[str, Any]) -> None:
    d["optical"]["modes"] = [_custom_mode(bit_rate_gbps=1e-9)]
    d["optical"]["demands"][0]["modes"] = ["x-mode"]


def _channel_count(d: dict[str, Any]) -> None:
    d["optical"]["line_systems"][0]["wdm_load"] = {"channel_count": 10_000_000}


def _empty_mode_list(d: dict[str, Any]) -> None:
    d["optical"]["demands"][0]["modes"] = []


def _tiny_spacing(d: dict[str, Any]) -> None:  # was a ZeroDivisionError
    d["optical"]["line_systems"][0]["wdm_load"] = {"spacing_ghz": 1e-9}


def _huge_tx_power(d: dict[str, Any]) -> None:  # was a math domain error
    d["optical"]["demands"][0]["tx_power_dbm"] = 1e308


def _huge_loss(d: dict[str, Any]) -> None:  # was an OverflowError
    d["optical"]["line_systems"][0]["spans"][0]["loss_db_per_km"] = 1e300


def _huge_dispersion(d: dict[str, Any]) -> None:  # was a pass with absurd numbers
    d["optical"]["line_systems"][0]["spans"][0]["dispersion_ps_nm_km"] = 1e308


def _tiny_step(d: dict[str, Any]) -> None:  # was a ValueError traceback from the spectrum planner
    d["optical"]["centre_step_ghz"] = 1e-12


COUNT_CASES: dict[str, tuple[Callable[[], dict[str, Any]], Callable[[dict[str, Any]], None], str]] = {
    # name: (base design, change, words in the located message)
    "server-ports": (_lab, _server_ports, "leaves.server_ports: 1000000000 is out of range"),
    "pods-x-leaves": (_lab, _pods_x_leaves, "switches; one fabric is limited to"),
    "ten-million-gpus": (_lab, _ten_million_gpus, "gpus: 10000000 is out of range"),
    "huge-platform": (_lab, _huge_platform, "front-panel ports; at most"),
    "tiny-bit-rate": (_prod, _tiny_bit_rate, "bit_rate_gbps: 1e-09 is out of range"),
    "channel-count": (_prod, _channel_count, "channel_count: 10000000 is out of range"),
    "empty-mode-list": (_prod, _empty_mode_list, "modes: [] should be non-empty"),
    "tiny-spacing": (_prod, _tiny_spacing, "spacing_ghz: 1e-09 is out of range"),
    "huge-tx-power": (_prod, _huge_tx_power, "tx_power_dbm: 1e+308 is out of range"),
    "huge-loss": (_prod, _huge_loss, "loss_db_per_km: 1e+300 is out of range"),
    "huge-dispersion": (_prod, _huge_dispersion, "dispersion_ps_nm_km: 1e+308 is out of range"),
    "tiny-step": (_prod, _tiny_step, "centre_step_ghz: 1e-12 is out of range"),
}


@pytest.mark.parametrize("case", sorted(COUNT_CASES))
def test_absurd_counts_and_numbers_are_refused_before_expansion(case: str, tmp_path: Path) -> None:
    base, change, words = COUNT_CASES[case]
    data = base()
    change(data)
    (tmp_path / "design.yaml").write_text(yaml.safe_dump(data, sort_keys=False))
    started = time.monotonic()
    assert_refused(run_cli("validate", "design.yaml", cwd=tmp_path), "design.yaml:", words)
    assert time.monotonic() - started < 30


def _reachable_models(model: type[BaseModel], seen: set[type[BaseModel]]) -> set[type[BaseModel]]:
    if model in seen:
        return seen
    seen.add(model)
    for field in model.model_fields.values():
        stack: list[Any] = [field.annotation]
        while stack:
            tp = stack.pop()
            if isinstance(tp, type) and issubclass(tp, BaseModel):
                _reachable_models(tp, seen)
            stack.extend(typing.get_args(tp))
    return seen


def test_every_model_of_the_design_refuses_nan_and_infinity() -> None:
    """Checked over every model the design schema reaches, so a new model cannot forget it: a NaN
    `dispersion_ps_nm_km` made a failing optical path pass (margin inf, verdict pass)."""
    from netweave.expand.registry import design_model

    models = _reachable_models(design_model(), set())
    assert len(models) > 20
    lax = sorted(m.__name__ for m in models if m.model_config.get("allow_inf_nan", True))
    assert lax == []


def test_nan_through_the_python_api_is_refused() -> None:
    from netweave.optical.fiber import FiberSpan

    for value in (math.nan, math.inf, -math.inf):
        with pytest.raises(ValidationError, match="finite number"):
            FiberSpan(length_km=80, dispersion_ps_nm_km=value)


def test_optical_arithmetic_errors_become_a_located_message(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Whatever the bounds miss: an arithmetic error inside the optical planner is reported against
    `optical:` in the file (exit 2 in the CLI), never as a traceback."""
    import netweave.dci
    from netweave.errors import DesignError
    from netweave.expand.expander import expand
    from netweave.load import load

    (tmp_path / "design.yaml").write_text((REPO / "stacks/prod/design.yaml").read_text())
    design = load(tmp_path / "design.yaml")
    for error in (
        ZeroDivisionError("float division by zero"),
        OverflowError("math range error"),
        ValueError("math domain error"),
    ):

        def broken(*_: Any, error: Exception = error) -> Any:
            raise error

        monkeypatch.setattr(netweave.dci, "expand_optical", broken)
        with pytest.raises(DesignError) as caught:
            expand(design)
        (problem,) = caught.value.problems
        assert problem.path == "optical" and problem.line is not None and str(error) in problem.message


# ---------------------------------------------------------------- item 8: design text cannot inject

NOS_DESIGNS = {
    nos: REPO / f"tests/golden/designs/ai-{nos}.yaml" for nos in ("eos", "frr", "nvue", "sonic", "srlinux", "sros")
}
BASE_MODEL = "BASE-MODEL"

INJECTIONS = {
    "eos": "7060X6\nusername evil privilege 15 secret 0 evil",
    "frr": "frr\nrouter bgp 666\n neighbor 6.6.6.6 remote-as 666",
    "nvue": "SN5600\n- set:\n    system:\n      hostname: evil",
    "sonic": 'x\n"DEVICE_METADATA": {"localhost": {"hostname": "evil"}}',
    "srlinux": 'x\u202e\u2066"evil"',
    "sros": "7750\n/configure system name evil",
}
"""Per NOS, a platform `model` that adds config when rendered raw (the issue's EOS case among them)."""

HOSTILE_VALID = [
    'Evil "model" \\ # ! ; {x} [y] <b>&amp; $(id) `id` \' end',
    "key: value # not a comment",
    "- item *alias &anchor %TAG --- ...",
    '"}, "evil": {"a": "b',
    "exit all\t".strip() + " / configure { }",
]
"""Model strings that pass validation but are special in some output format (quotes, YAML and JSON
structure, MD-CLI braces, shell and markdown punctuation)."""


def _platform_override(nos: str, model: str) -> tuple[dict[str, Any], str]:
    """The NOS's golden design as data, its leaf platform re-declared in `platforms:` with `model`."""
    from netweave.catalog import builtin_platforms

    data: dict[str, Any] = yaml.safe_load(NOS_DESIGNS[nos].read_text())
    name = data["sites"][0]["fabrics"][0]["leaves"]["platform"]
    entry = builtin_platforms()[name].model_dump(mode="json", exclude_defaults=True)
    entry["model"] = model
    data["platforms"] = {name: entry}
    return data, name


@pytest.mark.parametrize("nos", sorted(INJECTIONS))
def test_a_model_string_with_newlines_is_refused_for_every_nos(nos: str, tmp_path: Path) -> None:
    data, name = _platform_override(nos, INJECTIONS[nos])
    (tmp_path / "design.yaml").write_text(yaml.safe_dump(data, sort_keys=False))
    proc = run_cli("build", "design.yaml", "-o", "out", cwd=tmp_path)
    assert_refused(proc, "design.yaml:", f"platforms.{name}.model: text contains U+")
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").rglob("*.cfg"))


def _parsed(file_name: str, text: str, hostile: str) -> Any:
    """The structure a device would read from `text`, with the hostile string put back to BASE_MODEL
    (so equal structures mean: only the intended field changed)."""
    from jinja2.utils import htmlsafe_json_dumps

    from netweave.text import one_line

    if file_name.endswith(".json"):
        return _replace(json.loads(text), hostile)
    if file_name.endswith(".yaml"):
        return _replace(list(yaml.safe_load_all(text)), hostile)
    # line-based configs (EOS, FRR, SR OS MD-CLI): the text itself, line by line, with the hostile string
    # in either form a template writes it (one_line in comments and EOS/FRR descriptions, a JSON string
    # in MD-CLI's quoted descriptions)
    quoted = str(htmlsafe_json_dumps(hostile))[1:-1]
    return text.replace(quoted, BASE_MODEL).replace(one_line(hostile), BASE_MODEL).split("\n")


def _replace(value: Any, hostile: str) -> Any:
    if isinstance(value, str):
        return value.replace(hostile, BASE_MODEL)
    if isinstance(value, list):
        return [_replace(item, hostile) for item in value]
    if isinstance(value, dict):
        return {_replace(key, hostile): _replace(item, hostile) for key, item in value.items()}
    return value


def _render_with(nos: str, text: str, *, validated: bool) -> dict[str, str]:
    """Every config file of the NOS's golden design with `text` in it: as the leaf platform's `model`
    through the whole pipeline (`validated`), or set on the expanded Network as every device's model
    and every interface's description (text arriving by another door than a design file)."""
    import netweave
    from netweave.render import render

    data, _ = _platform_override(nos, text if validated else BASE_MODEL)
    network = netweave.expand(netweave.loads(yaml.safe_dump(data, sort_keys=False)))
    if not validated:
        for device in network.devices:
            device.model = text
            for iface in device.interfaces:
                iface.description = text
    return {file: body for config in render(network) for file, body in config.files.items()}


def _assert_same_structure(base: dict[str, str], hostile: dict[str, str], text: str) -> None:
    assert hostile.keys() == base.keys()
    for file_name, body in hostile.items():
        assert _parsed(file_name, body, text) == _parsed(file_name, base[file_name], BASE_MODEL), (
            f"{file_name}: {text!r} changed the config's structure"
        )


@pytest.mark.parametrize("nos", sorted(NOS_DESIGNS))
def test_hostile_strings_change_only_their_own_field_for_every_nos(nos: str) -> None:
    """Valid but format-special model strings through the pipeline, and strings with newlines, ANSI and
    bidi controls put straight into the Network: parsing each output gives the same structure as a
    plain string, i.e. only the field that holds the string changed."""
    base = _render_with(nos, BASE_MODEL, validated=True)
    for text in HOSTILE_VALID:
        _assert_same_structure(base, _render_with(nos, text, validated=True), text)
    base = _render_with(nos, BASE_MODEL, validated=False)
    assert any(BASE_MODEL in body for body in base.values()), "descriptions must reach every NOS's config"
    for text in INJECTIONS.values():
        _assert_same_structure(base, _render_with(nos, text, validated=False), text)


def test_terminal_output_escapes_control_characters() -> None:
    """Rich writes ESC and bidi controls as they are; the CLI's consoles must not."""
    import io

    from rich.table import Table

    from netweave.cli.app import SafeConsole

    out = io.StringIO()
    console = SafeConsole(file=out, force_terminal=True, width=200, highlight=False)
    console.print("key 'a\x1b[2Jb' and \u202eevil", markup=False)
    table = Table()
    table.add_column("name")
    table.add_row("x\x1b]0;title\x07y")
    console.print(table)
    text = out.getvalue()
    assert "\u202e" not in text and "\x07" not in text
    assert "[2J" in text and "\x1b[2J" not in text and "\x1b]0;" not in text
    assert "\\x1b[2J" in text and "\\u202e" in text


def test_an_escape_sequence_in_a_key_never_reaches_the_terminal(tmp_path: Path) -> None:
    (tmp_path / "design.yaml").write_text('name: lab\n"evil\\e[2J\\e]0;pwned\\a": 1\nsites: []\n')
    proc = run_cli("validate", "design.yaml", cwd=tmp_path)
    assert_refused(proc, "design.yaml:2:", "U+001B")
    assert "\x1b" not in proc.stderr and "\x07" not in proc.stderr


def test_markdown_keeps_design_text_on_one_line_and_escapes_html() -> None:
    from netweave.diff.configs import DeviceDiff
    from netweave.diff.markdown import device_block

    block = device_block(
        DeviceDiff(
            name="leaf1\n</details><img src=x onerror=alert(1)>",
            status="changed",
            base_nos="frr",
            head_nos="frr",
            basis="data",
            note="expanded data\n# Approved \x1b[2J <script>alert(1)</script> \u202e",
        )
    )
    assert "<script>" not in block and "<img" not in block and "</details><img" not in block
    assert "\x1b" not in block and "\u202e" not in block
    assert "\n# Approved" not in block


def test_many_fabrics_sharing_pools_are_refused_before_lint_compares_them(tmp_path: Path) -> None:
    """Lint compares pools pairwise: 400 fabrics with one pool gave 240,000 findings in 73 s."""
    from netweave.intent.design import MAX_FABRICS

    fabric = (
        "{name: f%d-%d, module: leaf-spine, spines: {count: 2, platform: linux-frr}, leaves: {count: 2, "
        "platform: linux-frr}, addressing: {loopbacks: 10.0.0.0/24, p2p: 10.1.0.0/22, "
        "management: {prefix: 172.20.0.0/24}}}"
    )
    sites = [f"  - name: s{s}\n    fabrics: [" + ", ".join(fabric % (s, i) for i in range(64)) + "]" for s in range(7)]
    assert MAX_FABRICS < 7 * 64
    (tmp_path / "design.yaml").write_text("name: lab\nsites:\n" + "\n".join(sites) + "\n")
    started = time.monotonic()
    assert_refused(run_cli("validate", "design.yaml", cwd=tmp_path), "design.yaml:1:", "fabrics; one design is limited")
    assert time.monotonic() - started < 30
