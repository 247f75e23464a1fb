"""The project dialog: every field of the ledger, the stage and its dates, and the
project's dispatch records, node plan and problems on their own pages."""

from __future__ import annotations

from PySide6.QtCore import QStringListModel, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from parkdesk import catalog
from parkdesk.dispatch import NODE_STATUS_LABELS, DispatchRecord, Node, Problem, approvals_text
from parkdesk.errors import ValidationError
from parkdesk.projects import (
    FIELD_LABELS,
    STAGE_DATE_COLUMN,
    Project,
    stage_label,
    validate_project,
)

from ..widgets.date_field import DateField
from ..widgets.record_model import Column
from .ledger_model import RED, STAGE_COLOURS, YELLOW
from .tables import record_table, selected_record
from .record_dialogs import (
    DateDialog,
    DispatchDialog,
    NodeDialog,
    ProblemDialog,
    StageChangeDialog,
    _field,
    date_of,
    number_edit,
    number_of,
)

PAGES = ("basic", "stage", "dispatch", "nodes", "problems")
_MONEY = ("total_investment", "contract_investment", "funds_arrived", "foreign_capital", "land_mu",
          "building_area", "expected_output", "expected_tax")
_TEXT = ("name", "investor", "leader", "responsible_unit", "contact")
# Stage dates shown on the 阶段 page (the current stage's date must be given from 已签约 on).
_REQUIRED_DATE = (catalog.STAGE_SIGNED, catalog.STAGE_STARTED, catalog.STAGE_TRIAL, catalog.STAGE_PRODUCTION,
                  catalog.STAGE_TERMINATED)

NODE_COLOURS = {"overdue": RED, "due_soon": YELLOW, "done": "#dcf1dc"}
DISPATCH_COLUMNS = [
    Column("月份", lambda r: f"{r.year}年{r.month}月", width=96),
    Column("本月完成投资(万元)", lambda r: "" if r.invested_month is None else f"{r.invested_month:,.1f}",
           align_right=True, width=124),
    Column("累计完成投资(万元)", lambda r: "" if r.invested_to_date is None else f"{r.invested_to_date:,.1f}",
           align_right=True, width=124),
    Column("形象进度", lambda r: r.progress, width=160),
    Column("审批手续", approvals_text, width=170,
           color=lambda r: None if approvals_text(r) == "已全部办结" else YELLOW),
    Column("入库纳统", lambda r: "已入库" if r.in_statistics else "未入库", width=70),
    Column("下步工作", lambda r: r.next_steps, width=180),
]
PROBLEM_COLUMNS = [
    Column("提出日期", lambda q: q.raised_on or "", width=90),
    Column("存在问题", lambda q: q.description, width=260),
    Column("责任单位", lambda q: q.responsible_unit, width=110),
    Column("办结时限", lambda q: q.deadline or "", width=90),
    Column("状态", lambda q: "已解决" if q.resolved else "未解决", width=60),
    Column("解决日期", lambda q: q.resolved_on or "", width=90),
]


