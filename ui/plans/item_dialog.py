"""Dialog to add or edit one plan item, with its target and dated progress notes."""

from __future__ import annotations

import datetime as _dt
from dataclasses import replace
from typing import Callable

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QCompleter,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from parkdesk import catalog
from parkdesk.catalog import PLAN_STATUSES
from parkdesk.errors import ParkDeskError, ValidationError
from parkdesk.numbers import heading_number, parse_number
from parkdesk.plan_targets import KIND_INDICATOR, KIND_PROJECT_STAT, parse_target, plain_number, target_text
from parkdesk.plans import STATUS_DONE, PlanItem, ProgressNote

from ..widgets.record_model import Column, RecordTableModel

TIE_NONE, TIE_INDICATOR, TIE_STAT = 0, 1, 2
TIE_LABELS = ["不关联（文字目标）", "关联指标（进度按指标数据计算）", "关联项目统计（进度按项目台账计算）"]

NOTE_COLUMNS = [
    Column("日期", lambda n: n.noted_on, width=90),
    Column("进展情况", lambda n: n.text),
]


def _qdate(iso: str) -> QDate:
    d = _dt.date.fromisoformat(iso[:10])
    return QDate(d.year, d.month, d.day)


def _iso(qdate: QDate) -> str:
    return _dt.date(qdate.year(), qdate.month(), qdate.day()).isoformat()


