"""A fake Nokia SR OS router for apply tests: NETCONF (RFC 6241/6242) and the MD-CLI over SSH, honouring the
management settings of the configuration it runs (see :mod:`tests.support.sros_fake.server`)."""
