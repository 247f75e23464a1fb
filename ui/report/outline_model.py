"""The report's outline as a tree: headings and run-in leads hold the blocks
under them; every block of the report is a row (paragraphs show their first
words). Column 1 says what the clerk needs to know: edited, conflict,
suggestion, to fill in, removed."""

from __future__ import annotations

from PySide6.QtCore import QAbstractItemModel, QAbstractListModel, QModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont

from parkdesk.report.model import Attachment, Figure, Heading, PageBreak, Paragraph, Signature, Table
from parkdesk.report.state import TITLE_KEY, BlockState, ReportState

KeyRole = Qt.ItemDataRole.UserRole + 1
HEADERS = ("大纲与段落", "状态")
GREY = QColor("#8a8f98")
RED = QColor("#b00020")
ORANGE = QColor("#a65e00")
BLUE = QColor("#1f5fa8")
PREVIEW_CHARS = 42


class _Node:
    __slots__ = ("state", "parent", "children", "level")

    def __init__(self, state: BlockState | None, parent: "_Node | None", level: int = 0):
        self.state = state
        self.parent = parent
        self.children: list[_Node] = []
        self.level = level

    @property
    def row(self) -> int:
        return self.parent.children.index(self) if self.parent is not None else 0


def status_text(state: BlockState) -> str:
    """The status column: what the clerk should know about a block."""
    if state.removed:
        return "已删除"
    if state.hidden_by:
        return "随上级删除"
    if state.orphan:
        return "冲突：草稿中已无此段"
    if state.conflict:
        return "冲突：草稿已更新"
    if state.custom:
        return "自行添加"
    if state.placeholder:
        return "已填写" if state.edited else "待填写（不打印）"
    if state.edited:
        return "已修改"
    if state.suggestion:
        return "建议（可删改）"
    return ""


