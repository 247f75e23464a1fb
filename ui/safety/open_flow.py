"""Opening a database in the GUI with everything that can stand in the way:

- locked by another ParkDesk → offer read-only (and, for a lock from another
  computer, breaking it after a clear confirmation);
- damaged → offer the newest backup that passes the full check, another
  backup file, or another database;
- on a network share → a warning.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox, QWidget

from parkdesk import locking
from parkdesk.backups import latest_sound_backup, restore_database, size_text
from parkdesk.desk import Desk
from parkdesk.errors import DamagedDatabase, DatabaseLocked, ParkDeskError

TITLE = "园区工作台"
BACKUP_FILTER = "园区工作台备份 (*.db);;所有文件 (*)"


def ask_choice(parent: QWidget | None, icon, title: str, text: str, options: list[tuple[str, str]],
               informative: str = "") -> str | None:
    """A message box with one button per (key, label); the chosen key, None when closed.

    The last option is the "cancel" one (Esc).
    """
    box = QMessageBox(icon, title, text, parent=parent)
    if informative:
        box.setInformativeText(informative)
    buttons = {}
    for index, (key, label) in enumerate(options):
        role = QMessageBox.ButtonRole.RejectRole if index == len(options) - 1 else QMessageBox.ButtonRole.AcceptRole
        buttons[box.addButton(label, role)] = key
    box.setDefaultButton(next(iter(buttons)))
    box.exec()
    return buttons.get(box.clickedButton())


def open_database(parent: QWidget | None, path: Path, *, create: bool = True, interactive: bool = True,
                  precheck=None) -> Desk | None:
    """Open ``path`` for the GUI; None when the clerk gives up.

    Non-interactive (``--screenshot``): a locked database is opened read-only,
    other problems raise. ``precheck``: a quick check of ``path`` started earlier
    (used by the first attempt only; see ``Desk.open``).
    """
    path = Path(path)
    while True:
        try:
            desk = Desk.open(path, create=create, precheck=precheck)
        except DatabaseLocked as exc:
            if not interactive:
                desk = Desk.open(path, readonly=True, precheck=precheck)
            else:
                desk = _locked(parent, path, exc)
                if desk == "retry":
                    continue
        except DamagedDatabase as exc:
            precheck = None  # whatever happens next, its verdict is spent
            if not interactive:
                raise
            outcome = _damaged(parent, path, exc)
            if outcome is None:
                return None
            if isinstance(outcome, Path):  # another database chosen
                path, create = outcome, False
            continue
        if desk is None:
            return None
        if interactive:
            warn_about_location(parent, desk)
        return desk


def announce(window, desk: Desk) -> None:
    """Status-bar notes about how the database was opened (read-only, a crash's lock taken over)."""
    notes = []
    if desk.readonly:
        notes.append("数据库以只读方式打开，不能修改")
    handle = desk.lock_handle
    if handle is not None and handle.took_over is not None:
        notes.append(f"上次（{handle.took_over.since_text()}）园区工作台未正常关闭，已自动解除遗留的锁定")
    if desk.location_warning:
        notes.append("数据库位于网络共享文件夹，建议放到本机硬盘")
    if notes:
        # Once the window is shown: a status message only hides the status widgets already visible.
        timer = QTimer(window)
        timer.setSingleShot(True)
        timer.timeout.connect(lambda: (window.statusBar().showMessage("；".join(notes), 20000), timer.deleteLater()))
        timer.start(0)


def warn_about_location(parent, desk: Desk) -> None:
    """Show the network-share warning of a freshly opened desk (once)."""
    if desk.location_warning:
        QMessageBox.warning(parent, TITLE, desk.location_warning)


def _locked(parent, path: Path, exc: DatabaseLocked):
    options = [("readonly", "以只读方式打开")]
    if exc.other_machine:
        options.append(("break", "解除锁定…"))
    options.append(("cancel", "取消"))
    choice = ask_choice(parent, QMessageBox.Icon.Warning, f"{TITLE} — 数据库正在使用", exc.message, options)
    if choice == "readonly":
        return Desk.open(path, readonly=True)
    if choice == "break":
        holder = exc.holder.describe() if exc.holder else "另一台电脑"
        sure = ask_choice(
            parent, QMessageBox.Icon.Critical, f"{TITLE} — 解除锁定",
            f"只有在确认 {holder} 已经关闭园区工作台（或那台电脑已关机）时才能解除锁定。\n\n"
            "如果对方仍在使用，两处同时修改会造成数据混乱甚至损坏数据库。",
            [("break", "我已确认，解除锁定"), ("cancel", "取消")],
        )
        if sure == "break":
            try:
                locking.break_lock(path, exc.holder)
            except ParkDeskError as again:
                QMessageBox.warning(parent, TITLE, again.message)
                return None
            return "retry"
    return None


def _damaged(parent, path: Path, exc: DamagedDatabase):
    """Lead the clerk to a sound backup. Returns "retry" after a restore, a Path to
    open instead, or None to give up."""
    QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    try:
        sound = latest_sound_backup(path)
    finally:
        QApplication.restoreOverrideCursor()
    if sound is not None:
        text = (f"{exc.message}\n\n最近一次完好的备份：{sound.created:%Y-%m-%d %H:%M}"
                f"（{sound.reason_label}，{size_text(sound.size)}），已通过完整性检查。\n"
                "恢复后，这次备份之后所做的修改会丢失；损坏的文件会先另存一份，不会删除。")
        options = [("restore", "恢复这个备份"), ("file", "选择其他备份文件…"), ("other", "打开其他数据库…"),
                   ("quit", "退出")]
    else:
        text = (f"{exc.message}\n\n没有找到这个数据库的完好备份。可以选择一个备份文件"
                "（例如从 U 盘拷来的副本）来恢复，或打开其他数据库。")
        options = [("file", "选择备份文件…"), ("other", "打开其他数据库…"), ("quit", "退出")]
    choice = ask_choice(parent, QMessageBox.Icon.Critical, f"{TITLE} — 数据库已损坏", text, options)
    backup = None
    if choice == "restore":
        backup = sound.path
    elif choice == "file":
        name, _ = QFileDialog.getOpenFileName(parent, "选择用于恢复的备份文件", str(path.parent), BACKUP_FILTER)
        if not name:
            return "retry"
        backup = Path(name)
    elif choice == "other":
        from ..startup import DB_FILTER

        name, _ = QFileDialog.getOpenFileName(parent, "打开数据库", str(path.parent), DB_FILTER)
        return Path(name) if name else "retry"
    else:
        return None
    try:
        previous = restore_database(path, backup)
    except ParkDeskError as err:
        QMessageBox.warning(parent, TITLE, err.message)
        return "retry"
    QMessageBox.information(parent, TITLE, f"已从备份恢复数据库。\n损坏的原文件已另存为：{previous}")
    return "retry"
