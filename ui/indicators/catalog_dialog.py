"""指标目录: add, edit, retire and (when unused) delete indicators."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from parkdesk.catalog import CATEGORIES, KIND_LABELS, KINDS, UNITS
from parkdesk.errors import ValidationError
from parkdesk.indicators import Indicator, split_aliases
from parkdesk.numbers import parse_number

from ..widgets.record_model import Column, RecordTableModel

LIST_COLUMNS = [
    Column("指标名称", lambda i: i.name, width=170),
    Column("单位", lambda i: i.unit, width=70),
    Column("类别", lambda i: i.category, width=80),
    Column("类型", lambda i: KIND_LABELS.get(i.kind, i.kind), width=60),
    Column("状态", lambda i: "已停用" if i.retired else "在用", width=56,
           color=lambda i: "#eceff3" if i.retired else None),
]


class CatalogDialog(QDialog):
    """The catalog on the left, the selected indicator's fields on the right."""

    def __init__(self, ctx, ops, parent=None, *, select_id: int | None = None):
        super().__init__(parent)
        self.ctx, self.ops = ctx, ops
        self.setWindowTitle("指标目录")
        self.resize(980, 600)
        self.current: Indicator | None = None
        self.model = RecordTableModel(LIST_COLUMNS, self)
        self.view = QTableView()
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QTableView.SelectionMode.SingleSelection)
        self.view.verticalHeader().setVisible(False)
        for i, col in enumerate(LIST_COLUMNS):
            self.view.setColumnWidth(i, col.width)
        self.view.selectionModel().currentRowChanged.connect(lambda cur, _prev: self._show(cur.row()))

        self.name = QLineEdit()
        self.aliases = QPlainTextEdit()
        self.aliases.setPlaceholderText("统计报表中的其他叫法，用顿号或换行分隔，例如：税收、实缴税金")
        self.aliases.setFixedHeight(70)
        self.unit = QComboBox()
        self.unit.setEditable(True)
        self.unit.addItems(list(UNITS))
        self.category = QComboBox()
        self.category.setEditable(True)
        self.kind = QComboBox()
        for kind in KINDS:
            self.kind.addItem(KIND_LABELS[kind], kind)
        self.decimals = QSpinBox()
        self.decimals.setRange(0, 6)
        self.growth_decimals = QSpinBox()
        self.growth_decimals.setRange(0, 4)
        self.direction = QComboBox()
        self.direction.addItem("越高越好", 1)
        self.direction.addItem("越低越好（如能耗、事故）", -1)
        self.nominal = QCheckBox("增速可由数值计算（不勾选：只采用官方公布的可比价增速）")
        self.min_value = QLineEdit()
        self.min_value.setPlaceholderText("不限")
        self.max_value = QLineEdit()
        self.max_value.setPlaceholderText("不限")
        self.in_report = QCheckBox("写入工作总结")
        self.description = QLineEdit()
        self.usage = QLabel()
        self.usage.setWordWrap(True)
        self.usage.setStyleSheet("color: #555;")

        form = QFormLayout()
        form.addRow("指标名称：", self.name)
        form.addRow("别名：", self.aliases)
        form.addRow("计量单位：", self.unit)
        form.addRow("类别：", self.category)
        form.addRow("类型：", self.kind)
        form.addRow("数值小数位：", self.decimals)
        form.addRow("增速小数位：", self.growth_decimals)
        form.addRow("方向：", self.direction)
        form.addRow("", self.nominal)
        limits = QHBoxLayout()
        limits.addWidget(QLabel("最小"))
        limits.addWidget(self.min_value)
        limits.addWidget(QLabel("最大"))
        limits.addWidget(self.max_value)
        form.addRow("取值范围：", limits)
        form.addRow("", self.in_report)
        form.addRow("说明：", self.description)
        form.addRow("", self.usage)

        self.new_button = QPushButton("新增指标")
        self.save_button = QPushButton("保存")
        self.save_button.setDefault(True)
        self.retire_button = QPushButton("停用")
        self.delete_button = QPushButton("删除")
        actions = QHBoxLayout()
        for b in (self.new_button, self.save_button, self.retire_button, self.delete_button):
            actions.addWidget(b)
        actions.addStretch(1)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.addLayout(form)
        right_layout.addStretch(1)
        right_layout.addLayout(actions)
        splitter = QSplitter()
        splitter.addWidget(self.view)
        splitter.addWidget(right)
        splitter.setSizes([460, 500])
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.button(QDialogButtonBox.StandardButton.Close).setText("关闭")
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("已有数据的指标不能删除，只能停用；停用的指标不在录入表格和报告中出现，数据保留。"))
        layout.addWidget(splitter, 1)
        layout.addWidget(close)

        self.new_button.clicked.connect(self.start_new)
        self.save_button.clicked.connect(self.save)
        self.retire_button.clicked.connect(self.toggle_retired)
        self.delete_button.clicked.connect(self.delete)
        self.reload(select_id)

    # --- list ----------------------------------------------------------------------------------
    def reload(self, select_id: int | None = None) -> None:
        indicators = self.ctx.desk.indicators.list(include_retired=True)
        self.model.set_records(indicators)
        categories = list(dict.fromkeys([*CATEGORIES, *(i.category for i in indicators)]))
        text = self.category.currentText()
        self.category.clear()
        self.category.addItems(categories)
        self.category.setCurrentText(text)
        row = next((r for r, i in enumerate(indicators) if i.id == select_id), 0 if indicators else -1)
        if row >= 0:
            self.view.selectRow(row)
            self._show(row)

    def _show(self, row: int) -> None:
        if not 0 <= row < self.model.rowCount():
            return
        ind = self.model.record(row)
        self.current = ind
        self.name.setText(ind.name)
        self.aliases.setPlainText("、".join(ind.aliases))
        self.unit.setCurrentText(ind.unit)
        self.category.setCurrentText(ind.category)
        self.kind.setCurrentIndex(KINDS.index(ind.kind))
        self.decimals.setValue(ind.decimals)
        self.growth_decimals.setValue(ind.growth_decimals)
        self.direction.setCurrentIndex(0 if ind.direction > 0 else 1)
        self.nominal.setChecked(ind.nominal_growth)
        self.min_value.setText("" if ind.min_value is None else f"{ind.min_value:g}")
        self.max_value.setText("" if ind.max_value is None else f"{ind.max_value:g}")
        self.in_report.setChecked(ind.in_report)
        self.description.setText(ind.description)
        used = self.ctx.desk.indicators.usage(ind.id)
        self.usage.setText(
            f"已有 {used['values']} 个月的数据、{used['years']} 个年度的目标或预计、{used['plan_items']} 项工作计划引用。"
            + ("（内置指标）" if ind.builtin else "")
        )
        self.retire_button.setText("恢复使用" if ind.retired else "停用")
        self.retire_button.setEnabled(True)
        self.delete_button.setEnabled(not any(used.values()))

    def start_new(self) -> None:
        """Clear the form for a new indicator."""
        self.view.clearSelection()
        self.current = None
        for edit in (self.name, self.min_value, self.description):
            edit.clear()
        self.aliases.clear()
        self.unit.setCurrentText("亿元")
        self.kind.setCurrentIndex(0)
        self.decimals.setValue(2)
        self.growth_decimals.setValue(1)
        self.direction.setCurrentIndex(0)
        self.nominal.setChecked(True)
        self.min_value.setText("0")
        self.max_value.clear()
        self.in_report.setChecked(True)
        self.usage.setText("新指标：填写后点“保存”。")
        self.retire_button.setEnabled(False)
        self.delete_button.setEnabled(False)
        self.name.setFocus()

    # --- writing ----------------------------------------------------------------------------------
    def form_indicator(self) -> Indicator:
        """The indicator described by the form. :raises ValidationError: for a bad limit."""
        def limit(edit: QLineEdit, label: str) -> float | None:
            try:
                return parse_number(edit.text(), allow_percent=False)
            except ValidationError as exc:
                raise ValidationError(f"{label}：{exc.message}") from None

        base = self.current
        return Indicator(
            id=base.id if base else None,
            name=self.name.text(),
            unit=self.unit.currentText(),
            category=self.category.currentText(),
            kind=self.kind.currentData(),
            decimals=self.decimals.value(),
            growth_decimals=self.growth_decimals.value(),
            direction=self.direction.currentData(),
            nominal_growth=self.nominal.isChecked(),
            min_value=limit(self.min_value, "最小值"),
            max_value=limit(self.max_value, "最大值"),
            description=self.description.text(),
            sort_order=base.sort_order if base else 0,
            builtin=base.builtin if base else False,
            retired=base.retired if base else False,
            in_report=self.in_report.isChecked(),
            aliases=split_aliases(self.aliases.toPlainText()),
        )

    def save(self) -> bool:
        try:
            ind = self.form_indicator()
        except ValidationError as exc:
            QMessageBox.warning(self, "指标目录", exc.message)
            return False
        if self.current is not None and ind.unit != self.current.unit:
            used = self.ctx.desk.indicators.usage(self.current.id)
            if used["values"] or used["years"]:
                answer = QMessageBox.question(
                    self, "更改计量单位",
                    f"“{self.current.name}”已有数据。单位从“{self.current.unit}”改为“{ind.unit}”后，"
                    "已录入的数值将自动换算（例如 万元 → 亿元 除以 10000）。是否继续？")
                if answer != QMessageBox.StandardButton.Yes:
                    return False
        ok, saved = self.ops.write(lambda desk: desk.indicators.save(ind), parent=self)
        if ok:
            self.reload(saved.id)
        return ok

    def toggle_retired(self) -> None:
        if self.current is None:
            return
        ind = self.current
        ok, _ = self.ops.write(lambda desk: desk.indicators.retire(ind.id, not ind.retired), parent=self)
        if ok:
            self.reload(ind.id)

    def delete(self) -> None:
        if self.current is None:
            return
        ind = self.current
        answer = QMessageBox.question(self, "删除指标", f"确定删除指标“{ind.name}”吗？")
        if answer != QMessageBox.StandardButton.Yes:
            return
        ok, _ = self.ops.write(lambda desk: desk.indicators.delete(ind.id), parent=self)
        if ok:
            self.reload()

