"""The README's Applying changes and Pulumi sections, recomputed: settings, outputs, policies, extras, credentials.

These sections list names an operator types (`pulumi config set batchSize`, `NETWEAVE_<DEVICE>_PASSWORD`,
`pip install 'netweave[napalm]'`); each list here is compared with the code that reads those names.
"""

from __future__ import annotations

import re
import tomllib

from netweave.apply.inventory import KNOWN_KEYS, credentials_from_env
from netweave.pulumi import policies
from tests.conftest import REPO
from tests.support import readme

PULUMI = readme.section("Pulumi")
APPLY = readme.section("Applying changes")


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def test_pulumi_settings_are_what_the_stack_reads() -> None:
    stack = (REPO / "src" / "netweave" / "pulumi" / "stack.py").read_text()
    read = set(re.findall(r"config\.(?:get|require)\w*\(\"(\w+)\"\)", stack))
    settings = re.search(r"\*\*Settings\*\* .*?: (.*?)\. Credentials come only", _flat(PULUMI))
    assert settings is not None
    named = set(re.findall(r"`(\w+)` \(|`(\w+)`[,)]|`(\w+)` \(secret", settings.group(1)))
    listed = {name for group in named for name in group if name} - {"design.yaml", "forget", "restore"}
    assert read and listed == read


def test_pulumi_outputs_are_what_the_stack_exports() -> None:
    stack = (REPO / "src" / "netweave" / "pulumi" / "stack.py").read_text()
    exported = re.findall(r"pulumi\.export\(\"(\w+)\"", stack)
    comment = re.search(r"pulumi stack output\s+# (.*)", PULUMI)
    prose = re.search(r"Stack outputs: (.*?)\.\n\n", PULUMI, re.S)
    assert comment is not None and prose is not None
    assert [name.strip() for name in comment.group(1).split(",")] == exported
    assert re.findall(r"`(\w+)` \(", prose.group(1)) == exported


def test_policies_named_are_the_pack() -> None:
    pack = {policy.name for policy in policies.POLICIES}
    assert set(re.findall(r"`(netweave-[\w-]+)`", PULUMI)) == pack
    sentence = re.search(r"a rendered config contains (.*?) or a `shutdown`", _flat(PULUMI))
    assert sentence is not None
    named = re.findall(r"`([^`]+)`", sentence.group(1))
    assert named == [re.sub(r"^\^|\\b$", "", pattern) for pattern in policies.DEFAULT_FORBIDDEN]


def test_resource_type_names() -> None:
    fabric = (REPO / "src" / "netweave" / "pulumi" / "fabric.py").read_text()
    named = re.search(r"a `([\w:]+)` component with one `(\w+)` child per device", _flat(PULUMI))
    assert named is not None
    assert f'"{named.group(1)}"' in fabric and policies.DEVICE_CONFIG_TYPE.endswith(f":{named.group(2)}")


def test_extras_named_hold_their_packages() -> None:
    extras = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["optional-dependencies"]
    packages = {name: {re.split(r"[<>=;\[ ]", req)[0] for req in reqs} for name, reqs in extras.items()}
    text = _flat(readme.text())
    found = re.findall(r"`pip install 'netweave\[([\w,]+)\]'`: ([\w, -]+?)[;)]", text)
    assert len(found) >= 2
    for names, listed in found:
        wanted = {p.strip() for p in listed.split(",")}
        provided = set().union(*(packages[name] for name in names.split(",")))
        assert wanted <= provided, (names, wanted - provided)


def test_credential_variables_in_the_stated_order() -> None:
    """'NETWEAVE_<DEVICE>_PASSWORD, NETWEAVE_<NOS>_PASSWORD, NETWEAVE_PASSWORD (same for _USERNAME)'."""
    named = re.search(r"Credentials come only from (.*?) or a prompt", _flat(APPLY))
    assert named is not None
    order = re.findall(r"`(NETWEAVE_[\w<>]+)`", named.group(1))
    assert order == ["NETWEAVE_<DEVICE>_PASSWORD", "NETWEAVE_<NOS>_PASSWORD", "NETWEAVE_PASSWORD"]
    env = {
        name.replace("<DEVICE>", "LEAF1").replace("<NOS>", "FRR"): value
        for name, value in zip(order, ("device", "nos", "global"), strict=True)
    }
    for expected in ("device", "nos", "global"):
        assert credentials_from_env("leaf1", "frr", env).password == expected
        env.pop(next(key for key, value in env.items() if value == expected))
    assert credentials_from_env("leaf1", "frr", {"NETWEAVE_FRR_USERNAME": "ops"}).username == "ops"


def test_inventory_keys() -> None:
    sentence = re.search(r"with (`host`.*?), and driver options", _flat(APPLY))
    assert sentence is not None
    assert set(re.findall(r"`(\w+)`", sentence.group(1))) == KNOWN_KEYS - {"optional_args"}
    assert "$NETWEAVE_INVENTORY" in APPLY
    assert "NETWEAVE_INVENTORY" in (REPO / "src" / "netweave" / "cli" / "apply_cmd.py").read_text()


def test_pypi_packages_named_are_dependencies() -> None:
    """'(PyPI `pyavd`)', '(PyPI `nvueschema`)': the judges' packages are in an extra that installs them."""
    extras = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["optional-dependencies"]
    declared = {re.split(r"[<>=;\[ ]", req)[0] for reqs in extras.values() for req in reqs}
    named = set(re.findall(r"PyPI `([\w.-]+)`", readme.text()))
    assert named and named <= declared
