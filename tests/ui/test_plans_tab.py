"""The 工作计划 tab driven like a clerk: add, edit, reorder, mark done, copy, drag."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QInputDialog, QMessageBox

from parkdesk.desk import Desk
from ui.plans.item_dialog import TIE_STAT, ItemDialog
from ui.plans.model import COL_PROGRESS, COL_STATUS, LATE_FG
from ui.main_window import MainWindow

TODAY = dt.date(2026, 11, 22)


@pytest.fixture
def tab(main_window, qtbot):
    """The plans tab of the demo park, with "today" fixed."""
    t = main_window.select_tab("plans")
    t.today = lambda: TODAY
    t.refresh()
    return t


def _index(tab, title, column=0):
    for s_row, (_s, views) in enumerate(tab.model.sections):
        for i_row, v in enumerate(views):
            if v.item.title == title:
                return tab.model.index(i_row, column, tab.model.index(s_row, 0))
    raise AssertionError(title)


def _lagging(tab):
    """How many items the tree shows as 滞后."""
    return sum(tab.model.index(i_row, COL_STATUS, tab.model.index(s_row, 0)).data() == "滞后"
               for s_row, (_s, views) in enumerate(tab.model.sections) for i_row in range(len(views)))


def _titles(desk, year):
    return [(s.title, i.title) for s, i in desk.plans.year_items(year)]


@pytest.fixture
def answers(monkeypatch):
    """Records message boxes; QMessageBox.question answers from ``answers.reply``."""
    class Answers:
        reply = QMessageBox.StandardButton.Yes
        shown: list[str] = []

    a = Answers()
    a.shown = []
    monkeypatch.setattr(QMessageBox, "question", lambda *args, **kw: (a.shown.append(args[2]), a.reply)[1])
    monkeypatch.setattr(QMessageBox, "information", lambda *args, **kw: a.shown.append(args[2]))
    monkeypatch.setattr(QMessageBox, "warning", lambda *args, **kw: a.shown.append(args[2]))
    return a


def test_tab_shows_sections_items_progress_and_overdue(tab):
    """Sections hold items; overdue items show 滞后 in red; tied targets show live progress."""
    assert tab.model.rowCount() == 3 and tab.model.item_count() == 11
    assert tab.model.index(0, 0).data().startswith("（一）坚持锻长处")
    late = _index(tab, "提升产业品牌", COL_STATUS)  # due 2026-09-30, stored 推进中
    assert late.data() == "滞后"
    assert late.data(Qt.ItemDataRole.ForegroundRole).color() == LATE_FG
    assert _index(tab, "开展“僵尸企业”清理攻坚", COL_STATUS).data() == "已完成"
    assert _index(tab, "强化目标导向", COL_PROGRESS).data().endswith("%")
    assert "亿元" in _index(tab, "强化目标导向", COL_PROGRESS).data(Qt.ItemDataRole.ToolTipRole)
    assert _index(tab, "完善基础配套", COL_PROGRESS).data() == ""  # a free-text target
    text = tab.status_label.text()
    assert _lagging(tab) >= 2
    assert "11个事项" in text and f"滞后 <b>{_lagging(tab)}</b>" in text
    assert "2026年工作计划" in tab.caption.text()


def test_add_section_and_item_through_the_dialog(main_window, tab, qtbot, monkeypatch, answers):
    """新增部分 and 新增事项 with every field typed in the dialog; the target ties and syncs."""
    main_window.year_box.setValue(2028)
    assert tab.empty_panel.isVisible() and "2028年还没有工作计划" in tab.empty_hint.text()
    assert tab.copy_previous_button.isVisible()  # 2027 has a plan to start from
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("（一）坚持招大引强", True))
    qtbot.mouseClick(tab.buttons["add_section"], Qt.MouseButton.LeftButton)
    desk = main_window.ctx.desk
    assert [s.title for s in desk.plans.sections(2028)] == ["坚持招大引强"]
    assert not tab.empty_panel.isVisible()

    def fill(dialog: ItemDialog):
        dialog.title_edit.setText("强化目标导向")
        dialog.content_edit.setPlainText("完成技工贸总收入目标任务。")
        dialog.target_edit.setText("技工贸总收入≥200亿元")
        assert dialog.recognize()
        assert dialog.target_edit.text() == "技工贸总收入≥200亿元" and dialog.unit_label.text() == "亿元"
        dialog.owner_edit.setText("经济发展局")
        dialog.leader_edit.setText("李明华")
        dialog.deadline_check.setChecked(True)
        dialog.status_box.setCurrentText("推进中")
        dialog.pct_box.setValue(30)
        dialog.note_edit.setText("已分解任务到各局")
        dialog.add_note_button.click()
        assert dialog.notes_model.rowCount() == 1
        dialog.accept()
        return dialog.result()

    monkeypatch.setattr(ItemDialog, "exec", fill)
    qtbot.mouseClick(tab.buttons["add_item"], Qt.MouseButton.LeftButton)
    [(_s, item)] = desk.plans.year_items(2028)
    assert (item.title, item.owner_department, item.leader, item.status, item.progress_pct) == (
        "强化目标导向", "经济发展局", "李明华", "推进中", 30)
    assert (item.target_kind, item.target_value, item.deadline) == ("indicator", 200, "2028-12-31")
    ind = desk.indicators.by_name("技工贸总收入").id
    assert desk.indicators.year_figures(2028)[ind].target == 200
    assert [n["text"] for n in desk.plans.progress_notes(item.id)] == ["已分解任务到各局"]
    assert tab.selected_key() == ("item", item.id)
    assert tab.model.item_count() == 1


def test_rename_section_with_edit(main_window, tab, qtbot, monkeypatch):
    """编辑 on a section asks for its new title; numbering typed in it is dropped."""
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("（二）坚持深化改革、激发活力", True))
    section = main_window.ctx.desk.plans.sections(2026)[1]
    tab.select(("section", section.id))
    qtbot.mouseClick(tab.buttons["edit"], Qt.MouseButton.LeftButton)
    assert main_window.ctx.desk.plans.section(section.id).title == "坚持深化改革、激发活力"
    assert tab.model.index(1, 0).data().startswith("（二）坚持深化改革、激发活力")


def test_dialog_stays_open_when_saving_fails(main_window, tab, monkeypatch, answers):
    """A refused save (same indicator tied twice) shows the reason and keeps the dialog open."""
    desk = main_window.ctx.desk
    state = {}

    def fill(dialog: ItemDialog):
        dialog.title_edit.setText("再次设定技工贸总收入")
        dialog.target_edit.setText("技工贸总收入≥180亿元")
        dialog.recognize()
        dialog.accept()
        state["visible_result"] = dialog.result()
        return dialog.result()

    monkeypatch.setattr(ItemDialog, "exec", fill)
    before = len(desk.plans.year_items(2026))
    tab.select(("section", desk.plans.sections(2026)[0].id))
    tab.add_item()
    assert state["visible_result"] == 0  # not accepted
    assert any("已设定了技工贸总收入的年度目标" in m for m in answers.shown)
    assert len(desk.plans.year_items(2026)) == before


def test_dialog_ties_a_project_statistic(main_window, tab, monkeypatch, answers):
    """Choosing 关联项目统计 and typing a value generates the target text."""
    desk = main_window.ctx.desk

    def fill(dialog: ItemDialog):
        dialog.title_edit.setText("加快项目投产")
        dialog.tie_box.setCurrentIndex(TIE_STAT)
        dialog.stat_box.setCurrentIndex(dialog.stat_box.findData("put_into_production"))
        dialog.value_edit.setText("８")  # full-width, as typed with a Chinese input method
        assert dialog.target_edit.text() == "新投产项目数≥8个" and dialog.target_edit.isReadOnly()
        dialog.accept()
        return dialog.result()

    monkeypatch.setattr(ItemDialog, "exec", fill)
    tab.add_item()
    item = desk.plans.year_items(2026)[-1][1]
    assert (item.title, item.target_stat, item.target_value, item.target_text) == (
        "加快项目投产", "put_into_production", 8, "新投产项目数≥8个")
    assert _index(tab, "加快项目投产", COL_PROGRESS).data().endswith("%")


def test_reorder_items_and_sections_with_buttons(main_window, tab, qtbot):
    """上移/下移 move the selected item (into the neighbouring section at the edge) or section."""
    desk = main_window.ctx.desk
    first_section = desk.plans.sections(2026)[0]
    tab.view.setCurrentIndex(_index(tab, "强化招大引强"))
    qtbot.mouseClick(tab.buttons["up"], Qt.MouseButton.LeftButton)
    assert [t for _s, t in _titles(desk, 2026)][:2] == ["强化招大引强", "加快项目建设"]
    assert tab.selected_key()[0] == "item"  # still selected after the refresh
    tab.view.setCurrentIndex(_index(tab, "提升产业品牌"))
    qtbot.mouseClick(tab.buttons["down"], Qt.MouseButton.LeftButton)
    second = desk.plans.sections(2026)[1]
    assert desk.plans.items(second.id)[0].title == "提升产业品牌"
    tab.select(("section", first_section.id))
    qtbot.mouseClick(tab.buttons["down"], Qt.MouseButton.LeftButton)
    assert desk.plans.sections(2026)[1].id == first_section.id
    assert tab.model.index(1, 0).data().startswith("（二）坚持锻长处")


def test_keyboard_moves_and_context_menu(main_window, tab, qtbot):
    """Ctrl+↓ moves the selected item; the tree's context menu offers the same commands."""
    desk = main_window.ctx.desk
    tab.view.setFocus()
    tab.view.setCurrentIndex(_index(tab, "加快项目建设"))
    qtbot.keyClick(tab.view, Qt.Key.Key_Down, Qt.KeyboardModifier.ControlModifier)
    assert [t for _s, t in _titles(desk, 2026)][:2] == ["强化招大引强", "加快项目建设"]
    texts = [a.text() for a in tab.view.actions() if not a.isSeparator()]
    assert texts[:3] == ["新增部分", "新增事项", "编辑"] and "复制到下一年" in texts


