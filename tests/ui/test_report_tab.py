"""The 报告 tab driven like a clerk: regenerate, edit, conflicts, sections, options, print and export."""

from __future__ import annotations

import datetime as dt
import unicodedata

import pytest
from PySide6.QtCore import Qt

from parkdesk.report.model import Figure
from parkdesk.report.state import TITLE_KEY

TODAY = dt.date(2026, 11, 22)
MINE = "1—10月，园区技工贸总收入完成141.23亿元，同比增长13.8%，继续保持较快增长。"


@pytest.fixture
def tab(main_window):
    """The report tab of the demo park (2026, 1—10月), with "today" fixed."""
    t = main_window.select_tab("report")
    t.today = lambda: TODAY
    t.refresh()
    return t


def select(tab, key):
    tab.select(key)
    assert tab.selected_key() == key


def edit_and_save(tab, qtbot, key, text):
    """Select a paragraph, type into the editor and click 保存修改."""
    select(tab, key)
    tab.editor.text_edit.setPlainText(text)
    assert tab.editor.save_button.isEnabled()
    qtbot.mouseClick(tab.editor.save_button, Qt.MouseButton.LeftButton)


def change_main_figure(main_window, value):
    """Another tab changes 技工贸总收入 for 1—10月 (the draft of the overview changes)."""
    desk = main_window.ctx.desk
    desk.indicators.set_month(desk.indicators.by_name("技工贸总收入").id, 2026, 10, value=value)
    main_window.ctx.notify_changed()


def test_outline_of_the_selected_period(tab, main_window):
    """The outline shows the title, the four numbered sections and attachments; it follows the period."""
    model = tab.model
    top = [model.index(r, 0).data() for r in range(model.rowCount())]
    assert top[0] == "标题：江南示范产业开发区2026年1—10月工作情况汇报"
    for heading in ("一、主要指标完成情况", "二、主要工作及成效", "三、存在的问题", "四、下步工作打算"):
        assert heading in top
    assert any(t.startswith("附件1") for t in top)
    indicators = model.index_of("indicators")
    assert model.rowCount(indicators) >= 9  # overview and eight categories
    main_window.ctx.set_period(2026, 8)
    assert tab.caption.text() == "2026年1—8月工作情况汇报"
    assert tab.state.through == 8


def test_edit_survives_regeneration(tab, qtbot):
    """An edited paragraph is stored and still shown after 重新生成."""
    edit_and_save(tab, qtbot, "indicators.overview", MINE)
    qtbot.mouseClick(tab.buttons["regenerate"], Qt.MouseButton.LeftButton)
    block = tab.state.find("indicators.overview")
    assert block.block.text == MINE and block.edited and not block.conflict
    select(tab, "indicators.overview")
    assert tab.editor.text_edit.toPlainText() == MINE
    status = tab.model.index_of("indicators.overview").siblingAtColumn(1).data()
    assert status == "已修改"
    assert "已修改 <b>1</b> 段" in tab.banner.text()


def test_changed_data_shows_a_conflict_resolved_by_keeping_mine(tab, qtbot, main_window):
    """New figures change the draft: the conflict is listed, both texts side by side; 保留我的修改."""
    edit_and_save(tab, qtbot, "indicators.overview", MINE)
    change_main_figure(main_window, 150.0)
    assert tab.conflict_view.isVisibleTo(tab) and len(tab.conflicts.items) == 1
    tab.conflict_view.clicked.emit(tab.conflicts.index(0))
    assert tab.selected_key() == "indicators.overview"
    editor = tab.editor
    assert editor.conflict_box.isVisibleTo(editor)
    assert editor.mine.toPlainText() == MINE
    assert "完成技工贸总收入150.00亿元" in editor.theirs.toPlainText()
    assert tab.state.document().find("indicators.overview").text == MINE  # until resolved, mine prints
    qtbot.mouseClick(editor.keep_button, Qt.MouseButton.LeftButton)
    assert not tab.state.conflicts() and not tab.conflict_view.isVisibleTo(tab)
    assert tab.state.find("indicators.overview").block.text == MINE


