"""The 指标 tab: the year's entry grid, the figures of month N, flags and trend charts.

Every change (typing, paste, clear, undo, redo) is written through
``Ops.write`` as one transaction and one undo step; ``data_changed`` then
refreshes the grid, the figures and the flags together.
"""

from __future__ import annotations

import logging
import math

from PySide6.QtCore import QModelIndex, Qt, QTimer
from PySide6.QtGui import QGuiApplication, QKeySequence, QUndoCommand, QUndoStack
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableView,
    QTabWidget,
    QToolButton,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from parkdesk.checks import HISTORY_YEARS, check_period
from parkdesk.errors import ValidationError
from parkdesk.indicator_figures import attach_flags, figures_from, load_period
from parkdesk.indicators import Cell
from parkdesk.numbers import month_range

from ..style import style_tabs
from ..widgets.record_model import Column, RecordTableModel
from .figures_model import FiguresModel
from .grid_model import (
    COL_OFFICIAL,
    COL_PRIOR,
    COL_TARGET,
    COLUMN_COUNT,
    FIRST_MONTH,
    EntryGridModel,
    edit_text,
)
from .grid_view import EntryGridView

log = logging.getLogger("ui.indicators")

FLAG_COLUMNS = [
    Column("指标", lambda f: f[1], width=150),
    Column("月份", lambda f: "全年" if f[0].field == "target" else f"{f[0].month}月", width=50),
    Column("类型", lambda f: f[0].label, width=100,
           color=lambda f: "#fff1a8" if f[0].code == "missing" else "#ffd2a1"),
    Column("说明", lambda f: f[0].message, width=560),
]
LEGEND = ('<span style="background:#ffd2a1">&nbsp;&nbsp;&nbsp;&nbsp;</span> 请核对　'
          '<span style="background:#fff1a8">&nbsp;&nbsp;&nbsp;&nbsp;</span> 缺报　'
          '<span style="background:#f2f7ff; border:1px solid #ccd">&nbsp;&nbsp;&nbsp;&nbsp;</span> 所选期间')


def _same(a: float | None, b: float | None) -> bool:
    """Stored figures are equal (both empty, or the same number)."""
    if a is None or b is None:
        return a is b
    return math.isclose(a, b, rel_tol=1e-12, abs_tol=1e-12)


def _shown(value: float | None) -> str:
    return "空" if value is None else edit_text(value)


class CellsCommand(QUndoCommand):
    """One undo step: the cells before and after an edit, a paste or a clear.

    Undo and redo first check that the cells still hold what this step left
    (or found): a figure changed elsewhere since (an import, the plan tab, a
    second window) is never overwritten; the step is refused and dropped.
    """

    def __init__(self, tab: "IndicatorsTab", text: str, before: dict, after: dict):
        super().__init__(text)
        self.tab, self.before, self.after = tab, before, after
        self.done = True  # pushed after the write succeeded: the first redo() is a no-op

    def redo(self) -> None:
        if self.done:
            self.done = False
            return
        if not self.tab.replay_cells(self.before, self.after, "重做"):
            self.setObsolete(True)  # refused: drop the step rather than pretend

    def undo(self) -> None:
        if not self.tab.replay_cells(self.after, self.before, "撤销"):
            self.setObsolete(True)


class _ChartsPreparation:
    """matplotlib imported and the CJK fonts registered on a worker thread (once per session)."""

    def __init__(self):
        import threading

        self.done = threading.Event()
        self.error: str | None = None
        threading.Thread(target=self._run, name="parkdesk-charts-import", daemon=True).start()

    def _run(self) -> None:
        try:
            import matplotlib.backends.backend_agg  # noqa: F401
            import matplotlib.figure  # noqa: F401

            import parkdesk.chart_screen  # noqa: F401
            import parkdesk.charts  # noqa: F401
            from parkdesk.fonts import register_matplotlib

            register_matplotlib()
            # The Qt canvas and the panel's module too: all the UI thread has left is making widgets.
            from . import charts_panel  # noqa: F401
        except Exception as exc:  # noqa: BLE001 - told in the panel's place (details in the log)
            log.exception("charts could not be prepared")
            self.error = ("缺少绘图组件（matplotlib），请重新安装园区工作台" if isinstance(exc, ImportError)
                          else "绘图组件未能启动，详细信息已记入日志")
        finally:
            self.done.set()


