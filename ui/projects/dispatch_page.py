"""The 月度调度 page: the month's dispatch sheet of every project under construction,
exported to Excel or printed (landscape A4) for the monthly dispatch meeting."""

from __future__ import annotations

import html
from pathlib import Path

from PySide6.QtCore import QMarginsF, QStandardPaths, Qt
from PySide6.QtGui import QPageLayout, QPageSize, QTextDocument
from PySide6.QtPrintSupport import QPrintDialog, QPrinter, QPrintPreviewDialog
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from parkdesk.dispatch import DISPATCH_SHEET_HEADERS, dispatch_sheet_values
from parkdesk.exchange.dispatch_sheet import sheet_title, write_dispatch_sheet
from parkdesk.numbers import amount_text

from ..widgets.record_model import Column, RecordTableModel
from .ledger_model import RED, YELLOW
from .tables import record_table, selected_record

_WIDTHS = (40, 190, 64, 60, 92, 124, 124, 140, 52, 52, 52, 52, 64, 64, 240, 160, 64, 100)
_MONEY = {4, 5, 6}
# Share of the printed width per column (landscape A4): room for names and problems.
_PRINT_WIDTHS = (2.5, 12.5, 4.3, 3.6, 5.2, 5.2, 5.6, 7.5, 4.2, 4.2, 4.2, 4.2, 4.2, 4, 11.3, 7.3, 4.2, 5.8)
assert abs(sum(_PRINT_WIDTHS) - 100) < 0.01


def _cell_text(value, column: int | None = None) -> str:
    if value is None:
        return ""
    if column in _MONEY and isinstance(value, (int, float)):
        if column == 4 and float(value).is_integer():
            return f"{value:,.0f}"  # total investment is usually whole 万元
        return f"{value:,.1f}"  # one decimal in 万元, as in the Excel sheet
    return str(value)


def _columns() -> list[Column]:
    columns = []
    for n, title in enumerate(DISPATCH_SHEET_HEADERS):
        def value(item, n=n):
            return _cell_text(item[1][n], n)

        def colour(item, n=n):
            row = item[0]
            if n in (5, 7) and row.record is None:
                return RED  # not reported for this month yet
            if n == 14 and row.problems:
                return YELLOW
            return None

        def sort_key(item, n=n):
            v = item[1][n]
            return (0, v) if isinstance(v, (int, float)) else (1, str(v or ""))

        columns.append(Column(title, value, align_right=n in _MONEY or n == 0, width=_WIDTHS[n], color=colour,
                              sort_key=sort_key))
    return columns


class _SheetModel(RecordTableModel):
    """The sheet's rows; long text cells show in full as a tooltip."""

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.ToolTipRole and index.isValid() and index.column() in (1, 7, 14, 15):
            return super().data(index, Qt.ItemDataRole.DisplayRole) or None
        return super().data(index, role)


# Fitting every row's height to its text costs a pass over every cell: only for sheets of usual size.
_FIT_ROWS_UP_TO = 300


