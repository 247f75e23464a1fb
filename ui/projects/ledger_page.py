"""The 项目台账 page: search as you type, filters, sortable columns, totals of what is shown."""

from __future__ import annotations

from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from parkdesk import catalog
from parkdesk.numbers import amount_text

from .ledger_model import ACTIVE, BUILDING, COLUMNS, NOT_SIGNED, Criteria, LedgerModel

_SETTINGS_KEY = "projects/hidden_columns"


class LedgerPage(QWidget):
    """The ledger table with its filter bar and totals line."""

    def __init__(self, tab, parent=None):
        super().__init__(parent)
        self.tab = tab
        self.model = LedgerModel(self)
        self.overlay = None  # "正在载入……" over the table, made when first needed
        self.loaded_once = False

        self.new_button = QPushButton("＋ 新建项目")
        self.edit_button = QPushButton("编辑项目…")
        self.stage_button = QPushButton("变更阶段…")
        self.delete_button = QPushButton("删除")
        self.columns_button = QToolButton()
        self.columns_button.setText("显示列 ▾")
        self.columns_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.columns_menu = QMenu(self)
        self.columns_button.setMenu(self.columns_menu)
        self.new_button.clicked.connect(lambda: self.tab.open_project(None))
        self.edit_button.clicked.connect(self.edit_selected)
        self.stage_button.clicked.connect(lambda: self.tab.change_stage(self.selected_id()))
        self.delete_button.clicked.connect(lambda: self.tab.delete_project(self.selected_id()))

        self.search = QLineEdit()
        self.search.setPlaceholderText("搜索：项目名称、投资方、包保领导、责任单位（可输入多个词）")
        self.search.setClearButtonEnabled(True)
        self.stage_box = QComboBox()
        self.stage_box.addItem("全部阶段", None)
        self.stage_box.addItem("推进中（未投产、未终止）", ACTIVE)
        self.stage_box.addItem("在建（已开工、试生产）", BUILDING)
        for stage in catalog.ALL_STAGES:
            self.stage_box.addItem(catalog.stage_label(stage), stage)
        self.chain_box = QComboBox()
        self.level_box = QComboBox()
        self.origin_box = QComboBox()
        self.year_box = QComboBox()
        for box, everything in self._everything():
            box.addItem(everything, None)  # the choices come with the rows (_fill_choices)
        self.over_100m = QCheckBox("亿元以上")
        self.stalled_only = QCheckBox("只看停滞")
        self.clear_button = QPushButton("清除筛选")
        self.clear_button.clicked.connect(self.clear_filters)
        self.search.textChanged.connect(self.apply_filter)
        for box in (self.stage_box, self.chain_box, self.level_box, self.origin_box, self.year_box):
            box.currentIndexChanged.connect(self.apply_filter)
        self.over_100m.toggled.connect(self.apply_filter)
        self.stalled_only.toggled.connect(self.apply_filter)

        self.view = QTableView()
        self.view.setModel(self.model)
        # No sort until the clerk clicks a header: rows stay in the order they were entered.
        self.view.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.view.setSortingEnabled(True)
        self.view.horizontalHeader().setSortIndicatorShown(True)
        self.view.setAlternatingRowColors(True)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.verticalHeader().setDefaultSectionSize(26)
        self.view.verticalHeader().setMinimumWidth(30)
        self.view.horizontalHeader().setHighlightSections(False)
        self.view.doubleClicked.connect(lambda _i: self.edit_selected())
        self.view.activated.connect(lambda _i: self.edit_selected())
        self.view.horizontalHeader().setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.view.horizontalHeader().customContextMenuRequested.connect(
            lambda pos: self.columns_menu.exec(self.view.horizontalHeader().mapToGlobal(pos)))
        self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.view.customContextMenuRequested.connect(self._row_menu)
        for i, col in enumerate(COLUMNS):
            self.view.setColumnWidth(i, col.width)
        self._build_columns_menu()
        self.totals = QLabel()
        self.totals.setObjectName("totalsLine")
        self.totals.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        buttons = QHBoxLayout()
        for b in (self.new_button, self.edit_button, self.stage_button, self.delete_button):
            buttons.addWidget(b)
        buttons.addSpacing(16)
        buttons.addWidget(self.search, 1)
        buttons.addWidget(self.columns_button)
        filters = QHBoxLayout()
        for label, box in (("阶段", self.stage_box), ("产业链", self.chain_box), ("级别", self.level_box),
                           ("来源地", self.origin_box), ("签约年份", self.year_box)):
            filters.addWidget(QLabel(label))
            filters.addWidget(box)
        filters.addWidget(self.over_100m)
        filters.addWidget(self.stalled_only)
        filters.addStretch(1)
        filters.addWidget(self.clear_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 4)
        layout.addLayout(buttons)
        layout.addLayout(filters)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.totals)

    # --- columns -------------------------------------------------------------------------------
    def _build_columns_menu(self) -> None:
        stored = QSettings().value(_SETTINGS_KEY)
        hidden = set(stored) if isinstance(stored, list) else (
            {stored} if isinstance(stored, str) and stored else None)
        for i, col in enumerate(COLUMNS):
            shown = col.visible if hidden is None else col.key not in hidden
            if col.key == "name":
                shown = True
            action = QAction(col.title, self.columns_menu)
            action.setCheckable(True)
            action.setChecked(shown)
            action.setEnabled(col.key != "name")
            action.toggled.connect(lambda on, n=i: self.set_column_visible(n, on))
            self.columns_menu.addAction(action)
            self.view.setColumnHidden(i, not shown)
        self.columns_menu.addSeparator()
        reset = QAction("恢复默认列", self.columns_menu)
        reset.triggered.connect(self.reset_columns)
        self.columns_menu.addAction(reset)

    def set_column_visible(self, column: int, visible: bool) -> None:
        self.view.setColumnHidden(column, not visible)
        if visible and self.view.columnWidth(column) < 30:
            self.view.setColumnWidth(column, COLUMNS[column].width)
        hidden = [c.key for i, c in enumerate(COLUMNS) if self.view.isColumnHidden(i)]
        QSettings().setValue(_SETTINGS_KEY, hidden)

    def reset_columns(self) -> None:
        for action, col in zip(self.columns_menu.actions(), COLUMNS):
            action.setChecked(col.visible or col.key == "name")

    # --- data ------------------------------------------------------------------------------------
    def load(self, rows, today, stalled_days: int) -> None:
        """Show freshly read ledger rows, keeping filters, sort order and the selected project."""
        self.load_prepared(LedgerModel.prepare(rows, today, stalled_days))

    def load_prepared(self, prepared) -> None:
        """Show rows prepared by ``LedgerModel.prepare`` (on the worker that read them)."""
        selected = self.selected_id()
        self.model.load_prepared(prepared)
        self.loaded_once = True
        self._fill_choices()
        criteria = self.criteria()
        if criteria != self.model.criteria:  # a chosen value may have gone from the boxes
            self.model.set_criteria(criteria)
        self._update_totals()
        self.select_project(selected)

    def _fill_choices(self) -> None:
        def fill(box: QComboBox, everything: str, items: list[tuple[str, object]]) -> None:
            current = box.currentData()
            box.blockSignals(True)
            box.clear()
            box.addItem(everything, None)
            for text, data in items:
                box.addItem(text, data)
            found = box.findData(current) if current is not None else 0
            box.setCurrentIndex(max(0, found))
            box.blockSignals(False)

        leading = self.tab.ctx.desk.park.profile().leading_industries
        chains = list(dict.fromkeys([*leading, *self.model.distinct("chain")]))
        choices = {
            self.chain_box: [(c, c) for c in chains],
            self.level_box: [(lvl, lvl) for lvl in catalog.PROJECT_LEVELS],
            self.origin_box: [(o, o) for o in catalog.ORIGINS],
            self.year_box: [(f"{y}年", y) for y in self.model.signed_years()] + [("未签约", NOT_SIGNED)],
        }
        for box, everything in self._everything():
            fill(box, everything, choices[box])

    def _everything(self) -> tuple[tuple[QComboBox, str], ...]:
        """The filter boxes filled from the rows, with the item that filters nothing."""
        return ((self.chain_box, "全部产业链"), (self.level_box, "全部级别"),
                (self.origin_box, "全部来源地"), (self.year_box, "全部年份"))

    def criteria(self) -> Criteria:
        return Criteria(
            text=self.search.text(), stage=self.stage_box.currentData(), chain=self.chain_box.currentData(),
            level=self.level_box.currentData(), origin=self.origin_box.currentData(),
            signed_year=self.year_box.currentData(), over_100m=self.over_100m.isChecked(),
            stalled_only=self.stalled_only.isChecked(),
        )

    def apply_filter(self, *_args) -> None:
        selected = self.selected_id()
        self.model.set_criteria(self.criteria())
        self._update_totals()
        self.select_project(selected)

    def clear_filters(self) -> None:
        for w in (self.stage_box, self.chain_box, self.level_box, self.origin_box, self.year_box,
                  self.over_100m, self.stalled_only, self.search):
            w.blockSignals(True)
        self.search.clear()
        for box in (self.stage_box, self.chain_box, self.level_box, self.origin_box, self.year_box):
            box.setCurrentIndex(0)
        self.over_100m.setChecked(False)
        self.stalled_only.setChecked(False)
        for w in (self.stage_box, self.chain_box, self.level_box, self.origin_box, self.year_box,
                  self.over_100m, self.stalled_only, self.search):
            w.blockSignals(False)
        self.apply_filter()

    def set_loading(self, on: bool, failure: str | None = None) -> None:
        """Show "正在载入……" over the table while the ledger is read (or why it could not be)."""
        if self.overlay is None:
            from ..loading import LoadingOverlay

            self.overlay = LoadingOverlay(self.view, "正在载入项目台账……")
        if failure:
            self.overlay.setText(f"项目台账未能载入：{failure}")
        else:
            self.overlay.setText("正在载入项目台账……")
        self.overlay.set_shown(on or bool(failure))
        if on and not self.loaded_once:
            self.totals.setText("正在载入项目台账……")
        elif not on and failure and not self.loaded_once:
            self.totals.setText("")

    def _update_totals(self) -> None:
        t = self.model.totals()
        everything = len(self.model.rows)
        if not everything:
            self.totals.setText("台账中还没有项目。点“＋ 新建项目”逐个录入，或用菜单“数据 ▸ 导入 ▸ 项目台账”"
                                "从 Excel 导入（空白表格见“数据 ▸ 导入模板”）。")
            return
        shown = f"共 {t['count']} 个项目" if t["count"] == everything else f"显示 {t['count']} 个项目（共 {everything} 个）"
        parts = [shown, f"总投资 {amount_text(t['total_investment'], '万元')}",
                 f"合同引资额 {amount_text(t['contract_investment'], '万元')}",
                 f"到位资金 {amount_text(t['funds_arrived'], '万元')}"]
        if t["stalled"]:
            parts.append(f"其中停滞 {t['stalled']} 个（超过 {self.model.stalled_days} 天未推进）")
        self.totals.setText("　｜　".join(parts))

    # --- selection ---------------------------------------------------------------------------------
    def selected_id(self) -> int | None:
        rows = self.view.selectionModel().selectedRows() if self.view.selectionModel() else []
        if not rows:
            return None
        return self.model.row_at(rows[0].row()).project.id

    def select_project(self, project_id: int | None) -> None:
        if project_id is None:
            return
        row = self.model.view_row_of(project_id)
        if row is not None:
            self.view.selectRow(row)
            self.view.scrollTo(self.model.index(row, 0))

    def edit_selected(self) -> None:
        pid = self.selected_id()
        if pid is not None:
            self.tab.open_project(pid)

    def _row_menu(self, pos) -> None:
        index = self.view.indexAt(pos)
        if not index.isValid():
            return
        self.view.selectRow(index.row())
        pid = self.selected_id()
        menu = QMenu(self)
        menu.addAction("打开项目…", lambda: self.tab.open_project(pid))
        menu.addAction("变更阶段…", lambda: self.tab.change_stage(pid))
        menu.addAction("填报本月调度…", lambda: self.tab.open_project(pid, page="dispatch"))
        menu.addAction("节点计划…", lambda: self.tab.open_project(pid, page="nodes"))
        menu.addSeparator()
        menu.addAction("删除项目…", lambda: self.tab.delete_project(pid))
        menu.exec(self.view.viewport().mapToGlobal(pos))
