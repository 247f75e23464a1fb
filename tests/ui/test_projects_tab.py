"""The 项目 tab driven like a clerk: search, filters, sorting, the project dialog, stage changes,
the stage board, the monthly dispatch sheet, overdue nodes and problems, activities."""

from __future__ import annotations

import unicodedata

import pytest
from PySide6.QtCore import QMimeData, QPoint, QSettings, Qt
from PySide6.QtWidgets import QMessageBox

from parkdesk.dispatch import Problem
from parkdesk.numbers import amount_text
from parkdesk.projects import Project
from tests.conftest import DEMO_AS_OF
from ui.projects.ledger_model import BUILDING, COLUMN_INDEX, NOT_SIGNED
from ui.projects.project_dialog import ProjectDialog
from ui.projects.record_dialogs import DateDialog, DispatchDialog, NodeDialog, ProblemDialog, StageChangeDialog


@pytest.fixture(autouse=True)
def message_boxes(monkeypatch) -> list[str]:
    """Warnings and errors are collected instead of blocking the test in a modal box."""
    seen: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: seen.append(a[2]))
    monkeypatch.setattr(QMessageBox, "critical", lambda *a, **k: seen.append(a[2]))
    return seen


@pytest.fixture
def tab(main_window, monkeypatch, qtbot):
    """The 项目 tab over the demo park, with today fixed to the demo's date, its ledger shown
    (read on the worker thread when the tab is first shown)."""
    t = main_window.select_tab("projects")
    monkeypatch.setattr(t, "today", lambda: DEMO_AS_OF)
    t.refresh()
    qtbot.waitUntil(t.is_loaded)
    return t


def shown(tab) -> list:
    m = tab.ledger.model
    return [m.row_at(r).project for r in range(m.rowCount())]


def fake_exec(prepare):
    """A dialog ``exec`` that fills the dialog, presses OK and returns the result."""
    def run(dialog):
        prepare(dialog)
        dialog.accept()
        return dialog.result()
    return run


def test_ledger_lists_every_project_with_totals(tab):
    """All 72 demo projects are listed; the totals line adds up what is shown."""
    projects = tab.ctx.desk.projects.list()
    assert tab.ledger.model.rowCount() == len(projects) == 72
    text = tab.ledger.totals.text()
    assert "共 72 个项目" in text
    assert f"总投资 {amount_text(sum(p.total_investment or 0 for p in projects), '万元')}" in text
    assert f"到位资金 {amount_text(sum(p.funds_arrived or 0 for p in projects), '万元')}" in text
    assert "停滞" in text


def test_search_as_you_type_covers_name_investor_leader_and_unit(tab):
    """Typing narrows the ledger to matches in name, investor, leader or unit; the totals follow."""
    page = tab.ledger
    page.search.setText("王建国")
    rows = shown(tab)
    assert rows and all(p.leader == "王建国" for p in rows)
    assert f"显示 {len(rows)} 个项目（共 72 个）" in page.totals.text()
    page.search.setText("招商一局")
    assert shown(tab) and all(p.responsible_unit == "招商一局" for p in shown(tab))
    investor = tab.ctx.desk.projects.list()[5].investor
    page.search.setText(investor[2:6])
    assert any(p.investor == investor for p in shown(tab))
    page.search.setText("食品 王建国")  # every word must match
    assert all("王建国" == p.leader and "食品" in p.name + p.investor for p in shown(tab))
    page.search.setText("不存在的名字")
    assert tab.ledger.model.rowCount() == 0 and "显示 0 个项目" in page.totals.text()
    page.search.clear()
    assert tab.ledger.model.rowCount() == 72


