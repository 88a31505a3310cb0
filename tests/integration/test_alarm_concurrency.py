"""Two operators taking one alarm at the same moment: exactly one holds it, on SQLite and PostgreSQL."""

from __future__ import annotations

import threading
from uuid import UUID

from tests.integration.alarm_support import open_alarms, send
from tests.integration.helpers import make_room
from tocsin.adapters.store.database import SqlStore
from tocsin.domain import alarms as a
from tocsin.domain import commands as c
from tocsin.domain.scope import Scope
from tocsin.services.handlers.registry import Deps
from tocsin.services.messagebus import HANDLERS
from tocsin.testing import FakeClock, FakeHasher

ROUNDS = 5
OPERATORS = {UUID(int=1): "Anna", UUID(int=2): "Bruno"}


def _race(store: SqlStore, alarm_id: UUID) -> dict[str, object]:
    """Both operators take the alarm at once, each in its own thread and transaction."""
    start = threading.Barrier(len(OPERATORS))
    answers: dict[str, object] = {}

    def take(user_id: UUID, name: str) -> None:
        command = a.TakeAlarm(alarm_id, user_id, name)
        start.wait()
        try:
            answers[name] = store.write(
                lambda uow: HANDLERS.run(command, uow, f"user:{name}", Deps(hasher=FakeHasher())),
                Scope.system(),
            )
        except Exception as exc:  # the loser's error is the answer under test
            answers[name] = exc

    threads = [threading.Thread(target=take, args=item) for item in OPERATORS.items()]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return answers


def test_concurrent_takes_leave_one_holder_and_name_it_to_the_other(db_url: str) -> None:
    """Each round: one take wins, the other is refused with the winner's name; one alarm.taken entry."""
    clock = FakeClock()
    store = SqlStore(db_url, clock)
    try:
        room = make_room(store)
        account = room.bus.handle(
            c.AddAccount(room.site_a, "7C7C"), scope=Scope.tenant(room.tenant_id), actor="t"
        )
        for n in range(ROUNDS):
            send(store, clock, account, f"1130 01 {n:03d}")
            alarm = open_alarms(store, room.site_a)[0]
            assert alarm.state == "new"
            answers = _race(store, alarm.id)
            won = {name: x for name, x in answers.items() if isinstance(x, a.Alarm)}
            lost = {name: x for name, x in answers.items() if not isinstance(x, a.Alarm)}
            assert len(won) == 1, answers
            winner = next(iter(won))
            [refusal] = lost.values()
            assert isinstance(refusal, a.AlarmHeld), refusal
            assert str(refusal).startswith(f"{winner} holds this alarm")
            stored = open_alarms(store, room.site_a)[0]
            assert (stored.state, stored.holder_name) == ("taken", winner)
            entries = store.read(lambda uow: list(uow.logbook.read(Scope.system())), Scope.system())
            taken = [
                e for e in entries if e.kind == "alarm.taken" and e.data.get("alarm_id") == str(alarm.id)
            ]
            assert len(taken) == 1
            close = a.CloseAlarm(alarm.id, UUID(int=9), "Chief", supervisor=True, reason="round over")
            store.write(  # so that the next round's signal opens a new alarm
                lambda uow, close=close: HANDLERS.run(close, uow, "t", Deps(hasher=FakeHasher())),
                Scope.system(),
            )
    finally:
        store.close()
