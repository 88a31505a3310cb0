"""The evidence file as a PDF: its first page rendered to an image is an A4 page with ink on it, and
its text holds the alarm's id, each verification, the request's reference and score, and the full hash
of every logbook entry about the alarm, in English and in French."""

from __future__ import annotations

import pypdfium2 as pdfium
import pytest

from tests.contract.support import Backend, build_world
from tests.contract.test_alarm_calls import call
from tests.contract.test_alarm_verification import run
from tests.contract.test_alarms import OPERATOR, act, alarms, send
from tocsin.adapters.evidence_pdf import render_evidence
from tocsin.domain import alarms as a
from tocsin.domain import verification as v
from tocsin.domain.scope import Scope
from tocsin.services.evidence import EvidenceFile, gather
from tocsin.testing import FakeClock, InMemoryStore


@pytest.fixture(scope="module")
def evidence() -> EvidenceFile:
    """An intrusion verified by a guard on site, after a call, then reported to the police."""
    return verified_evidence()


def verified_evidence() -> EvidenceFile:
    """The evidence file of an intrusion verified by a guard on site, then reported to the police."""
    clock = FakeClock()
    backend = Backend("memory", InMemoryStore(clock), clock)
    world = build_world(backend)
    send(backend, world, "a1", "1130 01 001", "1130 01 002")
    (alarm,) = alarms(backend)
    act(backend, a.TakeAlarm(alarm.id, OPERATOR, "Ann Operator"))
    call(backend, alarm.id, contact_id=world.contacts["a1"].id, number="+33100000000", outcome="no_answer")
    run(
        backend,
        v.RecordVerification(alarm.id, OPERATOR, "Ann Operator", method="video", outcome="inconclusive"),
    )
    dispatch, _ = run(backend, v.DispatchResponder(alarm.id, OPERATOR, "Ann Operator", unit_id=world.unit.id))
    clock.advance(300)
    run(
        backend,
        v.UpdateDispatch(
            alarm.id, OPERATOR, "Ann Operator", dispatch_id=dispatch.id, findings="confirmed_intrusion"
        ),
    )
    run(
        backend,
        v.RequestAuthority(
            alarm.id,
            OPERATOR,
            "Ann Operator",
            partner_id=world.partner.id,
            message="Break-in",
            reference="PN-77",
        ),
    )
    return backend.read(lambda uow: gather(uow, alarm.id, "Ann Operator"), Scope.tenant(world.t1.id))


def pdf_text(pdf: pdfium.PdfDocument) -> str:
    """Every page's text."""
    return "\n".join(pdf[i].get_textpage().get_text_range() for i in range(len(pdf)))


@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_first_page_renders_and_the_text_holds_the_id_and_every_hash(
    evidence: EvidenceFile, language: str
) -> None:
    """An A4 first page with ink; the alarm id, the request, and each entry's hash in the text."""
    data = render_evidence(evidence, language)
    assert data.startswith(b"%PDF")
    pdf = pdfium.PdfDocument(data)
    try:
        image = pdf[0].render(scale=1).to_pil().convert("L")
        text = pdf_text(pdf)
    finally:
        pdf.close()
    width, height = image.size
    assert (abs(width - 595), abs(height - 842)) <= (1, 1)  # A4 at 72 dpi
    histogram = image.histogram()
    dark = sum(histogram[:128])
    assert dark > 2000, "the first page is (almost) blank"
    assert str(evidence.alarm.id) in text
    assert "PN-77" in text
    assert "verified: guard" in text
    assert ("Dossier de preuve" if language == "fr" else "Evidence file") in text
    kinds = {e.kind for e in evidence.entries}
    assert {
        "alarm.opened",
        "alarm.taken",
        "alarm.call",
        "alarm.verified",
        "alarm.authority_requested",
    } <= kinds
    squashed = text.replace("\r", "").replace("\n", "")
    for entry in evidence.entries:
        assert entry.hash in squashed, entry.kind


def test_the_same_file_gives_the_same_bytes(evidence: EvidenceFile) -> None:
    """Printing twice gives the same PDF (no time or random id of its own inside)."""
    assert render_evidence(evidence) == render_evidence(evidence)
