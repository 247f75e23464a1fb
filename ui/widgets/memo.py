"""Table models that remember their answers until they announce a change.

A view asks every visible cell for a dozen roles at each repaint (display text,
alignment, colours, font, decoration, check state …), so a model computing its
answers in Python pays for them again and again: on the indicators tab at
start-up that was a fifth of the window's paint time. :class:`MemoizedModel`
computes each (cell, role) once and forgets everything whenever the model emits
any of the signals that tell a view its content changed — exactly the points where
a view would ask again.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt

_CHANGE_SIGNALS = (
    "modelReset", "layoutChanged", "dataChanged", "headerDataChanged", "rowsInserted", "rowsRemoved",
    "rowsMoved", "columnsInserted", "columnsRemoved", "columnsMoved",
)


class MemoizedModel:
    """Mixin (before ``QAbstractTableModel``) for models whose answers depend only on
    their loaded state and change only together with a change signal.

    Subclasses implement ``_data``, ``_flags`` and ``_header_data``; call
    :meth:`_memo_init` in ``__init__``; call :meth:`forget` after changing state
    without emitting a signal.
    """

    def _memo_init(self) -> None:
        self._memo: dict = {}
        forget = self.forget
        for name in _CHANGE_SIGNALS:
            getattr(self, name).connect(lambda *_args: forget())

    def forget(self) -> None:
        """Drop every remembered answer."""
        self._memo.clear()

    def data(self, index: QModelIndex, role=Qt.ItemDataRole.DisplayRole):
        key = (index.row(), index.column(), role)
        memo = self._memo
        try:
            return memo[key]
        except KeyError:
            value = memo[key] = self._data(index, role)
            return value

    def flags(self, index: QModelIndex):
        key = (index.row(), index.column(), "flags")
        memo = self._memo
        try:
            return memo[key]
        except KeyError:
            value = memo[key] = self._flags(index)
            return value

    def headerData(self, section: int, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802 - Qt API
        key = ("header", section, orientation, role)
        memo = self._memo
        try:
            return memo[key]
        except KeyError:
            value = memo[key] = self._header_data(section, orientation, role)
            return value

    def _flags(self, index: QModelIndex):
        return super().flags(index)  # type: ignore[misc]

    def _header_data(self, section: int, orientation, role):
        return super().headerData(section, orientation, role)  # type: ignore[misc]
