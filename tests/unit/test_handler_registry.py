"""The command-handler registry: one handler per command, run in the caller's unit of work."""

from __future__ import annotations

import pytest

from tocsin.domain import commands as c
from tocsin.domain.scope import Scope
from tocsin.services.handlers.registry import Deps, Handlers
from tocsin.services.messagebus import HANDLERS
from tocsin.testing import FakeClock, FakeHasher, InMemoryStore


def test_a_command_type_takes_one_handler_only() -> None:
    """Registering a second handler for a command, or combining two registries that both handle it, fails."""
    handlers = Handlers().add(c.CreateTenant, lambda cmd, uow, actor, deps: cmd.ref)
    with pytest.raises(TypeError, match="already has a handler"):
        handlers.add(c.CreateTenant, lambda cmd, uow, actor, deps: cmd.name)
    with pytest.raises(TypeError, match="already has a handler"):
        Handlers.combine(handlers, Handlers().add(c.CreateTenant, lambda cmd, uow, actor, deps: None))


def test_the_bus_registry_runs_each_handler_with_its_command() -> None:
    """The node's registry knows every capability's commands and runs the one matching the command."""
    store = InMemoryStore(FakeClock())
    tenant = store.write(
        lambda uow: HANDLERS.run(c.CreateTenant("arc", "ARC"), uow, "t", Deps(FakeHasher())), Scope.system()
    )
    assert (tenant.ref, tenant.name) == ("arc", "ARC")
    assert c.AddUser in HANDLERS
    assert c.SetLanguage in HANDLERS
    with pytest.raises(TypeError, match="no handler for Command"):
        HANDLERS.run(c.Command(), store, "t", Deps(FakeHasher()))  # type: ignore[arg-type]
