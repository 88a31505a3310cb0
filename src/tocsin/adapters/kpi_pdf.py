"""A period's KPI report as a PDF, drawn with ReportLab and the Vera fonts it ships (as the evidence file
is): the summary, the times to take and to settle per class against the targets, a chart of the signals
per hour, the false alarms by class, site and client, the causes, and the NFPA 1225 dispatch intervals of
the period's events. An empty period is one page that says so."""

from __future__ import annotations

from datetime import datetime

from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import Spacer

from tocsin.adapters.pdf_document import REGULAR, Writer, base_styles, build, register
from tocsin.domain.kpis import ALL_CLASSES, AlarmKpis, FalseRate, Timing
from tocsin.i18n.catalogue import WORDS
from tocsin.i18n.kpis import PDF

_ROWS = 40  # rows of a per-site or per-client table (the worst first); the CSV has them all


def _s(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f} s"


def _pc(value: float) -> str:
    return f"{value * 100:.1f} %"


class _Report(Writer):
    def __init__(self, kpis: AlarmKpis, language: str) -> None:
        super().__init__(language, PDF, WORDS, base_styles(title_after=3 * mm))
        self.kpis = kpis

    def timing_row(self, t: Timing) -> list[str]:
        name = self.t("all") if t.alarm_class == ALL_CLASSES else self.word(t.alarm_class)
        within = " · ".join(
            f"{_pc(w.share)} ≤ {w.target.seconds:g} s ({self.t('met') if w.met else self.t('missed')})"
            for w in t.within
            if t.measured
        )
        return [name, self.t(t.measure), str(t.alarms), str(t.measured), _s(t.p50), _s(t.p90), within or "—"]

    def rates(self, key: str, rates: tuple[FalseRate, ...], words: bool = False) -> None:
        self.heading(key)
        rows = [
            [self.word(r.label) if words else r.label, str(r.settled), str(r.false), _pc(r.rate)]
            for r in rates[:_ROWS]
        ]
        self.table(("name", "settled", "false", "rate"), rows, (95, 25, 25, 35))

    def dispatch(self) -> None:
        """The NFPA 1225 intervals of the period's events (processing, turnout, travel) against targets."""
        found = self.kpis.dispatch
        self.heading("dispatch")
        self.story.append(self.para(self.t("dispatch_note")))
        self.story.append(
            self.para(
                self.t(
                    "dispatch_summary",
                    events=found.events,
                    no_unit=found.no_unit,
                    inconsistent=found.inconsistent,
                )
            )
        )
        rows = []
        for figure in found.figures:
            target = f"{figure.target.share * 100:g} % ≤ {figure.target.seconds:g} s"
            held = self.t("met") if figure.met else self.t("missed")
            rows.append(
                [
                    self.t(figure.interval),
                    str(figure.samples),
                    _s(figure.p50),
                    _s(figure.p90),
                    f"{target}: {_pc(figure.share)} ({held})" if figure.samples else f"{target}: —",
                ]
            )
        self.table(("interval", "samples", "p50", "p90", "target"), rows, (30, 28, 22, 22, 78))

    def chart(self) -> None:
        hours = self.kpis.signals_per_hour
        drawing = Drawing(180 * mm, 45 * mm)
        chart = VerticalBarChart()
        chart.x, chart.y = round(10 * mm), round(8 * mm)
        chart.width, chart.height = round(165 * mm), round(34 * mm)
        chart.data = [[h.signals for h in hours]]
        chart.bars[0].fillColor = colors.HexColor("#3a6ea5")
        chart.valueAxis.valueMin = 0
        chart.valueAxis.labels.fontName = REGULAR
        chart.categoryAxis.labels.fontName = REGULAR
        chart.categoryAxis.labels.fontSize = 5
        step = max(len(hours) // 24, 1)
        chart.categoryAxis.categoryNames = [
            h.hour.strftime("%H") if i % step == 0 else "" for i, h in enumerate(hours)
        ]
        drawing.add(chart)
        self.heading("signals_chart")
        self.story.append(drawing)


def _targets(report: _Report) -> str:
    parts = [
        f"{report.t(m)} {', '.join(t.label for t in report.kpis.targets.of(m))}"
        for m in ("take", "settle")
        if report.kpis.targets.of(m)
    ]
    return "; ".join(parts) or report.t("no_targets")


def render_kpis(
    kpis: AlarmKpis, language: str = "en", *, made_at: datetime | None = None, made_by: str = ""
) -> bytes:
    """The report as PDF bytes, in English or French."""
    register()
    r = _Report(kpis, language if language in ("en", "fr") else "en")
    when = "%Y-%m-%d %H:%M"
    r.story.append(r.para(r.t("title"), "title"))
    r.story.append(
        r.para(r.t("period", start=kpis.period.start.strftime(when), end=kpis.period.end.strftime(when)))
    )
    r.story.append(r.para(r.t("intro", targets=_targets(r))))
    r.story.append(Spacer(1, 3 * mm))
    if kpis.empty:
        r.story.append(r.para(r.t("empty"), "h2"))
    else:
        if kpis.truncated:
            r.story.append(r.para(r.t("truncated"), "h2"))
        r.story.append(
            r.para(
                r.t(
                    "summary",
                    alarms=kpis.alarms,
                    settled=kpis.settled,
                    false_rate=_pc(kpis.false_rate),
                    signals=kpis.signals,
                    per_hour=f"{kpis.mean_signals_per_hour:.1f}",
                )
            )
        )
        r.heading("timings")
        r.table(
            ("class", "measure", "alarms", "measured", "p50", "p90", "targets"),
            [r.timing_row(t) for t in kpis.timings],
            (30, 22, 15, 17, 18, 18, 60),
        )
        r.chart()
        r.rates("by_class", kpis.by_class, words=True)
        r.rates("by_site", kpis.by_site)
        r.rates("by_client", kpis.by_client)
        r.heading("causes")
        r.table(
            ("cause", "outcome", "count", "share"),
            [[c.cause or "—", c.outcome, str(c.count), _pc(c.share)] for c in kpis.causes],
            (70, 40, 30, 40),
        )
    if kpis.dispatch.events:
        r.dispatch()
    if made_at is not None:
        r.story.append(Spacer(1, 4 * mm))
        r.story.append(r.para(r.t("made", at=made_at.strftime("%Y-%m-%d %H:%M:%S"), by=made_by or "—")))
    return build(r.story, title=r.t("title"))
