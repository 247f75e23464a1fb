"""Laying out a ReportDocument with Qt, page by page, like the Word document.

The body is a paginated ``QTextDocument`` whose page is the text area
(156 × 225 mm). It is laid out without a paint device, in Qt's logical pixels
with design metrics (so line breaks do not depend on the printer), because Qt
scales some format lengths by the paint device's resolution and not others
(fixed line heights, tables and images are scaled; indents and margins are
not). Pages are painted one by one through a painter scaled to the device;
the page number "— N —" is drawn in the bottom margin (odd pages right, even
pages left, one character in). Word's keep-with-next, which ``QTextDocument``
lacks, is applied after layout by moving a heading that ended a page to the next.

Threads: ``QTextDocument`` and friends are reentrant and ``QPainter`` may paint
on ``QPdfWriter``/``QPrinter``/``QImage`` outside the GUI thread (Qt docs,
"Thread-Support in Qt Modules"), so a layout may be built and painted on a
worker thread as long as everything (document, images as ``QImage``, writer)
is created in that thread — which :func:`render_to_device` does.
"""

from __future__ import annotations

import math
from typing import Callable

import shiboken6

from PySide6.QtCore import QPointF, QRectF, QSizeF, Qt, QUrl
from PySide6.QtGui import (
    QAbstractTextDocumentLayout,
    QColor,
    QFont,
    QFontDatabase,
    QFontInfo,
    QFontMetricsF,
    QImage,
    QPainter,
    QPainterPath,
    QPen,
    QTextBlockFormat,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
    QTextFormat,
    QTextFrameFormat,
    QTextImageFormat,
    QTextLength,
    QTextTableFormat,
)

from parkdesk.report.docx_writer import FOOTER_DISTANCE_MM, HEADING_ROLES, signature_indents
from parkdesk.report.model import (
    CELL_BORDER_PT,
    CELL_MARGIN_PT,
    Attachment,
    Figure,
    Heading,
    PageBreak,
    Paragraph,
    ReportDocument,
    Signature,
    Table,
    render_blocks,
    split_paragraphs,
)

from .fonts import QtReportFonts, resolve_fonts

Progress = Callable[[str, float], None]
_ALIGN = {
    "left": Qt.AlignmentFlag.AlignLeft,
    "center": Qt.AlignmentFlag.AlignHCenter,
    "right": Qt.AlignmentFlag.AlignRight,
    "justify": Qt.AlignmentFlag.AlignJustify,
}
_FIXED = QTextBlockFormat.LineHeightTypes.FixedHeight.value
_PROPORTIONAL = QTextBlockFormat.LineHeightTypes.ProportionalHeight.value
_BREAK_BEFORE = QTextFormat.PageBreakFlag.PageBreak_AlwaysBefore
# Where the baseline of "— N —" sits above the bottom edge of the paper: the
# Word footer's distance plus the descent of the 4号 line, which puts the
# 一字线 about 7 mm under the text area as GB/T 9704 asks.
PAGE_NUMBER_BASELINE_MM = FOOTER_DISTANCE_MM + 1.0
# Bold in a family without a bold face (宋体, WenQuanYi Micro Hei): Qt would
# synthesize it, and its PDF engine does that by writing the text a second
# time, a hair to the right, inside an empty /ActualText span. Readers that
# ignore ActualText (pypdf, PDFium) then extract, copy and search the text
# twice ("江南示范江南示范"). Such runs are laid out and written in regular
# weight, once, and carry this property: the width (layout pixels) of a pen
# that strokes their glyph outlines, drawn over the text as plain vector
# paths (heavier ink, nothing to extract).
FAUX_BOLD = QTextFormat.Property.UserProperty + 1
FAUX_BOLD_STROKE = 1 / 24  # of the em: as much as FreeType's synthetic emboldening adds


def _is_latin(ch: str) -> bool:
    # Like Word with w:hint="eastAsia": only ASCII takes the Latin font;
    # quotes, dashes and ellipses shared with CJK take the Chinese font.
    return ord(ch) < 0x80


