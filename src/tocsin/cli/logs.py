"""Logs: one structlog configuration for every Tocsin process, set once by the CLI's entry point.

Events have stable names (``dc09.connection_closed``, ``process.loop_failed``…) and key=value fields;
each is one line on standard error, as ``key=value`` pairs or, with ``TOCSIN_LOG_FORMAT=json``, as a
JSON object. ``TOCSIN_LOG_LEVEL`` (default WARNING) filters them. Records of the standard library's
``logging`` (ours not yet converted, and libraries') go through the same renderer.
"""

from __future__ import annotations

import logging
import os
import sys

import structlog
from structlog.typing import Processor


def configure_logging() -> None:
    """Configure structlog and the standard library's logging from the environment."""
    level_name = os.environ.get("TOCSIN_LOG_LEVEL", "WARNING").upper()
    level = logging.getLevelNamesMapping().get(level_name, logging.WARNING)
    renderer: Processor = (
        structlog.processors.JSONRenderer(default=str)
        if os.environ.get("TOCSIN_LOG_FORMAT", "").lower() == "json"
        else structlog.processors.KeyValueRenderer(
            key_order=["timestamp", "level", "event"], drop_missing=True
        )
    )
    shared: list[Processor] = [
        structlog.contextvars.merge_contextvars,
        structlog.stdlib.add_log_level,
        structlog.stdlib.add_logger_name,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
    ]
    structlog.configure(
        processors=[*shared, structlog.stdlib.ProcessorFormatter.wrap_for_formatter],
        wrapper_class=structlog.make_filtering_bound_logger(level),
        logger_factory=structlog.stdlib.LoggerFactory(),
        cache_logger_on_first_use=False,
    )
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(
        structlog.stdlib.ProcessorFormatter(
            foreign_pre_chain=shared,
            processors=[
                structlog.stdlib.ProcessorFormatter.remove_processors_meta,
                structlog.processors.format_exc_info,
                renderer,
            ],
        )
    )
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
