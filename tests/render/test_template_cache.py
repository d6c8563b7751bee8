"""Compiled templates are kept between runs (issue #19: every build compiled every template from source).

Each test points `$XDG_CACHE_HOME` at its own directory and builds fresh environments, as two runs would.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

import jinja2
import pytest
from tests.conftest import LAB_DESIGN, REPO

import netweave
from netweave.network.model import Network
from netweave.nos.base import builtin_templates
from netweave.render import render
from netweave.render.engine import SYNTAX, make_environment
from netweave.render.template_cache import cache_root, fingerprint

EOS = builtin_templates("eos")
PROD_DESIGN = REPO / "stacks" / "prod" / "design.yaml"


@pytest.fixture
def cache_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    return tmp_path / "cache"


def _no_compiling(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*_args: Any, **_kwargs: Any) -> None:
        raise AssertionError("compiled from source although the cache holds it")

    monkeypatch.setattr(jinja2.Environment, "compile", refuse)


def _cached_files(cache_home: Path) -> list[Path]:
    return sorted((cache_home / "netweave").glob("templates-*/*.jinja"))


def test_a_second_run_loads_compiled_templates(cache_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first = make_environment(EOS).get_template("eos.cfg.j2")
    assert _cached_files(cache_home)
    _no_compiling(monkeypatch)
    second = make_environment(EOS).get_template("eos.cfg.j2")
    assert second is not first


def test_renders_are_byte_identical_from_the_cache(cache_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every NOS of the lab and prod designs, compiled from source, then again from the cache."""
    from netweave.render import engine  # one environment per process: a new process is simulated by clearing it

    networks: list[Network] = [netweave.expand(netweave.load(path)) for path in (LAB_DESIGN, PROD_DESIGN)]
    engine._environment.cache_clear()
    compiled = [{c.device: c.files for c in render(network)} for network in networks]
    engine._environment.cache_clear()
    assert _cached_files(cache_home)
    _no_compiling(monkeypatch)
    try:
        cached = [{c.device: c.files for c in render(network)} for network in networks]
    finally:
        engine._environment.cache_clear()
    assert cached == compiled


def test_an_edited_template_is_compiled_again(cache_home: Path, tmp_path: Path) -> None:
    folder = tmp_path / "templates"
    folder.mkdir()
    (folder / "t.j2").write_text("a {{ x }}\n")
    assert make_environment((folder,)).get_template("t.j2").render(x=1) == "a 1\n"
    (folder / "t.j2").write_text("b {{ x }}\n")
    assert make_environment((folder,)).get_template("t.j2").render(x=1) == "b 1\n"


def test_other_syntax_options_never_share_compiled_code() -> None:
    assert fingerprint(SYNTAX) != fingerprint({**SYNTAX, "trim_blocks": False})
    assert fingerprint(SYNTAX) == fingerprint(dict(reversed(SYNTAX.items())))


def test_a_cache_directory_others_can_write_is_not_used(cache_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Cached files are code that runs: a directory someone else can write would let them run theirs."""
    root = cache_root()
    root.mkdir(parents=True)
    root.chmod(0o777)
    make_environment(EOS).get_template("eos.cfg.j2")
    assert _cached_files(cache_home) == []


def test_an_unwritable_cache_only_costs_the_compile(cache_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def full_disk(*_args: Any, **_kwargs: Any) -> Any:
        raise OSError(28, os.strerror(28))

    monkeypatch.setattr(tempfile, "NamedTemporaryFile", full_disk)
    template = make_environment(EOS).get_template("eos.cfg.j2")
    assert template is not None
    assert _cached_files(cache_home) == []


def test_a_cache_home_that_is_a_file_is_ignored(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "file").write_text("not a directory")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "file"))
    assert make_environment(EOS).get_template("eos.cfg.j2") is not None


def test_no_home_directory_means_no_cache(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_home() -> Path:
        raise RuntimeError("Could not determine home directory.")

    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    monkeypatch.setattr(Path, "home", staticmethod(no_home))
    env = make_environment(EOS)
    assert env.bytecode_cache is None
    assert env.get_template("eos.cfg.j2") is not None
