"""The 逾期与问题 page: overdue and due nodes, open problems and stalled projects across the ledger."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from parkdesk.dispatch import NODE_OVERDUE
from parkdesk.projects import is_stalled

from ..widgets.record_model import Column
from .ledger_model import RED, YELLOW
from .record_dialogs import DateDialog
from .tables import record_table, selected_record

NODE_COLUMNS = [
    Column("状态", lambda i: "已逾期" if i["status"] == NODE_OVERDUE else "即将到期", width=70,
           color=lambda i: RED if i["status"] == NODE_OVERDUE else YELLOW),
    Column("项目名称", lambda i: i["project"], width=240),
    Column("节点", lambda i: i["node"].name, width=140),
    Column("计划完成日期", lambda i: i["node"].planned_on, width=100),
    Column("逾期/剩余", lambda i: f"逾期 {i['days']} 天" if i["status"] == NODE_OVERDUE else f"还剩 {i['days']} 天",
           width=90, align_right=True, sort_key=lambda i: -i["days"] if i["status"] == NODE_OVERDUE else i["days"]),
    Column("包保领导", lambda i: i["leader"], width=80),
    Column("责任单位", lambda i: i["responsible_unit"], width=110),
]
PROBLEM_COLUMNS = [
    Column("状态", lambda i: "已超期" if i["overdue"] else "未解决", width=70,
           color=lambda i: RED if i["overdue"] else YELLOW),
    Column("项目名称", lambda i: i["project"], width=240),
    Column("存在问题", lambda i: i["problem"].description, width=300),
    Column("责任单位", lambda i: i["problem"].responsible_unit, width=110),
    Column("提出日期", lambda i: i["problem"].raised_on or "", width=90),
    Column("办结时限", lambda i: i["problem"].deadline or "", width=90),
    Column("包保领导", lambda i: i["leader"], width=80),
]
STALLED_COLUMNS = [
    Column("项目名称", lambda r: r[0].project.name, width=240),
    Column("当前阶段", lambda r: r[0].project.stage, width=80),
    Column("进入本阶段日期", lambda r: r[0].project.stage_changed_on or "", width=110),
    Column("已停留", lambda r: f"{r[1]} 天", width=80, align_right=True, sort_key=lambda r: r[1]),
    Column("总投资(万元)", lambda r: f"{r[0].project.total_investment:,.0f}" if r[0].project.total_investment else "",
           width=100, align_right=True),
    Column("包保领导", lambda r: r[0].project.leader, width=80),
    Column("责任单位", lambda r: r[0].project.responsible_unit, width=110),
]


class AttentionPage(QWidget):
    """What the dispatch meeting has to chase: overdue nodes, open problems, stalled projects."""

    def __init__(self, tab, parent=None):
        super().__init__(parent)
        self.tab = tab
        self.as_of = QLabel()
        self.node_model, self.node_view = record_table(NODE_COLUMNS, self)
        self.problem_model, self.problem_view = record_table(PROBLEM_COLUMNS, self)
        self.stalled_model, self.stalled_view = record_table(STALLED_COLUMNS, self)
        self.node_box = QGroupBox()
        self.problem_box = QGroupBox()
        self.stalled_box = QGroupBox()

        complete = QPushButton("标记节点完成…")
        complete.clicked.connect(self.complete_node)
        resolve = QPushButton("标记问题已解决…")
        resolve.clicked.connect(self.resolve_problem)
        self.stalled_days = QSpinBox()
        self.stalled_days.setRange(7, 3650)
        self.stalled_days.setSuffix(" 天")
        save_days = QPushButton("保存停滞标准")
        save_days.clicked.connect(self.save_stalled_days)

        for box, view, extra in (
                (self.node_box, self.node_view, [complete]),
                (self.problem_box, self.problem_view, [resolve]),
                (self.stalled_box, self.stalled_view, [QLabel("在同一阶段超过"), self.stalled_days,
                                                       QLabel("未推进视为停滞（不含已投产、已终止）"), save_days])):
            layout = QVBoxLayout(box)
            row = QHBoxLayout()
            for w in extra:
                row.addWidget(w)
            open_button = QPushButton("打开项目…")
            open_button.clicked.connect(lambda _=False, v=view: self.open_selected(v))
            row.addWidget(open_button)
            row.addStretch(1)
            layout.addLayout(row)
            layout.addWidget(view)
            view.doubleClicked.connect(lambda _i, v=view: self.open_selected(v))
        splitter = QSplitter(Qt.Orientation.Vertical)
        for box in (self.node_box, self.problem_box, self.stalled_box):
            splitter.addWidget(box)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 4)
        layout.addWidget(self.as_of)
        layout.addWidget(splitter, 1)

    def refresh(self) -> None:
        desk = self.tab.ctx.desk
        today = self.tab.today()
        warn = self.tab.warning_days()
        limit = self.tab.stalled_days()
        nodes = desk.projects.overdue_nodes(today, warn)
        problems = desk.projects.open_problems(today)
        stalled = []
        for r in self.tab.ledger_rows():
            p = r.project
            if is_stalled(p.stage, p.stage_changed_on, limit, today):
                stalled.append((r, p.days_in_stage(today)))
        stalled.sort(key=lambda x: -x[1])
        self.node_model.set_records(nodes)
        self.problem_model.set_records(problems)
        self.stalled_model.set_records(stalled)
        overdue = sum(1 for n in nodes if n["status"] == NODE_OVERDUE)
        late = sum(1 for p in problems if p["overdue"])
        self.node_box.setTitle(f"逾期节点 {overdue} 个，{warn} 天内到期 {len(nodes) - overdue} 个")
        self.problem_box.setTitle(f"未解决问题 {len(problems)} 个（其中超过办结时限 {late} 个）")
        self.stalled_box.setTitle(f"停滞项目 {len(stalled)} 个")
        self.stalled_days.setValue(limit)
        self.as_of.setText(f"截至 {today.isoformat()}，不含已终止项目。双击一行打开项目。")

    def open_selected(self, view: QTableView) -> None:
        item = selected_record(view)
        if item is None:
            return
        if view is self.stalled_view:
            self.tab.open_project(item[0].project.id, page="stage")
        elif view is self.node_view:
            self.tab.open_project(item["project_id"], page="nodes")
        else:
            self.tab.open_project(item["project_id"], page="problems")

    def complete_node(self) -> None:
        item = selected_record(self.node_view)
        if item is None:
            return
        node = item["node"]
        dialog = DateDialog("节点完成", f"“{node.name}”实际完成日期", self.tab.today(), self)
        if dialog.exec():
            node.actual_on = dialog.iso()
            self.tab.ops.write(lambda desk: desk.projects.save_node(node), parent=self)

    def resolve_problem(self) -> None:
        item = selected_record(self.problem_view)
        if item is None:
            return
        problem = item["problem"]
        dialog = DateDialog("问题已解决", "解决日期", self.tab.today(), self)
        if dialog.exec():
            day = dialog.iso()
            self.tab.ops.write(lambda desk: desk.projects.resolve_problem(problem.id, day), parent=self)

    def save_stalled_days(self) -> None:
        value = self.stalled_days.value()
        self.tab.ops.write(lambda desk: desk.settings.set("projects.stalled_days", value), parent=self)

