"""Tocsin: an open-source operations-room platform."""

__version__ = "0.1.0"
