"""Each validator rejects a deliberately broken config with a located message; the pieces it is built from
(schema shape, config_db translation and line map, MD-CLI reading and its round trip) do what they say."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from netweave.check import ValidatorUnavailable, rendered_files, run_checks
from netweave.check.sonic import check_sonic, cross_table_rules, json_key_lines
from netweave.check.sros import check_sros, cross_rules, parse_md_cli, sros_schema, to_md_cli, to_xml
from netweave.check.yang import _blank, default_models_dir, parse_tree
from tests.check.conftest import BUNDLED

# -- pure parts (no yanglint) -----------------------------------------------------------------------------

TREE = """module: demo
  +--rw top
     +--rw port* [port-id]
     |  +--rw port-id          string
     |  +--rw admin-state?     string
     |  +--rw names*           string
     |  +--rw state-only
     |  +--ro oper-state?      string
     |  +--rw (mode)?
     |  |  +--:(fast)
     |  |  |  +--rw fast?      empty {fast-feature}?
     |  |  +--:(slow)
     |  |     +--rw slow!
     |  +--rw prefix* [ip-prefix type]
     |     +--rw ip-prefix     string
     |     +--rw type          string
     +--ro counters
        +--ro in?   uint64
  rpcs:
    +---x reset
"""


def test_parse_tree_reads_lists_keys_leaf_lists_and_flattens_choices() -> None:
    top = parse_tree(TREE)["demo"]["top"]
    port = top.children["port"]
    assert (port.kind, port.keys) == ("list", ("port-id",))
    assert port.children["names"].kind == "leaf-list"
    assert port.children["admin-state"].kind == "leaf"
    assert port.children["state-only"].kind == "container"
    assert port.children["fast"].kind == "leaf"  # inside choice/case, with an if-feature
    assert port.children["slow"].kind == "container"
    assert port.children["prefix"].keys == ("ip-prefix", "type")
    assert "oper-state" not in port.children and "counters" not in top.children  # state is not config
    assert "reset" not in top.children


def test_json_key_lines_locates_tables_entries_and_fields() -> None:
    text = (
        '{\n  "PORT": {\n    "Ethernet0": {\n      "mtu": "9216",\n      "lanes": "0,1"\n    }\n  },\n  "VRF": {}\n}\n'
    )
    lines = json_key_lines(text)
    assert lines[("PORT",)] == 2
    assert lines[("PORT", "Ethernet0")] == 3
    assert lines[("PORT", "Ethernet0", "lanes")] == 5
    assert lines[("VRF",)] == 8


@pytest.mark.parametrize(
    ("edit", "expected"),
    [
        (lambda db: db["PORT"]["Ethernet4"].update(lanes="0,1,2,3"), "lane 0 already used by Ethernet0"),
        (lambda db: db["PFC_WD"].pop("Ethernet4"), "PFC enabled on Ethernet4 but no PFC_WD entry"),
        (lambda db: db.update(VRF={"Vrfx": {"vni": "7"}}), "L3VNI 7 must be mapped to a VLAN"),
        (
            lambda db: db["DEVICE_METADATA"]["localhost"].update(docker_routing_config_mode="unified"),
            "must be 'split' or 'split-unified'",
        ),
    ],
)
def test_cross_table_rules_fire(edit: Callable[[dict], None], expected: str, build_dir: Callable[..., Path]) -> None:
    db = json.loads((build_dir(BUNDLED["ai-sonic"]) / "configs" / "su1-leaf-r1.config_db.json").read_text())
    assert list(cross_table_rules(db)) == []
    edit(db)
    assert any(expected in message for _, message in cross_table_rules(db))


# -- SONiC against sonic-yang-models ------------------------------------------------------------------------


def _sonic_file(build_dir: Callable[..., Path]) -> Path:
    return build_dir(BUNDLED["ai-sonic"]) / "configs" / "su1-leaf-r1.config_db.json"


def _line_of(path: Path, needle: str) -> int:
    return next(n for n, line in enumerate(path.read_text().splitlines(), 1) if needle in line)


SONIC_BROKEN: list[tuple[Callable[[dict], None], str, str]] = [
    (lambda db: db["PORT"]["Ethernet0"].update(mtu="99999"), '"mtu"', 'Value "99999" is out of type uint16'),
    (lambda db: db["PORT"]["Ethernet0"].update(fec="bogus"), '"fec"', 'Unsatisfied pattern - "bogus"'),
    (
        lambda db: db["PORT_QOS_MAP"]["Ethernet4"].update(dscp_to_tc_map="NOPE"),
        '"dscp_to_tc_map": "NOPE"',
        'Invalid leafref value "NOPE"',
    ),
    (lambda db: db["INTERFACE"].update({"Ethernet99": {}}), '"Ethernet99"', 'Invalid leafref value "Ethernet99"'),
    (lambda db: db.update(PORTS={"x": {}}), '"PORTS"', "unknown SONiC table 'PORTS'"),
    # the dynamic buffer tables are judged too: a profile on a pool that does not exist, a PG on a profile that
    # does not exist, and one name of a comma-separated profile_list (config_db keeps that leaf-list as a string)
    (
        lambda db: db["BUFFER_PROFILE"]["q_lossy_profile"].update(pool="no_such_pool"),
        '"pool": "no_such_pool"',
        'Invalid leafref value "no_such_pool"',
    ),
    (
        lambda db: db["BUFFER_PG"]["Ethernet0|0"].update(profile="no_such_profile"),
        '"profile": "no_such_profile"',
        'Invalid union value "no_such_profile"',  # a BUFFER_PROFILE name or "NULL"
    ),
    (
        lambda db: db["BUFFER_PORT_INGRESS_PROFILE_LIST"]["Ethernet0"].update(
            profile_list="ingress_lossless_profile,no_such_profile"
        ),
        '"profile_list": "ingress_lossless_profile,no_such_profile"',
        'Invalid leafref value "no_such_profile"',
    ),
]


@pytest.mark.real
def test_sonic_broken_config_is_rejected_with_its_line(models: Path, build_dir: Callable[..., Path]) -> None:
    """Each variant breaks one table, entry or field; all are judged in one run with the clean file."""
    clean = _sonic_file(build_dir)
    variants = []
    for index, (edit, _, _) in enumerate(SONIC_BROKEN):
        db = json.loads(clean.read_text())
        edit(db)
        path = clean.with_name(f"broken{index}.config_db.json")
        path.write_text(json.dumps(db, indent=4) + "\n")
        variants.append(path)
    problems = check_sonic([clean, *variants], models)
    assert [p for p in problems if p.file == str(clean)] == []
    for path, (_, field, message) in zip(variants, SONIC_BROKEN, strict=True):
        found = [p for p in problems if p.file == str(path) and message in p.message]
        assert found, [p for p in problems if p.file == str(path)]
        assert found[0].line == _line_of(path, field)
        assert found[0].located().startswith(f"{path}:{found[0].line}: ")


@pytest.mark.real
def test_sonic_many_files_in_one_run_keep_their_own_messages(models: Path, build_dir: Callable[..., Path]) -> None:
    configs = build_dir(BUNDLED["ai-sonic"]) / "configs"
    files = sorted(configs.glob("*.config_db.json"))
    broken = files[2]
    db = json.loads(broken.read_text())
    next(iter(db["PORT"].values()))["speed"] = "fast"
    broken.write_text(json.dumps(db, indent=4))
    problems = check_sonic(files, models)
    assert {p.file for p in problems} == {str(broken)}


# -- SR OS against SR OS 25.10 YANG -----------------------------------------------------------------------


def _sros_file(build_dir: Callable[..., Path]) -> Path:
    return build_dir(BUNDLED["ai-sros"]) / "configs" / "su1-leaf-r1.sros.cfg"


SROS_BROKEN = [
    ("mtu 9216", "mtu 99999", 'Unsatisfied range - value "99999" is out of the allowed range'),
    ("admin-state enable", "admin-state maybe", 'Invalid enumeration value "maybe"'),
    ("multiplier 3", "multiplier 300", 'value "300" is out of the allowed range'),
    ("prefix-length 31", "prefix-lenght 31", "'prefix-lenght' is not a configuration element"),
    ("peer-as 65100\n", "peer-as 65100 65101\n", "'peer-as' takes one value, got 2"),
]


@pytest.mark.real
def test_sros_broken_config_is_rejected_with_its_line(models: Path, build_dir: Callable[..., Path]) -> None:
    """Each variant breaks one line; all are judged in one run with the clean file, which stays clean."""
    clean = _sros_file(build_dir)
    text = clean.read_text()
    variants = []
    for index, (old, new, _) in enumerate(SROS_BROKEN):
        path = clean.with_name(f"broken{index}.sros.cfg")
        path.write_text(text.replace(old, new, 1))
        variants.append(path)
    problems = check_sros([clean, *variants], models)
    assert [p for p in problems if p.file == str(clean)] == []
    for path, (_, new, message) in zip(variants, SROS_BROKEN, strict=True):
        found = [p for p in problems if p.file == str(path) and message in p.message]
        assert found, [p for p in problems if p.file == str(path)]
        assert found[0].line == _line_of(path, new.split("\n")[0].strip())
        assert found[0].located().startswith(f"{path}:{found[0].line}: ")
        # nothing else is blamed on other lines (a rejected element is not re-reported elsewhere)
        assert {p.line for p in problems if p.file == str(path)} <= {found[0].line, None}


@pytest.mark.real
@pytest.mark.parametrize("design", ["ai-sros", "prod"])
def test_sros_text_and_yang_tree_describe_the_same_configuration(
    design: str, models: Path, build_dir: Callable[..., Path]
) -> None:
    """MD-CLI text -> XML of configure (what yanglint judges) -> MD-CLI text gives the rendered text back:
    every line of the text is in the tree and nothing else is."""
    schema = sros_schema(models)
    files = sorted((build_dir(BUNDLED[design], nos="sros") / "configs").glob("*.sros.cfg"))
    assert files
    for path in files:
        text = path.read_text()
        root, problems = parse_md_cli(text, schema.configure, str(path))
        assert problems == []
        xml, _ = to_xml(root, schema.namespace)
        assert _normal(to_md_cli(xml, schema.configure)) == _normal(text)


def _normal(text: str) -> list[str]:
    """Lines without comments, indentation or quotes (MD-CLI quotes are optional around plain words)."""
    return [
        re.sub(r'"', "", line.strip())
        for line in text.splitlines()
        if line.strip() and not line.strip().startswith("#")
    ]


@pytest.mark.real
def test_sros_round_trip_is_not_vacuous(models: Path, build_dir: Callable[..., Path]) -> None:
    """A key, a leaf-list item and a leaf value all survive into the XML (the comparison above can fail)."""
    schema = sros_schema(models)
    text = _sros_file(build_dir).read_text()
    root, _ = parse_md_cli(text, schema.configure)
    xml, origin = to_xml(root, schema.namespace)
    assert "<port-id>1/1/c2/1</port-id>" in xml
    assert "<prefix-list>gpu</prefix-list>" in xml
    assert "<ip-prefix>10.100.0.0/24</ip-prefix>" in xml and "<type>range</type>" in xml
    assert origin and max(origin.values()) <= len(text.splitlines())
    assert _normal(to_md_cli(xml.replace(">9216<", ">1500<"), schema.configure)) != _normal(text)


# -- the runner's contract ---------------------------------------------------------------------------------


def test_missing_yanglint_names_what_to_install(
    monkeypatch: pytest.MonkeyPatch, build_dir: Callable[..., Path], tmp_path: Path
) -> None:
    directory = build_dir(BUNDLED["ai-sonic"])
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    from netweave.check import yang

    monkeypatch.setattr(yang, "_MEMO", {})
    monkeypatch.setattr("netweave.check.sonic._SCHEMAS", {})
    with pytest.raises(ValidatorUnavailable, match=r"apt-get install libyang2-tools"):
        run_checks(directory, _shared_models())


def _shared_models() -> Path:
    from tests.support.reference import find_shared_dir

    shared = find_shared_dir()
    if shared is None:
        pytest.skip("shared reference data not found")
    return shared / "reference" / "yang"


def test_missing_models_name_the_models_option(build_dir: Callable[..., Path], tmp_path: Path) -> None:
    directory = build_dir(BUNDLED["ai-sonic"])
    with pytest.raises(ValidatorUnavailable, match=r"--models DIR") as caught:
        run_checks(directory, tmp_path / "nowhere")
    assert "sonic-yang-models" in str(caught.value)


@pytest.mark.real
def test_every_problem_of_a_file_is_reported_not_only_the_first(models: Path, build_dir: Callable[..., Path]) -> None:
    """libyang stops parsing at the first bad value; the validators re-run without it until the file parses."""
    path = _sros_file(build_dir)
    text = path.read_text()
    path.write_text(text.replace("mtu 9216", "mtu 99999"))
    lines = [n for n, line in enumerate(path.read_text().splitlines(), 1) if "mtu 99999" in line]
    assert len(lines) == 3
    problems = check_sros([path], models)
    assert [p.line for p in problems] == lines
    sonic = _sonic_file(build_dir)
    db = json.loads(sonic.read_text())
    for entry in db["PORT"].values():
        entry["mtu"] = "70000"
    db["PORT_QOS_MAP"]["Ethernet4"]["dscp_to_tc_map"] = "NOPE"  # a validation-stage error after the parse ones
    sonic.write_text(json.dumps(db, indent=4))
    messages = [p.message for p in check_sonic([sonic], models)]
    assert sum("70000" in m for m in messages) == len(db["PORT"])
    assert any('leafref value "NOPE"' in m for m in messages)


def test_rendered_files_map_suffixes_to_validators_and_platforms(tmp_path: Path) -> None:
    configs = tmp_path / "configs"
    configs.mkdir()
    for name in ("a.config_db.json", "a.sonic-frr.conf", "b.sros.cfg", "c.frr.conf", "d.eos.cfg", "notes.txt"):
        (configs / name).write_text("")
    (tmp_path / "network.json").write_text(json.dumps({"devices": [{"name": "a", "platform": "dell-s5232f-on"}]}))
    found = {f.path.name: (f.device, f.validator, f.platform) for f in rendered_files(tmp_path)}
    assert found == {
        "a.config_db.json": ("a", "sonic", "dell-s5232f-on"),
        "a.sonic-frr.conf": ("a", "frr", "dell-s5232f-on"),
        "b.sros.cfg": ("b", "sros", None),
        "c.frr.conf": ("c", "frr", None),
        "d.eos.cfg": ("d", "eos", None),
    }


def test_default_models_follow_netweave_shared(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("NETWEAVE_SHARED", str(tmp_path))
    assert default_models_dir() == tmp_path / "reference" / "yang"
    monkeypatch.delenv("NETWEAVE_SHARED")
    repo = Path(__file__).resolve().parents[2]
    assert default_models_dir() == repo.parent / "shared" / "reference" / "yang"


@pytest.mark.parametrize(
    ("line", "left"),
    [
        (4, ["<a>", "", "", "", "  <d>2</d>", "</a>"]),  # libyang names a closing tag: the whole element goes
        (2, ["<a>", "", "", "", "  <d>2</d>", "</a>"]),
        (5, ["<a>", "  <b>", "    <c>1</c>", "  </b>", "", "</a>"]),
    ],
)
def test_blank_removes_the_whole_element_and_keeps_line_numbers(line: int, left: list[str]) -> None:
    lines = ["<a>", "  <b>", "    <c>1</c>", "  </b>", "  <d>2</d>", "</a>"]
    assert _blank(lines, line)
    assert lines == left


BFD_TEXT = """configure {
    router "Base" {
        interface "to-peer" {
            port 1/1/c1/1
            ipv4 {
                primary {
                    address 10.9.0.1
                    prefix-length 31
                }
            }
        }
        bgp {
            group "dcis" {
                peer-as 65402
                bfd-liveness true
            }
            neighbor "10.9.0.0" {
                group "dcis"
            }
        }
    }
}
"""


@pytest.mark.real
def test_sros_bfd_liveness_needs_interface_bfd(models: Path) -> None:
    """SR OS takes BFD intervals from the IP interface: bfd-liveness without interface BFD never comes up."""
    schema = sros_schema(models)
    root, problems = parse_md_cli(BFD_TEXT, schema.configure)
    assert problems == []
    message = "neighbor 10.9.0.0 has bfd-liveness but interface 'to-peer' has no ipv4 bfd"
    assert cross_rules(root) == [(17, f"{message}: the BFD session never comes up")]  # the neighbor's line
    bfd = "                bfd {\n                    multiplier 3\n                }\n"
    with_bfd = BFD_TEXT.replace("                primary {", bfd + "                primary {")
    assert cross_rules(parse_md_cli(with_bfd, schema.configure)[0]) == []
    without_liveness = BFD_TEXT.replace("bfd-liveness true", "bfd-liveness false")
    assert cross_rules(parse_md_cli(without_liveness, schema.configure)[0]) == []


@pytest.mark.real
def test_sros_interface_on_a_lag_needs_the_lag(models: Path) -> None:
    """A 300G coherent DCI link is a LAG of three 100GE clients; its router interface is `port lag-N`, a string
    the model does not resolve, so a missing `lag "lag-N"` is a cross rule."""
    schema = sros_schema(models)
    on_lag = BFD_TEXT.replace("port 1/1/c1/1", "port lag-1").replace(
        "    router ", '    lag "lag-1" {\n        admin-state enable\n    }\n    router ', 1
    )
    root, problems = parse_md_cli(on_lag, schema.configure)
    assert problems == []
    assert not [m for _, m in cross_rules(root) if "lag-1" in m]
    without_lag = BFD_TEXT.replace("port 1/1/c1/1", "port lag-1")
    found = [(line, m) for line, m in cross_rules(parse_md_cli(without_lag, schema.configure)[0]) if "lag-1" in m]
    assert found == [(3, "interface 'to-peer' is on lag-1, which is not configured")]
