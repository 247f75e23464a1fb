"""The 招商活动 page: the year's promotion activities with totals, and the activity dialog."""

from __future__ import annotations

import datetime as _dt

from PySide6.QtCore import QStringListModel, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QCompleter,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from parkdesk import catalog
from parkdesk.activities import RECEPTION, VISIT, Activity, validate_activity
from parkdesk.errors import ValidationError
from parkdesk.numbers import month_range

from ..widgets.date_field import DateField
from ..widgets.record_model import Column
from .record_dialogs import CheckedDialog, _field, date_of
from .tables import record_table, selected_record

COLUMNS = [
    Column("日期", lambda a: a.held_on, width=90),
    Column("类型", lambda a: a.activity_type, width=72),
    Column("活动名称", lambda a: a.title, width=200),
    Column("地点", lambda a: a.place, width=80),
    Column("带队领导", lambda a: a.leader, width=80),
    Column("天数", lambda a: a.days, width=50, align_right=True),
    Column("拜访企业(家)", lambda a: a.companies_visited or "", width=90, align_right=True,
           sort_key=lambda a: a.companies_visited),
    Column("接待客商(批)", lambda a: a.delegations_received or "", width=90, align_right=True,
           sort_key=lambda a: a.delegations_received),
    Column("收集线索(条)", lambda a: a.leads_collected or "", width=90, align_right=True,
           sort_key=lambda a: a.leads_collected),
    Column("关联项目", lambda a: "、".join(a.project_names), width=260),
]


def totals_sentence(t: dict) -> str:
    """"外出招商16次66天，拜访企业156家，接待客商22批，收集线索76条，举办推介会3场" (as the reports say it)."""
    parts = [f"外出招商{t['outbound_trips']}次{t['outbound_days']}天", f"拜访企业{t['companies_visited']}家",
             f"接待客商{t['delegations_received']}批", f"收集线索{t['leads_collected']}条"]
    if t["promotion_events"]:
        parts.append(f"举办推介会{t['promotion_events']}场")
    return "，".join(parts)


class ActivitiesPage(QWidget):
    """Activities of the selected year; add, edit, delete; totals of the selected period."""

    def __init__(self, tab, parent=None):
        super().__init__(parent)
        self.tab = tab
        self.type_box = QComboBox()
        self.type_box.addItem("全部类型", None)
        for t in catalog.ACTIVITY_TYPES:
            self.type_box.addItem(t, t)
        self.type_box.currentIndexChanged.connect(self.refresh)
        self.search = QLineEdit()
        self.search.setPlaceholderText("搜索活动名称、地点、领导、企业、关联项目")
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self._filter)
        self.add_button = QPushButton("＋ 新增活动")
        self.edit_button = QPushButton("编辑…")
        self.delete_button = QPushButton("删除")
        self.add_button.clicked.connect(self.add)
        self.edit_button.clicked.connect(self.edit_selected)
        self.delete_button.clicked.connect(self.delete_selected)
        self.caption = QLabel()
        self.totals = QLabel()
        self.totals.setWordWrap(True)
        self.totals.setObjectName("totalsLine")
        self.totals.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.model, self.view = record_table(COLUMNS, self)
        self.view.doubleClicked.connect(lambda _i: self.edit_selected())
        top = QHBoxLayout()
        for b in (self.add_button, self.edit_button, self.delete_button):
            top.addWidget(b)
        top.addSpacing(12)
        top.addWidget(self.caption)
        top.addStretch(1)
        top.addWidget(self.type_box)
        top.addWidget(self.search, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 4)
        layout.addLayout(top)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.totals)
        self.items: list[Activity] = []

    def refresh(self, *_args) -> None:
        ctx = self.tab.ctx
        year, month = ctx.year, ctx.month
        self.items = ctx.desk.projects.activity_list(f"{year}-01-01", f"{year}-12-31",
                                                     activity_type=self.type_box.currentData())
        self._filter()
        from parkdesk.project_stats import period_bounds

        start, end = period_bounds(year, month)
        t = ctx.desk.projects.activity_totals(start, end)
        self.totals.setText(f"{year}年{month_range(month)}：{totals_sentence(t)}（共 {t['total']} 次活动）")

    def _filter(self, *_args) -> None:
        words = self.search.text().strip().lower().split()

        def key(a: Activity) -> str:
            return " ".join((a.title, a.place, a.leader, a.companies, a.notes, *a.project_names)).lower()

        shown = [a for a in self.items if all(w in key(a) for w in words)] if words else self.items
        self.model.set_records(shown)
        self.caption.setText(f"{self.tab.ctx.year}年招商活动 {len(shown)} 次")

    def selected(self) -> Activity | None:
        return selected_record(self.view)

    def add(self) -> None:
        self._edit(Activity(held_on=_dt.date.today().isoformat()))

    def edit_selected(self) -> None:
        a = self.selected()
        if a is not None:
            self._edit(self.tab.ctx.desk.projects.get_activity(a.id))

    def _edit(self, activity: Activity) -> None:
        dialog = ActivityDialog(activity, self.tab.ctx.desk.projects.names(), self)
        self.tab.last_dialog = dialog
        if dialog.exec():
            a = dialog.result_activity()
            self.tab.ops.write(lambda desk: desk.projects.save_activity(a), parent=self)

    def delete_selected(self) -> None:
        a = self.selected()
        if a is None:
            return
        if QMessageBox.question(self, "删除招商活动", f"删除 {a.held_on} 的“{a.title or a.activity_type}”？") == \
                QMessageBox.StandardButton.Yes:
            self.tab.ops.write(lambda desk: desk.projects.delete_activity(a.id), parent=self)


