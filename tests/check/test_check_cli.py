"""`netweave check BUILD_DIR` and `netweave build --check`: located problems, exit codes 0/2/1, JSON output."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.check.conftest import BUNDLED


def test_check_help_has_an_example(cli: Callable[..., Any]) -> None:
    result = cli("check", "--help")
    assert result.exit_code == 0
    assert "Example: netweave build" in result.stdout and "--models" in result.stdout


@pytest.mark.real
def test_clean_build_exits_0(cli: Callable[..., Any], models: Path, build_dir: Callable[..., Path]) -> None:
    directory = build_dir(BUNDLED["ai-sonic"])
    result = cli("check", directory, "--models", models)
    assert result.exit_code == 0, result.stderr
    assert "checked 10 files" in result.stdout and "all valid" in result.stdout  # config_db + frr.conf each


@pytest.mark.real
def test_problem_is_printed_located_and_exits_2(
    cli: Callable[..., Any], models: Path, build_dir: Callable[..., Path]
) -> None:
    directory = build_dir(BUNDLED["ai-sros"])
    path = directory / "configs" / "spine1.sros.cfg"
    text = path.read_text()
    path.write_text(text.replace("admin-state enable", "admin-state on", 1))
    line = next(n for n, ln in enumerate(path.read_text().splitlines(), 1) if "admin-state on" in ln)
    result = cli("check", directory, "--models", models)
    assert result.exit_code == 2
    assert f'{path}:{line}: Invalid enumeration value "on".' in result.stderr
    as_json = cli("check", directory, "--models", models, "--format", "json")
    assert as_json.exit_code == 2
    data = json.loads(as_json.stdout)
    assert data["valid"] is False
    assert data["problems"][0]["line"] == line and data["problems"][0]["file"] == str(path)


def test_missing_models_exit_1_and_name_the_option(
    cli: Callable[..., Any], build_dir: Callable[..., Path], tmp_path: Path
) -> None:
    directory = build_dir(BUNDLED["ai-sonic"])
    result = cli("check", directory, "--models", tmp_path / "nowhere")
    assert result.exit_code == 1
    assert "--models DIR" in result.stderr and "Traceback" not in result.stderr


def test_directory_without_configs_exits_2(cli: Callable[..., Any], tmp_path: Path) -> None:
    result = cli("check", tmp_path)
    assert result.exit_code == 2
    assert "configs does not exist" in result.stderr and "netweave build" in result.stderr


@pytest.mark.real
def test_build_check_judges_what_it_wrote(cli: Callable[..., Any], models: Path, tmp_path: Path) -> None:
    clean = cli("build", BUNDLED["ai-sonic"], "-o", tmp_path / "a", "--check", "--models", models)
    assert clean.exit_code == 0, clean.stderr
    assert "built 5 device configs" in clean.stdout and "all valid" in clean.stdout
    as_json = cli("build", BUNDLED["ai-sros"], "-o", tmp_path / "s", "--check", "--models", models, "-f", "json")
    assert as_json.exit_code == 0, as_json.stderr
    data = json.loads(as_json.stdout)
    assert data["devices"] == 5 and data["check"] == {"valid": True, "checked": 5, "unchecked": [], "problems": []}
    assert (tmp_path / "s" / "configs" / "spine1.sros.cfg").is_file()  # build's own behaviour is kept


@pytest.mark.real
def test_build_check_exits_2_on_a_problem(
    cli: Callable[..., Any], models: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A renderer that writes an invalid value: build writes the files, then --check reports them (exit 2)."""
    from netweave.output import build as build_module

    original = build_module.render_each

    def broken(network: Any, handle: Callable[[Any], Any], *args: Any, **kwargs: Any) -> Any:
        def corrupt(config: Any) -> Any:  # before the build writes the config into its stage
            config.files = {n: t.replace("mtu 9216", "mtu 70000") for n, t in config.files.items()}
            return handle(config)

        return original(network, corrupt, *args, **kwargs)

    monkeypatch.setattr(build_module, "render_each", broken)
    result = cli("build", BUNDLED["ai-sros"], "-o", tmp_path / "s", "--check", "--models", models)
    assert result.exit_code == 2
    assert "out of the allowed range" in result.stderr and ".sros.cfg:" in result.stderr


def test_build_without_check_does_not_judge(cli: Callable[..., Any], tmp_path: Path) -> None:
    result = cli("build", BUNDLED["prod"], "-o", tmp_path / "p", "--models", tmp_path / "nowhere")
    assert result.exit_code == 0
    assert "checked" not in result.stdout