def test_filters_combine(tab):
    """Stage, chain, level, origin, year signed, 亿元以上 and stalled filters each narrow the list."""
    page = tab.ledger
    page.stage_box.setCurrentIndex(page.stage_box.findData("已开工"))
    assert shown(tab) and {p.stage for p in shown(tab)} == {"已开工"}
    page.stage_box.setCurrentIndex(page.stage_box.findData(BUILDING))
    assert {p.stage for p in shown(tab)} == {"已开工", "试生产"}
    page.stage_box.setCurrentIndex(0)
    page.chain_box.setCurrentIndex(page.chain_box.findData("食品加工"))
    assert shown(tab) and {p.chain for p in shown(tab)} == {"食品加工"}
    page.level_box.setCurrentIndex(page.level_box.findData("省重点"))
    page.origin_box.setCurrentIndex(page.origin_box.findData("省外"))
    assert all(p.chain == "食品加工" and p.level == "省重点" and p.origin == "省外" for p in shown(tab))
    page.clear_filters()
    page.year_box.setCurrentIndex(page.year_box.findData(2026))
    assert shown(tab) and all(p.signed_on.startswith("2026") for p in shown(tab))
    page.year_box.setCurrentIndex(page.year_box.findData(NOT_SIGNED))
    assert shown(tab) and all(p.signed_on is None for p in shown(tab))
    page.clear_filters()
    page.over_100m.setChecked(True)
    big = shown(tab)
    assert big and all(p.total_investment >= 10000 for p in big)
    assert len(big) == sum(1 for p in tab.ctx.desk.projects.list() if (p.total_investment or 0) >= 10000)
    page.over_100m.setChecked(False)
    page.stalled_only.setChecked(True)
    limit = tab.stalled_days()
    assert shown(tab) and all(p.is_stalled(limit, DEMO_AS_OF) for p in shown(tab))
    page.clear_filters()
    assert tab.ledger.model.rowCount() == 72


def test_sorting_money_is_numeric_and_text_is_pinyin(tab):
    """Money columns sort by value (empty last); names sort in pinyin order."""
    view = tab.ledger.view
    view.sortByColumn(COLUMN_INDEX["total_investment"], Qt.SortOrder.DescendingOrder)
    values = [p.total_investment for p in shown(tab)]
    present = [v for v in values if v is not None]
    assert present == sorted(present, reverse=True)
    view.sortByColumn(COLUMN_INDEX["funds_arrived"], Qt.SortOrder.AscendingOrder)
    values = [p.funds_arrived for p in shown(tab)]
    first_none = values.index(None)
    assert values[:first_none] == sorted(values[:first_none]) and set(values[first_none:]) == {None}
    view.sortByColumn(COLUMN_INDEX["days"], Qt.SortOrder.DescendingOrder)
    days = [tab.ledger.model.days_row(r) for r in range(tab.ledger.model.rowCount())]
    assert days == sorted(days, reverse=True)
    from PySide6.QtCore import QCollator, QLocale

    collator = QCollator(QLocale(QLocale.Language.Chinese, QLocale.Country.China))
    view.sortByColumn(COLUMN_INDEX["leader"], Qt.SortOrder.AscendingOrder)
    leaders = [p.leader for p in shown(tab)]
    assert all(collator.compare(a, b) <= 0 for a, b in zip(leaders, leaders[1:]))


def test_project_dialog_saves_fields_and_refuses_bad_input_in_chinese(tab):
    """The dialog saves edited fields; bad money or dates give a red message and nothing is written."""
    desk = tab.ctx.desk
    p = desk.projects.find("中科光伏焊带项目") or desk.projects.list()[0]
    dialog = ProjectDialog(tab, p.id)
    dialog.edits["investor"].setText("新的投资方有限公司")
    dialog.edits["funds_arrived"].setText("１２,３４５.５")
    assert dialog.save()
    assert (desk.projects.get(p.id).investor, desk.projects.get(p.id).funds_arrived) == ("新的投资方有限公司", 12345.5)
    dialog.edits["total_investment"].setText("-5")
    assert not dialog.save()
    assert "不能为负数" in dialog.error.text() and dialog.error.isVisibleTo(dialog)
    dialog.edits["total_investment"].setText("很多")
    assert not dialog.save()
    assert "总投资" in dialog.error.text() and "不是有效的数字" in dialog.error.text()
    dialog.edits["total_investment"].setText(f"{p.total_investment:g}")
    dialog.dates["signed_on"].set_date("2099-01-01")
    assert not dialog.save()
    assert "日期顺序" in dialog.error.text()
    assert dialog.pages.currentIndex() == 1  # the page holding the wrong field is shown
    dialog.edits["name"].setText(desk.projects.list()[1].name)
    dialog.dates["signed_on"].set_date(p.signed_on)
    assert not dialog.save()
    assert "同名" in dialog.error.text()
    assert desk.projects.get(p.id).total_investment == p.total_investment
    dialog.close()


