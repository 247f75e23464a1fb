"""The year's plan as a two-level tree: sections holding items."""

from __future__ import annotations

from PySide6.QtCore import QAbstractItemModel, QMimeData, QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QColor, QFont

from parkdesk.numbers import fmt, heading_number
from parkdesk.plan_progress import ItemView, PlanView
from parkdesk.plan_targets import plain_number
from parkdesk.plans import STATUS_DONE, STATUS_LATE

COLUMNS = ["事项", "量化目标", "目标进度", "责任单位", "责任领导", "完成时限", "状态", "完成%", "最新进展"]
(COL_TITLE, COL_TARGET, COL_PROGRESS, COL_OWNER, COL_LEADER, COL_DEADLINE, COL_STATUS, COL_PCT,
 COL_NOTE) = range(len(COLUMNS))
WIDTHS = [250, 190, 90, 100, 70, 90, 60, 55, 300]
MIME = "application/x-parkdesk-plan-item"
LATE_FG = QColor("#b00020")
LATE_BG = QColor("#fde2e4")
DONE_FG = QColor("#2e7d32")
SECTION_BG = QColor("#eef2f8")
KeyRole = Qt.ItemDataRole.UserRole + 1  # ("section" | "item", id)


def progress_text(view: ItemView) -> str:
    tp = view.target
    if tp is None:
        return ""
    if tp.actual is None or tp.pct is None:
        return "暂无数据"
    return f"{fmt(tp.pct, 1)}%"


def progress_tip(view: ItemView) -> str:
    tp = view.target
    if tp is None:
        return ""
    head = f"目标：{tp.name} {plain_number(tp.target)}{tp.unit}"
    if tp.actual is None:
        return f"{head}\n本年度还没有可用的数据"
    when = f"（1—{tp.month}月）" if tp.month else ""
    return f"{head}\n实际完成：{fmt(tp.actual, 2)}{tp.unit}{when}"


