"""The provider survives what Pulumi does to it: dill-pickled into the state (with Pulumi's own
serializer), unpickled in a fresh process (the provider host) that has no network client loaded."""

from __future__ import annotations

import base64
import subprocess
import sys
import textwrap

from pulumi.dynamic.dynamic import serialize_provider

from netweave.pulumi.provider import DeviceConfigProvider
from tests.conftest import REPO
from tests.pulumi.conftest import SECRET

NETWORK_MODULES = (
    "napalm",
    "nornir",
    "nornir_napalm",
    "paramiko",
    "netweave.pulumi.device",
    "netweave.napalm_frr.transport",
)


def test_provider_pickles_by_reference_and_unpickles_in_a_fresh_process() -> None:
    provider = DeviceConfigProvider()
    provider.check({}, {"device": "leaf1", "password": SECRET})  # use it first: still nothing to pickle
    assert vars(provider) == {}
    blob = serialize_provider(provider)
    raw = base64.b64decode(blob)
    assert b"netweave.pulumi.provider" in raw and b"DeviceConfigProvider" in raw  # a class reference ...
    assert len(raw) < 200 and SECRET.encode() not in raw  # ... and nothing else
    assert serialize_provider(DeviceConfigProvider()) == blob  # deterministic: no spurious state diffs

    script = textwrap.dedent(f"""
        import base64, json, sys
        import dill
        provider = dill.loads(base64.b64decode({blob!r}))
        print(json.dumps({{
            "type": type(provider).__module__ + "." + type(provider).__qualname__,
            "attributes": sorted(vars(provider)),
            "loaded": sorted(m for m in {list(NETWORK_MODULES)!r} if m in sys.modules),
            "check": [f.property for f in provider.check({{}}, {{"device": "x"}}).failures],
        }}))
    """)
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=REPO, timeout=120)
    assert done.returncode == 0, done.stderr
    import json

    found = json.loads(done.stdout)
    assert found["type"] == "netweave.pulumi.provider.DeviceConfigProvider"
    assert found["attributes"] == [] and found["loaded"] == []  # no client came along, none was imported
    assert "config" in found["check"]  # and it works there
