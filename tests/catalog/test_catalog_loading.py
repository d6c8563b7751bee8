"""The shipped platform catalogue is parsed by libyaml when PyYAML has it (issue #19: the pure-Python parser
was ~10 ms of every run that expands a design), into exactly what `yaml.safe_load` gives."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import yaml

from netweave import catalog
from netweave.catalog.platform import Platform


@pytest.fixture
def fresh_catalogue() -> Iterator[None]:
    catalog.builtin_platforms.cache_clear()
    yield
    catalog.builtin_platforms.cache_clear()


def test_the_catalogue_is_what_safe_load_gives(fresh_catalogue: None) -> None:
    raw = yaml.safe_load(catalog._CATALOG_FILE.read_text(encoding="utf-8"))
    assert catalog.builtin_platforms() == {name: Platform.model_validate(entry) for name, entry in raw.items()}


@pytest.mark.skipif(not yaml.__with_libyaml__, reason="PyYAML built without libyaml")
def test_libyaml_parses_it(fresh_catalogue: None, monkeypatch: pytest.MonkeyPatch) -> None:
    class PurePython(yaml.SafeLoader):
        def __init__(self, *args: Any) -> None:
            raise AssertionError("the pure-Python parser was used although libyaml is available")

    monkeypatch.setattr(yaml, "SafeLoader", PurePython)
    assert catalog.builtin_platforms()
