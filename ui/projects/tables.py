"""Read-only record tables shared by the pages and dialogs of the 项目 tab."""

from __future__ import annotations

from PySide6.QtWidgets import QAbstractItemView, QTableView

from ..widgets.record_model import Column, RecordTableModel


def record_table(columns: list[Column], parent, *, model: RecordTableModel | None = None,
                 stretch_last: bool = True) -> tuple[RecordTableModel, QTableView]:
    """A table view over records: whole rows selected, one at a time, not editable."""
    model = model or RecordTableModel(columns, parent)
    view = QTableView()
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setAlternatingRowColors(True)
    view.verticalHeader().hide()
    view.horizontalHeader().setStretchLastSection(stretch_last)
    for i, col in enumerate(columns):
        view.setColumnWidth(i, col.width or 100)
    return model, view


def selected_record(view: QTableView):
    """The record of the selected row, or None."""
    rows = view.selectionModel().selectedRows() if view.selectionModel() else []
    return view.model().record(rows[0].row()) if rows else None
