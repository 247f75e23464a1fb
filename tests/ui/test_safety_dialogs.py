"""备份与恢复 and 变更记录 dialogs, and the automatic backups of the main window."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QMessageBox, QProgressDialog

from parkdesk.backups import list_backups
from parkdesk.desk import Desk
from ui.safety.audit_dialog import AuditDialog
from ui.safety.backup_dialog import BackupDialog


def _menu_texts(window) -> list[str]:
    file_menu = window.menuBar().actions()[0].menu()
    return [a.text() for a in file_menu.actions()]


def test_file_menu_has_backup_and_change_log(main_window):
    """文件 holds 备份与恢复 and 变更记录."""
    texts = _menu_texts(main_window)
    assert "备份与恢复(&B)…" in texts and "变更记录(&L)…" in texts


def test_backup_now_and_list(main_window, qtbot):
    """立即备份 makes a verified backup that appears in the list with date, reason and size."""
    main_window.ops.wait()
    dialog = BackupDialog(main_window)
    qtbot.addWidget(dialog)
    before = dialog.model.rowCount()
    dialog.backup_button.click()
    main_window.ops.wait()
    qtbot.waitUntil(lambda: dialog.model.rowCount() == before + 1)
    first = [dialog.model.index(0, c).data() for c in range(4)]
    assert first[1] == "手动备份" and first[2].endswith("KB") and first[3].endswith("-manual.db")
    assert "备份保存在" in dialog.info.text()


def test_restore_selected_backup_from_the_dialog(main_window, qtbot, monkeypatch):
    """Restoring asks first, saves the current state, brings the data back and every tab reloads."""
    desk = main_window.ctx.desk
    main_window.ops.wait()
    original = desk.park.profile().name
    good = desk.backups.create()
    desk.park.update(name="误改的园区名称")
    dialog = BackupDialog(main_window)
    qtbot.addWidget(dialog)
    row = [b.path for b in dialog.model.records].index(good)
    dialog.table.selectRow(row)
    reloads = []
    main_window.ctx.desk_changed.connect(lambda: reloads.append(1))
    monkeypatch.setattr(QMessageBox, "question", staticmethod(lambda *a, **k: QMessageBox.StandardButton.No))
    dialog.restore_button.click()
    assert desk.park.profile().name == "误改的园区名称"  # declined: nothing happened
    infos = []
    monkeypatch.setattr(QMessageBox, "question", staticmethod(lambda *a, **k: QMessageBox.StandardButton.Yes))
    monkeypatch.setattr(QMessageBox, "information", staticmethod(lambda p, t, text, *a: infos.append(text)))
    dialog.restore_button.click()
    assert desk.park.profile().name == original
    assert reloads and "恢复前的数据已另存为" in infos[0]
    assert original in main_window.windowTitle()
    saved = [b for b in list_backups(desk.path) if b.reason == "before-restore"]
    with Desk.open(saved[0].path, readonly=True) as copy:
        assert copy.park.profile().name == "误改的园区名称"


def test_restore_is_disabled_on_a_read_only_database(qtbot, demo_path):
    """A read-only window lists backups but cannot restore."""
    from ui.main_window import MainWindow

    Desk.open(demo_path).close()
    desk = Desk.open(demo_path, readonly=True)
    window = MainWindow(desk)
    qtbot.addWidget(window)
    dialog = BackupDialog(window)
    qtbot.addWidget(dialog)
    assert not dialog.restore_button.isEnabled() and not dialog.file_button.isEnabled()
    assert "只读" in dialog.info.text()
    window.shutdown()


def test_change_log_dialog_filters_and_exports(main_window, qtbot, monkeypatch, tmp_path):
    """The 变更记录 view lists changes with labels, filters by table and text, exports to .xlsx."""
    desk = main_window.ctx.desk
    tax = desk.indicators.by_name("税收收入")
    main_window.ops.write(lambda d: d.indicators.set_month(tax.id, 2026, 10, value=88888.0))
    main_window.ops.write(lambda d: d.park.update(author="审计测试"))
    main_window.ops.write(lambda d: d.park.update(superiors="长" * 300))
    dialog = AuditDialog(main_window)
    qtbot.addWidget(dialog)
    assert dialog.model.total >= 2
    cells = [dialog.model.index(r, c).data() for r in range(dialog.model.rowCount()) for c in range(8)]
    assert "税收收入 2026年10月" in cells and "指标数值" in cells and "88888" in cells
    long = next(dialog.model.index(r, 7) for r in range(dialog.model.rowCount())
                if dialog.model.index(r, 7).data().startswith("长"))
    assert long.data() == "长" * 120 + "…"  # cut in the cell, whole in the tooltip
    assert long.data(Qt.ItemDataRole.ToolTipRole) == "长" * 300
    dialog.table_box.setCurrentIndex(dialog.table_box.findData("park_profile"))
    assert dialog.model.total == 2
    assert "审计测试" in [dialog.model.index(r, 7).data() for r in range(2)]
    dialog.table_box.setCurrentIndex(0)
    dialog.text_edit.setText("税收")
    qtbot.waitUntil(lambda: dialog.model.total == 1, timeout=3000)
    assert "共 1 条" in dialog.count_label.text()
    out = tmp_path / "变更记录.xlsx"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(out), "")))
    dialog.export_button.click()
    main_window.ops.wait()
    qtbot.waitUntil(out.exists, timeout=5000)
    from openpyxl import load_workbook

    ws = load_workbook(out)["变更记录"]
    assert ws.max_row == 2 and ws.cell(row=2, column=4).value == "税收收入 2026年10月"


def test_change_log_pages_through_many_lines(main_window, qtbot):
    """Thousands of lines are fetched page by page as the view needs them."""
    desk = main_window.ctx.desk
    tax = desk.indicators.by_name("税收收入")
    with desk.atomic():
        for i in range(1200):
            desk.indicators.set_month(tax.id, 2026, 1 + i % 10, value=float(i))
    dialog = AuditDialog(main_window)
    qtbot.addWidget(dialog)
    assert dialog.model.total >= 1200 and dialog.model.rowCount() == 500
    while dialog.model.canFetchMore():
        dialog.model.fetchMore()
    assert dialog.model.rowCount() == dialog.model.total


def test_automatic_backup_after_opening_runs_quietly(main_window, qtbot, monkeypatch):
    """The backup after opening runs on the worker without a progress dialog; the timer
    follows the setting; nothing is backed up twice when nothing changed."""
    created = []
    monkeypatch.setattr(QProgressDialog, "__init__", lambda *a, **k: created.append(1) or None)
    auto = main_window.auto_backup
    desk = main_window.ctx.desk
    auto.run("open")
    main_window.ops.wait()
    qtbot.waitUntil(lambda: len(list_backups(desk.path)) == 1)
    assert created == []
    assert auto.timer.isActive() and auto.timer.interval() == 30 * 60_000
    auto.run("timer")
    main_window.ops.wait()
    qtbot.wait(50)
    assert len(list_backups(desk.path)) == 1
    desk.settings.set("backups.timer_minutes", 0)
    auto.restart()
    assert not auto.timer.isActive()


def test_closing_the_window_backs_up_changes(qtbot, demo_path):
    """Shutting down backs up when data changed since the newest backup."""
    from ui.main_window import MainWindow

    window = MainWindow(Desk.open(demo_path))
    qtbot.addWidget(window)
    window.auto_backup.stop()
    window.ops.write(lambda d: d.park.update(author="关闭前修改"))
    window.shutdown()
    backups = list_backups(demo_path)
    assert [b.reason for b in backups] == ["close"]
    with Desk.open(backups[0].path, readonly=True) as copy:
        assert copy.park.profile().author == "关闭前修改"


def test_failed_automatic_backup_warns_once(main_window, qtbot, monkeypatch):
    """A failing automatic backup is said in the status bar and once in a message."""
    from parkdesk import backups as bk

    def full(*a, **k):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(bk.os, "replace", full)
    warnings = []
    monkeypatch.setattr(QMessageBox, "warning", staticmethod(lambda p, t, text, *a: warnings.append(text)))
    main_window.ctx.desk.park.update(author="触发备份")
    for _ in range(2):
        main_window.auto_backup.run("timer")
        main_window.ops.wait()
        qtbot.wait(50)
    assert len(warnings) == 1 and "磁盘空间不足" in warnings[0]
    assert "自动备份失败" in main_window.statusBar().currentMessage()


def test_no_automatic_backups_for_read_only_windows(qtbot, demo_path):
    """A read-only window takes no automatic backups (the writer's machine does)."""
    from ui.main_window import MainWindow

    window = MainWindow(Desk.open(demo_path, readonly=True))
    qtbot.addWidget(window)
    window.auto_backup.run("open")
    window.ops.wait()
    assert not window.auto_backup.timer.isActive()
    window.shutdown()
    assert list_backups(demo_path) == []
