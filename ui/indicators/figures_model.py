"""The derived figures of the selected month N beside the grid, and the list of flags."""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPixmap

from parkdesk.catalog import RATE
from parkdesk.indicator_figures import STATUS_LABELS, IndicatorFigures
from parkdesk.numbers import fmt, month_range, progress_gap_text

from ..widgets.memo import MemoizedModel
from .grid_model import (
    ADVERSE_TEXT, ALIGN_RIGHT, ALIGNMENT, DECORATION, DISPLAY, FOREGROUND, MUTED_TEXT, TOOLTIP, GridRow,
    build_rows, heading_data,
)

STATUS_COLORS = {"green": "#2e9d57", "yellow": "#e6a800", "red": "#d0342c"}
COLUMNS = ("指标", "单位", "累计", "当月", "上年同期", "同比", "年度目标", "完成目标", "较时序进度",
           "预计全年", "预计增长", "状态", "说明")
COL_STATUS = 11
COL_NOTE = 12


def status_icon(status: str | None) -> QIcon | None:
    """A round light in the status colour."""
    color = STATUS_COLORS.get(status or "")
    if color is None:
        return None
    pix = QPixmap(12, 12)
    pix.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pix)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setBrush(QColor(color))
    painter.setPen(QColor(color).darker(130))
    painter.drawEllipse(1, 1, 10, 10)
    painter.end()
    return QIcon(pix)


def change_text(f: IndicatorFigures) -> str:
    """同比 as a table shows it: 8.6% / -2.1% / +0.3个百分点, marked when official."""
    change = f.change
    if change is None:
        return "—"
    if f.kind == RATE:
        text = f"{'+' if change > 0 else ''}{fmt(change, f.growth_decimals)}个百分点"
    else:
        text = f"{fmt(change, f.growth_decimals)}%"
    if f.as_of_month != f.month:
        return text + f"（官方，{month_range(f.as_of_month)}）"
    return text + ("（官方）" if f.yoy_is_official else "")


class FiguresModel(MemoizedModel, QAbstractTableModel):
    """One row per indicator (category headings as in the grid) with its figures for 1—N月."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self._memo_init()
        self.rows: list[GridRow] = []
        self.figures: dict[int, IndicatorFigures] = {}
        self.month = 12
        self._icons = {s: status_icon(s) for s in STATUS_COLORS}

    def load(self, indicators, figures: list[IndicatorFigures], month: int) -> None:
        self.beginResetModel()
        self.rows = build_rows(indicators)
        self.figures = {f.indicator_id: f for f in figures}
        self.month = month
        self.endResetModel()

    def row_of(self, indicator_id: int) -> int:
        for i, r in enumerate(self.rows):
            if r.indicator is not None and r.indicator.id == indicator_id:
                return i
        return -1

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(COLUMNS)

    def _header_data(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if orientation != Qt.Orientation.Horizontal:
            return None
        if role == DISPLAY:
            if section == 2:
                return month_range(self.month)
            if section == 3:
                return f"{self.month}月当月"
            return COLUMNS[section]
        if role == TOOLTIP:
            return {
                5: "同比增长（比率类指标为增减的个百分点）；“官方”为统计部门公布的增速",
                7: "累计完成年度目标的百分比",
                8: f"完成目标的百分比与时序进度（{fmt(self.month / 12 * 100, 1)}%）之差，单位：个百分点",
                9: "录入的预计全年数；“≈”为按上年同期进度估算",
                11: "绿：正常；黄：低于时序进度较多或同比下降；红：严重滞后",
            }.get(section)
        return None

    def _data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        col = index.column()
        if row.indicator is None:
            if role == DISPLAY and col == 0:
                return row.category
            return heading_data(role)
        f = self.figures.get(row.indicator.id)
        if f is None:
            return None
        if role == DISPLAY:
            return self._text(f, col)
        if role == FOREGROUND and col == COL_NOTE:
            return MUTED_TEXT
        if role == ALIGNMENT and 2 <= col < COL_STATUS:
            return ALIGN_RIGHT
        if role == DECORATION and col == COL_STATUS:
            return self._icons.get(f.status)
        if role == FOREGROUND:
            if col == 5 and f.change is not None and f.change * f.direction < 0:
                return ADVERSE_TEXT
            if col == 9 and f.full_year_source == "estimate":
                return MUTED_TEXT
        if role == TOOLTIP:
            return self._tooltip(f, col)
        return None

    @staticmethod
    def _text(f: IndicatorFigures, col: int) -> str:
        d, g = f.decimals, f.growth_decimals
        if col == 0:
            return f.name
        if col == 1:
            return f.unit
        if not f.has_data and f.target is None and f.forecast is None:
            return ""  # nothing entered yet: a blank row reads better than a row of dashes
        if col == 2:
            return fmt(f.value, d, grouping=True)
        if col == 3:
            return fmt(f.monthly_value, d, grouping=True)
        if col == 4:
            text = fmt(f.last_year_value, d, grouping=True)
            return text + ("（录入）" if f.last_year_source == "entered" else "")
        if col == 5:
            return change_text(f)
        if col == 6:
            return fmt(f.target, d, grouping=True)
        if col == 7:
            return "—" if f.target_pct is None else f"{fmt(f.target_pct, 1)}%"
        if col == 8:
            gap = f.time_progress_gap_pts
            return "—" if gap is None else f"{'+' if gap > 0 else ''}{fmt(gap, 1)}"
        if col == 9:
            text = fmt(f.full_year, d, grouping=True)
            return ("≈" + text) if f.full_year_source == "estimate" else text
        if col == 10:
            if f.kind == RATE:
                pts = f.forecast_yoy_points
                return "—" if pts is None else f"{'+' if pts > 0 else ''}{fmt(pts, g)}个百分点"
            return "—" if f.forecast_yoy_pct is None else f"{fmt(f.forecast_yoy_pct, g)}%"
        if col == COL_STATUS:
            return STATUS_LABELS.get(f.status, "—")
        if col == COL_NOTE:
            return "；".join([*([f.status_reason] if f.status_reason else []), *(fl.message for fl in f.flags)])
        return ""

    @staticmethod
    def _tooltip(f: IndicatorFigures, col: int) -> str | None:
        if col in (COL_STATUS, COL_NOTE):
            lines = [f.status_reason] if f.status_reason else []
            lines += [flag.message for flag in f.flags]
            return "\n".join(lines) or None
        if col == 5:
            if f.yoy_is_official:
                extra = ""
                if f.computed_yoy is not None:
                    extra = f"；按数值计算为 {fmt(f.computed_yoy, f.growth_decimals)}"
                return f"统计部门公布的增速{extra}"
            if not f.nominal_growth:
                return "增速按可比价计算，只采用统计部门公布的数据（请在“官方同比”中录入）"
            if f.change is None:
                return "缺少上年同期数据（或基数为零），无法计算"
            return f.change_text()
        if col == 8 and f.time_progress_gap_pts is not None:
            return progress_gap_text(f.time_progress_gap_pts)
        if col == 9 and f.full_year_source == "estimate":
            return "未录入预计全年，按上年同期占全年的比例估算"
        if col == 4 and f.last_year_source == "entered":
            return "没有上年数据，使用录入的上年同期数"
        return None
