"""The main window: tabs with real data, shared period, database switching, geometry."""

from __future__ import annotations

from PySide6.QtCore import QSettings, Qt

from parkdesk.desk import Desk
from ui.main_window import TAB_KEYS, MainWindow


def test_every_tab_shows_the_demo_data(main_window, qtbot):
    """Visiting each tab builds it and its table holds the demo's rows."""
    w = main_window
    assert w.ctx.year == 2026 and w.ctx.month == 10
    for key in TAB_KEYS:
        tab = w.select_tab(key)
        qtbot.waitUntil(getattr(tab, "is_loaded", lambda: True))  # data read on the worker thread
        assert tab.isVisible()
    ind = w.tab("indicators")
    assert ind.model.rowCount() >= 30
    row = ind.model.row_of(ind.ctx.desk.indicators.by_name("技工贸总收入").id)
    jan = ind.model.index(row, 0).data(Qt.ItemDataRole.EditRole)
    oct_ = ind.model.index(row, 9).data(Qt.ItemDataRole.EditRole)
    assert float(jan) < float(oct_)
    assert ind.model.index(row, 11).data() == ""  # December not yet reported
    projects = w.tab("projects")
    assert projects.model.rowCount() >= 60
    assert "共 72 个项目" in projects.totals.text() or "个项目" in projects.totals.text()
    plans = w.tab("plans")
    assert plans.model.item_count() > 5


def test_tabs_are_built_only_when_first_shown(qtbot, demo_desk):
    """Start-up builds the visible tab only; the others wait for their first visit."""
    w = MainWindow(demo_desk)
    qtbot.addWidget(w)
    built = [k for k, page in w.pages.items() if page.widget is not None]
    assert built == ["indicators"]
    w.select_tab("plans")
    assert w.pages["plans"].widget is not None and w.pages["projects"].widget is None
    w.shutdown()


def test_period_selector_is_shared_by_tabs(main_window, qtbot):
    """Changing the year in the toolbar changes what the indicator and plan tabs show."""
    w = main_window
    plans = w.select_tab("plans")
    qtbot.waitUntil(plans.is_loaded)  # first visit: read on the worker thread
    before = plans.model.item_count()
    w.year_box.setValue(2027)
    assert w.ctx.year == 2027
    assert "2027" in plans.caption.text()
    assert plans.model.item_count() > 0 and plans.model.item_count() == before  # next year's plan is as long
    ind = w.tab("indicators")
    assert all(v.year == 2027 for v in ind.model.values.values())
    w.month_box.setCurrentIndex(5)
    assert w.ctx.month == 6
    assert "1—6月" in w.period_label.text()


def test_status_bar_names_database(main_window):
    """The status bar shows the database path and the park's period."""
    assert str(main_window.ctx.desk.path) in main_window.db_label.text()
    assert "2026年1—10月" in main_window.period_label.text()


def test_switching_database_refreshes_tabs(main_window, tmp_path):
    """File ▸ 新建 opens an empty database and every tab follows."""
    w = main_window
    w.select_tab("projects")
    assert w._switch_to(tmp_path / "empty.db")
    assert w.tab("projects").model.rowCount() == 0
    assert str(tmp_path / "empty.db") in w.db_label.text()
    assert QSettings().value("database/last") == str((tmp_path / "empty.db").resolve())


def test_opening_a_foreign_file_keeps_current_database(main_window, tmp_path, monkeypatch):
    """A bad file is refused with a message and the current database stays open."""
    from PySide6.QtWidgets import QMessageBox

    messages = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: messages.append(a[2]))
    bad = tmp_path / "bad.db"
    bad.write_bytes(b"garbage" * 100)
    current = main_window.ctx.desk
    assert not main_window._switch_to(bad, create=False)
    assert main_window.ctx.desk is current and current.db is not None
    assert messages and "不是" in messages[0]


