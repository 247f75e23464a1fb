"""The 指标 tab: the year's indicator values by month."""

from __future__ import annotations

from PySide6.QtWidgets import QHeaderView, QLabel, QTableView, QVBoxLayout, QWidget

from .grid_model import IndicatorYearModel


class IndicatorsTab(QWidget):
    def __init__(self, ctx, ops, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self.ops = ops
        self.model = IndicatorYearModel(self)
        self.caption = QLabel()
        self.view = QTableView()
        self.view.setModel(self.model)
        self.view.setAlternatingRowColors(True)
        self.view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.view.verticalHeader().setDefaultSectionSize(26)
        layout = QVBoxLayout(self)
        layout.addWidget(self.caption)
        layout.addWidget(self.view)
        ctx.data_changed.connect(self.refresh)
        ctx.period_changed.connect(lambda *_: self.refresh())
        self.refresh()
        self.view.setColumnWidth(0, 180)
        self.view.setColumnWidth(1, 70)
        for col in range(2, 14):
            self.view.setColumnWidth(col, 78)

    def refresh(self) -> None:
        self.model.load(self.ctx.desk, self.ctx.year)
        self.caption.setText(f"{self.ctx.year}年各月累计值（1—N月累计；期末值指标为当月末数）")
