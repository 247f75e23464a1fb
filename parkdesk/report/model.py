"""The report model: what a work report says, independent of how it is drawn.

Plain data only — no Qt, no python-docx. The drafting code builds a
:class:`ReportDocument`; two renderers draw the same document: the Word writer
(:mod:`parkdesk.report.docx_writer`) and the Qt print / PDF renderer
(``ui/report``). See ``parkdesk/report/README.md`` for how to use it.

Heading numbers (一、 / （一） / 1. / （1）) are never stored: they are computed
from the position of each block (:func:`number_blocks`), so adding or removing
a section renumbers everything after it.
"""

from __future__ import annotations

import datetime as _dt
import re
import struct
from dataclasses import dataclass, field
from typing import Callable, Iterator, Union

from ..numbers import date_cn, heading_number

LEVELS = (1, 2, 3, 4)
ALIGNMENTS = ("left", "center", "right", "justify")
MAX_FIGURE_WIDTH_MM = 156.0  # the width of the text area (210 − 28 − 26 mm)
MIN_FIGURE_DPI = 200

_PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
# C0 control characters other than tab and newline are not allowed in XML and
# arrive with text pasted from other programs.
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# A number typed by hand at the start of a heading ("一、", "（二）", "3.", "（4）").
_LEADING_NUMBER_RE = re.compile(
    r"^\s*(?:[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十\d]+[）)]|\d+[.．、](?!\d))\s*"
)


def clean_text(text) -> str:
    """Text safe for every renderer: no control characters, no carriage returns."""
    if text is None:
        return ""
    s = str(text).replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROL_RE.sub("", s)


def split_paragraphs(text) -> list[str]:
    """The paragraphs of a text block: one per non-empty line."""
    return [line.strip() for line in clean_text(text).split("\n") if line.strip()]


def strip_heading_number(text: str) -> str:
    """Remove a number typed by hand at the start of a heading ("（二）坚持…" → "坚持…")."""
    return _LEADING_NUMBER_RE.sub("", clean_text(text), count=1)


def _check_level(level, what: str) -> int:
    if level not in LEVELS:
        raise ValueError(f"{what} level must be 1–4, got {level!r}")
    return int(level)


# --- blocks ------------------------------------------------------------------------------
@dataclass
class Heading:
    """A heading on its own line; its number comes from its position.

    ``text`` excludes the number ("主要指标完成情况", not "一、主要指标完成情况").
    """

    level: int
    text: str
    key: str = ""
    numbered: bool = True

    def __post_init__(self):
        self.level = _check_level(self.level, "Heading")
        self.text = clean_text(self.text).strip()


@dataclass
class Paragraph:
    """A body paragraph, optionally opening with a run-in heading (``lead``).

    The seeds write second-level points as run-in leads:
    "（一）坚持产业定力，科学构建发展格局。按照……" is
    ``Paragraph("按照……", lead="坚持产业定力，科学构建发展格局。", lead_level=2)``.
    The lead is set in the heading font of ``lead_level`` and numbered like a
    heading of that level (unless ``numbered`` is False); the text follows in
    the body font. Several lines in ``text`` become several paragraphs.
    """

    text: str
    key: str = ""
    lead: str | None = None
    lead_level: int | None = None
    numbered: bool = True
    align: str = "justify"
    indent: bool = True  # first line indented two characters

    def __post_init__(self):
        self.text = clean_text(self.text)
        if self.lead is not None:
            self.lead = clean_text(self.lead).strip() or None
        if self.lead is not None:
            self.lead_level = _check_level(self.lead_level if self.lead_level is not None else 2, "Lead")
        elif self.lead_level is not None:
            self.lead_level = _check_level(self.lead_level, "Lead")
        if self.align not in ALIGNMENTS:
            raise ValueError(f"align must be one of {ALIGNMENTS}, got {self.align!r}")

    @property
    def numbering_level(self) -> int | None:
        """The heading level this paragraph counts as (None without a lead)."""
        return self.lead_level if self.lead else None


