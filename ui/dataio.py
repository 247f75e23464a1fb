"""数据 menu: import with a preview, export, blank templates (any kind)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QStandardPaths
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QListWidget,
    QMessageBox,
    QTableView,
    QVBoxLayout,
)

from parkdesk import exchange

from .widgets.record_model import Column, RecordTableModel

XLSX_FILTER = "Excel 工作簿 (*.xlsx)"


def _documents() -> str:
    return QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation) or str(Path.home())


class ImportPreviewDialog(QDialog):
    """Shows what an import would write and every error; imports only when clean."""

    def __init__(self, preview: exchange.ImportPreview, parent=None):
        super().__init__(parent)
        label = exchange.KINDS[preview.kind]
        self.setWindowTitle(f"导入{label} — 预览")
        self.resize(960, 600)
        layout = QVBoxLayout(self)
        head = QLabel(f"文件：{preview.path}\n{preview.summary}")
        head.setWordWrap(True)
        layout.addWidget(head)
        # A model over the preview rows: a 100,000-row file must not become 100,000 widgets.
        columns = [Column(h, (lambda row, i=i: row[i] if i < len(row) else None)) for i, h in enumerate(preview.headers)]
        self.model = RecordTableModel(columns, self)
        self.model.set_records(preview.rows)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setAlternatingRowColors(True)
        self.table.horizontalHeader().setMinimumSectionSize(60)
        if len(preview.rows) <= 2000:  # measuring every row of a huge file would stall
            self.table.resizeColumnsToContents()
        layout.addWidget(self.table, 3)
        self.errors = QListWidget()
        if preview.errors:
            layout.addWidget(QLabel(f"发现 {len(preview.errors)} 处错误，请在 Excel 中改正后重新导入（数据库未作任何修改）："))
            for err in preview.errors[:500]:
                self.errors.addItem(str(err))
            layout.addWidget(self.errors, 2)
        buttons = QDialogButtonBox()
        self.import_button = buttons.addButton("导入", QDialogButtonBox.ButtonRole.AcceptRole)
        self.import_button.setEnabled(preview.ok)
        buttons.addButton("取消", QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)


def import_dialog(window, kind: str, path: str | None = None) -> None:
    """Choose a file, preview it off the UI thread, then import on confirmation."""
    if path is None:
        path, _ = QFileDialog.getOpenFileName(window, f"导入{exchange.KINDS[kind]}", _documents(), XLSX_FILTER)
        if not path:
            return

    def show_preview(preview) -> None:
        dialog = ImportPreviewDialog(preview, window)
        window._last_import_dialog = dialog  # for tests
        if dialog.exec() == QDialog.DialogCode.Accepted:
            window.ops.run("正在导入……", lambda desk, progress: exchange.apply_import(desk, preview),
                           on_done=lambda msg: QMessageBox.information(window, "导入完成", str(msg)))

    window.ops.run("正在读取文件……", lambda desk, progress: exchange.preview_import(desk, kind, path),
                   on_done=show_preview, changes_data=False)


def export_dialog(window, kind: str) -> None:
    year = window.ctx.year
    default = str(Path(_documents()) / f"{exchange.KINDS[kind]}_{year}.xlsx")
    path, _ = QFileDialog.getSaveFileName(window, f"导出{exchange.KINDS[kind]}", default, XLSX_FILTER)
    if not path:
        return
    window.ops.run("正在导出……", lambda desk, progress: exchange.export(desk, kind, year, path),
                   on_done=lambda _r: window.statusBar().showMessage(f"已导出：{path}", 8000),
                   changes_data=False)


def template_dialog(window, kind: str) -> None:
    default = str(Path(_documents()) / f"{exchange.KINDS[kind]}导入模板.xlsx")
    path, _ = QFileDialog.getSaveFileName(window, f"保存{exchange.KINDS[kind]}导入模板", default, XLSX_FILTER)
    if not path:
        return
    window.ops.run("正在生成模板……", lambda desk, progress: exchange.write_template(kind, path),
                   on_done=lambda _r: window.statusBar().showMessage(f"已保存模板：{path}", 8000),
                   changes_data=False)