def test_mark_done_clears_the_overdue_red(main_window, tab, qtbot):
    """标记完成 sets 已完成 and 100 %; the item is no longer shown 滞后."""
    lagging = _lagging(tab)
    tab.view.setCurrentIndex(_index(tab, "提升产业品牌"))
    qtbot.mouseClick(tab.buttons["done"], Qt.MouseButton.LeftButton)
    item = [i for _s, i in main_window.ctx.desk.plans.year_items(2026) if i.title == "提升产业品牌"][0]
    assert (item.status, item.progress_pct) == ("已完成", 100)
    assert _index(tab, "提升产业品牌", COL_STATUS).data() == "已完成"
    assert _lagging(tab) == lagging - 1
    assert f"滞后 <b>{lagging - 1}</b>" in tab.status_label.text()


def test_remove_section_asks_first(main_window, tab, answers):
    """Removing a section with items asks, naming how many; No keeps it, Yes removes it."""
    desk = main_window.ctx.desk
    section = desk.plans.sections(2026)[1]
    tab.select(("section", section.id))
    answers.reply = QMessageBox.StandardButton.No
    tab.remove_selected()
    assert "还有 2 个事项" in answers.shown[-1]
    assert len(desk.plans.sections(2026)) == 3
    answers.reply = QMessageBox.StandardButton.Yes
    tab.remove_selected()
    assert [s.id for s in desk.plans.sections(2026)].count(section.id) == 0
    assert tab.model.item_count() == 9


