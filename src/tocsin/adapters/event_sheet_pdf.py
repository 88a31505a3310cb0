"""The printable event sheet as a PDF, drawn with ReportLab and the Vera fonts it ships (as the evidence
file is: no network, no system font, French included): the event, the partners told and their answers,
the report with its APCO dispositions, the corrections asked, and the timeline from the logbook."""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from tocsin.adapters.evidence_pdf import REGULAR, _escape, _register, _styles
from tocsin.i18n import render
from tocsin.i18n.catalogue import WORDS
from tocsin.i18n.partners import OUTCOME_LABELS, PDF
from tocsin.services.event_liaison import EventLiaison

GRID = colors.HexColor("#8a96a3")


def _when(at: datetime | None) -> str:
    return "" if at is None else at.strftime("%Y-%m-%d %H:%M:%S")


class _Sheet:
    def __init__(self, language: str) -> None:
        self.language = language
        self.styles = _styles()
        self.story: list[Any] = []

    def t(self, key: str, **params: Any) -> str:
        return PDF[key][self.language].format(**params)

    def word(self, value: str) -> str:
        return WORDS.get(value, {}).get(self.language, value)

    def para(self, text: str, style: str = "body") -> Paragraph:
        return Paragraph(_escape(text).replace("\n", "<br/>"), self.styles[style])

    def heading(self, key: str) -> None:
        self.story.append(self.para(self.t(key), "h2"))

    def pairs(self, rows: Sequence[tuple[str, str]]) -> None:
        box = Table(
            [[self.para(k, "cell"), self.para(v or "—", "cell")] for k, v in rows],
            colWidths=[38 * mm, 142 * mm],
        )
        box.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.3, GRID), ("VALIGN", (0, 0), (-1, -1), "TOP")]))
        self.story.append(box)

    def table(self, header: Sequence[str], rows: Sequence[Sequence[str]], widths: Sequence[float]) -> None:
        if not rows:
            self.story.append(self.para(self.t("none")))
            return
        cells = [[self.para(self.t(h), "cell") for h in header]]
        cells += [[self.para(str(c), "cell") for c in row] for row in rows]
        table = Table(cells, colWidths=[w * mm for w in widths], repeatRows=1)
        table.setStyle(
            TableStyle(
                [
                    ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#dde3ea")),
                    ("GRID", (0, 0), (-1, -1), 0.3, GRID),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ]
            )
        )
        self.story.append(table)


def _summary(s: _Sheet, found: EventLiaison) -> None:
    x = found.incident
    label = x.type_label_fr if s.language == "fr" else x.type_label_en
    located = x.latitude is not None and x.longitude is not None
    s.pairs(
        [
            (s.t("id"), str(x.id)),
            (s.t("type"), f"{x.type_code} — {label} (APCO {x.apco})"),
            (s.t("priority"), f"P{x.priority}"),
            (s.t("state"), x.state),
            (s.t("origin"), x.origin),
            (s.t("address"), x.address),
            (s.t("position"), f"{x.latitude:.6f}, {x.longitude:.6f}" if located else ""),
            (s.t("caller"), " ".join(v for v in (x.caller_name, x.caller_phone) if v)),
            (s.t("opened"), f"{_when(x.opened_at)} UTC"),
            (s.t("closed"), f"{_when(x.closed_at)} UTC" if x.closed_at else ""),
            (s.t("radio"), "" if found.radio is None else found.radio.text()),
            (s.t("summary"), x.summary),
        ]
    )


def _report(s: _Sheet, found: EventLiaison) -> None:
    s.heading("report")
    report = found.report
    if report is None:
        s.story.append(s.para(s.t("no_report")))
        return
    outcomes = ", ".join(
        f"{OUTCOME_LABELS[o][s.language]} ({d})"
        for o, d in zip(report.outcomes, report.dispositions, strict=False)
    )
    s.pairs(
        [
            (s.t("outcomes"), outcomes),
            (s.t("written"), f"{_when(report.written_at)} UTC — {report.by}"),
            (s.t("report"), report.text),
        ]
    )


def render_sheet(found: EventLiaison, language: str = "en", made_by: str = "") -> bytes:
    """The event sheet as PDF bytes, in English or French."""
    _register()
    s = _Sheet(language if language in ("en", "fr") else "en")
    s.story.append(s.para(s.t("title"), "title"))
    s.story.append(s.para(s.t("intro")))
    s.story.append(Spacer(1, 3 * mm))
    _summary(s, found)
    s.heading("partners")
    s.table(
        ("time", "partner", "channel", "message", "answer"),
        [
            (
                _when(r.sent_at),
                r.partner_name,
                f"{s.word(r.channel)} {r.address}",
                r.message,
                f"{_when(r.acked_at)} {r.reference}".strip() if r.acknowledged else s.t("waiting"),
            )
            for r in found.requests
        ],
        (26, 32, 30, 62, 30),
    )
    _report(s, found)
    s.heading("corrections")
    s.table(
        ("time", "about", "what", "status"),
        [(_when(c.filed_at), f"{s.word(c.subject)} {c.ref}", c.text, c.state) for c in found.corrections],
        (26, 40, 90, 24),
    )
    s.heading("timeline")
    s.table(
        ("time", "by", "what"),
        [(_when(t.at), t.actor, render(t.message, t.params, s.language)) for t in found.incident.timeline],
        (28, 32, 120),
    )
    s.story.append(Spacer(1, 4 * mm))
    s.story.append(s.para(s.t("made", at=f"{_when(found.made_at)} UTC", by=made_by or "—")))
    out = io.BytesIO()
    page_label = s.t("page", n="{n}")
    ident = found.incident.id

    def footer(canvas: Any, doc: Any) -> None:
        canvas.saveState()
        canvas.setFont(REGULAR, 7)
        canvas.drawString(15 * mm, 10 * mm, f"Tocsin — {ident}")
        canvas.drawRightString(195 * mm, 10 * mm, page_label.format(n=doc.page))
        canvas.restoreState()

    document = SimpleDocTemplate(
        out,
        pagesize=A4,
        leftMargin=15 * mm,
        rightMargin=15 * mm,
        topMargin=15 * mm,
        bottomMargin=18 * mm,
        title=f"Event {ident}",
        author="Tocsin",
        subject=found.incident.type_code,
        invariant=1,
    )
    document.build(s.story, onFirstPage=footer, onLaterPages=footer)
    return out.getvalue()