def test_new_project_dialog_requires_stage_date_and_opens_its_pages(tab):
    """A new 已签约 project needs its signing date; once saved, its record pages open."""
    desk = tab.ctx.desk
    dialog = ProjectDialog(tab, None)
    assert not dialog._record_pages[0].isEnabled()
    dialog.edits["name"].setText("测试新签约项目")
    dialog.edits["total_investment"].setText("15000")
    dialog.stage_box.setCurrentIndex(dialog.stage_box.findData("已签约"))
    dialog.dates["signed_on"].set_date("")
    assert not dialog.save()
    assert "签约日期" in dialog.error.text()
    dialog.dates["signed_on"].set_date("2026年10月8日")
    assert dialog.save()
    p = desk.projects.find("测试新签约项目")
    assert (p.stage, p.signed_on, p.total_investment) == ("已签约", "2026-10-08", 15000)
    assert desk.projects.stage_history(p.id) == [{"stage": "已签约", "changed_on": "2026-10-08", "note": ""}]
    assert dialog._record_pages[0].isEnabled()
    assert tab.ledger.model.rowCount() == 73
    dialog.close()


def test_stage_change_asks_for_the_date_and_records_it(tab, monkeypatch):
    """变更阶段 moves the project on the chosen date and adds it to the history; 已终止 needs a reason."""
    desk = tab.ctx.desk
    p = desk.projects.list(stage="已签约")[0]
    monkeypatch.setattr(StageChangeDialog, "exec", fake_exec(lambda d: d.date.set_date("2026-11-20")))
    assert tab.change_stage(p.id)
    moved = desk.projects.get(p.id)
    assert (moved.stage, moved.started_on, moved.stage_changed_on) == ("已开工", "2026-11-20", "2026-11-20")
    assert desk.projects.stage_history(p.id)[-1]["changed_on"] == "2026-11-20"

    def terminate_without_reason(d):
        d.stage_box.setCurrentIndex(d.stage_box.findData("已终止"))
        d.date.set_date("2026-11-21")

    monkeypatch.setattr(StageChangeDialog, "exec", fake_exec(terminate_without_reason))
    assert not tab.change_stage(p.id)
    assert tab.last_dialog.error.isVisibleTo(tab.last_dialog) and "终止原因" in tab.last_dialog.error.text()
    assert desk.projects.get(p.id).stage == "已开工"

    def too_early(d):
        d.date.set_date("2020-01-01")

    monkeypatch.setattr(StageChangeDialog, "exec", fake_exec(too_early))
    assert not tab.change_stage(p.id)
    assert "早于" in tab.last_dialog.error.text()


def test_project_dialog_shows_time_in_stage_and_stalled(tab):
    """The 阶段 page says how long the project has been in its stage and flags it when stalled."""
    desk = tab.ctx.desk
    limit = tab.stalled_days()
    stalled = next(p for p in desk.projects.list() if p.is_stalled(limit, DEMO_AS_OF))
    fresh = next(p for p in desk.projects.list() if p.stage != "已终止" and not p.is_stalled(limit, DEMO_AS_OF)
                 and p.days_in_stage(DEMO_AS_OF) is not None)
    d1 = ProjectDialog(tab, stalled.id, page="stage")
    assert "停滞" in d1.stage_time.text() and str(stalled.days_in_stage(DEMO_AS_OF)) in d1.stage_time.text()
    d2 = ProjectDialog(tab, fresh.id)
    assert "停滞" not in d2.stage_time.text() and f"已 {fresh.days_in_stage(DEMO_AS_OF)} 天" in d2.stage_time.text()
    for d in (d1, d2):
        d.close()


def test_stage_change_inside_the_dialog_keeps_other_edits(tab, monkeypatch):
    """Changing the stage from the dialog writes it at once; unsaved basic edits are kept for 保存."""
    desk = tab.ctx.desk
    p = desk.projects.list(stage="在谈")[0]
    dialog = ProjectDialog(tab, p.id)
    dialog.edits["leader"].setText("新领导")
    monkeypatch.setattr(StageChangeDialog, "exec", fake_exec(lambda d: d.date.set_date("2026-11-01")))
    dialog.change_stage()
    assert desk.projects.get(p.id).stage == "已签约"
    assert dialog.dates["signed_on"].text() == "2026-11-01" and dialog.dates["signed_on"].isEnabled()
    assert dialog.edits["leader"].text() == "新领导"
    assert dialog.save()
    assert (desk.projects.get(p.id).leader, desk.projects.get(p.id).signed_on) == ("新领导", "2026-11-01")
    dialog.close()