def test_conflict_resolved_by_the_new_draft_or_a_merge(tab, qtbot, main_window):
    """采用新草稿 drops the edit; 合并编辑 stores the merged text."""
    edit_and_save(tab, qtbot, "indicators.overview", MINE)
    change_main_figure(main_window, 150.0)
    select(tab, "indicators.overview")
    qtbot.mouseClick(tab.editor.take_button, Qt.MouseButton.LeftButton)
    block = tab.state.find("indicators.overview")
    assert not block.edited and "150.00亿元" in block.block.text
    edit_and_save(tab, qtbot, "indicators.overview", MINE)
    change_main_figure(main_window, 151.0)
    select(tab, "indicators.overview")
    merged = MINE.replace("141.23", "151.00")
    tab.editor.mine.setPlainText(merged)
    qtbot.mouseClick(tab.editor.merge_button, Qt.MouseButton.LeftButton)
    assert not tab.state.conflicts() and tab.state.find("indicators.overview").block.text == merged


def test_placeholder_filled_in_and_heading_renamed(tab, qtbot):
    """A narrative placeholder becomes the clerk's paragraph; a heading's number stays automatic."""
    edit_and_save(tab, qtbot, "work.investment.narrative", "坚持以商招商，围绕主导产业精准招商。")
    assert tab.state.find("work.investment.narrative").prints
    select(tab, "problems")
    tab.editor.lead_edit.setText("三、存在的困难和问题")
    qtbot.mouseClick(tab.editor.save_button, Qt.MouseButton.LeftButton)
    label = tab.model.index_of("problems").data()
    assert label == "三、存在的困难和问题"


def test_leaving_a_paragraph_keeps_what_was_typed(tab):
    """Typing and then selecting another block stores the typed text."""
    select(tab, "opening")
    tab.editor.text_edit.setPlainText("今年以来，园区各项工作扎实推进。现将有关情况汇报如下：")
    tab.select("indicators")
    assert tab.selected_key() == "indicators"
    assert tab.state.find("opening").block.text == "今年以来，园区各项工作扎实推进。现将有关情况汇报如下："


def test_add_paragraph_and_section_then_remove_and_restore(tab, qtbot):
    """新增段落 / 新增小节 after the selected block; 删除 leaves it out, 恢复 brings it back."""
    select(tab, "work.projects")
    key = tab.add_paragraph()
    assert tab.selected_key() == key
    tab.editor.text_edit.setPlainText("强化要素保障，帮助企业解决用工难题。")
    qtbot.mouseClick(tab.editor.save_button, Qt.MouseButton.LeftButton)
    keys = [b.key for b in tab.state.blocks]
    assert keys[keys.index("work.projects") + 1] == key
    section = tab.add_section(2)
    tab.editor.lead_edit.setText("坚持优化服务，持续改善营商环境")
    qtbot.mouseClick(tab.editor.save_button, Qt.MouseButton.LeftButton)
    assert tab.state.find(section).block.text == "坚持优化服务，持续改善营商环境"
    select(tab, "problems.suggest.projects")
    qtbot.mouseClick(tab.buttons["remove"], Qt.MouseButton.LeftButton)
    assert tab.state.find("problems.suggest.projects").removed
    assert tab.model.index_of("problems.suggest.projects").siblingAtColumn(1).data() == "已删除"
    assert tab.state.document().find("problems.suggest.projects") is None
    qtbot.mouseClick(tab.buttons["restore"], Qt.MouseButton.LeftButton)
    assert tab.state.document().find("problems.suggest.projects") is not None


