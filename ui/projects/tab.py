"""The 项目 tab: the project ledger."""

from __future__ import annotations

from PySide6.QtCore import QSortFilterProxyModel, Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QTableView, QVBoxLayout, QWidget

from parkdesk.numbers import fmt

from ..widgets.record_model import Column, RecordTableModel

COLUMNS = [
    Column("项目名称", lambda p: p.name, width=260),
    Column("投资方", lambda p: p.investor, width=200),
    Column("产业链", lambda p: p.chain, width=80),
    Column("阶段", lambda p: p.stage, width=70),
    Column("总投资(万元)", lambda p: fmt(p.total_investment, 0, dash=""), align_right=True, width=100,
           sort_key=lambda p: p.total_investment or 0),
    Column("签约日期", lambda p: p.signed_on or "", width=90),
    Column("开工日期", lambda p: p.started_on or "", width=90),
    Column("投产日期", lambda p: p.production_on or "", width=90),
    Column("包保领导", lambda p: p.leader, width=80),
    Column("责任单位", lambda p: p.responsible_unit, width=100),
]


class ProjectsTab(QWidget):
    def __init__(self, ctx, ops, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self.ops = ops
        self.model = RecordTableModel(COLUMNS, self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(Qt.ItemDataRole.UserRole)
        self.proxy.setFilterKeyColumn(-1)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.search = QLineEdit()
        self.search.setPlaceholderText("搜索项目名称、投资方、领导、单位")
        self.search.textChanged.connect(self.proxy.setFilterFixedString)
        self.totals = QLabel()
        self.view = QTableView()
        self.view.setModel(self.proxy)
        self.view.setSortingEnabled(True)
        self.view.setAlternatingRowColors(True)
        self.view.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        for i, col in enumerate(COLUMNS):
            if col.width:
                self.view.setColumnWidth(i, col.width)
        top = QHBoxLayout()
        top.addWidget(QLabel("搜索："))
        top.addWidget(self.search, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.view)
        layout.addWidget(self.totals)
        ctx.data_changed.connect(self.refresh)
        self.refresh()

    def refresh(self) -> None:
        projects = self.ctx.desk.projects.list()
        self.model.set_records(projects)
        total = sum(p.total_investment or 0 for p in projects)
        self.totals.setText(f"共 {len(projects)} 个项目，总投资 {fmt(total / 10000, 2)} 亿元")
