"""The 工作计划 tab: the selected year's plan."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QTableView, QVBoxLayout, QWidget

from parkdesk.numbers import fmt

from ..widgets.record_model import Column, RecordTableModel

COLUMNS = [
    Column("部分", lambda r: r[0].title, width=260),
    Column("事项", lambda r: r[1].title, width=180),
    Column("量化目标", lambda r: r[1].target_text, width=200),
    Column("责任单位", lambda r: r[1].owner_department, width=100),
    Column("责任领导", lambda r: r[1].leader, width=80),
    Column("完成时限", lambda r: r[1].deadline or "", width=90),
    Column("状态", lambda r: r[1].status, width=60,
           color=lambda r: "#f8d7da" if r[1].status == "滞后" else None),
    Column("完成%", lambda r: fmt(r[1].progress_pct, 0, dash=""), align_right=True, width=60),
]


class PlansTab(QWidget):
    def __init__(self, ctx, ops, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self.ops = ops
        self.model = RecordTableModel(COLUMNS, self)
        self.caption = QLabel()
        self.view = QTableView()
        self.view.setModel(self.model)
        self.view.setAlternatingRowColors(True)
        self.view.setWordWrap(True)
        for i, col in enumerate(COLUMNS):
            if col.width:
                self.view.setColumnWidth(i, col.width)
        layout = QVBoxLayout(self)
        layout.addWidget(self.caption)
        layout.addWidget(self.view)
        ctx.data_changed.connect(self.refresh)
        ctx.period_changed.connect(lambda *_: self.refresh())
        self.refresh()

    def refresh(self) -> None:
        rows = self.ctx.desk.plans.year_items(self.ctx.year)
        self.model.set_records(rows)
        self.caption.setText(f"{self.ctx.year}年工作计划：{len(rows)} 项")
