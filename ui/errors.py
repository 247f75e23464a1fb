"""Unexpected errors in the GUI: a dialog in Chinese, details in the log file."""

from __future__ import annotations

import logging
import sys
import traceback

log = logging.getLogger("ui")
_showing = False


def install_excepthook() -> None:
    """Catch exceptions that reach the Qt event loop (they would kill the app)."""
    from parkdesk.logs import setup_file_logging

    setup_file_logging()
    sys.excepthook = _hook


def _hook(exc_type, exc, tb) -> None:
    global _showing
    if issubclass(exc_type, KeyboardInterrupt):
        sys.__excepthook__(exc_type, exc, tb)
        return
    log.error("unhandled exception:\n%s", "".join(traceback.format_exception(exc_type, exc, tb)))
    from parkdesk.errors import ParkDeskError

    if _showing:
        return
    _showing = True
    try:
        from PySide6.QtWidgets import QApplication, QMessageBox

        if QApplication.instance() is None:
            return
        if isinstance(exc, ParkDeskError):
            QMessageBox.warning(None, "园区工作台", exc.message)
            return
        from parkdesk.logs import log_path

        box = QMessageBox(QMessageBox.Icon.Critical, "园区工作台 — 程序出错",
                          "程序遇到一个意外错误，刚才的操作可能没有完成。\n\n"
                          "已保存的数据不受影响（每次修改都在单独的事务中写入）。"
                          "建议先关闭并重新打开园区工作台；如果问题反复出现，请把日志文件发给技术支持。")
        box.setInformativeText(f"日志文件：{log_path()}")
        box.setDetailedText("".join(traceback.format_exception(exc_type, exc, tb))[-4000:])
        box.exec()
    finally:
        _showing = False
