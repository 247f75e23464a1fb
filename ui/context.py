"""What every tab shares: the open database, the selected period, one
"data changed" signal (tabs refresh from it, never from each other)."""

from __future__ import annotations

import datetime as _dt

from PySide6.QtCore import QObject, Signal


class AppContext(QObject):
    """The open Desk, the selected (year, month) and change notifications."""

    data_changed = Signal()
    period_changed = Signal(int, int)
    desk_changed = Signal()

    def __init__(self, desk, year: int | None = None, month: int | None = None):
        super().__init__()
        self.desk = desk
        default_year, default_month = self.default_period(desk)
        self.year = year or default_year
        self.month = month or default_month

    @staticmethod
    def default_period(desk) -> tuple[int, int]:
        """The latest month with data, else last month."""
        latest = desk.indicators.latest_period() if desk is not None else None
        if latest:
            return latest
        today = _dt.date.today()
        return (today.year, today.month - 1) if today.month > 1 else (today.year - 1, 12)

    def set_period(self, year: int, month: int) -> None:
        if (year, month) != (self.year, self.month):
            self.year, self.month = year, month
            self.period_changed.emit(year, month)

    def set_desk(self, desk) -> None:
        self.desk = desk
        self.year, self.month = self.default_period(desk)
        self.desk_changed.emit()
        self.period_changed.emit(self.year, self.month)
        self.data_changed.emit()

    def notify_changed(self) -> None:
        """Announce that data changed (after a write); every tab refreshes."""
        self.data_changed.emit()
