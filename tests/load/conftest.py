"""Fixtures of the load tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from netweave.load import loader


@pytest.fixture
def fresh_validators() -> Iterator[None]:
    """The validators (jsonschema's and the generated one) are chosen once per process: choose them again around a
    test that changes what they read."""
    loader._validator.cache_clear()
    loader.generated_check.cache_clear()
    yield
    loader._validator.cache_clear()
    loader.generated_check.cache_clear()
