"""Command handlers, one module per capability."""