def test_options_choose_attachments_and_signature_date(tab, main_window):
    """附件与选项 and 落款日期 are stored per period."""
    tab.option_actions["charts"].setChecked(False)
    desk = main_window.ctx.desk
    assert desk.reports.options(2026, 10).attachments == ["indicators", "projects"]
    assert tab.model.index_of("attachments.charts").isValid() is False
    tab.today_box.setChecked(False)
    tab.date_edit.setDate(dt.date(2026, 11, 5))
    assert desk.reports.options(2026, 10).signature_date == "2026-11-05"
    assert tab.state.document().signature.date_text == "2026年11月5日"
    tab.today_box.setChecked(True)
    assert desk.reports.options(2026, 10).signature_date is None


def test_export_word_via_the_tab_runs_on_the_worker(tab, qtbot, main_window, tmp_path):
    """导出 Word: drafted with charts and written off the UI thread; the clerk's edit is in the file."""
    import docx

    edit_and_save(tab, qtbot, "indicators.overview", MINE)
    path = tmp_path / "汇报.docx"
    tab.export_docx(path)
    main_window.ops.wait()
    qtbot.waitUntil(lambda: tab.last_export == path, timeout=30000)
    document = docx.Document(str(path))
    texts = [p.text for p in document.paragraphs]
    assert MINE in texts and "一、主要指标完成情况" in texts
    assert len(document.inline_shapes) == 4
    assert str(path) in tab.message.text()


@pytest.mark.qt_log_level_fail("WARNING")
def test_export_pdf_via_the_tab_renders_on_the_worker(tab, qtbot, main_window, tmp_path):
    """导出 PDF: Qt draws the PDF on the worker thread without a thread warning; pages and text are there."""
    import pypdf

    path = tmp_path / "汇报.pdf"
    tab.export_pdf(path)
    main_window.ops.wait()
    qtbot.waitUntil(lambda: tab.last_export == path, timeout=30000)
    reader = pypdf.PdfReader(str(path))
    assert len(reader.pages) > 5
    text = unicodedata.normalize("NFKC", "".join(p.extract_text() for p in reader.pages)).replace("\n", "")
    assert "主要指标完成情况" in text and "下步工作打算" in text


def test_print_preview_gets_the_document_with_charts(tab, qtbot, main_window, monkeypatch):
    """打印预览 (also in the 报告 menu) drafts with the charts off the UI thread, then previews."""
    from ui.report import printing

    shown = []
    monkeypatch.setattr(printing, "print_preview", lambda doc, parent=None: shown.append(doc))
    action = next(a for a in main_window.report_menu.actions() if a.text().startswith("打印预览"))
    action.trigger()
    main_window.ops.wait()
    qtbot.waitUntil(lambda: bool(shown), timeout=30000)
    figures = [b for b in shown[0].blocks if isinstance(b, Figure)]
    assert len(figures) == 4 and all(f.pixel_size[0] > 1000 and f.dpi >= 200 for f in figures)


def test_report_menu_exports_word(main_window, qtbot, tmp_path, monkeypatch):
    """报告 ▸ 导出 Word 文档 asks for a file and exports, whichever tab is showing."""
    from PySide6.QtWidgets import QFileDialog

    path = tmp_path / "菜单导出"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(path), "")))
    main_window.select_tab("indicators")
    texts = [a.text() for a in main_window.report_menu.actions() if a.text()]
    for name in ("打印预览(&V)…", "打印(&P)…", "导出 Word 文档(&W)…", "导出 PDF(&D)…"):
        assert name in texts
    next(a for a in main_window.report_menu.actions() if a.text().startswith("导出 Word")).trigger()
    main_window.ops.wait()
    target = path.with_name("菜单导出.docx")
    report = main_window.tab("report")
    qtbot.waitUntil(lambda: report.last_export == target, timeout=30000)
    assert target.exists()


def test_title_can_be_edited(tab, qtbot):
    """The title row opens the title in the editor; a new title is stored."""
    select(tab, TITLE_KEY)
    tab.editor.text_edit.setPlainText("江南示范产业开发区2026年前三季度工作汇报")
    qtbot.mouseClick(tab.editor.save_button, Qt.MouseButton.LeftButton)
    assert tab.state.title.text == "江南示范产业开发区2026年前三季度工作汇报"
    assert tab.model.index(0, 0).data() == "标题：江南示范产业开发区2026年前三季度工作汇报"


