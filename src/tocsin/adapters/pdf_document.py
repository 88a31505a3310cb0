"""What every Tocsin PDF shares, drawn with ReportLab and the Vera fonts it ships (no network, no system
font: every text, French included, is embedded in the file): the fonts, the base paragraph styles, a
writer that builds a story in one language (texts, words, paragraphs, headings, tables, key-value boxes)
and the A4 document with its footer. Each report (evidence file, event sheet, KPI report, degraded-mode
kit) keeps only its own sections."""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import reportlab
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

_FONTS = Path(reportlab.__file__).parent / "fonts"
REGULAR, BOLD, MONO = "TocsinVera", "TocsinVeraBd", "Courier"  # hashes: hex digits, a core font
HEAD = colors.HexColor("#dde3ea")  # a table's header row
GRID = colors.HexColor("#8a96a3")
_registered = False

Messages = Mapping[str, Mapping[str, str]]  # key -> language -> text with {placeholders}


def register() -> None:
    """Registers the Vera fonts with ReportLab, once per process."""
    global _registered  # noqa: PLW0603 - the fonts are registered once per process
    if not _registered:
        pdfmetrics.registerFont(TTFont(REGULAR, str(_FONTS / "Vera.ttf")))
        pdfmetrics.registerFont(TTFont(BOLD, str(_FONTS / "VeraBd.ttf")))
        _registered = True


def escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def base_styles(title_after: float = 4 * mm) -> dict[str, ParagraphStyle]:
    """The styles of the reports' tables: a title, section headings, body text, cells and hashes."""
    return {
        "title": ParagraphStyle("title", fontName=BOLD, fontSize=16, leading=20, spaceAfter=title_after),
        "h2": ParagraphStyle(
            "h2", fontName=BOLD, fontSize=11, leading=14, spaceBefore=4 * mm, spaceAfter=2 * mm
        ),
        "body": ParagraphStyle("body", fontName=REGULAR, fontSize=8.5, leading=11),
        "cell": ParagraphStyle("cell", fontName=REGULAR, fontSize=7.5, leading=9),
        "hash": ParagraphStyle("hash", fontName=MONO, fontSize=5.5, leading=7),
    }


class Writer:
    """Builds a report's story in one language, from its messages (key -> language -> text) and the
    catalogue's words (value -> language -> word)."""

    header_style = "cell"  # the style of a table's header cells
    line_breaks = False  # whether a newline in a text starts a new line in its paragraph

    def __init__(
        self,
        language: str,
        messages: Messages,
        words: Messages,
        styles: dict[str, ParagraphStyle] | None = None,
    ) -> None:
        self.language = language
        self.messages = messages
        self.words = words
        self.styles = base_styles() if styles is None else styles
        self.story: list[Any] = []

    def t(self, key: str, **params: Any) -> str:
        return self.messages[key][self.language].format(**params)

    def word(self, value: str) -> str:
        return self.words.get(value, {}).get(self.language, value)

    def para(self, text: str, style: str = "body") -> Paragraph:
        markup = escape(text)
        if self.line_breaks:
            markup = markup.replace("\n", "<br/>")
        return Paragraph(markup, self.styles[style])

    def heading(self, key: str) -> None:
        self.story.append(self.para(self.t(key), "h2"))

    def table(self, header: Sequence[str], rows: Sequence[Sequence[Any]], widths: Sequence[float]) -> None:
        """A table with a header of message keys (repeated on each page), or the word "none" if no row;
        a cell is a text or a ready paragraph."""
        if not rows:
            self.story.append(self.para(self.t("none")))
            return
        cells = [[self.para(self.t(h), self.header_style) for h in header]]
        cells += [[c if isinstance(c, Paragraph) else self.para(str(c), "cell") for c in row] for row in rows]
        table = Table(cells, colWidths=[w * mm for w in widths], repeatRows=1)
        table.setStyle(
            TableStyle(
                [
                    ("BACKGROUND", (0, 0), (-1, 0), HEAD),
                    ("GRID", (0, 0), (-1, -1), 0.3, GRID),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ]
            )
        )
        self.story.append(table)

    def pairs(
        self,
        rows: Sequence[tuple[str, str]],
        widths: tuple[float, float],
        key_style: str = "cell",
        top: bool = False,
    ) -> None:
        """A box of labels and values, two columns ``widths`` mm wide; ``top`` aligns a row's texts to
        its top."""
        box = Table(
            [[self.para(k, key_style), self.para(v, "cell")] for k, v in rows],
            colWidths=[w * mm for w in widths],
        )
        style: list[Any] = [("GRID", (0, 0), (-1, -1), 0.3, GRID)]
        if top:
            style.append(("VALIGN", (0, 0), (-1, -1), "TOP"))
        box.setStyle(TableStyle(style))
        self.story.append(box)


def build(
    story: list[Any],
    *,
    title: str,
    subject: str | None = None,
    author: str = "Tocsin",
    footer: str | None = None,
    page_label: str = "",
) -> bytes:
    """The story as an A4 PDF's bytes, 15 mm margins. With a ``footer``, each page has it on the left
    and ``page_label`` (its ``{n}``, the page's number) on the right. The same story gives the same bytes.
    """
    out = io.BytesIO()
    document = SimpleDocTemplate(
        out,
        pagesize=A4,
        leftMargin=15 * mm,
        rightMargin=15 * mm,
        topMargin=15 * mm,
        bottomMargin=18 * mm,
        title=title,
        author=author,
        subject=subject,
        invariant=1,  # the same story twice gives the same bytes
    )
    if footer is None:
        document.build(story)
        return out.getvalue()

    def draw_footer(canvas: Any, doc: Any) -> None:
        canvas.saveState()
        canvas.setFont(REGULAR, 7)
        canvas.drawString(15 * mm, 10 * mm, footer)
        canvas.drawRightString(195 * mm, 10 * mm, page_label.format(n=doc.page))
        canvas.restoreState()

    document.build(story, onFirstPage=draw_footer, onLaterPages=draw_footer)
    return out.getvalue()
