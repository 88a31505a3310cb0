"""Simulated field equipment for the demo room and for tests: alarm panels that speak DC-09 to a receiver."""
