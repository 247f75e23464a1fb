"""The 指标 tab driven like a clerk would: typing, Enter/Tab, paste, Delete, undo/redo, flags, charts."""

from __future__ import annotations

import subprocess
import sys

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QLineEdit

from parkdesk import charts
from parkdesk.indicators import Cell
from tests.conftest import ROOT
from tests.core.test_charts import png_size
from ui.indicators.grid_model import (
    COL_OFFICIAL,
    COL_PRIOR,
    COL_TARGET,
    FIRST_MONTH,
    FLAG_BG_DEFAULT,
)


@pytest.fixture
def tab(main_window, qtbot):
    """The indicators tab of the demo (2026, 1—10月), focused."""
    t = main_window.select_tab("indicators")
    t.view.setFocus()
    qtbot.waitUntil(lambda: t.model.rowCount() > 0)
    return t


def index_of(tab, name, column):
    ind = tab.ctx.desk.indicators.by_name(name)
    return tab.model.index(tab.model.row_of(ind.id), column)


def stored(tab, name, field, month=None, year=2026):
    ind = tab.ctx.desk.indicators.by_name(name)
    c = Cell(ind.id, year, field, month)
    return tab.ctx.desk.indicators.read_cells([c])[c]


def values_table(tab):
    return tab.ctx.desk.db.execute(
        "SELECT indicator_id, year, month, value, prior_value, official_yoy, note FROM indicator_values "
        "ORDER BY indicator_id, year, month").fetchall()


def editor_of(tab):
    editors = [e for e in tab.view.viewport().findChildren(QLineEdit) if e.isVisible()]
    assert len(editors) == 1, editors
    return editors[0]


def goto(tab, index):
    """Make one cell current and the only one selected (a click without modifier keys)."""
    flags = tab.view.selectionModel().SelectionFlag.ClearAndSelect
    tab.view.selectionModel().setCurrentIndex(index, flags)


def type_cell(qtbot, tab, text, finish=Qt.Key.Key_Return):
    """Type into the current cell the way a clerk does: the first key opens the editor."""
    qtbot.keyClick(tab.view, text[0])
    editor = editor_of(tab)
    qtbot.keyClicks(editor, text[1:])
    qtbot.keyClick(editor, finish)


def test_entry_of_a_session_is_backed_up_at_close(tab, main_window, qtbot):
    """What the clerk typed (written on the worker thread through another connection)
    counts as a change: closing the window backs it up; a session without entries does not."""
    from parkdesk.backups import list_backups

    desk = tab.ctx.desk
    before = [b.reason for b in list_backups(desk.path)]
    tab.view.setCurrentIndex(index_of(tab, "技工贸总收入", FIRST_MONTH + 10))
    type_cell(qtbot, tab, "155.5")
    qtbot.waitUntil(lambda: stored(tab, "技工贸总收入", "value", 11) == 155.5)
    assert not desk.wrote_nothing()
    main_window.shutdown()
    assert [b.reason for b in list_backups(desk.path)].count("close") == before.count("close") + 1


def test_grid_rows_are_grouped_by_category(tab):
    """Category headings precede their indicators; names and units are in the row header."""
    model = tab.model
    headings = [r.category for r in model.rows if r.indicator is None]
    assert headings[:3] == ["发展水平", "建设投入", "招商引资"]
    first = model.rows[0]
    assert first.indicator is None
    title = model.headerData(1, Qt.Orientation.Vertical)
    assert title == "技工贸总收入（亿元）"
    assert tab.view.columnSpan(0, 0) == model.columnCount()
    assert not model.flags(model.index(0, 3)) & Qt.ItemFlag.ItemIsEditable
    assert model.headerData(COL_PRIOR, Qt.Orientation.Horizontal).startswith("上年同期")


def test_typing_saves_and_enter_moves_down(tab, qtbot):
    """Typing replaces the cell, Enter saves it to the database and moves to the next indicator."""
    start = index_of(tab, "技工贸总收入", FIRST_MONTH + 10)  # November, still empty
    tab.view.setCurrentIndex(start)
    type_cell(qtbot, tab, "155.5")
    qtbot.waitUntil(lambda: stored(tab, "技工贸总收入", "value", 11) == 155.5)
    assert tab.view.currentIndex() == index_of(tab, "工业总产值", FIRST_MONTH + 10)
    assert tab.model.index(start.row(), start.column()).data() == "155.50"
    assert tab.undo_stack.count() == 1


def test_enter_skips_category_headings(tab, qtbot):
    """Enter on the last indicator of a category lands on the first of the next one."""
    tab.view.setCurrentIndex(index_of(tab, "战略性新兴产业产值", FIRST_MONTH))
    qtbot.keyClick(tab.view, Qt.Key.Key_Return)
    assert tab.view.currentIndex() == index_of(tab, "固定资产投资", FIRST_MONTH)
    qtbot.keyClick(tab.view, Qt.Key.Key_Tab)  # not editing: Tab moves right
    assert tab.view.currentIndex() == index_of(tab, "固定资产投资", FIRST_MONTH + 1)