def test_stage_board_moves_a_card_to_the_next_stage_with_a_date(tab, monkeypatch):
    """On the board, 推进到下一阶段 asks for the date, records it, and the card changes column."""
    board = tab.show_page("board")
    signed = board.columns["已签约"]
    before = signed.model.rowCount()
    assert before == len(tab.ctx.desk.projects.list(stage="已签约"))
    card = signed.model.cards[0][0].project
    assert board.select(card.id) and board.selected_id() == card.id
    monkeypatch.setattr(StageChangeDialog, "exec", fake_exec(lambda d: d.date.set_date("2026-11-18")))
    board.next_button.click()
    moved = tab.ctx.desk.projects.get(card.id)
    assert (moved.stage, moved.started_on) == ("已开工", "2026-11-18")
    assert signed.model.rowCount() == before - 1
    assert any(c[0].project.id == card.id for c in board.columns["已开工"].model.cards)
    assert "（" in board.columns["已开工"].header.text()


def test_dropping_a_card_on_another_column_asks_to_move_it(tab, monkeypatch, qtbot):
    """A card dropped on another stage's column opens the stage dialog preset to that stage."""
    board = tab.show_page("board")
    card = board.columns["线索"].model.cards[0][0].project
    seen = {}

    def prepare(d):
        seen["stage"] = d.stage_box.currentData()
        d.date.set_date("2026-11-19")

    monkeypatch.setattr(StageChangeDialog, "exec", fake_exec(prepare))
    target = board.columns["已签约"].model
    data = board.columns["线索"].model.mimeData([board.columns["线索"].model.index(0)])
    assert isinstance(data, QMimeData)
    with qtbot.waitSignal(target.move_requested, timeout=2000):
        assert target.dropMimeData(data, Qt.DropAction.MoveAction, -1, 0, target.index(-1)) is False
    assert seen["stage"] == "已签约"
    assert tab.ctx.desk.projects.get(card.id).stage == "已签约"


def test_dispatch_sheet_lists_the_month_exports_and_prints(tab, tmp_path):
    """The 月度调度 page shows the month's projects under construction, exports .xlsx and prints to A4 landscape."""
    from openpyxl import load_workbook
    from pypdf import PdfReader

    page = tab.show_page("dispatch")
    assert page.period() == (2026, 10)
    expected = tab.ctx.desk.projects.dispatch_sheet(2026, 10)
    assert page.model.rowCount() == len(expected) > 5
    assert f"在建项目 {len(expected)} 个" in page.summary.text()
    out = tmp_path / "sheet.xlsx"
    page.export_to(out)
    assert tab.ops.wait()
    from PySide6.QtCore import QCoreApplication
    QCoreApplication.processEvents()
    ws = load_workbook(out).active
    assert ws["A1"].value.endswith("2026年10月重点项目调度表")
    assert ws.cell(row=4, column=2).value == expected[0].name
    pdf = tmp_path / "sheet.pdf"
    page.print_pdf(pdf)
    reader = PdfReader(str(pdf))
    first = reader.pages[0]
    assert float(first.mediabox.width) > float(first.mediabox.height)  # landscape
    # NFKC: PDF fonts may map some ideographs to Kangxi radicals (⽉ for 月).
    text = unicodedata.normalize("NFKC", "".join(pg.extract_text() for pg in reader.pages))
    assert "重点项目调度表" in text and expected[0].name[:4] in text
    page.month.setCurrentIndex(2)
    assert page.model.rowCount() == len(tab.ctx.desk.projects.dispatch_sheet(2026, 3))


