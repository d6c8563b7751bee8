"""NOS profiles: everything netweave knows about one network operating system, one module each."""