def test_geometry_is_remembered(qtbot, demo_path):
    """Window size and the current tab survive a restart (QSettings)."""
    w = MainWindow(Desk.open(demo_path))
    qtbot.addWidget(w)
    w.resize(781, 643)  # the offscreen screen is 800×800
    w.select_tab("plans")
    w.close()
    w.shutdown()
    w2 = MainWindow(Desk.open(demo_path))
    qtbot.addWidget(w2)
    assert (w2.width(), w2.height()) == (781, 643)
    assert w2.tabs.currentIndex() == TAB_KEYS.index("plans")
    w2.shutdown()


def test_profile_dialog_updates_park(main_window, qtbot, monkeypatch):
    """File ▸ 园区信息 saves the park's name and leading industries."""
    from ui.profile_dialog import ProfileDialog

    def fake_exec(dialog):
        dialog.edits["name"].setText("新名称开发区")
        dialog.edits["leading_industries"].setText("食品加工、新材料")
        return 1

    monkeypatch.setattr(ProfileDialog, "exec", fake_exec)
    main_window.edit_profile()
    profile = main_window.ctx.desk.park.profile()
    assert profile.name == "新名称开发区"
    assert profile.leading_industries == ["食品加工", "新材料"]
    assert "新名称开发区" in main_window.windowTitle()


def _count_paints(window):
    from PySide6.QtCore import QEvent, QObject

    class Counter(QObject):
        def __init__(self):
            super().__init__()
            self.paints = 0

        def eventFilter(self, obj, event):  # noqa: N802 - Qt API
            if event.type() == QEvent.Type.Paint and obj is window.tabs and event.rect() == obj.rect():
                self.paints += 1  # the whole tab area
            return False

    counter = Counter()
    window.tabs.installEventFilter(counter)
    return counter


def test_window_is_laid_out_before_its_first_paint(qtbot, demo_desk):
    """show_settled delivers the layout cascade of showing before the first paint: the
    whole tab area is painted once, not laid out again and repainted when the item
    views gain their scroll bars."""
    from PySide6.QtCore import QCoreApplication

    from ui.app import show_settled
    from ui.main_window import MainWindow

    counts = {}
    for how in ("plain", "settled"):
        window = MainWindow(demo_desk.reader() if how == "plain" else demo_desk, tab="indicators")
        qtbot.addWidget(window)
        window.resize(1360, 860)
        counter = _count_paints(window)
        if how == "plain":
            window.show()
        else:
            show_settled(window)
        qtbot.waitExposed(window)
        for _ in range(10):
            QCoreApplication.processEvents()
            qtbot.wait(10)
        counts[how] = counter.paints
        window.shutdown()
        window.close()
    assert counts["settled"] == 1
    assert counts["plain"] > 1  # what it saves (if Qt ever settles by itself, this test says so)


def test_work_of_a_background_job_is_backed_up_at_close(main_window, qtbot):
    """An import (or any long job) writes on the worker thread through a connection of its
    own: closing the window still sees the change and backs it up."""
    from parkdesk.backups import list_backups

    desk = main_window.ctx.desk
    before = [b.reason for b in list_backups(desk.path)].count("close")
    finished = []
    main_window.ops.run("正在保存……", lambda d, progress: d.park.update(name="后台任务改名"),
                        on_done=finished.append, quiet=True)
    qtbot.waitUntil(lambda: bool(finished))
    assert desk.park.profile().name == "后台任务改名"
    assert not desk.wrote_nothing()
    main_window.shutdown()
    assert [b.reason for b in list_backups(desk.path)].count("close") == before + 1


def test_the_year_box_takes_every_year_the_command_line_takes(qtbot, demo_desk):
    """--year 1950 is a year the window can show: its year box holds it (it stopped at 1990)."""
    from parkdesk.window_args import YEARS
    from ui.main_window import MainWindow

    window = MainWindow(demo_desk, year=1950, month=12)
    qtbot.addWidget(window)
    assert (window.year_box.minimum(), window.year_box.maximum()) == YEARS
    assert window.year_box.value() == 1950 == window.ctx.year
    window.shutdown()
