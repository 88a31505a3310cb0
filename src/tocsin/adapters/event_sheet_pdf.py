"""The printable event sheet as a PDF, drawn with ReportLab and the Vera fonts it ships (as the evidence
file is: no network, no system font, French included): the event, the partners told and their answers,
the report with its APCO dispositions, the corrections asked, and the timeline from the logbook."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from reportlab.lib.units import mm
from reportlab.platypus import Spacer

from tocsin.adapters.pdf_document import Writer, build, register
from tocsin.i18n import render
from tocsin.i18n.catalogue import WORDS
from tocsin.i18n.partners import OUTCOME_LABELS, PDF
from tocsin.services.event_liaison import EventLiaison


def _when(at: datetime | None) -> str:
    return "" if at is None else at.strftime("%Y-%m-%d %H:%M:%S")


class _Sheet(Writer):
    line_breaks = True  # the report's text keeps its lines

    def pairs(
        self,
        rows: Sequence[tuple[str, str]],
        widths: tuple[float, float] = (38, 142),
        key_style: str = "cell",
        top: bool = True,
    ) -> None:
        super().pairs([(k, v or "—") for k, v in rows], widths, key_style, top)


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
    register()
    s = _Sheet(language if language in ("en", "fr") else "en", PDF, WORDS)
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
    ident = found.incident.id
    return build(
        s.story,
        title=f"Event {ident}",
        subject=found.incident.type_code,
        footer=f"Tocsin — {ident}",
        page_label=s.t("page", n="{n}"),
    )
