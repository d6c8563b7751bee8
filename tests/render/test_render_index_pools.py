"""RenderIndex reads a pool's site and fabric from its fields, not from its name."""

from __future__ import annotations

from tests.designs import ai_design, build

from netweave.render.context import RenderIndex


def test_gpu_prefix_lists_use_the_owning_fabrics_subnet_length_whatever_the_pool_is_called() -> None:
    """A /30-per-NIC fabric advertises its GPU pool with `eq 30`: the length comes from the servers of the pool's
    (site, fabric). Pool names are for people; renaming one must not change a prefix list."""
    network = build(
        ai_design(addressing={**ai_design()["sites"][0]["fabrics"][0]["addressing"], "gpu_prefix_length": 30})
    )
    for pool in network.pools:
        assert (pool.site, pool.fabric) == ("dc1", "backend")
        pool.name = f"pool for {pool.purpose}"
    gpu = [p for p in RenderIndex(network).advertised_pools(network.devices[0]) if p.purpose == "gpu"]
    assert [(p.prefix, p.member_length) for p in gpu] == [("10.128.0.0/10", 30)]