_preparation: _ChartsPreparation | None = None


def prepare_charts_in_background() -> _ChartsPreparation:
    global _preparation
    if _preparation is None or _preparation.error is not None:
        _preparation = _ChartsPreparation()
    return _preparation


def charts_prepared() -> bool:
    """True when the charts panel can be built at once (matplotlib already imported)."""
    import sys

    if _preparation is not None:
        return _preparation.done.is_set() and _preparation.error is None
    return "matplotlib.backends.backend_agg" in sys.modules and "parkdesk.charts" in sys.modules


class IndicatorsTab(QWidget):
    """Grid (top left), figures and flags (bottom left), charts (right, built on demand)."""

    def __init__(self, ctx, ops, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self.ops = ops
        self.undo_stack = QUndoStack(self)
        self.current_indicator_id: int | None = None
        self.charts_panel = None
        self._charts_placeholder: QLabel | None = None  # 正在准备趋势图 while matplotlib loads
        self._syncing = False

        self.model = EntryGridModel(self)
        self.model.commit = self.commit
        self.model.parse = lambda ind, field, text: self.ctx.desk.indicators.parse_input(ind, field, text)
        self.view = EntryGridView()
        self.view.setModel(self.model)
        self.view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.view.horizontalHeader().setMinimumHeight(40)
        self.figures_model = FiguresModel(self)
        self.figures_view = QTableView()
        self.figures_view.setModel(self.figures_model)
        self.figures_view.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.figures_view.setSelectionMode(QTableView.SelectionMode.SingleSelection)
        self.figures_view.setEditTriggers(QTableView.EditTrigger.NoEditTriggers)
        self.figures_view.verticalHeader().setVisible(False)
        self.figures_view.verticalHeader().setDefaultSectionSize(24)
        self.figures_view.horizontalHeader().setStretchLastSection(True)
        self.flags_model = RecordTableModel(FLAG_COLUMNS, self)
        self.flags_view = QTableView()
        self.flags_view.setModel(self.flags_model)
        self.flags_view.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.flags_view.verticalHeader().setVisible(False)
        self.flags_view.horizontalHeader().setStretchLastSection(True)
        for i, col in enumerate(FLAG_COLUMNS):
            self.flags_view.setColumnWidth(i, col.width)
        self.bottom = style_tabs(QTabWidget())
        self.bottom.addTab(self.figures_view, "完成情况")
        self.bottom.addTab(self.flags_view, "检查提示")

        self.caption = QLabel()
        self.caption.setStyleSheet("font-weight: bold;")
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setVisible(False)
        self._message_timer = QTimer(self)
        self._message_timer.setSingleShot(True)
        self._message_timer.timeout.connect(lambda: self.message.setVisible(False))
        legend = QLabel(LEGEND)

        self.undo_action = self.undo_stack.createUndoAction(self, "撤销")
        self.undo_action.setShortcut(QKeySequence.StandardKey.Undo)
        self.redo_action = self.undo_stack.createRedoAction(self, "重做")
        # Ctrl+Y as in Excel and WPS, plus the platform's own redo keys (without duplicates).
        redo_keys = {QKeySequence("Ctrl+Y").toString(): QKeySequence("Ctrl+Y")}
        for key in QKeySequence.keyBindings(QKeySequence.StandardKey.Redo):
            redo_keys.setdefault(key.toString(), key)
        self.redo_action.setShortcuts(list(redo_keys.values()))
        for action in (self.undo_action, self.redo_action):
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            self.addAction(action)
        undo_button, redo_button = QToolButton(), QToolButton()
        undo_button.setDefaultAction(self.undo_action)
        redo_button.setDefaultAction(self.redo_action)
        undo_button.setToolTip("撤销（Ctrl+Z）")
        redo_button.setToolTip("重做（Ctrl+Y）")
        self.paste_button = QPushButton("粘贴")
        self.paste_button.setToolTip("把从 Excel / WPS 复制的数据块粘贴到所选单元格起的位置（Ctrl+V）")
        self.catalog_button = QPushButton("指标目录…")
        self.catalog_button.setToolTip("新增、修改、停用指标，设置别名、单位和取值范围")
        self.charts_button = QPushButton("趋势图")
        self.charts_button.setCheckable(True)
        self.charts_button.setToolTip("在右侧显示所选指标的趋势图")

        top = QHBoxLayout()
        top.addWidget(self.caption)
        top.addStretch(1)
        top.addWidget(legend)
        top.addSpacing(16)
        for w in (undo_button, redo_button, self.paste_button, self.catalog_button, self.charts_button):
            top.addWidget(w)
        self.left = QSplitter(Qt.Orientation.Vertical)
        self.left.addWidget(self.view)
        self.left.addWidget(self.bottom)
        self.left.setStretchFactor(0, 3)
        self.left.setStretchFactor(1, 2)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(self.left)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 4, 6, 4)
        layout.addLayout(top)
        layout.addWidget(self.message)
        layout.addWidget(self.splitter, 1)

        self.view.paste_requested.connect(self.paste)
        self.view.clear_requested.connect(self.clear_selection)
        self.model.refused.connect(self.show_refusal)
        self.model.modelReset.connect(lambda: self._apply_spans(self.view, self.model))
        self.figures_model.modelReset.connect(lambda: self._apply_spans(self.figures_view, self.figures_model))
        self.view.selectionModel().currentChanged.connect(self._grid_current_changed)
        self.figures_view.selectionModel().currentRowChanged.connect(self._figures_row_changed)
        self.flags_view.clicked.connect(self._flag_clicked)
        self.paste_button.clicked.connect(self.paste)
        self.catalog_button.clicked.connect(self.open_catalog)
        self.charts_button.toggled.connect(self.show_charts)
        ctx.data_changed.connect(self.refresh)
        ctx.period_changed.connect(lambda *_: self.refresh())
        ctx.desk_changed.connect(self.undo_stack.clear)
        self.refresh()
        self._set_column_widths()

    def showEvent(self, event) -> None:  # noqa: N802
        super().showEvent(event)
        if not getattr(self, "_shown_once", False):
            # Start at January once the layout has its real size (the first sizes
            # may have scrolled the grid sideways to reach month N).
            self._shown_once = True
            # The view as context object: the call is dropped if the tab is gone by then.
            QTimer.singleShot(0, self.view, self._scroll_home)

    def _scroll_home(self) -> None:
        self.view.horizontalScrollBar().setValue(0)
        self.view.scrollTo(self.view.currentIndex())

    # --- layout helpers ---------------------------------------------------------------------------
    def _set_column_widths(self) -> None:
        for col in range(FIRST_MONTH, COLUMN_COUNT):
            self.view.setColumnWidth(col, 78 if col < FIRST_MONTH + 12 else 92)
        for col, width in enumerate((150, 56, 84, 76, 90, 110, 84, 70, 76, 96, 104, 64, 300)):
            self.figures_view.setColumnWidth(col, width)

    @staticmethod
    def _apply_spans(view: QTableView, model) -> None:
        view.clearSpans()
        for row, r in enumerate(model.rows):
            if r.indicator is None:
                view.setSpan(row, 0, 1, model.columnCount())

    # --- refreshing ----------------------------------------------------------------------------------
    def refresh(self) -> None:
        """Reload the year from the database (after any change or a new period)."""
        desk, year, month = self.ctx.desk, self.ctx.year, self.ctx.month
        data = load_period(desk, year, history=HISTORY_YEARS)
        figures = figures_from(data, year, month)
        flags = check_period(data, year, month)
        attach_flags(figures, flags)
        keep = self.view.currentIndex()
        keep_col = keep.column() if keep.isValid() else FIRST_MONTH + month - 1
        self.model.load(data.indicators, year, month, data.values.get(year, {}), data.year_figures.get(year, {}),
                        flags, readonly=desk.readonly)
        self.figures_model.load(data.indicators, figures, month)
        order = {ind.id: n for n, ind in enumerate(data.indicators)}
        names = {ind.id: ind.name for ind in data.indicators}
        self.flags_model.set_records(sorted(((f, names.get(f.indicator_id, "")) for f in flags),
                                            key=lambda p: (order.get(p[0].indicator_id, 0), p[0].month)))
        period = month_range(month)
        self.bottom.setTabText(0, f"{year}年{period}完成情况")
        self.bottom.setTabText(1, f"检查提示（{len(flags)}）" if flags else "检查提示")
        readonly = "（只读）" if desk.readonly else ""
        hint = "各月为1—N月累计值（期末值指标为月末数）"
        if not data.values.get(year):
            hint = "本年尚无数据：可直接录入、从 Excel 复制后粘贴，或用“数据 ▸ 导入 ▸ 指标数据”导入"
        self.caption.setText(f"{year}年指标数据{readonly}　{hint}")
        self.select_indicator(self.current_indicator_id, keep_col)

    def select_indicator(self, indicator_id: int | None, column: int | None = None) -> None:
        """Make an indicator current in the grid (and the figures and charts follow)."""
        row = self.model.row_of(indicator_id) if indicator_id is not None else -1
        if row < 0:
            row = next((r for r in range(self.model.rowCount()) if self.model.indicator_at(r) is not None), -1)
        if row < 0:
            self._update_charts()
            return
        col = column if column is not None else max(self.view.currentIndex().column(), FIRST_MONTH)
        index = self.model.index(row, col)
        if self.view.currentIndex() != index:
            self.view.setCurrentIndex(index)
        else:
            self._grid_current_changed(index, QModelIndex())

    def _grid_current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        ind = self.model.indicator_at(current.row())
        if ind is None:
            return
        self.current_indicator_id = ind.id
        if not self._syncing:
            self._syncing = True
            row = self.figures_model.row_of(ind.id)
            if row >= 0:
                self.figures_view.selectRow(row)
                self.figures_view.scrollTo(self.figures_model.index(row, 0))
            self._syncing = False
        self._update_charts()

    def _figures_row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if self._syncing or not current.isValid():
            return
        row = self.figures_model.rows[current.row()]
        if row.indicator is not None:
            self._syncing = True
            grid_row = self.model.row_of(row.indicator.id)
            col = max(self.view.currentIndex().column(), FIRST_MONTH)
            self.view.setCurrentIndex(self.model.index(grid_row, col))
            self.view.scrollTo(self.model.index(grid_row, col))
            self._syncing = False

    def _flag_clicked(self, index: QModelIndex) -> None:
        flag = self.flags_model.record(index.row())[0]
        row = self.model.row_of(flag.indicator_id)
        if row < 0:
            return
        col = FIRST_MONTH + flag.month - 1
        if flag.field == "target":
            col = COL_TARGET
        elif flag.month == self.ctx.month and flag.field == "prior_value":
            col = COL_PRIOR
        elif flag.month == self.ctx.month and flag.field == "official_yoy":
            col = COL_OFFICIAL
        target = self.model.index(row, col)
        self.view.setCurrentIndex(target)
        self.view.scrollTo(target)
        self.view.setFocus()

    # --- messages ------------------------------------------------------------------------------------
    def show_message(self, text: str, *, error: bool = False) -> None:
        style = ("background:#fdecea; color:#8a1c1c; border:1px solid #f0b4ae;" if error
                 else "background:#eaf6ec; color:#1d5e2c; border:1px solid #b9dfc1;")
        self.message.setStyleSheet(style + " padding:4px 8px; border-radius:3px;")
        self.message.setText(text)
        self.message.setVisible(True)
        self._message_timer.start(12000 if error else 5000)

    def show_refusal(self, index: QModelIndex, message: str) -> None:
        """A refused entry: message above the grid and a tooltip at the cell."""
        self.show_message(message, error=True)
        rect = self.view.visualRect(index)
        QToolTip.showText(self.view.viewport().mapToGlobal(rect.bottomLeft()), message, self.view)

    # --- writing --------------------------------------------------------------------------------------
    def commit(self, changes: dict[Cell, float | None], label: str) -> str | None:
        """Write cells as one undo step; return a message when nothing could be written."""
        desk = self.ctx.desk
        if desk.readonly:
            return "数据库以只读方式打开，不能修改。"
        try:
            desk.indicators.validate_cells(changes)
        except ValidationError as exc:
            return f"{exc.message}，未保存。"
        before_all = desk.indicators.read_cells(changes)
        after = {c: v for c, v in changes.items() if before_all[c] != v}
        if not after:
            return None
        before = {c: before_all[c] for c in after}
        if self.write_cells(after):
            self.undo_stack.push(CellsCommand(self, label, before, after))
            return None
        return "未能保存。"

    def replay_cells(self, expected: dict[Cell, float | None], changes: dict[Cell, float | None],
                     verb: str) -> bool:
        """Undo / redo one step, unless its cells no longer hold ``expected`` (changed elsewhere)."""
        desk = self.ctx.desk
        current = desk.indicators.read_cells(expected)
        moved = [c for c, v in expected.items() if not _same(current[c], v)]
        if moved:
            names = {ind.id: ind for ind in self.model.indicators}
            cell = moved[0]
            more = f"等 {len(moved)} 个单元格" if len(moved) > 1 else ""
            self.show_message(
                f"{verb}未执行：{cell.label(names.get(cell.indicator_id))}{more}已在别处修改"
                f"（现为{_shown(current[cell])}，不是本表格上次留下的{_shown(expected[cell])}）。"
                "为免覆盖别处的数据，这一步已从撤销记录中移除；如需改动请直接修改单元格。", error=True)
            return False
        return self.write_cells(changes)

    def write_cells(self, changes: dict[Cell, float | None]) -> bool:
        ok, _ = self.ops.write(lambda desk: desk.indicators.write_cells(changes), parent=self)
        return ok

    def paste(self) -> None:
        """Paste the clipboard's text at the current cell (Ctrl+V)."""
        self.paste_text(QGuiApplication.clipboard().text())

    def paste_text(self, text: str) -> bool:
        """Paste a tab-separated block (as Excel and WPS copy it) as one transaction and one undo step."""
        from .paste import outside_notes, plan_paste, split_block  # loaded on the first paste

        block = split_block(text)
        if not block:
            self.show_message("剪贴板中没有可粘贴的数据。", error=True)
            return False
        start = self.view.currentIndex()  # the active cell is the block's top-left corner
        selected = self.view.selected_block()
        if not start.isValid() and selected:
            start = selected[0]
        if not start.isValid():
            self.show_message("请先选中粘贴的起始单元格。", error=True)
            return False
        plan = plan_paste(self.model, self.ctx.desk, block, start, selected)
        if plan.errors:
            more = f"等 {len(plan.errors)} 处" if len(plan.errors) > 3 else ""
            self.show_message("粘贴未执行，没有写入任何数据：" + "；".join(plan.errors[:3]) + more, error=True)
            return False
        if not plan.changes:
            self.show_message("；".join(["所选位置不能录入数据，未粘贴", *outside_notes(plan)]) + "。", error=True)
            return False
        message = self.commit(plan.changes, f"粘贴 {len(plan.changes)} 个单元格")
        if message:
            self.show_message("粘贴未执行：" + message, error=True)
            return False
        how = "按指标名称" if plan.by_name else ""
        notes = [f"已{how}粘贴 {len(plan.changes)} 个单元格（可按 Ctrl+Z 撤销）"]
        if plan.headings:
            names = "、".join(f"“{h}”" for h in plan.headings)
            notes.append(f"分类标题行{names}不能录入，数据依次写入其下的指标")
        if plan.skipped:
            notes.append(f"{plan.skipped} 个单元格所在位置不能录入，已跳过")
        notes.extend(outside_notes(plan))
        # Figures left out are a warning: the clerk must see that the block did not fit.
        self.show_message("；".join(notes) + "。", error=bool(plan.outside))
        return True

    def clear_selection(self) -> None:
        """Delete: clear the selected cells (one undo step)."""
        changes = {}
        for index in self.view.selected_block() or [self.view.currentIndex()]:
            cell = self.model.cell_at(index)
            if cell is not None and self.model.stored(cell) is not None:
                changes[cell] = None
        if not changes:
            return
        message = self.commit(changes, f"清除 {len(changes)} 个单元格")
        if message:
            self.show_message(message, error=True)

    # --- catalog and charts -----------------------------------------------------------------------------
    def open_catalog(self) -> None:
        from .catalog_dialog import CatalogDialog

        dialog = CatalogDialog(self.ctx, self.ops, self, select_id=self.current_indicator_id)
        self._catalog_dialog = dialog  # for tests
        dialog.exec()

    def show_charts(self, visible: bool) -> None:
        """Show or hide the charts panel; it (and matplotlib) is created on first show.

        The first time in a session matplotlib is imported and the CJK fonts registered
        on a worker thread (a second or more on an office PC, longer on a fresh install
        while matplotlib builds its font list) while the panel's place says 正在准备趋势图;
        the window stays responsive meanwhile.
        """
        if self.charts_button.isChecked() != visible:
            self.charts_button.setChecked(visible)  # toggled → comes back here once
            return
        if visible and self.charts_panel is None:
            if not charts_prepared():
                self._prepare_charts()
                return
            try:
                from .charts_panel import ChartsPanel

                panel = ChartsPanel()
            except Exception:  # noqa: BLE001 - told in the panel's place (details in the log)
                log.exception("the charts panel could not be made")
                self._show_placeholder("趋势图无法显示：绘图组件未能启动，详细信息已记入日志")
                return
            self.charts_panel = panel
            placeholder, self._charts_placeholder = self._charts_placeholder, None
            if placeholder is not None:
                self.splitter.replaceWidget(self.splitter.indexOf(placeholder), self.charts_panel)
                placeholder.deleteLater()
            else:
                self.splitter.addWidget(self.charts_panel)
                total = max(self.splitter.width(), 900)
                self.splitter.setSizes([total - 460, 460])
        if self._charts_placeholder is not None:
            self._charts_placeholder.setVisible(visible)
        if self.charts_panel is not None:
            self.charts_panel.setVisible(visible)
            self._update_charts()

    def _show_placeholder(self, text: str) -> None:
        """The label in the charts panel's place (made on first use), saying ``text``."""
        if self._charts_placeholder is None:
            label = QLabel()
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
            label.setStyleSheet("color: #555;")
            label.setMinimumWidth(300)
            label.setWordWrap(True)
            self._charts_placeholder = label
            self.splitter.addWidget(label)
            total = max(self.splitter.width(), 900)
            self.splitter.setSizes([total - 460, 460])
        self._charts_placeholder.setText(text)
        self._charts_placeholder.setVisible(True)

    def _prepare_charts(self) -> None:
        """Show 正在准备趋势图 and import what the charts need on a worker thread."""
        self._show_placeholder("正在准备趋势图……\n（每次启动后第一次打开需要几秒）")
        job = prepare_charts_in_background()
        timer = QTimer(self)
        timer.setInterval(30)

        def poll() -> None:
            if not job.done.is_set():
                return
            timer.stop()
            timer.deleteLater()
            if job.error is not None:
                if self._charts_placeholder is not None:
                    self._charts_placeholder.setText(f"趋势图无法显示：{job.error}")
                return
            if self.charts_button.isChecked() and self.charts_panel is None:
                self.show_charts(True)

        timer.timeout.connect(poll)
        timer.start()

    def charts_ready(self) -> bool:
        """True once the charts panel exists (after the first show's preparation)."""
        return self.charts_panel is not None

    def _update_charts(self) -> None:
        # Told even while hidden (another tab shown, the panel closed): the panel draws only
        # when shown, and then the indicator and period of now, not of when it was last seen.
        panel = self.charts_panel
        if panel is None:
            return
        ind_id = self.current_indicator_id
        name = next((i.name for i in self.model.indicators if i.id == ind_id), "")
        panel.show_indicator(self.ctx.desk, ind_id, name, self.ctx.year, self.ctx.month)