def script_runs(text: str) -> list[tuple[str, bool]]:
    """Split text into (piece, is_latin) runs for the Latin and the CJK font."""
    runs: list[tuple[str, bool]] = []
    for ch in text:
        latin = _is_latin(ch)
        if runs and runs[-1][1] == latin:
            runs[-1] = (runs[-1][0] + ch, latin)
        else:
            runs.append((ch, latin))
    return runs


class ReportLayout:
    """A report laid out in pages: ``page_count`` pages, ``paint`` draws them on a device.

    Word's pagination rules that ``QTextDocument`` lacks are enforced by
    rebuilding the layout until none is broken, fixing the earliest break
    first (so earlier pages never change again): a keep-with-next paragraph
    (heading, caption, title) never ends a page, and a table row never
    straddles two pages — the table is continued on the next page with its
    header row repeated.
    """

    MAX_PASSES = 400  # a safety net; each pass fixes one page break

    def __init__(self, document: ReportDocument, fonts: QtReportFonts | None = None,
                 progress: Progress | None = None):
        self.src = document
        self.page = document.page
        self.fonts = fonts or resolve_fonts()
        self.progress = progress or (lambda _m, _f: None)
        self.dpi = layout_dpi()
        self._formats: dict = {}
        self._images: dict[int, QImage] = {}
        self._forced_breaks: set[tuple] = set()  # anchors that start a new page
        self._table_breaks: dict[int, set[int]] = {}  # block index -> rows that start a new page
        self.progress("正在排版……", 0.0)
        for _ in range(self.MAX_PASSES):
            self._build()
            fix = self._first_violation()
            if fix is None:
                break
            kind, value = fix
            if kind == "anchor":
                self._forced_breaks.add(value)
            else:
                index, row = value
                self._table_breaks.setdefault(index, set()).add(row)

    # units ----------------------------------------------------------------------------------
    def pt(self, value: float) -> float:
        return value * self.dpi / 72.0

    def mm(self, value: float) -> float:
        return value * self.dpi / 25.4

    @property
    def page_count(self) -> int:
        return self.doc.pageCount()

    # formats --------------------------------------------------------------------------------
    def _font(self, role: str, size_pt: float, bold: bool = False) -> QFont:
        family = self.fonts.families[role]
        font = QFont(family)
        font.setPointSizeF(size_pt)
        font.setBold(bold and has_bold_face(family))
        return font

    def _char(self, role: str, bold: bool, size_pt: float, spacing_pt: float | None, latin: bool,
              latin_family: str | None = None) -> QTextCharFormat:
        key = (role, bold, size_pt, spacing_pt, latin, latin_family)
        cf = self._formats.get(key)
        if cf is None:
            cf = QTextCharFormat()
            family = self.fonts.families[role]
            cf.setFontFamilies([latin_family or self.fonts.latin, family] if latin else [family])
            cf.setFontPointSize(size_pt)
            real_bold = bold and has_bold_face((latin_family or self.fonts.latin) if latin else family)
            cf.setFontWeight(QFont.Weight.Bold if real_bold else QFont.Weight.Normal)
            if bold and not real_bold:
                cf.setProperty(FAUX_BOLD, self.pt(size_pt) * FAUX_BOLD_STROKE)
            if spacing_pt:
                cf.setFontLetterSpacingType(QFont.SpacingType.AbsoluteSpacing)
                cf.setFontLetterSpacing(self.pt(spacing_pt))
            cf.setForeground(QColor("black"))
            self._formats[key] = cf
        return cf

    def _block_format(self, *, align: str = "justify", first_indent_pt: float = 0.0,
                      line_pt: float | None = None, right_pt: float = 0.0) -> QTextBlockFormat:
        bf = QTextBlockFormat()
        bf.setAlignment(_ALIGN[align])
        bf.setTopMargin(0)
        bf.setBottomMargin(0)
        bf.setTextIndent(self.pt(first_indent_pt))
        bf.setRightMargin(self.pt(right_pt))
        if line_pt is None:
            bf.setLineHeight(100, _PROPORTIONAL)
        else:
            bf.setLineHeight(self.pt(line_pt), _FIXED)
        return bf

    def _body_indent(self) -> float:
        return 2 * self.page.body_pt  # two characters, as w:firstLine in the .docx

    # building -------------------------------------------------------------------------------
    def _build(self) -> None:
        pg, src = self.page, self.src
        self._discard()
        self.doc = QTextDocument()
        self.doc.setUndoRedoEnabled(False)
        self.doc.setUseDesignMetrics(True)
        self.doc.setDocumentMargin(0)
        self.doc.setDefaultFont(self._font("fangsong", pg.body_pt))
        self.doc.setPageSize(QSizeF(self.mm(pg.text_width_mm), self.mm(pg.text_height_mm)))
        self.cursor = QTextCursor(self.doc)
        self._reuse_block = True  # the empty block a new document (or a table) leaves
        self._pending_break = False
        self._keep_next: set[int] = set()  # block numbers kept with the next block
        self._notes: dict[int, tuple[int, int]] = {}  # a table note's block number -> (block index, rows)
        self._anchor_of: dict[int, tuple] = {}  # block number -> stable anchor
        self._tables: list[tuple] = []  # (QTextTable, block index, first anchor's block number)
        self._figure_no = 0
        self._where = (-1, 0)  # (block index, blocks made for it so far)
        for line in split_paragraphs(src.title) or [""]:
            self._para([(line, "title", self.fonts.title_bold, pg.title_pt, None)],
                       self._block_format(align="center", line_pt=pg.line_pitch_pt), keep_next=True)
        if src.subtitle:
            self._para([(src.subtitle, "kai", False, pg.body_pt, None)],
                       self._block_format(align="center", line_pt=pg.line_pitch_pt), keep_next=True)
        self._blank()
        render_blocks(src, self, self._start_block)

    def _start_block(self, index: int, _total: int) -> None:
        self._where = (index, 0)  # anchors of the Qt blocks made for this model block

    def page_break(self, _block: PageBreak, _number: str, _index: int) -> None:
        self._pending_break = True

    def _discard(self) -> None:
        """Delete the previous pass's document now, after dropping every wrapper into it.

        Left to the garbage collector, PySide may free the QTextTable wrappers
        after their document and crash at interpreter exit.
        """
        old = getattr(self, "doc", None)
        self._tables = []
        self.cursor = None
        if old is not None:
            self.doc = None
            shiboken6.delete(old)

    def _new_block(self, bf: QTextBlockFormat, *, keep_next: bool = False) -> None:
        index, k = self._where
        anchor = (index, k)
        self._where = (index, k + 1)
        if self._pending_break or anchor in self._forced_breaks:
            bf.setPageBreakPolicy(_BREAK_BEFORE)
            self._pending_break = False
        if self._reuse_block:
            self.cursor.setBlockFormat(bf)
            self._reuse_block = False
        else:
            self.cursor.insertBlock(bf)
        number = self.cursor.block().blockNumber()
        self._anchor_of[number] = anchor
        if keep_next:
            self._keep_next.add(number)

    def _text(self, text: str, role: str, bold: bool, size_pt: float, spacing_pt: float | None,
              cursor: QTextCursor | None = None) -> None:
        cur = cursor or self.cursor
        for piece, latin in script_runs(text):
            cur.insertText(piece, self._char(role, bold, size_pt, spacing_pt, latin))

    def _para(self, runs, bf: QTextBlockFormat, *, keep_next: bool = False) -> None:
        self._new_block(bf, keep_next=keep_next)
        # the block's own char format sets the height of an empty line
        role, bold, size = (runs[0][1], runs[0][2], runs[0][3]) if runs else ("fangsong", False, self.page.body_pt)
        self.cursor.setBlockCharFormat(self._char(role, bold, size, None, False))
        for text, role, bold, size, spacing in runs:
            if text:
                self._text(text, role, bold, size, spacing)

    def _blank(self, *, keep_next: bool = False) -> None:
        self._para([], self._block_format(line_pt=self.page.line_pitch_pt), keep_next=keep_next)

    def heading(self, block: Heading, number: str, _index: int) -> None:
        pg = self.page
        indent = 0.0 if (block.level == 1 and not pg.level1_indent) else self._body_indent()
        bold = block.level == 3 and pg.level3_bold
        self._para([(number + block.text, HEADING_ROLES[block.level], bold, pg.body_pt, pg.char_spacing_pt)],
                   self._block_format(first_indent_pt=indent, line_pt=pg.line_pitch_pt), keep_next=True)

    def paragraph(self, block: Paragraph, number: str, _index: int) -> None:
        pg = self.page
        pieces = split_paragraphs(block.text)
        if not pieces:
            if not block.lead:
                return
            pieces = [""]
        for k, text in enumerate(pieces):
            runs = []
            if k == 0 and block.lead:
                level = block.lead_level
                runs.append((number + block.lead, HEADING_ROLES[level], level == 3 and pg.level3_bold,
                             pg.body_pt, pg.char_spacing_pt))
            runs.append((text, "fangsong", False, pg.body_pt, pg.char_spacing_pt))
            bf = self._block_format(align=block.align, first_indent_pt=self._body_indent() if block.indent else 0,
                                    line_pt=pg.line_pitch_pt)
            self._para(runs, bf, keep_next=bool(k == 0 and block.lead and len(pieces) == 1 and not text))

    def attachment(self, block: Attachment, _number: str, _index: int) -> None:
        pg = self.page
        self._pending_break = True
        self._para([(block.label, "hei", False, pg.body_pt, None)],
                   self._block_format(align="left", line_pt=pg.line_pitch_pt), keep_next=True)
        if block.title:
            for line in split_paragraphs(block.title):
                self._para([(line, "title", self.fonts.title_bold, pg.title_pt, None)],
                           self._block_format(align="center", line_pt=pg.line_pitch_pt), keep_next=True)
            self._blank(keep_next=True)

    def signature(self, block: Signature, _number: str, _index: int) -> None:
        pg = self.page
        char_pt = pg.body_pt + pg.char_spacing_pt
        org_right, date_right = signature_indents(block.organization, block.date_text)
        self._blank()
        for text, right, keep in ((block.organization, org_right, True), (block.date_text, date_right, False)):
            if text:
                self._para([(text, "fangsong", False, pg.body_pt, pg.char_spacing_pt)],
                           self._block_format(align="right", line_pt=pg.line_pitch_pt, right_pt=right * char_pt),
                           keep_next=keep)

    def _caption(self, text: str, *, keep_next: bool) -> None:
        pg = self.page
        self._para([(text, "hei", False, pg.body_pt, None)],
                   self._block_format(align="center", line_pt=pg.line_pitch_pt), keep_next=keep_next)

    def figure(self, block: Figure, _number: str, _index: int) -> None:
        pg = self.page
        max_h = pg.text_height_mm - 2 * pg.line_pitch_pt / 72 * 25.4
        width_mm, height_mm = block.fitted_size_mm(max_h)
        self._figure_no += 1
        name = f"parkdesk-figure-{self._figure_no}"
        image = self._images.get(id(block))
        if image is None:  # decoded once, reused by every pass
            image = self._images[id(block)] = QImage.fromData(block.image, "PNG")
        self.doc.addResource(QTextDocument.ResourceType.ImageResource.value, QUrl(name), image)
        self._new_block(self._block_format(align="center"), keep_next=bool(block.caption))
        fmt = QTextImageFormat()
        fmt.setName(name)
        fmt.setWidth(self.mm(width_mm))
        fmt.setHeight(self.mm(height_mm))
        self.cursor.insertImage(fmt)
        if block.caption:
            self._caption(block.caption, keep_next=False)

    def table(self, block: Table, _number: str, index: int) -> None:
        pg = self.page
        line = pg.table_line_pt
        if block.caption:
            self._caption(block.caption, keep_next=True)
        if block.unit:
            self._para([(block.unit, "fangsong", False, block.font_pt, None)],
                       self._block_format(align="right", line_pt=line), keep_next=True)
        if self._pending_break:  # as in the .docx: an empty line carries the page break
            self._para([], self._block_format(align="left", line_pt=line))
        rows = list(range(len(block.rows)))
        breaks = sorted(r for r in self._table_breaks.get(index, ()) if 0 < r < len(rows))
        chunks = [rows[a:b] for a, b in zip([0] + breaks, breaks + [len(rows)])]
        for n, chunk in enumerate(chunks):
            # a zero-height line before each part of the table; later parts start a new page
            spacer = self._block_format(align="left", line_pt=0.0)
            if n:
                spacer.setPageBreakPolicy(_BREAK_BEFORE)
            self._new_block(spacer, keep_next=True)
            self.cursor.setBlockCharFormat(self._char("fangsong", False, 1.0, None, False))
            self._table_part(block, index, chunk)
        # the line after the table: its note, or an empty line as in the .docx
        self._para([(block.note, "fangsong", False, block.font_pt, None)] if block.note else [],
                   self._block_format(align="left", line_pt=line))
        if block.note:
            self._notes[self.cursor.block().blockNumber()] = (index, len(block.rows))

    def _table_part(self, block: Table, index: int, rows: list[int]) -> None:
        pg = self.page
        border = self.pt(CELL_BORDER_PT)
        width = self.mm(pg.text_width_mm) - 2 * border
        fmt = QTextTableFormat()
        fmt.setHeaderRowCount(1)
        fmt.setBorder(border)
        fmt.setBorderStyle(QTextFrameFormat.BorderStyle.BorderStyle_Solid)
        fmt.setBorderBrush(QColor("black"))
        fmt.setBorderCollapse(True)
        fmt.setCellSpacing(0)
        fmt.setCellPadding(0)
        fmt.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        fmt.setWidth(QTextLength(QTextLength.Type.FixedLength, width))
        fmt.setColumnWidthConstraints([QTextLength(QTextLength.Type.FixedLength, width * f)
                                       for f in block.column_fractions()])
        fmt.setTopMargin(0)
        fmt.setBottomMargin(0)
        fmt.setMargin(0)
        table = self.cursor.insertTable(len(rows) + 1, block.column_count, fmt)
        # with collapsed borders Qt draws each cell's own border; padding as the .docx cell margins
        cell_format = table.cellAt(0, 0).format().toTableCellFormat()
        cell_format.setBorder(border)
        cell_format.setBorderBrush(QColor("black"))
        cell_format.setBorderStyle(QTextFrameFormat.BorderStyle.BorderStyle_Solid)
        # Word counts a whole border per row, collapsed Qt borders half of one: pad the difference
        cell_format.setTopPadding(self.pt(0.125))
        cell_format.setBottomPadding(self.pt(0.125))
        cell_format.setLeftPadding(self.pt(CELL_MARGIN_PT))
        cell_format.setRightPadding(self.pt(CELL_MARGIN_PT))
        cell_format.setVerticalAlignment(QTextCharFormat.VerticalAlignment.AlignMiddle)
        aligns = block.column_aligns()
        for r, row in enumerate([block.headers] + [block.rows[i] for i in rows]):
            header = r == 0
            for c, text in enumerate(row):
                cell = table.cellAt(r, c)
                cell.setFormat(cell_format)
                cur = cell.firstCursorPosition()
                bf = self._block_format(align="center" if header else aligns[c], line_pt=pg.table_line_pt)
                for k, line in enumerate(split_paragraphs(text) or [""]):
                    if k:
                        cur.insertBlock(bf)
                    else:
                        cur.setBlockFormat(bf)
                    # merge: a cell's first block char format is the cell format (borders, padding)
                    cur.mergeBlockCharFormat(self._char("fangsong", header, block.font_pt, None, False))
                    self._text(line, "fangsong", header, block.font_pt, None, cursor=cur)
        self._tables.append((table, index, rows))
        self.cursor.movePosition(QTextCursor.MoveOperation.End)
        self._reuse_block = True  # Qt leaves an empty block after a table: the next block is that one

    # checking the pagination -----------------------------------------------------------------
    def _line_spans(self, block) -> list[tuple[float, float]]:
        """(top, bottom) in document y of each line of a block (pages are stacked vertically)."""
        top = self.doc.documentLayout().blockBoundingRect(block).top()  # document coordinates
        text_layout = block.layout()
        spans = []
        for i in range(text_layout.lineCount()):
            line = text_layout.lineAt(i)
            spans.append((top + line.y(), top + line.y() + line.height()))
        return spans or [(top, top)]

    def _page_of(self, y: float) -> int:
        return int(math.floor((y + 0.01) / self.doc.pageSize().height()))

    def _line_page(self, span: tuple[float, float]) -> int:
        # by the middle of the line: a title's glyphs may rise above its fixed line box
        return self._page_of((span[0] + span[1]) / 2)

    def _first_violation(self):
        """The earliest broken rule as ("anchor", anchor) or ("table", (index, row)), or None."""
        found = []  # (block number, fix)
        for num in sorted(self._keep_next):
            block = self.doc.findBlockByNumber(num)
            nxt = block.next()
            if not nxt.isValid() or nxt.blockFormat().pageBreakPolicy() & _BREAK_BEFORE:
                continue
            last = self._line_spans(block)[-1]
            if self._line_page(self._line_spans(nxt)[0]) <= self._line_page(last):
                continue
            fix = self._chain_fix(num, last)
            if fix is not None:
                found.append((num, fix))
                break  # the earliest keep-with-next break
        for table, index, rows in self._tables:
            fix = self._table_fix(table, index, rows)
            if fix is not None:
                found.append(fix)
                break
        for num, (index, count) in sorted(self._notes.items()):
            fix = self._note_fix(num, index, count)
            if fix is not None:
                found.append((num, fix))
                break
        if not found:
            return None
        return min(found, key=lambda item: item[0])[1]

    def _chain_fix(self, num: int, last_span):
        """Start a new page at the head of the keep-with-next chain ending at block ``num``."""
        first = num
        while first - 1 in self._keep_next:
            first -= 1
        head = self.doc.findBlockByNumber(first)
        if head.blockFormat().pageBreakPolicy() & _BREAK_BEFORE:
            return None  # already at the top of a page: the chain is longer than a page
        if self._line_page(self._line_spans(head)[0]) != self._line_page(last_span):
            return None  # the chain already spans pages
        anchor = self._anchor_of.get(first)
        return ("anchor", anchor) if anchor is not None else None

    def _note_fix(self, num: int, index: int, count: int):
        """A table's note broken over two pages, or starting a page alone, goes to the next page
        with the table's last row above it (as the .docx keeps them: the last row's paragraphs
        keep with the note)."""
        block = self.doc.findBlockByNumber(num)
        spans = self._line_spans(block)
        page = self._line_page(spans[0])
        parts = [table for table, i, _rows in self._tables if i == index]
        row_page = page
        if parts:
            cell = parts[-1].cellAt(parts[-1].rows() - 1, 0)
            row_page = self._line_page(self._line_spans(cell.lastCursorPosition().block())[-1])
        split = self._line_page(spans[-1]) != page
        if not split and row_page == page:
            return None
        last = count - 1
        if count > 1 and last not in self._table_breaks.get(index, set()):
            return ("table", (index, last))
        if not split or block.blockFormat().pageBreakPolicy() & _BREAK_BEFORE:
            return None  # a one-row table's note starting a page, or a note longer than a page
        anchor = self._anchor_of.get(num)
        return ("anchor", anchor) if anchor is not None else None  # the note whole on the next page

    def _table_fix(self, table, index: int, rows: list[int]):
        """A table row that straddles two pages: continue the table on the next page from it."""
        for r in range(1, table.rows()):
            top, bottom = math.inf, -math.inf
            for c in range(table.columns()):
                cell = table.cellAt(r, c)
                first = self._line_spans(cell.firstCursorPosition().block())[0]
                last = self._line_spans(cell.lastCursorPosition().block())[-1]
                top, bottom = min(top, first[0]), max(bottom, last[1])
            # the row's bottom border must stay on the page too
            if self._page_of(top) == self._page_of(bottom + self.pt(0.5)):
                continue
            block_number = table.cellAt(r, 0).firstCursorPosition().block().blockNumber()
            if r > 1:
                return block_number, ("table", (index, rows[r - 1]))
            # the first row does not fit under the header: move the table with its caption
            spacer = table.firstCursorPosition().block().previous()
            if spacer.blockFormat().pageBreakPolicy() & _BREAK_BEFORE:
                return None  # already at the top of a page: a row taller than a page
            fix = self._chain_fix(spacer.blockNumber(), self._line_spans(spacer)[-1])
            return (block_number, fix) if fix is not None else None
        return None

    # painting -------------------------------------------------------------------------------------
    def _root_blocks(self) -> list:
        """The text blocks of the root frame (paragraphs, headings, figures — not table cells)."""
        root = self.doc.rootFrame()
        blocks = []
        block = self.doc.begin()
        while block.isValid():
            if QTextCursor(block).currentFrame() == root:
                blocks.append(block)
            block = block.next()
        return blocks

    def paint(self, painter: QPainter, device, *, progress: Progress | None = None) -> int:
        """Paint every page on ``device`` (``painter`` is active on it); return the page count.

        Qt's ``QTextLayout::draw`` also draws the last line above its clip
        rectangle (clipped away on paper, but a PDF keeps its text: the line
        ending one page was found again at the top of the next by search and
        copy). So the layout draws only the tables, and each line of the root
        frame's blocks is drawn on the one page it belongs to.
        """
        progress = progress or self.progress
        pg = self.page
        pages = self.page_count
        page_h = self.doc.pageSize().height()
        page_w = self.doc.pageSize().width()
        layout = self.doc.documentLayout()
        scale = device.logicalDpiY() / self.dpi
        lines_on: dict[int, list] = {}  # page -> [(text line, block layout position)]
        blocks = self._root_blocks()
        for block in blocks:
            top = layout.blockBoundingRect(block).top()
            text_layout = block.layout()
            for n in range(text_layout.lineCount()):
                line = text_layout.lineAt(n)
                page = self._line_page((top + line.y(), top + line.y() + line.height()))
                lines_on.setdefault(page, []).append((line, text_layout.position()))
        strokes_on = self._faux_bold_strokes()
        for block in blocks:  # hidden from the layout's own drawing; no relayout is asked for
            block.setVisible(False)
        try:
            for i in range(pages):
                if i:
                    device.newPage()
                painter.save()
                painter.scale(scale, scale)
                painter.translate(self.mm(pg.margin_left_mm), self.mm(pg.margin_top_mm) - i * page_h)
                # a hair beyond the text area: the bottom border of a table row ending the
                # page, and the outer borders of a table as wide as the text (drawn on its edge)
                hair = self.pt(1.0)
                clip = QRectF(-hair, i * page_h, page_w + 2 * hair, page_h + hair)
                painter.setClipRect(clip)
                ctx = QAbstractTextDocumentLayout.PaintContext()
                ctx.clip = clip
                layout.draw(painter, ctx)
                for line, position in lines_on.get(i, []):
                    line.draw(painter, position)
                for path, pen in strokes_on.get(i, []):
                    painter.strokePath(path, pen)
                painter.restore()
                if pg.page_numbers:
                    self._page_number(painter, i + 1)
                progress("正在输出页面……", 0.3 + 0.7 * (i + 1) / pages)
        finally:
            for block in blocks:
                block.setVisible(True)
        return pages

    def _faux_bold_strokes(self) -> dict[int, list[tuple[QPainterPath, QPen]]]:
        """Page → (glyph outlines in document coordinates, pen) of the runs drawn faux bold.

        Every text block counts, table cells too: a cell block's layout sits at
        the top left of its bounding rectangle in the document. A table's header row,
        which Qt repeats at the top of each page the table continues on, is stroked
        there too.
        """
        strokes: dict[int, list] = {}
        block = self.doc.begin()
        while block.isValid():
            for page, path, pen in self._block_strokes(block):
                strokes.setdefault(page, []).append((path, pen))
            block = block.next()
        for table, _index, _rows in self._tables:
            for page, path, pen in self._repeated_header_strokes(table):
                strokes.setdefault(page, []).append((path, pen))
        return strokes

    def _block_strokes(self, block) -> list[tuple[int, QPainterPath, QPen]]:
        runs = []  # (start, end, pen) in the block's text
        for it in block:
            fragment = it.fragment()
            width = fragment.charFormat().property(FAUX_BOLD)
            if fragment.isValid() and width:
                start = fragment.position() - block.position()
                pen = QPen(fragment.charFormat().foreground().color(), float(width))
                pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)  # no miter spikes at sharp corners
                runs.append((start, start + fragment.length(), pen))
        if not runs:
            return []
        found = []
        origin = self.doc.documentLayout().blockBoundingRect(block).topLeft()
        text_layout = block.layout()
        for n in range(text_layout.lineCount()):
            line = text_layout.lineAt(n)
            first, last = line.textStart(), line.textStart() + line.textLength()
            page = self._line_page((origin.y() + line.y(), origin.y() + line.y() + line.height()))
            for start, end, pen in runs:
                start, end = max(start, first), min(end, last)
                if start >= end:
                    continue
                path = QPainterPath()
                for glyph_run in line.glyphRuns(start, end - start):
                    raw = glyph_run.rawFont()
                    for index, pos in zip(glyph_run.glyphIndexes(), glyph_run.positions()):
                        path.addPath(raw.pathForGlyph(index).translated(origin + pos))
                found.append((page, path, pen))
        return found

    def _repeated_header_strokes(self, table) -> list[tuple[int, QPainterPath, QPen]]:
        """The header row's strokes moved to where Qt repeats the row: just above the
        first body row of each later page, as far above it as on the first page."""
        header_rows = table.format().headerRowCount()
        if header_rows <= 0 or table.rows() <= header_rows:
            return []
        layout = self.doc.documentLayout()

        def row_top(r: int) -> float:
            return layout.blockBoundingRect(table.cellAt(r, 0).firstCursorPosition().block()).top()

        header = []
        for r in range(header_rows):
            for c in range(table.columns()):
                cell = table.cellAt(r, c)
                if cell.row() != r or cell.column() != c:
                    continue  # covered by a spanning cell, done with that one
                block, end = cell.firstCursorPosition().block(), cell.lastCursorPosition().block()
                while block.isValid():
                    header.extend(self._block_strokes(block))
                    if block == end:
                        break
                    block = block.next()
        if not header:
            return []
        first_body = row_top(header_rows)
        shown_on = self._page_of(first_body)
        found = []
        for r in range(header_rows + 1, table.rows()):
            if table.cellAt(r, 0).row() != r:
                continue
            top = row_top(r)
            page = self._page_of(top)
            if page == shown_on:
                continue
            shown_on = page  # the first body row on a new page: the header is repeated above it
            shift = top - first_body
            for _page, path, pen in header:
                found.append((page, path.translated(0, shift), pen))
        return found

    def _page_number(self, painter: QPainter, number: int) -> None:
        # drawn unscaled, in device pixels, with the font sized for the device
        pg = self.page
        dpi = painter.device().logicalDpiY()
        font = self._font("song", pg.page_number_pt)
        metrics = QFontMetricsF(font, painter.device())
        text = f"— {number} —"
        width = metrics.horizontalAdvance(text)
        one_char = pg.page_number_pt * dpi / 72
        if number % 2:  # odd: right, one character in from the right edge of the text area
            x = (pg.page_width_mm - pg.margin_right_mm) * dpi / 25.4 - one_char - width
        else:
            x = pg.margin_left_mm * dpi / 25.4 + one_char
        y = (pg.page_height_mm - PAGE_NUMBER_BASELINE_MM) * dpi / 25.4
        painter.save()
        painter.setFont(font)
        painter.setPen(QColor("black"))
        painter.drawText(QPointF(x, y), text)
        painter.restore()


def has_bold_face(family: str) -> bool:
    """Whether ``family`` has a real bold face on this machine (宋体 and WenQuanYi Micro Hei have none).

    Without one, Qt emboldens synthetically, which its PDF engine writes as a
    second copy of the text (see :data:`FAUX_BOLD`). A semibold face is not
    enough: FreeType may still embolden it when bold is asked for.
    """
    bold = QFont.Weight.Bold.value
    return any(QFontDatabase.weight(family, style) >= bold for style in QFontDatabase.styles(family))


def layout_dpi() -> float:
    """The resolution Qt lays out text at without a paint device (its logical DPI)."""
    probe = QFont()
    probe.setPointSizeF(720.0)  # pixel size = 10 × dpi, rounded: precise to 0.1 dpi
    return QFontInfo(probe).pixelSize() / 10.0 or 96.0


def render_to_device(document: ReportDocument, device, *, progress: Progress | None = None) -> int:
    """Lay out and paint a report on a QPdfWriter or QPrinter; return the page count."""
    layout = ReportLayout(document, progress=progress)
    painter = QPainter()
    if not painter.begin(device):
        raise RuntimeError("cannot paint on the device")
    try:
        return layout.paint(painter, device, progress=progress)
    finally:
        painter.end()