def test_changing_the_period_keeps_unsaved_text_in_its_period(tab, main_window):
    """Text typed but not saved is stored for the period it was typed in before the period changes."""
    select(tab, "indicators.overview")
    tab.editor.text_edit.setPlainText(MINE)
    main_window.ctx.set_period(2026, 9)
    desk = main_window.ctx.desk
    assert desk.reports.blocks(2026, 10)["indicators.overview"].text == MINE
    assert not desk.reports.has_changes(2026, 9)
    assert tab.state.through == 9


def test_print_sends_the_document_with_charts_to_the_printer(tab, qtbot, main_window, monkeypatch):
    """打印… drafts with the charts on the worker, then opens the print dialog on the UI thread."""
    from ui.report import printing

    printed = []
    monkeypatch.setattr(printing, "print_document", lambda doc, parent=None: printed.append(doc) or True)
    qtbot.mouseClick(tab.buttons["print"], Qt.MouseButton.LeftButton)
    main_window.ops.wait()
    qtbot.waitUntil(lambda: bool(printed), timeout=30000)
    assert printed[0].title.startswith("江南示范产业开发区")
    assert any(isinstance(b, Figure) and b.pixel_size[0] > 1000 for b in printed[0].blocks)


def test_readonly_database_can_export_but_not_edit(qtbot, demo_path, tmp_path):
    """Opened read-only: editing buttons are off; the report still exports."""
    from parkdesk.desk import Desk
    from ui.main_window import MainWindow

    desk = Desk.open(demo_path, readonly=True)
    window = MainWindow(desk)
    qtbot.addWidget(window)
    window.show()
    try:
        report = window.select_tab("report")
        qtbot.waitUntil(report.is_loaded)  # drafted on the worker thread when shown
        assert not report.buttons["add_paragraph"].isEnabled()
        select(report, "indicators.overview")
        assert report.editor.text_edit.isReadOnly()
        path = tmp_path / "只读.docx"
        report.export_docx(path)
        window.ops.wait()
        qtbot.waitUntil(lambda: report.last_export == path, timeout=30000)
        assert path.exists()
    finally:
        window.shutdown()


def test_banner_says_when_the_last_month_has_no_figures(tab, main_window):
    """The annual summary drafted in November: the banner names December as missing and 1—10月 as used."""
    assert "尚无指标数据" not in tab.banner.text()
    main_window.ctx.set_period(2026, 12)
    banner = tab.banner.text()
    assert "2026年12月尚无指标数据" in banner and "1—10月" in banner
    assert tab.state.find("indicators.overview").block.text.startswith("1—10月，园区")


def test_print_and_export_ask_while_conflicts_are_open(tab, qtbot, main_window, monkeypatch, tmp_path):
    """With an edit in conflict, export and print ask first; "否" cancels, "是" goes on."""
    from PySide6.QtWidgets import QMessageBox

    from ui.report import printing

    asked = []
    reply = {"button": QMessageBox.StandardButton.No}
    monkeypatch.setattr(QMessageBox, "question",
                        staticmethod(lambda *a, **k: asked.append(a[2]) or reply["button"]))
    printed = []
    monkeypatch.setattr(printing, "print_document", lambda doc, parent=None: printed.append(doc) or True)
    path = tmp_path / "汇报.docx"
    tab.export_docx(path)  # no conflict yet: no question
    main_window.ops.wait()
    qtbot.waitUntil(lambda: tab.last_export == path, timeout=30000)
    assert not asked
    edit_and_save(tab, qtbot, "indicators.overview", MINE)
    change_main_figure(main_window, 150.0)
    other = tmp_path / "冲突.docx"
    tab.export_docx(other)
    tab.print_report()
    main_window.ops.wait()
    assert len(asked) == 2 and "1 处" in asked[0] and "1—10月，园区技工贸总收入" in asked[0]
    assert not other.exists() and not printed and "已取消" in tab.message.text()
    reply["button"] = QMessageBox.StandardButton.Yes
    tab.print_report()
    main_window.ops.wait()
    qtbot.waitUntil(lambda: bool(printed), timeout=30000)
    assert printed[0].find("indicators.overview").text == MINE


