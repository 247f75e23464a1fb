"""Small dialogs of the 项目 tab: stage change, dispatch record, node, problem, a date.

Each dialog checks its input with the core's own rules and shows the problem
in red inside the dialog; the caller writes through ``ops.write``.
"""

from __future__ import annotations

import datetime as _dt

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from parkdesk import catalog
from parkdesk.dispatch import (
    APPROVAL_FIELDS,
    APPROVAL_STATES,
    DispatchRecord,
    Node,
    Problem,
    validate_dispatch,
    validate_node,
    validate_problem,
)
from parkdesk.errors import ValidationError
from parkdesk.numbers import parse_number
from parkdesk.projects import Project, check_stage_change, next_stage, stage_label

from ..widgets.date_field import DateField
from ..widgets.record_model import Column, RecordTableModel


class CheckedDialog(QDialog):
    """A dialog with OK/Cancel whose OK runs :meth:`check` and shows its error inline."""

    def __init__(self, title: str, parent=None):
        super().__init__(parent)
        self.setWindowTitle(title)
        self.error = QLabel()
        self.error.setStyleSheet("color: #b00020;")
        self.error.setWordWrap(True)
        self.error.hide()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("确定")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

    def finish_layout(self, layout) -> None:
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)

    def show_error(self, message: str, widget: QWidget | None = None) -> None:
        self.error.setText(f"⚠ {message}")
        self.error.show()
        if widget is not None:
            widget.setFocus()

    def check(self) -> None:  # pragma: no cover - overridden
        """:raises ValidationError: when the input cannot be accepted."""

    def accept(self) -> None:
        try:
            self.check()
        except ValidationError as exc:
            self.show_error(exc.message, getattr(exc, "widget", None))
            return
        super().accept()


def _field(exc: ValidationError, widget: QWidget) -> ValidationError:
    exc.widget = widget  # type: ignore[attr-defined]
    return exc


def number_of(edit: QLineEdit, label: str) -> float | None:
    """The number typed in ``edit`` (full-width digits and separators accepted)."""
    try:
        return parse_number(edit.text())
    except ValidationError as exc:
        raise _field(ValidationError(f"{label}：{exc.message}"), edit) from None


def date_of(field: DateField, label: str) -> str | None:
    try:
        return field.iso()
    except ValidationError as exc:
        raise _field(ValidationError(f"{label}：{exc.message}"), field) from None


def number_edit(value: float | None = None, *, width: int = 130) -> QLineEdit:
    edit = QLineEdit("" if value is None else f"{value:g}")
    edit.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    edit.setMaximumWidth(width)
    return edit


# --- stage change -----------------------------------------------------------------------------------
class StageChangeDialog(CheckedDialog):
    """Move a project to another stage on a date (已终止 asks for the reason)."""

    def __init__(self, project: Project, stage: str | None = None, parent=None):
        super().__init__("变更项目阶段", parent)
        self.project = project
        self.stage_box = QComboBox()
        for s in catalog.ALL_STAGES:
            if s != project.stage:
                self.stage_box.addItem(stage_label(s), s)
        target = stage or next_stage(project.stage) or catalog.STAGE_TERMINATED
        self.stage_box.setCurrentIndex(max(0, self.stage_box.findData(target)))
        self.date = DateField(_dt.date.today())
        self.note = QLineEdit()
        self.note.setPlaceholderText("可选，例如：举行签约仪式")
        self.reason = QLineEdit()
        self.reason.setPlaceholderText("例如：投资方资金链断裂")
        self.reason_label = QLabel("终止原因")
        form = QFormLayout()
        form.addRow("项目", QLabel(f"<b>{project.name}</b>"))
        since = f"（自 {project.stage_changed_on}）" if project.stage_changed_on else ""
        form.addRow("当前阶段", QLabel(f"{stage_label(project.stage)}{since}"))
        form.addRow("变更为", self.stage_box)
        form.addRow("变更日期", self.date)
        form.addRow(self.reason_label, self.reason)
        form.addRow("说明", self.note)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        self.finish_layout(layout)
        self.stage_box.currentIndexChanged.connect(self._stage_changed)
        self._stage_changed()
        self.resize(420, 0)

    def _stage_changed(self, *_):
        terminated = self.stage_box.currentData() == catalog.STAGE_TERMINATED
        self.reason.setVisible(terminated)
        self.reason_label.setVisible(terminated)

    def values(self) -> tuple[str, str | None, str, str]:
        """(stage, ISO date, note, reason)."""
        return (self.stage_box.currentData(), date_of(self.date, "变更日期"), self.note.text().strip(),
                self.reason.text().strip())

    def check(self) -> None:
        stage = self.stage_box.currentData()
        day = date_of(self.date, "变更日期")
        try:
            check_stage_change(self.project, stage, day, self.reason.text())
        except ValidationError as exc:
            widget = self.reason if "终止原因" in exc.message else self.date
            raise _field(exc, widget) from None