@dataclass
class Table:
    """A table with one header row; cells are text (format figures before).

    ``widths`` are relative column weights scaled to the text width; ``aligns``
    is "left" / "center" / "right" per column (default: guessed from the cells,
    see :meth:`column_aligns`). ``unit`` ("单位：亿元") is printed above the table on
    the right, ``note`` ("注：……") below it. Cells are 仿宋 4号 (``font_pt``).
    """

    caption: str
    headers: list[str]
    rows: list[list[str]]
    key: str = ""
    widths: list[float] | None = None
    aligns: list[str] | None = None
    note: str = ""
    unit: str = ""
    font_pt: float = 14.0
    # With ``widths``: the column (names, which wrap well) that gives up room so that
    # no figure and no header line of another column breaks over two lines.
    flexible: int | None = None

    def __post_init__(self):
        self.caption = clean_text(self.caption).strip()
        self.headers = [clean_text(h) for h in self.headers]
        n = len(self.headers)
        if n == 0:
            raise ValueError("a table needs at least one column")
        rows = []
        for i, row in enumerate(self.rows):
            cells = ["" if c is None else clean_text(c) for c in row]
            if len(cells) > n:
                raise ValueError(f"table row {i + 1} has {len(cells)} cells, the header has {n}")
            rows.append(cells + [""] * (n - len(cells)))
        self.rows = rows
        if self.flexible is not None and (self.widths is None or self.flexible not in range(n)):
            raise ValueError("flexible: the index of a column, with widths")
        if self.widths is not None:
            if len(self.widths) != n or any(float(w) <= 0 for w in self.widths):
                raise ValueError("widths: one positive weight per column")
            self.widths = [float(w) for w in self.widths]
            if self.flexible is not None:
                self.widths = self._fit_figures(self.widths, self.flexible)
        if self.aligns is not None:
            if len(self.aligns) != n or any(a not in ALIGNMENTS for a in self.aligns):
                raise ValueError(f"aligns: one of {ALIGNMENTS} per column")
            self.aligns = list(self.aligns)
        self.note = clean_text(self.note).strip()
        self.unit = clean_text(self.unit).strip()
        if not 7 <= float(self.font_pt) <= 22:
            raise ValueError("font_pt must be between 7 and 22")
        self._keep_last_lines_whole()

    def _keep_last_lines_whole(self) -> None:
        """A name that would wrap with one character alone on its last line ("一般公共预算收" /
        "入") is broken a character earlier ("一般公共预算" / "收入"), as a typist would.

        Only cells of Chinese characters alone are touched — their printed width is exact
        (each character one em), so where the renderer wraps them is known; a cell with
        Latin letters, digits, spaces or punctuation wraps by its renderer's own rules.
        """
        for j in range(self.column_count):
            capacity = self.line_chars(j)
            if capacity < 3:
                continue
            for row in self.rows:
                text = row[j]
                if len(text) % capacity != 1 or len(text) < capacity or not _IDEOGRAPHS_RE.match(text):
                    continue
                lines = [text[k:k + capacity] for k in range(0, len(text), capacity)]
                lines[-1] = lines[-2][-1] + lines[-1]
                lines[-2] = lines[-2][:-1]
                row[j] = "\n".join(lines)

    @property
    def column_count(self) -> int:
        return len(self.headers)

    def _fit_figures(self, widths: list[float], flexible: int) -> list[float]:
        """Fit each column but ``flexible`` to its content: narrower when all of it fits in
        less (单位), wider when a figure or a header line would break ("41610.5 / 6" in a
        column weighed for 5 characters); ``flexible`` takes what is left, at least half
        its weight. A column of longer text (形象进度) keeps its weight and wraps."""
        fitted = list(widths)
        for j in range(len(widths)):
            if j == flexible:
                continue
            lines = self.headers[j].split("\n")
            cells = [r[j].strip() for r in self.rows]
            figures = [c for c in cells if _NUMBER_CELL_RE.match(c)]
            whole = max(_print_width(t) for t in lines + cells) + CELL_PADDING_EM
            if whole <= widths[j]:
                fitted[j] = whole
            else:
                fitted[j] = max(widths[j], max(_print_width(t) for t in lines + figures) + CELL_PADDING_EM)
        others = sum(w for j, w in enumerate(fitted) if j != flexible)
        fitted[flexible] = max(sum(widths) - others, widths[flexible] / 2)
        return fitted

    def column_fractions(self) -> list[float]:
        """Each column's share of the table width (sums to 1)."""
        weights = self.widths or _default_weights(self)
        total = sum(weights)
        return [w / total for w in weights]

    def line_capacity(self, column: int) -> float:
        """How many Chinese characters (one em each) a line of ``column`` holds: its share of
        the table (the text width less the outer borders) less the cell's margins
        (:data:`CELL_MARGIN_PT` each side, as both renderers set them) and its border — what
        the Qt PDF gives; Word gives a little more (it draws borders in the margins)."""
        width_pt = self.column_fractions()[column] * (MAX_FIGURE_WIDTH_MM * 72 / 25.4 - 2 * CELL_BORDER_PT)
        return (width_pt - 2 * CELL_MARGIN_PT - CELL_BORDER_PT) / float(self.font_pt)

    def line_chars(self, column: int) -> int:
        """Whole Chinese characters a line of ``column`` holds (one that would only just fit,
        within Qt's rounding of the layout, not counted)."""
        return int(self.line_capacity(column) - 0.03)

    def column_aligns(self) -> list[str]:
        """The alignment of each column: as given, else guessed from its cells.

        Figures are right-aligned, short counters (序号) and short texts
        centred, text that wraps in its column left-aligned.
        """
        if self.aligns:
            return list(self.aligns)
        aligns = []
        for j in range(self.column_count):
            cells = [r[j] for r in self.rows if r[j].strip()]
            capacity = self.line_capacity(j)
            if cells and all(_NUMBER_CELL_RE.match(c.strip()) for c in cells):
                aligns.append("center" if all(c.strip().isdigit() and len(c.strip()) <= 3 for c in cells)
                              else "right")
            elif any(_text_width(c) > capacity for c in cells):
                aligns.append("left")
            else:
                aligns.append("center")
        return aligns


