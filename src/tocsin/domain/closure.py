"""Closing an event: its report (compte-rendu) with outcome codes, each mapped to an APCO disposition,
and free text, required before the event may close; and the reference-data corrections an operator
files from an event (a wrong address, an outdated contact) for the administrators to resolve.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from typing import Literal
from uuid import UUID

from tocsin.domain.errors import Conflict, InvalidInput

# The room's outcome codes and the APCO disposition each one is exchanged as.
OUTCOMES: dict[str, str] = {
    "handled": "ASSISTED",
    "transported": "TRANSPORTED",
    "arrest": "ARREST",
    "citation": "CITATION",
    "warning": "WARNING",
    "report_taken": "REPORT",
    "referred": "REFERRED",
    "false_alarm": "FALSE_ALARM",
    "unfounded": "UNFOUNDED",
    "gone_on_arrival": "GONE_ON_ARRIVAL",
    "unable_to_locate": "UNABLE_TO_LOCATE",
    "cancelled": "CANCELLED",
    "duplicate": "DUPLICATE",
    "no_action": "NO_ACTION",
}
REPORT_TEXT_MAX, OUTCOMES_MAX = 8000, 10
CorrectionSubject = Literal["address", "contact", "site", "partner", "other"]
SUBJECTS: tuple[CorrectionSubject, ...] = ("address", "contact", "site", "partner", "other")
CorrectionState = Literal["open", "resolved"]
CORRECTION_TEXT_MAX, CORRECTION_REF_MAX = 2000, 200


def correction_subject(text: str) -> CorrectionSubject:
    """The correction subject a text names, or an error naming the subjects."""
    for subject in SUBJECTS:
        if subject == text:
            return subject
    raise InvalidInput(f"A correction is about one of {', '.join(SUBJECTS)}, not {text!r}.")


class ReportMissing(Conflict):
    """An event was asked to close before its report was written."""


@dataclass(frozen=True, slots=True)
class Report:
    """An event's compte-rendu: what came of it (outcome codes) and what happened, in words."""

    incident_id: UUID
    tenant_id: UUID
    outcomes: tuple[str, ...]
    text: str
    written_at: datetime
    by: str

    def __post_init__(self) -> None:
        outcomes = tuple(dict.fromkeys(o.strip() for o in self.outcomes if o.strip()))
        if not outcomes:
            raise InvalidInput(f"A report needs at least one outcome code: {', '.join(OUTCOMES)}.")
        if len(outcomes) > OUTCOMES_MAX:
            raise InvalidInput(f"A report has at most {OUTCOMES_MAX} outcome codes.")
        unknown = [o for o in outcomes if o not in OUTCOMES]
        if unknown:
            raise InvalidInput(f"Outcome code {unknown[0]!r} is unknown; use {', '.join(OUTCOMES)}.")
        text = self.text.strip()
        if not text:
            raise InvalidInput("A report needs its text: what was found and done, in a few lines.")
        if len(text) > REPORT_TEXT_MAX:
            raise InvalidInput(f"A report's text is at most {REPORT_TEXT_MAX} characters.")
        object.__setattr__(self, "outcomes", outcomes)
        object.__setattr__(self, "text", text)

    @property
    def dispositions(self) -> tuple[str, ...]:
        """The APCO dispositions the outcome codes map to, in order, each once."""
        return tuple(dict.fromkeys(OUTCOMES[o] for o in self.outcomes))


def require_report(incident_id: UUID, report: Report | None) -> Report:
    """The report an event must have to close (ReportMissing otherwise)."""
    if report is None:
        raise ReportMissing(
            f"Event {incident_id} has no report yet: write its outcome codes and text"
            " (PUT /api/v1/events/{id}/report, or close with the report), then close it."
        )
    return report


@dataclass(frozen=True, slots=True)
class Correction:
    """A reference-data correction filed from an event: what is wrong, for an administrator to fix."""

    id: UUID
    tenant_id: UUID
    incident_id: UUID
    subject: CorrectionSubject
    ref: str
    text: str
    filed_at: datetime
    filed_by: str
    state: CorrectionState = "open"
    resolved_at: datetime | None = None
    resolved_by: str = ""
    resolution: str = ""

    def __post_init__(self) -> None:
        if self.subject not in SUBJECTS:
            raise InvalidInput(f"A correction is about one of {', '.join(SUBJECTS)}, not {self.subject!r}.")
        text, ref = self.text.strip(), self.ref.strip()
        if not text:
            raise InvalidInput("Say what is wrong and, if known, what is right.")
        if len(text) > CORRECTION_TEXT_MAX or len(ref) > CORRECTION_REF_MAX:
            raise InvalidInput(
                f"A correction's text is at most {CORRECTION_TEXT_MAX} characters, what it is about"
                f" at most {CORRECTION_REF_MAX}."
            )
        object.__setattr__(self, "text", text)
        object.__setattr__(self, "ref", ref)


def resolve(correction: Correction, at: datetime, by: str, resolution: str) -> Correction:
    if correction.state == "resolved":
        raise Conflict(
            f"Correction {correction.id} was resolved by {correction.resolved_by}: file a new one if"
            " something is still wrong."
        )
    resolution = resolution.strip()
    if not resolution or len(resolution) > CORRECTION_TEXT_MAX:
        raise InvalidInput(f"Say what was done (1 to {CORRECTION_TEXT_MAX} characters).")
    return replace(correction, state="resolved", resolved_at=at, resolved_by=by, resolution=resolution)