def test_tab_saves_and_moves_right(tab, qtbot):
    """Tab saves the entry and opens the cell to the right."""
    start = index_of(tab, "税收收入", FIRST_MONTH + 10)
    tab.view.setCurrentIndex(start)
    type_cell(qtbot, tab, "45000", finish=Qt.Key.Key_Tab)
    qtbot.waitUntil(lambda: stored(tab, "税收收入", "value", 11) == 45000)
    qtbot.waitUntil(lambda: tab.view.currentIndex().column() == start.column() + 1)
    assert tab.view.currentIndex().row() == start.row()


def test_text_that_is_not_a_number_is_refused_in_place(tab, qtbot):
    """"abc" writes nothing, shows a Chinese message and keeps the cell open for correction."""
    before = values_table(tab)
    start = index_of(tab, "税收收入", FIRST_MONTH + 10)
    tab.view.setCurrentIndex(start)
    type_cell(qtbot, tab, "abc")
    qtbot.waitUntil(lambda: tab.message.isVisible())
    assert "不是有效的数字" in tab.message.text() and "未保存" in tab.message.text()
    assert values_table(tab) == before
    assert tab.view.currentIndex() == start
    assert editor_of(tab).text() == "abc"
    assert tab.undo_stack.count() == 0


def test_value_out_of_range_is_refused(tab, qtbot):
    """A negative amount breaks the indicator's minimum and is refused with the reason."""
    before = values_table(tab)
    tab.view.setCurrentIndex(index_of(tab, "固定资产投资", FIRST_MONTH + 10))
    type_cell(qtbot, tab, "-5")
    qtbot.waitUntil(lambda: tab.message.isVisible())
    assert "不能小于" in tab.message.text()
    assert values_table(tab) == before