def test_remove_item_warns_about_its_annual_target(main_window, tab, answers):
    """Deleting an indicator-tied item says its 年度目标 is cleared too, then does it."""
    desk = main_window.ctx.desk
    tab.view.setCurrentIndex(_index(tab, "强化目标导向"))
    tab.remove_selected()
    assert "技工贸总收入" in answers.shown[-1] and "进展记录" in answers.shown[-1]
    assert "强化目标导向" not in [i.title for _s, i in desk.plans.year_items(2026)]
    ind = desk.indicators.by_name("技工贸总收入").id
    assert desk.indicators.year_figures(2026)[ind].target is None


def test_copy_to_next_year_asks_before_replacing(main_window, tab, qtbot, answers):
    """复制到下一年 asks when next year has a plan; Yes replaces it with a fresh copy."""
    desk = main_window.ctx.desk
    own = [(i.title, i.target_value) for _s, i in desk.plans.year_items(2027)]
    assert own != [(i.title, i.target_value) for _s, i in desk.plans.year_items(2026)]
    answers.reply = QMessageBox.StandardButton.No
    qtbot.mouseClick(tab.buttons["copy"], Qt.MouseButton.LeftButton)
    assert "2027年已有工作计划" in answers.shown[-1]
    assert [(i.title, i.target_value) for _s, i in desk.plans.year_items(2027)] == own  # the demo's plan is kept
    answers.reply = QMessageBox.StandardButton.Yes
    qtbot.mouseClick(tab.buttons["copy"], Qt.MouseButton.LeftButton)
    assert "已把2026年工作计划复制为2027年计划" in answers.shown[-1]
    assert _titles(desk, 2027) == _titles(desk, 2026)
    copied = [i for _s, i in desk.plans.year_items(2027)]
    assert {i.status for i in copied} == {"未开始"} and all(i.progress_pct is None for i in copied)
    this_year = [i for _s, i in desk.plans.year_items(2026)]
    assert [i.target_value for i in copied] == [i.target_value for i in this_year]  # targets carried over
    assert copied[0].deadline == "2027-12-31"
    main_window.year_box.setValue(2027)
    assert tab.model.item_count() == 11 and "2027年工作计划" in tab.caption.text()


