"""The stage board: one column of project cards per stage; moving a card asks for the date."""

from __future__ import annotations

from PySide6.QtCore import QAbstractListModel, QMimeData, QModelIndex, QRect, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QFont, QPainter, QPen
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QPushButton,
    QStyle,
    QStyledItemDelegate,
    QVBoxLayout,
    QWidget,
)

from parkdesk import catalog
from parkdesk.numbers import amount_text
from parkdesk.projects import is_stalled, next_stage, stage_label

from .ledger_model import STAGE_COLOURS

MIME = "application/x-parkdesk-project"
CARD_HEIGHT = 82


class StageCardModel(QAbstractListModel):
    """The cards of one stage (projects, largest investment first)."""

    move_requested = Signal(int, str)  # project id, target stage

    def __init__(self, stage: str, parent=None):
        super().__init__(parent)
        self.stage = stage
        self.cards: list[tuple] = []  # (LedgerRow, days, stalled)

    def set_cards(self, cards: list[tuple]) -> None:
        self.beginResetModel()
        self.cards = cards
        self.endResetModel()

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.cards)

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        row, days, stalled = self.cards[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return row.project.name
        if role == Qt.ItemDataRole.UserRole:
            return self.cards[index.row()]
        if role == Qt.ItemDataRole.ToolTipRole:
            p = row.project
            lines = [p.name, p.investor, f"总投资 {amount_text(p.total_investment, '万元')}" if p.total_investment else "",
                     f"包保领导 {p.leader}" if p.leader else "", f"在本阶段 {days} 天" if days is not None else "",
                     "⚠ 停滞" if stalled else ""]
            return "\n".join(x for x in lines if x)
        return None

    def flags(self, index):
        base = super().flags(index)
        if index.isValid():
            return base | Qt.ItemFlag.ItemIsDragEnabled
        return base | Qt.ItemFlag.ItemIsDropEnabled

    def mimeTypes(self):  # noqa: N802
        return [MIME]

    def mimeData(self, indexes):  # noqa: N802
        data = QMimeData()
        if indexes:
            row = self.cards[indexes[0].row()][0]
            data.setData(MIME, str(row.project.id).encode())
        return data

    def supportedDropActions(self):  # noqa: N802
        return Qt.DropAction.MoveAction | Qt.DropAction.CopyAction

    def canDropMimeData(self, data, action, row, column, parent):  # noqa: N802
        return data.hasFormat(MIME)

    def dropMimeData(self, data, action, row, column, parent):  # noqa: N802
        if not data.hasFormat(MIME):
            return False
        try:
            project_id = int(bytes(data.data(MIME)).decode())
        except ValueError:
            return False
        if all(card[0].project.id != project_id for card in self.cards):
            # Ask after the drag has finished; the board refreshes once the change is written.
            QTimer.singleShot(0, lambda: self.move_requested.emit(project_id, self.stage))
        return False  # never let the view remove the card from its source column


class CardDelegate(QStyledItemDelegate):
    """Draws a project as a card: name, investor, investment and leader, time in stage."""

    def sizeHint(self, option, index):  # noqa: N802
        return QSize(option.rect.width() or 200, CARD_HEIGHT)

    def paint(self, painter: QPainter, option, index) -> None:
        row, days, stalled = index.data(Qt.ItemDataRole.UserRole)
        p = row.project
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        r = option.rect.adjusted(4, 3, -4, -3)
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        painter.setPen(QPen(QColor("#3d7bd9" if selected else "#c9d2de"), 2 if selected else 1))
        painter.setBrush(QColor("#eef5ff" if selected else "#ffffff"))
        painter.drawRoundedRect(r, 5, 5)
        if stalled:
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QColor("#d9534f"))
            painter.drawRoundedRect(QRect(r.left(), r.top(), 5, r.height()), 2, 2)
        text = r.adjusted(10, 5, -6, -4)
        bold = QFont(option.font)
        bold.setBold(True)
        painter.setFont(bold)
        painter.setPen(QColor("#1f2d3d"))
        fm = painter.fontMetrics()
        painter.drawText(QRect(text.left(), text.top(), text.width(), fm.height()),
                         Qt.AlignmentFlag.AlignLeft, fm.elidedText(p.name, Qt.TextElideMode.ElideRight, text.width()))
        painter.setFont(option.font)
        fm = painter.fontMetrics()
        line = fm.height() + 2
        painter.setPen(QColor("#5a6678"))
        investor = p.investor or "（未填投资方）"
        painter.drawText(QRect(text.left(), text.top() + line, text.width(), fm.height()), Qt.AlignmentFlag.AlignLeft,
                         fm.elidedText(investor, Qt.TextElideMode.ElideRight, text.width()))
        money = amount_text(p.total_investment, "万元") if p.total_investment is not None else "投资额未填"
        third = "　".join(x for x in (money, p.leader) if x)
        painter.drawText(QRect(text.left(), text.top() + 2 * line, text.width(), fm.height()),
                         Qt.AlignmentFlag.AlignLeft, fm.elidedText(third, Qt.TextElideMode.ElideRight, text.width()))
        status = f"本阶段{days}天" if days is not None else ""
        flags = []
        if stalled:
            flags.append("停滞")
        if row.overdue_nodes:
            flags.append(f"逾期节点{row.overdue_nodes}")
        if row.open_problems:
            flags.append(f"问题{row.open_problems}")
        if flags and fm.horizontalAdvance(status + "  " + " ".join(flags)) > text.width():
            flags = [f.replace("逾期节点", "逾期") for f in flags]
        painter.drawText(QRect(text.left(), text.top() + 3 * line, text.width(), fm.height()),
                         Qt.AlignmentFlag.AlignLeft, status)
        if flags:
            painter.setPen(QColor("#c0392b"))
            painter.drawText(QRect(text.left(), text.top() + 3 * line, text.width(), fm.height()),
                             Qt.AlignmentFlag.AlignRight, " ".join(flags))
        painter.restore()