_NUMBER_CELL_RE = re.compile(r"^[+\-−]?[\d,，.]+%?$|^[—–-]$")
_IDEOGRAPHS_RE = re.compile(r"^[\u4e00-\u9fff]+$")


def _default_weights(table: Table) -> list[float]:
    """Column weights from the longest text in each column (headers count too)."""
    weights = []
    for j in range(table.column_count):
        longest = max([_text_width(table.headers[j])] + [_text_width(r[j]) for r in table.rows])
        weights.append(min(max(longest, 2.0), 14.0))
    return weights


CELL_PADDING_EM = 0.7  # room left beside a figure or header line when a column is fitted to it (generous)
CELL_MARGIN_PT = 2.85  # a table cell's left and right text margins (.docx tblCellMar 57 twips; the Qt PDF the same)
CELL_BORDER_PT = 0.5  # a cell's border


def _print_width(text: str) -> float:
    """Printed width in characters, generously: a figure's digits in a serif Latin font
    (Times New Roman, or the serif that stands in for it) take up to 0.62 of a CJK character."""
    return sum(0.62 if ord(ch) < 0x80 else 1.0 for ch in text)


def _text_width(text: str) -> float:
    """Width of a text in character cells: CJK counts 1, ASCII counts ½."""
    return sum(0.5 if ord(ch) < 0x80 else 1.0 for ch in text)


@dataclass
class Figure:
    """A picture (PNG bytes) with a caption below it, at most 156 mm wide.

    Make the PNG with :func:`parkdesk.report.figures.png_from_figure`, which
    renders a matplotlib figure at the printed size and ≥ 200 dpi.
    """

    caption: str
    image: bytes
    width_mm: float = 150.0
    key: str = ""

    def __post_init__(self):
        self.caption = clean_text(self.caption).strip()
        if not isinstance(self.image, (bytes, bytearray)) or not bytes(self.image).startswith(_PNG_MAGIC):
            raise ValueError("Figure.image must be PNG bytes")
        self.image = bytes(self.image)
        if not 0 < float(self.width_mm) <= MAX_FIGURE_WIDTH_MM:
            raise ValueError(f"Figure.width_mm must be in (0, {MAX_FIGURE_WIDTH_MM:g}] mm")
        self.width_mm = float(self.width_mm)

    @property
    def pixel_size(self) -> tuple[int, int]:
        """(width, height) of the PNG in pixels."""
        return png_size(self.image)

    @property
    def height_mm(self) -> float:
        w, h = self.pixel_size
        return self.width_mm * h / w

    @property
    def dpi(self) -> float:
        """The resolution the picture prints at when ``width_mm`` wide."""
        return self.pixel_size[0] / (self.width_mm / 25.4)

    def fitted_size_mm(self, max_height_mm: float) -> tuple[float, float]:
        """(width, height) in mm, scaled down to fit ``max_height_mm`` if needed."""
        w, h = self.width_mm, self.height_mm
        if h > max_height_mm > 0:
            w, h = w * max_height_mm / h, max_height_mm
        return w, h


def png_size(data: bytes) -> tuple[int, int]:
    """Width and height of a PNG image, read from its header."""
    if len(data) < 24 or not data.startswith(_PNG_MAGIC) or data[12:16] != b"IHDR":
        raise ValueError("not a PNG image")
    width, height = struct.unpack(">II", data[16:24])
    if width <= 0 or height <= 0:
        raise ValueError("empty PNG image")
    return width, height


@dataclass
class PageBreak:
    """The next block starts on a new page."""

    key: str = ""


