"""The pure domain: rules and values of an operations room. Standard library only, no I/O, no clock."""