# --- problems ----------------------------------------------------------------------------------
class ProblemDialog(CheckedDialog):
    """One problem: text, responsible unit, deadline, solved (and when)."""

    def __init__(self, problem: Problem, parent=None, *, raised_default: str | None = None):
        super().__init__("存在问题" if problem.id is None and not problem.description else "编辑问题", parent)
        self.problem = problem
        self.description = QPlainTextEdit(problem.description)
        self.description.setPlaceholderText("例如：施工用电增容尚未到位")
        self.description.setFixedHeight(80)
        self.unit = QLineEdit(problem.responsible_unit)
        self.unit.setPlaceholderText("负责解决的单位，例如：供电公司")
        self.raised = DateField(problem.raised_on or raised_default or _dt.date.today())
        self.deadline = DateField(problem.deadline)
        self.resolved = QCheckBox("已解决")
        self.resolved.setChecked(problem.resolved)
        self.resolved_on = DateField(problem.resolved_on)
        self.resolved.toggled.connect(self._resolved_toggled)
        self.note = QLineEdit(problem.note)
        form = QFormLayout()
        form.addRow("存在问题", self.description)
        form.addRow("责任单位", self.unit)
        form.addRow("提出日期", self.raised)
        form.addRow("办结时限", self.deadline)
        row = QHBoxLayout()
        row.addWidget(self.resolved)
        row.addWidget(QLabel("解决日期"))
        row.addWidget(self.resolved_on)
        row.addStretch(1)
        form.addRow("解决情况", row)
        form.addRow("备注", self.note)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        self.finish_layout(layout)
        self._resolved_toggled(problem.resolved)
        self.resize(480, 0)

    def _resolved_toggled(self, on: bool) -> None:
        self.resolved_on.setEnabled(on)
        if on and not self.resolved_on.text():
            self.resolved_on.set_date(_dt.date.today())

    def result_problem(self) -> Problem:
        q = Problem(**{**self.problem.__dict__})
        q.description = self.description.toPlainText().strip()
        q.responsible_unit = self.unit.text().strip()
        q.raised_on = date_of(self.raised, "提出日期")
        q.deadline = date_of(self.deadline, "办结时限")
        q.resolved = self.resolved.isChecked()
        q.resolved_on = date_of(self.resolved_on, "解决日期") if q.resolved else None
        q.note = self.note.text().strip()
        return q

    def check(self) -> None:
        q = self.result_problem()
        q.project_id = q.project_id or -1  # linked by the caller
        try:
            validate_problem(q)
        except ValidationError as exc:
            raise _field(exc, self.description if "问题" in exc.message else self.resolved_on) from None


