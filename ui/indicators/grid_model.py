"""The entry grid of one year: indicators grouped by category × months.

Rows carry "name（unit）" in the vertical header, so they stay in view while
the months scroll. Columns: 1月 … 12月 (1—N月累计, or the month-end value;
growth-only indicators take their official growth here),
then for the selected month N 上年同期 and 官方同比, and for the year 年度目标,
预计全年, 预计增长.
The model never writes: an edit is parsed here and handed to ``commit``
(the tab), which writes it through ``Ops`` as one undo step.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt, Signal
from PySide6.QtGui import QColor, QFont

from parkdesk.catalog import GROWTH_ONLY, KIND_LABELS, RATE
from parkdesk.errors import ValidationError
from parkdesk.indicators import Cell, Indicator, MonthValue, YearFigures
from parkdesk.numbers import fmt, month_range

from ..widgets.memo import MemoizedModel

FIRST_MONTH = 0  # columns 0..11 are 1月..12月
COL_PRIOR, COL_OFFICIAL, COL_TARGET, COL_FORECAST, COL_FORECAST_YOY = 12, 13, 14, 15, 16
COLUMN_COUNT = 17

HEADER_BG = QColor("#e4ebf5")
LOCKED_BG = QColor("#f1f2f4")
PERIOD_BG = QColor("#f2f7ff")
FLAG_BG = {"missing": QColor("#fff1a8")}
FLAG_BG_DEFAULT = QColor("#ffd2a1")

# Roles, alignments and brushes bound once: a view asks both tables thousands of
# times at their first paint, and each ``Qt.ItemDataRole.X`` or flag ``|`` is a
# Python-level enum lookup.
DISPLAY, EDIT, ALIGNMENT, BACKGROUND, FOREGROUND, FONT, TOOLTIP, DECORATION = (
    Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole, Qt.ItemDataRole.TextAlignmentRole,
    Qt.ItemDataRole.BackgroundRole, Qt.ItemDataRole.ForegroundRole, Qt.ItemDataRole.FontRole,
    Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.DecorationRole,
)
ALIGN_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
ALIGN_LEFT = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
# Colours are answered as QColor, which views take for brushes: making a QBrush from
# Python sets up QGradient and QImage with their enums (~4 ms of start-up).
LOCKED_TEXT = QColor("#9aa0a8")  # cells that take no entry
MUTED_TEXT = QColor("#5b6673")  # notes, estimates
ADVERSE_TEXT = QColor("#b03a2e")  # a change against the indicator's direction
ENABLED_SELECTABLE = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
EDITABLE = ENABLED_SELECTABLE | Qt.ItemFlag.ItemIsEditable


@dataclass
class GridRow:
    """A row of the grid: a category heading (``indicator`` None) or an indicator."""

    category: str
    indicator: Indicator | None = None


def build_rows(indicators: list[Indicator]) -> list[GridRow]:
    """Indicators in catalog order with a heading row before each category."""
    rows: list[GridRow] = []
    current = None
    for ind in indicators:
        if ind.category != current:
            current = ind.category
            rows.append(GridRow(current))
        rows.append(GridRow(current, ind))
    return rows


def heading_data(role):
    """Background and bold font of a category heading row (both tables)."""
    if role == BACKGROUND:
        return HEADER_BG
    if role == FONT:
        font = QFont()
        font.setBold(True)
        return font
    return None


def edit_text(value: float | None) -> str:
    """A stored figure as the editor shows it: plain digits, no grouping, no float noise."""
    if value is None:
        return ""
    text = f"{value:.6f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


class EntryGridModel(MemoizedModel, QAbstractTableModel):
    """Values, 上年同期, official rates, targets and forecasts of one year."""

    refused = Signal(QModelIndex, str)  # an edit that was not saved, and why

    def __init__(self, parent=None):
        super().__init__(parent)
        self._memo_init()
        self.rows: list[GridRow] = []
        self.indicators: list[Indicator] = []
        self.values: dict[tuple[int, int], MonthValue] = {}
        self.year_figures: dict[int, YearFigures] = {}
        self.cell_flags: dict[tuple[int, int], list] = {}  # (indicator id, column) -> check flags
        self.year = 0
        self.month = 12
        self.readonly = False
        self.parse: Callable[[Indicator, str, object], float | None] | None = None
        # commit(changes, label) -> None when saved, else a message for the clerk.
        self.commit: Callable[[dict[Cell, float | None], str], str | None] | None = None
        self.last_refused: QModelIndex | None = None

    # --- loading ------------------------------------------------------------------------------
    def load(self, indicators: list[Indicator], year: int, month: int,
             values: dict[int, dict[int, MonthValue]], year_figures: dict[int, YearFigures],
             flags: list, *, readonly: bool = False) -> None:
        """Show a year; keeps the current cell when only figures changed."""
        rows = build_rows(indicators)
        same_shape = [(r.category, r.indicator and r.indicator.id) for r in rows] == \
            [(r.category, r.indicator and r.indicator.id) for r in self.rows]
        if not same_shape:
            self.beginResetModel()
        self.rows = rows
        self.indicators = list(indicators)
        self.year, self.month, self.readonly = year, month, readonly
        self.values = {(ind_id, m): mv for ind_id, months in values.items() for m, mv in months.items()}
        self.year_figures = dict(year_figures)
        self.cell_flags = {}
        for flag in flags:
            for column in self._flag_columns(flag):
                self.cell_flags.setdefault((flag.indicator_id, column), []).append(flag)
        if same_shape:
            if self.rows:
                self.dataChanged.emit(self.index(0, 0), self.index(len(self.rows) - 1, COLUMN_COUNT - 1))
            self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, COLUMN_COUNT - 1)
        else:
            self.endResetModel()

    def _flag_columns(self, flag) -> list[int]:
        month_col = FIRST_MONTH + flag.month - 1
        if flag.field == "target":
            return [COL_TARGET]
        if flag.field == "prior_value":
            return [COL_PRIOR] if flag.month == self.month else []
        if flag.field == "official_yoy":
            return [month_col, COL_OFFICIAL] if flag.month == self.month else [month_col]
        return [month_col]

    # --- geometry ------------------------------------------------------------------------------
    def indicator_at(self, row: int) -> Indicator | None:
        return self.rows[row].indicator if 0 <= row < len(self.rows) else None

    def row_of(self, indicator_id: int) -> int:
        """The row of an indicator (-1 when it is not shown)."""
        for i, r in enumerate(self.rows):
            if r.indicator is not None and r.indicator.id == indicator_id:
                return i
        return -1

    @staticmethod
    def month_of(column: int) -> int | None:
        return column - FIRST_MONTH + 1 if FIRST_MONTH <= column < FIRST_MONTH + 12 else None

    def cell_at(self, index: QModelIndex) -> Cell | None:
        """The stored figure a grid cell edits (None: a heading, a label or a locked cell)."""
        if not index.isValid():
            return None
        ind = self.indicator_at(index.row())
        if ind is None:
            return None
        col = index.column()
        month = self.month_of(col)
        growth_only = ind.kind == GROWTH_ONLY
        if month is not None:
            return Cell(ind.id, self.year, "official_yoy" if growth_only else "value", month)
        if col == COL_PRIOR and not growth_only:
            return Cell(ind.id, self.year, "prior_value", self.month)
        if col == COL_OFFICIAL:
            return Cell(ind.id, self.year, "official_yoy", self.month)
        if col in (COL_TARGET, COL_FORECAST) and not growth_only:
            return Cell(ind.id, self.year, "target" if col == COL_TARGET else "forecast")
        if col == COL_FORECAST_YOY:
            return Cell(ind.id, self.year, "forecast_yoy")
        return None

    def stored(self, cell: Cell) -> float | None:
        """The figure of a cell as loaded."""
        if cell.month is not None:
            mv = self.values.get((cell.indicator_id, cell.month))
            return getattr(mv, cell.field) if mv is not None else None
        yf = self.year_figures.get(cell.indicator_id)
        return getattr(yf, cell.field) if yf is not None else None

    # --- Qt model API ------------------------------------------------------------------------------
    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else COLUMN_COUNT

    def _flags(self, index):
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        if not self.readonly and self.cell_at(index) is not None:
            return EDITABLE
        return ENABLED_SELECTABLE

    def _data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        col = index.column()
        ind = row.indicator
        if ind is None:
            return self._heading_data(row, col, role)
        if role in (DISPLAY, EDIT):
            cell = self.cell_at(index)
            if cell is None:
                return "" if role == EDIT else "—"
            value = self.stored(cell)
            if role == EDIT:
                return edit_text(value)
            return self._display(ind, cell, value)
        if role == ALIGNMENT:
            return ALIGN_RIGHT
        if role == BACKGROUND:
            return self._background(ind, index)
        if role == FOREGROUND and self.cell_at(index) is None:
            return LOCKED_TEXT
        if role == TOOLTIP:
            return self._tooltip(ind, index)
        return None

    def _heading_data(self, row: GridRow, col: int, role):
        return heading_data(role)

    def _display(self, ind: Indicator, cell: Cell, value: float | None) -> str:
        if value is None:
            return ""
        if cell.field in ("official_yoy", "forecast_yoy"):
            if ind.kind == RATE:
                return f"{'+' if value > 0 else ''}{fmt(value, ind.growth_decimals)}个百分点"
            return f"{fmt(value, ind.growth_decimals)}%"
        return fmt(value, ind.decimals, grouping=True)

    def _background(self, ind: Indicator, index: QModelIndex):
        col = index.column()
        flagged = self.cell_flags.get((ind.id, col))
        if flagged:
            codes = {f.code for f in flagged}
            if codes == {"missing"}:
                return FLAG_BG["missing"]
            return FLAG_BG_DEFAULT
        if self.cell_at(index) is None:
            return LOCKED_BG
        if col == FIRST_MONTH + self.month - 1 or col in (COL_PRIOR, COL_OFFICIAL):
            return PERIOD_BG
        return None

    @staticmethod
    def describe(ind: Indicator) -> str:
        """The indicator's tooltip: category, kind, unit, aliases."""
        lines = [f"{ind.name}：{ind.category} · {KIND_LABELS.get(ind.kind, ind.kind)} · 单位：{ind.unit}"]
        if ind.aliases:
            lines.append("别名：" + "、".join(ind.aliases))
        if not ind.nominal_growth:
            lines.append("增速按可比价计算，只采用统计部门公布的增速")
        if ind.direction < 0:
            lines.append("越低越好")
        if ind.description:
            lines.append(ind.description)
        return "\n".join(lines)

    def _tooltip(self, ind: Indicator, index: QModelIndex) -> str | None:
        col = index.column()
        lines = [f"{f.label}：{f.message}" for f in self.cell_flags.get((ind.id, col), [])]
        if self.cell_at(index) is None:
            lines.append("只录入增速的指标没有此项" if ind.kind == GROWTH_ONLY else "此处不能录入")
        elif col == COL_PRIOR:
            lines.append(f"{self.year - 1}年{month_range(self.month)}的数值，仅在没有上年数据时用于计算同比")
        elif col == COL_OFFICIAL:
            lines.append("统计部门公布的同比" + ("增减（个百分点）" if ind.kind == RATE else "增速（%）")
                         + "，优先于按数值计算的增速")
        return "\n".join(lines) or None

    def _header_data(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Vertical:
            return self._row_header(section, role)
        if role == DISPLAY:
            return self.column_title(section)
        if role == FONT and (section == FIRST_MONTH + self.month - 1):
            font = QFont()
            font.setBold(True)
            return font
        if role == TOOLTIP and self.month_of(section):
            return f"1—{self.month_of(section)}月累计（期末值指标为{self.month_of(section)}月末数）"
        return None

    def _row_header(self, section: int, role):
        if not 0 <= section < len(self.rows):
            return None
        row = self.rows[section]
        if role == DISPLAY:
            return self.row_title(row.indicator) if row.indicator is not None else row.category
        if role == ALIGNMENT:
            return ALIGN_LEFT
        if role == FONT and row.indicator is None:
            font = QFont()
            font.setBold(True)
            return font
        if role == TOOLTIP and row.indicator is not None:
            return self.describe(row.indicator)
        return None

    @staticmethod
    def row_title(ind: Indicator) -> str:
        """"技工贸总收入（亿元）" — growth-only indicators show that their cells are %."""
        return f"{ind.name}（{'增速%' if ind.kind == GROWTH_ONLY else ind.unit}）"

    def column_title(self, section: int) -> str:
        month = self.month_of(section)
        if month is not None:
            return f"{month}月"
        period = month_range(self.month)
        return {
            COL_PRIOR: f"上年同期\n({period})",
            COL_OFFICIAL: f"官方同比\n({period})", COL_TARGET: "年度目标", COL_FORECAST: "预计全年",
            COL_FORECAST_YOY: "预计增长",
        }.get(section, "")

    def setData(self, index, value, role=Qt.ItemDataRole.EditRole):  # noqa: N802
        """Parse what the clerk typed and hand it to ``commit``; refuse text that is not a number."""
        self.last_refused = None
        if role != EDIT:
            return False
        cell = self.cell_at(index)
        ind = self.indicator_at(index.row())
        if cell is None or ind is None or self.readonly or self.commit is None or self.parse is None:
            return False
        try:
            number = self.parse(ind, cell.field, value)
        except ValidationError as exc:
            return self._refuse(index, f"{exc.message}，未保存。")
        if number == self.stored(cell):
            return False
        label = f"{ind.name} {self.column_title(index.column()).splitlines()[0]}"
        message = self.commit({cell: number}, label)
        if message:
            return self._refuse(index, message)
        return True

    def _refuse(self, index: QModelIndex, message: str) -> bool:
        self.last_refused = index
        self.refused.emit(index, message)
        return False
