"""A fake SONiC fabric (1 spine, 2 leaves) for the driver tests; needs root, FRR and iproute2."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

import netweave
from netweave.apply.desired import rendered
from netweave.napalm_sonic import SONiCDriver, bundle
from netweave.network.model import Network
from tests.apply.conftest import missing_for_lab
from tests.conftest import require
from tests.support.sonic_fake.lab import SonicLab, SonicLabs, factory_config_db

USER, SECRET = "admin", "Sonic-pw-4e1b7"

DESIGN: dict[str, Any] = {
    "name": "snfab",
    "sites": [
        {
            "name": "dc1",
            "fabrics": [
                {
                    "name": "fabric1",
                    "module": "leaf-spine",
                    "spines": {"count": 1, "platform": "dell-s5232f-on", "nos": "sonic"},
                    "leaves": {"count": 2, "platform": "dell-s5232f-on", "nos": "sonic", "server_ports": 2},
                    "addressing": {
                        "loopbacks": "10.0.0.0/24",
                        "p2p": "10.1.0.0/22",
                        "management": {"prefix": "172.20.0.0/24", "gateway": "172.20.0.1"},
                    },
                    "asn": {"spine_base": 65100, "leaf_base": 4200000001},
                }
            ],
        }
    ],
}


def network_of(tmp: Path, data: dict[str, Any]) -> Network:
    path = tmp / "design.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    return netweave.expand(netweave.load(path))


@pytest.fixture(scope="module")
def fabric(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SonicLab]:
    """The fake fabric, running for the whole module; torn down and checked to leave nothing."""
    missing = missing_for_lab()
    require(not missing, "fake SONiC lab needs: " + ", ".join(missing))
    tmp = tmp_path_factory.mktemp("sonic")
    labs = SonicLabs(tmp, USER, SECRET)
    try:
        yield labs.start(network_of(tmp, DESIGN))
    finally:
        left = labs.stop()
        assert not left, left


def driver(fabric: SonicLab, name: str, password: str = SECRET, **options: Any) -> SONiCDriver:
    """A driver reaching ``name``'s fake (``options`` added to its optional_args)."""
    return SONiCDriver("127.0.0.1", USER, password, timeout=20, optional_args={**fabric.options(name), **options})


@pytest.fixture
def leaf1(fabric: SonicLab) -> Iterator[SONiCDriver]:
    """leaf1 back at its factory config before each test."""
    fake = fabric.switches["leaf1"]
    fake.set_config_db(factory_config_db(fabric.network.device_by_name["leaf1"]))
    conn = driver(fabric, "leaf1")
    conn.open()
    conn.load_replace_candidate(
        config=bundle.Bundle(factory_config_db(fabric.network.device_by_name["leaf1"]), "hostname leaf1\n").text()
    )
    conn.commit_config()
    yield conn
    conn.close()


def desired(fabric: SonicLab, name: str) -> str:
    """The bundle netweave renders for ``name`` (CONFIG_DB JSON, then FRR's frr.conf)."""
    return rendered(fabric.network, [name]).devices[name].config
