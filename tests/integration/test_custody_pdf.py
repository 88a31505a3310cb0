"""The chain-of-custody sheet as a PDF: one A4 page with ink, in English and French, whose text holds the
requisition, the time range, every file's full SHA-256, the key's fingerprint, the command to verify
and the hand-over lines; an export for a stated reason says it answers no requisition."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime
from uuid import UUID

import pypdfium2 as pdfium
import pytest

from tests.integration.test_evidence_pdf import pdf_text
from tocsin.adapters.custody_pdf import render_custody
from tocsin.services.video_custody import CustodySheet, FileLine

SHEET = CustodySheet(
    export_id=UUID("0192f0a1-7c3e-7d40-8a1b-3c5d7e9f0a1b"),
    node="arc-lyon-1",
    authority="Police nationale, Valmont",
    reference="PN-2026-118",
    received_at=datetime(2026, 12, 1, 8, tzinfo=UTC),
    reason="Police nationale, Valmont PN-2026-118",
    camera="Gate",
    camera_id=UUID("0192f0a1-7c3e-7d40-8a1b-000000000004"),
    site="S001 — Bakery",
    start=datetime(2026, 12, 1, 0, 0, 0, tzinfo=UTC),
    end=datetime(2026, 12, 1, 0, 0, 30, tzinfo=UTC),
    files=(FileLine("clip.mp4", "0f" * 32, 123_456),),
    originals=(FileLine("a/b.mp4", "e1" * 32, 234_567), FileLine("c/d.mp4", "7a" * 32, 1_000)),
    exported_by="Eve Martin (eve)",
    exported_at=datetime(2026, 12, 1, 9, 30, tzinfo=UTC),
    key_id="0123456789abcdef",
    folder_name="PN-2026-118",
    public_key_name="logbook-signing.pem.pub",
)


def _page_and_text(data: bytes) -> tuple[int, int, int, str]:
    pdf = pdfium.PdfDocument(data)
    try:
        image = pdf[0].render(scale=1).to_pil().convert("L")
        return len(pdf), *image.size, pdf_text(pdf)
    finally:
        pdf.close()


@pytest.mark.parametrize(("language", "title"), [("en", "Chain of custody"), ("fr", "Chaîne de possession")])
def test_the_sheet_is_one_a4_page_holding_every_hash(language: str, title: str) -> None:
    """One A4 page; the title in its language, the reference, the range, each SHA-256, key, command."""
    data = render_custody(SHEET, language)
    pages, width, height, text = _page_and_text(data)
    assert pages == 1
    assert (abs(width - 595), abs(height - 842)) <= (1, 1)
    squashed = text.replace("\r", "").replace("\n", "")
    assert title in text
    for needle in ("PN-2026-118", "Police nationale, Valmont", "2026-12-01 00:00:30", "0123456789abcdef"):
        assert needle in squashed
    for line in SHEET.files + SHEET.originals:
        assert line.sha256 in squashed
    assert "tocsin video verify-export PN-2026-118 --public-key logbook-signing.pem.pub" in squashed
    assert ("Remis par" if language == "fr" else "Delivered by") in text


def test_an_export_for_a_reason_says_it_answers_no_requisition() -> None:
    """No authority or reference printed; the reason is."""
    sheet = dataclasses.replace(
        SHEET, authority="", reference="", received_at=None, reason="theft at the gate"
    )
    _, _, _, text = _page_and_text(render_custody(sheet))
    assert "none (export for a stated reason)" in text
    assert "theft at the gate" in text
    assert "Valmont" not in text


def test_the_same_sheet_gives_the_same_bytes() -> None:
    """Printing twice gives the same PDF: its hash in the manifest does not depend on when it was made."""
    assert render_custody(SHEET) == render_custody(SHEET)
