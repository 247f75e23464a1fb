"""The indicators × months table of one year."""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont

from parkdesk.catalog import GROWTH_ONLY
from parkdesk.numbers import fmt

FIXED_COLUMNS = ("指标", "单位")


class IndicatorYearModel(QAbstractTableModel):
    """Rows: indicators in catalog order; columns: name, unit, 1月 … 12月."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.indicators = []
        self.values = {}
        self.year = 0

    def load(self, desk, year: int) -> None:
        self.beginResetModel()
        self.year = year
        self.indicators = desk.indicators.list()
        self.values = desk.indicators.month_values(year)
        self.endResetModel()

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.indicators)

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(FIXED_COLUMNS) + 12

    def month_of(self, column: int) -> int | None:
        return column - len(FIXED_COLUMNS) + 1 if column >= len(FIXED_COLUMNS) else None

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        ind = self.indicators[index.row()]
        month = self.month_of(index.column())
        if role == Qt.ItemDataRole.DisplayRole:
            if index.column() == 0:
                return ind.name
            if index.column() == 1:
                return ind.unit
            mv = self.values.get((ind.id, month))
            if mv is None:
                return ""
            if ind.kind == GROWTH_ONLY:
                return "" if mv.official_yoy is None else f"{fmt(mv.official_yoy, 1)}%"
            return "" if mv.value is None else fmt(mv.value, ind.decimals)
        if role == Qt.ItemDataRole.TextAlignmentRole and month is not None:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole and index.column() == 0:
            return f"{ind.category} · {'、'.join(ind.aliases) or '无别名'}"
        if role == Qt.ItemDataRole.FontRole and index.column() == 0:
            font = QFont()
            font.setBold(False)
            return font
        if role == Qt.ItemDataRole.BackgroundRole and month is None:
            return QBrush(QColor("#f4f6fa"))
        return None

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            if section < len(FIXED_COLUMNS):
                return FIXED_COLUMNS[section]
            return f"{section - len(FIXED_COLUMNS) + 1}月"
        return self.indicators[section].category if section < len(self.indicators) else None
