"""文件 ▸ 备份与恢复: the backups of the open database, 立即备份, restore one."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
)

from parkdesk.backups import BackupInfo, size_text

from ..ops import show_error
from ..widgets.record_model import Column, RecordTableModel
from .open_flow import BACKUP_FILTER


def backup_columns() -> list[Column]:
    """备份时间 | 原因 | 大小 | 文件 (the full path as tooltip)."""
    path = lambda b: str(b.path)  # noqa: E731
    return [
        Column("备份时间", lambda b: f"{b.created:%Y-%m-%d %H:%M:%S}", tooltip=path),
        Column("原因", lambda b: b.reason_label, tooltip=path),
        Column("大小", lambda b: size_text(b.size), align_right=True, tooltip=path),
        Column("文件", lambda b: b.path.name, tooltip=path),
    ]


class BackupDialog(QDialog):
    """Lists the backups (date, reason, size), makes one now, restores one."""

    def __init__(self, window):
        super().__init__(window)
        self.window_ = window
        self.ctx = window.ctx
        self.ops = window.ops
        self.setWindowTitle("备份与恢复")
        self.resize(760, 460)
        layout = QVBoxLayout(self)
        self.info = QLabel()
        self.info.setWordWrap(True)
        self.info.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.info)
        self.model = RecordTableModel(backup_columns(), self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        for col in range(3):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.table.doubleClicked.connect(lambda _i: self.restore_selected())
        layout.addWidget(self.table, 1)
        buttons = QHBoxLayout()
        self.backup_button = QPushButton("立即备份")
        self.restore_button = QPushButton("恢复所选备份…")
        self.file_button = QPushButton("从文件恢复…")
        self.folder_button = QPushButton("打开备份文件夹")
        close = QPushButton("关闭")
        for b in (self.backup_button, self.restore_button, self.file_button, self.folder_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        buttons.addWidget(close)
        layout.addLayout(buttons)
        self.backup_button.clicked.connect(self.backup_now)
        self.restore_button.clicked.connect(self.restore_selected)
        self.file_button.clicked.connect(self.restore_from_file)
        self.folder_button.clicked.connect(self.open_folder)
        close.clicked.connect(self.accept)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        self.refresh()

    @property
    def desk(self):
        return self.ctx.desk

    def refresh(self) -> None:
        backups = self.desk.backups.list()
        self.model.set_records(backups)
        minutes = self.desk.settings.get("backups.timer_minutes")
        timer = f"每 {minutes} 分钟" if minutes else "不定时"
        self.info.setText(
            f"数据库：{self.desk.path}<br>备份保存在：{self.desk.backups.folder}<br>"
            f"打开、关闭时（有改动时）和工作中{timer}自动备份；旧备份按日、周、月自动精简。"
            f"每个备份都已通过完整性检查。共 {len(backups)} 个备份。"
            + ("<br><b>数据库以只读方式打开，不能恢复。</b>" if self.desk.readonly else "")
        )
        if backups:
            self.table.selectRow(0)
        self._update_buttons()

    def _update_buttons(self) -> None:
        writable = not self.desk.readonly
        self.restore_button.setEnabled(writable and self.selected() is not None)
        self.file_button.setEnabled(writable)

    def selected(self) -> BackupInfo | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.record(rows[0].row()) if rows else None

    # --- actions -------------------------------------------------------------------------------
    def backup_now(self) -> None:
        def done(path) -> None:
            self.refresh()
            self.window_.statusBar().showMessage(f"已备份：{path}", 8000)

        self.ops.run("正在备份……", lambda desk, progress: desk.backups.create("manual"), on_done=done,
                     changes_data=False, parent=self)

    def restore_selected(self) -> None:
        info = self.selected()
        if info is not None and not self.desk.readonly:
            self.restore(info.path, f"{info.created:%Y-%m-%d %H:%M:%S} 的备份（{info.reason_label}）")

    def restore_from_file(self) -> None:
        name, _ = QFileDialog.getOpenFileName(self, "选择用于恢复的备份文件", str(self.desk.backups.folder),
                                              BACKUP_FILTER)
        if name:
            self.restore(Path(name), f"备份文件“{Path(name).name}”")

    def restore(self, backup: Path, what: str) -> bool:
        """Ask, then replace the database by ``backup`` (the current state is saved first)."""
        answer = QMessageBox.question(
            self, "恢复备份",
            f"将用{what}替换当前数据库中的全部数据。\n\n当前数据会先另存为一个备份（恢复前），需要时可以再恢复回来。\n\n是否继续？",
        )
        if answer != QMessageBox.StandardButton.Yes:
            return False
        self.ops.wait()  # no background job may use the file while it is replaced
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            previous = self.desk.backups.restore(backup)
        except Exception as exc:  # noqa: BLE001 - shown to the clerk
            QApplication.restoreOverrideCursor()
            show_error(self, exc)
            self.refresh()
            return False
        QApplication.restoreOverrideCursor()
        self.ctx.set_desk(self.desk)  # every tab reloads from the restored data
        self.refresh()
        QMessageBox.information(self, "恢复完成", f"已恢复{what}。\n恢复前的数据已另存为：{previous}")
        return True

    def open_folder(self) -> None:
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.desk.backups.folder)))
