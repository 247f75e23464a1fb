"""变更记录: who changed what and when, with filters and export to Excel."""

from __future__ import annotations

import datetime as _dt
from pathlib import Path

from PySide6.QtCore import QDate, QModelIndex, QTimer
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
)

from parkdesk.audit import TABLE_LABELS, AuditEntry, AuditFilter

from ..widgets.record_model import Column, RecordTableModel

PAGE = 500
_SHOWN_CHARS = 120  # longer values are cut in the cell; the tooltip holds them whole


def _column(title: str, get) -> Column:
    def shown(e: AuditEntry) -> str:
        text = get(e)
        return text[:_SHOWN_CHARS] + "…" if len(text) > _SHOWN_CHARS else text
    return Column(title, shown, tooltip=get)


def audit_columns() -> list[Column]:
    """时间 | 用户 | 数据表 | 记录 | 操作 | 字段 | 原值 | 新值."""
    return [_column(title, get) for title, get in (
        ("时间", lambda e: e.when), ("用户", lambda e: e.user), ("数据表", lambda e: e.table_label),
        ("记录", lambda e: e.record_label), ("操作", lambda e: e.action_label),
        ("字段", lambda e: e.field_label), ("原值", lambda e: e.old_text), ("新值", lambda e: e.new_text))]


class AuditModel(RecordTableModel):
    """Log lines matching a filter, fetched a page at a time as the view scrolls."""

    def __init__(self, desk_getter, parent=None):
        super().__init__(audit_columns(), parent)
        self._desk = desk_getter
        self.filter = AuditFilter()
        self.total = 0

    def set_filter(self, flt: AuditFilter) -> None:
        self.filter = flt
        self.total = self._desk().audit.count(flt)
        self.set_records(self._desk().audit.query(flt, limit=PAGE))

    def canFetchMore(self, parent=QModelIndex()) -> bool:  # noqa: N802 - Qt API
        return not parent.isValid() and len(self.records) < self.total

    def fetchMore(self, parent=QModelIndex()) -> None:  # noqa: N802 - Qt API
        more = self._desk().audit.query(self.filter, limit=PAGE, offset=len(self.records))
        if not more:
            self.total = len(self.records)
            return
        self.beginInsertRows(QModelIndex(), len(self.records), len(self.records) + len(more) - 1)
        self.records.extend(more)
        self.endInsertRows()


