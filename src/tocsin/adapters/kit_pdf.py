"""The degraded-mode kit as a PDF, drawn with ReportLab and the Vera fonts ReportLab ships (no network,
no system font: every text, French included, is embedded in the file). Times are the room's.

The open alarms and events first (the most urgent first), then one block per site with open items: its
address and access notes, its instructions, its call list with phones; then the units and partners.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Spacer

from tocsin.adapters.pdf_document import BOLD, REGULAR, Writer, build, register
from tocsin.i18n.catalogue import WORDS
from tocsin.i18n.degraded import KIT
from tocsin.services.kit import SiteSheet, StationKit


def _styles() -> dict[str, ParagraphStyle]:
    return {
        "title": ParagraphStyle("title", fontName=BOLD, fontSize=16, leading=20, spaceAfter=3 * mm),
        "h2": ParagraphStyle(
            "h2", fontName=BOLD, fontSize=12, leading=15, spaceBefore=5 * mm, spaceAfter=2 * mm
        ),
        "h3": ParagraphStyle(
            "h3", fontName=BOLD, fontSize=10, leading=13, spaceBefore=4 * mm, spaceAfter=1.5 * mm
        ),
        "body": ParagraphStyle("body", fontName=REGULAR, fontSize=9, leading=12),
        "cell": ParagraphStyle("cell", fontName=REGULAR, fontSize=8.5, leading=10.5),
        "strong": ParagraphStyle("strong", fontName=BOLD, fontSize=8.5, leading=10.5),
    }


class _Writer(Writer):
    """Builds the kit's story in one language and one time zone."""

    header_style = "strong"

    def __init__(self, language: str, zone: ZoneInfo) -> None:
        super().__init__(language, KIT, WORDS, _styles())
        self.zone = zone

    def when(self, at: datetime | None) -> str:
        return "" if at is None else at.astimezone(self.zone).strftime("%d/%m %H:%M")

    def heading(self, text: str, style: str = "h2") -> None:
        self.story.append(CondPageBreak(30 * mm))  # a heading never ends a page alone
        self.story.append(self.para(text, style))


def render_kit(kit: StationKit, language: str = "en", zone: str = "Europe/Paris") -> bytes:
    """The kit as PDF bytes, in English or French, times in ``zone`` (the room's)."""
    register()
    w = _Writer(language if language in KIT["title"] else "en", ZoneInfo(zone))
    tenant = kit.tenant.name if kit.tenant else ""
    w.story.append(w.para(f"{w.t('title')}{' — ' + tenant if tenant else ''}", "title"))
    w.story.append(
        w.para(w.t("intro", at=kit.made_at.astimezone(w.zone).strftime("%Y-%m-%d %H:%M"), zone=zone))
    )
    _items(w, kit)
    w.heading(w.t("sites"))
    if not kit.sites:
        w.story.append(w.para(w.t("none")))
    for sheet in kit.sites:
        _site(w, sheet)
    if kit.left_out:
        w.story.append(w.para(w.t("left_out", count=kit.left_out)))
    w.heading(w.t("units"))
    w.table(
        ("callsign", "kind", "station", "status"),
        [(u.callsign, w.word(u.kind), u.station, w.word(u.status)) for u in kit.units],
        (45, 40, 50, 45),
    )
    w.heading(w.t("partners"))
    w.table(
        ("name", "kind", "phones", "email", "notes"),
        [(p.name, w.word(p.kind), "  ·  ".join(p.phones), p.email, p.notes) for p in kit.partners],
        (40, 25, 35, 35, 45),
    )
    return _build(w, kit, tenant)


def _items(w: _Writer, kit: StationKit) -> None:
    w.heading(w.t("alarms"))
    w.table(
        ("priority", "class", "site", "opened", "state", "holder"),
        [
            (
                f"P{a.priority}",
                w.word(a.alarm_class),
                f"{a.site_ref} {a.site_name}".strip(),
                w.when(a.opened_at),
                w.word(a.state),
                a.holder_name,
            )
            for a in kit.alarms
        ],
        (14, 30, 62, 24, 22, 28),
    )
    w.heading(w.t("events"))
    w.table(
        ("priority", "type", "place", "opened", "state", "caller"),
        [
            (
                f"P{e.priority}",
                e.type_label_fr if w.language == "fr" else e.type_label_en,
                e.address,
                w.when(e.opened_at),
                w.word(e.state),
                " ".join(x for x in (e.caller_name, e.caller_phone) if x),
            )
            for e in kit.events
        ],
        (14, 36, 56, 24, 20, 30),
    )


def _site(w: _Writer, sheet: SiteSheet) -> None:
    site = sheet.site
    w.heading(f"{site.ref} — {site.name}", "h3")
    address = ", ".join(x for x in (site.address, f"{site.postcode} {site.city}".strip()) if x)
    facts = [(w.t("client"), sheet.client_name), (w.t("address"), address), (w.t("site_notes"), site.notes)]
    w.pairs([(k, v) for k, v in facts if v], (40, 140), "strong")
    for alarm_class, steps in sheet.plans:
        w.story.append(Spacer(1, 2 * mm))
        w.story.append(w.para(w.t("plan", cls=w.word(alarm_class)), "strong"))
        for n, step in enumerate(steps, start=1):
            w.story.append(w.para(f"{n}. {step}"))
    if sheet.temporary:
        w.story.append(Spacer(1, 2 * mm))
        w.story.append(w.para(w.t("temporary"), "strong"))
        for kind, text, until in sheet.temporary:
            w.story.append(w.para(f"• {w.word(kind)}: {text} ({w.t('until', at=w.when(until))})"))
    w.story.append(Spacer(1, 2 * mm))
    w.story.append(w.para(w.t("call_list"), "strong"))
    w.table(
        ("order", "name", "role", "phones"),
        [(str(c.call_order), c.name, w.word(c.role), "  ·  ".join(c.phones)) for c in sheet.contacts],
        (12, 60, 38, 70),
    )


def _build(w: _Writer, kit: StationKit, tenant: str) -> bytes:
    stamp = f"Tocsin — {w.t('title')} — {kit.made_at.astimezone(w.zone).strftime('%Y-%m-%d %H:%M')}"
    return build(w.story, title=w.t("title"), subject=tenant, footer=stamp, page_label=w.t("page", n="{n}"))
