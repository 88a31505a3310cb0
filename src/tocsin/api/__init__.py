"""The HTTP API and the console's WebSocket (FastAPI): thin routes over commands and read queries."""
