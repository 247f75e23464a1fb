"""Models that remember their answers (ui/widgets/memo.py) forget them at every change signal."""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt

from ui.widgets.memo import MemoizedModel


class Counting(MemoizedModel, QAbstractTableModel):
    def __init__(self):
        super().__init__()
        self._memo_init()
        self.values = [["a", "b"], ["c", "d"]]
        self.calls = 0
        self.readonly = False

    def _flags(self, index):
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        return flags if self.readonly else flags | Qt.ItemFlag.ItemIsEditable

    def rowCount(self, parent=QModelIndex()):  # noqa: N802
        return 0 if parent.isValid() else len(self.values)

    def columnCount(self, parent=QModelIndex()):  # noqa: N802
        return 0 if parent.isValid() else 2

    def _data(self, index, role):
        self.calls += 1
        return self.values[index.row()][index.column()] if role == Qt.ItemDataRole.DisplayRole else None

    def set(self, row, col, value):
        self.values[row][col] = value
        self.dataChanged.emit(self.index(row, col), self.index(row, col))


def test_answers_are_computed_once_until_a_change_signal(qtbot):
    model = Counting()
    cell = model.index(0, 1)
    assert model.data(cell, Qt.ItemDataRole.DisplayRole) == "b"
    assert model.data(cell, Qt.ItemDataRole.DisplayRole) == "b"
    assert model.calls == 1
    model.set(0, 1, "B")
    assert model.data(cell, Qt.ItemDataRole.DisplayRole) == "B" and model.calls == 2
    model.beginResetModel()
    model.values = [["x", "y"]]
    model.endResetModel()
    assert model.data(model.index(0, 0), Qt.ItemDataRole.DisplayRole) == "x"
    editable = Qt.ItemFlag.ItemIsEditable
    assert model.flags(cell) & editable
    model.readonly = True  # changed without a signal: the remembered flags stay until forget()
    assert model.flags(cell) & editable
    model.forget()
    assert not model.flags(cell) & editable
    model.readonly = False
    model.layoutChanged.emit()  # any change signal drops remembered flags too
    assert model.flags(cell) & editable


def test_a_view_shows_the_new_value_after_a_change(qtbot):
    """A view repainted after a change draws the new text: the remembered answer is dropped."""
    from PySide6.QtWidgets import QTableView

    model = Counting()
    view = QTableView()
    qtbot.addWidget(view)
    view.setModel(model)
    view.show()
    qtbot.waitExposed(view)
    painted = [view.viewport().grab().toImage()]
    view.viewport().repaint()
    assert view.viewport().grab().toImage() == painted[0]  # nothing changed: the same picture
    model.set(1, 0, "新值")
    view.viewport().repaint()
    assert view.viewport().grab().toImage() != painted[0]
    assert model.data(model.index(1, 0), Qt.ItemDataRole.DisplayRole) == "新值"


def test_the_indicator_grid_shows_an_edit_at_once(main_window, qtbot):
    """The real grid: a committed figure appears in the cell (the remembered text is dropped)."""
    tab = main_window.select_tab("indicators")
    model = tab.view.model()
    row = next(r for r in range(model.rowCount()) if model.indicator_at(r) is not None)
    col = next(c for c in range(model.columnCount()) if model.month_of(c) == 1)
    before = model.data(model.index(row, col), Qt.ItemDataRole.DisplayRole)
    assert "12,345.6" not in before
    assert model.setData(model.index(row, col), "12345.6", Qt.ItemDataRole.EditRole)
    qtbot.waitUntil(lambda: model.data(model.index(row, col), Qt.ItemDataRole.DisplayRole) != before, timeout=5000)
    assert "12,345.6" in model.data(model.index(row, col), Qt.ItemDataRole.DisplayRole)
