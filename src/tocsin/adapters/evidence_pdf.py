"""The evidence file as a PDF, drawn with ReportLab and the DejaVu-like Vera fonts ReportLab ships (no
network, no system font): every text, French included, is embedded in the file.

One page or more of tables: the alarm and its AVS-01 score, the signals, each verification with its
time and result, the guards and keyholders sent, the calls (the word's result, never the word), the
requests for help, and the logbook entries with their chain, sequence and full hash.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

import reportlab
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from tocsin.i18n.catalogue import WORDS
from tocsin.i18n.verification import PDF
from tocsin.services.evidence import EvidenceFile

_FONTS = Path(reportlab.__file__).parent / "fonts"
REGULAR, BOLD, MONO = "TocsinVera", "TocsinVeraBd", "Courier"  # hashes: hex digits, a core font
_registered = False


def _register() -> None:
    global _registered  # noqa: PLW0603 - the fonts are registered once per process
    if not _registered:
        pdfmetrics.registerFont(TTFont(REGULAR, str(_FONTS / "Vera.ttf")))
        pdfmetrics.registerFont(TTFont(BOLD, str(_FONTS / "VeraBd.ttf")))
        _registered = True


def _styles() -> dict[str, ParagraphStyle]:
    return {
        "title": ParagraphStyle("title", fontName=BOLD, fontSize=16, leading=20, spaceAfter=4 * mm),
        "h2": ParagraphStyle(
            "h2", fontName=BOLD, fontSize=11, leading=14, spaceBefore=4 * mm, spaceAfter=2 * mm
        ),
        "body": ParagraphStyle("body", fontName=REGULAR, fontSize=8.5, leading=11),
        "cell": ParagraphStyle("cell", fontName=REGULAR, fontSize=7.5, leading=9),
        "hash": ParagraphStyle("hash", fontName=MONO, fontSize=5.5, leading=7),
    }


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _when(at: datetime | None) -> str:
    return "" if at is None else at.strftime("%Y-%m-%d %H:%M:%S")


class _Writer:
    """Builds the story of the PDF in one language."""

    def __init__(self, language: str) -> None:
        self.language = language
        self.styles = _styles()
        self.story: list[Any] = []

    def t(self, key: str, **params: Any) -> str:
        return PDF[key][self.language].format(**params)

    def word(self, value: str) -> str:
        return WORDS.get(value, {}).get(self.language, value)

    def threat(self, value: str) -> str:
        return "—" if value == "none" else self.word(value)

    def para(self, text: str, style: str = "body") -> Paragraph:
        return Paragraph(_escape(text), self.styles[style])

    def heading(self, key: str) -> None:
        self.story.append(self.para(self.t(key), "h2"))

    def table(self, header: Sequence[str], rows: Sequence[Sequence[Any]], widths: Sequence[float]) -> None:
        if not rows:
            self.story.append(self.para(self.t("none")))
            return
        cells = [[self.para(self.t(h), "cell") for h in header]]
        for row in rows:
            cells.append([c if isinstance(c, Paragraph) else self.para(str(c), "cell") for c in row])
        table = Table(cells, colWidths=[w * mm for w in widths], repeatRows=1)
        table.setStyle(
            TableStyle(
                [
                    ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#dde3ea")),
                    ("GRID", (0, 0), (-1, -1), 0.3, colors.HexColor("#8a96a3")),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ]
            )
        )
        self.story.append(table)


def render_evidence(file: EvidenceFile, language: str = "en") -> bytes:
    """The evidence file as PDF bytes, in English or French."""
    _register()
    w = _Writer(language if language in ("en", "fr") else "en")
    alarm = file.alarm
    w.story.append(w.para(w.t("title"), "title"))
    w.story.append(w.para(w.t("intro")))
    w.story.append(Spacer(1, 3 * mm))
    verified = ", ".join(w.word(m) for m in file.verified_by) or w.t("not_verified")
    summary = [
        (w.t("id"), str(alarm.id)),
        (w.t("class"), w.word(alarm.alarm_class)),
        (w.t("priority"), f"P{alarm.priority}"),
        (w.t("site"), f"{alarm.site_ref} — {alarm.site_name}"),
        (w.t("opened"), f"{_when(alarm.opened_at)} UTC"),
        (w.t("state"), alarm.state),
        (w.t("operator"), alarm.holder_name or "—"),
        (w.t("outcome"), " ".join(x for x in (alarm.outcome or "", alarm.cause or "") if x) or "—"),
        (w.t("score"), f"{file.avs_score} / 4"),
        (w.t("verified_by"), verified),
    ]
    box = Table([[w.para(k, "cell"), w.para(v, "cell")] for k, v in summary], colWidths=[40 * mm, 135 * mm])
    box.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.3, colors.HexColor("#8a96a3"))]))
    w.story.append(box)

    w.heading("signals")
    w.table(
        ("time", "account", "zone", "event"),
        [
            (
                _when(s.at),
                s.account,
                s.zone,
                f"{s.code} {s.label_en if language == 'en' else s.label_fr} ({s.nature})",
            )
            for s in file.signals
        ],
        (32, 28, 18, 97),
    )
    w.heading("verifications")
    w.table(
        ("time", "method", "result", "threat", "by", "note"),
        [
            (_when(x.at), w.word(x.method), w.word(x.outcome), w.threat(x.threat), x.by, x.note)
            for x in file.verifications
        ],
        (30, 24, 24, 18, 30, 49),
    )
    w.heading("dispatches")
    w.table(
        ("who", "time", "eta", "arrived", "findings", "note"),
        [
            (
                f"{d.name} ({d.kind})",
                _when(d.dispatched_at),
                _when(d.eta),
                _when(d.arrived_at),
                w.word(d.findings),
                d.note,
            )
            for d in file.dispatches
        ],
        (33, 28, 28, 28, 26, 32),
    )
    w.heading("calls")
    w.table(
        ("time", "who", "number", "result", "word", "by"),
        [
            (_when(c.at), c.contact_name, c.number, w.word(c.outcome), w.word(c.result), c.by)
            for c in file.calls
        ],
        (30, 38, 32, 25, 20, 30),
    )
    w.heading("requests")
    w.table(
        ("time", "partner", "message", "reference", "score", "basis", "by"),
        [
            (_when(r.at), r.partner_name, r.message, r.reference, str(r.avs_score), r.basis, r.by)
            for r in file.requests
        ],
        (26, 30, 40, 20, 12, 27, 20),
    )
    w.heading("entries")
    w.table(
        ("seq", "time", "kind", "hash"),
        [
            (f"{e.chain} / {e.seq}", _when(e.recorded_at), e.kind, w.para(e.hash, "hash"))
            for e in file.entries
        ],
        (30, 28, 37, 80),
    )
    w.story.append(Spacer(1, 4 * mm))
    w.story.append(w.para(w.t("made", at=f"{_when(file.made_at)} UTC", by=file.made_by)))

    out = io.BytesIO()
    page_label = w.t("page", n="{n}")

    def footer(canvas: Any, doc: Any) -> None:
        canvas.saveState()
        canvas.setFont(REGULAR, 7)
        canvas.drawString(15 * mm, 10 * mm, f"Tocsin — {alarm.id}")
        canvas.drawRightString(195 * mm, 10 * mm, page_label.format(n=doc.page))
        canvas.restoreState()

    document = SimpleDocTemplate(
        out,
        pagesize=A4,
        leftMargin=15 * mm,
        rightMargin=15 * mm,
        topMargin=15 * mm,
        bottomMargin=18 * mm,
        title=f"Evidence {alarm.id}",
        author="Tocsin",
        subject=f"{alarm.site_ref} {alarm.alarm_class}",
        invariant=1,  # the same file twice gives the same bytes
    )
    document.build(w.story, onFirstPage=footer, onLaterPages=footer)
    return out.getvalue()
