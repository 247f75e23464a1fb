"""An optional date: typed as clerks write it (2026-3-5, 2026年3月5日) or picked from a calendar."""

from __future__ import annotations

import datetime as _dt

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import QCalendarWidget, QHBoxLayout, QLineEdit, QMenu, QToolButton, QWidget, QWidgetAction

from parkdesk.numbers import parse_date


class DateField(QWidget):
    """A line edit for a date that may be empty, with a calendar button."""

    changed = Signal()

    def __init__(self, value=None, parent=None, *, placeholder: str = "年-月-日"):
        super().__init__(parent)
        self.edit = QLineEdit()
        self.edit.setPlaceholderText(placeholder)
        self.edit.setMaximumWidth(130)
        self.edit.textChanged.connect(lambda _t: self.changed.emit())
        self.button = QToolButton()
        self.button.setText("▾")
        self.button.setToolTip("从日历中选择")
        self.button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.button.setStyleSheet("QToolButton::menu-indicator { image: none; width: 0; }")
        self.calendar = QCalendarWidget()
        self.calendar.setGridVisible(True)
        menu = QMenu(self.button)
        action = QWidgetAction(menu)
        action.setDefaultWidget(self.calendar)
        menu.addAction(action)
        menu.aboutToShow.connect(self._sync_calendar)
        self.calendar.clicked.connect(lambda d: (self.set_date(d.toPython()), menu.close()))
        self.button.setMenu(menu)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.edit)
        layout.addWidget(self.button)
        layout.addStretch(1)
        self.set_date(value)

    def _sync_calendar(self) -> None:
        try:
            day = self.date() or _dt.date.today()
        except Exception:  # noqa: BLE001 - text being typed is not a date yet
            day = _dt.date.today()
        self.calendar.setSelectedDate(QDate(day.year, day.month, day.day))

    def set_date(self, value) -> None:
        """Show a date (date, ISO text or None)."""
        if value is None or value == "":
            self.edit.setText("")
        elif isinstance(value, _dt.date):
            self.edit.setText(value.isoformat())
        else:
            self.edit.setText(str(value)[:10])

    def date(self) -> _dt.date | None:
        """The date typed, or None when empty. :raises ValidationError: when it is not a date."""
        return parse_date(self.edit.text())

    def iso(self) -> str | None:
        """The date as ISO text, or None. :raises ValidationError: when it is not a date."""
        day = self.date()
        return day.isoformat() if day else None

    def text(self) -> str:
        return self.edit.text()

    def setFocus(self) -> None:  # noqa: N802 - Qt API
        self.edit.setFocus()
        self.edit.selectAll()
