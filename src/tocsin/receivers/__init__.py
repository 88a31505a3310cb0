"""Network listeners (DC-09 over TCP and UDP, MQTT): bytes in, commands out, no business logic."""
