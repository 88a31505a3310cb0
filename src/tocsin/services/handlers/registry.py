"""The command-handler registry: each command type with its one handler, checked by type on registration.

``add(CreateTenant, create_tenant)`` type-checks that the handler takes that command (mypy refuses a
handler registered under another command's type), so the registry never erases what a handler accepts.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from tocsin.domain.commands import Command
from tocsin.services.ports import SecretHasher
from tocsin.services.unit_of_work import UnitOfWork

C = TypeVar("C", bound=Command)


@dataclass(frozen=True, slots=True)
class Deps:
    """What handlers need besides the unit of work."""

    hasher: SecretHasher
    deadman_idle: int = 120  # seconds an operator holding an alarm may show no activity (0: no dead-man)
    deadman_confirm: int = 30  # seconds they then have to confirm before the alarms go back


class Handlers:
    """Command types and their handlers; a command type has exactly one."""

    def __init__(self) -> None:
        self._by_type: dict[type[Command], Callable[[Any, UnitOfWork, str, Deps], object]] = {}

    def add(self, command: type[C], handler: Callable[[C, UnitOfWork, str, Deps], object]) -> Handlers:
        """Register ``handler`` for ``command``; a second handler for one command is a programming error."""
        if command in self._by_type:
            raise TypeError(f"{command.__name__} already has a handler")
        self._by_type[command] = handler
        return self

    @classmethod
    def combine(cls, *parts: Handlers) -> Handlers:
        """One registry from several capabilities' registries."""
        found = cls()
        for part in parts:
            for command, handler in part._by_type.items():
                found.add(command, handler)
        return found

    def run(self, command: Command, uow: UnitOfWork, actor: str, deps: Deps) -> Any:
        """Run the command's handler in the caller's unit of work and return what it returns."""
        handler = self._by_type.get(type(command))
        if handler is None:
            raise TypeError(f"no handler for {type(command).__name__}")
        return handler(command, uow, actor, deps)

    def __contains__(self, command: object) -> bool:
        return command in self._by_type