def preview(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= PREVIEW_CHARS else flat[:PREVIEW_CHARS] + "……"


class OutlineModel(QAbstractItemModel):
    """A tree over a :class:`ReportState` (rebuilt by :meth:`load`)."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.root = _Node(None, None)
        self.state: ReportState | None = None
        self.numbers: dict[str, str] = {}
        self._by_key: dict[str, _Node] = {}

    # --- building -------------------------------------------------------------------------
    def load(self, state: ReportState | None) -> None:
        self.beginResetModel()
        self.state = state
        self.root = _Node(None, None)
        self._by_key = {}
        self.numbers = state.numbers() if state is not None else {}
        if state is not None:
            title = _Node(None, self.root)
            self.root.children.append(title)
            self._by_key[TITLE_KEY] = title
            stack: list[_Node] = []
            for block_state in state.blocks:
                self._place(block_state, stack)
        self.endResetModel()

    def _place(self, s: BlockState, stack: list[_Node]) -> None:
        block = s.block
        if isinstance(block, (Attachment, Signature)):
            node = _Node(s, self.root, 0)
            self.root.children.append(node)
            stack.clear()
            if isinstance(block, Attachment):
                stack.append(node)
        else:
            level = s.level
            if level is not None:
                while stack and stack[-1].level >= level and stack[-1].level > 0:
                    stack.pop()
            parent = stack[-1] if stack else self.root
            node = _Node(s, parent, level or 0)
            parent.children.append(node)
            if level is not None:
                stack.append(node)
        self._by_key[s.key] = node

    # --- lookup -----------------------------------------------------------------------------
    def index_of(self, key: str) -> QModelIndex:
        node = self._by_key.get(key)
        if node is None:
            return QModelIndex()
        return self.createIndex(node.row, 0, node)

    def key_at(self, index: QModelIndex) -> str | None:
        if not index.isValid():
            return None
        node: _Node = index.internalPointer()
        return TITLE_KEY if node.state is None else node.state.key

    def keys(self) -> list[str]:
        return list(self._by_key)

    # --- Qt model API -------------------------------------------------------------------------
    def index(self, row: int, column: int, parent: QModelIndex = QModelIndex()) -> QModelIndex:
        node = parent.internalPointer() if parent.isValid() else self.root
        if 0 <= row < len(node.children) and 0 <= column < len(HEADERS):
            return self.createIndex(row, column, node.children[row])
        return QModelIndex()

    def parent(self, index: QModelIndex = QModelIndex()) -> QModelIndex:  # noqa: D401 - Qt API
        if not index.isValid():
            return QModelIndex()
        node: _Node = index.internalPointer()
        parent = node.parent
        if parent is None or parent is self.root:
            return QModelIndex()
        return self.createIndex(parent.row, 0, parent)

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: N802 - Qt API
        if parent.isValid() and parent.column() != 0:
            return 0
        node = parent.internalPointer() if parent.isValid() else self.root
        return len(node.children)

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: N802 - Qt API
        return len(HEADERS)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802 - Qt API
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return HEADERS[section]
        return None

    def data(self, index: QModelIndex, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        node: _Node = index.internalPointer()
        s = node.state
        if role == KeyRole:
            return TITLE_KEY if s is None else s.key
        if s is None:  # the title
            if role == Qt.ItemDataRole.DisplayRole:
                if index.column() == 0:
                    return "标题：" + self.state.title.text.replace("\n", "")
                return "已修改" if self.state.title.edited else ""
            if role == Qt.ItemDataRole.FontRole and index.column() == 0:
                font = QFont()
                font.setBold(True)
                return font
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self._label(s) if index.column() == 0 else status_text(s)
        if role == Qt.ItemDataRole.ToolTipRole and isinstance(s.block, Paragraph):
            return s.block.text[:400] or None
        if role == Qt.ItemDataRole.ForegroundRole:
            if s.conflict:
                return QBrush(RED)
            if not s.prints:
                return QBrush(GREY)
            if index.column() == 1 and s.suggestion and not s.edited:
                return QBrush(ORANGE)
            if index.column() == 1 and (s.edited or s.custom):
                return QBrush(BLUE)
            return None
        if role == Qt.ItemDataRole.FontRole and index.column() == 0:
            font = QFont()
            if isinstance(s.block, Heading) and s.block.level <= 2 or isinstance(s.block, Attachment):
                font.setBold(True)
            if s.untouched_placeholder:
                font.setItalic(True)
            if s.removed or s.hidden_by:
                font.setStrikeOut(True)
            return font
        return None

    def _label(self, s: BlockState) -> str:
        block = s.block
        number = self.numbers.get(s.key, "")
        if isinstance(block, Heading):
            return number + block.text
        if isinstance(block, Paragraph):
            if block.lead:
                return number + block.lead + (preview(block.text) if block.text.strip() else "")
            return preview(block.text) if block.text.strip() else "（空段落）"
        if isinstance(block, Table):
            return f"表格（{len(block.rows)}行）"
        if isinstance(block, Figure):
            return block.caption or "图"
        if isinstance(block, Attachment):
            return f"{block.label}　{block.title}"
        if isinstance(block, Signature):
            return f"落款：{block.organization}　{block.date_text}".strip()
        if isinstance(block, PageBreak):
            return "（分页）"
        return s.key


class ConflictModel(QAbstractListModel):
    """The blocks in conflict, for the list above the outline."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.items: list[tuple[str, str]] = []

    def load(self, state: ReportState | None, numbers: dict[str, str]) -> None:
        self.beginResetModel()
        self.items = []
        for s in state.conflicts() if state is not None else []:
            block = s.block
            label = (numbers.get(s.key, "") + (block.lead or "")) if isinstance(block, Paragraph) and block.lead \
                else (block.text if isinstance(block, Heading) else "")
            body = block.text if isinstance(block, Paragraph) else ""
            why = "草稿中已无此段" if s.orphan else "数据变化后草稿已更新"
            self.items.append((s.key, f"⚠ {preview((label + body) or s.key)}（{why}）"))
        self.endResetModel()

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: N802 - Qt API
        return 0 if parent.isValid() else len(self.items)

    def data(self, index: QModelIndex, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        key, text = self.items[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return text
        if role == KeyRole:
            return key
        if role == Qt.ItemDataRole.ForegroundRole:
            return QBrush(RED)
        return None
