"""Adapters: the concrete technologies behind the ports (database, bus, clock, signing, hashing)."""
