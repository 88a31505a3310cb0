"""A tenant's own KPI targets: the command that sets them and the event that records it.

Targets are text, ``seconds:percent`` comma-separated (``30:80,60:98.5``: 80 % within 30 s and 98.5 %
within 60 s); ``None`` for a measure means the node's setting holds for it (``TOCSIN_KPI_TAKE_TARGETS``,
``TOCSIN_KPI_SETTLE_TARGETS``); an empty text means no target at all for that measure.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar
from uuid import UUID

from tocsin.domain.commands import Command
from tocsin.domain.events import Event
from tocsin.domain.kpis import Target, Targets, parse_targets
from tocsin.domain.logbook import SubjectRef


@dataclass(frozen=True, slots=True)
class SetKpiTargets(Command):
    """Set (or, with None, give back to the node's settings) a tenant's targets."""

    tenant_id: UUID
    take: str | None = None
    settle: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class KpiTargetsSet(Event):
    """A tenant's KPI targets changed; ``node`` names the measures left to the node's settings."""

    KIND: ClassVar[str] = "kpi.targets_set"
    MESSAGE: ClassVar[str] = "kpi.targets_set"
    take: str
    settle: str

    def subjects(self) -> tuple[SubjectRef, ...]:
        return (SubjectRef("tenant", str(self.tenant_id)),)


def as_text(targets: tuple[Target, ...]) -> str:
    """Targets back in their ``seconds:percent`` form, sorted (what is stored)."""
    return ",".join(f"{t.seconds:g}:{t.share * 100:g}" for t in targets)


def normalised(text: str | None) -> str | None:
    """The text checked (InvalidInput when malformed) and written the one way it is stored."""
    return None if text is None else as_text(parse_targets(text))


def applied(node: Targets, take: str | None, settle: str | None) -> Targets:
    """The targets a tenant's report uses: its own where it set them, the node's elsewhere."""
    return Targets(
        node.take if take is None else parse_targets(take),
        node.settle if settle is None else parse_targets(settle),
    )
