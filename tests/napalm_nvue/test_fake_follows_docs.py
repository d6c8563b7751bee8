"""The fake NVUE switch, driven with plain HTTP requests the way NVIDIA's NVUE API guide shows them
(Cumulus Linux 5.9, "NVUE API"): proof that the fake plays the documented API, independently of the driver."""

from __future__ import annotations

import time
from typing import Any
from urllib.parse import quote

import requests

from tests.napalm_nvue.conftest import SECRET, USER
from tests.support.nvue_fake import FakeFabric


def api(switches: FakeFabric, method: str, path: str, auth: Any = (USER, SECRET), **kwargs: Any) -> Any:
    url = f"https://127.0.0.1:{switches.port('leaf1')}/nvue_v1{path}"
    return requests.request(method, url, auth=auth, verify=str(switches.cert), timeout=10, **kwargs)


def new_revision(switches: FakeFabric) -> str:
    answer = api(switches, "POST", "/revision").json()
    ((rev, state),) = answer.items()
    assert rev.startswith(f"changeset/{USER}/") and state == {
        "state": "pending",
        "transition": {"issue": {}, "progress": ""},
    }
    return str(rev)


def wait_state(switches: FakeFabric, rev: str, *states: str) -> dict[str, Any]:
    deadline = time.monotonic() + 5
    while True:
        answer: dict[str, Any] = api(switches, "GET", f"/revision/{quote(rev, safe='')}").json()
        if answer["state"] in states or time.monotonic() > deadline:
            return answer
        time.sleep(0.05)


def test_replace_an_entire_configuration_as_the_guide_does(switches: FakeFabric) -> None:
    """POST a revision, DELETE the root, PATCH the root, apply with ays_yes, poll until applied."""
    rev = new_revision(switches)
    assert api(switches, "DELETE", "/", params={"rev": rev}).json() == {}
    tree = {"system": {"hostname": "switch01", "aaa": {"user": {USER: {}}}}, "interface": {"lo": {"type": "loopback"}}}
    api(switches, "PATCH", "/", params={"rev": rev}, json=tree)
    assert api(switches, "GET", "/", params={"rev": rev, "filled": "false"}).json() == tree
    body = {"state": "apply", "auto-prompt": {"ays": "ays_yes"}}
    assert api(switches, "PATCH", f"/revision/{quote(rev, safe='')}", json=body).json()["state"] == "apply"
    assert wait_state(switches, rev, "applied")["state"] == "applied"
    assert api(switches, "GET", "/", params={"rev": "applied", "filled": "false"}).json() == tree
    assert api(switches, "GET", "/system").json()["hostname"] == "switch01"


def test_null_unsets_a_key(switches: FakeFabric) -> None:
    rev = new_revision(switches)
    api(switches, "PATCH", "/", params={"rev": rev}, json={"system": {"api": None}})
    assert "api" not in api(switches, "GET", "/", params={"rev": rev}).json()["system"]


def test_dependency_failure_makes_the_revision_invalid_with_the_reason(switches: FakeFabric) -> None:
    rev = new_revision(switches)
    api(switches, "PATCH", "/", params={"rev": rev}, json={"router": {"bgp": {"enable": "on"}}})
    body = {"state": "apply", "auto-prompt": {"ays": "ays_yes"}}
    api(switches, "PATCH", f"/revision/{quote(rev, safe='')}", json=body)
    answer = wait_state(switches, rev, "invalid")
    assert answer["state"] == "invalid" and answer["transition"]["progress"] == "Invalid config"
    issue = answer["transition"]["issue"]["0"]
    assert issue["code"] == "config_invalid" and issue["data"]["location"] == "router.bgp.enable"


def test_a_warning_prompt_without_ays_yes_fails_as_ays_fail(switches: FakeFabric) -> None:
    rev = new_revision(switches)
    api(switches, "PATCH", "/", params={"rev": rev}, json={"interface": {"eth0": {"type": "eth"}}})
    api(switches, "PATCH", f"/revision/{quote(rev, safe='')}", json={"state": "apply"})
    answer = wait_state(switches, rev, "ays_fail")
    assert answer["state"] == "ays_fail"
    assert answer["transition"]["issue"]["0"]["message"] == "Timeout while waiting for client response"


def test_basic_auth_is_required(switches: FakeFabric) -> None:
    assert api(switches, "GET", "/system", auth=None).status_code == 401
    assert api(switches, "GET", "/system", auth=(USER, "wrong")).status_code == 401
    assert api(switches, "GET", "/system").status_code == 200