class ProjectDialog(QDialog):
    """Edit one project (or enter a new one) with its records."""

    def __init__(self, tab, project_id: int | None = None, page: str | None = None, parent=None):
        super().__init__(parent or tab)
        self.tab = tab
        self.ctx, self.ops = tab.ctx, tab.ops
        desk = self.ctx.desk
        self.project = desk.projects.get(project_id) if project_id is not None else Project()
        self.setWindowTitle("新建项目" if project_id is None else f"项目 — {self.project.name}")
        self.pages = QTabWidget()
        self.pages.addTab(self._basic_page(), "基本信息")
        self.pages.addTab(self._stage_page(), "阶段与日期")
        self.pages.addTab(self._dispatch_page(), "月调度")
        self.pages.addTab(self._nodes_page(), "节点计划")
        self.pages.addTab(self._problems_page(), "存在问题")
        self.error = QLabel()
        self.error.setStyleSheet("color: #b00020;")
        self.error.setWordWrap(True)
        self.error.hide()
        self.hint = QLabel("月调度、节点计划和存在问题的修改随即保存；基本信息和日期点“保存”后生效。")
        self.hint.setStyleSheet("color: #666;")
        self.buttons = QDialogButtonBox()
        self.ok_button = self.buttons.addButton("保存并关闭", QDialogButtonBox.ButtonRole.AcceptRole)
        self.apply_button = self.buttons.addButton("保存", QDialogButtonBox.ButtonRole.ApplyRole)
        self.buttons.addButton("关闭", QDialogButtonBox.ButtonRole.RejectRole)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.apply_button.clicked.connect(self.save)
        layout = QVBoxLayout(self)
        layout.addWidget(self.pages, 1)
        layout.addWidget(self.error)
        bottom = QHBoxLayout()
        bottom.addWidget(self.hint, 1)
        bottom.addWidget(self.buttons)
        layout.addLayout(bottom)
        self._load_fields()
        self._refresh_records()
        if page in PAGES:
            self.pages.setCurrentIndex(PAGES.index(page))
        self.resize(940, 660)

    # --- pages --------------------------------------------------------------------------------
    def _basic_page(self) -> QWidget:
        w = QWidget()
        self.edits: dict[str, QWidget] = {}
        for f in _TEXT:
            self.edits[f] = QLineEdit()
        self.edits["name"].setPlaceholderText("必填，例如：XX公司年产5万吨休闲食品项目")
        for f in _MONEY:
            self.edits[f] = number_edit(width=160)
        origin = QComboBox()
        origin.addItem("（未填写）", "")
        for o in catalog.ORIGINS:
            origin.addItem(o, o)
        self.edits["origin"] = origin
        chain = QComboBox()
        chain.setEditable(True)
        profile = self.ctx.desk.park.profile()
        chain.addItems(list(dict.fromkeys(["", *profile.leading_industries, "其他"])))
        self.edits["chain"] = chain
        ptype = QComboBox()
        ptype.addItems(catalog.PROJECT_TYPES)
        self.edits["project_type"] = ptype
        level = QComboBox()
        level.addItems(catalog.PROJECT_LEVELS)
        self.edits["level"] = level
        zone = QComboBox()
        zone.setEditable(True)
        zone.addItems(["", *profile.zones])
        self.edits["zone"] = zone
        notes = QPlainTextEdit()
        notes.setFixedHeight(70)
        self.edits["notes"] = notes
        for f, values in (("leader", self.tab.distinct("leader")), ("responsible_unit", self.tab.distinct("responsible_unit"))):
            completer = QCompleter(QStringListModel(values, self), self)
            completer.setFilterMode(Qt.MatchFlag.MatchContains)
            self.edits[f].setCompleter(completer)

        grid = QGridLayout(w)
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(3, 1)
        grid.setHorizontalSpacing(12)

        def put(row: int, col: int, field: str, label: str | None = None, span: int = 1):
            grid.addWidget(QLabel(label or FIELD_LABELS[field]), row, col * 2)
            grid.addWidget(self.edits[field], row, col * 2 + 1, 1, span)

        put(0, 0, "name", "项目名称 *", span=3)
        put(1, 0, "investor", span=3)
        put(2, 0, "origin")
        put(2, 1, "chain")
        put(3, 0, "project_type")
        put(3, 1, "level")
        put(4, 0, "total_investment")
        put(4, 1, "contract_investment")
        put(5, 0, "funds_arrived")
        put(5, 1, "foreign_capital")
        put(6, 0, "land_mu")
        put(6, 1, "building_area")
        put(7, 0, "expected_output")
        put(7, 1, "expected_tax")
        put(8, 0, "leader")
        put(8, 1, "responsible_unit")
        put(9, 0, "contact")
        put(9, 1, "zone")
        put(10, 0, "notes", span=3)
        money_hint = QLabel("金额单位为万元，可输入千位分隔符或全角数字；亿元以上项目指总投资不少于 10000 万元。")
        money_hint.setStyleSheet("color: #666;")
        grid.addWidget(money_hint, 11, 0, 1, 4)
        grid.setRowStretch(12, 1)
        return w

    def _stage_page(self) -> QWidget:
        w = QWidget()
        self.stage_box = QComboBox()
        for s in catalog.ALL_STAGES:
            self.stage_box.addItem(stage_label(s), s)
        self.stage_box.currentIndexChanged.connect(self._stage_picked)
        self.stage_label = QLabel()
        self.stage_label.setTextFormat(Qt.TextFormat.RichText)
        self.stage_time = QLabel()
        self.change_button = QPushButton("变更阶段…")
        self.change_button.clicked.connect(self.change_stage)
        self.dates: dict[str, DateField] = {}
        self.reason = QLineEdit()
        self.reason.setPlaceholderText("已终止的项目须写明原因")
        top = QHBoxLayout()
        top.addWidget(QLabel("当前阶段："))
        top.addWidget(self.stage_box)
        top.addWidget(self.stage_label)
        top.addWidget(self.change_button)
        top.addSpacing(16)
        top.addWidget(self.stage_time, 1)
        form = QFormLayout()
        for stage, col in STAGE_DATE_COLUMN.items():
            field = DateField()
            self.dates[col] = field
            form.addRow(FIELD_LABELS[col], field)
        form.addRow("终止原因", self.reason)
        self.history_model, self.history_view = record_table([
            Column("阶段", lambda h: stage_label(h["stage"]), width=120),
            Column("日期", lambda h: h["changed_on"], width=100),
            Column("说明", lambda h: h["note"], width=200),
        ], self)
        dates_box = QWidget()
        dates_box.setLayout(form)
        history = QVBoxLayout()
        history.addWidget(QLabel("阶段变更记录"))
        history.addWidget(self.history_view)
        body = QHBoxLayout()
        body.addWidget(dates_box, 1)
        body.addLayout(history, 1)
        layout = QVBoxLayout(w)
        layout.addLayout(top)
        note = QLabel("日期顺序：签约 ≤ 开工 ≤ 试生产 ≤ 投产；尚未到达的阶段不能填写日期。推进到下一阶段请用“变更阶段”，会记入变更记录。")
        note.setWordWrap(True)
        note.setStyleSheet("color: #666;")
        layout.addWidget(note)
        layout.addLayout(body, 1)
        return w

    def _dispatch_page(self) -> QWidget:
        self.dispatch_model, self.dispatch_view = record_table(DISPATCH_COLUMNS, self)
        self.dispatch_view.doubleClicked.connect(lambda _i: self.edit_dispatch())
        return self._records_page(self.dispatch_view, [
            ("＋ 填报本月调度", self.add_dispatch), ("编辑…", self.edit_dispatch), ("删除", self.delete_dispatch)])

    def _nodes_page(self) -> QWidget:
        today = self.tab.today()
        warn = self.tab.warning_days()
        columns = [
            Column("节点", lambda n: n.name, width=180),
            Column("计划完成日期", lambda n: n.planned_on or "", width=110),
            Column("实际完成日期", lambda n: n.actual_on or "", width=110),
            Column("状态", lambda n: NODE_STATUS_LABELS[n.status(today, warn)], width=80,
                   color=lambda n: NODE_COLOURS.get(n.status(today, warn))),
            Column("备注", lambda n: n.note, width=200),
        ]
        self.node_model, self.node_view = record_table(columns, self)
        self.node_view.doubleClicked.connect(lambda _i: self.edit_node())
        return self._records_page(self.node_view, [
            ("＋ 新增节点", self.add_node), ("编辑…", self.edit_node), ("标记完成…", self.complete_node),
            ("删除", self.delete_node)],
            legend="红色：计划日期已过仍未完成；黄色：15 天内到期。")

    def _problems_page(self) -> QWidget:
        today = self.tab.today().isoformat()
        columns = list(PROBLEM_COLUMNS)
        columns[4] = Column("状态", lambda q: "已解决" if q.resolved else (
            "已超期" if q.deadline and q.deadline < today else "未解决"), width=60,
            color=lambda q: None if q.resolved else (RED if q.deadline and q.deadline < today else YELLOW))
        self.problem_model, self.problem_view = record_table(columns, self)
        self.problem_view.doubleClicked.connect(lambda _i: self.edit_problem())
        return self._records_page(self.problem_view, [
            ("＋ 新增问题", self.add_problem), ("编辑…", self.edit_problem), ("标记解决…", self.resolve_problem),
            ("删除", self.delete_problem)])

    def _records_page(self, view: QTableView, buttons, legend: str = "") -> QWidget:
        w = QWidget()
        layout = QVBoxLayout(w)
        self._record_pages = getattr(self, "_record_pages", [])
        self.need_saving = getattr(self, "need_saving", [])
        info = QLabel("请先保存项目基本信息，再填写此页。")
        info.setStyleSheet("color: #666;")
        self.need_saving.append(info)
        layout.addWidget(info)
        row = QHBoxLayout()
        for text, slot in buttons:
            b = QPushButton(text)
            b.clicked.connect(slot)
            row.addWidget(b)
            self._record_pages.append(b)
        row.addStretch(1)
        if legend:
            row.addWidget(QLabel(legend))
        layout.addLayout(row)
        layout.addWidget(view, 1)
        return w

    # --- filling --------------------------------------------------------------------------------
    def _load_fields(self) -> None:
        p = self.project
        for f in _TEXT:
            self.edits[f].setText(getattr(p, f) or "")
        for f in _MONEY:
            v = getattr(p, f)
            self.edits[f].setText("" if v is None else f"{v:g}")
        self.edits["origin"].setCurrentIndex(max(0, self.edits["origin"].findData(p.origin or "")))
        self.edits["chain"].setCurrentText(p.chain)
        self.edits["project_type"].setCurrentText(p.project_type)
        self.edits["level"].setCurrentText(p.level)
        self.edits["zone"].setCurrentText(p.zone)
        self.edits["notes"].setPlainText(p.notes)
        self._load_stage()

    def _load_stage(self) -> None:
        p = self.project
        new = p.id is None
        self.stage_box.setVisible(new)
        self.change_button.setVisible(not new)
        self.stage_label.setVisible(not new)
        self.stage_box.blockSignals(True)
        self.stage_box.setCurrentIndex(self.stage_box.findData(p.stage))
        self.stage_box.blockSignals(False)
        colour = STAGE_COLOURS.get(p.stage, "#eee")
        self.stage_label.setText(f"<span style='background:{colour}; padding:2px 8px;'>&nbsp;<b>"
                                 f"{stage_label(p.stage)}</b>&nbsp;</span>")
        for col, field in self.dates.items():
            field.set_date(getattr(p, col))
        self.reason.setText(p.termination_reason)
        self._enable_dates(p.stage)
        days = p.days_in_stage(self.tab.today()) if not new else None
        if days is None:
            self.stage_time.setText("")
        elif p.is_stalled(self.tab.stalled_days(), self.tab.today()):
            self.stage_time.setText(f"<span style='color:#b00020'><b>⚠ 停滞：</b>自 {p.stage_changed_on} 起已 {days} 天"
                                    f"未推进（超过 {self.tab.stalled_days()} 天）</span>")
        else:
            self.stage_time.setText(f"在本阶段已 {days} 天（自 {p.stage_changed_on}）")
        self.history_model.set_records(self.ctx.desk.projects.stage_history(p.id) if not new else [])

    def _enable_dates(self, stage: str) -> None:
        reached = catalog.ALL_STAGES if stage == catalog.STAGE_TERMINATED else \
            catalog.STAGES[:catalog.STAGES.index(stage) + 1]
        for s, col in STAGE_DATE_COLUMN.items():
            self.dates[col].setEnabled(s in reached and (s != catalog.STAGE_TERMINATED or stage == s))
        self.reason.setEnabled(stage == catalog.STAGE_TERMINATED)

    def _stage_picked(self, *_):
        stage = self.stage_box.currentData()
        self._enable_dates(stage)
        field = self.dates[STAGE_DATE_COLUMN[stage]]
        if not field.text():
            field.set_date(self.tab.today())

    def _refresh_records(self) -> None:
        pid = self.project.id
        saved = pid is not None
        for b in self._record_pages:
            b.setEnabled(saved)
        for info in self.need_saving:
            info.setVisible(not saved)
        desk = self.ctx.desk
        self.dispatch_model.set_records(desk.projects.project_dispatches(pid) if saved else [])
        self.node_model.set_records(desk.projects.project_nodes(pid) if saved else [])
        self.problem_model.set_records(desk.projects.project_problems(pid) if saved else [])
        open_count = sum(1 for q in self.problem_model.records if not q.resolved)
        self.pages.setTabText(4, f"存在问题（{open_count}）" if open_count else "存在问题")

    # --- saving -----------------------------------------------------------------------------------
    def show_error(self, message: str, widget: QWidget | None = None) -> None:
        self.error.setText(f"⚠ {message}")
        self.error.show()
        if widget is not None:
            for i in range(self.pages.count()):
                if self.pages.widget(i).isAncestorOf(widget):
                    self.pages.setCurrentIndex(i)
            widget.setFocus()

    def collect(self) -> Project:
        """The project as the form shows it. :raises ValidationError: with the field to fix."""
        p = Project(**{**self.project.__dict__})
        for f in _TEXT:
            setattr(p, f, self.edits[f].text().strip())
        for f in _MONEY:
            setattr(p, f, number_of(self.edits[f], FIELD_LABELS[f]))
        p.origin = self.edits["origin"].currentData() or ""
        p.chain = self.edits["chain"].currentText().strip()
        p.project_type = self.edits["project_type"].currentText()
        p.level = self.edits["level"].currentText()
        p.zone = self.edits["zone"].currentText().strip()
        p.notes = self.edits["notes"].toPlainText().strip()
        if p.id is None:
            p.stage = self.stage_box.currentData()
        for col, field in self.dates.items():
            setattr(p, col, date_of(field, FIELD_LABELS[col]) if field.isEnabled() else None)
        p.termination_reason = self.reason.text().strip() if p.stage == catalog.STAGE_TERMINATED else ""
        if not p.name:
            raise _field(ValidationError("请填写项目名称"), self.edits["name"])
        col = STAGE_DATE_COLUMN[p.stage]
        if p.stage in _REQUIRED_DATE and not getattr(p, col):
            raise _field(ValidationError(f"当前阶段为“{p.stage}”，请填写{FIELD_LABELS[col]}"), self.dates[col])
        if p.id is None:
            p.stage_changed_on = getattr(p, col)
        try:
            validate_project(p)
        except ValidationError as exc:
            raise _field(exc, self._widget_for(exc.message)) from None
        clash = self.ctx.desk.projects.find(p.name)
        if clash is not None and clash.id != p.id:
            raise _field(ValidationError(f"已有同名项目“{p.name}”"), self.edits["name"])
        return p

    def _widget_for(self, message: str) -> QWidget | None:
        for f in _MONEY + ("origin", "project_type", "level"):
            if FIELD_LABELS[f] in message:
                return self.edits[f]
        if "终止原因" in message:
            return self.reason
        for col, field in self.dates.items():
            if FIELD_LABELS[col] in message:
                return field
        return None

    def save(self) -> bool:
        """Write the form; True when saved (a new project then opens its other pages)."""
        try:
            p = self.collect()
        except ValidationError as exc:
            self.show_error(exc.message, getattr(exc, "widget", None))
            return False
        ok, saved = self.ops.write(lambda desk: desk.projects.save(p), parent=self)
        if not ok:
            return False
        self.error.hide()
        self.project = self.ctx.desk.projects.get(saved.id)
        self.setWindowTitle(f"项目 — {self.project.name}")
        self._load_stage()
        self._refresh_records()
        return True

    def accept(self) -> None:
        if self.save():
            super().accept()

    # --- stage --------------------------------------------------------------------------------------
    def change_stage(self) -> None:
        if self.project.id is None:
            return
        dialog = StageChangeDialog(self.ctx.desk.projects.get(self.project.id), parent=self)
        if dialog.exec():
            self.apply_stage_change(*dialog.values())

    def apply_stage_change(self, stage: str, day: str, note: str, reason: str) -> bool:
        ok, _ = self.ops.write(
            lambda desk: desk.projects.change_stage(self.project.id, stage, day, note=note, reason=reason), parent=self)
        if ok:
            # Only the stage and its dates come from the database; other unsaved edits stay.
            self.project = self.ctx.desk.projects.get(self.project.id)
            self._load_stage()
        return ok

    # --- dispatch ------------------------------------------------------------------------------------
    def add_dispatch(self) -> None:
        year, month = self.ctx.year, self.ctx.month
        existing = self.ctx.desk.projects.get_dispatch(self.project.id, year, month)
        self._open_dispatch(existing or DispatchRecord(project_id=self.project.id, year=year, month=month))

    def edit_dispatch(self) -> None:
        record = selected_record(self.dispatch_view)
        if record is not None:
            self._open_dispatch(record)

    def _open_dispatch(self, record: DispatchRecord) -> None:
        desk = self.ctx.desk
        problems = desk.projects.dispatch_problems(record.id) if record.id else []
        previous = desk.projects.previous_to_date(self.project.id, record.year, record.month)
        dialog = DispatchDialog(self.project, record, problems, previous, self)
        if dialog.exec():
            r = dialog.result_record()
            self.ops.write(lambda d: d.projects.save_dispatch(r, problems=dialog.problems,
                                                              delete_problems=dialog.deleted), parent=self)
            self._refresh_records()

    def delete_dispatch(self) -> None:
        record = selected_record(self.dispatch_view)
        if record is None:
            return
        if QMessageBox.question(self, "删除调度记录", f"删除{record.year}年{record.month}月的调度记录？") == \
                QMessageBox.StandardButton.Yes:
            self.ops.write(lambda d: d.projects.delete_dispatch(record.id), parent=self)
            self._refresh_records()

    # --- nodes ------------------------------------------------------------------------------------------
    def _edit_record(self, dialog, result, save) -> None:
        """Run a record dialog; on OK write its result and show the page again."""
        if dialog.exec():
            item = result(dialog)
            self.ops.write(lambda d: save(d.projects, item), parent=self)
            self._refresh_records()

    def add_node(self) -> None:
        self._edit_record(NodeDialog(Node(project_id=self.project.id), self), NodeDialog.result_node,
                          lambda pm, n: pm.save_node(n))

    def edit_node(self) -> None:
        node = selected_record(self.node_view)
        if node is not None:
            self._edit_record(NodeDialog(node, self), NodeDialog.result_node, lambda pm, n: pm.save_node(n))

    def complete_node(self) -> None:
        node = selected_record(self.node_view)
        if node is None:
            return
        dialog = DateDialog("节点完成", f"“{node.name}”实际完成日期", node.actual_on, self)
        if dialog.exec():
            node.actual_on = dialog.iso()
            self.ops.write(lambda d: d.projects.save_node(node), parent=self)
            self._refresh_records()

    def delete_node(self) -> None:
        node = selected_record(self.node_view)
        if node is not None and QMessageBox.question(self, "删除节点", f"删除节点“{node.name}”？") == \
                QMessageBox.StandardButton.Yes:
            self.ops.write(lambda d: d.projects.delete_node(node.id), parent=self)
            self._refresh_records()

    # --- problems -------------------------------------------------------------------------------------
    def add_problem(self) -> None:
        self._edit_record(ProblemDialog(Problem(project_id=self.project.id), self), ProblemDialog.result_problem,
                          lambda pm, q: pm.save_problem(q))

    def edit_problem(self) -> None:
        problem = selected_record(self.problem_view)
        if problem is not None:
            self._edit_record(ProblemDialog(problem, self), ProblemDialog.result_problem,
                              lambda pm, q: pm.save_problem(q))

    def resolve_problem(self) -> None:
        problem = selected_record(self.problem_view)
        if problem is None or problem.resolved:
            return
        dialog = DateDialog("问题已解决", "解决日期", None, self)
        if dialog.exec():
            day = dialog.iso()
            self.ops.write(lambda d: d.projects.resolve_problem(problem.id, day), parent=self)
            self._refresh_records()

    def delete_problem(self) -> None:
        problem = selected_record(self.problem_view)
        if problem is not None and QMessageBox.question(self, "删除问题", "删除这条问题记录？") == \
                QMessageBox.StandardButton.Yes:
            self.ops.write(lambda d: d.projects.delete_problem(problem.id), parent=self)
            self._refresh_records()
