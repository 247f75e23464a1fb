"""The ledger's table model: every project, filtered and sorted in the model itself.

QSortFilterProxyModel calls back into Python for every row it filters and
every comparison it sorts: at 10,000 projects that is ~50 ms per keystroke
and ~3 s per sort. Here the filter is one list comprehension over
precomputed lowercase search keys and the sort one ``list.sort``, and the
view only ever asks for the rows it shows.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Callable

from PySide6.QtCore import QAbstractTableModel, QCollator, QLocale, QModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from parkdesk import catalog

if TYPE_CHECKING:
    from parkdesk.projects import LedgerRow

# parkdesk.projects (the project manager and its dataclasses) is imported when rows are
# prepared, on the worker thread that reads them, not while the page is being built.

STAGE_COLOURS = {
    "线索": "#eef0f3", "在谈": "#e3eefc", "已签约": "#d6e6fb", "已开工": "#fde9cf", "试生产": "#d9f2ee",
    "已投产": "#dcf1dc", "已终止": "#e9e9e9",
}
RED, YELLOW, GREY_TEXT = "#f8d7da", "#fff3cd", "#8a8a8a"

# Filter choices for the stage box: a stage, or one of these groups.
ACTIVE = "__active__"
BUILDING = "__building__"
STAGE_GROUPS = {ACTIVE: catalog.STAGES[:-1], BUILDING: (catalog.STAGE_STARTED, catalog.STAGE_TRIAL)}
NOT_SIGNED = -1  # signed-year filter: projects without a signing date


def money_text(value: float | None) -> str:
    """12,345 or 12,345.50 (万元): decimals only when there are any."""
    if value is None:
        return ""
    if abs(value - round(value)) < 0.005:
        return f"{value:,.0f}"
    return f"{value:,.2f}"


@dataclass(frozen=True)
class LedgerColumn:
    """A ledger column: key, header, default width and visibility, how it is shown."""

    key: str
    title: str
    width: int
    visible: bool = False
    kind: str = "text"  # text / money / date / count / days


COLUMNS: tuple[LedgerColumn, ...] = (
    LedgerColumn("name", "项目名称", 200, True),
    LedgerColumn("investor", "投资方", 130, True),
    LedgerColumn("origin", "来源地", 56),
    LedgerColumn("chain", "产业链", 64, True),
    LedgerColumn("project_type", "项目类型", 70),
    LedgerColumn("level", "项目级别", 70),
    LedgerColumn("stage", "当前阶段", 60, True),
    LedgerColumn("days", "本阶段天数", 70, True, "days"),
    LedgerColumn("total_investment", "总投资(万元)", 88, True, "money"),
    LedgerColumn("contract_investment", "合同引资额(万元)", 108, True, "money"),
    LedgerColumn("funds_arrived", "到位资金(万元)", 94, True, "money"),
    LedgerColumn("invested_to_date", "累计完成投资(万元)", 122, False, "money"),
    LedgerColumn("foreign_capital", "利用外资(万美元)", 112, False, "money"),
    LedgerColumn("land_mu", "用地(亩)", 70, False, "money"),
    LedgerColumn("building_area", "建筑面积(平方米)", 112, False, "money"),
    LedgerColumn("expected_output", "达产产值(万元)", 100, False, "money"),
    LedgerColumn("expected_tax", "达产税收(万元)", 100, False, "money"),
    LedgerColumn("signed_on", "签约日期", 86, True, "date"),
    LedgerColumn("started_on", "开工日期", 86, True, "date"),
    LedgerColumn("trial_on", "试生产日期", 86, False, "date"),
    LedgerColumn("production_on", "投产日期", 86, False, "date"),
    LedgerColumn("terminated_on", "终止日期", 86, False, "date"),
    LedgerColumn("termination_reason", "终止原因", 120),
    LedgerColumn("leader", "包保领导", 60, True),
    LedgerColumn("responsible_unit", "责任单位", 96, True),
    LedgerColumn("overdue_nodes", "逾期节点", 60, True, "count"),
    LedgerColumn("open_problems", "未解决问题", 72, True, "count"),
    LedgerColumn("progress", "最新形象进度", 120),
    LedgerColumn("contact", "联系人", 140),
    LedgerColumn("zone", "所在片区", 80),
    LedgerColumn("notes", "备注", 160),
)
COLUMN_INDEX = {c.key: i for i, c in enumerate(COLUMNS)}
# Looked up once: data() runs for every painted cell and every role.
_DISPLAY = Qt.ItemDataRole.DisplayRole
_ALIGN = Qt.ItemDataRole.TextAlignmentRole
_BACKGROUND = Qt.ItemDataRole.BackgroundRole
_FOREGROUND = Qt.ItemDataRole.ForegroundRole
_TOOLTIP = Qt.ItemDataRole.ToolTipRole
_USER = Qt.ItemDataRole.UserRole
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
_BRUSHES: dict[str, QBrush] = {}


def _brush(colour: str) -> QBrush:
    brush = _BRUSHES.get(colour)
    if brush is None:
        brush = _BRUSHES[colour] = QBrush(QColor(colour))
    return brush
_ROW_FIELDS = {"overdue_nodes", "open_problems", "invested_to_date", "progress"}


@dataclass
class Criteria:
    """What the ledger is filtered by (empty values: no filter)."""

    text: str = ""
    stage: str | None = None  # a stage or a STAGE_GROUPS key
    chain: str | None = None
    level: str | None = None
    origin: str | None = None
    signed_year: int | None = None  # a year, or NOT_SIGNED
    over_100m: bool = False
    stalled_only: bool = False


@dataclass
class PreparedLedger:
    """Ledger rows with what the model precomputes from them (see ``LedgerModel.prepare``)."""

    rows: list[LedgerRow]
    stalled_days: int
    keys: list[str]
    days: list[int | None]
    stalled: list[bool]
    signed_year: list[int]
    money: dict[str, list[float]]


class LedgerModel(QAbstractTableModel):
    """All projects of the ledger; ``shown`` holds the indexes of the visible rows in view order."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.rows: list[LedgerRow] = []
        self.shown: list[int] = []
        self.criteria = Criteria()
        self.stalled_days = 180
        self._keys: list[str] = []
        self._days: list[int | None] = []
        self._stalled: list[bool] = []
        self._signed_year: list[int] = []
        self._money: dict[str, list[float]] = {}
        self._sort_column: int | None = None
        self._sort_order = Qt.SortOrder.AscendingOrder
        self._collator = QCollator(QLocale(QLocale.Language.Chinese, QLocale.Country.China))
        self._text_keys: dict[int, list] = {}

    # --- loading -------------------------------------------------------------------------
    @staticmethod
    def prepare(rows: list[LedgerRow], today: _dt.date, stalled_days: int) -> "PreparedLedger":
        """Search keys, days in stage, stalled flags and money columns of ``rows``.

        Plain Python, no Qt: runs on the worker thread that read the rows.
        """
        from parkdesk.projects import is_stalled

        return PreparedLedger(
            rows=rows, stalled_days=stalled_days,
            keys=["\x1f".join((r.project.name, r.project.investor, r.project.leader,
                               r.project.responsible_unit)).lower() for r in rows],
            days=[r.project.days_in_stage(today) for r in rows],
            stalled=[is_stalled(r.project.stage, r.project.stage_changed_on, stalled_days, today) for r in rows],
            signed_year=[int(r.project.signed_on[:4]) if r.project.signed_on else NOT_SIGNED for r in rows],
            # Money columns as plain floats: the totals line is summed again on every keystroke.
            money={key: [getattr(r.project, key) or 0.0 for r in rows]
                   for key in ("total_investment", "contract_investment", "funds_arrived")},
        )

    def load(self, rows: list[LedgerRow], today: _dt.date, stalled_days: int) -> None:
        """Take new rows, precompute search keys, days in stage and stalled flags."""
        self.load_prepared(self.prepare(rows, today, stalled_days))

    def load_prepared(self, prepared: "PreparedLedger") -> None:
        """Show rows prepared by :meth:`prepare` (filter and sort order kept)."""
        self.beginResetModel()
        self.rows = prepared.rows
        self.stalled_days = prepared.stalled_days
        self._keys = prepared.keys
        self._days = prepared.days
        self._stalled = prepared.stalled
        self._signed_year = prepared.signed_year
        self._money = prepared.money
        self._text_keys = {}
        self.shown = self._filtered()
        self._apply_sort()
        self.endResetModel()

    def set_criteria(self, criteria: Criteria) -> None:
        """Show only the rows matching ``criteria`` (the sort order is kept)."""
        self.beginResetModel()
        self.criteria = criteria
        self.shown = self._filtered()
        self._apply_sort()
        self.endResetModel()

    def _filtered(self) -> list[int]:
        c = self.criteria
        idx: list[int] = list(range(len(self.rows)))
        text = c.text.strip().lower()
        if text:
            keys = self._keys
            for word in text.split():
                idx = [i for i in idx if word in keys[i]]
        rows = self.rows
        if c.stage:
            stages = set(STAGE_GROUPS.get(c.stage, (c.stage,)))
            idx = [i for i in idx if rows[i].project.stage in stages]
        if c.chain:
            idx = [i for i in idx if rows[i].project.chain == c.chain]
        if c.level:
            idx = [i for i in idx if rows[i].project.level == c.level]
        if c.origin:
            idx = [i for i in idx if rows[i].project.origin == c.origin]
        if c.signed_year is not None:
            years = self._signed_year
            idx = [i for i in idx if years[i] == c.signed_year]
        if c.over_100m:
            from parkdesk.projects import OVER_100M_WAN

            idx = [i for i in idx if (rows[i].project.total_investment or 0) >= OVER_100M_WAN]
        if c.stalled_only:
            stalled = self._stalled
            idx = [i for i in idx if stalled[i]]
        return idx

    # --- sorting -------------------------------------------------------------------------
    def sort(self, column: int, order=Qt.SortOrder.AscendingOrder) -> None:  # noqa: D401 - Qt API
        self.layoutAboutToBeChanged.emit()
        self._sort_column, self._sort_order = column, order
        self._apply_sort()
        self.layoutChanged.emit()

    def _apply_sort(self) -> None:
        if self._sort_column is None or not 0 <= self._sort_column < len(COLUMNS):
            return
        key = self._sort_key(self._sort_column)
        present = [i for i in self.shown if key(i) is not None]
        missing = [i for i in self.shown if key(i) is None]
        present.sort(key=key, reverse=self._sort_order == Qt.SortOrder.DescendingOrder)
        self.shown = present + missing  # empty cells last either way

    def _sort_key(self, column: int) -> Callable[[int], Any]:
        col = COLUMNS[column]
        if col.key == "days":
            return self._days.__getitem__
        if col.kind in ("money", "count", "date"):
            getter = self._getter(col.key)
            return lambda i: getter(self.rows[i])
        if col.key == "stage":
            order = {s: n for n, s in enumerate(catalog.ALL_STAGES)}
            return lambda i: order.get(self.rows[i].project.stage, 99)
        keys = self._text_keys.get(column)
        if keys is None:
            getter = self._getter(col.key)
            keys = [self._collator.sortKey(getter(r) or "") if getter(r) else None for r in self.rows]
            self._text_keys[column] = keys
        return keys.__getitem__

    @staticmethod
    def _getter(key: str) -> Callable[[LedgerRow], Any]:
        if key in _ROW_FIELDS:
            return lambda r: getattr(r, key)
        return lambda r: getattr(r.project, key)

    # --- Qt model --------------------------------------------------------------------------
    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.shown)

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(COLUMNS)

    def row_at(self, view_row: int) -> LedgerRow:
        return self.rows[self.shown[view_row]]

    def view_row_of(self, project_id: int) -> int | None:
        """The view row showing ``project_id``, or None when it is filtered out."""
        for n, i in enumerate(self.shown):
            if self.rows[i].project.id == project_id:
                return n
        return None

    def data(self, index, role=_DISPLAY):
        if role not in (_DISPLAY, _ALIGN, _BACKGROUND, _FOREGROUND, _TOOLTIP, _USER) or not index.isValid():
            return None
        i = self.shown[index.row()]
        row = self.rows[i]
        p = row.project
        col = COLUMNS[index.column()]
        if role == _DISPLAY:
            if col.key == "days":
                days = self._days[i]
                return "" if days is None else f"{days}天"
            if col.key == "stage":
                return p.stage
            value = getattr(row, col.key) if col.key in _ROW_FIELDS else getattr(p, col.key)
            if col.kind == "money":
                return money_text(value)
            if col.kind == "count":
                return str(value) if value else ""
            return value or ""
        if role == _ALIGN:
            return _RIGHT if col.kind in ("money", "count", "days") else None
        if role == _BACKGROUND:
            colour = None
            if col.key == "stage":
                colour = STAGE_COLOURS.get(p.stage)
            elif col.key == "days" and self._stalled[i]:
                colour = RED
            elif col.key == "overdue_nodes" and row.overdue_nodes:
                colour = RED
            elif col.key == "open_problems" and row.open_problems:
                colour = YELLOW
            return _brush(colour) if colour else None
        if role == _FOREGROUND:
            return _brush(GREY_TEXT) if p.stage == catalog.STAGE_TERMINATED else None
        if role == _TOOLTIP:
            if col.key in ("days", "stage") and self._days[i] is not None:
                tip = f"自 {p.stage_changed_on} 进入“{catalog.stage_label(p.stage)}”阶段，已 {self._days[i]} 天"
                if self._stalled[i]:
                    tip += f"，超过 {self.stalled_days} 天未推进（停滞）"
                return tip
            if col.key == "name":
                return "\n".join(x for x in (p.name, p.investor, p.notes) if x)
            if col.key in ("termination_reason", "notes", "progress", "investor", "responsible_unit"):
                return (getattr(row, col.key) if col.key in _ROW_FIELDS else getattr(p, col.key)) or None
            return None
        return p.id

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return COLUMNS[section].title
        return str(section + 1)

    # --- what is shown -------------------------------------------------------------------------
    def is_stalled_row(self, view_row: int) -> bool:
        return self._stalled[self.shown[view_row]]

    def days_row(self, view_row: int) -> int | None:
        return self._days[self.shown[view_row]]

    def totals(self) -> dict[str, float]:
        """Count and money totals (万元) of the rows shown."""
        shown = self.shown
        every = len(shown) == len(self.rows)
        out: dict[str, float] = {"count": len(shown)}
        for key, values in self._money.items():
            out[key] = sum(values) if every else sum([values[i] for i in shown])
        stalled = self._stalled
        out["stalled"] = stalled.count(True) if every else sum([stalled[i] for i in shown])
        return out

    def distinct(self, key: str) -> list[str]:
        """Distinct non-empty values of a project field (for the filter boxes), in pinyin order."""
        values = {getattr(r.project, key) for r in self.rows if getattr(r.project, key)}
        keys = {v: self._collator.sortKey(v) for v in values}
        return sorted(values, key=keys.__getitem__)

    def signed_years(self) -> list[int]:
        return sorted({y for y in self._signed_year if y != NOT_SIGNED}, reverse=True)
