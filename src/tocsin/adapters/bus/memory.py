"""The in-process bus: typed topics, subscribers called in order, each one isolated from the others."""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable
from typing import Any

log = logging.getLogger(__name__)


class InProcessBus:
    """Publishes each message to every subscriber of its type (and of its base types)."""

    def __init__(self) -> None:
        self._subscribers: defaultdict[type[Any], list[Callable[[Any], None]]] = defaultdict(list)

    def subscribe(self, message_type: type[Any], handler: Callable[[Any], None]) -> None:
        """Call ``handler(message)`` for every published message of ``message_type``."""
        self._subscribers[message_type].append(handler)

    def wants(self, message_type: type[Any]) -> bool:
        """Whether a subscriber would receive a message of ``message_type``."""
        return any(self._subscribers.get(cls) for cls in message_type.__mro__)

    def publish(self, message: Any) -> None:
        """Deliver to subscribers; a failing subscriber is logged and does not stop the others."""
        for cls in type(message).__mro__:
            for handler in self._subscribers.get(cls, ()):
                try:
                    handler(message)
                except Exception:
                    log.exception("subscriber %r failed on %s", handler, type(message).__name__)