class StageColumn(QFrame):
    """One stage: a header with the count and a list of cards."""

    def __init__(self, stage: str, parent=None):
        super().__init__(parent)
        self.setObjectName("stageColumn")
        self.stage = stage
        self.model = StageCardModel(stage, self)
        self.header = QLabel()
        self.header.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.header.setStyleSheet(f"background: {STAGE_COLOURS[stage]}; padding: 6px; font-weight: bold;"
                                  "border-radius: 4px;")
        self.view = QListView()
        self.view.setModel(self.model)
        self.view.setItemDelegate(CardDelegate(self.view))
        self.view.setUniformItemSizes(True)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setDragEnabled(True)
        self.view.setAcceptDrops(True)
        self.view.setDropIndicatorShown(False)
        self.view.setDragDropMode(QAbstractItemView.DragDropMode.DragDrop)
        self.view.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.view.setStyleSheet("QListView { background: #f4f6f9; border: 0; }")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 2)
        layout.setSpacing(4)
        layout.addWidget(self.header)
        layout.addWidget(self.view, 1)

    def set_cards(self, cards: list[tuple], money: float) -> None:
        self.model.set_cards(cards)
        total = f" · {amount_text(money, '万元')}" if money else ""
        self.header.setText(f"{stage_label(self.stage)}（{len(cards)}）{total}")


