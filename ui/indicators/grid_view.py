"""A table view that behaves like a spreadsheet for keyboard entry.

Typing starts editing (the typed key replaces the cell), Enter saves and moves
down, Tab saves and moves right, Delete clears the selection, Ctrl+C copies
and Ctrl+V pastes a block (the tab does the writing). An entry that was
refused keeps the cursor on its cell and reopens the editor with the text.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QGuiApplication, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemDelegate,
    QAbstractItemView,
    QHeaderView,
    QLineEdit,
    QStyledItemDelegate,
    QTableView,
)


class CellDelegate(QStyledItemDelegate):
    """A right-aligned line editor; can reopen with text that was refused."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.pending_text: str | None = None

    def createEditor(self, parent, option, index):  # noqa: N802
        editor = QLineEdit(parent)
        editor.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        editor.setFrame(False)
        return editor

    def setEditorData(self, editor, index):  # noqa: N802
        if self.pending_text is not None:
            editor.setText(self.pending_text)
            self.pending_text = None
        else:
            editor.setText(str(index.data(Qt.ItemDataRole.EditRole) or ""))

    def setModelData(self, editor, model, index):  # noqa: N802
        model.setData(index, editor.text(), Qt.ItemDataRole.EditRole)


class EntryGridView(QTableView):
    """The grid's view: spreadsheet keys; paste and clear are handed to the tab."""

    paste_requested = Signal()
    clear_requested = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self.delegate = CellDelegate(self)
        self.setItemDelegate(self.delegate)
        self.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.setTabKeyNavigation(True)
        # Names in the vertical header stay in view while the months scroll.
        self.verticalHeader().setDefaultSectionSize(24)
        self.verticalHeader().setMinimumWidth(170)
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.setWordWrap(False)

    # --- movement ---------------------------------------------------------------------------------
    def move_down(self) -> None:
        """The next row below that is an indicator (headings are skipped)."""
        current = self.currentIndex()
        if not current.isValid():
            return
        model = self.model()
        for row in range(current.row() + 1, model.rowCount()):
            if model.indicator_at(row) is not None:
                self.setCurrentIndex(model.index(row, current.column()))
                return

    def keyPressEvent(self, event) -> None:  # noqa: N802
        editing = self.state() == QAbstractItemView.State.EditingState
        if not editing:
            if event.matches(QKeySequence.StandardKey.Paste):
                self.paste_requested.emit()
                event.accept()
                return
            if event.matches(QKeySequence.StandardKey.Copy):
                self.copy_selection()
                event.accept()
                return
            if event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
                self.clear_requested.emit()
                event.accept()
                return
            if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self.move_down()
                event.accept()
                return
        super().keyPressEvent(event)

    def closeEditor(self, editor, hint) -> None:  # noqa: N802
        refused = self.model().last_refused
        self.model().last_refused = None
        if refused is not None and refused.isValid():
            # Stay on the cell and let the clerk correct the text.
            text = editor.text() if isinstance(editor, QLineEdit) else None
            super().closeEditor(editor, QAbstractItemDelegate.EndEditHint.NoHint)
            self.setCurrentIndex(refused)
            self.delegate.pending_text = text
            self.edit(refused)
            return
        super().closeEditor(editor, QAbstractItemDelegate.EndEditHint.NoHint
                            if hint == QAbstractItemDelegate.EndEditHint.SubmitModelCache else hint)
        if hint == QAbstractItemDelegate.EndEditHint.SubmitModelCache:
            self.move_down()

    # --- clipboard ---------------------------------------------------------------------------------
    def selected_block(self) -> list[QModelIndex]:
        return sorted(self.selectionModel().selectedIndexes(), key=lambda i: (i.row(), i.column()))

    def copy_selection(self) -> None:
        """Copy the selected cells as tab-separated text (Excel and WPS paste it as a block)."""
        indexes = self.selected_block()
        if not indexes:
            return
        rows = sorted({i.row() for i in indexes})
        cols = sorted({i.column() for i in indexes})
        chosen = {(i.row(), i.column()) for i in indexes}
        model = self.model()
        lines = []
        for r in rows:
            cells = []
            for c in cols:
                if (r, c) in chosen:
                    value = model.index(r, c).data(Qt.ItemDataRole.EditRole)
                    cells.append("" if value is None else str(value))
                else:
                    cells.append("")
            lines.append("\t".join(cells))
        QGuiApplication.clipboard().setText("\n".join(lines))