def test_dispatch_record_filled_from_the_sheet(tab, monkeypatch):
    """Double-clicking a project on the sheet fills its month record, problems included."""
    page = tab.show_page("dispatch")
    page.month.setCurrentIndex(10)  # November: nothing reported yet
    assert page.model.rowCount() > 0 and "未填报" in page.summary.text()
    row = page.model.record(0)[0]
    page.view.selectRow(0)

    def fill(d):
        d.invested_month.setText("1,200.5")
        d.progress.setPlainText("主体封顶")
        d.approvals["approval_construction"].setCurrentText("已办结")
        d.problems.append(Problem(
            project_id=row.project_id, description="施工用电未到位", responsible_unit="供电公司", deadline="2026-12-15"))

    monkeypatch.setattr(DispatchDialog, "exec", fake_exec(fill))
    page.fill_selected()
    desk = tab.ctx.desk
    rec = desk.projects.get_dispatch(row.project_id, 2026, 11)
    prev = desk.projects.previous_to_date(row.project_id, 2026, 11) or 0
    assert (rec.invested_month, rec.progress, rec.approval_construction) == (1200.5, "主体封顶", "已办结")
    assert rec.invested_to_date == pytest.approx(prev + 1200.5)
    assert [q.description for q in desk.projects.dispatch_problems(rec.id)] == ["施工用电未到位"]
    assert page.model.record(page.model.records.index(next(
        r for r in page.model.records if r[0].project_id == row.project_id)))[0].record is not None

    monkeypatch.setattr(DispatchDialog, "exec", fake_exec(lambda d: d.invested_month.setText("-3")))
    page.view.selectRow(0)
    page.fill_selected()
    assert "负数" in tab.last_dialog.error.text()


def test_overdue_nodes_and_open_problems_across_projects(tab, monkeypatch):
    """The 逾期节点与问题 page lists what the core lists; completing a node takes it off."""
    page = tab.show_page("attention")
    desk = tab.ctx.desk
    nodes = desk.projects.overdue_nodes(DEMO_AS_OF)
    assert page.node_model.rowCount() == len(nodes) > 0
    assert page.problem_model.rowCount() == len(desk.projects.open_problems(DEMO_AS_OF)) > 0
    assert page.node_model.record(0)["status"] == "overdue"
    assert page.node_model.index(0, 0).data(Qt.ItemDataRole.BackgroundRole).color().name() == "#f8d7da"
    limit = tab.stalled_days()
    assert page.stalled_model.rowCount() == sum(1 for p in desk.projects.list() if p.is_stalled(limit, DEMO_AS_OF))
    node = page.node_model.record(0)["node"]
    page.node_view.selectRow(0)
    monkeypatch.setattr(DateDialog, "exec", fake_exec(lambda d: d.date.set_date("2026-11-21")))
    page.complete_node()
    assert [n.actual_on for n in desk.projects.project_nodes(node.project_id) if n.id == node.id] == ["2026-11-21"]
    assert page.node_model.rowCount() == len(nodes) - 1
    page.stalled_days.setValue(3000)
    page.save_stalled_days()
    assert desk.settings.get("projects.stalled_days") == 3000
    assert page.stalled_model.rowCount() == 0


def test_nodes_and_problems_in_the_project_dialog(tab, monkeypatch, message_boxes):
    """Nodes are added with dates and coloured red when overdue; problems are added and resolved."""
    desk = tab.ctx.desk
    p = desk.projects.save(Project(name="节点测试项目", stage="已开工", started_on="2026-06-01"))
    dialog = ProjectDialog(tab, p.id, page="nodes")
    monkeypatch.setattr(NodeDialog, "exec", fake_exec(lambda d: (d.name.setCurrentText("主体封顶"),
                                                                 d.planned.set_date("2026-10-01"))))
    dialog.add_node()
    monkeypatch.setattr(NodeDialog, "exec", fake_exec(lambda d: (d.name.setCurrentText("竣工验收"),
                                                                 d.planned.set_date("2026-12-01"))))
    dialog.add_node()
    assert [n.name for n in desk.projects.project_nodes(p.id)] == ["主体封顶", "竣工验收"]
    status = [dialog.node_model.index(r, 3).data() for r in range(2)]
    assert status == ["已逾期", "即将到期"]
    assert dialog.node_model.index(0, 3).data(Qt.ItemDataRole.BackgroundRole).color().name() == "#f8d7da"
    monkeypatch.setattr(ProblemDialog, "exec", fake_exec(lambda d: (d.description.setPlainText("环评未批"),
                                                                    d.unit.setText("生态环境分局"),
                                                                    d.raised.set_date("2026-11-01"))))
    dialog.add_problem()
    assert dialog.pages.tabText(4) == "存在问题（1）"
    dialog.problem_view.selectRow(0)
    monkeypatch.setattr(DateDialog, "exec", fake_exec(lambda d: d.date.set_date("2026-10-01")))
    dialog.resolve_problem()
    assert message_boxes and "早于提出日期" in message_boxes[-1]  # refused, the problem stays open
    assert not desk.projects.project_problems(p.id)[0].resolved
    monkeypatch.setattr(DateDialog, "exec", fake_exec(lambda d: d.date.set_date("2026-11-21")))
    dialog.problem_view.selectRow(0)
    dialog.resolve_problem()
    (q,) = desk.projects.project_problems(p.id)
    assert (q.resolved, q.resolved_on) == (True, "2026-11-21")
    assert dialog.pages.tabText(4) == "存在问题"
    dialog.close()