class StageBoard(QWidget):
    """Six columns 线索 … 已投产; select a card and push it on, or drag it to another column."""

    def __init__(self, tab, parent=None):
        super().__init__(parent)
        self.tab = tab
        self.search = QLineEdit()
        self.search.setPlaceholderText("搜索项目名称、投资方、包保领导、责任单位")
        self.search.setClearButtonEnabled(True)
        self.stalled_only = QCheckBox("只看停滞")
        self.next_button = QPushButton("推进到下一阶段…")
        self.stage_button = QPushButton("变更阶段…")
        self.open_button = QPushButton("打开项目…")
        self.info = QLabel("双击卡片打开项目；可把卡片拖到其他阶段。红色竖条表示停滞。")
        self.info.setStyleSheet("color: #666;")
        self.search.textChanged.connect(self.refresh)
        self.stalled_only.toggled.connect(self.refresh)
        self.next_button.clicked.connect(self.advance_selected)
        self.stage_button.clicked.connect(lambda: self.tab.change_stage(self.selected_id()))
        self.open_button.clicked.connect(lambda: self.tab.open_project(self.selected_id()))
        top = QHBoxLayout()
        top.addWidget(self.search, 2)
        top.addWidget(self.stalled_only)
        top.addWidget(self.next_button)
        top.addWidget(self.stage_button)
        top.addWidget(self.open_button)
        top.addWidget(self.info, 3)
        self.columns: dict[str, StageColumn] = {}
        row = QHBoxLayout()
        row.setSpacing(6)
        for stage in catalog.STAGES:
            column = StageColumn(stage)
            column.model.move_requested.connect(self.request_move)
            column.view.doubleClicked.connect(lambda index: self.tab.open_project(index.data(Qt.ItemDataRole.UserRole)[0].project.id))
            column.view.clicked.connect(lambda _i, s=stage: self._clear_other_selections(s))
            self.columns[stage] = column
            row.addWidget(column, 1)
        self.terminated = QLabel()
        self.terminated.setStyleSheet("color: #666;")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 4)
        layout.addLayout(top)
        layout.addLayout(row, 1)
        layout.addWidget(self.terminated)

    def refresh(self, *_args) -> None:
        """Rebuild the columns from the tab's ledger rows and the search box."""
        rows = self.tab.ledger_rows()
        today, limit = self.tab.today(), self.tab.stalled_days()
        words = self.search.text().strip().lower().split()
        per_stage: dict[str, list] = {s: [] for s in catalog.ALL_STAGES}
        for r in rows:
            p = r.project
            if words:
                key = "\x1f".join((p.name, p.investor, p.leader, p.responsible_unit)).lower()
                if not all(w in key for w in words):
                    continue
            stalled = is_stalled(p.stage, p.stage_changed_on, limit, today)
            if self.stalled_only.isChecked() and not stalled:
                continue
            per_stage.setdefault(p.stage, []).append((r, p.days_in_stage(today), stalled))
        selected = self.selected_id()
        for stage, column in self.columns.items():
            cards = sorted(per_stage.get(stage, []), key=lambda c: -(c[0].project.total_investment or 0))
            column.set_cards(cards, sum(c[0].project.total_investment or 0 for c in cards))
        gone = per_stage.get(catalog.STAGE_TERMINATED, [])
        self.terminated.setText(f"另有已终止项目 {len(gone)} 个（在“项目台账”中按阶段筛选查看）" if gone else "")
        self.select(selected)

    def _clear_other_selections(self, stage: str) -> None:
        for s, column in self.columns.items():
            if s != stage:
                column.view.clearSelection()

    def selected_id(self) -> int | None:
        for column in self.columns.values():
            rows = column.view.selectionModel().selectedRows() if column.view.selectionModel() else []
            if rows:
                return column.model.cards[rows[0].row()][0].project.id
        return None

    def select(self, project_id: int | None) -> bool:
        """Select the card of a project; False when it is not on the board."""
        if project_id is None:
            return False
        for stage, column in self.columns.items():
            for n, card in enumerate(column.model.cards):
                if card[0].project.id == project_id:
                    self._clear_other_selections(stage)
                    column.view.setCurrentIndex(column.model.index(n))
                    column.view.scrollTo(column.model.index(n))
                    return True
        return False

    def advance_selected(self) -> None:
        """Move the selected project to the next stage (asks for the date)."""
        pid = self.selected_id()
        if pid is None:
            return
        stage = self.tab.ctx.desk.projects.get(pid).stage
        target = next_stage(stage)
        if target is not None:
            self.request_move(pid, target)

    def request_move(self, project_id: int, stage: str) -> None:
        self.tab.change_stage(project_id, stage)
