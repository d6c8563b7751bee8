"""The three plugin groups a build loads come from one read of the installed distributions' metadata.

`importlib.metadata.entry_points(group=...)` reads every distribution on each call (~4 ms here, issue #19); three
groups were three reads in every `netweave build`/`validate`."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from netweave import plugins
from netweave.expand.registry import MODULES
from netweave.lint import RULE_MODULES
from netweave.nos import PROFILES


@pytest.fixture
def fresh_registries() -> Iterator[None]:
    for registry in (MODULES, PROFILES, RULE_MODULES):
        registry.clear()
    yield
    for registry in (MODULES, PROFILES, RULE_MODULES):
        registry.clear()


@pytest.mark.usefixtures("fresh_registries")
def test_loading_every_group_reads_the_distributions_once(monkeypatch: pytest.MonkeyPatch) -> None:
    reads: list[dict[str, Any]] = []
    real = plugins.entry_points

    def counted(**params: Any) -> Any:
        reads.append(params)
        return real(**params)

    monkeypatch.setattr(plugins, "entry_points", counted)
    modules, profiles, rules = MODULES.load(), PROFILES.load(), RULE_MODULES.load()
    assert len(reads) == 1
    assert {"leaf-spine", "ai-backend"} <= set(modules)
    assert {"eos", "srlinux", "nvue", "sonic", "sros", "frr"} <= set(profiles)
    assert "optical" in rules


@pytest.mark.usefixtures("fresh_registries")
def test_a_group_is_what_entry_points_of_that_group_says() -> None:
    for group in ("netweave.modules", "netweave.nos", "netweave.lint_rules"):
        expected = sorted((ep.name, ep.value) for ep in plugins.entry_points(group=group))
        assert sorted((ep.name, ep.value) for ep in plugins.installed_entry_points(group)) == expected