def test_activities_add_edit_delete_with_linked_projects(tab, monkeypatch):
    """An activity is added with a linked project, edited, then deleted; the totals line follows."""
    from ui.projects.activities_page import ActivityDialog

    page = tab.show_page("activities")
    desk = tab.ctx.desk
    before = page.model.rowCount()
    project = desk.projects.list()[0]

    def fill(d):
        d.date.set_date("2026-10-15")
        d.type_box.setCurrentText("外出招商")
        d.title_edit.setText("赴苏州开展装备制造产业链招商")
        d.place.setText("苏州")
        d.days.setValue(3)
        d.companies_visited.setValue(7)
        d.leads.setValue(2)
        assert d.link_project(project.name)

    totals_before = desk.projects.activity_totals("2026-01-01", "2026-10-31")
    monkeypatch.setattr(ActivityDialog, "exec", fake_exec(fill))
    page.add()
    assert page.model.rowCount() == before + 1
    new = next(a for a in desk.projects.activity_list() if a.title == "赴苏州开展装备制造产业链招商")
    assert new.project_names == [project.name]
    totals = desk.projects.activity_totals("2026-01-01", "2026-10-31")
    assert totals["outbound_trips"] == totals_before["outbound_trips"] + 1
    assert f"外出招商{totals['outbound_trips']}次" in page.totals.text()
    row = next(r for r in range(page.model.rowCount()) if page.model.record(r).id == new.id)
    page.view.selectRow(row)
    monkeypatch.setattr(ActivityDialog, "exec", fake_exec(lambda d: d.companies_visited.setValue(9)))
    page.edit_selected()
    assert desk.projects.get_activity(new.id).companies_visited == 9
    monkeypatch.setattr(ActivityDialog, "exec", fake_exec(lambda d: d.date.set_date("不是日期")))
    page.view.selectRow(row)
    page.edit_selected()
    assert "日期" in tab.last_dialog.error.text()
    assert desk.projects.get_activity(new.id).held_on == "2026-10-15"
    page.view.selectRow(row)
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    page.delete_selected()
    assert page.model.rowCount() == before
    page.search.setText("苏州")
    assert all("苏州" in a.title + a.place for a in page.model.records)


def test_delete_project_and_column_chooser(tab, monkeypatch):
    """Deleting asks first; hidden columns are remembered across restarts."""
    page = tab.ledger
    page.view.selectRow(0)
    pid = page.selected_id()
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.No)
    assert not tab.delete_project(pid)
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    assert tab.delete_project(pid)
    assert page.model.rowCount() == 71
    col = COLUMN_INDEX["contact"]
    assert page.view.isColumnHidden(col)
    page.columns_menu.actions()[col].setChecked(True)
    assert not page.view.isColumnHidden(col)
    assert "contact" not in QSettings().value("projects/hidden_columns")