class AuditDialog(QDialog):
    """The 变更记录 view: filters (table, user, dates, text), the lines, export."""

    def __init__(self, window, *, table: str | None = None, record_id: int | None = None):
        super().__init__(window)
        self.window_ = window
        self.ctx = window.ctx
        self.ops = window.ops
        self.record_id = record_id
        self.setWindowTitle("变更记录")
        self.resize(1100, 620)
        layout = QVBoxLayout(self)

        filters = QHBoxLayout()
        filters.addWidget(QLabel("数据表："))
        self.table_box = QComboBox()
        self.table_box.addItem("全部", None)
        for key, label in TABLE_LABELS.items():
            self.table_box.addItem(label, key)
        if table:
            self.table_box.setCurrentIndex(max(0, self.table_box.findData(table)))
        filters.addWidget(self.table_box)
        filters.addWidget(QLabel("用户："))
        self.user_box = QComboBox()
        filters.addWidget(self.user_box)
        self.date_check = QCheckBox("日期：")
        filters.addWidget(self.date_check)
        today = QDate.currentDate()
        self.since_edit = QDateEdit(today.addMonths(-1))
        self.until_edit = QDateEdit(today)
        for edit in (self.since_edit, self.until_edit):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
            edit.setEnabled(False)
        filters.addWidget(self.since_edit)
        filters.addWidget(QLabel("至"))
        filters.addWidget(self.until_edit)
        filters.addWidget(QLabel("包含文字："))
        self.text_edit = QLineEdit()
        self.text_edit.setPlaceholderText("数值、指标或项目名称……")
        self.text_edit.setClearButtonEnabled(True)
        filters.addWidget(self.text_edit, 1)
        layout.addLayout(filters)

        self.model = AuditModel(lambda: self.ctx.desk, self)
        self.view = QTableView()
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.verticalHeader().hide()
        header = self.view.horizontalHeader()
        for col, width in enumerate((150, 130, 100, 200, 50, 110)):
            header.resizeSection(col, width)
        header.setSectionResizeMode(6, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(7, QHeaderView.ResizeMode.Stretch)
        layout.addWidget(self.view, 1)

        bottom = QHBoxLayout()
        self.count_label = QLabel()
        bottom.addWidget(self.count_label, 1)
        self.export_button = QPushButton("导出到 Excel…")
        close = QPushButton("关闭")
        bottom.addWidget(self.export_button)
        bottom.addWidget(close)
        layout.addLayout(bottom)

        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(300)
        self._debounce.timeout.connect(self.apply_filter)
        self.table_box.currentIndexChanged.connect(lambda *_: self.apply_filter())
        self.user_box.currentIndexChanged.connect(lambda *_: self.apply_filter())
        self.date_check.toggled.connect(self._dates_toggled)
        self.since_edit.dateChanged.connect(lambda *_: self.apply_filter())
        self.until_edit.dateChanged.connect(lambda *_: self.apply_filter())
        self.text_edit.textChanged.connect(lambda *_: self._debounce.start())
        self.export_button.clicked.connect(self.export)
        close.clicked.connect(self.accept)
        self.ctx.data_changed.connect(self.reload)
        self.reload()

    def _dates_toggled(self, on: bool) -> None:
        self.since_edit.setEnabled(on)
        self.until_edit.setEnabled(on)
        self.apply_filter()

    def reload(self) -> None:
        """Re-read the users and the lines (after data changed)."""
        current = self.user_box.currentData()
        self.user_box.blockSignals(True)
        self.user_box.clear()
        self.user_box.addItem("全部", None)
        for user in self.ctx.desk.audit.users():
            self.user_box.addItem(user, user)
        self.user_box.setCurrentIndex(max(0, self.user_box.findData(current)) if current else 0)
        self.user_box.blockSignals(False)
        self.apply_filter()

    def current_filter(self) -> AuditFilter:
        since = until = None
        if self.date_check.isChecked():
            since = _dt.date.fromisoformat(self.since_edit.date().toString("yyyy-MM-dd"))
            until = _dt.date.fromisoformat(self.until_edit.date().toString("yyyy-MM-dd"))
        return AuditFilter(table=self.table_box.currentData(), record_id=self.record_id,
                           user=self.user_box.currentData(), since=since, until=until,
                           text=self.text_edit.text().strip() or None)

    def apply_filter(self) -> None:
        self.model.set_filter(self.current_filter())
        shown = "" if self.model.total <= len(self.model.records) else "（向下滚动加载更多）"
        self.count_label.setText(f"共 {self.model.total} 条变更记录{shown}")
        self.export_button.setEnabled(self.model.total > 0)

    def export(self) -> None:
        flt = self.current_filter()
        default = str(Path.home() / f"变更记录_{_dt.date.today():%Y%m%d}.xlsx")
        path, _ = QFileDialog.getSaveFileName(self, "导出变更记录", default, "Excel 工作簿 (*.xlsx)")
        if not path:
            return
        self.ops.run("正在导出变更记录……", lambda desk, progress: desk.audit.export_xlsx(path, flt, progress=progress),
                     on_done=lambda n: self.window_.statusBar().showMessage(f"已导出 {n} 条变更记录：{path}", 8000),
                     changes_data=False, parent=self)

    def done(self, result: int) -> None:  # noqa: D401 - Qt API
        try:
            self.ctx.data_changed.disconnect(self.reload)
        except (RuntimeError, TypeError):
            pass
        super().done(result)