# --- nodes ------------------------------------------------------------------------------------------
class NodeDialog(CheckedDialog):
    """One node of the plan: name, planned and actual dates."""

    SUGGESTIONS = ("完成土地摘牌", "取得施工许可", "主体开工", "主体封顶", "设备进场", "竣工验收", "投产达效")

    def __init__(self, node: Node, parent=None):
        super().__init__("节点计划", parent)
        self.node = node
        self.name = QComboBox()
        self.name.setEditable(True)
        self.name.addItems(self.SUGGESTIONS)
        self.name.setCurrentText(node.name)
        self.planned = DateField(node.planned_on)
        self.actual = DateField(node.actual_on)
        self.note = QLineEdit(node.note)
        form = QFormLayout()
        form.addRow("节点名称", self.name)
        form.addRow("计划完成日期", self.planned)
        form.addRow("实际完成日期", self.actual)
        form.addRow("备注", self.note)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        self.finish_layout(layout)
        self.resize(400, 0)

    def result_node(self) -> Node:
        n = Node(**{**self.node.__dict__})
        n.name = self.name.currentText().strip()
        n.planned_on = date_of(self.planned, "计划完成日期")
        n.actual_on = date_of(self.actual, "实际完成日期")
        n.note = self.note.text().strip()
        return n

    def check(self) -> None:
        n = self.result_node()
        n.project_id = n.project_id or -1
        try:
            validate_node(n)
        except ValidationError as exc:
            raise _field(exc, self.name) from None


# --- dispatch record -------------------------------------------------------------------------------
PROBLEM_COLUMNS = [
    Column("存在问题", lambda q: q.description, width=260),
    Column("责任单位", lambda q: q.responsible_unit, width=110),
    Column("办结时限", lambda q: q.deadline or "", width=90),
    Column("状态", lambda q: "已解决" if q.resolved else "未解决", width=60,
           color=lambda q: None if q.resolved else "#fff3cd"),
]