@dataclass
class Attachment:
    """Starts an attachment: a new page, "附件1" top left in 黑体, the title centred.

    Heading numbers restart inside each attachment.
    """

    label: str
    title: str
    key: str = ""

    def __post_init__(self):
        self.label = clean_text(self.label).strip()
        self.title = clean_text(self.title).strip()


@dataclass
class Signature:
    """The signing body and the date, right-aligned after the body text."""

    organization: str
    date: _dt.date | str
    key: str = "signature"

    def __post_init__(self):
        self.organization = clean_text(self.organization).strip()
        if isinstance(self.date, _dt.datetime):
            self.date = self.date.date()
        elif isinstance(self.date, str) and self.date.strip():
            try:  # an ISO date becomes a date; any other text is printed as given
                self.date = _dt.date.fromisoformat(self.date.strip()[:10])
            except ValueError:
                self.date = clean_text(self.date).strip()

    @property
    def date_text(self) -> str:
        """The date in Arabic numerals: "2026年12月20日"."""
        if isinstance(self.date, _dt.date):
            return date_cn(self.date)
        return str(self.date or "")


Block = Union[Heading, Paragraph, Table, Figure, PageBreak, Attachment, Signature]
BLOCK_TYPES = (Heading, Paragraph, Table, Figure, PageBreak, Attachment, Signature)


# --- page settings -------------------------------------------------------------------------
@dataclass
class PageSettings:
    """Page geometry and type sizes; the defaults are DESIGN 3.1 (GB/T 9704 for 材料)."""

    page_width_mm: float = 210.0
    page_height_mm: float = 297.0
    margin_top_mm: float = 37.0
    margin_bottom_mm: float = 35.0
    margin_left_mm: float = 28.0
    margin_right_mm: float = 26.0
    line_pitch_pt: float = 28.95  # 22 lines in the 225 mm text area
    title_pt: float = 22.0  # 2号
    body_pt: float = 16.0  # 3号
    char_spacing_pt: float = -0.25  # squeezes 3号 text to 28 characters a line
    page_number_pt: float = 14.0  # 4号
    table_line_pt: float = 20.0  # exact line height inside table cells
    level3_bold: bool = False  # setting ``report.level3_bold``
    level1_indent: bool = False  # level-1 headings flush left (True: indented like body text)
    page_numbers: bool = True

    @property
    def text_width_mm(self) -> float:
        return self.page_width_mm - self.margin_left_mm - self.margin_right_mm

    @property
    def text_height_mm(self) -> float:
        return self.page_height_mm - self.margin_top_mm - self.margin_bottom_mm

    @property
    def lines_per_page(self) -> int:
        return int(self.text_height_mm / 25.4 * 72 / self.line_pitch_pt + 1e-6)

    @property
    def chars_per_line(self) -> int:
        pitch = self.body_pt + self.char_spacing_pt
        return int(self.text_width_mm / 25.4 * 72 / pitch + 1e-6)


