"""Tabs read their data on a worker thread: the page shows "正在载入……" at once, then the
data; a reading overtaken by a change is dropped; edits made meanwhile survive; the
``--screenshot`` grab waits for the data.

A gate (``threading.Event``) holds the worker's reading so the loading state can be seen
and changes can be made while it is in flight; nothing here depends on timing.
"""

from __future__ import annotations

import threading

import pytest
from PySide6.QtWidgets import QMessageBox

from parkdesk.projects import Project
from ui.projects.ledger_model import LedgerModel


class Gate:
    """Holds readings on the worker thread until opened (the UI thread never waits)."""

    def __init__(self):
        self.event = threading.Event()
        self.entered = 0

    def wait_here(self) -> None:
        if threading.current_thread() is not threading.main_thread():
            self.entered += 1
            assert self.event.wait(30), "gate never opened"

    def open(self) -> None:
        self.event.set()


@pytest.fixture
def gate():
    g = Gate()
    yield g
    g.open()  # never leave a worker waiting


@pytest.fixture
def window(main_window):
    return main_window


@pytest.fixture
def gated_ledger(monkeypatch, gate):
    """Ledger readings wait at the gate; returns the row counts the page was given."""
    applied: list[int] = []
    prepare = LedgerModel.prepare

    def held(rows, today, stalled_days):
        gate.wait_here()
        return prepare(rows, today, stalled_days)

    monkeypatch.setattr(LedgerModel, "prepare", staticmethod(held))
    from ui.projects.ledger_page import LedgerPage

    load = LedgerPage.load_prepared
    monkeypatch.setattr(LedgerPage, "load_prepared", lambda self, p: (applied.append(len(p.rows)), load(self, p))[1])
    return applied


def test_projects_tab_shows_loading_then_the_ledger(window, qtbot, gate, gated_ledger):
    """The page is there at once with "正在载入项目台账……" over an empty table; then the 72 rows."""
    tab = window.select_tab("projects")
    qtbot.waitUntil(lambda: gate.entered == 1)
    assert tab.isVisible() and not tab.is_loaded()
    page = tab.ledger
    assert page.overlay.isVisible() and "正在载入" in page.overlay.text()
    assert page.model.rowCount() == 0 and "正在载入" in page.totals.text()
    gate.open()
    qtbot.waitUntil(tab.is_loaded)
    assert not page.overlay.isVisible()
    assert page.model.rowCount() == 72 and "共 72 个项目" in page.totals.text()
    assert gated_ledger == [72]


def test_change_during_loading_survives_and_stale_reading_is_dropped(window, qtbot, gate, gated_ledger):
    """A project saved while the ledger is being read is shown; the older reading (72 rows),
    which finishes later, is never put on screen."""
    tab = window.select_tab("projects")
    qtbot.waitUntil(lambda: gate.entered == 1)
    ok, _ = window.ops.write(lambda desk: desk.projects.save(Project(name="载入期间新增的项目", total_investment=5)))
    assert ok and not tab.is_loaded()
    gate.open()
    qtbot.waitUntil(tab.is_loaded)
    window.ops.wait()
    qtbot.wait(20)  # let any late signal arrive: it must change nothing
    assert gated_ledger == [73]
    assert tab.ledger.model.rowCount() == 73
    assert any(tab.ledger.model.row_at(r).project.name == "载入期间新增的项目" for r in range(73))


def test_failed_reading_is_told_in_the_page(window, qtbot, monkeypatch):
    """A reading that fails leaves a Chinese line in the page, no traceback dialog."""
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "critical", lambda *a, **k: shown.append(a[2]))

    def broken(rows, today, stalled_days):
        raise ValueError("boom")

    monkeypatch.setattr(LedgerModel, "prepare", staticmethod(broken))
    tab = window.select_tab("projects")
    qtbot.waitUntil(lambda: tab.loader.failure is not None)
    assert "未能载入" in tab.ledger.overlay.text() and tab.ledger.overlay.isVisible()
    assert not shown


