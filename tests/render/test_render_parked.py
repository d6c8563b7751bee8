"""`render_parked` writes the file the text path writes (render, `canonical_json`), byte for byte or error for
error, while parsing only the template's own text: the dicts and lists it passes through `tojson` are written
straight from Python at their placeholder's depth."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import jinja2
import pytest
from markupsafe import Markup
from tests.conftest import REPO

import netweave
from netweave.nos import find
from netweave.render import engine
from netweave.render.postprocess import canonical_json


def _environment(tmp_path: Path, templates: dict[str, str]) -> jinja2.Environment:
    for name, text in templates.items():
        (tmp_path / name).write_text(text)
    env = engine.make_environment((tmp_path,))
    env.filters["tojson"] = engine.tojson_parsed
    return env


def _both(env: jinja2.Environment, name: str, **context: Any) -> tuple[Any, Any]:
    """(parked result, text-path result); each is the file or the exception type and message raised."""

    def attempt(fn: Any) -> Any:
        try:
            return fn()
        except Exception as exc:
            return (type(exc), str(exc))

    template = env.get_template(name)
    return (
        attempt(lambda: engine.render_parked(template, dict(context))),
        attempt(lambda: canonical_json(template.render(dict(context)))),
    )


NESTED = {"a": [{"b": [1, 2, {"c": []}], "d": {}}, [], [[3.5, True, "x\u2028y<&>'\"\\"]]], "e": "caf\u00e9"}

VALUES: list[Any] = [
    NESTED,
    [NESTED, NESTED],
    [],
    {},
    [[[]]],
    # what orjson would write differently or refuses: the text path's file or error, whatever it is
    {"k": None},
    [math.nan],
    {"k": math.inf},
    [Markup("<b>")],
    [2**64],
    {1: "int key"},
    ["lone \ud800"],
    [(1, 2)],
]


@pytest.mark.parametrize("value", VALUES, ids=repr)
def test_a_parked_value_at_any_depth_gives_the_text_paths_file(tmp_path: Path, value: Any) -> None:
    env = _environment(
        tmp_path,
        {
            "t.json": '{"top": {{ v | tojson }}, "list": [{{ v | tojson }}, {"deep": {"deeper": [{{ v | tojson }}]}}],'
            ' "key": {{ "k" | tojson }}, "n": 1}',
        },
    )
    parked, text = _both(env, "t.json", v=value)
    assert parked == text


@pytest.mark.parametrize(
    "body",
    [
        "{ {{ v | tojson }}: 1}",  # a placeholder as a key: invalid JSON on the text path
        '{"k": "x{{ v | tojson }}"}',  # inside another string
        '{"k": "a\\{{ v | tojson }}}',  # an escaped quote before it
        '{"k": {{ v | tojson }}, "k": 2}',  # dropped by a duplicate key (the text path still writes it first)
        '{"k": {{ bad | tojson }}, "k": 2}',  # ... which matters when it is NaN: the text path fails
        '{"k": [{{ v | tojson }}{{ v | tojson }}]}',  # two placeholders run together
        '{"k": null, "v": {{ v | tojson }}}',
    ],
)
def test_a_placeholder_that_is_not_a_whole_value_takes_the_text_path(tmp_path: Path, body: str) -> None:
    env = _environment(tmp_path, {"t.json": body})
    parked, text = _both(env, "t.json", v=[1, {"a": 2}], bad=[math.nan])
    assert parked == text


def test_only_templates_that_call_nothing_but_dict_reads_are_parked(tmp_path: Path) -> None:
    env = _environment(
        tmp_path,
        {
            "reads.json": "{% for k, v in d.items() %}{{ d.get(k) | tojson }}{% endfor %}",
            "appends.json": "{% set _ = l.append(1) %}{{ l | tojson }}",
            "calls.json": "{{ f() | tojson }}",
            "includes.json": '{% include "reads.json" %}',
            "imports.json": '{% import "reads.json" as r %}',
        },
    )
    assert engine.parkable(env, "reads.json")
    for name in ("appends.json", "calls.json", "includes.json", "imports.json"):
        assert not engine.parkable(env, name), name


@pytest.mark.parametrize("design", ["evpn-mixed", "ai-srlinux", "ai-sonic"])
def test_the_bundled_json_configs_are_parked_and_unchanged(design: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every SR Linux and SONiC file of the bundled designs takes the parked path (no fallback to the text path)
    and equals the text path's file; the goldens hold the bytes too."""
    network = netweave.expand(netweave.load(REPO / "tests" / "golden" / "designs" / f"{design}.yaml"))
    unparked: list[bytes] = []
    real_unpark = engine._unpark

    def recording(skeleton: bytes, parked: list[Any]) -> bytes:
        unparked.append(real_unpark(skeleton, parked))  # raises when the parked path is left
        return unparked[-1]

    monkeypatch.setattr(engine, "_unpark", recording)
    checked = 0
    for device in network.devices:
        profile = find(device.nos)
        assert profile is not None and profile.render is not None
        for suffix, post in profile.render.postprocess.items():
            if post is not canonical_json:
                continue
            parked = engine.render_device(network, device).files[f"{device.name}{suffix}"]
            env = engine._environment(profile.render.templates, True)
            context = engine.device_context(network, device)
            if profile.render.context is not None:
                context.update(profile.render.context(network, device, context))
            assert len(unparked) == checked + 1 and b"null" not in unparked[-1]  # no fallback to the text path
            template = env.get_template(profile.render.files[suffix])
            assert parked == canonical_json(template.render(context))
            checked += 1
    assert checked > 0