# --- the document --------------------------------------------------------------------------
@dataclass
class ReportDocument:
    """A report: title, optional subtitle line, blocks in reading order, page settings.

    The signature is a :class:`Signature` block (``signature`` finds it,
    ``set_signature`` places it before the attachments).
    """

    title: str
    blocks: list[Block] = field(default_factory=list)
    subtitle: str = ""
    page: PageSettings = field(default_factory=PageSettings)

    def __post_init__(self):
        self.title = clean_text(self.title).strip()
        self.subtitle = clean_text(self.subtitle).strip()
        for block in self.blocks:
            if not isinstance(block, BLOCK_TYPES):
                raise TypeError(f"not a report block: {block!r}")

    # signature --------------------------------------------------------------------------
    @property
    def signature(self) -> Signature | None:
        return next((b for b in self.blocks if isinstance(b, Signature)), None)

    def set_signature(self, organization: str, date: _dt.date | str) -> Signature:
        """Replace the signature, or add one before the first attachment."""
        sig = Signature(organization, date)
        for i, block in enumerate(self.blocks):
            if isinstance(block, Signature):
                sig.key = block.key
                self.blocks[i] = sig
                return sig
        at = next((i for i, b in enumerate(self.blocks) if isinstance(b, Attachment)), len(self.blocks))
        self.blocks.insert(at, sig)
        return sig

    # editing by key ---------------------------------------------------------------------
    def index_of(self, key: str) -> int:
        """Position of the block with ``key``.

        :raises KeyError: when no block has it.
        """
        for i, block in enumerate(self.blocks):
            if block.key == key:
                return i
        raise KeyError(key)

    def find(self, key: str) -> Block | None:
        return next((b for b in self.blocks if b.key == key), None)

    def insert_after(self, key: str, *blocks: Block) -> None:
        """Insert blocks right after the block with ``key``."""
        at = self.index_of(key) + 1
        self.blocks[at:at] = list(blocks)

    def remove(self, key: str) -> Block:
        """Remove and return the block with ``key``."""
        return self.blocks.pop(self.index_of(key))

    def duplicate_keys(self) -> list[str]:
        """Keys used by more than one block (they must be unique to keep edits)."""
        seen: set[str] = set()
        dupes: list[str] = []
        for block in self.blocks:
            if block.key and block.key in seen and block.key not in dupes:
                dupes.append(block.key)
            seen.add(block.key)
        return dupes

    # numbering ----------------------------------------------------------------------------
    def numbers(self) -> list[str]:
        """The number shown before each block ("" for none), see :func:`number_blocks`."""
        return number_blocks(self.blocks)

    def numbered(self) -> Iterator[tuple[Block, str]]:
        """Each block with its number."""
        return zip(self.blocks, self.numbers())

    def outline(self) -> list[tuple[str, int, str]]:
        """(key, level, "一、主要指标完成情况") for every heading and lead, in order."""
        out = []
        for block, number in self.numbered():
            if isinstance(block, Heading):
                out.append((block.key, block.level, number + block.text))
            elif isinstance(block, Paragraph) and block.lead:
                out.append((block.key, block.lead_level, number + block.lead))
        return out

    def plain_text(self) -> str:
        """The report as plain text, one paragraph a line (as the seeds are written)."""
        lines = [self.title]
        if self.subtitle:
            lines.append(self.subtitle)
        for block, number in self.numbered():
            if isinstance(block, Heading):
                lines.append(number + block.text)
            elif isinstance(block, Paragraph):
                parts = split_paragraphs(block.text) or [""]
                parts[0] = number + (block.lead or "") + parts[0]
                lines.extend(p for p in parts if p)
            elif isinstance(block, Table):
                if block.caption:
                    lines.append(block.caption)
                # A line break in a cell is where it is set on paper ("同比" / "（%）"), not part of it.
                lines.append("\t".join(h.replace("\n", "") for h in block.headers))
                lines.extend("\t".join(c.replace("\n", "") for c in r) for r in block.rows)
                if block.note:
                    lines.append(block.note)
            elif isinstance(block, Figure):
                lines.append(block.caption)
            elif isinstance(block, Attachment):
                lines.extend([block.label, block.title])
            elif isinstance(block, Signature):
                lines.extend([block.organization, block.date_text])
        return "\n".join(line for line in lines if line)


def number_blocks(blocks: list[Block]) -> list[str]:
    """The number of each block, from its position: 一、 / （一） / 1. / （1）.

    Headings and paragraph leads share the counters of their level; a new
    heading resets the counters below it; an :class:`Attachment` restarts all
    numbering. Unnumbered headings get "" and still reset the levels below.
    """
    counters = [0] * 5
    out: list[str] = []
    for block in blocks:
        if isinstance(block, Attachment):
            counters = [0] * 5
            out.append("")
            continue
        if isinstance(block, Heading):
            level, numbered = block.level, block.numbered
        elif isinstance(block, Paragraph) and block.lead:
            level, numbered = block.lead_level, block.numbered
        else:
            out.append("")
            continue
        for deeper in range(level + 1, 5):
            counters[deeper] = 0
        if not numbered:
            out.append("")
            continue
        counters[level] += 1
        out.append(heading_number(level, counters[level]))
    return out


_HANDLER_NAMES = {
    Heading: "heading", Paragraph: "paragraph", Table: "table", Figure: "figure",
    PageBreak: "page_break", Attachment: "attachment", Signature: "signature",
}


def render_blocks(document: ReportDocument, handler, on_block: Callable[[int, int], None] | None = None) -> None:
    """Walk the blocks in order, calling ``handler.<kind>(block, number, index)``.

    ``kind`` is heading, paragraph, table, figure, page_break, attachment or
    signature; ``number`` is the block's heading number ("" for none). Both
    renderers use this one dispatch. ``on_block(index, total)`` is called
    before each block (for progress).
    """
    total = len(document.blocks)
    for index, (block, number) in enumerate(document.numbered()):
        if on_block is not None:
            on_block(index, total)
        getattr(handler, _HANDLER_NAMES[type(block)])(block, number, index)


def sample_document() -> ReportDocument:
    """A realistic report using every block type (for tests and documentation)."""
    from .sample import build_sample

    return build_sample()