def test_paste_block_is_one_transaction_and_one_undo_step(tab, qtbot):
    """Ctrl+V pastes an Excel block (separators, full-width digits); Ctrl+Z and Ctrl+Y revert and redo it."""
    before = values_table(tab)
    tab.view.setCurrentIndex(index_of(tab, "技工贸总收入", FIRST_MONTH + 10))
    QGuiApplication.clipboard().setText("1,234.5\t１２３\r\n99\t\r\n")
    qtbot.keyClick(tab.view, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: stored(tab, "技工贸总收入", "value", 12) == 123)
    assert stored(tab, "技工贸总收入", "value", 11) == 1234.5
    assert stored(tab, "工业总产值", "value", 11) == 99
    assert stored(tab, "工业总产值", "value", 12) is None
    assert tab.undo_stack.count() == 1 and "粘贴" in tab.undo_stack.undoText()
    assert "已粘贴" in tab.message.text()
    after = values_table(tab)
    qtbot.keyClick(tab.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert values_table(tab) == before
    qtbot.keyClick(tab.view, Qt.Key.Key_Y, Qt.KeyboardModifier.ControlModifier)
    assert values_table(tab) == after


def test_paste_with_a_bad_cell_writes_nothing(tab, qtbot):
    """One non-number in the block refuses the whole paste with the position named."""
    before = values_table(tab)
    tab.view.setCurrentIndex(index_of(tab, "技工贸总收入", FIRST_MONTH + 10))
    assert not tab.paste_text("10\t20\n30\t四十\n")
    assert values_table(tab) == before
    assert "第2行第2列" in tab.message.text() and "没有写入" in tab.message.text()


def test_paste_skips_category_headings_and_locked_cells(tab, qtbot):
    """Rows of a pasted block map onto indicators; cells that take no entry are skipped and counted."""
    tab.view.setCurrentIndex(index_of(tab, "战略性新兴产业产值", FIRST_MONTH + 10))
    assert tab.paste_text("40\n70\n"), tab.message.text()
    assert stored(tab, "战略性新兴产业产值", "value", 11) == 40
    assert stored(tab, "固定资产投资", "value", 11) == 70
    tab.view.setCurrentIndex(index_of(tab, "地区生产总值", COL_PRIOR))
    assert tab.paste_text("5\t6.5\n")  # 上年同期 is locked for a growth-only indicator
    assert stored(tab, "地区生产总值", "official_yoy", 10) == 6.5
    assert "1 个单元格所在位置不能录入" in tab.message.text()


def test_delete_clears_selection_and_undo_restores(tab, qtbot):
    """Delete clears the selected cells in one step; Ctrl+Z brings the values back."""
    before = values_table(tab)
    first = index_of(tab, "技工贸总收入", FIRST_MONTH + 8)
    tab.view.setCurrentIndex(first)
    tab.view.selectionModel().select(index_of(tab, "技工贸总收入", FIRST_MONTH + 9),
                                     tab.view.selectionModel().SelectionFlag.Select)
    qtbot.keyClick(tab.view, Qt.Key.Key_Delete)
    assert stored(tab, "技工贸总收入", "value", 9) is None and stored(tab, "技工贸总收入", "value", 10) is None
    assert tab.undo_stack.count() == 1
    tab.undo_action.trigger()
    assert values_table(tab) == before


def test_official_rate_and_target_columns(tab, qtbot):
    """The 官方同比 column stores the official rate of month N; 年度目标 also updates the plan item."""
    tab.view.setCurrentIndex(index_of(tab, "固定资产投资", COL_OFFICIAL))
    type_cell(qtbot, tab, "4.5%")
    qtbot.waitUntil(lambda: stored(tab, "固定资产投资", "official_yoy", 10) == 4.5)
    row = tab.figures_model.row_of(tab.ctx.desk.indicators.by_name("固定资产投资").id)
    assert tab.figures_model.index(row, 5).data() == "4.5%（官方）"
    inv = tab.ctx.desk.indicators.by_name("固定资产投资")
    tab.view.setCurrentIndex(index_of(tab, "固定资产投资", COL_TARGET))
    type_cell(qtbot, tab, "88")
    qtbot.waitUntil(lambda: stored(tab, "固定资产投资", "target") == 88)
    planned = tab.ctx.desk.db.execute(
        "SELECT pi.target_value FROM plan_items pi JOIN plan_sections ps ON ps.id = pi.section_id "
        "WHERE ps.year = 2026 AND pi.target_kind = 'indicator' AND pi.target_indicator_id = ?", [inv.id]).fetchall()
    assert planned and all(v == 88 for (v,) in planned)


def test_flagged_cells_are_coloured_and_listed(tab, qtbot):
    """A cumulative value below last month is saved, coloured, listed, and the list leads to the cell."""
    tab.view.setCurrentIndex(index_of(tab, "技工贸总收入", FIRST_MONTH + 10))
    type_cell(qtbot, tab, "100")  # below October's 141.23
    qtbot.waitUntil(lambda: stored(tab, "技工贸总收入", "value", 11) == 100)
    cell = index_of(tab, "技工贸总收入", FIRST_MONTH + 10)
    assert cell.data(Qt.ItemDataRole.BackgroundRole) == FLAG_BG_DEFAULT
    assert "累计值回落" in cell.data(Qt.ItemDataRole.ToolTipRole)
    assert tab.flags_model.rowCount() == 1
    assert "检查提示（1）" == tab.bottom.tabText(1)
    tab.view.setCurrentIndex(index_of(tab, "税收收入", FIRST_MONTH))
    tab._flag_clicked(tab.flags_model.index(0, 0))
    assert tab.view.currentIndex() == cell


def test_figures_table_follows_the_period_and_selection(tab, main_window, qtbot):
    """The figures beside the grid are for month N and follow the selected indicator."""
    model = tab.figures_model
    assert model.headerData(2, Qt.Orientation.Horizontal) == "1—10月"
    row = model.row_of(tab.ctx.desk.indicators.by_name("规模工业增加值").id)
    assert model.index(row, 5).data().endswith("（官方）")
    gdp = model.row_of(tab.ctx.desk.indicators.by_name("地区生产总值").id)
    assert model.index(gdp, 2).data() == "—" and model.index(gdp, 7).data() == "—"
    tab.view.setCurrentIndex(index_of(tab, "税收收入", FIRST_MONTH))
    assert tab.figures_view.currentIndex().row() == model.row_of(tab.ctx.desk.indicators.by_name("税收收入").id)
    main_window.month_box.setCurrentIndex(5)
    assert model.headerData(2, Qt.Orientation.Horizontal) == "1—6月"
    assert tab.model.headerData(COL_PRIOR, Qt.Orientation.Horizontal) == "上年同期\n(1—6月)"


def test_charts_panel_is_built_on_demand(tab, qtbot, tmp_path):
    """The charts appear when asked for; they can be saved as PNG and copied."""
    assert tab.charts_panel is None
    tab.view.setCurrentIndex(index_of(tab, "税收收入", FIRST_MONTH))
    tab.charts_button.click()
    qtbot.waitUntil(tab.charts_ready, timeout=30000)  # matplotlib is loaded on a worker the first time
    panel = tab.charts_panel
    assert panel is not None and panel.isVisible()
    assert "税收收入" in panel.title.text()
    box = panel.boxes[0]
    assert "税收收入" in box.figure.axes[0].get_title()
    path = box.save_png(str(tmp_path / "chart.png"))
    assert path.exists() and path.read_bytes()[:4] == b"\x89PNG"
    box.copy_to_clipboard()
    assert not QGuiApplication.clipboard().image().isNull()
    tab.view.setCurrentIndex(index_of(tab, "固定资产投资", FIRST_MONTH))
    assert "固定资产投资" in box.figure.axes[0].get_title()
    box.chooser.setCurrentIndex(3)
    assert "建设投入" in box.figure.axes[0].get_title()
    tab.charts_button.click()
    assert not panel.isVisible()


def test_main_window_starts_without_matplotlib():
    """Start-up (main window with the indicators tab) never imports matplotlib."""
    code = (
        "import os, sys, tempfile\n"
        "os.environ['QT_QPA_PLATFORM'] = 'offscreen'\n"
        "os.environ['PARKDESK_HOME'] = tempfile.mkdtemp()\n"
        "from ui.app import create_application, teardown\n"
        "app = create_application()\n"
        "from parkdesk.demo import create_demo\n"
        "desk = create_demo(os.path.join(os.environ['PARKDESK_HOME'], 'd.db'))\n"
        "from ui.main_window import MainWindow\n"
        "w = MainWindow(desk); w.show(); app.processEvents()\n"
        "tab = w.select_tab('indicators'); app.processEvents()\n"
        "assert tab.model.rowCount() > 0\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] == 'matplotlib')\n"
        "teardown(app, w)\n"
        "print(','.join(bad))\n"
        "sys.exit(1 if bad else 0)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert result.returncode == 0, f"matplotlib imported at start-up: {result.stdout} {result.stderr[-500:]}"


def test_readonly_database_is_not_editable(qtbot, demo_path):
    """Opened read-only, the grid takes no entries."""
    from parkdesk.desk import Desk
    from ui.main_window import MainWindow

    w = MainWindow(Desk.open(demo_path, readonly=True))
    qtbot.addWidget(w)
    t = w.select_tab("indicators")
    assert not t.model.flags(index_of(t, "税收收入", FIRST_MONTH)) & Qt.ItemFlag.ItemIsEditable
    assert "只读" in t.caption.text()
    assert not t.paste_text("1")
    w.shutdown()


def test_catalog_dialog_adds_and_retires(tab, qtbot, monkeypatch):
    """指标目录 adds an indicator (it appears in the grid) and retiring hides it."""
    from ui.indicators.catalog_dialog import CatalogDialog

    opened = []
    monkeypatch.setattr(CatalogDialog, "exec", lambda self: opened.append(self) or 0)
    tab.catalog_button.click()
    dialog = opened[0]
    dialog.start_new()
    dialog.name.setText("服务业营业收入")
    dialog.aliases.setPlainText("服务业收入、服务业营收")
    dialog.category.setCurrentText("发展水平")
    assert dialog.save()
    ind = tab.ctx.desk.indicators.by_name("服务业营收")
    assert ind.name == "服务业营业收入" and ind.unit == "亿元"
    assert tab.model.row_of(ind.id) >= 0
    dialog.toggle_retired()
    assert tab.model.row_of(ind.id) == -1
    assert tab.ctx.desk.indicators.get(ind.id).retired
    dialog.name.setText("技工贸总收入")  # a name in use
    messages = []
    from PySide6.QtWidgets import QMessageBox

    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: messages.append(a[2]))
    dialog.start_new()
    dialog.name.setText("技工贸收入")
    assert not dialog.save()
    assert messages and "已被指标“技工贸总收入”使用" in messages[0]


def test_one_value_fills_the_selection(tab, qtbot):
    """A single copied value pasted over a selection fills every selected cell (one undo step)."""
    first = index_of(tab, "技工贸总收入", FIRST_MONTH + 10)
    second = index_of(tab, "工业总产值", FIRST_MONTH + 10)
    tab.view.selectionModel().clearSelection()
    tab.view.setCurrentIndex(first)
    tab.view.selectionModel().select(second, tab.view.selectionModel().SelectionFlag.Select)
    assert tab.paste_text("7\n")
    assert stored(tab, "技工贸总收入", "value", 11) == 7 and stored(tab, "工业总产值", "value", 11) == 7
    assert tab.undo_stack.count() == 1


def test_import_from_the_data_menu_previews_then_writes(main_window, qtbot, tmp_path, monkeypatch):
    """数据 ▸ 导入 ▸ 指标数据: the preview lists rows and counts, and 导入 writes them; the grid refreshes."""
    from openpyxl import Workbook
    from PySide6.QtWidgets import QDialog, QMessageBox

    from ui import dataio

    wb = Workbook()
    ws = wb.active
    ws.title = "指标数据"
    ws.append(["指标名称", "计量单位", "年份", "月份", "累计值", "上年同期", "同比增长(%)", "备注"])
    ws.append(["税收", "亿元", 2026, 11, 4.5, None, None, None])
    wb.save(tmp_path / "in.xlsx")
    shown = []

    def accept(dialog):
        shown.append((dialog.model.rowCount(), dialog.windowTitle(), dialog.import_button.isEnabled()))
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(dataio.ImportPreviewDialog, "exec", accept)
    monkeypatch.setattr(QMessageBox, "information", lambda *a, **k: None)
    tab = main_window.select_tab("indicators")
    dataio.import_dialog(main_window, "indicators", str(tmp_path / "in.xlsx"))
    qtbot.waitUntil(lambda: stored(tab, "税收收入", "value", 11) == 45000, timeout=10000)
    assert shown == [(1, "导入指标数据 — 预览", True)]
    preview = main_window._last_import_dialog
    assert "新增 1 行" in preview.findChild(type(tab.caption)).text()
    qtbot.waitUntil(lambda: index_of(tab, "税收收入", FIRST_MONTH + 10).data() == "45,000.00")


def test_failed_undo_drops_the_step(tab, qtbot, monkeypatch):
    """If the database refuses an undo, the step leaves the stack instead of pretending it happened."""
    tab.view.setCurrentIndex(index_of(tab, "税收收入", FIRST_MONTH + 10))
    assert tab.paste_text("1")
    assert tab.undo_stack.count() == 1
    monkeypatch.setattr(tab.ops, "write", lambda fn, parent=None: (False, None))
    tab.undo_action.trigger()
    assert tab.undo_stack.count() == 0
    assert stored(tab, "税收收入", "value", 11) == 1


def test_paste_a_bureau_sheet_with_names_goes_by_name(tab, qtbot):
    """Rows copied with indicator names (any alias, a unit column, a heading row) land on those indicators."""
    tab.view.setCurrentIndex(index_of(tab, "规上企业数", FIRST_MONTH + 10))  # the active column: 11月
    block = ("指标名称\t计量单位\t1—11月\n"
             "实缴税金\t亿元\t4.5\n"
             "技工贸收入\t万元\t1,551,000\n"
             "规上企业\t户\t158\n")
    assert tab.paste_text(block), tab.message.text()
    assert stored(tab, "税收收入", "value", 11) == pytest.approx(45000)
    assert stored(tab, "技工贸总收入", "value", 11) == pytest.approx(155.1)
    assert stored(tab, "规上企业数", "value", 11) == 158
    assert "按指标名称粘贴 3 个单元格" in tab.message.text()
    assert tab.undo_stack.count() == 1
    before = values_table(tab)
    assert not tab.paste_text("不存在的指标\t12\n税收\t13\n")
    assert "不是已知的指标" in tab.message.text()
    assert values_table(tab) == before


def test_paste_from_a_month_column_stops_at_december(tab, qtbot):
    """A block started in 11月 is clipped at 12月: 上年同期 / 官方同比 keep their figures and the clerk is told."""
    prior, official = stored(tab, "技工贸总收入", "prior_value", 10), stored(tab, "技工贸总收入", "official_yoy", 10)
    goto(tab, index_of(tab, "技工贸总收入", FIRST_MONTH + 10))
    assert tab.paste_text("150\t170\t9.9\t8.8\n"), tab.message.text()
    assert stored(tab, "技工贸总收入", "value", 11) == 150
    assert stored(tab, "技工贸总收入", "value", 12) == 170
    assert stored(tab, "技工贸总收入", "prior_value", 10) == prior
    assert stored(tab, "技工贸总收入", "official_yoy", 10) == official
    text = tab.message.text()
    assert "已粘贴 2 个单元格" in text and "2 个数据超出12月，未粘贴" in text
    # Rows copied with names are clipped the same way.
    assert tab.paste_text("技工贸收入\t151\t171\t9.9\n")
    assert stored(tab, "技工贸总收入", "value", 12) == 171
    assert stored(tab, "技工贸总收入", "prior_value", 10) == prior
    assert "1 个数据超出12月" in tab.message.text()


def test_paste_starting_in_a_side_column_writes_side_columns(tab, qtbot):
    """Only a block that starts at or right of 上年同期 reaches the side columns (目标 and 预计全年 here)."""
    goto(tab, index_of(tab, "技工贸总收入", COL_TARGET))
    assert tab.paste_text("200\t190\n"), tab.message.text()
    assert stored(tab, "技工贸总收入", "target") == 200
    assert stored(tab, "技工贸总收入", "forecast") == 190
    assert "超出" not in tab.message.text()


def test_paste_past_the_last_row_and_over_headings_is_reported(tab, qtbot):
    """Rows beyond the last indicator are counted; heading rows the block steps over are named."""
    last = max(r for r in range(tab.model.rowCount()) if tab.model.indicator_at(r) is not None)
    name = tab.model.indicator_at(last).name
    goto(tab, tab.model.index(last, FIRST_MONTH + 10))
    assert tab.paste_text("1\n2\n3\n"), tab.message.text()
    assert stored(tab, name, "value", 11) == 1
    assert "已粘贴 1 个单元格" in tab.message.text() and "2 个数据超出表格最后一行" in tab.message.text()
    goto(tab, index_of(tab, "战略性新兴产业产值", FIRST_MONTH + 10))
    assert tab.paste_text("40\n70\n")
    assert stored(tab, "固定资产投资", "value", 11) == 70
    assert "分类标题行“建设投入”" in tab.message.text()
    heading = tab.model.row_of(tab.ctx.desk.indicators.by_name("技工贸总收入").id) - 1
    goto(tab, tab.model.index(heading, FIRST_MONTH + 10))  # started on a heading row
    assert tab.paste_text("152\n"), tab.message.text()
    assert stored(tab, "技工贸总收入", "value", 11) == 152
    assert "分类标题行“发展水平”" in tab.message.text()


def test_undo_never_overwrites_a_change_made_elsewhere(tab, qtbot):
    """Undo after the same cell was rewritten outside the grid (import, plan tab) is refused and the step dropped."""
    desk = tab.ctx.desk
    ind = desk.indicators.by_name("技工贸总收入")
    cell = Cell(ind.id, 2026, "value", 11)
    goto(tab, index_of(tab, "技工贸总收入", FIRST_MONTH + 10))
    type_cell(qtbot, tab, "150")
    qtbot.waitUntil(lambda: stored(tab, "技工贸总收入", "value", 11) == 150)
    assert tab.undo_stack.count() == 1
    tab.ops.write(lambda d: d.indicators.write_cells({cell: 160.0}))  # as an import would
    tab.undo_action.trigger()
    assert stored(tab, "技工贸总收入", "value", 11) == 160
    assert tab.undo_stack.count() == 0 and not tab.undo_action.isEnabled()
    text = tab.message.text()
    assert "撤销未执行" in text and "已在别处修改" in text and "160" in text and "150" in text


def test_undo_still_works_when_other_cells_changed_elsewhere(tab, qtbot):
    """A change elsewhere to other cells does not block undo; redo is refused once its cell was rewritten."""
    desk = tab.ctx.desk
    goto(tab, index_of(tab, "技工贸总收入", FIRST_MONTH + 10))
    assert tab.paste_text("150\t170\n")
    tax = desk.indicators.by_name("税收收入")
    tab.ops.write(lambda d: d.indicators.write_cells({Cell(tax.id, 2026, "value", 11): 5.0}))
    tab.undo_action.trigger()
    assert stored(tab, "技工贸总收入", "value", 11) is None and stored(tab, "技工贸总收入", "value", 12) is None
    assert stored(tab, "税收收入", "value", 11) == 5
    ind = desk.indicators.by_name("技工贸总收入")
    tab.ops.write(lambda d: d.indicators.write_cells({Cell(ind.id, 2026, "value", 12): 99.0}))
    tab.redo_action.trigger()
    assert stored(tab, "技工贸总收入", "value", 11) is None and stored(tab, "技工贸总收入", "value", 12) == 99
    assert "重做未执行" in tab.message.text()
    assert tab.undo_stack.count() == 0


def test_implausible_target_is_coloured_listed_and_not_green(tab, qtbot):
    """年度目标 15 for 税收收入 (万元) is saved, its cell coloured, listed as 全年, and the light turns 关注."""
    goto(tab, index_of(tab, "税收收入", COL_TARGET))
    type_cell(qtbot, tab, "15")
    qtbot.waitUntil(lambda: stored(tab, "税收收入", "target") == 15)
    cell = index_of(tab, "税收收入", COL_TARGET)
    assert cell.data(Qt.ItemDataRole.BackgroundRole) == FLAG_BG_DEFAULT
    assert "年度目标存疑" in cell.data(Qt.ItemDataRole.ToolTipRole)
    rows = [tab.flags_model.record(r) for r in range(tab.flags_model.rowCount())]
    row = next(r for r, (flag, name) in enumerate(rows) if flag.code == "target_implausible")
    assert rows[row][1] == "税收收入" and tab.flags_model.index(row, 1).data() == "全年"
    assert tab.figures_model.figures[tab.ctx.desk.indicators.by_name("税收收入").id].status == "yellow"
    goto(tab, index_of(tab, "税收收入", FIRST_MONTH))
    tab._flag_clicked(tab.flags_model.index(row, 0))
    assert tab.view.currentIndex() == cell


def _draw_counter(panel):
    """How many times each chart box's canvas has drawn since the call."""
    counts = [0] * len(panel.boxes)
    for n, box in enumerate(panel.boxes):
        box.canvas.mpl_connect("draw_event", lambda _event, n=n: counts.__setitem__(n, counts[n] + 1))
    return counts


def _open_charts(tab, qtbot, name="税收收入"):
    tab.view.setCurrentIndex(index_of(tab, name, FIRST_MONTH))
    tab.charts_button.click()
    qtbot.waitUntil(tab.charts_ready, timeout=30000)
    panel = tab.charts_panel
    qtbot.waitUntil(lambda: all(box.figure.axes for box in panel.boxes))
    qtbot.wait(10)
    return panel


def test_each_chart_is_drawn_once_per_change_and_only_when_it_changes(tab, main_window, qtbot):
    """A new indicator draws both charts once; another chart kind in one box leaves the other box undrawn;
    showing the tab again, or choosing the same indicator again, draws nothing; a change of the data does."""
    panel = _open_charts(tab, qtbot)
    counts = _draw_counter(panel)
    tab.view.setCurrentIndex(index_of(tab, "固定资产投资", FIRST_MONTH))
    qtbot.waitUntil(lambda: counts == [1, 1])
    qtbot.wait(20)
    assert counts == [1, 1]
    panel.boxes[1].chooser.setCurrentIndex(2)
    qtbot.waitUntil(lambda: counts[1] == 2)
    qtbot.wait(20)
    assert counts == [1, 2]
    main_window.select_tab("projects")
    main_window.select_tab("indicators")
    tab.select_indicator(tab.ctx.desk.indicators.by_name("固定资产投资").id)
    qtbot.wait(20)
    assert counts == [1, 2]
    ind = tab.ctx.desk.indicators.by_name("固定资产投资")
    assert tab.write_cells({Cell(ind.id, 2026, "value", 10): 999.0})
    qtbot.waitUntil(lambda: counts == [2, 3])
    assert "固定资产投资" in panel.boxes[0].figure.axes[0].get_title()


def test_charts_are_drawn_again_after_another_program_wrote(tab, main_window, qtbot):
    """Another ParkDesk (another connection) changed the data: showing the tab again redraws the
    charts (SQLite's data_version), though this window was told of no change."""
    import sqlite3

    panel = _open_charts(tab, qtbot)
    counts = _draw_counter(panel)
    main_window.select_tab("projects")
    main_window.select_tab("indicators")
    qtbot.wait(20)
    assert counts == [0, 0]  # nothing changed: nothing drawn
    desk = tab.ctx.desk
    ind = desk.indicators.by_name("税收收入")
    other = sqlite3.connect(desk.path)
    other.create_function("pd_audit_on", 0, lambda: 0)  # what ParkDesk's own connections provide
    other.create_function("pd_user", 0, lambda: "other")
    with other:
        other.execute("UPDATE indicator_values SET value = value + 1 WHERE indicator_id = ? AND year = 2026",
                      (ind.id,))
    other.close()
    main_window.select_tab("projects")
    main_window.select_tab("indicators")
    qtbot.waitUntil(lambda: counts == [1, 1])


def test_a_saved_chart_is_drawn_by_matplotlibs_own_renderer(tab, qtbot, tmp_path, monkeypatch):
    """Saving (and copying) draws with matplotlib's RendererAgg, as the report's charts are; the
    screen renderer serves the canvas only."""
    from matplotlib.backends.backend_agg import RendererAgg

    from ui.indicators.charts_panel import ChartCanvas

    panel = _open_charts(tab, qtbot)
    used = []
    original = ChartCanvas.get_renderer

    def recording(canvas):
        renderer = original(canvas)
        used.append((canvas.is_saving(), type(renderer)))
        return renderer

    monkeypatch.setattr(ChartCanvas, "get_renderer", recording)
    assert panel.boxes[0].save_png(str(tmp_path / "chart.png")) is not None
    saving = {cls for is_saving, cls in used if is_saving}
    assert saving == {RendererAgg}


def test_screen_chart_keeps_its_canvas_size_and_a_fixed_legend(tab, qtbot, tmp_path):
    """A tall category chart is drawn within its canvas (the next chart too); saving keeps the builder's height;
    the legend has a fixed place on screen and is placed "best" only in the saved picture."""
    panel = _open_charts(tab, qtbot, "技工贸总收入")
    box = panel.boxes[1]
    canvas_px = (box.canvas.width(), box.canvas.height())
    figure_px = lambda: tuple(round(v) for v in box.figure.get_size_inches() * box.figure.dpi)  # noqa: E731
    assert figure_px() == canvas_px
    legend = panel.boxes[0].figure.axes[0].get_legend()
    assert legend is not None and legend._loc != 0  # not "best": a place chosen once for this chart
    box.chooser.setCurrentIndex(list(charts.INDICATOR_CHARTS).index("category_progress"))
    qtbot.waitUntil(lambda: "目标" in box.figure.axes[0].get_title())
    assert figure_px() == canvas_px
    path = box.save_png(str(tmp_path / "category.png"))
    width, height = png_size(path.read_bytes())
    assert height / width > canvas_px[1] / canvas_px[0]  # saved at the height its builder asked for
    assert figure_px() == canvas_px
    # The picture on screen is drawn again at the canvas's size, by the screen renderer.
    qtbot.waitUntil(lambda: isinstance(box.canvas.renderer, charts.screen_renderer_class())
                    and (box.canvas.renderer.width, box.canvas.renderer.height) == canvas_px)
    box.chooser.setCurrentIndex(list(charts.INDICATOR_CHARTS).index("annual_totals"))
    qtbot.waitUntil(lambda: "历年" in box.figure.axes[0].get_title())
    assert figure_px() == canvas_px


def test_first_charts_open_prepares_matplotlib_off_the_ui_thread(tab, qtbot, monkeypatch):
    """The first time in a session, the panel's place says 正在准备趋势图 while matplotlib loads on a
    worker thread (held here at a gate); the window keeps working; then the charts appear. Hiding
    the charts meanwhile is respected when the preparation ends."""
    import threading

    from ui.indicators import tab as tab_module

    gate = threading.Event()
    real_run = tab_module._ChartsPreparation._run

    def held(self):
        gate.wait(30)
        real_run(self)

    monkeypatch.setattr(tab_module, "_preparation", None)
    monkeypatch.setattr(tab_module._ChartsPreparation, "_run", held)
    # As in a session where matplotlib was not imported yet (other tests here have imported it).
    monkeypatch.setattr(tab_module, "charts_prepared", lambda: tab_module._preparation is not None
                        and tab_module._preparation.done.is_set() and tab_module._preparation.error is None)
    tab.view.setCurrentIndex(index_of(tab, "税收收入", FIRST_MONTH))
    tab.charts_button.click()
    placeholder = tab._charts_placeholder
    assert tab.charts_panel is None and placeholder is not None and placeholder.isVisible()
    assert "正在准备趋势图" in placeholder.text()
    tab.view.setCurrentIndex(index_of(tab, "固定资产投资", FIRST_MONTH))  # the grid still answers
    tab.charts_button.click()  # hidden again while loading
    assert not placeholder.isVisible()
    gate.set()
    qtbot.waitUntil(lambda: tab_module._preparation.done.is_set(), timeout=30000)
    qtbot.wait(100)
    assert tab.charts_panel is None  # not shown: nothing built
    tab.charts_button.click()
    assert tab.charts_ready() and tab.charts_panel.isVisible()
    assert tab._charts_placeholder is None
    assert "固定资产投资" in tab.charts_panel.title.text()


def test_a_failed_charts_preparation_is_told_in_the_panel(tab, qtbot, monkeypatch):
    """A missing plotting library is told in Chinese in the panel's place (no exception text)."""
    import parkdesk.fonts
    from ui.indicators import tab as tab_module

    def missing():
        raise ModuleNotFoundError("No module named 'matplotlib'")

    monkeypatch.setattr(tab_module, "_preparation", None)
    monkeypatch.setattr(parkdesk.fonts, "register_matplotlib", missing)
    monkeypatch.setattr(tab_module, "charts_prepared", lambda: False)
    tab.charts_button.click()
    qtbot.waitUntil(lambda: "无法显示" in tab._charts_placeholder.text(), timeout=5000)
    text = tab._charts_placeholder.text()
    assert tab.charts_panel is None and "缺少绘图组件" in text and "请重新安装" in text
    assert "Error" not in text and "No module" not in text
    monkeypatch.setattr(tab_module, "_preparation", None)


def test_charts_show_the_period_chosen_while_they_were_out_of_sight(tab, main_window, qtbot):
    """The period changed while another tab was shown: back on the indicators tab the charts are
    of the new period (the panel was told while hidden, and draws when shown)."""
    panel = _open_charts(tab, qtbot)
    assert panel.month == 10
    main_window.select_tab("projects")
    tab.ctx.set_period(2026, 6)
    main_window.select_tab("indicators")
    qtbot.waitUntil(lambda: all(box.shown is not None and box.shown[3] == 6 for box in panel.boxes))
    assert panel.month == 6 and "1—6月" in panel.title.text()


def test_charts_prepared_while_the_tab_was_hidden_are_drawn_when_it_shows(tab, main_window, qtbot, monkeypatch):
    """趋势图 clicked, another tab chosen while matplotlib loads: coming back, the charts are drawn
    for the selected indicator (they stayed empty under 请在左侧表格中选择一个指标)."""
    from ui.indicators import tab as tab_module

    monkeypatch.setattr(tab_module, "_preparation", None)
    monkeypatch.setattr(tab_module, "charts_prepared", lambda: tab_module._preparation is not None
                        and tab_module._preparation.done.is_set() and tab_module._preparation.error is None)
    tab.view.setCurrentIndex(index_of(tab, "税收收入", FIRST_MONTH))
    tab.charts_button.click()
    main_window.select_tab("projects")
    qtbot.waitUntil(tab.charts_ready, timeout=30000)
    main_window.select_tab("indicators")
    panel = tab.charts_panel
    qtbot.waitUntil(lambda: all(box.shown is not None for box in panel.boxes))
    assert panel.desk is not None and "税收收入" in panel.title.text()
    assert "税收收入" in panel.boxes[0].figure.axes[0].get_title()


def test_a_charts_panel_that_cannot_be_made_is_told_in_its_place(tab, qtbot, monkeypatch):
    """matplotlib loaded but the panel fails to build: a Chinese message in its place, no error
    reaching Qt, and no endless retrying."""
    from ui.indicators import charts_panel
    from ui.indicators import tab as tab_module

    made = []

    def broken(*_args):
        made.append(1)
        raise RuntimeError("FigureCanvasQTAgg cannot be made")

    monkeypatch.setattr(tab_module, "charts_prepared", lambda: True)
    monkeypatch.setattr(charts_panel, "ChartsPanel", broken)
    tab.charts_button.click()
    placeholder = tab._charts_placeholder
    assert tab.charts_panel is None and placeholder is not None and placeholder.isVisible()
    assert "趋势图无法显示" in placeholder.text() and "RuntimeError" not in placeholder.text()
    qtbot.wait(200)
    assert made == [1]


def test_a_chart_that_cannot_be_copied_is_told(tab, qtbot, monkeypatch):
    """Copying a chart that cannot be rendered shows the message (as saving does), nothing reaches Qt."""
    from PySide6.QtWidgets import QMessageBox

    from parkdesk.errors import ParkDeskError

    panel = _open_charts(tab, qtbot)
    shown = []
    monkeypatch.setattr(QMessageBox, "critical", staticmethod(lambda *a, **k: shown.append(a[2])))
    monkeypatch.setattr(QMessageBox, "warning", staticmethod(lambda *a, **k: shown.append(a[2])))

    def refused(*_args, **_kwargs):
        raise ParkDeskError("内存不足，无法生成图片。")

    monkeypatch.setattr(charts, "png_bytes", refused)
    assert panel.boxes[0].copy_to_clipboard() is False
    assert any("内存不足" in text for text in shown)