class DispatchDialog(CheckedDialog):
    """A project's dispatch record of one month, with the problems raised in it."""

    def __init__(self, project: Project, record: DispatchRecord, problems: list[Problem],
                 previous_to_date: float | None, parent=None):
        super().__init__(f"月调度 — {project.name}", parent)
        self.project = project
        self.record = record
        self.previous_to_date = previous_to_date
        self.problems = list(problems)
        self.deleted: list[int] = []
        self.year = QSpinBox()
        self.year.setRange(1990, 2100)
        self.year.setValue(record.year)
        self.year.setSuffix(" 年")
        self.month = QComboBox()
        for m in range(1, 13):
            self.month.addItem(f"{m}月", m)
        self.month.setCurrentIndex(record.month - 1)
        self.invested_month = number_edit(record.invested_month)
        self.invested_to_date = number_edit(record.invested_to_date)
        self.to_date_hint = QLabel()
        self.to_date_hint.setStyleSheet("color: #666;")
        self.invested_month.textChanged.connect(self._update_hint)
        self.progress = QPlainTextEdit(record.progress)
        self.progress.setPlaceholderText("形象进度，例如：主体结构施工至三层")
        self.progress.setFixedHeight(64)
        self.approvals: dict[str, QComboBox] = {}
        approvals = QGridLayout()
        for n, (field, label) in enumerate(APPROVAL_FIELDS.items()):
            box = QComboBox()
            box.setEditable(True)
            box.addItems(["", *APPROVAL_STATES])
            box.setCurrentText(getattr(record, field))
            self.approvals[field] = box
            approvals.addWidget(QLabel(label), 0, n)
            approvals.addWidget(box, 1, n)
        self.in_statistics = QCheckBox("已入库纳统")
        self.in_statistics.setChecked(record.in_statistics)
        self.next_steps = QPlainTextEdit(record.next_steps)
        self.next_steps.setPlaceholderText("下步工作，例如：月底前完成主体封顶")
        self.next_steps.setFixedHeight(56)

        self.problem_model = RecordTableModel(PROBLEM_COLUMNS, self)
        self.problem_view = QTableView()
        self.problem_view.setModel(self.problem_model)
        self.problem_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.problem_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.problem_view.verticalHeader().hide()
        for i, col in enumerate(PROBLEM_COLUMNS):
            self.problem_view.setColumnWidth(i, col.width)
        self.problem_view.setMinimumHeight(110)
        self.problem_view.doubleClicked.connect(lambda _i: self.edit_problem())
        add = QPushButton("＋ 新增问题")
        edit = QPushButton("编辑…")
        remove = QPushButton("删除")
        add.clicked.connect(self.add_problem)
        edit.clicked.connect(self.edit_problem)
        remove.clicked.connect(self.remove_problem)

        period = QHBoxLayout()
        period.addWidget(self.year)
        period.addWidget(self.month)
        period.addStretch(1)
        money = QHBoxLayout()
        money.addWidget(self.invested_month)
        money.addWidget(QLabel("累计完成投资(万元)"))
        money.addWidget(self.invested_to_date)
        money.addWidget(self.to_date_hint, 1)
        form = QFormLayout()
        form.addRow("调度月份", period)
        form.addRow("本月完成投资(万元)", money)
        form.addRow("形象进度", self.progress)
        form.addRow("审批手续", approvals)
        form.addRow("入库纳统", self.in_statistics)
        form.addRow("下步工作", self.next_steps)
        box = QGroupBox("本月存在问题")
        bl = QVBoxLayout(box)
        bl.addWidget(self.problem_view)
        row = QHBoxLayout()
        for b in (add, edit, remove):
            row.addWidget(b)
        row.addStretch(1)
        bl.addLayout(row)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(box, 1)
        self.finish_layout(layout)
        self.problem_model.set_records(self.problems)
        self._update_hint()
        self.resize(720, 640)

    def _update_hint(self, *_):
        prev = self.previous_to_date
        try:
            month = parse_number(self.invested_month.text())
        except ValidationError:
            month = None
        if month is not None:
            self.to_date_hint.setText(f"（留空则按上月累计 {prev or 0:g} + 本月 {month:g} 计算）")
        elif prev is not None:
            self.to_date_hint.setText(f"（上月累计 {prev:g}）")
        else:
            self.to_date_hint.setText("")

    def _selected(self) -> int | None:
        rows = self.problem_view.selectionModel().selectedRows()
        return rows[0].row() if rows else None

    def add_problem(self) -> None:
        dialog = ProblemDialog(Problem(project_id=self.project.id, responsible_unit=""), self)
        if dialog.exec():
            self.problems.append(dialog.result_problem())
            self.problem_model.set_records(self.problems)

    def edit_problem(self) -> None:
        row = self._selected()
        if row is None:
            return
        dialog = ProblemDialog(self.problems[row], self)
        if dialog.exec():
            self.problems[row] = dialog.result_problem()
            self.problem_model.set_records(self.problems)

    def remove_problem(self) -> None:
        row = self._selected()
        if row is None:
            return
        q = self.problems.pop(row)
        if q.id is not None:
            self.deleted.append(q.id)
        self.problem_model.set_records(self.problems)

    def result_record(self) -> DispatchRecord:
        r = DispatchRecord(**{**self.record.__dict__})
        r.project_id = self.project.id
        r.year = self.year.value()
        r.month = self.month.currentData()
        r.invested_month = number_of(self.invested_month, "本月完成投资")
        r.invested_to_date = number_of(self.invested_to_date, "累计完成投资")
        r.progress = self.progress.toPlainText().strip()
        for field, box in self.approvals.items():
            setattr(r, field, box.currentText().strip())
        r.in_statistics = self.in_statistics.isChecked()
        r.next_steps = self.next_steps.toPlainText().strip()
        return r

    def check(self) -> None:
        r = self.result_record()
        try:
            validate_dispatch(r)
        except ValidationError as exc:
            widget = self.invested_to_date if "累计" in exc.message else self.invested_month
            raise _field(exc, widget) from None


# --- a date ------------------------------------------------------------------------------------------
class DateDialog(CheckedDialog):
    """Ask for one date (e.g. when a node was completed)."""

    def __init__(self, title: str, label: str, default=None, parent=None):
        super().__init__(title, parent)
        self.date = DateField(default or _dt.date.today())
        form = QFormLayout()
        form.addRow(label, self.date)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        self.finish_layout(layout)

    def check(self) -> None:
        if not date_of(self.date, "日期"):
            raise _field(ValidationError("请填写日期"), self.date)

    def iso(self) -> str:
        return self.date.iso()
