"""Unexpected errors in the GUI: a dialog in Chinese saying what to do, the details
in the rotating log file of the user data folder. The data stays safe: every
change is its own transaction, so an error half-way through leaves nothing."""

from __future__ import annotations

import logging
import sys
import threading
import traceback

log = logging.getLogger("ui")
_showing = False

UNEXPECTED_TEXT = (
    "程序遇到一个意外错误，刚才的操作没有完成。\n\n"
    "已保存的数据是安全的：每次修改都在单独的事务中写入，未完成的修改不会留下半截数据，"
    "数据库也有自动备份。\n\n"
    "建议您：\n"
    "1. 查看刚才的操作结果，需要时再操作一次；\n"
    "2. 如果问题反复出现，关闭并重新打开园区工作台；\n"
    "3. 仍无法解决时，把下面的日志文件发给技术支持。"
)


def install_excepthook() -> None:
    """Catch exceptions that reach the Qt event loop (they would kill the app),
    and log those of other threads."""
    from parkdesk.logs import setup_file_logging

    setup_file_logging()
    sys.excepthook = _hook
    threading.excepthook = _thread_hook


def _thread_hook(args) -> None:
    if args.exc_type is SystemExit:
        return
    log.error("unhandled exception in thread %s:\n%s", getattr(args.thread, "name", "?"),
              "".join(traceback.format_exception(args.exc_type, args.exc_value, args.exc_traceback)))


def _hook(exc_type, exc, tb) -> None:
    global _showing
    if issubclass(exc_type, KeyboardInterrupt):
        sys.__excepthook__(exc_type, exc, tb)
        return
    details = "".join(traceback.format_exception(exc_type, exc, tb))
    log.error("unhandled exception:\n%s", details)
    if _showing:
        return
    _showing = True
    try:
        from PySide6.QtWidgets import QApplication, QMessageBox

        if QApplication.instance() is None:
            return
        from parkdesk.errors import ParkDeskError, explain_unexpected
        from parkdesk.logs import log_path

        if isinstance(exc, ParkDeskError):
            QMessageBox.warning(QApplication.activeWindow(), "园区工作台", exc.message)
            return
        known = explain_unexpected(exc)
        box = QMessageBox(QMessageBox.Icon.Critical, "园区工作台 — 程序出错", known or UNEXPECTED_TEXT,
                          parent=QApplication.activeWindow())
        box.setInformativeText(f"日志文件：{log_path()}")
        box.setDetailedText(details[-4000:])
        box.exec()
    except Exception:  # noqa: BLE001 - the hook itself must never raise
        log.exception("could not show the error dialog")
    finally:
        _showing = False