def test_menu_export_asks_about_conflicts_though_the_tab_was_never_shown(qtbot, main_window, demo_desk,
                                                                          tmp_path, monkeypatch):
    """报告 ▸ 导出 in a window whose 报告 tab was not opened yet still asks about an edit in
    conflict, and with "否" writes nothing."""
    from PySide6.QtWidgets import QMessageBox

    from ui.main_window import MainWindow

    tab = main_window.select_tab("report")
    tab.today = lambda: TODAY
    tab.refresh()
    edit_and_save(tab, qtbot, "indicators.overview", MINE)
    change_main_figure(main_window, 150.0)
    asked = []
    monkeypatch.setattr(QMessageBox, "question",
                        staticmethod(lambda *a, **k: asked.append(a[2]) or QMessageBox.StandardButton.No))
    other = MainWindow(demo_desk, tab="indicators")
    qtbot.addWidget(other)
    try:
        report = other.tab("report")
        assert report.state is None  # never shown: nothing drafted yet
        report.today = lambda: TODAY
        target = tmp_path / "菜单导出.docx"
        report.export_docx(target)
        other.ops.wait()
        assert len(asked) == 1 and "1 处" in asked[0]
        assert not target.exists()
    finally:
        other.auto_backup.stop()


def test_text_typed_during_a_draft_that_cannot_be_saved_stays_and_drafting_stops(main_window, qtbot,
                                                                                 monkeypatch):
    """Typed while the report was being drafted, and then refused by the database: the clerk
    is told once, the text stays in the editor, and the tab does not draft again and again."""
    import threading

    from PySide6.QtWidgets import QMessageBox

    import parkdesk.report.draft as draft_module
    from parkdesk.errors import ParkDeskError
    from parkdesk.report import editing

    report = main_window.select_tab("report")
    qtbot.waitUntil(report.is_loaded)
    report.select("indicators.overview")
    gate, calls, build = threading.Event(), [], draft_module.build_state

    def held(*args, **kwargs):
        calls.append(1)
        if threading.current_thread() is not threading.main_thread():
            gate.wait(30)
        return build(*args, **kwargs)

    monkeypatch.setattr(draft_module, "build_state", held)
    main_window.select_tab("plans")
    main_window.ops.write(lambda desk: desk.park.update(short_name="示范区"))  # a change elsewhere
    main_window.select_tab("report")  # shown again: drafts on the worker
    qtbot.waitUntil(lambda: bool(calls))
    report.editor.text_edit.setPlainText("载入期间输入的文字")
    warnings = []
    monkeypatch.setattr(QMessageBox, "warning", staticmethod(lambda *a, **k: warnings.append(a[2])))

    def refused(*args, **kwargs):
        raise ParkDeskError("磁盘已满，未能保存。")

    monkeypatch.setattr(editing, "save_texts", refused)
    gate.set()
    qtbot.wait(1500)
    assert len(warnings) == 1 and "磁盘已满" in warnings[0]
    assert len(calls) == 1
    assert report.editor.text_edit.toPlainText() == "载入期间输入的文字"
    assert "未能保存" in report.message.text()  # said on the tab, not only in the message box
    # Exporting now: refused (the text could not be saved again), and the typed text is not
    # replaced by a fresh draft.
    assert report._go_ahead("导出") is False
    assert report.editor.text_edit.toPlainText() == "载入期间输入的文字"
    assert "已取消导出" in report.message.text() and len(warnings) == 2