def test_ten_thousand_projects_filter_and_sort(qtbot, desk):
    """A ledger of 10,000 projects loads, filters as you type and sorts correctly (timing is benchmarked elsewhere)."""
    from ui.main_window import MainWindow

    rows = []
    for i in range(10_000):
        stage = ("线索", "在谈", "已签约", "已开工", "已投产")[i % 5]
        rows.append((f"项目{i:05d}号{'食品' if i % 3 else '电子'}", f"投资方{i % 97}", stage, f"领导{i % 13}",
                     f"单位{i % 7}", float(i * 10) if i % 11 else None, "2026-01-01", "2026-01-01"))
    with desk.atomic(audit=False):
        desk.db.conn.executemany(
            "INSERT INTO projects (name, investor, stage, leader, responsible_unit, total_investment, stage_changed_on,"
            " lead_on) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", rows)
    window = MainWindow(desk)
    qtbot.addWidget(window)
    window.show()
    tab = window.select_tab("projects")
    qtbot.waitUntil(tab.is_loaded)  # read on the worker thread
    page = tab.ledger
    assert page.model.rowCount() == 10_000
    page.search.setText("领导7")
    assert page.model.rowCount() == sum(1 for r in rows if "领导7" in r[3])
    page.search.setText("项目")
    qtbot.keyClicks(page.search, "0012")  # typed key by key, filtering at each one
    assert page.search.text() == "项目0012"
    assert page.model.rowCount() == 10
    page.search.setText("电子")
    page.stage_box.setCurrentIndex(page.stage_box.findData("已签约"))
    assert page.model.rowCount() == sum(1 for i, r in enumerate(rows) if i % 3 == 0 and i % 5 == 2)
    page.clear_filters()
    page.view.sortByColumn(COLUMN_INDEX["total_investment"], Qt.SortOrder.DescendingOrder)
    first = page.model.row_at(0).project
    assert first.total_investment == max(r[5] for r in rows if r[5] is not None)
    assert "共 10000 个项目" in page.totals.text()
    window.shutdown()


def test_ledger_driven_with_mouse_and_keyboard(tab, qtbot, monkeypatch):
    """A header click sorts; a double-click on a row opens that project's dialog; typing filters."""
    page = tab.ledger
    opened = []
    monkeypatch.setattr(ProjectDialog, "exec", lambda d: opened.append(d.project.id) or 0)
    header = page.view.horizontalHeader()
    col = COLUMN_INDEX["total_investment"]
    x = header.sectionViewportPosition(col) + header.sectionSize(col) // 2
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, 5))
    first = [p.total_investment for p in shown(tab)]
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, 5))
    second = [p.total_investment for p in shown(tab)]
    assert {tuple(first), tuple(second)} == {
        tuple(sorted([v for v in first if v is not None]) + [v for v in first if v is None]),
        tuple(sorted([v for v in first if v is not None], reverse=True) + [v for v in first if v is None])}
    rect = page.view.visualRect(page.model.index(2, 0))
    qtbot.mouseClick(page.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(page.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert opened and opened[-1] == page.model.row_at(2).project.id
    page.search.setFocus()
    qtbot.keyClicks(page.search, "2026")  # ASCII typed key by key: no project name holds it
    assert page.model.rowCount() == 0
    qtbot.keyClick(page.search, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(page.search, Qt.Key.Key_Delete)
    assert page.model.rowCount() == 72


def test_hidden_tab_catches_up_with_changes(main_window):
    """A change made while another main tab is shown appears in the ledger's model and totals."""
    tab = main_window.select_tab("projects")
    main_window.select_tab("plans")
    main_window.ops.write(lambda desk: desk.projects.save(Project(name="隐藏时新增的项目", total_investment=100)))
    assert tab.model.rowCount() == 73
    assert "共 73 个项目" in tab.totals.text()


def test_filter_value_that_disappears_is_reset(tab):
    """When the only project of a filtered signing year moves to another year, the filter resets to all."""
    desk = tab.ctx.desk
    _ok, p = tab.ops.write(lambda d: d.projects.save(Project(name="唯一的2019年签约", stage="已签约",
                                                              signed_on="2019-05-01")))
    page = tab.ledger
    page.year_box.setCurrentIndex(page.year_box.findData(2019))
    assert [x.name for x in shown(tab)] == ["唯一的2019年签约"]
    p.signed_on = "2020-05-01"
    tab.ops.write(lambda d: d.projects.save(p))
    assert page.year_box.findData(2019) == -1 and page.year_box.currentData() is None
    assert page.model.rowCount() == len(desk.projects.list())