class ItemDialog(QDialog):
    """Every field of an item. ``save(item, notes) -> bool`` writes it; the dialog
    stays open (with the clerk's input) when saving fails."""

    def __init__(self, desk, year: int, sections, item: PlanItem, notes: list[ProgressNote],
                 save: Callable[[PlanItem, list[ProgressNote]], bool], *, today: _dt.date, parent=None):
        super().__init__(parent)
        self.desk = desk
        self.year = year
        self.item = item
        self.save = save
        self.today = today
        self.notes: list[ProgressNote] = list(notes)
        self.setWindowTitle(("编辑事项" if item.id else "新增事项") + f" — {year}年工作计划")
        self.resize(720, 760)
        # A retired indicator stays choosable for the item already tied to it.
        self.indicators = [i for i in desk.indicators.list(include_retired=True) if i.kind != catalog.GROWTH_ONLY
                           and (not i.retired or i.id == item.target_indicator_id)]
        self._build(sections)
        self._show(item)

    # --- layout --------------------------------------------------------------------------------
    def _build(self, sections) -> None:
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.section_box = QComboBox()
        for n, s in enumerate(sections, start=1):
            self.section_box.addItem(f"{heading_number(2, n)}{s.title}", s.id)
        form.addRow("所属部分：", self.section_box)
        self.title_edit = QLineEdit()
        self.title_edit.setPlaceholderText("如：强化招大引强")
        form.addRow("事项：", self.title_edit)
        self.content_edit = QPlainTextEdit()
        self.content_edit.setPlaceholderText("具体内容和措施，如：紧盯食品加工和电子信息头部企业……")
        self.content_edit.setFixedHeight(80)
        form.addRow("内容：", self.content_edit)

        target_box = QGroupBox("量化目标")
        tform = QFormLayout(target_box)
        self.tie_box = QComboBox()
        self.tie_box.addItems(TIE_LABELS)
        tform.addRow("目标类型：", self.tie_box)
        self.indicator_box = QComboBox()
        for ind in self.indicators:
            self.indicator_box.addItem(f"{ind.name}（{ind.unit}）", ind.id)
        self.stat_box = QComboBox()
        for key, (label, unit) in catalog.PROJECT_STATS.items():
            self.stat_box.addItem(f"{label}（{unit}）", key)
        self.what_label = QLabel("关联：")
        what = QWidget()
        what_layout = QHBoxLayout(what)
        what_layout.setContentsMargins(0, 0, 0, 0)
        what_layout.addWidget(self.indicator_box, 1)
        what_layout.addWidget(self.stat_box, 1)
        tform.addRow(self.what_label, what)
        self.value_edit = QLineEdit()
        self.value_edit.setPlaceholderText("如：30")
        self.unit_label = QLabel()
        value_row = QWidget()
        value_layout = QHBoxLayout(value_row)
        value_layout.setContentsMargins(0, 0, 0, 0)
        value_layout.addWidget(self.value_edit, 1)
        value_layout.addWidget(self.unit_label)
        self.value_label = QLabel("目标值：")
        tform.addRow(self.value_label, value_row)
        self.target_edit = QLineEdit()
        self.target_edit.setPlaceholderText("如：技工贸总收入≥30亿元、引进亿元以上项目≥6个，或任意文字")
        self.recognize_button = QPushButton("识别")
        self.recognize_button.setToolTip("从文字中识别指标或项目统计及目标值，关联后进度自动计算")
        text_row = QWidget()
        text_layout = QHBoxLayout(text_row)
        text_layout.setContentsMargins(0, 0, 0, 0)
        text_layout.addWidget(self.target_edit, 1)
        text_layout.addWidget(self.recognize_button)
        tform.addRow("目标文字：", text_row)
        self.target_hint = QLabel()
        self.target_hint.setWordWrap(True)
        self.target_hint.setStyleSheet("color: #555;")
        tform.addRow(self.target_hint)
        form.addRow(target_box)

        self.owner_edit = QLineEdit()
        self.owner_edit.setCompleter(QCompleter(self.desk.plans.known_values("owner_department"), self))
        self.leader_edit = QLineEdit()
        self.leader_edit.setCompleter(QCompleter(self.desk.plans.known_values("leader"), self))
        people = QWidget()
        people_layout = QHBoxLayout(people)
        people_layout.setContentsMargins(0, 0, 0, 0)
        people_layout.addWidget(self.owner_edit, 3)
        people_layout.addWidget(QLabel("责任领导："))
        people_layout.addWidget(self.leader_edit, 2)
        form.addRow("责任单位：", people)

        self.deadline_check = QCheckBox("有完成时限")
        self.deadline_edit = QDateEdit()
        self.deadline_edit.setCalendarPopup(True)
        self.deadline_edit.setDisplayFormat("yyyy-MM-dd")
        self.status_box = QComboBox()
        self.status_box.addItems(PLAN_STATUSES)
        self.pct_box = QSpinBox()
        self.pct_box.setRange(-1, 100)
        self.pct_box.setSpecialValueText("未填")
        self.pct_box.setSuffix("%")
        when = QWidget()
        when_layout = QHBoxLayout(when)
        when_layout.setContentsMargins(0, 0, 0, 0)
        when_layout.addWidget(self.deadline_check)
        when_layout.addWidget(self.deadline_edit)
        when_layout.addSpacing(16)
        when_layout.addWidget(QLabel("状态："))
        when_layout.addWidget(self.status_box)
        when_layout.addSpacing(16)
        when_layout.addWidget(QLabel("完成："))
        when_layout.addWidget(self.pct_box)
        when_layout.addStretch(1)
        form.addRow("完成时限：", when)
        self.status_hint = QLabel()
        self.status_hint.setStyleSheet("color: #b00020;")
        form.addRow(self.status_hint)

        notes_box = QGroupBox("进展记录")
        nlayout = QVBoxLayout(notes_box)
        self.notes_model = RecordTableModel(NOTE_COLUMNS, self)
        self.notes_view = QTableView()
        self.notes_view.setModel(self.notes_model)
        self.notes_view.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.notes_view.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.notes_view.setColumnWidth(0, 100)
        self.notes_view.verticalHeader().hide()
        self.notes_view.setMinimumHeight(110)
        nlayout.addWidget(self.notes_view)
        add_row = QHBoxLayout()
        self.note_date = QDateEdit()
        self.note_date.setCalendarPopup(True)
        self.note_date.setDisplayFormat("yyyy-MM-dd")
        self.note_date.setDate(_qdate(self.today.isoformat()))
        self.note_edit = QLineEdit()
        self.note_edit.setPlaceholderText("本次进展，如：已召开专题推进会，明确责任分工")
        self.add_note_button = QPushButton("添加记录")
        self.remove_note_button = QPushButton("删除所选")
        add_row.addWidget(self.note_date)
        add_row.addWidget(self.note_edit, 1)
        add_row.addWidget(self.add_note_button)
        add_row.addWidget(self.remove_note_button)
        nlayout.addLayout(add_row)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("保存")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(notes_box, 1)
        layout.addWidget(buttons)

        self.tie_box.currentIndexChanged.connect(self._tie_changed)
        self.indicator_box.currentIndexChanged.connect(self._update_target_preview)
        self.stat_box.currentIndexChanged.connect(self._update_target_preview)
        self.value_edit.textChanged.connect(self._update_target_preview)
        self.recognize_button.clicked.connect(self.recognize)
        self.deadline_check.toggled.connect(self.deadline_edit.setEnabled)
        self.deadline_check.toggled.connect(self._update_status_hint)
        self.deadline_edit.dateChanged.connect(self._update_status_hint)
        self.status_box.currentIndexChanged.connect(self._status_changed)
        self.add_note_button.clicked.connect(self.add_note)
        self.note_edit.returnPressed.connect(self.add_note)
        self.remove_note_button.clicked.connect(self.remove_note)

    # --- showing an item ------------------------------------------------------------------------
    def _show(self, it: PlanItem) -> None:
        pos = self.section_box.findData(it.section_id)
        self.section_box.setCurrentIndex(max(pos, 0))
        self.title_edit.setText(it.title)
        self.content_edit.setPlainText(it.content)
        self.target_edit.setText(it.target_text)
        if it.target_kind == KIND_INDICATOR:
            self.indicator_box.setCurrentIndex(max(self.indicator_box.findData(it.target_indicator_id), 0))
            self.tie_box.setCurrentIndex(TIE_INDICATOR)
        elif it.target_kind == KIND_PROJECT_STAT:
            self.stat_box.setCurrentIndex(max(self.stat_box.findData(it.target_stat), 0))
            self.tie_box.setCurrentIndex(TIE_STAT)
        else:
            self.tie_box.setCurrentIndex(TIE_NONE)
        self.value_edit.setText("" if it.target_value is None else plain_number(it.target_value))
        self._tie_changed()
        self.owner_edit.setText(it.owner_department)
        self.leader_edit.setText(it.leader)
        self.deadline_check.setChecked(bool(it.deadline))
        self.deadline_edit.setDate(_qdate(it.deadline or f"{self.year}-12-31"))
        self.deadline_edit.setEnabled(bool(it.deadline))
        self.status_box.setCurrentText(it.status)
        self.pct_box.setValue(-1 if it.progress_pct is None else round(it.progress_pct))
        self.notes_model.set_records(self.notes)
        self._update_status_hint()

    def _tie_changed(self, *_args) -> None:
        tie = self.tie_box.currentIndex()
        self.indicator_box.setVisible(tie == TIE_INDICATOR)
        self.stat_box.setVisible(tie == TIE_STAT)
        self.what_label.setVisible(tie != TIE_NONE)
        for w in (self.value_label, self.value_edit, self.unit_label):
            w.setVisible(tie != TIE_NONE)
        self.target_edit.setReadOnly(tie != TIE_NONE)
        self.recognize_button.setVisible(tie == TIE_NONE)
        self._update_target_preview()

    def _tie(self) -> tuple[str, str, bool] | None:
        """(name, unit, lower_is_better) of the chosen indicator or statistic."""
        tie = self.tie_box.currentIndex()
        if tie == TIE_INDICATOR and self.indicator_box.currentIndex() >= 0:
            ind = self.indicators[self.indicator_box.currentIndex()]
            return ind.name, ind.unit, ind.direction < 0
        if tie == TIE_STAT and self.stat_box.currentIndex() >= 0:
            label, unit = catalog.PROJECT_STATS[self.stat_box.currentData()]
            return label, unit, False
        return None

    def _update_target_preview(self, *_args) -> None:
        tie = self._tie()
        if tie is None:
            self.target_hint.setText("文字目标不自动计算进度。写成“技工贸总收入≥30亿元”“新开工项目≥10个”后点“识别”可自动关联。")
            return
        name, unit, lower = tie
        self.unit_label.setText(unit)
        try:
            value = parse_number(self.value_edit.text())
        except ValidationError:
            value = None
        self.target_edit.setText(target_text(name, value, unit, lower_is_better=lower))
        if self.tie_box.currentIndex() == TIE_INDICATOR:
            self.target_hint.setText(f"此目标同时作为“{name}”{self.year}年的年度目标（指标页中的年度目标随之更新）。")
        else:
            self.target_hint.setText("进度按项目台账和招商活动自动统计。")

    def recognize(self) -> bool:
        """Tie the typed target text to an indicator or statistic when it names one."""
        parsed = parse_target(self.desk, self.target_edit.text())
        if parsed is None:
            QMessageBox.information(self, "识别量化目标",
                                    "没有识别出指标或项目统计。请写成“名称≥数值单位”，如“技工贸总收入≥30亿元”“新开工项目≥10个”。"
                                    "\n不关联也可以保存，进度不自动计算。")
            return False
        if parsed.kind == KIND_INDICATOR:
            self.indicator_box.setCurrentIndex(max(self.indicator_box.findData(parsed.indicator_id), 0))
            self.tie_box.setCurrentIndex(TIE_INDICATOR)
        else:
            self.stat_box.setCurrentIndex(max(self.stat_box.findData(parsed.stat), 0))
            self.tie_box.setCurrentIndex(TIE_STAT)
        self.value_edit.setText(plain_number(parsed.value))
        return True

    def _status_changed(self, *_args) -> None:
        if self.status_box.currentText() == STATUS_DONE and self.pct_box.value() < 100:
            self.pct_box.setValue(100)
        self._update_status_hint()

    def _update_status_hint(self, *_args) -> None:
        overdue = (self.deadline_check.isChecked() and self.status_box.currentText() != STATUS_DONE
                   and _iso(self.deadline_edit.date()) < self.today.isoformat())
        self.status_hint.setText("已超过完成时限：未完成前在计划中显示为“滞后”。" if overdue else "")
        self.status_hint.setVisible(overdue)

    # --- notes ------------------------------------------------------------------------------------
    def add_note(self) -> None:
        text = self.note_edit.text().strip()
        if not text:
            QMessageBox.information(self, "进展记录", "请先填写进展情况。")
            return
        self.notes.append(ProgressNote(None, _iso(self.note_date.date()), text))
        self.notes.sort(key=lambda n: n.noted_on)
        self.notes_model.set_records(self.notes)
        self.note_edit.clear()

    def remove_note(self) -> None:
        rows = sorted({i.row() for i in self.notes_view.selectionModel().selectedRows()}, reverse=True)
        for row in rows:
            del self.notes[row]
        self.notes_model.set_records(self.notes)

    # --- saving -------------------------------------------------------------------------------------
    def built_item(self) -> PlanItem:
        """The item as entered. :raises ValidationError: for a bad target value."""
        tie = self.tie_box.currentIndex()
        value = None
        if tie != TIE_NONE:
            value = parse_number(self.value_edit.text())
            if value is None:
                raise ValidationError("请填写目标值，或把目标类型改为“不关联”")
        kind = {TIE_NONE: None, TIE_INDICATOR: KIND_INDICATOR, TIE_STAT: KIND_PROJECT_STAT}[tie]
        return replace(
            self.item,
            section_id=self.section_box.currentData(),
            title=self.title_edit.text(),
            content=self.content_edit.toPlainText(),
            target_text=self.target_edit.text(),
            target_kind=kind,
            target_indicator_id=self.indicator_box.currentData() if tie == TIE_INDICATOR else None,
            target_stat=self.stat_box.currentData() if tie == TIE_STAT else None,
            target_value=value,
            owner_department=self.owner_edit.text(),
            leader=self.leader_edit.text(),
            deadline=_iso(self.deadline_edit.date()) if self.deadline_check.isChecked() else None,
            status=self.status_box.currentText(),
            progress_pct=None if self.pct_box.value() < 0 else float(self.pct_box.value()),
        )

    def accept(self) -> None:
        if self.note_edit.text().strip():
            self.add_note()  # a typed note not yet added is kept, not lost
        if not self.title_edit.text().strip():
            QMessageBox.warning(self, "园区工作台", "请填写事项名称。")
            self.title_edit.setFocus()
            return
        try:
            item = self.built_item()
        except ParkDeskError as exc:
            QMessageBox.warning(self, "园区工作台", exc.message)
            return
        if self.save(item, list(self.notes)):
            super().accept()
