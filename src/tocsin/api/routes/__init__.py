"""HTTP routes, one module per area; each is thin: a command to the bus or a read query."""
