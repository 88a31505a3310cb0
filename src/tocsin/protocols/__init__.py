"""Sans-I/O wire formats: bytes in, typed values out. No sockets, no clock, no domain imports."""