def test_plans_period_changed_during_loading(window, qtbot, gate, monkeypatch):
    """The year changes while the plan is read: only the new year's plan is shown."""
    import ui.plans.tab as plans_module

    view = plans_module.plan_view
    asked: list[int] = []

    def held(desk, year, **kw):
        asked.append(year)
        gate.wait_here()
        return view(desk, year, **kw)

    monkeypatch.setattr(plans_module, "plan_view", held)
    shown: list[int] = []
    show = plans_module.PlansTab._show
    monkeypatch.setattr(plans_module.PlansTab, "_show",
                        lambda self, v, year, *a: (shown.append(year), show(self, v, year, *a))[1])
    tab = window.select_tab("plans")
    qtbot.waitUntil(lambda: gate.entered == 1)
    assert tab.overlay.isVisible() and not tab.empty_panel.isVisible()  # not "no plan yet" while loading
    window.year_box.setValue(2027)
    assert tab.caption.text() == "2027年工作计划" and not tab.is_loaded()
    gate.open()
    qtbot.waitUntil(tab.is_loaded)
    window.ops.wait()
    qtbot.wait(20)
    assert asked == [2026, 2027] and shown == [2027]
    assert tab.model.item_count() > 0 and not tab.overlay.isVisible()


def test_report_text_typed_during_loading_is_kept(window, qtbot, gate, monkeypatch):
    """The report is drafted again when its tab comes back after a change; text typed into the
    paragraph on screen meanwhile is saved, and the new draft shows it."""
    import parkdesk.report.draft as draft_module

    build = draft_module.build_state

    def held(*a, **kw):
        gate.wait_here()
        return build(*a, **kw)

    report = window.select_tab("report")
    qtbot.waitUntil(report.is_loaded)
    report.select("indicators.overview")
    monkeypatch.setattr(draft_module, "build_state", held)
    window.select_tab("plans")
    window.ops.write(lambda desk: desk.park.update(short_name="示范区"))  # the report is now stale
    window.select_tab("report")
    qtbot.waitUntil(lambda: gate.entered == 1)
    assert report.overlay.isVisible() and not report.is_loaded()
    mine = "这是载入期间输入的文字。"
    report.editor.text_edit.setPlainText(mine)
    gate.open()
    qtbot.waitUntil(report.is_loaded)
    assert report.state.find("indicators.overview").block.text == mine
    stored = window.ctx.desk.reports.blocks(2026, 10)
    assert stored["indicators.overview"].text == mine
    assert not report.overlay.isVisible()


def test_screenshot_waits_for_the_data(window, qtbot, gate, gated_ledger, tmp_path, monkeypatch):
    """``--screenshot`` grabs the window only once the tab shows its data, never "正在载入……"."""
    from ui import app as app_module

    tab = window.tab("projects")
    grabbed: list[tuple[bool, int]] = []
    grab = window.grab

    def recording_grab(*a):
        grabbed.append((tab.is_loaded(), tab.ledger.model.rowCount()))
        return grab(*a)

    monkeypatch.setattr(window, "grab", recording_grab)
    timer = threading.Timer(0.3, gate.open)  # the reading is slow: it ends while the grab waits
    timer.start()
    try:
        out = tmp_path / "projects.png"
        assert app_module._take_screenshot(qtbot, window, out, "projects") == 0
    finally:
        timer.cancel()
    assert grabbed == [(True, 72)] and out.exists()


def test_projects_pages_other_than_the_ledger_are_built_when_first_shown(window, qtbot):
    """The first visit builds the ledger page only; the stage board is built when it is opened."""
    tab = window.select_tab("projects")
    qtbot.waitUntil(tab.is_loaded)
    assert set(tab._built) == {"ledger"}
    board = tab.show_page("board")
    assert set(tab._built) == {"ledger", "board"} and board.isVisible()
    assert tab.is_loaded()


def test_failed_readings_leave_no_loading_words_and_do_not_hold_up_a_screenshot(window, qtbot, monkeypatch):
    """工作计划 and 报告 whose reading fails say so in Chinese only (no exception class), drop
    their 正在载入 lines, and wait_until_loaded (the screenshot's wait) returns at once."""
    import time

    import parkdesk.report.draft as draft_module
    import ui.plans.tab as plans_tab
    from ui.loading import wait_until_loaded

    def broken(*args, **kwargs):
        raise ValueError("boom")

    monkeypatch.setattr(draft_module, "build_state", broken)
    monkeypatch.setattr(plans_tab, "plan_view", broken)
    for key in ("plans", "report"):
        tab = window.select_tab(key)
        started = time.monotonic()
        assert wait_until_loaded(tab, timeout_ms=20000)
        assert time.monotonic() - started < 10
        assert tab.loader.failure == "读取数据时出错，详细信息已记入日志"
        assert "ValueError" not in tab.overlay.text() and tab.overlay.isVisible()
    assert "正在载入" not in window.tab("plans").status_label.text()
    assert "正在" not in window.tab("report").banner.text()