def test_empty_year_starts_from_the_previous_plan(main_window, tab, qtbot, answers):
    """An empty year offers to copy the previous year's plan; one click fills it."""
    desk = main_window.ctx.desk
    main_window.year_box.setValue(2028)
    qtbot.mouseClick(tab.copy_previous_button, Qt.MouseButton.LeftButton)
    assert "已把2027年工作计划复制为2028年计划" in answers.shown[-1]
    assert _titles(desk, 2028) == _titles(desk, 2027)
    assert tab.model.item_count() == 11 and not tab.empty_panel.isVisible()


def test_drag_and_drop_moves_an_item(main_window, tab, qtbot):
    """Dropping an item onto another section moves it there (the model's drop handling)."""
    desk = main_window.ctx.desk
    data = tab.model.mimeData([_index(tab, "选优配强人才队伍")])
    target_section = tab.model.index(1, 0)
    assert tab.model.canDropMimeData(data, Qt.DropAction.MoveAction, 0, 0, target_section)
    assert tab.model.dropMimeData(data, Qt.DropAction.MoveAction, 0, 0, target_section)
    second = desk.plans.sections(2026)[1]
    qtbot.waitUntil(lambda: desk.plans.items(second.id)[0].title == "选优配强人才队伍", timeout=2000)
    # dropping inside its own section, onto the position after the next item
    items = desk.plans.items(second.id)
    data = tab.model.mimeData([_index(tab, items[0].title)])
    assert tab.model.dropMimeData(data, Qt.DropAction.MoveAction, 2, 0, tab.model.index(1, 0))
    qtbot.waitUntil(lambda: [i.title for i in desk.plans.items(second.id)][1] == "选优配强人才队伍", timeout=2000)


def test_read_only_database_disables_editing(qtbot, demo_path):
    """A database opened read-only shows the plan but offers no editing."""
    w = MainWindow(Desk.open(demo_path, readonly=True))
    qtbot.addWidget(w)
    w.show()
    t = w.select_tab("plans")
    qtbot.waitUntil(t.is_loaded)  # read on the worker thread when shown
    assert t.model.item_count() == 11
    t.view.setCurrentIndex(t.model.index(0, 0, t.model.index(0, 0)))
    assert not any(b.isEnabled() for b in t.buttons.values())
    w.shutdown()
