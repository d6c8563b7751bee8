"""A fake SONiC switch for tests: an SSH server whose ``config``/``show``/``docker`` commands behave as
SONiC documents them, over a CONFIG_DB JSON file, with a real FRR in a network namespace as its bgp container."""
