"""Automatic backups in the GUI: once after opening, on a timer (setting
``backups.timer_minutes``, 0 = off), and when the database closes — each only
when something changed since the newest backup. They run quietly on the
worker thread; a failure is said once in the status bar and a message."""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QMessageBox

log = logging.getLogger("ui")


class AutoBackup(QObject):
    """Owns the backup timer of the main window."""

    def __init__(self, window):
        super().__init__(window)
        self.window_ = window
        self.ctx = window.ctx
        self.ops = window.ops
        self.timer = QTimer(self)
        self.timer.timeout.connect(lambda: self.run("timer"))
        self._warned = False
        self.ctx.desk_changed.connect(self.restart)
        self.restart()
        # The backup "on open" runs once the window is up, not during start-up.
        self.open_timer = QTimer(self)
        self.open_timer.setSingleShot(True)
        self.open_timer.timeout.connect(lambda: self.run("open"))
        self.open_timer.start(1500)

    def stop(self) -> None:
        """No more timer backups (the window is closing)."""
        self.timer.stop()
        self.open_timer.stop()

    def restart(self) -> None:
        """Follow the open desk: back up at close, timer per its setting."""
        desk = self.ctx.desk
        self.timer.stop()
        if desk is None or desk.readonly:
            return
        desk.backups.auto_on_close = True
        try:
            minutes = float(desk.settings.get("backups.timer_minutes") or 0)
        except (TypeError, ValueError):
            minutes = 0
        if minutes > 0:
            self.timer.start(int(minutes * 60_000))

    def run(self, reason: str) -> None:
        """Back up now if something changed (quietly, off the UI thread)."""
        desk = self.ctx.desk
        if desk is None or desk.readonly:
            return

        def alive() -> bool:  # the window may be gone when a late job reports back
            import shiboken6

            return shiboken6.isValid(self.window_)

        def done(path) -> None:
            if path is not None and alive():
                self.window_.statusBar().showMessage(f"已自动备份：{path.name}", 5000)

        def failed(exc) -> None:
            log.warning("automatic backup (%s) failed: %s", reason, exc)
            if not alive():
                return
            message = getattr(exc, "message", str(exc))
            self.window_.statusBar().showMessage(f"自动备份失败：{message}", 15000)
            if not self._warned:
                self._warned = True
                QMessageBox.warning(self.window_, "自动备份失败",
                                    f"自动备份没有成功：{message}\n\n数据本身未受影响。请检查磁盘空间，"
                                    "或在“文件 ▸ 备份与恢复”中手动备份。")

        self.ops.run("正在自动备份……", lambda d, progress: d.backups.auto(reason), on_done=done,
                     on_failed=failed, changes_data=False, quiet=True)
