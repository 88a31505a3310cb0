"""The evidence file as a PDF (see pdf_document: the Vera fonts ReportLab ships, no network, no system
font; every text, French included, is embedded in the file).

One page or more of tables: the alarm and its AVS-01 score, the signals, each verification with its
time and result, the guards and keyholders sent, the calls (the word's result, never the word), the
requests for help, and the logbook entries with their chain, sequence and full hash.
"""

from __future__ import annotations

from datetime import datetime

from reportlab.lib.units import mm
from reportlab.platypus import Spacer

from tocsin.adapters.pdf_document import Writer, build, register
from tocsin.i18n.catalogue import WORDS
from tocsin.i18n.verification import PDF
from tocsin.services.evidence import EvidenceFile


def _when(at: datetime | None) -> str:
    return "" if at is None else at.strftime("%Y-%m-%d %H:%M:%S")


class _Writer(Writer):
    """Builds the story of the PDF in one language."""

    def threat(self, value: str) -> str:
        return "—" if value == "none" else self.word(value)


def render_evidence(file: EvidenceFile, language: str = "en") -> bytes:
    """The evidence file as PDF bytes, in English or French."""
    register()
    w = _Writer(language if language in ("en", "fr") else "en", PDF, WORDS)
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
    w.pairs(summary, (40, 135))

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

    return build(
        w.story,
        title=f"Evidence {alarm.id}",
        subject=f"{alarm.site_ref} {alarm.alarm_class}",
        footer=f"Tocsin — {alarm.id}",
        page_label=w.t("page", n="{n}"),
    )