class ActivityDialog(CheckedDialog):
    """One activity: date, type, place, leader, counts, companies, linked projects."""

    def __init__(self, activity: Activity, projects: list[tuple[int, str]], parent=None):
        super().__init__("新增招商活动" if activity.id is None else "编辑招商活动", parent)
        self.activity = activity
        self.by_name = {name: pid for pid, name in projects}
        names = {pid: name for pid, name in projects}
        self.date = DateField(activity.held_on)
        self.type_box = QComboBox()
        self.type_box.addItems(catalog.ACTIVITY_TYPES)
        self.type_box.setCurrentText(activity.activity_type)
        self.title_edit = QLineEdit(activity.title)
        self.title_edit.setPlaceholderText("例如：赴深圳开展电子信息产业链招商")
        self.place = QLineEdit(activity.place)
        self.leader = QLineEdit(activity.leader)
        self.days = QSpinBox()
        self.days.setRange(0, 365)
        self.days.setValue(activity.days)
        self.companies_visited = QSpinBox()
        self.delegations = QSpinBox()
        self.leads = QSpinBox()
        for box, value in ((self.companies_visited, activity.companies_visited),
                           (self.delegations, activity.delegations_received), (self.leads, activity.leads_collected)):
            box.setRange(0, 100000)
            box.setValue(value)
        self.companies = QLineEdit(activity.companies)
        self.companies.setPlaceholderText("拜访或接待的企业名称，用顿号分隔")
        self.notes = QPlainTextEdit(activity.notes)
        self.notes.setFixedHeight(50)
        self.linked = QStringListModel([names[pid] for pid in activity.project_ids if pid in names], self)
        self.linked_view = QListView()
        self.linked_view.setModel(self.linked)
        self.linked_view.setFixedHeight(84)
        self.linked_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.project_edit = QLineEdit()
        self.project_edit.setPlaceholderText("输入项目名称中的字，从列表中选择")
        completer = QCompleter(QStringListModel(list(self.by_name), self), self)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.activated.connect(self.link_project)
        self.project_edit.setCompleter(completer)
        link = QPushButton("关联")
        link.clicked.connect(lambda: self.link_project(self.project_edit.text()))
        unlink = QPushButton("取消关联")
        unlink.clicked.connect(self.unlink_selected)
        self.type_box.currentTextChanged.connect(self._type_changed)

        counts = QHBoxLayout()
        for label, box in (("天数", self.days), ("拜访企业(家)", self.companies_visited),
                           ("接待客商(批)", self.delegations), ("收集线索(条)", self.leads)):
            counts.addWidget(QLabel(label))
            counts.addWidget(box)
        counts.addStretch(1)
        pick = QHBoxLayout()
        pick.addWidget(self.project_edit, 1)
        pick.addWidget(link)
        pick.addWidget(unlink)
        form = QFormLayout()
        form.addRow("日期 *", self.date)
        form.addRow("类型", self.type_box)
        form.addRow("活动名称", self.title_edit)
        form.addRow("地点", self.place)
        form.addRow("带队领导", self.leader)
        form.addRow("数量", counts)
        form.addRow("企业名称", self.companies)
        form.addRow("关联项目", pick)
        form.addRow("", self.linked_view)
        form.addRow("备注", self.notes)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        self.finish_layout(layout)
        self.resize(640, 0)

    def _type_changed(self, kind: str) -> None:
        # A reception is at least one delegation, a visit at least one company.
        if kind == RECEPTION and self.delegations.value() == 0:
            self.delegations.setValue(1)
        if kind == VISIT and self.companies_visited.value() == 0:
            self.companies_visited.setValue(1)

    def link_project(self, name: str) -> bool:
        name = (name or "").strip()
        if name not in self.by_name:
            self.show_error(f"没有名为“{name}”的项目" if name else "请输入要关联的项目名称", self.project_edit)
            return False
        names = self.linked.stringList()
        if name not in names:
            self.linked.setStringList([*names, name])
        self.project_edit.clear()
        self.error.hide()
        return True

    def unlink_selected(self) -> None:
        rows = self.linked_view.selectionModel().selectedRows()
        if rows:
            names = self.linked.stringList()
            del names[rows[0].row()]
            self.linked.setStringList(names)

    def result_activity(self) -> Activity:
        a = Activity(**{**self.activity.__dict__, "project_ids": [], "project_names": []})
        a.held_on = date_of(self.date, "活动日期")
        a.activity_type = self.type_box.currentText()
        a.title = self.title_edit.text().strip()
        a.place = self.place.text().strip()
        a.leader = self.leader.text().strip()
        a.days = self.days.value()
        a.companies_visited = self.companies_visited.value()
        a.delegations_received = self.delegations.value()
        a.leads_collected = self.leads.value()
        a.companies = self.companies.text().strip()
        a.notes = self.notes.toPlainText().strip()
        a.project_ids = [self.by_name[n] for n in self.linked.stringList() if n in self.by_name]
        return a

    def check(self) -> None:
        try:
            validate_activity(self.result_activity())
        except ValidationError as exc:
            raise _field(exc, self.date if "日期" in exc.message else None) from None
