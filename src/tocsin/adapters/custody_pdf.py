"""The chain-of-custody sheet of a video export as a PDF (see pdf_document: the Vera fonts ReportLab
ships, every text embedded, no network).

One A4 page: the request (authority, reference, date received) or the reason stated, the footage
(camera, site, time range), the export's files and the original clips with their full SHA-256, who
exported it and when, the node and its key's fingerprint, the command to verify it, and blank lines for
the hand-over signatures (delivered by, received by, date).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Spacer, Table, TableStyle

from tocsin.adapters.pdf_document import GRID, MONO, Writer, base_styles, build, register
from tocsin.i18n.video import CUSTODY_PDF
from tocsin.services.video_custody import CustodySheet, FileLine


def _when(at: datetime | None) -> str:
    return "—" if at is None else at.strftime("%Y-%m-%d %H:%M:%S")


def _files(w: Writer, key: str, files: tuple[FileLine, ...]) -> None:
    w.heading(key)
    w.table(
        ("name", "sha256", "size"),
        [(f.name, w.para(f.sha256, "hash"), str(f.size)) for f in files],
        (52, 103, 25),
    )


def _handover(w: Writer) -> None:
    """Three rows of two blank boxes to sign in: delivered by, received by, each with its date."""
    w.heading("handover")
    rows: list[list[Any]] = [
        [w.para(w.t("delivered_by"), "cell"), w.para(w.t("received_by"), "cell")],
        ["", ""],
        [w.para(w.t("date"), "cell"), w.para(w.t("date"), "cell")],
        ["", ""],
    ]
    box = Table(rows, colWidths=[90 * mm, 90 * mm], rowHeights=[6 * mm, 22 * mm, 6 * mm, 10 * mm])
    box.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.3, GRID), ("VALIGN", (0, 0), (-1, -1), "TOP")]))
    w.story.append(box)


def render_custody(sheet: CustodySheet, language: str = "en") -> bytes:
    """The sheet as PDF bytes, in English or French; the same sheet gives the same bytes."""
    register()
    styles = base_styles()
    styles["hash"] = ParagraphStyle("hash", fontName=MONO, fontSize=7, leading=9)  # read out and compared
    w = Writer(language if language in ("en", "fr") else "en", CUSTODY_PDF, {}, styles)
    w.story.append(w.para(w.t("title"), "title"))
    w.story.append(w.para(w.t("intro")))
    w.heading("request")
    if sheet.reference:
        request = [
            (w.t("authority"), sheet.authority),
            (w.t("reference"), sheet.reference),
            (w.t("received"), f"{_when(sheet.received_at)} UTC"),
        ]
    else:
        request = [(w.t("reference"), w.t("no_requisition"))]
    w.pairs([*request, (w.t("reason"), sheet.reason)], (45, 135))
    w.heading("footage")
    w.pairs(
        [
            (w.t("export_id"), str(sheet.export_id)),
            (w.t("camera"), f"{sheet.camera} ({sheet.camera_id})"),
            (w.t("site"), sheet.site),
            (w.t("range"), f"{_when(sheet.start)} — {_when(sheet.end)}"),
        ],
        (45, 135),
    )
    _files(w, "files", sheet.files)
    _files(w, "originals", sheet.originals)
    w.heading("extraction")
    command = f"tocsin video verify-export {sheet.folder_name} --public-key {sheet.public_key_name}"
    w.pairs(
        [
            (w.t("exported_by"), sheet.exported_by),
            (w.t("exported_at"), _when(sheet.exported_at)),
            (w.t("node"), sheet.node),
            (w.t("key"), sheet.key_id),
            (w.t("verify"), w.t("verify_text")),
        ],
        (45, 135),
        top=True,
    )
    w.story.append(
        Table([[w.para(w.t("command"), "cell"), w.para(command, "hash")]], colWidths=[45 * mm, 135 * mm])
    )
    w.story[-1].setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.3, GRID)]))
    w.story.append(Spacer(1, 2 * mm))
    _handover(w)
    return build(
        w.story,
        title=f"Chain of custody {sheet.export_id}",
        subject=f"{sheet.camera} {sheet.reference or sheet.reason}",
        footer=f"Tocsin — {sheet.export_id}",
        page_label=w.t("page", n="{n}"),
    )
