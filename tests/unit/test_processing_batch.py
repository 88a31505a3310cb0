"""A room sets its signal processor's batch (``TOCSIN_PROCESSING_BATCH``); the default is per database."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from tocsin.adapters.store import migrate
from tocsin.bootstrap import bootstrap, signal_processor
from tocsin.config import Settings
from tocsin.services.signal_processing import BATCH
from tocsin.testing import FakeClock


def _batch(tmp_path: Path, **settings: object) -> int:
    url = f"sqlite:///{tmp_path / 'room.db'}"
    migrate.upgrade(url)
    node = bootstrap(Settings(database_url=url, var_dir=tmp_path, **settings), clock=FakeClock())  # type: ignore[arg-type]
    try:
        return signal_processor(node)._batch
    finally:
        node.close()


def test_the_batch_is_the_databases_default_unless_the_room_sets_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert _batch(tmp_path) == BATCH
    assert _batch(tmp_path, processing_batch=50) == 50
    monkeypatch.setenv("TOCSIN_PROCESSING_BATCH", "75")
    assert _batch(tmp_path) == 75
    with pytest.raises(ValidationError):
        Settings(processing_batch=0)