class PlanTreeModel(QAbstractItemModel):
    """Section rows at the top level, item rows below them. Read-only; writes go
    through the tab (``Ops.write``). Items can be dragged onto another place."""

    move_requested = Signal(int, int, int)  # item id, section id, index in section (-1: end)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.view: PlanView | None = None
        self.sections: list = []  # [(PlanSection, [ItemView])]

    # --- loading ---------------------------------------------------------------------------
    def load(self, view: PlanView) -> None:
        self.beginResetModel()
        self.view = view
        self.sections = list(view.sections)
        self.endResetModel()

    def item_count(self) -> int:
        return sum(len(views) for _s, views in self.sections)

    # --- structure: internalId 0 marks a section row, n > 0 an item of section n-1 ------------
    def index(self, row, column, parent=QModelIndex()):
        if not self.hasIndex(row, column, parent):
            return QModelIndex()
        if not parent.isValid():
            return self.createIndex(row, column, 0)
        if parent.internalId() == 0:
            return self.createIndex(row, column, parent.row() + 1)
        return QModelIndex()

    def parent(self, index=QModelIndex()):  # noqa: D401 - Qt API
        if not index.isValid() or index.internalId() == 0:
            return QModelIndex()
        return self.createIndex(index.internalId() - 1, 0, 0)

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: N802 - Qt API
        if not parent.isValid():
            return len(self.sections)
        if parent.internalId() == 0 and parent.column() == 0:
            return len(self.sections[parent.row()][1])
        return 0

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: N802
        return len(COLUMNS)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        return None

    def is_section(self, index) -> bool:
        return index.isValid() and index.internalId() == 0

    def section_at(self, index):
        if not index.isValid():
            return None
        row = index.row() if index.internalId() == 0 else index.internalId() - 1
        return self.sections[row][0]

    def item_view_at(self, index) -> ItemView | None:
        if not index.isValid() or index.internalId() == 0:
            return None
        return self.sections[index.internalId() - 1][1][index.row()]

    def find(self, key) -> QModelIndex:
        """The index (column 0) of ("section", id) or ("item", id)."""
        kind, ident = key
        for s_row, (section, views) in enumerate(self.sections):
            if kind == "section" and section.id == ident:
                return self.index(s_row, 0)
            if kind == "item":
                for i_row, v in enumerate(views):
                    if v.item.id == ident:
                        return self.index(i_row, 0, self.index(s_row, 0))
        return QModelIndex()

    # --- data -----------------------------------------------------------------------------
    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        if index.internalId() == 0:
            return self._section_data(index, role)
        return self._item_data(self.item_view_at(index), index.column(), role)

    def _section_data(self, index, role):
        section, views = self.sections[index.row()]
        if role == Qt.ItemDataRole.DisplayRole and index.column() == COL_TITLE:
            late = sum(1 for v in views if v.status == STATUS_LATE)
            extra = f"，其中滞后{late}项" if late else ""
            return f"{heading_number(2, index.row() + 1)}{section.title}　（{len(views)}项{extra}）"
        if role == Qt.ItemDataRole.FontRole:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.BackgroundRole:
            return QBrush(SECTION_BG)
        if role == KeyRole:
            return ("section", section.id)
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{heading_number(2, index.row() + 1)}{section.title}\n双击修改部分标题"
        return None

    def _item_data(self, v: ItemView, col: int, role):
        it = v.item
        if role == Qt.ItemDataRole.DisplayRole:
            return {
                COL_TITLE: it.title,
                COL_TARGET: it.target_text,
                COL_PROGRESS: progress_text(v),
                COL_OWNER: it.owner_department,
                COL_LEADER: it.leader,
                COL_DEADLINE: it.deadline or "",
                COL_STATUS: v.status,
                COL_PCT: "" if it.progress_pct is None else f"{fmt(it.progress_pct, 0)}%",
                COL_NOTE: (f"{v.latest_note['noted_on'][5:]} {v.latest_note['text']}" if v.latest_note else ""),
            }[col]
        if role == Qt.ItemDataRole.ForegroundRole:
            if v.status == STATUS_LATE:
                return QBrush(LATE_FG)
            if col == COL_STATUS and v.status == STATUS_DONE:
                return QBrush(DONE_FG)
            return None
        if role == Qt.ItemDataRole.BackgroundRole and v.status == STATUS_LATE and col in (COL_STATUS, COL_DEADLINE):
            return QBrush(LATE_BG)
        if role == Qt.ItemDataRole.FontRole and col == COL_STATUS and v.status == STATUS_LATE:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.TextAlignmentRole and col in (COL_PROGRESS, COL_PCT):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.TextAlignmentRole and col in (COL_DEADLINE, COL_STATUS):
            return int(Qt.AlignmentFlag.AlignCenter)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._item_tip(v, col)
        if role == KeyRole:
            return ("item", it.id)
        return None

    @staticmethod
    def _item_tip(v: ItemView, col: int) -> str:
        if col == COL_PROGRESS:
            return progress_tip(v)
        if col == COL_STATUS and v.overdue:
            return f"已超过完成时限（{v.item.deadline}）仍未完成。\n登记的状态：{v.item.status}"
        if col == COL_NOTE and v.latest_note:
            return f"{v.latest_note['noted_on']}　{v.latest_note['text']}\n（共{v.note_count}条进展记录）"
        lines = [v.item.title]
        if v.item.content:
            lines.append(v.item.content)
        return "\n".join(lines)

    # --- drag and drop ------------------------------------------------------------------------
    def flags(self, index):
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsDropEnabled
        if index.internalId() != 0:
            base |= Qt.ItemFlag.ItemIsDragEnabled
        return base

    def supportedDropActions(self):  # noqa: N802
        return Qt.DropAction.MoveAction

    def supportedDragActions(self):  # noqa: N802
        return Qt.DropAction.MoveAction

    def mimeTypes(self):  # noqa: N802
        return [MIME]

    def mimeData(self, indexes):  # noqa: N802
        ids = []
        for index in indexes:
            v = self.item_view_at(index)
            if v is not None and str(v.item.id) not in ids:
                ids.append(str(v.item.id))
        data = QMimeData()
        data.setData(MIME, ",".join(ids[:1]).encode())
        return data

    def drop_target(self, row: int, parent) -> tuple[int, int] | None:
        """(section id, index) for a drop at ``row`` under ``parent``."""
        if not parent.isValid():
            # Between sections: onto the end of the section above (or the start of the first).
            if not self.sections:
                return None
            if row <= 0:
                return self.sections[0][0].id, 0
            return self.sections[min(row, len(self.sections)) - 1][0].id, -1
        if parent.internalId() == 0:
            return self.sections[parent.row()][0].id, row
        # Onto an item: before it.
        s_row = parent.internalId() - 1
        return self.sections[s_row][0].id, parent.row()

    def canDropMimeData(self, data, action, row, column, parent):  # noqa: N802
        return data.hasFormat(MIME) and self.drop_target(row, parent) is not None

    def dropMimeData(self, data, action, row, column, parent):  # noqa: N802
        if not data.hasFormat(MIME):
            return False
        target = self.drop_target(row, parent)
        text = bytes(data.data(MIME)).decode()
        if target is None or not text.isdigit():
            return False
        item_id, (section_id, pos) = int(text), target
        # Deferred: the move resets this model, which must not happen inside the view's drop handler.
        QTimer.singleShot(0, lambda: self.move_requested.emit(item_id, section_id, pos))
        return True

    def removeRows(self, row, count, parent=QModelIndex()):  # noqa: N802
        return False  # the view's own removal after a move; the refresh rebuilds the tree
