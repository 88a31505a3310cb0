"""Long-running processes outside the event loop (video pipelines, exports)."""
