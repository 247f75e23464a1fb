"""Print preview and printing of a report, drawn by the same Qt renderer as the PDF.

Both run on the UI thread (the print dialogs are widgets); laying out a
report of a few dozen pages takes a second or two, shown with a wait cursor.
"""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import QMarginsF, Qt
from PySide6.QtGui import QGuiApplication, QPageLayout
from PySide6.QtPrintSupport import QPrintDialog, QPrinter, QPrintPreviewDialog
from PySide6.QtWidgets import QDialog, QWidget

from parkdesk.report.model import ReportDocument

from .pdf import page_size
from .render import render_to_device


def make_printer(document: ReportDocument, mode=QPrinter.PrinterMode.HighResolution) -> QPrinter:
    """A printer set to the report's paper, full page (the renderer keeps the margins)."""
    printer = QPrinter(mode)
    printer.setPageLayout(QPageLayout(page_size(document), QPageLayout.Orientation.Portrait,
                                      QMarginsF(0, 0, 0, 0), QPageLayout.Unit.Millimeter))
    printer.setFullPage(True)
    printer.setDocName(document.title.replace("\n", "") or "报告")
    printer.setCreator("园区工作台 ParkDesk")
    return printer


def _render_busy(document: ReportDocument, printer: QPrinter) -> int:
    QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    try:
        return render_to_device(document, printer)
    finally:
        QGuiApplication.restoreOverrideCursor()


def preview_dialog(document: ReportDocument, printer: QPrinter,
                   parent: QWidget | None = None) -> QPrintPreviewDialog:
    """The print preview dialog for a report on ``printer`` (not yet shown).

    The dialog does not own the printer: keep it alive longer than the dialog.
    """
    dialog = QPrintPreviewDialog(printer, parent)
    title = document.title.replace("\n", "")
    dialog.setWindowTitle(f"打印预览 — {title}" if title else "打印预览")
    dialog.paintRequested.connect(lambda p: _render_busy(document, p))
    dialog.resize(1000, 800)
    return dialog


def print_preview(document: ReportDocument, parent: QWidget | None = None) -> bool:
    """Show the print preview; True when the clerk printed from it."""
    printer = make_printer(document)
    dialog = preview_dialog(document, printer, parent)
    try:
        return dialog.exec() == QDialog.DialogCode.Accepted
    finally:
        shiboken6.delete(dialog)  # now, while the printer it points to still exists


def print_document(document: ReportDocument, parent: QWidget | None = None) -> bool:
    """Ask for a printer and print the report; True when it was sent to the printer."""
    printer = make_printer(document)
    dialog = QPrintDialog(printer, parent)
    dialog.setWindowTitle("打印报告")
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return False
    _render_busy(document, printer)
    return True
