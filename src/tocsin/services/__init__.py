"""Use cases: command handlers, the ports they need, the unit of work and the message bus."""