class DispatchSheetPage(QWidget):
    """Choose a month, see who reported what, fill records, export or print the sheet."""

    def __init__(self, tab, parent=None):
        super().__init__(parent)
        self.tab = tab
        self.rows = []
        self.year = QSpinBox()
        self.year.setRange(1990, 2100)
        self.year.setSuffix(" 年")
        self.month = QComboBox()
        for m in range(1, 13):
            self.month.addItem(f"{m}月", m)
        self.summary = QLabel()
        self.fill_button = QPushButton("填报/修改调度…")
        self.export_button = QPushButton("导出 Excel…")
        self.preview_button = QPushButton("打印预览…")
        self.print_button = QPushButton("打印…")
        self.fill_button.clicked.connect(self.fill_selected)
        self.export_button.clicked.connect(self.export_dialog)
        self.preview_button.clicked.connect(self.print_preview)
        self.print_button.clicked.connect(self.print_dialog)
        self.year.valueChanged.connect(self.refresh)
        self.month.currentIndexChanged.connect(self.refresh)
        columns = _columns()
        self.model, self.view = record_table(columns, self, model=_SheetModel(columns, self), stretch_last=False)
        self.view.setAlternatingRowColors(False)
        self.view.setWordWrap(True)
        self.view.doubleClicked.connect(lambda _i: self.fill_selected())
        legend = QLabel("红色：本月尚未填报；黄色：有未解决问题。双击一行填报该项目本月调度。")
        legend.setStyleSheet("color: #666;")
        top = QHBoxLayout()
        top.addWidget(QLabel("调度月份："))
        top.addWidget(self.year)
        top.addWidget(self.month)
        top.addSpacing(12)
        top.addWidget(self.summary, 1)
        for b in (self.fill_button, self.export_button, self.preview_button, self.print_button):
            top.addWidget(b)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 4)
        layout.addLayout(top)
        layout.addWidget(self.view, 1)
        layout.addWidget(legend)
        self.follow_period()

    def follow_period(self) -> None:
        """Show the month selected in the main window."""
        for w in (self.year, self.month):
            w.blockSignals(True)
        self.year.setValue(self.tab.ctx.year)
        self.month.setCurrentIndex(self.tab.ctx.month - 1)
        for w in (self.year, self.month):
            w.blockSignals(False)

    def period(self) -> tuple[int, int]:
        return self.year.value(), self.month.currentData()

    def refresh(self, *_args) -> None:
        year, month = self.period()
        self.rows = self.tab.ctx.desk.projects.dispatch_sheet(year, month)
        self.model.set_records([(r, dispatch_sheet_values(r, n)) for n, r in enumerate(self.rows, start=1)])
        if len(self.rows) <= _FIT_ROWS_UP_TO:
            self.view.resizeRowsToContents()
        else:
            self.view.verticalHeader().setDefaultSectionSize(44)
        reported = [r for r in self.rows if r.record]
        invested = sum(r.record.invested_month or 0 for r in reported)
        missing = len(self.rows) - len(reported)
        text = (f"在建项目 {len(self.rows)} 个，已填报 {len(reported)} 个，本月完成投资 "
                f"{amount_text(invested, '万元')}")
        if missing:
            text += f"；<span style='color:#b00020'>未填报 {missing} 个</span>"
        self.summary.setText(text)

    def selected_row(self):
        item = selected_record(self.view)
        return item[0] if item else None

    def fill_selected(self) -> None:
        row = self.selected_row()
        if row is not None:
            year, month = self.period()
            self.tab.open_dispatch(row.project_id, year, month)

    # --- Excel -------------------------------------------------------------------------------------
    def export_dialog(self) -> None:
        year, month = self.period()
        folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation) or str(Path.home())
        path, _ = QFileDialog.getSaveFileName(self, "导出重点项目调度表", str(Path(folder) / f"重点项目调度表_{year}年{month}月.xlsx"),
                                              "Excel 工作簿 (*.xlsx)")
        if path:
            self.export_to(path)

    def export_to(self, path) -> None:
        """Write the sheet to ``path`` on the worker thread."""
        year, month = self.period()
        window = self.window()
        self.tab.ops.run("正在导出调度表……", lambda desk, progress: write_dispatch_sheet(desk, year, month, path),
                         on_done=lambda n: hasattr(window, "statusBar") and window.statusBar().showMessage(
                             f"已导出调度表（{n} 个项目）：{path}", 8000),
                         changes_data=False, parent=self)

    # --- printing -------------------------------------------------------------------------------------
    def document(self) -> QTextDocument:
        """The sheet as a document: title, a bordered table whose header repeats on each page."""
        year, month = self.period()
        title = sheet_title(self.tab.ctx.desk.park.profile().display_name, year, month)
        head = "".join(f"<th width='{w}%'>{html.escape(h)}</th>" for h, w in zip(DISPATCH_SHEET_HEADERS, _PRINT_WIDTHS))
        body = []
        for n, row in enumerate(self.rows, start=1):
            cells = []
            for i, value in enumerate(dispatch_sheet_values(row, n)):
                align = " align='right'" if i in _MONEY else ""
                cells.append(f"<td{align}>{html.escape(_cell_text(value, i))}</td>")
            body.append("<tr>" + "".join(cells) + "</tr>")
        total = sum(r.record.invested_month or 0 for r in self.rows if r.record)
        doc = QTextDocument()
        doc.setDocumentMargin(0)
        doc.setHtml(
            "<html><body style='font-family: \"Noto Sans CJK SC\", \"Microsoft YaHei\", \"SimSun\"; font-size: 7.5pt;'>"
            f"<p align='center' style='font-size: 15pt; font-weight: bold;'>{html.escape(title)}</p>"
            f"<p>在建项目 {len(self.rows)} 个，本月完成投资 {html.escape(amount_text(total, '万元'))}。金额单位：万元。</p>"
            "<table border='1' cellspacing='0' cellpadding='2' width='100%' style='border-collapse: collapse;'>"
            f"<thead><tr style='background-color: #e8eef7;'>{head}</tr></thead>"
            f"<tbody>{''.join(body)}</tbody></table></body></html>")
        return doc

    @staticmethod
    def printer(printer: QPrinter | None = None) -> QPrinter:
        printer = printer or QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
        printer.setPageOrientation(QPageLayout.Orientation.Landscape)
        printer.setPageMargins(QMarginsF(10, 12, 10, 12), QPageLayout.Unit.Millimeter)
        return printer

    def print_to(self, printer: QPrinter) -> None:
        self.document().print_(printer)

    def print_pdf(self, path) -> None:
        """Print the sheet to a PDF file (landscape A4)."""
        printer = self.printer()
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(path))
        self.print_to(printer)

    def print_preview(self) -> None:
        dialog = QPrintPreviewDialog(self.printer(), self)
        dialog.setWindowTitle("打印预览 — 重点项目调度表")
        dialog.paintRequested.connect(self.print_to)
        dialog.resize(1100, 760)
        dialog.exec()

    def print_dialog(self) -> None:
        printer = self.printer()
        dialog = QPrintDialog(printer, self)
        if dialog.exec():
            self.print_to(printer)
